/**
 * pvmfw's synchronous exception path ({@code b99905d3:pvmfw/src/exceptions.rs},
 * {@code 758d65de:vmbase/src/exceptions.rs}): ESR decoding by masked equality ({@link dev.pvmfw.exceptions.Esr}, the
 * same in every era), and the handler with its errors and the reboot and UART rules
 * ({@link dev.pvmfw.exceptions.ExceptionHandler}, {@link dev.pvmfw.exceptions.HandleExceptionError},
 * {@link dev.pvmfw.exceptions.ExceptionOutcome}), with the 2023-05 dispatch ({@code docs/architecture.md}, "Eras").
 */
package dev.pvmfw.exceptions;
