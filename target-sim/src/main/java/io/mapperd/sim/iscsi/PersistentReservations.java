package io.mapperd.sim.iscsi;

import io.mapperd.transport.iscsi.scsi.PersistentReservation;
import io.mapperd.transport.iscsi.scsi.ScsiStatus;
import io.mapperd.transport.iscsi.scsi.SenseKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Map;

/** PERSISTENT RESERVE IN/OUT (SPC-4 6.15, 6.16) on a simulated LUN: registrations per I_T nexus. */
final class PersistentReservations {
    private PersistentReservations() {
    }

    static SimResponse in(SimLun lun, byte[] cdb) {
        synchronized (lun) {
            int sa = cdb[1] & 0x1f;
            ByteBuf b = Unpooled.buffer();
            switch (sa) {
                case PersistentReservation.READ_KEYS -> {
                    b.writeInt(lun.generation).writeInt(8 * lun.registrations.size());
                    lun.registrations.values().forEach(b::writeLong);
                }
                case PersistentReservation.READ_RESERVATION -> {
                    b.writeInt(lun.generation);
                    if (lun.holder != null) {
                        b.writeInt(16);
                        Long key = allRegistrants(lun.reservationType) ? Long.valueOf(0) : lun.registrations.get(lun.holder);
                        b.writeLong(key == null ? 0 : key).writeInt(0).writeByte(0).writeByte(lun.reservationType & 0x0f).writeShort(0);
                    } else {
                        b.writeInt(0);
                    }
                }
                case 2 -> b.writeShort(8).writeByte(0x01).writeByte(0x80).writeShort(0xea01).writeShort(0);
                case 3 -> {
                    b.writeInt(lun.generation).writeInt(0);
                    for (Map.Entry<String, Long> e : lun.registrations.entrySet()) {
                        boolean holds = e.getKey().equals(lun.holder) || (lun.holder != null && allRegistrants(lun.reservationType));
                        byte[] name = transportId(e.getKey());
                        b.writeLong(e.getValue()).writeInt(0);
                        b.writeByte(holds ? 0x01 : 0).writeByte(holds ? lun.reservationType & 0x0f : 0);
                        b.writeInt(0).writeShort(0).writeInt(name.length).writeBytes(name);
                    }
                    b.setInt(4, b.readableBytes() - 8);
                }
                default -> {
                    b.release();
                    return SimResponse.invalidField();
                }
            }
            return SimResponse.good(b);
        }
    }

    static SimResponse out(SimLun lun, String nexus, byte[] cdb, ByteBuf p) {
        if (p.readableBytes() < 24) {
            return SimResponse.check(SenseKey.ILLEGAL_REQUEST, 0x1a, 0x00); // parameter list length error
        }
        int sa = cdb[1] & 0x1f;
        int type = cdb[2] & 0x0f;
        long key = p.getLong(p.readerIndex());
        long saKey = p.getLong(p.readerIndex() + 8);
        synchronized (lun) {
            Long mine = lun.registrations.get(nexus);
            switch (sa) {
                case PersistentReservation.OUT_REGISTER, PersistentReservation.OUT_REGISTER_AND_IGNORE -> {
                    boolean ignore = sa == PersistentReservation.OUT_REGISTER_AND_IGNORE;
                    if (!ignore && (mine == null ? key != 0 : mine != key)) {
                        return conflict();
                    }
                    if (saKey == 0) {
                        if (mine != null) {
                            lun.registrations.remove(nexus);
                            if (allRegistrants(lun.reservationType) && lun.holder != null) {
                                if (lun.registrations.isEmpty()) {
                                    lun.holder = null;
                                    lun.reservationType = 0;
                                } else if (nexus.equals(lun.holder)) {
                                    lun.holder = lun.registrations.keySet().iterator().next();
                                }
                            } else if (nexus.equals(lun.holder)) {
                                lun.holder = null;
                                lun.reservationType = 0;
                            }
                        }
                    } else {
                        lun.registrations.put(nexus, saKey);
                    }
                    lun.generation++;
                }
                case PersistentReservation.OUT_RESERVE -> {
                    if (mine == null || mine != key) {
                        return conflict();
                    }
                    if (lun.holder == null) {
                        lun.holder = nexus;
                        lun.reservationType = type;
                    } else if ((!lun.holder.equals(nexus) && !allRegistrants(lun.reservationType)) || lun.reservationType != type) {
                        return conflict();
                    }
                }
                case PersistentReservation.OUT_RELEASE -> {
                    if (mine == null || mine != key) {
                        return conflict();
                    }
                    if (nexus.equals(lun.holder) || (lun.holder != null && allRegistrants(lun.reservationType))) {
                        if (lun.reservationType != type) {
                            return SimResponse.check(SenseKey.ILLEGAL_REQUEST, 0x26, 0x04);
                        }
                        lun.holder = null;
                        lun.reservationType = 0;
                    }
                }
                case PersistentReservation.OUT_CLEAR -> {
                    if (mine == null || mine != key) {
                        return conflict();
                    }
                    lun.registrations.clear();
                    lun.holder = null;
                    lun.reservationType = 0;
                    lun.generation++;
                }
                case PersistentReservation.OUT_PREEMPT -> {
                    if (mine == null || mine != key) {
                        return conflict();
                    }
                    Long holderKey = lun.holder == null ? null : lun.registrations.get(lun.holder);
                    lun.registrations.entrySet().removeIf(e -> e.getValue() == saKey && !e.getKey().equals(nexus));
                    if (holderKey != null && holderKey == saKey) {
                        lun.holder = nexus;
                        lun.reservationType = type;
                    }
                    lun.generation++;
                }
                default -> {
                    return SimResponse.invalidField();
                }
            }
            return SimResponse.good();
        }
    }

    static boolean allRegistrants(int type) {
        return type == 7 || type == 8;
    }

    /** An iSCSI TransportID (format 00b): the initiator name, NUL-terminated, padded to 4 bytes. */
    private static byte[] transportId(String nexus) {
        int comma = nexus.indexOf(',');
        byte[] name = (comma < 0 ? nexus : nexus.substring(0, comma)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int len = (name.length + 1 + 3) & ~3;
        byte[] out = new byte[4 + len];
        out[0] = 0x05;
        out[2] = (byte) (len >>> 8);
        out[3] = (byte) len;
        System.arraycopy(name, 0, out, 4, name.length);
        return out;
    }

    private static SimResponse conflict() {
        return SimResponse.status(ScsiStatus.RESERVATION_CONFLICT);
    }

    /** Whether {@code nexus} may read (write=false) or write under the current reservation. */
    static boolean allows(SimLun lun, String nexus, boolean write) {
        synchronized (lun) {
            if (lun.holder == null || lun.holder.equals(nexus)) {
                return true;
            }
            boolean registered = lun.registrations.containsKey(nexus);
            return switch (lun.reservationType) {
                case 1 -> !write;                       // write exclusive
                case 3 -> false;                        // exclusive access
                case 5, 7 -> !write || registered;      // write exclusive, registrants only / all registrants
                case 6, 8 -> registered;                // exclusive access, registrants only / all registrants
                default -> true;
            };
        }
    }

    static Map<String, Long> keys(SimLun lun) {
        synchronized (lun) {
            return Map.copyOf(lun.registrations);
        }
    }
}
