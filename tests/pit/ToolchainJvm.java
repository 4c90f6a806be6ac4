import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Run by the `pit` profile with the toolchain's java (exec-maven-plugin follows maven-toolchains-plugin; pitest-maven
 * does not): writes an executable script at args[0] that runs this very JVM, so that PIT's minion JVMs are the
 * toolchain's JDK 25 even when Maven itself runs on an older JDK. A single-file program, run from source; not part of
 * the test suite.
 */
public class ToolchainJvm {
    public static void main(String[] args) throws IOException {
        Path script = Path.of(args[0]);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\n# written by tests/pit/ToolchainJvm.java: the toolchain's JDK "
                + Runtime.version().feature() + "\nexec '" + java.toString().replace("'", "'\\''") + "' \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
