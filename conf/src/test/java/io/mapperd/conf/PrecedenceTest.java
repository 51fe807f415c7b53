package io.mapperd.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The same option set at every level: built-in default < defaults section < hardware table entry
 * < devices entry < overrides < multipaths entry; each time the winner and its source are reported.
 */
class PrecedenceTest {
    private static final String WWID = "360002ac000000000000000010001abcd";
    private static final PathIdentity PATH = new PathIdentity("sdb", "3PARdata", "VV", "3315", WWID, "scsi:fcp", null);

    private static final String DEFAULTS = "defaults {\n\tfailback 11\n}\n";
    private static final String DEVICES = "devices {\n\tdevice {\n\t\tvendor \"3PAR.*\"\n\t\tproduct \"V.\"\n"
            + "\t\tfailback 33\n\t}\n}\n";
    private static final String OVERRIDES = "overrides {\n\tfailback 44\n}\n";
    private static final String MULTIPATHS = "multipaths {\n\tmultipath {\n\t\twwid " + WWID + "\n\t\tfailback 55\n\t}\n}\n";

    private static Setting failback(String conf) throws Exception {
        return Fixtures.load(conf).forMap(WWID, PATH).get("failback").orElseThrow();
    }

    @Test
    void multipathsEntryWinsOverEverything() throws Exception {
        Setting s = failback(DEFAULTS + DEVICES + OVERRIDES + MULTIPATHS);
        assertEquals(55L, s.value());
        assertEquals(Source.MULTIPATHS, s.origin().source());
        assertEquals("multipaths section, test.conf:17", s.origin().describe());
    }

    @Test
    void overridesWinOverDevicesAndHardwareTable() throws Exception {
        Setting s = failback(DEFAULTS + DEVICES + OVERRIDES);
        assertEquals(44L, s.value());
        assertEquals(Source.OVERRIDES, s.origin().source());
    }

    @Test
    void userDevicesEntryWinsOverTheHardwareTable() throws Exception {
        Setting s = failback(DEFAULTS + DEVICES);
        assertEquals(33L, s.value());
        assertEquals(Source.DEVICES, s.origin().source());
    }

    @Test
    void hardwareTableWinsOverTheDefaultsSection() throws Exception {
        Setting s = failback(DEFAULTS);
        assertEquals("immediate", s.value());
        assertEquals(Source.HWTABLE, s.origin().source());
        assertEquals("hwtable.yaml", s.origin().file());
    }

    @Test
    void defaultsSectionWinsOverBuiltinDefaultForUnknownHardware() throws Exception {
        PathIdentity other = PathIdentity.of("sdx", "ACME", "Box", "1");
        Setting s = Fixtures.load(DEFAULTS).forPath(other).get("failback").orElseThrow();
        assertEquals(11L, s.value());
        assertEquals(Source.DEFAULTS, s.origin().source());
        Setting builtin = ConfigLoader.builtin().forPath(other).get("failback").orElseThrow();
        assertEquals("manual", builtin.value());
        assertEquals(Source.BUILTIN_DEFAULT, builtin.origin().source());
    }

    @Test
    void protocolSubsectionOfOverridesWinsForItsProtocolOnly() throws Exception {
        String conf = "overrides {\n\tdev_loss_tmo 100\n\tprotocol {\n\t\ttype scsi:fcp\n\t\tdev_loss_tmo 30\n\t}\n}\n";
        MultipathConfig c = Fixtures.load(conf);
        Setting fcp = c.forPath(PATH).get("dev_loss_tmo").orElseThrow();
        assertEquals(30L, fcp.value());
        assertEquals(Source.OVERRIDES_PROTOCOL, fcp.origin().source());
        PathIdentity iscsi = new PathIdentity("sdc", "3PARdata", "VV", null, WWID, "scsi:iscsi", null);
        assertEquals(100L, c.forPath(iscsi).value("dev_loss_tmo"));
    }

    @Test
    void laterMatchingDeviceEntryWinsAndEarlierOnesFillTheRest() throws Exception {
        String conf = "devices {\n\tdevice {\n\t\tvendor ACME\n\t\tproduct \".*\"\n\t\tno_path_retry 5\n"
                + "\t\tprio alua\n\t}\n\tdevice {\n\t\tvendor ACME\n\t\tproduct \"Box.*\"\n\t\tno_path_retry 9\n\t}\n}\n";
        ResolvedSettings r = Fixtures.load(conf).forPath(PathIdentity.of("sdq", "ACME", "Box2", "1"));
        assertEquals(9L, r.value("no_path_retry"));
        assertEquals(11, r.origin("no_path_retry").line());
        assertEquals("alua", r.value("prio"));
        assertEquals(2, r.matchedDevices().size());
    }

    @Test
    void unsetValueLikeDevLossZeroFallsThroughToTheNextLevel() throws Exception {
        ResolvedSettings r = Fixtures.load("overrides {\n\tdev_loss_tmo 0\n}\n").forPath(PATH);
        assertEquals("infinity", r.value("dev_loss_tmo"));
        assertEquals(Source.HWTABLE, r.origin("dev_loss_tmo").source());
    }

    @Test
    void noPathRetryHasNoBuiltinDefault() throws Exception {
        assertNull(ConfigLoader.builtin().forPath(PathIdentity.of("sdx", "ACME", "Box", "1")).value("no_path_retry"));
    }
}
