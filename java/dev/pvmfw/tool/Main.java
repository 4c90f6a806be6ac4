package dev.pvmfw.tool;

import dev.pvmfw.paging.Attributes;
import dev.pvmfw.paging.MapException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.Profile;
import dev.pvmfw.paging.RootTable;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.VaRange;
import java.io.PrintStream;

/** The {@code pvmfw-paging} command line. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static final java.util.List<Command> COMMANDS = java.util.List.of(new RunCommand(), new DumpCommand(),
            new DecodeCommand(), new CheckCommand(), new DiffCommand(), new FuzzCommand());

    /** Runs a command; returns the exit status (0 ok, 1 findings or failure, 2 usage). Never throws. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("demo")) {
            try {
                demo(out);
                return 0;
            } catch (MapException e) {
                err.println("pvmfw-paging: " + e.getMessage());
                return 1;
            }
        }
        if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(usage());
            return 0;
        }
        for (Command c : COMMANDS) {
            if (c.name().equals(args[0])) {
                if (java.util.Arrays.asList(args).subList(1, args.length).stream()
                        .anyMatch(s -> s.equals("--help") || s.equals("-h"))) {
                    out.print(c.help());
                    return 0;
                }
                try {
                    return c.run(args, out, err);
                } catch (UsageException e) {
                    err.println("pvmfw-paging " + c.name() + ": " + e.getMessage());
                    err.println("(pvmfw-paging " + c.name() + " --help for usage)");
                    return 2;
                } catch (Exception | StackOverflowError | OutOfMemoryError e) {
                    err.println("pvmfw-paging " + c.name() + ": failed: " + e.getClass().getSimpleName() + ": "
                            + e.getMessage());
                    return 1;
                }
            }
        }
        err.println("pvmfw-paging: unknown command '" + args[0] + "'");
        err.print(usage());
        return 2;
    }

    static String usage() {
        StringBuilder b = new StringBuilder("usage: pvmfw-paging COMMAND [ARGS]  (COMMAND --help for details)\n\n");
        b.append(String.format("  %-10s %s%n", "demo", "the main job (default)"));
        for (Command c : COMMANDS) {
            b.append(String.format("  %-10s %s%n", c.name(), c.summary()));
        }
        return b.toString();
    }

    /** Maps pvmfw's S3 example (a lazy device block, then one page made valid) and prints the tables. */
    static void demo(PrintStream out) throws MapException {
        out.println("pvmfw-paging: " + Profile.describe() + " in Java");
        Attributes deviceLazy = Attributes.of(Attributes.SWFLAG_0, Attributes.DEVICE_NGNRE, Attributes.EXECUTE_NEVER);
        try (TableArena arena = TableArena.create(16); RootTable root = new RootTable(arena, 1, VaRange.LOWER)) {
            root.mapRange(MemoryRegion.of(0x0900_0000L, 0x0920_0000L), new PhysicalAddress(0x0900_0000L), deviceLazy);
            root.mapRange(MemoryRegion.of(0x0900_1000L, 0x0900_2000L), new PhysicalAddress(0x0900_1000L),
                    deviceLazy.union(Attributes.VALID));
            java.util.List<String> lines = root.debug().lines().toList();
            lines.stream().limit(8).forEach(out::println);
            out.println("  … (" + lines.size() + " lines of the crate's Debug dump; 0.4.0 fills split tables with"
                    + " invalid non-zero entries)");
        }
    }
}
