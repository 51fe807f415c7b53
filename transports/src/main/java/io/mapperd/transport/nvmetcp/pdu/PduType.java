package io.mapperd.transport.nvmetcp.pdu;

/** NVMe/TCP PDU types with their fixed header lengths and who may send them. */
public enum PduType {
    IC_REQ(0x00, 128, true, false, false),
    IC_RESP(0x01, 128, false, false, false),
    H2C_TERM_REQ(0x02, 24, true, false, true),
    C2H_TERM_REQ(0x03, 24, false, false, true),
    CAPSULE_CMD(0x04, 72, true, true, true),
    CAPSULE_RESP(0x05, 24, false, true, false),
    H2C_DATA(0x06, 24, true, true, true),
    C2H_DATA(0x07, 24, false, true, true),
    R2T(0x09, 24, false, true, false);

    /** Common header length: type, flags, hlen, pdo, plen. */
    public static final int CH_LEN = 8;
    public static final int FLAG_HDGSTF = 0x01;
    public static final int FLAG_DDGSTF = 0x02;
    /** H2CData/C2HData: the last PDU of a data transfer. */
    public static final int FLAG_LAST_PDU = 0x04;
    /** C2HData: the command succeeded, no CapsuleResp follows. */
    public static final int FLAG_SUCCESS = 0x08;

    private static final PduType[] BY_CODE = new PduType[16];

    static {
        for (PduType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int hlen;
    private final boolean fromHost;
    private final boolean digestible;
    private final boolean carriesData;

    PduType(int code, int hlen, boolean fromHost, boolean digestible, boolean carriesData) {
        this.code = code;
        this.hlen = hlen;
        this.fromHost = fromHost;
        this.digestible = digestible;
        this.carriesData = carriesData;
    }

    /** The type for a wire code, or null. */
    public static PduType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    public int code() {
        return code;
    }

    public int hlen() {
        return hlen;
    }

    /** True for host-to-controller PDUs. */
    public boolean fromHost() {
        return fromHost;
    }

    /** Whether header and data digests apply to this type once negotiated. */
    public boolean digestible() {
        return digestible;
    }

    public boolean carriesData() {
        return carriesData;
    }

    public boolean isTermReq() {
        return this == H2C_TERM_REQ || this == C2H_TERM_REQ;
    }
}
