package io.mapperd.multipathd.engine;

import io.mapperd.dm.core.StatusType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** reconfigure: checked in full first, a dry run lists the difference, only changed maps reload, I/O never fails. */
class ReconfigureTest {
    @TempDir
    Path dir;

    static String devices(String selector) {
        return """
                devices {
                	device {
                		vendor "MAPPERD"
                		product ".*"
                		path_grouping_policy group_by_prio
                		prio alua
                		failback immediate
                		no_path_retry queue
                	}
                }
                multipaths {
                	multipath {
                		wwid %s
                		path_selector "%s"
                	}
                }""".formatted(SanFixture.WWID0, selector);
    }

    @Test
    void aDryRunListsTheReloadAndAChangeUnderIoReloadsOnlyThatMapWithNoErrors() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("", devices("service-time 0")));
            SanFixture.await("two maps", Duration.ofSeconds(30), () -> e.maps().size() == 2
                    && e.maps().stream().allMatch(m -> m.pathCount() == 4));
            String name0 = SanFixture.WWID0;
            long loads0 = CheckerLoopTest.map(e, SanFixture.WWID0).mapLoads();
            long loads1 = CheckerLoopTest.map(e, SanFixture.WWID1).mapLoads();
            try (VerifiedWorkload w = new VerifiedWorkload(f.dm.get(name0), 2)) {
                w.awaitProgress(50, 30);
                f.rewrite(f.config("", devices("round-robin 0")));
                ReconfigureResult dry = e.reconfigure(true).get();
                assertTrue(dry.ok() && dry.dryRun(), dry.text());
                assertEquals(1, dry.changes().size(), dry.text());
                assertTrue(dry.changes().getFirst().startsWith("reload " + name0 + ": "), dry.text());
                assertTrue(dry.changes().getFirst().contains("-> 1 queue_if_no_path 0 2 1 round-robin 0 "), dry.text());
                assertTrue(f.dm.get(name0).activeTable().lines(StatusType.TABLE).getFirst().contains("service-time"),
                        "a dry run changes nothing");
                ReconfigureResult r = e.reconfigure(false).get();
                assertTrue(r.ok() && !r.dryRun(), r.text());
                SanFixture.await("round-robin live", Duration.ofSeconds(10), () -> {
                    try {
                        return f.dm.get(name0).activeTable().lines(StatusType.TABLE).getFirst().contains("round-robin");
                    } catch (Exception x) {
                        return false;
                    }
                });
                w.awaitProgress(50, 30);
                w.close();
                assertEquals(List.of(), w.errors);
            }
            assertEquals(loads0 + 1, CheckerLoopTest.map(e, SanFixture.WWID0).mapLoads());
            assertEquals(loads1, CheckerLoopTest.map(e, SanFixture.WWID1).mapLoads(), "the other map was not reloaded");
            ReconfigureResult same = e.reconfigure(false).get();
            assertEquals(List.of(), same.changes(), same.text());
        }
    }

    @Test
    void aBadFileIsRefusedWithTheReasonAndEverythingStaysAsItWas() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("", devices("service-time 0")));
            SanFixture.await("two maps", Duration.ofSeconds(30), () -> e.maps().size() == 2);
            var before = e.config();
            f.rewrite(f.config("", devices("service-time 0") + "\nblacklist {\n\tdevnode \"([unclosed\"\n}\n"));
            ReconfigureResult r = e.reconfigure(false).get();
            assertFalse(r.ok(), r.text());
            assertTrue(r.message().contains("configuration unchanged"), r.message());
            assertTrue(r.message().contains("unclosed") || r.message().toLowerCase().contains("regex")
                    || r.message().toLowerCase().contains("blacklist"), r.message());
            assertTrue(before == e.config(), "the running configuration is kept");
            assertEquals(2, e.maps().size());
        }
    }

    @Test
    void anAliasAddedByReconfigureRenamesTheLiveMap() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("", ""));
            SanFixture.await("two maps", Duration.ofSeconds(30), () -> e.maps().size() == 2);
            f.rewrite(f.config("", "multipaths {\n\tmultipath {\n\t\twwid " + SanFixture.WWID1 + "\n\t\talias backup\n\t}\n}"));
            ReconfigureResult r = e.reconfigure(false).get();
            assertEquals(List.of("rename " + SanFixture.WWID1 + " -> backup"), r.changes(), r.text());
            SanFixture.await("renamed in the device-mapper", Duration.ofSeconds(10), () -> f.dm.find("backup").isPresent());
        }
    }
}
