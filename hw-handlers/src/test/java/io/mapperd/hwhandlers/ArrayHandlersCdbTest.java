package io.mapperd.hwhandlers;

import io.mapperd.checkers.SimSan;
import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.targets.multipath.HwHandlerRegistry;
import io.mapperd.dm.targets.multipath.PgInitResult;
import io.mapperd.transport.iscsi.scsi.SenseKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mapperd.hwhandlers.RecordingPath.Reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * emc, rdac and hp_sw send exactly the CDBs (and parameter data) the kernel's scsi_dh_emc, _rdac
 * and _hp_sw send, and read the answers as they do. target-sim does not emulate these arrays: the
 * commands go to a real target-sim LUN over iSCSI and the array-specific answers (vendor VPD pages,
 * passive-path sense) are scripted on the recording path. What this proves is the command bytes and
 * the interpretation; not behaviour against a real CLARiiON, E-Series or MSA.
 */
class ArrayHandlersCdbTest {
    @TempDir
    static Path dir;
    static SimSan san;

    @BeforeAll
    static void start() throws Exception {
        san = SimSan.start(dir);
    }

    @AfterAll
    static void stop() {
        if (san != null) {
            san.close();
        }
    }

    RecordingPath path() throws Exception {
        return new RecordingPath(san.open(0));
    }

    static PgInitResult pgInit(io.mapperd.dm.targets.multipath.HwHandler h, RecordingPath p) throws Exception {
        return h.pgInit(p).get(20, TimeUnit.SECONDS);
    }

    static boolean is(byte[] cdb, int op, int b1, int b2) {
        return (cdb[0] & 0xff) == op && (b1 < 0 || (cdb[1] & 0xff) == b1) && (b2 < 0 || (cdb[2] & 0xff) == b2);
    }

    @Test
    void allFourHandlersAreServices() {
        for (String n : List.of("alua", "emc", "rdac", "hp_sw")) {
            assertEquals(n, HwHandlerRegistry.withServices().create(n).orElseThrow().name());
        }
    }

    // ---- hp_sw ----

    @Test
    void hpSwOnTheActivePathSendsOnlyTestUnitReady() throws Exception {
        RecordingPath p = path();
        HpSwHandler h = new HpSwHandler();
        h.attach(p, List.of());
        assertEquals(List.of("00 00 00 00 00 00"), p.takeSent());
        assertEquals(PgInitResult.OK, pgInit(h, p));
        assertEquals(List.of("00 00 00 00 00 00"), p.takeSent());
    }

    @Test
    void hpSwStartsThePassivePathWithStartStopUnit() throws Exception {
        RecordingPath p = path();
        p.script = c -> is(c, 0x00, -1, -1) ? Reply.check(SenseKey.NOT_READY, 0x04, 0x02) : null;
        HpSwHandler h = new HpSwHandler();
        h.attach(p, List.of());
        p.takeSent();
        assertEquals(PgInitResult.OK, pgInit(h, p), "target-sim answers START STOP UNIT with GOOD");
        assertEquals(List.of("00 00 00 00 00 00", "1b 00 00 00 01 00"), p.takeSent());

        p.script = c -> is(c, 0x00, -1, -1) ? Reply.check(SenseKey.NOT_READY, 0x04, 0x02)
                : is(c, 0x1b, -1, -1) ? Reply.check(SenseKey.NOT_READY, 0x04, 0x03) : null;
        assertEquals(PgInitResult.RETRY, pgInit(h, p), "switch-over in progress after three retries");
        assertEquals(5, p.takeSent().size(), "TUR and four START STOP UNIT");

        p.script = c -> is(c, 0x00, -1, -1) ? Reply.check(SenseKey.NOT_READY, 0x04, 0x02)
                : is(c, 0x1b, -1, -1) ? Reply.check(SenseKey.MEDIUM_ERROR, 0x11, 0x00) : null;
        assertEquals(PgInitResult.IO, pgInit(h, p));

        p.script = c -> is(c, 0x00, -1, -1) ? Reply.check(SenseKey.HARDWARE_ERROR, 0x44, 0x00) : null;
        assertEquals(PgInitResult.IO, pgInit(h, p), "a TEST UNIT READY failure other than 04/02");
        assertThrows(TargetException.class, () -> new HpSwHandler().attach(p, List.of()));
    }

    // ---- emc ----

    /** Standard INQUIRY with the extended CLARiiON section: serial and SP model. */
    static byte[] clariionInquiry(String model) {
        byte[] b = new byte[200];
        b[4] = (byte) (200 - 5);
        System.arraycopy("DGC     ".getBytes(StandardCharsets.US_ASCII), 0, b, 8, 8);
        byte[] serial = "APM00123".getBytes(StandardCharsets.US_ASCII);
        byte[] m = (model + "  ").getBytes(StandardCharsets.US_ASCII);
        b[160] = (byte) serial.length;
        System.arraycopy(serial, 0, b, 161, serial.length);
        b[99] = (byte) m.length;
        System.arraycopy(m, 0, b, 161 + serial.length, m.length);
        return b;
    }

    /** VPD page 0xC0: LUN state, default and current SP, port, failover mode 4. */
    static byte[] pageC0(int lunState, int defaultSp, int currentSp, int ndu) {
        byte[] b = new byte[0xfc];
        b[1] = (byte) 0xc0;
        b[3] = (byte) (0xfc - 4);
        b[4] = (byte) lunState;
        b[5] = (byte) defaultSp;
        b[7] = 1;
        b[8] = (byte) currentSp;
        b[28] = 4;
        b[48] = (byte) ndu;
        return b;
    }

    static byte[] pages(int... codes) {
        byte[] b = new byte[4 + codes.length];
        b[3] = (byte) codes.length;
        for (int i = 0; i < codes.length; i++) {
            b[4 + i] = (byte) codes[i];
        }
        return b;
    }

    @Test
    void emcTrespassesAnUnownedLunWithTheLongTrespassPage() throws Exception {
        RecordingPath p = path();
        AtomicBoolean owned = new AtomicBoolean(false);
        AtomicInteger trespassSense = new AtomicInteger(-1);
        p.script = c -> {
            if (is(c, 0x12, 0x00, -1)) {
                return Reply.good(clariionInquiry("CX4-240"));
            }
            if (is(c, 0x12, 0x01, 0x00)) {
                return Reply.good(pages(0x00, 0x80, 0x83, 0xc0));
            }
            if (is(c, 0x12, 0x01, 0xc0)) {
                return Reply.good(pageC0(owned.get() ? 2 : 1, 0, owned.get() ? 0 : 1, 0));
            }
            if (is(c, 0x55, -1, -1) || is(c, 0x15, -1, -1)) {
                return switch (trespassSense.get()) {
                    case 1 -> Reply.check(SenseKey.ILLEGAL_REQUEST, 0x04, 0x01);
                    case 2 -> Reply.check(SenseKey.NOT_READY, 0x04, 0x03);
                    case 3 -> Reply.check(SenseKey.ILLEGAL_REQUEST, 0x24, 0x00);
                    default -> {
                        owned.set(true);
                        yield Reply.good();
                    }
                };
            }
            return null;
        };
        EmcHandler h = new EmcHandler();
        h.attach(p, List.of());
        assertEquals(List.of("12 00 00 00 ff 00", "12 01 00 00 fc 00", "12 01 c0 00 fc 00"), p.takeSent());
        assertEquals(PgInitResult.OK, pgInit(h, p));
        assertEquals(List.of("12 01 00 00 fc 00", "12 01 c0 00 fc 00",
                "55 00 00 00 00 00 00 00 13 00 | 00 00 00 00 00 00 00 00 22 09 81 ff ff 00 00 00 00 00 00",
                "12 01 00 00 fc 00", "12 01 c0 00 fc 00"), p.takeSent());
        assertEquals(PgInitResult.OK, pgInit(h, p), "now owned: no trespass");
        assertEquals(2, p.takeSent().size());

        owned.set(false);
        trespassSense.set(1);
        assertEquals(PgInitResult.DEV_TEMP_BUSY, pgInit(h, p), "array based copy in progress");
        trespassSense.set(2);
        assertEquals(PgInitResult.DEV_TEMP_BUSY, pgInit(h, p), "microcode upgrade in progress");
        trespassSense.set(3);
        assertEquals(PgInitResult.DEV_FAILED, pgInit(h, p));
    }

    @Test
    void emcUsesTheShortTrespassOnFcArraysAndHonoursItsParameters() throws Exception {
        RecordingPath p = path();
        p.script = c -> is(c, 0x12, 0x00, -1) ? Reply.good(clariionInquiry("FC4700"))
                : is(c, 0x12, 0x01, 0x00) ? Reply.good(pages(0x00, 0xc0))
                : is(c, 0x12, 0x01, 0xc0) ? Reply.good(pageC0(1, 0, 1, 0))
                : is(c, 0x15, -1, -1) ? Reply.good() : null;
        EmcHandler h = new EmcHandler();
        h.attach(p, List.of());
        p.takeSent();
        pgInit(h, p);
        assertTrue(p.takeSent().contains("15 10 00 00 08 00 | 00 00 00 00 22 02 81 ff"));

        EmcHandler honour = new EmcHandler();
        p.script = c -> is(c, 0x12, 0x00, -1) ? Reply.good(clariionInquiry("CX4-240"))
                : is(c, 0x12, 0x01, 0x00) ? Reply.good(pages(0x00, 0xc0))
                : is(c, 0x12, 0x01, 0xc0) ? Reply.good(pageC0(1, 0, 1, 0))
                : is(c, 0x15, -1, -1) ? Reply.good() : null;
        honour.attach(p, List.of("1", "1"));
        p.takeSent();
        pgInit(honour, p);
        assertTrue(p.takeSent().contains("15 10 00 00 08 00 | 00 00 00 00 22 02 01 ff"), "short form, honour reservations");
        assertEquals("unable to set hardware handler parameters",
                assertThrows(TargetException.class, () -> new EmcHandler().attach(p, List.of("1"))).getMessage());

        p.script = c -> is(c, 0x12, 0x00, -1) ? Reply.good(clariionInquiry("CX4-240"))
                : is(c, 0x12, 0x01, 0x00) ? Reply.good(pages(0x00, 0xc0))
                : is(c, 0x12, 0x01, 0xc0) ? Reply.good(pageC0(1, 0, 1, 1)) : null;
        assertThrows(TargetException.class, () -> new EmcHandler().attach(p, List.of()), "firmware upgrade in progress at attach");
    }

    @Test
    void emcDoesNotAttachToTargetSimItself() throws Exception {
        RecordingPath p = path();
        TargetException e = assertThrows(TargetException.class, () -> new EmcHandler().attach(p, List.of()));
        assertEquals("error attaching hardware handler", e.getMessage());
        assertEquals(List.of("12 00 00 00 ff 00"), p.takeSent(), "not a CLARiiON: no DGC vendor, no extended section");
    }

    // ---- rdac ----

    static byte[] pageC8(int lun) {
        byte[] b = new byte[175];
        b[1] = (byte) 0xc8;
        b[3] = (byte) (175 - 4);
        System.arraycopy("edid".getBytes(StandardCharsets.US_ASCII), 0, b, 4, 4);
        b[89] = 4;
        b[90] = 0x12;
        b[91] = 0x34;
        b[92] = 0x56;
        b[93] = 0x78;
        String label = "array1";
        for (int i = 0; i < label.length(); i++) {
            b[107 + 2 * i + 1] = (byte) label.charAt(i);
        }
        b[174] = (byte) lun;
        return b;
    }

    static byte[] pageC4(int slot) {
        byte[] b = new byte[32];
        b[1] = (byte) 0xc4;
        b[3] = 28;
        System.arraycopy("subs".getBytes(StandardCharsets.US_ASCII), 0, b, 4, 4);
        b[29] = (byte) slot;
        return b;
    }

    static byte[] pageC9(int avteCvp, int pathPrio) {
        byte[] b = new byte[48];
        b[1] = (byte) 0xc9;
        b[3] = 44;
        System.arraycopy("vace".getBytes(StandardCharsets.US_ASCII), 0, b, 4, 4);
        b[8] = (byte) avteCvp;
        b[9] = (byte) pathPrio;
        return b;
    }

    static byte[] pageC2(int maxLun) {
        byte[] b = new byte[255];
        b[1] = (byte) 0xc2;
        b[3] = (byte) 251;
        System.arraycopy("swr4".getBytes(StandardCharsets.US_ASCII), 0, b, 4, 4);
        b[15] = (byte) maxLun;
        return b;
    }

    static RecordingPath rdacPath(RecordingPath p, AtomicInteger avte, int maxLun, AtomicInteger msSense) {
        p.script = c -> {
            if (is(c, 0x12, 0x01, 0x00)) {
                return Reply.good(pages(0x00, 0x80, 0x83, 0xc2, 0xc4, 0xc8, 0xc9));
            }
            if (is(c, 0x12, 0x01, 0xc8)) {
                return Reply.good(pageC8(5));
            }
            if (is(c, 0x12, 0x01, 0xc4)) {
                return Reply.good(pageC4(0x31));
            }
            if (is(c, 0x12, 0x01, 0xc9)) {
                return Reply.good(pageC9(avte.get(), 1));
            }
            if (is(c, 0x12, 0x01, 0xc2)) {
                return Reply.good(pageC2(maxLun));
            }
            if (is(c, 0x15, -1, -1) || is(c, 0x55, -1, -1)) {
                int s = msSense.getAndUpdate(v -> v > 0 && v < 100 ? v - 1 : v);
                if (s >= 100) {
                    return Reply.check(SenseKey.MEDIUM_ERROR, 0x11, 0x00);
                }
                if (s > 0) {
                    return Reply.check(SenseKey.UNIT_ATTENTION, 0x29, 0x00);
                }
                avte.set(avte.get() | 1);
                return Reply.good();
            }
            return null;
        };
        return p;
    }

    static String legacyPage(int lun) {
        byte[] b = new byte[110];
        b[4] = 0x2c;
        b[5] = 0x68;
        b[39] = 0x02;
        b[42] = 20;
        b[43] = 0x02;
        b[44 + lun] = (byte) 0x81;
        return RecordingPath.hex(b);
    }

    @Test
    void rdacTransfersAnUnownedLunWithModeSelectOfTheRedundantControllerPage() throws Exception {
        AtomicInteger avte = new AtomicInteger(0);
        AtomicInteger msSense = new AtomicInteger(0);
        RecordingPath p = rdacPath(path(), avte, 16, msSense);
        RdacHandler h = new RdacHandler();
        h.attach(p, List.of());
        assertEquals(List.of("12 01 00 00 af 00", "12 01 c8 00 af 00", "12 01 00 00 20 00", "12 01 c4 00 20 00",
                "12 01 00 00 30 00", "12 01 c9 00 30 00", "12 01 00 00 ff 00", "12 01 c2 00 ff 00"), p.takeSent());
        assertEquals(PgInitResult.OK, pgInit(h, p));
        assertEquals(List.of("12 01 00 00 30 00", "12 01 c9 00 30 00", "15 00 00 00 6e 00 | " + legacyPage(5)), p.takeSent());
        assertEquals(PgInitResult.OK, pgInit(h, p), "owned now: no MODE SELECT");
        assertEquals(2, p.takeSent().size());

        avte.set(0);
        msSense.set(2);
        assertEquals(PgInitResult.OK, pgInit(h, p), "UNIT ATTENTION is retried");
        assertEquals(5, p.takeSent().size(), "two inquiries and three MODE SELECTs");
        avte.set(0);
        msSense.set(100);
        assertEquals(PgInitResult.IO, pgInit(h, p));
        p.takeSent();
        avte.set(0x80);
        assertEquals(PgInitResult.OK, pgInit(h, p), "AVT mode: the array moves the LUN itself");
        assertEquals(2, p.takeSent().size());
    }

    @Test
    void rdacUsesModeSelectTenWhenTheArrayHasManyLuns() throws Exception {
        AtomicInteger avte = new AtomicInteger(0);
        RecordingPath p = rdacPath(path(), avte, 64, new AtomicInteger(0));
        RdacHandler h = new RdacHandler();
        h.attach(p, List.of());
        p.takeSent();
        assertEquals(PgInitResult.OK, pgInit(h, p));
        String ms = p.takeSent().get(2);
        assertTrue(ms.startsWith("55 00 00 00 00 00 00 01 34 00 | 00 00 00 00 00 00 00 00 6c 01 01 28 "), ms);
        byte[] page = java.util.HexFormat.ofDelimiter(" ").parseHex(ms.substring(ms.indexOf('|') + 2));
        assertEquals(308, page.length);
        assertEquals(0x02, page[45]);
        assertEquals(20, page[48]);
        assertEquals(0x02, page[49]);
        assertEquals((byte) 0x81, page[50 + 5]);
    }

    @Test
    void rdacDoesNotAttachToTargetSimItself() throws Exception {
        RecordingPath p = path();
        assertThrows(TargetException.class, () -> new RdacHandler().attach(p, List.of()));
        assertEquals(List.of("12 01 00 00 af 00"), p.takeSent(), "VPD page 0xC8 is not in target-sim's list");
    }
}
