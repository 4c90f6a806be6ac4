package dev.pvmfw.oracle.engine.v0_12_1;

import dev.pvmfw.oracle.engine.Engine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.engine.TraceEntry;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.oracle.scenario.Updater;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.v0_12_1.AsidRegime;
import dev.pvmfw.paging.v0_12_1.Constraints;
import dev.pvmfw.paging.v0_12_1.MapException;
import dev.pvmfw.paging.v0_12_1.Mapping;
import dev.pvmfw.paging.v0_12_1.PagingAttributes;
import dev.pvmfw.paging.v0_12_1.Regime;
import dev.pvmfw.paging.v0_12_1.UnitRegime;
import dev.pvmfw.paging.v0_12_1.profile.Profile0121;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The Java engine of a profile-0.12.1 scenario: a {@link Mapping} of the scenario's regime over a {@link TableArena}
 * of its slots. An edit's {@link Updater.Edit#decide decision} is applied here with the mirror's
 * {@code UpdatableDescriptor} ({@code set}, {@code modify_flags}), as the library applies it with the crate's; every
 * callback call is traced with what became of its action ({@link TraceEntry#status}).
 */
public final class JavaEngine0121 implements Engine {
    private final TableArena arena;
    private Mapping<?> mapping;

    /** An engine for {@code scenario}: a new arena of its slot count at its PA base, released by {@link #close}. */
    public JavaEngine0121(Scenario scenario) {
        this.arena = TableArena.create(scenario.slots(), scenario.paBase());
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public StepResult apply(Step step) {
        int logBefore = arena.eventCount();
        List<TraceEntry> trace = new ArrayList<>();
        Outcome outcome = new Outcome.Ok();
        try {
            switch (step) {
                case Step.NewTable t -> mapping = newMapping(arena, t);
                case Step.MapRange m -> map(live(), m);
                case Step.ModifyRange m -> modify(live(), m, trace);
                case Step.WalkRange w -> walk(live(), w, trace);
                case Step.CompactSubtables c -> live().compactSubtables();
                case Step.Activate a -> outcome = new Outcome.Value(live().activate());
                case Step.Deactivate d -> live().deactivate(d.previousTtbr());
                case Step.MarkActive a -> live().markActive();
                case Step.MarkInactive i -> live().markInactive();
                case Step.DropTable d -> {
                    Mapping<?> dropping = live();
                    mapping = null;
                    dropping.close();
                }
                default -> outcome = new Outcome.Invalid("'" + step.text() + "' is no step of profile 0.12.1");
            }
        } catch (MapException e) {
            outcome = Errors.of(e.error());
        } catch (TranslationPanic p) {
            outcome = new Outcome.Panicked(Errors.panicKind(p.kind()), p.getMessage());
        } catch (CratePanic p) {
            outcome = new Outcome.Panicked(Outcome.PanicKind.NONE, p.getMessage());
        }
        return new StepResult(outcome, trace, arena.eventsSince(logBefore));
    }

    /**
     * The scenario's {@code Mapping}: {@code with_asid_and_va_range} for the regimes with an ASID, {@code new} for the
     * others.
     *
     * @throws CratePanic the crate's panic for a root level above 3
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Mapping<?> newMapping(TableArena arena, Step.NewTable t) {
        Regime<?> regime = Profile0121.regime(t.regime());
        if (regime instanceof AsidRegime a) {
            return Mapping.withAsidAndVaRange(arena, t.asid(), t.level(), a, t.vaRange());
        }
        if (t.vaRange() != VaRange.LOWER) {
            throw new IllegalStateException("the scenario refuses an upper range of " + t.regime().id());
        }
        return new Mapping(arena, t.level(), (UnitRegime) regime);
    }

    private Mapping<?> live() {
        if (mapping == null) {
            throw new CratePanic(Errors.NO_MAPPING);
        }
        return mapping;
    }

    static <A extends PagingAttributes<A>> void map(Mapping<A> m, Step.MapRange step) throws MapException {
        PagingAttributes.Type<A> type = m.root().regime().attributes();
        m.mapRange(MemoryRegion.of(step.start(), step.end()), new PhysicalAddress(step.pa()),
                type.fromBitsRetain(step.flags().bits()), Constraints.fromBitsRetain(step.constraints()));
    }

    static <A extends PagingAttributes<A>> void modify(Mapping<A> m, Step.ModifyRange step,
            List<TraceEntry> trace) throws MapException {
        if (!(step.updater() instanceof Updater.Edit edit)) {
            throw new IllegalStateException("the scenario refuses built-in updaters on 0.12.1");
        }
        PagingAttributes.Type<A> type = m.root().regime().attributes();
        int[] calls = {0};
        m.modifyRange(MemoryRegion.of(step.start(), step.end()), (range, d) -> {
            long before = d.bits();
            Updater.Decision decision = edit.decide(++calls[0], range.startValue(), d.level(), before);
            int applied = switch (decision.action()) {
                case Updater.Action.None n -> 0;
                case Updater.Action.ModifyFlags f -> d.modifyFlags(type.fromBitsRetain(f.set().bits()),
                        type.fromBitsRetain(f.clear().bits())) ? 1 : 2;
                case Updater.Action.Set s -> d.set(new PhysicalAddress(s.pa()), type.fromBitsRetain(s.flags().bits()))
                        ? 1 : 2;
            };
            trace.add(new TraceEntry(range.startValue(), range.endValue(), d.level(), before, d.bits(),
                    TraceEntry.status(applied, d.updated(), !decision.ok())));
            return decision.ok();
        });
    }

    private static <A extends PagingAttributes<A>> void walk(Mapping<A> m, Step.WalkRange step,
            List<TraceEntry> trace) throws MapException {
        int[] calls = {0};
        m.walkRange(MemoryRegion.of(step.start(), step.end()), (range, d, level) -> {
            boolean fails = step.fail().fails(++calls[0], range.startValue(), level, d.bits());
            trace.add(new TraceEntry(range.startValue(), range.endValue(), level, d.bits(), d.bits(),
                    TraceEntry.status(0, false, fails)));
            return !fails;
        });
    }

    @Override
    public MemorySegment image() {
        return arena.segment();
    }

    @Override
    public OptionalLong rootPa() {
        return mapping == null ? OptionalLong.empty() : OptionalLong.of(mapping.rootAddress().value());
    }

    /** The crate's {@code Debug} of the {@code Mapping}; empty without one or when formatting panics. */
    @Override
    public Optional<String> debugDump() {
        if (mapping == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(mapping.toString());
        } catch (CratePanic e) {
            return Optional.empty();
        }
    }

    /** A table scenario has no hypervisor. */
    @Override
    public List<Long> guardMapped() {
        return List.of();
    }

    @Override
    public void close() {
        try {
            if (mapping != null) {
                mapping.close();
            }
        } catch (CratePanic ignored) {
            // An active mapping's drop panics after freeing; a table the crate cannot drop; the arena goes anyway.
        } finally {
            arena.close();
        }
    }
}
