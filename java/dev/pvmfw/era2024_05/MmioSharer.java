package dev.pvmfw.era2024_05;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.era.MemoryRange;
import java.util.Collections;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * vmbase's {@code MmioSharer} as at {@code c08e63cb:vmbase/src/memory/shared.rs} ({@code docs/pvmfw-2024-05.md},
 * "MmioSharer"): the set of MMIO guard granules pvmfw has shared, in a {@code BTreeSet} of their bases, unshared in
 * ascending order by {@link #unshareAll} or when dropped.
 *
 * <p><b>The granule</b> is read once, by {@link #create}: without an MMIO guard it is the page size, 4096; otherwise
 * MMIO_GUARD_INFO's answer (an error → {@code Hypervisor(e)}), which must be a multiple of 4096 ("For good measure.")
 * or {@code UnsupportedMmioGuardGranule(g)}; then {@code assert!(granule.is_power_of_two())} with no message of its
 * own, so 12 KiB and 0 (which passes the multiple test) panic with {@value #NOT_POWER_OF_TWO}.
 *
 * <p><b>{@link #share}</b>: the base is {@code unchecked_align_down(addr, granule)}; a base already shared, or equal
 * to the UART's 4 KiB page ({@code page_4kb_of(console::BASE_ADDRESS)} = 0), is refused with
 * {@code DuplicateMmioShare(base)} — so with a 16 KiB granule every fault in {@code 0x0..0x4000}, the RTC at 0x2000
 * and the watchdog at 0x3000 included, is refused; then, only with an MMIO guard, MMIO_GUARD_MAP(base) (an error →
 * {@code Hypervisor(e)}, nothing recorded); the base is recorded ({@value #NOT_INSERTED} if it was there, which cannot
 * happen); the granule's range is returned. No {@code virt_to_phys}: IPA 0 is valid MMIO.
 */
public final class MmioSharer implements AutoCloseable {
    /** aarch64-paging's {@code PAGE_SIZE}: the granule without an MMIO guard, and what a granule must be a multiple of. */
    public static final long PAGE_SIZE = 4096;
    /** The panic of {@code assert!(granule.is_power_of_two())} (as rustc 1.95.0 prints it for the same assert). */
    public static final String NOT_POWER_OF_TWO = "assertion failed: granule.is_power_of_two()";
    /** The panic of {@code assert!(inserted)} (as rustc 1.95.0 prints it for the same assert). */
    public static final String NOT_INSERTED = "assertion failed: inserted";
    /** {@code page_4kb_of(console::BASE_ADDRESS)}: the UART's page, 0. */
    public static final long UART_PAGE = CrosvmLayout.UART_BASE & ~0xfffL;

    private final Hypervisor hypervisor;
    private final long granule;
    private final NavigableSet<Long> frames = new TreeSet<>(Long::compareUnsigned);

    private MmioSharer(Hypervisor hypervisor, long granule) {
        this.hypervisor = hypervisor;
        this.granule = granule;
    }

    /**
     * {@code MmioSharer::new()}: {@code get_granule()?}, then the power-of-two assertion.
     *
     * @throws MemoryTrackerException {@code Hypervisor(e)} if MMIO_GUARD_INFO fails; UnsupportedMmioGuardGranule(g)
     *     if g is not a multiple of 4096
     * @throws InvariantViolation {@value #NOT_POWER_OF_TWO}
     */
    public static MmioSharer create(Hypervisor hypervisor) throws MemoryTrackerException {
        Objects.requireNonNull(hypervisor);
        long granule = getGranule(hypervisor);
        if (granule == 0 || (granule & (granule - 1)) != 0) {
            throw new InvariantViolation(NOT_POWER_OF_TWO);
        }
        return new MmioSharer(hypervisor, granule);
    }

    /**
     * {@code get_granule()}: 4096 without an MMIO guard; otherwise MMIO_GUARD_INFO, if a multiple of 4096.
     *
     * @throws MemoryTrackerException Hypervisor(e), UnsupportedMmioGuardGranule(g)
     */
    static long getGranule(Hypervisor hypervisor) throws MemoryTrackerException {
        Optional<MmioGuardedHypervisor> guard = hypervisor.asMmioGuard();
        if (guard.isEmpty()) {
            return PAGE_SIZE;
        }
        long granule;
        try {
            granule = guard.get().granule();
        } catch (HypException e) {
            throw new MemoryTrackerException(new MemoryTrackerError.Hypervisor(e.error()));
        }
        if (Long.remainderUnsigned(granule, PAGE_SIZE) == 0) {
            return granule;
        }
        throw new MemoryTrackerException(new MemoryTrackerError.UnsupportedMmioGuardGranule(granule));
    }

    /**
     * {@code share(addr)}: shares the granule holding {@code addr} (see the class comment).
     *
     * @return the granule's range, {@code base..base + granule}
     * @throws MemoryTrackerException DuplicateMmioShare(base), Hypervisor(e)
     */
    public MemoryRange share(long addr) throws MemoryTrackerException {
        long base = addr & ~(granule - 1);
        if (frames.contains(base) || base == UART_PAGE) {
            throw new MemoryTrackerException(new MemoryTrackerError.DuplicateMmioShare(base));
        }
        Optional<MmioGuardedHypervisor> guard = hypervisor.asMmioGuard();
        if (guard.isPresent()) {
            try {
                guard.get().map(base);
            } catch (HypException e) {
                throw new MemoryTrackerException(new MemoryTrackerError.Hypervisor(e.error()));
            }
        }
        if (!frames.add(base)) {
            throw new InvariantViolation(NOT_INSERTED);
        }
        return new MemoryRange(base, base + granule);
    }

    /**
     * {@code unshare_all()}: without an MMIO guard, forgets every base; otherwise pops the smallest base and
     * MMIO_GUARD_UNMAPs it until none is left. Never returns an error.
     *
     * @throws InvariantViolation {@code called `Result::unwrap()` on an `Err` value: <error>} if an UNMAP fails (the
     *     bases after it stay recorded)
     */
    public void unshareAll() {
        Optional<MmioGuardedHypervisor> guard = hypervisor.asMmioGuard();
        if (guard.isEmpty()) {
            frames.clear();
            return;
        }
        while (!frames.isEmpty()) {
            long base = frames.pollFirst();
            try {
                guard.get().unmap(base);
            } catch (HypException e) {
                throw InvariantViolation.unwrapErr(e.error());
            }
        }
    }

    /** The granule in bytes. */
    public long granule() {
        return granule;
    }

    /** The bases shared, ascending. */
    public NavigableSet<Long> frames() {
        return Collections.unmodifiableNavigableSet(new TreeSet<>(frames));
    }

    /**
     * {@code Drop}: {@link #unshareAll}.
     *
     * @throws InvariantViolation if an UNMAP fails
     */
    @Override
    public void close() {
        unshareAll();
    }
}
