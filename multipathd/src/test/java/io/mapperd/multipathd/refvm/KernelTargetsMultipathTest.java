package io.mapperd.multipathd.refvm;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.StatusType;
import io.mapperd.multipathd.engine.VerifiedWorkload;
import io.mapperd.transport.iscsi.IscsiDeviceProvider;
import io.mapperd.transport.iscsi.SessionConfig;
import io.mapperd.transport.nvmetcp.NvmeTcpDeviceProvider;
import io.mapperd.transport.nvmetcp.NvmeTcpOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The multipath target alone (no daemon: this test plays multipathd's part with messages) over the
 * reference VM's real kernel targets: a map over LIO's two iSCSI portals (ALUA active/optimized,
 * active/non-optimized; hardware handler alua) and one over nvmet's two NVMe/TCP ports (ANA
 * optimized, non-optimized). Under a verified workload a port is taken away (the LIO TPG disabled,
 * which closes its sessions and refuses logins; the nvmet port unlinked from the subsystem, which
 * deletes its controllers and refuses connects): the path turns F, I/O continues on the other group
 * with no error; the port is given back: the path is reinstated (A), switch_group brings I/O back.
 */
class KernelTargetsMultipathTest {
    static final long LUN_SECTORS = 131072;
    /** The workload writes the last 8 MiB only: other tests use the start of these targets. */
    static final long WORK_SECTORS = 16384;

    static boolean touched;

    @BeforeAll
    static void vm() {
        RefVmGuest.require();
        touched = true;
    }

    @AfterAll
    static void restore() {
        if (touched) {
            RefVmGuest.restore(RefVmGuest.lioTpgEnableCommand(1) + "; " + RefVmGuest.nvmetLinkCommand(1) + "; "
                    + RefVmGuest.lioAluaStatesCommand());
        }
    }

    static DeviceMapper deviceMapper(IscsiDeviceProvider iscsi, NvmeTcpDeviceProvider nvme) {
        DeviceMapper dm = new DeviceMapper();
        dm.addProvider(iscsi);
        dm.addProvider(nvme);
        return dm;
    }

    static IscsiDeviceProvider iscsi() {
        SessionConfig c = SessionConfig.defaults().withInitiatorName("iqn.2026-11.io.mapperd:refvm-mpath");
        // a lost portal fails its commands after 2 s; NOP-Outs every 5 s, as open-iscsi's defaults
        return new IscsiDeviceProvider(c.withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(2)));
    }

    static NvmeTcpDeviceProvider nvme() {
        return new NvmeTcpDeviceProvider(NvmeTcpOptions.defaults().withIoQueues(2)
                .withReconnect(Duration.ofSeconds(1), Duration.ofSeconds(300)));
    }

    @Test
    void iscsiAluaMapSurvivesAPortalTakenAwayAndGivenBack() throws Exception {
        String a = "iscsi://" + RefVmGuest.HOST + ":" + RefVmGuest.ISCSI_PORT + "/" + RefVmGuest.IQN + "/0";
        String b = "iscsi://" + RefVmGuest.HOST + ":" + (RefVmGuest.ISCSI_PORT + 1) + "/" + RefVmGuest.IQN + "/0";
        String table = "0 " + LUN_SECTORS + " multipath 1 queue_if_no_path 1 alua 2 1 service-time 0 1 1 " + a
                + " 1 service-time 0 1 1 " + b + " 1";
        boolean explicit = (RefVmGuest.lioAluaAccessType() & 2) != 0;
        try (IscsiDeviceProvider ip = iscsi(); NvmeTcpDeviceProvider np = nvme(); DeviceMapper dm = deviceMapper(ip, np)) {
            List<String> seen = portTakenAwayAndGivenBack(dm, "refvm-mp-iscsi", table, () -> {
                try {
                    RefVmGuest.lioTpgEnabled(1, false);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }, RefVmGuest.lioTpgEnableCommand(1), () -> counters(2), () -> counters(1));
            // the alua handler's pg_init ran against the real LIO when group 2 took over
            String ano = RefVmGuest.exec("cat " + RefVmGuest.LIO_ALUA + "ano/alua_access_state").strip();
            seen.add("LIO ALUA group ano (17) after the failover: state " + ano + (explicit ? " (explicit ALUA: STPG asked for active/optimized)" : ""));
            seen.forEach(System.out::println);
            if (explicit) {
                assertEquals("0", ano, "with explicit ALUA, activating the non-optimized group sends SET TARGET PORT GROUPS, as scsi_dh_alua does");
            } else {
                assertEquals("1", ano, "implicit-only ALUA: the non-optimized group stays as it was");
            }
        } finally {
            RefVmGuest.restore(RefVmGuest.lioTpgEnableCommand(1) + "; " + RefVmGuest.lioAluaStatesCommand());
        }
    }

    @Test
    void nvmeAnaMapSurvivesAPortTakenAwayAndGivenBack() throws Exception {
        String a = "nvme+tcp://" + RefVmGuest.HOST + ":" + RefVmGuest.NVME_PORT + "/" + RefVmGuest.NQN + "/1";
        String b = "nvme+tcp://" + RefVmGuest.HOST + ":" + (RefVmGuest.NVME_PORT + 1) + "/" + RefVmGuest.NQN + "/1";
        String table = "0 " + LUN_SECTORS + " multipath 1 queue_if_no_path 0 2 1 service-time 0 1 1 " + a
                + " 1 service-time 0 1 1 " + b + " 1";
        try (IscsiDeviceProvider ip = iscsi(); NvmeTcpDeviceProvider np = nvme(); DeviceMapper dm = deviceMapper(ip, np)) {
            portTakenAwayAndGivenBack(dm, "refvm-mp-nvme", table, () -> {
                try {
                    RefVmGuest.nvmetPortLinked(1, false);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }, RefVmGuest.nvmetLinkCommand(1), null, null).forEach(System.out::println);
        } finally {
            RefVmGuest.restore(RefVmGuest.nvmetLinkCommand(1));
        }
    }

    /** LIO's command count on a TPG's LUN (the target's own view of where I/O goes). */
    static long counters(int tpgt) {
        try {
            return RefVmGuest.lioPortCounters(tpgt)[0];
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    interface Counter {
        long get();
    }

    /**
     * Creates the map and a linear device over its last 8 MiB, runs the workload, takes the first
     * group's port away and gives it back; returns the status lines seen on the way.
     */
    static List<String> portTakenAwayAndGivenBack(DeviceMapper dm, String name, String table, Runnable takeAway,
                                                  String giveBack, Counter secondPort, Counter firstPort) throws Exception {
        List<String> seen = new ArrayList<>();
        dm.create(name, "", table, false);
        String work = name + "-work";
        dm.create(work, "", "0 " + WORK_SECTORS + " linear /dev/mapper/" + name + " " + (LUN_SECTORS - WORK_SECTORS), false);
        try (VerifiedWorkload w = new VerifiedWorkload(dm.get(work), 2)) {
            String tableEcho = dm.get(name).activeTable().lines(StatusType.TABLE).getFirst();
            seen.add("table:  " + tableEcho);
            MultipathStatus st = status(dm, name);
            String first = st.groups().get(0).paths().getFirst().devT();
            String second = st.groups().get(1).paths().getFirst().devT();
            w.awaitProgress(50, 120);
            st = status(dm, name);
            seen.add("before: " + statusLine(dm, name));
            assertEquals(1, st.activeGroup(), "I/O starts on the optimized group");
            try {
                takeAway.run();
                await(first + " failed and group 2 active", Duration.ofSeconds(90),
                        () -> status(dm, name).pathState(first) == 'F' && status(dm, name).activeGroup() == 2);
                long c0 = secondPort == null ? 0 : secondPort.get();
                w.awaitProgress(200, 120);
                if (secondPort != null) {
                    long c1 = secondPort.get();
                    assertTrue(c1 - c0 >= 200, "the target counted our I/O on the second port: " + (c1 - c0));
                }
                seen.add("lost:   " + statusLine(dm, name));
                assertEquals('A', status(dm, name).pathState(second));
            } finally {
                RefVmGuest.restore(giveBack);
            }
            // as multipathd would, once the path checks good again: reinstate it and fail back
            await(first + " reinstated and I/O back on group 1", Duration.ofSeconds(120), () -> {
                MultipathStatus s = status(dm, name);
                if (s.pathState(first) == 'F') {
                    message(dm, name, "reinstate_path", first);
                    message(dm, name, "switch_group", "1");
                    return false;
                }
                return s.activeGroup() == 1;
            });
            long c0 = firstPort == null ? 0 : firstPort.get();
            w.awaitProgress(200, 120);
            MultipathStatus after = status(dm, name);
            seen.add("back:   " + statusLine(dm, name));
            assertEquals('A', after.pathState(first), "the reinstated path held under I/O");
            assertEquals(1, after.activeGroup());
            if (firstPort != null) {
                long c1 = firstPort.get();
                assertTrue(c1 - c0 >= 200, "the target counted our I/O on the first port again: " + (c1 - c0));
            }
            w.close();
            assertEquals(List.of(), w.errors, "verified workload through the map");
        } finally {
            dm.remove(work, false, false);
            dm.remove(name, false, false);
        }
        return seen;
    }

    static String statusLine(DeviceMapper dm, String name) {
        try {
            return dm.get(name).activeTable().lines(StatusType.INFO).getFirst();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static MultipathStatus status(DeviceMapper dm, String name) {
        return MultipathStatus.parse(statusLine(dm, name));
    }

    static void message(DeviceMapper dm, String name, String... argv) {
        try {
            dm.message(name, 0, List.of(argv));
        } catch (Exception e) {
            throw new AssertionError("message " + String.join(" ", argv) + ": " + e.getMessage(), e);
        }
    }

    static void await(String what, Duration max, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + max.toSeconds() + " s waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }
}
