package dev.pvmfw.tool;

import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.mmu.DescriptorKind;
import java.util.List;
import java.util.NavigableMap;
import java.util.NavigableSet;

/**
 * One step of an {@link EraRun}, as recorded after it ran.
 *
 * @param name "boot", "tracker", the access ("read 0x10000"), or "teardown"
 * @param outcome what happened, one line
 * @param calls the hypervisor calls made
 * @param allocated slots allocated
 * @param freed slots freed
 * @param entries every non-zero entry of the table after the step, by (level, VA); empty once dropped
 * @param guardMapped the guard map after the step
 * @param faultedPages the pages whose fault the handler returned from in this step
 * @param completed whether the step did what it should (boot and exit without error, the access completed)
 * @param broken the invariants broken after the step ({@link Invariants}), each one line, the first first
 */
record EraStep(String name, String outcome, List<HypCall> calls, List<Integer> allocated, List<Integer> freed,
        NavigableMap<String, Entry> entries, NavigableSet<Long> guardMapped, List<Long> faultedPages,
        boolean completed, List<String> broken) {

    /** An entry of the live table, as the MMU reads it. */
    record Entry(int level, long va, long descriptor, DescriptorKind kind) {}
}
