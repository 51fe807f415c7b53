package io.mapperd.dm.export.nbd;

/** NBD_OPT_EXPORT_NAME: enter transmission on the named export (no error reply is possible). */
public record ExportNameOption(String name) {
}
