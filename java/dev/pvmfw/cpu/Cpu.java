package dev.pvmfw.cpu;

import dev.pvmfw.exceptions.ExceptionHandler;
import dev.pvmfw.exceptions.ExceptionOutcome;
import dev.pvmfw.exceptions.Syndrome;
import dev.pvmfw.paging.v0_4_0.RootTable;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.mmu.Walker;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated AArch64 CPU at EL1 running pvmfw with the MMU on: {@link #read} and {@link #write} translate like the
 * MMU ({@link Walker}: from the root level; table/block/page; VALID) and check the leaf like it:
 * <ol>
 *   <li>walk fault → translation fault at the level reported ({@code 0x96000004 | L}, {@code + 0x40} for a write), or a
 *       synchronous external abort on the walk ({@code 0x96000014 | L}) if a table could not be read;</li>
 *   <li>AF (bit 10) clear → access flag fault ({@code 0x96000008 | L}); hardware AF management is off;</li>
 *   <li>a write to a leaf with AP[2] (READ_ONLY) set → permission fault ({@code 0x9600004C | L}); no DBM handling
 *       (dirty tracking arrived the day after this era), and AP[1]/PAN are not modelled;</li>
 *   <li>a Device access (MAIR_EL1 = {@code 0xff04}: AttrIndx 1 is Normal, every other index a Device type) that the
 *       {@link Stage2} refuses → the external abort KVM injects, exactly {@code 0x96000010}.</li>
 * </ol>
 * An exception enters {@link ExceptionHandler#syncExceptionCurrent} with FAR = the VA and ELR = {@link #pc()}. If it
 * returns, the access is retried once; a second fault is reported as {@link AccessResult.FaultedAgain} (no loop). If it
 * reboots, the CPU halts. Completed device accesses are recorded.
 *
 * <p>Not thread-safe.
 */
public final class Cpu {
    private static final Logger LOG = LoggerFactory.getLogger(Cpu.class);

    /** MAIR_EL1 as vmbase programs it: Attr0 = 0x04 (Device-nGnRE), Attr1 = 0xff (Normal WB). */
    public static final long MAIR_EL1 = 0xff04;
    private static final long AF = 1L << 10;
    private static final long AP2_READ_ONLY = 1L << 7;

    private final RootTable table;
    private final ExceptionHandler handler;
    private final Stage2 stage2;
    private final List<DeviceAccess> deviceAccesses = new ArrayList<>();
    private final List<TakenException> exceptions = new ArrayList<>();
    private long pc = 0x7fc0_1000L;
    private ExceptionOutcome.Reboot rebooted;

    /** With no stage-2 restriction. */
    public Cpu(RootTable table, ExceptionHandler handler) {
        this(table, handler, Stage2.ALLOW_ALL);
    }

    public Cpu(RootTable table, ExceptionHandler handler, Stage2 stage2) {
        this.table = Objects.requireNonNull(table);
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
     * @throws dev.pvmfw.paging.TableMemoryException if the page table has been dropped
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

    private Attempt attempt(long va, Access access) {
        boolean write = access.isWrite();
        WalkResult walk = Walker.walk(table, va);
        if (walk instanceof WalkResult.Faulted f) {
            long esr = switch (f.kind()) {
                case TRANSLATION -> Syndrome.translationFault(f.level(), write);
                case EXTERNAL_ABORT_ON_WALK -> Syndrome.externalAbortOnWalk(f.level(), write);
            };
            return new Attempt(null, esr);
        }
        WalkResult.Leaf leaf = ((WalkResult.Translated) walk).leaf();
        long descriptor = leaf.descriptor();
        if ((descriptor & AF) == 0) {
            return new Attempt(null, Syndrome.accessFlagFault(leaf.level(), write));
        }
        if (write && (descriptor & AP2_READ_ONLY) != 0) {
            return new Attempt(null, Syndrome.permissionFault(leaf.level(), true));
        }
        boolean device = isDevice(leaf.attrIndx());
        if (device && !stage2.allowsDeviceAccess(leaf.pa())) {
            return new Attempt(null, Syndrome.INJECTED_EXTERNAL_ABORT);
        }
        if (device) {
            deviceAccesses.add(new DeviceAccess(va, access, leaf.pa() & ~0xfffL));
        }
        return new Attempt(new AccessResult.Completed(va, access, leaf.pa(), device, 0), 0);
    }

    /** Whether MAIR_EL1's attribute {@code attrIndx} is a Device type ({@code 0b0000dd00}). */
    public static boolean isDevice(int attrIndx) {
        long attr = (MAIR_EL1 >>> (8 * attrIndx)) & 0xff;
        return (attr & 0xf0) == 0;
    }

    /** The address reported as ELR_EL1 for the next exception. */
    public long pc() {
        return pc;
    }

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
