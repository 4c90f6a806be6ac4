package dev.pvmfw.tool;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The tool's logging: the library logs through SLF4J only; the tool's binding (slf4j-simple) prints one compact line
 * per event on standard error, {@code LEVEL Logger - message}, never the binding's default format with thread names.
 * The level is {@code warn} unless {@code --verbose} (info; twice, debug) or {@code --quiet} (error) says otherwise,
 * and it is set before the first logger is made: the options are read while parsing, and no logger exists before a
 * command runs. A {@code -Dorg.slf4j.simpleLogger.*} property given to the JVM wins over the defaults.
 */
final class Logging {
    private static final String PREFIX = "org.slf4j.simpleLogger.";
    private static final String LEVEL = PREFIX + "defaultLogLevel";

    /** Sets the line format and the default level, where the JVM was not given them. Call first thing in main. */
    static void defaults() {
        setIfAbsent("showThreadName", "false");
        setIfAbsent("showDateTime", "false");
        setIfAbsent("showShortLogName", "true");
        setIfAbsent("levelInBrackets", "false");
        setIfAbsent("logFile", "System.err");
        setIfAbsent("defaultLogLevel", "warn");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }

    /** {@code --verbose} and {@code --quiet}, on the root and inherited by every command. */
    static final class Options {
        @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
                description = "log more: info; given twice, debug (the log goes to standard error)")
        void verbose(boolean[] times) {
            System.setProperty(LEVEL, times.length > 1 ? "debug" : "info");
        }

        @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "log errors only")
        void quiet(boolean on) {
            if (on) {
                System.setProperty(LEVEL, "error");
            }
        }
    }
}
