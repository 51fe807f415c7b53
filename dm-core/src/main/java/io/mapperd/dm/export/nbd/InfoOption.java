package io.mapperd.dm.export.nbd;

import java.util.List;

/** NBD_OPT_INFO or NBD_OPT_GO: an export name and the information types the client asks for. */
public record InfoOption(boolean go, String name, List<Integer> requests) {
    public InfoOption {
        requests = List.copyOf(requests);
    }

    public int option() {
        return go ? NbdProtocol.OPT_GO : NbdProtocol.OPT_INFO;
    }
}
