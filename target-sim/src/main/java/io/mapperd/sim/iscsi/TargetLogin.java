package io.mapperd.sim.iscsi;

import io.mapperd.transport.iscsi.Chap;
import io.mapperd.transport.iscsi.TextKeys;
import io.mapperd.transport.iscsi.pdu.LoginRequest;
import io.mapperd.transport.iscsi.pdu.LoginResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The target's side of login: picks the target, runs CHAP when the target has secrets, answers the
 * operational keys (RFC 7143 section 13 result functions), and hands the connection its parameters.
 */
final class TargetLogin {
    static final int MAX_RECV_DATA_SEGMENT = 262144;
    static final int MAX_BURST = 1 << 20;
    static final int FIRST_BURST = 65536;

    /** What the full feature phase needs from login. */
    record Params(String initiatorName, long isid, SimTarget target, boolean headerDigest, boolean dataDigest,
                  int initiatorMaxRecv, int maxBurst, int firstBurst, boolean initialR2T, boolean immediateData) {
        boolean discovery() {
            return target == null;
        }
    }

    private final IscsiTargetSim sim;
    private final SimPortal portal;
    private final ByteBuf partial = Unpooled.buffer();
    private String initiatorName;
    private boolean discovery;
    private SimTarget target;
    private boolean authenticated;
    private boolean first = true;
    private boolean declared;
    private int chapId;
    private byte[] chapChallenge;
    private final Map<String, String> agreed = new LinkedHashMap<>();
    int statSn = 1;
    private Params params;
    /** Set when the login failed: the connection closes after sending the response. */
    boolean failed;

    TargetLogin(IscsiTargetSim sim, SimPortal portal) {
        this.sim = sim;
        this.portal = portal;
    }

    Params params() {
        return params;
    }

    LoginResponse handle(LoginRequest r) {
        try {
            partial.writeBytes(r.data());
            if (r.cont()) {
                return response(r, false, r.csg(), 0, Map.of(), 0, 0);
            }
            Map<String, String> keys;
            try {
                keys = TextKeys.decode(partial);
            } catch (IllegalArgumentException e) {
                return fail(r, 2, 0);
            } finally {
                partial.clear();
            }
            if (r.versionMin() > 0) {
                return fail(r, 2, 5);
            }
            Map<String, String> out = new LinkedHashMap<>();
            if (first) {
                first = false;
                initiatorName = keys.get("InitiatorName");
                if (initiatorName == null) {
                    return fail(r, 2, 7);
                }
                discovery = "Discovery".equals(keys.get("SessionType"));
                if (!discovery) {
                    String tn = keys.get("TargetName");
                    if (tn == null) {
                        return fail(r, 2, 7);
                    }
                    target = sim.target(tn);
                    if (target == null) {
                        return fail(r, 2, 3);
                    }
                    out.put("TargetPortalGroupTag", Integer.toString(portal.tpgt()));
                }
            }
            boolean needChap = target != null && target.requiresChap();
            if (r.csg() == 0) {
                String auth = keys.get("AuthMethod");
                if (auth != null) {
                    List<String> offered = List.of(auth.split(","));
                    if (needChap) {
                        if (!offered.contains("CHAP")) {
                            return fail(r, 2, 1);
                        }
                        out.put("AuthMethod", "CHAP");
                        return response(r, false, 0, 0, out, 0, 0);
                    }
                    out.put("AuthMethod", offered.contains("None") ? "None" : "Reject");
                    if (!offered.contains("None")) {
                        return response(r, false, 0, 0, out, 0, 0);
                    }
                    authenticated = true;
                }
                if (keys.containsKey("CHAP_A")) {
                    if (!needChap || !List.of(keys.get("CHAP_A").split(",")).contains("5")) {
                        return fail(r, 2, 1);
                    }
                    chapId = Chap.newId();
                    chapChallenge = Chap.newChallenge();
                    out.put("CHAP_A", "5");
                    out.put("CHAP_I", Integer.toString(chapId));
                    out.put("CHAP_C", Chap.hex(chapChallenge));
                    return response(r, false, 0, 0, out, 0, 0);
                }
                if (keys.containsKey("CHAP_N")) {
                    if (!needChap || chapChallenge == null) {
                        return fail(r, 2, 1);
                    }
                    String want = Chap.response(chapId, target.chapSecret, chapChallenge);
                    String got = keys.getOrDefault("CHAP_R", "");
                    try {
                        got = Chap.hex(Chap.decodeBinary(got));
                    } catch (IllegalArgumentException e) {
                        return fail(r, 2, 1);
                    }
                    if (!target.chapUser.equals(keys.get("CHAP_N")) || !want.equalsIgnoreCase(got)) {
                        return fail(r, 2, 1);
                    }
                    if (keys.containsKey("CHAP_I")) {
                        if (target.mutualUser == null) {
                            return fail(r, 2, 1);
                        }
                        byte[] c;
                        int id;
                        try {
                            id = Integer.parseInt(keys.get("CHAP_I"));
                            c = Chap.decodeBinary(keys.getOrDefault("CHAP_C", ""));
                        } catch (IllegalArgumentException e) {
                            return fail(r, 2, 1);
                        }
                        out.put("CHAP_N", target.mutualUser);
                        out.put("CHAP_R", Chap.response(id, target.mutualSecret, c));
                    }
                    authenticated = true;
                }
                if (needChap && !authenticated) {
                    if (r.transit()) {
                        return fail(r, 2, 1);
                    }
                    return response(r, false, 0, 0, out, 0, 0);
                }
                if (r.transit()) {
                    if (r.nsg() == 3) {
                        return complete(r, out);
                    }
                    return response(r, true, 0, 1, out, 0, 0);
                }
                return response(r, false, 0, 0, out, 0, 0);
            }
            if (r.csg() != 1) {
                return fail(r, 2, 0);
            }
            if (needChap && !authenticated) {
                return fail(r, 2, 1);
            }
            negotiate(keys, out);
            if (r.transit() && r.nsg() == 3) {
                return complete(r, out);
            }
            return response(r, false, 1, 0, out, 0, 0);
        } finally {
            r.release();
        }
    }

    private void negotiate(Map<String, String> keys, Map<String, String> out) {
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            String answer;
            switch (k) {
                case "HeaderDigest", "DataDigest" -> {
                    answer = "Reject";
                    for (String choice : v.split(",")) {
                        if (choice.equals("CRC32C") || choice.equals("None")) {
                            answer = choice;
                            break;
                        }
                    }
                }
                case "MaxRecvDataSegmentLength" -> {
                    agreed.put(k, v);
                    continue;
                }
                case "InitiatorName", "InitiatorAlias", "SessionType", "TargetName", "AuthMethod" -> {
                    continue;
                }
                case "InitialR2T", "ImmediateData", "MaxBurstLength", "FirstBurstLength", "MaxOutstandingR2T",
                     "DataPDUInOrder", "DataSequenceInOrder", "MaxConnections" -> {
                    if (discovery) {
                        answer = "Irrelevant";
                    } else {
                        answer = switch (k) {
                            case "InitialR2T" -> v.equals("Yes") ? "Yes" : "No";
                            case "ImmediateData" -> v.equals("Yes") ? "Yes" : "No";
                            case "MaxBurstLength" -> num(v, MAX_BURST, 512, true);
                            case "FirstBurstLength" -> num(v, FIRST_BURST, 512, true);
                            case "MaxOutstandingR2T", "MaxConnections" -> num(v, 1, 1, true);
                            default -> "Yes";
                        };
                    }
                }
                case "ErrorRecoveryLevel" -> answer = num(v, 0, 0, true);
                case "DefaultTime2Wait" -> answer = num(v, 2, 0, false);
                case "DefaultTime2Retain" -> answer = num(v, 0, 0, true);
                case "IFMarker", "OFMarker" -> answer = "No";
                default -> answer = "NotUnderstood";
            }
            agreed.put(k, answer);
            out.put(k, answer);
        }
        if (!declared) {
            declared = true;
            out.put("MaxRecvDataSegmentLength", Integer.toString(MAX_RECV_DATA_SEGMENT));
        }
    }

    private static String num(String v, int ours, int min, boolean takeMin) {
        try {
            long n = Long.parseLong(v);
            if (n < min || n > 16777215) {
                return "Reject";
            }
            return Long.toString(takeMin ? Math.min(n, ours) : Math.max(n, ours));
        } catch (NumberFormatException e) {
            return "Reject";
        }
    }

    private LoginResponse complete(LoginRequest r, Map<String, String> out) {
        if (!declared && !discovery) {
            declared = true;
            out.put("MaxRecvDataSegmentLength", Integer.toString(MAX_RECV_DATA_SEGMENT));
        }
        int mrdsl = parse(agreed.get("MaxRecvDataSegmentLength"), 8192);
        int mbl = parse(agreed.get("MaxBurstLength"), 262144);
        int fbl = Math.min(parse(agreed.get("FirstBurstLength"), 65536), mbl);
        params = new Params(initiatorName, r.isid(), target, "CRC32C".equals(agreed.get("HeaderDigest")),
                "CRC32C".equals(agreed.get("DataDigest")), mrdsl, mbl, fbl,
                !"No".equals(agreed.getOrDefault("InitialR2T", "Yes")), !"No".equals(agreed.getOrDefault("ImmediateData", "Yes")));
        return response(r, true, r.csg(), 3, out, 0, 0);
    }

    private static int parse(String v, int dflt) {
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private LoginResponse fail(LoginRequest r, int cls, int detail) {
        failed = true;
        return response(r, false, r.csg(), 0, Map.of(), cls, detail);
    }

    private LoginResponse response(LoginRequest r, boolean transit, int csg, int nsg, Map<String, String> keys, int cls, int detail) {
        int tsih = transit && nsg == 3 ? sim.nextTsih() : 0;
        return new LoginResponse(transit, false, csg, transit ? nsg : 0, 0, 0, r.isid(), tsih, r.itt(), statSn,
                r.cmdSn(), r.cmdSn() + TargetConnection.WINDOW - 1, cls, detail,
                keys.isEmpty() ? Unpooled.EMPTY_BUFFER : TextKeys.encode(keys));
    }
}
