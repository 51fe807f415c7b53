package io.mapperd.multipathd.console;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.multipathd.Daemon;
import io.mapperd.multipathd.DaemonOptions;
import io.mapperd.multipathd.ExportInfo;
import io.mapperd.multipathd.Peers;
import io.mapperd.multipathd.command.FixtureSan;
import io.mapperd.multipathd.command.References;
import io.mapperd.multipathd.control.ControlAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The serial console over a pty pair from socat: the daemon holds one end (through jSerialComm),
 * the test types on the other end as an operator at a terminal would, and reads the prompt, the
 * echo and the replies (CR LF line ends).
 */
class SerialConsoleOverPtyTest {
    @TempDir
    Path dir;
    Process socat;
    Daemon daemon;
    FixtureSan san;

    @BeforeEach
    void start() throws Exception {
        String socatBin = Peers.require("socat", "/usr/bin", "/bin").toString();
        Path a = dir.resolve("ttyA");
        Path b = dir.resolve("ttyB");
        socat = new ProcessBuilder(socatBin, "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(a) && Files.exists(b))) {
            if (System.nanoTime() > deadline || !socat.isAlive()) {
                fail("socat made no pty pair: " + Files.readString(dir.resolve("socat.log")));
            }
            Thread.sleep(20);
        }
        san = FixtureSan.refvm();
        DaemonOptions o = new DaemonOptions(Optional.empty(), List.of(new ControlAddress("@/mapperd/test/" + UUID.randomUUID())),
                Optional.empty(), OptionalInt.empty()).withConsole(a, 115200);
        daemon = new Daemon(o, new DeviceMapper(), ExportInfo.NONE, san, san).start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (daemon != null) {
            daemon.close();
        }
        if (socat != null) {
            socat.destroy();
            if (!socat.waitFor(5, TimeUnit.SECONDS)) {
                socat.destroyForcibly();
            }
        }
    }

    /** What the terminal end has received so far, read by a background thread (a tty has no reliable available()). */
    static final class Screen {
        private final StringBuffer got = new StringBuffer();
        private int mark;

        Screen(InputStream in) {
            Thread.ofPlatform().daemon().name("terminal").start(() -> {
                byte[] buf = new byte[4096];
                try {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    got.append("\n[terminal closed: ").append(e.getMessage()).append("]");
                }
            });
        }

        /** Waits until {@code text} arrives after what earlier calls returned; returns that part. */
        String until(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (true) {
                String all = got.toString();
                int at = all.indexOf(text, mark);
                if (at >= 0) {
                    String part = all.substring(mark, at + text.length());
                    mark = at + text.length();
                    return part;
                }
                if (System.nanoTime() > deadline) {
                    fail("no \"" + text + "\" from the console; got: " + all.substring(mark));
                }
                Thread.sleep(10);
            }
        }
    }

    @Test
    void operatorAtTheConsole() throws Exception {
        Path terminal = dir.resolve("ttyB").toRealPath();
        try (InputStream in = Files.newInputStream(terminal); OutputStream out = Files.newOutputStream(terminal)) {
            Screen screen = new Screen(in);
            out.write("\r".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            screen.until("multipathd> ");

            out.write("show topology\r".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String shown = screen.until("running\r\nmultipathd> ");
            String expected = "show topology\r\n" + References.out("02").replace("\n", "\r\n") + "multipathd> ";
            assertTrue(shown.endsWith(expected), shown);

            out.write("fail path sdb\rshow paps\u007f\u007fths format \"%d %t\"\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String after = screen.until("sda active\r\nmultipathd> ");
            assertTrue(after.contains("fail path sdb\r\nok\r\nmultipathd> "), after);
            assertTrue(after.contains("dev dm_st \r\nsdb failed\r\nsda active\r\n"), after);
            assertEquals(List.of("fail sdb"), san.log);
        }
    }
}
