package dev.verdant.energy;

/**
 * A value computed under a tracker together with the energy report of computing it.
 *
 * @param value  what the task returned
 * @param report what it used
 * @param <T>    the value's type
 */
public record Measured<T>(T value, EnergyReport report) {
}
