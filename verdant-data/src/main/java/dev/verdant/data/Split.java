package dev.verdant.data;

/**
 * Samples cut in two disjoint parts, a dataset or tokenized texts: the one to train on and the held-out one (a
 * validation or test set).
 *
 * @param train   the part to train on
 * @param heldOut the part kept out of training
 * @param <D>     what holds the samples
 */
public record Split<D>(D train, D heldOut) {
}
