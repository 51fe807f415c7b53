package io.mapperd.transport.iscsi.scsi;

import java.nio.ByteBuffer;

/** VPD page 0xB2, Logical Block Provisioning (SBC-3 6.6.5). */
public record LogicalBlockProvisioning(int thresholdExponent, boolean lbpu, boolean lbpws, boolean lbpws10,
                                       boolean lbprz, int provisioningType) {
    public static final int PAGE = 0xb2;

    public static LogicalBlockProvisioning decode(ByteBuffer b) {
        int len = Vpd.checkHeader(b, PAGE);
        if (len < 3) {
            throw new IllegalArgumentException("VPD page 0xb2 of " + len + " bytes, need 3");
        }
        int p = b.position();
        int f = b.get(p + 5) & 0xff;
        return new LogicalBlockProvisioning(b.get(p + 4) & 0xff, (f & 0x80) != 0, (f & 0x40) != 0, (f & 0x20) != 0,
                (f & 0x04) != 0, b.get(p + 6) & 0x07);
    }
}
