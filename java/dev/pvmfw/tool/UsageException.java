package dev.pvmfw.tool;

/** A command line the tool cannot act on: one line for the user, exit status 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message, null, false, false);
    }
}
