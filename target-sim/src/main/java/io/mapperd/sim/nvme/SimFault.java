package io.mapperd.sim.nvme;

import io.mapperd.transport.nvmetcp.NvmeStatus;

/**
 * A fault injected on one portal: refuse new connections, reset the ones there are (once), hang
 * (read PDUs, answer none), delay every answer, or complete I/O commands with an error status.
 */
public record SimFault(Kind kind, long delayMs, int status) {
    public enum Kind { NONE, REFUSE, RESET, HANG, DELAY, ERROR }

    public static final SimFault NONE = new SimFault(Kind.NONE, 0, 0);

    /** Parses {@code none|refuse|reset|hang|delay MS|error [STATUS]} (STATUS as SCT/SC hex, default 0x281). */
    public static SimFault parse(String kind, String arg) {
        Kind k;
        try {
            k = Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault '" + kind + "' (none, refuse, reset, hang, delay MS, error [STATUS])");
        }
        return switch (k) {
            case DELAY -> {
                if (arg == null) {
                    throw new IllegalArgumentException("fault delay needs milliseconds");
                }
                long ms = Long.parseLong(arg);
                if (ms < 0 || ms > 600_000) {
                    throw new IllegalArgumentException("fault delay " + ms + " ms outside 0..600000");
                }
                yield new SimFault(k, ms, 0);
            }
            case ERROR -> {
                int st = arg == null ? NvmeStatus.READ_ERROR : Integer.decode(arg);
                if (st <= 0 || st > 0x7FF) {
                    throw new IllegalArgumentException("fault error status " + arg + " outside 0x001..0x7ff");
                }
                yield new SimFault(k, 0, st);
            }
            default -> new SimFault(k, 0, 0);
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DELAY -> "delay " + delayMs;
            case ERROR -> String.format("error 0x%03x", status);
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
