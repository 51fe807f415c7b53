package io.mapperd.transport.nvmetcp;

/** Opcodes, property offsets and identifiers of the NVMe base and Fabrics specs used here. */
public final class NvmeOpcodes {
    private NvmeOpcodes() {
    }

    // Admin command set
    public static final int ADMIN_GET_LOG_PAGE = 0x02;
    public static final int ADMIN_IDENTIFY = 0x06;
    public static final int ADMIN_SET_FEATURES = 0x09;
    public static final int ADMIN_GET_FEATURES = 0x0A;
    public static final int ADMIN_ASYNC_EVENT = 0x0C;
    public static final int ADMIN_KEEP_ALIVE = 0x18;
    public static final int FABRICS = 0x7F;

    // Fabrics command types
    public static final int FCTYPE_PROPERTY_SET = 0x00;
    public static final int FCTYPE_CONNECT = 0x01;
    public static final int FCTYPE_PROPERTY_GET = 0x04;

    // NVM command set
    public static final int IO_FLUSH = 0x00;
    public static final int IO_WRITE = 0x01;
    public static final int IO_READ = 0x02;
    public static final int IO_WRITE_ZEROES = 0x08;
    public static final int IO_DSM = 0x09;

    // Identify CNS values
    public static final int CNS_NAMESPACE = 0x00;
    public static final int CNS_CONTROLLER = 0x01;
    public static final int CNS_ACTIVE_NS_LIST = 0x02;
    public static final int CNS_NS_DESC_LIST = 0x03;

    // Log pages
    public static final int LOG_ERROR = 0x01;
    public static final int LOG_SMART = 0x02;
    public static final int LOG_ANA = 0x0C;
    public static final int LOG_DISCOVERY = 0x70;

    // Features
    public static final int FEAT_NUM_QUEUES = 0x07;
    public static final int FEAT_ASYNC_EVENT = 0x0B;
    public static final int FEAT_KATO = 0x0F;
    /** Async event configuration bits. */
    public static final int AEN_CFG_NS_ATTR = 1 << 8;
    public static final int AEN_CFG_ANA_CHANGE = 1 << 11;
    public static final int AEN_CFG_DISC_CHANGE = 1 << 31;

    // Asynchronous event completion (dword 0): type, info, log page
    public static final int AER_TYPE_NOTICE = 0x2;
    public static final int AER_NOTICE_NS_CHANGED = 0x00;
    public static final int AER_NOTICE_ANA = 0x03;
    public static final int AER_NOTICE_DISC_CHANGED = 0xF0;

    // Controller properties
    public static final int PROP_CAP = 0x00;
    public static final int PROP_VS = 0x08;
    public static final int PROP_CC = 0x14;
    public static final int PROP_CSTS = 0x1C;
    /** CC: EN, I/O SQ entry size 2^6, I/O CQ entry size 2^4, NVM command set, 4 KiB pages. */
    public static final int CC_ENABLE = 1 | (6 << 16) | (4 << 20);
    public static final int CSTS_RDY = 1;
    public static final int CSTS_CFS = 2;

    public static final String DISCOVERY_NQN = "nqn.2014-08.org.nvmexpress.discovery";
    public static final int DISCOVERY_PORT = 8009;
    public static final int DEFAULT_PORT = 4420;
    /** In-capsule data the admin queue always takes over TCP. */
    public static final int ADMIN_IN_CAPSULE = 8192;
}
