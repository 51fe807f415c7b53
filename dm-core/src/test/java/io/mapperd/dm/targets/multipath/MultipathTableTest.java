package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.TwoFilesFixture;
import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.TargetRegistry;
import io.mapperd.dm.io.BlockDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Constructor syntax and errors, table/status lines and messages, in the kernel's words. */
class MultipathTableTest extends TwoFilesFixture {
    @Override
    protected DeviceMapper newDeviceMapper() {
        HwHandlerRegistry handlers = new HwHandlerRegistry();
        handlers.register("testhw", () -> new HwHandler() {
            @Override
            public String name() {
                return "testhw";
            }

            @Override
            public CompletableFuture<PgInitResult> pgInit(BlockDevice path) {
                return CompletableFuture.completedFuture(PgInitResult.OK);
            }
        });
        TargetRegistry targets = TargetRegistry.withBuiltins();
        targets.register(new MultipathType(PathSelectorRegistry.global(), handlers));
        return new DeviceMapper(targets);
    }

    private String table(String params) {
        return "0 8192 multipath " + params.replace("A", a.toString()).replace("B", b.toString());
    }

    private List<String> lines(String name, StatusType type) throws DmException {
        return dm.get(name).activeTable().lines(type);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            "''|invalid number of feature args",
            "9 queue_if_no_path|invalid number of feature args",
            "2 queue_if_no_path|invalid number of feature args",
            "1 queue_mode bio 0 1 1 round-robin 0 2 1 A 1 B 1|Unrecognised multipath feature request",
            "2 queue_mode foo 0 1 1 round-robin 0 1 0 A|Unknown 'queue_mode' requested",
            "2 pg_init_retries 0 0 1 1 round-robin 0 1 0 A|pg_init_retries must be between 1 and 50",
            "2 pg_init_retries 51 0 1 1 round-robin 0 1 0 A|pg_init_retries must be between 1 and 50",
            "2 pg_init_delay_msecs 60001 0 1 1 round-robin 0 1 0 A|pg_init_delay_msecs must be between 0 and 60000",
            "1 bogus 0 1 1 round-robin 0 1 0 A|Unrecognised multipath feature request",
            "0 1|invalid number of hardware handler args",
            "0 0|invalid number of priority groups",
            "0 0 1|invalid initial priority group number",
            "0 0 1 0 round-robin 0 1 0 A|invalid initial priority group",
            "0 0 0 1|invalid initial priority group",
            "0 0 1 1 round-robin|not enough priority group arguments",
            "0 0 1 1 nosuch 0 1 0 A|unknown path selector type",
            "0 0 1 1 round-robin 5 1 0 A|invalid number of path selector args",
            "0 0 1 1 round-robin 0 0 0|invalid number of paths",
            "0 0 1 1 round-robin 0 1 x A|invalid number of selector args",
            "0 0 1 1 round-robin 0 2 1 A 1|not enough path parameters",
            "0 0 1 1 round-robin 0 1 2 A 1 1|round-robin ps: incorrect number of arguments",
            "0 0 1 1 round-robin 0 1 1 A x|round-robin ps: invalid repeat count",
            "0 0 1 1 queue-length 0 1 2 A 1 1|queue-length ps: incorrect number of arguments",
            "0 0 1 1 service-time 0 1 3 A 1 1 1|service-time ps: incorrect number of arguments",
            "0 0 1 1 service-time 0 1 2 A 1 101|service-time ps: invalid relative_throughput value",
            "0 0 1 1 historical-service-time 1 1024 1 0 A|path selector constructor failed",
            "0 0 1 1 historical-service-time 3 1 1 1 1 0 A|path selector constructor failed",
            "0 0 1 1 historical-service-time 0 1 2 A 1 1|historical-service-time ps: incorrect number of arguments",
            "0 0 2 1 round-robin 0 1 0 A|priority group count mismatch",
            "0 0 1 1 round-robin 0 1 0 A round-robin 0 1 0 B|priority group count mismatch",
            "0 1 alua 1 1 round-robin 0 1 0 A|error attaching hardware handler",
    })
    void constructorErrorsUseTheKernelWords(String params, String error) throws Exception {
        dm.create("m", null);
        DmException e = assertThrows(DmException.class, () -> dm.load("m", table(params), false));
        assertEquals(DmException.EINVAL, e.errno());
        assertEquals("253:0: multipath: " + error + " (-EINVAL)", e.getMessage());
    }

    @Test
    void aMissingPathDeviceIsRefusedWithEnodev() throws Exception {
        dm.create("m", null);
        DmException e = assertThrows(DmException.class,
                () -> dm.load("m", table("0 0 1 1 round-robin 0 2 1 A 1 /nonexistent/x 1"), false));
        assertEquals(DmException.ENODEV, e.errno());
        assertEquals("253:0: multipath: error getting device (-ENODEV)", e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            // params | table | status
            "0 0 1 1 round-robin 0 2 1 A 1 B 1|0 0 1 1 round-robin 0 2 1 7:0 1 7:1 1 |2 1 0 0 1 1 E 0 2 0 7:0 A 0 7:1 A 0 ",
            "0 0 1 1 round-robin 0 2 1 A 1000 B 7|0 0 1 1 round-robin 0 2 1 7:0 1 7:1 1 |2 1 0 0 1 1 E 0 2 0 7:0 A 0 7:1 A 0 ",
            "0 0 1 1 round-robin 0 2 0 A B|0 0 1 1 round-robin 0 2 1 7:0 1 7:1 1 |2 1 0 0 1 1 E 0 2 0 7:0 A 0 7:1 A 0 ",
            "0 0 1 1 round-robin 2 x y 1 0 A|0 0 1 1 round-robin 0 1 1 7:0 1 |2 1 0 0 1 1 E 0 1 0 7:0 A 0 ",
            "0 0 0 0|0 0 0 0 |2 1 0 0 0 0 ",
            "2 queue_mode bio 0 1 1 round-robin 0 2 1 A 1 B 1|3 retain_attached_hw_handler queue_mode bio 0 1 1 round-robin 0 2 1 7:0 1 7:1 1 |2 1 0 0 1 1 E 0 2 0 7:0 A 0 7:1 A 0 ",
            "2 queue_mode mq 0 1 1 round-robin 0 1 0 A|0 0 1 1 round-robin 0 1 1 7:0 1 |2 1 0 0 1 1 E 0 1 0 7:0 A 0 ",
            "2 QUEUE_MODE RQ 0 1 1 round-robin 0 1 0 A|0 0 1 1 round-robin 0 1 1 7:0 1 |2 1 0 0 1 1 E 0 1 0 7:0 A 0 ",
            "1 Queue_If_No_Path 0 1 1 round-robin 0 1 0 A|1 queue_if_no_path 0 1 1 round-robin 0 1 1 7:0 1 |2 1 0 0 1 1 E 0 1 0 7:0 A 0 ",
            "6 pg_init_delay_msecs 0 retain_attached_hw_handler queue_if_no_path pg_init_retries 50 0 1 1 round-robin 0 1 0 A|6 queue_if_no_path pg_init_retries 50 pg_init_delay_msecs 0 retain_attached_hw_handler 0 1 1 round-robin 0 1 1 7:0 1 |2 1 0 0 1 1 E 0 1 0 7:0 A 0 ",
            "0 2 testhw p1 1 1 round-robin 0 1 0 A|0 1 testhw 1 1 round-robin 0 1 1 7:0 1 |2 1 0 0 1 1 E 0 1 0 7:0 A 0 ",
            "2 queue_mode bio 2 alua x 1 1 round-robin 0 1 0 A|3 retain_attached_hw_handler queue_mode bio 0 1 1 round-robin 0 1 1 7:0 1 |2 1 0 0 1 1 E 0 1 0 7:0 A 0 ",
            "0 0 1 1 queue-length 0 2 1 A 1 B 9|0 0 1 1 queue-length 0 2 1 7:0 1 7:1 1 |2 1 0 0 1 1 E 0 2 1 7:0 A 0 0 7:1 A 0 0 ",
            "0 0 1 1 service-time 0 2 2 A 1 4 B 1 0|0 0 1 1 service-time 0 2 2 7:0 1 4 7:1 1 0 |2 1 0 0 1 1 E 0 2 2 7:0 A 0 0 4 7:1 A 0 0 0 ",
            "0 0 1 1 service-time 0 2 1 A 3 B 1|0 0 1 1 service-time 0 2 2 7:0 1 1 7:1 1 1 |2 1 0 0 1 1 E 0 2 2 7:0 A 0 0 1 7:1 A 0 0 1 ",
            "0 0 1 1 historical-service-time 0 1 1 A 5|0 0 1 1 historical-service-time 2 972 0 1 1 7:0 0 |2 1 0 0 1 1 E 2 972 0 1 3 7:0 A 0 1024 0 0 ",
            "0 0 1 1 historical-service-time 2 512 3 1 0 A|0 0 1 1 historical-service-time 2 512 3 1 1 7:0 0 |2 1 0 0 1 1 E 2 512 3 1 3 7:0 A 0 1024 0 0 ",
            "0 0 2 2 round-robin 0 1 0 A round-robin 0 1 0 B|0 0 2 2 round-robin 0 1 1 7:0 1 round-robin 0 1 1 7:1 1 |2 1 0 0 2 2 E 0 1 0 7:0 A 0 E 0 1 0 7:1 A 0 ",
            "0 0 2 3 round-robin 0 1 0 A round-robin 0 1 0 B|0 0 2 1 round-robin 0 1 1 7:0 1 round-robin 0 1 1 7:1 1 |2 1 0 0 2 1 E 0 1 0 7:0 A 0 E 0 1 0 7:1 A 0 ",
    })
    void tableAndStatusEchoAsTheKernel(String params, String tableParams, String statusParams) throws Exception {
        dm.create("m", null, table(params), false);
        assertEquals(List.of("0 8192 multipath " + tableParams), lines("m", StatusType.TABLE));
        assertEquals(List.of("0 8192 multipath " + statusParams), lines("m", StatusType.INFO));
    }

    @Test
    void versionIsTheKernels() {
        int[] v = dm.targets().find("multipath").orElseThrow().version();
        assertEquals(List.of(1, 14, 0), List.of(v[0], v[1], v[2]));
    }

    private DmException messageFails(String... argv) {
        return assertThrows(DmException.class, () -> dm.message("m", 0, List.of(argv)));
    }

    @Test
    void badMessagesAreRefusedInTheKernelWords() throws Exception {
        dm.create("m", null, table("0 0 1 1 round-robin 0 2 1 A 1 B 1"), false);
        assertEquals("Invalid multipath message arguments. Expected 2 arguments, got 1.", messageFails("bogus").getMessage());
        assertEquals("Invalid multipath message arguments. Expected 2 arguments, got 3.",
                messageFails("fail_path", "7:0", "x").getMessage());
        assertEquals("invalid PG number supplied to switch_pg_num", messageFails("switch_group", "2").getMessage());
        assertEquals("invalid PG number supplied to switch_pg_num", messageFails("switch_group", "x").getMessage());
        assertEquals("invalid PG number supplied to bypass_pg", messageFails("disable_group", "0").getMessage());
        assertEquals("invalid PG number supplied to bypass_pg", messageFails("enable_group", "2").getMessage());
        assertEquals("Unrecognised multipath message received: frob", messageFails("frob", "7:0").getMessage());
        DmException e = messageFails("fail_path", "7:9");
        assertEquals(DmException.EINVAL, e.errno());
        assertEquals("message: error getting device /nonexistent", messageFails("reinstate_path", "/nonexistent").getMessage());
        assertEquals(List.of("0 8192 multipath 2 1 0 0 1 1 E 0 2 0 7:0 A 0 7:1 A 0 "), lines("m", StatusType.INFO));
    }

    @Test
    void messagesChangeStatusAsTheKernel() throws Exception {
        dm.create("m", null, table("0 0 2 1 round-robin 0 1 1 A 1 round-robin 0 1 1 B 1"), false);
        dm.message("m", 0, List.of("fail_path", a.toString()));
        assertEquals(List.of("0 8192 multipath 2 1 0 0 2 1 E 0 1 0 7:0 F 1 E 0 1 0 7:1 A 0 "), lines("m", StatusType.INFO));
        dm.message("m", 0, List.of("reinstate_path", "7:0"));
        dm.message("m", 0, List.of("disable_group", "1"));
        assertEquals(List.of("0 8192 multipath 2 1 0 0 2 1 D 0 1 0 7:0 A 1 E 0 1 0 7:1 A 0 "), lines("m", StatusType.INFO));
        dm.message("m", 0, List.of("enable_group", "1"));
        dm.message("m", 0, List.of("switch_group", "2"));
        assertEquals(List.of("0 8192 multipath 2 1 0 0 2 2 E 0 1 0 7:0 A 1 E 0 1 0 7:1 A 0 "), lines("m", StatusType.INFO));
        dm.message("m", 0, List.of("QUEUE_IF_NO_PATH"));
        assertEquals(List.of("0 8192 multipath 1 queue_if_no_path 0 2 2 round-robin 0 1 1 7:0 1 round-robin 0 1 1 7:1 1 "),
                lines("m", StatusType.TABLE));
        dm.message("m", 0, List.of("fail_if_no_path"));
        assertEquals(List.of("0 8192 multipath 0 0 2 2 round-robin 0 1 1 7:0 1 round-robin 0 1 1 7:1 1 "),
                lines("m", StatusType.TABLE));
    }

    @Test
    void messagesAreRefusedWhileSuspended() throws Exception {
        dm.create("m", null, table("0 0 1 1 round-robin 0 1 0 A"), false);
        dm.suspend("m", false);
        DmException e = messageFails("fail_path", "7:0");
        assertEquals(DmException.EBUSY, e.errno());
        dm.resume("m");
        dm.message("m", 0, List.of("fail_path", "7:0"));
        assertEquals(List.of("0 8192 multipath 2 1 0 0 1 1 E 0 1 0 7:0 F 1 "), lines("m", StatusType.INFO));
    }
}
