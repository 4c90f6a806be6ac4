package dev.pvmfw.oracle.engine;

import dev.pvmfw.paging.PhysicalMemory;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.paging.port.MmuOpsException;
import dev.pvmfw.paging.port.PteVisitor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The page table the Java engine gives pvmfw's tracker: the profile's own {@link MmuOps}, with every callback the
 * tracker passes to {@link #modifyRange} traced (the entry's range, level, descriptor before and after, also when the
 * callback panics), as the Rust engine's library traces the tracker's callbacks there. The era's code is unchanged:
 * the trace comes from outside it. Everything else passes straight through.
 */
public final class TracingMmuOps implements MmuOps {
    private final MmuOps inner;
    private List<TraceEntry> trace = new ArrayList<>();

    /** Traces the callbacks given to {@code inner}'s {@link #modifyRange}. */
    public TracingMmuOps(MmuOps inner) {
        this.inner = Objects.requireNonNull(inner);
    }

    /** Starts a new trace (one per step) and returns it; the callbacks of later modifies are added to it. */
    public List<TraceEntry> newTrace() {
        trace = new ArrayList<>();
        return trace;
    }

    @Override
    public void modifyRange(long start, long end, PteVisitor visitor) throws MmuOpsException {
        List<TraceEntry> into = trace;
        inner.modifyRange(start, end, (range, pte) -> {
            long before = pte.bits();
            try {
                return visitor.visit(range, pte);
            } finally {
                into.add(new TraceEntry(range.startValue(), range.endValue(), pte.level(), before, pte.bits()));
            }
        });
    }

    @Override
    public void mapCode(long start, long end) throws MmuOpsException {
        inner.mapCode(start, end);
    }

    @Override
    public void mapRodata(long start, long end) throws MmuOpsException {
        inner.mapRodata(start, end);
    }

    @Override
    public void mapData(long start, long end) throws MmuOpsException {
        inner.mapData(start, end);
    }

    @Override
    public void mapDataDbm(long start, long end) throws MmuOpsException {
        inner.mapDataDbm(start, end);
    }

    @Override
    public void mapDevice(long start, long end) throws MmuOpsException {
        inner.mapDevice(start, end);
    }

    @Override
    public void mapDeviceLazy(long start, long end) throws MmuOpsException {
        inner.mapDeviceLazy(start, end);
    }

    @Override
    public long activate() {
        return inner.activate();
    }

    @Override
    public boolean isActive() {
        return inner.isActive();
    }

    @Override
    public OptionalLong writtenTtbr0() {
        return inner.writtenTtbr0();
    }

    @Override
    public long rootPa() {
        return inner.rootPa();
    }

    @Override
    public int rootLevel() {
        return inner.rootLevel();
    }

    @Override
    public VaRange vaRange() {
        return inner.vaRange();
    }

    @Override
    public PhysicalMemory memory() {
        return inner.memory();
    }

    @Override
    public String debug() {
        return inner.debug();
    }

    @Override
    public void close() {
        inner.close();
    }
}
