package io.mapperd.prioritizers;

import io.mapperd.checkers.CheckedPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * weightedpath: priorities given in prio_args against one identity of the path, as
 * libmultipath/prioritizers/weightedpath.c reads them:
 * {@code hbtl|devname|serial|wwn REGEX1 PRIO1 REGEX2 PRIO2 ...}. The first extended regular
 * expression found anywhere in the identity gives the priority; none gives 0. hbtl is
 * host:bus:target:lun, wwn is host_wwnn:host_wwpn:target_wwnn:target_wwpn (only the target node
 * name is known for network paths; the rest read "[undef]"). A regex that does not compile is
 * skipped, as regcomp failing skips it; an unknown first word is an error logged, giving 0.
 */
public final class WeightedPathPrioritizer implements Prioritizer {
    private static final Logger log = LoggerFactory.getLogger(WeightedPathPrioritizer.class);
    public static final String NAME = "weightedpath";
    static final int DEFAULT_PRIORITY = 0;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int getprio(CheckedPath path, String args, Duration timeout) {
        if (args == null || args.isBlank()) {
            return DEFAULT_PRIORITY;
        }
        String[] w = args.trim().split("[ \t]+");
        String subject = switch (w[0]) {
            case "hbtl" -> path.hcil();
            case "devname" -> path.devName();
            case "serial" -> path.serial();
            case "wwn" -> "[undef]:[undef]:" + path.targetNodeName() + ":[undef]";
            default -> null;
        };
        if (subject == null) {
            log.error("{}: {} - Invalid arguments", path.devName(), NAME);
            return DEFAULT_PRIORITY;
        }
        for (int i = 1; i + 1 < w.length; i += 2) {
            Pattern p;
            try {
                p = Pattern.compile(w[i]);
            } catch (PatternSyntaxException e) {
                continue;
            }
            if (p.matcher(subject).find()) {
                return atoi(w[i + 1]);
            }
        }
        return DEFAULT_PRIORITY;
    }

    /** C's atoi: the leading decimal number, 0 if none. */
    static int atoi(String s) {
        int i = 0;
        int sign = 1;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            sign = s.charAt(i) == '-' ? -1 : 1;
            i++;
        }
        long v = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && v < Integer.MAX_VALUE) {
            v = v * 10 + (s.charAt(i++) - '0');
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, sign * v));
    }
}
