package io.mapperd.dm.core;

import io.mapperd.dm.io.Bio;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableValidationTest extends DeviceMapperFixture {
    Path a;

    @BeforeEach
    void createFile() throws Exception {
        a = TestFiles.sized(dir, "a.img", 4 << 20);
    }

    private DmException rejected(String table) throws Exception {
        dm.create("v", null, "0 8192 linear " + a + " 0", false);
        Table live = dm.get("v").activeTable();
        dm.load("v", "0 16 zero", false);
        Table inactive = dm.get("v").inactiveTable();
        DmException e = assertThrows(DmException.class, () -> dm.load("v", table, false));
        assertEquals(DmException.EINVAL, e.errno());
        assertSame(live, dm.get("v").activeTable(), "live table unchanged");
        assertSame(inactive, dm.get("v").inactiveTable(), "inactive table unchanged");
        // the live table still serves I/O
        ByteBuffer w = TestFiles.pattern(4096, 3);
        dm.get("v").submit(Bio.write(8, w, 0)).join();
        ByteBuffer r = ByteBuffer.allocateDirect(4096);
        dm.get("v").submit(Bio.read(8, r)).join();
        assertEquals(w.rewind(), r.rewind());
        return e;
    }

    @Test
    void gapIsRejected() throws Exception {
        assertEquals("253:0: zero: Gap in table (-EINVAL)", rejected("0 100 zero\n200 100 zero").getMessage());
    }

    @Test
    void overlapIsRejectedAsAGap() throws Exception {
        assertEquals("253:0: zero: Gap in table (-EINVAL)", rejected("0 100 zero\n50 100 zero").getMessage());
    }

    @Test
    void firstStartMustBeZero() throws Exception {
        assertEquals("253:0: zero: Gap in table (-EINVAL)", rejected("8 100 zero").getMessage());
    }

    @Test
    void zeroLengthIsRejected() throws Exception {
        assertEquals("253:0: zero-length target", rejected("0 0 zero").getMessage());
    }

    @Test
    void unknownTargetIsRejected() throws Exception {
        assertEquals("253:0: nosuch: unknown target type", rejected("0 8 nosuch").getMessage());
    }

    @Test
    void linearBadSectorIsRejectedInTheKernelsWords() throws Exception {
        assertEquals("253:0: linear: Invalid device sector (-EINVAL)", rejected("0 8 linear " + a + " x1").getMessage());
    }

    @Test
    void linearBeyondDeviceEndIsRejected() throws Exception {
        String msg = rejected("0 8192 linear " + a + " 1").getMessage();
        // the kernel names the device as its block device: our file is the loop device 7:N, "loopN"
        assertEquals("253:0: loop" + dm.fileDevT(a.toRealPath()).minor() + " too small for target: start=1, len=8192, dev_size=8192", msg);
    }

    @Test
    void missingDeviceIsRejectedWithEnodevAsTheKernel() throws Exception {
        // reference fixture reject/11: "linear: Device lookup failed (-ENODEV)", reload fails "No such device"
        dm.create("v", null, "0 8192 linear " + a + " 0", false);
        DmException e = assertThrows(DmException.class,
                () -> dm.load("v", "0 8 linear " + dir.resolve("missing") + " 0", false));
        assertEquals(DmException.ENODEV, e.errno());
        assertEquals("253:0: linear: Device lookup failed (-ENODEV)", e.getMessage());
        assertNull(dm.get("v").inactiveTable());
    }

    @Test
    void tooFewFieldsIsRejected() throws Exception {
        assertEquals("Invalid format on line 1 of table", rejected("0 zero").getMessage());
    }

    @Test
    void nonNumericLengthIsRejected() throws Exception {
        assertEquals("Invalid format on line 2 of table", rejected("0 8 zero\n8 x zero").getMessage());
    }

    @Test
    void emptyTableIsRejected() throws Exception {
        rejected("\n# nothing\n");
    }

    @Test
    void failedCreateLeavesNoDevice() throws Exception {
        assertThrows(DmException.class, () -> dm.create("w", null, "0 8 nosuch", false));
        assertTrue(dm.find("w").isEmpty());
    }

    @Test
    void filesReleasedWhenTableRejected() throws Exception {
        dm.create("x", null, null, false);
        assertThrows(DmException.class, () -> dm.load("x", "0 8 linear " + a + " 0\n16 8 zero", false));
        assertNull(dm.get("x").inactiveTable());
        dm.load("x", "0 8 linear " + a + " 0", false);
        dm.resume("x");
        assertEquals(List.of("0 8 linear 7:0 0"), dm.get("x").activeTable().lines(StatusType.TABLE));
    }
}
