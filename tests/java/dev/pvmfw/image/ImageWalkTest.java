package dev.pvmfw.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The structural violations of the image walk, each under its own name. */
class ImageWalkTest {
    static final long BASE = 0x4000_0000L;

    static MmuConfig bits(int outputBits) {
        return MmuConfig.of(1, VaRange.LOWER).withOutputBits(outputBits);
    }

    static List<String> rules(ImageWalk.Structure s) {
        return s.violations().stream().map(Violation::rule).toList();
    }

    @Test
    void aPointerBeyondTheOutputSizeIsNotCalledOutsideTheImage() throws Exception {
        MemorySegment b = MemorySegment.ofArray(new byte[4096]);
        TableLayout.write(b, 0, (1L << 40) | 0b11);
        TableLayout.write(b, 1, 0x9000_0000L | 0b11);
        TableImage image = TableImage.of(b, BASE, 1, VaRange.LOWER, 0);
        ImageWalk.Structure narrow = ImageWalk.walk(image, bits(40), Profile040.INSTANCE);
        assertEquals(List.of("pointer-beyond-output-size", "pointer-outside-image"), rules(narrow));
        assertEquals("table descriptor points at 0x10000000000, at or above the 40-bit output address size: the MMU "
                + "raises an Address size fault at level 1", narrow.violations().getFirst().message());
        // With 48 bits the same address is merely not in the image.
        assertEquals(List.of("pointer-outside-image", "pointer-outside-image"),
                rules(ImageWalk.walk(image, Profile040.INSTANCE)));
        assertEquals(bits(40), narrow.config());
    }

    @Test
    void aRootBeyondTheOutputSizeIsReportedAndNothingIsWalked() throws Exception {
        MemorySegment b = MemorySegment.ofArray(new byte[4096]);
        TableLayout.write(b, 0, 0x4000_0401L);
        TableImage image = TableImage.of(b, 1L << 40, 1, VaRange.LOWER, 0);
        ImageWalk.Structure s = ImageWalk.walk(image, bits(40), Profile040.INSTANCE);
        assertEquals(List.of("root-beyond-output-size"), rules(s));
        assertEquals(List.of(), s.tables());
        assertEquals(List.of(), s.entries());
        assertEquals(1, ImageWalk.walk(image, Profile040.INSTANCE).entries().size());
    }
}
