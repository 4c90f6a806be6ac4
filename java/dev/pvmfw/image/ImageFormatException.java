package dev.pvmfw.image;

/** A page-table image that cannot be read as one (size, parameters); the message says why. */
public final class ImageFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An image that cannot be read, with {@code message} saying why. */
    public ImageFormatException(String message) {
        super(message);
    }
}
