package io.mapperd.conf.parse;

import java.util.Map;
import java.util.Set;

/** A nesting level of multipath.conf and the section words that open sub-levels from it. */
enum Level {
    ROOT, DEFAULTS, BLACKLIST, EXCEPTIONS, BLACKLIST_DEVICE, EXCEPTIONS_DEVICE, DEVICES, DEVICE, OVERRIDES,
    PROTOCOL, MULTIPATHS, MULTIPATH, TRANSPORTS, ISCSI_PORTAL, NVME_DISCOVERY;

    private static final Map<Level, Map<String, Level>> SUBLEVELS = Map.of(
            ROOT, Map.of("defaults", DEFAULTS, "blacklist", BLACKLIST, "blacklist_exceptions", EXCEPTIONS,
                    "devices", DEVICES, "overrides", OVERRIDES, "multipaths", MULTIPATHS,
                    "mapperd_transports", TRANSPORTS),
            BLACKLIST, Map.of("device", BLACKLIST_DEVICE),
            EXCEPTIONS, Map.of("device", EXCEPTIONS_DEVICE),
            DEVICES, Map.of("device", DEVICE),
            OVERRIDES, Map.of("protocol", PROTOCOL),
            MULTIPATHS, Map.of("multipath", MULTIPATH),
            TRANSPORTS, Map.of("iscsi_portal", ISCSI_PORTAL, "nvme_discovery", NVME_DISCOVERY));

    /** Words multipath-tools expects to be followed by "{" (it checks only these). */
    static final Set<String> BRACED = Set.of("defaults", "blacklist", "blacklist_exceptions", "devices", "device",
            "multipaths", "multipath", "mapperd_transports", "iscsi_portal", "nvme_discovery");

    /** The level {@code word} opens from here, or null. */
    Level sublevel(String word) {
        return SUBLEVELS.getOrDefault(this, Map.of()).get(word);
    }

    /** Keywords that may repeat in this level without a duplicate warning. */
    boolean repeatable(String word) {
        return switch (this) {
            case BLACKLIST, EXCEPTIONS -> Set.of("devnode", "wwid", "property", "protocol", "device").contains(word);
            case DEVICES -> word.equals("device");
            case MULTIPATHS -> word.equals("multipath");
            case OVERRIDES -> word.equals("protocol");
            case TRANSPORTS -> true;
            default -> false;
        };
    }
}
