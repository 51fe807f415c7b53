package io.mapperd.dm.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry lists targets as the kernel does: dm-mod's built-ins from the start (reference
 * capture global/04-targets), the module targets once a table loaded them, the last loaded first
 * (teardown/02-targets).
 */
class TargetRegistryTest {
    private static List<String> loaded(DeviceMapper dm) {
        return dm.targets().loaded().stream().map(TargetType::name).toList();
    }

    @Test
    void builtinsAreListedFromTheStartModulesFromTheirFirstUse() throws Exception {
        try (DeviceMapper dm = new DeviceMapper()) {
            assertEquals(List.of("striped", "linear", "error"), loaded(dm));
            assertTrue(dm.targets().find("zero").isPresent(), "a module target is available before it is listed");
            assertEquals(List.of("striped", "linear", "error"), loaded(dm), "find does not load");
            dm.create("z", null, "0 8 zero", false);
            assertThrows(DmException.class, () -> dm.create("f", null, "0 8 flakey", false));
            dm.create("e", null, "0 8 error", false);
            assertEquals(List.of("flakey", "zero", "striped", "linear", "error"), loaded(dm),
                    "a refused table still loaded flakey's module; error was already there");
            assertThrows(DmException.class, () -> dm.create("n", null, "0 8 nosuchtarget", false));
            assertEquals(5, loaded(dm).size());
        }
    }

    @Test
    void anUnregisteredTargetIsUnknownAsInAKernelWithoutIt() throws Exception {
        try (DeviceMapper dm = new DeviceMapper()) {
            dm.targets().unregister("dust");
            DmException e = assertThrows(DmException.class, () -> dm.create("d", null, "0 8 dust x 0 512", false));
            assertEquals("253:0: dust: unknown target type", e.getMessage());
            assertTrue(dm.targets().load("dust").isEmpty());
            assertTrue(loaded(dm).stream().noneMatch("dust"::equals));
        }
    }
}
