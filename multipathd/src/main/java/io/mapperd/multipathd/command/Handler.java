package io.mapperd.multipathd.command;

import java.util.List;

import static io.mapperd.multipathd.command.Keyword.Code.*;

/**
 * Every command multipathd 0.9.4 knows, by the keyword sequence that selects it, in the order
 * multipathd registers them (its help lists them in this order). {@link #READ} marks those an
 * unprivileged client may run (the ones that start with list|show).
 */
public enum Handler {
    LIST_PATHS(LIST, PATHS),
    LIST_PATHS_FMT(LIST, PATHS, FMT),
    LIST_PATHS_RAW(LIST, PATHS, RAW, FMT),
    LIST_PATH(LIST, PATH),
    LIST_MAPS(LIST, MAPS),
    LIST_STATUS(LIST, STATUS),
    LIST_DAEMON(LIST, DAEMON),
    LIST_MAPS_STATUS(LIST, MAPS, STATUS),
    LIST_MAPS_STATS(LIST, MAPS, STATS),
    LIST_MAPS_FMT(LIST, MAPS, FMT),
    LIST_MAPS_RAW(LIST, MAPS, RAW, FMT),
    LIST_MAPS_TOPOLOGY(LIST, MAPS, TOPOLOGY),
    LIST_TOPOLOGY(LIST, TOPOLOGY),
    LIST_MAPS_JSON(LIST, MAPS, JSON),
    LIST_MAP_TOPOLOGY(LIST, MAP, TOPOLOGY),
    LIST_MAP_FMT(LIST, MAP, FMT),
    LIST_MAP_RAW_FMT(LIST, MAP, RAW, FMT),
    LIST_MAP_JSON(LIST, MAP, JSON),
    LIST_CONFIG_LOCAL(LIST, CONFIG, LOCAL),
    LIST_CONFIG(LIST, CONFIG),
    LIST_BLACKLIST(LIST, BLACKLIST),
    LIST_DEVICES(LIST, DEVICES),
    LIST_WILDCARDS(LIST, WILDCARDS),
    RESET_MAPS_STATS(RESET, MAPS, STATS),
    RESET_MAP_STATS(RESET, MAP, STATS),
    ADD_PATH(ADD, PATH),
    DEL_PATH(DEL, PATH),
    ADD_MAP(ADD, MAP),
    DEL_MAP(DEL, MAP),
    DEL_MAPS(DEL, MAPS),
    SWITCH_GROUP(SWITCH, MAP, GROUP),
    RECONFIGURE(Keyword.Code.RECONFIGURE),
    RECONFIGURE_ALL(Keyword.Code.RECONFIGURE, ALL),
    SUSPEND_MAP(SUSPEND, MAP),
    RESUME_MAP(RESUME, MAP),
    RESIZE_MAP(RESIZE, MAP),
    RELOAD_MAP(RELOAD, MAP),
    RESET_MAP(RESET, MAP),
    REINSTATE_PATH(REINSTATE, PATH),
    FAIL_PATH(FAIL, PATH),
    DISABLEQ_MAP(DISABLEQ, MAP),
    RESTOREQ_MAP(RESTOREQ, MAP),
    DISABLEQ_MAPS(DISABLEQ, MAPS),
    RESTOREQ_MAPS(RESTOREQ, MAPS),
    QUIT(Keyword.Code.QUIT),
    SHUTDOWN(Keyword.Code.SHUTDOWN),
    GETPRSTATUS_MAP(GETPRSTATUS, MAP),
    SETPRSTATUS_MAP(SETPRSTATUS, MAP),
    UNSETPRSTATUS_MAP(UNSETPRSTATUS, MAP),
    FORCEQ_DAEMON(FORCEQ, DAEMON),
    RESTOREQ_DAEMON(RESTOREQ, DAEMON),
    GETPRKEY_MAP(GETPRKEY, MAP),
    SETPRKEY_MAP(SETPRKEY, MAP, KEY),
    UNSETPRKEY_MAP(UNSETPRKEY, MAP),
    SETMARGINAL_PATH(SETMARGINAL, PATH),
    UNSETMARGINAL_PATH(UNSETMARGINAL, PATH),
    UNSETMARGINAL_MAP(UNSETMARGINAL, MAP);

    /** multipath-tools 0.9.4's version line, as its help prints it. */
    public static final String VERSION_STRING = "multipath-tools v0.9.4 (12/19, 2022)\n";

    private final List<Keyword.Code> fingerprint;

    Handler(Keyword.Code... codes) {
        this.fingerprint = List.of(codes);
    }

    public List<Keyword.Code> fingerprint() {
        return fingerprint;
    }

    /** Read-only: open to every client. */
    public boolean isRead() {
        return fingerprint.getFirst() == LIST;
    }

    /** The handler for a keyword sequence, or null (more than four keywords never match). */
    public static Handler find(List<Keyword.Code> fingerprint) {
        if (fingerprint.isEmpty() || fingerprint.size() > 4) {
            return null;
        }
        for (Handler h : values()) {
            if (h.fingerprint.equals(fingerprint)) {
                return h;
            }
        }
        return null;
    }

    /** multipathd's help: an optional complaint about {@code cmd}, the version, every command with its aliases. */
    public static String help(String cmd, ParsedCommand.Error error) {
        StringBuilder b = new StringBuilder();
        switch (error) {
            case EMPTY -> b.append(cmd).append(": Not enough memory\n");
            case NOT_FOUND_AT_END -> b.append(cmd).append(": not found\n");
            case MISSING_ARGUMENT -> b.append(cmd).append(": Missing argument\n");
            default -> {
            }
        }
        b.append(VERSION_STRING).append("CLI commands reference:\n");
        for (Handler h : values()) {
            for (Keyword.Code code : h.fingerprint) {
                Keyword first = Keyword.ALL.stream().filter(k -> k.code() == code).findFirst().orElseThrow();
                b.append(' ').append(first.word());
                Keyword.ALL.stream().filter(k -> k.code() == code && k != first).forEach(k -> b.append('|').append(k.word()));
                if (first.hasParam()) {
                    b.append(" $").append(first.word());
                }
            }
            b.append('\n');
        }
        return b.toString();
    }
}
