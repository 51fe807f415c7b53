package io.mapperd.transport.iscsi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** CHAP with MD5 (RFC 1994, as RFC 7143 section 12.1.3 uses it): responses and challenges in hex. */
public final class Chap {
    public static final String ALGORITHM_MD5 = "5";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Chap() {
    }

    /** MD5(id || secret || challenge), as "0x..." hex. */
    public static String response(int id, String secret, byte[] challenge) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update((byte) id);
            md.update(secret.getBytes(StandardCharsets.UTF_8));
            md.update(challenge);
            return "0x" + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }

    public static byte[] newChallenge() {
        byte[] c = new byte[16];
        RANDOM.nextBytes(c);
        return c;
    }

    public static int newId() {
        return RANDOM.nextInt(256);
    }

    /** Decodes a CHAP binary value: 0x hex or 0b base64. */
    public static byte[] decodeBinary(String v) {
        if (v.startsWith("0x") || v.startsWith("0X")) {
            String h = v.substring(2);
            if ((h.length() & 1) != 0) {
                h = "0" + h;
            }
            return HexFormat.of().parseHex(h);
        }
        if (v.startsWith("0b") || v.startsWith("0B")) {
            return java.util.Base64.getDecoder().decode(v.substring(2));
        }
        throw new IllegalArgumentException("CHAP value is neither 0x hex nor 0b base64: " + v);
    }

    public static String hex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }
}
