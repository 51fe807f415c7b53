package io.mapperd.multipathd.command;

import java.util.ArrayList;
import java.util.List;

/**
 * A command line read as multipathd reads it: its keywords (each with the parameter that followed
 * it, if it takes one), and the parse error multipathd would report ({@link Error#NONE} when the
 * line is well formed).
 */
public record ParsedCommand(List<Token> tokens, Error error) {
    /** One keyword and its parameter (null when it takes none). */
    public record Token(Keyword.Code code, String param) {
    }

    /** get_cmdvec's outcomes. */
    public enum Error {
        NONE,
        /** no words at all ("Not enough memory" in multipathd's words) */
        EMPTY,
        /** an unknown word at the end of the line ("not found", then the help) */
        NOT_FOUND_AT_END,
        /** an unknown word before the end ("fail") */
        NOT_FOUND,
        /** a keyword's parameter is missing ("Missing argument", then the help) */
        MISSING_ARGUMENT
    }

    public ParsedCommand {
        tokens = List.copyOf(tokens);
    }

    public static ParsedCommand parse(String line) {
        List<String> words = CommandWords.split(line);
        if (words == null) {
            return new ParsedCommand(List.of(), Error.EMPTY);
        }
        List<Token> tokens = new ArrayList<>();
        Keyword pending = null;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals(CommandWords.QUOTE)) {
                continue;
            }
            if (pending != null) {
                tokens.add(new Token(pending.code(), w));
                pending = null;
                continue;
            }
            Keyword k = Keyword.find(w);
            if (k == null) {
                return new ParsedCommand(tokens, i == words.size() - 1 ? Error.NOT_FOUND_AT_END : Error.NOT_FOUND);
            }
            if (k.hasParam()) {
                pending = k;
            } else {
                tokens.add(new Token(k.code(), null));
            }
        }
        if (pending != null) {
            tokens.add(new Token(pending.code(), null));
            return new ParsedCommand(tokens, Error.MISSING_ARGUMENT);
        }
        return new ParsedCommand(tokens, Error.NONE);
    }

    public List<Keyword.Code> fingerprint() {
        return tokens.stream().map(Token::code).toList();
    }

    /** The parameter of the first keyword with {@code code}, or null. */
    public String param(Keyword.Code code) {
        return tokens.stream().filter(t -> t.code() == code).map(Token::param).findFirst().orElse(null);
    }
}
