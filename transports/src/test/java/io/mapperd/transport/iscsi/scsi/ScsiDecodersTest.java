package io.mapperd.transport.iscsi.scsi;

import io.mapperd.dm.io.BlkStatus;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScsiDecodersTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void fixedSenseForAluaStandbyIsAPathError() {
        byte[] b = hex("70 00 02 00000000 0a 00000000 04 0b 00 000000");
        Sense s = Sense.decode(Unpooled.wrappedBuffer(b), 0, b.length);
        assertEquals(SenseKey.NOT_READY, s.key());
        ScsiCondition c = ScsiCondition.classify(ScsiStatus.CHECK_CONDITION, s);
        assertEquals(ScsiCondition.ALUA_STANDBY, c);
        assertTrue(c.blkStatus().isPathError());
    }

    @Test
    void descriptorSenseForAMediumErrorIsADataErrorWithItsLba() {
        byte[] b = hex("72 03 11 00 000000 0c 00 0a 80 00 0000000000001234");
        Sense s = Sense.decode(Unpooled.wrappedBuffer(b), 0, b.length);
        assertEquals(SenseKey.MEDIUM_ERROR, s.key());
        assertEquals(0x11, s.asc());
        assertEquals(0x1234, s.information().orElseThrow());
        assertEquals(BlkStatus.MEDIUM, ScsiCondition.fromSense(s).blkStatus());
        assertFalse(ScsiCondition.fromSense(s).isPathError());
    }

    @Test
    void illegalRequestsAreDataErrorsAndTransitioningIsAPathError() {
        assertEquals(BlkStatus.NOTSUPP, ScsiCondition.fromSense(Sense.of(SenseKey.ILLEGAL_REQUEST, 0x20, 0)).blkStatus());
        assertEquals(BlkStatus.TARGET, ScsiCondition.fromSense(Sense.of(SenseKey.ILLEGAL_REQUEST, 0x24, 0)).blkStatus());
        assertTrue(ScsiCondition.fromSense(Sense.of(SenseKey.NOT_READY, 0x04, 0x0a)).isPathError());
        assertTrue(ScsiCondition.fromSense(Sense.of(SenseKey.NOT_READY, 0x04, 0x0c)).isPathError());
        assertEquals(ScsiCondition.RESERVATION_CONFLICT, ScsiCondition.classify(ScsiStatus.RESERVATION_CONFLICT, null));
    }

    @Test
    void truncatedSenseReadsMissingFieldsAsZero() {
        byte[] b = hex("70 00 06");
        Sense s = Sense.decode(Unpooled.wrappedBuffer(b), 0, b.length);
        assertEquals(SenseKey.UNIT_ATTENTION, s.key());
        assertEquals(0, s.asc());
        assertThrows(IllegalArgumentException.class, () -> Sense.decode(Unpooled.wrappedBuffer(hex("7f 00")), 0, 2));
    }

    @Test
    void fixedSenseWrittenByTheSimulatorDecodes() {
        var buf = Unpooled.buffer();
        Sense.of(SenseKey.NOT_READY, 0x04, 0x0b).writeFixed(buf);
        assertEquals(18, buf.readableBytes());
        assertTrue(Sense.decode(buf, 0, 18).is(SenseKey.NOT_READY, 0x04, 0x0b));
    }

    @Test
    void deviceIdentificationListsEveryDesignatorAndRefusesOverruns() {
        byte[] page = hex("00 83 0020"
                + "01 03 0008 6001405abcdef012"
                + "61 94 0004 00000001"
                + "61 95 0004 00000010");
        DeviceIdentification d = DeviceIdentification.decode(ByteBuffer.wrap(page));
        assertEquals(3, d.designators().size());
        assertEquals(6, d.wwid().orElseThrow().naaType());
        assertEquals(1, d.find(Designator.TYPE_RELATIVE_PORT).orElseThrow().number());
        assertEquals(16, d.find(Designator.TYPE_TARGET_PORT_GROUP).orElseThrow().number());
        byte[] bad = hex("00 83 0008 01 03 0010 6001405a");
        assertThrows(IllegalArgumentException.class, () -> DeviceIdentification.decode(ByteBuffer.wrap(bad)));
    }

    @Test
    void reportTargetPortGroupsDecodesStatesAndPorts() {
        byte[] d = hex("00000018"
                + "80 0f 0010 00 00 00 01 00000001"
                + "01 0f 0011 00 00 00 01 00000002");
        TargetPortGroups g = TargetPortGroups.decode(ByteBuffer.wrap(d));
        assertEquals(2, g.groups().size());
        assertEquals(AluaState.ACTIVE_OPTIMIZED, g.group(16).orElseThrow().state());
        assertTrue(g.group(16).orElseThrow().preferred());
        assertEquals(AluaState.ACTIVE_NON_OPTIMIZED, g.group(17).orElseThrow().state());
        assertEquals(List.of(2), g.group(17).orElseThrow().relativePorts());
    }

    @Test
    void readCapacityRefusesANonsenseBlockLength() {
        byte[] d = hex("0000000000003fff 00000200 00 00 8000 0000000000000000");
        ReadCapacity c = ReadCapacity.decode(ByteBuffer.wrap(d));
        assertEquals(0x4000L * 512, c.bytes());
        assertTrue(c.lbpme());
        byte[] bad = hex("0000000000003fff 00000300 00000000 0000000000000000");
        assertThrows(IllegalArgumentException.class, () -> ReadCapacity.decode(ByteBuffer.wrap(bad)));
    }
}
