/**
 * pvmfw-paging: aarch64-paging 0.4.0 (with bitflags 2.0.2) and Android pvmfw's lazy MMIO guard mapping in Java, on
 * translation tables held in off-heap memory segments laid out exactly like the crate's descriptors.
 */
module dev.pvmfw.paging {
    requires org.slf4j;

    exports dev.pvmfw.paging;
    exports dev.pvmfw.paging.idmap;
    exports dev.pvmfw.paging.linearmap;
    exports dev.pvmfw.hyp;
    exports dev.pvmfw.memory;
    exports dev.pvmfw.exceptions;
    exports dev.pvmfw.cpu;
    exports dev.pvmfw.oracle;
    exports dev.pvmfw.image;
    // dev.pvmfw.bindings (jextract output) stays internal: use dev.pvmfw.oracle.
}
