package dev.pvmfw.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;

/** The property harness reports the seed and a reproduce command, and shrinks to a minimal failing input. */
class PropertyTest {

    @Test
    void failureIsShrunkAndReportedWithReproduceLine() {
        AssertionError e = assertThrows(AssertionError.class, () -> Property.forAll("PropertyTest#x", 1000,
                r -> new long[] {r.nextLong(), r.nextLong()},
                in -> {
                    if ((in[0] & 0x10) != 0) {
                        throw new AssertionError("bit 4 set");
                    }
                }));
        assertTrue(e.getMessage().contains("shrunk: [0x10, 0x0]"), e.getMessage());
        assertTrue(e.getMessage().contains("NOTE: reproduce with: ./mvnw test -Dtest=PropertyTest#x -Dpvmfw.seed=0x"),
                e.getMessage());
    }

    @Test
    void shrinkKeepsTheFailure() {
        long[] shrunk = Property.shrink(new long[] {0xff00, 77, 1 << 20}, in -> {
            if (in[2] < 1000) {
                return;
            }
            throw new AssertionError();
        });
        assertArrayEquals(new long[] {0, 0, 1024}, shrunk);
    }

    @Test
    void shardsCheckExactlyTheInputsOfTheWholePropertyInOrder() throws Throwable {
        List<Long> whole = new ArrayList<>();
        Property.forAll("PropertyTest#s", 100, r -> new long[] {r.nextLong()}, in -> whole.add(in[0]));
        List<Long> sharded = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (DynamicTest t : Property.shards("PropertyTest#s", 100, 7, r -> new long[] {r.nextLong()},
                in -> sharded.add(in[0])).toList()) {
            names.add(t.getDisplayName());
            t.getExecutable().execute();
        }
        assertEquals(100, whole.size());
        assertEquals(whole, sharded);
        assertEquals("cases 0..13", names.getFirst());
        assertEquals("cases 85..99", names.getLast());
        assertEquals(7, names.size());
    }
}
