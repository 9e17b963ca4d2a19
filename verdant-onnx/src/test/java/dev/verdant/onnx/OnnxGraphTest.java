package dev.verdant.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OnnxGraphTest {

    private static final ModelProto MINILM = OnnxModels.read(BuiltinModel.MINILM.modelFile());

    @Test
    void topologicalOrderPutsEveryNodeAfterItsProducersEvenWhenTheFileIsShuffled() {
        List<NodeProto> nodes = new ArrayList<>(MINILM.getGraph().getNodeList());
        Collections.shuffle(nodes, new Random(7));
        ModelProto shuffled = MINILM.toBuilder().setGraph(MINILM.getGraph().toBuilder().clearNode().addAllNode(nodes))
                .build();

        OnnxGraph graph = OnnxGraph.of(shuffled);

        Set<String> available = new HashSet<>(graph.initializers().keySet());
        shuffled.getGraph().getInputList().forEach(i -> available.add(i.getName()));
        for (NodeProto node : graph.topologicalOrder()) {
            for (String input : node.getInputList()) {
                assertThat(input.isEmpty() || available.contains(input))
                        .as("%s reads %s before it exists", node.getName(), input).isTrue();
            }
            available.addAll(node.getOutputList());
        }
        assertThat(graph.topologicalOrder()).hasSize(nodes.size());
    }

    @Test
    void producersConsumersAndInitializers() {
        OnnxGraph graph = OnnxGraph.of(MINILM);
        assertThat(graph.inputs()).extracting(i -> i.getName())
                .containsExactly("input_ids", "attention_mask", "token_type_ids");
        assertThat(graph.opset()).isEqualTo(14);
        assertThat(graph.initializer("embeddings.word_embeddings.weight")).get()
                .satisfies(t -> assertThat(t.getDimsList()).containsExactly(30522L, 384L));
        NodeProto gather = graph.consumers("embeddings.word_embeddings.weight").get(0);
        assertThat(gather.getOpType()).isEqualTo("Gather");
        String embedded = gather.getOutput(0);
        assertThat(graph.producer(embedded)).contains(gather);
        assertThat(graph.producer("input_ids")).isEmpty();
        for (NodeProto consumer : graph.consumers(embedded)) {
            assertThat(consumer.getInputList()).contains(embedded);
        }
    }

    @Test
    void cycleIsReported() {
        NodeProto a = NodeProto.newBuilder().setName("a").setOpType("Relu").addInput("y").addOutput("x").build();
        NodeProto b = NodeProto.newBuilder().setName("b").setOpType("Relu").addInput("x").addOutput("y").build();
        ModelProto model = ModelProto.newBuilder().setIrVersion(8)
                .setGraph(ai.onnx.proto.OnnxMl.GraphProto.newBuilder().addNode(a).addNode(b)).build();
        assertThatThrownBy(() -> OnnxGraph.of(model)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("cycle");
    }

    @Test
    void undefinedInputIsReported() {
        NodeProto a = NodeProto.newBuilder().setName("a").setOpType("Relu").addInput("ghost").addOutput("x").build();
        ModelProto model = ModelProto.newBuilder().setIrVersion(8)
                .setGraph(ai.onnx.proto.OnnxMl.GraphProto.newBuilder().addNode(a)).build();
        assertThatThrownBy(() -> OnnxGraph.of(model)).hasMessageContaining("'ghost' that nothing defines");
    }
}
