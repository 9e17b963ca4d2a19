package dev.verdant.energy.meter;

/**
 * The few NVML calls the GPU meter needs, behind an interface so the meter is tested against a fake and the JNA
 * binding stays a thin translation of {@code libnvidia-ml}.
 */
public interface NvmlBinding extends AutoCloseable {

    /** Every GPU NVML sees on the machine, before {@code CUDA_VISIBLE_DEVICES} narrows them. */
    int deviceCount() throws NvmlException;

    String name(int index) throws NvmlException;

    /** The device UUID, for example {@code GPU-5fa1...}, which {@code CUDA_VISIBLE_DEVICES} may name. */
    String uuid(int index) throws NvmlException;

    /** Energy since the driver loaded, in millijoules (Volta and newer); throws NOT_SUPPORTED on older GPUs. */
    long totalEnergyMillijoules(int index) throws NvmlException;

    /** The current board power draw in milliwatts. */
    long powerMilliwatts(int index) throws NvmlException;

    @Override
    void close();
}
