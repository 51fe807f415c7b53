package io.mapperd.conf;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** An immutable, ordered set of settings of one section, keyed by canonical keyword name. */
public final class Settings {
    private final Section section;
    private final Map<String, Setting> map;

    public Settings(Section section, Map<String, Setting> map) {
        this.section = section;
        this.map = Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    public static Settings empty(Section section) {
        return new Settings(section, Map.of());
    }

    public Section section() {
        return section;
    }

    public Optional<Setting> get(String keyword) {
        return Optional.ofNullable(map.get(keyword));
    }

    /** The typed value of {@code keyword}, or null when it is not set. */
    public Object value(String keyword) {
        Setting s = map.get(keyword);
        return s == null ? null : s.value();
    }

    /** The value as a string, or null when it is not set. */
    public String string(String keyword) {
        Object v = value(keyword);
        return v == null ? null : v.toString();
    }

    public boolean has(String keyword) {
        return map.containsKey(keyword);
    }

    /** True when {@code keyword} holds a value multipath-tools counts as set. */
    public boolean isSet(String keyword) {
        Setting s = map.get(keyword);
        return s != null && !s.isUnset();
    }

    public Collection<Setting> all() {
        return map.values();
    }

    public boolean isEmpty() {
        return map.isEmpty();
    }

    public int size() {
        return map.size();
    }

    /** These settings with {@code s} added or replaced. */
    public Settings with(Setting s) {
        Map<String, Setting> m = new LinkedHashMap<>(map);
        m.put(s.name(), s);
        return new Settings(section, m);
    }

    public Settings without(String keyword) {
        Map<String, Setting> m = new LinkedHashMap<>(map);
        m.remove(keyword);
        return new Settings(section, m);
    }

    /** These settings, with every setting of {@code lower} that is not set here added. */
    public Settings fillFrom(Settings lower) {
        Map<String, Setting> m = new LinkedHashMap<>(map);
        for (Setting s : lower.all()) {
            Setting mine = m.get(s.name());
            if ((mine == null || mine.isUnset()) && !s.isUnset()) {
                m.put(s.name(), s);
            }
        }
        return new Settings(section, m);
    }

    /** These settings overlaid by {@code higher}: a set value there replaces the one here. */
    public Settings overlay(Settings higher) {
        Map<String, Setting> m = new LinkedHashMap<>(map);
        for (Setting s : higher.all()) {
            if (!s.isUnset()) {
                m.put(s.name(), s);
            }
        }
        return new Settings(section, m);
    }

    /** The same values with no origin, to compare content. */
    public Settings stripOrigins() {
        Map<String, Setting> m = new LinkedHashMap<>();
        map.forEach((k, s) -> m.put(k, s.withOrigin(Origin.NONE)));
        return new Settings(section, m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings other && other.section == section && other.map.equals(map);
    }

    @Override
    public int hashCode() {
        return section.hashCode() * 31 + map.hashCode();
    }

    @Override
    public String toString() {
        return section.word() + map.values();
    }
}
