package io.mapperd.multipathd;

import io.mapperd.multipathd.command.Reply;
import io.mapperd.multipathd.control.ControlAddress;
import io.mapperd.multipathd.control.ControlClient;
import io.mapperd.multipathd.dmsetup.DmsetupClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * `bin/multipathd`: the client side of multipathd. {@code multipathd show version} or
 * {@code multipathd -k'show version'} sends one command; {@code multipathd -k} reads commands from
 * stdin, one per line. The reply is printed as it comes; exit status 1 when the daemon says "fail"
 * or cannot be reached.
 */
public final class MultipathdClient {
    private MultipathdClient() {
    }

    public static int run(String[] argv, InputStream stdin, PrintStream out, PrintStream err, Map<String, String> env) {
        ControlAddress address = DmsetupClient.address(env);
        List<String> words = new ArrayList<>();
        boolean interactive = false;
        for (String a : argv) {
            if (a.equals("-k")) {
                interactive = true;
            } else if (a.startsWith("-k")) {
                return send(address, a.substring(2), out, err);
            } else if (a.startsWith("-") && words.isEmpty()) {
                err.println("multipathd: option " + a + " is for the daemon; run the daemon with ./mapperd daemon");
                return 1;
            } else {
                words.add(a);
            }
        }
        if (!words.isEmpty()) {
            return send(address, commandLine(words), out, err);
        }
        if (!interactive) {
            err.println("usage: multipathd COMMAND... | multipathd -k[COMMAND]");
            return 1;
        }
        int rc = 0;
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
            boolean prompt = System.console() != null && stdin == System.in;
            String line;
            while (true) {
                if (prompt) {
                    out.print("multipathd> ");
                    out.flush();
                }
                if ((line = in.readLine()) == null) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                if (line.strip().equals("quit") || line.strip().equals("exit")) {
                    break;
                }
                rc = send(address, line.strip(), out, err);
            }
        } catch (IOException e) {
            err.println("multipathd: " + e.getMessage());
            return 1;
        }
        return rc;
    }

    /**
     * The line multipath-tools' client sends for its arguments: each word followed by a blank,
     * words holding a blank in double quotes, then a newline (the daemon's help quotes it back).
     */
    static String commandLine(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            b.append(w.indexOf(' ') >= 0 ? "\"" + w + "\"" : w).append(' ');
        }
        return b.append('\n').toString();
    }

    private static int send(ControlAddress address, String command, PrintStream out, PrintStream err) {
        String reply;
        try {
            reply = ControlClient.request(address, command, Duration.ofMinutes(5));
        } catch (IOException | TimeoutException e) {
            err.println("multipathd: cannot reach the daemon: " + e.getMessage());
            return 1;
        }
        if (Reply.isEnvelope(reply)) {
            Reply r = Reply.parse(reply);
            out.print(r.out());
            err.print(r.err());
            return r.rc();
        }
        out.print(reply);
        out.flush();
        return reply.equals("fail\n") || reply.startsWith("permission deny") ? 1 : 0;
    }
}
