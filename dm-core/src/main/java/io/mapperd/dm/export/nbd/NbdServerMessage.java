package io.mapperd.dm.export.nbd;

/** Everything the server sends; {@link NbdServerEncoder} writes each as the protocol lays it out. */
public sealed interface NbdServerMessage
        permits ServerGreeting, OptionReply, ExportNameReply, SimpleReply, OffsetDataChunk, ErrorChunk, BlockStatusChunk {
}
