package dev.pvmfw.tool;

import dev.pvmfw.catalog.Era;
import dev.pvmfw.catalog.Eras;
import dev.pvmfw.catalog.Profiles;
import dev.pvmfw.paging.port.CrateProfile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the project's version, each profile with the crates it links, and each era. */
final class Versions implements IVersionProvider {
    /** The project version, from the build ({@code version.properties}, filtered by Maven). */
    static String project() {
        try (InputStream in = Versions.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>();
        lines.add("pvmfw-paging " + project());
        for (CrateProfile p : Profiles.all()) {
            lines.add("profile " + p.id() + ": " + p.describe()
                    + (p == Profiles.defaultProfile() ? " (default)" : ""));
        }
        for (Era e : Eras.all()) {
            lines.add("era " + e.id() + ": " + e.change() + (e == Eras.defaultEra() ? " (default)" : ""));
        }
        return lines.toArray(String[]::new);
    }
}
