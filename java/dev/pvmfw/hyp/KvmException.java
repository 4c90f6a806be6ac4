package dev.pvmfw.hyp;

import java.util.Objects;

/** The {@code Err(KvmError)} of an SMCCC return rule ({@link Smccc}). The message is the error's Display text. */
public final class KvmException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient KvmError error;

    /** The exception for {@code error}, with its Display text as the message. */
    public KvmException(KvmError error) {
        super(error.display(), null, false, false);
        this.error = Objects.requireNonNull(error);
    }

    /** The KVM error. */
    public KvmError error() {
        return error;
    }
}
