package io.mapperd.transport.nvmetcp;

import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.DevT;
import io.mapperd.transport.nvmetcp.pdu.Cqe;
import io.mapperd.transport.nvmetcp.pdu.Sqe;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A host's association with one NVMe controller over TCP: the admin queue and its I/O queues,
 * enabled with the Fabrics property commands, kept alive at the negotiated KATO, listening for
 * asynchronous events (an ANA change notice triggers a fresh ANA log read), and reset and
 * reconnected when any of its connections goes, with the outstanding commands failed as
 * transport errors so that multipath can retry them on another path.
 */
public final class NvmeController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NvmeController.class);
    private static final int ADMIN_DEPTH = 31;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("nvme-keepalive").factory());
    private static final int MAX_TRANSFER = 1 << 20;

    private final InetSocketAddress address;
    private final String subnqn;
    private final NvmeTcpOptions options;
    private final boolean discovery;
    private final String name;
    private final Object lock = new Object();
    private final List<ControllerListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, NvmeNamespace> namespaces = new ConcurrentHashMap<>();
    private final AtomicBoolean keepAliveOutstanding = new AtomicBoolean();
    private final ExecutorService events = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("nvme-events").factory());
    private volatile ControllerState state = ControllerState.CONNECTING;
    private volatile NvmeTcpQueue admin;
    private volatile NvmeTcpQueue[] io = new NvmeTcpQueue[0];
    private volatile IdentifyController identify;
    private volatile long cap;
    private volatile int vs;
    private volatile int cntlid;
    private volatile AnaLog anaLog;
    private volatile long katoMs;
    private volatile boolean keepAliveHealthy = true;
    private volatile long lastKeepAliveNanos = System.nanoTime();
    private volatile boolean closing;
    private ScheduledFuture<?> keepAlive;
    private Thread reconnector;

    private NvmeController(InetSocketAddress address, String subnqn, NvmeTcpOptions options, boolean discovery) {
        this.address = address;
        this.subnqn = subnqn;
        this.options = options;
        this.discovery = discovery;
        this.name = "nvme+tcp://" + address.getHostString() + ":" + address.getPort() + "/" + subnqn;
    }

    /** Connects to an NVM subsystem's controller and its I/O queues; blocks until live or failed. */
    public static NvmeController connect(InetSocketAddress address, String subnqn, NvmeTcpOptions options) throws IOException {
        NvmeController c = new NvmeController(address, subnqn, options, false);
        c.start();
        return c;
    }

    /** Connects to the discovery controller at an address (admin queue only, no keep-alive). */
    public static NvmeController connectDiscovery(InetSocketAddress address, NvmeTcpOptions options) throws IOException {
        NvmeController c = new NvmeController(address, NvmeOpcodes.DISCOVERY_NQN, options.withKato(java.time.Duration.ZERO), true);
        c.start();
        return c;
    }

    private void start() throws IOException {
        try {
            establish();
        } catch (IOException | RuntimeException e) {
            state = ControllerState.DELETED;
            events.shutdown();
            throw e;
        }
        state = ControllerState.LIVE;
        startKeepAlive();
        log.info("{}: controller {} live with {} I/O queue(s)", name, cntlid, io.length);
    }

    // ---- probes ----

    public String name() {
        return name;
    }

    public InetSocketAddress address() {
        return address;
    }

    public String subnqn() {
        return subnqn;
    }

    public NvmeTcpOptions options() {
        return options;
    }

    public ControllerState state() {
        return state;
    }

    public IdentifyController identify() {
        return identify;
    }

    public long cap() {
        return cap;
    }

    public int vs() {
        return vs;
    }

    public int cntlid() {
        return cntlid;
    }

    public int ioQueueCount() {
        return io.length;
    }

    /** The ANA log as last read (at connect and after each ANA change notice), or empty without ANA reporting. */
    public Optional<AnaLog> anaLog() {
        return Optional.ofNullable(anaLog);
    }

    /** False once a keep-alive went unanswered (until the controller is reconnected). */
    public boolean keepAliveHealthy() {
        return keepAliveHealthy && state == ControllerState.LIVE;
    }

    /** Nanos (System.nanoTime) of the last answered keep-alive, or of the connection if none was sent yet. */
    public long lastKeepAliveNanos() {
        return lastKeepAliveNanos;
    }

    public void addListener(ControllerListener l) {
        listeners.add(l);
    }

    public void removeListener(ControllerListener l) {
        listeners.remove(l);
    }

    /** The largest data a single command moves. */
    public int maxTransferBytes() {
        IdentifyController id = identify;
        int mps = 4096 << (int) ((cap >>> 48) & 0xF);
        if (id == null || id.mdts() == 0) {
            return MAX_TRANSFER;
        }
        long mdts = (long) mps << Math.min(id.mdts(), 20);
        return (int) Math.min(MAX_TRANSFER, mdts);
    }

    // ---- admin commands ----

    public List<Integer> activeNamespaces() throws IOException {
        ByteBuffer b = identify(admin(), NvmeOpcodes.CNS_ACTIVE_NS_LIST, 0).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            int nsid = b.getInt(i * 4);
            if (nsid == 0) {
                break;
            }
            list.add(nsid);
        }
        return list;
    }

    public IdentifyNamespace identifyNamespace(int nsid) throws IOException {
        return IdentifyNamespace.parse(identify(admin(), NvmeOpcodes.CNS_NAMESPACE, nsid));
    }

    /** The namespace's identifiers: Identify Namespace merged with its identification descriptors. */
    public NamespaceIds namespaceIds(int nsid, IdentifyNamespace ns) throws IOException {
        ByteBuffer desc;
        try {
            desc = identify(admin(), NvmeOpcodes.CNS_NS_DESC_LIST, nsid);
        } catch (NvmeCommandException e) {
            desc = null;
        }
        return NamespaceIds.of(ns, desc);
    }

    /** Reads the ANA log page afresh (clearing the ANA change event) and keeps it. */
    public AnaLog readAnaLog() throws IOException {
        AnaLog l = readAnaLog(admin());
        anaLog = l;
        return l;
    }

    /** The discovery log page, all of it (from a discovery controller). */
    public DiscoveryLog discoveryLog() throws IOException {
        NvmeTcpQueue a = admin();
        ByteBuffer head = getLogPage(a, NvmeOpcodes.LOG_DISCOVERY, 0, 0, DiscoveryLog.HEADER);
        long numrec = head.order(ByteOrder.LITTLE_ENDIAN).getLong(8);
        if (numrec < 0 || numrec > 1024) {
            throw new IOException(name + ": discovery log announces " + numrec + " records");
        }
        ByteBuffer all = getLogPage(a, NvmeOpcodes.LOG_DISCOVERY, 0, 0, (int) (DiscoveryLog.HEADER + numrec * DiscoveryEntry.SIZE));
        return DiscoveryLog.parse(all);
    }

    /** The namespace as a block device; one instance per nsid, refreshed on reconnect. */
    public NvmeNamespace namespace(int nsid, DevT devT) throws IOException {
        NvmeNamespace ns = namespaces.get(nsid);
        if (ns != null) {
            return ns;
        }
        IdentifyNamespace id = identifyNamespace(nsid);
        if (id.inactive()) {
            throw new IOException(name + ": namespace " + nsid + " is not active");
        }
        NvmeNamespace created = new NvmeNamespace(this, nsid, devT, id, namespaceIds(nsid, id));
        NvmeNamespace prev = namespaces.putIfAbsent(nsid, created);
        return prev != null ? prev : created;
    }

    /** Resets the controller as after a lost connection: fails outstanding commands, reconnects. */
    public void reset(String reason) {
        fail(reason);
    }

    /**
     * Sends any admin command (as nvme-cli's admin-passthru): {@code in} receives its data, if any.
     * The completion comes back whatever its status.
     */
    public CompletableFuture<Cqe> adminPassthru(Sqe sqe, ByteBuffer in) {
        NvmeTcpQueue a = admin;
        if (a == null || state != ControllerState.LIVE) {
            return CompletableFuture.failedFuture(new BioException(BlkStatus.TRANSPORT, name + ": controller is " + state));
        }
        return a.submit(sqe, null, in, options.adminTimeout().toNanos(), "admin passthru");
    }

    /** Sends any I/O command (as nvme-cli's io-passthru) with write data {@code out} or read buffer {@code in}. */
    public CompletableFuture<Cqe> ioPassthru(Sqe sqe, ByteBuf out, ByteBuffer in) {
        return submitIo(sqe, out, in, "I/O passthru");
    }

    // ---- I/O ----

    /**
     * Sends an I/O command on one of the I/O queues: the one whose loop is the calling thread, if
     * any (a retry from another path's completion), else the submitting thread's own queue, as the
     * kernel maps a CPU to a queue: what one submitter sends together stays on one connection.
     */
    CompletableFuture<Cqe> submitIo(Sqe sqe, ByteBuf out, ByteBuffer in, String what) {
        NvmeTcpQueue[] q = io;
        if (state != ControllerState.LIVE || q.length == 0) {
            if (out != null) {
                out.release();
            }
            return CompletableFuture.failedFuture(new BioException(BlkStatus.TRANSPORT, name + ": controller is " + state));
        }
        NvmeTcpQueue queue = null;
        for (NvmeTcpQueue x : q) {
            if (x.inEventLoop()) {
                queue = x;
                break;
            }
        }
        if (queue == null) {
            queue = q[(int) Math.floorMod(Thread.currentThread().threadId(), (long) q.length)];
        }
        return queue.submit(sqe, out, in, options.ioTimeout().toNanos(), what);
    }

    // ---- connection management ----

    private NvmeTcpQueue admin() throws IOException {
        NvmeTcpQueue a = admin;
        if (a == null || state != ControllerState.LIVE) {
            throw new IOException(name + ": controller is " + state);
        }
        return a;
    }

    private void establish() throws IOException {
        NvmeTcpQueue a = await(NvmeTcpQueue.open(address, subnqn, 0, ADMIN_DEPTH, options), "connect admin queue", options.connectTimeout().toNanos() * 2);
        List<NvmeTcpQueue> ioq = new ArrayList<>();
        try {
            int kato = discovery ? 0 : (int) options.kato().toMillis();
            Cqe c = connectQueue(a, 0, ADMIN_DEPTH, kato, 0xFFFF);
            int id = c.dw0() & 0xFFFF;
            long capv = propertyGet(a, NvmeOpcodes.PROP_CAP, true);
            int vsv = (int) propertyGet(a, NvmeOpcodes.PROP_VS, false);
            propertySet(a, NvmeOpcodes.PROP_CC, NvmeOpcodes.CC_ENABLE);
            waitReady(a, capv);
            IdentifyController idc = IdentifyController.parse(identify(a, NvmeOpcodes.CNS_CONTROLLER, 0));
            if (!discovery && options.ioQueues() > 0) {
                int want = options.ioQueues();
                Cqe nq = adminSync(a, Sqe.of(NvmeOpcodes.ADMIN_SET_FEATURES, 0)
                        .withCdw(NvmeOpcodes.FEAT_NUM_QUEUES, (want - 1) | (want - 1) << 16, 0, 0, 0, 0), null, null, "Set Features (Number of Queues)");
                int granted = Math.min(want, Math.min(nq.dw0() & 0xFFFF, nq.dw0() >>> 16) + 1);
                int depth = Math.min(options.queueSize(), idc.maxcmd() > 0 ? idc.maxcmd() : options.queueSize()) - 1;
                List<CompletableFuture<NvmeTcpQueue>> opening = new ArrayList<>();
                for (int qid = 1; qid <= granted; qid++) {
                    opening.add(NvmeTcpQueue.open(address, subnqn, qid, depth, options));
                }
                for (CompletableFuture<NvmeTcpQueue> f : opening) {
                    ioq.add(await(f, "connect I/O queue", options.connectTimeout().toNanos() * 2));
                }
                List<CompletableFuture<Cqe>> connects = new ArrayList<>();
                for (NvmeTcpQueue q : ioq) {
                    connects.add(q.submit(connectCommand(q.qid, depth, 0), connectData(id), null, options.connectTimeout().toNanos(), "Connect"));
                }
                for (int i = 0; i < connects.size(); i++) {
                    Cqe cq = await(connects.get(i), "Connect I/O queue " + ioq.get(i).qid, options.connectTimeout().toNanos() * 2);
                    if (!cq.ok()) {
                        throw new NvmeCommandException("Connect of I/O queue " + ioq.get(i).qid, cq.statusCode());
                    }
                    ioq.get(i).setInCapsule(idc.inCapsuleDataSize());
                }
            }
            synchronized (lock) {
                admin = a;
                io = ioq.toArray(new NvmeTcpQueue[0]);
                identify = idc;
                cap = capv;
                vs = vsv;
                cntlid = id;
            }
            a.onClose(q -> queueLost(q));
            for (NvmeTcpQueue q : ioq) {
                q.onClose(this::queueLost);
            }
            if (!discovery && kato > 0) {
                // the keep-alive timeout the controller settled on (it may round to its granularity)
                try {
                    long granted = adminSync(a, Sqe.of(NvmeOpcodes.ADMIN_GET_FEATURES, 0).withCdw10(NvmeOpcodes.FEAT_KATO), null, null,
                            "Get Features (Keep Alive Timer)").dw0() & 0xFFFFFFFFL;
                    katoMs = granted > 0 ? granted : kato;
                } catch (NvmeCommandException e) {
                    katoMs = kato;
                }
            } else {
                katoMs = kato;
            }
            if (!discovery) {
                int aen = idc.oaes() & (NvmeOpcodes.AEN_CFG_ANA_CHANGE | NvmeOpcodes.AEN_CFG_NS_ATTR);
                if (aen != 0) {
                    adminSync(a, Sqe.of(NvmeOpcodes.ADMIN_SET_FEATURES, 0).withCdw(NvmeOpcodes.FEAT_ASYNC_EVENT, aen, 0, 0, 0, 0), null, null,
                            "Set Features (Asynchronous Event Configuration)");
                }
                if (idc.anaReporting()) {
                    anaLog = readAnaLog(a);
                }
                for (NvmeNamespace ns : namespaces.values()) {
                    IdentifyNamespace nid = IdentifyNamespace.parse(identify(a, NvmeOpcodes.CNS_NAMESPACE, ns.nsid()));
                    ns.refresh(nid);
                }
                armAer(a);
            }
            keepAliveHealthy = true;
            lastKeepAliveNanos = System.nanoTime();
        } catch (IOException | RuntimeException e) {
            a.close("connect failed");
            for (NvmeTcpQueue q : ioq) {
                q.close("connect failed");
            }
            throw e;
        }
    }

    private void queueLost(NvmeTcpQueue q) {
        boolean current = q == admin;
        for (NvmeTcpQueue x : io) {
            current |= x == q;
        }
        if (current) {
            fail(q.label + ": " + (q.closeReason() != null ? q.closeReason() : "connection closed"));
        }
    }

    private void fail(String reason) {
        synchronized (lock) {
            if (state != ControllerState.LIVE) {
                return;
            }
            state = closing || discovery ? ControllerState.DELETED : ControllerState.RESETTING;
            if (keepAlive != null) {
                keepAlive.cancel(false);
            }
        }
        keepAliveHealthy = false;
        log.warn("{}: controller {} lost: {}", name, cntlid, reason);
        closeQueues(reason);
        notifyState(state, reason);
        if (state == ControllerState.RESETTING) {
            startReconnect();
        }
    }

    private void closeQueues(String reason) {
        NvmeTcpQueue a = admin;
        if (a != null) {
            a.close(reason);
        }
        for (NvmeTcpQueue q : io) {
            q.close(reason);
        }
    }

    private void startReconnect() {
        synchronized (lock) {
            reconnector = Thread.ofVirtual().name("nvme-reconnect").start(this::reconnectLoop);
        }
    }

    private void reconnectLoop() {
        long began = System.nanoTime();
        long lossNanos = options.ctrlLossTimeout().isNegative() ? Long.MAX_VALUE : options.ctrlLossTimeout().toNanos();
        int attempt = 0;
        while (!closing) {
            try {
                Thread.sleep(options.reconnectDelay());
            } catch (InterruptedException e) {
                return;
            }
            if (closing) {
                return;
            }
            attempt++;
            try {
                establish();
                synchronized (lock) {
                    if (closing) {
                        closeQueues("controller deleted");
                        return;
                    }
                    state = ControllerState.LIVE;
                }
                startKeepAlive();
                log.info("{}: controller {} reconnected after {} attempt(s)", name, cntlid, attempt);
                notifyState(ControllerState.LIVE, "reconnected");
                AnaLog l = anaLog;
                if (l != null) {
                    events.execute(() -> listeners.forEach(x -> x.anaChanged(this, l)));
                }
                return;
            } catch (IOException | RuntimeException e) {
                log.info("{}: reconnect attempt {} failed: {}", name, attempt, e.getMessage());
            }
            if (System.nanoTime() - began > lossNanos) {
                state = ControllerState.DELETED;
                log.warn("{}: controller given up after {} ms (ctrl_loss_tmo)", name, options.ctrlLossTimeout().toMillis());
                notifyState(ControllerState.DELETED, "ctrl_loss_tmo expired");
                return;
            }
        }
    }

    private void notifyState(ControllerState s, String reason) {
        if (!events.isShutdown()) {
            events.execute(() -> listeners.forEach(l -> l.stateChanged(this, s, reason)));
        }
    }

    /** The keep-alive timeout in force (as the controller reported it after Connect), 0 for none. */
    public long keepAliveTimeoutMillis() {
        return katoMs;
    }

    private void startKeepAlive() {
        long ms = katoMs;
        if (ms <= 0 || discovery) {
            return;
        }
        long period = Math.max(ms / 2, 1);
        synchronized (lock) {
            keepAliveOutstanding.set(false);
            keepAlive = TIMER.scheduleAtFixedRate(() -> sendKeepAlive(period), period, period, TimeUnit.MILLISECONDS);
        }
    }

    private void sendKeepAlive(long periodMs) {
        NvmeTcpQueue a = admin;
        if (state != ControllerState.LIVE || a == null || !keepAliveOutstanding.compareAndSet(false, true)) {
            return;
        }
        a.submit(Sqe.of(NvmeOpcodes.ADMIN_KEEP_ALIVE, 0), null, null, TimeUnit.MILLISECONDS.toNanos(periodMs), "Keep Alive")
                .whenComplete((c, e) -> {
                    keepAliveOutstanding.set(false);
                    if (e == null && c.ok()) {
                        lastKeepAliveNanos = System.nanoTime();
                        keepAliveHealthy = true;
                    } else {
                        keepAliveHealthy = false;
                        String why = e != null ? BioException.of(e).getMessage() : NvmeStatus.describe(c.statusCode());
                        if (a == admin) {
                            TIMER.execute(() -> fail("keep-alive failed: " + why));
                        }
                    }
                });
    }

    private void armAer(NvmeTcpQueue a) {
        a.submit(Sqe.of(NvmeOpcodes.ADMIN_ASYNC_EVENT, 0), null, null, 0, "Asynchronous Event Request").whenComplete((c, e) -> {
            if (e != null || a != admin) {
                return;
            }
            if (!c.ok()) {
                log.info("{}: Asynchronous Event Request completed with {}", name, NvmeStatus.describe(c.statusCode()));
                return;
            }
            int dw0 = c.dw0();
            int type = dw0 & 0x7;
            int info = (dw0 >>> 8) & 0xFF;
            int lid = (dw0 >>> 16) & 0xFF;
            events.execute(() -> {
                listeners.forEach(l -> l.asyncEvent(this, type, info, lid));
                if (type == NvmeOpcodes.AER_TYPE_NOTICE && info == NvmeOpcodes.AER_NOTICE_ANA) {
                    try {
                        AnaLog l = readAnaLog(a);
                        anaLog = l;
                        log.info("{}: ANA change: {}", name, describe(l));
                        listeners.forEach(x -> x.anaChanged(this, l));
                    } catch (IOException | RuntimeException ex) {
                        log.warn("{}: reading the ANA log after a change notice failed: {}", name, ex.getMessage());
                    }
                }
                if (a == admin && a.isOpen()) {
                    armAer(a);
                }
            });
        });
    }

    private static String describe(AnaLog l) {
        StringBuilder sb = new StringBuilder();
        for (AnaGroup g : l.groups()) {
            sb.append(sb.isEmpty() ? "" : ", ").append("group ").append(g.groupId()).append(' ').append(g.state());
        }
        return sb.toString();
    }

    @Override
    public void close() {
        Thread r;
        synchronized (lock) {
            closing = true;
            if (keepAlive != null) {
                keepAlive.cancel(false);
            }
            r = reconnector;
            state = ControllerState.DELETED;
        }
        if (r != null) {
            r.interrupt();
        }
        closeQueues("controller deleted");
        events.shutdown();
    }

    // ---- command helpers (blocking; never called on an event loop) ----

    private AnaLog readAnaLog(NvmeTcpQueue a) throws IOException {
        IdentifyController id = identify;
        long size = AnaLog.HEADER + (long) Math.max(1, id == null ? 1 : id.nanagrpid()) * AnaLog.DESCRIPTOR
                + 4L * Math.max(1, id == null ? 1 : id.nn());
        size = Math.min((size + 3) & ~3L, 64 * 1024);
        return AnaLog.parse(getLogPage(a, NvmeOpcodes.LOG_ANA, 0, 0, (int) size));
    }

    private ByteBuffer getLogPage(NvmeTcpQueue a, int lid, int lsp, long offset, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        int numd = len / 4 - 1;
        Sqe s = Sqe.of(NvmeOpcodes.ADMIN_GET_LOG_PAGE, 0xFFFFFFFF)
                .withCdw(lid | lsp << 8 | (numd & 0xFFFF) << 16, numd >>> 16, (int) offset, (int) (offset >>> 32), 0, 0);
        adminSync(a, s, null, buf, String.format("Get Log Page 0x%02x", lid));
        return buf;
    }

    private ByteBuffer identify(NvmeTcpQueue a, int cns, int nsid) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        adminSync(a, Sqe.of(NvmeOpcodes.ADMIN_IDENTIFY, nsid).withCdw10(cns), null, buf, "Identify (CNS " + cns + ")");
        return buf;
    }

    private long propertyGet(NvmeTcpQueue a, int offset, boolean eightBytes) throws IOException {
        Sqe s = Sqe.of(NvmeOpcodes.FABRICS, NvmeOpcodes.FCTYPE_PROPERTY_GET).withCdw(eightBytes ? 1 : 0, offset, 0, 0, 0, 0);
        return adminSync(a, s, null, null, "Property Get 0x" + Integer.toHexString(offset)).result();
    }

    private void propertySet(NvmeTcpQueue a, int offset, long value) throws IOException {
        Sqe s = Sqe.of(NvmeOpcodes.FABRICS, NvmeOpcodes.FCTYPE_PROPERTY_SET).withCdw(0, offset, (int) value, (int) (value >>> 32), 0, 0);
        adminSync(a, s, null, null, "Property Set 0x" + Integer.toHexString(offset));
    }

    private void waitReady(NvmeTcpQueue a, long capv) throws IOException {
        long toMs = Math.max(500, ((capv >>> 24) & 0xFF) * 500);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(toMs);
        while (true) {
            long csts = propertyGet(a, NvmeOpcodes.PROP_CSTS, false);
            if ((csts & NvmeOpcodes.CSTS_CFS) != 0) {
                throw new IOException(name + ": controller fatal status (CSTS.CFS) while enabling");
            }
            if ((csts & NvmeOpcodes.CSTS_RDY) != 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(name + ": CSTS.RDY not set within " + toMs + " ms of CC.EN");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(name + ": interrupted while enabling the controller");
            }
        }
    }

    private Cqe connectQueue(NvmeTcpQueue q, int qid, int depth, int katoMs, int ctrlId) throws IOException {
        Cqe c = await(q.submit(connectCommand(qid, depth, katoMs), connectData(ctrlId), null, options.connectTimeout().toNanos(), "Connect"),
                "Connect queue " + qid, options.connectTimeout().toNanos() * 2);
        if (!c.ok()) {
            throw new NvmeCommandException("Connect of queue " + qid + " to " + subnqn, c.statusCode());
        }
        return c;
    }

    private static Sqe connectCommand(int qid, int depth, int katoMs) {
        return Sqe.of(NvmeOpcodes.FABRICS, NvmeOpcodes.FCTYPE_CONNECT).withCdw(qid << 16, depth, katoMs, 0, 0, 0);
    }

    private ByteBuf connectData(int ctrlId) {
        ByteBuf d = Unpooled.buffer(1024, 1024);
        d.writeLong(options.hostId().getMostSignificantBits());
        d.writeLong(options.hostId().getLeastSignificantBits());
        d.writeShortLE(ctrlId);
        d.writeZero(256 - 18);
        writeNqn(d, subnqn);
        writeNqn(d, options.hostNqn());
        d.writeZero(1024 - d.writerIndex());
        return d;
    }

    private static void writeNqn(ByteBuf d, String nqn) {
        byte[] b = nqn.getBytes(StandardCharsets.UTF_8);
        if (b.length > 255) {
            throw new IllegalArgumentException("NQN longer than 255 bytes: " + nqn);
        }
        d.writeBytes(b);
        d.writeZero(256 - b.length);
    }

    private Cqe adminSync(NvmeTcpQueue a, Sqe sqe, ByteBuf out, ByteBuffer in, String what) throws IOException {
        Cqe c = await(a.submit(sqe, out, in, options.adminTimeout().toNanos(), what), what, options.adminTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1));
        if (!c.ok()) {
            throw new NvmeCommandException(what, c.statusCode());
        }
        return c;
    }

    private <T> T await(CompletableFuture<T> f, String what, long timeoutNanos) throws IOException {
        try {
            return f.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof NvmeCommandException n) {
                throw n;
            }
            throw new IOException(name + ": " + what + ": " + c.getMessage(), c);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new IOException(name + ": " + what + ": no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(name + ": " + what + ": interrupted");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
