package dev.verdant.data;

import org.junit.jupiter.api.Assumptions;

/**
 * The one way a test of any module says it needs a system data package: it skips, naming the package and how to
 * install it, when the package is missing or hidden by {@code VERDANT_SYSTEM_DATA=off}.
 */
public final class SystemDataAssumptions {

    private SystemDataAssumptions() {
    }

    /** Skips the calling test unless every one of {@code sets} is installed and visible. */
    public static void assumeInstalled(SystemData... sets) {
        for (SystemData set : sets) {
            // the reason names the package, and how to install it when it is missing rather than hidden
            Assumptions.assumeTrue(set.installed(), () -> "skipped: " + set.missingReason());
        }
    }
}
