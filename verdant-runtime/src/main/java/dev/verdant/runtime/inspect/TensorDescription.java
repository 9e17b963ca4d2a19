package dev.verdant.runtime.inspect;

/**
 * A graph input or output as the report shows it.
 *
 * @param name     tensor name
 * @param type     element type, e.g. {@code float}, {@code int64}
 * @param declared the shape as declared, symbolic dims by name, e.g. {@code [batch_size, 128]}
 * @param shape    the concrete dims used for the counts, or null when unknown
 */
public record TensorDescription(String name, String type, String declared, long[] shape) {
}
