package io.mapperd.transport.iscsi.scsi;

/** CDB builders for the commands the initiator sends (SPC-4, SBC-3). Big-endian fields throughout. */
public final class Cdb {
    public static final int TEST_UNIT_READY = 0x00;
    public static final int REQUEST_SENSE = 0x03;
    public static final int READ_6 = 0x08;
    public static final int WRITE_6 = 0x0a;
    public static final int INQUIRY = 0x12;
    public static final int MODE_SELECT_6 = 0x15;
    public static final int RESERVE_6 = 0x16;
    public static final int RELEASE_6 = 0x17;
    public static final int MODE_SENSE_6 = 0x1a;
    public static final int START_STOP_UNIT = 0x1b;
    public static final int PREVENT_ALLOW = 0x1e;
    public static final int READ_CAPACITY_10 = 0x25;
    public static final int READ_10 = 0x28;
    public static final int WRITE_10 = 0x2a;
    public static final int WRITE_VERIFY_10 = 0x2e;
    public static final int VERIFY_10 = 0x2f;
    public static final int PREFETCH_10 = 0x34;
    public static final int SYNCHRONIZE_CACHE_10 = 0x35;
    public static final int WRITE_SAME_10 = 0x41;
    public static final int UNMAP = 0x42;
    public static final int MODE_SELECT_10 = 0x55;
    public static final int MODE_SENSE_10 = 0x5a;
    public static final int PERSISTENT_RESERVE_IN = 0x5e;
    public static final int PERSISTENT_RESERVE_OUT = 0x5f;
    public static final int READ_16 = 0x88;
    public static final int COMPARE_AND_WRITE = 0x89;
    public static final int WRITE_16 = 0x8a;
    public static final int WRITE_VERIFY_16 = 0x8e;
    public static final int VERIFY_16 = 0x8f;
    public static final int PREFETCH_16 = 0x90;
    public static final int SYNCHRONIZE_CACHE_16 = 0x91;
    public static final int WRITE_SAME_16 = 0x93;
    public static final int SERVICE_ACTION_IN_16 = 0x9e;
    public static final int REPORT_LUNS = 0xa0;
    public static final int MAINTENANCE_IN = 0xa3;
    public static final int MAINTENANCE_OUT = 0xa4;
    public static final int READ_12 = 0xa8;
    public static final int WRITE_12 = 0xaa;
    public static final int WRITE_VERIFY_12 = 0xae;
    public static final int VERIFY_12 = 0xaf;

    public static final int SAI_READ_CAPACITY_16 = 0x10;
    public static final int SAI_GET_LBA_STATUS = 0x12;
    public static final int MI_REPORT_TARGET_PORT_GROUPS = 0x0a;
    public static final int MI_REPORT_SUPPORTED_OPCODES = 0x0c;
    public static final int MO_SET_TARGET_PORT_GROUPS = 0x0a;

    private Cdb() {
    }

    public static byte[] testUnitReady() {
        return new byte[6];
    }

    public static byte[] inquiry(boolean evpd, int page, int allocationLength) {
        byte[] c = new byte[6];
        c[0] = INQUIRY;
        c[1] = (byte) (evpd ? 1 : 0);
        c[2] = (byte) (evpd ? page : 0);
        be16(c, 3, allocationLength);
        return c;
    }

    public static byte[] readCapacity16(int allocationLength) {
        byte[] c = new byte[16];
        c[0] = (byte) SERVICE_ACTION_IN_16;
        c[1] = SAI_READ_CAPACITY_16;
        be32(c, 10, allocationLength);
        return c;
    }

    public static byte[] read16(long lba, int blocks) {
        return rw16(READ_16, lba, blocks, false);
    }

    public static byte[] write16(long lba, int blocks, boolean fua) {
        return rw16(WRITE_16, lba, blocks, fua);
    }

    private static byte[] rw16(int op, long lba, int blocks, boolean fua) {
        byte[] c = new byte[16];
        c[0] = (byte) op;
        c[1] = (byte) (fua ? 0x08 : 0);
        be64(c, 2, lba);
        be32(c, 10, blocks);
        return c;
    }

    public static byte[] synchronizeCache16(long lba, int blocks) {
        byte[] c = new byte[16];
        c[0] = (byte) SYNCHRONIZE_CACHE_16;
        be64(c, 2, lba);
        be32(c, 10, blocks);
        return c;
    }

    /** UNMAP with a parameter list of {@code descriptors} block descriptors. */
    public static byte[] unmap(int descriptors) {
        byte[] c = new byte[10];
        c[0] = UNMAP;
        be16(c, 7, 8 + 16 * descriptors);
        return c;
    }

    /** WRITE SAME(16) of one block of data-out to {@code blocks} blocks; unmap allows deallocation. */
    public static byte[] writeSame16(long lba, int blocks, boolean unmap) {
        byte[] c = new byte[16];
        c[0] = (byte) WRITE_SAME_16;
        c[1] = (byte) (unmap ? 0x08 : 0);
        be64(c, 2, lba);
        be32(c, 10, blocks);
        return c;
    }

    public static byte[] reportLuns(int allocationLength) {
        byte[] c = new byte[12];
        c[0] = (byte) REPORT_LUNS;
        be32(c, 6, allocationLength);
        return c;
    }

    /** REPORT TARGET PORT GROUPS; extended asks for the extended header (PARAMETER DATA FORMAT 001b). */
    public static byte[] reportTargetPortGroups(boolean extended, int allocationLength) {
        byte[] c = new byte[12];
        c[0] = (byte) MAINTENANCE_IN;
        c[1] = (byte) ((extended ? 0x20 : 0) | MI_REPORT_TARGET_PORT_GROUPS);
        be32(c, 6, allocationLength);
        return c;
    }

    public static byte[] setTargetPortGroups(int parameterLength) {
        byte[] c = new byte[12];
        c[0] = (byte) MAINTENANCE_OUT;
        c[1] = MO_SET_TARGET_PORT_GROUPS;
        be32(c, 6, parameterLength);
        return c;
    }

    /** PERSISTENT RESERVE IN: service action 0 READ KEYS, 1 READ RESERVATION. */
    public static byte[] persistentReserveIn(int serviceAction, int allocationLength) {
        byte[] c = new byte[10];
        c[0] = PERSISTENT_RESERVE_IN;
        c[1] = (byte) (serviceAction & 0x1f);
        be16(c, 7, allocationLength);
        return c;
    }

    /** PERSISTENT RESERVE OUT with the 24-byte basic parameter list. */
    public static byte[] persistentReserveOut(int serviceAction, int type) {
        byte[] c = new byte[10];
        c[0] = PERSISTENT_RESERVE_OUT;
        c[1] = (byte) (serviceAction & 0x1f);
        c[2] = (byte) (type & 0x0f);
        be32(c, 5, 24);
        return c;
    }

    static void be16(byte[] c, int at, int v) {
        c[at] = (byte) (v >>> 8);
        c[at + 1] = (byte) v;
    }

    static void be32(byte[] c, int at, int v) {
        c[at] = (byte) (v >>> 24);
        c[at + 1] = (byte) (v >>> 16);
        c[at + 2] = (byte) (v >>> 8);
        c[at + 3] = (byte) v;
    }

    static void be64(byte[] c, int at, long v) {
        be32(c, at, (int) (v >>> 32));
        be32(c, at + 4, (int) v);
    }

    /** The name of a CDB's command for messages. */
    public static String name(byte[] cdb) {
        int op = cdb[0] & 0xff;
        return switch (op) {
            case TEST_UNIT_READY -> "TEST UNIT READY";
            case INQUIRY -> (cdb[1] & 1) != 0 ? String.format("INQUIRY VPD 0x%02x", cdb[2] & 0xff) : "INQUIRY";
            case SERVICE_ACTION_IN_16 -> (cdb[1] & 0x1f) == SAI_READ_CAPACITY_16 ? "READ CAPACITY(16)" : "SERVICE ACTION IN(16)";
            case READ_16 -> "READ(16)";
            case WRITE_16 -> "WRITE(16)";
            case SYNCHRONIZE_CACHE_16 -> "SYNCHRONIZE CACHE(16)";
            case UNMAP -> "UNMAP";
            case WRITE_SAME_16 -> "WRITE SAME(16)";
            case REPORT_LUNS -> "REPORT LUNS";
            case MAINTENANCE_IN -> "REPORT TARGET PORT GROUPS";
            case MAINTENANCE_OUT -> "SET TARGET PORT GROUPS";
            case PERSISTENT_RESERVE_IN -> "PERSISTENT RESERVE IN";
            case PERSISTENT_RESERVE_OUT -> "PERSISTENT RESERVE OUT";
            default -> String.format("CDB 0x%02x", op);
        };
    }
}
