package dev.verdant.onnx.build;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.onnx.OnnxGraph;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins classifiers that read the same input into one ONNX model whose output is the element-wise mean of their
 * first outputs (an ONNX {@code Mean} node): the ensemble a distillation teacher is often made of (Hinton et al.
 * 2015, Bucilă et al. 2006). With logits outputs the mean is taken over logits, i.e. a normalised geometric mean of
 * the members' probabilities. The members run side by side in one graph, so ONNX Runtime runs them in one session.
 *
 * <p>Every name of member {@code i} (values, nodes, initializers) gets the prefix {@code m<i>/}, except the shared
 * input; the ensemble's output keeps the first member's output name. Members must agree on the input (name aside:
 * the first member's name is used), the output's element type and rank, and the operator set of each domain.
 * Each member's {@code metadata_props} (its provenance) is kept under the same prefix.
 * Members holding subgraphs (If, Loop, Scan) or model-local functions are refused by name, as renaming their inner
 * references is not supported.
 */
public final class ModelEnsemble {

    private ModelEnsemble() {
    }

    /**
     * The mean of {@code members}' first outputs as one model.
     *
     * @throws IllegalArgumentException with one line naming the first member and property that does not fit
     */
    public static ModelProto mean(List<ModelProto> members) {
        if (members.size() < 2) {
            throw new IllegalArgumentException("an ensemble needs at least 2 members, got " + members.size());
        }
        ValueInfoProto input = realInput(members.get(0), 0);
        ValueInfoProto output = firstOutput(members.get(0), 0);
        Map<String, Long> opsets = opsets(members.get(0));
        long irVersion = 0;
        GraphProto.Builder graph = GraphProto.newBuilder().setName("ensemble_of_" + members.size())
                .addInput(input).addOutput(output);
        List<StringStringEntryProto> memberMetadata = new ArrayList<>();
        NodeProto.Builder mean = NodeProto.newBuilder().setOpType("Mean").setName("ensemble_mean")
                .addOutput(output.getName());
        for (int i = 0; i < members.size(); i++) {
            ModelProto member = members.get(i);
            ValueInfoProto memberInput = realInput(member, i);
            ValueInfoProto memberOutput = firstOutput(member, i);
            requireSameType(input, memberInput, i, "input");
            requireSameType(output, memberOutput, i, "first output");
            if (!opsets(member).equals(opsets)) {
                throw new IllegalArgumentException("ensemble member " + (i + 1) + " uses operator sets "
                        + opsets(member) + ", member 1 " + opsets + ": export them at the same opset");
            }
            if (member.getFunctionsCount() > 0) {
                throw new IllegalArgumentException("ensemble member " + (i + 1) + " defines model-local functions ("
                        + member.getFunctions(0).getName() + "), which an ensemble does not support");
            }
            irVersion = Math.max(irVersion, member.getIrVersion());
            String prefix = "m" + (i + 1) + "/";
            Renamer rename = new Renamer(prefix, memberInput.getName(), input.getName());
            GraphProto g = member.getGraph();
            for (TensorProto initializer : g.getInitializerList()) {
                graph.addInitializer(initializer.toBuilder().setName(rename.value(initializer.getName())));
            }
            if (g.getSparseInitializerCount() > 0) {
                throw new IllegalArgumentException("ensemble member " + (i + 1)
                        + " holds sparse initializers, which an ensemble does not support");
            }
            for (NodeProto node : g.getNodeList()) {
                graph.addNode(rename.node(node, i));
            }
            for (ValueInfoProto info : g.getValueInfoList()) {
                graph.addValueInfo(info.toBuilder().setName(rename.value(info.getName())));
            }
            String renamedOutput = rename.value(memberOutput.getName());
            graph.addValueInfo(memberOutput.toBuilder().setName(renamedOutput));
            mean.addInput(renamedOutput);
            for (StringStringEntryProto entry : member.getMetadataPropsList()) {
                memberMetadata.add(entry.toBuilder().setKey(prefix + entry.getKey()).build());
            }
        }
        graph.addNode(mean);
        ModelProto first = members.get(0);
        ModelProto.Builder model = ModelProto.newBuilder().setIrVersion(irVersion).setGraph(graph)
                .setProducerName("verdant").setDocString("Mean of the first outputs of " + members.size()
                        + " models that read the same input (verdant ensemble).")
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("verdant.ensemble")
                        .setValue(members.size() + " members, mean of their first outputs"))
                .addAllMetadataProps(memberMetadata);
        for (OperatorSetIdProto opset : first.getOpsetImportList()) {
            model.addOpsetImport(opset);
        }
        return model.build();
    }

    /** Renames one member's values and nodes: everything gets the prefix but the input shared by all members. */
    private record Renamer(String prefix, String memberInput, String sharedInput) {

        String value(String name) {
            if (name.isEmpty()) {
                return name; // an omitted optional input stays omitted
            }
            return name.equals(memberInput) ? sharedInput : prefix + name;
        }

        NodeProto node(NodeProto node, int member) {
            for (AttributeProto attribute : node.getAttributeList()) {
                if (attribute.hasG() || attribute.getGraphsCount() > 0) {
                    throw new IllegalArgumentException("ensemble member " + (member + 1) + " has a subgraph in its "
                            + node.getOpType() + " node '" + node.getName() + "', which an ensemble does not support");
                }
            }
            NodeProto.Builder renamed = node.toBuilder().clearInput().clearOutput()
                    .setName(node.getName().isEmpty() ? "" : prefix + node.getName());
            node.getInputList().forEach(name -> renamed.addInput(value(name)));
            node.getOutputList().forEach(name -> renamed.addOutput(value(name)));
            return renamed.build();
        }
    }

    private static ValueInfoProto realInput(ModelProto model, int member) {
        Set<String> initializers = new HashSet<>();
        model.getGraph().getInitializerList().forEach(t -> initializers.add(t.getName()));
        List<ValueInfoProto> inputs = model.getGraph().getInputList().stream()
                .filter(v -> !initializers.contains(v.getName())).toList();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("ensemble member " + (member + 1) + " has " + inputs.size()
                    + " inputs " + inputs.stream().map(ValueInfoProto::getName).toList()
                    + "; an ensemble joins models with one input");
        }
        return inputs.get(0);
    }

    private static ValueInfoProto firstOutput(ModelProto model, int member) {
        if (model.getGraph().getOutputCount() == 0) {
            throw new IllegalArgumentException("ensemble member " + (member + 1) + " has no output");
        }
        ValueInfoProto output = model.getGraph().getOutput(0);
        if (output.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new IllegalArgumentException("ensemble member " + (member + 1) + "'s first output '"
                    + output.getName() + "' is not a float tensor");
        }
        return output;
    }

    /** Refuses a member whose {@code role} (its input, its first output) differs in type from member 1's. */
    private static void requireSameType(ValueInfoProto expected, ValueInfoProto actual, int member, String role) {
        if (!sameTensorType(expected.getType(), actual.getType())) {
            throw new IllegalArgumentException("ensemble member " + (member + 1) + "'s " + role + " '"
                    + actual.getName() + "' is " + describe(actual.getType()) + ", member 1's is "
                    + describe(expected.getType()));
        }
    }

    /** Same element type and rank, and equal sizes wherever both give a fixed size (named dims match any). */
    private static boolean sameTensorType(TypeProto a, TypeProto b) {
        TypeProto.Tensor ta = a.getTensorType();
        TypeProto.Tensor tb = b.getTensorType();
        if (ta.getElemType() != tb.getElemType() || ta.hasShape() != tb.hasShape()) {
            return false;
        }
        TensorShapeProto sa = ta.getShape();
        TensorShapeProto sb = tb.getShape();
        if (sa.getDimCount() != sb.getDimCount()) {
            return false;
        }
        for (int d = 0; d < sa.getDimCount(); d++) {
            TensorShapeProto.Dimension da = sa.getDim(d);
            TensorShapeProto.Dimension db = sb.getDim(d);
            if (da.hasDimValue() && db.hasDimValue() && da.getDimValue() != db.getDimValue()) {
                return false;
            }
        }
        return true;
    }

    private static String describe(TypeProto type) {
        TypeProto.Tensor tensor = type.getTensorType();
        List<String> dims = tensor.getShape().getDimList().stream()
                .map(d -> d.hasDimValue() ? Long.toString(d.getDimValue()) : d.getDimParam().isEmpty() ? "?"
                        : d.getDimParam())
                .toList();
        return TensorProto.DataType.forNumber(tensor.getElemType()) + " " + dims;
    }

    private static Map<String, Long> opsets(ModelProto model) {
        Map<String, Long> opsets = new LinkedHashMap<>();
        for (OperatorSetIdProto opset : model.getOpsetImportList()) {
            opsets.put(opset.getDomain().equals("ai.onnx") ? OnnxGraph.DEFAULT_DOMAIN : opset.getDomain(),
                    opset.getVersion());
        }
        return opsets;
    }
}
