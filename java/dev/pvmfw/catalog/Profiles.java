package dev.pvmfw.catalog;

import dev.pvmfw.paging.port.CrateProfile;
import dev.pvmfw.paging.v0_12_1.profile.Profile0121;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import java.util.List;
import java.util.Optional;

/**
 * Every crate version this project reproduces, by id: where a profile named by a user ({@code --profile}) or a
 * scenario becomes a {@link CrateProfile}. The one place that lists the crate-version packages.
 */
public final class Profiles {
    private static final List<CrateProfile> ALL = List.of(Profile040.INSTANCE, Profile0121.INSTANCE);

    private Profiles() {}

    /** All profiles, oldest crate version first. */
    public static List<CrateProfile> all() {
        return ALL;
    }

    /** The profile used when none is named: aarch64-paging 0.4.0, what pvmfw shipped the seed change on. */
    public static CrateProfile defaultProfile() {
        return Profile040.INSTANCE;
    }

    /** The profile with this id ({@code 0.4.0}, {@code 0.12.1}), if any. */
    public static Optional<CrateProfile> byId(String id) {
        return ALL.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The ids, comma-separated, for messages. */
    public static String ids() {
        return String.join(", ", ALL.stream().map(CrateProfile::id).toList());
    }
}
