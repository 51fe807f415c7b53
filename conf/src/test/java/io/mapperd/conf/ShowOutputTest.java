package io.mapperd.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** show blacklist, show devices and show config local in multipath-tools' formats. */
class ShowOutputTest {

    @Test
    void showBlacklistListsEachKindWithRuleOrigins() throws Exception {
        String out = ConfigPrinter.showBlacklist(Fixtures.load("blacklist {\n\twwid \"^0QEMU\"\n}\n"));
        assertTrue(out.startsWith("""
                device node rules:
                - blacklist:
                        (default rule)     !^(sd[a-z]|dasd[a-z]|nvme[0-9])
                - exceptions:
                        <empty>
                udev property rules:
                - blacklist:
                        <empty>
                - exceptions:
                        (default rule)     (SCSI_IDENT_|ID_WWN)
                protocol rules:
                - blacklist:
                        <empty>
                - exceptions:
                        <empty>
                wwid rules:
                - blacklist:
                        (config file rule) ^0QEMU
                - exceptions:
                        <empty>
                device rules:
                - blacklist:
                        (default rule)     SGI:Universal Xport
                """), out);
    }

    @Test
    void showDevicesMarksBlacklistedDeviceNodes() {
        String out = ConfigPrinter.showDevices(ConfigLoader.builtin(), List.of("sda", "sdb", "loop0"), Set.of("sdb"));
        assertEquals("""
                available block devices:
                    sda devnode whitelisted, unmonitored
                    sdb  devnode whitelisted, monitored
                    loop0 devnode blacklisted, unmonitored
                """, out);
    }

    @Test
    void showConfigLocalListsOnlyExistingMapsAndCommentsTheirAliases() throws Exception {
        MultipathConfig c = Fixtures.load("multipaths {\n\tmultipath {\n\t\twwid 3600a1\n\t}\n"
                + "\tmultipath {\n\t\twwid 3600a2\n\t\talias two\n\t}\n}\n");
        Map<String, String> maps = new LinkedHashMap<>();
        maps.put("3600a1", "mpatha");
        maps.put("3600a9", "mpathb");
        String out = ConfigPrinter.showConfig(c, maps);
        assertTrue(out.endsWith("""
                multipaths {
                	multipath {
                		wwid "3600a1"
                		# alias "mpatha"
                	}
                	multipath {
                		wwid "3600a9"
                		# alias "mpathb"
                	}
                }
                """), out);
    }
}
