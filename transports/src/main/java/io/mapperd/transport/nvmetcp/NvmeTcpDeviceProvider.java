package io.mapperd.transport.nvmetcp;

import io.mapperd.dm.core.DeviceProvider;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.DevT;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens {@code nvme+tcp://HOST:PORT/SUBNQN/NSID[?timeout_ms=N]} devices for tables ({@code timeout_ms}:
 * the path's I/O timeout, see {@link NvmeTcpOptions#withIoTimeout}). Every table naming a namespace
 * behind the same controller (host, port, subsystem) shares one connection set; the controller is
 * disconnected when the last of them is released. Namespaces get dev_t numbers of the kernel's
 * block extended major (259).
 */
public final class NvmeTcpDeviceProvider implements DeviceProvider, AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NvmeTcpDeviceProvider.class);
    public static final int BLKEXT_MAJOR = 259;

    private static final class Shared {
        final NvmeController ctrl;
        int refs;

        Shared(NvmeController ctrl) {
            this.ctrl = ctrl;
        }
    }

    private final NvmeTcpOptions options;
    private final Map<String, Shared> byKey = new HashMap<>();
    private final Map<String, DevT> devTs = new HashMap<>();
    private int nextMinor;

    public NvmeTcpDeviceProvider(NvmeTcpOptions options) {
        this.options = options;
    }

    @Override
    public String scheme() {
        return NvmeTcpUrl.SCHEME;
    }

    @Override
    public synchronized BlockDevice open(String url, boolean readOnly) throws IOException {
        try {
            return openShared(url);
        } catch (IOException | RuntimeException e) {
            // the device-mapper reports only "Device lookup failed", as the kernel does: say why here
            log.warn("{}: {}", url, e.getMessage());
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    private BlockDevice openShared(String url) throws IOException {
        NvmeTcpUrl u;
        io.mapperd.transport.DeviceUrlOptions o = io.mapperd.transport.DeviceUrlOptions.parse(url);
        try {
            u = NvmeTcpUrl.parse(o.base());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        if (u.nsid() == 0) {
            throw new IOException("'" + url + "' names a controller, not a namespace (add /NSID)");
        }
        String key = u.controllerKey() + o.timeout().map(t -> "?" + t.toMillis()).orElse("");
        Shared s = byKey.get(key);
        boolean created = false;
        if (s == null || s.ctrl.state() == ControllerState.DELETED) {
            s = new Shared(NvmeController.connect(u.address(), u.subnqn(), o.timeout().map(options::withIoTimeout).orElse(options)));
            byKey.put(key, s);
            created = true;
        }
        try {
            DevT devT = devTs.computeIfAbsent(key + "/" + u.nsid(), k -> new DevT(BLKEXT_MAJOR, nextMinor++));
            NvmeNamespace ns = s.ctrl.namespace(u.nsid(), devT);
            s.refs++;
            return ns;
        } catch (IOException | RuntimeException e) {
            if (created) {
                byKey.remove(key);
                s.ctrl.close();
            }
            throw e;
        }
    }

    @Override
    public synchronized void release(BlockDevice device) {
        if (!(device instanceof NvmeNamespace ns)) {
            return;
        }
        NvmeController c = ns.controller();
        for (var e : byKey.entrySet()) {
            Shared s = e.getValue();
            if (s.ctrl == c) {
                if (--s.refs == 0) {
                    byKey.remove(e.getKey());
                    c.close();
                }
                return;
            }
        }
    }

    /** Controllers currently connected for tables. */
    public synchronized int controllerCount() {
        return byKey.size();
    }

    @Override
    public synchronized void close() {
        for (Shared s : byKey.values()) {
            s.ctrl.close();
        }
        byKey.clear();
    }
}
