/**
 * pvmfw's synchronous exception path at the lazy-MMIO change ({@code exceptions.rs} at {@code b99905d3}): ESR
 * decoding by masked equality ({@link dev.pvmfw.exceptions.Esr}), syndrome builders for tests
 * ({@link dev.pvmfw.exceptions.Syndrome}), the handler with its errors and the reboot/UART rules
 * ({@link dev.pvmfw.exceptions.ExceptionHandler}, {@link dev.pvmfw.exceptions.HandleExceptionError},
 * {@link dev.pvmfw.exceptions.ExceptionOutcome}).
 */
package dev.pvmfw.exceptions;
