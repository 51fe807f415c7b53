package io.mapperd.transport.iscsi;

import io.mapperd.transport.iscsi.pdu.LoginRequest;
import io.mapperd.transport.iscsi.pdu.LoginResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The initiator's side of login (RFC 7143 section 6.3): security negotiation with AuthMethod None or
 * CHAP (one-way or mutual), then operational negotiation, then the full feature phase. A pure state
 * machine: {@link #first()} and {@link #next(LoginResponse)} give the requests to send, the session
 * owns the connection.
 */
final class Login {
    static final int SECURITY = 0;
    static final int OPERATIONAL = 1;
    static final int FULL_FEATURE = 3;

    /** A completed login. */
    record Result(Negotiated negotiated, int tsih, int statSn, int expCmdSn, int maxCmdSn) {
    }

    private enum ChapStep { NONE, OFFERED, ALGORITHM_SENT, RESPONSE_SENT }

    private final SessionConfig config;
    private final String targetName; // null for discovery
    private final long isid;
    private final int tsih;
    private final int itt;
    private final int cmdSn;
    private int expStatSn;
    private int stage = SECURITY;
    private ChapStep chap = ChapStep.NONE;
    private int mutualId;
    private byte[] mutualChallenge;
    private boolean operationalSent;
    private final ByteBuf partial = Unpooled.buffer();
    private final Map<String, String> offered = new LinkedHashMap<>();
    private final Map<String, String> answered = new LinkedHashMap<>();
    private Result result;

    Login(SessionConfig config, String targetName, long isid, int tsih, int itt, int cmdSn) {
        this.config = config;
        this.targetName = targetName;
        this.isid = isid;
        this.tsih = tsih;
        this.itt = itt;
        this.cmdSn = cmdSn;
    }

    boolean discovery() {
        return targetName == null;
    }

    Result result() {
        return result;
    }

    LoginRequest first() {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("InitiatorName", config.initiatorName());
        k.put("SessionType", discovery() ? "Discovery" : "Normal");
        if (!discovery()) {
            k.put("TargetName", targetName);
        }
        if (config.chap().enabled()) {
            k.put("AuthMethod", "CHAP,None");
            chap = ChapStep.OFFERED;
            return request(false, SECURITY, SECURITY, k);
        }
        k.put("AuthMethod", "None");
        return request(true, SECURITY, OPERATIONAL, k);
    }

    /** The next request, or null when the full feature phase is reached (see {@link #result()}). */
    LoginRequest next(LoginResponse r) throws LoginException {
        try {
            if (r.statusClass() != 0) {
                String where = "";
                if (r.statusClass() == 1 && r.data().isReadable()) {
                    where = " to " + TextKeys.decode(r.data()).getOrDefault("TargetAddress", "?");
                }
                throw new LoginException("login to " + (discovery() ? "discovery session" : targetName)
                        + " refused: " + LoginException.describe(r.statusClass(), r.statusDetail()) + where,
                        r.statusClass(), r.statusDetail());
            }
            if (r.itt() != itt) {
                throw new LoginException(String.format("login response for ITT 0x%08x, expected 0x%08x", r.itt(), itt));
            }
            expStatSn = r.statSn() + 1;
            partial.writeBytes(r.data());
            if (r.cont()) {
                // More key data follows: ask for it with an empty request at the same stage.
                return request(false, stage, stage, Map.of());
            }
            Map<String, String> keys;
            try {
                keys = TextKeys.decode(partial);
            } catch (IllegalArgumentException e) {
                throw new LoginException("login response: " + e.getMessage());
            }
            partial.clear();
            if (r.csg() != stage) {
                throw new LoginException("login response for stage " + r.csg() + " while in stage " + stage);
            }
            return stage == SECURITY ? security(r, keys) : operational(r, keys);
        } finally {
            r.release();
        }
    }

    private LoginRequest security(LoginResponse r, Map<String, String> keys) throws LoginException {
        String auth = keys.get("AuthMethod");
        if (auth != null && auth.equals("Reject")) {
            throw new LoginException("target rejected AuthMethod " + (config.chap().enabled() ? "CHAP,None" : "None"));
        }
        switch (chap) {
            case NONE, OFFERED -> {
                if ("CHAP".equals(auth)) {
                    if (!config.chap().enabled()) {
                        throw new LoginException("target " + targetName + " requires CHAP authentication and no credentials were given", 2, 1);
                    }
                    chap = ChapStep.ALGORITHM_SENT;
                    return request(false, SECURITY, SECURITY, Map.of("CHAP_A", Chap.ALGORITHM_MD5));
                }
                if (r.transit() && r.nsg() == OPERATIONAL) {
                    return toOperational();
                }
                return request(true, SECURITY, OPERATIONAL, Map.of());
            }
            case ALGORITHM_SENT -> {
                String a = keys.get("CHAP_A");
                String id = keys.get("CHAP_I");
                String c = keys.get("CHAP_C");
                if (!Chap.ALGORITHM_MD5.equals(a) || id == null || c == null) {
                    throw new LoginException("target's CHAP challenge is incomplete or not MD5: " + keys.keySet());
                }
                int chapId;
                byte[] challenge;
                try {
                    chapId = Integer.parseInt(id);
                    challenge = Chap.decodeBinary(c);
                } catch (IllegalArgumentException e) {
                    throw new LoginException("malformed CHAP challenge: " + e.getMessage());
                }
                Map<String, String> k = new LinkedHashMap<>();
                k.put("CHAP_N", config.chap().user());
                k.put("CHAP_R", Chap.response(chapId, config.chap().secret(), challenge));
                if (config.chap().mutual()) {
                    mutualId = Chap.newId();
                    mutualChallenge = Chap.newChallenge();
                    k.put("CHAP_I", Integer.toString(mutualId));
                    k.put("CHAP_C", Chap.hex(mutualChallenge));
                }
                chap = ChapStep.RESPONSE_SENT;
                return request(true, SECURITY, OPERATIONAL, k);
            }
            case RESPONSE_SENT -> {
                if (config.chap().mutual()) {
                    String n = keys.get("CHAP_N");
                    String resp = keys.get("CHAP_R");
                    String want = Chap.response(mutualId, config.chap().targetSecret(), mutualChallenge);
                    if (!config.chap().targetUser().equals(n) || resp == null
                            || !want.equalsIgnoreCase(resp.startsWith("0x") || resp.startsWith("0X") ? resp
                            : Chap.hex(Chap.decodeBinary(resp)))) {
                        throw new LoginException("target " + targetName + " failed mutual CHAP authentication (user " + n + ")", 2, 1);
                    }
                }
                if (r.transit() && r.nsg() == OPERATIONAL) {
                    return toOperational();
                }
                return request(true, SECURITY, OPERATIONAL, Map.of());
            }
            default -> throw new IllegalStateException();
        }
    }

    private LoginRequest toOperational() {
        stage = OPERATIONAL;
        operationalSent = true;
        offered.put("HeaderDigest", config.headerDigest() ? "CRC32C,None" : "None");
        offered.put("DataDigest", config.dataDigest() ? "CRC32C,None" : "None");
        offered.put("MaxRecvDataSegmentLength", Integer.toString(config.maxRecvDataSegmentLength()));
        if (!discovery()) {
            offered.put("InitialR2T", config.initialR2T() ? "Yes" : "No");
            offered.put("ImmediateData", config.immediateData() ? "Yes" : "No");
            offered.put("MaxBurstLength", "16776192");
            offered.put("FirstBurstLength", "262144");
            offered.put("MaxConnections", "1");
            offered.put("MaxOutstandingR2T", "1");
            offered.put("DataPDUInOrder", "Yes");
            offered.put("DataSequenceInOrder", "Yes");
        }
        offered.put("DefaultTime2Wait", "2");
        offered.put("DefaultTime2Retain", "0");
        offered.put("ErrorRecoveryLevel", "0");
        return request(true, OPERATIONAL, FULL_FEATURE, offered);
    }

    private LoginRequest operational(LoginResponse r, Map<String, String> keys) throws LoginException {
        Map<String, String> reply = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String k = e.getKey();
            if ("Reject".equals(e.getValue()) && offered.containsKey(k)) {
                throw new LoginException("target rejected " + k + "=" + offered.get(k));
            }
            answered.put(k, e.getValue());
            if (!offered.containsKey(k) && !declarative(k) && !"Irrelevant".equals(e.getValue())) {
                // The target proposes a key we did not offer: accept its value, or say we do not know it.
                reply.put(k, known(k) ? e.getValue() : "NotUnderstood");
                offered.put(k, e.getValue());
            }
        }
        if (r.transit() && r.nsg() == FULL_FEATURE && reply.isEmpty()) {
            if (r.tsih() == 0 && !discovery()) {
                throw new LoginException("final login response carries no TSIH");
            }
            result = new Result(negotiated(), r.tsih(), r.statSn(), r.expCmdSn(), r.maxCmdSn());
            return null;
        }
        return request(true, OPERATIONAL, FULL_FEATURE, reply);
    }

    private static boolean declarative(String k) {
        return switch (k) {
            case "MaxRecvDataSegmentLength", "TargetAlias", "TargetPortalGroupTag", "TargetAddress" -> true;
            default -> false;
        };
    }

    private static boolean known(String k) {
        return switch (k) {
            case "HeaderDigest", "DataDigest", "MaxConnections", "InitialR2T", "ImmediateData", "MaxBurstLength",
                 "FirstBurstLength", "DefaultTime2Wait", "DefaultTime2Retain", "MaxOutstandingR2T",
                 "DataPDUInOrder", "DataSequenceInOrder", "ErrorRecoveryLevel", "OFMarker", "IFMarker" -> true;
            default -> false;
        };
    }

    private Negotiated negotiated() throws LoginException {
        try {
            boolean hd = "CRC32C".equals(value("HeaderDigest", "None"));
            boolean dd = "CRC32C".equals(value("DataDigest", "None"));
            int trdsl = Integer.parseInt(answered.getOrDefault("MaxRecvDataSegmentLength", "8192"));
            if (trdsl < 512 || trdsl > 16777215) {
                throw new LoginException("target declares MaxRecvDataSegmentLength " + trdsl + " outside 512-16777215");
            }
            int mbl = Integer.parseInt(value("MaxBurstLength", "262144"));
            int fbl = Integer.parseInt(value("FirstBurstLength", "65536"));
            boolean ir2t = !discovery() && "Yes".equals(value("InitialR2T", "Yes"));
            boolean imm = !discovery() && "Yes".equals(value("ImmediateData", "Yes"));
            int mor2t = Integer.parseInt(value("MaxOutstandingR2T", "1"));
            int erl = Integer.parseInt(value("ErrorRecoveryLevel", "0"));
            if (erl != 0) {
                throw new LoginException("target insists on ErrorRecoveryLevel " + erl + "; only 0 is supported");
            }
            if (mbl < 512 || fbl < 512 || fbl > mbl) {
                throw new LoginException("inconsistent burst lengths: MaxBurstLength " + mbl + ", FirstBurstLength " + fbl);
            }
            int tpgt = answered.containsKey("TargetPortalGroupTag") ? Integer.parseInt(answered.get("TargetPortalGroupTag")) : -1;
            return new Negotiated(hd, dd, config.maxRecvDataSegmentLength(), trdsl, mbl, fbl, ir2t, imm, mor2t, erl,
                    answered.getOrDefault("TargetAlias", ""), tpgt);
        } catch (NumberFormatException e) {
            throw new LoginException("target answered a numeric key with " + e.getMessage());
        }
    }

    /** The negotiated value: the target's answer, or what we offered (first choice of a list). */
    private String value(String key, String dflt) {
        String v = answered.get(key);
        if (v == null || "Irrelevant".equals(v) || "NotUnderstood".equals(v)) {
            v = offered.getOrDefault(key, dflt);
        }
        int comma = v.indexOf(',');
        return comma < 0 ? v : v.substring(0, comma);
    }

    private LoginRequest request(boolean transit, int csg, int nsg, Map<String, String> keys) {
        if (!transit) {
            nsg = 0;
        }
        this.stage = csg;
        return new LoginRequest(transit, false, csg, nsg, 0, 0, isid, tsih, itt, 0, cmdSn, expStatSn,
                keys.isEmpty() ? Unpooled.EMPTY_BUFFER : TextKeys.encode(keys));
    }

    int expStatSn() {
        return expStatSn;
    }

    List<String> offeredKeys() {
        return List.copyOf(offered.keySet());
    }
}
