package io.mapperd.prioritizers;

import io.mapperd.checkers.CheckedPath;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.scsi.AluaState;
import io.mapperd.transport.iscsi.scsi.Designator;
import io.mapperd.transport.iscsi.scsi.TargetPortGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * alua: the priority from the path's target port group state, as libmultipath/prioritizers/alua.c
 * gives it. The group comes from the VPD page 0x83 target port group designator, its state from
 * REPORT TARGET PORT GROUPS: active/optimized 50, active/non-optimized 10, lba-dependent 5,
 * standby 1, anything else 0; the preferred bit adds 80 unless the path is already
 * active/optimized (or always, with the {@code exclusive_pref_bit} argument).
 * Failures are multipath-tools' negative codes: {@link #NOT_SUPPORTED} (TPGS 0),
 * {@link #RTPG_FAILED} (no group identifier), {@link #GETAAS_FAILED} (RTPG failed or lacks the
 * group), {@link #TPGS_FAILED}, {@link #NO_INFORMATION} (no SCSI transport).
 */
public final class AluaPrioritizer implements Prioritizer {
    private static final Logger log = LoggerFactory.getLogger(AluaPrioritizer.class);
    public static final String NAME = "alua";

    public static final int NOT_SUPPORTED = -1;
    public static final int RTPG_FAILED = -2;
    public static final int GETAAS_FAILED = -3;
    public static final int TPGS_FAILED = -4;
    public static final int NO_INFORMATION = -5;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int getprio(CheckedPath path, String args, Duration timeout) {
        Optional<IscsiLun> scsi = path.scsi();
        if (scsi.isEmpty()) {
            return NO_INFORMATION;
        }
        IscsiLun lun = scsi.get();
        int aas = aluaInfo(path, lun, timeout);
        if (aas < 0) {
            switch (aas) {
                case NOT_SUPPORTED -> log.error("{}: alua not supported", path.devName());
                case RTPG_FAILED -> log.error("{}: couldn't get target port group", path.devName());
                case GETAAS_FAILED -> log.error("{}: couldn't get asymmetric access state", path.devName());
                default -> log.debug("{}: couldn't get supported alua states", path.devName());
            }
            return aas;
        }
        return priority(aas, ExclusivePrefArg.in(args));
    }

    /** alua.c's mapping of an RTPG descriptor's first byte (state and preferred bit) to a priority. */
    static int priority(int aas, boolean exclusivePref) {
        int state = aas & 0x0f;
        boolean preferred = (aas & 0x80) != 0;
        int prio = switch (state) {
            case 0x0 -> 50;
            case 0x1 -> 10;
            case 0x4 -> 5;
            case 0x2 -> 1;
            default -> 0;
        };
        if (preferred && (state != 0x0 || exclusivePref)) {
            prio += 80;
        }
        return prio;
    }

    /** get_alua_info: the group's state byte (state | preferred << 7), or a negative failure code. */
    private static int aluaInfo(CheckedPath path, IscsiLun lun, Duration timeout) {
        int tpg;
        try {
            tpg = await(lun.deviceIdentification(), timeout).find(Designator.TYPE_TARGET_PORT_GROUP)
                    .map(Designator::number).orElse(-1);
        } catch (Exception e) {
            tpg = -1;
        }
        if (tpg < 0) {
            return lun.standardInquiry().tpgs() == 0 ? NOT_SUPPORTED : RTPG_FAILED;
        }
        try {
            Optional<TargetPortGroup> g = await(lun.reportTargetPortGroups(), timeout).group(tpg);
            if (g.isEmpty()) {
                log.info("{}: port group {} not found", path.devName(), tpg);
                return GETAAS_FAILED;
            }
            AluaState st = g.get().state();
            return st.code() | (g.get().preferred() ? 0x80 : 0);
        } catch (Exception e) {
            log.info("{}: REPORT TARGET PORT GROUPS failed: {}", path.devName(), e.toString());
            return GETAAS_FAILED;
        }
    }

    static <T> T await(CompletableFuture<T> f, Duration timeout) throws Exception {
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }
}
