package io.mapperd.dm.targets;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.StatusType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UnstripedTargetTest extends TargetBenchFixture {
    Path raid;

    @BeforeEach
    void createFiles() throws Exception {
        raid = bench.file("raid0.img", 3 << 20);
    }

    /** Target chunk n is chunk n*#stripes + stripe# of the striped device (plus the offset). */
    @Test
    void readsAndWritesLandOnTheChosenMembersChunks() throws Exception {
        ByteBuffer whole = TargetBench.pattern(3 << 20, 7);
        TargetBench.writeFile(raid, 0, whole);
        MappedDevice md = bench.create("m1", "0 2000 unstriped 3 8 1 " + raid + " 16");
        ByteBuffer back = TargetBench.read(md, 0, 2000 * 512);
        for (int n = 0; n < 250; n++) {
            long onRaid = 16 + (long) n * 3 * 8 + 8;
            assertEquals(whole.slice((int) onRaid * 512, 8 * 512), back.slice(n * 8 * 512, 8 * 512), "chunk " + n);
        }
        ByteBuffer data = TargetBench.pattern(12 * 512, 3);
        TargetBench.write(md, 6, data); // member sectors 6..17: chunk 0 [6,7], chunk 1 [0..7], chunk 2 [0,1]
        assertEquals(data.slice(0, 2 * 512), TargetBench.fileBytes(raid, (16 + 8 + 6) * 512, 2 * 512));
        assertEquals(data.slice(2 * 512, 8 * 512), TargetBench.fileBytes(raid, (16 + 24 + 8) * 512, 8 * 512));
        assertEquals(data.slice(10 * 512, 2 * 512), TargetBench.fileBytes(raid, (16 + 48 + 8) * 512, 2 * 512));
        // the neighbours' chunks are untouched
        assertEquals(whole.slice((16 + 24) * 512, 8 * 512), TargetBench.fileBytes(raid, (16 + 24) * 512, 8 * 512));
        assertEquals(whole.slice((16 + 24 + 16) * 512, 8 * 512), TargetBench.fileBytes(raid, (16 + 24 + 16) * 512, 8 * 512));
    }

    /** unstriped undoes striped: member i of a striped set reads back as the file striped onto it. */
    @Test
    void unstripingAStripedDeviceGivesBackEachMember() throws Exception {
        Path[] members = {bench.file("m0.img", 1 << 20), bench.file("m1.img", 1 << 20), bench.file("m2.img", 1 << 20)};
        MappedDevice striped = bench.create("st", "0 6144 striped 3 16 " + members[0] + " 0 " + members[1] + " 0 " + members[2] + " 0");
        ByteBuffer data = TargetBench.pattern(6144 * 512, 11);
        TargetBench.write(striped, 0, data);
        for (int i = 0; i < 3; i++) {
            MappedDevice m = bench.create("u" + i, "0 2048 unstriped 3 16 " + i + " /dev/mapper/st 0");
            assertEquals(TargetBench.fileBytes(members[i], 0, 2048 * 512), TargetBench.read(m, 0, 2048 * 512).rewind().slice());
        }
    }

    @Test
    void tableLineIsTheKernelsAndStatusIsEmpty() throws Exception {
        MappedDevice md = bench.create("m", "0 1024 unstriped 4 128 2 " + raid + " 64");
        assertEquals(List.of("0 1024 unstriped 4 128 2 7:0 64"), md.activeTable().lines(StatusType.TABLE));
        assertEquals(List.of("0 1024 unstriped"), md.activeTable().lines(StatusType.INFO));
    }

    @Test
    void everyConstructorRuleIsEnforcedWithTheKernelsWords() throws Exception {
        assertRejected("0 1024 unstriped 2 8 0 " + raid, "Invalid number of arguments");
        assertRejected("0 1024 unstriped 2 8 0 " + raid + " 0 0", "Invalid number of arguments");
        assertRejected("0 1024 unstriped 0 8 0 " + raid + " 0", "Invalid stripe count");
        assertRejected("0 1024 unstriped two 8 0 " + raid + " 0", "Invalid stripe count");
        assertRejected("0 1024 unstriped 2 0 0 " + raid + " 0", "Invalid chunk_size");
        assertRejected("0 1024 unstriped 2 8 x " + raid + " 0", "Invalid stripe number");
        assertRejected("0 1024 unstriped 2 8 3 " + raid + " 0", "Please provide stripe between [0, # of stripes]");
        assertRejected("0 1024 unstriped 2 8 0 " + dir.resolve("nope.img") + " 0", "Couldn't get striped device");
        assertRejected("0 1024 unstriped 2 8 0 " + raid + " 1x", "Invalid striped device offset");
        assertRejected("0 1020 unstriped 2 8 0 " + raid + " 0", "Target length not divisible by chunk size");
    }

    private void assertRejected(String table, String words) throws Exception {
        assertEquals("253:0: unstriped: " + words + " (-EINVAL)", bench.rejected(raid, table));
    }
}
