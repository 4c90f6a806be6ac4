//! vmbase's `MemoryTracker` and `MmioSharer` of the 2024-05 era (AOSP `c08e63cb`; unchanged through `758d65de`, and
//! kept in logic by 2025 libvmbase as `handle_mmio_fault` → `mmio_sharer.share` → `map_device_expect_lazy`, teardown
//! `unshare_all_mmio_except_uart`), as it runs on the real aarch64-paging 0.12.1 (`docs/pvmfw-2024-05.md`, "The
//! port per cell"): the 0.4.0 oracle's `era2024_05.rs` with the crate's calls ported (see `era2023_11.rs`).
//! Transcribed from the project's account of the era, itself written from the commit-by-commit verified reference
//! (`c08e63cb:vmbase/src/memory/shared.rs`, `vmbase/src/memory/error.rs`, `pvmfw/src/entry.rs`): the fault handler
//! (`docs/pvmfw-2024-05.md`, "The fault handler"), `MmioSharer` (`docs/pvmfw-2024-05.md`, "MmioSharer"), the
//! teardown and the drop order (`docs/pvmfw-2024-05.md`, "Boot and exit"), the errors (`docs/pvmfw-2024-05.md`,
//! "Errors").
//! Panics use Rust's own `unwrap`, `assert!` and `assert_eq!`, so their messages are Rust's.

use core::fmt;
use std::collections::BTreeSet;


use crate::kvm::HypError;
use crate::pvmfw::{self, CallbackTrace};
use crate::PvmfwMapping;
use crate::vmbase::{self, MmioGuard};

/// aarch64-paging's `PAGE_SIZE`: the granule without an MMIO guard, and what a granule must be a multiple of.
const PAGE_SIZE: usize = 4096;
/// `console::BASE_ADDRESS`, the UART (0x3f8); `page_4kb_of` of it is 0 (`dc715c49`).
const UART_BASE_ADDRESS: usize = 0x3f8;

/// `page_4kb_of(addr)`.
const fn page_4kb_of(addr: usize) -> usize {
    addr & !0xfff
}

/// `MemoryTrackerError` of the era: the 2023-11 fourteen, then DuplicateMmioShare (`bf098573`) and
/// UnsupportedMmioGuardGranule (`32d96796`), in declaration order, with their Display strings.
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
    DuplicateMmioShare(usize),
    UnsupportedMmioGuardGranule(usize),
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
            Self::DuplicateMmioShare(addr) => {
                write!(f, "Attempted to share the same MMIO region at {addr:#x} twice")
            }
            Self::UnsupportedMmioGuardGranule(g) => write!(f, "Unsupported MMIO guard granule: {g}"),
        }
    }
}

/// `MmioSharer` (`docs/pvmfw-2024-05.md`, "MmioSharer"; final form at `c08e63cb`): the granule and the set of granule bases shared.
pub struct MmioSharer {
    granule: usize,
    frames: BTreeSet<usize>,
    guard: Option<MmioGuard>,
}

impl MmioSharer {
    /// `MmioSharer::new()`: `get_granule()?`, then `assert!(granule.is_power_of_two())` (no message; 0 and 12 KiB
    /// pass the multiple test and fail here).
    pub fn new(guard: Option<MmioGuard>) -> Result<Self, MemoryTrackerError> {
        let granule = Self::get_granule(guard.as_ref())?;
        assert!(granule.is_power_of_two());
        Ok(Self { granule, frames: BTreeSet::new(), guard })
    }

    /// `get_granule()`: PAGE_SIZE without an MMIO guard; otherwise `granule()` (MMIO_GUARD_INFO; an error →
    /// Hypervisor), which must be a multiple of PAGE_SIZE ("For good measure.") or UnsupportedMmioGuardGranule(g).
    fn get_granule(guard: Option<&MmioGuard>) -> Result<usize, MemoryTrackerError> {
        let Some(guard) = guard else {
            return Ok(PAGE_SIZE);
        };
        let granule = guard.granule().map_err(MemoryTrackerError::Hypervisor)?;
        if granule % PAGE_SIZE == 0 {
            Ok(granule)
        } else {
            Err(MemoryTrackerError::UnsupportedMmioGuardGranule(granule))
        }
    }

    /// `share(addr)`: the base `unchecked_align_down(addr, granule)`; already shared, or equal to the UART's 4 KiB
    /// page → DuplicateMmioShare(base); with an MMIO guard `map(base)?`; the base inserted (`assert!(inserted)`); the
    /// range `base..base + granule` returned.
    pub fn share(&mut self, addr: usize) -> Result<(usize, usize), MemoryTrackerError> {
        let base = addr & !(self.granule - 1);
        if self.frames.contains(&base) || base == page_4kb_of(UART_BASE_ADDRESS) {
            return Err(MemoryTrackerError::DuplicateMmioShare(base));
        }
        if let Some(guard) = &self.guard {
            guard.map(base).map_err(MemoryTrackerError::Hypervisor)?;
        }
        let inserted = self.frames.insert(base);
        assert!(inserted);
        Ok((base, base.wrapping_add(self.granule)))
    }

    /// `unshare_all()`: without an MMIO guard the set is cleared; otherwise the smallest base is popped and
    /// `unmap(base).unwrap()`ped until none is left (a hypervisor error panics).
    pub fn unshare_all(&mut self) {
        let Some(guard) = &self.guard else {
            self.frames.clear();
            return;
        };
        while let Some(base) = self.frames.pop_first() {
            guard.unmap(base).unwrap();
        }
    }
}

impl Drop for MmioSharer {
    fn drop(&mut self) {
        self.unshare_all();
    }
}

/// The era's tracker (the MMIO part and the main memory window).
pub struct Tracker {
    pub total: (usize, usize),
    pub mmio_range: (usize, usize),
    pub mmio_regions: Vec<(usize, usize)>,
    pub guard: Option<MmioGuard>,
    /// Declared after the page table in vmbase, so dropped after it (`758d65de:vmbase/src/memory/shared.rs`): the handle
    /// drops the root table first, then takes this out and drops it.
    pub mmio_sharer: Option<MmioSharer>,
    pub trace: CallbackTrace,
}

impl Tracker {
    /// `MemoryTracker::new(..)`: the overlap assertion, DBM on, the table activated, then
    /// `MmioSharer::new().unwrap()` (an unsupported granule or an INFO error panics here).
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
        let mmio_sharer = MmioSharer::new(guard.clone()).unwrap();
        Self { total, mmio_range, mmio_regions: Vec::new(), guard, mmio_sharer: Some(mmio_sharer), trace }
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

    /// `map_mmio_range(range)`, as in 2023-11: OutOfRange, Overlaps, Full; lazy with an MMIO guard, eager
    /// DEVICE without (FailedToMap); push (Full).
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

    /// `handle_mmio_fault(addr)` (`docs/pvmfw-2024-05.md`, "The fault handler"): `share(addr)?` (the duplicate and UART check, the MAP, the
    /// base recorded), then `map_lazy_mmio_as_valid(base..base + granule)`: a 0.5 `modify_range` with the
    /// lazy-as-valid closure over the whole granule, stopping at the first refusal with the updates made kept (→
    /// InvalidPte).
    pub fn handle_mmio_fault(
        &mut self,
        root: &mut PvmfwMapping,
        addr: usize,
    ) -> Result<(), MemoryTrackerError> {
        let sharer = self.mmio_sharer.as_mut().expect("MmioSharer dropped");
        let (start, end) = sharer.share(addr)?;
        vmbase::modify_range_05(root, &self.trace, start, end, vmbase::lazy_as_valid)
            .map_err(|_| MemoryTrackerError::InvalidPte)
    }

    /// `unshare_all_mmio()` (`bf098573`): `mmio_sharer.unshare_all()`; always Ok (a refused
    /// UNMAP panics inside).
    pub fn unshare_all_mmio(&mut self) -> Result<(), MemoryTrackerError> {
        if let Some(sharer) = self.mmio_sharer.as_mut() {
            sharer.unshare_all();
        }
        Ok(())
    }
}
