package dev.pvmfw.hyp;

/**
 * The raw SMCCC layer: {@code smccc::hvc64(function_id, [u64; 17]) -> [u64; 18]}, an {@code hvc #0} with the
 * function ID in w0 and arguments in x1..x17, returning x0..x17.
 *
 * <p>Implementations: {@link RecordingHypervisor} (tests and tools); an oracle may provide another.
 */
@FunctionalInterface
public interface SmcccConduit {

    /**
     * Issues one call.
     *
     * @param functionId w0
     * @param args x1..x17: exactly {@link Smccc#ARG_REGISTERS} values
     * @return x0..x17: exactly {@link Smccc#RETURN_REGISTERS} values
     */
    long[] hvc64(int functionId, long[] args);
}
