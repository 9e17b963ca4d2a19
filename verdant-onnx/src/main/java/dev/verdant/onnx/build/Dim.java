package dev.verdant.onnx.build;

import java.util.Objects;

/**
 * One dimension of a declared graph input or output: a fixed size, or a symbolic name such as {@code N} for a
 * batch dimension the caller chooses at run time.
 */
public sealed interface Dim {

    /** A dimension of known size. */
    record Fixed(long size) implements Dim {
        public Fixed {
            if (size < 0) {
                throw new IllegalArgumentException("a dimension cannot be negative: " + size);
            }
        }
    }

    /** A dimension named in the file ({@code dim_param}) and bound when the model runs. */
    record Symbolic(String name) implements Dim {
        public Symbolic {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a symbolic dimension needs a name");
            }
        }
    }

    static Dim of(long size) {
        return new Fixed(size);
    }

    static Dim named(String name) {
        return new Symbolic(name);
    }
}
