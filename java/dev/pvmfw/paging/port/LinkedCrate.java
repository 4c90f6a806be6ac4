package dev.pvmfw.paging.port;

import java.util.Objects;

/**
 * A Rust crate at an exact version, as a profile links it (and as its oracle library must link it).
 *
 * @param name the crate's name on crates.io, e.g. {@code aarch64-paging}
 * @param version its exact version, e.g. {@code 0.4.0}
 */
public record LinkedCrate(String name, String version) {
    /** A crate at an exact version; neither may be null. */
    public LinkedCrate {
        Objects.requireNonNull(name);
        Objects.requireNonNull(version);
    }

    /** {@code name version}. */
    @Override
    public String toString() {
        return name + " " + version;
    }
}
