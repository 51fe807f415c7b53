package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.TargetArgs;
import io.mapperd.dm.core.TargetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The repeat_count path argument every selector takes first. The kernel still parses it but
 * deprecates values above 1 and uses 1 instead (for bio- and request-based maps alike).
 */
final class RepeatCount {
    private static final Logger log = LoggerFactory.getLogger(RepeatCount.class);

    private RepeatCount() {
    }

    /**
     * Checks the argument count (at most {@code maxArgs}) and returns the repeat count the
     * selector keeps: 1 when absent or above 1, else as given.
     */
    static long parse(String selector, List<String> args, int maxArgs) throws TargetException {
        if (args.size() > maxArgs) {
            throw new TargetException(selector + " ps: incorrect number of arguments");
        }
        if (args.isEmpty()) {
            return 1;
        }
        long repeat = TargetArgs.parseUnsigned(args.getFirst(), 0, 0xffff_ffffL, selector + " ps: invalid repeat count");
        if (repeat > 1) {
            log.warn("repeat_count > 1 is deprecated, using 1 instead");
            return 1;
        }
        return repeat;
    }
}
