/** A module that reaches for what the library keeps to itself. */
module example.internal {
    requires dev.pvmfw.paging;
}
