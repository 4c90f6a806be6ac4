package dev.pvmfw.tool;

/** Bad command-line usage: exit status 2 with a one-line message. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
