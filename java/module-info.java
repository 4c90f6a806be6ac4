/**
 * pvmfw-paging: aarch64-paging and Android pvmfw's lazy MMIO guard mapping in Java, on translation tables held in
 * off-heap memory segments laid out exactly like the crate's descriptors, cross-checked against the real crate.
 *
 * <p>What is exported is the public library, package by package ({@code docs/architecture.md}): the common paging
 * pieces, the port between pvmfw eras and crate versions, each crate version and each pvmfw era (no wider than the
 * crate's and pvmfw's own API), the MMU model, the shared pvmfw pieces, the image tooling and the differential
 * harness. Not exported: {@code dev.pvmfw.paging.internal} (raw descriptor writes, chunking), the jextract bindings
 * (use {@code dev.pvmfw.oracle.rust}) and the command line.
 */
module dev.pvmfw.paging {
    requires org.slf4j;
    requires tools.jackson.core;
    // The command line's dependency only: optional in the pom, so a library user does not inherit it.
    requires static info.picocli;

    exports dev.pvmfw.paging;
    exports dev.pvmfw.paging.port;
    exports dev.pvmfw.paging.v0_4_0;
    exports dev.pvmfw.paging.v0_4_0.idmap;
    exports dev.pvmfw.paging.v0_4_0.linearmap;
    exports dev.pvmfw.paging.v0_4_0.profile;
    exports dev.pvmfw.paging.v0_12_1;
    exports dev.pvmfw.paging.v0_12_1.idmap;
    exports dev.pvmfw.paging.v0_12_1.linearmap;
    exports dev.pvmfw.paging.v0_12_1.mair;
    exports dev.pvmfw.paging.v0_12_1.target;
    exports dev.pvmfw.paging.v0_12_1.profile;
    exports dev.pvmfw.mmu;
    exports dev.pvmfw.hyp;
    exports dev.pvmfw.exceptions;
    exports dev.pvmfw.era;
    exports dev.pvmfw.era2023_05;
    exports dev.pvmfw.era2023_11;
    exports dev.pvmfw.era2024_05;
    exports dev.pvmfw.cpu;
    exports dev.pvmfw.catalog;
    exports dev.pvmfw.image;
    exports dev.pvmfw.oracle.scenario;
    exports dev.pvmfw.oracle.engine;
    exports dev.pvmfw.oracle.engine.v0_12_1;
    exports dev.pvmfw.oracle.rust;
    exports dev.pvmfw.oracle.rust.v0_12_1;
    exports dev.pvmfw.oracle.runner;
    exports dev.pvmfw.oracle.shrink;
    exports dev.pvmfw.oracle.generator;
    exports dev.pvmfw.oracle.generator.v0_12_1;
    exports dev.pvmfw.oracle.golden;

    // picocli reads the command classes' annotated fields.
    opens dev.pvmfw.tool to info.picocli;
}
