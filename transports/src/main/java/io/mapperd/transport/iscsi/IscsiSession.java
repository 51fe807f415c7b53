package io.mapperd.transport.iscsi;

import io.mapperd.transport.EventLoops;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.transport.iscsi.pdu.AsyncMessage;
import io.mapperd.transport.iscsi.pdu.DataIn;
import io.mapperd.transport.iscsi.pdu.DataOut;
import io.mapperd.transport.iscsi.pdu.LoginRequest;
import io.mapperd.transport.iscsi.pdu.LoginResponse;
import io.mapperd.transport.iscsi.pdu.LogoutRequest;
import io.mapperd.transport.iscsi.pdu.LogoutResponse;
import io.mapperd.transport.iscsi.pdu.NopIn;
import io.mapperd.transport.iscsi.pdu.NopOut;
import io.mapperd.transport.iscsi.pdu.Opcode;
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
import io.mapperd.transport.iscsi.scsi.Cdb;
import io.mapperd.transport.iscsi.scsi.Sense;
import io.mapperd.transport.iscsi.scsi.ScsiResult;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An iSCSI session with one connection, error recovery level 0. All session state lives on one event
 * loop; {@link #execute} may be called from any thread. Many commands may be outstanding, within
 * the target's CmdSN window; the rest wait in order. A lost connection fails every outstanding
 * command with {@link BlkStatus#TRANSPORT} (the multipath layer retries them on another path) and
 * the session reconnects and reinstates itself (same ISID) in the background; commands issued while
 * it does wait up to the replacement timeout, then fail fast until the session is back.
 */
public final class IscsiSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IscsiSession.class);
    private static final AtomicInteger ISID_QUALIFIER = new AtomicInteger(ThreadLocalRandom.current().nextInt());

    public enum State { CONNECTING, LOGGED_IN, RECOVERING, CLOSED }

    private final String host;
    private final int port;
    private final String targetName;
    private final SessionConfig config;
    private final EventLoop loop;
    private final long isid;
    private final String label;

    // ---- event-loop state ----
    private Channel channel;
    private Channel lostChannel;
    private PduDecoder decoder;
    private PduEncoder encoder;
    private volatile State state = State.CONNECTING;
    private Negotiated negotiated;
    private volatile int tsih;
    private int cmdSn = 1;
    private int expStatSn;
    private int expCmdSn = 1;
    private int maxCmdSn = 1;
    private int nextItt = 1;
    private final IntObjectHashMap<ScsiTask> tasks = new IntObjectHashMap<>();
    private final ArrayDeque<ScsiTask> pending = new ArrayDeque<>();
    private final IntObjectHashMap<CompletableFuture<Long>> pings = new IntObjectHashMap<>();
    private final IntObjectHashMap<CompletableFuture<Integer>> tmfs = new IntObjectHashMap<>();
    private final IntObjectHashMap<TextExchange> texts = new IntObjectHashMap<>();
    private Login login;
    private CompletableFuture<Void> loginDone;
    private ScheduledFuture<?> loginTimer;
    private ScheduledFuture<?> noopTimer;
    private ScheduledFuture<?> replacementTimer;
    private boolean failFast;
    private int backoffMillis;
    private CompletableFuture<Void> logoutDone;
    private volatile int reconnects;
    private volatile String lastError = "";

    private IscsiSession(String host, int port, String targetName, SessionConfig config, EventLoop loop) {
        this.host = host;
        this.port = port;
        this.targetName = targetName;
        this.config = config;
        this.loop = loop;
        this.isid = (0x80L << 40) | ((long) (ISID_QUALIFIER.getAndIncrement() & 0xffffff) << 16)
                | (ThreadLocalRandom.current().nextInt() & 0xffff);
        this.label = (targetName == null ? "discovery" : targetName) + " at " + host + ":" + port;
    }

    /** Connects and logs in to {@code targetName} (null: a discovery session). */
    public static CompletableFuture<IscsiSession> login(String host, int port, String targetName, SessionConfig config) {
        return login(host, port, targetName, config, EventLoops.initiator());
    }

    public static CompletableFuture<IscsiSession> login(String host, int port, String targetName, SessionConfig config,
                                                        EventLoopGroup group) {
        // sessions to one target (a map's paths through its portals) share a loop
        IscsiSession s = new IscsiSession(host, port, targetName, config, EventLoops.loopFor(group, targetName));
        CompletableFuture<IscsiSession> f = new CompletableFuture<>();
        s.loop.execute(() -> s.connect().whenComplete((v, e) -> {
            if (e != null) {
                s.state = State.CLOSED;
                f.completeExceptionally(e);
            } else {
                f.complete(s);
            }
        }));
        return f;
    }

    /** Discovery: logs in to a discovery session, asks SendTargets=All, logs out. */
    public static CompletableFuture<List<DiscoveredTarget>> discover(String host, int port, SessionConfig config) {
        return login(host, port, null, config.withReconnect(false)).thenCompose(s ->
                s.text(Map.of("SendTargets", "All")).handle((pairs, e) -> {
                    s.logout();
                    if (e != null) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                    return DiscoveredTarget.parse(pairs, host, port);
                }));
    }

    // ---- accessors ----

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String targetName() {
        return targetName;
    }

    public State state() {
        return state;
    }

    public int tsih() {
        return tsih;
    }

    public long isid() {
        return isid;
    }

    /** Negotiated parameters of the current (or last) connection. */
    public Negotiated negotiated() {
        return negotiated;
    }

    public int reconnects() {
        return reconnects;
    }

    public String lastError() {
        return lastError;
    }

    public SessionConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return label;
    }

    // ---- connection and login ----

    private CompletableFuture<Void> connect() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        decoder = new PduDecoder(PduDecoder.LOGIN_DATA_LIMIT);
        encoder = new PduEncoder();
        Bootstrap b = new Bootstrap().group(loop).channel(EventLoops.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.loginTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new FlushConsolidationHandler(64, true), decoder, encoder, new Handler());
                    }
                });
        EventLoops.quickAck(b);
        ChannelFuture cf = b.connect(host, port);
        channel = cf.channel();
        Channel ch = channel;
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(new LoginException("cannot connect to " + host + ":" + port + ": "
                        + f.cause().getMessage()));
                return;
            }
            loginDone = done;
            login = new Login(config, targetName, isid, 0, 0, cmdSn);
            loginTimer = loop.schedule(() -> {
                if (!done.isDone()) {
                    done.completeExceptionally(new LoginException("login to " + label + " timed out after "
                            + config.loginTimeout().toMillis() + " ms"));
                    ch.close();
                }
            }, config.loginTimeout().toMillis(), TimeUnit.MILLISECONDS);
            ch.writeAndFlush(login.first());
        });
        return done;
    }

    private void onLoginResponse(LoginResponse r) {
        if (login == null || loginDone == null || loginDone.isDone()) {
            r.release();
            protocolError("unexpected Login Response in full feature phase");
            return;
        }
        LoginRequest next;
        try {
            next = login.next(r);
        } catch (LoginException e) {
            loginDone.completeExceptionally(e);
            channel.close();
            return;
        }
        if (next != null) {
            channel.writeAndFlush(next);
            return;
        }
        Login.Result res = login.result();
        login = null;
        loginTimer.cancel(false);
        negotiated = res.negotiated();
        tsih = res.tsih();
        expStatSn = res.statSn() + 1;
        cmdSn = res.expCmdSn();
        expCmdSn = res.expCmdSn();
        maxCmdSn = res.maxCmdSn();
        decoder.digests(negotiated.headerDigest(), negotiated.dataDigest());
        encoder.digests(negotiated.headerDigest(), negotiated.dataDigest());
        decoder.maxDataSegment(negotiated.maxRecvDataSegmentLength());
        State was = state;
        state = State.LOGGED_IN;
        failFast = false;
        backoffMillis = 0;
        if (replacementTimer != null) {
            replacementTimer.cancel(false);
            replacementTimer = null;
        }
        if (was == State.RECOVERING) {
            LOG.info("iSCSI session {} reinstated (TSIH {}), {} queued commands resumed", label, tsih, pending.size());
        } else {
            LOG.info("iSCSI session {} logged in (TSIH {}, digests {}/{})", label, tsih,
                    negotiated.headerDigest() ? "CRC32C" : "None", negotiated.dataDigest() ? "CRC32C" : "None");
        }
        scheduleNoop();
        loginDone.complete(null);
        drain();
    }

    private final class Handler extends SimpleChannelInboundHandler<Pdu> {
        Handler() {
            super(Pdu.class, false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Pdu pdu) {
            if (ctx.channel() != channel) {
                pdu.release();
                return;
            }
            onPdu(pdu);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel) {
                connectionLost("connection closed");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == channel) {
                Throwable c = cause.getCause() != null && cause instanceof io.netty.handler.codec.DecoderException
                        ? cause.getCause() : cause;
                connectionLost(c.getMessage() == null ? c.toString() : c.getMessage());
            }
            ctx.close();
        }
    }

    private void protocolError(String why) {
        connectionLost("protocol error: " + why);
    }

    private void connectionLost(String why) {
        Channel ch = channel;
        if (ch != null && ch == lostChannel) {
            return; // already handled (our own close reports inactive again)
        }
        lostChannel = ch;
        if (ch != null) {
            ch.close();
        }
        if (state == State.CLOSED) {
            return;
        }
        lastError = why;
        if (loginDone != null && !loginDone.isDone()) {
            loginDone.completeExceptionally(new LoginException("login to " + label + " failed: " + why));
        }
        if (noopTimer != null) {
            noopTimer.cancel(false);
            noopTimer = null;
        }
        BioException lost = new BioException(BlkStatus.TRANSPORT, "iSCSI " + label + ": " + why);
        if (logoutDone != null) {
            state = State.CLOSED;
            failAll(lost);
            closed();
            return;
        }
        if (state != State.LOGGED_IN) {
            failAll(lost);
            return; // a login in progress: its failure schedules the next attempt
        }
        if (!config.reconnect()) {
            LOG.warn("iSCSI session {} lost: {}", label, why);
            state = State.CLOSED;
            failAll(lost);
            closed();
            return;
        }
        LOG.warn("iSCSI session {} lost: {}; reconnecting", label, why);
        // The state changes before the failures are delivered: whoever sees a failed command sees RECOVERING.
        state = State.RECOVERING;
        failAll(lost);
        // failfast commands waiting for the CmdSN window when the connection went: no reason to wait longer
        List<ScsiTask> failfast = new ArrayList<>();
        pending.removeIf(t -> t.failfast && failfast.add(t));
        failfast.forEach(t -> fail(t, lost));
        replacementTimer = loop.schedule(() -> {
            failFast = true;
            BioException gone = new BioException(BlkStatus.TRANSPORT, "iSCSI " + label + ": no connection for "
                    + config.replacementTimeout().toMillis() + " ms (" + lastError + ")");
            while (!pending.isEmpty()) {
                fail(pending.poll(), gone);
            }
        }, config.replacementTimeout().toMillis(), TimeUnit.MILLISECONDS);
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        backoffMillis = backoffMillis == 0 ? 100 : Math.min(backoffMillis * 2, 2000);
        loop.schedule(this::reconnect, backoffMillis, TimeUnit.MILLISECONDS);
    }

    private void reconnect() {
        if (state != State.RECOVERING) {
            return;
        }
        reconnects++;
        connect().whenComplete((v, e) -> {
            if (e != null) {
                lastError = e.getMessage();
                if (state == State.RECOVERING) {
                    if (channel != null) {
                        lostChannel = channel;
                        channel.close();
                    }
                    scheduleReconnect();
                }
            }
        });
    }

    private void failAll(BioException e) {
        List<ScsiTask> all = new ArrayList<>(tasks.values());
        tasks.clear();
        for (ScsiTask t : all) {
            fail(t, e);
        }
        List<CompletableFuture<Long>> ps = new ArrayList<>(pings.values());
        pings.clear();
        ps.forEach(p -> p.completeExceptionally(e));
        List<CompletableFuture<Integer>> ts = new ArrayList<>(tmfs.values());
        tmfs.clear();
        ts.forEach(p -> p.completeExceptionally(e));
        List<TextExchange> xs = new ArrayList<>(texts.values());
        texts.clear();
        xs.forEach(x -> x.future.completeExceptionally(e));
    }

    private void closed() {
        state = State.CLOSED;
        if (replacementTimer != null) {
            replacementTimer.cancel(false);
        }
        BioException gone = new BioException(BlkStatus.TRANSPORT, "iSCSI " + label + ": session closed");
        failAll(gone);
        while (!pending.isEmpty()) {
            fail(pending.poll(), gone);
        }
        if (logoutDone != null) {
            logoutDone.complete(null);
        }
    }

    // ---- NOP-Out keep-alive ----

    private void scheduleNoop() {
        long every = config.noopInterval().toMillis();
        if (every <= 0) {
            return;
        }
        noopTimer = loop.schedule(() -> {
            noopTimer = null;
            if (state != State.LOGGED_IN) {
                return;
            }
            Channel ch = channel;
            ping0(config.noopTimeout()).whenComplete((rtt, e) -> {
                if (e != null && ch == channel && state == State.LOGGED_IN) {
                    protocolError("NOP-Out timed out after " + config.noopTimeout().toMillis() + " ms");
                } else if (e == null && ch == channel) {
                    scheduleNoop();
                }
            });
        }, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends a NOP-Out and waits for its NOP-In: how a hung path is told from a slow one. Completes
     * with the round-trip time in nanoseconds, or fails with TIMEOUT or TRANSPORT.
     */
    public CompletableFuture<Long> ping(Duration timeout) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        loop.execute(() -> ping0(timeout).whenComplete((v, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(v);
            }
        }));
        return f;
    }

    private CompletableFuture<Long> ping0(Duration timeout) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        if (state != State.LOGGED_IN) {
            f.completeExceptionally(new BioException(BlkStatus.TRANSPORT, "iSCSI " + label + ": not logged in (" + state + ")"));
            return f;
        }
        int itt = allocItt();
        long start = System.nanoTime();
        CompletableFuture<Long> raw = new CompletableFuture<>();
        pings.put(itt, raw);
        ScheduledFuture<?> t = loop.schedule(() -> {
            if (pings.remove(itt) != null) {
                raw.completeExceptionally(new BioException(BlkStatus.TIMEOUT, "iSCSI " + label
                        + ": NOP-Out got no NOP-In within " + timeout.toMillis() + " ms"));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        raw.whenComplete((v, e) -> {
            t.cancel(false);
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(System.nanoTime() - start);
            }
        });
        channel.writeAndFlush(new NopOut(true, 0, itt, Pdu.RESERVED_TAG, cmdSn, expStatSn, Unpooled.EMPTY_BUFFER));
        return f;
    }

    // ---- commands ----

    /**
     * Sends a SCSI command to {@code lun}. {@code in} receives Data-In (its remaining bytes are the
     * expected transfer length); {@code out} holds Data-Out. The result carries status and sense;
     * transport failures and timeouts fail the future with a BioException.
     */
    public CompletableFuture<ScsiResult> execute(int lun, byte[] cdb, ByteBuffer in, ByteBuffer out) {
        return execute(lun, cdb, in, out, false);
    }

    /**
     * As {@link #execute(int, byte[], ByteBuffer, ByteBuffer)}; with {@code failfast} the command
     * fails at once with TRANSPORT while the session reconnects (it would otherwise wait for the
     * session, up to the replacement timeout): what multipath asks, having other paths.
     */
    public CompletableFuture<ScsiResult> execute(int lun, byte[] cdb, ByteBuffer in, ByteBuffer out, boolean failfast) {
        ScsiTask t = new ScsiTask(Lun.encode(lun), cdb, Cdb.name(cdb), in == null ? null : in.duplicate(),
                out == null ? null : Unpooled.wrappedBuffer(out.duplicate()));
        t.failfast = failfast;
        if (loop.inEventLoop()) {
            start(t);
        } else {
            loop.execute(() -> start(t));
        }
        return t.future;
    }

    private void start(ScsiTask t) {
        if (state == State.CLOSED || (state == State.RECOVERING && (failFast || t.failfast))) {
            fail(t, new BioException(BlkStatus.TRANSPORT, "iSCSI " + label + ": "
                    + (state == State.CLOSED ? "session closed" : "no connection (" + lastError + ")")));
            return;
        }
        long ms = config.commandTimeout().toMillis();
        if (ms > 0) {
            t.timer = loop.schedule(() -> timedOut(t), ms, TimeUnit.MILLISECONDS);
        }
        if (state != State.LOGGED_IN || !pending.isEmpty() || !windowOpen()) {
            pending.add(t);
            return;
        }
        send(t);
        channel.flush();
    }

    private boolean windowOpen() {
        return maxCmdSn - cmdSn >= 0;
    }

    private void drain() {
        boolean sent = false;
        while (state == State.LOGGED_IN && !pending.isEmpty() && windowOpen()) {
            send(pending.poll());
            sent = true;
        }
        if (sent) {
            channel.flush();
        }
    }

    private int allocItt() {
        int itt;
        do {
            itt = nextItt++;
        } while (itt == Pdu.RESERVED_TAG || tasks.containsKey(itt) || pings.containsKey(itt) || tmfs.containsKey(itt)
                || texts.containsKey(itt));
        return itt;
    }

    private void send(ScsiTask t) {
        t.itt = allocItt();
        t.cmdSn = cmdSn++;
        t.received = 0;
        tasks.put(t.itt, t);
        Negotiated n = negotiated;
        ByteBuf immediate = Unpooled.EMPTY_BUFFER;
        int unsolicited = 0;
        boolean write = t.out != null && t.expectedLength > 0;
        if (write) {
            int firstBurst = Math.min(n.firstBurstLength(), t.expectedLength);
            if (n.immediateData()) {
                int imm = Math.min(firstBurst, n.targetMaxRecvDataSegmentLength());
                immediate = t.out.retainedSlice(t.out.readerIndex(), imm);
                unsolicited = imm;
            }
            if (!n.initialR2T()) {
                unsolicited = firstBurst;
            }
        }
        int immLen = immediate.readableBytes();
        boolean fin = !write || unsolicited == immLen;
        byte[] cdb16 = t.cdb.length == 16 ? t.cdb : java.util.Arrays.copyOf(t.cdb, 16);
        channel.write(new ScsiCommand(false, fin, t.in != null && t.expectedLength > 0, write, ScsiCommand.ATTR_SIMPLE,
                t.lun, t.itt, t.expectedLength, t.cmdSn, expStatSn, cdb16, immediate));
        if (unsolicited > immLen) {
            sendData(t, Pdu.RESERVED_TAG, immLen, unsolicited - immLen);
        }
    }

    /** Data-Out PDUs for [offset, offset+length) of the task's buffer, each within the target's limit. */
    private void sendData(ScsiTask t, int ttt, int offset, int length) {
        int max = negotiated.targetMaxRecvDataSegmentLength();
        int dataSn = 0;
        int end = offset + length;
        for (int off = offset; off < end; off += max) {
            int len = Math.min(max, end - off);
            channel.write(new DataOut(off + len == end, t.lun, t.itt, ttt, expStatSn, dataSn++, off,
                    t.out.retainedSlice(t.out.readerIndex() + off, len)));
        }
    }

    private void timedOut(ScsiTask t) {
        if (t.done()) {
            return;
        }
        if (pending.remove(t)) {
            fail(t, new BioException(BlkStatus.TIMEOUT, "iSCSI " + label + ": " + t.name + " timed out after "
                    + config.commandTimeout().toMillis() + " ms waiting for the CmdSN window or a connection"));
            return;
        }
        if (t.itt >= 0 && tasks.get(t.itt) == t) {
            tasks.remove(t.itt);
            fail(t, new BioException(BlkStatus.TIMEOUT, "iSCSI " + label + ": " + t.name + " (ITT 0x"
                    + Integer.toHexString(t.itt) + ") timed out after " + config.commandTimeout().toMillis() + " ms"));
            if (state == State.LOGGED_IN) {
                Channel ch = channel;
                taskManagement0(TaskMgmtRequest.ABORT_TASK, t.lun, t.itt, t.cmdSn).whenComplete((r, e) -> {
                    if (e != null && ch == channel && state == State.LOGGED_IN) {
                        protocolError("ABORT TASK for a timed-out command went unanswered");
                    }
                });
            }
        }
    }

    private static void fail(ScsiTask t, BioException e) {
        if (t.timer != null) {
            t.timer.cancel(false);
        }
        if (t.out != null) {
            t.out.release();
        }
        t.future.completeExceptionally(e);
    }

    private void complete(ScsiTask t, int status, Sense sense, int residual) {
        if (t.timer != null) {
            t.timer.cancel(false);
        }
        if (t.out != null) {
            t.out.release();
        }
        ByteBuffer data = null;
        if (t.in != null) {
            int got = (int) Math.min(t.expectedLength - Math.max(0, residual), t.received);
            data = t.in.slice(t.in.position(), Math.max(0, got));
        }
        t.future.complete(new ScsiResult(t.name, status, sense, residual, data));
    }

    // ---- task management ----

    /** ABORT TASK for a command's ITT; completes with the TMF response code. */
    public CompletableFuture<Integer> abortTask(int lun, int itt) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        loop.execute(() -> {
            ScsiTask t = tasks.get(itt);
            relay(taskManagement0(TaskMgmtRequest.ABORT_TASK, Lun.encode(lun), itt, t != null ? t.cmdSn : cmdSn), f);
        });
        return f;
    }

    /** LOGICAL UNIT RESET; commands to that LUN still outstanding are failed as transport errors. */
    public CompletableFuture<Integer> logicalUnitReset(int lun) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        loop.execute(() -> relay(taskManagement0(TaskMgmtRequest.LOGICAL_UNIT_RESET, Lun.encode(lun), Pdu.RESERVED_TAG, cmdSn)
                .thenApply(r -> {
                    if (r == TaskMgmtResponse.COMPLETE) {
                        BioException e = new BioException(BlkStatus.TRANSPORT, "iSCSI " + label + ": aborted by LOGICAL UNIT RESET");
                        for (ScsiTask t : new ArrayList<>(tasks.values())) {
                            if (t.lun == Lun.encode(lun)) {
                                tasks.remove(t.itt);
                                fail(t, e);
                            }
                        }
                    }
                    return r;
                }), f));
        return f;
    }

    /** The itt of an outstanding command whose CDB starts with {@code opcode} (tests abort it). */
    public CompletableFuture<Integer> outstandingItt(int opcode) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(tasks.values().stream().filter(t -> (t.cdb[0] & 0xff) == opcode)
                .mapToInt(t -> t.itt).findFirst().orElse(-1)));
        return f;
    }

    private static <T> void relay(CompletableFuture<T> from, CompletableFuture<T> to) {
        from.whenComplete((v, e) -> {
            if (e != null) {
                to.completeExceptionally(e);
            } else {
                to.complete(v);
            }
        });
    }

    private CompletableFuture<Integer> taskManagement0(int function, long lun, int referenced, int refCmdSn) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        if (state != State.LOGGED_IN) {
            f.completeExceptionally(new BioException(BlkStatus.TRANSPORT, "iSCSI " + label + ": not logged in"));
            return f;
        }
        int itt = allocItt();
        tmfs.put(itt, f);
        ScheduledFuture<?> t = loop.schedule(() -> {
            if (tmfs.remove(itt) != null) {
                f.completeExceptionally(new BioException(BlkStatus.TIMEOUT, "iSCSI " + label
                        + ": task management function " + function + " unanswered"));
            }
        }, Math.max(1000, config.noopTimeout().toMillis()), TimeUnit.MILLISECONDS);
        f.whenComplete((v, e) -> t.cancel(false));
        channel.writeAndFlush(new TaskMgmtRequest(true, function, lun, itt, referenced, cmdSn, expStatSn, refCmdSn, 0));
        return f;
    }

    // ---- text (SendTargets) ----

    private static final class TextExchange {
        final CompletableFuture<List<Map.Entry<String, String>>> future = new CompletableFuture<>();
        final ByteBuf collected = Unpooled.buffer();
    }

    /** A text request (e.g. SendTargets=All); follows continuations, returns every pair in order. */
    public CompletableFuture<List<Map.Entry<String, String>>> text(Map<String, String> keys) {
        TextExchange x = new TextExchange();
        loop.execute(() -> {
            if (state != State.LOGGED_IN) {
                x.future.completeExceptionally(new BioException(BlkStatus.TRANSPORT, "iSCSI " + label + ": not logged in"));
                return;
            }
            int itt = allocItt();
            texts.put(itt, x);
            ScheduledFuture<?> t = loop.schedule(() -> {
                if (texts.remove(itt) != null) {
                    x.future.completeExceptionally(new BioException(BlkStatus.TIMEOUT, "iSCSI " + label + ": text request unanswered"));
                }
            }, config.loginTimeout().toMillis(), TimeUnit.MILLISECONDS);
            x.future.whenComplete((v, e) -> t.cancel(false));
            channel.writeAndFlush(new TextRequest(true, true, false, 0, itt, Pdu.RESERVED_TAG, cmdSn, expStatSn,
                    TextKeys.encode(keys)));
        });
        return x.future;
    }

    private void onText(TextResponse r) {
        TextExchange x = texts.get(r.itt());
        if (x == null) {
            return;
        }
        if (x.collected.readableBytes() + r.data().readableBytes() > (1 << 20)) {
            texts.remove(r.itt());
            x.future.completeExceptionally(new BioException(BlkStatus.TARGET, "iSCSI " + label + ": text response over 1 MiB"));
            return;
        }
        x.collected.writeBytes(r.data(), r.data().readerIndex(), r.data().readableBytes());
        if (r.cont() || !r.isFinal()) {
            channel.writeAndFlush(new TextRequest(true, true, false, 0, r.itt(), r.ttt(), cmdSn, expStatSn, Unpooled.EMPTY_BUFFER));
            return;
        }
        texts.remove(r.itt());
        try {
            x.future.complete(TextKeys.decodeList(x.collected));
        } catch (IllegalArgumentException e) {
            x.future.completeExceptionally(new BioException(BlkStatus.TARGET, "iSCSI " + label + ": text response: " + e.getMessage()));
        }
    }

    // ---- logout ----

    /** Logs out (close session) and closes the connection; outstanding commands fail. */
    public CompletableFuture<Void> logout() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        loop.execute(() -> {
            if (logoutDone != null) {
                relay(logoutDone, f);
                return;
            }
            logoutDone = f;
            if (noopTimer != null) {
                noopTimer.cancel(false);
            }
            if (state != State.LOGGED_IN) {
                if (channel != null) {
                    channel.close();
                }
                closed();
                return;
            }
            int itt = allocItt();
            channel.writeAndFlush(new LogoutRequest(true, LogoutRequest.CLOSE_SESSION, itt, 0, cmdSn, expStatSn));
            loop.schedule(() -> {
                if (!f.isDone()) {
                    channel.close();
                    closed();
                }
            }, 2, TimeUnit.SECONDS);
        });
        return f;
    }

    @Override
    public void close() {
        try {
            logout().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("logout of {}: {}", label, e.toString());
        }
    }

    /** Closes the connection without logging out (tests use it to simulate a cable pull). */
    public void dropConnection() {
        loop.execute(() -> {
            if (channel != null) {
                channel.close();
            }
        });
    }

    // ---- receive ----

    private void updateWindow(int exp, int max) {
        if (max - exp < -1) {
            return; // invalid window: ignore, as RFC 7143 4.2.2.1 says
        }
        if (exp - expCmdSn > 0) {
            expCmdSn = exp;
        }
        if (max - maxCmdSn > 0) {
            maxCmdSn = max;
        }
    }

    private void statSeen(int statSn) {
        if (statSn + 1 - expStatSn > 0) {
            expStatSn = statSn + 1;
        }
    }

    private void onPdu(Pdu pdu) {
        try {
            switch (pdu) {
                case ScsiResponse r -> onResponse(r);
                case DataIn d -> onDataIn(d);
                case R2t r -> onR2t(r);
                case NopIn n -> onNopIn(n);
                case LoginResponse r -> {
                    onLoginResponse(r);
                    return; // released by the login state machine
                }
                case TaskMgmtResponse r -> {
                    updateWindow(r.expCmdSn(), r.maxCmdSn());
                    statSeen(r.statSn());
                    CompletableFuture<Integer> f = tmfs.remove(r.itt());
                    if (f != null) {
                        f.complete(r.response());
                    }
                }
                case TextResponse r -> {
                    updateWindow(r.expCmdSn(), r.maxCmdSn());
                    statSeen(r.statSn());
                    onText(r);
                }
                case LogoutResponse r -> {
                    statSeen(r.statSn());
                    if (logoutDone != null) {
                        LOG.info("iSCSI session {} logged out", label);
                        channel.close();
                        closed();
                    }
                }
                case AsyncMessage a -> onAsync(a);
                case Reject r -> onReject(r);
                default -> protocolError("a target sent " + Opcode.name(pdu.opcode()));
            }
            if (state == State.LOGGED_IN && !pending.isEmpty()) {
                drain();
            }
        } finally {
            if (pdu.refCnt() > 0 && !(pdu instanceof LoginResponse)) {
                ReferenceCountUtil.release(pdu);
            }
        }
    }

    private void onResponse(ScsiResponse r) {
        updateWindow(r.expCmdSn(), r.maxCmdSn());
        statSeen(r.statSn());
        ScsiTask t = tasks.remove(r.itt());
        if (t == null) {
            return; // completed already (timed out and aborted), or a tag we never used
        }
        if (r.response() != ScsiResponse.RESPONSE_COMPLETED) {
            fail(t, new BioException(BlkStatus.TRANSPORT, "iSCSI " + label + ": " + t.name
                    + " failed in the target (iSCSI response 0x" + Integer.toHexString(r.response()) + ")"));
            return;
        }
        Sense sense = null;
        ByteBuf d = r.data();
        if (d.readableBytes() >= 2) {
            int senseLen = d.getUnsignedShort(d.readerIndex());
            int len = Math.min(senseLen, d.readableBytes() - 2);
            if (len > 0) {
                try {
                    sense = Sense.decode(d, d.readerIndex() + 2, len);
                } catch (IllegalArgumentException e) {
                    sense = null;
                }
            }
        }
        int residual = r.underflow() ? r.residual() : r.overflow() ? -r.residual() : 0;
        complete(t, r.status(), sense, residual);
    }

    private void onDataIn(DataIn d) {
        ScsiTask t = tasks.get(d.itt());
        if (t == null) {
            return;
        }
        int len = d.data().readableBytes();
        long off = d.bufferOffset() & 0xffffffffL;
        if (len > 0) {
            if (t.in == null || off + len > t.expectedLength) {
                protocolError("Data-In of " + len + " bytes at offset " + off + " for " + t.name
                        + " exceeds its expected transfer length " + t.expectedLength);
                return;
            }
            ByteBuffer dst = t.in.duplicate();
            dst.position(t.in.position() + (int) off).limit(t.in.position() + (int) off + len);
            d.data().getBytes(d.data().readerIndex(), dst);
            t.received = Math.max(t.received, off + len);
        }
        if (d.hasStatus()) {
            updateWindow(d.expCmdSn(), d.maxCmdSn());
            statSeen(d.statSn());
            tasks.remove(d.itt());
            int residual = (d.flags() & DataIn.UNDERFLOW) != 0 ? d.residual() : (d.flags() & DataIn.OVERFLOW) != 0 ? -d.residual() : 0;
            complete(t, d.status(), null, residual);
        }
    }

    private void onR2t(R2t r) {
        updateWindow(r.expCmdSn(), r.maxCmdSn());
        ScsiTask t = tasks.get(r.itt());
        if (t == null) {
            return;
        }
        long off = r.bufferOffset() & 0xffffffffL;
        long len = r.desiredLength() & 0xffffffffL;
        if (t.out == null || len == 0 || off + len > t.expectedLength || len > negotiated.maxBurstLength()) {
            protocolError("R2T for " + len + " bytes at offset " + off + " for " + t.name
                    + " outside its transfer of " + t.expectedLength + " bytes");
            return;
        }
        sendData(t, r.ttt(), (int) off, (int) len);
        channel.flush();
    }

    private void onNopIn(NopIn n) {
        updateWindow(n.expCmdSn(), n.maxCmdSn());
        if (n.itt() != Pdu.RESERVED_TAG) {
            statSeen(n.statSn());
            CompletableFuture<Long> f = pings.remove(n.itt());
            if (f != null) {
                f.complete(0L);
            }
        } else if (n.ttt() != Pdu.RESERVED_TAG) {
            channel.writeAndFlush(new NopOut(true, n.lun(), Pdu.RESERVED_TAG, n.ttt(), cmdSn, expStatSn, Unpooled.EMPTY_BUFFER));
        }
    }

    private void onAsync(AsyncMessage a) {
        updateWindow(a.expCmdSn(), a.maxCmdSn());
        statSeen(a.statSn());
        switch (a.asyncEvent()) {
            case AsyncMessage.SCSI_EVENT -> {
                String sense = "";
                ByteBuf d = a.data();
                if (d.readableBytes() > 2) {
                    try {
                        sense = Sense.decode(d, d.readerIndex() + 2, Math.min(d.getUnsignedShort(d.readerIndex()), d.readableBytes() - 2)).toString();
                    } catch (IllegalArgumentException e) {
                        sense = "undecodable sense";
                    }
                }
                LOG.info("iSCSI session {}: asynchronous event from LUN {}: {}", label, Lun.decode(a.lun()), sense);
            }
            case AsyncMessage.LOGOUT_REQUEST, AsyncMessage.CONNECTION_DROP, AsyncMessage.SESSION_DROP ->
                    connectionLost("target asked to drop the connection (asynchronous event " + a.asyncEvent() + ")");
            default -> {
                // negotiation requests and vendor events: nothing to do at ERL 0 with fixed parameters
            }
        }
    }

    private void onReject(Reject r) {
        updateWindow(r.expCmdSn(), r.maxCmdSn());
        statSeen(r.statSn());
        int itt = r.rejectedItt();
        BioException e = new BioException(BlkStatus.TRANSPORT, "iSCSI " + label + ": target rejected a PDU (reason 0x"
                + Integer.toHexString(r.reason()) + ")");
        ScsiTask t = tasks.remove(itt);
        if (t != null) {
            fail(t, e);
        }
        CompletableFuture<Long> p = pings.remove(itt);
        if (p != null) {
            p.completeExceptionally(e);
        }
        CompletableFuture<Integer> m = tmfs.remove(itt);
        if (m != null) {
            m.completeExceptionally(e);
        }
        TextExchange x = texts.remove(itt);
        if (x != null) {
            x.future.completeExceptionally(e);
        }
    }

    /** A target found by SendTargets: its name and the portals it listed. */
    public record DiscoveredTarget(String name, List<String> portals) {
        static List<DiscoveredTarget> parse(List<Map.Entry<String, String>> pairs, String host, int port) {
            List<DiscoveredTarget> out = new ArrayList<>();
            String name = null;
            List<String> portals = new ArrayList<>();
            for (Map.Entry<String, String> e : pairs) {
                if (e.getKey().equals("TargetName")) {
                    if (name != null) {
                        out.add(new DiscoveredTarget(name, List.copyOf(portals)));
                    }
                    name = e.getValue();
                    portals = new ArrayList<>();
                } else if (e.getKey().equals("TargetAddress") && name != null) {
                    portals.add(e.getValue());
                }
            }
            if (name != null) {
                out.add(new DiscoveredTarget(name, List.copyOf(portals)));
            }
            return out;
        }
    }

    static String text(ByteBuf b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
