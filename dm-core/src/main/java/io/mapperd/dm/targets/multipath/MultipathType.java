package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.DeviceRef;
import io.mapperd.dm.core.Target;
import io.mapperd.dm.core.TargetArgs;
import io.mapperd.dm.core.TargetContext;
import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.core.TargetType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The multipath target's descriptor and constructor, as dm-mpath's multipath_ctr:
 * <pre>
 * &lt;#features&gt; [features]* &lt;#hw_handler args&gt; [hw_handler [args]*] &lt;#groups&gt; &lt;initial group&gt;
 *   { &lt;selector&gt; &lt;#selector args&gt; [args]* &lt;#paths&gt; &lt;#path args&gt; { &lt;path&gt; [args]* }+ }*
 * </pre>
 * Errors are the kernel's ti->error words.
 */
public final class MultipathType implements TargetType {
    private static final Logger log = LoggerFactory.getLogger(MultipathType.class);

    private final PathSelectorRegistry selectors;
    private final HwHandlerRegistry handlers;

    public MultipathType(PathSelectorRegistry selectors, HwHandlerRegistry handlers) {
        this.selectors = selectors;
        this.handlers = handlers;
    }

    @Override
    public String name() {
        return "multipath";
    }

    @Override
    public int[] version() {
        return new int[] {1, 14, 0};
    }

    @Override
    public Target construct(TargetContext ctx, List<String> argv) throws TargetException {
        TargetArgs as = new TargetArgs(argv);
        MultipathFeatures features = MultipathFeatures.parse(as);

        int hwArgc = as.nextGroupCount(0, 1024, "invalid number of hardware handler args");
        String hwName = null;
        List<String> hwParams = List.of();
        if (hwArgc > 0) {
            if (features.queueMode() == QueueMode.BIO) {
                as.skip(hwArgc);
                log.error("{}: bio-based multipath doesn't allow hardware handler args", ctx.deviceName());
            } else {
                hwName = as.next("invalid number of hardware handler args");
                hwParams = take(as, hwArgc - 1);
            }
        }
        HwHandler handler = hwName == null ? null : handlers.create(hwName).orElse(null);

        long nrGroups = as.nextUnsigned(0, 1024, "invalid number of priority groups");
        long nextPg = as.nextUnsigned(0, 1024, "invalid initial priority group number");
        if ((nrGroups == 0) != (nextPg == 0)) {
            throw new TargetException("invalid initial priority group");
        }
        List<PriorityGroup> groups = new ArrayList<>();
        PriorityGroup initial = null;
        while (as.hasNext()) {
            PriorityGroup pg = parseGroup(ctx, as, groups.size() + 1, hwName, hwParams, handler);
            groups.add(pg);
            if (--nextPg == 0) {
                initial = pg;
            }
        }
        if (groups.size() != nrGroups) {
            throw new TargetException("priority group count mismatch");
        }
        return new MultipathTarget(ctx, features, hwName, handler, groups, initial);
    }

    private PriorityGroup parseGroup(TargetContext ctx, TargetArgs as, int number, String hwName,
                                     List<String> hwParams, HwHandler handler) throws TargetException {
        if (as.remaining() < 2) {
            throw new TargetException("not enough priority group arguments");
        }
        PathSelectorType type = selectors.find(as.next("not enough priority group arguments"))
                .orElseThrow(() -> new TargetException("unknown path selector type"));
        int psArgc = as.nextGroupCount(0, 1024, "invalid number of path selector args");
        PathSelector ps;
        try {
            ps = type.create(take(as, psArgc));
        } catch (TargetException e) {
            throw new TargetException("path selector constructor failed");
        }
        PriorityGroup pg = new PriorityGroup(number, type, ps);

        long nrPaths = as.nextUnsigned(1, 1024, "invalid number of paths");
        long nrSelectorArgs = as.nextUnsigned(0, 1024, "invalid number of selector args");
        for (long i = 0; i < nrPaths; i++) {
            if (as.remaining() < 1 + nrSelectorArgs) {
                throw new TargetException("not enough path parameters");
            }
            String spec = as.next("no device given");
            List<String> pathArgs = take(as, (int) nrSelectorArgs);
            DeviceRef ref;
            try {
                ref = ctx.getDevice(spec, ctx.begin(), ctx.length());
            } catch (TargetException e) {
                throw new TargetException("error getting device", e.errno());
            }
            if (hwName != null) {
                if (handler == null) {
                    throw new TargetException("error attaching hardware handler");
                }
                handler.attach(ref.device(), hwParams);
            }
            PgPath p = new PgPath(pg, ref);
            ps.addPath(p, pathArgs);
            pg.add(p);
        }
        return pg;
    }

    private static List<String> take(TargetArgs as, int n) throws TargetException {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(as.next("not enough arguments"));
        }
        return out;
    }
}
