package dev.verdant.data;

import java.util.Locale;

/** A predefined part of a dataset, as its publisher split it (MNIST's 60,000 training and 10,000 test images). */
public enum Part {
    /** The training part ({@code train-*} IDX files). */
    TRAIN,
    /** The test part ({@code t10k-*} IDX files). */
    TEST;

    /** The part named {@code text} ({@code train} or {@code test}, any case), or one line saying what is accepted. */
    public static Part parse(String text) {
        for (Part part : values()) {
            if (part.label().equalsIgnoreCase(text.strip())) {
                return part;
            }
        }
        throw new DataFormatException("unknown dataset part '" + text + "'; expected train or test");
    }

    /** The lower-case name used in dataset names and messages, for example {@code test}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
