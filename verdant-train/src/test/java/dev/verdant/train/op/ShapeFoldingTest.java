package dev.verdant.train.op;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import org.junit.jupiter.api.Test;

/**
 * The Shape → Gather → Unsqueeze → Concat → Reshape chain that exported transformers use runs on the JVM as
 * {@link HostTensor}s; only the final Reshape of real data reaches PyTorch.
 */
class ShapeFoldingTest {

    private final OpRegistry registry = OpRegistry.standard();

    private Value[] run(NDManager manager, String opType, long opset, Value[] inputs, AttributeProto... attributes) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(opType.toLowerCase());
        for (int i = 0; i < inputs.length; i++) {
            node.addInput("in" + i);
        }
        node.addOutput("out");
        for (AttributeProto attribute : attributes) {
            node.addAttribute(attribute);
        }
        KernelContext context = new KernelContext(node.build(), opset, false, manager, inputs);
        registry.find("", opType).orElseThrow().kernel().run(context);
        return context.outputs();
    }

    @Test
    void shapeArithmeticStaysOnTheJvmUntilTheReshapeOfRealData() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            DeviceTensor hidden = new DeviceTensor(manager.arange(2f * 5 * 12).reshape(new Shape(2, 5, 12)));
            Value shape = run(manager, "Shape", 14, new Value[] {hidden})[0];
            assertThat(shape).isEqualTo(HostTensor.vector(2, 5, 12));

            Value batch = run(manager, "Gather", 14, new Value[] {shape, HostTensor.scalar(DataType.INT64, 0)})[0];
            Value tokens = run(manager, "Gather", 14, new Value[] {shape, HostTensor.scalar(DataType.INT64, -2)})[0];
            assertThat(tokens).isEqualTo(HostTensor.scalar(DataType.INT64, 5));

            Value batchAxis = run(manager, "Unsqueeze", 14, new Value[] {batch, HostTensor.vector(0)})[0];
            Value tokenAxis = run(manager, "Unsqueeze", 14, new Value[] {tokens, HostTensor.vector(0)})[0];
            Value target = run(manager, "Concat", 14, new Value[] {batchAxis, tokenAxis, HostTensor.vector(3),
                    HostTensor.vector(4)}, Attributes.ofInt("axis", 0))[0];
            assertThat(target).isEqualTo(HostTensor.vector(2, 5, 3, 4));

            Value reshaped = run(manager, "Reshape", 14, new Value[] {hidden, target})[0];
            assertThat(reshaped).isInstanceOf(DeviceTensor.class);
            assertThat(reshaped.shape()).containsExactly(2, 5, 3, 4);
        }
    }

    @Test
    void hostSlicesAndArithmeticFollowTheSpec() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            HostTensor data = new HostTensor(DataType.INT64, new long[] {2, 4}, new long[] {0, 1, 2, 3, 4, 5, 6, 7});
            // data[0:2, 3:0:-2] = [[3, 1], [7, 5]]
            Value sliced = run(manager, "Slice", 13, new Value[] {data, HostTensor.vector(0, 3),
                    HostTensor.vector(2, 0), HostTensor.vector(0, 1), HostTensor.vector(1, -2)})[0];
            assertThat(sliced).isEqualTo(new HostTensor(DataType.INT64, new long[] {2, 2}, new long[] {3, 1, 7, 5}));

            // broadcasting (2, 4) by (4): integer division truncates toward zero
            Value divided = run(manager, "Div", 14, new Value[] {data, HostTensor.vector(1, -2, 3, 4)})[0];
            assertThat(divided).isEqualTo(new HostTensor(DataType.INT64, new long[] {2, 4},
                    new long[] {0, 0, 0, 0, 4, -2, 2, 1}));

            Value equal = run(manager, "Equal", 14, new Value[] {HostTensor.vector(1, -1, 3),
                    HostTensor.scalar(DataType.INT64, -1)})[0];
            assertThat(equal).isEqualTo(new HostTensor(DataType.BOOL, new long[] {3}, new long[] {0, 1, 0}));

            // a device operand sends the op to PyTorch
            Value mixed = run(manager, "Add", 14, new Value[] {new DeviceTensor(manager.create(new long[] {1, 2})),
                    HostTensor.vector(10, 20)})[0];
            assertThat(mixed).isInstanceOf(DeviceTensor.class);
            assertThat(((DeviceTensor) mixed).array().toLongArray()).containsExactly(11, 22);
        }
    }
}
