/** A user's module: it needs pvmfw-paging and nothing else of ours. */
module example.consumer {
    requires dev.pvmfw.paging;
}
