package io.mapperd.transport.nvmetcp;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The reference VM (refvm/README.md): the Linux kernel's NVMe/TCP target (nvmet) on 127.0.0.1:14420
 * (ANA optimized) and :14421 (non-optimized), and a root shell on :12222. Tests that need it skip
 * when it is not running, and fail under CI=true.
 */
public final class RefVm {
    public static final String HOST = "127.0.0.1";
    public static final int NVME_PORT_OPTIMIZED = Integer.getInteger("refvm.nvme.port", 14420);
    public static final int NVME_PORT_NON_OPTIMIZED = NVME_PORT_OPTIMIZED + 1;
    public static final int SHELL_PORT = Integer.getInteger("refvm.shell.port", 12222);
    public static final String SUBNQN = "nqn.2024-01.io.refvm:nvme1";
    /** nvmet's configfs in the guest. */
    public static final String NVMET = "/sys/kernel/config/nvmet";

    private static Boolean up;

    private RefVm() {
    }

    /** Skips (or fails under CI=true) unless the VM's nvmet answers an ICReq. */
    public static void requireNvmet() {
        if (up == null) {
            // the guest is emulated (TCG) and may be slow on a loaded machine: ask a few times
            up = answersIcReq(NVME_PORT_OPTIMIZED) || answersIcReq(NVME_PORT_OPTIMIZED) || answersIcReq(NVME_PORT_NON_OPTIMIZED);
        }
        String why = "the reference VM's nvmet does not answer on " + HOST + ":" + NVME_PORT_OPTIMIZED
                + " (./mapperd test starts it: tools/refvm/build-refvm.sh up; see tools/refvm/README.md)";
        if (!up && "true".equals(System.getenv("CI"))) {
            Assertions.fail(why);
        }
        Assumptions.assumeTrue(up, why);
    }

    /** A qemu user-network port forward accepts even when the guest does not listen: ask for an ICResp. */
    static boolean answersIcReq(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 2000);
            s.setSoTimeout(8000);
            byte[] icreq = new byte[128];
            icreq[2] = (byte) 128;
            icreq[4] = (byte) 128;
            s.getOutputStream().write(icreq);
            byte[] head = s.getInputStream().readNBytes(8);
            return head.length == 8 && head[0] == 0x01;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs a shell command in the guest as root; returns its output (stdout and stderr). */
    public static String exec(String command) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, SHELL_PORT), 5000);
            s.setSoTimeout(180_000);
            s.getOutputStream().write((command + "\nexit\n").getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    public static void setAnaState(int port, int group, AnaState state) throws IOException {
        exec("echo " + state.label() + " > " + NVMET + "/ports/" + port + "/ana_groups/" + group + "/ana_state");
    }
}
