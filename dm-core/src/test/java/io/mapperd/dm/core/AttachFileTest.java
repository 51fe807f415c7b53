package io.mapperd.dm.core;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.DevT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files attached as loop devices with a logical block size (losetup -f -b SIZE), and how tables on
 * them are checked: the kernel's device_area_is_invalid and table-line alignment, with its words
 * (reference captures reject/06..09, loop3 attached with -b 4096).
 */
class AttachFileTest extends DeviceMapperFixture {
    Path small;
    Path big;

    @BeforeEach
    void attachFiles() throws Exception {
        small = TestFiles.sized(dir, "small.img", 4 << 20);
        big = TestFiles.sized(dir, "big.img", 4 << 20);
        assertEquals(new DevT(7, 0), dm.attachFile(small, 512));
        assertEquals(new DevT(7, 1), dm.attachFile(big, 4096));
    }

    private String refused(String table) {
        DmException e = assertThrows(DmException.class, () -> dm.create("x", null, table, false));
        assertEquals(DmException.EINVAL, e.errno());
        assertTrue(dm.find("x").isEmpty(), "a refused create leaves no device");
        return e.getMessage();
    }

    @Test
    void attachingGivesTheNextLoopNumberAndAgainTheSame() throws Exception {
        Path third = TestFiles.sized(dir, "third.img", 1 << 20);
        assertEquals(new DevT(7, 2), dm.attachFile(third, 1024));
        assertEquals(new DevT(7, 2), dm.attachFile(third, 2048), "re-attaching keeps the number");
        assertEquals(new DevT(7, 2), dm.fileDevT(third.toRealPath()));
    }

    @Test
    void aTableOnA4kFileHasThatBlockSize() throws Exception {
        MappedDevice md = dm.create("x", null, "0 8192 linear " + big + " 0", false);
        assertEquals(4096, md.logicalBlockSize());
        ByteBuffer r = ByteBuffer.allocateDirect(4096);
        md.submit(Bio.read(8, r)).join();
        assertEquals(0, r.position(), "read completed into the view");
        MappedDevice plain = dm.create("y", null, "0 8192 linear " + small + " 0", false);
        assertEquals(512, plain.logicalBlockSize());
    }

    @Test
    void misalignedLengthOffsetAndLineAreRefusedInTheKernelsWords() {
        assertEquals("253:0: len=8191 not aligned to h/w logical block size 4096 of loop1",
                refused("0 8191 linear " + big + " 0"));
        assertEquals("253:0: start=1 not aligned to h/w logical block size 4096 of loop1",
                refused("0 8 linear " + big + " 1"));
        assertEquals("253:0: len=8188 not aligned to h/w logical block size 4096 of loop1",
                refused("0 4 zero\n4 8188 linear " + big + " 0"));
        // each area fits its device, but the line boundary 4 is not a 4096-byte block
        assertEquals("253:0: table line 0 (start sect 0 len 4) not aligned to h/w logical block size 4096",
                refused("0 4 zero\n4 8 linear " + big + " 0"));
        assertEquals("253:0: loop0 too small for target: start=8192, len=8, dev_size=8192",
                refused("0 8 linear " + small + " 8192"));
    }

    @Test
    void aTargetIsCheckedAgainstTheLargestBlockSizeOfItsDevices() {
        // a 512-byte device in the same target as a 4096-byte one must be 4096-aligned too
        assertEquals("253:0: start=4 not aligned to h/w logical block size 4096 of loop0",
                refused("0 16 striped 2 8 " + small + " 4 " + big + " 0"));
    }

    @Test
    void badBlockSizesAndMissingFilesAreRefused() {
        DmException e = assertThrows(DmException.class, () -> dm.attachFile(small, 1000));
        assertEquals(DmException.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("invalid logical block size 1000"), e.getMessage());
        assertEquals(DmException.EINVAL, assertThrows(DmException.class, () -> dm.attachFile(small, 8192)).errno());
        assertEquals(DmException.ENXIO, assertThrows(DmException.class, () -> dm.attachFile(dir.resolve("none"), 512)).errno());
        assertEquals(DmException.EINVAL, assertThrows(DmException.class, () -> dm.attachFile(dir, 512)).errno());
    }

    @Test
    void theBlockSizeOfAFileInUseCannotChange() throws Exception {
        dm.create("x", null, "0 8 linear " + big + " 0", false);
        DmException e = assertThrows(DmException.class, () -> dm.attachFile(big, 512));
        assertEquals(DmException.EBUSY, e.errno());
        assertEquals(new DevT(7, 1), dm.attachFile(big, 4096), "the same size is fine");
        dm.remove("x", false, false);
        assertEquals(new DevT(7, 1), dm.attachFile(big, 512), "released: it may change");
        assertEquals(512, dm.create("y", null, "0 8 linear " + big + " 0", false).logicalBlockSize());
    }

    @Test
    void aDeviceHasNoDiskUntilItsFirstTable() throws Exception {
        MappedDevice md = dm.create("e", null);
        assertFalse(md.diskAdded());
        assertThrows(DmException.class, () -> dm.load("e", "0 7 linear " + big + " 0", false));
        assertFalse(md.diskAdded(), "a refused table adds no disk");
        dm.load("e", "0 8 zero", false);
        assertTrue(md.diskAdded(), "loaded, not yet resumed: the disk exists");
    }
}
