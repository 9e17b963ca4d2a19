package dev.verdant.energy.meter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Applies CUDA's rules for {@code CUDA_VISIBLE_DEVICES}: a comma-separated list of indices or UUID prefixes
 * ({@code GPU-...}); an empty value hides every GPU; the list stops at the first entry that names no device,
 * as the CUDA runtime does.
 */
final class VisibleDevices {

    private VisibleDevices() {
    }

    /** The NVML indices visible under {@code spec} (null: every device), in the order the spec names them. */
    static List<Integer> select(String spec, List<String> uuids) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < uuids.size(); i++) {
            all.add(i);
        }
        if (spec == null) {
            return all;
        }
        List<Integer> visible = new ArrayList<>();
        for (String raw : spec.split(",", -1)) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                break;
            }
            int index = indexOf(entry, uuids);
            if (index < 0 || visible.contains(index)) {
                break;
            }
            visible.add(index);
        }
        return visible;
    }

    private static int indexOf(String entry, List<String> uuids) {
        if (entry.chars().allMatch(Character::isDigit)) {
            return entry.length() <= 4 && Integer.parseInt(entry) < uuids.size() ? Integer.parseInt(entry) : -1;
        }
        String wanted = entry.toLowerCase(Locale.ROOT);
        if (!wanted.startsWith("gpu-") && !wanted.startsWith("mig-")) {
            wanted = "gpu-" + wanted;
        }
        int match = -1;
        for (int i = 0; i < uuids.size(); i++) {
            if (uuids.get(i).toLowerCase(Locale.ROOT).startsWith(wanted)) {
                if (match >= 0) {
                    return -1; // an ambiguous prefix names no device
                }
                match = i;
            }
        }
        return match;
    }
}
