package dev.pvmfw.tool;

import picocli.CommandLine.Option;

/** {@code --json}: the result as one JSON document ({@code docs/json.md}) instead of text. */
final class JsonOption {
    @Option(names = "--json", description = "print the result as JSON (docs/json.md) instead of text")
    boolean json;
}
