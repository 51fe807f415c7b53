package io.mapperd.conf;

import static io.mapperd.conf.ValueType.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every keyword multipath-tools 0.9 knows, per section, in the order {@code multipath -t} prints
 * them, plus the keywords of mapperd's {@code mapperd_transports} extension.
 */
public final class Keywords {
    private static final long MAX = ValueType.INT_MAX;
    private static final Map<Section, Map<String, Keyword>> TABLE = new EnumMap<>(Section.class);

    static {
        Keyword pathChecker = of("path_checker", STRING);
        put(Section.DEFAULTS,
                range("verbosity", 0, 4), of("polling_interval", UINT), of("max_polling_interval", UINT),
                of("reassign_maps", YES_NO), of("multipath_dir", DEPRECATED), args("path_selector", 1),
                of("path_grouping_policy", PGPOLICY), of("uid_attrs", UID_ATTRS), of("uid_attribute", STRING),
                of("getuid_callout", DEPRECATED), of("prio", STRING), of("prio_args", STRING),
                args("features", 0), pathChecker, Keyword.alias("checker", pathChecker),
                of("alias_prefix", NO_SLASH), of("failback", FAILBACK), rangeZeroUnset("rr_min_io", 0, MAX),
                rangeZeroUnset("rr_min_io_rq", 0, MAX), of("max_fds", MAX_FDS), of("rr_weight", RR_WEIGHT),
                of("no_path_retry", NO_PATH_RETRY), of("queue_without_daemon", YES_NO),
                rangeZeroUnset("checker_timeout", 0, MAX), of("allow_usb_devices", YES_NO),
                of("pg_timeout", DEPRECATED), of("flush_on_last_del", YES_NO_UNDEF),
                of("user_friendly_names", YES_NO_UNDEF), of("mode", MODE), of("uid", UID), of("gid", GID),
                of("fast_io_fail_tmo", OFF_ZERO_INT), of("dev_loss_tmo", DEV_LOSS), of("eh_deadline", OFF_ZERO_INT),
                of("bindings_file", ABS_PATH), of("wwids_file", ABS_PATH), of("prkeys_file", ABS_PATH),
                of("log_checker_err", LOG_CHECKER_ERR), of("reservation_key", RESERVATION_KEY),
                of("all_tg_pt", YES_NO_UNDEF), of("retain_attached_hw_handler", YES_NO_UNDEF),
                of("detect_prio", YES_NO_UNDEF), of("detect_checker", YES_NO_UNDEF), of("force_sync", YES_NO),
                of("strict_timing", YES_NO), of("deferred_remove", YES_NO_UNDEF),
                of("partition_delimiter", NO_SLASH), of("config_dir", DEPRECATED),
                of("delay_watch_checks", OFF_INT), of("delay_wait_checks", OFF_INT),
                of("san_path_err_threshold", OFF_INT), of("san_path_err_forget_rate", OFF_INT),
                of("san_path_err_recovery_time", OFF_INT), of("marginal_path_err_sample_time", OFF_INT),
                of("marginal_path_err_rate_threshold", OFF_INT), of("marginal_path_err_recheck_gap_time", OFF_INT),
                of("marginal_path_double_failed_time", OFF_INT), of("find_multipaths", FIND_MULTIPATHS),
                range("uxsock_timeout", 4000, MAX), range("retrigger_tries", 0, MAX),
                range("retrigger_delay", 0, MAX), range("missing_uev_wait_timeout", 0, MAX),
                of("skip_kpartx", YES_NO_UNDEF), of("disable_changed_wwids", IGNORED),
                range("remove_retries", 0, MAX), rangeZeroUnset("max_sectors_kb", 0, MAX),
                of("ghost_delay", OFF_INT), rangeZeroUnset("find_multipaths_timeout", ValueType.INT_MIN, MAX),
                of("enable_foreign", STRING), of("marginal_pathgroups", MARGINAL_PATHGROUPS),
                of("recheck_wwid", YES_NO_UNDEF));
        Keyword hwChecker = of("path_checker", STRING);
        put(Section.DEVICE,
                of("vendor", STRING), of("product", STRING), of("revision", STRING),
                of("product_blacklist", STRING), of("path_grouping_policy", PGPOLICY), of("uid_attribute", STRING),
                of("getuid_callout", DEPRECATED), args("path_selector", 1), hwChecker,
                Keyword.alias("checker", hwChecker), of("alias_prefix", NO_SLASH), args("features", 0),
                args("hardware_handler", 0), of("prio", STRING), of("prio_args", STRING), of("failback", FAILBACK),
                of("rr_weight", RR_WEIGHT), of("no_path_retry", NO_PATH_RETRY), rangeZeroUnset("rr_min_io", 0, MAX),
                rangeZeroUnset("rr_min_io_rq", 0, MAX), of("pg_timeout", DEPRECATED),
                of("flush_on_last_del", YES_NO_UNDEF), of("fast_io_fail_tmo", OFF_ZERO_INT),
                of("dev_loss_tmo", DEV_LOSS), of("eh_deadline", OFF_ZERO_INT),
                of("user_friendly_names", YES_NO_UNDEF), of("retain_attached_hw_handler", YES_NO_UNDEF),
                of("detect_prio", YES_NO_UNDEF), of("detect_checker", YES_NO_UNDEF),
                of("deferred_remove", YES_NO_UNDEF), of("delay_watch_checks", OFF_INT),
                of("delay_wait_checks", OFF_INT), of("san_path_err_threshold", OFF_INT),
                of("san_path_err_forget_rate", OFF_INT), of("san_path_err_recovery_time", OFF_INT),
                of("marginal_path_err_sample_time", OFF_INT), of("marginal_path_err_rate_threshold", OFF_INT),
                of("marginal_path_err_recheck_gap_time", OFF_INT), of("marginal_path_double_failed_time", OFF_INT),
                of("skip_kpartx", YES_NO_UNDEF), rangeZeroUnset("max_sectors_kb", 0, MAX), of("ghost_delay", OFF_INT),
                of("all_tg_pt", YES_NO_UNDEF), of("vpd_vendor", VPD_VENDOR), of("recheck_wwid", YES_NO_UNDEF));
        Keyword ovChecker = of("path_checker", STRING);
        put(Section.OVERRIDES,
                of("path_grouping_policy", PGPOLICY), of("uid_attribute", STRING), of("getuid_callout", DEPRECATED),
                args("path_selector", 1), ovChecker, Keyword.alias("checker", ovChecker),
                of("alias_prefix", NO_SLASH), args("features", 0), of("prio", STRING), of("prio_args", STRING),
                of("failback", FAILBACK), of("rr_weight", RR_WEIGHT), of("no_path_retry", NO_PATH_RETRY),
                rangeZeroUnset("rr_min_io", 0, MAX), rangeZeroUnset("rr_min_io_rq", 0, MAX),
                of("flush_on_last_del", YES_NO_UNDEF), of("fast_io_fail_tmo", OFF_ZERO_INT),
                of("dev_loss_tmo", DEV_LOSS), of("eh_deadline", OFF_ZERO_INT),
                of("user_friendly_names", YES_NO_UNDEF), of("retain_attached_hw_handler", YES_NO_UNDEF),
                of("detect_prio", YES_NO_UNDEF), of("detect_checker", YES_NO_UNDEF),
                of("deferred_remove", YES_NO_UNDEF), of("delay_watch_checks", OFF_INT),
                of("delay_wait_checks", OFF_INT), of("san_path_err_threshold", OFF_INT),
                of("san_path_err_forget_rate", OFF_INT), of("san_path_err_recovery_time", OFF_INT),
                of("marginal_path_err_sample_time", OFF_INT), of("marginal_path_err_rate_threshold", OFF_INT),
                of("marginal_path_err_recheck_gap_time", OFF_INT), of("marginal_path_double_failed_time", OFF_INT),
                of("skip_kpartx", YES_NO_UNDEF), rangeZeroUnset("max_sectors_kb", 0, MAX), of("ghost_delay", OFF_INT),
                of("all_tg_pt", YES_NO_UNDEF), of("recheck_wwid", YES_NO_UNDEF));
        put(Section.PROTOCOL,
                of("type", PROTOCOL_TYPE), of("fast_io_fail_tmo", OFF_ZERO_INT), of("dev_loss_tmo", DEV_LOSS),
                of("eh_deadline", OFF_ZERO_INT));
        put(Section.MULTIPATH,
                of("wwid", STRING), of("alias", NO_SLASH), of("path_grouping_policy", PGPOLICY),
                args("path_selector", 1), of("prio", STRING), of("prio_args", STRING), of("failback", FAILBACK),
                of("rr_weight", RR_WEIGHT), of("no_path_retry", NO_PATH_RETRY), rangeZeroUnset("rr_min_io", 0, MAX),
                rangeZeroUnset("rr_min_io_rq", 0, MAX), of("pg_timeout", DEPRECATED),
                of("flush_on_last_del", YES_NO_UNDEF), args("features", 0), of("mode", MODE), of("uid", UID),
                of("gid", GID), of("reservation_key", RESERVATION_KEY), of("user_friendly_names", YES_NO_UNDEF),
                of("deferred_remove", YES_NO_UNDEF), of("delay_watch_checks", OFF_INT),
                of("delay_wait_checks", OFF_INT), of("san_path_err_threshold", OFF_INT),
                of("san_path_err_forget_rate", OFF_INT), of("san_path_err_recovery_time", OFF_INT),
                of("marginal_path_err_sample_time", OFF_INT), of("marginal_path_err_rate_threshold", OFF_INT),
                of("marginal_path_err_recheck_gap_time", OFF_INT), of("marginal_path_double_failed_time", OFF_INT),
                of("skip_kpartx", YES_NO_UNDEF), rangeZeroUnset("max_sectors_kb", 0, MAX), of("ghost_delay", OFF_INT));
        put(Section.BLACKLIST_DEVICE, of("vendor", STRING), of("product", STRING));
        put(Section.ISCSI_PORTAL,
                of("portal", ISCSI_ENDPOINT), of("target", ISCSI_NAME), of("initiator_name", ISCSI_NAME),
                of("chap_username", STRING), of("chap_password", SECRET), of("mutual_chap_username", STRING),
                of("mutual_chap_password", SECRET), of("discovery", YES_NO));
        put(Section.NVME_DISCOVERY,
                of("address", NVME_ENDPOINT), of("host_nqn", NQN), of("host_id", STRING),
                of("subsystem_nqn", NQN), of("dhchap_secret", SECRET), of("discovery", YES_NO));
    }

    private Keywords() {
    }

    private static Keyword of(String name, ValueType type) {
        return Keyword.of(name, type);
    }

    private static Keyword range(String name, long min, long max) {
        return Keyword.range(name, min, max);
    }

    private static Keyword rangeZeroUnset(String name, long min, long max) {
        return Keyword.rangeZeroUnset(name, min, max);
    }

    private static Keyword args(String name, int countIndex) {
        return Keyword.args(name, countIndex);
    }

    private static void put(Section section, Keyword... keywords) {
        Map<String, Keyword> m = new LinkedHashMap<>();
        for (Keyword k : keywords) {
            m.put(k.name(), k);
        }
        TABLE.put(section, Collections.unmodifiableMap(m));
    }

    /** The keyword {@code name} of {@code section}, if multipath-tools knows it there. */
    public static Optional<Keyword> find(Section section, String name) {
        return Optional.ofNullable(TABLE.get(section).get(name));
    }

    /** The canonical keyword (not an alias) called {@code name} in {@code section}; throws if unknown. */
    public static Keyword get(Section section, String name) {
        Keyword k = TABLE.get(section).get(name);
        if (k == null) {
            throw new IllegalArgumentException("no keyword " + name + " in section " + section.word());
        }
        return k.isAlias() ? TABLE.get(section).get(k.canonical()) : k;
    }

    /** All keywords of {@code section} in print order, aliases included. */
    public static List<Keyword> all(Section section) {
        return List.copyOf(TABLE.get(section).values());
    }

    /** The keywords of {@code section} that print, in print order (no aliases). */
    public static List<Keyword> printable(Section section) {
        List<Keyword> out = new ArrayList<>();
        for (Keyword k : TABLE.get(section).values()) {
            if (!k.isAlias()) {
                out.add(k);
            }
        }
        return out;
    }
}
