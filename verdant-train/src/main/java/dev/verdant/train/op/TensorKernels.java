package dev.verdant.train.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.Tensors;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * Kernels that move data rather than compute it: shapes, constants, gather, slice, reshape, concat, split, cast.
 * Each folds on the JVM when its inputs are host tensors, so shape arithmetic never reaches PyTorch.
 */
final class TensorKernels {

    private TensorKernels() {
    }

    static void register(OpRegistrations registry) {
        registry.add("Shape", 1, TensorKernels::shape);
        registry.add("Size", 1, context -> context.output(0,
                HostTensor.scalar(DataType.INT64, HostTensor.elementCount(context.shape(0)))));
        registry.add("Constant", 1, TensorKernels::constant, TensorKernels::checkConstant);
        registry.add("ConstantOfShape", 9, TensorKernels::constantOfShape, TensorKernels::checkConstantOfShape);
        registry.add("Range", 11, TensorKernels::range);
        registry.add("Cast", 1, TensorKernels::cast, TensorKernels::checkCast);
        registry.add("CastLike", 15, context -> castTo(context, context.type(1)));
        registry.add("Reshape", 5, TensorKernels::reshape);
        registry.add("Flatten", 1, context -> {
            long[] shape = context.shape(0);
            int axis = (int) context.intAttribute("axis", 1);
            axis = axis < 0 ? axis + shape.length : axis;
            reshapeTo(context, new long[] {Axes.product(shape, 0, axis), Axes.product(shape, axis, shape.length)});
        });
        registry.add("Unsqueeze", 1, TensorKernels::unsqueeze);
        registry.add("Squeeze", 1, TensorKernels::squeeze);
        registry.add("Transpose", 1, TensorKernels::transpose);
        registry.add("Concat", 4, TensorKernels::concat);
        registry.add("Split", 2, TensorKernels::split);
        registry.add("Gather", 1, TensorKernels::gather);
        registry.add("Slice", 1, TensorKernels::slice);
        registry.add("Expand", 8, TensorKernels::expand);
        registry.add("Tile", 6, context -> context.output(0, context.array(0).tile(context.longs(1))));
        registry.add("Pad", 2, TensorKernels::pad, TensorKernels::checkPad);
        registry.add("GatherElements", 11, context -> {
            NDArray data = context.array(0);
            int axis = Axes.normalize(context.intAttribute("axis", 0), data.getShape().dimension());
            NDArray indices = context.array(1).toType(ai.djl.ndarray.types.DataType.INT64, false);
            indices = ElementwiseKernels.where(indices.lt(0), indices.add(data.getShape().get(axis)), indices);
            context.output(0, data.gather(indices, axis));
        });
        registry.add("Trilu", 14, TensorKernels::trilu);
        registry.add("OneHot", 11, TensorKernels::oneHot);
        registry.add("EyeLike", 9, context -> {
            long[] shape = context.shape(0);
            DataType type = context.hasAttribute("dtype") ? DataType.of((int) context.intAttribute("dtype", 1))
                    : context.type(0);
            NDArray rows = context.manager().arange(0, (int) shape[0], 1, ai.djl.ndarray.types.DataType.INT64)
                    .reshape(shape[0], 1);
            NDArray columns = context.manager().arange(0, (int) shape[1], 1, ai.djl.ndarray.types.DataType.INT64);
            context.output(0, columns.sub(rows).eq(context.intAttribute("k", 0))
                    .toType(ElementTypes.requireDjlType(type), false));
        });
        registry.add("GatherND", 11, TensorKernels::gatherNd);
        registry.add("ScatterElements", 11, context -> {
            NDArray data = context.array(0);
            int axis = Axes.normalize(context.intAttribute("axis", 0), data.getShape().dimension());
            NDArray indices = context.array(1).toType(ai.djl.ndarray.types.DataType.INT64, false);
            indices = ElementwiseKernels.where(indices.lt(0), indices.add(data.getShape().get(axis)), indices);
            context.output(0, data.scatter(indices, context.array(2), axis));
        }, (node, opset) -> Attributes.getString(node, "reduction", "none").equals("none") ? Optional.empty()
                : Optional.of("reduction=" + Attributes.getString(node, "reduction", "")));
        registry.add("DepthToSpace", 1, TensorKernels::depthToSpace);
        registry.add("SpaceToDepth", 1, TensorKernels::spaceToDepth);
        registry.add("NonZero", 9, context -> context.output(0, context.array(0).nonzero().transpose()
                .toType(ai.djl.ndarray.types.DataType.INT64, false)));
    }

    /** Shape folds to a host tensor: the dims are known once the input is. Opset 15 adds start/end. */
    private static void shape(KernelContext context) {
        long[] shape = context.shape(0);
        int rank = shape.length;
        long start = context.intAttribute("start", 0);
        long end = context.intAttribute("end", rank);
        int from = Math.clamp(start < 0 ? start + rank : start, 0, rank);
        int to = Math.clamp(end < 0 ? end + rank : end, 0, rank);
        context.output(0, HostTensor.vector(Arrays.copyOfRange(shape, from, Math.max(from, to))));
    }

    private static void constant(KernelContext context) {
        context.output(0, NDArrayTensors.toValue(context.manager(), constantTensor(context.node())));
    }

    /** The tensor a Constant node holds, from whichever attribute carries it. */
    static TensorProto constantTensor(NodeProto node) {
        Optional<TensorProto> tensor = Attributes.getTensor(node, "value");
        if (tensor.isPresent()) {
            return tensor.get();
        }
        for (AttributeProto attribute : node.getAttributeList()) {
            switch (attribute.getName()) {
                case "value_float" -> {
                    return Tensors.ofFloats("", new long[0], new float[] {attribute.getF()});
                }
                case "value_floats" -> {
                    float[] values = Attributes.getFloats(node, "value_floats", new float[0]);
                    return Tensors.ofFloats("", new long[] {values.length}, values);
                }
                case "value_int" -> {
                    return Tensors.ofLongs("", new long[0], new long[] {attribute.getI()});
                }
                case "value_ints" -> {
                    long[] values = Attributes.getInts(node, "value_ints", new long[0]);
                    return Tensors.ofLongs("", new long[] {values.length}, values);
                }
                default -> {
                    // not a value attribute
                }
            }
        }
        throw new IllegalArgumentException("Constant node '" + node.getName() + "' has no value attribute");
    }

    private static Optional<String> checkConstant(NodeProto node, long opset) {
        if (Attributes.has(node, "sparse_value")) {
            return Optional.of("sparse_value");
        }
        if (Attributes.has(node, "value_string") || Attributes.has(node, "value_strings")) {
            return Optional.of("string constants");
        }
        return Attributes.getTensor(node, "value").flatMap(t -> checkType(DataType.of(t)));
    }

    private static Optional<String> checkType(DataType type) {
        return ElementTypes.isSupported(type) ? Optional.empty()
                : Optional.of("tensor type " + type.onnxName());
    }

    private static void constantOfShape(KernelContext context) {
        long[] shape = context.longs(0);
        TensorProto value = Attributes.getTensor(context.node(), "value")
                .orElse(Tensors.ofFloats("", new long[] {1}, new float[] {0f}));
        DataType type = DataType.of(value);
        if (NDArrayTensors.isHostType(type) && HostTensor.elementCount(shape) <= HostTensor.MAX_ELEMENTS) {
            long[] values = new long[(int) HostTensor.elementCount(shape)];
            Arrays.fill(values, Tensors.toLongs(value)[0]);
            context.output(0, new HostTensor(type, shape, values));
            return;
        }
        NDArray one = NDArrayTensors.toNDArray(context.manager(), value).reshape();
        context.output(0, one.broadcast(shape).duplicate());
    }

    private static Optional<String> checkConstantOfShape(NodeProto node, long opset) {
        return Attributes.getTensor(node, "value").flatMap(t -> checkType(DataType.of(t)));
    }

    private static void range(KernelContext context) {
        DataType type = context.type(0);
        if (context.allHost()) {
            long start = context.longs(0)[0];
            long limit = context.longs(1)[0];
            long delta = context.longs(2)[0];
            long count = Math.max(0, Math.ceilDiv(limit - start, delta));
            long[] values = new long[Math.toIntExact(count)];
            for (int i = 0; i < values.length; i++) {
                values[i] = start + i * delta;
            }
            context.output(0, new HostTensor(type, new long[] {count}, values));
            return;
        }
        double start = context.scalar(0);
        double limit = context.scalar(1);
        double delta = context.scalar(2);
        long count = Math.max(0, (long) Math.ceil((limit - start) / delta));
        // start + i * delta, in the input type, as the spec defines it
        NDArray index = context.manager().arange(0, (int) count, 1, ai.djl.ndarray.types.DataType.FLOAT64);
        context.output(0, NDArrayTensors.times(index, delta).add(start)
                .toType(ElementTypes.requireDjlType(type), false));
    }

    private static void cast(KernelContext context) {
        castTo(context, DataType.of((int) context.intAttribute("to", 0)));
    }

    private static void castTo(KernelContext context, DataType to) {
        if (context.isHost(0) && NDArrayTensors.isHostType(to)) {
            context.output(0, HostOps.cast(context.host(0), to));
            return;
        }
        NDArray x = context.array(0);
        ai.djl.ndarray.types.DataType target = ElementTypes.requireDjlType(to);
        context.output(0, x.getDataType() == target ? x.duplicate() : x.toType(target, false));
    }

    private static Optional<String> checkCast(NodeProto node, long opset) {
        if (Attributes.getInt(node, "saturate", 1) != 1) {
            return Optional.of("saturate=0");
        }
        return checkType(DataType.of((int) Attributes.getInt(node, "to", 0)));
    }

    private static void reshape(KernelContext context) {
        long[] requested = context.opset() < 5 ? context.intsAttribute("shape", new long[0]) : context.longs(1);
        long[] input = context.shape(0);
        boolean allowZero = context.intAttribute("allowzero", 0) == 1;
        long[] shape = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0 && !allowZero) {
                shape[i] = input[i];
            }
            if (shape[i] == -1) {
                infer = i;
            } else {
                known *= shape[i];
            }
        }
        if (infer >= 0) {
            shape[infer] = known == 0 ? 0 : HostTensor.elementCount(input) / known;
        }
        reshapeTo(context, shape);
    }

    /** Output 0 is input 0 with another shape, folded on the JVM for host tensors. */
    private static void reshapeTo(KernelContext context, long[] shape) {
        if (HostTensor.elementCount(shape) != HostTensor.elementCount(context.shape(0))) {
            throw new IllegalArgumentException(context.describe() + " cannot reshape "
                    + Arrays.toString(context.shape(0)) + " to " + Arrays.toString(shape));
        }
        if (context.isHost(0)) {
            context.output(0, HostOps.reshape(context.host(0), shape));
        } else {
            context.output(0, context.array(0).reshape(shape));
        }
    }

    private static long[] axesOf(KernelContext context, int inputIndex, int sinceInputOpset) {
        if (context.opset() >= sinceInputOpset) {
            return context.hasInput(inputIndex) ? context.longs(inputIndex) : null;
        }
        return context.intsAttribute("axes", null);
    }

    private static void unsqueeze(KernelContext context) {
        long[] input = context.shape(0);
        long[] axes = axesOf(context, 1, 13);
        int rank = input.length + axes.length;
        boolean[] inserted = new boolean[rank];
        for (int axis : Axes.normalize(axes, rank)) {
            inserted[axis] = true;
        }
        long[] shape = new long[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            shape[i] = inserted[i] ? 1 : input[j++];
        }
        reshapeTo(context, shape);
    }

    private static void squeeze(KernelContext context) {
        long[] input = context.shape(0);
        long[] axes = axesOf(context, 1, 13);
        boolean[] removed = new boolean[input.length];
        if (axes == null) {
            for (int i = 0; i < input.length; i++) {
                removed[i] = input[i] == 1;
            }
        } else {
            for (int axis : Axes.normalize(axes, input.length)) {
                if (input[axis] != 1) {
                    throw new IllegalArgumentException(context.describe() + " cannot squeeze axis " + axis
                            + " of size " + input[axis]);
                }
                removed[axis] = true;
            }
        }
        reshapeTo(context, java.util.stream.IntStream.range(0, input.length).filter(i -> !removed[i])
                .mapToLong(i -> input[i]).toArray());
    }

    private static void transpose(KernelContext context) {
        NDArray x = context.array(0);
        int rank = x.getShape().dimension();
        long[] perm = context.intsAttribute("perm", null);
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = perm == null ? rank - 1 - i : (int) perm[i];
        }
        context.output(0, x.transpose(axes));
    }

    private static void concat(KernelContext context) {
        int rank = context.shape(0).length;
        int axis = Axes.normalize(context.intAttribute("axis", 0), rank);
        if (context.allHost()) {
            HostTensor[] parts = new HostTensor[context.inputCount()];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = context.host(i);
            }
            context.output(0, HostOps.concat(parts, axis));
            return;
        }
        NDList parts = new NDList();
        for (int i = 0; i < context.inputCount(); i++) {
            parts.add(context.array(i));
        }
        context.output(0, NDArrays.concat(parts, axis));
    }

    private static void split(KernelContext context) {
        NDArray x = context.array(0);
        long[] shape = x.getShape().getShape();
        int axis = Axes.normalize(context.intAttribute("axis", 0), shape.length);
        long[] sizes = context.opset() >= 13 ? (context.hasInput(1) ? context.longs(1) : null)
                : context.intsAttribute("split", null);
        int parts = context.outputCount();
        if (sizes == null) {
            long dim = shape[axis];
            long chunk = context.opset() >= 18 && context.hasAttribute("num_outputs")
                    ? Math.ceilDiv(dim, parts) : dim / parts;
            sizes = new long[parts];
            for (int i = 0; i < parts; i++) {
                sizes[i] = Math.min(chunk, dim - i * chunk);
            }
        }
        long[] boundaries = new long[sizes.length - 1];
        long position = 0;
        for (int i = 0; i < boundaries.length; i++) {
            position += sizes[i];
            boundaries[i] = position;
        }
        NDList pieces = boundaries.length == 0 ? new NDList(x.duplicate()) : x.split(boundaries, axis);
        for (int i = 0; i < parts; i++) {
            context.output(i, pieces.get(i));
        }
    }

    private static void gather(KernelContext context) {
        long[] shape = context.shape(0);
        int axis = Axes.normalize(context.intAttribute("axis", 0), shape.length);
        if (context.allHost()) {
            context.output(0, HostOps.gather(context.host(0), context.host(1), axis));
            return;
        }
        NDArray data = context.array(0);
        NDArray indices;
        long dim = shape[axis];
        if (context.isHost(1)) {
            HostTensor host = context.host(1);
            long[] values = host.values().clone();
            for (int i = 0; i < values.length; i++) {
                values[i] = values[i] < 0 ? values[i] + dim : values[i];
            }
            // autograd keeps the indices for the backward pass, after the batch scope closed
            indices = NDArrayTensors.pytorchOwned(context.manager(), LongBuffer.wrap(values), new Shape(host.shape()),
                    ai.djl.ndarray.types.DataType.INT64);
        } else {
            NDArray raw = context.array(1).toType(ai.djl.ndarray.types.DataType.INT64, false);
            indices = ElementwiseKernels.where(raw.lt(0), raw.add(dim), raw);
        }
        context.output(0, data.get(new NDIndex(":,".repeat(axis) + "{}", indices)));
    }

    private static void slice(KernelContext context) {
        long[] shape = context.shape(0);
        int rank = shape.length;
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps;
        if (context.opset() < 10) {
            starts = context.intsAttribute("starts", new long[0]);
            ends = context.intsAttribute("ends", new long[0]);
            axes = context.intsAttribute("axes", null);
            steps = null;
        } else {
            starts = context.longs(1);
            ends = context.longs(2);
            axes = context.hasInput(3) ? context.longs(3) : null;
            steps = context.hasInput(4) ? context.longs(4) : null;
        }
        long[] first = new long[rank];
        long[] count = shape.clone();
        long[] stride = new long[rank];
        Arrays.fill(stride, 1);
        for (int i = 0; i < starts.length; i++) {
            int axis = Axes.normalize(axes == null ? i : axes[i], rank);
            long dim = shape[axis];
            long step = steps == null ? 1 : steps[i];
            if (step == 0) {
                throw new IllegalArgumentException(context.describe() + " has a zero step");
            }
            long start = starts[i] < 0 ? starts[i] + dim : starts[i];
            long end = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (step > 0) {
                start = Math.clamp(start, 0, dim);
                end = Math.clamp(end, 0, dim);
                count[axis] = Math.max(0, Math.ceilDiv(end - start, step));
            } else {
                start = Math.clamp(start, 0, dim - 1);
                end = Math.clamp(end, -1, dim - 1);
                count[axis] = Math.max(0, Math.ceilDiv(start - end, -step));
            }
            first[axis] = start;
            stride[axis] = step;
        }
        if (context.isHost(0)) {
            context.output(0, HostOps.slice(context.host(0), first, count, stride));
            return;
        }
        NDArray x = context.array(0);
        NDIndex index = new NDIndex();
        int[] flipped = java.util.stream.IntStream.range(0, rank).filter(a -> stride[a] < 0).toArray();
        if (flipped.length > 0) {
            // PyTorch has no negative strides: walk the flipped axis forwards instead
            x = x.flip(flipped);
            for (int axis : flipped) {
                first[axis] = shape[axis] - 1 - first[axis];
                stride[axis] = -stride[axis];
            }
        }
        for (int axis = 0; axis < rank; axis++) {
            long end = count[axis] == 0 ? first[axis] : first[axis] + (count[axis] - 1) * stride[axis] + 1;
            index.addSliceDim(first[axis], end, stride[axis]);
        }
        context.output(0, x.get(index));
    }

    private static void expand(KernelContext context) {
        long[] shape = HostOps.broadcastShape(context.shape(0), context.longs(1));
        if (context.isHost(0) && HostTensor.elementCount(shape) <= HostTensor.MAX_ELEMENTS) {
            context.output(0, HostOps.expand(context.host(0), shape));
        } else {
            context.output(0, context.array(0).broadcast(shape));
        }
    }

    /** Pads (begin..., end...) from the attribute (before opset 11) or the input, optionally for given axes (18). */
    private static void pad(KernelContext context) {
        NDArray x = context.array(0);
        int rank = x.getShape().dimension();
        String mode = context.stringAttribute("mode", "constant");
        long[] given;
        double value;
        long[] axes = null;
        if (context.opset() < 11) {
            given = context.intsAttribute("pads", new long[2 * rank]);
            value = context.floatAttribute("value", 0f);
        } else {
            given = context.longs(1);
            value = context.hasInput(2) ? context.scalar(2) : 0;
            axes = context.hasInput(3) ? context.longs(3) : null;
        }
        long[] pads = new long[2 * rank];
        int count = given.length / 2;
        for (int i = 0; i < count; i++) {
            int axis = axes == null ? i : Axes.normalize(axes[i], rank);
            pads[axis] = given[i];
            pads[axis + rank] = given[i + count];
        }
        NDArray result = x;
        for (int axis = 0; axis < rank; axis++) {
            result = padAxis(context, result, axis, pads[axis], pads[axis + rank], mode, value);
        }
        context.output(0, result == x ? x.duplicate() : result);
    }

    /** One axis: negative pads crop; positive ones add constant, edge-repeated or mirrored slices. */
    private static NDArray padAxis(KernelContext context, NDArray x, int axis, long begin, long end, String mode,
            double value) {
        long dim = x.getShape().get(axis);
        if (begin < 0 || end < 0) {
            x = x.get(sliceOn(x, axis, Math.max(0, -begin), dim - Math.max(0, -end)));
            dim = x.getShape().get(axis);
        }
        long before = Math.max(0, begin);
        long after = Math.max(0, end);
        if (before == 0 && after == 0) {
            return x;
        }
        NDList parts = new NDList();
        parts.add(padding(context, x, axis, before, mode, value, true));
        parts.add(x);
        parts.add(padding(context, x, axis, after, mode, value, false));
        return NDArrays.concat(parts, axis);
    }

    private static NDArray padding(KernelContext context, NDArray x, int axis, long size, String mode, double value,
            boolean leading) {
        long dim = x.getShape().get(axis);
        long[] shape = x.getShape().getShape().clone();
        shape[axis] = size;
        return switch (mode) {
            case "constant" -> context.manager().full(new Shape(shape), (float) value).toType(x.getDataType(), false);
            case "edge" -> x.get(sliceOn(x, axis, leading ? 0 : dim - 1, leading ? 1 : dim)).broadcast(shape);
            case "reflect" -> {
                if (size >= dim) {
                    throw new IllegalArgumentException("reflect padding of " + size + " needs an axis longer than "
                            + dim);
                }
                // the mirror excludes the edge element: [3 2 | 1 2 3 4 | 3 2]
                yield (leading ? x.get(sliceOn(x, axis, 1, size + 1)) : x.get(sliceOn(x, axis, dim - 1 - size,
                        dim - 1))).flip(axis);
            }
            default -> throw new IllegalArgumentException("Pad mode " + mode);
        };
    }

    /** An index selecting {@code [from, to)} on one axis and everything on the others. */
    private static NDIndex sliceOn(NDArray x, int axis, long from, long to) {
        NDIndex index = new NDIndex();
        for (int i = 0; i < x.getShape().dimension(); i++) {
            if (i == axis) {
                index.addSliceDim(from, to);
            } else {
                index.addAllDim();
            }
        }
        return index;
    }

    private static Optional<String> checkPad(NodeProto node, long opset) {
        String mode = Attributes.getString(node, "mode", "constant");
        return switch (mode) {
            case "constant", "edge", "reflect" -> Optional.empty();
            default -> Optional.of("mode=" + mode);
        };
    }

    /** DCR: (N, b, b, C', H, W) → (N, C', H, b, W, b); CRD: (N, C', b, b, H, W) → (N, C', H, b, W, b). */
    private static void depthToSpace(KernelContext context) {
        NDArray x = context.array(0);
        long[] s = x.getShape().getShape();
        long b = context.intAttribute("blocksize", 0);
        long c = s[1] / (b * b);
        boolean crd = context.stringAttribute("mode", "DCR").equals("CRD");
        NDArray blocks = crd ? x.reshape(s[0], c, b, b, s[2], s[3]).transpose(0, 1, 4, 2, 5, 3)
                : x.reshape(s[0], b, b, c, s[2], s[3]).transpose(0, 3, 4, 1, 5, 2);
        context.output(0, blocks.reshape(s[0], c, s[2] * b, s[3] * b));
    }

    private static void spaceToDepth(KernelContext context) {
        NDArray x = context.array(0);
        long[] s = x.getShape().getShape();
        long b = context.intAttribute("blocksize", 0);
        NDArray blocks = x.reshape(s[0], s[1], s[2] / b, b, s[3] / b, b).transpose(0, 3, 5, 1, 2, 4);
        context.output(0, blocks.reshape(s[0], s[1] * b * b, s[2] / b, s[3] / b));
    }

    /** Keeps the upper (or lower) triangle of the last two axes from diagonal {@code k} (input 1, default 0). */
    private static void trilu(KernelContext context) {
        NDArray x = context.array(0);
        long[] shape = x.getShape().getShape();
        long k = context.hasInput(1) ? context.longs(1)[0] : 0;
        int rank = shape.length;
        NDArray rows = context.manager().arange(0, (int) shape[rank - 2], 1, ai.djl.ndarray.types.DataType.INT64)
                .reshape(shape[rank - 2], 1);
        NDArray columns = context.manager().arange(0, (int) shape[rank - 1], 1,
                ai.djl.ndarray.types.DataType.INT64);
        NDArray diagonal = columns.sub(rows);
        NDArray keep = context.intAttribute("upper", 1) == 1 ? diagonal.gte(k) : diagonal.lte(k);
        context.output(0, ElementwiseKernels.where(keep, x, x.zerosLike()));
    }

    /** {@code values[1]} where the class equals the index (negative indices count from depth), else {@code values[0]}. */
    private static void oneHot(KernelContext context) {
        NDArray indices = context.array(0).toType(ai.djl.ndarray.types.DataType.INT64, false);
        long depth = (long) context.scalar(1);
        NDArray values = context.array(2);
        int rank = indices.getShape().dimension() + 1;
        int axis = Axes.normalize(context.intAttribute("axis", -1), rank);
        indices = ElementwiseKernels.where(indices.lt(0), indices.add(depth), indices);
        long[] classShape = new long[rank];
        java.util.Arrays.fill(classShape, 1);
        classShape[axis] = depth;
        NDArray classes = context.manager().arange(0, (int) depth, 1, ai.djl.ndarray.types.DataType.INT64)
                .reshape(classShape);
        NDArray hot = indices.expandDims(axis).eq(classes);
        context.output(0, ElementwiseKernels.where(hot, values.get(1), values.get(0)));
    }

    /**
     * GatherND as one row gather: the last index axis addresses {@code k} leading data axes (after the batch
     * axes), so the data is viewed as (batch x rows, rest) and each index tuple becomes one row number.
     */
    private static void gatherNd(KernelContext context) {
        NDArray data = context.array(0);
        long[] dataShape = data.getShape().getShape();
        long[] indexShape = context.shape(1);
        int batchDims = (int) context.intAttribute("batch_dims", 0);
        int k = (int) indexShape[indexShape.length - 1];
        long batch = Axes.product(dataShape, 0, batchDims);
        long rowsPerBatch = Axes.product(dataShape, batchDims, batchDims + k);
        long rowSize = Axes.product(dataShape, batchDims + k, dataShape.length);
        long[] tuples = context.longs(1);
        int count = tuples.length / Math.max(k, 1);
        long perBatch = count / Math.max(batch, 1);
        long[] rows = new long[count];
        for (int i = 0; i < count; i++) {
            long row = 0;
            for (int j = 0; j < k; j++) {
                long dim = dataShape[batchDims + j];
                long index = tuples[i * k + j];
                row = row * dim + (index < 0 ? index + dim : index);
            }
            rows[i] = (i / perBatch) * rowsPerBatch + row;
        }
        NDArray table = data.reshape(batch * rowsPerBatch, rowSize);
        NDArray picked = table.get(new NDIndex("{}", NDArrayTensors.pytorchOwned(context.manager(),
                LongBuffer.wrap(rows), new Shape(count), ai.djl.ndarray.types.DataType.INT64)));
        long[] outShape = new long[indexShape.length - 1 + dataShape.length - batchDims - k];
        System.arraycopy(indexShape, 0, outShape, 0, indexShape.length - 1);
        System.arraycopy(dataShape, batchDims + k, outShape, indexShape.length - 1, dataShape.length - batchDims - k);
        context.output(0, picked.reshape(outShape));
    }
}
