package io.mapperd.sim.nvme;

import io.mapperd.dm.io.Bio;
import io.mapperd.transport.EventLoops;
import io.mapperd.transport.nvmetcp.AnaState;
import io.mapperd.transport.nvmetcp.NvmeOpcodes;
import io.mapperd.transport.nvmetcp.NvmeStatus;
import io.mapperd.transport.nvmetcp.pdu.C2HData;
import io.mapperd.transport.nvmetcp.pdu.CapsuleCommand;
import io.mapperd.transport.nvmetcp.pdu.CapsuleResponse;
import io.mapperd.transport.nvmetcp.pdu.Cqe;
import io.mapperd.transport.nvmetcp.pdu.H2CData;
import io.mapperd.transport.nvmetcp.pdu.IcReq;
import io.mapperd.transport.nvmetcp.pdu.IcResp;
import io.mapperd.transport.nvmetcp.pdu.NvmeTcpPdu;
import io.mapperd.transport.nvmetcp.pdu.NvmeTcpPduDecoder;
import io.mapperd.transport.nvmetcp.pdu.NvmeTcpPduEncoder;
import io.mapperd.transport.nvmetcp.pdu.NvmeTcpProtocolException;
import io.mapperd.transport.nvmetcp.pdu.R2T;
import io.mapperd.transport.nvmetcp.pdu.Sqe;
import io.mapperd.transport.nvmetcp.pdu.TermReq;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One TCP connection of the target: one queue of one controller. Runs on its event loop. */
final class NvmeTargetConnection extends SimpleChannelInboundHandler<NvmeTcpPdu> {
    private static final Logger log = LoggerFactory.getLogger(NvmeTargetConnection.class);
    private static final AttributeKey<NvmeTargetConnection> KEY = AttributeKey.valueOf("nvme-sim-connection");
    private static final int SC_AER_LIMIT = 0x105;

    /** Write (or Dataset Management) data arriving in H2CData PDUs after an R2T. */
    private static final class Incoming {
        final Sqe sqe;
        final long length;
        final CompositeByteBuf data;

        Incoming(Sqe sqe, long length, CompositeByteBuf data) {
            this.sqe = sqe;
            this.length = length;
            this.data = data;
        }
    }

    private final NvmeTarget target;
    private final SimPortal portal;
    private final NvmeTcpPduDecoder decoder;
    private final NvmeTcpPduEncoder encoder;
    private final Map<Integer, Incoming> incoming = new HashMap<>();
    private Channel ch;
    private boolean icDone;
    private volatile int qid = -1;
    private SimController ctrl;

    private NvmeTargetConnection(NvmeTarget target, SimPortal portal, NvmeTcpPduDecoder decoder, NvmeTcpPduEncoder encoder) {
        this.target = target;
        this.portal = portal;
        this.decoder = decoder;
        this.encoder = encoder;
    }

    static void install(NvmeTarget target, SimPortal portal, Channel ch) {
        NvmeTcpPduDecoder dec = new NvmeTcpPduDecoder(false, Math.max(target.maxH2cData(), target.inCapsule()) + 64L);
        NvmeTcpPduEncoder enc = new NvmeTcpPduEncoder();
        NvmeTargetConnection c = new NvmeTargetConnection(target, portal, dec, enc);
        ch.attr(KEY).set(c);
        ch.pipeline().addLast(new FlushConsolidationHandler(256, true), dec, enc, c);
    }

    /** The queue id a connection was connected as, -1 before its Connect. */
    static int qidOf(Channel queue) {
        NvmeTargetConnection c = queue.attr(KEY).get();
        return c == null ? -1 : c.qid;
    }

    /** Answers an outstanding AER (from any thread). */
    static void completeAer(Channel admin, int cid, int dw0) {
        if (admin != null) {
            admin.eventLoop().execute(() -> {
                NvmeTargetConnection c = admin.attr(KEY).get();
                if (c != null && admin.isActive()) {
                    c.respond(new Cqe(dw0 & 0xFFFFFFFFL, 0, 0, cid, 0));
                }
            });
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ch = ctx.channel();
        if (portal.fault().kind() == SimFault.Kind.REFUSE) {
            ctx.close();
            return;
        }
        portal.connections().add(ch);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        portal.connections().remove(ch);
        for (Incoming in : incoming.values()) {
            in.data.release();
        }
        incoming.clear();
        SimController c = ctrl;
        if (c != null) {
            c.queues.remove(ch);
            if (!c.dead) {
                // losing any queue is fatal to the controller, as in nvmet
                target.removeController(c);
            }
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, NvmeTcpPdu pdu) {
        if (portal.fault().kind() == SimFault.Kind.HANG) {
            return;
        }
        switch (pdu) {
            case IcReq r -> icReq(r);
            case CapsuleCommand c -> {
                requireIc(pdu);
                command(c.sqe(), c.data());
            }
            case H2CData d -> {
                requireIc(pdu);
                h2cData(d);
            }
            case TermReq t -> {
                log.info("nvme portal {}: host terminated the connection: {}", portal.id(), TermReq.describe(t.fes()));
                ctx.close();
            }
            default -> throw new NvmeTcpProtocolException(TermReq.FES_INVALID_HEADER_FIELD, 0, "unexpected " + pdu.type() + " PDU");
        }
    }

    private void requireIc(NvmeTcpPdu pdu) {
        if (!icDone) {
            throw new NvmeTcpProtocolException(TermReq.FES_PDU_SEQUENCE_ERROR, 0, pdu.type() + " PDU before ICReq");
        }
    }

    private void icReq(IcReq r) {
        if (icDone) {
            throw new NvmeTcpProtocolException(TermReq.FES_PDU_SEQUENCE_ERROR, 0, "second ICReq");
        }
        if (r.pfv() != 0) {
            throw new NvmeTcpProtocolException(TermReq.FES_UNSUPPORTED_PARAMETER, 8, "ICReq PDU format version " + r.pfv());
        }
        if (r.hpda() > 31) {
            throw new NvmeTcpProtocolException(TermReq.FES_INVALID_HEADER_FIELD, 10, "ICReq HPDA " + r.hpda() + " above 31");
        }
        icDone = true;
        ch.writeAndFlush(new IcResp(0, 0, r.headerDigest(), r.dataDigest(), target.maxH2cData()));
        encoder.setDataAlignment(r.hpda());
        encoder.setDigests(r.headerDigest(), r.dataDigest());
        decoder.setDigests(r.headerDigest(), r.dataDigest());
    }

    // ---- responses ----

    private void respond(Cqe cqe) {
        send(null, cqe);
    }

    private void status(Sqe sqe, int status) {
        respond(Cqe.error(sqe.cid(), status, true).withQid(qid));
    }

    private void ok(Sqe sqe, long result) {
        respond(new Cqe(result, 0, qid, sqe.cid(), 0));
    }

    /** Sends read data (if any) then the response, after the portal's delay if it has one. */
    private void send(C2HData data, Cqe cqe) {
        SimFault f = portal.fault();
        Runnable r = () -> {
            if (portal.fault().kind() == SimFault.Kind.HANG) {
                if (data != null) {
                    data.release();
                }
                return;
            }
            if (data != null) {
                ch.write(data, ch.voidPromise());
            }
            ch.writeAndFlush(new CapsuleResponse(cqe), ch.voidPromise());
        };
        if (f.kind() == SimFault.Kind.DELAY && f.delayMs() > 0) {
            ch.eventLoop().schedule(r, f.delayMs(), TimeUnit.MILLISECONDS);
        } else if (ch.eventLoop().inEventLoop()) {
            r.run();
        } else {
            ch.eventLoop().execute(r);
        }
    }

    /** Returns {@code buf} (released after) as the command's data, cut to the length the host asked for. */
    private void sendData(Sqe sqe, ByteBuf buf) {
        long want = sqe.dataLength();
        if (sqe.sglType() != Sqe.SGL_TRANSPORT || want == 0) {
            buf.release();
            status(sqe, NvmeStatus.SGL_INVALID_TYPE);
            return;
        }
        int n = (int) Math.min(want, buf.readableBytes());
        ByteBuf part = buf.retainedSlice(buf.readerIndex(), n);
        buf.release();
        if (n < want) {
            int pad = (int) (want - n);
            part = Unpooled.wrappedBuffer(part, Unpooled.buffer(pad, pad).writeZero(pad));
        }
        send(new C2HData(sqe.cid(), 0, true, false, part), new Cqe(0, 0, qid, sqe.cid(), 0));
    }

    // ---- commands ----

    private void command(Sqe sqe, ByteBuf data) {
        if (sqe.opcode() == NvmeOpcodes.FABRICS) {
            fabrics(sqe, data);
            return;
        }
        if (qid < 0 || ctrl == null || ctrl.dead) {
            status(sqe, NvmeStatus.CMD_SEQ_ERROR);
            return;
        }
        ctrl.lastKeepAliveNanos = System.nanoTime();
        if (!ctrl.ready()) {
            status(sqe, NvmeStatus.CMD_SEQ_ERROR);
            return;
        }
        if (qid == 0) {
            admin(sqe, data);
        } else {
            io(sqe, data);
        }
    }

    private void fabrics(Sqe sqe, ByteBuf data) {
        switch (sqe.fctype()) {
            case NvmeOpcodes.FCTYPE_CONNECT -> connect(sqe, data);
            case NvmeOpcodes.FCTYPE_PROPERTY_GET -> {
                if (qid != 0 || ctrl == null) {
                    status(sqe, NvmeStatus.CMD_SEQ_ERROR);
                    return;
                }
                boolean eight = (sqe.cdw10() & 1) != 0;
                long v;
                synchronized (ctrl) {
                    switch (sqe.cdw11()) {
                        case NvmeOpcodes.PROP_CAP -> {
                            if (!eight) {
                                status(sqe, NvmeStatus.INVALID_FIELD);
                                return;
                            }
                            v = (NvmeTarget.MAX_CMD - 1) | 1L << 16 | 0x0FL << 24 | 1L << 37;
                        }
                        case NvmeOpcodes.PROP_VS -> v = 0x00010400;
                        case NvmeOpcodes.PROP_CC -> v = ctrl.cc & 0xFFFFFFFFL;
                        case NvmeOpcodes.PROP_CSTS -> v = ctrl.csts & 0xFFFFFFFFL;
                        default -> {
                            status(sqe, NvmeStatus.INVALID_FIELD);
                            return;
                        }
                    }
                }
                ok(sqe, v);
            }
            case NvmeOpcodes.FCTYPE_PROPERTY_SET -> {
                if (qid != 0 || ctrl == null) {
                    status(sqe, NvmeStatus.CMD_SEQ_ERROR);
                    return;
                }
                if (sqe.cdw11() != NvmeOpcodes.PROP_CC) {
                    status(sqe, NvmeStatus.INVALID_FIELD);
                    return;
                }
                int v = sqe.cdw12();
                synchronized (ctrl) {
                    ctrl.cc = v;
                    ctrl.csts = (v & 1) != 0 ? ctrl.csts | NvmeOpcodes.CSTS_RDY : ctrl.csts & ~NvmeOpcodes.CSTS_RDY;
                    if (((v >>> 14) & 3) != 0) {
                        ctrl.csts = (ctrl.csts & ~0xC) | 0x8; // shutdown processing complete
                    }
                }
                ok(sqe, 0);
            }
            default -> status(sqe, NvmeStatus.INVALID_OPCODE);
        }
    }

    private void connect(Sqe sqe, ByteBuf data) {
        if (qid >= 0) {
            status(sqe, NvmeStatus.CMD_SEQ_ERROR);
            return;
        }
        if (data.readableBytes() != 1024) {
            status(sqe, NvmeStatus.SGL_INVALID_TYPE);
            return;
        }
        if ((sqe.cdw10() & 0xFFFF) != 0) {
            status(sqe, 0x180); // Connect Incompatible Format
            return;
        }
        int q = sqe.cdw10() >>> 16;
        int sqsize = sqe.cdw11() & 0xFFFF;
        long kato = sqe.cdw12() & 0xFFFFFFFFL;
        int cntlid = data.getUnsignedShortLE(data.readerIndex() + 16);
        String subnqn = nqn(data, 256);
        String hostnqn = nqn(data, 512);
        if (sqsize == 0 || sqsize >= NvmeTarget.MAX_CMD || (q == 0 && sqsize < 31 && sqsize < 1)) {
            status(sqe, NvmeStatus.CONNECT_INVALID_PARAM);
            return;
        }
        boolean discovery = NvmeOpcodes.DISCOVERY_NQN.equals(subnqn);
        SimSubsystem s = discovery ? null : target.subsystem(subnqn);
        if (!discovery && (s == null || !s.portals().contains(portal.id()))) {
            log.info("nvme portal {}: connect to unknown subsystem {} refused", portal.id(), subnqn);
            respond(new Cqe(1L << 16 | 256, 0, q, sqe.cid(), (NvmeStatus.CONNECT_INVALID_PARAM << 1) | Cqe.DNR << 1));
            return;
        }
        if (q == 0) {
            if (cntlid != 0xFFFF) {
                status(sqe, NvmeStatus.CONNECT_INVALID_PARAM);
                return;
            }
            SimController c = target.createController(s, portal, hostnqn, discovery, kato);
            synchronized (c) {
                c.admin = ch;
            }
            c.queues.add(ch);
            ctrl = c;
            qid = 0;
            ok(sqe, c.cntlid);
            return;
        }
        SimController c = target.controller(cntlid);
        if (c == null || c.dead || c.discovery || c.subsystem != s || !c.hostNqn.equals(hostnqn) || c.portal != portal
                || q > NvmeTarget.MAX_IO_QUEUES || !c.ready()) {
            status(sqe, NvmeStatus.CONNECT_INVALID_PARAM);
            return;
        }
        c.queues.add(ch);
        ctrl = c;
        qid = q;
        moveTo(target.queueLoop(s, q), () -> ok(sqe, c.cntlid));
    }

    /**
     * Moves this I/O queue's connection to {@code home} (null: stays), then answers its Connect. Queue N of every
     * controller of a subsystem is served by one loop, as the host keys its own queues
     * ({@link EventLoops#loopFor}): the paths of a multipath map to one subsystem then cost the
     * target no more wake-ups than one path does. A host sends nothing on a queue before its Connect
     * is answered, so no command arrives while the channel is between loops. Needs a transport whose
     * channels can change loops (epoll, NIO): under Netty 4.2.18's io_uring, moved connections stopped
     * answering (bench/RESULTS-multipath.md, session 7).
     */
    private void moveTo(EventLoop home, Runnable answer) {
        if (home == null || home == ch.eventLoop()) {
            answer.run();
            return;
        }
        ch.deregister().addListener(off -> {
            if (!off.isSuccess()) {
                ch.close();
                return;
            }
            home.register(ch).addListener(on -> {
                if (on.isSuccess()) {
                    answer.run();
                } else {
                    log.warn("nvme portal {}: moving queue {} to its loop failed: {}", portal.id(), qid, on.cause().toString());
                    ch.close();
                }
            });
        });
    }

    private static String nqn(ByteBuf data, int at) {
        String s = data.toString(data.readerIndex() + at, 256, StandardCharsets.UTF_8);
        int nul = s.indexOf('\0');
        return nul >= 0 ? s.substring(0, nul) : s;
    }

    private void admin(Sqe sqe, ByteBuf data) {
        SimController c = ctrl;
        switch (sqe.opcode()) {
            case NvmeOpcodes.ADMIN_IDENTIFY -> identify(sqe);
            case NvmeOpcodes.ADMIN_GET_LOG_PAGE -> getLogPage(sqe);
            case NvmeOpcodes.ADMIN_SET_FEATURES -> {
                switch (sqe.cdw10() & 0xFF) {
                    case NvmeOpcodes.FEAT_NUM_QUEUES -> {
                        int want = Math.min(NvmeTarget.MAX_IO_QUEUES, (sqe.cdw11() & 0xFFFF) + 1);
                        synchronized (c) {
                            c.ioQueuesGranted = want;
                        }
                        ok(sqe, (NvmeTarget.MAX_IO_QUEUES - 1) | (NvmeTarget.MAX_IO_QUEUES - 1) << 16);
                    }
                    case NvmeOpcodes.FEAT_ASYNC_EVENT -> {
                        int supported = c.discovery ? NvmeOpcodes.AEN_CFG_DISC_CHANGE : NvmeOpcodes.AEN_CFG_NS_ATTR | NvmeOpcodes.AEN_CFG_ANA_CHANGE;
                        if ((sqe.cdw11() & ~supported) != 0) {
                            status(sqe, NvmeStatus.INVALID_FIELD);
                            return;
                        }
                        synchronized (c) {
                            c.aenConfig = sqe.cdw11();
                        }
                        ok(sqe, 0);
                    }
                    case NvmeOpcodes.FEAT_KATO -> ok(sqe, 0);
                    default -> status(sqe, NvmeStatus.INVALID_FIELD);
                }
            }
            case NvmeOpcodes.ADMIN_GET_FEATURES -> {
                switch (sqe.cdw10() & 0xFF) {
                    case NvmeOpcodes.FEAT_NUM_QUEUES -> ok(sqe, (NvmeTarget.MAX_IO_QUEUES - 1) | (NvmeTarget.MAX_IO_QUEUES - 1) << 16);
                    case NvmeOpcodes.FEAT_ASYNC_EVENT -> ok(sqe, c.aenConfig & 0xFFFFFFFFL);
                    case NvmeOpcodes.FEAT_KATO -> ok(sqe, c.katoMs);
                    default -> status(sqe, NvmeStatus.INVALID_FIELD);
                }
            }
            case NvmeOpcodes.ADMIN_ASYNC_EVENT -> {
                Integer event;
                synchronized (c) {
                    if (c.aers.size() >= NvmeTarget.AERL) {
                        event = null;
                    } else {
                        event = c.pendingEvents.poll();
                        if (event == null) {
                            c.aers.add(sqe.cid());
                            return;
                        }
                    }
                }
                if (event == null) {
                    status(sqe, SC_AER_LIMIT);
                } else {
                    respond(new Cqe(event & 0xFFFFFFFFL, 0, 0, sqe.cid(), 0));
                }
            }
            case NvmeOpcodes.ADMIN_KEEP_ALIVE -> ok(sqe, 0);
            default -> status(sqe, NvmeStatus.INVALID_OPCODE);
        }
    }

    private void identify(Sqe sqe) {
        int cns = sqe.cdw10() & 0xFF;
        SimController c = ctrl;
        if (c.discovery && cns != NvmeOpcodes.CNS_CONTROLLER) {
            status(sqe, NvmeStatus.INVALID_FIELD);
            return;
        }
        switch (cns) {
            case NvmeOpcodes.CNS_CONTROLLER -> sendData(sqe, SimIdentify.controller(c, target.inCapsule(), NvmeTarget.MAX_CMD));
            case NvmeOpcodes.CNS_NAMESPACE -> {
                if (sqe.nsid() == 0 || sqe.nsid() == 0xFFFFFFFF) {
                    status(sqe, NvmeStatus.INVALID_NS);
                    return;
                }
                sendData(sqe, SimIdentify.namespace(c.subsystem.namespaces().get(sqe.nsid())));
            }
            case NvmeOpcodes.CNS_ACTIVE_NS_LIST -> {
                if (Integer.compareUnsigned(sqe.nsid(), 0xFFFFFFFE) >= 0) {
                    status(sqe, NvmeStatus.INVALID_NS);
                    return;
                }
                sendData(sqe, SimIdentify.activeNamespaces(c.subsystem, sqe.nsid()));
            }
            case NvmeOpcodes.CNS_NS_DESC_LIST -> {
                SimNamespace ns = c.subsystem.namespaces().get(sqe.nsid());
                if (ns == null) {
                    status(sqe, NvmeStatus.INVALID_NS);
                    return;
                }
                sendData(sqe, SimIdentify.descriptors(ns));
            }
            default -> status(sqe, NvmeStatus.INVALID_FIELD);
        }
    }

    private void getLogPage(Sqe sqe) {
        SimController c = ctrl;
        int lid = sqe.cdw10() & 0xFF;
        int lsp = (sqe.cdw10() >>> 8) & 0xF;
        boolean rae = (sqe.cdw10() & (1 << 15)) != 0;
        long numd = ((sqe.cdw10() >>> 16) | (long) (sqe.cdw11() & 0xFFFF) << 16) + 1;
        long offset = (sqe.cdw12() & 0xFFFFFFFFL) | (long) sqe.cdw13() << 32;
        long len = numd * 4;
        if (len != sqe.dataLength() || (offset & 3) != 0) {
            status(sqe, NvmeStatus.INVALID_FIELD);
            return;
        }
        ByteBuf log;
        switch (lid) {
            case NvmeOpcodes.LOG_ANA -> {
                if (c.discovery) {
                    status(sqe, NvmeStatus.INVALID_FIELD);
                    return;
                }
                log = SimIdentify.anaLog(c.subsystem, portal, (lsp & 1) != 0);
                if (!rae) {
                    synchronized (c) {
                        c.anaEventMasked = false;
                    }
                }
            }
            case NvmeOpcodes.LOG_DISCOVERY -> {
                if (!c.discovery) {
                    status(sqe, NvmeStatus.INVALID_FIELD);
                    return;
                }
                log = SimIdentify.discoveryLog(target.subsystems(), portal, target.discoveryGeneration());
            }
            case NvmeOpcodes.LOG_ERROR, NvmeOpcodes.LOG_SMART, 0x03 -> log = Unpooled.buffer(512).writeZero(512);
            default -> {
                status(sqe, NvmeStatus.INVALID_FIELD);
                return;
            }
        }
        if (offset > log.readableBytes()) {
            log.release();
            status(sqe, NvmeStatus.INVALID_FIELD);
            return;
        }
        log.readerIndex((int) offset);
        sendData(sqe, log);
    }

    // ---- I/O ----

    private void io(Sqe sqe, ByteBuf data) {
        SimNamespace ns = ctrl.subsystem.namespaces().get(sqe.nsid());
        if (ns == null) {
            status(sqe, NvmeStatus.INVALID_NS);
            return;
        }
        AnaState ana = portal.anaState(ns.anaGroup());
        if (!ana.accessible()) {
            status(sqe, switch (ana) {
                case PERSISTENT_LOSS -> NvmeStatus.ANA_PERSISTENT_LOSS;
                case CHANGE -> NvmeStatus.ANA_TRANSITION;
                default -> NvmeStatus.ANA_INACCESSIBLE;
            });
            return;
        }
        SimFault f = portal.fault();
        if (f.kind() == SimFault.Kind.ERROR) {
            respond(Cqe.error(sqe.cid(), f.status(), false).withQid(qid));
            return;
        }
        if (f.kind() == SimFault.Kind.HOSTILE) {
            hostile(sqe, f.hostile());
            return;
        }
        long slba = (sqe.cdw10() & 0xFFFFFFFFL) | (long) sqe.cdw11() << 32;
        int nlb = (sqe.cdw12() & 0xFFFF) + 1;
        switch (sqe.opcode()) {
            case NvmeOpcodes.IO_READ -> {
                if (!inRange(sqe, ns, slba, nlb) || !lengthMatches(sqe, (long) nlb << SimNamespace.BLOCK_SHIFT)) {
                    return;
                }
                read(sqe, ns, slba, nlb);
            }
            case NvmeOpcodes.IO_WRITE -> {
                if (!inRange(sqe, ns, slba, nlb) || !lengthMatches(sqe, (long) nlb << SimNamespace.BLOCK_SHIFT)) {
                    return;
                }
                receive(sqe, data);
            }
            case NvmeOpcodes.IO_DSM -> {
                int nr = (sqe.cdw10() & 0xFF) + 1;
                if (!lengthMatches(sqe, nr * 16L)) {
                    return;
                }
                receive(sqe, data);
            }
            case NvmeOpcodes.IO_FLUSH -> ns.device().submit(Bio.flush(), ex -> done(sqe, ex));
            case NvmeOpcodes.IO_WRITE_ZEROES -> {
                if (inRange(sqe, ns, slba, nlb)) {
                    // Deallocate (DEAC, cdw12 bit 25) lets the blocks go; else they stay allocated
                    int flags = (sqe.cdw12() & (1 << 25)) != 0 ? 0 : Bio.NOUNMAP;
                    ns.device().submit(Bio.writeZeroes(slba, (long) nlb << SimNamespace.BLOCK_SHIFT, flags), ex -> done(sqe, ex));
                }
            }
            default -> status(sqe, NvmeStatus.INVALID_OPCODE);
        }
    }

    /** Answers an I/O command as a broken or malicious target would; the raw bytes bypass the encoder. */
    private void hostile(Sqe sqe, SimFault.Hostile how) {
        ByteBuf b = ch.alloc().buffer(64);
        switch (how) {
            case GARBAGE -> {
                java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
                b.writeByte(0x42);
                for (int i = 1; i < 64; i++) {
                    b.writeByte(r.nextInt(256));
                }
            }
            case UNKNOWN_CID -> {
                b.writeByte(0x05).writeByte(0).writeByte(24).writeByte(0).writeIntLE(24);
                new Cqe(0, 0, qid, (sqe.cid() + 1000) & 0xFFFF, 0).write(b);
            }
            case WRONG_LENGTH -> {
                b.writeByte(0x05).writeByte(0).writeByte(24).writeByte(0).writeIntLE(40);
                new Cqe(0, 0, qid, sqe.cid(), 0).write(b);
                b.writeZero(16);
            }
            case SHORT_READ -> {
                b.writeByte(0x05).writeByte(0).writeByte(24).writeByte(0).writeIntLE(24);
                new Cqe(0, 0, qid, sqe.cid(), 0).write(b);
            }
            case HUGE_DATA -> b.writeByte(0x07).writeByte(0x04).writeByte(24).writeByte(24).writeIntLE(0x7FFF0000)
                    .writeShortLE(sqe.cid()).writeShortLE(0).writeIntLE(0).writeIntLE(0x7FFF0000 - 24).writeIntLE(0);
        }
        ch.writeAndFlush(b, ch.voidPromise());
    }

    private boolean inRange(Sqe sqe, SimNamespace ns, long slba, long nlb) {
        if (slba < 0 || slba + nlb > ns.blocks()) {
            status(sqe, NvmeStatus.LBA_RANGE);
            return false;
        }
        return true;
    }

    private boolean lengthMatches(Sqe sqe, long bytes) {
        if (sqe.dataLength() != bytes) {
            status(sqe, 0x00F); // Data SGL Length Invalid
            return false;
        }
        return true;
    }

    /** Takes a command's data from the capsule, or asks for it with an R2T. */
    private void receive(Sqe sqe, ByteBuf data) {
        long len = sqe.dataLength();
        if (sqe.sglType() == Sqe.SGL_IN_CAPSULE) {
            if (data.readableBytes() != len) {
                status(sqe, 0x00F);
                return;
            }
            CompositeByteBuf all = ch.alloc().compositeBuffer();
            all.addComponent(true, data.retain());
            execute(sqe, all);
            return;
        }
        if (sqe.sglType() != Sqe.SGL_TRANSPORT || data.isReadable()) {
            status(sqe, NvmeStatus.SGL_INVALID_TYPE);
            return;
        }
        if (incoming.containsKey(sqe.cid())) {
            status(sqe, NvmeStatus.CMDID_CONFLICT);
            return;
        }
        incoming.put(sqe.cid(), new Incoming(sqe, len, ch.alloc().compositeBuffer(1024)));
        ch.writeAndFlush(new R2T(sqe.cid(), sqe.cid(), 0, len), ch.voidPromise());
    }

    private void h2cData(H2CData d) {
        Incoming in = incoming.get(d.cccid());
        if (in == null || d.ttag() != d.cccid()) {
            throw new NvmeTcpProtocolException(TermReq.FES_INVALID_HEADER_FIELD, 8, "H2CData for command id " + d.cccid() + " (tag " + d.ttag() + ") with no R2T");
        }
        int n = d.data().readableBytes();
        if (d.datao() != in.data.readableBytes() || d.datao() + n > in.length) {
            throw new NvmeTcpProtocolException(TermReq.FES_DATA_OUT_OF_RANGE, 12, "H2CData of " + n + " bytes at offset " + d.datao() + " for a transfer of " + in.length + " with " + in.data.readableBytes() + " received");
        }
        in.data.addComponent(true, d.data().retain());
        boolean complete = in.data.readableBytes() == in.length;
        if (d.last() != complete) {
            throw new NvmeTcpProtocolException(TermReq.FES_INVALID_HEADER_FIELD, 1, "H2CData LAST_PDU flag " + d.last() + " after " + in.data.readableBytes() + " of " + in.length + " bytes");
        }
        if (complete) {
            incoming.remove(d.cccid());
            execute(in.sqe, in.data);
        }
    }

    /** A write or DSM whose data has all arrived. */
    private void execute(Sqe sqe, CompositeByteBuf data) {
        SimNamespace ns = ctrl.subsystem.namespaces().get(sqe.nsid());
        if (sqe.opcode() == NvmeOpcodes.IO_WRITE) {
            long slba = (sqe.cdw10() & 0xFFFFFFFFL) | (long) sqe.cdw11() << 32;
            int flags = (sqe.cdw12() & (1 << 30)) != 0 ? Bio.FUA : 0;
            ByteBuffer[] parts = data.nioBuffers();
            Bio bio = parts.length == 1 ? Bio.write(slba, parts[0], flags) : Bio.writev(slba, flags, parts);
            ns.device().submit(bio, ex -> {
                data.release();
                done(sqe, ex);
            });
            return;
        }
        // Dataset Management: deallocated ranges read back as zeroes here
        boolean deallocate = (sqe.cdw11() & (1 << 2)) != 0;
        int nr = (sqe.cdw10() & 0xFF) + 1;
        long[][] ranges = new long[nr][2];
        for (int i = 0; i < nr; i++) {
            ranges[i][0] = data.getLongLE(i * 16 + 8);
            ranges[i][1] = data.getUnsignedIntLE(i * 16 + 4);
            if (ranges[i][0] < 0 || ranges[i][0] + ranges[i][1] > ns.blocks()) {
                data.release();
                status(sqe, NvmeStatus.LBA_RANGE);
                return;
            }
        }
        data.release();
        if (!deallocate) {
            ok(sqe, 0);
            return;
        }
        discard(sqe, ns, ranges, 0);
    }

    /** Deallocates the ranges from {@code i} on, one after another, then answers. */
    private void discard(Sqe sqe, SimNamespace ns, long[][] ranges, int i) {
        while (i < ranges.length && ranges[i][1] == 0) {
            i++;
        }
        if (i == ranges.length) {
            ok(sqe, 0);
            return;
        }
        int next = i + 1;
        Bio bio = Bio.writeZeroes(ranges[i][0], ranges[i][1] << SimNamespace.BLOCK_SHIFT, 0);
        ns.device().submit(bio, ex -> {
            if (ex != null) {
                done(sqe, ex);
            } else {
                discard(sqe, ns, ranges, next);
            }
        });
    }

    private void read(Sqe sqe, SimNamespace ns, long slba, int nlb) {
        int len = nlb << SimNamespace.BLOCK_SHIFT;
        ByteBuf buf = ch.alloc().directBuffer(len, len);
        ns.device().submit(Bio.read(slba, buf.nioBuffer(0, len)), ex -> {
            if (ex != null) {
                buf.release();
                log.warn("nvme namespace {}: read at LBA {} failed: {}", ns.nsid(), slba, ex.getMessage());
                status(sqe, NvmeStatus.READ_ERROR);
                return;
            }
            buf.writerIndex(len);
            send(new C2HData(sqe.cid(), 0, true, false, buf), new Cqe(0, 0, qid, sqe.cid(), 0));
        });
    }

    /** Answers a write, flush, zeroing or deallocation once its bio is done. */
    private void done(Sqe sqe, Throwable ex) {
        if (ex == null) {
            ok(sqe, 0);
            return;
        }
        log.warn("nvme command 0x{} failed: {}", Integer.toHexString(sqe.opcode()), ex.getMessage());
        status(sqe, NvmeStatus.WRITE_FAULT);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof NvmeTcpProtocolException p) {
            log.info("nvme portal {}: protocol error from host: {}", portal.id(), p.getMessage());
            ctx.writeAndFlush(new TermReq(false, p.fes(), p.fei(), Unpooled.EMPTY_BUFFER)).addListener(ChannelFutureListener.CLOSE);
        } else {
            log.debug("nvme portal {}: {}", portal.id(), c.toString());
            ctx.close();
        }
    }
}
