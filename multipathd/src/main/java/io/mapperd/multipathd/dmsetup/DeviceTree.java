package io.mapperd.multipathd.dmsetup;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.DevT;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dependency tree `ls --tree` draws, built as libdm's dm_tree is: every device added from the
 * top (in name order) with its dependencies below it. A node that something uses is taken off the
 * top level; a node that uses nothing (or is not a mapped device) sits on the bottom level, which
 * is where the inverted tree starts. Children keep the order they were linked in.
 */
final class DeviceTree {
    /** A device: mapped (md set) or not (a loop device or disk), with the links of both directions. */
    static final class Node {
        final DevT devT;
        final MappedDevice md;
        final List<Node> uses = new ArrayList<>();
        final List<Node> usedBy = new ArrayList<>();

        Node(DevT devT, MappedDevice md) {
            this.devT = devT;
            this.md = md;
        }

        /** The device's name: a mapped device's, or empty for others (dmsetup draws only the number). */
        String name() {
            return md == null ? "" : md.dmName();
        }
    }

    final Node root = new Node(new DevT(0, 0), null);
    private final Map<DevT, Node> nodes = new HashMap<>();
    private final Map<DevT, MappedDevice> mapped = new HashMap<>();

    /** The tree of {@code all} (in the order the kernel lists them). */
    DeviceTree(List<MappedDevice> all) {
        all.forEach(md -> mapped.put(md.devT(), md));
        all.forEach(md -> add(root, md.devT()));
    }

    /** The children to walk: what a node uses, or (inverted) what uses it. */
    List<Node> children(Node n, boolean inverted) {
        return inverted ? n.usedBy : n.uses;
    }

    /** As dm_tree_node_num_children: none for a node on the top level (inverted) or the bottom level. */
    int childCount(Node n, boolean inverted) {
        if (inverted) {
            return linked(root, n) ? 0 : n.usedBy.size();
        }
        return linked(n, root) ? 0 : n.uses.size();
    }

    private void add(Node parent, DevT d) {
        Node node = nodes.get(d);
        boolean created = node == null;
        if (created) {
            node = new Node(d, d.major() == DevT.DM_MAJOR ? mapped.get(d) : null);
            nodes.put(d, node);
        }
        linkTree(parent, node);
        if (!created) {
            return;
        }
        List<DevT> deps = node.md == null ? List.of() : DmsetupCommands.deps(node.md, false);
        if (deps.isEmpty()) {
            link(node, root);
            return;
        }
        for (DevT dep : deps) {
            add(node, dep);
        }
    }

    private void linkTree(Node parent, Node child) {
        if (parent == root) {
            if (childCount(child, true) > 0) {
                return;
            }
        } else {
            unlink(root, child);
        }
        unlink(parent, root);
        link(parent, child);
    }

    private static boolean linked(Node parent, Node child) {
        return parent.uses.contains(child);
    }

    private static void link(Node parent, Node child) {
        if (!linked(parent, child)) {
            parent.uses.add(child);
            child.usedBy.add(parent);
        }
    }

    private static void unlink(Node parent, Node child) {
        if (linked(parent, child)) {
            parent.uses.remove(child);
            child.usedBy.remove(parent);
        }
    }
}
