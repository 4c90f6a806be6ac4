package example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.catalog.Profiles;
import dev.pvmfw.image.Dumps;
import dev.pvmfw.image.ImageWalk;
import dev.pvmfw.image.TableImage;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.VaRange;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The exported API is enough to map a table, run a scenario and walk an image, on the module path. */
class ConsumerTest {
    @Test
    void runsOnTheModulePathWithOnlyTheLibrarysModules() {
        Module library = TableImage.class.getModule();
        assertEquals("dev.pvmfw.paging", library.getName(), "the library is a named module, not the class path");
        assertTrue(ConsumerTest.class.getModule().isNamed());
        assertFalse(library.isExported("dev.pvmfw.bindings.v0_4_0"), "the jextract bindings stay inside");
        assertFalse(library.isExported("dev.pvmfw.paging.internal"));
        assertFalse(library.isExported("dev.pvmfw.tool"));
        assertTrue(ModuleLayer.boot().findModule("info.picocli").isEmpty(), "picocli is the tool's, not inherited");
        assertTrue(ModuleLayer.boot().findModule("org.slf4j.simple").isEmpty(), "no logging binding inherited");
    }

    @Test
    void mapsATableAndTheMmuTranslatesThroughIt() throws Exception {
        WalkResult walk = FirstTable.mapAndWalk(0x8012_3456L);
        WalkResult.Translated t = assertInstanceOf(WalkResult.Translated.class, walk);
        assertEquals(0x8012_3456L, t.leaf().pa(), "an identity map");
        assertEquals(2, t.leaf().level(), "2 MiB, aligned: one level-2 block");
        assertInstanceOf(WalkResult.Faulted.class, FirstTable.mapAndWalk(0x8020_0000L));
    }

    @Test
    void runsAScenarioAndWalksItsImage() throws Exception {
        Scenario scenario = ScenarioText.parse("""
                scenario consumer
                arena slots=16 pa-base=0x40000000
                table level=1 va-range=lower
                map 0x0 0x1000 pa=0x80000000 flags=VALID|NORMAL
                """);
        byte[] image;
        try (JavaEngine engine = new JavaEngine(scenario)) {
            for (Step step : scenario.steps()) {
                assertInstanceOf(Outcome.Ok.class, engine.apply(step).outcome(), step.text());
            }
            image = engine.image().toArray(ValueLayout.JAVA_BYTE);
        }
        TableImage tables = TableImage.of(MemorySegment.ofArray(image), 0x4000_0000L, 1, VaRange.LOWER, 0);
        String ranges = Dumps.ranges(ImageWalk.walk(tables, Profiles.defaultProfile()));
        assertTrue(ranges.contains("0x0000000000000000-0x0000000000001000"), ranges);
    }
}
