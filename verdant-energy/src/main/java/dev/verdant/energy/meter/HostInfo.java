package dev.verdant.energy.meter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the estimate needs to know about the machine, read from {@code /proc/cpuinfo} and {@code /proc/meminfo}.
 *
 * @param cpuModel        the model name as the kernel reports it (a VM may report a bare family name)
 * @param cpuVendor       {@code GenuineIntel}, {@code AuthenticAMD}, or empty
 * @param cpuFamily       the x86 family number, -1 when absent (ARM)
 * @param logicalCpus     hardware threads the kernel lists
 * @param usableCpus      CPUs this JVM may use (cgroup quota and affinity applied)
 * @param memoryTotalBytes installed RAM the kernel sees
 */
public record HostInfo(String cpuModel, String cpuVendor, int cpuFamily, int logicalCpus, int usableCpus,
                       long memoryTotalBytes) {

    /** The machine this JVM runs on. */
    public static HostInfo current() {
        return read(Path.of("/proc"), SysFiles.REAL, Runtime.getRuntime().availableProcessors());
    }

    /** Reads {@code cpuinfo} and {@code meminfo} under {@code proc}. */
    public static HostInfo read(Path proc, SysFiles files, int usableCpus) {
        String model = "";
        String vendor = "";
        int family = -1;
        int logical = 0;
        try {
            for (String line : files.read(proc.resolve("cpuinfo")).split("\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).strip();
                switch (key) {
                    case "processor" -> logical++;
                    case "model name", "cpu model" -> model = model.isEmpty() ? value : model;
                    case "vendor_id" -> vendor = vendor.isEmpty() ? value : vendor;
                    case "cpu family" -> family = family < 0 ? parseInt(value) : family;
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            // not Linux, or /proc hidden: the estimate says the model is unknown
        }
        long memory = 0;
        try {
            for (String line : files.read(proc.resolve("meminfo")).split("\n")) {
                if (line.startsWith("MemTotal:")) {
                    memory = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            memory = Runtime.getRuntime().maxMemory();
        }
        return new HostInfo(model, vendor, family, Math.max(logical, usableCpus), usableCpus, memory);
    }

    private static int parseInt(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public double memoryTotalGigabytes() {
        return memoryTotalBytes / 1e9;
    }
}
