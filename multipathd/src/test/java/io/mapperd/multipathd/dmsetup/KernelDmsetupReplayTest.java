package io.mapperd.multipathd.dmsetup;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.TargetRegistry;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.DevT;
import io.mapperd.multipathd.Daemon;
import io.mapperd.multipathd.DaemonOptions;
import io.mapperd.multipathd.ExportInfo;
import io.mapperd.multipathd.command.Reply;
import io.mapperd.multipathd.control.ControlAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Replays the reference captures of the real dmsetup 1.02.185 on Linux 6.1 (reference/dmsetup/,
 * see its INDEX.md) against our daemon and compares, for every dmsetup command, stdout, stderr and
 * the exit code byte for byte. The commands go through bin/dmsetup's client code and the control
 * socket, exactly as an operator's would.
 * <p>
 * The reference cases ran one after the other in one boot of the VM, and some state carries from
 * one case to the next as it does in a kernel: the loop devices (attached by case {@code setup},
 * detached by {@code teardown}) and the target modules loaded so far (what {@code dmsetup targets}
 * lists). So the replay is one daemon for all cases, in INDEX.md's order; each case is one dynamic
 * test, starts with no mapped device, and reports every mismatch of its commands at once.
 * <p>
 * Our files stand in for the loop devices: {@code losetup -f [-b SIZE] FILE} attaches a 64 MiB
 * file with {@link DeviceMapper#attachFile}, which gives it 7:N in attach order, as the loop
 * driver did; {@code /dev/loopN} in a command is replaced by that file. The other programs the
 * captures ran are played by the harness (truncate, losetup, blockdev, modprobe, dd, uname).
 * <p>
 * The kernel logs why it refuses a table; real dmsetup does not print that, ours does (a user of
 * the daemon cannot read its log): on stderr, one line before libdm's. Stderr is compared without
 * that line, and the line itself with the kernel's in the capture's .dmesg. For other refused
 * commands (a message a target rejects) ours may print the kernel's line the same way; it must then
 * be one of the lines the kernel logged for that command.
 * <p>
 * Documented exceptions, each listed below with its reason: the targets the reference kernel lacks
 * (left out of the replay daemon, as that kernel was built), the commands 6.1 refused for features
 * of later kernels that we have (accepted; the device is removed again so the case goes on as it
 * did in the kernel), and the refusals for which ours says why where 6.1 logs nothing.
 */
class KernelDmsetupReplayTest {
    /** A target our dm-core has and the reference kernel lacks: the replay daemon leaves it out. */
    private static final Map<String, String> NOT_IN_REFERENCE_KERNEL = Map.of(
            "dust", "Debian's 6.1 kernel is built without CONFIG_DM_DUST (the dust case records the refusal)");

    /** Commands the 6.1 kernel refused for features of later kernels that we have: we accept them. */
    private static final Map<String, String> LATER_KERNEL_FEATURES = Map.of(
            "flakey/04-create_fer", "flakey feature error_reads (Linux 6.5)",
            "flakey/06-create_frr", "flakey feature random_read_corrupt (Linux 6.6)",
            "flakey/07-create_frw", "flakey feature random_write_corrupt (Linux 6.6)");

    /**
     * Refused commands for which ours says why on stderr where 6.1 logs no reason: the line we
     * print, and why the kernel has none. The rest of stderr is compared as usual.
     */
    private static final Map<String, String> REASONS_THE_KERNEL_DOES_NOT_LOG = Map.of(
            "multipath/42-message_m_0_fail_path_7_9", "device-mapper: multipath: message: fail_path 7:9: no such path in this map"
                    + "\t6.1's multipath returns -EINVAL without a word for a device that is not one of its paths");

    /** Programs whose output is the VM's own business, not device-mapper's: replayed for the exit code only. */
    private static final Map<String, String> RC_ONLY = Map.of(
            "uname", "prints the reference VM's kernel release",
            "truncate", "creates a backing file (ours: in the test's directory)");

    private static final Pattern LOOP = Pattern.compile("/dev/loop(\\d+)");

    @TempDir
    Path dir;
    private Daemon daemon;
    private ControlAddress socket;
    /** Attached files by loop number, in attach order. */
    private final Map<Integer, Loop> loops = new LinkedHashMap<>();
    /** The capture's /tmp files by their path there. */
    private final Map<String, Path> files = new LinkedHashMap<>();

    private record Loop(Path file, String capturedPath, int blockSize, DevT devT) {
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> replayEveryCaseOfTheReferenceBoot() {
        TargetRegistry registry = TargetRegistry.withBuiltins();
        NOT_IN_REFERENCE_KERNEL.keySet().forEach(name -> {
            assertTrue(registry.find(name).isPresent(), name + " is listed as ours but is not registered");
            registry.unregister(name);
        });
        socket = new ControlAddress("@/mapperd/replay/" + UUID.randomUUID());
        daemon = new Daemon(new DaemonOptions(Optional.empty(), List.of(socket), Optional.empty(), OptionalInt.empty()),
                new DeviceMapper(registry), ExportInfo.NONE).start();
        return ReferenceCase.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> replay(c)));
    }

    private void replay(ReferenceCase c) throws Exception {
        DeviceMapper dm = daemon.deviceMapper();
        assertEquals(List.of(), dm.list().stream().map(MappedDevice::dmName).toList(),
                c.name() + " starts with no mapped device, as in the reference boot");
        List<String> mismatches = new ArrayList<>();
        try {
            for (ReferenceCase.Command cmd : c.commands()) {
                try {
                    run(cmd, mismatches);
                } catch (AssertionError | RuntimeException e) {
                    mismatches.add(cmd.id() + " `" + cmd.line() + "`: " + e.getMessage());
                }
            }
        } finally {
            dm.removeAll(true);
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + c.commands().size() + " commands of case " + c.name()
                    + " differ from the reference:\n\n" + String.join("\n\n", mismatches));
        }
    }

    private void run(ReferenceCase.Command cmd, List<String> mismatches) throws Exception {
        switch (cmd.program()) {
            case "dmsetup" -> dmsetup(cmd, mismatches);
            case "losetup" -> losetup(cmd);
            case "truncate" -> truncate(cmd);
            case "blockdev" -> blockdev(cmd);
            case "modprobe" -> modprobe(cmd);
            case "dd" -> dd(cmd);
            case "uname" -> assertEquals(0, cmd.rc(), RC_ONLY.get("uname"));
            default -> fail("the replay does not know how to play " + cmd.program());
        }
    }

    // ---- dmsetup ----

    private void dmsetup(ReferenceCase.Command cmd, List<String> mismatches) throws Exception {
        List<String> argv = cmd.words().subList(1, cmd.words().size()).stream().map(this::ourPaths).toList();
        Reply ours = dmsetupClient(argv);
        String why = LATER_KERNEL_FEATURES.get(cmd.id());
        if (why != null) {
            laterKernelFeature(cmd, argv, ours, why);
            return;
        }
        String expectedOut = cmd.out();
        String ourErr = ours.err();
        int nl = ourErr.indexOf('\n');
        String first = nl < 0 ? ourErr : ourErr.substring(0, nl);
        Optional<String> reason = refusedTableReason(cmd);
        if (reason.isPresent()) {
            if (!first.equals(reason.get())) {
                mismatches.add(cmd.id() + " `" + cmd.line() + "`: the kernel's reason line\n  kernel: "
                        + show(reason.get()) + "\n  ours:   " + show(first));
            }
            ourErr = ourErr.substring(nl + 1);
        } else if (REASONS_THE_KERNEL_DOES_NOT_LOG.containsKey(cmd.id())) {
            String line = REASONS_THE_KERNEL_DOES_NOT_LOG.get(cmd.id()).split("\t")[0];
            if (!first.equals(line)) {
                mismatches.add(cmd.id() + " `" + cmd.line() + "`: our reason line\n  expected: " + show(line)
                        + "\n  ours:     " + show(first));
            }
            ourErr = ourErr.substring(nl + 1);
        } else if (cmd.rc() != 0 && !cmd.err().startsWith(first + "\n")
                && cmd.dmesg().orElse("").lines().anyMatch(l -> l.equals(first) && l.startsWith("device-mapper: "))) {
            // a refused message or rename: ours may print the kernel's line too, and then it is the kernel's
            ourErr = ourErr.substring(nl + 1);
        }
        Reply expected = new Reply(expectedOut, cmd.err(), cmd.rc());
        Reply actual = new Reply(ours.out(), ourErr, ours.rc());
        if (!expected.equals(actual)) {
            mismatches.add(cmd.id() + " `" + cmd.line() + "`:\n" + diff(expected, actual));
        }
    }

    /**
     * The kernel's line for a refused table: the last `device-mapper: table:` line of the log (an
     * earlier one is a warning, as "caused an alignment inconsistency").
     */
    private static Optional<String> refusedTableReason(ReferenceCase.Command cmd) {
        if (cmd.rc() == 0 || cmd.dmesg().isEmpty()) {
            return Optional.empty();
        }
        return cmd.dmesg().get().lines().filter(l -> l.startsWith("device-mapper: table: ")).reduce((a, b) -> b);
    }

    /** We accept what 6.1 refused; the device is removed again so the case goes on as in the kernel. */
    private void laterKernelFeature(ReferenceCase.Command cmd, List<String> argv, Reply ours, String why) throws DmException {
        assertEquals(1, cmd.rc(), cmd.id() + " is listed as refused by 6.1");
        assertTrue(cmd.dmesg().orElse("").contains("Unrecognised flakey feature requested"), cmd.id() + ": " + cmd.dmesg());
        assertEquals(new Reply("", "", 0), ours, why + ": ours accepts it");
        String name = argv.get(argv.indexOf("create") + 1);
        String feature = argv.getLast().split(" ")[8];
        Reply table = dmsetupClient(List.of("table", name));
        assertTrue(table.out().contains(" " + feature), why + ": " + table);
        daemon.deviceMapper().remove(name, false, false);
    }

    private Reply dmsetupClient(List<String> argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = DmsetupClient.run(argv.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("MAPPERD_SOCKET", socket.spec()));
        return new Reply(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), rc);
    }

    /** /dev/loopN becomes the file attached as loop N; a loop never attached, a path that does not exist. */
    private String ourPaths(String word) {
        Matcher m = LOOP.matcher(word);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Loop l = loops.get(Integer.parseInt(m.group(1)));
            Path p = l != null ? l.file() : dir.resolve("no-such-loop" + m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(p.toString()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    // ---- the other programs of the captures ----

    private void truncate(ReferenceCase.Command cmd) throws IOException {
        List<String> w = cmd.words();
        assertEquals(List.of("truncate", "-s", "64M"), w.subList(0, 3), "only truncate -s 64M FILE is replayed");
        Path p = dir.resolve(Path.of(w.get(3)).getFileName());
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        files.put(w.get(3), p);
        assertEquals(0, cmd.rc(), RC_ONLY.get("truncate"));
    }

    private void losetup(ReferenceCase.Command cmd) throws DmException {
        List<String> w = cmd.words();
        switch (w.get(1)) {
            case "-f" -> {
                int bs = w.get(2).equals("-b") ? Integer.parseInt(w.get(3)) : 512;
                String captured = w.getLast();
                Path file = files.get(captured);
                assertTrue(file != null, captured + " was not created by an earlier truncate");
                int n = loops.size();
                DevT devT = daemon.deviceMapper().attachFile(file, bs);
                assertEquals(new DevT(DevT.LOOP_MAJOR, n), devT, "attach order gives loop" + n);
                loops.put(n, new Loop(file, captured, bs, devT));
                assertEquals(0, cmd.rc());
            }
            case "-l" -> {
                List<String> rows = cmd.out().lines().skip(1).toList();
                assertEquals(loops.size(), rows.size(), "loop devices listed: " + cmd.out());
                for (String row : rows) {
                    // NAME MAJ:MIN SIZELIMIT OFFSET LOG-SEC BACK-FILE (-O) or losetup's default columns
                    String[] f = row.trim().split("\\s+");
                    Loop l = loops.get(Integer.parseInt(f[0].substring("/dev/loop".length())));
                    if (w.contains("-O")) {
                        assertEquals(l.devT().toString(), f[1], row);
                        assertEquals(Integer.toString(l.blockSize()), f[4], row);
                    }
                    assertEquals(l.capturedPath(), f[f.length - 1], row);
                }
            }
            case "-d" -> {
                int n = Integer.parseInt(w.get(2).substring("/dev/loop".length()));
                assertTrue(loops.remove(n) != null, "loop" + n + " attached");
                assertTrue(daemon.deviceMapper().list().isEmpty(), "no mapped device holds a detached loop device");
                assertEquals(0, cmd.rc());
            }
            default -> fail("losetup " + w.get(1) + " is not replayed");
        }
    }

    /** blockdev --getsz --getss --getpbsz: what our attached file shows a table. */
    private void blockdev(ReferenceCase.Command cmd) throws IOException {
        assertEquals(List.of("blockdev", "--getsz", "--getss", "--getpbsz"), cmd.words().subList(0, 4));
        Matcher m = LOOP.matcher(cmd.words().get(4));
        assertTrue(m.matches(), cmd.line());
        Loop l = loops.get(Integer.parseInt(m.group(1)));
        String ours = (Files.size(l.file()) / Bio.SECTOR_SIZE) + "\n" + l.blockSize() + "\n" + l.blockSize() + "\n";
        assertEquals(cmd.out(), ours, "size, logical and physical block size of loop" + m.group(1));
        assertEquals(cmd.rc(), 0);
    }

    /** modprobe dm-NAME: dm-mod is the core; a target's module loads if we have that target. */
    private void modprobe(ReferenceCase.Command cmd) {
        String module = cmd.words().getLast();
        assertTrue(module.startsWith("dm-"), cmd.line());
        String target = module.substring(3);
        boolean ok = target.equals("mod") || daemon.deviceMapper().targets().load(target).isPresent();
        assertEquals(cmd.rc(), ok ? 0 : 1, "modprobe " + module + " exit code");
    }

    /** dd if=/dev/mapper/NAME of=/dev/null bs=4096 count=1 iflag=direct: one read through the device. */
    private void dd(ReferenceCase.Command cmd) throws Exception {
        String in = cmd.words().stream().filter(s -> s.startsWith("if=/dev/mapper/")).findFirst().orElseThrow();
        assertTrue(cmd.words().contains("bs=4096") && cmd.words().contains("count=1"), cmd.line());
        MappedDevice md = daemon.deviceMapper().get(in.substring("if=/dev/mapper/".length()));
        int rc;
        try {
            md.submit(Bio.read(0, ByteBuffer.allocateDirect(4096))).get(30, TimeUnit.SECONDS);
            rc = 0;
        } catch (java.util.concurrent.ExecutionException e) {
            rc = 1;
        }
        assertEquals(cmd.rc(), rc, "dd exit code");
    }

    // ---- reporting ----

    private static String diff(Reply expected, Reply actual) {
        StringBuilder sb = new StringBuilder();
        if (expected.rc() != actual.rc()) {
            sb.append("  exit code: kernel ").append(expected.rc()).append(", ours ").append(actual.rc()).append('\n');
        }
        if (!expected.out().equals(actual.out())) {
            sb.append("  stdout, kernel:\n").append(indent(expected.out())).append("  stdout, ours:\n").append(indent(actual.out()));
        }
        if (!expected.err().equals(actual.err())) {
            sb.append("  stderr, kernel:\n").append(indent(expected.err())).append("  stderr, ours:\n").append(indent(actual.err()));
        }
        return sb.toString();
    }

    private static String indent(String text) {
        if (text.isEmpty()) {
            return "    (nothing)\n";
        }
        StringBuilder sb = new StringBuilder();
        for (String l : text.split("\n", -1)) {
            sb.append("    |").append(show(l)).append("|\n");
        }
        return sb.toString();
    }

    private static String show(String s) {
        return s.replace("\t", "\\t");
    }
}
