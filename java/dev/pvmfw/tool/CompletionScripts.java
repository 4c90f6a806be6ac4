package dev.pvmfw.tool;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;

/**
 * Writes the shell completion scripts the distribution ships, from the command line itself (picocli's
 * {@link AutoComplete}), so they never drift from the options: {@code pvmfw-paging.bash} (bash, and zsh through
 * {@code bashcompinit}) and {@code pvmfw-paging.zsh}, which loads it in zsh. Run by the build at
 * {@code prepare-package}: {@code CompletionScripts <directory>}.
 */
public final class CompletionScripts {
    private CompletionScripts() {}

    /** The bash script for the command line as it is. */
    static String bash() {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        return AutoComplete.bash("pvmfw-paging", Main.commandLine(sink, sink));
    }

    /** The zsh loader: zsh runs the bash script through {@code bashcompinit}. */
    static String zsh() {
        return """
                # pvmfw-paging completion for zsh: source this file (e.g. from ~/.zshrc).
                autoload -U +X compinit && compinit
                autoload -U +X bashcompinit && bashcompinit
                source "${${(%):-%x}:A:h}/pvmfw-paging.bash"
                """;
    }

    /** Writes both scripts into {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CompletionScripts <directory>");
            System.exit(Main.USAGE);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        Files.writeString(dir.resolve("pvmfw-paging.bash"), bash());
        Files.writeString(dir.resolve("pvmfw-paging.zsh"), zsh());
    }
}
