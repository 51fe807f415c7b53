package io.mapperd.multipathd.command;

import java.nio.charset.StandardCharsets;

/**
 * What a CLI command produced: the text for stdout, the text for stderr and the exit code. Over
 * the socket it travels as an envelope the client unpacks: a header line
 * {@code mapperd-reply RC OUT_BYTES ERR_BYTES}, then stdout's bytes, then stderr's.
 */
public record Reply(String out, String err, int rc) {
    public static final String ENVELOPE = "mapperd-reply";

    public static Reply ok(String out) {
        return new Reply(out, "", 0);
    }

    public String envelope() {
        return ENVELOPE + " " + rc + " " + bytes(out) + " " + bytes(err) + "\n" + out + err;
    }

    public static boolean isEnvelope(String text) {
        return text.startsWith(ENVELOPE + " ");
    }

    /** Unpacks an envelope; fails with what is wrong if the text is not one. */
    public static Reply parse(String text) {
        int nl = text.indexOf('\n');
        if (!isEnvelope(text) || nl < 0) {
            throw new IllegalArgumentException("not a mapperd reply: " + abbreviate(text));
        }
        String[] h = text.substring(0, nl).split(" ");
        if (h.length != 4) {
            throw new IllegalArgumentException("bad mapperd reply header: " + text.substring(0, nl));
        }
        int rc = Integer.parseInt(h[1]);
        int outBytes = Integer.parseInt(h[2]);
        int errBytes = Integer.parseInt(h[3]);
        byte[] body = text.substring(nl + 1).getBytes(StandardCharsets.UTF_8);
        if (body.length != outBytes + errBytes) {
            throw new IllegalArgumentException("mapperd reply body has " + body.length + " bytes, header says " + (outBytes + errBytes));
        }
        return new Reply(new String(body, 0, outBytes, StandardCharsets.UTF_8),
                new String(body, outBytes, errBytes, StandardCharsets.UTF_8), rc);
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
