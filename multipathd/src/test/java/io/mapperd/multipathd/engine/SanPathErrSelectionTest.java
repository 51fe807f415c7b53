package io.mapperd.multipathd.engine;

import io.mapperd.conf.ConfigLoader;
import io.mapperd.conf.PathIdentity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** delay_watch_checks and delay_wait_checks mapped onto san_path_err_* as multipath-tools 0.9.4's propsel.c does. */
class SanPathErrSelectionTest {
    static SanPathErr select(String defaults) throws Exception {
        var c = ConfigLoader.merge(List.of(ConfigLoader.parse("defaults {\n\tmax_polling_interval 4\n" + defaults + "}\n", "t.conf")));
        String wwid = SanFixture.WWID0;
        return SanPathErr.select("m", c.forMap(wwid, PathIdentity.of("sda", "MAPPERD", "SIMLUN0", wwid)), 4);
    }

    @Test
    void bothDelayOptionsGiveThresholdOneForgetRateAndRecoveryTimeInMaxPollingIntervals() throws Exception {
        SanPathErr s = select("\tdelay_watch_checks 5\n\tdelay_wait_checks 3\n");
        assertEquals(new SanPathErr(1, 5, 12), s);
        assertTrue(s.enabled());
    }

    @Test
    void oneDelayOptionAloneLeavesTheCheckOff() throws Exception {
        assertEquals(new SanPathErr(1, 5, 0), select("\tdelay_watch_checks 5\n"));
        assertFalse(select("\tdelay_watch_checks 5\n").enabled());
        assertEquals(new SanPathErr(1, 0, 12), select("\tdelay_wait_checks 3\n"));
        assertFalse(select("\tdelay_wait_checks 3\n").enabled());
        assertEquals(SanPathErr.OFF, select("\tdelay_watch_checks no\n"));
        assertEquals(SanPathErr.OFF, select(""));
    }

    @Test
    void anySanPathErrOptionWinsOverTheDelayOptions() throws Exception {
        assertEquals(new SanPathErr(2, 0, 0), select("\tsan_path_err_threshold 2\n\tdelay_watch_checks 5\n\tdelay_wait_checks 3\n"));
        assertEquals(new SanPathErr(3, 10, 20),
                select("\tsan_path_err_threshold 3\n\tsan_path_err_forget_rate 10\n\tsan_path_err_recovery_time 20\n"));
    }

    @Test
    void marginalPathCheckingTurnsSanPathErrOffButNotTheDelayMapping() throws Exception {
        String marginal = "\tmarginal_path_double_failed_time 60\n\tmarginal_path_err_sample_time 120\n"
                + "\tmarginal_path_err_rate_threshold 10\n\tmarginal_path_err_recheck_gap_time 300\n";
        assertEquals(SanPathErr.OFF, select(marginal + "\tsan_path_err_threshold 3\n\tsan_path_err_forget_rate 10\n"
                + "\tsan_path_err_recovery_time 20\n"));
        assertEquals(new SanPathErr(1, 5, 12), select(marginal + "\tdelay_watch_checks 5\n\tdelay_wait_checks 3\n"));
    }
}
