package io.mapperd.multipathd.engine.pr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The prkeys file as multipath-tools 0.9.4's prkey.c writes and reads it. */
class PrKeysFileTest {
    static final String W1 = "36001405d3a0000000000000000000001";
    static final String W2 = "36001405d3a0000000000000000000002";

    @TempDir
    Path dir;

    @Test
    void keysAreWrittenInPlaceAppendedAndCommentedOutAsMultipathdDoes() throws Exception {
        PrKeysFile f = new PrKeysFile(dir.resolve("sub/prkeys"));
        assertEquals(Optional.empty(), f.read(W1));
        assertEquals(PrKeysFile.HEADER, Files.readString(f.file()), "a new file gets the header");
        f.write(W1, new PrKey(0x123abcL, false));
        f.write(W2, new PrKey(0xffffffffffffffffL, true));
        assertEquals(PrKeysFile.HEADER + "0x0000000000123abc " + W1 + "\n0Xffffffffffffffff " + W2 + "\n",
                Files.readString(f.file()));
        assertEquals(Optional.of(new PrKey(0x123abcL, false)), f.read(W1));
        assertEquals(Optional.of(new PrKey(-1L, true)), f.read(W2));

        f.write(W1, null);
        assertEquals(PrKeysFile.HEADER + "#x0000000000123abc " + W1 + "\n0Xffffffffffffffff " + W2 + "\n",
                Files.readString(f.file()));
        assertEquals(Optional.empty(), f.read(W1));
        f.write(W1, new PrKey(0x5L, true));
        assertEquals(PrKeysFile.HEADER + "0X0000000000000005 " + W1 + "\n0Xffffffffffffffff " + W2 + "\n",
                Files.readString(f.file()), "the commented-out line is taken again");
    }

    @Test
    void aLineNamingTheWwidInAnotherShapeIsMalformed() throws Exception {
        Path p = dir.resolve("prkeys");
        Files.writeString(p, PrKeysFile.HEADER + "0x12 " + W1 + "\n");
        IOException x = assertThrows(IOException.class, () -> new PrKeysFile(p).read(W1));
        assertTrue(x.getMessage().contains("malformed prkey file line for wwid " + W1), x.getMessage());
    }

    @Test
    void keysParseAsParsePrkeyFlagsDoes() {
        assertEquals(Optional.of(new PrKey(0x1234, false)), PrKey.parse("0x1234"));
        assertEquals(Optional.of(new PrKey(0x1234, false)), PrKey.parse("1234"));
        assertEquals(Optional.of(new PrKey(0xabcd, true)), PrKey.parse("0XABCD:aptpl"));
        assertEquals(Optional.of(new PrKey(0xabcd, false)), PrKey.parse("abcd:other"));
        assertEquals(Optional.empty(), PrKey.parse("0x"));
        assertEquals(Optional.empty(), PrKey.parse("0x12345678901234567"));
        assertEquals(Optional.empty(), PrKey.parse("0xzz"));
        assertEquals("0x1234:aptpl", new PrKey(0x1234, true).shown());
        assertEquals("0x0000000000001234", new PrKey(0x1234, false).fileForm());
    }
}
