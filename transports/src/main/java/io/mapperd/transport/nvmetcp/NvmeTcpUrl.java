package io.mapperd.transport.nvmetcp;

import java.net.InetSocketAddress;

/**
 * A namespace (or a controller, without NSID) named by URL: {@code nvme+tcp://HOST[:PORT]/SUBNQN[/NSID]},
 * PORT 4420 by default.
 */
public record NvmeTcpUrl(String host, int port, String subnqn, int nsid) {
    public static final String SCHEME = "nvme+tcp";

    public static NvmeTcpUrl parse(String url) {
        String prefix = SCHEME + "://";
        if (!url.startsWith(prefix)) {
            throw new IllegalArgumentException("'" + url + "' is not an " + prefix + "HOST[:PORT]/SUBNQN[/NSID] URL");
        }
        String rest = url.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("'" + url + "' names no subsystem NQN (" + prefix + "HOST[:PORT]/SUBNQN[/NSID])");
        }
        String hostPort = rest.substring(0, slash);
        String path = rest.substring(slash + 1);
        String host = hostPort;
        int port = NvmeOpcodes.DEFAULT_PORT;
        int colon = hostPort.lastIndexOf(':');
        if (colon >= 0) {
            host = hostPort.substring(0, colon);
            port = port(url, hostPort.substring(colon + 1));
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + url + "' names no host");
        }
        int nsid = 0;
        int last = path.lastIndexOf('/');
        if (last >= 0) {
            String tail = path.substring(last + 1);
            if (!tail.matches("[0-9]{1,10}")) {
                throw new IllegalArgumentException("'" + url + "': namespace id '" + tail + "' is not a number");
            }
            long v = Long.parseLong(tail);
            if (v <= 0 || v >= 0xFFFFFFFFL) {
                throw new IllegalArgumentException("'" + url + "': namespace id " + v + " outside 1..4294967294");
            }
            nsid = (int) v;
            path = path.substring(0, last);
        }
        if (!path.startsWith("nqn.")) {
            throw new IllegalArgumentException("'" + url + "': '" + path + "' is not an NQN (nqn.YYYY-MM.domain:...)");
        }
        return new NvmeTcpUrl(host, port, path, nsid);
    }

    /** Parses HOST[:PORT] with a default port. */
    public static InetSocketAddress address(String hostPort, int defaultPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return new InetSocketAddress(hostPort, defaultPort);
        }
        return new InetSocketAddress(hostPort.substring(0, colon), port(hostPort, hostPort.substring(colon + 1)));
    }

    private static int port(String where, String s) {
        try {
            int p = Integer.parseInt(s);
            if (p <= 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + where + "': port '" + s + "' is not 1..65535");
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    /** The controller part, shared by every namespace behind it. */
    public String controllerKey() {
        return host + ":" + port + "/" + subnqn;
    }

    @Override
    public String toString() {
        return SCHEME + "://" + host + ":" + port + "/" + subnqn + (nsid > 0 ? "/" + nsid : "");
    }
}
