// pvmfw-paging's QEMU oracle (tests/java/dev/pvmfw/qemu, docs/qemu-oracle.md): a bare-metal AArch64 program of
// our own, assembled at test time with binutils-aarch64-linux-gnu and run by qemu-system-aarch64 -M virt,
// virtualization=on -semihosting. Entered at EL2 with its own MMU off. Reads a batch the Java side staged at BATCH
// (-device loader,force-raw=on), and for every job: copies the job's image to its PA, programs the EL1&0 regime
// (MAIR_EL1, TCR_EL1, TTBR0/1_EL1, SCTLR_EL1), runs AT S1E1R and AT S1E1W on each address and records PAR_EL1 (or
// ESR_EL2 when the AT itself takes an exception: QEMU 7.2 does for a walk into unassigned memory); then, if asked,
// drops to EL1 with the MMU on (its code, stack and records reached through TTBR1 and the harness table, at
// PA + the job's offset) and performs a real LDR and STR of each address, recording ESR_EL1, FAR_EL1, ELR_EL1.
// Accesses whose translation AT gives outside the job's windows are not performed (the gate), so the harness
// never touches itself. Results go to the host file "results.bin" through semihosting; QEMU exits with status 0
// (2: bad batch; 3: an unexpected exception, whose registers are in the header).
//
// Batch (little-endian 64-bit words): header [magic, version 1, jobs, 0, offset of the first job], then 32 words
// per job: flags (bit 0 AT phase, bit 1 real phase), image offset, image bytes (multiple of 32), image PA, TCR,
// TTBR0, TTBR1, MAIR, SCTLR, addresses offset, address count, real-phase TCR, TTBR0, TTBR1 (0: the harness
// table), harness offset, read windows offset, count, write windows offset, count ([start, end) pairs); word 31 is
// scratch. Results: a 16-word header [magic, status, PA of the LDR, PA of the STR, PA of the harness table,
// ID_AA64MMFR0/1/2_EL1, jobs, ESR, ELR, FAR of a fatal exception], then per job 4 words per address for the AT
// phase [PAR after R, PAR after W, ESR_EL2 | 1<<63 if R took an exception, same for W] and 8 for the real phase
// [load: ESR_EL1 | 1<<63 if taken, FAR, ELR, value; store: ESR_EL1 | 1<<63, FAR, ELR, gate]; an access whose abort
// QEMU routes to EL2 (EC 0x24) is recorded with ESR_EL2, FAR_EL2, ELR_EL2 and bit 62 set.

    .equ BATCH,        0x60000000
    .equ RESULTS,      0x71000000
    .equ MAGIC_BATCH,  0x3148435441424d50   // "PMBATCH1"
    .equ MAGIC_RES,    0x3153455254524d50   // "PMRTRES1"
    .equ JOB_WORDS,    32

    .text
    .global _start
_start:
    adr     x0, el2_vectors
    msr     VBAR_EL2, x0
    adr     x0, el2_stack_top
    mov     sp, x0
    mov     x0, #(1 << 31)                 // HCR_EL2: RW only (EL1 is AArch64), no stage 2, no traps
    msr     HCR_EL2, x0
    msr     SCTLR_EL1, xzr
    isb
    // the DTB at the start of RAM: zero the first 2 MiB so the tables' RAM reads as zero outside the image
    mov     x0, #0x40000000
    mov     x1, #0x200000
    bl      zero
    // results header
    mov     x27, #RESULTS
    ldr     x0, =MAGIC_RES
    str     x0, [x27]
    str     xzr, [x27, #8]                 // status (0 = ok)
    adr     x0, insn_ldr
    str     x0, [x27, #16]                 // PA of the EL1 load
    adr     x0, insn_str
    str     x0, [x27, #24]                 // PA of the EL1 store
    adr     x0, harness_table
    str     x0, [x27, #32]                 // PA of the harness's table
    mrs     x0, ID_AA64MMFR0_EL1
    str     x0, [x27, #40]
    mrs     x0, ID_AA64MMFR1_EL1
    str     x0, [x27, #48]
    mrs     x0, ID_AA64MMFR2_EL1
    str     x0, [x27, #56]
    mov     x28, #BATCH
    ldr     x0, [x28]
    ldr     x1, =MAGIC_BATCH
    cmp     x0, x1
    b.ne    bad_batch
    ldr     x26, [x28, #16]                // job count
    str     x26, [x27, #64]
    add     x27, x27, #128                 // x27: next result word
    ldr     x19, [x28, #32]
    add     x19, x28, x19                  // x19: current job
job_loop:
    cbz     x26, done
    bl      copy_image
    bl      load_at_regs
    ldr     x0, [x19, #0]
    tbz     x0, #0, 1f
    bl      at_phase
1:  ldr     x0, [x19, #0]
    tbz     x0, #1, 2f
    bl      copy_image                     // AT with HA/HD may have set AF or cleared AP[2]: start again
    bl      real_phase
2:  bl      clear_image
    add     x19, x19, #(JOB_WORDS * 8)
    sub     x26, x26, #1
    b       job_loop

done:
    // write RESULTS .. x27 to results.bin, then exit 0
    mov     x0, #RESULTS
    sub     x1, x27, x0
    bl      write_results
    mov     x0, #0
    b       sys_exit

bad_batch:
    mov     x0, #RESULTS
    mov     x1, #0xbad
    str     x1, [x0, #8]
    mov     x1, #128
    bl      write_results
    mov     x0, #2
    b       sys_exit

// copy job x19's image to its PA
copy_image:
    ldr     x0, [x19, #8]
    add     x0, x28, x0                    // source
    ldr     x1, [x19, #16]                 // bytes
    ldr     x2, [x19, #24]                 // destination
1:  cbz     x1, 2f
    ldp     x3, x4, [x0], #16
    ldp     x5, x6, [x0], #16
    stp     x3, x4, [x2], #16
    stp     x5, x6, [x2], #16
    sub     x1, x1, #32
    b       1b
2:  dsb     sy
    ret

clear_image:
    ldr     x0, [x19, #24]
    ldr     x1, [x19, #16]
    b       zero

// zero x1 bytes (multiple of 32) at x0
zero:
    cbz     x1, 2f
1:  stp     xzr, xzr, [x0], #16
    stp     xzr, xzr, [x0], #16
    subs    x1, x1, #32
    b.ne    1b
2:  dsb     sy
    ret

load_at_regs:
    ldr     x0, [x19, #56]
    msr     MAIR_EL1, x0
    ldr     x0, [x19, #32]
    msr     TCR_EL1, x0
    ldr     x0, [x19, #40]
    msr     TTBR0_EL1, x0
    ldr     x0, [x19, #48]
    msr     TTBR1_EL1, x0
    isb
    ldr     x0, [x19, #64]
    msr     SCTLR_EL1, x0
    isb
    tlbi    vmalle1
    dsb     sy
    isb
    ret

// AT S1E1R and AT S1E1W of every address: 4 words each (PAR after R, PAR after W, ESR_EL2 of an exception
// taken by R, by W; bit 63 set when taken)
at_phase:
    ldr     x20, [x19, #72]
    add     x20, x28, x20                  // addresses
    ldr     x21, [x19, #80]                // count
    str     x27, [x19, #248]               // remember where this job's AT records start (for the gate)
1:  cbz     x21, 9f
    ldr     x0, [x20], #8
    stp     xzr, xzr, [x27, #16]
    add     x24, x27, #16
    mov     x25, #1
    at      s1e1r, x0
    isb
    mov     x25, #0
    mrs     x1, PAR_EL1
    str     x1, [x27]
    add     x24, x27, #24
    mov     x25, #1
    at      s1e1w, x0
    isb
    mov     x25, #0
    mrs     x1, PAR_EL1
    str     x1, [x27, #8]
    add     x27, x27, #32
    sub     x21, x21, #1
    b       1b
9:  ret

// is PA x0 in one of the x2 windows at x1 ([start, end) pairs)? x0 kept; answer in x3 (1/0); clobbers x4, x5
in_windows:
    mov     x3, #0
1:  cbz     x2, 9f
    ldp     x4, x5, [x1], #16
    sub     x2, x2, #1
    cmp     x0, x4
    b.lo    1b
    cmp     x0, x5
    b.hs    1b
    mov     x3, #1
9:  ret

// the EL1 phase: real loads and stores of every address with the EL1&0 MMU on. 8 words per address:
// load: ESR_EL1 (bit 63 set when taken), FAR_EL1, ELR_EL1, value loaded; store: ESR_EL1, FAR_EL1, ELR_EL1, gate
real_phase:
    mov     x29, x30
    // the gate, from the AT records: bit 0 load allowed, bit 1 store allowed
    ldr     x20, [x19, #248]               // AT records
    ldr     x21, [x19, #80]
    mov     x22, x27
1:  cbz     x21, 5f
    ldp     x6, x7, [x20]                  // PAR R, PAR W
    ldp     x8, x9, [x20, #16]             // exception R, W
    mov     x10, #0
    // load
    mov     x3, #1
    tbnz    x8, #63, 2f
    tbnz    x6, #0, 2f
    ubfx    x0, x6, #12, #40
    lsl     x0, x0, #12
    ldr     x1, [x19, #120]
    add     x1, x28, x1
    ldr     x2, [x19, #128]
    bl      in_windows
2:  orr     x10, x10, x3
    mov     x3, #1
    tbnz    x9, #63, 3f
    tbnz    x7, #0, 3f
    ubfx    x0, x7, #12, #40
    lsl     x0, x0, #12
    ldr     x1, [x19, #136]
    add     x1, x28, x1
    ldr     x2, [x19, #144]
    bl      in_windows
3:  orr     x10, x10, x3, lsl #1
    stp     xzr, xzr, [x22]
    stp     xzr, xzr, [x22, #16]
    stp     xzr, xzr, [x22, #32]
    stp     xzr, x10, [x22, #48]
    add     x20, x20, #32
    add     x22, x22, #64
    sub     x21, x21, #1
    b       1b
5:  // EL1 state
    ldr     x0, [x19, #88]
    msr     TCR_EL1, x0
    ldr     x0, [x19, #96]
    msr     TTBR0_EL1, x0
    ldr     x0, [x19, #104]
    cbnz    x0, 4f
    adr     x0, harness_table              // 0: the harness's own table
4:  msr     TTBR1_EL1, x0
    isb
    tlbi    vmalle1
    dsb     sy
    isb
    ldr     x23, [x19, #112]               // harness offset: EL1 VA = PA + x23
    adr     x0, el1_vectors
    add     x0, x0, x23
    msr     VBAR_EL1, x0
    adr     x0, el1_stack_top
    add     x0, x0, x23
    msr     SP_EL1, x0
    adr     x0, el1_entry
    add     x0, x0, x23
    msr     ELR_EL2, x0
    mov     x0, #0x3c5                     // EL1h, DAIF masked
    msr     SPSR_EL2, x0
    ldr     x20, [x19, #72]
    add     x20, x28, x20
    add     x20, x20, x23                  // addresses, as EL1 sees them
    ldr     x21, [x19, #80]
    add     x22, x27, x23                  // records, as EL1 sees them
    adr     x0, el2_saved
    stp     x19, x26, [x0]
    stp     x27, x28, [x0, #16]
    stp     x29, x23, [x0, #32]
    mov     x25, #0
    eret
el2_resume:                                // the HVC from EL1 lands here (on the EL2 stack)
    adr     x0, el2_saved
    ldp     x19, x26, [x0]
    ldp     x27, x28, [x0, #16]
    ldp     x29, x23, [x0, #32]
    ldr     x0, [x19, #80]
    add     x27, x27, x0, lsl #6
    tlbi    vmalle1
    dsb     sy
    isb
    bl      load_at_regs
    mov     x30, x29
    ret

// ---- EL1 ----
el1_entry:
1:  cbz     x21, 9f
    ldr     x0, [x20], #8
    bic     x0, x0, #7
    ldr     x3, [x22, #56]
    mov     x1, #0
    tbz     x3, #0, 2f
    mov     x24, x22
    mov     x25, #1
insn_ldr:
    ldr     x1, [x0]
    mov     x25, #0
    str     x1, [x22, #24]
2:  tbz     x3, #1, 3f
    add     x24, x22, #32
    mov     x25, #1
insn_str:
    str     x1, [x0]
    mov     x25, #0
3:  add     x22, x22, #64
    sub     x21, x21, #1
    b       1b
9:  hvc     #0

el1_sync:
    cbz     x25, el1_unexpected
    mrs     x9, ESR_EL1
    orr     x9, x9, #(1 << 63)
    str     x9, [x24]
    mrs     x9, FAR_EL1
    str     x9, [x24, #8]
    mrs     x9, ELR_EL1
    str     x9, [x24, #16]
    add     x9, x9, #4
    msr     ELR_EL1, x9
    mov     x25, #0
    eret
el1_unexpected:
    hvc     #1

// ---- EL2 exceptions ----
el2_sync_current:
    cbz     x25, el2_fatal
    mrs     x9, ESR_EL2
    orr     x9, x9, #(1 << 63)
    str     x9, [x24]
    mrs     x9, ELR_EL2
    add     x9, x9, #4
    msr     ELR_EL2, x9
    mov     x25, #0
    eret
el2_sync_lower:
    mrs     x9, ESR_EL2
    lsr     x10, x9, #26
    cmp     x10, #0x16                     // HVC: #0 the EL1 phase is done, anything else fatal
    b.eq    1f
    cmp     x10, #0x24                     // a Data Abort from EL1 routed to EL2: QEMU does this for a hardware
    b.ne    el2_fatal                      // AF/dirty update of a descriptor in memory it cannot update atomically
    cbz     x25, el2_fatal
    sub     x10, x24, x23                  // the record's PA
    orr     x9, x9, #(1 << 63)
    orr     x9, x9, #(1 << 62)             // bit 62: taken to EL2
    str     x9, [x10]
    mrs     x9, FAR_EL2
    str     x9, [x10, #8]
    mrs     x9, ELR_EL2
    str     x9, [x10, #16]
    add     x9, x9, #4
    msr     ELR_EL2, x9
    mov     x25, #0
    eret
1:  and     x10, x9, #0xffff
    cbnz    x10, el1_fatal
    b       el2_resume
el1_fatal:                                 // EL1 took an exception it did not expect: report EL1's registers
    mov     x0, #RESULTS
    mov     x1, #0xe1
    str     x1, [x0, #8]
    mrs     x1, ESR_EL1
    str     x1, [x0, #72]
    mrs     x1, ELR_EL1
    str     x1, [x0, #80]
    mrs     x1, FAR_EL1
    str     x1, [x0, #88]
    b       fatal_exit
el2_fatal:
    mov     x0, #RESULTS
    mov     x1, #0xe2
    str     x1, [x0, #8]
    mrs     x1, ESR_EL2
    str     x1, [x0, #72]
    mrs     x1, ELR_EL2
    str     x1, [x0, #80]
    mrs     x1, FAR_EL2
    str     x1, [x0, #88]
fatal_exit:
    adr     x1, el2_stack_top
    mov     sp, x1
    mov     x0, #RESULTS
    mov     x1, #128
    bl      write_results
    mov     x0, #3
    b       sys_exit

// ---- semihosting ----
// write x1 bytes at x0 to results.bin
write_results:
    mov     x15, x30
    mov     x13, x0
    mov     x14, x1
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
    mov     x30, x15
    ret

sys_exit:                                  // exit QEMU with status x0
    adr     x1, sh_block
    ldr     x2, =0x20026                   // ADP_Stopped_ApplicationExit
    stp     x2, x0, [x1]
    mov     x0, #0x18                      // SYS_EXIT
    hlt     #0xf000
1:  b       1b

    .ltorg

    .balign 2048
el2_vectors:
    .rept 4
    b       el2_fatal
    .balign 128
    .endr
    b       el2_sync_current               // +0x200: current EL, SPx, synchronous
    .balign 128
    .rept 3
    b       el2_fatal
    .balign 128
    .endr
    b       el2_sync_lower                 // +0x400: lower EL, AArch64, synchronous
    .balign 128
    .rept 7
    b       el2_fatal
    .balign 128
    .endr

    .balign 2048
el1_vectors:
    .rept 4
    hvc     #2
    .balign 128
    .endr
    b       el1_sync
    .balign 128
    .rept 11
    hvc     #2
    .balign 128
    .endr

    .data
    .balign 8
results_name: .asciz "results.bin"
results_name_end:
    .balign 8
sh_block:   .quad 0, 0, 0
el2_saved:  .quad 0, 0, 0, 0, 0, 0
    .balign 4096
harness_table:                             // one level-1 table: entry 1 is RAM, a 1 GiB block at 0x4000_0000
    .quad 0
    .quad 0x40000000 | (1 << 10) | (3 << 8) | (1 << 2) | 1
    .space 4096 - 16
    .balign 16
    .space 8192
el2_stack_top:
    .space 8192
el1_stack_top:
