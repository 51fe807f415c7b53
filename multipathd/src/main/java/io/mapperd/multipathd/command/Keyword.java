package io.mapperd.multipathd.command;

import java.util.List;

/**
 * A word of multipathd's command language: the word, the code it stands for (aliases share a
 * code: list|show, del|remove, maps|multipaths...), and whether a parameter follows it
 * ({@code path sdb}, {@code format "%d"}). {@link #ALL} is multipath-tools 0.9.4's table, in its
 * order: the order decides which word the help names first and which abbreviation is ambiguous.
 */
public record Keyword(String word, Code code, boolean hasParam) {
    /** Verbs and qualifiers. */
    public enum Code {
        LIST, ADD, DEL, RESET, SWITCH, RECONFIGURE, SUSPEND, RESUME, RESIZE, RELOAD, FAIL, REINSTATE, DISABLEQ,
        RESTOREQ, FORCEQ, GETPRSTATUS, SETPRSTATUS, UNSETPRSTATUS, GETPRKEY, SETPRKEY, UNSETPRKEY, SETMARGINAL,
        UNSETMARGINAL, SHUTDOWN, QUIT,
        PATH, PATHS, MAP, MAPS, TOPOLOGY, CONFIG, BLACKLIST, DEVICES, WILDCARDS, ALL, DAEMON, FMT, RAW, STATUS, STATS,
        JSON, LOCAL, GROUP, KEY
    }

    public static final List<Keyword> ALL = List.of(
            k("list", Code.LIST), k("show", Code.LIST), k("add", Code.ADD), k("remove", Code.DEL), k("del", Code.DEL),
            k("switch", Code.SWITCH), k("switchgroup", Code.SWITCH), k("suspend", Code.SUSPEND),
            k("resume", Code.RESUME), k("reinstate", Code.REINSTATE), k("fail", Code.FAIL), k("resize", Code.RESIZE),
            k("reset", Code.RESET), k("reload", Code.RELOAD), k("forcequeueing", Code.FORCEQ),
            k("disablequeueing", Code.DISABLEQ), k("restorequeueing", Code.RESTOREQ), k("paths", Code.PATHS),
            k("maps", Code.MAPS), k("multipaths", Code.MAPS), p("path", Code.PATH), p("map", Code.MAP),
            p("multipath", Code.MAP), p("group", Code.GROUP), k("reconfigure", Code.RECONFIGURE),
            k("daemon", Code.DAEMON), k("status", Code.STATUS), k("stats", Code.STATS), k("topology", Code.TOPOLOGY),
            k("config", Code.CONFIG), k("blacklist", Code.BLACKLIST), k("devices", Code.DEVICES), k("raw", Code.RAW),
            k("wildcards", Code.WILDCARDS), k("quit", Code.QUIT), k("exit", Code.QUIT), k("shutdown", Code.SHUTDOWN),
            k("getprstatus", Code.GETPRSTATUS), k("setprstatus", Code.SETPRSTATUS),
            k("unsetprstatus", Code.UNSETPRSTATUS), p("format", Code.FMT), k("json", Code.JSON),
            k("getprkey", Code.GETPRKEY), k("setprkey", Code.SETPRKEY), k("unsetprkey", Code.UNSETPRKEY),
            p("key", Code.KEY), k("local", Code.LOCAL), k("setmarginal", Code.SETMARGINAL),
            k("unsetmarginal", Code.UNSETMARGINAL), k("all", Code.ALL));

    private static Keyword k(String w, Code c) {
        return new Keyword(w, c, false);
    }

    private static Keyword p(String w, Code c) {
        return new Keyword(w, c, true);
    }

    /**
     * The keyword {@code word} names: an exact word, or the one word it abbreviates; null when it
     * names none or abbreviates several ("s" is show, shutdown, switch...).
     */
    public static Keyword find(String word) {
        Keyword found = null;
        for (Keyword k : ALL) {
            if (!k.word.startsWith(word)) {
                continue;
            }
            if (k.word.length() == word.length()) {
                return k;
            }
            if (found != null) {
                return null;
            }
            found = k;
        }
        return found;
    }
}
