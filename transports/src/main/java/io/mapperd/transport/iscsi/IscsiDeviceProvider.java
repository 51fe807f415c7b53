package io.mapperd.transport.iscsi;

import io.mapperd.dm.core.DeviceProvider;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.DevT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens {@code iscsi://HOST:PORT/IQN/LUN[?timeout_ms=N]} devices named in tables ({@code timeout_ms}:
 * the path's I/O timeout, see {@link SessionConfig#withIoTimeout}): logs in to a target on first use,
 * shares the session among every LUN and table that names the same target and portal, and logs out
 * when the last of them is released. Register with {@code DeviceMapper.addProvider}.
 */
public final class IscsiDeviceProvider implements DeviceProvider, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IscsiDeviceProvider.class);
    /** SCSI disk major, as the kernel numbers sd devices: 16 minors per disk. */
    public static final int SD_MAJOR = 8;

    private record SessionKey(String host, int port, String target, String user, java.time.Duration timeout) {
    }

    private static final class Shared {
        final IscsiSession session;
        int luns;

        Shared(IscsiSession session) {
            this.session = session;
        }
    }

    private final SessionConfig config;
    private final Map<SessionKey, Shared> sessions = new HashMap<>();
    private final Map<BlockDevice, SessionKey> open = new IdentityHashMap<>();
    private int nextDisk;

    public IscsiDeviceProvider(SessionConfig config) {
        this.config = config;
    }

    public IscsiDeviceProvider() {
        this(SessionConfig.defaults().withChap(ChapCredentials.fromEnv(System.getenv())));
    }

    @Override
    public String scheme() {
        return "iscsi";
    }

    @Override
    public synchronized BlockDevice open(String url, boolean readOnly) throws IOException {
        IscsiUrl u;
        io.mapperd.transport.DeviceUrlOptions o = io.mapperd.transport.DeviceUrlOptions.parse(url);
        try {
            u = IscsiUrl.parse(o.base());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        if (u.target() == null) {
            throw new IOException(url + ": names a portal, not a LUN (want iscsi://HOST:PORT/IQN/LUN)");
        }
        SessionKey key = new SessionKey(u.host(), u.port(), u.target(), u.user(), o.timeout().orElse(null));
        Shared s = sessions.get(key);
        boolean fresh = s == null;
        if (fresh) {
            SessionConfig c = o.timeout().map(config::withIoTimeout).orElse(config);
            if (u.user() != null) {
                c = c.withChap(new ChapCredentials(u.user(), u.password(), config.chap().targetUser(), config.chap().targetSecret()));
            }
            s = new Shared(await(IscsiSession.login(u.host(), u.port(), u.target(), c), u, "login"));
            sessions.put(key, s);
        }
        try {
            DevT devT = new DevT(SD_MAJOR, 16 * nextDisk++);
            IscsiLun lun = await(IscsiLun.open(s.session, u.lun(), u.display(), devT, readOnly), u, "probe");
            s.luns++;
            open.put(lun, key);
            LOG.info("opened {} as {} ({} sectors of 512 bytes)", u.display(), devT, lun.sizeSectors());
            return lun;
        } catch (IOException e) {
            if (fresh) {
                sessions.remove(key);
                s.session.close();
            }
            throw e;
        }
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> f, IscsiUrl u, String what) throws IOException {
        try {
            return f.get(config.loginTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
                c = c.getCause();
            }
            LOG.warn("{}: {} failed: {}", u.display(), what, c.getMessage());
            throw new IOException(u.display() + ": " + what + " failed: " + c.getMessage(), c);
        } catch (TimeoutException e) {
            throw new IOException(u.display() + ": " + what + " timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(u.display() + ": interrupted");
        }
    }

    @Override
    public synchronized void release(BlockDevice device) {
        SessionKey key = open.remove(device);
        if (key == null) {
            return;
        }
        Shared s = sessions.get(key);
        if (s != null && --s.luns == 0) {
            sessions.remove(key);
            LOG.info("last user of {} released; logging out", s.session);
            s.session.close();
        }
    }

    /** Sessions currently logged in (or recovering), for status and tests. */
    public synchronized List<IscsiSession> sessions() {
        return sessions.values().stream().map(s -> s.session).toList();
    }

    @Override
    public synchronized void close() {
        sessions.values().forEach(s -> s.session.close());
        sessions.clear();
        open.clear();
    }
}
