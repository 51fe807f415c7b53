package io.mapperd.multipathd.command;

import io.mapperd.multipathd.control.AccessPolicy;
import io.mapperd.multipathd.control.Peer;
import io.mapperd.multipathd.dmsetup.DmsetupCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The one parser for every operator command, wherever it comes from (control socket, console):
 * a line starting with {@code dmsetup} runs the dmsetup command set and answers with a
 * {@link Reply} envelope; anything else is multipathd's command language, answered in plain text
 * as multipathd answers. State changes need a privileged peer; reads are open to anyone.
 */
public final class CommandProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

    private final DmsetupCommands dmsetup;
    private final MultipathdCommands multipathd;
    private final AccessPolicy policy;

    public CommandProcessor(DmsetupCommands dmsetup, MultipathdCommands multipathd, AccessPolicy policy) {
        this.dmsetup = dmsetup;
        this.multipathd = multipathd;
        this.policy = policy;
    }

    /** Runs one command line for {@code peer}; returns the reply text to send back. */
    public String handle(String line, Peer peer) {
        if (!isDmsetup(line)) {
            return multipathd.handle(line, peer, policy);
        }
        List<String> words;
        try {
            words = Words.split(line);
        } catch (IllegalArgumentException e) {
            return new Reply("", "dmsetup: " + e.getMessage() + "\n", 1).envelope();
        }
        List<String> argv = words.subList(1, words.size());
        if (DmsetupCommands.changesState(argv) && !policy.mayChange(peer)) {
            LOG.info("refused from {}: dmsetup {}", peer, String.join(" ", argv));
            String verb = argv.stream().filter(w -> !w.startsWith("-")).findFirst().orElse("");
            return new Reply("", "dmsetup " + verb + ": permission denied: changing device-mapper state needs "
                    + policy.who() + " (peer uid " + peer.uid() + ")\nCommand failed.\n", 1).envelope();
        }
        Reply r = dmsetup.run(argv);
        if (DmsetupCommands.changesState(argv) && r.rc() == 0) {
            LOG.info("dmsetup {} (from {})", String.join(" ", argv), peer);
        }
        return r.envelope();
    }

    private static boolean isDmsetup(String line) {
        String s = line.stripLeading();
        return s.startsWith("dmsetup") && (s.length() == 7 || Character.isWhitespace(s.charAt(7)));
    }
}
