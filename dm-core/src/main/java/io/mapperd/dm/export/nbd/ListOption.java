package io.mapperd.dm.export.nbd;

/** NBD_OPT_LIST: the client asks for the export names. */
public record ListOption() {
}
