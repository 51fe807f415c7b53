package io.mapperd.sim.nvme;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** The reference VM's nvmet (see transports' RefVm): skip when it is not running, fail under CI=true. */
final class KernelRef {
    static final int PORT = Integer.getInteger("refvm.nvme.port", 14420);
    static final String SUBNQN = "nqn.2024-01.io.refvm:nvme1";

    private KernelRef() {
    }

    static void require() {
        // the guest is emulated (TCG) and may be slow on a loaded machine: ask a few times
        boolean up = answers() || answers() || answers();
        String why = "the reference VM's nvmet does not answer on 127.0.0.1:" + PORT + " (./mapperd test starts it: tools/refvm/build-refvm.sh up)";
        if (!up && "true".equals(System.getenv("CI"))) {
            Assertions.fail(why);
        }
        Assumptions.assumeTrue(up, why);
    }

    private static boolean answers() {
        boolean up;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", PORT), 2000);
            s.setSoTimeout(8000);
            byte[] icreq = new byte[128];
            icreq[2] = (byte) 128;
            icreq[4] = (byte) 128;
            s.getOutputStream().write(icreq);
            byte[] head = s.getInputStream().readNBytes(8);
            up = head.length == 8 && head[0] == 0x01;
        } catch (IOException e) {
            up = false;
        }
        return up;
    }
}
