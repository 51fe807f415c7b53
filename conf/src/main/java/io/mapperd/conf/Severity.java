package io.mapperd.conf;

/** How bad a configuration problem is, in multipath-tools' terms. */
public enum Severity {
    /** Informational: a deprecated keyword that still works. */
    NOTICE,
    /** The offending line or value is ignored and the rest of the file still applies. */
    WARNING,
    /** The whole configuration is refused. */
    ERROR
}
