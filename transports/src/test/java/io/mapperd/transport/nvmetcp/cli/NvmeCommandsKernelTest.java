package io.mapperd.transport.nvmetcp.cli;

import io.mapperd.transport.nvmetcp.RefVm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator commands against the kernel's nvmet, compared with nvme-cli's answers in the guest. */
class NvmeCommandsKernelTest {
    @BeforeAll
    static void vm() {
        RefVm.requireNvmet();
    }

    static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = NvmeCommands.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[]{Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    static String url() {
        return "nvme+tcp://127.0.0.1:" + RefVm.NVME_PORT_OPTIMIZED + "/" + RefVm.SUBNQN;
    }

    @Test
    void discoverListsWhatNvmeCliLists() throws Exception {
        String[] r = run("discover", "127.0.0.1:" + RefVm.NVME_PORT_OPTIMIZED);
        assertEquals("0", r[0], r[2]);
        String ours = r[1];
        // nvme-cli scans the host's NVMe topology first: that needs the fabrics host modules loaded
        String theirs = RefVm.exec("modprobe nvme-fabrics; nvme discover -t tcp -a 127.0.0.1 -s 4420");
        // the guest connects to itself, we through qemu's port forward: only traddr may differ
        assertEquals(strip(theirs), strip(ours));
        assertTrue(ours.contains("subnqn:  " + RefVm.SUBNQN), ours);
    }

    private static String strip(String s) {
        return s.lines().filter(l -> !l.startsWith("traddr:")).map(String::strip).filter(l -> !l.isEmpty())
                .reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void idCtrlIdNsAndAnaLog() {
        String[] c = run("id-ctrl", url());
        assertEquals("0", c[0], c[2]);
        assertTrue(c[1].contains("mn        : Linux"), c[1]);
        assertTrue(c[1].contains("subnqn    : " + RefVm.SUBNQN), c[1]);
        String[] n = run("id-ns", url() + "/1");
        assertEquals("0", n[0], n[2]);
        assertTrue(n[1].contains("nsze      : 0x20000"), n[1]);
        assertTrue(n[1].contains("wwid      : uuid."), n[1]);
        String[] a = run("ana-log", url());
        assertEquals("0", a[0], a[2]);
        assertTrue(a[1].contains("state\t:\toptimized"), a[1]);
        String[] b = run("ana-log", "nvme+tcp://127.0.0.1:" + RefVm.NVME_PORT_NON_OPTIMIZED + "/" + RefVm.SUBNQN);
        assertTrue(b[1].contains("state\t:\tnon-optimized"), b[1]);
    }

    @Test
    void badArgumentsAreUsageErrors() {
        String[] r = run("id-ns", url());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("names no namespace"), r[2]);
        r = run("frobnicate", "x");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown command 'frobnicate'"), r[2]);
        r = run("id-ctrl", "nvme+tcp://127.0.0.1:" + RefVm.NVME_PORT_OPTIMIZED + "/nqn.2024-01.io.refvm:nope");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("Connect Invalid Parameters"), r[2]);
    }
}
