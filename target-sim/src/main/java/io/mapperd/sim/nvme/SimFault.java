package io.mapperd.sim.nvme;

import io.mapperd.transport.nvmetcp.NvmeStatus;

/**
 * A fault injected on one portal: refuse new connections, reset the ones there are (once), hang
 * (read PDUs, answer none), delay every answer, complete I/O commands with an error status, or
 * answer I/O commands as a hostile target would (garbage bytes, a response for an unknown command
 * id, a PDU whose length disagrees with its type, a data PDU announcing a huge length, success
 * for a read without its data).
 */
public record SimFault(Kind kind, long delayMs, int status, Hostile hostile) {
    public enum Kind { NONE, REFUSE, RESET, HANG, DELAY, ERROR, HOSTILE }

    public enum Hostile { GARBAGE, UNKNOWN_CID, WRONG_LENGTH, HUGE_DATA, SHORT_READ }

    public static final SimFault NONE = new SimFault(Kind.NONE, 0, 0, null);

    public SimFault(Kind kind, long delayMs, int status) {
        this(kind, delayMs, status, null);
    }

    /**
     * Parses {@code none|refuse|reset|hang|delay MS|error [STATUS]|hostile garbage|unknown-cid|wrong-length|huge-data|short-read}
     * (STATUS as SCT/SC, e.g. 0x281, the default).
     */
    public static SimFault parse(String kind, String arg) {
        Kind k;
        try {
            k = Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault '" + kind + "' (none, refuse, reset, hang, delay MS, error [STATUS], hostile KIND)");
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
            case HOSTILE -> {
                if (arg == null) {
                    throw new IllegalArgumentException("fault hostile needs a kind: garbage, unknown-cid, wrong-length, huge-data, short-read");
                }
                try {
                    yield new SimFault(k, 0, 0, Hostile.valueOf(arg.toUpperCase(java.util.Locale.ROOT).replace('-', '_')));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown hostile kind '" + arg + "' (garbage, unknown-cid, wrong-length, huge-data, short-read)");
                }
            }
            default -> new SimFault(k, 0, 0);
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DELAY -> "delay " + delayMs;
            case ERROR -> String.format("error 0x%03x", status);
            case HOSTILE -> "hostile " + hostile.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
