package io.mapperd.multipathd.metrics;

import io.mapperd.multipathd.command.ActionResult;
import io.mapperd.multipathd.command.DaemonActions;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Counts configuration reloads as they happen, whoever carries out the actions (the policy
 * engine, or the daemon without one): {@code reconfigure} that is not a dry run is counted as a
 * success or a failure by its result. Every other action passes through untouched, so the
 * actions interface can grow without this changing.
 */
public final class ReloadCounting {
    private ReloadCounting() {
    }

    public static DaemonActions wrap(DaemonActions actions, PolicyMetrics metrics) {
        InvocationHandler h = (proxy, method, args) -> {
            Object r;
            try {
                r = method.invoke(actions, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (method.getName().equals("reconfigure") && args != null && args.length == 2
                    && Boolean.FALSE.equals(args[1]) && r instanceof ActionResult a) {
                metrics.configReloaded(a.succeeded());
            }
            return r;
        };
        return (DaemonActions) Proxy.newProxyInstance(DaemonActions.class.getClassLoader(), new Class<?>[] {DaemonActions.class}, h);
    }
}
