package dev.verdant.energy.jfr;

import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;

/**
 * The fields both of Verdant's JFR events carry: how the energy was obtained and the energy by component. JFR
 * records the non-private fields an event class inherits, so each event declares only what is its own.
 */
abstract class ComponentEnergyEvent extends Event {

    @Label("Method")
    @Description("measured (a hardware counter) or estimated (CPU time and published power figures)")
    String method;

    @Label("CPU Energy (J)")
    double cpuJoules;

    @Label("GPU Energy (J)")
    double gpuJoules;

    @Label("RAM Energy (J)")
    double ramJoules;

    @Label("IT Energy (J)")
    @Description("All components, before PUE (for a sample: so far)")
    double itJoules;
}
