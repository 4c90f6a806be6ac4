package dev.pvmfw.cpu;

import dev.pvmfw.exceptions.ExceptionHandler;
import dev.pvmfw.exceptions.ExceptionOutcome;
import dev.pvmfw.mmu.Syndrome;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.paging.PhysicalMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated AArch64 CPU at EL1 running pvmfw with the MMU on. {@link #read} and {@link #write} go through the MMU
 * model ({@link Walker#access}, with the {@link MmuConfig} given: pvmfw's by default) and turn what it reports into the
 * exception the hardware takes:
 * <ol>
 *   <li>a translation fault at the level reported ({@code 0x96000004 | L}, {@code + 0x40} for a write), or a
 *       synchronous external abort on the walk ({@code 0x96000014 | L}) if a table could not be read;</li>
 *   <li>an Access flag fault ({@code 0x96000008 | L}) for a leaf with AF clear, unless the configuration has HA = 1
 *       (pvmfw's has HA = 0);</li>
 *   <li>a permission fault ({@code 0x9600004C | L}) for a write to a read-only leaf, unless HD = 1 and the leaf has
 *       DBM (pvmfw's has HD = 0);</li>
 *   <li>an Address size fault ({@code 0x96000000 | L}) for a table or output address beyond the configured size (a
 *       root PA beyond it: level 0);</li>
 *   <li>a synchronous external abort on the access ({@code 0x96000010}, {@code + 0x40} for a write) for an output
 *       address the configuration's memory map has nothing at (an undescribed machine, pvmfw's default, has
 *       something everywhere);</li>
 *   <li>for a Device access (by MAIR: with pvmfw's, AttrIndx 1 is Normal, every other index a Device type) that the
 *       {@link Stage2} refuses, the external abort KVM injects, exactly {@code 0x96000010}.</li>
 * </ol>
 * An exception enters {@link ExceptionHandler#syncExceptionCurrent} with FAR = the VA and ELR = {@link #pc()}. If it
 * returns, the access is retried once; a second fault is reported as {@link AccessResult.FaultedAgain} (no loop). If it
 * reboots, the CPU halts. Completed device accesses are recorded.
 *
 * <p>Table memory that is gone (an arena or heap closed, a page table dropped, as its {@link PhysicalMemory} reports
 * it) is a Java lifetime error, not something the simulated hardware sees: the access throws
 * {@link dev.pvmfw.paging.MemoryLifetimeException} from the walk, no exception is taken and the CPU state is unchanged.
 * A root PA at which the memory simply holds no table is the hardware's business: an external abort on the walk at
 * the root level (or, with {@link MmuConfig.OutsideTables#READS_AS_ZERO}, a translation fault there).
 *
 * <p>Not thread-safe.
 */
public final class Cpu {
    private static final Logger LOG = LoggerFactory.getLogger(Cpu.class);

    private final PhysicalMemory memory;
    private final MmuConfig config;
    private final long rootPa;
    private final ExceptionHandler handler;
    private final Stage2 stage2;
    private final List<DeviceAccess> deviceAccesses = new ArrayList<>();
    private final List<TakenException> exceptions = new ArrayList<>();
    private long pc = 0x7fc0_1000L;
    private ExceptionOutcome.Reboot rebooted;

    /**
     * A CPU whose MMU walks the tables in {@code memory} from the root table at {@code rootPa} with pvmfw's
     * configuration, and no stage-2 restriction.
     */
    public Cpu(PhysicalMemory memory, long rootPa, ExceptionHandler handler) {
        this(memory, MmuConfig.pvmfw(), rootPa, handler, Stage2.ALLOW_ALL);
    }

    /**
     * A CPU whose MMU walks the tables in {@code memory} from the root table at {@code rootPa} with {@code config}.
     *
     * @param rootPa the root table's physical address: TTBR0_EL1's BADDR (TTBR1_EL1's for an upper-range
     *     {@code config}), not the register's value, which also carries the ASID in bits 63:48 (a page table's
     *     {@code rootPa()} is this address, the value its {@code activate()} writes is the register)
     */
    public Cpu(PhysicalMemory memory, MmuConfig config, long rootPa, ExceptionHandler handler, Stage2 stage2) {
        this.memory = Objects.requireNonNull(memory);
        this.config = Objects.requireNonNull(config);
        this.rootPa = rootPa;
        this.handler = Objects.requireNonNull(handler);
        this.stage2 = Objects.requireNonNull(stage2);
    }

    /** A load from {@code va}. */
    public AccessResult read(long va) {
        return access(va, Access.READ);
    }

    /** A store to {@code va}. */
    public AccessResult write(long va) {
        return access(va, Access.WRITE);
    }

    /**
     * One access, with at most one exception handled.
     *
     * @throws dev.pvmfw.paging.MemoryLifetimeException if the table memory is gone (closed, or the page table
     *     dropped); nothing is recorded and the handler is not entered
     */
    public AccessResult access(long va, Access access) {
        if (rebooted != null) {
            return new AccessResult.Halted(va, access);
        }
        Attempt first = attempt(va, access);
        if (first.completed != null) {
            return first.completed;
        }
        ExceptionOutcome outcome = handler.syncExceptionCurrent(first.esr, va, pc);
        exceptions.add(new TakenException(first.esr, va, pc, outcome));
        if (outcome instanceof ExceptionOutcome.Reboot reboot) {
            rebooted = reboot;
            LOG.debug("{} 0x{}: esr=0x{} -> reboot", access, Long.toHexString(va), Long.toHexString(first.esr));
            return new AccessResult.Rebooted(va, access, reboot);
        }
        Attempt second = attempt(va, access);
        if (second.completed != null) {
            AccessResult.Completed c = second.completed;
            return new AccessResult.Completed(c.va(), c.access(), c.pa(), c.device(), 1);
        }
        LOG.warn("{} 0x{} faulted again after the handler returned: esr=0x{} then 0x{}", access,
                Long.toHexString(va), Long.toHexString(first.esr), Long.toHexString(second.esr));
        return new AccessResult.FaultedAgain(va, access, first.esr, second.esr);
    }

    private record Attempt(AccessResult.Completed completed, long esr) {}

    /**
     * The data abort a CPU with these tables would take for one access, without taking it: its ESR_EL1 and FAR_EL1,
     * exactly as {@link #access} would report them to the handler, or empty if the access would complete. No state
     * of any CPU changes.
     *
     * @param rootPa the root table's PA (see the constructor)
     * @throws dev.pvmfw.paging.MemoryLifetimeException if the table memory is gone
     * @throws dev.pvmfw.mmu.UnmodelledMemoryException if the walk reads a table from memory the configuration's map
     *     does not model
     */
    public static java.util.Optional<DataAbort> dataAbortFor(PhysicalMemory memory, MmuConfig config, long rootPa,
            long va, Access access, Stage2 stage2) {
        Attempt a = attempt(memory, config, rootPa, stage2, va, access);
        return a.completed == null ? java.util.Optional.of(new DataAbort(a.esr, va)) : java.util.Optional.empty();
    }

    private Attempt attempt(long va, Access access) {
        Attempt a = attempt(memory, config, rootPa, stage2, va, access);
        if (a.completed != null && a.completed.device()) {
            deviceAccesses.add(new DeviceAccess(va, access, a.completed.pa() & ~0xfffL));
        }
        return a;
    }

    private static Attempt attempt(PhysicalMemory memory, MmuConfig config, long rootPa, Stage2 stage2, long va,
            Access access) {
        boolean write = access.isWrite();
        WalkResult result = Walker.access(memory, config, rootPa, va, write);
        if (result instanceof WalkResult.Faulted f) {
            return new Attempt(null, Syndrome.of(f, write));
        }
        WalkResult.Leaf leaf = ((WalkResult.Translated) result).leaf();
        boolean device = config.isDevice(leaf.attrIndx());
        if (device && !stage2.allowsDeviceAccess(leaf.pa())) {
            return new Attempt(null, Syndrome.INJECTED_EXTERNAL_ABORT);
        }
        return new Attempt(new AccessResult.Completed(va, access, leaf.pa(), device, 0), 0);
    }

    /** The address reported as ELR_EL1 for the next exception. */
    public long pc() {
        return pc;
    }

    /** Sets the address reported as ELR_EL1 for the next exception. */
    public void setPc(long pc) {
        this.pc = pc;
    }

    /** Completed device accesses, in order. */
    public List<DeviceAccess> deviceAccesses() {
        return List.copyOf(deviceAccesses);
    }

    /** Exceptions taken, in order. */
    public List<TakenException> exceptions() {
        return List.copyOf(exceptions);
    }

    /** Whether the handler rebooted (the CPU then does nothing more). */
    public boolean isHalted() {
        return rebooted != null;
    }

    /** The reboot that halted the CPU, if any. */
    public java.util.Optional<ExceptionOutcome.Reboot> reboot() {
        return java.util.Optional.ofNullable(rebooted);
    }
}
