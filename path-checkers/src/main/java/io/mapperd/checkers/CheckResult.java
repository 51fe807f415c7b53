package io.mapperd.checkers;

/**
 * One check's outcome: the state and the message multipathd logs for it, in multipath-tools'
 * words ("tur checker reports path is up").
 */
public record CheckResult(PathState state, String message) {
    public CheckResult {
        if (state == null) {
            throw new IllegalArgumentException("check result without a state");
        }
        message = message == null ? "" : message;
    }

    /** "NAME checker" followed by the suffix, as checker_message() and its caller compose it. */
    public static CheckResult of(String checker, PathState state, String suffix) {
        return new CheckResult(state, checker + " checker" + suffix);
    }

    public static CheckResult up(String checker) {
        return of(checker, PathState.UP, " reports path is up");
    }

    public static CheckResult down(String checker) {
        return of(checker, PathState.DOWN, " reports path is down");
    }

    public static CheckResult ghost(String checker) {
        return of(checker, PathState.GHOST, " reports path is ghost");
    }

    @Override
    public String toString() {
        return state.text() + " (" + message + ")";
    }
}
