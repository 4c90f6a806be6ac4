package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.cpu.Access;
import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.MemoryRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The SVG memory map of the demo's page table, read back as XML and checked against the crosvm layout the demo is known
 * to build (the UART page eager, the PCI CAM and low MMIO windows lazy except the pages the guest touched, pvmfw's
 * image and the device tree in RAM), not against the dump's own walk.
 */
class MemoryMapSvgTest {
    @TempDir
    static Path dir;

    record Region(long start, long end, String kind, Element element) {}

    static String svg;
    static List<Region> regions = new ArrayList<>();

    static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status);
        return out.toString(StandardCharsets.UTF_8);
    }

    @BeforeAll
    static void drawTheDemosTable() throws Exception {
        Path image = dir.resolve("demo.img");
        run("demo", "--save", image.toString());
        svg = run("dump", image.toString(), "--format", "svg");
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        NodeList groups = doc.getElementsByTagName("g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            if (g.getAttribute("class").equals("region")) {
                regions.add(new Region(Long.decode(g.getAttribute("data-start")), Long.decode(g.getAttribute("data-end")),
                        g.getAttribute("data-kind"), g));
            }
        }
    }

    static String kindAt(long va) {
        for (Region r : regions) {
            if (Long.compareUnsigned(r.start(), va) <= 0 && Long.compareUnsigned(va, r.end()) < 0) {
                return r.kind();
            }
        }
        throw new AssertionError("no region holds 0x" + Long.toHexString(va));
    }

    @Test
    void theRegionsCoverTheLowerRangeInOrderWithoutGaps() {
        assertEquals(0, regions.getFirst().start());
        assertEquals(1L << 39, regions.getLast().end(), "root level 1: a 39-bit VA range");
        for (int i = 1; i < regions.size(); i++) {
            assertEquals(regions.get(i - 1).end(), regions.get(i).start(), "contiguous at region " + i);
        }
        for (Region r : regions) {
            assertEquals(r.kind().equals("empty"), r.element().getAttribute("data-folded").equals("true"));
        }
    }

    @Test
    void theUartAndTheTouchedDevicePagesAreValidAndTheRestOfTheWindowsLazy() {
        assertEquals("valid-device", kindAt(CrosvmLayout.UART_PAGE), "the UART is mapped eagerly");
        Set<Long> touched = new HashSet<>();
        for (DemoCommand.Access_ a : DemoCommand.TRACE) {
            touched.add(a.va() & ~0xfffL);
        }
        for (MemoryRange window : List.of(CrosvmLayout.PCI_CAM, CrosvmLayout.LOW_MMIO)) {
            for (long page = window.start(); page < window.end(); page += 4096) {
                assertEquals(touched.contains(page) ? "valid-device" : "lazy", kindAt(page),
                        "page 0x" + Long.toHexString(page));
            }
        }
        assertTrue(DemoCommand.TRACE.stream().anyMatch(a -> a.kind() == Access.WRITE));
    }

    @Test
    void pvmfwsImageAndTheDeviceTreeAreNormalMemory() {
        for (MemoryRange r : List.of(CrosvmLayout.TEXT, CrosvmLayout.RODATA, CrosvmLayout.STACK,
                new MemoryRange(CrosvmLayout.FDT_BASE, CrosvmLayout.FDT_BASE + CrosvmLayout.FDT_SIZE))) {
            for (long page = r.start(); page < r.end(); page += 4096) {
                assertEquals("valid-memory", kindAt(page), "page 0x" + Long.toHexString(page) + " of " + r);
            }
        }
        assertEquals("valid-memory", kindAt(CrosvmLayout.TEXT.start()));
    }

    @Test
    void theLegendNamesEveryKindAndEveryRegionHasHoverDetails() {
        for (String kind : List.of("valid-device", "valid-memory", "lazy", "invalid-garbage", "empty")) {
            assertTrue(svg.contains("<g class=\"legend\" data-kind=\"" + kind + "\">"), kind);
        }
        for (Region r : regions) {
            assertEquals(1, r.element().getElementsByTagName("title").getLength());
        }
    }

    @Test
    void theReadmesPictureIsTheDemosTableToday() throws Exception {
        assertEquals(Files.readString(Path.of("docs/demo-memory-map.svg")), svg,
                "regenerate: pvmfw-paging demo --save demo.img && pvmfw-paging dump demo.img --format svg "
                        + "> docs/demo-memory-map.svg");
    }
}
