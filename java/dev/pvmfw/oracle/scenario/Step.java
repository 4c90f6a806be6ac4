package dev.pvmfw.oracle.scenario;

import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.VaRange;

/**
 * One operation of a scenario, applied to both engines by the differential runner. Each has a one-line text form
 * ({@link #text()}), parsed back by {@link ScenarioText}.
 */
public sealed interface Step {

    /** The step's one-line text form, as {@link ScenarioText} parses it, e.g. {@code table level=1 va-range=lower}. */
    String text();

    /**
     * Creates the root table; always the first step. On 0.4.0 {@code RootTable::new(translation, level, va_range)};
     * from 0.12 a {@code Mapping} of a translation regime: {@code Mapping::with_asid_and_va_range(translation, asid,
     * level, regime, va_range)} for EL1&amp;0 and EL2&amp;0, {@code Mapping::new(translation, level, regime)} for the
     * others ({@code docs/scenarios.md}, "Steps of a table scenario").
     *
     * @param level root level (the crate panics above 3)
     * @param vaRange lower or upper
     * @param regime the translation regime (0.4.0 knows EL1&amp;0 only)
     * @param asid the ASID (EL1&amp;0 and EL2&amp;0 only; 0 otherwise)
     */
    record NewTable(int level, VaRange vaRange, TranslationRegime regime, long asid) implements Step {
        /**
         * A table step.
         *
         * @throws IllegalArgumentException an upper VA range or an ASID for a regime without them
         */
        public NewTable {
            java.util.Objects.requireNonNull(vaRange, "vaRange");
            java.util.Objects.requireNonNull(regime, "regime");
            if (vaRange == VaRange.UPPER && !regime.hasUpperRange()) {
                throw new IllegalArgumentException("regime " + regime.id() + " has no upper VA range (only el1and0 "
                        + "and el2and0 have TTBR1)");
            }
            if (asid != 0 && !regime.hasUpperRange()) {
                throw new IllegalArgumentException("regime " + regime.id() + " has no ASID (only el1and0 and "
                        + "el2and0 have one)");
            }
        }

        /** An EL1&amp;0 table without ASID (0.4.0's {@code RootTable::new}). */
        public NewTable(int level, VaRange vaRange) {
            this(level, vaRange, TranslationRegime.EL1_AND_0, 0);
        }

        @Override
        public String text() {
            return "table level=" + level + " va-range=" + vaRange.rustName().toLowerCase(java.util.Locale.ROOT)
                    + (regime == TranslationRegime.EL1_AND_0 ? "" : " regime=" + regime.id())
                    + (asid == 0 ? "" : " asid=" + Long.toUnsignedString(asid));
        }
    }

    /**
     * {@code map_range(MemoryRegion::new(start, end), PhysicalAddress(pa), flags)}; from 0.12 with
     * {@code Constraints::from_bits_retain(constraints)}.
     *
     * @param start raw start (rounded down by MemoryRegion)
     * @param end raw end (rounded up, wrapping)
     * @param pa physical address of the start
     * @param flags attributes
     * @param constraints the 0.12 {@code Constraints} bits (0 on 0.4.0, which has none)
     */
    record MapRange(long start, long end, long pa, FlagSet flags, long constraints) implements Step {
        /** Refuses null flags. */
        public MapRange {
            java.util.Objects.requireNonNull(flags, "flags");
        }

        /** A map step without constraints. */
        public MapRange(long start, long end, long pa, FlagSet flags) {
            this(start, end, pa, flags, 0);
        }

        @Override
        public String text() {
            return "map " + hex(start) + " " + hex(end) + " pa=" + hex(pa) + " flags=" + flags.text()
                    + (constraints == 0 ? "" : " constraints=" + ConstraintBits.text(constraints));
        }
    }

    /**
     * 0.12's {@code walk_range(MemoryRegion::new(start, end), visitor)}: the visitor answers Err where {@code fail}
     * says (the walk then stops with {@code PteUpdateFault}), Ok everywhere else; it never writes.
     *
     * @param start raw start
     * @param end raw end
     * @param fail where the visitor answers Err
     */
    record WalkRange(long start, long end, Updater.Failure fail) implements Step {
        /** Refuses a null failure. */
        public WalkRange {
            java.util.Objects.requireNonNull(fail, "fail");
        }

        @Override
        public String text() {
            return "walk " + hex(start) + " " + hex(end) + (fail instanceof Updater.Failure.Never ? ""
                    : " fail=" + fail.text());
        }
    }

    /** 0.12's {@code compact_subtables()}. */
    record CompactSubtables() implements Step {
        @Override
        public String text() {
            return "compact";
        }
    }

    /** 0.12's {@code Mapping::activate()}: on a host, counts the mapping active; returns the previous TTBR. */
    record Activate() implements Step {
        @Override
        public String text() {
            return "activate";
        }
    }

    /**
     * 0.12's {@code Mapping::deactivate(previous_ttbr)}: asserts the mapping is active, then counts it down.
     *
     * @param previousTtbr the TTBR value to restore (what {@code activate} returned: {@code usize::MAX} on a host)
     */
    record Deactivate(long previousTtbr) implements Step {
        @Override
        public String text() {
            return previousTtbr == -1L ? "deactivate" : "deactivate ttbr=" + hex(previousTtbr);
        }
    }

    /** 0.12's {@code Mapping::mark_active()}: counts the mapping active without a register write. */
    record MarkActive() implements Step {
        @Override
        public String text() {
            return "mark-active";
        }
    }

    /** 0.12's {@code Mapping::mark_inactive()}: counts it down; panics on a zero count (after wrapping it). */
    record MarkInactive() implements Step {
        @Override
        public String text() {
            return "mark-inactive";
        }
    }

    /**
     * {@code modify_range(MemoryRegion::new(start, end), updater)}.
     *
     * @param start raw start
     * @param end raw end
     * @param updater what runs on each entry
     */
    record ModifyRange(long start, long end, Updater updater) implements Step {
        @Override
        public String text() {
            return "modify " + hex(start) + " " + hex(end) + " updater=" + updater.text();
        }
    }

    // --- pvmfw's lazy MMIO path (a tracker scenario) -------------------------------------------------------------

    /**
     * Creates pvmfw's page table (identity map, root level 1, the arena's first table) and {@code MemoryTracker} of an
     * era, over a recording hypervisor; the first step of a tracker scenario ({@code docs/scenarios.md}, "Eras").
     *
     * @param ramEnd end of main memory: the tracker is shrunk to {@code 0x8000_0000..ramEnd} unless it is 2^40
     * @param compatAndroid13 pvmfw's tolerance of Android 13's MMIO guard return bugs (on in this era)
     * @param era the id of the era whose tracker it is ({@code era=}), or null when the step names none (then the
     *     engine's: 2023-05 unless {@code run --era} says otherwise)
     * @param granule the MMIO guard granule the recording hypervisor reports (MMIO_GUARD_INFO) and aligns MAP and
     *     UNMAP to ({@code granule=}, default 4096; any value, as the hypervisor may answer anything)
     * @param mmioGuard whether the hypervisor has an MMIO guard (pKVM, {@code mmio-guard=on}, the default) or is a
     *     regular KVM without ({@code mmio-guard=off}: MMIO mapped at once, no hypercall); the later eras only
     * @param entry whether pvmfw's entry runs first ({@code entry=on}; default off; the later eras only):
     *     {@code detect_hypervisor} and {@code try_console_init} on the step's hypervisor, the tracker then over the
     *     hypervisor the detection found ({@code docs/scenarios.md}, "Eras")
     */
    record NewTracker(long ramEnd, boolean compatAndroid13, String era, long granule, boolean mmioGuard,
            boolean entry) implements Step {
        /** The MMIO guard granule when the step names none. */
        public static final long DEFAULT_GRANULE = 4096;

        /**
         * A tracker step.
         *
         * @throws IllegalArgumentException unless {@code 0x8000_0000 < ramEnd <= 2^40} (unsigned); for an unknown
         *     era; for a granule other than 4096, {@code mmio-guard=off} or {@code entry=on} on the 2023-05 tracker
         *     (its hypervisor is always pKVM with libhyp's 4 KiB, its hypervisor calls are the scenario's steps)
         */
        public NewTracker {
            if (Long.compareUnsigned(ramEnd, 0x8000_0000L) <= 0 || Long.compareUnsigned(ramEnd, 1L << 40) > 0) {
                throw new IllegalArgumentException("ram-end must be above 0x80000000 and at most 2^40");
            }
            if (era != null && dev.pvmfw.catalog.Eras.byId(era).isEmpty()) {
                throw new IllegalArgumentException("unknown era '" + era + "' (known: " + dev.pvmfw.catalog.Eras.ids()
                        + ")");
            }
            boolean seed = era == null || era.equals(dev.pvmfw.catalog.Eras.defaultEra().id());
            if (seed && (granule != DEFAULT_GRANULE || !mmioGuard)) {
                throw new IllegalArgumentException("granule= and mmio-guard= need a later era's tracker (era=2023-11 "
                        + "or later): the 2023-05 tracker's hypervisor is pKVM with libhyp's 4 KiB");
            }
            if (seed && entry) {
                throw new IllegalArgumentException("entry=on needs a later era's tracker (era=2023-11 or later): the "
                        + "2023-05 boot's hypervisor calls are steps of their own (hyp-init, hyp-map)");
            }
        }

        /** A tracker step without pvmfw's entry ({@code entry=off}). */
        public NewTracker(long ramEnd, boolean compatAndroid13, String era, long granule, boolean mmioGuard) {
            this(ramEnd, compatAndroid13, era, granule, mmioGuard, false);
        }

        /** The 2023-05 tracker's step (the era the engine runs, 4 KiB granule, an MMIO guard). */
        public NewTracker(long ramEnd, boolean compatAndroid13) {
            this(ramEnd, compatAndroid13, null, DEFAULT_GRANULE, true);
        }

        /** The same step for {@code eraId}'s tracker (null: none named). */
        public NewTracker withEra(String eraId) {
            return new NewTracker(ramEnd, compatAndroid13, eraId, granule, mmioGuard, entry);
        }

        @Override
        public String text() {
            return "tracker ram-end=" + hex(ramEnd) + " compat-android13=" + (compatAndroid13 ? "on" : "off")
                    + (era == null ? "" : " era=" + era) + (granule == DEFAULT_GRANULE ? "" : " granule=" + hex(granule))
                    + (mmioGuard ? "" : " mmio-guard=off") + (entry ? " entry=on" : "");
        }
    }

    /** pvmfw's page-table mapping functions ({@code mmu::PageTable}), each with its attribute set. */
    enum PageTableSet {
        /** {@code map_code}: CODE (MEMORY | READ_ONLY). */
        CODE("map-code"),
        /** {@code map_data}: DATA (MEMORY | EXECUTE_NEVER). */
        DATA("map-data"),
        /** {@code map_rodata}: RODATA (DATA | READ_ONLY). */
        RODATA("map-rodata"),
        /** {@code map_device}: DEVICE (eager, valid; the UART). */
        DEVICE("map-device");

        private final String word;

        PageTableSet(String word) {
            this.word = word;
        }

        /** The step's word, e.g. {@code map-code}. */
        public String word() {
            return word;
        }

        /** The set whose step word is {@code word}, or null. */
        public static PageTableSet ofWord(String word) {
            for (PageTableSet s : values()) {
                if (s.word.equals(word)) {
                    return s;
                }
            }
            return null;
        }
    }

    /**
     * {@code PageTable::map_code/map_data/map_rodata/map_device(start..end)} on the tracker's page table.
     *
     * @param set which function, so which attribute set
     * @param start raw start (rounded down by MemoryRegion)
     * @param end raw end
     */
    record PageTableMap(PageTableSet set, long start, long end) implements Step {
        /** Refuses a null set. */
        public PageTableMap {
            java.util.Objects.requireNonNull(set, "set");
        }

        @Override
        public String text() {
            return set.word() + " " + hex(start) + " " + hex(end);
        }
    }

    /**
     * {@code MemoryTracker::alloc_range(start..end)} (read-only, RODATA) or {@code alloc_range_mut} (DATA).
     *
     * @param start first address
     * @param end end
     * @param readWrite {@code alloc_range_mut}
     */
    record AllocRange(long start, long end, boolean readWrite) implements Step {
        @Override
        public String text() {
            return (readWrite ? "alloc-range-mut " : "alloc-range ") + hex(start) + " " + hex(end);
        }
    }

    /**
     * {@code MemoryTracker::alloc(base, size)} or {@code alloc_mut}: {@code base..base + size}, wrapping.
     *
     * @param base first address
     * @param size non-zero (Rust {@code NonZeroUsize})
     * @param readWrite {@code alloc_mut}
     */
    record Alloc(long base, long size, boolean readWrite) implements Step {
        /** Refuses a size of 0, which pvmfw's {@code NonZeroUsize} cannot hold. */
        public Alloc {
            if (size == 0) {
                throw new IllegalArgumentException("the size of " + (readWrite ? "alloc-mut" : "alloc")
                        + " must be non-zero: pvmfw's alloc takes a NonZeroUsize, which cannot hold 0");
            }
        }

        @Override
        public String text() {
            return (readWrite ? "alloc-mut " : "alloc ") + hex(base) + " " + hex(size);
        }
    }

    /** {@code MemoryTracker::shrink(start..end)}. */
    record Shrink(long start, long end) implements Step {
        @Override
        public String text() {
            return "shrink " + hex(start) + " " + hex(end);
        }
    }

    /** libhyp's {@code mmio_guard_init()} (ENROLL, then INFO) through the tracker's hypervisor. */
    record HypInit() implements Step {
        @Override
        public String text() {
            return "hyp-init";
        }
    }

    /**
     * libhyp's {@code mmio_guard_map(ipa)} or {@code mmio_guard_unmap(ipa)} through the tracker's hypervisor.
     *
     * @param ipa the address (libhyp passes its 4 KiB page)
     * @param unmap UNMAP rather than MAP
     */
    record HypGuard(long ipa, boolean unmap) implements Step {
        @Override
        public String text() {
            return (unmap ? "hyp-unmap " : "hyp-map ") + hex(ipa);
        }
    }

    /** {@code MemoryTracker::init_dynamic_shared_pool()}. */
    record SharedPoolDynamic() implements Step {
        @Override
        public String text() {
            return "shared-pool-dynamic";
        }
    }

    /** {@code MemoryTracker::init_static_shared_pool(start..end)}. */
    record SharedPoolStatic(long start, long end) implements Step {
        @Override
        public String text() {
            return "shared-pool-static " + hex(start) + " " + hex(end);
        }
    }

    /**
     * {@code alloc_shared(Layout::from_size_align(size, align).unwrap())}: the outcome carries the address.
     *
     * @param size bytes
     * @param align alignment
     */
    record AllocShared(long size, long align) implements Step {
        @Override
        public String text() {
            return "alloc-shared " + hex(size) + " " + hex(align);
        }
    }

    /**
     * {@code dealloc_shared(addr, layout)}: {@code addr} is a {@code NonNull} and the layout a valid {@code Layout}, as
     * Rust's types make them.
     *
     * @param addr the buffer (non-zero)
     * @param size the layout's size
     * @param align the layout's alignment
     */
    record DeallocShared(long addr, long size, long align) implements Step {
        /**
         * Refuses what pvmfw's types cannot hold: an address of 0 (a {@code NonNull}), a size and alignment that are
         * no {@code Layout}.
         */
        public DeallocShared {
            if (addr == 0) {
                throw new IllegalArgumentException("dealloc-shared ADDR must be non-zero: pvmfw takes a NonNull");
            }
            if (!isLayout(size, align)) {
                throw new IllegalArgumentException("dealloc-shared SIZE ALIGN must be a Layout (ALIGN a power of two, "
                        + "SIZE rounded up to it at most isize::MAX): pvmfw takes a Layout, which cannot hold others");
            }
        }

        @Override
        public String text() {
            return "dealloc-shared " + hex(addr) + " " + hex(size) + " " + hex(align);
        }
    }

    /** Whether {@code Layout::from_size_align(size, align)} is Ok: align a power of two, size + (align - 1) ≤ isize::MAX. */
    static boolean isLayout(long size, long align) {
        return align != 0 && Long.bitCount(align) == 1 && size >= 0
                && Long.compareUnsigned(size, Long.MAX_VALUE - (align - 1)) <= 0;
    }

    /** {@code unshare_all_memory()}. */
    record UnshareAll() implements Step {
        @Override
        public String text() {
            return "unshare-all";
        }
    }

    /**
     * {@code MemoryTracker::map_mmio_range(start..end)}: lazy.
     *
     * @param start first address of the range
     * @param end end of the range, exclusive
     */
    record MmioMap(long start, long end) implements Step {
        @Override
        public String text() {
            return "mmio-map " + hex(start) + " " + hex(end);
        }
    }

    /**
     * {@code MemoryTracker::handle_mmio_fault(addr)}: what a translation fault at {@code addr} runs.
     *
     * @param addr the faulting address (the FAR), not necessarily page-aligned
     */
    record Fault(long addr) implements Step {
        @Override
        public String text() {
            return "fault " + hex(addr);
        }
    }

    /** {@code MemoryTracker::mmio_unmap_all()}: teardown. */
    record MmioUnmapAll() implements Step {
        @Override
        public String text() {
            return "mmio-unmap-all";
        }
    }

    /**
     * A later era's {@code main_wrapper} at exit unmapping the console ({@code 28e439f4:pvmfw/src/entry.rs},
     * {@code c08e63cb:pvmfw/src/entry.rs}): with an MMIO guard, {@code unmap(console::BASE_ADDRESS)}, the
     * MMIO_GUARD_UNMAP of the UART's page, its error the step's ({@code hyp-err}); without one, nothing. Invalid on
     * the 2023-05 tracker, whose UART UNMAP is {@code hyp-unmap}.
     */
    record ConsoleUnmap() implements Step {
        @Override
        public String text() {
            return "console-unmap";
        }
    }

    /**
     * The hypervisor call with this number (0-based, over the whole scenario) answers {@code x0} and changes nothing.
     * (Which injection wins when several match: {@code docs/scenarios.md}, "Failure injection".)
     *
     * @param call call number
     * @param x0 the raw answer
     */
    record InjectAtCall(int call, long x0) implements Step {
        @Override
        public String text() {
            return "inject call=" + call + " x0=" + hex(x0);
        }
    }

    /**
     * Every later call of {@code functionId} with x1 = {@code argument} answers {@code x0} and changes nothing.
     *
     * @param functionId SMCCC function ID
     * @param argument x1
     * @param x0 the raw answer
     */
    record InjectFor(int functionId, long argument, long x0) implements Step {
        @Override
        public String text() {
            return "inject fn=" + hex(functionId & 0xFFFF_FFFFL) + " arg=" + hex(argument) + " x0=" + hex(x0);
        }
    }

    /** The hypervisor functions {@code inject kind=} names, with their SMCCC function IDs. */
    enum HypFunction {
        /** MMIO_GUARD_ENROLL, 0xc6000006. */
        ENROLL("enroll", 0xc600_0006),
        /** MMIO_GUARD_INFO, 0xc6000005. */
        INFO("info", 0xc600_0005),
        /** MMIO_GUARD_MAP, 0xc6000007. */
        MAP("map", 0xc600_0007),
        /** MMIO_GUARD_UNMAP, 0xc6000008. */
        UNMAP("unmap", 0xc600_0008),
        /** HYP_MEMINFO, 0xc6000002. */
        MEMINFO("meminfo", 0xc600_0002),
        /** MEM_SHARE, 0xc6000003. */
        SHARE("share", 0xc600_0003),
        /** MEM_UNSHARE, 0xc6000004. */
        UNSHARE("unshare", 0xc600_0004);

        private final String word;
        private final int functionId;

        HypFunction(String word, int functionId) {
            this.word = word;
            this.functionId = functionId;
        }

        /** The function's word in {@code inject kind=K}, e.g. {@code map}. */
        public String word() {
            return word;
        }

        /** The SMCCC function ID (those of {@code dev.pvmfw.hyp.Smccc}, which {@code HypFunctionTest} checks). */
        public int functionId() {
            return functionId;
        }

        /** The function whose word is {@code word}, or null. */
        public static HypFunction ofWord(String word) {
            for (HypFunction f : values()) {
                if (f.word.equals(word)) {
                    return f;
                }
            }
            return null;
        }
    }

    /**
     * The {@code n}-th call (from 1, over the scenario) of {@code function} answers {@code x0} and changes nothing.
     *
     * @param function which hypervisor function
     * @param n which of its calls, from 1
     * @param x0 the raw answer
     */
    record InjectNth(HypFunction function, int n, long x0) implements Step {
        /** Refuses a null function and an {@code n} below 1 (calls count from 1). */
        public InjectNth {
            java.util.Objects.requireNonNull(function, "function");
            if (n < 1) {
                throw new IllegalArgumentException("inject kind=K n=N counts calls from 1");
            }
        }

        @Override
        public String text() {
            return "inject kind=" + function.word() + " n=" + n + " x0=" + hex(x0);
        }
    }

    /** Removes every injection. */
    record ClearInjections() implements Step {
        @Override
        public String text() {
            return "clear-injections";
        }
    }

    /** Whether the step belongs to tracker scenarios only (everything but the table steps). */
    default boolean trackerOnly() {
        return !(this instanceof NewTable || this instanceof MapRange || this instanceof ModifyRange
                || this instanceof DropTable || mappingOnly());
    }

    /**
     * Whether the step is one of 0.12's {@code Mapping} (walk, compact, activate, deactivate, mark-active,
     * mark-inactive), which 0.4.0 does not have.
     */
    default boolean mappingOnly() {
        return this instanceof WalkRange || this instanceof CompactSubtables || this instanceof Activate
                || this instanceof Deactivate || this instanceof MarkActive || this instanceof MarkInactive;
    }

    /** Drops the root table (post-order frees), or the tracker and its table; always the last step. */
    record DropTable() implements Step {
        @Override
        public String text() {
            return "drop";
        }
    }

    /** {@code v} in the text form's hex: {@code 0x} and lower-case digits, unsigned, no padding. */
    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
