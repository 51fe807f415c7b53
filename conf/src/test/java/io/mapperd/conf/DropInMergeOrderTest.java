package io.mapperd.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The main file is read first, then config_dir's *.conf drop-ins in name order, later values winning. */
class DropInMergeOrderTest {
    private final Path dir = Fixtures.path("compat/dropin/multipath.conf").getParent();

    private MultipathConfig load() throws ConfigException {
        return ConfigLoader.load(dir.resolve("multipath.conf"), dir.resolve("conf.d"));
    }

    @Test
    void dropInsAreReadInNameOrderAndNonConfFilesAreSkipped() throws Exception {
        assertEquals(List.of("10-first.conf", "20-second.conf"),
                ConfigLoader.dropIns(dir.resolve("conf.d")).stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void laterDropInWinsForDefaults() throws Exception {
        MultipathConfig c = load();
        Setting npr = c.defaults().get("no_path_retry").orElseThrow();
        assertEquals("queue", npr.value());
        assertEquals(dir.resolve("conf.d/20-second.conf").toString(), npr.origin().file());
        assertEquals(Boolean.TRUE, c.defaults().value("user_friendly_names"));
        assertEquals(7L, c.defaults().value("polling_interval"));
        assertEquals(28L, c.defaults().value("max_polling_interval"));
    }

    @Test
    void sameDeviceInSeveralFilesMergesIntoOneEntryWithTheLatestValues() throws Exception {
        MultipathConfig c = load();
        List<DeviceEntry> lio = c.devices().stream().filter(d -> "LIO-ORG".equals(d.vendor())).toList();
        assertEquals(1, lio.size());
        ResolvedSettings r = c.forPath(PathIdentity.of("sdc", "LIO-ORG", "TCMU device", "36001405x"));
        assertEquals(20L, r.value("no_path_retry"));
        assertEquals(Source.DEVICES, r.origin("no_path_retry").source());
        assertEquals(dir.resolve("conf.d/20-second.conf").toString(), r.origin("no_path_retry").file());
        assertEquals("directio", r.value("path_checker"));
        assertEquals(dir.resolve("conf.d/10-first.conf").toString(), r.origin("path_checker").file());
    }

    @Test
    void multipathsFromAllFilesAreSortedByWwid() throws Exception {
        assertEquals(List.of("alpha", "zeta"), load().multipaths().stream().map(MultipathEntry::alias).toList());
    }

    @Test
    void blacklistRulesOfDropInsComeBeforeTheBuiltInOnes() throws Exception {
        List<String> devnodes = load().blacklist().rules(RuleKind.DEVNODE).stream().map(BlacklistRule::regex).toList();
        assertEquals(List.of("^loop[0-9]", "!^(sd[a-z]|dasd[a-z]|nvme[0-9])"), devnodes);
    }
}
