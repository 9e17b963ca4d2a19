package dev.verdant.train.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.onnx.Attributes;
import java.nio.FloatBuffer;
import java.util.Optional;

/**
 * RNN, GRU and LSTM as ONNX defines them (gate orders {@code z r h} and {@code i o f c}, default activations,
 * forward, reverse or bidirectional, either layout, per-sequence lengths), unrolled over time with NDArray ops so autograd reaches the
 * weights. The input projection of every step is one MatMul before the loop.
 */
final class RecurrentKernels {

    private RecurrentKernels() {
    }

    /** One cell update: the gates' pre-activations from the input and the state, to the next state. */
    private interface Cell {
        /**
         * @param projected (batch, gates * H) input projection of this step, input bias included
         * @param state     the previous hidden state (and cell state for LSTM)
         * @param direction the direction index, for the per-direction weights
         * @return the next state, hidden state first
         */
        NDArray[] step(NDArray projected, NDArray[] state, int direction);
    }

    static void register(OpRegistrations registry) {
        registry.add("RNN", 7, context -> run(context, 1, false, (projected, state, d) -> new NDArray[] {
            projected.add(recurrent(context, state[0], d, 0, 1)).tanh()}), RecurrentKernels::check);
        registry.add("GRU", 7, context -> run(context, 3, false, (projected, state, d) -> {
            int hidden = hiddenSize(context);
            NDArray h = state[0];
            NDArray z = slice(projected, 0, hidden).add(recurrent(context, h, d, 0, 3)).getNDArrayInternal()
                    .sigmoid();
            NDArray r = slice(projected, 1, hidden).add(recurrent(context, h, d, 1, 3)).getNDArrayInternal()
                    .sigmoid();
            NDArray candidate;
            if (context.intAttribute("linear_before_reset", 0) != 0) {
                candidate = slice(projected, 2, hidden).add(r.mul(recurrent(context, h, d, 2, 3))).tanh();
            } else {
                candidate = slice(projected, 2, hidden).add(recurrent(context, r.mul(h), d, 2, 3)).tanh();
            }
            return new NDArray[] {z.neg().add(1).mul(candidate).add(z.mul(h))};
        }), RecurrentKernels::check);
        registry.add("LSTM", 7, context -> run(context, 4, true, (projected, state, d) -> {
            int hidden = hiddenSize(context);
            NDArray h = state[0];
            NDArray c = state[1];
            NDArray[] gate = new NDArray[4];
            for (int g = 0; g < 4; g++) {
                gate[g] = slice(projected, g, hidden).add(recurrent(context, h, d, g, 4));
            }
            NDArray peepholes = context.hasInput(7) ? context.array(7).get(d) : null;
            NDArray input = peephole(gate[0], peepholes, 0, hidden, c).getNDArrayInternal().sigmoid();
            NDArray forget = peephole(gate[2], peepholes, 2, hidden, c).getNDArrayInternal().sigmoid();
            NDArray cell = forget.mul(c).add(input.mul(gate[3].tanh()));
            NDArray output = peephole(gate[1], peepholes, 1, hidden, cell).getNDArrayInternal().sigmoid();
            return new NDArray[] {output.mul(cell.tanh()), cell};
        }), RecurrentKernels::check);
    }

    private static Optional<String> check(NodeProto node, long opset) {
        if (Attributes.has(node, "activations")) {
            return Optional.of("an activations attribute");
        }
        if (Attributes.has(node, "clip")) {
            return Optional.of("clip");
        }
        if (Attributes.getInt(node, "input_forget", 0) != 0) {
            return Optional.of("input_forget=1");
        }
        return Optional.empty();
    }

    private static int hiddenSize(KernelContext context) {
        return (int) context.array(2).getShape().get(2);
    }

    /** Gate {@code g} of a (batch, gates * H) block. */
    private static NDArray slice(NDArray gates, int g, int hidden) {
        return gates.get(new NDIndex().addAllDim().addSliceDim((long) g * hidden, (long) (g + 1) * hidden));
    }

    /** {@code h R_g^T + Rb_g} for direction {@code d} and gate {@code g} of {@code gates}. */
    private static NDArray recurrent(KernelContext context, NDArray h, int d, int g, int gates) {
        int hidden = hiddenSize(context);
        NDArray weight = context.array(2).get(d).get(new NDIndex().addSliceDim((long) g * hidden,
                (long) (g + 1) * hidden));
        NDArray result = h.matMul(weight.transpose());
        if (context.hasInput(3)) {
            NDArray bias = context.array(3).get(d);
            result = result.add(bias.get(new NDIndex().addSliceDim((long) (gates + g) * hidden,
                    (long) (gates + g + 1) * hidden)));
        }
        return result;
    }

    /** Adds {@code P_g * c} where the LSTM has peepholes (order {@code i o f}). */
    private static NDArray peephole(NDArray gate, NDArray peepholes, int g, int hidden, NDArray c) {
        if (peepholes == null) {
            return gate;
        }
        return gate.add(peepholes.get(new NDIndex().addSliceDim((long) g * hidden, (long) (g + 1) * hidden)).mul(c));
    }

    /** (batch, 1): 1 where step {@code t} lies within the sequence, else 0. */
    private static NDArray runningMask(KernelContext context, long[] lengths, long t, NDArray like) {
        float[] mask = new float[lengths.length];
        for (int b = 0; b < lengths.length; b++) {
            mask[b] = t < lengths[b] ? 1f : 0f;
        }
        // autograd keeps the mask for the backward pass, after the batch scope closed
        return NDArrayTensors.pytorchOwned(context.manager(), FloatBuffer.wrap(mask),
                new ai.djl.ndarray.types.Shape(lengths.length, 1), ai.djl.ndarray.types.DataType.FLOAT32)
                .toType(like.getDataType(), false);
    }

    /**
     * Unrolls the cell over time per direction and writes Y (seq, dirs, batch, H), Y_h and (LSTM) Y_c
     * (dirs, batch, H), transposed for {@code layout=1}.
     */
    private static void run(KernelContext context, int gates, boolean lstm, Cell cell) {
        boolean batchFirst = context.intAttribute("layout", 0) == 1;
        NDArray x = context.array(0);
        if (batchFirst) {
            x = x.swapAxes(0, 1);
        }
        long steps = x.getShape().get(0);
        long batch = x.getShape().get(1);
        int hidden = hiddenSize(context);
        String direction = context.stringAttribute("direction", "forward");
        int directions = direction.equals("bidirectional") ? 2 : 1;
        long[] lengths = context.hasInput(4) ? context.longs(4) : null;
        NDList outputs = new NDList();
        NDList finalHidden = new NDList();
        NDList finalCell = new NDList();
        for (int d = 0; d < directions; d++) {
            boolean reverse = direction.equals("reverse") || d == 1;
            NDArray projected = x.matMul(context.array(1).get(d).transpose());
            if (context.hasInput(3)) {
                projected = projected.add(context.array(3).get(d).get(new NDIndex().addSliceDim(0,
                        (long) gates * hidden)));
            }
            NDArray[] state = new NDArray[lstm ? 2 : 1];
            state[0] = context.hasInput(5) ? context.array(5).get(d)
                    : context.manager().zeros(new ai.djl.ndarray.types.Shape(batch, hidden), x.getDataType());
            if (lstm) {
                state[1] = context.hasInput(6) ? context.array(6).get(d) : state[0].zerosLike();
            }
            NDArray[] perStep = new NDArray[(int) steps];
            for (long i = 0; i < steps; i++) {
                long t = reverse ? steps - 1 - i : i;
                NDArray[] next = cell.step(projected.get(t), state, d);
                if (lengths != null) {
                    // past a sequence's end its state holds and its output is zero; reverse runs start at its end
                    NDArray running = runningMask(context, lengths, t, x);
                    for (int k = 0; k < next.length; k++) {
                        next[k] = next[k].mul(running).add(state[k].mul(running.neg().add(1)));
                    }
                    perStep[(int) t] = next[0].mul(running);
                } else {
                    perStep[(int) t] = next[0];
                }
                state = next;
            }
            outputs.add(NDArrays.stack(new NDList(perStep), 0));
            finalHidden.add(state[0]);
            if (lstm) {
                finalCell.add(state[1]);
            }
        }
        NDArray y = NDArrays.stack(outputs, 1);
        NDArray yHidden = NDArrays.stack(finalHidden, 0);
        if (batchFirst) {
            y = y.transpose(2, 0, 1, 3);
            yHidden = yHidden.swapAxes(0, 1);
        }
        if (context.wantsOutput(0)) {
            context.output(0, y);
        }
        if (context.wantsOutput(1)) {
            context.output(1, yHidden);
        }
        if (lstm && context.wantsOutput(2)) {
            NDArray yCell = NDArrays.stack(finalCell, 0);
            context.output(2, batchFirst ? yCell.swapAxes(0, 1) : yCell);
        }
    }
}
