package io.mapperd.multipathd.engine;

import io.mapperd.conf.ResolvedSettings;
import io.mapperd.multipathd.engine.state.PathRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A map's shaky-path detection as multipath-tools 0.9.4 selects and runs it.
 * <p>
 * Selection (propsel.c): san_path_err_threshold, _forget_rate and _recovery_time are off while
 * marginal_path checking is on (or marginal_pathgroups is fpin); a value above 0 logs, once per
 * daemon, "WARNING: option ... is deprecated, please use marginal_path options instead". Then the
 * deprecated delay_watch_checks and delay_wait_checks are mapped onto them, unless a san_path_err
 * option is set: threshold 1, forget rate = delay_watch_checks, recovery time =
 * delay_wait_checks × max_polling_interval. Only all three above 0 turn the check on.
 * <p>
 * The check (check_path_reinstate_state, run on every good check): a path that returns from
 * down, shaky or timeout counts a failure, and past the threshold it is held back (delayed) for
 * the recovery time, counted from its return and restarted if it fails again meanwhile, unless
 * the map has no other active path; good checks forget one failure per forget-rate checks.
 */
public record SanPathErr(int threshold, int forgetRate, int recoveryTime) {
    private static final Logger LOG = LoggerFactory.getLogger(SanPathErr.class);
    private static final AtomicBoolean DEPRECATION_WARNED = new AtomicBoolean();
    public static final SanPathErr OFF = new SanPathErr(0, 0, 0);

    boolean enabled() {
        return threshold > 0 && forgetRate > 0 && recoveryTime > 0;
    }

    static SanPathErr select(String map, ResolvedSettings s, int maxPollingInterval) {
        int threshold = 0;
        int forget = 0;
        int recovery = 0;
        if (!marginalPathCheck(s) && !"fpin".equals(s.string("marginal_pathgroups"))) {
            threshold = positive(s, "san_path_err_threshold");
            forget = positive(s, "san_path_err_forget_rate");
            recovery = positive(s, "san_path_err_recovery_time");
            warnDeprecated(threshold, "san_path_err_threshold");
            warnDeprecated(forget, "san_path_err_forget_rate");
            warnDeprecated(recovery, "san_path_err_recovery_time");
        }
        int watch = positive(s, "delay_watch_checks");
        int wait = positive(s, "delay_wait_checks");
        if (watch <= 0 && wait <= 0) {
            return new SanPathErr(threshold, forget, recovery);
        }
        if (threshold > 0 || forget > 0 || recovery > 0) {
            LOG.debug("{}: both marginal_path and delay_checks error detection options selected", map);
            LOG.debug("{}: ignoring delay_checks options", map);
            return new SanPathErr(threshold, forget, recovery);
        }
        threshold = 1;
        LOG.debug("{}: san_path_err_threshold = 1 (setting: implied by {})", map,
                watch > 0 ? "delay_watch_checks" : "delay_wait_checks");
        if (watch > 0) {
            forget = watch;
            LOG.debug("{}: san_path_err_forget_rate = {} (setting: implied by delay_watch_checks)", map, forget);
        }
        if (wait > 0) {
            recovery = wait * maxPollingInterval;
            LOG.debug("{}: san_path_err_recovery_time = {} (setting: implied by delay_wait_checks)", map, recovery);
        }
        return new SanPathErr(threshold, forget, recovery);
    }

    /** marginal_path_check_enabled. */
    static boolean marginalPathCheck(ResolvedSettings s) {
        return Policies.intValue(s, "marginal_path_double_failed_time", 0) > 0
                && Policies.intValue(s, "marginal_path_err_sample_time", 0) > 0
                && Policies.intValue(s, "marginal_path_err_recheck_gap_time", 0) > 0
                && Policies.intValue(s, "marginal_path_err_rate_threshold", -1) >= 0;
    }

    private static int positive(ResolvedSettings s, String keyword) {
        return Math.max(0, Policies.intValue(s, keyword, 0));
    }

    private static void warnDeprecated(int value, String option) {
        if (value > 0 && DEPRECATION_WARNED.compareAndSet(false, true)) {
            LOG.warn("WARNING: option {} is deprecated, please use marginal_path options instead", option);
        }
    }

    /**
     * check_path_reinstate_state for a good check of {@code p}, whose previous state is
     * {@code previous}; {@code othersActive} counts the map's other active paths. True: hold it back.
     */
    boolean holdBack(PathRecord p, PathState previous, int othersActive, long nowMillis) {
        if (!enabled()) {
            return false;
        }
        if (p.disableReinstate) {
            if (othersActive == 0) {
                LOG.info("{} : reinstating path early", p.name());
                return reinstate(p);
            }
            if (!previous.usable() && previous != PathState.DELAYED) {
                p.forgetTicks = forgetRate;
                p.disReinstateMillis = nowMillis;
            }
            if (nowMillis - p.disReinstateMillis > recoveryTime * 1000L) {
                LOG.info("{} : reinstate the path after err recovery time", p.name());
                return reinstate(p);
            }
            return true;
        }
        if (previous.usable() && p.errCount > 0) {
            if (p.forgetTicks > 0) {
                p.forgetTicks--;
            } else {
                p.errCount--;
                p.forgetTicks = forgetRate;
            }
            return false;
        }
        if (previous != PathState.DOWN && previous != PathState.SHAKY && previous != PathState.TIMEOUT) {
            return false;
        }
        if (p.errCount == 0) {
            p.forgetTicks = forgetRate;
        }
        p.errCount++;
        if (p.errCount > threshold) {
            LOG.info("{} : hit error threshold. Delaying path reinstatement", p.name());
            p.disReinstateMillis = nowMillis;
            p.disableReinstate = true;
            return true;
        }
        return false;
    }

    private static boolean reinstate(PathRecord p) {
        p.errCount = 0;
        p.disableReinstate = false;
        p.forgetTicks = 0;
        return false;
    }
}
