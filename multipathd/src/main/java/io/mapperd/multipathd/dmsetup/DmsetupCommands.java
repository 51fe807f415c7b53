package io.mapperd.multipathd.dmsetup;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.DeviceRef;
import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.Table;
import io.mapperd.dm.core.TableLine;
import io.mapperd.dm.core.TargetType;
import io.mapperd.dm.io.DevT;
import io.mapperd.multipathd.ExportInfo;
import io.mapperd.multipathd.command.Reply;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * The dmsetup command set, run inside the daemon against its DeviceMapper. Output, messages and
 * exit codes are dmsetup's (libdm 1.02.185): a failed ioctl prints libdm's
 * "device-mapper: VERB ioctl on NAME UUID failed: STRERROR" and then "Command failed.", exit 1.
 * Because a user of the daemon cannot read the kernel log, the reason the kernel would have logged
 * for a refused table or message is printed on stderr just before.
 */
public final class DmsetupCommands {
    /** The library and ioctl interface levels whose behaviour this command set reproduces. */
    public static final String LIBRARY_VERSION = "1.02.185 (2022-05-18)";
    public static final String DRIVER_VERSION = "4.47.0";

    /** Verb, minimum and maximum argument count (-1: any), whether it changes state, usage. */
    private record Verb(String name, int min, int max, boolean changes, String usage) {
    }

    private static final Map<String, Verb> VERBS = Map.ofEntries(
            verb("help", 0, 0, false, "[-c|-C|--columns]"),
            verb("create", 0, 2, true, "<dev_name> [-u|--uuid <uuid>] [-r|--readonly] [-n|--notable|--table {<table>|<table_file>}]"),
            verb("remove", 0, -1, true, "[--deferred] [-f|--force] [--retry] <device>..."),
            verb("remove_all", 0, 0, true, "[-f|--force]"),
            verb("suspend", 0, -1, true, "[--noflush] [--nolockfs] <device>..."),
            verb("resume", 0, -1, true, "[--noflush] [--nolockfs] <device>..."),
            verb("load", 0, 2, true, "<device> [<table>|<table_file>]"),
            verb("clear", 0, -1, true, "<device>"),
            verb("reload", 0, 2, true, "<device> [<table>|<table_file>]"),
            verb("rename", 1, 2, true, "<device> [--setuuid] <new_name_or_uuid>"),
            verb("message", 2, -1, true, "<device> <sector> <message>"),
            verb("ls", 0, 0, false, "[--target <target_type>] [-o <options>] [--tree]"),
            verb("info", 0, -1, false, "[<device>...]"),
            verb("deps", 0, -1, false, "[<device>...]"),
            verb("status", 0, -1, false, "[<device>...] [--noflush] [--target <target_type>]"),
            verb("table", 0, -1, false, "[<device>...] [--target <target_type>] [--showkeys]"),
            verb("wait", 0, 2, false, "<device> [<event_nr>] [--noflush]"),
            verb("mknodes", 0, -1, false, "[<device>...]"),
            verb("targets", 0, 0, false, ""),
            verb("version", 0, 0, false, ""));

    private static final List<String> USAGE_ORDER = List.of("help", "create", "remove", "remove_all", "suspend", "resume",
            "load", "clear", "reload", "rename", "message", "ls", "info", "deps", "status", "table", "wait", "mknodes",
            "targets", "version");

    private static Map.Entry<String, Verb> verb(String name, int min, int max, boolean changes, String usage) {
        return Map.entry(name, new Verb(name, min, max, changes, usage));
    }

    private final DeviceMapper dm;
    private final ExportInfo exports;

    public DmsetupCommands(DeviceMapper dm, ExportInfo exports) {
        this.dm = dm;
        this.exports = exports;
    }

    /** Whether a dmsetup argv may change device-mapper state (and so needs a privileged peer). */
    public static boolean changesState(List<String> argv) {
        try {
            DmsetupOptions o = DmsetupOptions.parse(argv);
            if (o.args().isEmpty()) {
                return false;
            }
            Verb v = VERBS.get(o.args().getFirst());
            return v == null || v.changes();
        } catch (DmsetupOptions.BadOption e) {
            return false;
        }
    }

    /** Runs one dmsetup invocation (argv without the program name). */
    public Reply run(List<String> argv) {
        Run r = new Run();
        r.execute(argv);
        return new Reply(r.out.toString(), r.err.toString(), r.ok ? 0 : 1);
    }

    /** The state of one invocation: its options and the text it printed. */
    private final class Run {
        final StringBuilder out = new StringBuilder();
        final StringBuilder err = new StringBuilder();
        DmsetupOptions o;
        boolean ok = true;

        void execute(List<String> argv) {
            try {
                o = DmsetupOptions.parse(argv);
            } catch (DmsetupOptions.BadOption e) {
                err.append("dmsetup: ").append(e.getMessage()).append('\n');
                usage(err);
                ok = false;
                return;
            }
            if (o.has("help")) {
                usage(out);
                return;
            }
            List<String> args = new ArrayList<>(o.args());
            if (args.isEmpty()) {
                usage(err);
                ok = false;
                return;
            }
            Verb v = VERBS.get(args.getFirst());
            if (v == null) {
                err.append("Unknown command.\n");
                usage(err);
                ok = false;
                return;
            }
            args.removeFirst();
            if (args.size() < v.min() || (v.max() >= 0 && args.size() > v.max())) {
                err.append("Incorrect number of arguments.\n");
                err.append("Usage: dmsetup ").append(v.name()).append(' ').append(v.usage()).append('\n');
                ok = false;
                return;
            }
            if (!processOptions()) {
                err.append("Couldn't process command line.\n");
                ok = false;
                return;
            }
            boolean repeatable = List.of("remove", "suspend", "resume", "clear", "info", "deps", "status", "table", "mknodes")
                    .contains(v.name());
            boolean multiple = repeatable && args.size() != 1 && (!args.isEmpty() || !o.has("uuid"));
            if (repeatable && args.size() > 1) {
                for (String dev : args) {
                    if (!one(v.name(), List.of(dev), multiple)) {
                        err.append("Command failed.\n");
                        ok = false;
                        return;
                    }
                }
            } else if (!one(v.name(), args, multiple)) {
                err.append("Command failed.\n");
                ok = false;
            }
            if (ok && reportRows != null) {
                reportRows.write(out);
            }
        }

        InfoReport reportRows;
        /** The target a failed message went to; null when the core refused it before any target. */
        String messageSpeaker;
        TreeView treeView;
        /** How deps and ls name devices (-o devno|blkdevname|devname): null for numbers. */
        Boolean preferKernelName;
        DeviceNames names;

        /** As dmsetup's _process_options: tree options with --tree, name options unless -c. */
        boolean processOptions() {
            if (o.has("tree")) {
                try {
                    treeView = TreeView.parse(o.value("options"), "UTF-8".equalsIgnoreCase(o.value("codeset")));
                } catch (TreeView.BadOption e) {
                    err.append(e.getMessage()).append('\n');
                    return false;
                }
                return true;
            }
            if (o.has("columns") || o.value("options") == null) {
                return true;
            }
            try {
                preferKernelName = DeviceNames.preference(o.value("options"));
            } catch (IllegalArgumentException e) {
                err.append(e.getMessage()).append('\n');
                return false;
            }
            return true;
        }

        /** A device number as deps and ls print it: (7, 0) or (7:0), or its name with -o devname|blkdevname. */
        String devName(DevT d, String numberFormat) {
            if (preferKernelName != null) {
                if (names == null) {
                    names = new DeviceNames(dm.list());
                }
                var n = names.name(d, preferKernelName);
                if (n.isPresent()) {
                    return "(" + n.get() + ")";
                }
            }
            return String.format(numberFormat, d.major(), d.minor());
        }

        boolean one(String verb, List<String> args, boolean multiple) {
            return switch (verb) {
                case "help" -> {
                    usage(out);
                    yield true;
                }
                case "create" -> create(args);
                case "load", "reload" -> load(args);
                case "remove" -> simple("remove", args, () -> dm.remove(device(args), o.has("force"), o.has("deferred")));
                case "remove_all" -> removeAll();
                case "suspend" -> simple("suspend", args, () -> dm.suspend(device(args), o.has("noflush")));
                case "resume" -> simple("resume", args, () -> dm.resume(device(args)));
                case "clear" -> simple("clear", args, () -> dm.clear(device(args)));
                case "rename" -> rename(args);
                case "message" -> message(args);
                case "ls" -> ls();
                case "info" -> info(args);
                case "deps" -> deps(args, multiple);
                case "status", "table" -> status(verb, args, multiple);
                case "wait" -> waitEvent(args);
                case "mknodes" -> true;
                case "targets" -> targets();
                case "version" -> {
                    out.append("Library version:   ").append(LIBRARY_VERSION).append('\n');
                    out.append("Driver version:    ").append(DRIVER_VERSION).append('\n');
                    yield true;
                }
                default -> throw new IllegalStateException("verb without handler: " + verb);
            };
        }

        /** The device a verb names: its first argument, or -u UUID. */
        String device(List<String> args) {
            return args.isEmpty() ? (o.value("uuid") == null ? "" : o.value("uuid")) : args.getFirst();
        }

        interface Op {
            void run() throws DmException;
        }

        boolean simple(String ioctl, List<String> args, Op op) {
            if (args.isEmpty() && !o.has("uuid")) {
                err.append("No device specified.\n");
                return false;
            }
            return ioctl(ioctl, device(args), op);
        }

        /** Runs an ioctl-like operation; on failure prints what libdm prints. */
        boolean ioctl(String ioctl, String name, Op op) {
            try {
                op.run();
                return true;
            } catch (DmException e) {
                ioctlFailed(ioctl, name, e);
                return false;
            }
        }

        void ioctlFailed(String ioctl, String name, DmException e) {
            ioctlFailed(ioctl, name, null, e);
        }

        /**
         * libdm's "device-mapper: IOCTL ioctl on NAME UUID(MAJOR:MINOR) failed: STRERROR", the device
         * number only when the task named it (the table load inside create does). Before it, the
         * line the kernel logged: why a table was refused, or what a target said of a message.
         */
        void ioctlFailed(String ioctl, String name, DevT devT, DmException e) {
            String detail = e.getMessage() == null ? "" : e.getMessage();
            if (!detail.isEmpty()) {
                if (ioctl.equals("reload") && (e.errno() == DmException.EINVAL || e.errno() == DmException.ENODEV)) {
                    err.append("device-mapper: table: ").append(detail).append('\n');
                } else if (ioctl.equals("message") && e.errno() == DmException.EINVAL) {
                    // a target logs under its own name ("device-mapper: multipath: ..."), the core under ioctl
                    err.append("device-mapper: ").append(messageSpeaker == null ? "ioctl" : messageSpeaker).append(": ")
                            .append(detail).append('\n');
                } else if (e.errno() == DmException.EINVAL) {
                    err.append("device-mapper: ioctl: ").append(detail).append('\n');
                }
            }
            boolean byUuid = o.args().size() <= 1 && o.has("uuid") && name.equals(o.value("uuid"));
            String n = byUuid ? "" : name;
            String u = devT == null && o.has("uuid") && (byUuid || ioctl.equals("create")) ? o.value("uuid") : "";
            err.append("device-mapper: ").append(ioctl).append(" ioctl on ").append(n).append(' ').append(u)
                    .append(devT == null ? "" : "(" + devT + ")")
                    .append(" failed: ").append(e.strerror()).append('\n');
        }

        List<TableLine> tableLines(List<String> args, int fileArg) throws TableText.BadLine {
            String text = o.value("table");
            String source = o.value("table-source");
            if (text == null) {
                if (args.size() > fileArg) {
                    throw new TableText.BadLine("Couldn't open '" + args.get(fileArg) + "' for reading.");
                }
                return List.of();
            }
            return TableText.parse(text, source == null ? "" : source);
        }

        boolean create(List<String> args) {
            if (args.isEmpty()) {
                err.append("Please provide a name for the new device.\n");
                return false;
            }
            String name = args.getFirst();
            List<TableLine> lines;
            try {
                lines = o.has("notable") ? List.of() : tableLines(args, 1);
            } catch (TableText.BadLine e) {
                err.append(e.getMessage()).append('\n');
                return false;
            }
            if (!ioctl("create", name, () -> dm.create(name, o.value("uuid")))) {
                return false;
            }
            if (lines.isEmpty()) {
                return true;
            }
            DevT created = dm.find(name).map(MappedDevice::devT).orElse(null);
            try {
                dm.load(name, lines, o.has("readonly"));
            } catch (DmException e) {
                ioctlFailed("reload", name, created, e);
                removeQuietly(name);
                return false;
            }
            if (!ioctl("resume", name, () -> dm.resume(name))) {
                removeQuietly(name);
                return false;
            }
            return true;
        }

        void removeQuietly(String name) {
            try {
                dm.remove(name, false, false);
            } catch (DmException e) {
                err.append("Failed to revert device creation.\n");
            }
        }

        boolean load(List<String> args) {
            if (o.has("notable")) {
                err.append("--notable only available when creating new device.\n");
                return false;
            }
            if (args.isEmpty() && !o.has("uuid")) {
                err.append("Please specify device.\n");
                return false;
            }
            String name = device(args);
            int fileArg = args.isEmpty() ? 0 : 1;
            List<TableLine> lines;
            try {
                lines = tableLines(args, fileArg);
            } catch (TableText.BadLine e) {
                err.append(e.getMessage()).append('\n');
                return false;
            }
            return ioctl("reload", name, () -> dm.load(name, lines, o.has("readonly")));
        }

        boolean removeAll() {
            dm.removeAll(false);
            if (!o.has("force") || dm.list().isEmpty()) {
                return true;
            }
            dm.removeAll(true);
            int left = dm.list().size();
            if (left > 0) {
                err.append("Unable to remove ").append(left).append(" device(s).\n");
            }
            return true;
        }

        boolean rename(List<String> args) {
            String name = args.size() == 2 ? args.get(0) : device(List.of());
            String target = args.getLast();
            if (o.has("setuuid")) {
                return ioctl("rename", name, () -> dm.setUuid(name, target));
            }
            return ioctl("rename", name, () -> dm.rename(name, target));
        }

        boolean message(List<String> args) {
            List<String> rest = new ArrayList<>(args);
            String name = o.has("uuid") ? o.value("uuid") : rest.removeFirst();
            if (rest.isEmpty()) {
                err.append("Invalid sector.\n");
                return false;
            }
            String s = rest.removeFirst();
            long sector;
            try {
                if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
                    throw new NumberFormatException(s);
                }
                sector = Long.parseUnsignedLong(s);
            } catch (NumberFormatException e) {
                err.append("Invalid sector.\n");
                return false;
            }
            if (rest.isEmpty()) {
                err.append("No message supplied.\n");
            }
            String joined = String.join(" ", rest).strip();
            List<String> words = joined.isEmpty() ? List.of() : List.of(joined.split("\\s+"));
            String r;
            try {
                r = dm.message(name, sector, words);
            } catch (DmException e) {
                messageSpeaker = words.isEmpty() ? null : targetAt(name, sector);
                ioctlFailed("message", name, e);
                return false;
            }
            if (r != null && !r.isEmpty()) {
                out.append(r);
                if (!r.endsWith("\n")) {
                    out.append('\n');
                }
            }
            return true;
        }

        /** The type of the live target holding {@code sector}: who answers a message sent there. */
        String targetAt(String name, long sector) {
            Table t = dm.find(name).map(MappedDevice::activeTable).orElse(null);
            if (t == null) {
                return null;
            }
            for (Table.Entry e : t.entries()) {
                if (sector >= e.start() && sector < e.end()) {
                    return e.type().name();
                }
            }
            return null;
        }

        boolean ls() {
            if (o.has("target")) {
                return forAll(md -> {
                    Table t = md.activeTable();
                    if (t != null && t.entries().stream().anyMatch(e -> e.type().name().equals(o.value("target")))) {
                        out.append(md.dmName()).append("\t(").append(md.devT().major()).append(", ")
                                .append(md.devT().minor()).append(")\n");
                    }
                    return true;
                });
            }
            if (o.has("tree")) {
                return tree();
            }
            return forAll(md -> {
                out.append(md.dmName()).append('\t').append(devName(md.devT(), "(%d:%d)")).append('\n');
                return true;
            });
        }

        interface PerDevice {
            boolean apply(MappedDevice md);
        }

        /** As dmsetup's _process_all: every device in name order, or "No devices found". */
        boolean forAll(PerDevice fn) {
            List<MappedDevice> all = dm.list();
            if (all.isEmpty()) {
                out.append("No devices found\n");
                return true;
            }
            boolean r = true;
            for (MappedDevice md : all) {
                if (!fn.apply(md)) {
                    r = false;
                }
            }
            return r;
        }

        /** The device, or null after printing "Device does not exist." (what libdm says for ENXIO on info/status). */
        MappedDevice existing(String name) {
            try {
                return dm.get(name);
            } catch (DmException e) {
                err.append("Device does not exist.\n");
                return null;
            }
        }

        boolean info(List<String> args) {
            boolean columns = o.has("columns");
            if (columns && reportRows == null) {
                try {
                    reportRows = InfoReport.of(o.value("options"), !o.has("noheadings"), o.value("separator"));
                } catch (IllegalArgumentException e) {
                    err.append(e.getMessage()).append('\n');
                    return false;
                }
            }
            if (args.isEmpty() && !o.has("uuid")) {
                return forAll(this::infoOne);
            }
            MappedDevice md = existing(device(args));
            return md != null && infoOne(md);
        }

        boolean infoOne(MappedDevice md) {
            DeviceInfo i = DeviceInfo.of(md);
            if (reportRows != null) {
                reportRows.add(i);
                return true;
            }
            out.append("Name:              ").append(i.name()).append('\n');
            out.append("State:             ").append(i.suspended() ? "SUSPENDED" : "ACTIVE")
                    .append(i.readOnly() ? " (READ-ONLY)" : "").append(i.deferredRemove() ? " (DEFERRED REMOVE)" : "").append('\n');
            if (md.diskAdded()) {
                out.append("Read Ahead:        ").append(i.readAhead()).append('\n');
            } else {
                // libdm reads it from sysfs, then from the node: neither exists before the first table
                err.append("/dev/mapper/").append(i.name()).append(": open failed: No such file or directory\n");
            }
            if (!i.live() && !i.inactive()) {
                out.append("Tables present:    None\n");
            } else {
                out.append("Tables present:    ").append(i.live() ? "LIVE" : "").append(i.live() && i.inactive() ? " & " : "")
                        .append(i.inactive() ? "INACTIVE" : "").append('\n');
            }
            out.append("Open count:        ").append(i.openCount()).append('\n');
            out.append("Event number:      ").append(i.eventNr()).append('\n');
            out.append("Major, minor:      ").append(i.devT().major()).append(", ").append(i.devT().minor()).append('\n');
            out.append("Number of targets: ").append(i.targetCount()).append('\n');
            if (!i.uuid().isEmpty()) {
                out.append("UUID: ").append(i.uuid()).append('\n');
            }
            OptionalInt clients = exports.clientCount(i.name());
            if (clients.isPresent()) {
                out.append("NBD clients:       ").append(clients.getAsInt()).append('\n');
            }
            out.append('\n');
            return true;
        }

        boolean deps(List<String> args, boolean multiple) {
            if (args.isEmpty() && !o.has("uuid")) {
                return forAll(md -> depsOne(md, true));
            }
            String name = device(args);
            MappedDevice md;
            try {
                md = dm.get(name);
            } catch (DmException e) {
                ioctlFailed("deps", name, e);
                return false;
            }
            return depsOne(md, multiple);
        }

        boolean depsOne(MappedDevice md, boolean multiple) {
            List<DevT> deps = DmsetupCommands.deps(md, o.has("inactive"));
            if (multiple) {
                out.append(md.dmName()).append(": ");
            }
            out.append(deps.size()).append(" dependencies\t:");
            for (DevT d : deps) {
                out.append(' ').append(devName(d, "(%d, %d)"));
            }
            out.append('\n');
            return true;
        }

        boolean status(String verb, List<String> args, boolean multiple) {
            if (args.isEmpty() && !o.has("uuid")) {
                return forAll(md -> statusOne(verb, md, true));
            }
            String name = device(args);
            MappedDevice md;
            if (verb.equals("table")) {
                try {
                    md = dm.get(name);
                } catch (DmException e) {
                    ioctlFailed("table", name, e);
                    return false;
                }
            } else {
                md = existing(name);
                if (md == null) {
                    return false;
                }
            }
            return statusOne(verb, md, multiple);
        }

        boolean statusOne(String verb, MappedDevice md, boolean multiple) {
            Table t = o.has("inactive") ? md.inactiveTable() : md.activeTable();
            String filter = o.value("target");
            if (t == null) {
                if (filter == null) {
                    out.append(multiple ? md.dmName() + ": " : "").append('\n');
                }
                return true;
            }
            StatusType type = verb.equals("table") ? StatusType.TABLE : StatusType.INFO;
            for (Table.Entry e : t.entries()) {
                String targetName = e.type().name();
                if (filter != null && !filter.equals(targetName)) {
                    continue;
                }
                String params = e.target().status(type);
                if (type == StatusType.TABLE && !o.has("showkeys") && targetName.equals("crypt")) {
                    params = hideCryptKey(params);
                }
                if (multiple) {
                    out.append(md.dmName()).append(": ");
                }
                out.append(e.start()).append(' ').append(e.length()).append(' ').append(targetName).append(' ')
                        .append(params).append('\n');
            }
            return true;
        }

        boolean waitEvent(List<String> args) {
            if (args.isEmpty() && !o.has("uuid")) {
                err.append("No device specified.\n");
                return false;
            }
            String name = o.has("uuid") ? o.value("uuid") : args.getFirst();
            List<String> rest = o.has("uuid") ? args : args.subList(1, args.size());
            long eventNr = rest.isEmpty() ? 0 : atoi(rest.getLast());
            return ioctl("waitevent", name, () -> {
                MappedDevice md = dm.get(name);
                try {
                    md.waitEvent(eventNr).get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DmException(4, "interrupted");
                } catch (ExecutionException e) {
                    throw new DmException(DmException.EINVAL, String.valueOf(e.getCause()));
                }
            });
        }

        boolean targets() {
            for (TargetType t : dm.targets().loaded()) {
                int[] v = t.version();
                out.append(String.format("%-16s v%d.%d.%d%n", t.name(), v[0], v[1], v[2]));
            }
            return true;
        }

        boolean tree() {
            List<MappedDevice> all = dm.list();
            if (all.isEmpty()) {
                out.append("No devices found\n");
                return true;
            }
            treeView.draw(new DeviceTree(all), new DeviceNames(all), out);
            return true;
        }

        void usage(StringBuilder to) {
            to.append("Usage:\n\ndmsetup\n\t[--version] [-h|--help [-c|-C|--columns]]\n\t[-v|--verbose] [-f|--force]\n\t")
                    .append("[-r|--readonly] [--noflush] [--nolockfs] [--retry]\n\t[-c|-C|--columns] [-o <fields>] [--noheadings]\n\t")
                    .append("[--separator <separator>]\n\n");
            for (String v : USAGE_ORDER) {
                to.append('\t').append(v).append(' ').append(VERBS.get(v).usage()).append('\n');
            }
            to.append("\n<device> may be device name or (if only one) -u <uuid>\n<fields> are comma-separated.\n\n");
        }
    }

    /** The devices a table uses, each once, in the order the kernel reports them (last taken first). */
    static List<DevT> deps(MappedDevice md, boolean inactive) {
        Table t = inactive ? md.inactiveTable() : md.activeTable();
        if (t == null) {
            return List.of();
        }
        LinkedHashSet<DevT> seen = new LinkedHashSet<>();
        for (DeviceRef ref : t.devices()) {
            seen.add(ref.devT());
        }
        List<DevT> out = new ArrayList<>(seen);
        java.util.Collections.reverse(out);
        return out;
    }

    private static String hideCryptKey(String params) {
        int sp = params.indexOf(' ');
        if (sp < 0 || sp + 1 >= params.length() || params.charAt(sp + 1) == ':') {
            return params;
        }
        int end = params.indexOf(' ', sp + 1);
        if (end < 0) {
            end = params.length();
        }
        return params.substring(0, sp + 1) + "0".repeat(end - sp - 1) + params.substring(end);
    }

    private static long atoi(String s) {
        int i = 0;
        long v = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            v = v * 10 + (s.charAt(i++) - '0');
        }
        return v;
    }
}
