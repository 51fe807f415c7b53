package io.mapperd.multipathd.command;

import io.mapperd.multipathd.control.AccessPolicy;
import io.mapperd.multipathd.control.Peer;

import java.util.List;

/**
 * multipathd's command language, as far as this daemon speaks it yet: {@code show version} and
 * {@code show daemon}. Replies are plain text, as multipathd sends them; anything else gets the
 * list of what is understood (multipathd answers an unknown command with its help too).
 */
public final class MultipathdCommands {
    public static final String MULTIPATH_TOOLS_VERSION = "0.9.4";

    private final String version;
    private final long pid = ProcessHandle.current().pid();

    public MultipathdCommands(String version) {
        this.version = version;
    }

    public String handle(List<String> words, Peer peer, AccessPolicy policy) {
        List<String> w = words.stream().map(String::toLowerCase).toList();
        if (w.equals(List.of("show", "version")) || w.equals(List.of("list", "version"))) {
            return "multipath-tools v" + MULTIPATH_TOOLS_VERSION + " (mapperd " + version + ")\n";
        }
        if (w.equals(List.of("show", "daemon")) || w.equals(List.of("list", "daemon"))) {
            return "pid " + pid + " idle\n";
        }
        return help(words);
    }

    private static String help(List<String> words) {
        return (words.isEmpty() ? "" : "unknown command: " + String.join(" ", words) + "\n")
                + "multipathd commands this daemon answers:\n"
                + "  show|list version\n"
                + "  show|list daemon\n"
                + "  dmsetup <dmsetup arguments>\n";
    }
}
