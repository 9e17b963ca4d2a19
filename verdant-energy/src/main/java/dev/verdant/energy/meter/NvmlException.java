package dev.verdant.energy.meter;

/** An NVML call that returned an error code. */
public final class NvmlException extends Exception {

    /** NVML_ERROR_NOT_SUPPORTED: the device lacks the counter (for example total energy before Volta). */
    public static final int NOT_SUPPORTED = 3;

    private final int code;

    public NvmlException(int code, String message) {
        super(message + " (NVML error " + code + ")");
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean notSupported() {
        return code == NOT_SUPPORTED;
    }
}
