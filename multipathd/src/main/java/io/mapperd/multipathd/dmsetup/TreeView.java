package io.mapperd.multipathd.dmsetup;

import io.mapperd.dm.core.MappedDevice;

import java.util.ArrayList;
import java.util.List;

/**
 * `ls --tree`: dmsetup's tree options ({@code -o}: ascii, utf, vt100, device, nodevice, blkdevname,
 * inverted, compact, notrunc, active, rw, open, uuid, table, status) and the drawing of a
 * {@link DeviceTree} with them, node by node as dmsetup draws.
 */
final class TreeView {
    private static final List<String> OPTIONS = List.of("active", "ascii", "blkdevname", "compact", "device", "inverted",
            "nodevice", "notrunc", "open", "rw", "status", "table", "utf", "uuid", "vt100");

    /** An option dmsetup does not know, in its words. */
    static final class BadOption extends Exception {
        BadOption(String message) {
            super(message, null, false, false);
        }
    }

    private TreeDrawing sym;
    private boolean device = true;
    private boolean truncate = true;
    private boolean blkdevname;
    private boolean inverted;
    private boolean compact;
    private boolean active;
    private boolean rw;
    private boolean open;
    private boolean uuid;
    private boolean targets;

    private TreeView(TreeDrawing sym) {
        this.sym = sym;
    }

    /** @param options the {@code -o} value, or null; @param utf8 whether the client's locale is UTF-8 */
    static TreeView parse(String options, boolean utf8) throws BadOption {
        TreeView v = new TreeView(utf8 ? TreeDrawing.UTF : TreeDrawing.ASCII);
        if (options == null || options.isEmpty()) {
            return v;
        }
        List<String> words = new ArrayList<>(List.of(options.split(",", -1)));
        if (words.getLast().isEmpty()) {
            words.removeLast();
        }
        for (String w : words) {
            if (!OPTIONS.contains(w)) {
                throw new BadOption("Tree option not recognised: " + w + ".");
            }
            switch (w) {
                case "ascii" -> v.sym = TreeDrawing.ASCII;
                case "utf" -> v.sym = TreeDrawing.UTF;
                case "vt100" -> v.sym = TreeDrawing.VT100;
                case "device" -> v.device = true;
                case "nodevice" -> v.device = false;
                case "notrunc" -> v.truncate = false;
                case "blkdevname" -> v.blkdevname = true;
                case "inverted" -> v.inverted = true;
                case "compact" -> v.compact = true;
                case "active" -> v.active = true;
                case "rw" -> v.rw = true;
                case "open" -> v.open = true;
                case "uuid" -> v.uuid = true;
                default -> v.targets = true; // table, status: dmsetup prints nothing for them (yet)
            }
        }
        return v;
    }

    void draw(DeviceTree tree, DeviceNames names, StringBuilder out) {
        new Drawing(tree, names, new TreeWriter(out, sym, truncate)).walk(tree.root, 0);
    }

    private boolean attributes() {
        return active || rw || open || uuid;
    }

    private boolean printCompact() {
        return compact && !attributes() && !targets;
    }

    private final class Drawing {
        final DeviceTree tree;
        final DeviceNames names;
        final TreeWriter w;

        Drawing(DeviceTree tree, DeviceNames names, TreeWriter w) {
            this.tree = tree;
            this.names = names;
            this.w = w;
        }

        void walk(DeviceTree.Node node, int depth) {
            List<DeviceTree.Node> kids = tree.children(node, inverted);
            for (int i = 0; i < kids.size(); i++) {
                DeviceTree.Node child = kids.get(i);
                boolean hasChildren = tree.childCount(child, inverted) > 0;
                node(child, depth, i == kids.size() - 1, hasChildren);
                if (hasChildren) {
                    walk(child, depth + 1);
                }
            }
        }

        void node(DeviceTree.Node n, int depth, boolean last, boolean hasChildren) {
            if (depth + 2 > TreeWriter.MAX_DEPTH) {
                return;
            }
            String name = n.name();
            if (name.isEmpty() && !device && !blkdevname) {
                return;
            }
            w.more(depth, !last);
            w.width(depth, 0);
            boolean firstOnLine = w.column() == 1;
            if (!printCompact() || firstOnLine) {
                w.prefix(depth);
            }
            int offset = w.column();
            if (printCompact() && !firstOnLine) {
                w.put(w.more(depth) ? w.symbols().first() : w.symbols().single());
            }
            w.put(name);
            if (blkdevname) {
                names.name(n.devT, true).ifPresent(k -> w.put(" <" + k + ">"));
            }
            if (device) {
                w.put(" (" + n.devT.major() + ":" + n.devT.minor() + ")");
            }
            if (attributes() && n.md != null) {
                putAttributes(n.md);
            }
            if (printCompact()) {
                w.width(depth, w.column() - offset);
            }
            if (!printCompact() || !hasChildren) {
                w.newline();
            }
            if (targets) {
                w.more(depth + 1, hasChildren);
            }
        }

        void putAttributes(MappedDevice md) {
            DeviceInfo i = DeviceInfo.of(md);
            List<String> parts = new ArrayList<>();
            if (active) {
                parts.add(i.suspended() ? "SUSPENDED" : "ACTIVE");
            }
            if (rw) {
                parts.add(i.readOnly() ? "RO" : "RW");
            }
            if (open) {
                parts.add(Integer.toString(i.openCount()));
            }
            if (uuid) {
                parts.add(i.uuid());
            }
            w.put(" [" + String.join(", ", parts) + "]");
        }
    }
}
