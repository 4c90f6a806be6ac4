// It failed for the right reason: the bindings' package is not visible to a module that requires dev.pvmfw.paging.
def log = new File(basedir, 'build.log').text
assert log.contains('package dev.pvmfw.bindings.v0_4_0 is not visible') ||
        log.contains('package dev.pvmfw.bindings.v0_4_0 is declared in module dev.pvmfw.paging, which does not export it')
