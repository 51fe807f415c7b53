package io.mapperd.transport.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** PERSISTENT RESERVE IN data: READ KEYS (registered keys) and READ RESERVATION (holder and type). */
public record PersistentReservation(int generation, List<Long> keys, OptionalLong reservationKey, int type) {
    public static final int READ_KEYS = 0;
    public static final int READ_RESERVATION = 1;

    public static final int OUT_REGISTER = 0;
    public static final int OUT_RESERVE = 1;
    public static final int OUT_RELEASE = 2;
    public static final int OUT_CLEAR = 3;
    public static final int OUT_PREEMPT = 4;
    public static final int OUT_REGISTER_AND_IGNORE = 6;

    public static final int TYPE_WRITE_EXCLUSIVE = 1;
    public static final int TYPE_EXCLUSIVE_ACCESS = 3;
    public static final int TYPE_WRITE_EXCLUSIVE_REGISTRANTS_ONLY = 5;

    public static PersistentReservation decodeKeys(ByteBuffer b) {
        check(b);
        int p = b.position();
        int len = Math.min(b.getInt(p + 4), b.remaining() - 8);
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i + 8 <= len; i += 8) {
            keys.add(b.getLong(p + 8 + i));
        }
        return new PersistentReservation(b.getInt(p), List.copyOf(keys), OptionalLong.empty(), 0);
    }

    public static PersistentReservation decodeReservation(ByteBuffer b) {
        check(b);
        int p = b.position();
        int len = b.getInt(p + 4);
        if (len >= 16 && b.remaining() >= 24) {
            return new PersistentReservation(b.getInt(p), List.of(), OptionalLong.of(b.getLong(p + 8)),
                    b.get(p + 21) & 0x0f);
        }
        return new PersistentReservation(b.getInt(p), List.of(), OptionalLong.empty(), 0);
    }

    private static void check(ByteBuffer b) {
        if (b.remaining() < 8) {
            throw new IllegalArgumentException("PERSISTENT RESERVE IN data of " + b.remaining() + " bytes");
        }
    }
}
