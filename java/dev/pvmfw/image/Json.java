package dev.pvmfw.image;

/** A minimal JSON writer (no dependency): objects, arrays, strings, numbers, null; two-space indentation. */
final class Json {
    private final StringBuilder out = new StringBuilder();
    private int depth;
    private boolean first = true;
    private boolean afterKey;

    Json open(char bracket) {
        separator();
        out.append(bracket);
        depth++;
        first = true;
        return this;
    }

    Json close(char bracket) {
        depth--;
        if (!first) {
            newline();
        }
        out.append(bracket);
        first = false;
        return this;
    }

    Json key(String key) {
        separator();
        string(key);
        out.append(": ");
        afterKey = true;
        return this;
    }

    Json field(String key, String value) {
        key(key);
        separator();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        first = false;
        return this;
    }

    Json field(String key, long value) {
        key(key);
        separator();
        out.append(value);
        first = false;
        return this;
    }

    private void separator() {
        if (afterKey) {
            afterKey = false;
            return;
        }
        if (!first) {
            out.append(',');
        }
        if (depth > 0) {
            newline();
        }
        first = false;
    }

    private void newline() {
        out.append('\n').append("  ".repeat(depth));
    }

    private void string(String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.append('\n').toString();
    }
}
