package io.mapperd.multipathd.refvm;

import io.mapperd.multipathd.Peers;
import io.mapperd.transport.nvmetcp.RefVm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The reference VM (tools/refvm/README.md) as the multipathd tests use it: the Linux kernel's LIO
 * iSCSI target (guest portals 3260 in ALUA group "ao" 16, 3261 in "ano" 17; host 127.0.0.1:13260 and
 * :13261) and nvmet NVMe/TCP target (guest ports 4420 ANA optimized, 4421 non-optimized; host :14420,
 * :14421), and a root shell on host :12222. Tests skip when it is not running, and fail under CI=true.
 * Ports follow the same system properties as the transports' RefVm helper, whose shell it uses.
 */
public final class RefVmGuest {
    static final String HOST = "127.0.0.1";
    static final int SHELL_PORT = Integer.getInteger("refvm.shell.port", 12222);
    static final int NVME_PORT = Integer.getInteger("refvm.nvme.port", 14420);
    static final int ISCSI_PORT = Integer.getInteger("refvm.iscsi.port", 13260);
    /** What the guest's port numbers are on the host. */
    static final int ISCSI_OFFSET = ISCSI_PORT - 3260;
    static final int NVME_OFFSET = NVME_PORT - 4420;
    static final String IQN = "iqn.2024-01.io.refvm:tgt1";
    static final String NQN = "nqn.2024-01.io.refvm:nvme1";
    static final String LIO = "/sys/kernel/config/target";
    static final String LIO_TPG = LIO + "/iscsi/" + IQN + "/tpgt_";
    static final String LIO_ALUA = LIO + "/core/fileio_0/file0/alua/";
    static final String NVMET = "/sys/kernel/config/nvmet";
    /** Where the guest helper script lives in the guest. */
    static final String DIR = "/tmp/mapperd-refvm";

    private static Boolean up;

    private RefVmGuest() {
    }

    /** Skips (or fails under CI=true) unless the guest shell answers and the LIO portal accepts. */
    public static synchronized void require() {
        if (up == null) {
            up = answers() || answers();
        }
        String why = "the reference VM does not answer on " + HOST + ":" + SHELL_PORT + " (shell) and " + HOST + ":"
                + ISCSI_PORT + " (LIO); start it with tools/refvm/build-refvm.sh up (see tools/refvm/README.md)";
        Peers.need(up, why);
    }

    private static boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, ISCSI_PORT), 2000);
            return exec("echo refvm-$((40+2))").contains("refvm-42");
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs a shell command in the guest as root; returns its output (stdout and stderr merged). */
    static String exec(String command) throws IOException {
        return RefVm.exec(command);
    }

    /** {@link #exec}, for finally blocks: a failure is reported on stderr, not thrown over the test's own. */
    static void restore(String command) {
        try {
            exec(command);
        } catch (IOException e) {
            System.err.println("refvm: could not restore guest state with `" + command + "`: " + e);
        }
    }

    /** Writes {@code text} to {@code path} in the guest. */
    static void put(String path, String text) throws IOException {
        if (text.contains("\nMAPPERD_EOF\n")) {
            throw new IllegalArgumentException("text holds the here-document marker");
        }
        exec("mkdir -p " + DIR + " && cat > " + path + " <<'MAPPERD_EOF'\n" + text + (text.endsWith("\n") ? "" : "\n")
                + "MAPPERD_EOF");
    }

    /** Installs the guest helper (src/test/resources/refvm/guest-multipath.sh) and runs it with {@code args}. */
    static String guestMultipath(String args) throws IOException {
        String script;
        try (InputStream in = Objects.requireNonNull(RefVmGuest.class.getResourceAsStream("/refvm/guest-multipath.sh"),
                "resource refvm/guest-multipath.sh")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        put(DIR + "/guest-multipath.sh", script);
        return exec("sh " + DIR + "/guest-multipath.sh " + args);
    }

    /** Sections of the helper's `show` output ("== paths", "== topology", ...) by name. */
    static Map<String, List<String>> sections(String show) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String current = null;
        List<String> lines = null;
        for (String l : show.lines().toList()) {
            if (l.startsWith("== ")) {
                current = l.substring(3).strip();
                lines = new java.util.ArrayList<>();
                out.put(current, lines);
            } else if (lines != null && !l.isBlank()) {
                lines.add(l);
            }
        }
        return out;
    }

    // ---- the targets' state: each change has its inverse, for finally blocks ----

    static void lioTpgEnabled(int tpgt, boolean enabled) throws IOException {
        exec("echo " + (enabled ? 1 : 0) + " > " + LIO_TPG + tpgt + "/enable");
    }

    static String lioTpgEnableCommand(int tpgt) {
        return "echo 1 > " + LIO_TPG + tpgt + "/enable";
    }

    /** Commands LIO received on {@code tpgt}'s LUN 0, and megabytes written through it. */
    static long[] lioPortCounters(int tpgt) throws IOException {
        String d = LIO_TPG + tpgt + "/lun/lun_0/statistics/scsi_tgt_port/";
        String[] w = exec("cat " + d + "in_cmds " + d + "write_mbytes").trim().split("\\s+");
        return new long[] {Long.parseLong(w[0]), Long.parseLong(w[1])};
    }

    /** The ALUA access type of both port groups as the number configfs takes (1 implicit, 3 both...). */
    static int lioAluaAccessType() throws IOException {
        String t = exec("cat " + LIO_ALUA + "ao/alua_access_type").strip();
        return switch (t) {
            case "Implicit and Explicit" -> 3;
            case "Explicit" -> 2;
            case "Implicit" -> 1;
            case "None" -> 0;
            default -> throw new UncheckedIOException(new IOException("unexpected alua_access_type: " + t));
        };
    }

    static String lioAluaAccessTypeCommand(int type) {
        return "echo " + type + " > " + LIO_ALUA + "ao/alua_access_type; echo " + type + " > " + LIO_ALUA + "ano/alua_access_type";
    }

    /** The reference states: "ao" active/optimized, "ano" active/non-optimized. */
    static String lioAluaStatesCommand() {
        return "echo 0 > " + LIO_ALUA + "ao/alua_access_state; echo 1 > " + LIO_ALUA + "ano/alua_access_state";
    }

    /** Removes (or restores) the subsystem's link on an nvmet port: its controllers there are deleted. */
    static void nvmetPortLinked(int port, boolean linked) throws IOException {
        exec(linked ? nvmetLinkCommand(port) : "rm -f " + NVMET + "/ports/" + port + "/subsystems/" + NQN);
    }

    static String nvmetLinkCommand(int port) {
        String link = NVMET + "/ports/" + port + "/subsystems/" + NQN;
        return "[ -e " + link + " ] || ln -s " + NVMET + "/subsystems/" + NQN + " " + link;
    }
}
