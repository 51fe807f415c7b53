package io.mapperd.multipathd.engine;

import io.mapperd.multipathd.view.MapView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Map names: aliases from multipaths, user_friendly_names from a bindings file kept across restarts. */
class NamingTest {
    @TempDir
    Path dir;

    static Map<String, String> names(Engine e) {
        return e.maps().stream().collect(Collectors.toMap(MapView::wwid, MapView::name));
    }

    @Test
    void userFriendlyNamesAreBoundOnceAndKeptAcrossARestart() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            String conf = f.config("\tuser_friendly_names yes\n", "");
            Engine e = f.start(conf);
            SanFixture.await("two maps", Duration.ofSeconds(30), () -> e.maps().size() == 2);
            Map<String, String> first = names(e);
            assertEquals(java.util.Set.of("mpatha", "mpathb"), java.util.Set.copyOf(first.values()));
            String bindings = Files.readString(dir.resolve("bindings"));
            assertTrue(bindings.contains(first.get(SanFixture.WWID0) + " " + SanFixture.WWID0), bindings);
            e.close();
            f.dm.removeAll(true);
            // a bindings file written the other way round wins over discovery order
            Files.writeString(dir.resolve("bindings"), "# kept\nmpathq " + SanFixture.WWID1 + "\n"
                    + first.get(SanFixture.WWID0) + " " + SanFixture.WWID0 + "\n");
            Engine again = f.start(conf);
            SanFixture.await("two maps again", Duration.ofSeconds(30), () -> again.maps().size() == 2);
            assertEquals(first.get(SanFixture.WWID0), names(again).get(SanFixture.WWID0));
            assertEquals("mpathq", names(again).get(SanFixture.WWID1));
            assertTrue(f.dm.find("mpathq").isPresent());
            assertEquals("mpath-" + SanFixture.WWID1, f.dm.find("mpathq").orElseThrow().uuid());
        }
    }

    @Test
    void anAliasWinsOverFriendlyNamesAndWithoutEitherTheWwidNamesTheMap() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("", """
                    multipaths {
                    	multipath {
                    		wwid %s
                    		alias oradata
                    	}
                    }""".formatted(SanFixture.WWID0)));
            SanFixture.await("two maps", Duration.ofSeconds(30), () -> e.maps().size() == 2);
            assertEquals("oradata", names(e).get(SanFixture.WWID0));
            assertEquals(SanFixture.WWID1, names(e).get(SanFixture.WWID1));
            assertTrue(Files.readString(dir.resolve("wwids")).contains("/" + SanFixture.WWID1 + "/"));
        }
    }

    @Test
    void findMultipathsStrictMapsOnlyKnownWwids() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Files.writeString(dir.resolve("wwids"), "/" + SanFixture.WWID1 + "/\n");
            Engine e = f.start(f.config("", "").replace("find_multipaths no", "find_multipaths strict"));
            SanFixture.await("the known WWID mapped", Duration.ofSeconds(30), () -> e.maps().size() == 1
                    && e.maps().getFirst().pathCount() == 4);
            assertEquals(SanFixture.WWID1, e.maps().getFirst().wwid());
            assertEquals(4, e.paths().stream().filter(p -> p.map().equals("[orphan]")).count());
        }
    }
}
