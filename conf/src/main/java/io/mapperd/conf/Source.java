package io.mapperd.conf;

/** The level a setting came from, lowest precedence first. */
public enum Source {
    BUILTIN_DEFAULT("built-in default"),
    DEFAULTS("defaults section"),
    HWTABLE("built-in hardware table"),
    DEVICES("devices section"),
    OVERRIDES("overrides section"),
    OVERRIDES_PROTOCOL("overrides protocol section"),
    MULTIPATHS("multipaths section"),
    BLACKLIST("blacklist section"),
    BLACKLIST_EXCEPTIONS("blacklist_exceptions section"),
    TRANSPORTS("mapperd_transports section");

    private final String label;

    Source(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
