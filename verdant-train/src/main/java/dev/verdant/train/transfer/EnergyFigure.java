package dev.verdant.train.transfer;

import dev.verdant.energy.EnergyReport;

/**
 * The energy of one phase of a run, as the tracker reported it: facility energy (IT energy times PUE), how it was
 * obtained, the emissions on the applied grid, and the wall-clock time.
 *
 * @param joules     facility energy in joules
 * @param method     {@code measured} or {@code estimated}
 * @param co2eGrams  grams of CO2-equivalent
 * @param seconds    wall-clock duration
 */
public record EnergyFigure(double joules, String method, double co2eGrams, double seconds) {

    /** The figure of a finished run or task. */
    public static EnergyFigure of(EnergyReport report) {
        return new EnergyFigure(report.totalEnergy().joules(), report.method().label(), report.emissions().grams(),
                report.durationSeconds());
    }
}
