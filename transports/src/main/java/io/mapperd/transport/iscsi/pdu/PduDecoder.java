package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;
import java.util.zip.CRC32C;

/**
 * Frames and decodes PDUs in both directions (the initiator and target-sim share it). Lengths from
 * the wire are checked before anything is allocated or waited for: a data segment longer than the
 * negotiated limit, an unknown opcode, or a digest mismatch fail the decode with a {@link PduException}.
 */
public final class PduDecoder extends ByteToMessageDecoder {
    /** Before login negotiates a limit: RFC 7143's default MaxRecvDataSegmentLength is 8192, but
     * targets send login and text responses as large as they please within reason. */
    public static final int LOGIN_DATA_LIMIT = 1 << 16;

    private volatile int maxDataSegment;
    private volatile boolean headerDigest;
    private volatile boolean dataDigest;

    public PduDecoder(int maxDataSegment) {
        this.maxDataSegment = maxDataSegment;
    }

    public void maxDataSegment(int bytes) {
        this.maxDataSegment = bytes;
    }

    public void digests(boolean header, boolean data) {
        this.headerDigest = header;
        this.dataDigest = data;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // One PDU per call: a handler may change digests or limits after a login PDU.
        if (in.readableBytes() >= Pdu.BHS_LENGTH) {
            Pdu p = decodeOne(in);
            if (p != null) {
                out.add(p);
            }
        }
    }

    /** Decodes one PDU from {@code in} or returns null (nothing consumed) when it is not all there. */
    public Pdu decodeOne(ByteBuf in) {
        int start = in.readerIndex();
        int opcode = in.getByte(start) & 0x3f;
        if (!known(opcode)) {
            throw new PduException("unknown or unsupported PDU " + Opcode.name(opcode));
        }
        int ahs = in.getUnsignedByte(start + 4) * 4;
        int dataLen = in.getUnsignedMedium(start + 5);
        if (dataLen > maxDataSegment) {
            throw new PduException(Opcode.name(opcode) + " with a data segment of " + dataLen
                    + " bytes exceeds MaxRecvDataSegmentLength " + maxDataSegment);
        }
        int headerLen = Pdu.BHS_LENGTH + ahs + (headerDigest ? 4 : 0);
        int padded = (dataLen + 3) & ~3;
        int total = headerLen + padded + (dataDigest && dataLen > 0 ? 4 : 0);
        if (in.readableBytes() < total) {
            return null;
        }
        if (headerDigest) {
            int want = Integer.reverseBytes(in.getInt(start + Pdu.BHS_LENGTH + ahs));
            int got = Digests.crc32c(in, start, Pdu.BHS_LENGTH + ahs);
            if (want != got) {
                throw new PduException(String.format("header digest error on %s: got 0x%08x, computed 0x%08x",
                        Opcode.name(opcode), want, got));
            }
        }
        if (dataDigest && dataLen > 0) {
            int want = Integer.reverseBytes(in.getInt(start + headerLen + padded));
            CRC32C crc = new CRC32C();
            Digests.update(crc, in, start + headerLen, padded);
            if (want != (int) crc.getValue()) {
                throw new PduException(String.format("data digest error on %s: got 0x%08x, computed 0x%08x",
                        Opcode.name(opcode), want, (int) crc.getValue()));
            }
        }
        ByteBuf bhs = in.slice(start, Pdu.BHS_LENGTH);
        ByteBuf data = in.retainedSlice(start + headerLen, dataLen);
        in.readerIndex(start + total);
        try {
            return decode(opcode, bhs, data);
        } catch (RuntimeException e) {
            data.release();
            throw e;
        }
    }

    private static boolean known(int opcode) {
        return switch (opcode) {
            case Opcode.NOP_OUT, Opcode.SCSI_COMMAND, Opcode.TASK_MGMT_REQUEST, Opcode.LOGIN_REQUEST,
                 Opcode.TEXT_REQUEST, Opcode.DATA_OUT, Opcode.LOGOUT_REQUEST, Opcode.NOP_IN, Opcode.SCSI_RESPONSE,
                 Opcode.TASK_MGMT_RESPONSE, Opcode.LOGIN_RESPONSE, Opcode.TEXT_RESPONSE, Opcode.DATA_IN,
                 Opcode.LOGOUT_RESPONSE, Opcode.R2T, Opcode.ASYNC_MESSAGE, Opcode.REJECT -> true;
            default -> false;
        };
    }

    private static Pdu decode(int opcode, ByteBuf bhs, ByteBuf data) {
        return switch (opcode) {
            case Opcode.NOP_OUT -> NopOut.decode(bhs, data);
            case Opcode.SCSI_COMMAND -> ScsiCommand.decode(bhs, data);
            case Opcode.TASK_MGMT_REQUEST -> TaskMgmtRequest.decode(bhs, data);
            case Opcode.LOGIN_REQUEST -> LoginRequest.decode(bhs, data);
            case Opcode.TEXT_REQUEST -> TextRequest.decode(bhs, data);
            case Opcode.DATA_OUT -> DataOut.decode(bhs, data);
            case Opcode.LOGOUT_REQUEST -> LogoutRequest.decode(bhs, data);
            case Opcode.NOP_IN -> NopIn.decode(bhs, data);
            case Opcode.SCSI_RESPONSE -> ScsiResponse.decode(bhs, data);
            case Opcode.TASK_MGMT_RESPONSE -> TaskMgmtResponse.decode(bhs, data);
            case Opcode.LOGIN_RESPONSE -> LoginResponse.decode(bhs, data);
            case Opcode.TEXT_RESPONSE -> TextResponse.decode(bhs, data);
            case Opcode.DATA_IN -> DataIn.decode(bhs, data);
            case Opcode.LOGOUT_RESPONSE -> LogoutResponse.decode(bhs, data);
            case Opcode.R2T -> R2t.decode(bhs, data);
            case Opcode.ASYNC_MESSAGE -> AsyncMessage.decode(bhs, data);
            case Opcode.REJECT -> Reject.decode(bhs, data);
            default -> throw new PduException("unknown PDU " + Opcode.name(opcode));
        };
    }
}
