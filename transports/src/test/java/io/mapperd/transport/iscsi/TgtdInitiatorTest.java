package io.mapperd.transport.iscsi;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.DevT;
import io.mapperd.transport.iscsi.scsi.DeviceIdentification;
import io.mapperd.transport.iscsi.scsi.Designator;
import io.mapperd.transport.iscsi.scsi.ReadCapacity;
import io.mapperd.transport.iscsi.scsi.ScsiCondition;
import io.mapperd.transport.iscsi.scsi.StandardInquiry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The initiator against tgtd: one file-backed LUN on two portals, CHAP targets beside it. */
class TgtdInitiatorTest {
    static final String IQN = "iqn.2026-01.io.mapperd.test:disk1";
    static final String CHAP_IQN = "iqn.2026-01.io.mapperd.test:chap";
    static final String MUTUAL_IQN = "iqn.2026-01.io.mapperd.test:mutual";
    static final long SIZE = 128L << 20;

    @TempDir
    static Path dir;
    static Tgtd tgtd;
    static Path backing;

    @BeforeAll
    static void start() throws Exception {
        tgtd = Tgtd.start(dir);
        backing = dir.resolve("disk1.img");
        tgtd.target(1, IQN, backing, SIZE);
        tgtd.adm("--op", "update", "--mode", "logicalunit", "--tid", "1", "--lun", "1", "--params",
                "scsi_id=mapperd-disk1,scsi_sn=SN0001,thin_provisioning=1");
        tgtd.portal("127.0.0.2:" + tgtd.port);
        // tgtd answers None unless the target lists CRC32C first.
        tgtd.adm("--op", "update", "--mode", "target", "--tid", "1", "--name", "HeaderDigest", "--value", "CRC32C,None");
        tgtd.adm("--op", "update", "--mode", "target", "--tid", "1", "--name", "DataDigest", "--value", "CRC32C,None");
        tgtd.target(2, CHAP_IQN, dir.resolve("chap.img"), 8 << 20);
        tgtd.chap(2, "alice", "alicesecret1", false);
        tgtd.target(3, MUTUAL_IQN, dir.resolve("mutual.img"), 8 << 20);
        tgtd.chap(3, "bob", "bobsecret123", false);
        tgtd.chap(3, "target3", "targetsecret3", true);
    }

    @AfterAll
    static void stop() throws Exception {
        if (tgtd != null) {
            tgtd.close();
        }
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    static IscsiLun open(String host, SessionConfig c, String iqn) throws Exception {
        IscsiSession s = get(IscsiSession.login(host, tgtd.port, iqn, c));
        return get(IscsiLun.open(s, 1, "iscsi://" + host + ":" + tgtd.port + "/" + iqn + "/1", new DevT(8, 0), false));
    }

    @Test
    void sendTargetsListsEveryTarget() throws Exception {
        List<IscsiSession.DiscoveredTarget> ts = get(IscsiSession.discover("127.0.0.1", tgtd.port, SessionConfig.defaults()));
        List<String> names = ts.stream().map(IscsiSession.DiscoveredTarget::name).toList();
        assertTrue(names.containsAll(List.of(IQN, CHAP_IQN, MUTUAL_IQN)), names.toString());
        assertTrue(ts.get(0).portals().stream().anyMatch(p -> p.startsWith("127.0.0.1:" + tgtd.port)), ts.toString());
    }

    @Test
    void inquiryAndDeviceIdentificationAreIdenticalOnBothPortals() throws Exception {
        IscsiLun a = open("127.0.0.1", SessionConfig.defaults(), IQN);
        IscsiLun b = open("127.0.0.2", SessionConfig.defaults(), IQN);
        try {
            StandardInquiry ia = get(a.inquiry());
            assertEquals(0, ia.deviceType());
            assertEquals("IET", ia.vendor());
            assertEquals(ia, get(b.inquiry()));
            DeviceIdentification da = get(a.deviceIdentification());
            DeviceIdentification db = get(b.deviceIdentification());
            assertEquals(da.logicalUnit(), db.logicalUnit());
            assertTrue(da.designators().stream().anyMatch(d -> d.type() == Designator.TYPE_NAA), da.toString());
            assertEquals(Designator.TYPE_NAA, da.wwid().orElseThrow().type());
            assertEquals("SN0001", get(a.unitSerialNumber()));
            assertTrue(get(a.supportedVpdPages()).containsAll(List.of(0x00, 0x80, 0x83)));
            assertTrue(get(a.reportLuns()).contains(1));
            assertTrue(a.session().tsih() != 0);
            assertTrue(get(a.ping(Duration.ofSeconds(2))) > 0);
        } finally {
            a.session().close();
            b.session().close();
        }
    }

    @Test
    void readCapacitySeesTheBackingFile() throws Exception {
        IscsiLun a = open("127.0.0.1", SessionConfig.defaults(), IQN);
        try {
            ReadCapacity c = get(a.readCapacity16());
            assertEquals(512, c.blockLength());
            assertEquals(SIZE, c.bytes());
            assertEquals(SIZE / 512, a.sizeSectors());
            assertEquals(ScsiCondition.GOOD, get(a.testUnitReady()).condition());
        } finally {
            a.session().close();
        }
    }

    @Test
    void sixtyFourMebibytesWithManyCommandsInFlightVerifyOnTheFile() throws Exception {
        verify64MiB(SessionConfig.defaults());
    }

    @Test
    void sixtyFourMebibytesWithCrc32cDigestsAndR2t() throws Exception {
        verify64MiB(SessionConfig.defaults().withDigests(true, true).withData(false, true));
    }

    private void verify64MiB(SessionConfig cfg) throws Exception {
        IscsiLun a = open("127.0.0.1", cfg, IQN);
        try {
            if (cfg.headerDigest()) {
                assertTrue(a.session().negotiated().headerDigest());
                assertTrue(a.session().negotiated().dataDigest());
                assertTrue(a.session().negotiated().initialR2T());
            }
            int chunk = 256 << 10;
            int total = 64 << 20;
            int seed = cfg.headerDigest() ? 7 : 3;
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int off = 0; off < total; off += chunk) {
                writes.add(a.submit(Bio.write(off >>> 9, pattern(chunk, seed + off / chunk), 0)));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            get(a.submit(Bio.flush()));
            try (FileChannel ch = FileChannel.open(backing, StandardOpenOption.READ)) {
                ByteBuffer got = ByteBuffer.allocate(chunk);
                for (int off = 0; off < total; off += 8 * chunk) {
                    got.clear();
                    ch.read(got, off);
                    assertEquals(pattern(chunk, seed + off / chunk), got.flip(), "file content at " + off);
                }
            }
            List<CompletableFuture<Void>> reads = new ArrayList<>();
            List<ByteBuffer> bufs = new ArrayList<>();
            for (int off = 0; off < total; off += chunk) {
                ByteBuffer b = ByteBuffer.allocateDirect(chunk);
                bufs.add(b);
                reads.add(a.submit(Bio.read(off >>> 9, b)));
            }
            CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (int i = 0; i < bufs.size(); i++) {
                assertEquals(pattern(chunk, seed + i), bufs.get(i), "read back chunk " + i);
            }
        } finally {
            a.session().close();
        }
    }

    @Test
    void unmapPunchesTheRangeWhenTgtdOffersThinProvisioning() throws Exception {
        IscsiLun a = open("127.0.0.1", SessionConfig.defaults(), IQN);
        try {
            assertTrue(a.supportsDiscard(), "tgtd with thin_provisioning=1 offers UNMAP: " + a.provisioning());
            long at = 100L << 20;
            get(a.submit(Bio.write(at >>> 9, pattern(1 << 20, 11), 0)));
            get(a.submit(Bio.discard(at >>> 9, 1 << 20)));
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            get(a.submit(Bio.read(at >>> 9, b)));
            assertEquals(ByteBuffer.allocate(1 << 20), b);
            get(a.submit(Bio.writeZeroes((at >>> 9) + 8, 4096, Bio.NOUNMAP)));
        } finally {
            a.session().close();
        }
    }

    @Test
    void oneWayChapLogsInAndAWrongSecretIsRefused() throws Exception {
        IscsiLun a = open("127.0.0.1", SessionConfig.defaults().withChap(new ChapCredentials("alice", "alicesecret1", null, null)), CHAP_IQN);
        assertEquals(8 << 20, a.sizeSectors() << 9);
        a.session().close();
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> IscsiSession.login("127.0.0.1", tgtd.port, CHAP_IQN,
                SessionConfig.defaults().withChap(new ChapCredentials("alice", "wrong-secret", null, null))).get(20, TimeUnit.SECONDS));
        LoginException le = assertInstanceOf(LoginException.class, e.getCause());
        assertTrue(le.permanent(), le.getMessage());
        var none = assertThrows(java.util.concurrent.ExecutionException.class, () -> IscsiSession.login("127.0.0.1", tgtd.port, CHAP_IQN,
                SessionConfig.defaults()).get(20, TimeUnit.SECONDS));
        assertInstanceOf(LoginException.class, none.getCause());
    }

    @Test
    void mutualChapChecksTheTarget() throws Exception {
        IscsiLun a = open("127.0.0.1", SessionConfig.defaults().withChap(new ChapCredentials("bob", "bobsecret123", "target3", "targetsecret3")), MUTUAL_IQN);
        assertFalse(a.session().state() != IscsiSession.State.LOGGED_IN);
        a.session().close();
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> IscsiSession.login("127.0.0.1", tgtd.port, MUTUAL_IQN,
                SessionConfig.defaults().withChap(new ChapCredentials("bob", "bobsecret123", "target3", "not-the-secret"))).get(20, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("mutual CHAP"), e.getCause().getMessage());
    }

    @Test
    void persistentReservationsRegisterReserveReadAndRelease() throws Exception {
        IscsiLun a = open("127.0.0.1", SessionConfig.defaults(), IQN);
        IscsiLun b = open("127.0.0.2", SessionConfig.defaults(), IQN);
        try {
            long ka = 0xaaaa0001L;
            long kb = 0xbbbb0002L;
            assertEquals(ScsiCondition.GOOD, get(a.persistentReserveOut(io.mapperd.transport.iscsi.scsi.PersistentReservation.OUT_REGISTER, 0, 0, ka)).condition());
            assertEquals(ScsiCondition.GOOD, get(b.persistentReserveOut(io.mapperd.transport.iscsi.scsi.PersistentReservation.OUT_REGISTER, 0, 0, kb)).condition());
            var keys = get(a.persistentReserveIn(io.mapperd.transport.iscsi.scsi.PersistentReservation.READ_KEYS));
            assertTrue(keys.keys().containsAll(List.of(ka, kb)), keys.toString());
            assertEquals(ScsiCondition.GOOD, get(a.persistentReserveOut(io.mapperd.transport.iscsi.scsi.PersistentReservation.OUT_RESERVE,
                    io.mapperd.transport.iscsi.scsi.PersistentReservation.TYPE_WRITE_EXCLUSIVE, ka, 0)).condition());
            var res = get(b.persistentReserveIn(io.mapperd.transport.iscsi.scsi.PersistentReservation.READ_RESERVATION));
            assertEquals(ka, res.reservationKey().orElseThrow());
            assertEquals(io.mapperd.transport.iscsi.scsi.PersistentReservation.TYPE_WRITE_EXCLUSIVE, res.type());
            // The other path may not write while a holds a write-exclusive reservation: a NEXUS error, not a path error.
            var e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> get(b.submit(Bio.write(0, pattern(4096, 1), 0))));
            assertEquals(io.mapperd.dm.io.BlkStatus.NEXUS, io.mapperd.dm.io.BioException.statusOf(e.getCause()));
            assertEquals(ScsiCondition.GOOD, get(a.persistentReserveOut(io.mapperd.transport.iscsi.scsi.PersistentReservation.OUT_RELEASE,
                    io.mapperd.transport.iscsi.scsi.PersistentReservation.TYPE_WRITE_EXCLUSIVE, ka, 0)).condition());
            get(b.submit(Bio.write(0, pattern(4096, 1), 0)));
        } finally {
            get(a.persistentReserveOut(io.mapperd.transport.iscsi.scsi.PersistentReservation.OUT_REGISTER, 0, 0xaaaa0001L, 0));
            get(b.persistentReserveOut(io.mapperd.transport.iscsi.scsi.PersistentReservation.OUT_REGISTER, 0, 0xbbbb0002L, 0));
            a.session().close();
            b.session().close();
        }
    }

    static ByteBuffer pattern(int bytes, int seed) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes);
        for (int i = 0; i < bytes; i += 4) {
            b.putInt(seed * 0x9e3779b9 + i * 31 + (i >>> 12));
        }
        return b.flip();
    }
}
