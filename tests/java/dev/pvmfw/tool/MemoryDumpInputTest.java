package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.image.ElfCoreTest;
import dev.pvmfw.image.ElfCoreTest.Load;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code dump}, {@code translate}, {@code check} and {@code diff} on a machine's memory ({@code --ttbr0} with an ELF
 * core or {@code --ram-base} with raw RAM; {@code docs/real-dumps.md}): tables anywhere in the memory, and bad input
 * as one line with exit status 2, never a trace.
 */
class MemoryDumpInputTest {
    @TempDir
    Path dir;

    /** A core of two segments: the root at PA 0x4000_3000, its level-2 table at 0x8000_1000 in the other. */
    Path core() throws Exception {
        byte[] low = ElfCoreTest.pages(4);
        byte[] high = ElfCoreTest.pages(2);
        ElfCoreTest.put(low, 4096 * 3, 0x8000_1000L | 3);
        ElfCoreTest.put(high, 4096 + 8 * 2, 0x4000_0000L | (1 << 10) | (1 << 7) | 1);
        Path p = dir.resolve("core.elf");
        Files.write(p, ElfCoreTest.core(4, 183, new Load(0x4000_0000L, low), new Load(0x8000_0000L, high)));
        return p;
    }

    @Test
    void translateWalksATableInAnotherSegmentFromATtbrWithAnAsid() throws Exception {
        ToolRun r = ToolRun.of("translate", "0x401234", core().toString(), "--ttbr0", "0x0042000040003001");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("-> PA 0x40001234 (2M block at level 2)"), r.out());
        assertTrue(r.out().contains("read ok; write permission fault at level 2 (ESR 0x9600004e)"), r.out());
        JsonNode doc = new ObjectMapper().readTree(ToolRun.of("translate", "0x401234", core().toString(),
                "--ttbr0", "0x40003000", "--json").out());
        assertTrue(doc.get("access").get("read").get("ok").asBoolean());
        assertEquals("permission", doc.get("access").get("write").get("kind").asString());
        assertEquals("0x9600004e", doc.get("access").get("write").get("esr").asString());
    }

    @Test
    void rawRamWithABase() throws Exception {
        byte[] ram = ElfCoreTest.pages(1);
        ElfCoreTest.put(ram, 8, 0xc000_0000L | (1 << 10) | 1);
        Path p = dir.resolve("ram.bin");
        Files.write(p, ram);
        ToolRun r = ToolRun.of("translate", "0x40000042", p.toString(), "--ttbr0", "0x90000000", "--ram-base",
                "0x90000000");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("-> PA 0xc0000042"), r.out());
    }

    @Test
    void dumpCheckAndDiffReadTheRootsSegment() throws Exception {
        byte[] ram = ElfCoreTest.pages(8);
        ElfCoreTest.put(ram, 4096 * 6, 0x4000_1000L | 3); // root at slot 6, its L2 at slot 1: not in slot order
        ElfCoreTest.put(ram, 4096 + 8 * 2, 0x4000_0000L | (1 << 10) | 1);
        Path one = dir.resolve("one.elf");
        Files.write(one, ElfCoreTest.core(4, 183, new Load(0x4000_0000L, ram)));
        ToolRun dump = ToolRun.of("dump", one.toString(), "--ttbr0", "0x40006000");
        assertEquals(0, dump.status(), dump.err());
        assertTrue(dump.out().contains("2 tables used of 8"), dump.out());
        assertTrue(dump.out().contains("0x0000000000400000-0x0000000000600000"), dump.out());
        // the documented limit: dump, check and diff read the root's segment, so a table in another is outside
        String core = core().toString();
        ToolRun check = ToolRun.of("check", core, "--ttbr0", "0x40003000");
        assertTrue(check.out().contains("outside the image"), check.out());
        ToolRun diff = ToolRun.of("diff", core, core, "--ttbr0", "0x40003000");
        assertEquals(0, diff.status(), diff.err());
        assertEquals("identical", diff.out().strip());
    }

    @Test
    void badDumpsAndOptionsAreOneLineErrors() throws Exception {
        String core = core().toString();
        byte[] bytes = Files.readAllBytes(Path.of(core));
        Path truncated = dir.resolve("truncated.elf");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));
        Path notCore = dir.resolve("exec.elf");
        byte[] exec = bytes.clone();
        exec[16] = 2;
        Files.write(notCore, exec);
        String[][] cases = {
            {"translate", "0", truncated.toString(), "--ttbr0", "0x40003000"},
            {"translate", "0", notCore.toString(), "--ttbr0", "0x40003000"},
            {"translate", "0", core, "--ttbr0", "0x50000000"},
            {"translate", "0", core, "--ttbr0", "0x40003000", "--ttbr1", "0x40003000"},
            {"translate", "0", core, "--ram-base", "0x40000000"},
            {"translate", "0", core, "--ttbr0", "0x40003000", "--t0sz", "12"},
            {"translate", "0", dir.toString(), "--ttbr0", "0x40003000"},
            {"dump", "--ttbr0", "0x40003000"},
            {"check", core, "--ttbr0", "0x40003000", "--ram-base", "0xfffffffffffff000"},
            {"diff", core, truncated.toString(), "--ttbr0", "0x40003000"},
        };
        for (String[] args : cases) {
            ToolRun r = ToolRun.of(args);
            String what = String.join(" ", args) + ": " + r.err();
            assertEquals(2, r.status(), what);
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), what);
            assertTrue(r.err().lines().count() <= 2, what);
        }
        assertTrue(ToolRun.of(cases[0]).err().contains("beyond the end of the file"));
        assertTrue(ToolRun.of(cases[2]).err().contains("is in no segment of the dump"));
    }
}
