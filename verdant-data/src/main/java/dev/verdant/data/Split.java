package dev.verdant.data;

/**
 * A dataset (or tokenized texts) cut in two disjoint parts: the one to train on and the held-out one (a validation or test set).
 *
 * @param train   the part to train on
 * @param heldOut the part kept out of training
 * @param <D>     the dataset type
 */
public record Split<D>(D train, D heldOut) {
}
