package io.mapperd.conf;

/** The sections of multipath.conf that hold keyword = value settings. */
public enum Section {
    DEFAULTS("defaults"),
    DEVICE("device"),
    OVERRIDES("overrides"),
    PROTOCOL("protocol"),
    MULTIPATH("multipath"),
    BLACKLIST_DEVICE("device"),
    ISCSI_PORTAL("iscsi_portal"),
    NVME_DISCOVERY("nvme_discovery");

    private final String word;

    Section(String word) {
        this.word = word;
    }

    /** The word that opens the section in multipath.conf. */
    public String word() {
        return word;
    }
}
