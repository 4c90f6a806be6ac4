//! vmbase's `MemoryTracker` of the 2023-11 era (AOSP `28e439f4`, the merged aarch64-paging 0.5.0 series `5815c8b4` …
//! `b4310bc9`, with the 2023-06/07 vmbase changes before it), as it runs on the real aarch64-paging 0.12.1 (`docs/pvmfw-2024-05.md`, "The port per cell":
//! libvmbase's attribute sets for crates from 0.6 on, the 0.5 walks of `vmbase.rs` over 0.12.1's `modify_range`, the
//! in-place `modify_flags(VALID, ∅)` through `UpdatableDescriptor`; the table is live from `new` on, so the crate runs
//! every closure twice per leaf, its break-before-make dry run first): the 0.4.0 oracle's `era2023_11.rs` with the
//! crate's calls ported. Transcribed from the project's account of the era, itself written from the commit-by-commit
//! verified reference: the fault handler (`5815c8b4:vmbase/src/memory/shared.rs`; `docs/pvmfw-2023-11.md`, "The fault
//! handler"), the teardown (from `a8dc46f2`: `walk_range`, the level assertion; `docs/pvmfw-2023-11.md`, "Teardown"),
//! the checks and the errors (`28e439f4:vmbase/src/memory/shared.rs`, `vmbase/src/memory/error.rs`;
//! `docs/pvmfw-2023-11.md`, "What changed since the seed"). Only what the scenario language drives: `new`, `shrink`, `map_mmio_range`,
//! `handle_mmio_fault`, `mmio_unmap_all`, and the drop (the page table goes). Panics use Rust's own `expect`,
//! `unwrap`, `assert!` and `assert_eq!`, so their messages are Rust's.

use core::fmt;

use aarch64_paging::descriptor::El1Attributes as Attributes;
use aarch64_paging::paging::MemoryRegion;

use crate::kvm::HypError;
use crate::pvmfw::{self, CallbackTrace, Desc, MMIO_LAZY_MAP_FLAG};
use crate::PvmfwMapping;
use crate::vmbase::{self, MmioGuard};

/// libhyp's `MMIO_GUARD_GRANULE_SIZE` (4 KiB, `92154768`).
const MMIO_GUARD_GRANULE_SIZE: usize = 4096;
/// aarch64-paging's `PAGE_SIZE`.
const PAGE_SIZE: usize = 4096;
/// aarch64-paging's `BITS_PER_LEVEL`.
const BITS_PER_LEVEL: usize = 9;
/// `MMIO_GUARD_GRANULE_LEVEL` = `3 − ((log2(granule) − log2(PAGE_SIZE)) / BITS_PER_LEVEL)`, i.e. 3 (`a8dc46f2`).
const MMIO_GUARD_GRANULE_LEVEL: usize = 3
    - ((MMIO_GUARD_GRANULE_SIZE.trailing_zeros() - PAGE_SIZE.trailing_zeros()) as usize / BITS_PER_LEVEL);

/// `MemoryTrackerError` of the era: the seed's twelve plus FlushRegionFailed and SetPteDirtyFailed (`44b1ce35`), in
/// declaration order, with their Display strings (`5815c8b4:vmbase/src/memory/error.rs`).
// Every variant of the era, also those the scenario language cannot reach (the list is the era's Debug).
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemoryTrackerError {
    DifferentBaseAddress,
    SizeTooLarge,
    SizeTooSmall,
    Full,
    OutOfRange,
    Overlaps,
    FailedToMap,
    FailedToUnmap,
    Hypervisor(HypError),
    SharedMemorySetFailure,
    SharedPoolSetFailure,
    InvalidPte,
    FlushRegionFailed,
    SetPteDirtyFailed,
}

impl fmt::Display for MemoryTrackerError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Self::DifferentBaseAddress => write!(f, "Received different base address"),
            Self::SizeTooLarge => write!(f, "Tried to shrink to a larger memory size"),
            Self::SizeTooSmall => write!(f, "Tracked regions would not fit in memory size"),
            Self::Full => write!(f, "Reached limit number of tracked regions"),
            Self::OutOfRange => write!(f, "Region is out of the tracked memory address space"),
            Self::Overlaps => write!(f, "New region overlaps with tracked regions"),
            Self::FailedToMap => write!(f, "Failed to map the new region"),
            Self::FailedToUnmap => write!(f, "Failed to unmap the new region"),
            Self::Hypervisor(e) => e.fmt(f),
            Self::SharedMemorySetFailure => write!(f, "Failed to set SHARED_MEMORY"),
            Self::SharedPoolSetFailure => write!(f, "Failed to set SHARED_POOL"),
            Self::InvalidPte => write!(f, "Page table entry is not valid"),
            Self::FlushRegionFailed => write!(f, "Failed to flush memory region"),
            Self::SetPteDirtyFailed => write!(f, "Failed to set PTE dirty state"),
        }
    }
}

/// The era's tracker (the MMIO part and the main memory window).
pub struct Tracker {
    pub total: (usize, usize),
    pub mmio_range: (usize, usize),
    /// The MMIO regions, in the order added (RAM regions are not driven by the scenario language: always none).
    pub mmio_regions: Vec<(usize, usize)>,
    /// `get_mmio_guard()`: pKVM's MMIO guard, or None (a regular KVM: no capabilities).
    pub guard: Option<MmioGuard>,
    pub trace: CallbackTrace,
}

impl Tracker {
    /// `MemoryTracker::new(page_table, total, mmio_range, payload_range)`: asserts that `total` does not overlap the
    /// MMIO window, then DBM on and the table activated (neither observable on the arena).
    pub fn new(
        root: &mut PvmfwMapping,
        trace: CallbackTrace,
        total: (usize, usize),
        mmio_range: (usize, usize),
        guard: Option<MmioGuard>,
    ) -> Self {
        assert!(!vmbase::overlaps(total, mmio_range), "{}", vmbase::MMIO_OVERLAPS_MEMORY);
        // `page_table.activate()`: on a host no register is written (`usize::MAX`); the mapping counts as live, so
        // later changes are break-before-make checked. The handle deactivates it before dropping it.
        let _previous_ttbr = unsafe { root.activate() };
        Self { total, mmio_range, mmio_regions: Vec::new(), guard, trace }
    }

    /// `shrink(range)`: DifferentBaseAddress, SizeTooLarge, SizeTooSmall (no RAM region is ever tracked here).
    pub fn shrink(&mut self, range: (usize, usize)) -> Result<(), MemoryTrackerError> {
        if range.0 != self.total.0 {
            return Err(MemoryTrackerError::DifferentBaseAddress);
        }
        if self.total.1 < range.1 {
            return Err(MemoryTrackerError::SizeTooLarge);
        }
        self.total = range;
        Ok(())
    }

    /// `map_mmio_range(range)` (`4c70d14f`, `32279ef5`): not within the MMIO window → OutOfRange; overlap
    /// with an MMIO region → Overlaps; full → Full; lazy (DEVICE_LAZY) with an MMIO guard, otherwise eager DEVICE
    /// (`32279ef5`), a MapError → FailedToMap; push (→ Full).
    pub fn map_mmio_range(
        &mut self,
        root: &mut PvmfwMapping,
        range: (usize, usize),
    ) -> Result<(), MemoryTrackerError> {
        if !vmbase::is_within(range, self.mmio_range) {
            return Err(MemoryTrackerError::OutOfRange);
        }
        if self.mmio_regions.iter().any(|r| vmbase::overlaps(range, *r)) {
            return Err(MemoryTrackerError::Overlaps);
        }
        if self.mmio_regions.len() == vmbase::MMIO_CAPACITY {
            return Err(MemoryTrackerError::Full);
        }
        let flags = if self.guard.is_some() { pvmfw::device_lazy() } else { pvmfw::device() };
        pvmfw::identity_map(root, range.0, range.1, flags).map_err(|_| MemoryTrackerError::FailedToMap)?;
        if self.mmio_regions.len() == vmbase::MMIO_CAPACITY {
            return Err(MemoryTrackerError::Full);
        }
        self.mmio_regions.push(range);
        Ok(())
    }

    /// `handle_mmio_fault(addr)` (`docs/pvmfw-2023-11.md`, "The fault handler"): the page, its granule alignment asserted (no message);
    /// `get_mmio_guard().unwrap()`; one 0.5 `modify_range` over the page with the lazy-as-valid closure (→
    /// InvalidPte); then `map(page)` (→ Hypervisor). The PTE is made VALID before the MAP, so a failed MAP leaves it
    /// valid.
    pub fn handle_mmio_fault(
        &mut self,
        root: &mut PvmfwMapping,
        addr: usize,
    ) -> Result<(), MemoryTrackerError> {
        let page_start = addr & !(PAGE_SIZE - 1);
        assert_eq!(page_start % MMIO_GUARD_GRANULE_SIZE, 0);
        let guard = self.guard.as_ref().unwrap();
        let end = page_start.wrapping_add(MMIO_GUARD_GRANULE_SIZE);
        vmbase::modify_range_05(root, &self.trace, page_start, end, vmbase::lazy_as_valid)
            .map_err(|_| MemoryTrackerError::InvalidPte)?;
        guard.map(page_start).map_err(MemoryTrackerError::Hypervisor)
    }

    /// `mmio_unmap_all()` (`docs/pvmfw-2023-11.md`, "Teardown"): only with an MMIO guard; for each MMIO region in the order
    /// added a 0.5 `walk_range` with `mmio_guard_unmap_page`; an error → FailedToUnmap, nothing after it walked.
    pub fn mmio_unmap_all(&mut self, root: &mut PvmfwMapping) -> Result<(), MemoryTrackerError> {
        if self.guard.is_none() {
            return Ok(());
        }
        for range in &self.mmio_regions {
            let guard = self.guard.clone();
            vmbase::walk_range_05(root, &self.trace, range.0, range.1, move |chunk, desc, level| {
                mmio_guard_unmap_page(guard.as_ref(), chunk, desc, level)
            })
            .map_err(|_| MemoryTrackerError::FailedToUnmap)?;
        }
        Ok(())
    }
}

/// `mmio_guard_unmap_page` from `a8dc46f2`: the flags parsed with `expect`; a VALID leaf must carry
/// the lazy flag ("Attempting MMIO guard unmap for non-device pages"), be at `MMIO_GUARD_GRANULE_LEVEL` ("Failed to
/// break down block mapping before MMIO guard mapping") and start 4 KiB-aligned (no message); then
/// `get_mmio_guard().unwrap().unmap(base)`, an error logged ("Error MMIO guard unmapping: {e}") and returned as Err.
fn mmio_guard_unmap_page(
    guard: Option<&MmioGuard>,
    chunk: &MemoryRegion,
    desc: &Desc<'_>,
    level: usize,
) -> Result<(), ()> {
    let flags = desc.flags();
    if flags.contains(Attributes::VALID) {
        assert!(flags.contains(MMIO_LAZY_MAP_FLAG), "Attempting MMIO guard unmap for non-device pages");
        assert_eq!(level, MMIO_GUARD_GRANULE_LEVEL, "Failed to break down block mapping before MMIO guard mapping");
        let page_base = chunk.start().0;
        assert_eq!(page_base % MMIO_GUARD_GRANULE_SIZE, 0);
        guard.unwrap().unmap(page_base).map_err(|_e| ())?;
    }
    Ok(())
}
