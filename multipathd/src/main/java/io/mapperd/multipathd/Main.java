package io.mapperd.multipathd;

import io.mapperd.multipathd.dmsetup.DmsetupClient;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** `mapperd SUBCOMMAND ...`: the daemon, the demo and the operator CLIs. */
public final class Main {
    static final String USAGE = """
            usage: mapperd COMMAND [ARGS...]
              demo                          the daemon on a demo set-up of files (Ctrl-C stops it)
              daemon [-c FILE] [--socket PATH] [--abstract @NAME] [--sysfs-root DIR] [--admin-group GID]
                     [--metrics-address HOST:PORT | --no-metrics]   (metrics default: 127.0.0.1:9477)
              dmsetup ARGS...               dmsetup, served by the running daemon
              multipathd COMMAND...         multipathd's client: send a command to the daemon
              multipath [-d] [-v N] [-c FILE] [--sysfs-root DIR] [DEV|WWID]   multipath(8)'s one-shot run
                                            (-d: dry run, no daemon needed; see multipath --help);
                                            -ll asks the running daemon, -t prints the configuration
              conf ARGS...                  configuration tools
              iscsi ls|inq|readcap|perf URL iSCSI diagnostics (as libiscsi's iscsi-ls, iscsi-inq...)
              nvme discover|id-ctrl|id-ns|ana-log ...   NVMe/TCP diagnostics (as nvme-cli)
              sim -c FILE | sim ctl ...     target-sim (iSCSI); sim nvme serve|ctl ... (NVMe/TCP)
            The CLIs reach the daemon at MAPPERD_SOCKET (default @/org/kernel/linux/storage/multipathd).
            """;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            (args.length == 0 ? System.err : System.out).print(USAGE);
            return args.length == 0 ? 1 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "demo" -> Demo.run(options(rest));
            case "daemon" -> {
                Daemon d;
                try {
                    d = new Daemon(options(rest)).start().stopOnSignal();
                } catch (IllegalStateException | IllegalArgumentException e) {
                    System.err.println("mapperd: " + e.getMessage());
                    yield 1;
                }
                SdNotify notify = new SdNotify(System.getenv());
                d.reconfigureOnHangup(notify);
                notify.send("READY=1\nSTATUS=running\nMAINPID=" + ProcessHandle.current().pid());
                d.awaitStop();
                yield 0;
            }
            case "dmsetup" -> DmsetupClient.run(rest, System.in, System.out, System.err, System.getenv());
            case "multipathd" -> MultipathdClient.run(rest, System.in, System.out, System.err, System.getenv());
            case "multipath" -> multipath(args, rest);
            case "conf" -> confCommand(args, System.out, System.err);
            case "iscsi" -> io.mapperd.transport.iscsi.cli.IscsiCommands.run(rest, System.out, System.err);
            case "nvme" -> io.mapperd.transport.nvmetcp.cli.NvmeCommands.run(rest, System.out, System.err);
            case "sim" -> rest.length > 0 && rest[0].equals("nvme")
                    ? io.mapperd.sim.nvme.NvmeSimCommands.run(Arrays.copyOfRange(rest, 1, rest.length), System.out, System.err)
                    : io.mapperd.sim.SimCommands.run(rest, System.out, System.err);
            default -> {
                System.err.print("mapperd: unknown command " + args[0] + "\n" + USAGE);
                yield 1;
            }
        };
    }

    /** multipath -ll/-l asks the daemon, -t prints the configuration, anything else is a one-shot run. */
    static int multipath(String[] args, String[] rest) {
        if (MultipathLl.wants(rest)) {
            return MultipathLl.run(rest, System.out, System.err, System.getenv());
        }
        if (Arrays.asList(rest).contains("-t")) {
            return confCommand(args, System.out, System.err);
        }
        return MultipathOneShot.run(rest, System.out, System.err, System.getenv());
    }

    private static DaemonOptions options(String[] rest) {
        try {
            return DaemonOptions.parse(List.of(rest));
        } catch (IllegalArgumentException e) {
            System.err.println("mapperd: " + e.getMessage());
            System.exit(1);
            throw e;
        }
    }

    /** multipath and conf live in the conf module; they get the argv with their own name first. */
    static int confCommand(String[] args, PrintStream out, PrintStream err) {
        return io.mapperd.conf.cli.ConfCommands.run(args, out, err);
    }
}
