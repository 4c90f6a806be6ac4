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
        public static final Return INSTANCE = new Return();
    }

    /** Why a reboot happened. */
    sealed interface Cause {
        /** {@code handle_exception} returned this error. */
        record Error(HandleExceptionError error) implements Cause {
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
