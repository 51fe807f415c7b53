package io.mapperd.transport.iscsi;

/**
 * Operational parameters as negotiated (RFC 7143 section 13). {@code targetMaxRecvDataSegmentLength}
 * bounds our Data-Out and immediate data; {@code maxRecvDataSegmentLength} is what we declared.
 */
public record Negotiated(boolean headerDigest, boolean dataDigest, int maxRecvDataSegmentLength,
                         int targetMaxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength,
                         boolean initialR2T, boolean immediateData, int maxOutstandingR2T, int errorRecoveryLevel,
                         String targetAlias, int targetPortalGroupTag) {
}
