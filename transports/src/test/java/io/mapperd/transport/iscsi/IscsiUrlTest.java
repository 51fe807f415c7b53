package io.mapperd.transport.iscsi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IscsiUrlTest {
    @Test
    void parsesLibiscsiStyleUrls() {
        IscsiUrl u = IscsiUrl.parse("iscsi://alice%s3cret@127.0.0.1:3261/iqn.2026-01.org.example:disk1/2");
        assertEquals("127.0.0.1", u.host());
        assertEquals(3261, u.port());
        assertEquals("iqn.2026-01.org.example:disk1", u.target());
        assertEquals(2, u.lun());
        assertEquals("alice", u.user());
        assertEquals("s3cret", u.password());
        assertEquals("iscsi://127.0.0.1:3261/iqn.2026-01.org.example:disk1/2", u.display());
        IscsiUrl p = IscsiUrl.parse("iscsi://10.0.0.1");
        assertEquals(3260, p.port());
        assertNull(p.target());
    }

    @Test
    void badUrlsSayWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IscsiUrl.parse("nbd://x")).getMessage().contains("not an iSCSI URL"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IscsiUrl.parse("iscsi://h:99999/iqn/1")).getMessage().contains("invalid port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IscsiUrl.parse("iscsi://h/iqn/x")).getMessage().contains("invalid LUN"));
    }
}
