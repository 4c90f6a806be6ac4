//! The Rust oracle of pvmfw-paging: a C ABI (version 7) over aarch64-paging 0.4.0, linked with bitflags 2.0.2.
//!
//! Every exported function is prefixed `pvp040_`, so that the oracle libraries of several crate versions can be loaded
//! into one process side by side (their symbols must not collide); constants are `PVP_*` macros of this crate's own
//! header.
//!
//! Every table lives in a caller-supplied arena (`docs/aarch64-paging-0.4.0.md`, "The arena convention", as
//! Java's `TableArena`):
//! slot `i` is at `buffer + 4096·i` with PA `pa_base + 4096·i`; the lowest free slot is allocated first; a slot is
//! zeroed when allocated and when freed; every allocation and free is logged (`i`, or `!i` for a free).
//!
//! ABI rules:
//! - Every exported function runs inside `catch_unwind`; a panic never crosses the boundary. A panic becomes
//!   `PVP_PANIC` with the panic message and, for failures of the table memory, a `PVP_KIND_*` kind.
//! - NULL, misaligned or out-of-range arguments give `PVP_INVALID_ARGUMENT` (functions without a result report them
//!   as documented on each function). Functions taking a `PvpResult *` do nothing at all when it is NULL.
//! - A table handle must be used by one thread at a time, and nothing else may touch its arena while a call runs.
//!   A call made on a handle while another call on it is in progress (an updater calling back into this library with
//!   its own table) is refused: `PVP_BUSY`, or for functions without a result the value they give for a NULL handle.

#![warn(unsafe_op_in_unsafe_fn)]

use core::cell::{Cell, RefCell};
use core::ffi::c_void;
use core::mem::{align_of, offset_of, size_of};
use core::num::NonZeroUsize;
use core::ptr::{self, NonNull};
use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::Once;

use aarch64_paging::paging::{
    Attributes, Descriptor, MemoryRegion, PageTable, PhysicalAddress, RootTable, Translation, VaRange,
    VirtualAddress,
};
use aarch64_paging::MapError;

mod era2023_11;
mod era2024_05;
#[path = "../../hyp/entry.rs"]
mod entry;
mod eras;
#[path = "../../hyp/kvm.rs"]
mod kvm;
mod pvmfw;
mod vmbase;

pub use kvm::PvpHypCall;
use pvmfw::{MemoryTrackerError, Tracker};

/// `[(name, value as i64), ...]` of the constants named.
macro_rules! constants {
    ($($name:ident),* $(,)?) => {
        &[$((stringify!($name), $name as i64)),*]
    };
}

#[cfg(not(target_pointer_width = "64"))]
compile_error!("aarch64-paging needs a 64-bit host");

// The crate's `Descriptor` is a `#[repr(C)]` newtype over `usize`: its bits are read and built by reinterpretation.
const _: () = assert!(size_of::<Descriptor>() == size_of::<u64>() && align_of::<Descriptor>() == align_of::<u64>());

/// The version of this C ABI.
pub const PVP_ABI_VERSION: u32 = 7;

/// Success.
pub const PVP_OK: i32 = 0;
/// `MapError::AddressRange`: value0 = the virtual address.
pub const PVP_ERR_ADDRESS_RANGE: i32 = 1;
/// `MapError::InvalidVirtualAddress`: value0 = the virtual address (not produced by a bare RootTable; reserved).
pub const PVP_ERR_INVALID_VIRTUAL_ADDRESS: i32 = 2;
/// `MapError::RegionBackwards`: value0 = region start, value1 = region end (both page-aligned).
pub const PVP_ERR_REGION_BACKWARDS: i32 = 3;
/// `MapError::PteUpdateFault`: value0 = the descriptor bits after the failing callback.
pub const PVP_ERR_PTE_UPDATE_FAULT: i32 = 4;
/// pvmfw's `MemoryTrackerError`: kind = its `PVP_TRACKER_ERR_*` code; for `Hypervisor`, value0 = the KVM error's raw
/// i64 and value1 = the function ID; message = its Display text, debug = its Debug text.
pub const PVP_ERR_TRACKER: i32 = 20;
/// libhyp's `hyp::Error` (from a direct hypervisor call: `pvp040_tracker_mmio_guard_*`): for `KvmError`, value0 =
/// the KVM error's raw i64 and value1 = the function ID; for `UnsupportedMmioGuardGranule`, value0 = the granule;
/// message = its Display text, debug = its Debug text.
pub const PVP_ERR_HYP: i32 = 21;
/// A panic: kind = one of `PVP_KIND_*`, message = the panic message.
pub const PVP_PANIC: i32 = 10;
/// A NULL or invalid argument; message says which. Nothing was done.
pub const PVP_INVALID_ARGUMENT: i32 = -1;
/// The handle is in use by a call in progress on it (an updater called back into the library with its own table);
/// message says so. Nothing was done.
pub const PVP_BUSY: i32 = -2;

/// `VaRange::Lower` (TTBR0), for `pvp040_table_new`.
pub const PVP_VA_RANGE_LOWER: u32 = 0;
/// `VaRange::Upper` (TTBR1), for `pvp040_table_new`.
pub const PVP_VA_RANGE_UPPER: u32 = 1;

/// `MemoryTrackerError` variants (the seed's, b99905d3), reported as `kind` with `PVP_ERR_TRACKER`.
pub const PVP_TRACKER_ERR_DIFFERENT_BASE_ADDRESS: i32 = 1;
pub const PVP_TRACKER_ERR_SIZE_TOO_LARGE: i32 = 2;
pub const PVP_TRACKER_ERR_SIZE_TOO_SMALL: i32 = 3;
pub const PVP_TRACKER_ERR_FULL: i32 = 4;
pub const PVP_TRACKER_ERR_OUT_OF_RANGE: i32 = 5;
pub const PVP_TRACKER_ERR_OVERLAPS: i32 = 6;
pub const PVP_TRACKER_ERR_FAILED_TO_MAP: i32 = 7;
pub const PVP_TRACKER_ERR_FAILED_TO_UNMAP: i32 = 8;
/// `Hypervisor(KvmError(e, function_id))`: value0 = the KVM error's raw i64, value1 = the function ID.
pub const PVP_TRACKER_ERR_HYPERVISOR: i32 = 9;
pub const PVP_TRACKER_ERR_SHARED_MEMORY_SET_FAILURE: i32 = 10;
pub const PVP_TRACKER_ERR_SHARED_POOL_SET_FAILURE: i32 = 11;
pub const PVP_TRACKER_ERR_INVALID_PTE: i32 = 12;
/// The later eras' `MemoryTrackerError` variants (ABI 6): FlushRegionFailed, SetPteDirtyFailed (2023-11 on),
/// DuplicateMmioShare (`value0` the base) and UnsupportedMmioGuardGranule (`value0` the granule; 2024-05).
pub const PVP_TRACKER_ERR_FLUSH_REGION_FAILED: i32 = 13;
pub const PVP_TRACKER_ERR_SET_PTE_DIRTY_FAILED: i32 = 14;
pub const PVP_TRACKER_ERR_DUPLICATE_MMIO_SHARE: i32 = 15;
pub const PVP_TRACKER_ERR_UNSUPPORTED_MMIO_GUARD_GRANULE: i32 = 16;

/// The eras of `pvp040_era_tracker_new` (ABI 6): vmbase's tracker at AOSP `28e439f4` and at `c08e63cb`.
pub const PVP_ERA_2023_11: u32 = 1;
pub const PVP_ERA_2024_05: u32 = 2;

/// A panic that is not a failure of the table memory (e.g. `Invalid root table level 4.`).
pub const PVP_KIND_NONE: i32 = 0;
/// Every arena slot is in use (Java `TranslationPanic.Kind.EXHAUSTED`).
pub const PVP_KIND_EXHAUSTED: i32 = 1;
/// A PA that is not a live arena table (Java `TranslationPanic.Kind.BAD_ADDRESS`).
pub const PVP_KIND_BAD_ADDRESS: i32 = 2;
/// A free of something that is not a used arena slot (Java `TranslationPanic.Kind.BAD_FREE`).
pub const PVP_KIND_BAD_FREE: i32 = 3;
/// An updater returned 2: the caller's updater failed and asked to abort (`updater aborted`).
pub const PVP_KIND_CALLBACK: i32 = 10;

/// `pvp040_tracker_map`: pvmfw's `PageTable::map_code` (CODE).
pub const PVP_PAGE_TABLE_MAP_CODE: u32 = 1;
/// `pvp040_tracker_map`: `PageTable::map_data` (DATA).
pub const PVP_PAGE_TABLE_MAP_DATA: u32 = 2;
/// `pvp040_tracker_map`: `PageTable::map_rodata` (RODATA).
pub const PVP_PAGE_TABLE_MAP_RODATA: u32 = 3;
/// `pvp040_tracker_map`: `PageTable::map_device` (DEVICE: eager, valid).
pub const PVP_PAGE_TABLE_MAP_DEVICE: u32 = 4;

/// Built-in updater: pvmfw's `verify_lazy_mapped_block`.
pub const PVP_BUILTIN_VERIFY_LAZY_MAPPED_BLOCK: u32 = 1;
/// Built-in updater: the crate test `update_range`'s updater (sets SWFLAG_0 on leaves).
pub const PVP_BUILTIN_SET_SWFLAG_0_ON_LEAVES: u32 = 2;
/// Built-in updater: `Err` on a level-3 entry, `Ok` otherwise.
pub const PVP_BUILTIN_FAIL_AT_LEVEL_3: u32 = 3;

/// `PvpAction::kind`: leave the entry as it is.
pub const PVP_ACTION_NONE: u32 = 0;
/// `PvpAction::kind`: `modify_flags(set, clear)` on the entry.
pub const PVP_ACTION_MODIFY_FLAGS: u32 = 1;

/// Updater return value: continue.
pub const PVP_UPDATER_OK: i32 = 0;
/// Updater return value: stop with `PteUpdateFault` (any value other than 0 and 2 does the same).
pub const PVP_UPDATER_ERR: i32 = 1;
/// Updater return value: the updater itself failed; the call ends with `PVP_PANIC`, kind `PVP_KIND_CALLBACK`.
pub const PVP_UPDATER_ABORT: i32 = 2;

/// `pvp040_layout` selectors.
pub const PVP_LAYOUT_RESULT_SIZE: u32 = 1;
pub const PVP_LAYOUT_RESULT_CODE: u32 = 2;
pub const PVP_LAYOUT_RESULT_KIND: u32 = 3;
pub const PVP_LAYOUT_RESULT_VALUE0: u32 = 4;
pub const PVP_LAYOUT_RESULT_VALUE1: u32 = 5;
pub const PVP_LAYOUT_RESULT_MESSAGE_LEN: u32 = 6;
pub const PVP_LAYOUT_RESULT_MESSAGE: u32 = 7;
pub const PVP_LAYOUT_TRACE_SIZE: u32 = 8;
pub const PVP_LAYOUT_TRACE_START: u32 = 9;
pub const PVP_LAYOUT_TRACE_END: u32 = 10;
pub const PVP_LAYOUT_TRACE_LEVEL: u32 = 11;
pub const PVP_LAYOUT_TRACE_BEFORE: u32 = 12;
pub const PVP_LAYOUT_TRACE_AFTER: u32 = 13;
pub const PVP_LAYOUT_MAP_STEP_SIZE: u32 = 14;
pub const PVP_LAYOUT_MAP_STEP_START: u32 = 15;
pub const PVP_LAYOUT_MAP_STEP_END: u32 = 16;
pub const PVP_LAYOUT_MAP_STEP_PA: u32 = 17;
pub const PVP_LAYOUT_MAP_STEP_FLAGS: u32 = 18;
pub const PVP_LAYOUT_HYP_CALL_SIZE: u32 = 19;
pub const PVP_LAYOUT_HYP_CALL_FUNCTION_ID: u32 = 20;
pub const PVP_LAYOUT_HYP_CALL_ARGUMENT: u32 = 21;
pub const PVP_LAYOUT_HYP_CALL_X0: u32 = 22;
pub const PVP_LAYOUT_RESULT_DEBUG_LEN: u32 = 23;
pub const PVP_LAYOUT_RESULT_DEBUG: u32 = 24;
pub const PVP_LAYOUT_ACTION_SIZE: u32 = 25;
pub const PVP_LAYOUT_ACTION_KIND: u32 = 26;
pub const PVP_LAYOUT_ACTION_SET: u32 = 27;
pub const PVP_LAYOUT_ACTION_CLEAR: u32 = 28;

const PAGE: usize = 4096;
const PA_LIMIT: usize = 1 << 48;
const MESSAGE_CAPACITY: usize = 512;
/// The versions cargo resolved for this build, read from `Cargo.lock` by `build.rs` (which fails the build unless they
/// are exactly the pinned ones).
const VERSIONS: &str = concat!(
    "aarch64-paging ",
    env!("PVP_RESOLVED_AARCH64_PAGING"),
    " + bitflags ",
    env!("PVP_RESOLVED_BITFLAGS")
);

/// The outcome of a call.
#[repr(C)]
pub struct PvpResult {
    /// `PVP_OK`, a `PVP_ERR_*` code, `PVP_PANIC`, `PVP_INVALID_ARGUMENT` or `PVP_BUSY`.
    pub code: i32,
    /// For `PVP_PANIC`: a `PVP_KIND_*` value; otherwise 0.
    pub kind: i32,
    pub value0: u64,
    pub value1: u64,
    /// Bytes of `message` in use, excluding the terminating NUL (at most 511).
    pub message_len: u32,
    /// UTF-8, NUL-terminated: the MapError Display text, the panic message, or what argument was invalid.
    pub message: [u8; 512],
    /// Bytes of `debug` in use, excluding the terminating NUL (at most 511).
    pub debug_len: u32,
    /// UTF-8, NUL-terminated: the error's Debug text (`MapError`, `MemoryTrackerError`); empty otherwise.
    pub debug: [u8; 512],
}

/// One updater invocation of `pvp040_table_modify_range_builtin`.
#[repr(C)]
pub struct PvpTraceEntry {
    /// The entry's whole VA range (aligned out to its granule).
    pub start: u64,
    pub end: u64,
    pub level: u32,
    pub _pad: u32,
    /// The descriptor before and after the updater ran.
    pub before: u64,
    pub after: u64,
}

/// One `map_range` call of `pvp040_table_map_batch`.
#[repr(C)]
pub struct PvpMapStep {
    pub start: u64,
    pub end: u64,
    pub pa: u64,
    pub flags: u64,
}

/// What a caller-supplied updater decided for one entry. The caller never writes the table: the library applies the
/// action through the crate's own API (for 0.4.0, `Descriptor::modify_flags`, the only mutator the crate exposes),
/// then acts on the updater's return value.
#[repr(C)]
pub struct PvpAction {
    /// `PVP_ACTION_NONE` (leave the entry) or `PVP_ACTION_MODIFY_FLAGS`.
    pub kind: u32,
    pub _pad: u32,
    /// For `PVP_ACTION_MODIFY_FLAGS`: `modify_flags(Attributes::from_bits_retain(set), from_bits_retain(clear))`.
    pub set: u64,
    pub clear: u64,
}

/// A caller-supplied updater for `pvp040_table_modify_range`: the entry's whole VA range, the descriptor's value, its
/// level, and an action to fill in (zeroed: `PVP_ACTION_NONE`). Returns `PVP_UPDATER_OK`, `PVP_UPDATER_ERR` or
/// `PVP_UPDATER_ABORT`. It must not unwind or throw. A call it makes on the table being modified gets `PVP_BUSY`.
pub type PvpUpdater = Option<
    unsafe extern "C" fn(ctx: *mut c_void, start: u64, end: u64, bits: u64, level: u32, action: *mut PvpAction) -> i32,
>;

/// An opaque handle: a `RootTable` of aarch64-paging 0.4.0 over an arena; for `pvp040_tracker_new`, pvmfw's page table
/// (root level 1, lower range, identity) with its `MemoryTracker` and a recording hypervisor.
pub struct PvpTable {
    root: Option<RootTable<ArenaTranslation>>,
    arena: Rc<ArenaState>,
    tracker: Option<Tracker>,
    /// A later era's tracker (`pvp040_era_tracker_new`; ABI 6), instead of the seed's.
    era: Option<eras::EraTracker>,
    /// Every call of an updater (`pvp040_table_modify_range*`) and of pvmfw's own callbacks inside a tracker call,
    /// over the handle's life: what `pvp040_table_trace` reads.
    trace: pvmfw::CallbackTrace,
    /// A call on this handle is in progress (`enter`): another one, made from an updater, would alias its `&mut`.
    busy: Cell<bool>,
}

// ---------------------------------------------------------------------------------------------------------------
// The arena
// ---------------------------------------------------------------------------------------------------------------

struct ArenaState {
    buffer: NonNull<u8>,
    slots: usize,
    pa_base: usize,
    used: Box<[Cell<bool>]>,
    log: RefCell<Vec<i32>>,
}

impl ArenaState {
    fn slot_ptr(&self, slot: usize) -> *mut u8 {
        // In bounds: slot < slots, and the buffer holds slots · 4096 bytes.
        unsafe { self.buffer.as_ptr().add(slot * PAGE) }
    }

    fn zero(&self, slot: usize) {
        // The caller guarantees the buffer is valid for writes while the table exists.
        unsafe { ptr::write_bytes(self.slot_ptr(slot), 0, PAGE) }
    }

    fn end_pa(&self) -> usize {
        self.pa_base + self.slots * PAGE
    }
}

struct ArenaTranslation(Rc<ArenaState>);

impl Translation for ArenaTranslation {
    fn allocate_table(&self) -> (NonNull<PageTable>, PhysicalAddress) {
        let arena = &*self.0;
        let Some(slot) = arena.used.iter().position(|used| !used.get()) else {
            table_panic(PVP_KIND_EXHAUSTED, format!("arena exhausted: all {} slots in use", arena.slots));
        };
        arena.used[slot].set(true);
        arena.zero(slot);
        arena.log.borrow_mut().push(slot as i32);
        let table = NonNull::new(arena.slot_ptr(slot).cast::<PageTable>()).expect("arena slot pointer is null");
        (table, PhysicalAddress(arena.pa_base + slot * PAGE))
    }

    unsafe fn deallocate_table(&self, page_table: NonNull<PageTable>) {
        let arena = &*self.0;
        let offset = (page_table.as_ptr() as usize).wrapping_sub(arena.buffer.as_ptr() as usize);
        if offset >= arena.slots * PAGE || !is_aligned(offset, PAGE) {
            table_panic(PVP_KIND_BAD_FREE, "freeing memory that is not an arena slot".to_owned());
        }
        let slot = offset / PAGE;
        if !arena.used[slot].get() {
            table_panic(PVP_KIND_BAD_FREE, format!("arena slot {slot} freed twice"));
        }
        arena.used[slot].set(false);
        arena.zero(slot);
        arena.log.borrow_mut().push(!(slot as i32));
    }

    fn physical_to_virtual(&self, pa: PhysicalAddress) -> NonNull<PageTable> {
        let arena = &*self.0;
        let offset = pa.0.wrapping_sub(arena.pa_base);
        if offset >= arena.slots * PAGE || !is_aligned(offset, PAGE) {
            table_panic(
                PVP_KIND_BAD_ADDRESS,
                format!(
                    "physical address {} is not a table of the arena {:#018x}..{:#018x}",
                    pa,
                    arena.pa_base,
                    arena.end_pa()
                ),
            );
        }
        let slot = offset / PAGE;
        if !arena.used[slot].get() {
            table_panic(PVP_KIND_BAD_ADDRESS, format!("physical address {pa} is free arena slot {slot}"));
        }
        NonNull::new(arena.slot_ptr(slot).cast::<PageTable>()).expect("arena slot pointer is null")
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Panics and results
// ---------------------------------------------------------------------------------------------------------------

thread_local! {
    static PANIC_KIND: Cell<i32> = const { Cell::new(PVP_KIND_NONE) };
    static PANIC_MESSAGE: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Panics after recording the table-memory kind of the failure.
#[cold]
fn table_panic(kind: i32, message: String) -> ! {
    let _ = PANIC_KIND.try_with(|k| k.set(kind));
    panic!("{message}");
}

fn payload_text(payload: &(dyn Any + Send)) -> Option<&str> {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        Some(s)
    } else {
        payload.downcast_ref::<String>().map(String::as_str)
    }
}

/// Installs, once, a silent panic hook that only records the message for the current thread.
fn install_hook() {
    HOOK.call_once(|| {
        panic::set_hook(Box::new(|info| {
            let message = payload_text(info.payload()).map(str::to_owned);
            let _ = PANIC_MESSAGE.try_with(|m| {
                if let Ok(mut m) = m.try_borrow_mut() {
                    *m = message;
                }
            });
        }))
    });
}

/// A caught panic: (kind, message).
struct Caught(i32, String);

fn catch<R>(body: impl FnOnce() -> R) -> Result<R, Caught> {
    install_hook();
    PANIC_KIND.with(|k| k.set(PVP_KIND_NONE));
    PANIC_MESSAGE.with(|m| m.borrow_mut().take());
    match panic::catch_unwind(AssertUnwindSafe(body)) {
        Ok(value) => Ok(value),
        Err(payload) => {
            let kind = PANIC_KIND.with(|k| k.replace(PVP_KIND_NONE));
            let message = PANIC_MESSAGE
                .with(|m| m.borrow_mut().take())
                .or_else(|| payload_text(&*payload).map(str::to_owned))
                .unwrap_or_else(|| "panic with a non-string payload".to_owned());
            // Dropping an arbitrary payload could itself panic; keep that inside too.
            let _ = panic::catch_unwind(AssertUnwindSafe(move || drop(payload)));
            Err(Caught(kind, message))
        }
    }
}

enum Failure {
    Map(MapError),
    Tracker(MemoryTrackerError),
    Hyp(kvm::HypError),
    /// A later era's tracker error.
    Era(eras::EraError),
    /// The later eras' `hyp::Error` of pvmfw's entry or console unmap (ABI 7): `PVP_ERR_HYP`.
    Entry(entry::EntryError),
    Invalid(String),
    /// The handle is busy (`enter`).
    Busy,
}

fn invalid<T>(message: &str) -> Result<T, Failure> {
    Err(Failure::Invalid(message.to_owned()))
}

fn descriptor_bits(descriptor: &Descriptor) -> u64 {
    // Descriptor is #[repr(C)] over a usize (asserted above).
    unsafe { *(descriptor as *const Descriptor).cast::<u64>() }
}

fn descriptor_from_bits(bits: u64) -> Descriptor {
    // Every bit pattern is a valid Descriptor (a #[repr(C)] usize newtype).
    unsafe { core::mem::transmute::<u64, Descriptor>(bits) }
}

fn map_error_values(error: &MapError) -> (i32, u64, u64) {
    match error {
        MapError::AddressRange(va) => (PVP_ERR_ADDRESS_RANGE, va.0 as u64, 0),
        MapError::InvalidVirtualAddress(va) => (PVP_ERR_INVALID_VIRTUAL_ADDRESS, va.0 as u64, 0),
        MapError::RegionBackwards(region) => {
            (PVP_ERR_REGION_BACKWARDS, region.start().0 as u64, region.end().0 as u64)
        }
        MapError::PteUpdateFault(descriptor) => (PVP_ERR_PTE_UPDATE_FAULT, descriptor_bits(descriptor), 0),
    }
}

/// The `PVP_TRACKER_ERR_*` code of a tracker error.
fn tracker_code(error: &MemoryTrackerError) -> i32 {
    match error {
        MemoryTrackerError::DifferentBaseAddress => PVP_TRACKER_ERR_DIFFERENT_BASE_ADDRESS,
        MemoryTrackerError::SizeTooLarge => PVP_TRACKER_ERR_SIZE_TOO_LARGE,
        MemoryTrackerError::SizeTooSmall => PVP_TRACKER_ERR_SIZE_TOO_SMALL,
        MemoryTrackerError::Full => PVP_TRACKER_ERR_FULL,
        MemoryTrackerError::OutOfRange => PVP_TRACKER_ERR_OUT_OF_RANGE,
        MemoryTrackerError::Overlaps => PVP_TRACKER_ERR_OVERLAPS,
        MemoryTrackerError::FailedToMap => PVP_TRACKER_ERR_FAILED_TO_MAP,
        MemoryTrackerError::FailedToUnmap => PVP_TRACKER_ERR_FAILED_TO_UNMAP,
        MemoryTrackerError::Hypervisor(_) => PVP_TRACKER_ERR_HYPERVISOR,
        MemoryTrackerError::SharedMemorySetFailure => PVP_TRACKER_ERR_SHARED_MEMORY_SET_FAILURE,
        MemoryTrackerError::SharedPoolSetFailure => PVP_TRACKER_ERR_SHARED_POOL_SET_FAILURE,
        MemoryTrackerError::InvalidPte => PVP_TRACKER_ERR_INVALID_PTE,
    }
}

/// `value` is a multiple of `alignment`, a power of two.
fn is_aligned(value: usize, alignment: usize) -> bool {
    value & (alignment - 1) == 0
}

fn is_aligned_ptr<T>(p: *const T) -> bool {
    is_aligned(p as usize, align_of::<T>())
}

/// Copies as much of `text` as fits (whole UTF-8 characters, NUL-terminated) into `buf`; returns the bytes used.
fn put_text(buf: &mut [u8; MESSAGE_CAPACITY], text: &str) -> u32 {
    let mut len = text.len().min(MESSAGE_CAPACITY - 1);
    while !text.is_char_boundary(len) {
        len -= 1;
    }
    *buf = [0; MESSAGE_CAPACITY];
    buf[..len].copy_from_slice(&text.as_bytes()[..len]);
    len as u32
}

fn fill_result(out: &mut PvpResult, code: i32, kind: i32, value0: u64, value1: u64, message: &str, debug: &str) {
    out.code = code;
    out.kind = kind;
    out.value0 = value0;
    out.value1 = value1;
    out.message_len = put_text(&mut out.message, message);
    out.debug_len = put_text(&mut out.debug, debug);
}

/// Runs `body`, stores its outcome in `*result` and returns the code. A NULL or misaligned `result` gives
/// `PVP_INVALID_ARGUMENT` without running `body`.
fn guarded(result: *mut PvpResult, body: impl FnOnce() -> Result<(), Failure>) -> i32 {
    if result.is_null() || !is_aligned_ptr(result) {
        return PVP_INVALID_ARGUMENT;
    }
    let (code, kind, value0, value1, message, debug) = match catch(body) {
        Ok(Ok(())) => (PVP_OK, PVP_KIND_NONE, 0, 0, String::new(), String::new()),
        Ok(Err(Failure::Map(error))) => {
            let (code, value0, value1) = map_error_values(&error);
            (code, PVP_KIND_NONE, value0, value1, error.to_string(), format!("{error:?}"))
        }
        Ok(Err(Failure::Tracker(error))) => {
            let (value0, value1) = match error {
                MemoryTrackerError::Hypervisor(kvm::HypError::KvmError(e, function_id)) => {
                    (e.raw() as u64, function_id as u64)
                }
                _ => (0, 0),
            };
            (PVP_ERR_TRACKER, tracker_code(&error), value0, value1, error.to_string(), format!("{error:?}"))
        }
        Ok(Err(Failure::Hyp(error))) => {
            let (value0, value1) = match error {
                kvm::HypError::KvmError(e, function_id) => (e.raw() as u64, function_id as u64),
                kvm::HypError::UnsupportedMmioGuardGranule(g) => (g as u64, 0),
                kvm::HypError::MmioGuardNotsupported => (0, 0),
            };
            (PVP_ERR_HYP, PVP_KIND_NONE, value0, value1, error.to_string(), format!("{error:?}"))
        }
        Ok(Err(Failure::Era(e))) => (PVP_ERR_TRACKER, e.code, e.value0, e.value1, e.message, e.debug),
        Ok(Err(Failure::Entry(error))) => {
            let (value0, value1) = match error {
                entry::EntryError::KvmError(k, id) => (k.raw() as u64, id as u64),
                entry::EntryError::UnsupportedMmioGuardGranule(g) => (g as u64, 0),
                entry::EntryError::MmioGuardNotSupported => (0, 0),
            };
            (PVP_ERR_HYP, PVP_KIND_NONE, value0, value1, error.to_string(), format!("{error:?}"))
        }
        Ok(Err(Failure::Invalid(message))) => (PVP_INVALID_ARGUMENT, PVP_KIND_NONE, 0, 0, message, String::new()),
        Ok(Err(Failure::Busy)) => (PVP_BUSY, PVP_KIND_NONE, 0, 0, BUSY_MESSAGE.to_owned(), String::new()),
        Err(Caught(kind, message)) => (PVP_PANIC, kind, 0, 0, message, String::new()),
    };
    // Checked non-NULL and aligned; the caller provides a writable PvpResult.
    fill_result(unsafe { &mut *result }, code, kind, value0, value1, &message, &debug);
    code
}

/// Copies min(len, cap) bytes to `buf` (if not NULL) and returns the full length.
fn copy_out(bytes: &[u8], buf: *mut u8, cap: usize) -> usize {
    if !buf.is_null() {
        let n = bytes.len().min(cap);
        // The caller provides `cap` writable bytes at `buf`.
        unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), buf, n) };
    }
    bytes.len()
}

/// Formats inside `catch` and copies the text out; a panic gives 0 and writes nothing.
fn text_out(format: impl FnOnce() -> String, buf: *mut u8, cap: usize) -> usize {
    match catch(format) {
        Ok(text) => copy_out(text.as_bytes(), buf, cap),
        Err(_) => 0,
    }
}

const BUSY_MESSAGE: &str =
    "the table is in use by a call in progress (an updater called back into the library with its own table)";

/// The busy flag of a non-NULL, aligned handle, reached without a reference to the whole handle (a call in progress
/// may hold a `&mut` into its other fields).
///
/// # Safety
/// `table` is a live handle.
unsafe fn busy_flag<'a>(table: *const PvpTable) -> &'a Cell<bool> {
    unsafe { &*ptr::addr_of!((*table).busy) }
}

/// A call in progress on a handle: marked busy from `enter` until this is dropped (also while unwinding).
struct Entered(*const PvpTable);

impl Drop for Entered {
    fn drop(&mut self) {
        // The handle outlives the call (only pvp040_table_drop frees it, and it does not enter).
        unsafe { busy_flag(self.0) }.set(false);
    }
}

/// Checks a handle argument and marks the handle busy for the rest of the call: `PVP_INVALID_ARGUMENT` for a NULL
/// or misaligned one, `PVP_BUSY` if a call on it is already in progress. Every entry point that uses a handle
/// mutably enters it before touching it, and keeps the guard until it no longer uses it.
///
/// # Safety
/// `table` is NULL or a live handle.
unsafe fn enter(table: *mut PvpTable) -> Result<Entered, Failure> {
    if table.is_null() || !is_aligned_ptr(table) {
        return invalid("table is NULL or misaligned");
    }
    // Checked non-NULL and aligned; a live handle.
    let busy = unsafe { busy_flag(table) };
    if busy.get() {
        return Err(Failure::Busy);
    }
    busy.set(true);
    Ok(Entered(table))
}

/// The handle's trace log (shared: the updaters the crate calls own a clone).
///
/// # Safety
/// `table` is a live handle, entered (`enter`).
unsafe fn handle_trace(table: *mut PvpTable) -> pvmfw::CallbackTrace {
    Rc::clone(unsafe { &*ptr::addr_of!((*table).trace) })
}

/// The live root table of a handle the caller has entered, borrowed without a reference to the whole handle.
///
/// # Safety
/// `table` is a live handle, entered (`enter`) for as long as the reference is used.
unsafe fn root_mut<'a>(table: *mut PvpTable) -> Result<&'a mut RootTable<ArenaTranslation>, Failure> {
    match unsafe { &mut *ptr::addr_of_mut!((*table).root) }.as_mut() {
        Some(root) => Ok(root),
        None => invalid("the root table has already been dropped (pvp040_table_drop_root)"),
    }
}

/// A handle for reading, or None for a NULL, misaligned or busy one (functions without a `PvpResult` report all
/// three the same way).
///
/// # Safety
/// `table` is NULL or a live handle.
unsafe fn handle<'a>(table: *const PvpTable) -> Option<&'a PvpTable> {
    if table.is_null() || !is_aligned_ptr(table) || unsafe { busy_flag(table) }.get() {
        None
    } else {
        // A live handle, and no call on it is in progress: nothing else borrows it.
        Some(unsafe { &*table })
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Identity and layout
// ---------------------------------------------------------------------------------------------------------------

/// The ABI version, `PVP_ABI_VERSION`.
#[no_mangle]
pub extern "C" fn pvp040_abi_version() -> u32 {
    PVP_ABI_VERSION
}

/// Writes the crate versions this library was built with, as cargo resolved them (`build.rs` reads them from
/// `Cargo.lock` and fails the build unless they are the pinned ones): `aarch64-paging 0.4.0 + bitflags 2.0.2`, no NUL,
/// into `buf`, at most `cap` bytes; returns its full length.
///
/// # Safety
/// `buf` is NULL or valid for `cap` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn pvp040_versions(buf: *mut u8, cap: usize) -> usize {
    copy_out(VERSIONS.as_bytes(), buf, cap)
}

/// Every constant of this ABI, by name: what `pvp040_constants` reports. It must list exactly the `pub const PVP_*`
/// items above (the Java side checks, when it loads the library, that the two agree with its bindings both ways).
const CONSTANTS: &[(&str, i64)] = constants![
    PVP_ABI_VERSION,
    PVP_OK,
    PVP_ERR_ADDRESS_RANGE,
    PVP_ERR_INVALID_VIRTUAL_ADDRESS,
    PVP_ERR_REGION_BACKWARDS,
    PVP_ERR_PTE_UPDATE_FAULT,
    PVP_ERR_TRACKER,
    PVP_ERR_HYP,
    PVP_PANIC,
    PVP_INVALID_ARGUMENT,
    PVP_BUSY,
    PVP_VA_RANGE_LOWER,
    PVP_VA_RANGE_UPPER,
    PVP_TRACKER_ERR_DIFFERENT_BASE_ADDRESS,
    PVP_TRACKER_ERR_SIZE_TOO_LARGE,
    PVP_TRACKER_ERR_SIZE_TOO_SMALL,
    PVP_TRACKER_ERR_FULL,
    PVP_TRACKER_ERR_OUT_OF_RANGE,
    PVP_TRACKER_ERR_OVERLAPS,
    PVP_TRACKER_ERR_FAILED_TO_MAP,
    PVP_TRACKER_ERR_FAILED_TO_UNMAP,
    PVP_TRACKER_ERR_HYPERVISOR,
    PVP_TRACKER_ERR_SHARED_MEMORY_SET_FAILURE,
    PVP_TRACKER_ERR_SHARED_POOL_SET_FAILURE,
    PVP_TRACKER_ERR_INVALID_PTE,
    PVP_TRACKER_ERR_FLUSH_REGION_FAILED,
    PVP_TRACKER_ERR_SET_PTE_DIRTY_FAILED,
    PVP_TRACKER_ERR_DUPLICATE_MMIO_SHARE,
    PVP_TRACKER_ERR_UNSUPPORTED_MMIO_GUARD_GRANULE,
    PVP_ERA_2023_11,
    PVP_ERA_2024_05,
    PVP_KIND_NONE,
    PVP_KIND_EXHAUSTED,
    PVP_KIND_BAD_ADDRESS,
    PVP_KIND_BAD_FREE,
    PVP_KIND_CALLBACK,
    PVP_PAGE_TABLE_MAP_CODE,
    PVP_PAGE_TABLE_MAP_DATA,
    PVP_PAGE_TABLE_MAP_RODATA,
    PVP_PAGE_TABLE_MAP_DEVICE,
    PVP_BUILTIN_VERIFY_LAZY_MAPPED_BLOCK,
    PVP_BUILTIN_SET_SWFLAG_0_ON_LEAVES,
    PVP_BUILTIN_FAIL_AT_LEVEL_3,
    PVP_ACTION_NONE,
    PVP_ACTION_MODIFY_FLAGS,
    PVP_UPDATER_OK,
    PVP_UPDATER_ERR,
    PVP_UPDATER_ABORT,
    PVP_LAYOUT_RESULT_SIZE,
    PVP_LAYOUT_RESULT_CODE,
    PVP_LAYOUT_RESULT_KIND,
    PVP_LAYOUT_RESULT_VALUE0,
    PVP_LAYOUT_RESULT_VALUE1,
    PVP_LAYOUT_RESULT_MESSAGE_LEN,
    PVP_LAYOUT_RESULT_MESSAGE,
    PVP_LAYOUT_TRACE_SIZE,
    PVP_LAYOUT_TRACE_START,
    PVP_LAYOUT_TRACE_END,
    PVP_LAYOUT_TRACE_LEVEL,
    PVP_LAYOUT_TRACE_BEFORE,
    PVP_LAYOUT_TRACE_AFTER,
    PVP_LAYOUT_MAP_STEP_SIZE,
    PVP_LAYOUT_MAP_STEP_START,
    PVP_LAYOUT_MAP_STEP_END,
    PVP_LAYOUT_MAP_STEP_PA,
    PVP_LAYOUT_MAP_STEP_FLAGS,
    PVP_LAYOUT_HYP_CALL_SIZE,
    PVP_LAYOUT_HYP_CALL_FUNCTION_ID,
    PVP_LAYOUT_HYP_CALL_ARGUMENT,
    PVP_LAYOUT_HYP_CALL_X0,
    PVP_LAYOUT_RESULT_DEBUG_LEN,
    PVP_LAYOUT_RESULT_DEBUG,
    PVP_LAYOUT_ACTION_SIZE,
    PVP_LAYOUT_ACTION_KIND,
    PVP_LAYOUT_ACTION_SET,
    PVP_LAYOUT_ACTION_CLEAR,
];

/// Writes every constant of this ABI as `NAME=VALUE` lines (decimal, one per line) into `buf`, at most `cap` bytes;
/// returns the full length. A caller checks with it that the library was built from the header its bindings came
/// from.
///
/// # Safety
/// `buf` is NULL or valid for `cap` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn pvp040_constants(buf: *mut u8, cap: usize) -> usize {
    let mut text = String::new();
    for (name, value) in CONSTANTS {
        text.push_str(&format!("{name}={value}\n"));
    }
    copy_out(text.as_bytes(), buf, cap)
}

/// Sizes and offsets of the structs of this ABI (`PVP_LAYOUT_*`); `UINT64_MAX` for an unknown selector.
#[no_mangle]
pub extern "C" fn pvp040_layout(what: u32) -> u64 {
    let value = match what {
        PVP_LAYOUT_RESULT_SIZE => size_of::<PvpResult>(),
        PVP_LAYOUT_RESULT_CODE => offset_of!(PvpResult, code),
        PVP_LAYOUT_RESULT_KIND => offset_of!(PvpResult, kind),
        PVP_LAYOUT_RESULT_VALUE0 => offset_of!(PvpResult, value0),
        PVP_LAYOUT_RESULT_VALUE1 => offset_of!(PvpResult, value1),
        PVP_LAYOUT_RESULT_MESSAGE_LEN => offset_of!(PvpResult, message_len),
        PVP_LAYOUT_RESULT_MESSAGE => offset_of!(PvpResult, message),
        PVP_LAYOUT_TRACE_SIZE => size_of::<PvpTraceEntry>(),
        PVP_LAYOUT_TRACE_START => offset_of!(PvpTraceEntry, start),
        PVP_LAYOUT_TRACE_END => offset_of!(PvpTraceEntry, end),
        PVP_LAYOUT_TRACE_LEVEL => offset_of!(PvpTraceEntry, level),
        PVP_LAYOUT_TRACE_BEFORE => offset_of!(PvpTraceEntry, before),
        PVP_LAYOUT_TRACE_AFTER => offset_of!(PvpTraceEntry, after),
        PVP_LAYOUT_MAP_STEP_SIZE => size_of::<PvpMapStep>(),
        PVP_LAYOUT_MAP_STEP_START => offset_of!(PvpMapStep, start),
        PVP_LAYOUT_MAP_STEP_END => offset_of!(PvpMapStep, end),
        PVP_LAYOUT_MAP_STEP_PA => offset_of!(PvpMapStep, pa),
        PVP_LAYOUT_MAP_STEP_FLAGS => offset_of!(PvpMapStep, flags),
        PVP_LAYOUT_HYP_CALL_SIZE => size_of::<PvpHypCall>(),
        PVP_LAYOUT_HYP_CALL_FUNCTION_ID => offset_of!(PvpHypCall, function_id),
        PVP_LAYOUT_HYP_CALL_ARGUMENT => offset_of!(PvpHypCall, argument),
        PVP_LAYOUT_HYP_CALL_X0 => offset_of!(PvpHypCall, x0),
        PVP_LAYOUT_RESULT_DEBUG_LEN => offset_of!(PvpResult, debug_len),
        PVP_LAYOUT_RESULT_DEBUG => offset_of!(PvpResult, debug),
        PVP_LAYOUT_ACTION_SIZE => size_of::<PvpAction>(),
        PVP_LAYOUT_ACTION_KIND => offset_of!(PvpAction, kind),
        PVP_LAYOUT_ACTION_SET => offset_of!(PvpAction, set),
        PVP_LAYOUT_ACTION_CLEAR => offset_of!(PvpAction, clear),
        _ => return u64::MAX,
    };
    value as u64
}

// ---------------------------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------------------------

/// Creates `RootTable::new(arena translation, level, va_range)` over `slots` tables at `arena` (4096-aligned, zeroed
/// here as a whole) with PAs from `pa_base` (page-aligned, `pa_base + slots·4096 <= 2^48`). `va_range`: 0 Lower,
/// 1 Upper. The root takes the first slot. A level above 3 gives the crate's panic `Invalid root table level N.`.
/// On success `*out_table` is the handle (free it with `pvp040_table_drop`); otherwise it is NULL.
///
/// # Safety
/// `arena` is valid for `slots·4096` bytes of reads and writes, used only by this table until it is dropped;
/// `out_table` and `result` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_table_new(
    arena: *mut u8,
    slots: usize,
    pa_base: u64,
    level: u32,
    va_range: u32,
    out_table: *mut *mut PvpTable,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        if out_table.is_null() || !is_aligned_ptr(out_table) {
            return invalid("out_table is NULL or misaligned");
        }
        // Checked non-NULL and aligned.
        unsafe { *out_table = ptr::null_mut() };
        let va_range = match va_range {
            PVP_VA_RANGE_LOWER => VaRange::Lower,
            PVP_VA_RANGE_UPPER => VaRange::Upper,
            _ => return invalid("va_range must be PVP_VA_RANGE_LOWER or PVP_VA_RANGE_UPPER"),
        };
        let table = unsafe { new_table(arena, slots, pa_base, level as usize, va_range) }?;
        // Checked non-NULL and aligned.
        unsafe { *out_table = Box::into_raw(table) };
        Ok(())
    })
}

/// Checks the arena arguments, zeroes the arena and creates the root table (the arena's first allocation).
///
/// # Safety
/// `arena` is NULL or valid for `slots · 4096` bytes of writes for the handle's lifetime.
unsafe fn new_table(
    arena: *mut u8,
    slots: usize,
    pa_base: u64,
    level: usize,
    va_range: VaRange,
) -> Result<Box<PvpTable>, Failure> {
    let Some(buffer) = NonNull::new(arena) else {
        return invalid("arena is NULL");
    };
    if !is_aligned(arena as usize, PAGE) {
        return invalid("arena is not 4096-aligned");
    }
    if slots == 0 || slots > i32::MAX as usize {
        return invalid("slots must be between 1 and 2^31 - 1");
    }
    let pa_base = pa_base as usize;
    if !is_aligned(pa_base, PAGE) {
        return invalid("pa_base is not page-aligned");
    }
    if pa_base > PA_LIMIT || slots > (PA_LIMIT - pa_base) / PAGE {
        return invalid("pa_base + slots * 4096 exceeds 2^48");
    }
    // The caller provides slots · 4096 writable bytes.
    unsafe { ptr::write_bytes(arena, 0, slots * PAGE) };
    let state = Rc::new(ArenaState {
        buffer,
        slots,
        pa_base,
        used: (0..slots).map(|_| Cell::new(false)).collect(),
        log: RefCell::new(Vec::new()),
    });
    let root = RootTable::new(ArenaTranslation(Rc::clone(&state)), level, va_range);
    Ok(Box::new(PvpTable {
        root: Some(root),
        arena: state,
        tracker: None,
        era: None,
        trace: Rc::new(RefCell::new(Vec::new())),
        busy: Cell::new(false),
    }))
}

/// Drops the table: the `RootTable` (which frees its tables post-order, root last, each logged) if still there,
/// then the handle. The handle is gone afterwards even if a free panicked (`PVP_PANIC`). With a NULL `result`
/// nothing is done. Errors: `PVP_INVALID_ARGUMENT` (NULL or misaligned handle), `PVP_BUSY` (a call on the handle is
/// in progress: the handle is kept).
///
/// # Safety
/// `table` is NULL or a live handle from `pvp040_table_new`, not used again afterwards unless the call gave
/// `PVP_BUSY`.
#[no_mangle]
pub unsafe extern "C" fn pvp040_table_drop(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        if table.is_null() || !is_aligned_ptr(table) {
            return invalid("table is NULL or misaligned");
        }
        // Checked non-NULL and aligned; a live handle. Not entered: the handle is freed before this call returns.
        if unsafe { busy_flag(table) }.get() {
            return Err(Failure::Busy);
        }
        // A live handle from Box::into_raw in pvp040_table_new, not in use.
        drop(unsafe { Box::from_raw(table) });
        Ok(())
    })
}

/// Drops only the `RootTable` (frees post-order, logged) and keeps the handle, so that the frees can be read with
/// `pvp040_table_event_log`. Afterwards table operations on the handle give `PVP_INVALID_ARGUMENT`; it must still be
/// freed with `pvp040_table_drop`. The root table is gone even if a free panicked (`PVP_PANIC`). Errors:
/// `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, root already dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle from `pvp040_table_new`.
#[no_mangle]
pub unsafe extern "C" fn pvp040_table_drop_root(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        // Entered: nothing else borrows the root or the tracker.
        let root = unsafe { &mut *ptr::addr_of_mut!((*table).root) }.take();
        let tracker = unsafe { &mut *ptr::addr_of_mut!((*table).tracker) }.as_mut();
        match root {
            Some(root) => {
                // The tracker's Drop: its shared memory is unshared, then the page table goes (also if unsharing
                // panicked; then a panic of the frees is the one reported, as Java's `finally`).
                let unshared = match tracker {
                    Some(tracker) => panic::catch_unwind(AssertUnwindSafe(|| tracker.unshare_all_memory())),
                    None => Ok(()),
                };
                // A later era's: the page table, then the fields after it (2024-05: the MmioSharer, whose Drop
                // UNMAPs what is still shared; `docs/pvmfw-2024-05.md`, "Boot and exit"), also if the frees
                // panicked; a panic of the sharer is then the one reported, as Java's `finally`.
                let after = unsafe { &mut *ptr::addr_of_mut!((*table).era) }
                    .as_mut()
                    .and_then(|e| e.tracker.as_mut())
                    .and_then(|t| t.take_after_page_table());
                let freed = panic::catch_unwind(AssertUnwindSafe(move || drop(root)));
                if let Some(sharer) = after {
                    drop(sharer);
                }
                if let Err(payload) = freed {
                    panic::resume_unwind(payload);
                }
                if let Err(payload) = unshared {
                    panic::resume_unwind(payload);
                }
                Ok(())
            }
            None => invalid("the root table has already been dropped (pvp040_table_drop_root)"),
        }
    })
}

/// The PA of the live root table (`RootTable::to_physical`); `UINT64_MAX` for a NULL, misaligned or busy handle
/// and after `pvp040_table_drop_root`.
///
/// # Safety
/// `table` is NULL or a live handle from `pvp040_table_new`.
#[no_mangle]
pub unsafe extern "C" fn pvp040_table_root_pa(table: *const PvpTable) -> u64 {
    match unsafe { handle(table) }.and_then(|t| t.root.as_ref()) {
        Some(root) => root.to_physical().0 as u64,
        None => u64::MAX,
    }
}

/// `root.map_range(&MemoryRegion::new(start, end), PhysicalAddress(pa), Attributes::from_bits_retain(flags))`.
/// Errors: the `PVP_ERR_*` of the `MapError`; `PVP_PANIC` (the arena's, the crate's); `PVP_INVALID_ARGUMENT` (NULL
/// or misaligned handle, root dropped); `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_table_map_range(
    table: *mut PvpTable,
    start: u64,
    end: u64,
    pa: u64,
    flags: u64,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let root = unsafe { root_mut(table) }?;
        map_one(root, start, end, pa, flags)
    })
}

fn map_one(root: &mut RootTable<ArenaTranslation>, start: u64, end: u64, pa: u64, flags: u64) -> Result<(), Failure> {
    root.map_range(
        &MemoryRegion::new(start as usize, end as usize),
        PhysicalAddress(pa as usize),
        Attributes::from_bits_retain(flags as usize),
    )
    .map_err(Failure::Map)
}

/// Applies `map_range` for each of the `n` steps in order, stopping at the first error or panic, which is stored in
/// `*first_error` (`PVP_OK` if none; the errors of `pvp040_table_map_range`, and `PVP_INVALID_ARGUMENT` for NULL or
/// misaligned `steps`). Returns the number of steps that succeeded. With a NULL `first_error` nothing is done and 0
/// is returned.
///
/// # Safety
/// `table` is NULL or a live handle; `steps` is valid for `n` reads; `first_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_table_map_batch(
    table: *mut PvpTable,
    steps: *const PvpMapStep,
    n: usize,
    first_error: *mut PvpResult,
) -> usize {
    let mut applied = 0usize;
    guarded(first_error, || {
        let _entered = unsafe { enter(table) }?;
        let root = unsafe { root_mut(table) }?;
        if n > 0 && (steps.is_null() || !is_aligned_ptr(steps)) {
            return invalid("steps is NULL or misaligned");
        }
        for i in 0..n {
            // In bounds of the caller's n steps.
            let step = unsafe { &*steps.add(i) };
            map_one(root, step.start, step.end, step.pa, step.flags)?;
            applied += 1;
        }
        Ok(())
    });
    applied
}

/// The trace of one `modify_range`: each updater invocation (range, level, descriptor before and after) written to
/// the caller's buffer while it has room; the count keeps going past it.
struct Trace {
    buf: *mut PvpTraceEntry,
    cap: usize,
    len: *mut usize,
    count: Cell<usize>,
}

impl Trace {
    /// Sets `*len` (if not NULL) to 0, then checks the caller's trace arguments; the count starts at 0. Called before
    /// any other check of the call, so that a call that fails never leaves a previous call's length in `*len`.
    fn new(buf: *mut PvpTraceEntry, cap: usize, len: *mut usize) -> Result<Self, Failure> {
        if !len.is_null() && !is_aligned_ptr(len) {
            return invalid("trace_len is misaligned");
        }
        let trace = Trace { buf, cap, len, count: Cell::new(0) };
        trace.set_len(0);
        if cap > 0 && (buf.is_null() || !is_aligned_ptr(buf)) {
            return invalid("trace is NULL or misaligned");
        }
        Ok(trace)
    }

    fn set_len(&self, n: usize) {
        if !self.len.is_null() {
            // Checked non-NULL and aligned.
            unsafe { *self.len = n };
        }
    }

    /// Runs `update` on the entry, recording it: the entry before, then (even if `update` panics out) after.
    fn record(
        &self,
        range: &MemoryRegion,
        descriptor: &mut Descriptor,
        level: usize,
        update: impl FnOnce(&mut Descriptor) -> Result<(), ()>,
    ) -> Result<(), ()> {
        let index = self.count.get();
        self.count.set(index + 1);
        self.set_len(index + 1);
        let before = descriptor_bits(descriptor);
        let entry = (index < self.cap).then(|| {
            // In bounds of the caller's cap entries.
            let entry = unsafe { self.buf.add(index) };
            let value = PvpTraceEntry {
                start: range.start().0 as u64,
                end: range.end().0 as u64,
                level: level as u32,
                _pad: 0,
                before,
                after: before,
            };
            unsafe { entry.write(value) };
            entry
        });
        /// Writes the descriptor's value after the update into the trace entry, also while unwinding.
        struct After(Option<*mut PvpTraceEntry>, *const Descriptor);
        impl Drop for After {
            fn drop(&mut self) {
                if let Some(entry) = self.0 {
                    // The entry was written above and is in bounds; the descriptor outlives this guard, and the
                    // update that borrowed it mutably has returned (or unwound) by now.
                    unsafe { (*entry).after = descriptor_bits(&*self.1) };
                }
            }
        }
        let descriptor_ptr: *mut Descriptor = descriptor;
        let _after = After(entry, descriptor_ptr);
        // The only live reference to the descriptor while the update runs.
        update(unsafe { &mut *descriptor_ptr })
    }
}

/// `root.modify_range(&MemoryRegion::new(start, end), f)` where, for each entry, `f` asks the caller's updater
/// `updater(ctx, range.start, range.end, bits, level, &mut action)` and applies the action with the crate's own
/// `Descriptor::modify_flags`; then 0 → `Ok`, 2 → panic `updater aborted` (kind `PVP_KIND_CALLBACK`), anything else
/// → `Err` (so `PVP_ERR_PTE_UPDATE_FAULT`). An unknown action kind is the same panic. Each invocation is traced as by
/// `pvp040_table_modify_range_builtin` (`*trace_len` is 0 after a call refused for its arguments). Errors: the
/// `PVP_ERR_*` of the `MapError`; `PVP_PANIC` (the arena's, the crate's, `PVP_KIND_CALLBACK` for an abort);
/// `PVP_INVALID_ARGUMENT` (NULL or misaligned handle or trace arguments, NULL updater, root dropped); `PVP_BUSY`
/// (also what the updater gets for any call it makes on this table while it runs).
///
/// # Safety
/// `table` is NULL or a live handle; `updater` does not unwind; `trace` is valid for `trace_cap` writes (or
/// `trace_cap` is 0); `trace_len` and `result` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_table_modify_range(
    table: *mut PvpTable,
    start: u64,
    end: u64,
    updater: PvpUpdater,
    ctx: *mut c_void,
    trace: *mut PvpTraceEntry,
    trace_cap: usize,
    trace_len: *mut usize,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let trace = Trace::new(trace, trace_cap, trace_len)?;
        let _entered = unsafe { enter(table) }?;
        let root = unsafe { root_mut(table) }?;
        let Some(f) = updater else {
            return invalid("updater is NULL");
        };
        let log = unsafe { handle_trace(table) };
        // The crate's `PteUpdater` is `dyn Fn(..) + 'static`: the updater owns everything it uses.
        let update = move |range: &MemoryRegion, descriptor: &mut Descriptor, level: usize| -> Result<(), ()> {
            trace.record(range, descriptor, level, |descriptor| {
                let mut action = PvpAction { kind: PVP_ACTION_NONE, _pad: 0, set: 0, clear: 0 };
                let bits = descriptor_bits(descriptor);
                // The caller's updater, with the descriptor's value and an action to fill in.
                let code = unsafe {
                    f(ctx, range.start().0 as u64, range.end().0 as u64, bits, level as u32, &mut action)
                };
                match action.kind {
                    PVP_ACTION_NONE => {}
                    PVP_ACTION_MODIFY_FLAGS => descriptor.modify_flags(
                        Attributes::from_bits_retain(action.set as usize),
                        Attributes::from_bits_retain(action.clear as usize),
                    ),
                    _ => table_panic(PVP_KIND_CALLBACK, "updater aborted".to_owned()),
                }
                match code {
                    PVP_UPDATER_OK => Ok(()),
                    PVP_UPDATER_ABORT => table_panic(PVP_KIND_CALLBACK, "updater aborted".to_owned()),
                    _ => Err(()),
                }
            })
        };
        root.modify_range(&MemoryRegion::new(start as usize, end as usize), &pvmfw::traced(&log, update))
            .map_err(Failure::Map)
    })
}

/// The updater of the crate's `update_range` test.
fn set_swflag_0_on_leaves(_range: &MemoryRegion, descriptor: &mut Descriptor, level: usize) -> Result<(), ()> {
    if level == 3 || !descriptor.is_table_or_page() {
        descriptor.modify_flags(Attributes::SWFLAG_0, Attributes::empty());
    }
    Ok(())
}

fn fail_at_level_3(_range: &MemoryRegion, _descriptor: &mut Descriptor, level: usize) -> Result<(), ()> {
    if level == 3 {
        Err(())
    } else {
        Ok(())
    }
}

/// `modify_range` with a built-in updater (`PVP_BUILTIN_*`). Each invocation is traced (range, level, descriptor
/// before and after) into `trace` while fewer than `trace_cap` entries are written; `*trace_len` (if not NULL) gets
/// the total number of invocations, also past `trace_cap`, and also when the call fails or panics (0 when it is
/// refused for its arguments). `PVP_BUILTIN_VERIFY_LAZY_MAPPED_BLOCK` is the seed's own (`pvmfw.rs`), the one the
/// tracker's `handle_mmio_fault` uses. Errors: as `pvp040_table_modify_range` (`PVP_INVALID_ARGUMENT` for an unknown
/// built-in).
///
/// # Safety
/// `table` is NULL or a live handle; `trace` is valid for `trace_cap` writes (or `trace_cap` is 0); `trace_len` and
/// `result` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_table_modify_range_builtin(
    table: *mut PvpTable,
    start: u64,
    end: u64,
    which: u32,
    trace: *mut PvpTraceEntry,
    trace_cap: usize,
    trace_len: *mut usize,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let trace = Trace::new(trace, trace_cap, trace_len)?;
        let _entered = unsafe { enter(table) }?;
        let root = unsafe { root_mut(table) }?;
        let builtin: fn(&MemoryRegion, &mut Descriptor, usize) -> Result<(), ()> = match which {
            PVP_BUILTIN_VERIFY_LAZY_MAPPED_BLOCK => pvmfw::verify_lazy_mapped_block,
            PVP_BUILTIN_SET_SWFLAG_0_ON_LEAVES => set_swflag_0_on_leaves,
            PVP_BUILTIN_FAIL_AT_LEVEL_3 => fail_at_level_3,
            _ => return invalid("unknown built-in updater"),
        };
        let log = unsafe { handle_trace(table) };
        // The crate's `PteUpdater` is `dyn Fn(..) + 'static`: the updater owns everything it uses.
        let update = move |range: &MemoryRegion, descriptor: &mut Descriptor, level: usize| -> Result<(), ()> {
            trace.record(range, descriptor, level, |descriptor| builtin(range, descriptor, level))
        };
        root.modify_range(&MemoryRegion::new(start as usize, end as usize), &pvmfw::traced(&log, update))
            .map_err(Failure::Map)
    })
}

/// Writes `format!("{:?}", root)` (the crate's RootTable dump) into `buf`, at most `cap` bytes, no NUL; returns the
/// full length. 0 (and nothing written) for a NULL, misaligned or busy handle, a dropped root or a panic.
///
/// # Safety
/// `table` is NULL or a live handle; `buf` is NULL or valid for `cap` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn pvp040_table_debug(table: *const PvpTable, buf: *mut u8, cap: usize) -> usize {
    let Some(root) = unsafe { handle(table) }.and_then(|t| t.root.as_ref()) else {
        return 0;
    };
    text_out(|| format!("{root:?}"), buf, cap)
}

/// Copies the arena's event log (slot `i` allocated = `i`, freed = `~i`) from entry `first` on, at most `cap`
/// entries, into `buf`; returns its full length (0 for a NULL, misaligned or busy handle). The log survives
/// `pvp040_table_drop_root`.
///
/// # Safety
/// `table` is NULL or a live handle; `buf` is NULL or valid for `cap` writes.
#[no_mangle]
pub unsafe extern "C" fn pvp040_table_event_log(table: *const PvpTable, first: usize, buf: *mut i32, cap: usize) -> usize {
    let Some(t) = (unsafe { handle(table) }) else {
        return 0;
    };
    let log = t.arena.log.borrow();
    if first < log.len() && !buf.is_null() && is_aligned_ptr(buf) {
        let n = (log.len() - first).min(cap);
        // The caller provides `cap` writable entries; first + n <= log.len().
        unsafe { ptr::copy_nonoverlapping(log.as_ptr().add(first), buf, n) };
    }
    log.len()
}

// ---------------------------------------------------------------------------------------------------------------
// Descriptors, attributes and errors (no table needed)
// ---------------------------------------------------------------------------------------------------------------

/// 1 if `Descriptor::flags()` of `bits` is `Some` (bitflags 2.0.2: the flag bits are a union of complete flags),
/// else 0.
#[no_mangle]
pub extern "C" fn pvp040_descriptor_flags_valid(bits: u64) -> i32 {
    i32::from(descriptor_from_bits(bits).flags().is_some())
}

/// Writes `format!("{:?}", descriptor)` into `buf` (at most `cap` bytes, no NUL); returns the full length.
///
/// # Safety
/// `buf` is NULL or valid for `cap` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn pvp040_descriptor_debug(bits: u64, buf: *mut u8, cap: usize) -> usize {
    text_out(|| format!("{:?}", descriptor_from_bits(bits)), buf, cap)
}

/// Writes `format!("{:?}", Attributes::from_bits_retain(bits))` into `buf` (at most `cap` bytes, no NUL); returns
/// the full length.
///
/// # Safety
/// `buf` is NULL or valid for `cap` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn pvp040_attributes_debug(bits: u64, buf: *mut u8, cap: usize) -> usize {
    text_out(|| format!("{:?}", Attributes::from_bits_retain(bits as usize)), buf, cap)
}

/// Stores in `*result` exactly what a call failing with the crate's `MapError` of `code` (`PVP_ERR_*`) and payload
/// `value0` / `value1` stores (the payload as in `PvpResult`, its Display text as the message, its Debug text as
/// `debug`), and returns `code`: the crate's texts for any payload, including `InvalidVirtualAddress`, which a bare
/// `RootTable` never returns. `RegionBackwards` is `MemoryRegion::new(value0, value1)`, so its payload comes back
/// page-aligned as the crate aligns it. Errors: `PVP_INVALID_ARGUMENT` for a code that is not a `PVP_ERR_*` of a
/// `MapError`; with a NULL `result` nothing is done.
///
/// # Safety
/// `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_map_error(code: i32, value0: u64, value1: u64, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        Err(Failure::Map(match code {
            PVP_ERR_ADDRESS_RANGE => MapError::AddressRange(VirtualAddress(value0 as usize)),
            PVP_ERR_INVALID_VIRTUAL_ADDRESS => MapError::InvalidVirtualAddress(VirtualAddress(value0 as usize)),
            PVP_ERR_REGION_BACKWARDS => MapError::RegionBackwards(MemoryRegion::new(value0 as usize, value1 as usize)),
            PVP_ERR_PTE_UPDATE_FAULT => MapError::PteUpdateFault(descriptor_from_bits(value0)),
            _ => return invalid("code is not the PVP_ERR_* of a MapError"),
        }))
    })
}

// ---------------------------------------------------------------------------------------------------------------
// pvmfw's memory tracker (ABI 2; its RAM part, memory sharing, libhyp calls and callback traces: ABI 5)
// ---------------------------------------------------------------------------------------------------------------

/// Creates pvmfw's page table at the seed change (root level 1, lower range, identity; the arena's first table) with
/// its `MemoryTracker` over a recording hypervisor (MMIO guard granule 4096). The tracker's main memory
/// window is `0x8000_0000..ram_end` (`ram_end` above 0x8000_0000, at most 2^40). `compat_android_13` non-zero: MAP
/// read as an i32, UNMAP's NOT_SUPPORTED counted as success (the 2023-04 libhyp). The handle is a `PvpTable`: every
/// `pvp040_table_*` function works on it too (`map_range`, the event log, the Debug dump, the drops). Errors:
/// `PVP_INVALID_ARGUMENT` (as `pvp040_table_new`, and `ram_end` out of range), `PVP_PANIC` (the arena's).
///
/// # Safety
/// As `pvp040_table_new`.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_new(
    arena: *mut u8,
    slots: usize,
    pa_base: u64,
    ram_end: u64,
    compat_android_13: u32,
    out_table: *mut *mut PvpTable,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        if out_table.is_null() || !is_aligned_ptr(out_table) {
            return invalid("out_table is NULL or misaligned");
        }
        // Checked non-NULL and aligned.
        unsafe { *out_table = ptr::null_mut() };
        if ram_end <= 0x8000_0000 || ram_end > 1 << 40 {
            return invalid("ram_end must be above 0x80000000 and at most 2^40");
        }
        let mut table = unsafe { new_table(arena, slots, pa_base, 1, VaRange::Lower) }?;
        let trace = Rc::clone(&table.trace);
        table.tracker = Some(Tracker::new(
            trace,
            (0x8000_0000, ram_end as usize),
            kvm::Kvm {
                hyp: Rc::new(RefCell::new(kvm::RecordingHyp::new(4096))),
                compat_android_13: compat_android_13 != 0,
            },
        ));
        // Checked non-NULL and aligned.
        unsafe { *out_table = Box::into_raw(table) };
        Ok(())
    })
}

/// Creates pvmfw's page table (root level 1, lower range, identity; the arena's first table) with a later era's
/// `MemoryTracker` (ABI 6; `era`: `PVP_ERA_2023_11` or `PVP_ERA_2024_05`): vmbase's
/// `MemoryTracker::new(page_table, 0x8000_0000..2^40, 0x0..0x4000_0000, None)`, shrunk to `0x8000_0000..ram_end`
/// unless `ram_end` is 2^40, over pKVM (`mmio_guard` non-zero: lazy MMIO, the MMIO guard calls) or a regular KVM
/// (zero: no capabilities, MMIO mapped at once, no hypercall), on a recording hypervisor whose MMIO_GUARD_INFO
/// answers `granule` (and MAP and UNMAP want aligned to it). `compat_android_13`: the 2024-05 crate feature (2023-11's
/// libhyp has the workarounds unconditionally). 2024-05 reads the granule here (one MMIO_GUARD_INFO with an MMIO
/// guard) and unwraps `MmioSharer::new()`, which panics for an INFO error, a granule that is not a multiple of 4096
/// (`UnsupportedMmioGuardGranule`) or not a power of two. When the tracker panics, `*out_table` is still the handle,
/// with its page table and no tracker (the caller's engine keeps the page table it made, and reads the INFO call and
/// the root's allocation from the handle); tracker calls on it then give `PVP_INVALID_ARGUMENT`. With `entry` non-zero
/// (ABI 7; the step's `entry=on`), pvmfw's entry runs first, on the same hypervisor (made without an MMIO guard when
/// `mmio_guard` is zero): `detect_hypervisor` (VENDOR_HYP_CALL_UID, MMIO_GUARD_INFO) and the era's
/// `try_console_init` (with an MMIO guard ENROLL, INFO, the UART page's MAP; `entry.rs`), and the tracker runs over
/// what the detection found instead of `mmio_guard`; pvmfw makes the page table after its entry, here the table is
/// made first (the order of an allocation and a call is not observable), and when the entry fails (its error
/// `PVP_ERR_HYP`, or its panic) the handle keeps it and has no tracker, as when the tracker panics. Errors:
/// `PVP_INVALID_ARGUMENT` (as `pvp040_tracker_new`, an unknown `era`), `PVP_PANIC` (the arena's, the era's, the
/// entry's), `PVP_ERR_HYP` (the entry's), `PVP_ERR_TRACKER` (the shrink's).
///
/// # Safety
/// As `pvp040_table_new`.
#[no_mangle]
pub unsafe extern "C" fn pvp040_era_tracker_new(
    arena: *mut u8,
    slots: usize,
    pa_base: u64,
    ram_end: u64,
    compat_android_13: u32,
    era: u32,
    mmio_guard: u32,
    granule: u64,
    entry: u32,
    out_table: *mut *mut PvpTable,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        if out_table.is_null() || !is_aligned_ptr(out_table) {
            return invalid("out_table is NULL or misaligned");
        }
        // Checked non-NULL and aligned.
        unsafe { *out_table = ptr::null_mut() };
        if ram_end <= 0x8000_0000 || ram_end > 1 << 40 {
            return invalid("ram_end must be above 0x80000000 and at most 2^40");
        }
        if era != PVP_ERA_2023_11 && era != PVP_ERA_2024_05 {
            return invalid("era must be a PVP_ERA_*");
        }
        let table = unsafe { new_table(arena, slots, pa_base, 1, VaRange::Lower) }?;
        let trace = Rc::clone(&table.trace);
        let raw = Box::into_raw(table);
        // Checked non-NULL and aligned; the handle is the caller's from here on, also if the tracker panics.
        unsafe { *out_table = raw };
        let made = eras::EraTracker::hyp(granule, mmio_guard != 0);
        let hyp = Rc::clone(&made.hyp);
        // A live handle just made; nothing else refers to it yet.
        unsafe { (*raw).era = Some(made) };
        let guard = if entry != 0 {
            eras::entry(era, &hyp, compat_android_13 != 0).map_err(Failure::Entry)?
        } else {
            mmio_guard != 0
        };
        let tracker = eras::Era::new(era, &hyp, trace, ram_end as usize, compat_android_13 != 0, guard)
            .map_err(Failure::Era)?;
        // As above.
        if let Some(e) = unsafe { (*raw).era.as_mut() } {
            e.tracker = Some(tracker);
        }
        Ok(())
    })
}

/// The live root table and tracker of a tracker handle the caller has entered, borrowed without a reference to the
/// whole handle.
///
/// # Safety
/// `table` is a live handle, entered (`enter`) for as long as the references are used.
unsafe fn tracker_mut<'a>(
    table: *mut PvpTable,
) -> Result<(&'a mut RootTable<ArenaTranslation>, &'a mut Tracker), Failure> {
    // Entered: nothing else borrows the two fields.
    let root = unsafe { &mut *ptr::addr_of_mut!((*table).root) };
    let tracker = unsafe { &mut *ptr::addr_of_mut!((*table).tracker) };
    match (root.as_mut(), tracker.as_mut()) {
        (Some(root), Some(tracker)) => Ok((root, tracker)),
        (None, _) => invalid("the root table has already been dropped (pvp040_table_drop_root)"),
        (_, None) => invalid("not a tracker handle (made by pvp040_table_new)"),
    }
}

/// The live root table and later era's tracker of a handle the caller has entered, or None for a seed tracker handle
/// (or any handle without a later era's tracker).
///
/// # Safety
/// `table` is a live handle, entered (`enter`) for as long as the references are used.
unsafe fn era_mut<'a>(
    table: *mut PvpTable,
) -> Result<Option<(&'a mut RootTable<ArenaTranslation>, &'a mut eras::Era)>, Failure> {
    // Entered: nothing else borrows the two fields.
    let era = unsafe { &mut *ptr::addr_of_mut!((*table).era) };
    let Some(era) = era.as_mut() else {
        return Ok(None);
    };
    let Some(tracker) = era.tracker.as_mut() else {
        return invalid("the era's tracker panicked when it was made (pvp040_era_tracker_new)");
    };
    Ok(Some((unsafe { root_mut(table) }?, tracker)))
}

/// The recording hypervisor of a tracker handle (the seed's or a later era's) the caller has entered.
///
/// # Safety
/// `table` is a live handle, entered (`enter`).
unsafe fn tracker_hyp(table: *mut PvpTable) -> Result<Rc<RefCell<kvm::RecordingHyp>>, Failure> {
    if let Some(era) = unsafe { &*ptr::addr_of!((*table).era) } {
        unsafe { root_mut(table) }?;
        return Ok(Rc::clone(&era.hyp));
    }
    let (_, tracker) = unsafe { tracker_mut(table) }?;
    Ok(Rc::clone(&tracker.kvm.hyp))
}

/// The recording hypervisor of a tracker handle, the seed's or a later era's, for reading.
fn handle_hyp(t: &PvpTable) -> Option<&Rc<RefCell<kvm::RecordingHyp>>> {
    match (&t.tracker, &t.era) {
        (Some(tracker), _) => Some(&tracker.kvm.hyp),
        (None, Some(era)) => Some(&era.hyp),
        (None, None) => None,
    }
}

/// A later era's `main_wrapper` unmapping the console at exit (ABI 7; the step `console-unmap`): with an MMIO guard,
/// MMIO_GUARD_UNMAP of the UART's page (`entry.rs`); without one, nothing. Errors: `PVP_ERR_HYP` (the UNMAP's
/// `KvmError`); `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a later era's tracker handle, root dropped),
/// `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_console_unmap(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        match unsafe { era_mut(table) }? {
            Some((_, era)) => era.console_unmap().map_err(Failure::Entry),
            None => invalid("not a later era's tracker handle (made by pvp040_era_tracker_new)"),
        }
    })
}

/// `MemoryTracker::map_mmio_range(start..end)`: lazy, no hypercall. Errors: `PVP_ERR_TRACKER`; `PVP_PANIC` (the
/// arena's); `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a tracker handle, root dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_map_mmio_range(
    table: *mut PvpTable,
    start: u64,
    end: u64,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        if let Some((root, era)) = unsafe { era_mut(table) }? {
            return era.map_mmio_range(root, (start as usize, end as usize)).map_err(Failure::Era);
        }
        let (root, tracker) = unsafe { tracker_mut(table) }?;
        tracker.map_mmio_range(root, (start as usize, end as usize)).map_err(Failure::Tracker)
    })
}

/// `MemoryTracker::handle_mmio_fault(addr)`. Errors: `PVP_ERR_TRACKER` (InvalidPte, Hypervisor, FailedToMap);
/// `PVP_PANIC` (the arena's, the seed's `expect`); `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a tracker
/// handle, root dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_handle_mmio_fault(table: *mut PvpTable, addr: u64, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        if let Some((root, era)) = unsafe { era_mut(table) }? {
            return era.handle_mmio_fault(root, addr as usize).map_err(Failure::Era);
        }
        let (root, tracker) = unsafe { tracker_mut(table) }?;
        tracker.handle_mmio_fault(root, addr as usize).map_err(Failure::Tracker)
    })
}

/// `MemoryTracker::mmio_unmap_all()`. Errors: `PVP_ERR_TRACKER` (FailedToUnmap); `PVP_PANIC` (the seed's
/// assertions); `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a tracker handle, root dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_mmio_unmap_all(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        if let Some((root, era)) = unsafe { era_mut(table) }? {
            return era.mmio_teardown(root).map_err(Failure::Era);
        }
        let (root, tracker) = unsafe { tracker_mut(table) }?;
        tracker.mmio_unmap_all(root).map_err(Failure::Tracker)
    })
}

/// pvmfw's `PageTable::map_code`, `map_data`, `map_rodata` or `map_device` (`which`: `PVP_PAGE_TABLE_MAP_*`) of
/// `start..end`: `map_range` of the region rounded out to 4 KiB, identity, with pvmfw's attribute set (CODE, DATA,
/// RODATA, DEVICE). Errors: `PVP_ERR_*` of the MapError; `PVP_PANIC` (the arena's); `PVP_INVALID_ARGUMENT` (an unknown
/// `which`, NULL or misaligned handle, not a tracker handle, root dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_map(
    table: *mut PvpTable,
    which: u32,
    start: u64,
    end: u64,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let root = match unsafe { era_mut(table) }? {
            Some((root, _)) => root,
            None => unsafe { tracker_mut(table) }?.0,
        };
        let flags = match which {
            PVP_PAGE_TABLE_MAP_CODE => pvmfw::code(),
            PVP_PAGE_TABLE_MAP_DATA => pvmfw::data(),
            PVP_PAGE_TABLE_MAP_RODATA => pvmfw::rodata(),
            PVP_PAGE_TABLE_MAP_DEVICE => pvmfw::device(),
            _ => return invalid("which must be a PVP_PAGE_TABLE_MAP_*"),
        };
        pvmfw::identity_map(root, start as usize, end as usize, flags).map_err(Failure::Map)
    })
}

/// `MemoryTracker::shrink(start..end)`. Errors: `PVP_ERR_TRACKER` (DifferentBaseAddress, SizeTooLarge,
/// SizeTooSmall); `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a tracker handle, root dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_shrink(table: *mut PvpTable, start: u64, end: u64, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let (_, tracker) = unsafe { tracker_mut(table) }?;
        tracker.shrink((start as usize, end as usize)).map_err(Failure::Tracker)
    })
}

/// `MemoryTracker::alloc_range(start..end)` (RODATA), or with `read_write` non-zero `alloc_range_mut` (DATA). Errors:
/// `PVP_ERR_TRACKER` (OutOfRange, Overlaps, Full, FailedToMap, in that order); `PVP_PANIC` (the arena's);
/// `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a tracker handle, root dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_alloc_range(
    table: *mut PvpTable,
    start: u64,
    end: u64,
    read_write: u32,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let (root, tracker) = unsafe { tracker_mut(table) }?;
        let range = (start as usize, end as usize);
        let allocated = if read_write != 0 { tracker.alloc_range_mut(root, range) } else { tracker.alloc_range(root, range) };
        allocated.map(|_| ()).map_err(Failure::Tracker)
    })
}

/// `MemoryTracker::alloc(base, size)` (RODATA), or with `read_write` non-zero `alloc_mut`: `base..base + size`, the sum
/// wrapping. Errors: as `pvp040_tracker_alloc_range`, and `PVP_INVALID_ARGUMENT` for a `size` of 0, which
/// `NonZeroUsize` cannot hold.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_alloc(
    table: *mut PvpTable,
    base: u64,
    size: u64,
    read_write: u32,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let Some(size) = NonZeroUsize::new(size as usize) else {
            return invalid("size must be non-zero (NonZeroUsize)");
        };
        let _entered = unsafe { enter(table) }?;
        let (root, tracker) = unsafe { tracker_mut(table) }?;
        let allocated = if read_write != 0 {
            tracker.alloc_mut(root, base as usize, size)
        } else {
            tracker.alloc(root, base as usize, size)
        };
        allocated.map(|_| ()).map_err(Failure::Tracker)
    })
}

/// libhyp's `mmio_guard_init` through the tracker's hypervisor: ENROLL, then INFO (the granule must be 4096).
/// Errors: `PVP_ERR_HYP`; `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a tracker handle, root dropped),
/// `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_mmio_guard_init(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let (_, tracker) = unsafe { tracker_mut(table) }?;
        tracker.kvm.mmio_guard_init().map_err(Failure::Hyp)
    })
}

/// libhyp's `mmio_guard_map(ipa)` (or with `unmap` non-zero `mmio_guard_unmap(ipa)`) through the tracker's
/// hypervisor: MAP or UNMAP of the 4 KiB page holding `ipa`, with the Android 13 rules of the handle. Errors:
/// `PVP_ERR_HYP`; `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a tracker handle, root dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_mmio_guard(
    table: *mut PvpTable,
    ipa: u64,
    unmap: u32,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let (_, tracker) = unsafe { tracker_mut(table) }?;
        let done = if unmap != 0 { tracker.kvm.mmio_guard_unmap(ipa) } else { tracker.kvm.mmio_guard_map(ipa) };
        done.map_err(Failure::Hyp)
    })
}

/// `MemoryTracker::init_dynamic_shared_pool()`. Errors: `PVP_ERR_TRACKER` (Hypervisor for MEMINFO,
/// SharedMemorySetFailure, SharedPoolSetFailure); `PVP_PANIC` (a granule that is not a power of two, an UNSHARE
/// refused while dropping the previous sharer); `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a tracker
/// handle, root dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_init_dynamic_shared_pool(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let (_, tracker) = unsafe { tracker_mut(table) }?;
        tracker.init_dynamic_shared_pool().map_err(Failure::Tracker)
    })
}

/// `MemoryTracker::init_static_shared_pool(start..end)`. Errors: `PVP_ERR_TRACKER` (the `alloc_mut` errors, then
/// SharedPoolSetFailure); `PVP_PANIC` (an empty range: the `NonZeroUsize` unwrap; the arena's);
/// `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a tracker handle, root dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_init_static_shared_pool(
    table: *mut PvpTable,
    start: u64,
    end: u64,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let (root, tracker) = unsafe { tracker_mut(table) }?;
        tracker.init_static_shared_pool(root, (start as usize, end as usize)).map_err(Failure::Tracker)
    })
}

/// `alloc_shared(Layout::from_size_align(size, align).unwrap())`: on success `PVP_OK` with the buffer's address in
/// `value0`. Errors: `PVP_PANIC` (pvmfw's: an invalid layout, size 0, no pool, nothing available, a refused
/// MEM_SHARE); `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a tracker handle, root dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_alloc_shared(
    table: *mut PvpTable,
    size: u64,
    align: u64,
    result: *mut PvpResult,
) -> i32 {
    let mut address = 0u64;
    let code = guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let (_, tracker) = unsafe { tracker_mut(table) }?;
        address = tracker.alloc_shared(size as usize, align as usize) as u64;
        Ok(())
    });
    if code == PVP_OK {
        // Checked non-NULL and aligned by `guarded`, which returned PVP_OK.
        unsafe { (*result).value0 = address };
    }
    code
}

/// `dealloc_shared(addr, layout)` with the layout `size`, `align`: back to the pool. Errors: `PVP_PANIC` (no pool);
/// `PVP_INVALID_ARGUMENT` (`addr` 0, which `NonNull` cannot hold; a `size` and `align` that are no `Layout`; NULL or
/// misaligned handle, not a tracker handle, root dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_dealloc_shared(
    table: *mut PvpTable,
    addr: u64,
    size: u64,
    align: u64,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        if addr == 0 {
            return invalid("addr must be non-zero (NonNull)");
        }
        let Ok(layout) = core::alloc::Layout::from_size_align(size as usize, align as usize) else {
            return invalid("size and align are not a Layout");
        };
        let _entered = unsafe { enter(table) }?;
        let (_, tracker) = unsafe { tracker_mut(table) }?;
        tracker.dealloc_shared(addr as usize, layout);
        Ok(())
    })
}

/// `unshare_all_memory()`: drops the sharer, which MEM_UNSHAREs everything it shared. Errors: `PVP_PANIC` (a refused
/// UNSHARE); `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a tracker handle, root dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_unshare_all_memory(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let (_, tracker) = unsafe { tracker_mut(table) }?;
        tracker.unshare_all_memory();
        Ok(())
    })
}

/// The `n`-th call (from 1, counting every call of that function over the handle's life) of `function_id` answers
/// `x0` and changes nothing; spent once that call is made (stays until then, or until cleared). Errors:
/// `PVP_INVALID_ARGUMENT` (`n` 0, NULL or misaligned handle, not a tracker handle, root dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_inject_nth(
    table: *mut PvpTable,
    function_id: u32,
    n: u64,
    x0: u64,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        if n == 0 {
            return invalid("n counts calls from 1");
        }
        let _entered = unsafe { enter(table) }?;
        unsafe { tracker_hyp(table) }?.borrow_mut().inject_nth(function_id, n as usize, x0);
        Ok(())
    })
}

/// Copies the handle's trace from entry `first` on, at most `cap` entries, oldest first, into `buf`; returns how many
/// there are in all (0 for a NULL, misaligned or busy handle). The trace holds every call of an updater
/// (`pvp040_table_modify_range`, `_builtin`: range, level, descriptor before and after, as their caller-buffer trace)
/// and of pvmfw's own callbacks inside a tracker call (`verify_lazy_mapped_block` in `handle_mmio_fault`,
/// `mmio_guard_unmap_page` in `mmio_unmap_all`), in the order made, over the handle's life; reading from `first`
/// keeps a caller that polls after every call linear, and no trace is ever cut short. It survives
/// `pvp040_table_drop_root`.
///
/// # Safety
/// `table` is NULL or a live handle; `buf` is NULL or valid for `cap` entries.
#[no_mangle]
pub unsafe extern "C" fn pvp040_table_trace(
    table: *const PvpTable,
    first: usize,
    buf: *mut PvpTraceEntry,
    cap: usize,
) -> usize {
    let Some(t) = (unsafe { handle(table) }) else {
        return 0;
    };
    let trace = t.trace.borrow();
    if first < trace.len() && !buf.is_null() && is_aligned_ptr(buf) {
        let n = (trace.len() - first).min(cap);
        // The caller provides `cap` entries at `buf`; first + n <= trace.len().
        unsafe { ptr::copy_nonoverlapping(trace.as_ptr().add(first), buf, n) };
    }
    trace.len()
}

/// Hypervisor call number `call` (0-based over the handle's life) answers `x0` and changes nothing. Call numbers
/// only grow, so the injection is spent once that call is made (it stays in effect until then, or until cleared).
/// Errors: `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a tracker handle, root dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_inject_at_call(
    table: *mut PvpTable,
    call: u64,
    x0: u64,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        unsafe { tracker_hyp(table) }?.borrow_mut().inject_at_call(call as usize, x0);
        Ok(())
    })
}

/// Every later call of `function_id` with x1 = `argument` answers `x0` and changes nothing (until cleared). Errors:
/// `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a tracker handle, root dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_inject_for(
    table: *mut PvpTable,
    function_id: u32,
    argument: u64,
    x0: u64,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        unsafe { tracker_hyp(table) }?.borrow_mut().inject_for(function_id, argument, x0);
        Ok(())
    })
}

/// Removes every injection. Errors: `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a tracker handle, root
/// dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_clear_injections(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        unsafe { tracker_hyp(table) }?.borrow_mut().clear_injections();
        Ok(())
    })
}

/// Copies the hypervisor calls from number `first` on, at most `cap` of them, oldest first, into `buf`; returns how
/// many calls were made in all (0 for a non-tracker, NULL, misaligned or busy handle). Reading from `first` keeps a
/// caller that polls after every step linear.
///
/// # Safety
/// `table` is NULL or a live handle; `buf` is NULL or valid for `cap` entries.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_hyp_log(
    table: *const PvpTable,
    first: usize,
    buf: *mut PvpHypCall,
    cap: usize,
) -> usize {
    let Some(hyp) = unsafe { handle(table) }.and_then(handle_hyp) else {
        return 0;
    };
    let hyp = hyp.borrow();
    let log = hyp.log();
    if first < log.len() && !buf.is_null() && is_aligned_ptr(buf) {
        let n = (log.len() - first).min(cap);
        // The caller provides `cap` entries at `buf`; first + n <= log.len().
        unsafe { ptr::copy_nonoverlapping(log.as_ptr().add(first), buf, n) };
    }
    log.len()
}

/// Copies at most `cap` currently guard-mapped IPAs, ascending, into `buf`; returns how many there are (0 for a
/// non-tracker, NULL, misaligned or busy handle).
///
/// # Safety
/// `table` is NULL or a live handle; `buf` is NULL or valid for `cap` entries.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_guard_mapped(table: *const PvpTable, buf: *mut u64, cap: usize) -> usize {
    let Some(hyp) = unsafe { handle(table) }.and_then(handle_hyp) else {
        return 0;
    };
    let hyp = hyp.borrow();
    let mut count = 0;
    for (i, ipa) in hyp.guard_mapped().enumerate() {
        if i < cap && !buf.is_null() && is_aligned_ptr(buf) {
            // In bounds: i < cap.
            unsafe { buf.add(i).write(*ipa) };
        }
        count += 1;
    }
    count
}

/// `handle_mmio_fault` for each of `n` addresses in order, in one call, stopping at the first failure (stored in
/// `first_error`; `PVP_OK` if none; the errors of `pvp040_tracker_handle_mmio_fault`, and `PVP_INVALID_ARGUMENT` for
/// NULL or misaligned `addrs`). Returns how many succeeded. For benchmarks (a fault storm).
///
/// # Safety
/// `table` is NULL or a live handle; `addrs` is NULL or valid for `n` reads; `first_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp040_tracker_fault_batch(
    table: *mut PvpTable,
    addrs: *const u64,
    n: usize,
    first_error: *mut PvpResult,
) -> usize {
    let mut done = 0usize;
    let code = guarded(first_error, || {
        if n > 0 && (addrs.is_null() || !is_aligned_ptr(addrs)) {
            return invalid("addrs is NULL or misaligned");
        }
        let _entered = unsafe { enter(table) }?;
        let (root, tracker) = unsafe { tracker_mut(table) }?;
        for i in 0..n {
            // In bounds: i < n.
            let addr = unsafe { addrs.add(i).read() };
            tracker.handle_mmio_fault(root, addr as usize).map_err(Failure::Tracker)?;
            done += 1;
        }
        Ok(())
    });
    if code == PVP_INVALID_ARGUMENT && first_error.is_null() {
        return 0;
    }
    done
}
