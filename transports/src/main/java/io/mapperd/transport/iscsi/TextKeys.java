package io.mapperd.transport.iscsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Login and text key=value pairs (RFC 7143 section 6): UTF-8, each terminated by a NUL. */
public final class TextKeys {
    public static final int MAX_KEY = 63;

    private TextKeys() {
    }

    public static ByteBuf encode(Map<String, String> pairs) {
        StringBuilder sb = new StringBuilder();
        pairs.forEach((k, v) -> sb.append(k).append('=').append(v).append('\0'));
        return Unpooled.wrappedBuffer(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static ByteBuf encode(List<Map.Entry<String, String>> pairs) {
        StringBuilder sb = new StringBuilder();
        pairs.forEach(e -> sb.append(e.getKey()).append('=').append(e.getValue()).append('\0'));
        return Unpooled.wrappedBuffer(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Pairs in order; a key may repeat (SendTargets answers), so this is a list. */
    public static List<Map.Entry<String, String>> decodeList(ByteBuf data) {
        String s = data.toString(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String item : s.split("\0")) {
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0 || eq > MAX_KEY) {
                throw new IllegalArgumentException("malformed key=value pair '" + item + "'");
            }
            out.add(Map.entry(item.substring(0, eq), item.substring(eq + 1)));
        }
        return out;
    }

    public static Map<String, String> decode(ByteBuf data) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : decodeList(data)) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }
}
