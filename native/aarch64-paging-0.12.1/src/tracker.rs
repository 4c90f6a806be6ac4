//! pvmfw's trackers on 0.12.1 behind the C ABI (ABI 3): the 0.4.0 oracle's `pvp040_tracker_*` and
//! `pvp040_era_tracker_new`, on this crate. A tracker handle is a `PvpTable` whose mapping is pvmfw's page table (El1&0,
//! ASID 1, root level 1, lower range, identity), with the era's tracker and the recording hypervisor it runs on
//! (`TrackerState`); `pvp0121_table_map_range`, `pvp0121_table_modify_range`, the event log, the Debug dump and
//! `pvp0121_table_drop` (the tracker's drop) work on it too. Every closure pvmfw's code gives the crate is traced
//! into the handle's trace (`pvp0121_tracker_trace`).

use core::cell::RefCell;
use core::num::NonZeroUsize;
use core::ptr;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;

use crate::kvm::{self, HypError, PvpHypCall, RecordingHyp};
use crate::pvmfw::{self, MemoryTrackerError};
use crate::{
    busy_flag, enter, eras, guarded, invalid, is_aligned_ptr, AnyMapping, Failure, PvmfwMapping, PvpResult, PvpTable,
    PvpTraceEntry, PVP_OK, PVP_REGIME_EL1_AND_0, PVP_VA_RANGE_LOWER,
};

/// A tracker error (`PvpResult.kind` is then a `PVP_TRACKER_ERR_*`, the payload of `Hypervisor(KvmError)` the raw x0
/// and the function ID, of DuplicateMmioShare the base, of UnsupportedMmioGuardGranule the granule).
pub const PVP_ERR_TRACKER: i32 = 20;
/// A libhyp error of a `hyp-*` step (payload as for `Hypervisor`).
pub const PVP_ERR_HYP: i32 = 21;

/// `MemoryTrackerError`'s variants, in the later eras' declaration order (the seed has the first twelve).
pub const PVP_TRACKER_ERR_DIFFERENT_BASE_ADDRESS: i32 = 1;
pub const PVP_TRACKER_ERR_SIZE_TOO_LARGE: i32 = 2;
pub const PVP_TRACKER_ERR_SIZE_TOO_SMALL: i32 = 3;
pub const PVP_TRACKER_ERR_FULL: i32 = 4;
pub const PVP_TRACKER_ERR_OUT_OF_RANGE: i32 = 5;
pub const PVP_TRACKER_ERR_OVERLAPS: i32 = 6;
pub const PVP_TRACKER_ERR_FAILED_TO_MAP: i32 = 7;
pub const PVP_TRACKER_ERR_FAILED_TO_UNMAP: i32 = 8;
pub const PVP_TRACKER_ERR_HYPERVISOR: i32 = 9;
pub const PVP_TRACKER_ERR_SHARED_MEMORY_SET_FAILURE: i32 = 10;
pub const PVP_TRACKER_ERR_SHARED_POOL_SET_FAILURE: i32 = 11;
pub const PVP_TRACKER_ERR_INVALID_PTE: i32 = 12;
pub const PVP_TRACKER_ERR_FLUSH_REGION_FAILED: i32 = 13;
pub const PVP_TRACKER_ERR_SET_PTE_DIRTY_FAILED: i32 = 14;
pub const PVP_TRACKER_ERR_DUPLICATE_MMIO_SHARE: i32 = 15;
pub const PVP_TRACKER_ERR_UNSUPPORTED_MMIO_GUARD_GRANULE: i32 = 16;

/// The eras of `pvp0121_tracker_new`: the seed (AOSP `b99905d3`), vmbase's tracker at `28e439f4` and at `c08e63cb`.
pub const PVP_ERA_2023_05: u32 = 0;
pub const PVP_ERA_2023_11: u32 = 1;
pub const PVP_ERA_2024_05: u32 = 2;

/// pvmfw's page-table mapping functions (`pvp0121_tracker_map`): `map_code`, `map_data`, `map_rodata`, `map_device`.
pub const PVP_PAGE_TABLE_MAP_CODE: u32 = 1;
pub const PVP_PAGE_TABLE_MAP_DATA: u32 = 2;
pub const PVP_PAGE_TABLE_MAP_RODATA: u32 = 3;
pub const PVP_PAGE_TABLE_MAP_DEVICE: u32 = 4;

/// The tracker of a handle: the seed's, or a later era's (whose hypervisor is kept also when making it panicked).
pub(crate) struct TrackerState {
    seed: Option<pvmfw::Tracker>,
    era: Option<eras::EraTracker>,
    /// Every call of pvmfw's closures inside the tracker's calls, over the handle's life.
    trace: pvmfw::CallbackTrace,
}

impl TrackerState {
    fn hyp(&self) -> Option<&Rc<RefCell<RecordingHyp>>> {
        match (&self.seed, &self.era) {
            (Some(seed), _) => Some(&seed.kvm.hyp),
            (None, Some(era)) => Some(&era.hyp),
            (None, None) => None,
        }
    }
}

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

fn hyp_values(e: &HypError) -> (u64, u64) {
    match e {
        HypError::KvmError(k, id) => (k.raw() as u64, *id as u64),
        HypError::UnsupportedMmioGuardGranule(g) => (*g as u64, 0),
        HypError::MmioGuardNotsupported => (0, 0),
    }
}

/// The seed tracker's error as the ABI reports it.
fn seed_failure(error: MemoryTrackerError) -> Failure {
    let (value0, value1) = match &error {
        MemoryTrackerError::Hypervisor(h) => hyp_values(h),
        _ => (0, 0),
    };
    Failure::Reported {
        code: PVP_ERR_TRACKER,
        kind: tracker_code(&error),
        value0,
        value1,
        message: error.to_string(),
        debug: format!("{error:?}"),
    }
}

/// A later era's tracker error as the ABI reports it.
fn era_failure(e: eras::EraError) -> Failure {
    Failure::Reported { code: PVP_ERR_TRACKER, kind: e.code, value0: e.value0, value1: e.value1, message: e.message, debug: e.debug }
}

/// libhyp's error of a `hyp-*` step.
fn hyp_failure(error: HypError) -> Failure {
    let (value0, value1) = hyp_values(&error);
    Failure::Reported { code: PVP_ERR_HYP, kind: 0, value0, value1, message: error.to_string(), debug: format!("{error:?}") }
}

/// The later eras' `hyp::Error` of pvmfw's entry or console unmap (ABI 4).
fn entry_failure(error: crate::entry::EntryError) -> Failure {
    use crate::entry::EntryError as E;
    let (value0, value1) = match error {
        E::KvmError(k, id) => (k.raw() as u64, id as u64),
        E::UnsupportedMmioGuardGranule(g) => (g as u64, 0),
        E::MmioGuardNotSupported => (0, 0),
    };
    Failure::Reported { code: PVP_ERR_HYP, kind: 0, value0, value1, message: error.to_string(), debug: format!("{error:?}") }
}

/// The mapping of an entered handle, as pvmfw's El1&0 page table.
///
/// # Safety
/// `table` is a live handle, entered (`enter`) for as long as the reference is used.
unsafe fn pvmfw_mapping<'a>(table: *mut PvpTable) -> Result<&'a mut PvmfwMapping, Failure> {
    match unsafe { &mut *ptr::addr_of_mut!((*table).mapping) }.as_mut() {
        Some(AnyMapping::El1And0(m)) => Ok(m),
        Some(_) => invalid("not pvmfw's page table (an El1&0 mapping)"),
        None => invalid("the tracker has already been dropped (pvp0121_tracker_drop)"),
    }
}

/// The tracker state of an entered handle.
///
/// # Safety
/// As `pvmfw_mapping`.
unsafe fn state<'a>(table: *mut PvpTable) -> Result<&'a mut TrackerState, Failure> {
    match unsafe { &mut *ptr::addr_of_mut!((*table).tracker) }.as_mut() {
        Some(state) => Ok(state),
        None => invalid("not a tracker handle (made by pvp0121_table_new)"),
    }
}

/// The page table and the tracker of an entered tracker handle.
enum Live<'a> {
    Seed(&'a mut PvmfwMapping, &'a mut pvmfw::Tracker),
    Era(&'a mut PvmfwMapping, &'a mut eras::Era),
}

/// # Safety
/// As `pvmfw_mapping`.
unsafe fn live<'a>(table: *mut PvpTable) -> Result<Live<'a>, Failure> {
    let root = unsafe { pvmfw_mapping(table) }?;
    let state = unsafe { state(table) }?;
    if let Some(seed) = state.seed.as_mut() {
        return Ok(Live::Seed(root, seed));
    }
    match state.era.as_mut().and_then(|e| e.tracker.as_mut()) {
        Some(era) => Ok(Live::Era(root, era)),
        None => invalid("the era's tracker panicked when it was made (pvp0121_tracker_new)"),
    }
}

/// The seed's tracker of an entered handle; a later era's has no such call.
///
/// # Safety
/// As `pvmfw_mapping`.
unsafe fn seed<'a>(table: *mut PvpTable) -> Result<(&'a mut PvmfwMapping, &'a mut pvmfw::Tracker), Failure> {
    match unsafe { live(table) }? {
        Live::Seed(root, seed) => Ok((root, seed)),
        Live::Era(..) => invalid("a call of the 2023-05 tracker only"),
    }
}

/// Creates pvmfw's page table (`Mapping::with_asid_and_va_range(translation, 1, 1, El1And0, Lower)`, identity; the
/// arena's first table) with the `era`'s tracker (`PVP_ERA_*`) over a recording hypervisor whose MMIO_GUARD_INFO
/// answers `granule` (MAP and UNMAP want IPAs aligned to it). 2023-05: the seed's `MemoryTracker::new(page_table)`
/// over KVM (`compat_android_13`: MAP read as an i32, UNMAP's NOT_SUPPORTED a success), main memory
/// `0x8000_0000..ram_end`; `mmio_guard` must be non-zero. 2023-11 and 2024-05: vmbase's `MemoryTracker::new(page_table,
/// 0x8000_0000..2^40, 0x0..0x4000_0000, None)` — which activates the table — shrunk to end at `ram_end` unless it is
/// 2^40, over pKVM (`mmio_guard` non-zero) or a regular KVM; 2024-05 reads the granule and unwraps
/// `MmioSharer::new()`. When making the tracker panics, `*out_table` is still the handle, with its page table (live)
/// and the hypervisor's calls, and no tracker. With `entry` non-zero (ABI 4; the step's `entry=on`; a later era only),
/// pvmfw's entry runs first, on the same hypervisor (made without an MMIO guard when `mmio_guard` is zero):
/// `detect_hypervisor` (VENDOR_HYP_CALL_UID, MMIO_GUARD_INFO) and the era's `try_console_init` (with an MMIO guard
/// ENROLL, INFO, the UART page's MAP; `entry.rs`), and the tracker runs over what the detection found instead of
/// `mmio_guard`; pvmfw makes the page table after its entry, here the table is made first (the order of an
/// allocation and a call is not observable), and when the entry fails (`PVP_ERR_HYP`, or its panic) the handle keeps
/// it and has no tracker, as when the tracker panics. Errors: `PVP_INVALID_ARGUMENT` (as `pvp0121_table_new`,
/// `ram_end` not above 0x8000_0000 or above 2^40, an unknown era, 2023-05 without an MMIO guard or with `entry`),
/// `PVP_PANIC` (the arena's, the era's, the entry's), `PVP_ERR_HYP` (the entry's), `PVP_ERR_TRACKER` (the shrink's).
///
/// # Safety
/// As `pvp0121_table_new`; `out_table` is NULL or valid for writes.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn pvp0121_tracker_new(
    buffer: *mut u8,
    slots: usize,
    pa_base: u64,
    era: u32,
    ram_end: u64,
    compat_android_13: u32,
    mmio_guard: u32,
    granule: u64,
    entry: u32,
    out_table: *mut *mut PvpTable,
    result: *mut PvpResult,
) -> i32 {
    let checked = guarded(result, || {
        if out_table.is_null() || !is_aligned_ptr(out_table) {
            return invalid("out_table is NULL or misaligned");
        }
        // Checked non-NULL and aligned.
        unsafe { *out_table = ptr::null_mut() };
        if ram_end <= 0x8000_0000 || ram_end > 1 << 40 {
            return invalid("ram_end must be above 0x80000000 and at most 2^40");
        }
        if era > PVP_ERA_2024_05 {
            return invalid("era must be a PVP_ERA_*");
        }
        if era == PVP_ERA_2023_05 && mmio_guard == 0 {
            return invalid("the 2023-05 tracker always runs over pKVM (an MMIO guard)");
        }
        if era == PVP_ERA_2023_05 && entry != 0 {
            return invalid("the 2023-05 tracker has no entry (its hypervisor steps are the scenario's)");
        }
        Ok(0)
    });
    if checked != PVP_OK {
        return checked;
    }
    let raw = unsafe {
        crate::pvp0121_table_new(buffer, slots, pa_base, PVP_REGIME_EL1_AND_0, 1, PVP_VA_RANGE_LOWER, 1, result)
    };
    if raw.is_null() {
        // `result` holds pvp0121_table_new's failure.
        return unsafe { (*result).code };
    }
    // Checked non-NULL and aligned above; the handle is the caller's from here on, also if the tracker panics.
    unsafe { *out_table = raw };
    guarded(result, || {
        let trace: pvmfw::CallbackTrace = Rc::new(RefCell::new(Vec::new()));
        let mut made = TrackerState { seed: None, era: None, trace: Rc::clone(&trace) };
        if era == PVP_ERA_2023_05 {
            let kvm = kvm::Kvm {
                hyp: Rc::new(RefCell::new(RecordingHyp::new(granule))),
                compat_android_13: compat_android_13 != 0,
            };
            made.seed = Some(pvmfw::Tracker::new(trace, (0x8000_0000, ram_end as usize), kvm));
            // A live handle just made; nothing else refers to it yet.
            unsafe { (*raw).tracker = Some(Box::new(made)) };
            return Ok(0);
        }
        let hyp_only = eras::EraTracker::hyp(granule, mmio_guard != 0);
        let hyp = Rc::clone(&hyp_only.hyp);
        made.era = Some(hyp_only);
        // As above.
        unsafe { (*raw).tracker = Some(Box::new(made)) };
        let _entered = unsafe { enter(raw) }?;
        let guard = if entry != 0 {
            eras::entry(era, &hyp, compat_android_13 != 0).map_err(entry_failure)?
        } else {
            mmio_guard != 0
        };
        let root = unsafe { pvmfw_mapping(raw) }?;
        let tracker = eras::Era::new(root, era, &hyp, trace, ram_end as usize, compat_android_13 != 0, guard)
            .map_err(era_failure)?;
        if let Some(e) = unsafe { state(raw) }?.era.as_mut() {
            e.tracker = Some(tracker);
        }
        Ok(0)
    })
}

/// The tracker's drop, for `pvp0121_table_drop` on a tracker handle. 2023-05 (the seed's `Drop`): its shared memory is
/// unshared, then the page table dropped (it was never activated). 2023-11 and 2024-05: the page table deactivated (as
/// pvmfw's `PageTable` must before the 0.12.1 `Mapping` may drop) and dropped, then the fields after it (2024-05: the
/// `MmioSharer`, whose `Drop` UNMAPs what is still shared, ascending, a refused UNMAP a panic). A panic of an earlier
/// part is the one reported; the later parts run all the same (Java's `finally`).
///
/// # Safety
/// `table` is a live tracker handle, entered.
pub(crate) unsafe fn drop_tracker(table: *mut PvpTable) -> Result<(), Failure> {
    let Some(mapping) = unsafe { &mut *ptr::addr_of_mut!((*table).mapping) }.take() else {
        return invalid("the tracker has already been dropped (pvp0121_tracker_drop)");
    };
    let state = unsafe { state(table) }?;
    let unshared = match state.seed.as_mut() {
        Some(seed) => panic::catch_unwind(AssertUnwindSafe(|| seed.unshare_all_memory())),
        None => Ok(()),
    };
    let after = state.era.as_mut().and_then(|e| e.tracker.as_mut()).and_then(|t| t.take_after_page_table());
    let freed = panic::catch_unwind(AssertUnwindSafe(move || {
        if let AnyMapping::El1And0(m) = &mapping {
            if m.active() {
                // The one activation of `MemoryTracker::new`; on a host no register is written.
                unsafe { m.deactivate(usize::MAX) };
            }
        }
        drop(mapping);
    }));
    if let Some(sharer) = after {
        drop(sharer);
    }
    if let Err(payload) = unshared {
        panic::resume_unwind(payload);
    }
    if let Err(payload) = freed {
        panic::resume_unwind(payload);
    }
    Ok(())
}

/// Drops the tracker (`pvp0121_table_drop` on a tracker handle does the same): see `drop_tracker`. Errors:
/// `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a tracker handle, already dropped), `PVP_BUSY`, `PVP_PANIC`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_drop(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        unsafe { state(table) }?;
        unsafe { drop_tracker(table) }.map(|()| 0)
    })
}

/// pvmfw's `PageTable::map_code`, `map_data`, `map_rodata` or `map_device` (`which`: `PVP_PAGE_TABLE_MAP_*`):
/// identity `map_range` of the region rounded out to 4 KiB with libvmbase's set for crates from 0.6 on (CODE, DATA,
/// RODATA, DEVICE), no constraints. Errors: the MapError's `PVP_ERR_*`; `PVP_PANIC` (the arena's);
/// `PVP_INVALID_ARGUMENT` (an unknown `which`, not a tracker handle, dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_map(
    table: *mut PvpTable,
    which: u32,
    start: u64,
    end: u64,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        unsafe { state(table) }?;
        let root = unsafe { pvmfw_mapping(table) }?;
        let flags = match which {
            PVP_PAGE_TABLE_MAP_CODE => pvmfw::code(),
            PVP_PAGE_TABLE_MAP_DATA => pvmfw::data(),
            PVP_PAGE_TABLE_MAP_RODATA => pvmfw::rodata(),
            PVP_PAGE_TABLE_MAP_DEVICE => pvmfw::device(),
            _ => return invalid("which must be a PVP_PAGE_TABLE_MAP_*"),
        };
        pvmfw::identity_map(root, start as usize, end as usize, flags)?;
        Ok(0)
    })
}

/// A later era's `main_wrapper` unmapping the console at exit (ABI 4; the step `console-unmap`): with an MMIO guard,
/// MMIO_GUARD_UNMAP of the UART's page (`entry.rs`); without one, nothing. Errors: `PVP_ERR_HYP` (the UNMAP's
/// `KvmError`); `PVP_INVALID_ARGUMENT` (NULL or misaligned handle, not a later era's tracker handle, dropped),
/// `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_console_unmap(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        match unsafe { live(table) }? {
            Live::Era(_, era) => era.console_unmap().map_err(entry_failure).map(|()| 0),
            Live::Seed(..) => invalid("a call of the later eras' trackers only"),
        }
    })
}

/// `MemoryTracker::map_mmio_range(start..end)` of the handle's era. Errors: `PVP_ERR_TRACKER`; `PVP_PANIC`;
/// `PVP_INVALID_ARGUMENT` (not a tracker handle, no tracker, dropped), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_map_mmio_range(
    table: *mut PvpTable,
    start: u64,
    end: u64,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let range = (start as usize, end as usize);
        match unsafe { live(table) }? {
            Live::Seed(root, t) => t.map_mmio_range(root, range).map_err(seed_failure)?,
            Live::Era(root, t) => t.map_mmio_range(root, range).map_err(era_failure)?,
        }
        Ok(0)
    })
}

/// `MemoryTracker::handle_mmio_fault(addr)` of the handle's era. Errors: `PVP_ERR_TRACKER`; `PVP_PANIC` (the era's
/// assertions and unwraps, the arena's); `PVP_INVALID_ARGUMENT`, `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_handle_mmio_fault(table: *mut PvpTable, addr: u64, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        match unsafe { live(table) }? {
            Live::Seed(root, t) => t.handle_mmio_fault(root, addr as usize).map_err(seed_failure)?,
            Live::Era(root, t) => t.handle_mmio_fault(root, addr as usize).map_err(era_failure)?,
        }
        Ok(0)
    })
}

/// The era's MMIO teardown: `mmio_unmap_all` (2023-05, 2023-11) or `unshare_all_mmio` (2024-05). Errors:
/// `PVP_ERR_TRACKER` (FailedToUnmap); `PVP_PANIC`; `PVP_INVALID_ARGUMENT`, `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_mmio_unmap_all(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        match unsafe { live(table) }? {
            Live::Seed(root, t) => t.mmio_unmap_all(root).map_err(seed_failure)?,
            Live::Era(root, t) => t.mmio_teardown(root).map_err(era_failure)?,
        }
        Ok(0)
    })
}

/// The seed's `MemoryTracker::shrink(start..end)`. Errors: `PVP_ERR_TRACKER`; `PVP_INVALID_ARGUMENT` (not the 2023-05
/// tracker), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_shrink(table: *mut PvpTable, start: u64, end: u64, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let (_, t) = unsafe { seed(table) }?;
        t.shrink((start as usize, end as usize)).map_err(seed_failure)?;
        Ok(0)
    })
}

/// The seed's `alloc_range` (`read_write` 0: RODATA) or `alloc_range_mut` (DATA) of `start..end`. Errors:
/// `PVP_ERR_TRACKER`; `PVP_PANIC`; `PVP_INVALID_ARGUMENT` (not the 2023-05 tracker), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_alloc_range(
    table: *mut PvpTable,
    start: u64,
    end: u64,
    read_write: u32,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let (root, t) = unsafe { seed(table) }?;
        let range = (start as usize, end as usize);
        let done = if read_write != 0 { t.alloc_range_mut(root, range) } else { t.alloc_range(root, range) };
        done.map_err(seed_failure)?;
        Ok(0)
    })
}

/// The seed's `alloc(base, size)` (`read_write` 0) or `alloc_mut`. Errors: as `pvp0121_tracker_alloc_range`, and
/// `PVP_INVALID_ARGUMENT` for a size of 0 (a `NonZeroUsize`).
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_alloc(
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
        let (root, t) = unsafe { seed(table) }?;
        let done =
            if read_write != 0 { t.alloc_mut(root, base as usize, size) } else { t.alloc(root, base as usize, size) };
        done.map_err(seed_failure)?;
        Ok(0)
    })
}

/// libhyp's `mmio_guard_init` (the seed's KVM). Errors: `PVP_ERR_HYP`; `PVP_INVALID_ARGUMENT` (not the 2023-05
/// tracker), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_mmio_guard_init(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let (_, t) = unsafe { seed(table) }?;
        t.kvm.mmio_guard_init().map_err(hyp_failure)?;
        Ok(0)
    })
}

/// libhyp's `mmio_guard_map(ipa)` (`unmap` 0) or `mmio_guard_unmap(ipa)`. Errors: as
/// `pvp0121_tracker_mmio_guard_init`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_mmio_guard(
    table: *mut PvpTable,
    ipa: u64,
    unmap: u32,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let (_, t) = unsafe { seed(table) }?;
        let done = if unmap != 0 { t.kvm.mmio_guard_unmap(ipa) } else { t.kvm.mmio_guard_map(ipa) };
        done.map_err(hyp_failure)?;
        Ok(0)
    })
}

/// The seed's `init_dynamic_shared_pool()`. Errors: `PVP_ERR_TRACKER`; `PVP_PANIC`; `PVP_INVALID_ARGUMENT` (not the
/// 2023-05 tracker), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_init_dynamic_shared_pool(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let (_, t) = unsafe { seed(table) }?;
        t.init_dynamic_shared_pool().map_err(seed_failure)?;
        Ok(0)
    })
}

/// The seed's `init_static_shared_pool(start..end)`. Errors: as `pvp0121_tracker_init_dynamic_shared_pool`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_init_static_shared_pool(
    table: *mut PvpTable,
    start: u64,
    end: u64,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let (root, t) = unsafe { seed(table) }?;
        t.init_static_shared_pool(root, (start as usize, end as usize)).map_err(seed_failure)?;
        Ok(0)
    })
}

/// The seed's `alloc_shared(Layout::from_size_align(size, align).unwrap())`; on `PVP_OK` the address is `value0`.
/// Errors: `PVP_PANIC` (pvmfw's unwraps and assertions); `PVP_INVALID_ARGUMENT` (not the 2023-05 tracker), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_alloc_shared(
    table: *mut PvpTable,
    size: u64,
    align: u64,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let (_, t) = unsafe { seed(table) }?;
        Ok(t.alloc_shared(size as usize, align as usize) as u64)
    })
}

/// The seed's `dealloc_shared(addr, Layout { size, align })`. Errors: `PVP_PANIC`; `PVP_INVALID_ARGUMENT` (`addr` 0,
/// no `Layout`, not the 2023-05 tracker), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_dealloc_shared(
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
        let (_, t) = unsafe { seed(table) }?;
        t.dealloc_shared(addr as usize, layout);
        Ok(0)
    })
}

/// The seed's `unshare_all_memory()`. Errors: `PVP_PANIC` (a refused MEM_UNSHARE); `PVP_INVALID_ARGUMENT` (not the
/// 2023-05 tracker), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_unshare_all_memory(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        let (_, t) = unsafe { seed(table) }?;
        t.unshare_all_memory();
        Ok(0)
    })
}

/// The recording hypervisor of an entered tracker handle (also when making a later era's tracker panicked).
///
/// # Safety
/// As `pvmfw_mapping`.
unsafe fn entered_hyp(table: *mut PvpTable) -> Result<Rc<RefCell<RecordingHyp>>, Failure> {
    match unsafe { state(table) }?.hyp() {
        Some(hyp) => Ok(Rc::clone(hyp)),
        None => invalid("the tracker has no hypervisor"),
    }
}

/// Every later call of `function_id` numbered `n` (from 1, over the handle's life) answers `x0`, changing nothing.
/// Errors: `PVP_INVALID_ARGUMENT` (`n` 0, not a tracker handle), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_inject_nth(
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
        unsafe { entered_hyp(table) }?.borrow_mut().inject_nth(function_id, n as usize, x0);
        Ok(0)
    })
}

/// The hypervisor call numbered `call` (from 0, over the handle's life) answers `x0`, changing nothing. Errors:
/// `PVP_INVALID_ARGUMENT` (not a tracker handle), `PVP_BUSY`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_inject_at_call(
    table: *mut PvpTable,
    call: u64,
    x0: u64,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        unsafe { entered_hyp(table) }?.borrow_mut().inject_at_call(call as usize, x0);
        Ok(0)
    })
}

/// Every later call of `function_id` with x1 = `argument` answers `x0` until cleared. Errors: as
/// `pvp0121_tracker_inject_at_call`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_inject_for(
    table: *mut PvpTable,
    function_id: u32,
    argument: u64,
    x0: u64,
    result: *mut PvpResult,
) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        unsafe { entered_hyp(table) }?.borrow_mut().inject_for(function_id, argument, x0);
        Ok(0)
    })
}

/// Removes every injection. Errors: as `pvp0121_tracker_inject_at_call`.
///
/// # Safety
/// `table` is NULL or a live handle; `result` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_clear_injections(table: *mut PvpTable, result: *mut PvpResult) -> i32 {
    guarded(result, || {
        let _entered = unsafe { enter(table) }?;
        unsafe { entered_hyp(table) }?.borrow_mut().clear_injections();
        Ok(0)
    })
}

/// The tracker state of a handle for reading, or None (NULL, misaligned, busy, not a tracker).
///
/// # Safety
/// `table` is NULL or a live handle.
unsafe fn reading<'a>(table: *const PvpTable) -> Option<&'a TrackerState> {
    if table.is_null() || !is_aligned_ptr(table) || unsafe { busy_flag(table) }.get() {
        return None;
    }
    unsafe { &*table }.tracker.as_deref()
}

/// Copies the hypervisor calls from number `first` on (at most `cap`) into `buf` and returns how many calls the
/// handle's hypervisor has had in all; 0 for a NULL, misaligned, busy or table handle.
///
/// # Safety
/// `table` is NULL or a live handle; `buf` is NULL or valid for `cap` entries.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_hyp_log(
    table: *const PvpTable,
    first: usize,
    buf: *mut PvpHypCall,
    cap: usize,
) -> usize {
    let Some(hyp) = unsafe { reading(table) }.and_then(TrackerState::hyp) else {
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

/// Writes the guard-mapped IPAs, ascending (at most `cap`), into `buf` and returns how many there are; 0 for a NULL,
/// misaligned, busy or table handle.
///
/// # Safety
/// `table` is NULL or a live handle; `buf` is NULL or valid for `cap` entries.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_guard_mapped(table: *const PvpTable, buf: *mut u64, cap: usize) -> usize {
    let Some(hyp) = unsafe { reading(table) }.and_then(TrackerState::hyp) else {
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

/// Copies the calls of pvmfw's own closures (inside tracker calls) from number `first` on (at most `cap`) into `buf`
/// and returns how many there have been in all (`applied`, `result` and `updated` are 0: the closures act
/// themselves); 0 for a NULL, misaligned, busy or table handle.
///
/// # Safety
/// `table` is NULL or a live handle; `buf` is NULL or valid for `cap` entries.
#[no_mangle]
pub unsafe extern "C" fn pvp0121_tracker_trace(
    table: *const PvpTable,
    first: usize,
    buf: *mut PvpTraceEntry,
    cap: usize,
) -> usize {
    let Some(state) = (unsafe { reading(table) }) else {
        return 0;
    };
    let Ok(trace) = state.trace.try_borrow() else {
        return 0;
    };
    if first < trace.len() && !buf.is_null() && is_aligned_ptr(buf) {
        let n = (trace.len() - first).min(cap);
        for i in 0..n {
            let e = &trace[first + i];
            // The caller provides `cap` entries at `buf`; i < n <= cap.
            unsafe {
                buf.add(i).write(PvpTraceEntry {
                    start: e.start,
                    end: e.end,
                    level: e.level,
                    applied: e.applied,
                    before: e.before,
                    after: e.after,
                    result: e.result,
                    updated: e.updated,
                })
            };
        }
    }
    trace.len()
}
