package io.mapperd.sim;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimLoopsTest {

    @AfterEach
    void clear() {
        System.clearProperty(SimLoops.PROPERTY);
    }

    @Test
    void defaultsToTwoAndTakesTheProperty() {
        assertEquals(2, SimLoops.count());
        System.setProperty(SimLoops.PROPERTY, "1");
        assertEquals(1, SimLoops.count());
    }

    @Test
    void badValuesSayWhatIsWrong() {
        System.setProperty(SimLoops.PROPERTY, "0");
        assertTrue(assertThrows(IllegalArgumentException.class, SimLoops::count).getMessage().contains("mapperd.sim.loops 0"));
        System.setProperty(SimLoops.PROPERTY, "two");
        assertTrue(assertThrows(IllegalArgumentException.class, SimLoops::count).getMessage().contains("'two'"));
    }
}
