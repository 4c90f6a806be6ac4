package dev.pvmfw.era;



/**
 * A crosvm aarch64 guest as pvmfw sees it (crosvm book, "Memory Layout"; {@code docs/pvmfw-2023-05.md}, "The
 * platform"): the addresses every pvmfw era runs on. Each era's boot and exit ({@code MainWrapper}) use them.
 *
 * <p>Devices: UART {@code 0x3f8} (page 0), RTC {@code 0x2000}, watchdog {@code 0x3000}; PCI CAM
 * {@code 0x1_0000..0x101_0000} (16 MiB: pages at both ends, 2 MiB blocks in between); the low MMIO (BAR) window
 * {@code 0x200_0000..0x400_0000}; the MMIO window {@code 0..0x4000_0000}. pvmfw at {@code 0x7fc0_0000..0x8000_0000},
 * RAM from {@code 0x8000_0000}.
 *
 * <p><b>Synthetic:</b> pvmfw's image layout (text, rodata, scratch, stack, appended payload) comes from its linker
 * script; the values here are made up but shaped like it: code and rodata in the first 2 MiB, the appended payload
 * from the 4 KiB-aligned binary end to the next 2 MiB boundary, .data/.bss (holding the 128 KiB heap) and an 8-page
 * stack in the second 2 MiB.
 */
public final class CrosvmLayout {
    /** {@code console::BASE_ADDRESS}, the 8250 UART. */
    public static final long UART_BASE = 0x3f8;
    /** {@code CONSOLE_LEN}: "vmbase::uart::Uart only uses one u8 register". */
    public static final long CONSOLE_LEN = 1;
    /** {@code page_4kb_of(0x3f8)}. */
    public static final long UART_PAGE = 0;
    /** The RTC's MMIO base, page 2 (informational here: no era maps it). */
    public static final long RTC_BASE = 0x2000;
    /** The watchdog's MMIO base, page 3 (informational here: no era maps it). */
    public static final long WATCHDOG_BASE = 0x3000;
    /** PCI configuration space (CAM), 16 MiB. */
    public static final MemoryRange PCI_CAM = new MemoryRange(0x1_0000L, 0x101_0000L);
    /** The low MMIO (BAR) window. */
    public static final MemoryRange LOW_MMIO = new MemoryRange(0x200_0000L, 0x400_0000L);
    /** The whole MMIO window (used by later pvmfw eras; informational here). */
    public static final MemoryRange MMIO_WINDOW = new MemoryRange(0, 0x4000_0000L);
    /** Start of RAM. */
    public static final long RAM_START = 0x8000_0000L;
    /** pvmfw's 4 MiB, just below RAM. */
    public static final MemoryRange PVMFW = new MemoryRange(RAM_START - (4L << 20), RAM_START);
    /** The FDT crosvm hands pvmfw, at the start of RAM; pvmfw {@code alloc_mut}s 2 MiB for it. */
    public static final long FDT_BASE = RAM_START;
    /** The 2 MiB pvmfw {@code alloc_mut}s for the FDT at {@link #FDT_BASE}. */
    public static final long FDT_SIZE = 2L << 20;
    /** A RAM size for the fixture: 256 MiB. */
    public static final long DEFAULT_RAM_SIZE = 256L << 20;

    /** Synthetic: .text, mapped CODE. */
    public static final MemoryRange TEXT = new MemoryRange(0x7fc0_0000L, 0x7fc5_0000L);
    /** Synthetic: .rodata, mapped RODATA. */
    public static final MemoryRange RODATA = new MemoryRange(0x7fc5_0000L, 0x7fc7_0000L);
    /** Synthetic: {@code layout::binary_end()}. */
    public static final long BINARY_END = 0x7fc7_0800L;
    /** {@code appended_payload_range()}: align_up(binary_end, 4 KiB) .. the next 2 MiB boundary; mapped DATA. */
    public static final MemoryRange APPENDED_PAYLOAD = new MemoryRange(0x7fc7_1000L, 0x7fe0_0000L);
    /** Synthetic: {@code layout::scratch_range()} (.data and .bss), mapped DATA. */
    public static final MemoryRange SCRATCH = new MemoryRange(0x7fe0_0000L, 0x7fe4_0000L);
    /** Synthetic: the static {@code HEAP} inside .bss, {@code HEAP_SIZE} = 0x20000. */
    public static final MemoryRange HEAP = new MemoryRange(0x7fe1_0000L, 0x7fe1_0000L + SimulatedHeap.PVMFW_HEAP_SIZE);
    /** {@code stack_range()}: 8 pages at the top of pvmfw's memory, mapped DATA. */
    public static final MemoryRange STACK = new MemoryRange(0x8000_0000L - 8 * 4096, 0x8000_0000L);

    private CrosvmLayout() {}

    /** A fresh heap at {@link #HEAP}. */
    public static SimulatedHeap newHeap() {
        return new SimulatedHeap(HEAP.start(), HEAP.len());
    }
}
