package dev.pvmfw.era;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** pvmfw's {@code MEMORY} spin mutex: replace/take as on {@code Option}, no reentrance, no use after release. */
class MemoryMutexTest {

    @Test
    void replaceReturnsThePreviousTrackerAndTakeEmptiesIt() {
        MemoryMutex<String> m = new MemoryMutex<>();
        try (MemoryMutex<String>.Guard g = m.lock()) {
            assertEquals(Optional.empty(), g.replace("first"));
            assertEquals(Optional.of("first"), g.replace("second"));
            assertEquals(Optional.of("second"), g.tracker());
            assertEquals(Optional.of("second"), g.take());
            assertEquals(Optional.empty(), g.tracker());
        }
    }

    @Test
    void lockingTwiceFromTheHolderIsRefusedInsteadOfSpinningForever() {
        MemoryMutex<String> m = new MemoryMutex<>("t");
        try (MemoryMutex<String>.Guard g = m.lock()) {
            assertThrows(IllegalStateException.class, m::lock);
            assertTrue(m.tryLock().isEmpty());
        }
        try (MemoryMutex<String>.Guard g = m.lock()) {
            assertEquals(Optional.of("t"), g.tracker());
        }
    }

    @Test
    void aReleasedGuardRefusesEveryOperation() {
        MemoryMutex<String> m = new MemoryMutex<>("t");
        MemoryMutex<String>.Guard g = m.lock();
        g.close();
        g.close();
        assertThrows(IllegalStateException.class, g::tracker);
        assertThrows(IllegalStateException.class, g::take);
        assertThrows(IllegalStateException.class, () -> g.replace("u"));
        try (MemoryMutex<String>.Guard again = m.tryLock().orElseThrow()) {
            assertEquals(Optional.of("t"), again.tracker());
        }
    }
}
