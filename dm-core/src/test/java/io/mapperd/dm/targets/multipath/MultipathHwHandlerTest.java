package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.TestFiles;
import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.core.TargetRegistry;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BlockDevice;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The hardware handler hook: pg_init runs through the registered handler on a group switch
 * before I/O reaches the group, and its outcomes are handled as dm-mpath's pg_init_done does.
 */
class MultipathHwHandlerTest extends PathsOverOneFile {
    /** "pg_init NAME sent=N": what the handler saw, with the bios the path had received by then. */
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final Map<String, PgInitResult> answers = new ConcurrentHashMap<>();
    final List<String> attached = Collections.synchronizedList(new ArrayList<>());

    /** A handler for tests: answers pg_init after a short delay with what the test set for the path. */
    final class RecordingHandler implements HwHandler {
        @Override
        public String name() {
            return "rec";
        }

        @Override
        public void attach(BlockDevice path, List<String> params) throws TargetException {
            if (params.contains("refuse")) {
                throw new TargetException("unable to set hardware handler parameters");
            }
            attached.add(path.name() + " " + params);
        }

        @Override
        public CompletableFuture<PgInitResult> pgInit(BlockDevice path) {
            FaultyDevice d = (FaultyDevice) path;
            return CompletableFuture.supplyAsync(() -> {
                log.add("pg_init " + d.name() + " sent=" + d.submitted.get());
                return answers.getOrDefault(d.name(), PgInitResult.OK);
            }, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
        }
    }

    MultipathHwHandlerTest() {
        super(16384);
    }

    @Override
    protected DeviceMapper newDeviceMapper() {
        HwHandlerRegistry handlers = new HwHandlerRegistry();
        handlers.register("rec", RecordingHandler::new);
        TargetRegistry targets = TargetRegistry.withBuiltins();
        targets.register(new MultipathType(PathSelectorRegistry.global(), handlers));
        return new DeviceMapper(targets);
    }

    private MappedDevice mpath(String features, String hw) throws DmException {
        return dm.create("mp", null, "0 16384 multipath " + features + " " + hw + " 2 1 round-robin 0 1 0 "
                + FaultyProvider.url("f0", file) + " round-robin 0 1 0 " + FaultyProvider.url("f1", file), false);
    }

    private static void write(MappedDevice md, int i) throws Exception {
        md.submit(Bio.write(i * 8L, TestFiles.pattern(4096, i), 0)).get(10, TimeUnit.SECONDS);
    }

    private String line(StatusType type) throws DmException {
        return dm.get("mp").activeTable().lines(type).getFirst();
    }

    @Test
    void pgInitRunsBeforeIoReachesANewGroup() throws Exception {
        MappedDevice md = mpath("0", "2 rec opt");
        assertEquals(List.of("f0 [opt]", "f1 [opt]"), attached);
        assertEquals("0 16384 multipath 0 1 rec 2 1 round-robin 0 1 1 240:0 1 round-robin 0 1 1 240:1 1 ", line(StatusType.TABLE));
        write(md, 0);
        assertEquals(List.of("pg_init f0 sent=0"), log);
        assertEquals(1L, faulty.get("f0").submitted.get());
        assertEquals("0 16384 multipath 2 0 1 0 2 1 A 0 1 0 240:0 A 0 E 0 1 0 240:1 A 0 ", line(StatusType.INFO));
        write(md, 1);
        assertEquals(1, log.size(), "no pg_init while the group stays");

        dm.message("mp", 0, List.of("switch_group", "2"));
        write(md, 2);
        assertEquals(List.of("pg_init f0 sent=0", "pg_init f1 sent=0"), log);
        assertEquals(1L, faulty.get("f1").submitted.get());
        assertEquals("0 16384 multipath 2 0 1 0 2 2 E 0 1 0 240:0 A 0 A 0 1 0 240:1 A 0 ", line(StatusType.INFO));
    }

    @Test
    void failoverToAnotherGroupInitialisesItFirst() throws Exception {
        MappedDevice md = mpath("0", "1 rec");
        write(md, 0);
        faulty.get("f0").failWith(io.mapperd.dm.io.BlkStatus.TRANSPORT);
        write(md, 1);
        assertEquals(List.of("pg_init f0 sent=0", "pg_init f1 sent=0"), log);
        assertEquals("0 16384 multipath 2 0 1 0 2 2 E 0 1 0 240:0 F 1 A 0 1 0 240:1 A 0 ", line(StatusType.INFO));
    }

    @Test
    void retriesAreBoundedByPgInitRetriesThenThePathFails() throws Exception {
        answers.put("f0", PgInitResult.RETRY);
        MappedDevice md = mpath("4 pg_init_retries 2 pg_init_delay_msecs 10", "1 rec");
        assertEquals("0 16384 multipath 4 pg_init_retries 2 pg_init_delay_msecs 10 1 rec 2 1 round-robin 0 1 1 240:0 1 round-robin 0 1 1 240:1 1 ",
                line(StatusType.TABLE));
        write(md, 0);
        assertEquals(List.of("pg_init f0 sent=0", "pg_init f0 sent=0", "pg_init f0 sent=0", "pg_init f1 sent=0"), log);
        assertEquals(0L, faulty.get("f0").submitted.get());
        assertEquals("0 16384 multipath 2 0 1 0 2 2 E 0 1 0 240:0 F 1 A 0 1 0 240:1 A 0 ", line(StatusType.INFO));
    }

    @Test
    void aBusyControllerBypassesItsGroup() throws Exception {
        answers.put("f0", PgInitResult.DEV_TEMP_BUSY);
        MappedDevice md = mpath("0", "1 rec");
        write(md, 0);
        assertEquals(List.of("pg_init f0 sent=0", "pg_init f1 sent=0"), log);
        assertEquals("0 16384 multipath 2 0 1 0 2 2 D 0 1 0 240:0 A 0 A 0 1 0 240:1 A 0 ", line(StatusType.INFO));
        assertEquals(1L, faulty.get("f1").submitted.get());
    }

    @Test
    void aFailedPgInitFailsThePath() throws Exception {
        answers.put("f0", PgInitResult.DEV_OFFLINED);
        MappedDevice md = mpath("0", "1 rec");
        write(md, 0);
        assertEquals("0 16384 multipath 2 0 1 0 2 2 E 0 1 0 240:0 F 1 A 0 1 0 240:1 A 0 ", line(StatusType.INFO));
    }

    @Test
    void handlerRefusalsAndMissingHandlersRefuseTheTable() throws Exception {
        dm.create("x", null);
        DmException e = assertThrows(DmException.class, () -> dm.load("x", "0 16384 multipath 0 2 rec refuse 1 1 round-robin 0 1 0 "
                + FaultyProvider.url("r0", file), false));
        assertEquals("253:0: multipath: unable to set hardware handler parameters (-EINVAL)", e.getMessage());
        e = assertThrows(DmException.class, () -> dm.load("x", "0 16384 multipath 0 1 emc 1 1 round-robin 0 1 0 "
                + FaultyProvider.url("r0", file), false));
        assertEquals("253:0: multipath: error attaching hardware handler (-EINVAL)", e.getMessage());
    }
}
