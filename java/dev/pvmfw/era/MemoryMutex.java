package dev.pvmfw.era;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * pvmfw's global {@code MEMORY: SpinMutex<Option<MemoryTracker>>}, as an object (tests and tools make their own): a
 * <em>non-reentrant</em> lock around an optional tracker, of whichever era ({@code T}). The exception handler only {@link #tryLock}s it, so a fault
 * raised while tracker code holds the lock fails with {@code PageTableUnavailable} instead of deadlocking; a second
 * {@code tryLock} from the holder itself fails too, as a spin mutex has no owner.
 */
public final class MemoryMutex<T> {
    private final AtomicReference<Thread> holder = new AtomicReference<>();
    private T tracker;

    /** {@code SpinMutex::new(None)}. */
    public MemoryMutex() {}

    /** A mutex already holding {@code tracker}. */
    public MemoryMutex(T tracker) {
        this.tracker = Objects.requireNonNull(tracker);
    }

    /** {@code try_lock()}: the guard, or empty if the lock is held (by anyone, this thread included). */
    public Optional<Guard> tryLock() {
        Thread me = Thread.currentThread();
        return holder.compareAndSet(null, me) ? Optional.of(new Guard(me)) : Optional.empty();
    }

    /**
     * {@code lock()}: spins until free.
     *
     * @throws IllegalStateException if this thread already holds it (a spin mutex would spin forever)
     */
    public Guard lock() {
        Thread me = Thread.currentThread();
        while (!holder.compareAndSet(null, me)) {
            if (holder.get() == me) {
                throw new IllegalStateException("MemoryMutex is not reentrant: this thread already holds it");
            }
            Thread.onSpinWait();
        }
        return new Guard(me);
    }


    /** The lock, held until {@link #close}. Not for use after closing. */
    public final class Guard implements AutoCloseable {
        private final Thread owner;
        private boolean released;

        private Guard(Thread owner) {
            this.owner = owner;
        }

        /** {@code as_mut()}: the tracker, if one is installed. */
        public Optional<T> tracker() {
            checkHeld();
            return Optional.ofNullable(tracker);
        }

        /** {@code replace(t)}: installs {@code t}, returning the previous tracker (not closed). */
        public Optional<T> replace(T t) {
            checkHeld();
            T previous = tracker;
            tracker = Objects.requireNonNull(t);
            return Optional.ofNullable(previous);
        }

        /** {@code take()}: removes and returns the tracker (the caller drops it). */
        public Optional<T> take() {
            checkHeld();
            T previous = tracker;
            tracker = null;
            return Optional.ofNullable(previous);
        }

        /** Releases the lock. Idempotent. */
        @Override
        public void close() {
            if (!released) {
                released = true;
                holder.compareAndSet(owner, null);
            }
        }

        private void checkHeld() {
            if (released) {
                throw new IllegalStateException("guard already released");
            }
        }
    }
}
