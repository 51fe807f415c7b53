package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.TestFiles;
import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.io.Bio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Replays the multipath cases captured from the real kernel (Linux 6.1, see
 * reference/dmsetup/INDEX.md): creates, messages and reads (dd) run through DeviceMapper with
 * backing files in place of loop0 and loop1 (they get 7:0 and 7:1 in first-use order), and every
 * `dmsetup table`/`status` output is compared byte for byte with {@code Table.lines}. Refused
 * creates must be refused with the kernel's log line; refused messages with the kernel's warning.
 */
class MultipathReferenceOutputTest {
    private static final String ROOT = "/reference/dmsetup/";
    private static final Pattern CREATE = Pattern.compile("dmsetup create (\\S+) --table '([^']*)'");
    private static final Pattern MESSAGE = Pattern.compile("dmsetup message (\\S+) (\\d+) (.*)");
    private static final Pattern DD = Pattern.compile("dd if=/dev/mapper/(\\S+) of=/dev/null bs=(\\d+) count=(\\d+) iflag=direct( status=none)?");

    @TempDir
    Path dir;
    DeviceMapper dm;
    Path[] loops;

    @BeforeEach
    void setUp() throws Exception {
        dm = new DeviceMapper();
        loops = new Path[2];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = TestFiles.sized(dir, (char) ('a' + i) + ".img", 64L << 20).toRealPath();
            assertEquals("7:" + i, dm.fileDevT(loops[i]).toString());
        }
    }

    @AfterEach
    void tearDown() {
        dm.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"multipath", "multipath_groups", "multipath_selectors"})
    void tablesStatusAndMessagesMatchTheKernel(String refCase) throws Exception {
        int compared = 0;
        for (String row : resource(refCase, "commands.tsv").split("\n")) {
            String[] f = row.split("\t", 2);
            String slug = f[0];
            String cmd = f[1];
            boolean kernelOk = resource(refCase, slug + ".rc").strip().equals("0");
            Matcher m;
            if ((m = CREATE.matcher(cmd)).matches()) {
                create(refCase, slug, m.group(1), m.group(2), kernelOk);
                compared++;
            } else if (cmd.equals("dmsetup table") || cmd.equals("dmsetup status")) {
                assertEquals(resource(refCase, slug + ".out"), all(cmd.endsWith("table") ? StatusType.TABLE : StatusType.INFO), slug);
                compared++;
            } else if (cmd.matches("dmsetup (table|status) \\S+")) {
                MappedDevice md = dm.get(cmd.substring(cmd.lastIndexOf(' ') + 1));
                StatusType t = cmd.startsWith("dmsetup table") ? StatusType.TABLE : StatusType.INFO;
                assertEquals(resource(refCase, slug + ".out"), lines(md, t, ""), slug);
                compared++;
            } else if ((m = MESSAGE.matcher(cmd)).matches()) {
                message(refCase, slug, m.group(1), Long.parseLong(m.group(2)), List.of(m.group(3).split(" ")), kernelOk);
                compared++;
            } else if ((m = DD.matcher(cmd)).matches()) {
                int bs = Integer.parseInt(m.group(2));
                MappedDevice md = dm.get(m.group(1));
                for (int i = 0; i < Integer.parseInt(m.group(3)); i++) {
                    md.submit(Bio.read((long) i * bs >> 9, ByteBuffer.allocateDirect(bs))).get(10, TimeUnit.SECONDS);
                }
            } else if (cmd.matches("dmsetup remove \\S+")) {
                dm.remove(cmd.substring(cmd.lastIndexOf(' ') + 1), false, false);
            }
        }
        assertTrue(compared >= 5, "compared " + compared + " outputs of case " + refCase);
    }

    private void create(String refCase, String slug, String name, String table, boolean kernelOk) throws Exception {
        String ours = table.replace("/dev/loop0", loops[0].toString()).replace("/dev/loop1", loops[1].toString());
        if (kernelOk) {
            dm.create(name, null, ours, false);
            return;
        }
        DmException e = assertThrows(DmException.class, () -> dm.create(name, null, ours, false), slug);
        String kernelLine = resource(refCase, slug + ".dmesg").lines().findFirst().orElseThrow();
        assertEquals(kernelLine, "device-mapper: table: " + e.getMessage(), slug);
    }

    private void message(String refCase, String slug, String name, long sector, List<String> argv, boolean kernelOk)
            throws Exception {
        if (kernelOk) {
            dm.message(name, sector, argv);
            return;
        }
        DmException e = assertThrows(DmException.class, () -> dm.message(name, sector, argv), slug);
        assertEquals(DmException.EINVAL, e.errno(), slug);
        String dmesg = resource(refCase, slug + ".dmesg");
        String prefix = "device-mapper: multipath: ";
        if (dmesg.startsWith(prefix)) {
            assertEquals(dmesg.lines().findFirst().orElseThrow(), prefix + e.getMessage(), slug);
        } else if (!argv.getFirst().endsWith("_path")) {
            fail(slug + ": the kernel logged nothing we know for " + argv + ": " + dmesg);
        }
    }

    /** `dmsetup table|status` of every device, in name order, as dmsetup prints them. */
    private String all(StatusType type) {
        StringBuilder sb = new StringBuilder();
        for (MappedDevice md : dm.list()) {
            sb.append(lines(md, type, md.dmName() + ": "));
        }
        return sb.toString();
    }

    private static String lines(MappedDevice md, StatusType type, String prefix) {
        StringBuilder sb = new StringBuilder();
        for (String l : md.activeTable().lines(type)) {
            sb.append(prefix).append(l).append('\n');
        }
        return sb.toString();
    }

    private static String resource(String refCase, String file) throws IOException {
        try (InputStream in = MultipathReferenceOutputTest.class.getResourceAsStream(ROOT + refCase + "/" + file)) {
            assertNotNull(in, "reference fixture " + ROOT + refCase + "/" + file + " (captured on main)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
