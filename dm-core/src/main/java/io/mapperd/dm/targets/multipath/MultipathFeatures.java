package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.TargetArgs;
import io.mapperd.dm.core.TargetException;

/**
 * The feature arguments of a multipath table: {@code <#args> [queue_if_no_path]
 * [pg_init_retries N] [pg_init_delay_msecs N] [retain_attached_hw_handler] [queue_mode bio|rq|mq]},
 * in any order, names case-insensitive, as dm-mpath's parse_features reads them.
 *
 * @param pgInitDelayMsecs {@link #PG_INIT_DELAY_DEFAULT} when not given
 */
public record MultipathFeatures(boolean queueIfNoPath, int pgInitRetries, int pgInitDelayMsecs,
                                boolean retainAttachedHwHandler, QueueMode queueMode) {
    /** pg_init_delay_msecs not given: retries after {@link #PG_INIT_DELAY_MSECS}, and the table omits it. */
    public static final int PG_INIT_DELAY_DEFAULT = -1;
    public static final int PG_INIT_DELAY_MSECS = 2000;

    static MultipathFeatures parse(TargetArgs as) throws TargetException {
        int argc = as.nextGroupCount(0, 8, "invalid number of feature args");
        boolean queueIfNoPath = false;
        boolean retain = false;
        int retries = 0;
        int delay = PG_INIT_DELAY_DEFAULT;
        QueueMode mode = null;
        while (argc > 0) {
            String name = as.next("invalid number of feature args");
            argc--;
            if (name.equalsIgnoreCase("queue_if_no_path")) {
                queueIfNoPath = true;
            } else if (name.equalsIgnoreCase("retain_attached_hw_handler")) {
                retain = true;
            } else if (name.equalsIgnoreCase("pg_init_retries") && argc >= 1) {
                retries = (int) as.nextUnsigned(1, 50, "pg_init_retries must be between 1 and 50");
                argc--;
            } else if (name.equalsIgnoreCase("pg_init_delay_msecs") && argc >= 1) {
                delay = (int) as.nextUnsigned(0, 60000, "pg_init_delay_msecs must be between 0 and 60000");
                argc--;
            } else if (name.equalsIgnoreCase("queue_mode") && argc >= 1) {
                String m = as.next("Unknown 'queue_mode' requested");
                if (m.equalsIgnoreCase("bio")) {
                    mode = QueueMode.BIO;
                } else if (m.equalsIgnoreCase("rq") || m.equalsIgnoreCase("mq")) {
                    mode = QueueMode.REQUEST;
                } else {
                    throw new TargetException("Unknown 'queue_mode' requested");
                }
                argc--;
            } else {
                throw new TargetException("Unrecognised multipath feature request");
            }
        }
        if (mode == null) {
            mode = QueueMode.REQUEST;
        }
        // bio-based maps do not manage hardware handlers: the kernel sets the retain flag for them
        if (mode == QueueMode.BIO) {
            retain = true;
        }
        return new MultipathFeatures(queueIfNoPath, retries, delay, retain, mode);
    }

    /** The pause before a pg_init retry the handler asked to delay. */
    long retryDelayMillis() {
        return pgInitDelayMsecs == PG_INIT_DELAY_DEFAULT ? PG_INIT_DELAY_MSECS : pgInitDelayMsecs;
    }
}
