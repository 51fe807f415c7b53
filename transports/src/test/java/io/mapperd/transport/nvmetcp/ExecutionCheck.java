package io.mapperd.transport.nvmetcp;

import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Asserts that a bio future fails with a given block status and a message naming the reason. */
public final class ExecutionCheck {
    private ExecutionCheck() {
    }

    public static BioException fails(CompletableFuture<?> f, BlkStatus status, String messagePart) throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            BioException b = BioException.of(e.getCause());
            assertEquals(status, b.status(), "status of: " + b.getMessage());
            assertTrue(b.getMessage().contains(messagePart), "'" + b.getMessage() + "' should name '" + messagePart + "'");
            return b;
        }
        fail("expected a " + status + " failure");
        return null;
    }
}
