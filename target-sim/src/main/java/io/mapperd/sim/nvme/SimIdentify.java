package io.mapperd.sim.nvme;

import io.mapperd.transport.nvmetcp.AnaState;
import io.mapperd.transport.nvmetcp.NvmeOpcodes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The data structures the target returns: Identify pages, the ANA log, the discovery log. */
final class SimIdentify {
    static final int FIRMWARE_ANAGRPMAX = 128;
    static final int MAX_NAMESPACES = 1024;
    static final String FIRMWARE = "mapperd";

    private SimIdentify() {
    }

    static ByteBuf controller(SimController c, int inCapsule, int maxCmd) {
        ByteBuf b = Unpooled.buffer(4096, 4096).writeZero(4096);
        b.setShortLE(0, 0);            // VID: no PCI vendor, as nvmet
        b.setShortLE(2, 0);
        String serial = c.discovery ? "" : c.subsystem.serial();
        String model = c.discovery ? "mapperd-sim discovery" : c.subsystem.model();
        ascii(b, 4, serial, 20, ' ');
        ascii(b, 24, model, 40, ' ');
        ascii(b, 64, FIRMWARE, 8, ' ');
        b.setByte(72, 6);              // RAB
        b.setByte(76, c.discovery ? 0 : 0x0B); // CMIC: multi-port, multi-controller, ANA reporting
        b.setByte(77, 0);              // MDTS: no limit
        b.setShortLE(78, c.cntlid);
        b.setIntLE(80, 0x00010400);    // VER 1.4
        b.setIntLE(92, c.discovery ? 1 << 31 : NvmeOpcodes.AEN_CFG_NS_ATTR | NvmeOpcodes.AEN_CFG_ANA_CHANGE);
        b.setByte(111, c.discovery ? 2 : 1); // CNTRLTYPE: discovery or I/O controller
        b.setByte(258, 3);             // ACL
        b.setByte(259, 3);             // AERL: 4 outstanding AERs
        b.setByte(261, 0x7);           // LPA: SMART per namespace, commands effects, extended data, as nvmet
        b.setByte(262, 127);           // ELPE
        b.setShortLE(320, 10);         // KAS: keep-alive granularity of 1 s (10 x 100 ms), as nvmet
        if (!c.discovery) {
            b.setByte(342, 10);        // ANATT: 10 s
            b.setByte(343, 0x1F);      // ANACAP: reports optimized, non-optimized, inaccessible, persistent loss, change
            b.setIntLE(344, FIRMWARE_ANAGRPMAX);
            b.setIntLE(348, FIRMWARE_ANAGRPMAX);
            b.setByte(512, 0x66);      // SQES
            b.setByte(513, 0x44);      // CQES
            b.setShortLE(514, maxCmd);
            b.setIntLE(516, MAX_NAMESPACES);
            b.setShortLE(520, (1 << 2) | (1 << 3)); // ONCS: Dataset Management, Write Zeroes
            b.setByte(525, 1);         // VWC present
        }
        b.setIntLE(536, (1) | (1 << 20)); // SGLS: supported, offsets in in-capsule data
        ascii(b, 768, c.discovery ? NvmeOpcodes.DISCOVERY_NQN : c.subsystem.nqn(), 256, '\0');
        b.setIntLE(1792, (inCapsule + 64) / 16); // IOCCSZ
        b.setIntLE(1796, 1);           // IORCSZ
        b.setByte(1802, 0);            // FCATT: dynamic controller model
        b.setByte(1803, 1);            // MSDBD
        return b;
    }

    static ByteBuf namespace(SimNamespace ns) {
        ByteBuf b = Unpooled.buffer(4096, 4096).writeZero(4096);
        if (ns == null) {
            return b;                  // an inactive NSID: all zeroes
        }
        b.setLongLE(0, ns.blocks());
        b.setLongLE(8, ns.blocks());
        b.setLongLE(16, ns.blocks());
        b.setByte(24, 0x10);           // NSFEAT: optimal I/O fields
        b.setByte(25, 0);              // NLBAF: one format
        b.setByte(26, 0);              // FLBAS
        b.setByte(30, 1);              // NMIC: shared
        b.setIntLE(92, ns.anaGroup());
        if (!ns.nguid().isEmpty()) {
            b.setBytes(104, HexFormat.of().parseHex(ns.nguid()));
        }
        if (!ns.eui64().isEmpty()) {
            b.setBytes(120, HexFormat.of().parseHex(ns.eui64()));
        }
        b.setByte(128 + 2, SimNamespace.BLOCK_SHIFT);
        return b;
    }

    static ByteBuf activeNamespaces(SimSubsystem s, int after) {
        ByteBuf b = Unpooled.buffer(4096, 4096).writeZero(4096);
        int at = 0;
        for (int nsid : s.namespaces().keySet()) {
            if (Integer.compareUnsigned(nsid, after) > 0 && at < 4096) {
                b.setIntLE(at, nsid);
                at += 4;
            }
        }
        return b;
    }

    static ByteBuf descriptors(SimNamespace ns) {
        ByteBuf b = Unpooled.buffer(4096, 4096).writeZero(4096);
        int at = 0;
        if (!ns.eui64().isEmpty()) {
            at = desc(b, at, 1, HexFormat.of().parseHex(ns.eui64()));
        }
        if (!ns.nguid().isEmpty()) {
            at = desc(b, at, 2, HexFormat.of().parseHex(ns.nguid()));
        }
        if (ns.uuid() != null) {
            byte[] u = java.nio.ByteBuffer.allocate(16).putLong(ns.uuid().getMostSignificantBits()).putLong(ns.uuid().getLeastSignificantBits()).array();
            at = desc(b, at, 3, u);
        }
        desc(b, at, 4, new byte[]{0});  // CSI: NVM command set
        return b;
    }

    private static int desc(ByteBuf b, int at, int type, byte[] v) {
        b.setByte(at, type);
        b.setByte(at + 1, v.length);
        b.setBytes(at + 4, v);
        return at + 4 + v.length;
    }

    /** The ANA log through one portal: every group with namespaces, in group order. */
    static ByteBuf anaLog(SimSubsystem s, SimPortal p, boolean groupsOnly) {
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        for (SimNamespace ns : s.namespaces().values()) {
            groups.computeIfAbsent(ns.anaGroup(), g -> new ArrayList<>()).add(ns.nsid());
        }
        ByteBuf b = Unpooled.buffer();
        b.writeLongLE(p.anaChangeCount());
        b.writeShortLE(groups.size());
        b.writeZero(6);
        for (Map.Entry<Integer, List<Integer>> g : groups.entrySet()) {
            AnaState st = p.anaState(g.getKey());
            b.writeIntLE(g.getKey());
            b.writeIntLE(groupsOnly ? 0 : g.getValue().size());
            b.writeLongLE(p.anaChangeCount());
            b.writeByte(st.code());
            b.writeZero(15);
            if (!groupsOnly) {
                for (int nsid : g.getValue()) {
                    b.writeIntLE(nsid);
                }
            }
        }
        return b;
    }

    /** The discovery log as seen through one portal: the current discovery subsystem, then each subsystem there. */
    static ByteBuf discoveryLog(List<SimSubsystem> subsystems, SimPortal p, long generation) {
        List<SimSubsystem> here = subsystems.stream().filter(s -> s.portals().contains(p.id())).toList();
        int records = 1 + here.size();
        ByteBuf b = Unpooled.buffer(1024 + records * 1024).writeZero(1024 + records * 1024);
        b.setLongLE(0, generation);
        b.setLongLE(8, records);
        b.setShortLE(16, 0);
        entry(b, 1024, p, 3, NvmeOpcodes.DISCOVERY_NQN);
        int at = 2048;
        for (SimSubsystem s : here) {
            entry(b, at, p, 2, s.nqn());
            at += 1024;
        }
        return b;
    }

    private static void entry(ByteBuf b, int at, SimPortal p, int subtype, String nqn) {
        b.setByte(at, 3);              // TRTYPE tcp
        b.setByte(at + 1, 1);          // ADRFAM ipv4
        b.setByte(at + 2, subtype);
        b.setByte(at + 3, 0x04);       // TREQ: not specified, SQ flow control disable supported
        b.setShortLE(at + 4, p.id());
        b.setShortLE(at + 6, 0xFFFF);  // CNTLID: dynamic
        b.setShortLE(at + 8, 32);      // ASQSZ
        ascii(b, at + 32, Integer.toString(p.port()), 32, '\0');
        ascii(b, at + 256, nqn, 256, '\0');
        ascii(b, at + 512, p.host(), 256, '\0');
        b.setByte(at + 768, 0);        // TSAS: SECTYPE none
    }

    /** An ASCII field: SN, MN and FR are space-padded, NQNs and addresses NUL-padded. */
    private static void ascii(ByteBuf b, int at, String s, int len, char pad) {
        byte[] v = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < len; i++) {
            b.setByte(at + i, i < v.length ? v[i] : pad);
        }
    }
}
