package io.mapperd.sim;

import io.mapperd.sim.iscsi.IscsiTargetSim;
import io.mapperd.sim.iscsi.SimConfigYaml;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mapperd sim ...}: {@code sim -c FILE} runs the simulator in the foreground until killed;
 * {@code sim ctl [--control HOST:PORT] COMMAND...} changes a running one (ALUA states, faults).
 */
public final class SimCommands {
    public static final String DEFAULT_CONTROL = "127.0.0.1:3270";

    private SimCommands() {
    }

    /** For scripts that run the class directly; the launcher calls {@link #run}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> a = Arrays.asList(args);
        if (a.isEmpty() || a.contains("-h") || a.contains("--help")) {
            usage(a.isEmpty() ? err : out);
            return a.isEmpty() ? 2 : 0;
        }
        try {
            if (a.get(0).equals("ctl")) {
                return ctl(a.subList(1, a.size()), out, err);
            }
            if (a.get(0).equals("-c") && a.size() == 2) {
                return serve(Path.of(a.get(1)), out, err);
            }
            err.println("sim: unknown arguments " + String.join(" ", a));
            usage(err);
            return 2;
        } catch (IOException e) {
            err.println("sim: " + e.getMessage());
            return 1;
        }
    }

    private static void usage(PrintStream p) {
        p.println("usage: sim -c FILE                         run target-sim from a YAML file");
        p.println("       sim ctl [--control HOST:PORT] show");
        p.println("       sim ctl [--control HOST:PORT] alua GROUP STATE    (active/optimized, active/non-optimized, standby, unavailable, transitioning, offline)");
        p.println("       sim ctl [--control HOST:PORT] fault PORTAL down|up|reset|hang|delay MS|sense KEY ASC ASCQ|sense off");
    }

    private static int serve(Path file, PrintStream out, PrintStream err) throws IOException {
        IscsiTargetSim sim = IscsiTargetSim.start(SimConfigYaml.load(file));
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stop.countDown();
        }));
        sim.portals().forEach(p -> out.println("portal " + p.address() + " group " + p.group().id() + " " + p.group().state().text()));
        if (sim.controlPort() > 0) {
            out.println("control 127.0.0.1:" + sim.controlPort());
        }
        out.flush();
        try {
            stop.await();
        } catch (InterruptedException e) {
            sim.close();
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int ctl(List<String> a, PrintStream out, PrintStream err) throws IOException {
        String control = System.getenv().getOrDefault("MAPPERD_SIM_CONTROL", DEFAULT_CONTROL);
        List<String> cmd = new ArrayList<>(a);
        if (!cmd.isEmpty() && cmd.get(0).equals("--control")) {
            if (cmd.size() < 2) {
                err.println("sim ctl: --control needs HOST:PORT");
                return 2;
            }
            control = cmd.get(1);
            cmd = cmd.subList(2, cmd.size());
        }
        if (cmd.isEmpty()) {
            err.println("sim ctl: no command");
            usage(err);
            return 2;
        }
        int colon = control.lastIndexOf(':');
        try (Socket s = new Socket(control.substring(0, colon), Integer.parseInt(control.substring(colon + 1)));
             var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
             var w = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
            w.println(String.join(" ", cmd));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("ok")) {
                    return 0;
                }
                if (line.startsWith("error: ")) {
                    err.println("sim ctl: " + line.substring(7));
                    return 1;
                }
                out.println(line);
            }
            err.println("sim ctl: the simulator closed the connection");
            return 1;
        } catch (java.net.ConnectException e) {
            throw new IOException("no simulator control socket at " + control + " (" + e.getMessage() + ")");
        }
    }
}
