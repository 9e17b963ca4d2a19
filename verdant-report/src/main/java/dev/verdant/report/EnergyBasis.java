package dev.verdant.report;

import java.util.List;

/**
 * How the energy and emission figures of a run were obtained; every result and report states it with this one record.
 *
 * @param method                   {@code measured} (a hardware counter) or {@code estimated}
 * @param scope                    what the energy figures cover
 * @param pue                      the facility overhead applied to emissions
 * @param gridGramsPerKilowattHour the carbon intensity applied
 * @param grid                     where that intensity comes from
 * @param assumptions              every assumption behind the figures
 */
public record EnergyBasis(String method, String scope, double pue, double gridGramsPerKilowattHour, String grid,
                          List<String> assumptions) {
    public EnergyBasis {
        assumptions = assumptions == null ? List.of() : List.copyOf(assumptions);
    }
}
