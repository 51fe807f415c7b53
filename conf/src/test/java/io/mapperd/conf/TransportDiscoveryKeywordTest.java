package io.mapperd.conf;

import io.mapperd.conf.parse.ConfParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code discovery no} in mapperd_transports: a static portal or subsystem port, which must name its target. */
class TransportDiscoveryKeywordTest {
    static List<Problem> errors(ConfigFile f) {
        return f.problems().stream().filter(p -> p.severity() == Severity.ERROR).toList();
    }

    @Test
    void discoveryIsOnUnlessSaidOtherwise() {
        ConfigFile f = ConfParser.parse("""
                mapperd_transports {
                	iscsi_portal {
                		portal 127.0.0.1:13260
                	}
                	nvme_discovery {
                		address 127.0.0.1:8009
                	}
                }
                """, "t.conf");
        assertEquals(List.of(), errors(f));
        assertTrue(f.iscsiPortals().getFirst().discovery());
        assertTrue(f.nvmeDiscoveries().getFirst().discovery());
    }

    @Test
    void staticEntriesNameTheirTarget() {
        ConfigFile f = ConfParser.parse("""
                mapperd_transports {
                	iscsi_portal {
                		portal 127.0.0.1:13260
                		target iqn.2024-01.io.refvm:tgt1
                		discovery no
                	}
                	nvme_discovery {
                		address 127.0.0.1:14420
                		subsystem_nqn nqn.2024-01.io.refvm:nvme1
                		discovery no
                	}
                }
                """, "t.conf");
        assertEquals(List.of(), errors(f));
        assertFalse(f.iscsiPortals().getFirst().discovery());
        assertFalse(f.nvmeDiscoveries().getFirst().discovery());
    }

    @Test
    void aStaticEntryWithoutItsTargetIsRefusedAtItsLine() {
        ConfigFile f = ConfParser.parse("""
                mapperd_transports {
                	iscsi_portal {
                		portal 127.0.0.1:13260
                		discovery no
                	}
                	nvme_discovery {
                		address 127.0.0.1:14420
                		discovery no
                	}
                }
                """, "t.conf");
        List<String> msgs = errors(f).stream().map(Problem::toString).toList();
        assertEquals(2, msgs.size(), msgs.toString());
        assertTrue(msgs.get(0).contains("iscsi_portal with discovery no needs target"), msgs.get(0));
        assertTrue(msgs.get(1).contains("nvme_discovery with discovery no needs subsystem_nqn"), msgs.get(1));
    }
}
