package io.mapperd.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counting windows for a {@code perf stat} that runs this JVM with {@code -D -1 --control
 * fifo:CTL,ACK}: with {@code -DperfCtl=CTL -DperfAck=ACK -DperfMap=multibus|single}, the
 * throughput runs of that map (from round 2 on) are wrapped in enable/disable, and the I/Os done
 * inside the windows are printed, so perf's counts divide into per-I/O figures for the whole
 * process (initiator, target-sim and load generator) over exactly those runs.
 */
final class PerfWindow {
    private static final String CTL = System.getProperty("perfCtl");
    private static final String ACK = System.getProperty("perfAck");
    private static final String MAP = System.getProperty("perfMap", "");
    static final boolean COUNTS_MULTIBUS = CTL != null && MAP.equals("multibus");
    static final boolean COUNTS_SINGLE = CTL != null && MAP.equals("single");
    private static long ios;
    private static OutputStream ctl;
    private static InputStream ack;

    private PerfWindow() {
    }

    static void enable() {
        command("enable");
    }

    static void disable(long n) {
        command("disable");
        ios += n;
    }

    static void report() {
        if (CTL != null) {
            System.out.println("perf window (" + MAP + "): " + ios + " I/Os");
        }
    }

    private static void command(String c) {
        try {
            if (ctl == null) {
                ctl = Files.newOutputStream(Path.of(CTL));
                ack = ACK == null ? null : Files.newInputStream(Path.of(ACK));
            }
            ctl.write((c + "\n").getBytes(StandardCharsets.US_ASCII));
            ctl.flush();
            if (ack != null) {
                byte[] b = new byte[5];
                int got = 0;
                while (got < 5) { // "ack\n\0"
                    int r = ack.read(b, got, 5 - got);
                    if (r < 0) {
                        break;
                    }
                    got += r;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("perf control fifo " + CTL + ": " + e.getMessage(), e);
        }
    }
}
