package io.mapperd.multipathd.command;

/**
 * What an operator action did. {@code reply} is sent as is when not empty ("blacklisted\n",
 * "delayed\n", a dry run's difference); otherwise the client gets multipathd's "ok\n" or
 * "fail\n". {@code reason} says why an action failed, for the daemon's log (multipathd's clients
 * only see "fail").
 */
public record ActionResult(boolean succeeded, String reply, String reason) {
    public ActionResult {
        reply = reply == null ? "" : reply;
        reason = reason == null ? "" : reason;
    }

    public static ActionResult ok() {
        return new ActionResult(true, "", "");
    }

    public static ActionResult ok(String reply) {
        return new ActionResult(true, reply, "");
    }

    public static ActionResult fail(String reason) {
        return new ActionResult(false, "", reason);
    }

    public static ActionResult fail(String reply, String reason) {
        return new ActionResult(false, reply, reason);
    }

    /** The text multipathd sends back for this result. */
    public String text() {
        return !reply.isEmpty() ? reply : succeeded ? "ok\n" : "fail\n";
    }
}
