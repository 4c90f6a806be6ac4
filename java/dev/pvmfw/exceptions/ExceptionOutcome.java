package dev.pvmfw.exceptions;

import java.util.List;
import java.util.Objects;

/**
 * How {@link ExceptionHandler#syncExceptionCurrent} ends: the handler returns, so {@code eret} retries the faulting
 * instruction ({@link Return}), or pvmfw calls {@code reboot()} (PSCI SYSTEM_RESET), modelled as a value
 * ({@link Reboot}) — nothing here exits the JVM.
 */
public sealed interface ExceptionOutcome {

    /** The fault was handled: the access is retried. */
    record Return() implements ExceptionOutcome {
        /** The shared value; every {@code Return} equals it (the record has no components). */
        public static final Return INSTANCE = new Return();
    }

    /** Why a reboot happened. */
    sealed interface Cause {
        /**
         * {@code handle_exception} returned this error.
         *
         * @param error the handler's error
         */
        record Error(HandleExceptionError error) implements Cause {
            /** A cause; error must not be null. */
            public Error {
                Objects.requireNonNull(error);
            }
        }

        /**
         * pvmfw panicked while handling (an {@code expect}, {@code unwrap} or assertion, or the paging crate or its
         * translation): the panic handler prints and reboots.
         *
         * @param message the panic message
         */
        record Panic(String message) implements Cause {
            /** A cause; message must not be null. */
            public Panic {
                Objects.requireNonNull(message);
            }
        }
    }

    /**
     * pvmfw rebooted.
     *
     * @param esr the decoded syndrome
     * @param far FAR_EL1
     * @param elr ELR_EL1
     * @param cause the error or panic
     * @param console the lines printed to the console, possibly none (the UART rule)
     */
    record Reboot(Esr esr, long far, long elr, Cause cause, List<String> console) implements ExceptionOutcome {
        /** A reboot; esr and cause must not be null, {@code console} is copied. */
        public Reboot {
            Objects.requireNonNull(esr);
            Objects.requireNonNull(cause);
            console = List.copyOf(console);
        }

        /** The handler error, if the cause was one. */
        public java.util.Optional<HandleExceptionError> error() {
            return cause instanceof Cause.Error e ? java.util.Optional.of(e.error()) : java.util.Optional.empty();
        }
    }
}
