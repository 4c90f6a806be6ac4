//! pvmfw's lazy MMIO path at the seed change ("pvmfw: Optimize MMIO guard map"), over the real aarch64-paging 0.4.0:
//! the page table's attribute sets, `MemoryTracker`'s MMIO part (`map_mmio_range`, `handle_mmio_fault`,
//! `mmio_unmap_all`) and the seed's callbacks (`is_leaf_pte`, `verify_lazy_mapped_block`, `mmio_guard_unmap_page`).
//! Our own expression of that code, written from its description; panics use the same `expect`, `assert!` and
//! `assert_eq!` so their messages are Rust's own.

use core::fmt;

use aarch64_paging::paging::{Attributes, Descriptor, MemoryRegion, PhysicalAddress, RootTable, Translation};
use aarch64_paging::MapError;

use crate::kvm::{HypError, Kvm};

/// `mmu::MMIO_LAZY_MAP_FLAG`.
pub(crate) const MMIO_LAZY_MAP_FLAG: Attributes = Attributes::SWFLAG_0;
/// `helpers::PVMFW_PAGE_SIZE`.
const PVMFW_PAGE_SIZE: usize = 4096;
/// `MemoryTracker`'s capacity of MMIO regions.
const MMIO_CAPACITY: usize = 5;
/// pvmfw's own 4 MiB below main memory.
const PVMFW_RANGE: (usize, usize) = (0x7fc0_0000, 0x8000_0000);

/// `DEVICE_LAZY`: SWFLAG_0 | DEVICE_NGNRE | EXECUTE_NEVER, no VALID.
pub fn device_lazy() -> Attributes {
    MMIO_LAZY_MAP_FLAG | Attributes::DEVICE_NGNRE | Attributes::EXECUTE_NEVER
}

/// `DEVICE`: DEVICE_LAZY | VALID.
pub fn device() -> Attributes {
    device_lazy() | Attributes::VALID
}

/// `MemoryTrackerError` at the seed change, in declaration order. The RAM-only variants are never produced by the
/// MMIO path expressed here; they are kept so the codes and Display strings are the whole enum's.
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
        }
    }
}

/// `IdMap::map_range`'s equivalent on the arena: pa = the region's (page-aligned) start.
pub fn identity_map<T: Translation>(
    root: &mut RootTable<T>,
    start: usize,
    end: usize,
    flags: Attributes,
) -> Result<(), MapError> {
    let region = MemoryRegion::new(start, end);
    let pa = PhysicalAddress(region.start().0);
    root.map_range(&region, pa, flags)
}

/// Half-open overlap: `max(starts) < min(ends)`; an empty range overlaps nothing.
fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0.max(b.0) < a.1.min(b.1)
}

/// The MMIO part of `MemoryTracker` at the seed change.
pub struct Tracker {
    /// The main memory window.
    pub total: (usize, usize),
    pub mmio_regions: Vec<(usize, usize)>,
    pub kvm: Kvm,
}

impl Tracker {
    /// `map_mmio_range`: checks in pvmfw's order, then lazy DEVICE descriptors; no hypercall.
    pub fn map_mmio_range<T: Translation>(
        &mut self,
        root: &mut RootTable<T>,
        range: (usize, usize),
    ) -> Result<(), MemoryTrackerError> {
        if range.1 > self.total.0 || overlaps(range, PVMFW_RANGE) {
            return Err(MemoryTrackerError::OutOfRange);
        }
        if self.mmio_regions.iter().any(|r| overlaps(*r, range)) {
            return Err(MemoryTrackerError::Overlaps);
        }
        if self.mmio_regions.len() == MMIO_CAPACITY {
            return Err(MemoryTrackerError::Full);
        }
        identity_map(root, range.0, range.1, device_lazy()).map_err(|_| MemoryTrackerError::FailedToMap)?;
        if self.mmio_regions.len() == MMIO_CAPACITY {
            return Err(MemoryTrackerError::Full);
        }
        self.mmio_regions.push(range);
        Ok(())
    }

    /// `mmio_unmap_all`: every VALID leaf of every region MMIO_GUARD_UNMAPped; the table is left as it is.
    pub fn mmio_unmap_all<T: Translation>(&mut self, root: &mut RootTable<T>) -> Result<(), MemoryTrackerError> {
        for range in &self.mmio_regions {
            let kvm = self.kvm.clone();
            let unmap = move |va_range: &MemoryRegion, desc: &mut Descriptor, level: usize| {
                mmio_guard_unmap_page(&kvm, va_range, desc, level)
            };
            root.modify_range(&MemoryRegion::new(range.0, range.1), &unmap)
                .map_err(|_| MemoryTrackerError::FailedToUnmap)?;
        }
        Ok(())
    }

    /// `handle_mmio_fault`: verify the page is a lazy leaf, MMIO_GUARD_MAP it, map it DEVICE (splitting a block).
    pub fn handle_mmio_fault<T: Translation>(
        &mut self,
        root: &mut RootTable<T>,
        addr: usize,
    ) -> Result<(), MemoryTrackerError> {
        let page = addr & !(PVMFW_PAGE_SIZE - 1);
        let end = page.wrapping_add(PVMFW_PAGE_SIZE);
        root.modify_range(&MemoryRegion::new(page, end), &verify_lazy_mapped_block)
            .map_err(|_| MemoryTrackerError::InvalidPte)?;
        self.kvm.mmio_guard_map(page as u64).map_err(MemoryTrackerError::Hypervisor)?;
        identity_map(root, page, end, device()).map_err(|_| MemoryTrackerError::FailedToMap)
    }
}

/// `is_leaf_pte`: with TABLE_OR_PAGE, a leaf only at level 3; without, only below 3.
fn is_leaf_pte(flags: &Attributes, level: usize) -> bool {
    const LEAF_PTE_LEVEL: usize = 3;
    if flags.contains(Attributes::TABLE_OR_PAGE) {
        level == LEAF_PTE_LEVEL
    } else {
        level < LEAF_PTE_LEVEL
    }
}

/// The seed's `verify_lazy_mapped_block`.
pub fn verify_lazy_mapped_block(_range: &MemoryRegion, desc: &mut Descriptor, level: usize) -> Result<(), ()> {
    let flags = desc.flags().expect("Unsupported PTE flags set");
    if !is_leaf_pte(&flags, level) {
        return Ok(());
    }
    if flags.contains(MMIO_LAZY_MAP_FLAG) && !flags.contains(Attributes::VALID) {
        Ok(())
    } else {
        Err(())
    }
}

/// The seed's `mmio_guard_unmap_page`, bound to a hypervisor.
fn mmio_guard_unmap_page(kvm: &Kvm, va_range: &MemoryRegion, desc: &mut Descriptor, level: usize) -> Result<(), ()> {
    let flags = desc.flags().expect("Unsupported PTE flags set");
    if is_leaf_pte(&flags, level) && flags.contains(Attributes::VALID) {
        assert!(flags.contains(MMIO_LAZY_MAP_FLAG), "Attempting MMIO guard unmap for non-device pages");
        assert_eq!(
            va_range.len(),
            PVMFW_PAGE_SIZE,
            "Failed to break down block mapping before MMIO guard mapping"
        );
        let page_base = va_range.start().0;
        assert_eq!(page_base % PVMFW_PAGE_SIZE, 0);
        kvm.mmio_guard_unmap(page_base as u64).map_err(|_| ())?;
    }
    Ok(())
}
