package io.mapperd.conf;

/**
 * The outcome of checking a path against the blacklist: whether it is excluded, the rule that
 * decided (null when no rule matched) and the reason in multipath-tools' words.
 */
public record BlacklistVerdict(boolean blacklisted, boolean excepted, BlacklistRule rule, String reason) {

    public static BlacklistVerdict nothing(String dev) {
        return new BlacklistVerdict(false, false, null, dev + ": no blacklist rule matches");
    }
}
