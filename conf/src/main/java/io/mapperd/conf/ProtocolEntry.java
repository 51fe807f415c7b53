package io.mapperd.conf;

/** A protocol subsection of overrides: timeouts for paths of one transport protocol. */
public record ProtocolEntry(Settings settings, Origin origin) {

    /** The protocol name, e.g. "scsi:iscsi" or "nvme:tcp"; null if the entry has no type. */
    public String type() {
        return settings.string("type");
    }

    public ProtocolEntry withSettings(Settings s) {
        return new ProtocolEntry(s, origin);
    }
}
