package dev.pvmfw.tool;

import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.mmu.MmuConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.LongPredicate;

/**
 * The rules a step of an {@link EraRun} is held to ({@code docs/pvmfw-2024-05.md}, "The era × crate matrix"), in the
 * order they are reported: what the hardware would reject or pvmfw's invariants forbid in the table, then the step's
 * own outcome, then the faulted pages, then the hypervisor's guard map. "Device" is the MMU's reading (AttrIndx under
 * pvmfw's MAIR, 0xff04: every index but 1 is Device); "valid" is descriptor bit 0, so a reserved 0b01 entry at level
 * 3 counts as a valid leaf here (pvmfw wrote it to be one).
 */
final class Invariants {
    /** Rule names, as they open a broken rule's line. */
    static final String RESERVED_L3 = "valid L3 entry with low bits 0b01";
    static final String NOT_IDENTITY = "valid device leaf whose output address is not its identity address";
    static final String NO_GUARD_MAP = "valid device page with no MMIO guard map";
    static final String NOT_TRANSLATED = "faulted page does not translate to its identity PA as Device memory";
    static final String GUARD_NOT_VALID = "guard map holds pages not made valid";
    static final String GUARD_LEFT = "guard map left after teardown";

    private Invariants() {}

    /**
     * The rules {@code step} breaks, each one line starting with its rule name.
     *
     * @param translatesToIdentityDevice whether an access to a VA now translates to it as Device memory; null once the
     *     table is dropped (the rules on the live table then do not apply)
     */
    static List<String> broken(EraStep step, MmuConfig mmu, LongPredicate translatesToIdentityDevice) {
        List<String> out = new ArrayList<>();
        NavigableSet<Long> validDevicePages = new TreeSet<>(Long::compareUnsigned);
        for (EraStep.Entry e : step.entries().values()) {
            long d = e.descriptor();
            if (e.kind() == DescriptorKind.RESERVED) {
                out.add(RESERVED_L3 + " at 0x" + Long.toHexString(e.va()) + " (" + hex(d)
                        + "): not a page descriptor, the MMU faults on it");
            }
            boolean validLeaf = (d & 1) != 0 && e.kind() != DescriptorKind.TABLE;
            if (!validLeaf || !mmu.isDevice((int) ((d >>> 2) & 7))) {
                continue;
            }
            long oa = DescriptorKind.outputAddress(d);
            if (oa != e.va()) {
                out.add(NOT_IDENTITY + ": 0x" + Long.toHexString(e.va()) + " has output address 0x"
                        + Long.toHexString(oa) + " (" + hex(d) + ")");
            }
            long size = Geometry.granularityAtLevel(e.level());
            for (long page = e.va(); Long.compareUnsigned(page, e.va() + size) < 0; page += Geometry.PAGE_SIZE) {
                validDevicePages.add(page);
            }
        }
        if (translatesToIdentityDevice != null) {
            List<Long> unguarded = validDevicePages.stream().filter(p -> !step.guardMapped().contains(p)).toList();
            if (!unguarded.isEmpty()) {
                out.add(NO_GUARD_MAP + ": " + pages(unguarded));
            }
        }
        if (!step.completed()) {
            out.add(switch (step.name()) {
                case "boot" -> "boot failed: " + step.outcome();
                case "teardown" -> "teardown failed: " + step.outcome();
                default -> "access did not complete: " + step.outcome();
            });
        }
        if (translatesToIdentityDevice != null) {
            for (long page : step.faultedPages()) {
                if (!translatesToIdentityDevice.test(page)) {
                    out.add(NOT_TRANSLATED + ": 0x" + Long.toHexString(page));
                }
            }
            List<Long> extra = step.guardMapped().stream().filter(p -> !validDevicePages.contains(p)).toList();
            if (!extra.isEmpty()) {
                out.add(GUARD_NOT_VALID + ": " + pages(extra));
            }
        }
        if (step.name().equals("teardown") && !step.guardMapped().isEmpty()) {
            out.add(GUARD_LEFT + ": " + pages(List.copyOf(step.guardMapped())));
        }
        return out;
    }

    static String hex(long d) {
        return String.format("0x%016x", d);
    }

    private static String pages(List<Long> pages) {
        List<String> out = new ArrayList<>();
        for (long p : pages) {
            out.add("0x" + Long.toHexString(p));
        }
        return String.join(", ", out);
    }
}
