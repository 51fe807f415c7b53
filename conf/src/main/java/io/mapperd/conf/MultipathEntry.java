package io.mapperd.conf;

/** A multipath entry of the multipaths section: settings for the map with one WWID. */
public record MultipathEntry(Settings settings, Origin origin) {

    public String wwid() {
        return settings.string("wwid");
    }

    public String alias() {
        return settings.string("alias");
    }

    public MultipathEntry withSettings(Settings s) {
        return new MultipathEntry(s, origin);
    }
}
