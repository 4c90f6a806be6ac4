package dev.pvmfw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module's exports are the deliberate list of {@code docs/architecture.md}, "Public surface": the compiled
 * descriptor is read in every run; on the module-path run ({@code surefire} execution {@code module-path}) the test
 * also checks that it runs inside the named module, so the descriptor is the one in force.
 */
class ModuleDescriptorTest {
    static final Set<String> EXPORTED = Set.of("dev.pvmfw.paging", "dev.pvmfw.paging.port", "dev.pvmfw.paging.v0_4_0",
            "dev.pvmfw.paging.v0_4_0.idmap", "dev.pvmfw.paging.v0_4_0.linearmap", "dev.pvmfw.paging.v0_4_0.profile",
            "dev.pvmfw.paging.v0_12_1", "dev.pvmfw.paging.v0_12_1.idmap", "dev.pvmfw.paging.v0_12_1.linearmap",
            "dev.pvmfw.paging.v0_12_1.mair", "dev.pvmfw.paging.v0_12_1.target", "dev.pvmfw.paging.v0_12_1.profile",
            "dev.pvmfw.mmu", "dev.pvmfw.hyp", "dev.pvmfw.exceptions", "dev.pvmfw.era", "dev.pvmfw.era2023_05",
            "dev.pvmfw.era2023_11", "dev.pvmfw.era2024_05",
            "dev.pvmfw.cpu", "dev.pvmfw.image", "dev.pvmfw.oracle.scenario", "dev.pvmfw.oracle.engine",
            "dev.pvmfw.oracle.rust", "dev.pvmfw.oracle.runner", "dev.pvmfw.oracle.shrink",
            "dev.pvmfw.oracle.generator", "dev.pvmfw.oracle.golden", "dev.pvmfw.catalog",
            "dev.pvmfw.oracle.engine.v0_12_1", "dev.pvmfw.oracle.rust.v0_12_1", "dev.pvmfw.oracle.generator.v0_12_1");

    static ModuleDescriptor compiled() {
        return ModuleFinder.of(Path.of("target/classes")).find("dev.pvmfw.paging").orElseThrow().descriptor();
    }

    @Test
    void exportsAreTheDeliberateList() {
        ModuleDescriptor d = compiled();
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(EXPORTED), exported);
        assertFalse(exported.contains("dev.pvmfw.bindings.v0_4_0"), "the jextract bindings stay internal");
        assertFalse(exported.contains("dev.pvmfw.bindings.v0_12_1"), "the jextract bindings stay internal");
        assertFalse(exported.contains("dev.pvmfw.paging.internal"));
        assertFalse(exported.contains("dev.pvmfw.tool"));
        assertEquals(Set.of("java.base", "org.slf4j", "tools.jackson.core"), d.requires().stream()
                .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()),
                "a library user needs the JDK, the SLF4J API and Jackson's streaming core");
        assertEquals(Set.of("info.picocli"), d.requires().stream()
                .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()),
                "picocli is the tool's, optional for the library");
    }

    @Test
    void everyPackageOfTheModuleIsExportedOrInternalOnPurpose() {
        Set<String> internal = new TreeSet<>(compiled().packages());
        internal.removeAll(EXPORTED);
        assertEquals(Set.of("dev.pvmfw.bindings.v0_4_0", "dev.pvmfw.bindings.v0_12_1", "dev.pvmfw.paging.internal",
                "dev.pvmfw.tool"), internal);
    }

    /** Only in the module-path run: the tests are patched into the named module, whose descriptor is in force. */
    @Test
    void onTheModulePathTheLibraryIsTheNamedModule() {
        assumeTrue(Boolean.getBoolean("pvmfw.test.modulePath"), "this run is on the class path");
        Module module = dev.pvmfw.paging.Geometry.class.getModule();
        assertEquals("dev.pvmfw.paging", module.getName());
        assertEquals(getClass().getModule(), module);
        assertFalse(module.getDescriptor().isAutomatic());
        assertFalse(module.isExported("dev.pvmfw.bindings.v0_4_0"));
        assertFalse(module.isExported("dev.pvmfw.bindings.v0_12_1"));
        assertEquals(EXPORTED, module.getDescriptor().exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet()));
    }
}
