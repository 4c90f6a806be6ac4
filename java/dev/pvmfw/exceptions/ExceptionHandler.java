package dev.pvmfw.exceptions;

import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.era.MemoryMutex;
import dev.pvmfw.era.LazyMmioTracker;
import dev.pvmfw.era.TrackerException;
import dev.pvmfw.paging.CratePanic;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pvmfw's synchronous exception handling at the 2023-05 era ({@code b99905d3:pvmfw/src/exceptions.rs},
 * {@code 758d65de:vmbase/src/exceptions.rs}), over a {@link MemoryMutex} standing for the global {@code MEMORY} and
 * the tracker it holds. The lock, error and reboot rules stay in later eras; the dispatch (translation faults only)
 * does not: from {@code 44b1ce35} permission faults are handled too ({@code docs/architecture.md}, "Eras").
 *
 * <p>{@link #handleException}: a {@code DataAbortTranslationFault} takes the tracker lock <em>without</em> spinning
 * (held → PageTableUnavailable), needs a tracker (absent → PageTableNotInitialized) and runs
 * {@link LazyMmioTracker#handleMmioFault} on the FAR as is (an error → InternalError(e)); every other syndrome —
 * permission faults included in this era — is UnknownException.
 *
 * <p>{@link #syncExceptionCurrent}: the vector's entry. On success the handler returns and the access is retried. On
 * an error it prints {@code sync_exception_current}, the error, and {@code {esr}, far={far:#08x}, elr={elr:#08x}} —
 * unless the syndrome is exactly the synchronous external abort {@code 0x96000010} and the FAR's 4 KiB page is the
 * UART's (page 0), where printing could fault again — and reboots. A panic (an {@link InvariantViolation} or a
 * {@link CratePanic}) prints {@code panicked at <location not modelled>:} and the message, then reboots. Lines printed
 * are kept in the outcome and in {@link #console()}, and logged through SLF4J at error level.
 */
public final class ExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ExceptionHandler.class);

    /** {@code UART_PAGE = page_4kb_of(console::BASE_ADDRESS)}. */
    public static final long UART_PAGE = 0;

    private final MemoryMutex<? extends LazyMmioTracker> memory;
    private final List<String> console = new ArrayList<>();

    /** A handler over {@code memory}, the global {@code MEMORY} holding the tracker (or none yet). */
    public ExceptionHandler(MemoryMutex<? extends LazyMmioTracker> memory) {
        this.memory = Objects.requireNonNull(memory);
    }

    /** The global {@code MEMORY} this handler locks. */
    public MemoryMutex<? extends LazyMmioTracker> memory() {
        return memory;
    }

    /**
     * {@code handle_exception(esr, far)}.
     *
     * @throws HandleExceptionException PageTableUnavailable, PageTableNotInitialized, InternalError, UnknownException
     * @throws InvariantViolation if pvmfw code panics (e.g. "Unsupported PTE flags set")
     * @throws CratePanic if the paging crate or its translation panics (e.g. an exhausted arena)
     */
    public void handleException(Esr esr, long far) throws HandleExceptionException {
        if (esr != Esr.Unit.DataAbortTranslationFault) {
            throw new HandleExceptionException(HandleExceptionError.Unit.UnknownException);
        }
        handleTranslationFault(memory, far);
    }

    /** {@code handle_translation_fault}: the lock without spinning, the tracker, its {@code handle_mmio_fault}. */
    private static <T extends LazyMmioTracker> void handleTranslationFault(MemoryMutex<T> memory, long far)
            throws HandleExceptionException {
        Optional<MemoryMutex<T>.Guard> locked = memory.tryLock();
        if (locked.isEmpty()) {
            throw new HandleExceptionException(HandleExceptionError.Unit.PageTableUnavailable);
        }
        try (MemoryMutex<T>.Guard guard = locked.get()) {
            T tracker = guard.tracker().orElseThrow(
                    () -> new HandleExceptionException(HandleExceptionError.Unit.PageTableNotInitialized));
            try {
                tracker.handleMmioFault(far);
            } catch (TrackerException e) {
                throw new HandleExceptionException(new HandleExceptionError.InternalError(e.error()));
            }
        }
    }

    /** {@code handling_uart_exception}: ESR decodes as the external abort and the FAR's page is the UART's. */
    public static boolean handlingUartException(Esr esr, long far) {
        return esr == Esr.Unit.DataAbortSyncExternalAbort && (far & ~0xfffL) == UART_PAGE;
    }

    /**
     * {@code sync_exception_current(elr, spsr)} with ESR_EL1 = {@code esr} and FAR_EL1 = {@code far}: returns
     * {@link ExceptionOutcome.Return} if handled, else {@link ExceptionOutcome.Reboot}. Never throws for any input.
     */
    public ExceptionOutcome syncExceptionCurrent(long esr, long far, long elr) {
        Esr decoded = Esr.decode(esr);
        LOG.debug("sync exception: {} (esr=0x{}), far=0x{}, elr=0x{}", decoded, Long.toHexString(esr),
                Long.toHexString(far), Long.toHexString(elr));
        try {
            handleException(decoded, far);
            return ExceptionOutcome.Return.INSTANCE;
        } catch (HandleExceptionException e) {
            List<String> lines = new ArrayList<>(3);
            if (!handlingUartException(decoded, far)) {
                lines.add("sync_exception_current");
                lines.add(e.error().display());
                lines.add(decoded.display() + ", far=" + Esr.hex08(far) + ", elr=" + Esr.hex08(elr));
            } else {
                LOG.debug("external abort on the UART page: rebooting without printing");
            }
            return reboot(decoded, far, elr, new ExceptionOutcome.Cause.Error(e.error()), lines);
        } catch (CratePanic e) { // pvmfw's panics (InvariantViolation) and the crate's
            String message = String.valueOf(e.getMessage());
            List<String> lines = List.of("panicked at <location not modelled>:", message);
            return reboot(decoded, far, elr, new ExceptionOutcome.Cause.Panic(message), lines);
        }
    }

    private ExceptionOutcome.Reboot reboot(Esr esr, long far, long elr, ExceptionOutcome.Cause cause,
            List<String> lines) {
        for (String line : lines) {
            LOG.error("{}", line);
        }
        synchronized (console) {
            console.addAll(lines);
        }
        return new ExceptionOutcome.Reboot(esr, far, elr, cause, lines);
    }

    /** Every line printed so far, in order. */
    public List<String> console() {
        synchronized (console) {
            return List.copyOf(console);
        }
    }
}
