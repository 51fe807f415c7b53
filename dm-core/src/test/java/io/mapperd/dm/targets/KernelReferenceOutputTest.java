package io.mapperd.dm.targets;

import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Replays the reference cases captured from the real kernel (Linux 6.1, Debian bookworm; see
 * reference/dmsetup/INDEX.md) through DeviceMapper with backing files in place of loop0..2, and
 * compares the table and status lines byte for byte with what dmsetup printed, and refused tables
 * with the kernel's log line. dmsetup prints {@code name: start length type params} with a space
 * after the type even when params are empty; the lines here are built the same way from
 * {@link Table#entries()} so the targets' own text is what is compared.
 * <p>
 * Known, deliberate differences (issue 2 asks for them): flakey's error_reads, random_read_corrupt
 * and random_write_corrupt (Linux 6.5/6.6 features) are accepted here where 6.1 refuses them.
 * The dust case is not replayed: Debian's 6.1 kernel is built without dm-dust.
 */
class KernelReferenceOutputTest {
    private static final String ROOT = "/reference/dmsetup/";
    private static final Pattern CREATE = Pattern.compile("dmsetup create (\\S+) --table '([^']*)'");
    private static final Set<String> MY_TARGETS = Set.of("striped", "unstriped", "delay", "flakey", "dust");
    /** Creates 6.1 refuses and we accept: the later kernels' flakey features. */
    private static final Set<String> EXTENSIONS = Set.of("04-create_fer", "06-create_frr", "07-create_frw");

    @TempDir
    Path dir;
    TargetBench bench;
    Path[] loops;

    @BeforeEach
    void setUp() throws Exception {
        bench = new TargetBench(dir);
        loops = new Path[3];
        for (int i = 0; i < 3; i++) {
            loops[i] = bench.file((char) ('a' + i) + ".img", 64L << 20).toRealPath();
            assertEquals("7:" + i, bench.dm.fileDevT(loops[i]).toString());
        }
    }

    @AfterEach
    void tearDown() {
        bench.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"striped", "unstriped", "delay", "flakey", "reject"})
    void tablesAndStatusMatchTheKernel(String refCase) throws Exception {
        int compared = 0;
        boolean replayingX = false;
        for (String row : resource(refCase, "commands.tsv").split("\n")) {
            String[] f = row.split("\t", 2);
            String slug = f[0];
            String cmd = f[1];
            Matcher m = CREATE.matcher(cmd);
            if (m.matches()) {
                String table = m.group(2);
                String type = table.split(" ")[2];
                replayingX = MY_TARGETS.contains(type) || !refCase.equals("reject");
                if (!replayingX || type.equals("dust")) {
                    replayingX = false;
                    continue;
                }
                create(refCase, slug, m.group(1), table);
                compared++;
            } else if (cmd.equals("dmsetup table") || cmd.equals("dmsetup status")) {
                assertEquals(resource(refCase, slug + ".out"), all(cmd.endsWith("table") ? StatusType.TABLE : StatusType.INFO), slug);
                compared++;
            } else if (cmd.matches("dmsetup (table|status) \\S+") && replayingX) {
                String name = cmd.substring(cmd.lastIndexOf(' ') + 1);
                StatusType t = cmd.startsWith("dmsetup table") ? StatusType.TABLE : StatusType.INFO;
                assertEquals(resource(refCase, slug + ".out"), lines(bench.dm.get(name), t, ""), slug);
                compared++;
            } else if (cmd.matches("dmsetup remove \\S+") && (replayingX || !refCase.equals("reject"))) {
                bench.dm.remove(cmd.substring(cmd.lastIndexOf(' ') + 1), false, false);
            }
        }
        assertTrue(compared >= 3, "compared " + compared + " outputs of case " + refCase);
    }

    private void create(String refCase, String slug, String name, String table) throws Exception {
        String ours = table.replace("/dev/loop0", loops[0].toString()).replace("/dev/loop1", loops[1].toString())
                .replace("/dev/loop2", loops[2].toString());
        boolean kernelAccepted = resource(refCase, slug + ".rc").strip().equals("0");
        try {
            bench.dm.create(name, null, ours, false);
            if (EXTENSIONS.contains(slug)) {
                assertTrue(resource(refCase, slug + ".dmesg").contains("Unrecognised flakey feature requested"));
                bench.dm.remove(name, false, false); // not in the kernel's listings that follow
                return;
            }
            assertTrue(kernelAccepted, slug + ": the kernel refused " + table + " and we accepted it");
        } catch (DmException e) {
            if (kernelAccepted) {
                fail(slug + ": the kernel accepted " + table + " and we refused it: " + e.getMessage());
            }
            String kernelLine = resource(refCase, slug + ".dmesg").lines().findFirst().orElseThrow();
            assertEquals(kernelLine, "device-mapper: table: " + e.getMessage(), slug);
        }
    }

    /** `dmsetup table|status` of every device, by name, as dmsetup prints them. */
    private String all(StatusType type) {
        StringBuilder sb = new StringBuilder();
        for (MappedDevice md : bench.dm.list()) {
            sb.append(lines(md, type, md.dmName() + ": "));
        }
        return sb.toString();
    }

    private static String lines(MappedDevice md, StatusType type, String prefix) {
        List<String> out = new ArrayList<>();
        for (Table.Entry e : md.activeTable().entries()) {
            out.add(prefix + e.start() + " " + e.length() + " " + e.type().name() + " " + e.target().status(type) + "\n");
        }
        return String.join("", out);
    }

    private static String resource(String refCase, String file) throws IOException {
        try (InputStream in = KernelReferenceOutputTest.class.getResourceAsStream(ROOT + refCase + "/" + file)) {
            assertNotNull(in, "reference fixture " + ROOT + refCase + "/" + file + " (captured on main)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
