//! The later eras' trackers behind one handle (the 0.4.0 oracle's `eras.rs`, on 0.12.1; ABI 4): which era, the calls the scenario language makes on it, and
//! their errors as the ABI reports them (a `PVP_TRACKER_ERR_*` code, the payload, the Display and Debug texts).

use core::cell::RefCell;
use std::rc::Rc;

use crate::kvm::{HypError, RecordingHyp};
use crate::pvmfw::CallbackTrace;
use crate::entry::{self, EntryError};
use crate::vmbase::{self, MmioGuard};
use crate::{era2023_11, era2024_05, PvmfwMapping};

/// A later era's tracker, with the recording hypervisor it runs on (also without an MMIO guard, where it sees no call).
/// The hypervisor is made first, so its calls are readable also when making the tracker panicked (`tracker` None).
pub struct EraTracker {
    pub hyp: Rc<RefCell<RecordingHyp>>,
    pub tracker: Option<Era>,
}

/// The era.
pub enum Era {
    V2023_11(era2023_11::Tracker),
    V2024_05(era2024_05::Tracker),
}

/// An era's `MemoryTrackerError` as the ABI reports it.
pub struct EraError {
    /// `PVP_TRACKER_ERR_*`.
    pub code: i32,
    pub value0: u64,
    pub value1: u64,
    pub message: String,
    pub debug: String,
}

/// `(value0, value1)` of a hypervisor error: the raw x0 and the function ID of a `KvmError`.
fn hyp_values(e: &HypError) -> (u64, u64) {
    match e {
        HypError::KvmError(k, id) => (k.raw() as u64, *id as u64),
        HypError::UnsupportedMmioGuardGranule(g) => (*g as u64, 0),
        HypError::MmioGuardNotsupported => (0, 0),
    }
}

impl From<era2023_11::MemoryTrackerError> for EraError {
    fn from(e: era2023_11::MemoryTrackerError) -> Self {
        use era2023_11::MemoryTrackerError as E;
        let (code, (value0, value1)) = match &e {
            E::DifferentBaseAddress => (crate::PVP_TRACKER_ERR_DIFFERENT_BASE_ADDRESS, (0, 0)),
            E::SizeTooLarge => (crate::PVP_TRACKER_ERR_SIZE_TOO_LARGE, (0, 0)),
            E::SizeTooSmall => (crate::PVP_TRACKER_ERR_SIZE_TOO_SMALL, (0, 0)),
            E::Full => (crate::PVP_TRACKER_ERR_FULL, (0, 0)),
            E::OutOfRange => (crate::PVP_TRACKER_ERR_OUT_OF_RANGE, (0, 0)),
            E::Overlaps => (crate::PVP_TRACKER_ERR_OVERLAPS, (0, 0)),
            E::FailedToMap => (crate::PVP_TRACKER_ERR_FAILED_TO_MAP, (0, 0)),
            E::FailedToUnmap => (crate::PVP_TRACKER_ERR_FAILED_TO_UNMAP, (0, 0)),
            E::Hypervisor(h) => (crate::PVP_TRACKER_ERR_HYPERVISOR, hyp_values(h)),
            E::SharedMemorySetFailure => (crate::PVP_TRACKER_ERR_SHARED_MEMORY_SET_FAILURE, (0, 0)),
            E::SharedPoolSetFailure => (crate::PVP_TRACKER_ERR_SHARED_POOL_SET_FAILURE, (0, 0)),
            E::InvalidPte => (crate::PVP_TRACKER_ERR_INVALID_PTE, (0, 0)),
            E::FlushRegionFailed => (crate::PVP_TRACKER_ERR_FLUSH_REGION_FAILED, (0, 0)),
            E::SetPteDirtyFailed => (crate::PVP_TRACKER_ERR_SET_PTE_DIRTY_FAILED, (0, 0)),
        };
        Self { code, value0, value1, message: e.to_string(), debug: format!("{e:?}") }
    }
}

impl From<era2024_05::MemoryTrackerError> for EraError {
    fn from(e: era2024_05::MemoryTrackerError) -> Self {
        use era2024_05::MemoryTrackerError as E;
        let (code, (value0, value1)) = match &e {
            E::DifferentBaseAddress => (crate::PVP_TRACKER_ERR_DIFFERENT_BASE_ADDRESS, (0, 0)),
            E::SizeTooLarge => (crate::PVP_TRACKER_ERR_SIZE_TOO_LARGE, (0, 0)),
            E::SizeTooSmall => (crate::PVP_TRACKER_ERR_SIZE_TOO_SMALL, (0, 0)),
            E::Full => (crate::PVP_TRACKER_ERR_FULL, (0, 0)),
            E::OutOfRange => (crate::PVP_TRACKER_ERR_OUT_OF_RANGE, (0, 0)),
            E::Overlaps => (crate::PVP_TRACKER_ERR_OVERLAPS, (0, 0)),
            E::FailedToMap => (crate::PVP_TRACKER_ERR_FAILED_TO_MAP, (0, 0)),
            E::FailedToUnmap => (crate::PVP_TRACKER_ERR_FAILED_TO_UNMAP, (0, 0)),
            E::Hypervisor(h) => (crate::PVP_TRACKER_ERR_HYPERVISOR, hyp_values(h)),
            E::SharedMemorySetFailure => (crate::PVP_TRACKER_ERR_SHARED_MEMORY_SET_FAILURE, (0, 0)),
            E::SharedPoolSetFailure => (crate::PVP_TRACKER_ERR_SHARED_POOL_SET_FAILURE, (0, 0)),
            E::InvalidPte => (crate::PVP_TRACKER_ERR_INVALID_PTE, (0, 0)),
            E::FlushRegionFailed => (crate::PVP_TRACKER_ERR_FLUSH_REGION_FAILED, (0, 0)),
            E::SetPteDirtyFailed => (crate::PVP_TRACKER_ERR_SET_PTE_DIRTY_FAILED, (0, 0)),
            E::DuplicateMmioShare(base) => (crate::PVP_TRACKER_ERR_DUPLICATE_MMIO_SHARE, (*base as u64, 0)),
            E::UnsupportedMmioGuardGranule(g) => {
                (crate::PVP_TRACKER_ERR_UNSUPPORTED_MMIO_GUARD_GRANULE, (*g as u64, 0))
            }
        };
        Self { code, value0, value1, message: e.to_string(), debug: format!("{e:?}") }
    }
}

impl EraTracker {
    /// The recording hypervisor a later era's tracker will run on, its MMIO guard granule `granule`, pKVM with an
    /// MMIO guard or (`mmio_guard` false) a regular KVM whose MMIO guard calls answer NOT_SUPPORTED; no tracker yet.
    pub fn hyp(granule: u64, mmio_guard: bool) -> Self {
        let mut hyp = RecordingHyp::new(granule);
        hyp.set_mmio_guard(mmio_guard);
        Self { hyp: Rc::new(RefCell::new(hyp)), tracker: None }
    }
}

/// pvmfw's entry of `era` before its page table (the tracker step's `entry=on`; `entry.rs`): `detect_hypervisor`,
/// then `try_console_init` of the era over what it found (the MMIO guard with the era's Android 13 workarounds:
/// always in 2023-11, `compat_android_13` in 2024-05). Returns whether it found pKVM (an MMIO guard), which the
/// tracker then runs over. Errors: try_console_init's; panics: the detection's `expect`, 2024-05's granule assertion.
pub fn entry(era: u32, hyp: &Rc<RefCell<RecordingHyp>>, compat_android_13: bool) -> Result<bool, EntryError> {
    let pkvm = entry::detect_hypervisor(hyp);
    let later = era != crate::PVP_ERA_2023_11;
    let guard = pkvm.then(|| MmioGuard { hyp: Rc::clone(hyp), compat_android_13: !later || compat_android_13 });
    if later {
        entry::try_console_init_2024_05(guard.as_ref())?;
    } else {
        entry::try_console_init_2023_11(guard.as_ref())?;
    }
    Ok(pkvm)
}

impl Era {
    /// The era's `MemoryTracker::new(page_table, MEM_START..MAX_VIRT_ADDR, MMIO_RANGE, None)` over pKVM (with
    /// `mmio_guard`) or a regular KVM (without) on `hyp`; then `shrink(MEM_START..ram_end)` unless `ram_end` is
    /// `MAX_VIRT_ADDR`. Panics where the era does (2024-05: the unwrapped `MmioSharer::new()`).
    pub fn new(
        root: &mut PvmfwMapping,
        era: u32,
        hyp: &Rc<RefCell<RecordingHyp>>,
        trace: CallbackTrace,
        ram_end: usize,
        compat_android_13: bool,
        mmio_guard: bool,
    ) -> Result<Self, EraError> {
        let total = (vmbase::RAM_START, vmbase::MAX_VIRT_ADDR);
        let shrunk = (vmbase::RAM_START, ram_end);
        Ok(match era {
            crate::PVP_ERA_2023_11 => {
                // libhyp 2023-04 … 2024-04: the Android 13 workarounds are unconditional (`docs/pvmfw-2023-05.md`, "The hypervisor").
                let guard = mmio_guard.then(|| MmioGuard { hyp: Rc::clone(hyp), compat_android_13: true });
                let mut t = era2023_11::Tracker::new(root, trace, total, vmbase::MMIO_RANGE, guard);
                if ram_end != vmbase::MAX_VIRT_ADDR {
                    t.shrink(shrunk)?;
                }
                Era::V2023_11(t)
            }
            _ => {
                let guard = mmio_guard.then(|| MmioGuard { hyp: Rc::clone(hyp), compat_android_13 });
                let mut t = era2024_05::Tracker::new(root, trace, total, vmbase::MMIO_RANGE, guard);
                if ram_end != vmbase::MAX_VIRT_ADDR {
                    t.shrink(shrunk)?;
                }
                Era::V2024_05(t)
            }
        })
    }

    /// `main_wrapper`'s unmap of the console page through the tracker's MMIO guard (`get_mmio_guard()`: none over a
    /// regular KVM, then nothing).
    pub fn console_unmap(&self) -> Result<(), EntryError> {
        let guard = match self {
            Era::V2023_11(t) => t.guard.as_ref(),
            Era::V2024_05(t) => t.guard.as_ref(),
        };
        entry::console_unmap(guard)
    }

    /// `map_mmio_range(start..end)`.
    pub fn map_mmio_range(&mut self, root: &mut PvmfwMapping, range: (usize, usize)) -> Result<(), EraError> {
        match self {
            Era::V2023_11(t) => t.map_mmio_range(root, range).map_err(EraError::from),
            Era::V2024_05(t) => t.map_mmio_range(root, range).map_err(EraError::from),
        }
    }

    /// `handle_mmio_fault(addr)`.
    pub fn handle_mmio_fault(&mut self, root: &mut PvmfwMapping, addr: usize) -> Result<(), EraError> {
        match self {
            Era::V2023_11(t) => t.handle_mmio_fault(root, addr).map_err(EraError::from),
            Era::V2024_05(t) => t.handle_mmio_fault(root, addr).map_err(EraError::from),
        }
    }

    /// The era's teardown: `mmio_unmap_all` (2023-11) or `unshare_all_mmio` (2024-05).
    pub fn mmio_teardown(&mut self, root: &mut PvmfwMapping) -> Result<(), EraError> {
        match self {
            Era::V2023_11(t) => t.mmio_unmap_all(root).map_err(EraError::from),
            Era::V2024_05(t) => t.unshare_all_mmio().map_err(EraError::from),
        }
    }

    /// What the tracker's fields drop after the page table (2024-05: the `MmioSharer`, whose Drop unshares what is
    /// left: vmbase's field order), taken out so the caller drops it after the root table.
    pub fn take_after_page_table(&mut self) -> Option<era2024_05::MmioSharer> {
        match self {
            Era::V2023_11(_) => None,
            Era::V2024_05(t) => t.mmio_sharer.take(),
        }
    }
}
