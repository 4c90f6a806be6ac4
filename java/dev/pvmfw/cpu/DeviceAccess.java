package dev.pvmfw.cpu;

/**
 * A completed access to device memory.
 *
 * @param va the virtual address accessed
 * @param access read or write
 * @param page the 4 KiB page of the output address (the IPA)
 */
public record DeviceAccess(long va, Access access, long page) {
    @Override
    public String toString() {
        return access + " 0x" + Long.toHexString(va) + " (page 0x" + Long.toHexString(page) + ")";
    }
}
