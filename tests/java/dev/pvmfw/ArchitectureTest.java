package dev.pvmfw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The layering of {@code docs/architecture.md}, "Allowed dependencies": the matrix is written here exactly as there;
 * every dependency of a class of the library on a class of another unit must be allowed by it. No package cycles, no
 * cycles between files (a sealed type and its nested variants are one file). The import is checked to be the library
 * (every unit has classes, and there are at least as many as today), so the rules cannot pass on an empty import.
 */
class ArchitectureTest {
    static final String ROOT = "dev.pvmfw";

    /** Units in the matrix: name → package (its subpackages are in the unit unless they are units themselves). */
    static final Map<String, String> UNITS = new LinkedHashMap<>();
    /** Unit → the units it may use. */
    static final Map<String, Set<String>> MAY_USE = new LinkedHashMap<>();
    /** The era packages, oldest first: each a unit with the same allowance. */
    static final List<String> ERAS = List.of("era2023_05", "era2023_11", "era2024_05");

    static void unit(String name, String pkg, String... mayUse) {
        UNITS.put(name, pkg);
        MAY_USE.put(name, Set.of(mayUse));
    }

    static {
        unit("paging.internal", "dev.pvmfw.paging.internal");
        unit("paging", "dev.pvmfw.paging", "paging.internal");
        unit("port", "dev.pvmfw.paging.port", "paging");
        unit("v0_4_0", "dev.pvmfw.paging.v0_4_0", "paging", "paging.internal");
        unit("v0_4_0.profile", "dev.pvmfw.paging.v0_4_0.profile", "v0_4_0", "port", "paging", "paging.internal");
        unit("v0_12_1", "dev.pvmfw.paging.v0_12_1", "paging", "paging.internal");
        unit("v0_12_1.profile", "dev.pvmfw.paging.v0_12_1.profile", "v0_12_1", "port", "paging",
                "paging.internal");
        unit("mmu", "dev.pvmfw.mmu", "paging", "paging.internal");
        unit("hyp", "dev.pvmfw.hyp");
        unit("era", "dev.pvmfw.era", "hyp", "paging", "port:MmuOps", "port:MmuOpsException", "port:Pte",
                "port:PteVisitor", "port:PteFlags", "port:PageTableFactory");
        for (String era : ERAS) {
            unit(era, "dev.pvmfw." + era, "era", "hyp", "paging", "port:MmuOps", "port:MmuOpsException", "port:Pte",
                    "port:PteVisitor", "port:PteFlags", "port:PageTableFactory");
        }
        unit("exceptions", "dev.pvmfw.exceptions", "era", "paging");
        unit("cpu", "dev.pvmfw.cpu", "mmu", "exceptions", "paging");
        unit("image", "dev.pvmfw.image", "mmu", "port", "paging", "paging.internal");
        unit("oracle.scenario", "dev.pvmfw.oracle.scenario", "catalog", "port", "paging", "era2023_05:PteCallbacks");
        unit("oracle.engine", "dev.pvmfw.oracle.engine", "oracle.scenario", "catalog", "era2023_05", "era", "hyp", "v0_4_0",
                "v0_4_0.profile", "port", "paging");
        unit("oracle.engine.v0_12_1", "dev.pvmfw.oracle.engine.v0_12_1", "oracle.engine", "oracle.scenario",
                "catalog", "era", "era2023_05", "hyp", "port", "v0_12_1", "v0_12_1.profile", "paging");
        unit("oracle.rust", "dev.pvmfw.oracle.rust", "oracle.engine", "oracle.scenario", "bindings", "hyp", "v0_4_0",
                "v0_4_0.profile", "port", "paging", "paging.internal");
        unit("oracle.rust.v0_12_1", "dev.pvmfw.oracle.rust.v0_12_1", "oracle.rust", "oracle.engine",
                "oracle.engine.v0_12_1", "oracle.scenario", "bindings", "hyp", "v0_12_1", "v0_12_1.profile", "paging",
                "paging.internal");
        unit("oracle.runner", "dev.pvmfw.oracle.runner", "oracle.engine", "oracle.engine.v0_12_1", "oracle.rust",
                "oracle.rust.v0_12_1", "oracle.scenario", "era", "era2023_05", "mmu", "v0_4_0", "paging",
                "paging.internal");
        unit("oracle.shrink", "dev.pvmfw.oracle.shrink", "oracle.runner", "oracle.engine", "oracle.scenario", "port", "v0_4_0",
                "paging");
        unit("oracle.generator", "dev.pvmfw.oracle.generator", "oracle.scenario", "v0_4_0", "v0_4_0.profile", "port",
                "paging");
        unit("oracle.generator.v0_12_1", "dev.pvmfw.oracle.generator.v0_12_1", "oracle.generator", "oracle.scenario",
                "v0_12_1.profile", "paging");
        unit("oracle.golden", "dev.pvmfw.oracle.golden", "oracle.runner", "oracle.engine", "oracle.rust",
                "oracle.rust.v0_12_1", "oracle.scenario", "v0_4_0.profile", "port", "bindings", "paging", "paging.internal");
        unit("bindings", "dev.pvmfw.bindings");
        unit("catalog", "dev.pvmfw.catalog", "v0_4_0.profile", "v0_12_1.profile", "port", "era", "era2023_05",
                "era2023_11", "era2024_05");
        unit("tool", "dev.pvmfw.tool", "*");
    }

    static final JavaClasses LIBRARY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** The unit of a package: the longest unit package that is it or one of its parents. */
    static String unitOf(String pkg) {
        String best = null;
        for (Map.Entry<String, String> u : UNITS.entrySet()) {
            String p = u.getValue();
            if ((pkg.equals(p) || pkg.startsWith(p + "."))
                    && (best == null || p.length() > UNITS.get(best).length())) {
                best = u.getKey();
            }
        }
        return best;
    }

    static boolean allowed(String from, String to, JavaClass target) {
        Set<String> may = MAY_USE.get(from);
        if (from.equals(to) || may.contains("*") || may.contains(to)) {
            return true;
        }
        return may.contains(to + ":" + target.getSimpleName())
                || may.contains(to + ":" + topLevel(target).getSimpleName());
    }

    static JavaClass topLevel(JavaClass c) {
        JavaClass out = c;
        while (out.getEnclosingClass().isPresent()) {
            out = out.getEnclosingClass().get();
        }
        return out;
    }

    @Test
    void theImportIsTheLibrary() {
        Set<String> seen = new TreeSet<>();
        for (JavaClass c : LIBRARY) {
            String unit = unitOf(c.getPackageName());
            assertTrue(unit != null, c.getName() + " is in no unit of the matrix: add its package to it (and docs)");
            seen.add(unit);
        }
        assertEquals(new TreeSet<>(UNITS.keySet()), seen, "every unit of the matrix has classes");
        assertTrue(LIBRARY.size() >= 250, "imported " + LIBRARY.size() + " classes");
    }

    @Test
    void everyDependencyIsOneTheMatrixAllows() {
        List<String> violations = new ArrayList<>();
        for (JavaClass c : LIBRARY) {
            String from = unitOf(c.getPackageName());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass();
                if (!target.getPackageName().startsWith(ROOT + ".")) {
                    continue;
                }
                String to = unitOf(target.getPackageName());
                if (to != null && !allowed(from, to, target)) {
                    violations.add(from + " -> " + to + ": " + d.getDescription());
                }
            }
        }
        assertEquals(List.of(), violations.stream().distinct().sorted().limit(40).toList());
    }

    @Test
    void noPackageCycles() {
        SlicesRuleDefinition.slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(LIBRARY);
    }

    /** A file is a top-level class with everything nested in it. */
    @Test
    void noCyclesBetweenFiles() {
        SlicesRuleDefinition.slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                return SliceIdentifier.of(topLevel(javaClass).getName());
            }

            @Override
            public String getDescription() {
                return "files (top-level classes)";
            }
        }).should().beFreeOfCycles().check(LIBRARY);
    }

    /** The rules the matrix itself must keep: no era and not the MMU may be allowed a crate version. */
    @Test
    void theMatrixKeepsErasAndTheMmuOffTheCrateVersions() {
        for (Map.Entry<String, Set<String>> e : MAY_USE.entrySet()) {
            if (e.getKey().startsWith("era") || e.getKey().equals("mmu") || e.getKey().equals("port")
                    || e.getKey().startsWith("paging")) {
                for (String to : e.getValue()) {
                    assertFalse(to.startsWith("v0_"), e.getKey() + " may use " + to);
                }
            }
        }
    }

    /**
     * Eras are independent of each other: no era unit may use another era (what they share is in {@code era}), and
     * none may use the port's {@code CrateProfile} (an era is given a factory, never a crate version's opinion).
     */
    @Test
    void erasUseNoOtherEraAndNoCrateProfile() {
        for (String era : ERAS) {
            for (String to : MAY_USE.get(era)) {
                assertFalse(to.startsWith("era20"), era + " may use " + to);
                assertFalse(to.equals("port") || to.equals("port:CrateProfile"), era + " may use " + to);
            }
        }
        for (String to : MAY_USE.get("era")) {
            assertFalse(to.startsWith("era20") || to.equals("port") || to.equals("port:CrateProfile"), "era uses " + to);
        }
        assertEquals(ERAS, MAY_USE.keySet().stream().filter(u -> u.startsWith("era20")).toList(),
                "every era package is listed in ERAS");
    }

    /**
     * The same matrix over the sources: javac inlines constants, so a class that uses only another package's
     * {@code static final} primitives has no dependency in its class file. Its imports and qualified names remain.
     */
    @Test
    void everyImportInTheSourcesIsOneTheMatrixAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        Map<String, Set<String>> unitGraph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("java", "dev", "pvmfw"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String code = SourceRefs.stripCommentsAndStrings(Files.readString(f));
                String pkg = SourceRefs.packageOf(code);
                String from = unitOf(pkg);
                assertTrue(from != null, f + ": package " + pkg + " is in no unit");
                for (String type : SourceRefs.referencedTypes(code)) {
                    String toPkg = SourceRefs.packageOfType(type);
                    String to = unitOf(toPkg);
                    if (to == null || to.equals(from)) {
                        continue;
                    }
                    unitGraph.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                    String simple = type.substring(toPkg.length() + 1).split("\\.")[0];
                    Set<String> may = MAY_USE.get(from);
                    if (!(may.contains("*") || may.contains(to) || may.contains(to + ":" + simple))) {
                        violations.add(f + ": " + from + " -> " + to + " (" + type + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
        unitGraph.remove("tool");
        assertEquals(List.of(), SourceRefs.cycles(unitGraph), "cycles between units in the sources");
    }

    /** The JDK's restricted methods a hand-written class could call (JDK 25), as {@code owner.name}. */
    static final Set<String> RESTRICTED = Set.of(
            "java.lang.System.load", "java.lang.System.loadLibrary", "java.lang.Runtime.load",
            "java.lang.Runtime.loadLibrary", "java.lang.foreign.MemorySegment.reinterpret",
            "java.lang.foreign.AddressLayout.withTargetLayout", "java.lang.foreign.Linker.downcallHandle",
            "java.lang.foreign.Linker.upcallStub", "java.lang.foreign.SymbolLookup.libraryLookup",
            "java.lang.ModuleLayer$Controller.enableNativeAccess");

    /** The one class per native library that may call restricted methods. */
    static final Set<String> NATIVE_ACCESS = Set.of("dev.pvmfw.oracle.rust.NativeAccess",
            "dev.pvmfw.oracle.rust.v0_12_1.NativeAccess0121");

    /**
     * Restricted FFM operations stay in one place per native library: outside the generated bindings, only
     * {@code NativeAccess} (0.4.0) and {@code NativeAccess0121} (0.12.1) call a restricted method (loading the
     * library, sizing what an upcall receives).
     */
    @Test
    void onlyNativeAccessCallsRestrictedMethods() {
        List<String> callers = new ArrayList<>();
        for (JavaClass c : LIBRARY) {
            if (unitOf(c.getPackageName()).equals("bindings")
                    || NATIVE_ACCESS.contains(topLevel(c).getName())) {
                continue;
            }
            c.getMethodCallsFromSelf().forEach(call -> {
                String target = call.getTargetOwner().getName() + "." + call.getName();
                if (RESTRICTED.contains(target)) {
                    callers.add(c.getName() + " -> " + target);
                }
            });
        }
        assertEquals(List.of(), callers);
        for (String n : NATIVE_ACCESS) {
            assertTrue(LIBRARY.get(n).getMethodCallsFromSelf().stream()
                    .anyMatch(call -> (call.getTargetOwner().getName() + "." + call.getName())
                            .equals("java.lang.foreign.MemorySegment.reinterpret")), "the rule sees a restricted call");
        }
    }
}
