package io.mapperd.multipathd.engine.pr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * multipath-tools' prkeys file (libmultipath/prkey.c): a header, then one line per WWID,
 * {@code 0x<16 hex digits> WWID} ({@code 0X} with APTPL). A key is changed in place, a new one
 * appended, and an unset one commented out by writing "#" over its first character, so the file
 * stays byte for byte what multipathd would leave. Each call opens, locks and closes the file.
 */
public final class PrKeysFile {
    public static final String HEADER = """
            # Multipath persistent reservation keys, Version : 1.0
            # NOTE: this file is automatically maintained by the multipathd program.
            # You should not need to edit this file in normal circumstances.
            #
            # Format:
            # prkey wwid
            #
            """;
    /** "0x" and 16 hex digits. */
    static final int KEY_CHARS = 18;

    private final Path file;

    public PrKeysFile(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The key stored for {@code wwid}, empty when none (or commented out). */
    public Optional<PrKey> read(String wwid) throws IOException {
        try (FileChannel ch = open(); FileLock ignored = ch.lock()) {
            String text = contents(ch);
            int at = find(text, wwid);
            if (at < 0 || text.charAt(at) == '#') {
                return Optional.empty();
            }
            String keystr = text.substring(at, at + KEY_CHARS);
            Optional<Long> k = PrKey.parseKey(keystr);
            if (k.isEmpty()) {
                throw new IOException(file + ": malformed prkey file line for wwid " + wwid + ": " + keystr);
            }
            return Optional.of(new PrKey(k.get(), keystr.indexOf('X') >= 0));
        }
    }

    /** Stores {@code key} for {@code wwid}; null (or key 0) comments the stored one out. */
    public void write(String wwid, PrKey key) throws IOException {
        try (FileChannel ch = open(); FileLock ignored = ch.lock()) {
            String text = contents(ch);
            int at = find(text, wwid);
            boolean none = key == null || key.key() == 0;
            if (none) {
                if (at >= 0) {
                    ch.write(ByteBuffer.wrap(new byte[] {'#'}), bytes(text.substring(0, at)));
                }
            } else if (at >= 0) {
                ch.write(ByteBuffer.wrap(key.fileForm().getBytes(StandardCharsets.US_ASCII)), bytes(text.substring(0, at)));
            } else {
                ch.write(ByteBuffer.wrap((key.fileForm() + " " + wwid + "\n").getBytes(StandardCharsets.UTF_8)), ch.size());
            }
            ch.force(false);
        }
    }

    private FileChannel open() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        if (ch.size() == 0) {
            ch.write(ByteBuffer.wrap(HEADER.getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
        }
        return ch;
    }

    private static String contents(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) ch.size());
        while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
            // read it all
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    /** Where the key of {@code wwid}'s line starts, or -1; a line naming it in another shape is an error. */
    private int find(String text, String wwid) throws IOException {
        int from = 0;
        while (true) {
            int at = text.indexOf(wwid, from);
            if (at < 0) {
                return -1;
            }
            int end = at + wwid.length();
            if (at > 0 && text.charAt(at - 1) == ' ' && end < text.length() && text.charAt(end) == '\n') {
                int start = at - 1 - KEY_CHARS;
                if (start < 0 || start > 0 && text.charAt(start - 1) != '\n') {
                    throw new IOException(file + ": malformed prkey file line for wwid " + wwid);
                }
                return start;
            }
            from = end;
        }
    }

    private static long bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
