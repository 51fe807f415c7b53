package io.mapperd.multipathd.console;

import io.mapperd.multipathd.command.Reply;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The line discipline of the serial console, apart from the port: bytes typed come in, what the
 * terminal should show goes out. It echoes what is typed, takes backspace/DEL and Ctrl-U, ends a
 * line on CR or LF (CR LF counts once), answers each line through {@code commands} and prints the
 * prompt again, with CR LF line ends as a terminal wants them. {@code quit}/{@code exit} just
 * print a new prompt: the console stays for the next operator.
 */
public final class ConsoleSession {
    public static final String PROMPT = "multipathd> ";
    private static final int MAX_LINE = 4096;

    private final Function<String, String> commands;
    private final StringBuilder line = new StringBuilder();
    private boolean lastWasCr;

    public ConsoleSession(Function<String, String> commands) {
        this.commands = commands;
    }

    /** What to send when the console opens. */
    public byte[] greeting() {
        return PROMPT.getBytes(StandardCharsets.UTF_8);
    }

    /** Takes typed bytes; returns what to send back (echo, replies, prompts). */
    public byte[] input(byte[] data, int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < len; i++) {
            int b = data[i] & 0xff;
            if (b == '\n' && lastWasCr) {
                lastWasCr = false;
                continue;
            }
            lastWasCr = b == '\r';
            if (b == '\r' || b == '\n') {
                write(out, "\r\n");
                String cmd = line.toString().strip();
                line.setLength(0);
                if (!cmd.isEmpty() && !cmd.equals("quit") && !cmd.equals("exit")) {
                    write(out, crlf(answer(cmd)));
                }
                write(out, PROMPT);
            } else if (b == 0x7f || b == 0x08) {
                if (!line.isEmpty()) {
                    line.setLength(line.length() - 1);
                    write(out, "\b \b");
                }
            } else if (b == 0x15) {
                write(out, "\b \b".repeat(line.length()));
                line.setLength(0);
            } else if (b >= 0x20 && line.length() < MAX_LINE) {
                line.append((char) b);
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private String answer(String cmd) {
        String reply = commands.apply(cmd);
        if (Reply.isEnvelope(reply)) {
            Reply r = Reply.parse(reply);
            return r.out() + r.err();
        }
        return reply;
    }

    static String crlf(String s) {
        return s.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
