package io.mapperd.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each rule type blacklists, an exception wins, and the verdict names the rule and why. */
class BlacklistTest {
    private static final String CONF = """
            blacklist {
            	devnode "^sdz"
            	wwid "^3600508b1"
            	property "^ID_ATA"
            	protocol "scsi:usb"
            	device {
            		vendor "QEMU"
            		product "QEMU HARDDISK"
            	}
            	device {
            		vendor "ACME"
            	}
            }
            blacklist_exceptions {
            	wwid "^3600508b1ff"
            	device {
            		vendor "ACME"
            		product "Special"
            	}
            }
            """;

    private static BlacklistVerdict check(PathIdentity p) throws Exception {
        return Fixtures.load(CONF).checkBlacklist(p);
    }

    private static PathIdentity path(String dev, String vendor, String product, String wwid, String protocol) {
        return new PathIdentity(dev, vendor, product, null, wwid, protocol, null);
    }

    @Test
    void devnodeRuleBlacklistsWithItsReason() throws Exception {
        BlacklistVerdict v = check(path("sdz", "LIO-ORG", "disk", "36001405aa", "scsi:iscsi"));
        assertTrue(v.blacklisted());
        assertEquals(RuleKind.DEVNODE, v.rule().kind());
        assertEquals("sdz: device node name blacklisted by devnode \"^sdz\" (blacklist section, test.conf:2)", v.reason());
    }

    @Test
    void builtinDevnodeRuleExcludesNonDiskDevices() throws Exception {
        BlacklistVerdict v = check(path("loop0", null, null, null, null));
        assertTrue(v.blacklisted());
        assertTrue(v.rule().isDefault());
        assertTrue(v.reason().endsWith("(default rule)"), v.reason());
    }

    @Test
    void wwidRuleAndItsException() throws Exception {
        assertTrue(check(path("sdb", "HP", "x", "3600508b1001c", "scsi:fcp")).blacklisted());
        BlacklistVerdict v = check(path("sdb", "HP", "x", "3600508b1ff01", "scsi:fcp"));
        assertFalse(v.blacklisted());
        assertTrue(v.excepted());
        assertEquals("sdb: wwid 3600508b1ff01 whitelisted by wwid \"^3600508b1ff\" (blacklist_exceptions section, test.conf:15)",
                v.reason());
    }

    @Test
    void vendorProductRuleAndExceptionWins() throws Exception {
        BlacklistVerdict qemu = check(path("sdc", "QEMU", "QEMU HARDDISK", "0QEMU1", "scsi:spi"));
        assertTrue(qemu.blacklisted());
        assertTrue(qemu.reason().startsWith("sdc: (QEMU:QEMU HARDDISK) vendor/product blacklisted"), qemu.reason());
        assertTrue(check(path("sdd", "ACME", "Ordinary", "3", "scsi:fcp")).blacklisted());
        BlacklistVerdict special = check(path("sdd", "ACME", "Special", "3", "scsi:fcp"));
        assertFalse(special.blacklisted());
        assertEquals(RuleKind.DEVICE, special.rule().kind());
    }

    @Test
    void hardwareTableProductBlacklistBecomesADefaultRule() throws Exception {
        BlacklistVerdict v = check(path("sde", "DGC", "LUNZ", "36006", "scsi:fcp"));
        assertTrue(v.blacklisted());
        assertTrue(v.rule().isDefault());
    }

    @Test
    void protocolRule() throws Exception {
        BlacklistVerdict v = check(path("sdf", "Kingston", "DataTraveler", "1", "scsi:usb"));
        assertTrue(v.blacklisted());
        assertEquals("sdf: protocol scsi:usb blacklisted by protocol \"scsi:usb\" (blacklist section, test.conf:5)",
                v.reason());
    }

    @Test
    void propertyRuleAndTheBuiltinPropertyException() throws Exception {
        PathIdentity ata = new PathIdentity("sdg", "ATA", "disk", null, "1", "scsi:ata",
                Map.of("ID_ATA", "1", "ID_SERIAL", "x"));
        BlacklistVerdict v = check(ata);
        assertTrue(v.blacklisted());
        assertEquals(RuleKind.PROPERTY, v.rule().kind());
        PathIdentity wwn = new PathIdentity("sdh", "LIO-ORG", "disk", null, "1", "scsi:iscsi",
                Map.of("ID_SERIAL", "x", "ID_WWN", "0x6001"));
        assertTrue(check(wwn).excepted());
    }

    @Test
    void missingIdentifyingPropertyBlacklists() throws Exception {
        PathIdentity p = new PathIdentity("sdi", "LIO-ORG", "disk", null, "1", "scsi:iscsi", Map.of("ID_SERIAL", "x"));
        BlacklistVerdict v = check(p);
        assertTrue(v.blacklisted());
        assertNull(v.rule());
        assertEquals("sdi: blacklisted, udev property missing", v.reason());
    }

    @Test
    void pathMatchingNoRuleIsNotBlacklisted() throws Exception {
        BlacklistVerdict v = check(path("sdb", "LIO-ORG", "disk", "36001405aa", "scsi:iscsi"));
        assertFalse(v.blacklisted());
        assertFalse(v.excepted());
        assertEquals("sdb: no blacklist rule matches", v.reason());
    }
}
