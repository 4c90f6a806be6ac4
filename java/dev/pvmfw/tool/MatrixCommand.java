package dev.pvmfw.tool;

import dev.pvmfw.catalog.Era;
import dev.pvmfw.catalog.Eras;
import dev.pvmfw.catalog.Profiles;
import dev.pvmfw.paging.port.CrateProfile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "matrix", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"The era × crate matrix: each pvmfw era on each crate version, with a verdict.", "",
            "Runs the demo's scenario (boot on the crosvm layout over pKVM, the guest accesses on the simulated CPU, "
                + "pvmfw's exit) for every era (and the corrected variants, +fix) on every crate profile, and prints a "
                + "Markdown table. A cell works when every faulted page translates to its identity PA as Device "
                + "memory, the guard map holds exactly the valid device pages, and teardown leaves nothing "
                + "guard-mapped; otherwise it breaks, with the first broken rule and the step. The cell pvmfw shipped "
                + "is marked.", "",
            "Exit status: 0."})
final class MatrixCommand extends ToolCommand {
    MatrixCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    int execute() {
        out.print(table());
        return Main.OK;
    }

    /** The eras of the matrix's rows: every era, then the corrected variants. */
    static List<Era> rows() {
        List<Era> rows = new ArrayList<>(Eras.all());
        for (Era e : Eras.all()) {
            Eras.corrected(e).ifPresent(rows::add);
        }
        return rows;
    }

    /** The matrix as a Markdown table. */
    static String table() {
        StringBuilder out = new StringBuilder("| era |");
        StringBuilder rule = new StringBuilder("|---|");
        for (CrateProfile p : Profiles.all()) {
            out.append(" aarch64-paging ").append(p.id()).append(" |");
            rule.append("---|");
        }
        out.append('\n').append(rule).append('\n');
        for (Era e : rows()) {
            out.append("| ").append(e.id()).append(" |");
            for (CrateProfile p : Profiles.all()) {
                out.append(' ').append(verdict(EraRun.run(e, p))).append(shipped(e, p) ? " **(shipped)**" : "")
                        .append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** "works" or "breaks: rule … (step)". */
    static String verdict(EraRun run) {
        return run.firstBroken().map(b -> "breaks: " + b.replace("|", "\\|")).orElse("works");
    }

    /** The one cell pvmfw shipped on a profile this project has: the seed on 0.4.0. */
    static boolean shipped(Era era, CrateProfile profile) {
        return era == Eras.ERA_2023_05 && profile == Profiles.defaultProfile();
    }
}
