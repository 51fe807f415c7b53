package io.mapperd.sim.nvme;

import io.mapperd.dm.io.DevT;
import io.mapperd.transport.nvmetcp.NvmeController;
import io.mapperd.transport.nvmetcp.NvmeNamespace;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** I/O queue N of every controller of a subsystem is served by one target loop, whichever portal it came through. */
class SimQueueLoopsTest {
    private static final Pattern CONTROLLER = Pattern.compile("controller (\\d+) " + Pattern.quote(SimFixture.NQN) + " portal=(\\d) .* loops=(\\S+)");

    @Test
    void queueNOfBothPortalsSharesALoopAndCarriesVerifiedData() throws Exception {
        try (SimFixture sim = new SimFixture();
             NvmeController a = NvmeController.connect(sim.portal(1), SimFixture.NQN, SimFaultTest.OPTS);
             // a connection that sends nothing takes the next loop in the target's turn, so that
             // without keying, b's queues would land on other loops than a's
             Socket idle = new Socket(sim.portal(2).getAddress(), sim.portal(2).getPort());
             NvmeController b = NvmeController.connect(sim.portal(2), SimFixture.NQN, SimFaultTest.OPTS)) {
            NvmeNamespace viaA = a.namespace(1, new DevT(259, 0));
            NvmeNamespace viaB = b.namespace(1, new DevT(259, 1));
            // both queues of each controller moved and still carry data, written through one portal and read through the other
            SimDataCheck.writeReadVerify(viaA, 0, 1 << 20, 4096, 32, 11);
            SimDataCheck.writeReadVerify(viaB, 2048, 1 << 20, 65536, 8, 12);

            Map<Integer, Map<Integer, Integer>> loopsByPortal = new TreeMap<>();
            Matcher m = CONTROLLER.matcher(sim.target.status());
            while (m.find()) {
                Map<Integer, Integer> byQid = new TreeMap<>();
                for (String e : m.group(3).split(",")) {
                    String[] ql = e.split(":");
                    byQid.put(Integer.parseInt(ql[0]), Integer.parseInt(ql[1]));
                }
                loopsByPortal.put(Integer.parseInt(m.group(2)), byQid);
            }
            assertEquals(2, loopsByPortal.size(), sim.target.status());
            Map<Integer, Integer> one = loopsByPortal.get(1);
            Map<Integer, Integer> two = loopsByPortal.get(2);
            assertEquals(one.keySet(), two.keySet(), "queue ids: " + loopsByPortal);
            assertTrue(one.containsKey(1) && one.containsKey(2), "admin and 2 I/O queues each: " + loopsByPortal);
            for (int qid = 1; qid <= 2; qid++) {
                assertTrue(one.get(qid) >= 0, "queue " + qid + " on a loop of the target: " + loopsByPortal);
                assertEquals(one.get(qid), two.get(qid), "I/O queue " + qid + " of both controllers on one loop: " + loopsByPortal);
            }
        }
    }
}
