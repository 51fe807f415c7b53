package io.mapperd.multipathd.engine.pr;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A persistent reservation key as multipath-tools handles it (libmultipath/prkey.c): up to 16 hex
 * digits after an optional "0x", and the APTPL flag (":aptpl" when typed, a capital "0X" in the
 * prkeys file). Key 0 means none.
 */
public record PrKey(long key, boolean aptpl) {
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{1,16}");

    /** parse_prkey_flags: "0x1234", "1234", "0x1234:aptpl"; empty when malformed. */
    public static Optional<PrKey> parse(String text) {
        String k = text;
        boolean aptpl = false;
        int colon = text.indexOf(':');
        if (colon >= 0) {
            k = text.substring(0, colon);
            aptpl = text.substring(colon + 1).equals("aptpl");
        }
        boolean flag = aptpl;
        return parseKey(k).map(v -> new PrKey(v, flag));
    }

    /** parse_prkey: an optional leading "0", an optional "x"/"X", then 1 to 16 hex digits. */
    static Optional<Long> parseKey(String text) {
        String k = text;
        if (k.startsWith("0")) {
            k = k.substring(1);
        }
        if (k.startsWith("x") || k.startsWith("X")) {
            k = k.substring(1);
        }
        if (!HEX.matcher(k).matches()) {
            return Optional.empty();
        }
        return Optional.of(Long.parseUnsignedLong(k, 16));
    }

    /** The key as the prkeys file holds it: 0x (0X with APTPL) and 16 hex digits. */
    public String fileForm() {
        return (aptpl ? "0X" : "0x") + String.format("%016x", key);
    }

    /** As multipathd prints it (getprkey, show config): "0x1234" or "0x1234:aptpl". */
    public String shown() {
        return "0x" + Long.toHexString(key) + (aptpl ? ":aptpl" : "");
    }
}
