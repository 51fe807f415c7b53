package io.mapperd.sim.nvme;

import io.mapperd.transport.nvmetcp.AnaState;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code mapperd sim nvme ...}: the NVMe/TCP simulator from a YAML file, and its run-time control.
 * <pre>
 * sim nvme serve CONFIG.yaml [--ctl SOCKET]     serve the nvme: section until "ctl stop" or a signal
 * sim nvme ctl [--ctl SOCKET] status            portals (fault, connections, ANA states), subsystems, controllers
 * sim nvme ctl [--ctl SOCKET] ana PORTAL GROUP optimized|non-optimized|inaccessible|persistent-loss|change
 * sim nvme ctl [--ctl SOCKET] fault PORTAL none|refuse|reset|hang|delay MS|error [STATUS]|hostile KIND
 * sim nvme ctl [--ctl SOCKET] stop
 * </pre>
 * SOCKET defaults to $XDG_RUNTIME_DIR/mapperd-sim-nvme.sock (or /tmp when unset).
 */
public final class NvmeSimCommands {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: sim nvme serve CONFIG.yaml [--ctl SOCKET]
                   sim nvme ctl [--ctl SOCKET] status
                   sim nvme ctl [--ctl SOCKET] ana PORTAL GROUP optimized|non-optimized|inaccessible|persistent-loss|change
                   sim nvme ctl [--ctl SOCKET] fault PORTAL none|refuse|reset|hang|delay MS|error [STATUS]|hostile garbage|unknown-cid|wrong-length|huge-data|short-read
                   sim nvme ctl [--ctl SOCKET] stop""";

    private NvmeSimCommands() {
    }

    /** For running the simulator on its own (benchmarks, scripts) until the launcher calls {@link #run}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static Path defaultSocket() {
        String dir = System.getenv("XDG_RUNTIME_DIR");
        return Path.of(dir != null && !dir.isEmpty() ? dir : "/tmp", "mapperd-sim-nvme.sock");
    }

    /** Entry point; {@code args} start after "sim nvme" (e.g. {@code serve sim.yaml}). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>();
        Path socket = defaultSocket();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--ctl")) {
                if (++i >= args.length) {
                    err.println("sim nvme: --ctl needs a socket path");
                    return USAGE;
                }
                socket = Path.of(args[i]);
            } else if (args[i].equals("-h") || args[i].equals("--help")) {
                out.println(USAGE_TEXT);
                return OK;
            } else {
                words.add(args[i]);
            }
        }
        if (words.isEmpty()) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        try {
            return switch (words.get(0)) {
                case "serve" -> {
                    if (words.size() != 2) {
                        err.println(USAGE_TEXT);
                        yield USAGE;
                    }
                    yield serve(Path.of(words.get(1)), socket, out);
                }
                case "ctl" -> ctl(socket, words.subList(1, words.size()), out, err);
                default -> {
                    err.println("sim nvme: unknown command '" + words.get(0) + "'\n" + USAGE_TEXT);
                    yield USAGE;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("sim nvme: " + e.getMessage());
            return USAGE;
        } catch (IOException e) {
            err.println("sim nvme: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    /** Loads a YAML document (for the combined simulator: it may hold iscsi: and nvme: sections). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> loadYaml(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            if (!(doc instanceof Map)) {
                throw new IllegalArgumentException(file + ": the document is not a map");
            }
            return (Map<String, Object>) doc;
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** Starts the target of a YAML document's nvme: section (for a combined simulator to call). */
    public static NvmeTarget start(Map<String, Object> yaml, Path baseDir) throws IOException {
        return NvmeTarget.start(NvmeSimConfig.fromYaml(yaml, baseDir));
    }

    static int serve(Path config, Path socket, PrintStream out) throws IOException, InterruptedException {
        Path abs = config.toAbsolutePath();
        NvmeTarget t = start(loadYaml(abs), abs.getParent());
        try (SimControlServer ctl = new SimControlServer(t, socket)) {
            Thread hook = new Thread(t::close);
            Runtime.getRuntime().addShutdownHook(hook);
            for (SimPortal p : t.portals()) {
                out.printf("nvme portal %d listening on %s:%d%n", p.id(), p.host(), p.port());
            }
            out.println("control socket " + socket);
            out.flush();
            ctl.awaitStop();
            Runtime.getRuntime().removeShutdownHook(hook);
        } finally {
            t.close();
        }
        return OK;
    }

    static int ctl(Path socket, List<String> words, PrintStream out, PrintStream err) throws IOException {
        if (words.isEmpty()) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        String reply;
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            c.write(ByteBuffer.wrap((String.join(" ", words) + "\n").getBytes(StandardCharsets.UTF_8)));
            c.shutdownOutput();
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                sb.append(line).append('\n');
            }
            reply = sb.toString();
        } catch (IOException e) {
            throw new IOException("no simulator on " + socket + ": " + e.getMessage(), e);
        }
        List<String> lines = reply.lines().toList();
        String last = lines.isEmpty() ? "ERR no answer" : lines.getLast();
        lines.subList(0, Math.max(0, lines.size() - 1)).forEach(out::println);
        if (last.equals("OK")) {
            return OK;
        }
        err.println("sim nvme ctl: " + (last.startsWith("ERR ") ? last.substring(4) : last));
        return last.startsWith("ERR ") ? USAGE : FAILED;
    }

    /**
     * Runs one control command on a target in this process: {@code status}, {@code ana PORTAL GROUP STATE},
     * {@code fault PORTAL KIND [ARG]}. Bad commands raise IllegalArgumentException with the reason.
     */
    public static void control(NvmeTarget t, List<String> words, PrintStream out) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("empty command (status, ana, fault, stop)");
        }
        switch (words.get(0)) {
            case "status" -> out.print(t.status());
            case "ana" -> {
                if (words.size() != 4) {
                    throw new IllegalArgumentException("usage: ana PORTAL GROUP STATE");
                }
                t.setAnaState(number("portal", words.get(1)), number("group", words.get(2)), AnaState.parse(words.get(3)));
            }
            case "fault" -> {
                if (words.size() < 3 || words.size() > 4) {
                    throw new IllegalArgumentException("usage: fault PORTAL none|refuse|reset|hang|delay MS|error [STATUS]|hostile KIND");
                }
                t.setFault(number("portal", words.get(1)), SimFault.parse(words.get(2), words.size() == 4 ? words.get(3) : null));
            }
            default -> throw new IllegalArgumentException("unknown command '" + words.get(0) + "' (status, ana, fault, stop)");
        }
    }

    private static int number(String what, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + s + "' is not a number");
        }
    }
}
