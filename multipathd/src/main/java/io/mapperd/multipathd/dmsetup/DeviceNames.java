package io.mapperd.multipathd.dmsetup;

import io.mapperd.dm.core.DeviceRef;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.Table;
import io.mapperd.dm.io.DevT;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names of device numbers as libdm's dm_device_get_name reads them from sysfs: a mapped device's
 * own name (or, preferring the kernel's name, dm-N), the kernel's name of any other device (loop0,
 * sdb). A mapped device that never had a table has no block device yet, so no name.
 */
final class DeviceNames {
    /**
     * The name option of deps and ls ({@code -o devno|blkdevname|devname}, the last one counts; as
     * dmsetup compares only the word's length, a prefix picks the first name it begins): null for
     * device numbers, true for kernel names, false for mapped devices' own names.
     *
     * @throws IllegalArgumentException with dmsetup's message, which quotes the rest of the value
     */
    static Boolean preference(String options) {
        Boolean prefer = null;
        int at = 0;
        while (options != null && at < options.length()) {
            int end = options.indexOf(',', at);
            String w = options.substring(at, end < 0 ? options.length() : end);
            if ("devno".startsWith(w)) { // an empty word too, as dmsetup compares no character of it
                prefer = null;
            } else if (!w.isEmpty() && "blkdevname".startsWith(w)) {
                prefer = true;
            } else if (!w.isEmpty() && "devname".startsWith(w)) {
                prefer = false;
            } else {
                throw new IllegalArgumentException("Option not recognised: " + options.substring(at) + ".");
            }
            if (end < 0) {
                break;
            }
            at = end + 1;
        }
        return prefer;
    }

    private final Map<DevT, MappedDevice> mapped = new HashMap<>();
    private final Map<DevT, String> others = new HashMap<>();

    DeviceNames(List<MappedDevice> all) {
        for (MappedDevice md : all) {
            mapped.put(md.devT(), md);
            for (Table t : new Table[] {md.activeTable(), md.inactiveTable()}) {
                if (t != null) {
                    for (DeviceRef ref : t.devices()) {
                        if (!(ref.device() instanceof MappedDevice)) {
                            others.put(ref.devT(), ref.kernelName());
                        }
                    }
                }
            }
        }
    }

    Optional<String> name(DevT d, boolean preferKernelName) {
        MappedDevice md = d.major() == DevT.DM_MAJOR ? mapped.get(d) : null;
        if (md != null) {
            if (!md.diskAdded()) {
                return Optional.empty();
            }
            return Optional.of(preferKernelName ? "dm-" + d.minor() : md.dmName());
        }
        return Optional.ofNullable(others.get(d));
    }
}
