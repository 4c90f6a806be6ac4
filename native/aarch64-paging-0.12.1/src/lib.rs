//! The Rust oracle of pvmfw-paging's 0.12.1 profile: a C ABI (version 4) over aarch64-paging 0.12.1, linked with
//! bitflags 2.11.0 and thiserror 2.0.18.
//!
//! Every exported function is prefixed `pvp0121_`, so that the oracle libraries of several crate versions can be
//! loaded into one process side by side (their symbols must not collide); constants are `PVP_*` macros of this
//! crate's own header.
//!
//! A handle is a `Mapping` of one of the five translation regimes (`El1And0`, `El2And0`, `El2`, `El3`, `Stage2`) over
//! a caller-supplied arena (`docs/aarch64-paging-0.12.1.md`, "The arena convention", as Java's `TableArena`): slot
//! `i` is at `buffer + 4096·i` with PA `pa_base + 4096·i`; the lowest free slot is allocated first; a slot is zeroed
//! when allocated and when freed; every allocation and free is logged (`i`, or `!i` for a free), frees during
//! operations (`map_range` over a subtable, `compact_subtables`) included.
//!
//! For benchmarks, three whole-list entry points run a list of operations in one call, so that the FFM call per
//! operation does not count against the crate: `pvp0121_table_map_pages`, `pvp0121_table_fault_batch` and
//! `pvp0121_table_modify_flags_builtin` (their updaters are built in: no upcall, no trace).
//!
//! pvmfw's trackers on 0.12.1 (ABI 3, `tracker.rs`): each era's tracker (2023-05, 2023-11, 2024-05) as it would run
//! on this crate (`docs/pvmfw-2024-05.md`, "The port per cell"), our Rust transcription of pvmfw over the real crate
//! (`pvmfw.rs`, `vmbase.rs`, `era2023_11.rs`, `era2024_05.rs`, `eras.rs`: the 0.4.0 oracle's files, ported; `kvm.rs`
//! and `entry.rs`, which do not touch the crate, are both oracles' own, in `native/hyp/`),
//! behind the same handle: `pvp0121_tracker_new` makes pvmfw's page table (a `Mapping` of El1&0, ASID 1, root level 1,
//! lower range) and the era's tracker over a recording hypervisor; `pvp0121_table_*` work on it too.
//!
//! ABI rules (as the 0.4.0 oracle's):
//! - Every exported function runs inside `catch_unwind`; a panic never crosses the boundary. A panic becomes
//!   `PVP_PANIC` with the panic message and, for failures of the table memory or of a callback, a `PVP_KIND_*`.
//! - NULL, misaligned or out-of-range arguments give `PVP_INVALID_ARGUMENT`. Functions taking a `PvpResult *` do
//!   nothing at all when it is NULL.
//! - A handle is used by one thread at a time, and nothing else touches its arena while a call runs. A call made on
//!   a handle while another call on it is in progress (a callback calling back into this library with its own table)
//!   is refused: `PVP_BUSY`, or for functions without a result the value they give for a NULL handle.
//! - Callbacks decide, the crate applies: a `modify_range` updater fills in a `PvpAction` (none, `set(pa, flags)`,
//!   `modify_flags(set, clear)`) which the library performs through the crate's own `UpdatableDescriptor`, recording
//!   whether the crate refused it; the caller never writes the arena.

#![warn(unsafe_op_in_unsafe_fn)]

use core::cell::{Cell, RefCell};
use core::ffi::c_void;
use core::mem::{align_of, offset_of, size_of};
use core::ptr::{self, NonNull};
use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::Once;

use aarch64_paging::descriptor::{Descriptor, PagingAttributes, PhysicalAddress, UpdatableDescriptor, VirtualAddress};
use aarch64_paging::paging::{
    Constraints, El1And0, El2, El2And0, El3, MemoryRegion, PageTable, Stage2, Translation, TranslationRegime, VaRange,
};
use aarch64_paging::{MapError, Mapping};
use bitflags::Flags;

/// `[(name, value as i64), ...]` of the constants named.
macro_rules! constants {
    ($($name:ident),* $(,)?) => {
        &[$((stringify!($name), $name as i64)),*]
    };
}

mod era2023_11;
mod era2024_05;
#[path = "../../hyp/entry.rs"]
mod entry;
mod eras;
#[path = "../../hyp/kvm.rs"]
mod kvm;
mod pvmfw;
mod tracker;
mod vmbase;

pub use kvm::PvpHypCall;
pub use tracker::*;

/// pvmfw's page table on 0.12.1 over the arena (`IdMap::with_asid(1, 1, El1And0)`'s mapping).
pub(crate) type PvmfwMapping = Mapping<ArenaTranslation, El1And0>;

#[cfg(not(target_pointer_width = "64"))]
compile_error!("aarch64-paging needs a 64-bit host");

/// The ABI version (2: the whole-list entry points `pvp0121_table_map_pages`, `pvp0121_table_fault_batch` and
/// `pvp0121_table_modify_flags_builtin` were added; 3: pvmfw's trackers, `pvp0121_tracker_*`, the constants
/// `PVP_ERR_TRACKER`, `PVP_ERR_HYP`, `PVP_TRACKER_ERR_*`, `PVP_ERA_*`, `PVP_PAGE_TABLE_MAP_*` and the `PvpHypCall`
/// layout; nothing of ABI 2 changed).
pub const PVP_ABI_VERSION: u32 = 4;

/// Success.
pub const PVP_OK: i32 = 0;
/// `MapError::AddressRange(va)`: `value0` = va.
pub const PVP_ERR_ADDRESS_RANGE: i32 = 1;
/// `MapError::InvalidVirtualAddress(va)`: `value0` = va.
pub const PVP_ERR_INVALID_VIRTUAL_ADDRESS: i32 = 2;
/// `MapError::RegionBackwards(region)`: `value0`/`value1` = start/end.
pub const PVP_ERR_REGION_BACKWARDS: i32 = 3;
/// `MapError::PteUpdateFault(bits)`: `value0` = the descriptor's bits.
pub const PVP_ERR_PTE_UPDATE_FAULT: i32 = 4;
/// `MapError::InvalidFlags(flags)`: `value0` = the flags' bits.
pub const PVP_ERR_INVALID_FLAGS: i32 = 5;
/// `MapError::BreakBeforeMakeViolation(region)`: `value0`/`value1` = start/end.
pub const PVP_ERR_BREAK_BEFORE_MAKE_VIOLATION: i32 = 6;
/// A panic, caught at the boundary; `kind` says whose.
pub const PVP_PANIC: i32 = 10;
/// A NULL, misaligned or out-of-range argument; nothing was done.
pub const PVP_INVALID_ARGUMENT: i32 = -1;
/// The handle is in use by a call in progress; nothing was done.
pub const PVP_BUSY: i32 = -2;

/// `VaRange::Lower` (TTBR0), the only range of the regimes without one.
pub const PVP_VA_RANGE_LOWER: u32 = 0;
/// `VaRange::Upper` (TTBR1), for `El1And0` and `El2And0` only.
pub const PVP_VA_RANGE_UPPER: u32 = 1;

/// `paging::El1And0` (`El1Attributes`, ASID, VA range).
pub const PVP_REGIME_EL1_AND_0: u32 = 0;
/// `paging::El2And0` (`El1Attributes`, ASID, VA range).
pub const PVP_REGIME_EL2_AND_0: u32 = 1;
/// `paging::El2` (`El23Attributes`).
pub const PVP_REGIME_EL2: u32 = 2;
/// `paging::El3` (`El23Attributes`).
pub const PVP_REGIME_EL3: u32 = 3;
/// `paging::Stage2` (`Stage2Attributes`).
pub const PVP_REGIME_STAGE2: u32 = 4;

/// A panic of the crate itself (`Invalid root table level 4.`, `Underflow in active count.`, `Dropping active page
/// table mapping!`, `assertion failed: self.active()`).
pub const PVP_KIND_NONE: i32 = 0;
/// The arena has no free slot.
pub const PVP_KIND_EXHAUSTED: i32 = 1;
/// A PA that is no allocated slot of the arena.
pub const PVP_KIND_BAD_ADDRESS: i32 = 2;
/// A free of memory that is no allocated slot.
pub const PVP_KIND_BAD_FREE: i32 = 3;
/// A callback asked to abort (`PVP_UPDATER_ABORT`), returned an unknown value or an unknown action.
pub const PVP_KIND_CALLBACK: i32 = 10;

/// Leave the descriptor as it is.
pub const PVP_ACTION_NONE: u32 = 0;
/// `UpdatableDescriptor::set(PhysicalAddress(arg0), A::from_bits_retain(arg1))`.
pub const PVP_ACTION_SET: u32 = 1;
/// `UpdatableDescriptor::modify_flags(A::from_bits_retain(arg0), A::from_bits_retain(arg1))`.
pub const PVP_ACTION_MODIFY_FLAGS: u32 = 2;

/// The action was `PVP_ACTION_NONE`.
pub const PVP_APPLIED_NONE: u32 = 0;
/// The crate performed the action (`Ok(())`).
pub const PVP_APPLIED_OK: u32 = 1;
/// The crate refused the action (`Err(())`).
pub const PVP_APPLIED_REFUSED: u32 = 2;

/// The callback returns `Ok(())`.
pub const PVP_UPDATER_OK: i32 = 0;
/// The callback returns `Err(())`.
pub const PVP_UPDATER_ERR: i32 = 1;
/// The callback panics (`PVP_PANIC`, `PVP_KIND_CALLBACK`): the crate unwinds where it is.
pub const PVP_UPDATER_ABORT: i32 = 2;

/// `pvp0121_layout` keys: sizes and field offsets of the ABI's structs.
pub const PVP_LAYOUT_RESULT_SIZE: u32 = 1;
pub const PVP_LAYOUT_RESULT_CODE: u32 = 2;
pub const PVP_LAYOUT_RESULT_KIND: u32 = 3;
pub const PVP_LAYOUT_RESULT_VALUE0: u32 = 4;
pub const PVP_LAYOUT_RESULT_VALUE1: u32 = 5;
pub const PVP_LAYOUT_RESULT_MESSAGE_LEN: u32 = 6;
pub const PVP_LAYOUT_RESULT_MESSAGE: u32 = 7;
pub const PVP_LAYOUT_RESULT_DEBUG_LEN: u32 = 8;
pub const PVP_LAYOUT_RESULT_DEBUG: u32 = 9;
pub const PVP_LAYOUT_TRACE_SIZE: u32 = 10;
pub const PVP_LAYOUT_TRACE_START: u32 = 11;
pub const PVP_LAYOUT_TRACE_END: u32 = 12;
pub const PVP_LAYOUT_TRACE_LEVEL: u32 = 13;
pub const PVP_LAYOUT_TRACE_APPLIED: u32 = 14;
pub const PVP_LAYOUT_TRACE_BEFORE: u32 = 15;
pub const PVP_LAYOUT_TRACE_AFTER: u32 = 16;
pub const PVP_LAYOUT_TRACE_RESULT: u32 = 17;
pub const PVP_LAYOUT_TRACE_UPDATED: u32 = 18;
pub const PVP_LAYOUT_ACTION_SIZE: u32 = 19;
pub const PVP_LAYOUT_ACTION_KIND: u32 = 20;
pub const PVP_LAYOUT_ACTION_ARG0: u32 = 21;
pub const PVP_LAYOUT_ACTION_ARG1: u32 = 22;
/// `pvp0121_layout` keys of `PvpHypCall` (ABI 3).
pub const PVP_LAYOUT_HYP_CALL_SIZE: u32 = 23;
pub const PVP_LAYOUT_HYP_CALL_FUNCTION_ID: u32 = 24;
pub const PVP_LAYOUT_HYP_CALL_ARGUMENT: u32 = 25;
pub const PVP_LAYOUT_HYP_CALL_X0: u32 = 26;

const PAGE: usize = 4096;
const PA_LIMIT: usize = 1 << 48;
const MESSAGE_CAPACITY: usize = 512;
/// The versions cargo resolved for this build, read from `Cargo.lock` by `build.rs` (which fails the build unless they
/// are exactly the pinned ones).
const VERSIONS: &str = concat!(
    "aarch64-paging ",
    env!("PVP_RESOLVED_AARCH64_PAGING"),
    " + bitflags ",
    env!("PVP_RESOLVED_BITFLAGS"),
    " + thiserror ",
    env!("PVP_RESOLVED_THISERROR")
);

/// The outcome of a call.
#[repr(C)]
pub struct PvpResult {
    /// `PVP_OK`, a `PVP_ERR_*` code, `PVP_PANIC`, `PVP_INVALID_ARGUMENT` or `PVP_BUSY`.
    pub code: i32,
    /// For `PVP_PANIC`: a `PVP_KIND_*` value; otherwise 0.
    pub kind: i32,
    /// The error's payload (see the `PVP_ERR_*` codes); `pvp0121_table_activate`: the previous TTBR value.
    pub value0: u64,
    pub value1: u64,
    /// Bytes of `message` in use, excluding the terminating NUL (at most 511).
    pub message_len: u32,
    /// UTF-8, NUL-terminated: the MapError Display text, the panic message, or what argument was invalid.
    pub message: [u8; 512],
    /// Bytes of `debug` in use, excluding the terminating NUL (at most 511).
    pub debug_len: u32,
    /// UTF-8, NUL-terminated: the MapError's Debug text; empty otherwise.
    pub debug: [u8; 512],
}

/// One callback invocation of `pvp0121_table_modify_range` or `pvp0121_table_walk_range`, in call order (on an
/// active mapping the break-before-make dry run's calls come first, then the real pass's).
#[repr(C)]
pub struct PvpTraceEntry {
    /// The range the crate passed (modify: the leaf's whole range; walk and the dry run: clipped to the request).
    pub start: u64,
    pub end: u64,
    pub level: u32,
    /// `PVP_APPLIED_*`: what became of the updater's action (walk: `PVP_APPLIED_NONE`).
    pub applied: u32,
    /// The descriptor's bits before the callback and after the action.
    pub before: u64,
    pub after: u64,
    /// The callback's return value (`PVP_UPDATER_*`).
    pub result: i32,
    /// `UpdatableDescriptor::updated()` after the action (walk: 0).
    pub updated: u32,
}

/// What a `modify_range` updater decided for one descriptor; the library performs it through the crate.
#[repr(C)]
pub struct PvpAction {
    /// `PVP_ACTION_NONE`, `PVP_ACTION_SET` or `PVP_ACTION_MODIFY_FLAGS`.
    pub kind: u32,
    pub _pad: u32,
    /// `PVP_ACTION_SET`: the PA; `PVP_ACTION_MODIFY_FLAGS`: the bits to set.
    pub arg0: u64,
    /// `PVP_ACTION_SET`: the flags; `PVP_ACTION_MODIFY_FLAGS`: the bits to clear.
    pub arg1: u64,
}

/// A caller-supplied `modify_range` updater: the range the crate passed, the descriptor's bits and level, and an
/// action to fill in (zeroed: `PVP_ACTION_NONE`). Returns `PVP_UPDATER_OK`, `PVP_UPDATER_ERR` or
/// `PVP_UPDATER_ABORT`. It must not unwind or throw. A call it makes on the table being modified gets `PVP_BUSY`.
pub type PvpUpdater = Option<
    unsafe extern "C" fn(ctx: *mut c_void, start: u64, end: u64, bits: u64, level: u32, action: *mut PvpAction) -> i32,
>;

/// A caller-supplied `walk_range` visitor: the clipped range, the descriptor's bits and level. Returns
/// `PVP_UPDATER_OK`, `PVP_UPDATER_ERR` or `PVP_UPDATER_ABORT`; NULL is a visitor that always returns OK.
pub type PvpVisitor = Option<unsafe extern "C" fn(ctx: *mut c_void, start: u64, end: u64, bits: u64, level: u32) -> i32>;

/// A `Mapping` of any of the five regimes.
enum AnyMapping {
    El1And0(Mapping<ArenaTranslation, El1And0>),
    El2And0(Mapping<ArenaTranslation, El2And0>),
    El2(Mapping<ArenaTranslation, El2>),
    El3(Mapping<ArenaTranslation, El3>),
    Stage2(Mapping<ArenaTranslation, Stage2>),
}

/// Runs `$body` with `$m` bound to the mapping, whatever its regime.
macro_rules! dispatch {
    ($mapping:expr, $m:ident => $body:expr) => {
        match $mapping {
            AnyMapping::El1And0($m) => $body,
            AnyMapping::El2And0($m) => $body,
            AnyMapping::El2($m) => $body,
            AnyMapping::El3($m) => $body,
            AnyMapping::Stage2($m) => $body,
        }
    };
}

/// An opaque handle: a `Mapping` of aarch64-paging 0.12.1 over an arena.
pub struct PvpTable {
    mapping: Option<AnyMapping>,
    /// pvmfw's tracker of the handle (`pvp0121_tracker_new`; ABI 3), whose page table is `mapping` (El1&0).
    tracker: Option<Box<tracker::TrackerState>>,
    arena: Rc<ArenaState>,
    /// A call on this handle is in progress (`enter`): another one, made from a callback, would alias its `&mut`.
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

/// Only for the `Debug` bound `Mapping`'s derive puts on its translation; the crate's `Debug` of a `RootTable` does not
/// print the translation.
impl core::fmt::Debug for ArenaTranslation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "ArenaTranslation {{ slots: {}, pa_base: {:#x} }}", self.0.slots, self.0.pa_base)
    }
}

impl<A: PagingAttributes> Translation<A> for ArenaTranslation {
    fn allocate_table(&mut self) -> (NonNull<PageTable<A>>, PhysicalAddress) {
        let arena = &*self.0;
        let Some(slot) = arena.used.iter().position(|used| !used.get()) else {
            table_panic(PVP_KIND_EXHAUSTED, format!("arena exhausted: all {} slots in use", arena.slots));
        };
        arena.used[slot].set(true);
        arena.zero(slot);
        arena.log.borrow_mut().push(slot as i32);
        let table = NonNull::new(arena.slot_ptr(slot).cast::<PageTable<A>>()).expect("arena slot pointer is null");
        (table, PhysicalAddress(arena.pa_base + slot * PAGE))
    }

    unsafe fn deallocate_table(&mut self, page_table: NonNull<PageTable<A>>) {
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

    fn physical_to_virtual(&self, pa: PhysicalAddress) -> NonNull<PageTable<A>> {
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
        NonNull::new(arena.slot_ptr(slot).cast::<PageTable<A>>()).expect("arena slot pointer is null")
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

/// Panics after recording the kind of the failure.
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
    /// A tracker's or the hypervisor's error (ABI 3): `PVP_ERR_TRACKER` or `PVP_ERR_HYP`, the `kind` (the
    /// `PVP_TRACKER_ERR_*` variant), the payload, the Display and Debug texts.
    Reported { code: i32, kind: i32, value0: u64, value1: u64, message: String, debug: String },
    Invalid(String),
    /// The handle is busy (`enter`).
    Busy,
}

impl From<MapError> for Failure {
    fn from(error: MapError) -> Self {
        Failure::Map(error)
    }
}

fn invalid<T>(message: &str) -> Result<T, Failure> {
    Err(Failure::Invalid(message.to_owned()))
}

/// A descriptor's bits (`Descriptor::bits` is crate-private in 0.12): its output address and its flags, which
/// `flags()` keeps verbatim (`from_bits_retain`), together are every bit.
fn descriptor_bits<A: PagingAttributes>(descriptor: &Descriptor<A>) -> u64 {
    (descriptor.output_address().0 | descriptor.flags().bits()) as u64
}

fn map_error_values(error: &MapError) -> (i32, u64, u64) {
    match error {
        MapError::AddressRange(va) => (PVP_ERR_ADDRESS_RANGE, va.0 as u64, 0),
        MapError::InvalidVirtualAddress(va) => (PVP_ERR_INVALID_VIRTUAL_ADDRESS, va.0 as u64, 0),
        MapError::RegionBackwards(region) => {
            (PVP_ERR_REGION_BACKWARDS, region.start().0 as u64, region.end().0 as u64)
        }
        MapError::PteUpdateFault(bits) => (PVP_ERR_PTE_UPDATE_FAULT, *bits as u64, 0),
        MapError::InvalidFlags(bits) => (PVP_ERR_INVALID_FLAGS, *bits as u64, 0),
        MapError::BreakBeforeMakeViolation(region) => {
            (PVP_ERR_BREAK_BEFORE_MAKE_VIOLATION, region.start().0 as u64, region.end().0 as u64)
        }
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

/// Runs `body`, stores its outcome in `*result` and returns the code. `Ok(v)` is `PVP_OK` with `value0` = v. A NULL
/// or misaligned `result` gives `PVP_INVALID_ARGUMENT` without running `body`.
fn guarded(result: *mut PvpResult, body: impl FnOnce() -> Result<u64, Failure>) -> i32 {
    if result.is_null() || !is_aligned_ptr(result) {
        return PVP_INVALID_ARGUMENT;
    }
    let (code, kind, value0, value1, message, debug) = match catch(body) {
        Ok(Ok(value)) => (PVP_OK, PVP_KIND_NONE, value, 0, String::new(), String::new()),
        Ok(Err(Failure::Map(error))) => {
            let (code, value0, value1) = map_error_values(&error);
            (code, PVP_KIND_NONE, value0, value1, error.to_string(), format!("{error:?}"))
        }
        Ok(Err(Failure::Reported { code, kind, value0, value1, message, debug })) => {
            (code, kind, value0, value1, message, debug)
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
    "the table is in use by a call in progress (a callback called back into the library with its own table)";

/// The busy flag of a non-NULL, aligned handle, reached without a reference to the whole handle.
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
        // The handle outlives the call (only pvp0121_table_free frees it, and it does not enter).
        unsafe { busy_flag(self.0) }.set(false);
    }
}

/// Checks a handle argument and marks the handle busy for the rest of the call.
///
/// # Safety
/// `table` is NULL or a live handle.
unsafe fn enter(table: *mut PvpTable) -> Result<Entered, Failure> {
    if table.is_null() || !is_aligned_ptr(table) {
        return invalid("table is NULL or misaligned");
    }
    let busy = unsafe { busy_flag(table) };
    if busy.get() {
        return Err(Failure::Busy);
    }
    busy.set(true);
    Ok(Entered(table))
}

/// The live mapping of a handle the caller has entered.
///
/// # Safety
/// `table` is a live handle, entered (`enter`) for as long as the reference is used.
unsafe fn mapping_mut<'a>(table: *mut PvpTable) -> Result<&'a mut AnyMapping, Failure> {
    match unsafe { &mut *ptr::addr_of_mut!((*table).mapping) }.as_mut() {
        Some(mapping) => Ok(mapping),
        None => invalid("the mapping has already been dropped (pvp0121_table_drop)"),
    }
}

/// A handle for reading, or None for a NULL, misaligned or busy one.
///
/// # Safety
/// `table` is NULL or a live handle.
unsafe fn handle<'a>(table: *const PvpTable) -> Option<&'a PvpTable> {
    if table.is_null() || !is_aligned_ptr(table) || unsafe { busy_flag(table) }.get() {
        None
    } else {
        Some(unsafe { &*table })
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Identity and layout
// ---------------------------------------------------------------------------------------------------------------

/// The ABI version, `PVP_ABI_VERSION`.
#[no_mangle]
pub extern "C" fn pvp0121_abi_version() -> u32 {
    PVP_ABI_VERSION
}

/// Writes the crate versions this library was built with, as cargo resolved them:
/// `aarch64-paging 0.12.1 + bitflags 2.11.0 + thiserror 2.0.18`, no NUL, into `buf`, at most `cap` bytes; returns its
/// full length.
///
/// # Safety
/// `buf` is NULL or valid for `cap` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_versions(buf: *mut u8, cap: usize) -> usize {
    copy_out(VERSIONS.as_bytes(), buf, cap)
}

const CONSTANTS: &[(&str, i64)] = constants![
    PVP_ABI_VERSION,
    PVP_OK,
    PVP_ERR_ADDRESS_RANGE,
    PVP_ERR_INVALID_VIRTUAL_ADDRESS,
    PVP_ERR_REGION_BACKWARDS,
    PVP_ERR_PTE_UPDATE_FAULT,
    PVP_ERR_INVALID_FLAGS,
    PVP_ERR_BREAK_BEFORE_MAKE_VIOLATION,
    PVP_PANIC,
    PVP_INVALID_ARGUMENT,
    PVP_BUSY,
    PVP_VA_RANGE_LOWER,
    PVP_VA_RANGE_UPPER,
    PVP_REGIME_EL1_AND_0,
    PVP_REGIME_EL2_AND_0,
    PVP_REGIME_EL2,
    PVP_REGIME_EL3,
    PVP_REGIME_STAGE2,
    PVP_KIND_NONE,
    PVP_KIND_EXHAUSTED,
    PVP_KIND_BAD_ADDRESS,
    PVP_KIND_BAD_FREE,
    PVP_KIND_CALLBACK,
    PVP_ACTION_NONE,
    PVP_ACTION_SET,
    PVP_ACTION_MODIFY_FLAGS,
    PVP_APPLIED_NONE,
    PVP_APPLIED_OK,
    PVP_APPLIED_REFUSED,
    PVP_UPDATER_OK,
    PVP_UPDATER_ERR,
    PVP_UPDATER_ABORT,
    PVP_ERR_TRACKER,
    PVP_ERR_HYP,
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
    PVP_ERA_2023_05,
    PVP_ERA_2023_11,
    PVP_ERA_2024_05,
    PVP_PAGE_TABLE_MAP_CODE,
    PVP_PAGE_TABLE_MAP_DATA,
    PVP_PAGE_TABLE_MAP_RODATA,
    PVP_PAGE_TABLE_MAP_DEVICE,
];

/// Writes every `PVP_*` constant as `NAME=VALUE` lines (decimal, no NUL) into `buf`, at most `cap` bytes; returns the
/// full length. The layout keys are not listed (`pvp0121_layout` answers them).
///
/// # Safety
/// `buf` is NULL or valid for `cap` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_constants(buf: *mut u8, cap: usize) -> usize {
    let text: String = CONSTANTS.iter().map(|(name, value)| format!("{name}={value}\n")).collect();
    copy_out(text.as_bytes(), buf, cap)
}

/// The size or field offset a `PVP_LAYOUT_*` key names; `u64::MAX` for an unknown key.
#[no_mangle]
pub extern "C" fn pvp0121_layout(what: u32) -> u64 {
    (match what {
        PVP_LAYOUT_RESULT_SIZE => size_of::<PvpResult>(),
        PVP_LAYOUT_RESULT_CODE => offset_of!(PvpResult, code),
        PVP_LAYOUT_RESULT_KIND => offset_of!(PvpResult, kind),
        PVP_LAYOUT_RESULT_VALUE0 => offset_of!(PvpResult, value0),
        PVP_LAYOUT_RESULT_VALUE1 => offset_of!(PvpResult, value1),
        PVP_LAYOUT_RESULT_MESSAGE_LEN => offset_of!(PvpResult, message_len),
        PVP_LAYOUT_RESULT_MESSAGE => offset_of!(PvpResult, message),
        PVP_LAYOUT_RESULT_DEBUG_LEN => offset_of!(PvpResult, debug_len),
        PVP_LAYOUT_RESULT_DEBUG => offset_of!(PvpResult, debug),
        PVP_LAYOUT_TRACE_SIZE => size_of::<PvpTraceEntry>(),
        PVP_LAYOUT_TRACE_START => offset_of!(PvpTraceEntry, start),
        PVP_LAYOUT_TRACE_END => offset_of!(PvpTraceEntry, end),
        PVP_LAYOUT_TRACE_LEVEL => offset_of!(PvpTraceEntry, level),
        PVP_LAYOUT_TRACE_APPLIED => offset_of!(PvpTraceEntry, applied),
        PVP_LAYOUT_TRACE_BEFORE => offset_of!(PvpTraceEntry, before),
        PVP_LAYOUT_TRACE_AFTER => offset_of!(PvpTraceEntry, after),
        PVP_LAYOUT_TRACE_RESULT => offset_of!(PvpTraceEntry, result),
        PVP_LAYOUT_TRACE_UPDATED => offset_of!(PvpTraceEntry, updated),
        PVP_LAYOUT_ACTION_SIZE => size_of::<PvpAction>(),
        PVP_LAYOUT_ACTION_KIND => offset_of!(PvpAction, kind),
        PVP_LAYOUT_ACTION_ARG0 => offset_of!(PvpAction, arg0),
        PVP_LAYOUT_ACTION_ARG1 => offset_of!(PvpAction, arg1),
        PVP_LAYOUT_HYP_CALL_SIZE => size_of::<PvpHypCall>(),
        PVP_LAYOUT_HYP_CALL_FUNCTION_ID => offset_of!(PvpHypCall, function_id),
        PVP_LAYOUT_HYP_CALL_ARGUMENT => offset_of!(PvpHypCall, argument),
        PVP_LAYOUT_HYP_CALL_X0 => offset_of!(PvpHypCall, x0),
        _ => return u64::MAX,
    }) as u64
}

/// Stores in `*result` the code, payload and the crate's Display and Debug texts of the `MapError` with this code and
/// payload (`PVP_ERR_*`, `value0`, `value1` as a call would report them), and returns the code; an unknown code gives
/// `PVP_INVALID_ARGUMENT`.
///
/// # Safety
/// `result` is NULL or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_map_error(code: i32, value0: u64, value1: u64, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let region = || MemoryRegion::new(value0 as usize, value1 as usize);
        Err(Failure::Map(match code {
            PVP_ERR_ADDRESS_RANGE => MapError::AddressRange(VirtualAddress(value0 as usize)),
            PVP_ERR_INVALID_VIRTUAL_ADDRESS => MapError::InvalidVirtualAddress(VirtualAddress(value0 as usize)),
            PVP_ERR_REGION_BACKWARDS => MapError::RegionBackwards(region()),
            PVP_ERR_PTE_UPDATE_FAULT => MapError::PteUpdateFault(value0 as usize),
            PVP_ERR_INVALID_FLAGS => MapError::InvalidFlags(value0 as usize),
            PVP_ERR_BREAK_BEFORE_MAKE_VIOLATION => MapError::BreakBeforeMakeViolation(region()),
            _ => return invalid("not a PVP_ERR_* code"),
        }))
    })
}

// ---------------------------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------------------------

/// A new `Mapping` of `regime` (`PVP_REGIME_*`) with its root at level `root_level` over the arena `buffer`
/// (`slots` × 4096 bytes, 4096-aligned, zeroed here; slot i has PA `pa_base + 4096·i`, and the arena ends at or below
/// 2^48). `El1And0` and `El2And0`: `Mapping::with_asid_and_va_range(translation, asid, root_level, regime,
/// va_range)`; the others: `Mapping::new(translation, root_level, regime)`, with `va_range` lower and `asid` 0. The
/// root is the first allocation. Returns NULL unless `result` is `PVP_OK`: a root level above 3 panics in the crate
/// (`Invalid root table level 4.`), before allocating.
///
/// # Safety
/// `buffer` is valid for `slots · 4096` bytes of reads and writes until the handle is freed, and nothing else
/// accesses it meanwhile; `result` is NULL or valid for writes.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn pvp0121_table_new(
    buffer: *mut u8,
    slots: usize,
    pa_base: u64,
    regime: u32,
    root_level: u32,
    va_range: u32,
    asid: u64,
    result: *mut PvpResult,
) -> *mut PvpTable {
    let mut out: *mut PvpTable = ptr::null_mut();
    guarded(result, || {
        let Some(buffer) = NonNull::new(buffer) else {
            return invalid("buffer is NULL");
        };
        if !is_aligned(buffer.as_ptr() as usize, PAGE) {
            return invalid("buffer is not 4096-aligned");
        }
        let pa_base = pa_base as usize;
        if slots == 0 || slots > (1 << 20) {
            return invalid("slots must be 1..=2^20");
        }
        if !is_aligned(pa_base, PAGE) || pa_base >= PA_LIMIT || slots > (PA_LIMIT - pa_base) / PAGE {
            return invalid("pa_base must be 4096-aligned, and the arena must end at or below 2^48");
        }
        let range = match va_range {
            PVP_VA_RANGE_LOWER => VaRange::Lower,
            PVP_VA_RANGE_UPPER => VaRange::Upper,
            _ => return invalid("va_range must be PVP_VA_RANGE_LOWER or PVP_VA_RANGE_UPPER"),
        };
        let unit_regime = !matches!(regime, PVP_REGIME_EL1_AND_0 | PVP_REGIME_EL2_AND_0);
        if unit_regime && (va_range != PVP_VA_RANGE_LOWER || asid != 0) {
            return invalid("El2, El3 and Stage2 have no ASID (0) and only the lower range");
        }
        let arena = Rc::new(ArenaState {
            buffer,
            slots,
            pa_base,
            used: (0..slots).map(|_| Cell::new(false)).collect(),
            log: RefCell::new(Vec::new()),
        });
        // The caller provides slots · 4096 writable bytes.
        unsafe { ptr::write_bytes(buffer.as_ptr(), 0, slots * PAGE) };
        let translation = ArenaTranslation(Rc::clone(&arena));
        let level = root_level as usize;
        let asid = asid as usize;
        let mapping = match regime {
            PVP_REGIME_EL1_AND_0 => {
                AnyMapping::El1And0(Mapping::with_asid_and_va_range(translation, asid, level, El1And0, range))
            }
            PVP_REGIME_EL2_AND_0 => {
                AnyMapping::El2And0(Mapping::with_asid_and_va_range(translation, asid, level, El2And0, range))
            }
            PVP_REGIME_EL2 => AnyMapping::El2(Mapping::new(translation, level, El2)),
            PVP_REGIME_EL3 => AnyMapping::El3(Mapping::new(translation, level, El3)),
            PVP_REGIME_STAGE2 => AnyMapping::Stage2(Mapping::new(translation, level, Stage2)),
            _ => return invalid("regime must be a PVP_REGIME_* value"),
        };
        out = Box::into_raw(Box::new(PvpTable { mapping: Some(mapping), tracker: None, arena, busy: Cell::new(false) }));
        Ok(0)
    });
    out
}

/// Drops the mapping (the crate's `Drop` and drop glue), keeping the handle so that the frees can be read from the
/// event log. An active mapping panics `Dropping active page table mapping!` in `Mapping`'s `Drop`; the drop glue
/// frees the tables all the same while the panic unwinds, and the result is that `PVP_PANIC`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_table_drop(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        if unsafe { &*ptr::addr_of!((*table).tracker) }.is_some() {
            // A tracker handle: the tracker's own drop (`pvp0121_tracker_drop`).
            return unsafe { tracker::drop_tracker(table) }.map(|()| 0);
        }
        let mapping = unsafe { &mut *ptr::addr_of_mut!((*table).mapping) }.take();
        match mapping {
            Some(mapping) => {
                drop(mapping);
                Ok(0)
            }
            None => invalid("the mapping has already been dropped (pvp0121_table_drop)"),
        }
    })
}

/// Frees the handle, dropping the mapping first if `pvp0121_table_drop` has not (a panic of that drop is swallowed:
/// call `pvp0121_table_drop` to see it). A NULL or busy handle is left alone.
///
/// # Safety
/// `table` is NULL or a live handle, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_table_free(table: *mut PvpTable) {
    if table.is_null() || !is_aligned_ptr(table) || unsafe { busy_flag(table) }.get() {
        return;
    }
    // A live handle made by pvp0121_table_new, freed once.
    let boxed = unsafe { Box::from_raw(table) };
    let _ = catch(move || drop(boxed));
}

/// `map_range(&MemoryRegion::new(start, end), PhysicalAddress(pa), A::from_bits_retain(flags),
/// Constraints::from_bits_retain(constraints))`, with `A` the regime's attribute type.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_table_map_range(
    table: *mut PvpTable,
    start: u64,
    end: u64,
    pa: u64,
    flags: u64,
    constraints: u64,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let mapping = unsafe { mapping_mut(table) }?;
        let region = MemoryRegion::new(start as usize, end as usize);
        let constraints = Constraints::from_bits_retain(constraints as usize);
        dispatch!(mapping, m => map_range(m, &region, pa as usize, flags as usize, constraints))?;
        Ok(0)
    })
}

fn map_range<R: TranslationRegime>(
    m: &mut Mapping<ArenaTranslation, R>,
    region: &MemoryRegion,
    pa: usize,
    flags: usize,
    constraints: Constraints,
) -> Result<(), MapError> {
    m.map_range(region, PhysicalAddress(pa), R::Attributes::from_bits_retain(flags), constraints)
}

/// The trace a callback call adds to, and where it goes: `cap` entries at `buf`, the count in `*len` (which may
/// exceed `cap`: the entries beyond it are counted, not written).
struct TraceSink {
    buf: *mut PvpTraceEntry,
    cap: usize,
    len: usize,
}

impl TraceSink {
    fn push(&mut self, entry: PvpTraceEntry) {
        if !self.buf.is_null() && self.len < self.cap {
            // The caller provides `cap` writable entries at `buf`.
            unsafe { self.buf.add(self.len).write(entry) };
        }
        self.len += 1;
    }
}

/// Checks the trace arguments and zeroes `*trace_len`.
///
/// # Safety
/// `trace_len` is NULL or valid for writes.
unsafe fn trace_sink(trace: *mut PvpTraceEntry, cap: usize, trace_len: *mut usize) -> Result<RefCell<TraceSink>, Failure> {
    if trace_len.is_null() || !is_aligned_ptr(trace_len) {
        return invalid("trace_len is NULL or misaligned");
    }
    unsafe { trace_len.write(0) };
    if (trace.is_null() && cap != 0) || !is_aligned_ptr(trace) {
        return invalid("trace is NULL with a capacity, or misaligned");
    }
    Ok(RefCell::new(TraceSink { buf: trace, cap, len: 0 }))
}

/// Writes the trace count to `*trace_len` when dropped, so also when a callback's abort or a translation panic unwinds
/// through the call.
struct LenOnDrop<'a>(&'a RefCell<TraceSink>, *mut usize);

impl Drop for LenOnDrop<'_> {
    fn drop(&mut self) {
        if let Ok(sink) = self.0.try_borrow() {
            // Checked non-NULL and aligned by `trace_sink`; the caller provides a writable usize.
            unsafe { self.1.write(sink.len) };
        }
    }
}

fn callback_result(value: i32) -> Result<(), ()> {
    match value {
        PVP_UPDATER_OK => Ok(()),
        PVP_UPDATER_ERR => Err(()),
        PVP_UPDATER_ABORT => table_panic(PVP_KIND_CALLBACK, "the updater aborted".to_owned()),
        other => table_panic(PVP_KIND_CALLBACK, format!("the updater returned {other}, not a PVP_UPDATER_* value")),
    }
}

/// `Mapping::modify_range(&MemoryRegion::new(start, end), &f)`, where `f` calls `updater` and performs the action it
/// fills in through the crate's `UpdatableDescriptor` (`set`, `modify_flags`), then returns what `updater` returned.
/// On an active mapping the crate calls `f` first in its break-before-make dry run (on detached live copies), then in
/// the real pass. Each call is traced in order into `trace` (`trace_cap` entries); `*trace_len` is set to 0 first,
/// then to the number of calls, however the call ends (a panic included). `PVP_UPDATER_ABORT`, an unknown return value or action panic (`PVP_KIND_CALLBACK`)
/// where the crate is.
///
/// # Safety
/// `table` is NULL or a live handle; `updater` is a function safe to call with `ctx`; `trace` is NULL or valid for
/// `trace_cap` entries; `trace_len` and `result` are NULL or valid for writes.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn pvp0121_table_modify_range(
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
        let sink = unsafe { trace_sink(trace, trace_cap, trace_len) }?;
        let _entered = unsafe { enter(table) }?;
        let Some(updater) = updater else {
            return invalid("updater is NULL");
        };
        let mapping = unsafe { mapping_mut(table) }?;
        let region = MemoryRegion::new(start as usize, end as usize);
        let _len = LenOnDrop(&sink, trace_len);
        let outcome = dispatch!(mapping, m => modify_range(m, &region, updater, ctx, &sink));
        outcome?;
        Ok(0)
    })
}

type UpdaterFn =
    unsafe extern "C" fn(ctx: *mut c_void, start: u64, end: u64, bits: u64, level: u32, action: *mut PvpAction) -> i32;

fn modify_range<R: TranslationRegime>(
    m: &mut Mapping<ArenaTranslation, R>,
    region: &MemoryRegion,
    updater: UpdaterFn,
    ctx: *mut c_void,
    sink: &RefCell<TraceSink>,
) -> Result<(), MapError> {
    let f = |range: &MemoryRegion, d: &mut UpdatableDescriptor<R::Attributes>| -> Result<(), ()> {
        let before = d.bits() as u64;
        let mut action = PvpAction { kind: PVP_ACTION_NONE, _pad: 0, arg0: 0, arg1: 0 };
        let (start, end, level) = (range.start().0 as u64, range.end().0 as u64, d.level() as u32);
        // The caller promised `updater` is safe to call with `ctx`; `action` is a valid, writable PvpAction.
        let returned = unsafe { updater(ctx, start, end, before, level, &mut action) };
        let attributes = |bits: u64| R::Attributes::from_bits_retain(bits as usize);
        let performed = match action.kind {
            PVP_ACTION_NONE => None,
            PVP_ACTION_SET => Some(d.set(PhysicalAddress(action.arg0 as usize), attributes(action.arg1))),
            PVP_ACTION_MODIFY_FLAGS => Some(d.modify_flags(attributes(action.arg0), attributes(action.arg1))),
            other => table_panic(PVP_KIND_CALLBACK, format!("the updater asked for action {other}")),
        };
        let applied = match performed {
            None => PVP_APPLIED_NONE,
            Some(Ok(())) => PVP_APPLIED_OK,
            Some(Err(())) => PVP_APPLIED_REFUSED,
        };
        sink.borrow_mut().push(PvpTraceEntry {
            start,
            end,
            level,
            applied,
            before,
            after: d.bits() as u64,
            result: returned,
            updated: d.updated() as u32,
        });
        callback_result(returned)
    };
    m.modify_range(region, &f)
}

/// `Mapping::walk_range(&MemoryRegion::new(start, end), &mut f)`, where `f` calls `visitor` (NULL: always OK) and
/// returns what it returned; each call is traced as for `pvp0121_table_modify_range` (before = after = the bits).
///
/// # Safety
/// As `pvp0121_table_modify_range`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn pvp0121_table_walk_range(
    table: *mut PvpTable,
    start: u64,
    end: u64,
    visitor: PvpVisitor,
    ctx: *mut c_void,
    trace: *mut PvpTraceEntry,
    trace_cap: usize,
    trace_len: *mut usize,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let sink = unsafe { trace_sink(trace, trace_cap, trace_len) }?;
        let _entered = unsafe { enter(table) }?;
        let mapping = unsafe { mapping_mut(table) }?;
        let region = MemoryRegion::new(start as usize, end as usize);
        let _len = LenOnDrop(&sink, trace_len);
        let outcome = dispatch!(mapping, m => walk_range(m, &region, visitor, ctx, &sink));
        outcome?;
        Ok(0)
    })
}

fn walk_range<R: TranslationRegime>(
    m: &mut Mapping<ArenaTranslation, R>,
    region: &MemoryRegion,
    visitor: PvpVisitor,
    ctx: *mut c_void,
    sink: &RefCell<TraceSink>,
) -> Result<(), MapError> {
    let mut f = |range: &MemoryRegion, d: &Descriptor<R::Attributes>, level: usize| -> Result<(), ()> {
        let bits = descriptor_bits(d);
        let (start, end, level) = (range.start().0 as u64, range.end().0 as u64, level as u32);
        let returned = match visitor {
            // The caller promised `visitor` is safe to call with `ctx`.
            Some(visit) => unsafe { visit(ctx, start, end, bits, level) },
            None => PVP_UPDATER_OK,
        };
        sink.borrow_mut().push(PvpTraceEntry {
            start,
            end,
            level,
            applied: PVP_APPLIED_NONE,
            before: bits,
            after: bits,
            result: returned,
            updated: 0,
        });
        callback_result(returned)
    };
    m.walk_range(region, &mut f)
}

/// `compact_subtables()`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_table_compact_subtables(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let mapping = unsafe { mapping_mut(table) }?;
        dispatch!(mapping, m => m.compact_subtables());
        Ok(0)
    })
}

/// `activate()`: off aarch64 no register is written; the mapping counts as active. `value0` of the result is the
/// previous TTBR value the crate returns (`usize::MAX` on a host).
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_table_activate(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let mapping = unsafe { mapping_mut(table) }?;
        // On a host (not aarch64) activate writes no register: it only counts.
        let previous = dispatch!(mapping, m => unsafe { m.activate() });
        Ok(previous as u64)
    })
}

/// `deactivate(previous_ttbr)`: panics `assertion failed: self.active()` on an inactive mapping.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_table_deactivate(table: *mut PvpTable, previous_ttbr: u64, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let mapping = unsafe { mapping_mut(table) }?;
        // On a host deactivate writes no register: it asserts and counts.
        dispatch!(mapping, m => unsafe { m.deactivate(previous_ttbr as usize) });
        Ok(0)
    })
}

/// `mark_active()`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_table_mark_active(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let mapping = unsafe { mapping_mut(table) }?;
        dispatch!(mapping, m => m.mark_active());
        Ok(0)
    })
}

/// `mark_inactive()`: panics `Underflow in active count.` on a zero count (which has then wrapped).
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_table_mark_inactive(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let mapping = unsafe { mapping_mut(table) }?;
        dispatch!(mapping, m => m.mark_inactive());
        Ok(0)
    })
}

/// `active()`: 1 or 0; -1 for a NULL, misaligned or busy handle or a dropped mapping.
///
/// # Safety
/// `table` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_table_active(table: *const PvpTable) -> i32 {
    match unsafe { handle(table) }.and_then(|t| t.mapping.as_ref()) {
        Some(mapping) => dispatch!(mapping, m => m.active() as i32),
        None => -1,
    }
}

/// `root_address()`; `UINT64_MAX` for a NULL, misaligned or busy handle or a dropped mapping.
///
/// # Safety
/// `table` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_table_root_pa(table: *const PvpTable) -> u64 {
    match unsafe { handle(table) }.and_then(|t| t.mapping.as_ref()) {
        Some(mapping) => dispatch!(mapping, m => m.root_address().0 as u64),
        None => u64::MAX,
    }
}

/// `size()`: the bytes the root table maps; 0 for a NULL, misaligned or busy handle or a dropped mapping.
///
/// # Safety
/// `table` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_table_size(table: *const PvpTable) -> u64 {
    match unsafe { handle(table) }.and_then(|t| t.mapping.as_ref()) {
        Some(mapping) => dispatch!(mapping, m => m.size() as u64),
        None => 0,
    }
}

/// Copies the arena's event log (slot `i` allocated = `i`, freed = `!i`), at most `cap` entries, into `buf`; returns
/// the full count (0 for a NULL, misaligned or busy handle).
///
/// # Safety
/// `table` is NULL or a live handle; `buf` is NULL or valid for `cap` entries of writes.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_table_event_log(table: *const PvpTable, buf: *mut i32, cap: usize) -> usize {
    let Some(t) = (unsafe { handle(table) }) else {
        return 0;
    };
    let log = t.arena.log.borrow();
    if !buf.is_null() && is_aligned_ptr(buf) {
        // The caller provides `cap` writable entries at `buf`.
        unsafe { ptr::copy_nonoverlapping(log.as_ptr(), buf, log.len().min(cap)) };
    }
    log.len()
}

/// Writes the mapping's `Debug` text (`Mapping { root: RootTable { … }, asid: …, active_count: … }`), no NUL, into
/// `buf`, at most `cap` bytes; returns its full length (0 for a NULL, misaligned or busy handle, a dropped mapping, or
/// a panic while formatting).
///
/// # Safety
/// `table` is NULL or a live handle; `buf` is NULL or valid for `cap` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_table_debug(table: *const PvpTable, buf: *mut u8, cap: usize) -> usize {
    match unsafe { handle(table) }.and_then(|t| t.mapping.as_ref()) {
        Some(mapping) => text_out(|| dispatch!(mapping, m => format!("{m:?}")), buf, cap),
        None => 0,
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Whole lists, for benchmarks
// ---------------------------------------------------------------------------------------------------------------

/// `map_range(&MemoryRegion::new(start + 4096·i, start + 4096·(i + 1)), PhysicalAddress(pa + 4096·i), flags,
/// constraints)` for `i` in `0..pages`, in order, stopping at the first error or panic, which `*result` then holds
/// (`PVP_OK` and `value0` = `pages` if none). Returns the number of pages mapped (0 when `result` is NULL). Errors:
/// as `pvp0121_table_map_range`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn pvp0121_table_map_pages(
    table: *mut PvpTable,
    start: u64,
    pages: u64,
    pa: u64,
    flags: u64,
    constraints: u64,
    result: *mut PvpResult,
) -> u64 {
    let mut done = 0u64;
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let mapping = unsafe { mapping_mut(table) }?;
        let constraints = Constraints::from_bits_retain(constraints as usize);
        dispatch!(mapping, m => map_pages(m, start, pages, pa, flags, constraints, &mut done))?;
        Ok(done)
    });
    done
}

fn map_pages<R: TranslationRegime>(
    m: &mut Mapping<ArenaTranslation, R>,
    start: u64,
    pages: u64,
    pa: u64,
    flags: u64,
    constraints: Constraints,
    done: &mut u64,
) -> Result<(), MapError> {
    let flags = R::Attributes::from_bits_retain(flags as usize);
    for i in 0..pages {
        let va = start.wrapping_add(i << 12) as usize;
        let region = MemoryRegion::new(va, va.wrapping_add(PAGE));
        m.map_range(&region, PhysicalAddress(pa.wrapping_add(i << 12) as usize), flags, constraints)?;
        *done += 1;
    }
    Ok(())
}

/// The corrected lazy-MMIO fault flow on 0.12.1 (`../shared/reference/aarch64-paging-0.12.md`, R4 op 2) for each of
/// the `n` fault addresses in order: `modify_range(&MemoryRegion::new(a, a + 1), f)` where `f`, on a level-3
/// descriptor with SWFLAG_0 (bit 55) set and VALID clear, does `set(PhysicalAddress(range.start), flags)` (`flags`
/// is pvmfw's `DEVICE | TABLE_OR_PAGE`) and returns `Err(())` for anything else (so `PVP_ERR_PTE_UPDATE_FAULT`), or if
/// the crate refuses the `set`. Stops at the first error or panic, which `*result` then holds (`PVP_OK` and `value0` =
/// `n` if none). Returns the number of faults handled (0 when `result` is NULL). Errors: as
/// `pvp0121_table_modify_range`; `PVP_INVALID_ARGUMENT` for NULL or misaligned `faults` with `n` > 0.
///
/// # Safety
/// `table` is NULL or a live handle; `faults` is valid for `n` reads; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_table_fault_batch(
    table: *mut PvpTable,
    faults: *const u64,
    n: usize,
    flags: u64,
    result: *mut PvpResult,
) -> u64 {
    let mut done = 0u64;
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let mapping = unsafe { mapping_mut(table) }?;
        if n > 0 && (faults.is_null() || !is_aligned_ptr(faults)) {
            return invalid("faults is NULL or misaligned");
        }
        // The caller provides n readable addresses.
        let faults = if n == 0 { &[][..] } else { unsafe { core::slice::from_raw_parts(faults, n) } };
        dispatch!(mapping, m => fault_batch(m, faults, flags, &mut done))?;
        Ok(done)
    });
    done
}

const SWFLAG_0_BIT: usize = 1 << 55;

fn fault_batch<R: TranslationRegime>(
    m: &mut Mapping<ArenaTranslation, R>,
    faults: &[u64],
    flags: u64,
    done: &mut u64,
) -> Result<(), MapError> {
    let device = R::Attributes::from_bits_retain(flags as usize);
    let f = |range: &MemoryRegion, d: &mut UpdatableDescriptor<R::Attributes>| -> Result<(), ()> {
        let bits = d.flags().bits();
        if d.level() == 3 && bits & SWFLAG_0_BIT != 0 && bits & 1 == 0 {
            d.set(PhysicalAddress(range.start().0), device)
        } else {
            Err(())
        }
    };
    for &a in faults {
        let a = a as usize;
        m.modify_range(&MemoryRegion::new(a, a.wrapping_add(1)), &f)?;
        *done += 1;
    }
    Ok(())
}

/// `modify_range(&MemoryRegion::new(start, end), f)` where `f` does `modify_flags(set, clear)` on every leaf it is
/// called for (0.12 calls it on leaves only, splitting as needed) and returns `Err(())` if the crate refuses (so
/// `PVP_ERR_PTE_UPDATE_FAULT`). `*result`'s `value0` is the number of calls on success. Errors: as
/// `pvp0121_table_modify_range`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_table_modify_flags_builtin(
    table: *mut PvpTable,
    start: u64,
    end: u64,
    set: u64,
    clear: u64,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let mapping = unsafe { mapping_mut(table) }?;
        let region = MemoryRegion::new(start as usize, end as usize);
        let calls = dispatch!(mapping, m => modify_flags_on_leaves(m, &region, set, clear))?;
        Ok(calls)
    })
}

fn modify_flags_on_leaves<R: TranslationRegime>(
    m: &mut Mapping<ArenaTranslation, R>,
    region: &MemoryRegion,
    set: u64,
    clear: u64,
) -> Result<u64, MapError> {
    let set = R::Attributes::from_bits_retain(set as usize);
    let clear = R::Attributes::from_bits_retain(clear as usize);
    let calls = Cell::new(0u64);
    let f = |_: &MemoryRegion, d: &mut UpdatableDescriptor<R::Attributes>| -> Result<(), ()> {
        calls.set(calls.get() + 1);
        d.modify_flags(set, clear)
    };
    m.modify_range(region, &f)?;
    Ok(calls.get())
}
