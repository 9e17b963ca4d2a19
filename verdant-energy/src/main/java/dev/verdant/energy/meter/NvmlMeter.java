package dev.verdant.energy.meter;

import dev.verdant.energy.Component;
import dev.verdant.energy.Energy;
import dev.verdant.energy.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * NVIDIA GPU energy through NVML, for the GPUs this process may use ({@code CUDA_VISIBLE_DEVICES}), not every
 * GPU of the node. Reads the total-energy counter (millijoules, Volta and newer); on older GPUs integrates the
 * sampled power draw with the trapezoid rule, so a GPU is never reported at 0 J.
 */
public final class NvmlMeter implements Meter {

    private final NvmlBinding nvml;
    private final LongSupplier nanoClock;
    private final List<Device> devices;
    private final Description description;
    private boolean closed;

    /** One visible GPU and its integration state. */
    private static final class Device {
        final int index;
        final String name;
        final boolean hasEnergyCounter;
        long baselineMillijoules;
        double integratedJoules;
        double lastWatts;
        long lastNanos;
        double totalJoules;

        Device(int index, String name, boolean hasEnergyCounter) {
            this.index = index;
            this.name = name;
            this.hasEnergyCounter = hasEnergyCounter;
        }
    }

    private NvmlMeter(NvmlBinding nvml, List<Device> devices, List<String> assumptions, LongSupplier nanoClock) {
        this.nvml = nvml;
        this.devices = devices;
        // NVML's energy counter counts millijoules; without it, power is sampled at the tracker's interval
        this.description = new Description("nvml", Method.MEASURED, Set.of(Component.GPU),
                "1 mJ of the NVML energy counter, or one power sample on GPUs without it", assumptions);
        this.nanoClock = nanoClock;
    }

    /**
     * Opens the GPUs that {@code cudaVisibleDevices} allows (null: all of them).
     *
     * @throws MeterUnavailableException when no GPU is visible or none can be read; the binding is closed then
     */
    public static NvmlMeter open(NvmlBinding nvml, String cudaVisibleDevices, LongSupplier nanoClock)
            throws MeterUnavailableException {
        try {
            int count = nvml.deviceCount();
            List<String> uuids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                uuids.add(nvml.uuid(i));
            }
            List<Integer> visible = VisibleDevices.select(cudaVisibleDevices, uuids);
            if (visible.isEmpty()) {
                throw new MeterUnavailableException(count == 0 ? "NVML reports no GPU"
                        : "CUDA_VISIBLE_DEVICES='" + cudaVisibleDevices + "' leaves none of the " + count + " GPUs visible");
            }
            List<Device> devices = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            long now = nanoClock.getAsLong();
            for (int index : visible) {
                String name = nvml.name(index);
                Device device;
                try {
                    long baseline = nvml.totalEnergyMillijoules(index);
                    device = new Device(index, name, true);
                    device.baselineMillijoules = baseline;
                    notes.add("GPU " + index + " (" + name + "): NVML total-energy counter");
                } catch (NvmlException e) {
                    if (!e.notSupported()) {
                        throw e;
                    }
                    device = new Device(index, name, false);
                    device.lastWatts = nvml.powerMilliwatts(index) / 1_000.0;
                    device.lastNanos = now;
                    notes.add("GPU " + index + " (" + name + "): no energy counter (pre-Volta); power draw sampled "
                            + "and integrated with the trapezoid rule, so short peaks between samples are missed");
                }
                devices.add(device);
            }
            if (cudaVisibleDevices != null) {
                notes.add("CUDA_VISIBLE_DEVICES='" + cudaVisibleDevices + "': counting " + visible.size() + " of "
                        + count + " GPUs");
            }
            notes.add("NVML reports whole-board energy: other processes on the same GPUs are included");
            return new NvmlMeter(nvml, devices, notes, nanoClock);
        } catch (NvmlException e) {
            nvml.close();
            throw new MeterUnavailableException("cannot read the GPUs through NVML: " + e.getMessage(), e);
        } catch (MeterUnavailableException | RuntimeException e) {
            nvml.close();
            throw e;
        }
    }

    @Override
    public Description description() {
        return description;
    }

    /** The visible GPUs' names, in order. */
    public List<String> deviceNames() {
        return devices.stream().map(d -> d.name).toList();
    }

    @Override
    public synchronized Map<Component, Energy> read() {
        double total = 0;
        long now = nanoClock.getAsLong();
        for (Device device : devices) {
            if (!closed) {
                try {
                    if (device.hasEnergyCounter) {
                        long counter = nvml.totalEnergyMillijoules(device.index);
                        device.totalJoules = Math.max(device.totalJoules,
                                (counter - device.baselineMillijoules) / 1_000.0);
                    } else {
                        double watts = nvml.powerMilliwatts(device.index) / 1_000.0;
                        double seconds = (now - device.lastNanos) / 1e9;
                        if (seconds > 0) {
                            device.integratedJoules += (device.lastWatts + watts) / 2 * seconds;
                            device.lastWatts = watts;
                            device.lastNanos = now;
                        }
                        device.totalJoules = device.integratedJoules;
                    }
                } catch (NvmlException e) {
                    // a failed read keeps the last total; the next sample catches up for counters
                }
            }
            total += device.totalJoules;
        }
        return Map.of(Component.GPU, Energy.ofJoules(total));
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            nvml.close();
        }
    }
}
