package io.mapperd.conf.parse;

import io.mapperd.conf.ConfigFile;
import io.mapperd.conf.ConfigFileBuilder;
import io.mapperd.conf.ConfigFileBuilder.Entry;
import io.mapperd.conf.Keyword;
import io.mapperd.conf.RuleKind;
import io.mapperd.conf.Severity;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads multipath.conf syntax the way multipath-tools' parser does: line by line, one keyword per
 * line, sections opened by a section word and "{" and closed by "}". Unknown keywords and bad
 * values are reported with file and line and ignored; what multipath-tools refuses (an invalid
 * blacklist regex, an invalid reservation_key) is reported as an error. Never throws on content.
 */
public final class ConfParser {
    private final String[] lines;
    private final ConfigFileBuilder out;
    private int lineNr;

    private ConfParser(String text, ConfigFileBuilder out) {
        this.lines = text.split("\n", -1);
        this.out = out;
    }

    /** Parses {@code text}, reporting problems against {@code file}. */
    public static ConfigFile parse(String text, String file) {
        return parse(text, file, false);
    }

    /** Parses {@code text}; {@code builtin} marks mapperd's own resources (built-in defaults and hardware table). */
    public static ConfigFile parse(String text, String file, boolean builtin) {
        ConfigFileBuilder b = new ConfigFileBuilder(file, builtin);
        new ConfParser(text, b).stream(Level.ROOT, null, 0, null);
        return b.build();
    }

    private String nextLine() {
        if (lineNr >= lines.length || (lineNr == lines.length - 1 && lines[lineNr].isEmpty())) {
            return null;
        }
        String l = lines[lineNr++];
        int cr = l.indexOf('\r');
        return cr >= 0 ? l.substring(0, cr) : l;
    }

    private void warn(String message) {
        out.problem(Severity.WARNING, lineNr, message);
    }

    /** Processes lines of one level until its closing "}" (or the end of the file). */
    private void stream(Level level, String sectionWord, int kwLevel, Entry entry) {
        Set<String> seen = new HashSet<>();
        String line;
        while ((line = nextLine()) != null) {
            List<Token> tokens = LineTokenizer.tokenize(line);
            if (tokens.isEmpty() || !validate(tokens)) {
                continue;
            }
            String word = tokens.get(0).text();
            if (tokens.get(0).is("}")) {
                if (kwLevel > 0) {
                    return;
                }
                warn("unmatched '}'");
            }
            if (!handle(level, word, tokens, seen, kwLevel, entry)) {
                if (sectionWord != null) {
                    warn("invalid keyword in the " + sectionWord + " section: " + word);
                } else {
                    warn("invalid keyword: " + word);
                }
            }
        }
        if (kwLevel == 1) {
            out.problem(Severity.WARNING, lineNr, "missing '}' at end of " + out.file());
        }
    }

    /** Handles one line at {@code level}; false when the keyword is unknown there. */
    private boolean handle(Level level, String word, List<Token> tokens, Set<String> seen, int kwLevel, Entry entry) {
        Level sub = level.sublevel(word);
        if (sub != null) {
            duplicate(level, word, seen);
            Entry child = open(sub);
            stream(sub, word, kwLevel + 1, child);
            return true;
        }
        int at = lineNr;
        switch (level) {
            case BLACKLIST, EXCEPTIONS -> {
                RuleKind kind = ruleKind(word);
                if (kind == null) {
                    return false;
                }
                out.rule(level == Level.EXCEPTIONS, kind, value(tokens), at);
                return true;
            }
            case BLACKLIST_DEVICE, EXCEPTIONS_DEVICE -> {
                if (!word.equals("vendor") && !word.equals("product")) {
                    return false;
                }
                duplicate(level, word, seen);
                out.deviceRulePart(entry, word, value(tokens), at);
                return true;
            }
            case ROOT, DEVICES, MULTIPATHS, TRANSPORTS -> {
                return false;
            }
            default -> {
                Optional<Keyword> kw = ConfigFileBuilder.keyword(entry, word);
                if (kw.isEmpty()) {
                    return false;
                }
                duplicate(level, word, seen);
                out.set(entry, kw.get(), value(tokens), at);
                return true;
            }
        }
    }

    private void duplicate(Level level, String word, Set<String> seen) {
        if (!level.repeatable(word) && !seen.add(word)) {
            warn("duplicate keyword: " + word);
        }
    }

    private Entry open(Level sub) {
        int at = lineNr;
        return switch (sub) {
            case DEFAULTS -> out.defaults();
            case OVERRIDES -> out.overrides();
            case DEVICE -> out.newDevice(at);
            case PROTOCOL -> out.newProtocol(at);
            case MULTIPATH -> out.newMultipath(at);
            case BLACKLIST_DEVICE -> out.newBlacklistDevice(false, at);
            case EXCEPTIONS_DEVICE -> out.newBlacklistDevice(true, at);
            case ISCSI_PORTAL -> out.newIscsiPortal(at);
            case NVME_DISCOVERY -> out.newNvmeDiscovery(at);
            default -> null;
        };
    }

    private static RuleKind ruleKind(String word) {
        for (RuleKind k : RuleKind.values()) {
            if (k != RuleKind.DEVICE && k.keyword().equals(word)) {
                return k;
            }
        }
        return null;
    }

    /** The value of a keyword line: the second token, or the quoted string ("" for empty quotes). */
    private static String value(List<Token> tokens) {
        Token t = tokens.get(1);
        if (!t.quote()) {
            return t.text();
        }
        if (tokens.size() > 2 && !tokens.get(2).quote()) {
            return tokens.get(2).text();
        }
        return "";
    }

    /** multipath-tools' line checks: false when the line is skipped. */
    private boolean validate(List<Token> v) {
        Token first = v.get(0);
        if (first.is("}")) {
            if (v.size() > 1) {
                warn("ignoring extra data starting with '" + v.get(1).text() + "'");
            }
            return true;
        }
        if (first.is("{")) {
            warn("invalid keyword '{'");
            return false;
        }
        if (first.quote()) {
            warn("invalid keyword '\"'");
            return false;
        }
        if (Level.BRACED.contains(first.text())) {
            if (v.size() < 2) {
                warn("missing '{'");
            } else if (!v.get(1).is("{")) {
                warn("expecting '{', found '" + v.get(1).text() + "'");
            } else if (v.size() > 2) {
                warn("ignoring extra data starting with '" + v.get(2).text() + "'");
            }
            return true;
        }
        if (v.size() < 2) {
            warn("missing value for option '" + first.text() + "'");
            return false;
        }
        if (!v.get(1).quote()) {
            if (v.size() > 2) {
                warn("ignoring extra data starting with '" + v.get(2).text() + "'");
            }
            return true;
        }
        if (v.size() == 2) {
            warn("missing closing quotes");
            return true;
        }
        if (v.get(2).quote()) {
            if (v.size() > 3) {
                warn("ignoring extra data starting with '" + v.get(3).text() + "'");
            }
            return true;
        }
        if (v.size() == 3) {
            warn("missing closing quotes");
            return true;
        }
        if (!v.get(3).quote()) {
            warn("parsing error starting with '" + v.get(3).text() + "'");
            return false;
        }
        if (v.size() > 4) {
            warn("ignoring extra data starting with '" + v.get(4).text() + "'");
        }
        return true;
    }
}
