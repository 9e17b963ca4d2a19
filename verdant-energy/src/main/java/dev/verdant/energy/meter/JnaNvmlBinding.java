package dev.verdant.energy.meter;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@link NvmlBinding} over {@code libnvidia-ml} through JNA; loaded only when a GPU meter is wanted. */
public final class JnaNvmlBinding implements NvmlBinding {

    /** The C functions used, with NVML's own names. */
    interface Nvml extends Library {
        int nvmlInit_v2();

        int nvmlShutdown();

        int nvmlDeviceGetCount_v2(IntByReference count);

        int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

        int nvmlDeviceGetName(Pointer device, byte[] name, int length);

        int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

        int nvmlDeviceGetTotalEnergyConsumption(Pointer device, LongByReference energy);

        int nvmlDeviceGetPowerUsage(Pointer device, IntByReference power);
    }

    private final Nvml nvml;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JnaNvmlBinding(Nvml nvml) {
        this.nvml = nvml;
    }

    /**
     * Loads and initialises NVML.
     *
     * @throws MeterUnavailableException when the driver library is missing or does not initialise
     */
    public static JnaNvmlBinding load() throws MeterUnavailableException {
        Nvml nvml;
        try {
            nvml = Native.load("nvidia-ml", Nvml.class);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new MeterUnavailableException("no NVIDIA driver library (libnvidia-ml.so) on this machine", e);
        }
        int code = nvml.nvmlInit_v2();
        if (code != 0) {
            throw new MeterUnavailableException("NVML did not initialise (error " + code
                    + "); is the NVIDIA driver loaded and /dev/nvidia* visible?");
        }
        return new JnaNvmlBinding(nvml);
    }

    private Pointer handle(int index) throws NvmlException {
        PointerByReference device = new PointerByReference();
        check(nvml.nvmlDeviceGetHandleByIndex_v2(index, device), "get GPU " + index);
        return device.getValue();
    }

    private static void check(int code, String what) throws NvmlException {
        if (code != 0) {
            throw new NvmlException(code, "cannot " + what);
        }
    }

    @Override
    public int deviceCount() throws NvmlException {
        IntByReference count = new IntByReference();
        check(nvml.nvmlDeviceGetCount_v2(count), "count GPUs");
        return count.getValue();
    }

    @Override
    public String name(int index) throws NvmlException {
        byte[] buffer = new byte[96];
        check(nvml.nvmlDeviceGetName(handle(index), buffer, buffer.length), "read the name of GPU " + index);
        return cString(buffer);
    }

    @Override
    public String uuid(int index) throws NvmlException {
        byte[] buffer = new byte[96];
        check(nvml.nvmlDeviceGetUUID(handle(index), buffer, buffer.length), "read the UUID of GPU " + index);
        return cString(buffer);
    }

    @Override
    public long totalEnergyMillijoules(int index) throws NvmlException {
        LongByReference energy = new LongByReference();
        check(nvml.nvmlDeviceGetTotalEnergyConsumption(handle(index), energy), "read the energy of GPU " + index);
        return energy.getValue();
    }

    @Override
    public long powerMilliwatts(int index) throws NvmlException {
        IntByReference power = new IntByReference();
        check(nvml.nvmlDeviceGetPowerUsage(handle(index), power), "read the power of GPU " + index);
        return Integer.toUnsignedLong(power.getValue());
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            nvml.nvmlShutdown();
        }
    }
}
