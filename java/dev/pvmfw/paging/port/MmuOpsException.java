package dev.pvmfw.paging.port;

import java.util.Objects;

/**
 * A crate version's {@code Err(MapError)} from an {@link MmuOps} call, as text an era can log and compare: the
 * crate's Display ({@link #getMessage()}) and Debug ({@link #debug()}). The crate-version exception is the cause.
 */
public final class MmuOpsException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The crate's Debug text of the error. */
    private final String debug;

    /**
     * The error with the crate's texts, {@code display} as the message.
     *
     * @param display the crate's Display text of the error
     * @param debug its Debug text
     * @param cause the crate version's own exception
     */
    public MmuOpsException(String display, String debug, Throwable cause) {
        super(Objects.requireNonNull(display), cause, false, false);
        this.debug = Objects.requireNonNull(debug);
    }

    /** The crate's Debug text of the error, e.g. {@code AddressRange(VirtualAddress(0x0000008000000000))}. */
    public String debug() {
        return debug;
    }
}
