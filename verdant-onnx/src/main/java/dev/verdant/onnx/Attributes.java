package dev.verdant.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.Optional;
import java.util.stream.LongStream;

/** Typed access to a node's attributes, with the defaults the ONNX operator specs give. */
public final class Attributes {

    private Attributes() {
    }

    public static Optional<AttributeProto> find(NodeProto node, String name) {
        for (AttributeProto attribute : node.getAttributeList()) {
            if (attribute.getName().equals(name)) {
                return Optional.of(attribute);
            }
        }
        return Optional.empty();
    }

    public static boolean has(NodeProto node, String name) {
        return find(node, name).isPresent();
    }

    public static long getInt(NodeProto node, String name, long defaultValue) {
        return find(node, name).map(AttributeProto::getI).orElse(defaultValue);
    }

    public static float getFloat(NodeProto node, String name, float defaultValue) {
        return find(node, name).map(AttributeProto::getF).orElse(defaultValue);
    }

    public static String getString(NodeProto node, String name, String defaultValue) {
        return find(node, name).map(a -> a.getS().toStringUtf8()).orElse(defaultValue);
    }

    /** An ints attribute, or {@code defaultValue} (which may be null) when absent. */
    public static long[] getInts(NodeProto node, String name, long[] defaultValue) {
        return find(node, name).map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray())
                .orElse(defaultValue);
    }

    public static float[] getFloats(NodeProto node, String name, float[] defaultValue) {
        return find(node, name).map(a -> {
            float[] values = new float[a.getFloatsCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = a.getFloats(i);
            }
            return values;
        }).orElse(defaultValue);
    }

    public static Optional<TensorProto> getTensor(NodeProto node, String name) {
        return find(node, name).filter(AttributeProto::hasT).map(AttributeProto::getT);
    }

    /** Attribute builders, for passes that write nodes. */
    public static AttributeProto ofInt(String name, long value) {
        return named(name, AttributeType.INT).setI(value).build();
    }

    public static AttributeProto ofFloat(String name, float value) {
        return named(name, AttributeType.FLOAT).setF(value).build();
    }

    public static AttributeProto ofString(String name, String value) {
        return named(name, AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    public static AttributeProto ofInts(String name, long... values) {
        return named(name, AttributeType.INTS).addAllInts(LongStream.of(values).boxed().toList()).build();
    }

    public static AttributeProto ofFloats(String name, float... values) {
        AttributeProto.Builder builder = named(name, AttributeType.FLOATS);
        for (float value : values) {
            builder.addFloats(value);
        }
        return builder.build();
    }

    public static AttributeProto ofTensor(String name, TensorProto value) {
        return named(name, AttributeType.TENSOR).setT(value).build();
    }

    /** An attribute of that name and type, its value still to set. */
    private static AttributeProto.Builder named(String name, AttributeType type) {
        return AttributeProto.newBuilder().setName(name).setType(type);
    }
}
