package dev.pvmfw.paging.v0_12_1.mair;

import java.util.Optional;

/**
 * The inner or outer attributes of Normal memory in a MAIR field ({@code mair::NormalMemory}, {@code #[repr(u8)]}),
 * with their 4-bit encodings and the crate's Display texts.
 */
public enum NormalMemory {
    /** {@code WriteThroughTransientWriteAllocate} (0b0001): Write-through transient, write-allocate. */
    WriteThroughTransientWriteAllocate(0b0001, "Write-through transient, write-allocate"),
    /** {@code WriteThroughTransientReadAllocate} (0b0010): Write-through transient, read-allocate. */
    WriteThroughTransientReadAllocate(0b0010, "Write-through transient, read-allocate"),
    /** {@code WriteThroughTransientReadWriteAllocate} (0b0011): Write-through transient, read-write-allocate. */
    WriteThroughTransientReadWriteAllocate(0b0011, "Write-through transient, read-write-allocate"),
    /** {@code NonCacheable} (0b0100): Non-Cacheable. */
    NonCacheable(0b0100, "Non-Cacheable"),
    /** {@code WriteBackTransientWriteAllocate} (0b0101): Write-back transient, write-allocate. */
    WriteBackTransientWriteAllocate(0b0101, "Write-back transient, write-allocate"),
    /** {@code WriteBackTransientReadAllocate} (0b0110): Write-back transient, read-allocate. */
    WriteBackTransientReadAllocate(0b0110, "Write-back transient, read-allocate"),
    /** {@code WriteBackTransientReadWriteAllocate} (0b0111): Write-back transient, read-write-allocate. */
    WriteBackTransientReadWriteAllocate(0b0111, "Write-back transient, read-write-allocate"),
    /** {@code WriteThroughNonTransient} (0b1000): Write-through non-transient, do not allocate. */
    WriteThroughNonTransient(0b1000, "Write-through non-transient, do not allocate"),
    /** {@code WriteThroughNonTransientWriteAllocate} (0b1001): Write-through non-transient, write-allocate. */
    WriteThroughNonTransientWriteAllocate(0b1001, "Write-through non-transient, write-allocate"),
    /** {@code WriteThroughNonTransientReadAllocate} (0b1010): Write-through non-transient, read-allocate. */
    WriteThroughNonTransientReadAllocate(0b1010, "Write-through non-transient, read-allocate"),
    /** {@code WriteThroughNonTransientReadWriteAllocate} (0b1011): Write-through non-transient, read-write-allocate. */
    WriteThroughNonTransientReadWriteAllocate(0b1011, "Write-through non-transient, read-write-allocate"),
    /** {@code WriteBackNonTransient} (0b1100): Write-back non-transient, do not allocate. */
    WriteBackNonTransient(0b1100, "Write-back non-transient, do not allocate"),
    /** {@code WriteBackNonTransientWriteAllocate} (0b1101): Write-back non-transient, write-allocate. */
    WriteBackNonTransientWriteAllocate(0b1101, "Write-back non-transient, write-allocate"),
    /** {@code WriteBackNonTransientReadAllocate} (0b1110): Write-back non-transient, read-allocate. */
    WriteBackNonTransientReadAllocate(0b1110, "Write-back non-transient, read-allocate"),
    /** {@code WriteBackNonTransientReadWriteAllocate} (0b1111): Write-back non-transient, read-write-allocate. */
    WriteBackNonTransientReadWriteAllocate(0b1111, "Write-back non-transient, read-write-allocate");

    private final int value;
    private final String text;

    NormalMemory(int value, String text) {
        this.value = value;
        this.text = text;
    }

    /** The 4-bit encoding ({@code as u8}). */
    public int value() {
        return value;
    }

    /**
     * {@code TryFrom<u8>}: the attribute for a 4-bit value, empty for 0 and above 15. Reproduced on purpose: the
     * crate maps {@code 0b0001} to {@link #WriteBackNonTransientWriteAllocate} (encoded {@code 0b1101}), not to
     * {@link #WriteThroughTransientWriteAllocate}; every other value maps to the variant with that encoding.
     */
    public static Optional<NormalMemory> tryFrom(int value) {
        if (value == 0b0001) {
            return Optional.of(WriteBackNonTransientWriteAllocate);
        }
        for (NormalMemory m : values()) {
            if (m.value == value) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The crate's {@code Display}. */
    @Override
    public String toString() {
        return text;
    }
}
