package io.mapperd.transport.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** VPD page 0x83, Device Identification: every designator, in page order. */
public record DeviceIdentification(List<Designator> designators) {
    public static final int PAGE = 0x83;

    public static DeviceIdentification decode(ByteBuffer b) {
        int len = Vpd.checkHeader(b, PAGE);
        int p = b.position() + 4;
        int end = p + len;
        List<Designator> out = new ArrayList<>();
        while (p + 4 <= end) {
            int b0 = b.get(p) & 0xff;
            int b1 = b.get(p + 1) & 0xff;
            int dlen = b.get(p + 3) & 0xff;
            if (p + 4 + dlen > end) {
                throw new IllegalArgumentException("VPD 0x83 designator at offset " + (p - b.position())
                        + " runs past the page (" + dlen + " bytes)");
            }
            byte[] v = new byte[dlen];
            b.get(p + 4, v);
            out.add(new Designator(b0 >>> 4, b0 & 0x0f, (b1 & 0x80) != 0, (b1 >>> 4) & 3, b1 & 0x0f, v));
            p += 4 + dlen;
        }
        return new DeviceIdentification(List.copyOf(out));
    }

    /** The logical unit's best identifier as multipath's WWID: NAA, then EUI-64, then T10. */
    public Optional<Designator> wwid() {
        for (int t : new int[]{Designator.TYPE_NAA, Designator.TYPE_EUI64, Designator.TYPE_SCSI_NAME, Designator.TYPE_T10}) {
            for (Designator d : designators) {
                if (d.type() == t && d.association() == Designator.ASSOC_LOGICAL_UNIT) {
                    return Optional.of(d);
                }
            }
        }
        return Optional.empty();
    }

    public Optional<Designator> find(int type) {
        return designators.stream().filter(d -> d.type() == type).findFirst();
    }

    /** Designators of the logical unit only (what must be identical on every path). */
    public List<Designator> logicalUnit() {
        return designators.stream().filter(d -> d.association() == Designator.ASSOC_LOGICAL_UNIT).toList();
    }
}
