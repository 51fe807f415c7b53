package io.mapperd.dm.export.nbd;

import java.util.List;

/** NBD_OPT_LIST_META_CONTEXT or NBD_OPT_SET_META_CONTEXT: an export name and context queries. */
public record MetaContextOption(boolean set, String exportName, List<String> queries) {
    public MetaContextOption {
        queries = List.copyOf(queries);
    }

    public int option() {
        return set ? NbdProtocol.OPT_SET_META_CONTEXT : NbdProtocol.OPT_LIST_META_CONTEXT;
    }
}
