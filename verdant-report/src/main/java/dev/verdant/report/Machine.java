package dev.verdant.report;

import com.fasterxml.jackson.annotation.JsonAlias;

/**
 * The machine a run measured on; every result and report names it with this one record.
 *
 * @param cpuModel    the CPU as the kernel names it ({@code cpu} in report files of schema 1)
 * @param logicalCpus logical CPUs usable by the JVM
 * @param memoryBytes installed RAM the kernel sees
 * @param os          operating system name, version and architecture
 * @param jvm         Java runtime vendor and version
 * @param onnxRuntime ONNX Runtime version
 */
public record Machine(@JsonAlias("cpu") String cpuModel, int logicalCpus, long memoryBytes, String os, String jvm,
                      String onnxRuntime) {

    /** This JVM's machine: {@code os} and {@code jvm} from the running JVM, the rest as measured by the caller. */
    public static Machine ofThisJvm(String cpuModel, int logicalCpus, long memoryBytes, String onnxRuntime) {
        return new Machine(cpuModel, logicalCpus, memoryBytes, System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"), onnxRuntime);
    }
}
