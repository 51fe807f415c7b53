package io.mapperd.sim.iscsi;

import io.mapperd.transport.iscsi.Lun;
import io.mapperd.transport.iscsi.TextKeys;
import io.mapperd.transport.iscsi.pdu.DataIn;
import io.mapperd.transport.iscsi.pdu.DataOut;
import io.mapperd.transport.iscsi.pdu.LoginRequest;
import io.mapperd.transport.iscsi.pdu.LoginResponse;
import io.mapperd.transport.iscsi.pdu.LogoutRequest;
import io.mapperd.transport.iscsi.pdu.LogoutResponse;
import io.mapperd.transport.iscsi.pdu.NopIn;
import io.mapperd.transport.iscsi.pdu.NopOut;
import io.mapperd.transport.iscsi.pdu.Pdu;
import io.mapperd.transport.iscsi.pdu.PduDecoder;
import io.mapperd.transport.iscsi.pdu.PduEncoder;
import io.mapperd.transport.iscsi.pdu.R2t;
import io.mapperd.transport.iscsi.pdu.Reject;
import io.mapperd.transport.iscsi.pdu.ScsiCommand;
import io.mapperd.transport.iscsi.pdu.ScsiResponse;
import io.mapperd.transport.iscsi.pdu.TaskMgmtRequest;
import io.mapperd.transport.iscsi.pdu.TaskMgmtResponse;
import io.mapperd.transport.iscsi.pdu.TextRequest;
import io.mapperd.transport.iscsi.pdu.TextResponse;
import io.mapperd.transport.iscsi.scsi.ScsiStatus;
import io.mapperd.transport.iscsi.scsi.SenseKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.collection.IntObjectHashMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One connection to the simulated target: login, then the full feature phase. Write data is gathered
 * from immediate data, unsolicited Data-Out and R2T-solicited Data-Out; read data goes out as Data-In
 * with the status in the last PDU. Every state change happens on the connection's event loop.
 */
final class TargetConnection extends SimpleChannelInboundHandler<Pdu> {
    /** Commands the target admits beyond ExpCmdSN. */
    static final int WINDOW = 64;
    private static final int MAX_WRITE = 64 << 20;

    private final IscsiTargetSim sim;
    private final SimPortal portal;
    private final TargetLogin login;
    private TargetLogin.Params params;
    private ChannelHandlerContext ctx;
    private int statSn;
    private int expCmdSn;
    private int nextTtt = 1;
    private final IntObjectHashMap<WriteTask> writes = new IntObjectHashMap<>();
    private String nexus;
    private boolean closing;

    /** A write command waiting for its data. */
    private static final class WriteTask {
        final ScsiCommand cmd;
        final ByteBuf buf;
        int r2tOffset;
        int r2tLength;
        int ttt = Pdu.RESERVED_TAG;
        int r2tSn;
        int received;
        int nextDataSn;
        boolean unsolicitedDone;

        WriteTask(ScsiCommand cmd, ByteBuf buf) {
            this.cmd = cmd;
            this.buf = buf;
        }
    }

    TargetConnection(IscsiTargetSim sim, SimPortal portal) {
        super(Pdu.class, false);
        this.sim = sim;
        this.portal = portal;
        this.login = new TargetLogin(sim, portal);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (WriteTask w : writes.values()) {
            w.buf.release();
            w.cmd.release();
        }
        writes.clear();
        sim.unregister(nexus, this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    void close() {
        ctx.close();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Pdu pdu) {
        try {
            if (portal.fault().hang() || closing) {
                return;
            }
            if (params == null) {
                if (pdu instanceof LoginRequest r) {
                    r.retain();
                    onLogin(r);
                } else {
                    ctx.close();
                }
                return;
            }
            switch (pdu) {
                case ScsiCommand c -> onCommand(c);
                case DataOut d -> onDataOut(d);
                case NopOut n -> onNopOut(n);
                case TaskMgmtRequest t -> onTaskManagement(t);
                case TextRequest t -> onText(t);
                case LogoutRequest l -> onLogout(l);
                case LoginRequest l -> reject(l, Reject.PROTOCOL_ERROR);
                default -> reject(pdu, Reject.COMMAND_NOT_SUPPORTED);
            }
        } finally {
            pdu.release();
        }
    }

    private void onLogin(LoginRequest r) {
        LoginResponse resp = login.handle(r);
        if (login.failed) {
            send(resp).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        TargetLogin.Params p = login.params();
        if (p == null) {
            send(resp);
            return;
        }
        statSn = login.statSn + 1;
        expCmdSn = r.cmdSn();
        ctx.writeAndFlush(resp);
        params = p;
        PduDecoder dec = ctx.pipeline().get(PduDecoder.class);
        PduEncoder enc = ctx.pipeline().get(PduEncoder.class);
        dec.digests(p.headerDigest(), p.dataDigest());
        enc.digests(p.headerDigest(), p.dataDigest());
        dec.maxDataSegment(TargetLogin.MAX_RECV_DATA_SEGMENT);
        nexus = p.initiatorName() + ",i,0x" + Long.toHexString(p.isid());
        if (!p.discovery()) {
            sim.register(nexus, this);
        }
    }

    private io.netty.channel.ChannelFuture send(Pdu p) {
        return ctx.writeAndFlush(p);
    }

    private int maxCmdSn() {
        return expCmdSn + WINDOW - 1;
    }

    /** Accepts a CmdSN: true when it is in the window (and advances ExpCmdSN if not immediate). */
    private boolean acceptCmdSn(boolean immediate, int cmdSn) {
        if (immediate) {
            return true;
        }
        if (cmdSn - expCmdSn < 0 || cmdSn - maxCmdSn() > 0) {
            return false;
        }
        if (cmdSn == expCmdSn) {
            expCmdSn++;
        } else {
            expCmdSn = cmdSn + 1;
        }
        return true;
    }

    private void reject(Pdu p, int reason) {
        ByteBuf hdr = Unpooled.buffer(Pdu.BHS_LENGTH);
        p.writeBhs(hdr);
        send(new Reject(reason, statSn++, expCmdSn, maxCmdSn(), 0, hdr));
    }

    // ---- SCSI commands ----

    private void onCommand(ScsiCommand c) {
        if (!acceptCmdSn(c.immediate(), c.cmdSn())) {
            return; // outside the window: silently ignored (RFC 7143 3.2.2.1)
        }
        if (params.discovery()) {
            reject(c, Reject.PROTOCOL_ERROR);
            return;
        }
        if (c.write() && c.expectedLength() > 0) {
            if (c.expectedLength() > MAX_WRITE || c.expectedLength() < 0) {
                respond(c, SimResponse.check(SenseKey.ILLEGAL_REQUEST, 0x55, 0x00));
                return;
            }
            int imm = c.data().readableBytes();
            if (imm > c.expectedLength() || imm > params.firstBurst() || (imm > 0 && !params.immediateData())) {
                reject(c, Reject.PROTOCOL_ERROR);
                return;
            }
            WriteTask w = new WriteTask((ScsiCommand) c.retain(), ctx.alloc().directBuffer(c.expectedLength()));
            w.buf.writerIndex(c.expectedLength());
            if (imm > 0) {
                w.buf.setBytes(0, c.data(), c.data().readerIndex(), imm);
            }
            w.received = imm;
            w.unsolicitedDone = c.isFinal() || params.initialR2T();
            writes.put(c.itt(), w);
            advance(w);
            return;
        }
        execute(c, c.data().retain());
    }

    private void advance(WriteTask w) {
        if (!w.unsolicitedDone) {
            return;
        }
        int expected = w.cmd.expectedLength();
        if (w.ttt != Pdu.RESERVED_TAG && w.received < w.r2tOffset + w.r2tLength) {
            return; // waiting for the data of the outstanding R2T
        }
        if (w.received >= expected) {
            writes.remove(w.cmd.itt());
            ScsiCommand c = w.cmd;
            execute(c, w.buf);
            c.release();
            return;
        }
        w.r2tOffset = w.received;
        w.r2tLength = Math.min(params.maxBurst(), expected - w.received);
        w.ttt = nextTtt++;
        if (w.ttt == Pdu.RESERVED_TAG) {
            w.ttt = nextTtt++;
        }
        w.nextDataSn = 0;
        send(new R2t(w.cmd.lun(), w.cmd.itt(), w.ttt, statSn, expCmdSn, maxCmdSn(), w.r2tSn++, w.r2tOffset, w.r2tLength));
    }

    private void onDataOut(DataOut d) {
        WriteTask w = writes.get(d.itt());
        if (w == null) {
            return;
        }
        int len = d.data().readableBytes();
        long off = d.bufferOffset() & 0xffffffffL;
        if (off + len > w.cmd.expectedLength()) {
            reject(d, Reject.PROTOCOL_ERROR);
            return;
        }
        if (d.dataSn() != w.nextDataSn++ || (d.ttt() != Pdu.RESERVED_TAG && d.ttt() != w.ttt)) {
            // Out of sequence at ERL 0: the task cannot complete correctly; fail it.
            writes.remove(d.itt());
            w.buf.release();
            ScsiCommand c = w.cmd;
            respond(c, SimResponse.check(SenseKey.ABORTED_COMMAND, 0x4b, 0x00));
            c.release();
            return;
        }
        w.buf.setBytes((int) off, d.data(), d.data().readerIndex(), len);
        w.received = (int) Math.max(w.received, off + len);
        if (d.ttt() == Pdu.RESERVED_TAG) {
            if (d.isFinal()) {
                w.unsolicitedDone = true;
                advance(w);
            }
        } else if (d.isFinal()) {
            advance(w);
        }
    }

    private void execute(ScsiCommand c, ByteBuf dataOut) {
        int lun = Lun.decode(c.lun());
        ScsiCommands.Context cx = new ScsiCommands.Context(sim, params.target(), portal, nexus);
        ScsiCommands.execute(cx, lun, c.cdb(), dataOut).whenComplete((r, e) -> {
            dataOut.release();
            SimResponse res = e != null ? SimResponse.check(SenseKey.HARDWARE_ERROR, 0x44, 0x00) : r;
            long delay = portal.fault().delayMillis();
            if (delay > 0) {
                ctx.executor().schedule(() -> respond(c, res), delay, TimeUnit.MILLISECONDS);
            } else if (ctx.executor().inEventLoop()) {
                respond(c, res);
            } else {
                ctx.executor().execute(() -> respond(c, res));
            }
        });
    }

    private void respond(ScsiCommand c, SimResponse r) {
        if (!ctx.channel().isActive() || portal.fault().hang()) {
            r.data().release();
            return;
        }
        int expected = c.expectedLength();
        ByteBuf data = r.data();
        int have = data.readableBytes();
        boolean ok = r.status() == ScsiStatus.GOOD || r.status() == ScsiStatus.CONDITION_MET;
        int transfer = r.transferLength() >= 0 ? r.transferLength() : have;
        int flags = 0;
        int residual = 0;
        if (ok && transfer > expected) {
            flags = ScsiResponse.RESIDUAL_OVERFLOW;
            residual = transfer - expected;
        } else if (ok && transfer < expected) {
            flags = ScsiResponse.RESIDUAL_UNDERFLOW;
            residual = expected - transfer;
        }
        if (ok && c.read() && have > 0 && expected > 0) {
            int n = Math.min(have, expected);
            int max = params.initiatorMaxRecv();
            int dataSn = 0;
            for (int off = 0; off < n; off += max) {
                int len = Math.min(max, n - off);
                boolean last = off + len == n;
                boolean burstEnd = last || (off + len) % params.maxBurst() == 0;
                int f = (burstEnd ? DataIn.FINAL : 0) | (last ? DataIn.STATUS | flags : 0);
                ctx.write(new DataIn(f, last ? r.status() : 0, c.lun(), c.itt(), Pdu.RESERVED_TAG,
                        last ? statSn++ : statSn, expCmdSn, maxCmdSn(), dataSn++, off, last ? residual : 0,
                        data.retainedSlice(data.readerIndex() + off, len)));
            }
            data.release();
            ctx.flush();
            return;
        }
        data.release();
        ByteBuf senseData = Unpooled.EMPTY_BUFFER;
        if (r.sense() != null) {
            senseData = Unpooled.buffer(20);
            senseData.writeShort(18);
            r.sense().writeFixed(senseData);
        }
        send(new ScsiResponse(flags, ScsiResponse.RESPONSE_COMPLETED, r.status(), c.itt(), statSn++, expCmdSn,
                maxCmdSn(), 0, 0, residual, senseData));
    }

    // ---- the rest of the full feature phase ----

    private void onNopOut(NopOut n) {
        if (!acceptCmdSn(n.immediate(), n.cmdSn())) {
            return;
        }
        if (n.itt() == Pdu.RESERVED_TAG) {
            return; // an answer to a NOP-In of ours, or a plain CmdSN carrier
        }
        send(new NopIn(n.lun(), n.itt(), Pdu.RESERVED_TAG, statSn++, expCmdSn, maxCmdSn(), n.data().retain()));
    }

    private void onTaskManagement(TaskMgmtRequest t) {
        if (!acceptCmdSn(t.immediate(), t.cmdSn())) {
            return;
        }
        int response;
        switch (t.function()) {
            case TaskMgmtRequest.ABORT_TASK -> {
                WriteTask w = writes.remove(t.referencedTaskTag());
                if (w != null) {
                    w.buf.release();
                    w.cmd.release();
                }
                response = w != null ? TaskMgmtResponse.COMPLETE : TaskMgmtResponse.TASK_DOES_NOT_EXIST;
            }
            case TaskMgmtRequest.ABORT_TASK_SET, TaskMgmtRequest.CLEAR_TASK_SET, TaskMgmtRequest.LOGICAL_UNIT_RESET,
                 TaskMgmtRequest.TARGET_WARM_RESET -> {
                List<Integer> gone = new ArrayList<>();
                for (var e : writes.entries()) {
                    if (t.function() == TaskMgmtRequest.TARGET_WARM_RESET || e.value().cmd.lun() == t.lun()) {
                        gone.add(e.key());
                    }
                }
                for (int itt : gone) {
                    WriteTask w = writes.remove(itt);
                    w.buf.release();
                    w.cmd.release();
                }
                if (params.target() != null && (t.function() == TaskMgmtRequest.LOGICAL_UNIT_RESET
                        || t.function() == TaskMgmtRequest.TARGET_WARM_RESET)) {
                    for (SimLun l : params.target().luns()) {
                        if (t.function() == TaskMgmtRequest.TARGET_WARM_RESET || l.id() == Lun.decode(t.lun())) {
                            Reservations6.reset(l);
                            sim.unitAttentionAll(l, io.mapperd.transport.iscsi.scsi.Sense.of(SenseKey.UNIT_ATTENTION, 0x29,
                                    t.function() == TaskMgmtRequest.LOGICAL_UNIT_RESET ? 0x03 : 0x02));
                        }
                    }
                }
                response = params.target() != null && (t.function() == TaskMgmtRequest.TARGET_WARM_RESET
                        || params.target().lun(Lun.decode(t.lun())) != null)
                        ? TaskMgmtResponse.COMPLETE : TaskMgmtResponse.LUN_DOES_NOT_EXIST;
            }
            case TaskMgmtRequest.CLEAR_ACA -> response = TaskMgmtResponse.COMPLETE;
            default -> response = TaskMgmtResponse.NOT_SUPPORTED;
        }
        send(new TaskMgmtResponse(response, t.itt(), statSn++, expCmdSn, maxCmdSn()));
    }

    private void onText(TextRequest t) {
        if (!acceptCmdSn(t.immediate(), t.cmdSn())) {
            return;
        }
        Map<String, String> keys;
        try {
            keys = TextKeys.decode(t.data());
        } catch (IllegalArgumentException e) {
            reject(t, Reject.PROTOCOL_ERROR);
            return;
        }
        List<Map.Entry<String, String>> out = new ArrayList<>();
        String st = keys.get("SendTargets");
        if (st != null) {
            for (SimTarget target : sim.targets()) {
                boolean wanted = st.equals("All") ? params.discovery() || target == params.target()
                        : st.isEmpty() ? target == params.target() : st.equals(target.iqn());
                if (!wanted) {
                    continue;
                }
                out.add(Map.entry("TargetName", target.iqn()));
                for (SimPortal p : sim.portals()) {
                    if (!p.fault().down()) {
                        out.add(Map.entry("TargetAddress", p.address() + "," + p.tpgt()));
                    }
                }
            }
        }
        for (String k : keys.keySet()) {
            if (!k.equals("SendTargets")) {
                out.add(Map.entry(k, "NotUnderstood"));
            }
        }
        send(new TextResponse(true, false, 0, t.itt(), Pdu.RESERVED_TAG, statSn++, expCmdSn, maxCmdSn(),
                out.isEmpty() ? Unpooled.EMPTY_BUFFER : TextKeys.encode(out)));
    }

    private void onLogout(LogoutRequest l) {
        acceptCmdSn(l.immediate(), l.cmdSn());
        closing = true;
        send(new LogoutResponse(0, l.itt(), statSn++, expCmdSn, maxCmdSn(), 0, 0)).addListener(ChannelFutureListener.CLOSE);
    }
}
