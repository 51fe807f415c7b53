package io.mapperd.multipathd.dmsetup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One case of the reference captures (reference/dmsetup/CASE/, see its INDEX.md): the commands in
 * the order they ran and, per command, what the real tools printed and the kernel logged.
 */
record ReferenceCase(String name, List<Command> commands) {
    static final String ROOT = "/reference/dmsetup/";
    private static final Pattern CASE_HEADING = Pattern.compile("^### `([^`]+)`$", Pattern.MULTILINE);

    /** One row of commands.tsv: its slug (NN-what), the command line as captured, and its words. */
    record Command(String refCase, String slug, String line, List<String> words) {
        String program() {
            return words.getFirst();
        }

        String out() {
            return resource(refCase, slug + ".out");
        }

        String err() {
            return resource(refCase, slug + ".err");
        }

        int rc() {
            return Integer.parseInt(resource(refCase, slug + ".rc").strip());
        }

        /** What the kernel logged (only captured for commands that change state). */
        Optional<String> dmesg() {
            return optionalResource(refCase, slug + ".dmesg");
        }

        /** "case/NN-slug", how the test names a command. */
        String id() {
            return refCase + "/" + slug;
        }
    }

    /** Every case of INDEX.md, in the order the reference VM ran them (one boot). */
    static List<ReferenceCase> all() {
        List<ReferenceCase> cases = new ArrayList<>();
        Matcher m = CASE_HEADING.matcher(resource("", "INDEX.md"));
        while (m.find()) {
            cases.add(load(m.group(1)));
        }
        if (cases.isEmpty()) {
            throw new IllegalStateException(ROOT + "INDEX.md lists no case (### `name` headings)");
        }
        return cases;
    }

    static ReferenceCase load(String name) {
        List<Command> commands = new ArrayList<>();
        for (String row : resource(name, "commands.tsv").split("\n")) {
            if (row.isBlank()) {
                continue;
            }
            String[] f = row.split("\t", 2);
            if (f.length != 2) {
                throw new IllegalStateException(name + "/commands.tsv: not SLUG<TAB>COMMAND: " + row);
            }
            commands.add(new Command(name, f[0], f[1], ShellWords.split(f[1])));
        }
        return new ReferenceCase(name, List.copyOf(commands));
    }

    private static String resource(String refCase, String file) {
        return optionalResource(refCase, file).orElseThrow(() -> new IllegalStateException(
                "missing reference fixture " + ROOT + (refCase.isEmpty() ? "" : refCase + "/") + file));
    }

    private static Optional<String> optionalResource(String refCase, String file) {
        String path = ROOT + (refCase.isEmpty() ? "" : refCase + "/") + file;
        try (InputStream in = ReferenceCase.class.getResourceAsStream(path)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(path + ": " + e.getMessage(), e);
        }
    }
}
