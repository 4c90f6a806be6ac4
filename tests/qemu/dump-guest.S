// pvmfw-paging's real-dump guest (tests/java/dev/pvmfw/qemu/QemuDumpTest.java, docs/real-dumps.md): a bare-metal
// AArch64 program, assembled at test time with binutils-aarch64-linux-gnu and run by qemu-system-aarch64 -M virt,
// virtualization=on -m 128M -semihosting. Entered at EL2 with its own MMU off, it builds stage-1 tables of its own
// in RAM, scattered (not in slot order, one pointer into the flash at PA 0 that is not RAM), programs the EL1&0
// regime (TTBR0_EL1 with an ASID and CnP set, T0SZ 25, IPS 40 bits, MAIR 0xff04, TTBR1 walks disabled), runs
// AT S1E1R and AT S1E1W on every address of its list, writes [magic, count, TTBR0, TCR, then per address: VA,
// PAR after R, PAR after W] to the host file "results.bin" through semihosting, and waits (WFI) for the monitor's
// dump-guest-memory.

    .equ MAGIC_RES, 0x31504d5544524d50   // "PMRDUMP1"
    .equ TTBR0,     0x0042000045200001   // ASID 0x42, BADDR 0x4520_0000, CnP
    .equ TCR,       (25 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | (2 << 32))
    .equ MAIR,      0xff04

    .text
    .global _start
_start:
    mov     x0, #(1 << 31)                 // HCR_EL2: RW only (EL1 is AArch64), no stage 2, no traps
    msr     HCR_EL2, x0
    msr     SCTLR_EL1, xzr
    isb
    // zero every table page
    adr     x1, table_pages
    adr     x2, table_pages_end
1:  cmp     x1, x2
    b.eq    2f
    ldr     x3, [x1], #8
    mov     x4, #512
3:  str     xzr, [x3], #8
    subs    x4, x4, #1
    b.ne    3b
    b       1b
    // store the descriptors: (PA, value) pairs
2:  adr     x1, descriptors
    adr     x2, descriptors_end
4:  cmp     x1, x2
    b.eq    5f
    ldp     x3, x4, [x1], #16
    str     x4, [x3]
    b       4b
5:  dsb     sy
    ldr     x0, =MAIR
    msr     MAIR_EL1, x0
    ldr     x0, =TCR
    msr     TCR_EL1, x0
    ldr     x0, =TTBR0
    msr     TTBR0_EL1, x0
    msr     TTBR1_EL1, xzr
    isb
    mov     x0, #1                         // SCTLR_EL1.M; EL1 never runs, AT uses the regime
    msr     SCTLR_EL1, x0
    isb
    tlbi    vmalle1
    dsb     sy
    isb
    // results header
    adr     x27, results
    ldr     x0, =MAGIC_RES
    str     x0, [x27]
    adr     x1, addresses
    adr     x2, addresses_end
    sub     x3, x2, x1
    lsr     x3, x3, #3
    str     x3, [x27, #8]
    ldr     x0, =TTBR0
    str     x0, [x27, #16]
    ldr     x0, =TCR
    str     x0, [x27, #24]
    add     x27, x27, #32
6:  cmp     x1, x2
    b.eq    7f
    ldr     x0, [x1], #8
    str     x0, [x27]
    at      s1e1r, x0
    isb
    mrs     x3, PAR_EL1
    str     x3, [x27, #8]
    at      s1e1w, x0
    isb
    mrs     x3, PAR_EL1
    str     x3, [x27, #16]
    add     x27, x27, #24
    b       6b
    // write results .. x27 to results.bin
7:  adr     x13, results
    sub     x14, x27, x13
    adr     x1, sh_block
    adr     x2, results_name
    mov     x3, #5                         // "wb"
    mov     x4, #(results_name_end - results_name - 1)
    stp     x2, x3, [x1]
    str     x4, [x1, #16]
    mov     x0, #0x01                      // SYS_OPEN
    hlt     #0xf000
    mov     x12, x0
    adr     x1, sh_block
    stp     x12, x13, [x1]
    str     x14, [x1, #16]
    mov     x0, #0x05                      // SYS_WRITE
    hlt     #0xf000
    adr     x1, sh_block
    str     x12, [x1]
    mov     x0, #0x02                      // SYS_CLOSE
    hlt     #0xf000
8:  wfi                                    // the monitor dumps the memory now
    b       8b

    .ltorg

    .data
    .balign 8
// The tables' pages (T0SZ 25: the root is a 512-entry level-1 table), scattered through the 128 MiB of RAM.
    .equ L1,  0x45200000                   // root
    .equ L2A, 0x41300000                   // L1[0]
    .equ L3A, 0x46042000                   // L2A[0]
    .equ L2B, 0x4777e000                   // L1[3]
    .equ L3B, 0x42abc000                   // L2B[0]
    .equ NORMAL, ((1 << 2) | (3 << 8) | (1 << 10))   // AttrIndx 1 (Normal WB), inner shareable, AF
table_pages:
    .quad L1, L2A, L3A, L2B, L3B
table_pages_end:
descriptors:
    .quad L1 + 0*8,   L2A | 3                               // table
    .quad L1 + 1*8,   0x40000000 | NORMAL | 1               // 1 GiB block: RAM
    .quad L1 + 2*8,   0x00000000 | 3                        // table at PA 0: flash, not RAM, reads as zero
    .quad L1 + 3*8,   L2B | 3                               // table
    .quad L1 + 4*8,   0x80000000 | NORMAL | 1               // 1 GiB block where the board has nothing
    .quad L2A + 0*8,  L3A | 3                               // table
    .quad L2A + 5*8,  0x40600000 | NORMAL | (1 << 7) | 1    // 2 MiB block, read-only
    .quad L2A + 6*8,  0x40800000 | (NORMAL & ~(1 << 10)) | 1 // 2 MiB block, AF = 0
    .quad L2A + 7*8,  (1 << 55)                             // invalid with SWFLAG_0 (pvmfw's lazy MMIO)
    .quad L3A + 0*8,  0x41234000 | NORMAL | 3               // page
    .quad L3A + 1*8,  0x41235000 | NORMAL | (1 << 7) | 3    // page, read-only
    .quad L3A + 3*8,  0x09000000 | (1 << 10) | (1 << 54) | 3 // device page (the UART), AttrIndx 0
    .quad L3A + 4*8,  0x41236000 | NORMAL | 1               // 0b01 at level 3: reserved, faults
    .quad L2B + 0*8,  L3B | 3                               // table
    .quad L3B + 0*8,  0x10000000000 | NORMAL | 3            // page at 2^40: beyond IPS, an Address size fault
    .quad L3B + 511*8, 0x47fff000 | NORMAL | (1 << 6) | 3   // page, EL0 too
descriptors_end:
addresses:
    .quad 0x123, 0x1008, 0x2000, 0x3010, 0x4000         // L3A[0..4]
    .quad 0xa01234, 0xc00000, 0xe00000, 0x1000000       // L2A[5..8]
    .quad 0x47654321                                    // L1[1] block
    .quad 0x80005000                                    // L1[2]: walk into the flash
    .quad 0xc01ffabc, 0xc0000000, 0xc0001000            // L3B[511], [0], [1]
    .quad 0x100000042, 0x140000000                      // L1[4], L1[5]
    .quad 0x8000000000, 0xfffffffffffff000              // beyond T0SZ; the TTBR1 half (EPD1)
addresses_end:
results_name: .asciz "results.bin"
results_name_end:
    .balign 8
sh_block:   .quad 0, 0, 0
    .balign 8
results:    .space 32 + 24 * 64
