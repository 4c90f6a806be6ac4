package dev.pvmfw.oracle.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.testing.Property;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The golden-vector image forms are exact: decode(encode(image)) == image, and the digest sees every byte. */
class ImageCodecTest {

    @Test
    void encodeDecodeRoundTripsRandomImagesWithProgressions() {
        Property.forAll("ImageCodecTest#encodeDecodeRoundTripsRandomImagesWithProgressions", 300,
                r -> new long[] {r.nextLong()}, in -> {
                    java.util.SplittableRandom r = new java.util.SplittableRandom(in[0]);
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment image = arena.allocate(4 * 4096L, 4096);
                        for (int i = 0; i < 4 * 512; i++) {
                            int kind = r.nextInt(4);
                            long v = kind == 0 ? 0 : kind == 1 ? r.nextLong() : (i % 512) * 0x1000L | 0x402;
                            image.set(TableLayout.DESCRIPTOR, i * 8L, v);
                        }
                        MemorySegment back = arena.allocate(4 * 4096L, 4096);
                        for (String line : ImageCodec.encode(image)) {
                            ImageCodec.decodeInto(line, back);
                        }
                        assertEquals(-1, image.mismatch(back));
                        assertEquals(ImageCodec.digest(image), ImageCodec.digest(back));
                    }
                });
    }

    @Test
    void garbageFilledTableIsOneRun() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment image = arena.allocate(2 * 4096L, 4096);
            for (int j = 0; j < 512; j++) {
                TableLayout.write(image.asSlice(4096, 4096), j, j == 0 ? 0x8000_0707L : j * 0x1000L | 0x402);
            }
            assertEquals(List.of("image 1 0:0x80000707 1+511:0x1402/0x1000"), ImageCodec.encode(image));
            String before = ImageCodec.digest(image);
            image.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 8191, (byte) 1);
            assertNotEquals(before, ImageCodec.digest(image));
        }
    }
}
