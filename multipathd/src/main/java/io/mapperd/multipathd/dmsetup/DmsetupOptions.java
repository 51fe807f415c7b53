package io.mapperd.multipathd.dmsetup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dmsetup argv parsed as dmsetup's getopt_long does: options may come anywhere (they are permuted
 * before the verb's arguments), long options take their value after '=' or as the next word, short
 * options may be bundled. Two options are ours: {@code --table-source} (how the client got the
 * table: a file name or "on stdin", for error messages) and {@code --codeset} (the client's locale
 * codeset, which picks the tree drawing characters).
 */
public final class DmsetupOptions {
    /** Options that take a value, by every spelling. */
    private static final Map<String, String> WITH_VALUE = Map.ofEntries(
            Map.entry("--table", "table"), Map.entry("--uuid", "uuid"), Map.entry("-u", "uuid"),
            Map.entry("--target", "target"), Map.entry("--options", "options"), Map.entry("-o", "options"),
            Map.entry("--table-source", "table-source"), Map.entry("--codeset", "codeset"),
            Map.entry("--separator", "separator"));
    /** Switches, by every spelling. */
    private static final Map<String, String> SWITCHES = Map.ofEntries(
            Map.entry("--readonly", "readonly"), Map.entry("-r", "readonly"),
            Map.entry("--notable", "notable"), Map.entry("-n", "notable"),
            Map.entry("--noflush", "noflush"), Map.entry("--inactive", "inactive"), Map.entry("--force", "force"), Map.entry("-f", "force"),
            Map.entry("--deferred", "deferred"), Map.entry("--setuuid", "setuuid"), Map.entry("--tree", "tree"),
            Map.entry("--showkeys", "showkeys"), Map.entry("--columns", "columns"), Map.entry("-c", "columns"),
            Map.entry("-C", "columns"), Map.entry("--noheadings", "noheadings"), Map.entry("--verbose", "verbose"),
            Map.entry("-v", "verbose"), Map.entry("--retry", "retry"), Map.entry("--nolockfs", "nolockfs"),
            Map.entry("--noudevsync", "noudevsync"), Map.entry("--noudevrules", "noudevrules"),
            Map.entry("--verifyudev", "verifyudev"), Map.entry("--yes", "yes"), Map.entry("-y", "yes"),
            Map.entry("--noopencount", "noopencount"), Map.entry("--help", "help"), Map.entry("-h", "help"));

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> switches = new HashSet<>();
    private final List<String> args = new ArrayList<>();
    private final List<Integer> argIndex = new ArrayList<>();

    private DmsetupOptions() {
    }

    /** Thrown with getopt's words for an unknown option or a missing value. */
    public static final class BadOption extends Exception {
        public BadOption(String message) {
            super(message, null, false, false);
        }
    }

    public static DmsetupOptions parse(List<String> argv) throws BadOption {
        DmsetupOptions o = new DmsetupOptions();
        boolean optionsDone = false;
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (optionsDone || !a.startsWith("-") || a.equals("-")) {
                o.args.add(a);
                o.argIndex.add(i);
                continue;
            }
            if (a.equals("--")) {
                optionsDone = true;
                continue;
            }
            String key = a;
            String inline = null;
            if (a.startsWith("--") && a.indexOf('=') > 0) {
                key = a.substring(0, a.indexOf('='));
                inline = a.substring(a.indexOf('=') + 1);
            }
            if (WITH_VALUE.containsKey(key)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= argv.size()) {
                        throw new BadOption(key.startsWith("--")
                                ? "option '" + key + "' requires an argument"
                                : "option requires an argument -- '" + key.substring(1) + "'");
                    }
                    v = argv.get(++i);
                }
                o.values.put(WITH_VALUE.get(key), v);
            } else if (SWITCHES.containsKey(key) && inline == null) {
                o.switches.add(SWITCHES.get(key));
            } else if (!a.startsWith("--") && a.length() > 2) {
                for (char c : a.substring(1).toCharArray()) {
                    String s = SWITCHES.get("-" + c);
                    if (s == null) {
                        throw new BadOption("invalid option -- '" + c + "'");
                    }
                    o.switches.add(s);
                }
            } else {
                throw new BadOption(a.startsWith("--") ? "unrecognized option '" + a + "'" : "invalid option -- '" + a.substring(1) + "'");
            }
        }
        return o;
    }

    public boolean has(String name) {
        return switches.contains(name) || values.containsKey(name);
    }

    public String value(String name) {
        return values.get(name);
    }

    /** Where the {@code n}th non-option word stands in the argv that was parsed. */
    public int argvIndexOf(int n) {
        return argIndex.get(n);
    }

    /** The verb's arguments, in order, options removed. */
    public List<String> args() {
        return args;
    }
}
