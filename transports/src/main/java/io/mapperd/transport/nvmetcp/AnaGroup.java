package io.mapperd.transport.nvmetcp;

import java.util.List;

/** One ANA group descriptor of the ANA log page: its id, change count, state and namespaces. */
public record AnaGroup(int groupId, long changeCount, AnaState state, List<Integer> nsids) {
}
