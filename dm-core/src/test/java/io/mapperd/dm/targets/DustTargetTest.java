package io.mapperd.dm.targets;

import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BlkStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DustTargetTest extends TargetBenchFixture {
    Path a;
    ByteBuffer original;
    MappedDevice md;

    @BeforeEach
    void createFiles() throws Exception {
        a = bench.file("a.img", 1 << 20);
        original = TargetBench.pattern(1 << 20, 3);
        TargetBench.writeFile(a, 0, original);
    }

    private String msg(String text) throws DmException {
        return bench.dm.message("dust", 0, Arrays.asList(text.split(" ")));
    }

    private DmException refused(String text) {
        DmException e = assertThrows(DmException.class, () -> msg(text));
        assertEquals(DmException.EINVAL, e.errno());
        return e;
    }

    private BlkStatus readFails(long sector) {
        return TargetBench.failure(md.submit(Bio.read(sector, ByteBuffer.allocateDirect(512))));
    }

    @Test
    void mapsLikeLinearFromTheOffset() throws Exception {
        md = bench.create("dust", "0 1024 dust " + a + " 64 4096");
        assertEquals(original.slice(64 * 512, 8192), TargetBench.read(md, 0, 8192));
        ByteBuffer data = TargetBench.pattern(12288, 4);
        TargetBench.write(md, 20, data);
        assertEquals(data, TargetBench.fileBytes(a, 84 * 512, 12288));
    }

    @Test
    void badBlocksFailReadsOnlyWhileEnabled() throws Exception {
        md = bench.create("dust", "0 2048 dust " + a + " 0 4096");
        assertEquals("", msg("addbadblock 60"));
        assertEquals("", msg("addbadblock 67"));
        // block 60 is sectors 480..487: readable while bypassed
        assertEquals(original.slice(483 * 512, 512), TargetBench.read(md, 483, 512));
        assertEquals("", msg("enable"));
        assertEquals(BlkStatus.IOERR, readFails(480));
        assertEquals(BlkStatus.IOERR, readFails(487));
        assertEquals(original.slice(488 * 512, 512), TargetBench.read(md, 488, 512));
        // a read across blocks 59..61 fails for the part on block 60
        assertEquals(BlkStatus.IOERR, TargetBench.failure(md.submit(Bio.read(470, ByteBuffer.allocateDirect(16 * 512)))));
        assertEquals(List.of("0 2048 dust 7:0 fail_read_on_bad_block verbose"), md.activeTable().lines(StatusType.INFO));
        assertEquals("", msg("disable"));
        assertEquals(original.slice(480 * 512, 512), TargetBench.read(md, 480, 512));
        assertEquals(List.of("0 2048 dust 7:0 bypass verbose"), md.activeTable().lines(StatusType.INFO));
    }

    @Test
    void aWriteClearsABadBlockUnlessItHasWriteFailuresLeft() throws Exception {
        md = bench.create("dust", "0 2048 dust " + a + " 0 4096");
        msg("addbadblock 10");
        msg("addbadblock 11 2");
        msg("enable");
        ByteBuffer data = TargetBench.pattern(4096, 9);
        TargetBench.write(md, 80, data);
        assertEquals("dust_query_block: block 10 not found in badblocklist", msg("queryblock 10"));
        assertEquals(data, TargetBench.read(md, 80, 4096).rewind());
        assertEquals(BlkStatus.IOERR, TargetBench.failure(md.submit(Bio.write(88, data.duplicate(), 0))));
        assertEquals(BlkStatus.IOERR, TargetBench.failure(md.submit(Bio.write(88, data.duplicate(), 0))));
        assertEquals(original.slice(88 * 512, 4096), TargetBench.fileBytes(a, 88 * 512, 4096));
        TargetBench.write(md, 88, data);
        assertEquals(data, TargetBench.fileBytes(a, 88 * 512, 4096));
        assertEquals("countbadblocks: 0 badblock(s) found", msg("countbadblocks"));
    }

    @Test
    void blockNumbersCountFromTheUnderlyingDevicesStart() throws Exception {
        md = bench.create("dust", "0 1024 dust " + a + " 64 4096");
        msg("addbadblock 8"); // device sectors 64..71 = target sectors 0..7
        msg("enable");
        assertEquals(BlkStatus.IOERR, readFails(0));
        assertEquals(original.slice(72 * 512, 512), TargetBench.read(md, 8, 512));
    }

    @Test
    void messagesReplyAsTheKernelDoes() throws Exception {
        md = bench.create("dust", "0 2048 dust " + a + " 0 512");
        assertEquals("No blocks in badblocklist", msg("listbadblocks"));
        assertEquals("countbadblocks: 0 badblock(s) found", msg("countbadblocks"));
        assertEquals("dust_clear_badblocks: no badblocks found", msg("clearbadblocks"));
        assertEquals("", msg("addbadblock 60"));
        assertEquals("", msg("addbadblock 7"));
        assertEquals("", msg("AddBadBlock 2048")); // the device's size in blocks is accepted, as in the kernel
        assertEquals("dust_query_block: block 60 found in badblocklist", msg("queryblock 60"));
        assertEquals("dust_query_block: block 61 not found in badblocklist", msg("queryblock 61"));
        assertEquals("countbadblocks: 3 badblock(s) found", msg("countbadblocks"));
        assertEquals("7\n60\n2048\n", msg("listbadblocks"));
        assertEquals("", msg("removebadblock 2048"));
        assertEquals("dust_clear_badblocks: badblocks cleared", msg("clearbadblocks"));
        assertEquals("countbadblocks: 0 badblock(s) found", msg("countbadblocks"));
        assertEquals("", msg("quiet"));
        assertEquals(List.of("0 2048 dust 7:0 bypass quiet"), md.activeTable().lines(StatusType.INFO));
        assertEquals("", msg("quiet"));
        assertEquals(List.of("0 2048 dust 7:0 bypass verbose"), md.activeTable().lines(StatusType.INFO));
        assertEquals(List.of("0 2048 dust 7:0 0 512"), md.activeTable().lines(StatusType.TABLE));
    }

    @Test
    void badMessagesAreRefused() throws Exception {
        md = bench.create("dust", "0 2048 dust " + a + " 0 512");
        msg("addbadblock 5");
        assertEquals("dust_add_block: block 5 already in badblocklist", refused("addbadblock 5").getMessage());
        assertEquals("dust_remove_block: block 6 not found in badblocklist", refused("removebadblock 6").getMessage());
        assertEquals("selected block value out of range", refused("addbadblock 2049").getMessage());
        assertEquals("selected write fail count out of range", refused("addbadblock 9 256").getMessage());
        assertEquals("queryblock requires an additional argument", refused("queryblock").getMessage());
        assertEquals("unrecognized message 'frobnicate' received", refused("frobnicate").getMessage());
        assertEquals("unrecognized message 'queryblock' received", refused("queryblock 1 1").getMessage());
        assertEquals("invalid number of arguments '4'", refused("addbadblock 1 2 3").getMessage());
        refused("addbadblock x");
        assertEquals("countbadblocks: 1 badblock(s) found", msg("countbadblocks"));
    }

    @Test
    void everyConstructorRuleIsEnforcedWithTheKernelsWords() throws Exception {
        assertRejected("0 1024 dust " + a + " 0", "Invalid argument count");
        assertRejected("0 1024 dust " + a + " 0 512 1", "Invalid argument count");
        assertRejected("0 1024 dust " + a + " 0 0", "Invalid block size parameter");
        assertRejected("0 1024 dust " + a + " 0 4k", "Invalid block size parameter");
        assertRejected("0 1024 dust " + a + " 0 256", "Block size must be at least 512");
        assertRejected("0 1024 dust " + a + " 0 1536", "Block size must be a power of 2");
        assertRejected("0 4 dust " + a + " 0 4096", "Block size is too large");
        assertRejected("0 1024 dust " + a + " 0 2147483648", "Block size is too large");
        assertRejected("0 1024 dust " + a + " off 512", "Invalid device offset sector");
        assertRejected("0 1024 dust " + dir.resolve("missing") + " 0 512", "Device lookup failed");
    }

    private void assertRejected(String table, String words) throws Exception {
        assertEquals("253:0: dust: " + words + " (-EINVAL)", bench.rejected(a, table));
    }
}
