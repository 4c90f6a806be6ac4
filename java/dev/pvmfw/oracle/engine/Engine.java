package dev.pvmfw.oracle.engine;

import dev.pvmfw.oracle.scenario.Step;

import java.lang.foreign.MemorySegment;

/** One implementation of the crate under test: the Java engine or the Rust oracle. Applies steps in order. */
public interface Engine extends AutoCloseable {

    /** Short name for reports ({@code java}, {@code rust}). */
    String name();

    /** Applies {@code step}; never throws for an engine outcome (those are in the result). */
    StepResult apply(Step step);

    /** The whole arena, every slot in order. Valid until {@link #close}. */
    MemorySegment image();

    /** The PA of the live root table ({@code RootTable::to_physical}); empty if there is none (not made, or dropped). */
    java.util.OptionalLong rootPa();

    /**
     * The crate's {@code Debug} dump of the root table; empty if there is no live root or the dump panics (as the
     * crate's does on a table descriptor its translation cannot resolve).
     */
    java.util.Optional<String> debugDump();

    /** The hypervisor's currently guard-mapped IPAs, ascending (empty for a table scenario). */
    java.util.List<Long> guardMapped();

    @Override
    void close();
}
