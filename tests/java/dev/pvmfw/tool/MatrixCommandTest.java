package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The era × crate matrix: the README holds the command's output, and its cells say what the references say. */
class MatrixCommandTest {

    @Test
    void theReadmeHoldsTheMatrixCommandsOutput() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int begin = readme.indexOf("<!-- matrix:begin -->\n");
        int end = readme.indexOf("<!-- matrix:end -->");
        assertTrue(begin >= 0 && end > begin, "README.md has the matrix markers");
        String inReadme = readme.substring(begin + "<!-- matrix:begin -->\n".length(), end);
        ToolRun run = ToolRun.of("matrix");
        assertEquals(0, run.status(), run.err());
        assertEquals(run.out(), inReadme, "regenerate with: pvmfw-paging matrix");
    }

    /**
     * The cells against the references: the seed shipped on 0.4.0 and works there; 2023-11 and 2024-05 set VALID in
     * place, which on 0.12.1's flags-only lazy page writes 0x00c0_0000_0000_0401 (aarch64-paging 0.12 reference, R4
     * op 1; pvmfw-lazy-mmio, "Page-table layer": "0b01 is not a valid page descriptor"); the corrected flow writes the page
     * descriptor and works on both.
     */
    @Test
    void theInPlaceErasBreakOn0121WithTheReservedWordAndTheFixWorks() {
        String table = MatrixCommand.table();
        assertTrue(table.contains("| 2023-05 | works **(shipped)** |"), table);
        for (String era : new String[] {"2023-11", "2024-05"}) {
            String row = table.lines().filter(l -> l.startsWith("| " + era + " |")).findFirst().orElseThrow();
            assertTrue(row.startsWith("| " + era + " | works | breaks: valid L3 entry with low bits 0b01"), row);
            assertTrue(row.contains("0x00c0000000000401"), row);
            String fixed = table.lines().filter(l -> l.startsWith("| " + era + "+fix |")).findFirst().orElseThrow();
            assertEquals("| " + era + "+fix | works | works |", fixed);
        }
        assertEquals(1, table.lines().filter(l -> l.contains("(shipped)")).count(), table);
    }
}
