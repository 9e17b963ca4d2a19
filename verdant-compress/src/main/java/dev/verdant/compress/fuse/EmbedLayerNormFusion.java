package dev.verdant.compress.fuse;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.compress.GraphEdit;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.Tensors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The BERT embedding block, {@code LayerNormalization(word[ids] + segment[tokenTypes] + position[0..S))}, becomes
 * one {@code com.microsoft.EmbedLayerNormalization}. The position lookup must read a slice from 0 of a constant
 * {@code 0, 1, 2, ...} table (the position ids PyTorch exports), which is what the fused op assumes.
 */
final class EmbedLayerNormFusion {

    private EmbedLayerNormFusion() {
    }

    /** Fuses the pattern at one anchor node, as {@link Fusion.Match} says. */
    static boolean fuseAt(GraphEdit graph, NodeProto norm) {
        if (norm.getOutputCount() > 1 || norm.getInputCount() < 3) {
            return false;
        }
        List<NodeProto> adds = new ArrayList<>();
        List<NodeProto> gathers = new ArrayList<>();
        collect(graph, norm.getInput(0), adds, gathers, 0);
        if (adds.isEmpty() || gathers.contains(null) || gathers.size() < 2 || gathers.size() > 3) {
            return false;
        }
        NodeProto position = null;
        List<Lookup> idLookups = new ArrayList<>();
        long width = -1;
        for (NodeProto gather : gathers) {
            Optional<TensorProto> table = graph.constant(gather.getInput(0));
            if (table.isEmpty() || table.get().getDimsCount() != 2 || DataType.of(table.get()) != DataType.FLOAT
                    || Attributes.getInt(gather, "axis", 0) != 0) {
                return false;
            }
            if (width >= 0 && table.get().getDims(1) != width) {
                return false;
            }
            width = table.get().getDims(1);
            Optional<String> ids = graphInputBehindCasts(graph, gather.getInput(1));
            if (ids.isPresent()) {
                idLookups.add(new Lookup(gather, ids.get(), table.get().getDims(0)));
            } else if (position == null && isPositionRange(graph, gather.getInput(1))) {
                position = gather;
            } else {
                return false;
            }
        }
        if (position == null || idLookups.isEmpty() || idLookups.size() > 2) {
            return false;
        }
        // the word table is the larger; the segment (token type) table has a handful of rows
        idLookups.sort(Comparator.comparingLong(Lookup::rows).reversed());
        Lookup word = idLookups.get(0);
        Optional<Lookup> segment = idLookups.size() > 1 ? Optional.of(idLookups.get(1)) : Optional.empty();
        List<String> inputs = List.of(
                graph.castOf(word.ids(), DataType.INT32),
                segment.map(s -> graph.castOf(s.ids(), DataType.INT32)).orElse(""),
                word.gather().getInput(0),
                position.getInput(0),
                segment.map(s -> s.gather().getInput(0)).orElse(""),
                norm.getInput(1),
                norm.getInput(2));
        String maskIndex = graph.uniqueName(norm.getOutput(0) + "_mask_index");
        graph.removeNodes(List.of(norm));
        graph.addNode(graph.node("EmbedLayerNormalization", GraphEdit.MICROSOFT_DOMAIN, inputs,
                List.of(norm.getOutput(0), maskIndex),
                Attributes.ofFloat("epsilon", Attributes.getFloat(norm, "epsilon", 1e-5f))));
        graph.requireOpset(GraphEdit.MICROSOFT_DOMAIN, 1);
        return true;
    }

    /** The Gathers summed by a tree of Adds whose outputs each have one reader; null marks any other leaf. */
    private static void collect(GraphEdit graph, String tensor, List<NodeProto> adds, List<NodeProto> gathers,
            int depth) {
        Optional<NodeProto> producer = graph.producer(tensor);
        if (producer.isEmpty() || depth > 3 || (depth > 0 && graph.soleConsumer(tensor).isEmpty())) {
            gathers.add(null);
            return;
        }
        NodeProto node = producer.get();
        if (node.getOpType().equals("Add") && node.getInputCount() == 2) {
            adds.add(node);
            collect(graph, node.getInput(0), adds, gathers, depth + 1);
            collect(graph, node.getInput(1), adds, gathers, depth + 1);
        } else if (node.getOpType().equals("Gather") && depth > 0) {
            gathers.add(node);
        } else {
            gathers.add(null);
        }
    }

    private static Optional<String> graphInputBehindCasts(GraphEdit graph, String tensor) {
        String current = tensor;
        while (graph.producer(current).map(p -> p.getOpType().equals("Cast")).orElse(false)) {
            current = graph.producer(current).get().getInput(0);
        }
        return graph.graphInput(current).isPresent() ? Optional.of(current) : Optional.empty();
    }

    /** Slice(table, [0], end, [1]) of a constant [1, P] table holding 0, 1, ..., P-1. */
    private static boolean isPositionRange(GraphEdit graph, String tensor) {
        Optional<NodeProto> slice = graph.producer(tensor).filter(n -> n.getOpType().equals("Slice"));
        if (slice.isEmpty() || slice.get().getInputCount() < 3) {
            return false;
        }
        NodeProto s = slice.get();
        Optional<TensorProto> table = graph.constant(s.getInput(0));
        if (table.isEmpty() || table.get().getDimsCount() != 2 || table.get().getDims(0) != 1) {
            return false;
        }
        long[] values = Tensors.toLongs(table.get());
        for (int i = 0; i < values.length; i++) {
            if (values[i] != i) {
                return false;
            }
        }
        boolean startsAtZero = graph.constant(s.getInput(1)).map(t -> isAll(Tensors.toLongs(t), 0)).orElse(false);
        boolean alongSequence = s.getInputCount() < 4 || s.getInput(3).isEmpty()
                || graph.constant(s.getInput(3)).map(t -> isAll(Tensors.toLongs(t), 1)).orElse(false);
        boolean unitStep = s.getInputCount() < 5 || s.getInput(4).isEmpty()
                || graph.constant(s.getInput(4)).map(t -> isAll(Tensors.toLongs(t), 1)).orElse(false);
        return startsAtZero && alongSequence && unitStep;
    }

    private static boolean isAll(long[] values, long expected) {
        return values.length == 1 && values[0] == expected;
    }

    private record Lookup(NodeProto gather, String ids, long rows) {
    }
}
