package io.mapperd.conf.parse;

/** A word of a multipath.conf line, or a double-quote mark (which multipath-tools keeps as its own token). */
public record Token(String text, boolean quote) {

    public static final Token QUOTE = new Token("\"", true);

    public static Token word(String text) {
        return new Token(text, false);
    }

    public boolean is(String s) {
        return !quote && text.equals(s);
    }
}
