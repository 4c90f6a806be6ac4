package dev.pvmfw.oracle.engine.v0_12_1;

import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.paging.v0_12_1.MapError;

/** Outcomes of 0.12.1's errors and panics, shared by both 0.12.1 engines. */
public final class Errors {
    /** The panic of a step with no mapping to call (the {@code table} step failed, or {@code drop} ran). */
    public static final String NO_MAPPING = "no mapping (the 'table' step failed or 'drop' already ran)";

    private Errors() {}

    /** Java's outcome for {@code error}: Java's Debug ({@code toString}) and Display texts of it. */
    public static Outcome.Err of(MapError error) {
        return new Outcome.Err(error.toString(), error.toString(), error.display());
    }

    /** The panic kind of a translation's panic. */
    public static Outcome.PanicKind panicKind(TranslationPanic.Kind kind) {
        return switch (kind) {
            case EXHAUSTED -> Outcome.PanicKind.EXHAUSTED;
            case BAD_ADDRESS -> Outcome.PanicKind.BAD_ADDRESS;
            case BAD_FREE -> Outcome.PanicKind.BAD_FREE;
        };
    }
}
