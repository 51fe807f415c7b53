package io.mapperd.conf;

/** What a blacklist or exception rule matches, with the words multipath-tools uses in its reports. */
public enum RuleKind {
    DEVNODE("devnode", "device node name"),
    WWID("wwid", "wwid"),
    PROPERTY("property", "udev property"),
    PROTOCOL("protocol", "protocol"),
    DEVICE("device", "vendor/product");

    private final String keyword;
    private final String description;

    RuleKind(String keyword, String description) {
        this.keyword = keyword;
        this.description = description;
    }

    public String keyword() {
        return keyword;
    }

    public String description() {
        return description;
    }
}
