package io.mapperd.conf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What applies to one path or map: for every keyword, the winning setting and where it came from,
 * plus the hardware table and multipaths entries that matched.
 */
public record ResolvedSettings(Map<String, Setting> settings, List<DeviceEntry> matchedDevices,
                               MultipathEntry multipath) {

    public ResolvedSettings {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        matchedDevices = List.copyOf(matchedDevices);
    }

    public Optional<Setting> get(String keyword) {
        return Optional.ofNullable(settings.get(keyword));
    }

    /** The typed value of {@code keyword} (Long, Boolean or String), or null when nothing sets it. */
    public Object value(String keyword) {
        Setting s = settings.get(keyword);
        return s == null ? null : s.value();
    }

    public String string(String keyword) {
        Object v = value(keyword);
        return v == null ? null : v.toString();
    }

    /** Where the winning value of {@code keyword} came from, or null when nothing sets it. */
    public Origin origin(String keyword) {
        Setting s = settings.get(keyword);
        return s == null ? null : s.origin();
    }

    /** One line per keyword: "keyword value (origin)". */
    public List<String> explain() {
        List<String> out = new ArrayList<>();
        for (Setting s : settings.values()) {
            out.add(s.toString());
        }
        return out;
    }
}
