package io.mapperd.transport.nvmetcp;

/** One LBA format of a namespace: metadata bytes, log2 of the data size, relative performance. */
public record LbaFormat(int metadataSize, int lbaDataShift, int relativePerformance) {
    public int blockSize() {
        return 1 << lbaDataShift;
    }
}
