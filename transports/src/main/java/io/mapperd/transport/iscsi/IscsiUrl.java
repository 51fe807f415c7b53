package io.mapperd.transport.iscsi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * An iSCSI URL as libiscsi writes it: {@code iscsi://[USER[%PASSWORD]@]HOST[:PORT][/TARGET-IQN[/LUN]]}.
 * Port defaults to 3260, LUN to 0; the target and LUN are absent in a portal URL (discovery).
 */
public record IscsiUrl(String host, int port, String target, int lun, String user, String password) {
    public static final int DEFAULT_PORT = 3260;

    public static IscsiUrl parse(String url) {
        String prefix = "iscsi://";
        if (url == null || !url.startsWith(prefix)) {
            throw new IllegalArgumentException("not an iSCSI URL (want iscsi://HOST[:PORT]/IQN/LUN): " + url);
        }
        String rest = url.substring(prefix.length());
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@', rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
        if (at >= 0) {
            String cred = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int pct = cred.indexOf('%');
            user = decode(pct < 0 ? cred : cred.substring(0, pct));
            password = pct < 0 ? null : decode(cred.substring(pct + 1));
        }
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        String host;
        int port = DEFAULT_PORT;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unterminated IPv6 address in " + url);
            }
            host = hostPort.substring(1, close);
            if (hostPort.length() > close + 1) {
                port = port(hostPort.substring(close + 2), url);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            if (colon >= 0) {
                port = port(hostPort.substring(colon + 1), url);
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host in iSCSI URL " + url);
        }
        String target = null;
        int lun = 0;
        if (!path.isEmpty()) {
            int s = path.lastIndexOf('/');
            if (s < 0) {
                target = path;
            } else {
                target = path.substring(0, s);
                String l = path.substring(s + 1);
                try {
                    lun = Integer.parseInt(l);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid LUN '" + l + "' in iSCSI URL " + url);
                }
                if (lun < 0 || lun > 16383) {
                    throw new IllegalArgumentException("LUN " + lun + " out of range 0-16383 in " + url);
                }
            }
            if (target.isEmpty()) {
                throw new IllegalArgumentException("empty target name in iSCSI URL " + url);
            }
        }
        return new IscsiUrl(host, port, target, lun, user, password);
    }

    private static int port(String s, String url) {
        try {
            int p = Integer.parseInt(s);
            if (p <= 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port '" + s + "' in iSCSI URL " + url);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public String portal() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The URL without credentials: how the device is named in tables and logs. */
    public String display() {
        return "iscsi://" + portal() + (target == null ? "" : "/" + target + "/" + lun);
    }

    @Override
    public String toString() {
        return display();
    }
}
