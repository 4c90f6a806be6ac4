package dev.pvmfw.era;

/**
 * Where pvmfw panics ({@code expect}, {@code unwrap}, {@code assert!}, {@code assert_eq!}), this library throws an
 * {@code InvariantViolation} whose message is <em>exactly</em> the Rust panic message (without location), so it
 * compares with the Rust oracle. In pvmfw a panic prints and reboots; {@code dev.pvmfw.exceptions} turns one raised
 * inside the fault handler into a reboot outcome.
 *
 * <p>{@code assert_eq!}/{@code assert_ne!} messages use the Rust 1.73+ layout: {@code assertion `left == right`
 * failed: <message>\n  left: <left>\n right: <right>} (without {@code : <message>} when none is given), values printed
 * with {@code Debug} (decimal for integers).
 */
public class InvariantViolation extends dev.pvmfw.paging.CratePanic {
    private static final long serialVersionUID = 1L;

    /** {@code Option::expect}/{@code unwrap} on None: {@code called `Option::unwrap()` on a `None` value}. */
    public static final String UNWRAP_NONE = "called `Option::unwrap()` on a `None` value";

    /** A pvmfw panic with the Rust panic's exact {@code message}. */
    public InvariantViolation(String message) {
        super(message);
    }

    /** {@code assert_eq!(left, right, message)} failing, for unsigned integers (usize). */
    public static InvariantViolation assertEqFailed(long left, long right, String message) {
        return new InvariantViolation(comparison("==", Long.toUnsignedString(left), Long.toUnsignedString(right),
                message));
    }

    /** {@code assert_ne!(left, right, message)} failing, for unsigned integers (usize). */
    public static InvariantViolation assertNeFailed(long left, long right, String message) {
        return new InvariantViolation(comparison("!=", Long.toUnsignedString(left), Long.toUnsignedString(right),
                message));
    }

    /** {@code result.unwrap()} on {@code Err(e)}: {@code called `Result::unwrap()` on an `Err` value: {e:?}}. */
    public static InvariantViolation unwrapErr(Object debugOfError) {
        return new InvariantViolation("called `Result::unwrap()` on an `Err` value: " + debugOfError);
    }

    private static String comparison(String op, String left, String right, String message) {
        return "assertion `left " + op + " right` failed" + (message == null ? "" : ": " + message) + "\n  left: "
                + left + "\n right: " + right;
    }
}
