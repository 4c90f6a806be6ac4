package dev.pvmfw.tool;

import dev.pvmfw.image.ImageFormatException;
import dev.pvmfw.image.MemoryDump;
import dev.pvmfw.image.TableImage;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.Ttbr;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.VaRange;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Reading a machine's memory instead of a slot-ordered image ({@code docs/real-dumps.md}): a QEMU
 * {@code dump-guest-memory} ELF core or a raw RAM file ({@code --ram-base}), the root given as a TTBR value with
 * its TnSZ. Shared by {@code dump}, {@code translate}, {@code check} and {@code diff}.
 */
final class DumpOptions {
    @Option(names = "--ttbr0", paramLabel = "VALUE", converter = Converters.Number.class,
            description = "read IMAGE as a machine's memory (a QEMU dump-guest-memory ELF core, or raw RAM with "
                    + "--ram-base) and walk from this TTBR0_EL1 value (ASID and CnP ignored; the root is BADDR as "
                    + "--t0sz gives it); --pa-base, --root-level, --root-slot and --va-range are then not used")
    Long ttbr0;

    @Option(names = "--ttbr1", paramLabel = "VALUE", converter = Converters.Number.class,
            description = "as --ttbr0, for the upper VA range (TTBR1_EL1, with --t1sz)")
    Long ttbr1;

    @Option(names = "--t0sz", paramLabel = "N", defaultValue = "25",
            description = "TCR_EL1.T0SZ with --ttbr0, 16..48; the root level follows (default: ${DEFAULT-VALUE})")
    int t0sz;

    @Option(names = "--t1sz", paramLabel = "N", defaultValue = "25",
            description = "TCR_EL1.T1SZ with --ttbr1, 16..48 (default: ${DEFAULT-VALUE})")
    int t1sz;

    @Option(names = "--ram-base", paramLabel = "PA", converter = Converters.Number.class,
            description = "with --ttbr0/--ttbr1: IMAGE is raw RAM whose first byte is at this PA, not an ELF core")
    Long ramBase;

    /** Whether a TTBR was given: IMAGE is a machine's memory. @throws UsageException options that do not combine */
    boolean given() throws UsageException {
        if (ttbr0 != null && ttbr1 != null) {
            throw new UsageException("give --ttbr0 or --ttbr1, not both (one walk at a time)");
        }
        if (ramBase != null && ttbr0 == null && ttbr1 == null) {
            throw new UsageException("--ram-base needs --ttbr0 or --ttbr1 (the root of the walk)");
        }
        return ttbr0 != null || ttbr1 != null;
    }

    /** The VA range of the given TTBR. */
    VaRange vaRange() {
        return ttbr1 != null ? VaRange.UPPER : VaRange.LOWER;
    }

    /** The TnSZ of the given TTBR. */
    int tnsz() {
        return ttbr1 != null ? t1sz : t0sz;
    }

    /** The memory in {@code file} and, over the segment holding the root, the image the commands read. */
    record Read(MemoryDump memory, TableImage image, int tnsz) {}

    /**
     * Maps {@code file} into {@code arena} and locates the root.
     *
     * @throws UsageException not a regular file, over the limit, unreadable, a bad ELF core, TnSZ out of range, or
     *     a root in no segment (each one line naming the file)
     */
    Read read(Path file, LimitOptions limits, Arena arena) throws UsageException {
        if (file == null) {
            throw new UsageException("--ttbr0/--ttbr1 read an IMAGE file (an ELF core or raw RAM); give one");
        }
        MmuConfig shape;
        try {
            shape = MmuConfig.forTnsz(tnsz(), vaRange());
        } catch (IllegalArgumentException e) {
            throw new UsageException((ttbr1 != null ? "--t1sz: " : "--t0sz: ") + e.getMessage());
        }
        long ttbr = ttbr1 != null ? ttbr1 : ttbr0;
        long root = Ttbr.tableBase(ttbr, shape);
        try {
            MemoryDump memory = MemoryDump.map(file, limits.maxImageBytes, arena, ramBase);
            return new Read(memory, memory.imageAt(root, shape.rootLevel(), vaRange()), tnsz());
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        } catch (ImageFormatException e) {
            throw new UsageException(file + ": " + e.getMessage() + (e.getMessage().contains("root table")
                    ? " (TTBR " + PhysicalAddress.format(ttbr) + ")" : ""));
        }
    }
}
