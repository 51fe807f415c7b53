package io.mapperd.multipathd.engine;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.StatusType;
import io.mapperd.multipathd.engine.table.MultipathStatus;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker loop against real portal faults: fail in the table, reinstate, fail back, count no_path_retry. */
class CheckerLoopTest {
    @TempDir
    Path dir;

    static String device(String failback, String extra) {
        return """
                devices {
                	device {
                		vendor "MAPPERD"
                		product ".*"
                		path_grouping_policy group_by_prio
                		prio alua
                		path_checker tur
                		failback %s
                		no_path_retry queue
                %s	}
                }""".formatted(failback, extra);
    }

    static MapView map(Engine e, String wwid) {
        return e.maps().stream().filter(m -> m.wwid().equals(wwid)).findFirst().orElse(null);
    }

    static MultipathStatus status(SanFixture f, String name) throws Exception {
        MappedDevice md = f.dm.get(name);
        String line = md.activeTable().lines(StatusType.INFO).getFirst();
        return MultipathStatus.parse(line.substring(line.indexOf("multipath ") + 10));
    }

    static List<String> devsOnPortal(Engine e, SanFixture f, int portal, String wwid) {
        return e.paths().stream().filter(p -> p.targetWwpn().equals(f.portal(portal).address()) && p.wwid().equals(wwid))
                .map(PathView::devT).toList();
    }

    static MapView ready(SanFixture f, Engine e) throws InterruptedException {
        SanFixture.await("map of LUN 0 with 4 paths in 2 groups", Duration.ofSeconds(30), () -> {
            MapView m = map(e, SanFixture.WWID0);
            return m != null && m.pathCount() == 4 && m.groups().size() == 2;
        });
        return map(e, SanFixture.WWID0);
    }

    @Test
    void portalDownFailsItsPathInTheTableAndPortalUpReinstatesIt() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("", device("immediate", "")));
            MapView m = ready(f, e);
            String dev = devsOnPortal(e, f, 0, SanFixture.WWID0).getFirst();
            assertTrue(status(f, m.name()).paths().get(dev));
            f.portal(0).down();
            SanFixture.await("path " + dev + " failed in the table", Duration.ofSeconds(20), () -> {
                try {
                    return !status(f, m.name()).paths().get(dev);
                } catch (Exception x) {
                    return false;
                }
            });
            PathView pv = e.paths().stream().filter(p -> p.devT().equals(dev)).findFirst().orElseThrow();
            assertEquals("failed", pv.dmState());
            assertEquals("faulty", pv.checkerState());
            assertTrue(map(e, SanFixture.WWID0).pathFaults() >= 1);
            f.portal(0).up();
            SanFixture.await("path " + dev + " reinstated", Duration.ofSeconds(30), () -> {
                try {
                    return status(f, m.name()).paths().get(dev) && e.paths().stream()
                            .anyMatch(p -> p.devT().equals(dev) && p.dmState().equals("active") && p.checkerState().equals("ready"));
                } catch (Exception x) {
                    return false;
                }
            });
        }
    }

    @Test
    void pollingIntervalGrowsWhileHealthyUpToTheMaximum() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("", device("immediate", "")));
            ready(f, e);
            SanFixture.await("every path at max_polling_interval 4", Duration.ofSeconds(30),
                    () -> e.paths().stream().allMatch(p -> p.checkIntervalSecs() == 4));
            String dev = devsOnPortal(e, f, 0, SanFixture.WWID0).getFirst();
            f.portal(0).down();
            SanFixture.await("the failed path back at polling_interval 1", Duration.ofSeconds(20),
                    () -> e.paths().stream().anyMatch(p -> p.devT().equals(dev) && p.checkIntervalSecs() == 1
                            && p.dmState().equals("failed")));
            f.portal(0).up();
        }
    }

    private void failGroupOneAndReturn(SanFixture f, Engine e, MapView m) throws Exception {
        try (VerifiedWorkload w = new VerifiedWorkload(f.dm.get(m.name()), 2)) {
            w.awaitProgress(50, 30);
            assertEquals(1, status(f, m.name()).currentGroup());
            f.portal(0).down();
            f.portal(1).down();
            SanFixture.await("I/O on group 2", Duration.ofSeconds(30), () -> {
                try {
                    return status(f, m.name()).currentGroup() == 2;
                } catch (Exception x) {
                    return false;
                }
            });
            w.awaitProgress(50, 30);
            f.portal(0).up();
            f.portal(1).up();
            SanFixture.await("group 1 paths reinstated", Duration.ofSeconds(30), () -> {
                try {
                    MultipathStatus s = status(f, m.name());
                    return s.paths().values().stream().allMatch(Boolean::booleanValue);
                } catch (Exception x) {
                    return false;
                }
            });
            w.awaitProgress(50, 30);
            w.close();
            assertEquals(List.of(), w.errors, "verified I/O through the portal loss and return");
        }
    }

    @Test
    void failbackImmediateMovesIoBackToTheOptimizedGroup() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("", device("immediate", "")));
            MapView m = ready(f, e);
            failGroupOneAndReturn(f, e, m);
            SanFixture.await("failback to group 1", Duration.ofSeconds(10), () -> {
                try {
                    return status(f, m.name()).currentGroup() == 1;
                } catch (Exception x) {
                    return false;
                }
            });
            assertTrue(map(e, SanFixture.WWID0).switchGroups() >= 1);
        }
    }

    @Test
    void failbackManualStaysOnTheGroupItFailedOverTo() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("", device("manual", "")));
            MapView m = ready(f, e);
            failGroupOneAndReturn(f, e, m);
            Thread.sleep(3000);
            assertEquals(2, status(f, m.name()).currentGroup());
            assertEquals(0, map(e, SanFixture.WWID0).switchGroups());
            assertEquals("manual", map(e, SanFixture.WWID0).failback());
        }
    }

    @Test
    void failbackAfterSecondsWaitsThenSwitches() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("", device("3", "")));
            MapView m = ready(f, e);
            failGroupOneAndReturn(f, e, m);
            long back = System.nanoTime();
            SanFixture.await("deferred failback to group 1", Duration.ofSeconds(15), () -> {
                try {
                    return status(f, m.name()).currentGroup() == 1;
                } catch (Exception x) {
                    return false;
                }
            });
            long waited = (System.nanoTime() - back) / 1_000_000;
            assertTrue(waited >= 1500, "switched after " + waited + " ms, before the 3 s failback");
        }
    }

    @Test
    void failbackFollowoverSwitchesWhenTheFirstPathOfTheBetterGroupReturns() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("", device("followover", "")));
            MapView m = ready(f, e);
            failGroupOneAndReturn(f, e, m);
            SanFixture.await("followover back to group 1", Duration.ofSeconds(10), () -> {
                try {
                    return status(f, m.name()).currentGroup() == 1;
                } catch (Exception x) {
                    return false;
                }
            });
        }
    }

    @Test
    void noPathRetryCountsChecksThenFailsQueuedIoAndAReturningPathRestoresQueueing() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("", device("immediate", "").replace("no_path_retry queue", "no_path_retry 3")));
            MapView m = ready(f, e);
            assertEquals("3 chk", m.queueing());
            for (int i = 0; i < 4; i++) {
                f.portal(i).down();
            }
            SanFixture.await("counting down", Duration.ofSeconds(20), () -> map(e, SanFixture.WWID0).queueing().endsWith(" sec"));
            MappedDevice md = f.dm.get(m.name());
            var read = md.submit(io.mapperd.dm.io.Bio.read(0, java.nio.ByteBuffer.allocateDirect(4096)));
            SanFixture.await("queueing disabled", Duration.ofSeconds(20), () -> map(e, SanFixture.WWID0).queueTimeouts() == 1);
            assertEquals("off", map(e, SanFixture.WWID0).queueing());
            SanFixture.await("the held read failed", Duration.ofSeconds(10), read::isDone);
            assertTrue(read.isCompletedExceptionally());
            assertEquals("0", status(f, m.name()).queueIo() ? "1" : "0");
            for (int i = 0; i < 4; i++) {
                f.portal(i).up();
            }
            SanFixture.await("queueing restored", Duration.ofSeconds(30), () -> map(e, SanFixture.WWID0).queueing().equals("3 chk"));
            SanFixture.await("queue_if_no_path in the live table", Duration.ofSeconds(10), () -> {
                try {
                    return f.dm.get(m.name()).activeTable().lines(StatusType.TABLE).getFirst().contains("queue_if_no_path");
                } catch (Exception x) {
                    return false;
                }
            });
        }
    }
}
