package io.mapperd.dm.core;

import io.mapperd.dm.io.Bio;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StackingTest extends DeviceMapperFixture {
    Path a;

    @BeforeEach
    void createFile() throws Exception {
        a = TestFiles.sized(dir, "a.img", 8 << 20);
    }

    @Test
    void threeDeepStackMapsThroughEveryLayer() throws Exception {
        dm.create("base", null, "0 8192 linear " + a + " 2048", false);
        dm.create("mid", null, "0 4096 linear /dev/mapper/base 1024", false);
        dm.create("top", null, "0 2048 linear 253:1 512", false);
        ByteBuffer data = TestFiles.pattern(8192, 5);
        dm.get("top").submit(Bio.write(100, data, Bio.FUA)).join();
        // top 100 -> mid 612 -> base 1636 -> file sector 3684
        assertEquals(data.rewind(), TestFiles.readFile(a, 3684L * 512, 8192));
        ByteBuffer back = ByteBuffer.allocateDirect(8192);
        dm.get("top").submit(Bio.read(100, back)).join();
        assertEquals(data.rewind(), back.rewind());
        assertEquals(List.of("0 2048 linear 253:1 512"), dm.get("top").activeTable().lines(StatusType.TABLE));
        assertEquals(1, dm.get("base").openCount());
        assertEquals(1, dm.get("mid").openCount());
        assertEquals(0, dm.get("top").openCount());
    }

    @Test
    void removeIsRefusedWhileUsedByAnotherTable() throws Exception {
        dm.create("base", null, "0 8192 linear " + a + " 0", false);
        dm.create("mid", null, "0 8192 linear /dev/mapper/base 0", false);
        DmException e = assertThrows(DmException.class, () -> dm.remove("base", false, false));
        assertEquals(DmException.EBUSY, e.errno());
        dm.remove("mid", false, false);
        assertEquals(0, dm.get("base").openCount());
        dm.remove("base", false, false);
        assertTrue(dm.list().isEmpty());
    }

    @Test
    void removeAllTakesDependentsFirst() throws Exception {
        dm.create("base", null, "0 8192 linear " + a + " 0", false);
        dm.create("mid", null, "0 8192 linear /dev/mapper/base 0", false);
        dm.create("top", null, "0 8192 linear /dev/mapper/mid 0", false);
        assertEquals(List.of(), dm.removeAll(false));
        assertTrue(dm.list().isEmpty());
    }

    @Test
    void aDeviceCannotMapOntoItself() throws Exception {
        dm.create("self", null, null, false);
        DmException e = assertThrows(DmException.class, () -> dm.load("self", "0 8 linear /dev/mapper/self 0", false));
        assertEquals("253:0: linear: Device lookup failed (-EINVAL)", e.getMessage());
    }

    @Test
    void openDeviceRemoveIsBusyDeferredRemovesAtLastClose() throws Exception {
        dm.create("o", null, "0 8 zero", false);
        MappedDevice md = dm.get("o");
        md.open();
        assertEquals(DmException.EBUSY, assertThrows(DmException.class, () -> dm.remove("o", false, false)).errno());
        dm.remove("o", false, true);
        assertTrue(md.deferredRemove());
        assertTrue(dm.find("o").isPresent());
        md.close();
        assertTrue(dm.find("o").isEmpty());
    }

    @Test
    void forcedRemoveOfOpenDeviceSwapsInErrorTable() throws Exception {
        dm.create("f", null, "0 8192 linear " + a + " 0", false);
        MappedDevice md = dm.get("f");
        md.open();
        assertThrows(DmException.class, () -> dm.remove("f", true, false));
        assertEquals(List.of("0 8192 error"), md.activeTable().lines(StatusType.TABLE));
        var f = md.submit(Bio.read(0, ByteBuffer.allocateDirect(512)));
        assertTrue(f.isCompletedExceptionally() || assertThrows(Exception.class, f::join) != null);
        md.close();
        dm.remove("f", false, false);
    }

    @Test
    void renameAndUuidOnce() throws Exception {
        dm.create("n", null, "0 8 zero", false);
        dm.rename("n", "m");
        assertTrue(dm.find("n").isEmpty());
        assertEquals("m", dm.get("m").dmName());
        dm.setUuid("m", "LVM-abc");
        assertEquals(DmException.EINVAL, assertThrows(DmException.class, () -> dm.setUuid("m", "other")).errno());
        assertEquals("m", dm.get("LVM-abc").dmName());
        dm.create("k", null, "0 8 zero", false);
        assertEquals(DmException.EBUSY, assertThrows(DmException.class, () -> dm.rename("k", "m")).errno());
    }

    @Test
    void waitReturnsOnEvent() throws Exception {
        dm.create("e", null, "0 8 zero", false);
        long nr = dm.get("e").eventNr();
        var waiter = dm.get("e").waitEvent(nr);
        assertTrue(!waiter.isDone());
        dm.rename("e", "e2");
        assertEquals(nr + 1, waiter.get(5, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void readOnlyTableRefusesWrites() throws Exception {
        dm.create("ro", null, "0 8192 linear " + a + " 0", true);
        var f = dm.get("ro").submit(Bio.write(0, TestFiles.pattern(512, 1), 0));
        assertThrows(Exception.class, f::join);
        assertTrue(dm.get("ro").readOnly());
        dm.get("ro").submit(Bio.read(0, ByteBuffer.allocateDirect(512))).join();
    }
}
