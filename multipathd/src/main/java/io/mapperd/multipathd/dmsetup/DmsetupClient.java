package io.mapperd.multipathd.dmsetup;

import io.mapperd.multipathd.command.Reply;
import io.mapperd.multipathd.command.Words;
import io.mapperd.multipathd.control.ControlAddress;
import io.mapperd.multipathd.control.ControlClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * `bin/dmsetup`: sends its argv to the daemon as one command line and prints what comes back,
 * exiting with dmsetup's code. A table that dmsetup would read from a file or stdin is read here,
 * on the operator's side, and sent along as {@code --table}.
 */
public final class DmsetupClient {
    private DmsetupClient() {
    }

    public static int run(String[] argv, InputStream stdin, PrintStream out, PrintStream err, Map<String, String> env) {
        List<String> args = new ArrayList<>(List.of(argv));
        try {
            args = withTable(args, stdin);
        } catch (IOException e) {
            err.print(e.getMessage() + "\nCommand failed.\n");
            return 1;
        }
        if (utf8(env)) {
            args.addAll(List.of("--codeset", "UTF-8"));
        }
        ControlAddress address = address(env);
        String replyText;
        try {
            replyText = ControlClient.request(address, "dmsetup " + Words.join(args), null);
        } catch (IOException | TimeoutException e) {
            err.print("dmsetup: cannot reach the mapperd daemon: " + e.getMessage()
                    + "\n(start it with ./mapperd daemon or ./mapperd demo)\nCommand failed.\n");
            return 1;
        }
        Reply r;
        if (Reply.isEnvelope(replyText)) {
            r = Reply.parse(replyText);
        } else {
            r = new Reply("", replyText, 1);
        }
        out.print(r.out());
        out.flush();
        err.print(r.err());
        err.flush();
        return r.rc();
    }

    /** MAPPERD_SOCKET, or the default abstract name. */
    public static ControlAddress address(Map<String, String> env) {
        String s = env.get("MAPPERD_SOCKET");
        return s == null || s.isEmpty() ? ControlAddress.DEFAULT : new ControlAddress(s);
    }

    private static boolean utf8(Map<String, String> env) {
        for (String k : List.of("LC_ALL", "LC_CTYPE", "LANG")) {
            String v = env.get(k);
            if (v != null && !v.isEmpty()) {
                String l = v.toLowerCase(Locale.ROOT);
                return l.contains("utf-8") || l.contains("utf8");
            }
        }
        return false;
    }

    /** For create/load/reload without --table or --notable: the table from the file argument or stdin. */
    static List<String> withTable(List<String> args, InputStream stdin) throws IOException {
        DmsetupOptions o;
        try {
            o = DmsetupOptions.parse(args);
        } catch (DmsetupOptions.BadOption e) {
            return args;
        }
        List<String> pos = o.args();
        if (pos.isEmpty() || o.has("table") || o.has("notable")) {
            return args;
        }
        String verb = pos.getFirst();
        int fileArg;
        if (verb.equals("create")) {
            fileArg = 2;
        } else if (verb.equals("load") || verb.equals("reload")) {
            fileArg = o.has("uuid") ? 1 : 2;
        } else {
            return args;
        }
        if (verb.equals("create") && pos.size() < 2) {
            return args;
        }
        if (!verb.equals("create") && !o.has("uuid") && pos.size() < 2) {
            return args;
        }
        List<String> out = new ArrayList<>(args);
        String text;
        String source;
        if (pos.size() > fileArg) {
            String file = pos.get(fileArg);
            try {
                text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw new IOException("Couldn't open '" + file + "' for reading.");
            }
            out.remove(o.argvIndexOf(fileArg));
            source = file;
        } else {
            text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
            source = "on stdin";
        }
        out.addAll(List.of("--table", text, "--table-source", source));
        return out;
    }
}
