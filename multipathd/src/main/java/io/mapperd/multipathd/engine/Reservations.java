package io.mapperd.multipathd.engine;

import io.mapperd.multipathd.engine.pr.PrKey;
import io.mapperd.multipathd.engine.pr.PrKeysFile;
import io.mapperd.multipathd.engine.state.MapRecord;
import io.mapperd.multipathd.engine.state.PathRecord;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.scsi.PersistentReservation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Persistent reservations as multipathd 0.9.4 keeps them for mpathpersist: the map's
 * reservation_key (from a multipaths entry or defaults; "file" reads the prkeys file), the
 * getprkey/setprkey/unsetprkey and getprstatus/setprstatus/unsetprstatus commands, and
 * mpath_pr_event_handle: a SCSI path that joins a map, or comes back while the map's prflag is set,
 * is registered with the map's key when READ KEYS shows the key registered through another path.
 * Runs on the engine thread, except the SCSI commands.
 */
final class Reservations {
    private static final Logger LOG = LoggerFactory.getLogger(Reservations.class);
    static final String DEFAULT_PRKEYS_FILE = "/etc/multipath/prkeys";

    private final Engine e;

    Reservations(Engine engine) {
        this.e = engine;
    }

    PrKeysFile file() {
        if (e.options.stateDir().isPresent()) {
            return new PrKeysFile(e.options.stateDir().get().resolve("prkeys"));
        }
        String f = e.config.defaults().string("prkeys_file");
        return new PrKeysFile(Path.of(f == null || f.isBlank() ? DEFAULT_PRKEYS_FILE : f));
    }

    /** select_reservation_key: empty when none is configured (or "file" and the file has none). */
    Optional<PrKey> reservationKey(MapRecord m) {
        String v = m.settings == null ? null : m.settings.string("reservation_key");
        if (v == null) {
            return Optional.empty();
        }
        if (v.equals("file")) {
            try {
                return file().read(m.wwid);
            } catch (IOException x) {
                LOG.warn("{}: cannot read the prkeys file: {}", m.name, x.getMessage());
                return Optional.empty();
            }
        }
        return PrKey.parse(v);
    }

    String getPrStatus(String map) {
        MapRecord m = e.findMap(map);
        LOG.debug("{}: prflag = {}", m.name, m.prflag ? 1 : 0);
        return m.prflag ? "1" : "0";
    }

    String setPrStatus(String map, boolean on) {
        MapRecord m = e.findMap(map);
        if (m.prflag != on) {
            m.prflag = on;
            LOG.info("{}: prflag {}", m.name, on ? "set" : "unset");
        }
        return "ok";
    }

    String getPrKey(String map) {
        MapRecord m = e.findMap(map);
        Optional<PrKey> k = reservationKey(m);
        return k.isEmpty() || k.get().key() == 0 ? "none\n" : k.get().shown() + "\n";
    }

    String setPrKey(String map, String keyText) {
        MapRecord m = e.findMap(map);
        PrKey k = PrKey.parse(keyText).orElseThrow(() ->
                new IllegalArgumentException(m.name + ": invalid prkey : '" + keyText + "'"));
        return setPrKey(m, k);
    }

    String unsetPrKey(String map) {
        return setPrKey(e.findMap(map), new PrKey(0, false));
    }

    /** set_prkey: written to the file, then the map's key selected again: it must now be the one asked. */
    private String setPrKey(MapRecord m, PrKey k) {
        try {
            file().write(m.wwid, k);
        } catch (IOException x) {
            throw new UncheckedIOException(m.name + ": cannot write the prkeys file: " + x.getMessage(), x);
        }
        long now = reservationKey(m).map(PrKey::key).orElse(0L);
        if (now != k.key()) {
            throw new IllegalStateException(m.name + ": reservation_key stays 0x" + Long.toHexString(now)
                    + " (the configuration gives it, not the prkeys file)");
        }
        LOG.info("{}: {} persistent reservation key", m.name, k.key() == 0 ? "unset" : "set " + k.shown() + " as");
        return "ok";
    }

    /** mpath_pr_event_handle: completes when the path is registered, or found it need not be. */
    CompletableFuture<Void> pathEvent(PathRecord p, MapRecord m) {
        Optional<IscsiLun> lun = p.io.scsi();
        Optional<PrKey> key = reservationKey(m);
        if (lun.isEmpty() || key.isEmpty() || key.get().key() == 0) {
            return CompletableFuture.completedFuture(null);
        }
        long k = key.get().key();
        return lun.get().persistentReserveIn(PersistentReservation.READ_KEYS).thenCompose(keys -> {
            if (keys.keys().isEmpty()) {
                LOG.info("{}: No key found. Device may not be registered.", p.name());
                return CompletableFuture.completedFuture(false);
            }
            if (!keys.keys().contains(k)) {
                LOG.warn("{}: Either device not registered or host is not authorised for registration. Skip path", p.name());
                return CompletableFuture.completedFuture(false);
            }
            return lun.get().persistentReserveOut(PersistentReservation.OUT_REGISTER_AND_IGNORE, 0, 0, k).thenApply(r -> {
                if (!r.good()) {
                    LOG.warn("{}: Reservation registration failed: {}", p.name(), r.describe());
                }
                return true;
            });
        }).handle((found, x) -> {
            if (x != null) {
                LOG.warn("{}: pr in read keys service action failed: {}", p.name(), Engine.rootMessage(x));
            }
            return Boolean.TRUE.equals(found);
        }).thenCompose(found -> e.call(() -> {
            if (found && !m.prflag) {
                m.prflag = true;
                LOG.info("{}: prflag set (key 0x{} registered through {})", m.name, Long.toHexString(k), p.name());
            }
            return null;
        }));
    }
}
