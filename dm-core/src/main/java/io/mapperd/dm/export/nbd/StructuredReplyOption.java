package io.mapperd.dm.export.nbd;

/** NBD_OPT_STRUCTURED_REPLY: the client can take structured reply chunks. */
public record StructuredReplyOption() {
}
