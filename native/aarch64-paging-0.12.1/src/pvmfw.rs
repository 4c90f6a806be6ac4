//! pvmfw's memory tracker at the seed change ("pvmfw: Optimize MMIO guard map"), as it runs on the real
//! aarch64-paging 0.12.1 (`docs/pvmfw-2024-05.md`, "The port per cell", row 2023-05): the 0.4.0 oracle's `pvmfw.rs`
//! with the crate's calls ported — pvmfw's page table is `IdMap::with_asid(1, 1, El1And0)` (here a `Mapping` of
//! El1&0, ASID 1, root level 1, lower range, over the arena, mapping identity), its attribute sets are 2025
//! libvmbase's for crates from 0.6 on (attribute indexes, UXN, ACCESSED given), and the seed's callbacks run over
//! 0.12.1's `modify_range` (leaves only, splitting first; `UpdatableDescriptor`; `flags()` cannot fail, so the seed's
//! `expect` has nothing left to refuse). Everything else is the 0.4.0 transcription's, rule for rule:
//! the page table's attribute sets, `MemoryTracker` (its RAM part: `shrink`, `alloc_range`, `alloc_range_mut`,
//! `alloc`, `alloc_mut`; its MMIO part: `map_mmio_range`, `handle_mmio_fault`, `mmio_unmap_all`; memory sharing:
//! `init_dynamic_shared_pool`, `init_static_shared_pool`, `alloc_shared`, `dealloc_shared`, `unshare_all_memory`)
//! and the seed's callbacks (`is_leaf_pte`, `verify_lazy_mapped_block`, `mmio_guard_unmap_page`). Our own expression
//! of that code, written from its description; panics use the same `expect`, `unwrap`, `assert!`, `assert_eq!` and
//! `assert_ne!` so their messages are Rust's own.
//!
//! The shared pool and the heap it refills from are not pvmfw's allocators (a buddy `FrameAllocator<32>` and the
//! global allocator) but the stand-ins the Java era uses, written again here rule for rule (`Extents`: lowest-address
//! first, aligned), so both sides hand out the same addresses; what they share with the host is what is compared.
//!
//! Every callback the tracker runs inside `modify_range` is traced (range, level, descriptor before and after) into
//! the tracker's `trace`, also when the callback panics.

use core::alloc::Layout;
use core::cell::RefCell;
use core::fmt;
use core::num::NonZeroUsize;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use aarch64_paging::descriptor::{El1Attributes as Attributes, PhysicalAddress, UpdatableDescriptor};
use aarch64_paging::paging::{Constraints, MemoryRegion};
use aarch64_paging::MapError;
use std::panic::{self, AssertUnwindSafe};

use crate::kvm::{HypError, Kvm};
use crate::{PvmfwMapping, PvpTraceEntry};

/// `mmu::MMIO_LAZY_MAP_FLAG`.
pub(crate) const MMIO_LAZY_MAP_FLAG: Attributes = Attributes::SWFLAG_0;
/// `helpers::PVMFW_PAGE_SIZE`.
const PVMFW_PAGE_SIZE: usize = 4096;
/// `MemoryTracker`'s capacity of MMIO regions.
const MMIO_CAPACITY: usize = 5;
/// pvmfw's own 4 MiB below main memory.
const PVMFW_RANGE: (usize, usize) = (0x7fc0_0000, 0x8000_0000);
/// `MemoryTracker`'s capacity of RAM regions.
const CAPACITY: usize = 5;
/// The heap shared memory comes from: pvmfw's `HEAP` in .bss, `HEAP_SIZE` = 0x20000 (Java `CrosvmLayout.HEAP`).
const HEAP: (usize, usize) = (0x7fe1_0000, 0x7fe1_0000 + 0x20000);

/// libvmbase's `NORMAL` for crates from 0.6 on: ATTRIBUTE_INDEX_1 (MAIR Attr1, write-back) | INNER_SHAREABLE.
fn normal() -> Attributes {
    Attributes::ATTRIBUTE_INDEX_1 | Attributes::INNER_SHAREABLE
}

/// libvmbase's `DEVICE_NGNRE`: ATTRIBUTE_INDEX_0 (MAIR Attr0, Device-nGnRE).
fn device_ngnre() -> Attributes {
    Attributes::ATTRIBUTE_INDEX_0
}

/// `MEMORY`: VALID | NORMAL | NON_GLOBAL | ACCESSED (`0xf05`; ACCESSED given, 0.12.1 adds none).
fn memory() -> Attributes {
    Attributes::VALID | normal() | Attributes::NON_GLOBAL | Attributes::ACCESSED
}

/// `CODE`: MEMORY | READ_ONLY.
pub fn code() -> Attributes {
    memory() | Attributes::READ_ONLY
}

/// `DATA`: MEMORY | UXN (EXECUTE_NEVER becomes UXN only).
pub fn data() -> Attributes {
    memory() | Attributes::UXN
}

/// `RODATA`: DATA | READ_ONLY.
pub fn rodata() -> Attributes {
    data() | Attributes::READ_ONLY
}

/// `DEVICE_LAZY`: SWFLAG_0 | DEVICE_NGNRE | UXN | ACCESSED, no VALID (`0x00c0_0000_0000_0400`).
pub fn device_lazy() -> Attributes {
    MMIO_LAZY_MAP_FLAG | device_ngnre() | Attributes::UXN | Attributes::ACCESSED
}

/// `DEVICE`: DEVICE_LAZY | VALID.
pub fn device() -> Attributes {
    device_lazy() | Attributes::VALID
}

/// `MemoryTrackerError` at the seed change, in declaration order.
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

/// `IdMap::map_range`'s equivalent on the arena: pa = the region's (page-aligned) start, no constraints.
pub fn identity_map(root: &mut PvmfwMapping, start: usize, end: usize, flags: Attributes) -> Result<(), MapError> {
    identity_map_with(root, start, end, flags, Constraints::empty())
}

/// `IdMap::map_range_with_constraints`'s equivalent on the arena.
pub fn identity_map_with(
    root: &mut PvmfwMapping,
    start: usize,
    end: usize,
    flags: Attributes,
    constraints: Constraints,
) -> Result<(), MapError> {
    let region = MemoryRegion::new(start, end);
    let pa = PhysicalAddress(region.start().0);
    root.map_range(&region, pa, flags, constraints)
}

/// An entry as a 0.12.1 `modify_range` callback is given it.
pub type Desc<'a> = UpdatableDescriptor<'a, Attributes>;

/// Half-open overlap: `max(starts) < min(ends)`; an empty range overlaps nothing.
fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0.max(b.0) < a.1.min(b.1)
}

/// `is_within`: `start >= o.start && end <= o.end`.
fn is_within(a: (usize, usize), o: (usize, usize)) -> bool {
    a.0 >= o.0 && a.1 <= o.1
}

/// A RAM region's `MemoryType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemoryType {
    ReadOnly,
    ReadWrite,
}

/// The trace of the callbacks the tracker has run, shared with the callbacks themselves (the crate's updater is
/// `'static`).
pub type CallbackTrace = Rc<RefCell<Vec<PvpTraceEntry>>>;

/// `MemoryTracker` at the seed change.
pub struct Tracker {
    /// The main memory window.
    pub total: (usize, usize),
    pub regions: Vec<((usize, usize), MemoryType)>,
    pub mmio_regions: Vec<(usize, usize)>,
    pub kvm: Kvm,
    pub trace: CallbackTrace,
    /// `SHARED_MEMORY`, a field here as in the Java era.
    pub shared_memory: Option<MemorySharer>,
    /// `SHARED_POOL`, set once.
    pub shared_pool: Option<Extents>,
    pub heap: Rc<RefCell<Heap>>,
}

impl Tracker {
    /// `MemoryTracker::new(page_table)` over `kvm`, its main memory window `total`; its callbacks are traced into
    /// `trace`.
    pub fn new(trace: CallbackTrace, total: (usize, usize), kvm: Kvm) -> Self {
        Self {
            total,
            regions: Vec::new(),
            mmio_regions: Vec::new(),
            kvm,
            trace,
            shared_memory: None,
            shared_pool: None,
            heap: Rc::new(RefCell::new(Heap::new(HEAP.0, HEAP.1 - HEAP.0))),
        }
    }

    // --- RAM -----------------------------------------------------------------------------------------------------

    /// `shrink(range)`: DifferentBaseAddress, SizeTooLarge, SizeTooSmall, in that order.
    pub fn shrink(&mut self, range: (usize, usize)) -> Result<(), MemoryTrackerError> {
        if range.0 != self.total.0 {
            return Err(MemoryTrackerError::DifferentBaseAddress);
        }
        if self.total.1 < range.1 {
            return Err(MemoryTrackerError::SizeTooLarge);
        }
        if !self.regions.iter().all(|(r, _)| is_within(*r, range)) {
            return Err(MemoryTrackerError::SizeTooSmall);
        }
        self.total = range;
        Ok(())
    }

    /// `check`: within total → OutOfRange; overlapping a RAM region → Overlaps; full → Full.
    fn check(&self, range: (usize, usize)) -> Result<(), MemoryTrackerError> {
        if !is_within(range, self.total) {
            return Err(MemoryTrackerError::OutOfRange);
        }
        if self.regions.iter().any(|(r, _)| overlaps(*r, range)) {
            return Err(MemoryTrackerError::Overlaps);
        }
        if self.regions.len() == CAPACITY {
            return Err(MemoryTrackerError::Full);
        }
        Ok(())
    }

    fn add(&mut self, range: (usize, usize), mem_type: MemoryType) -> Result<(usize, usize), MemoryTrackerError> {
        if self.regions.len() == CAPACITY {
            return Err(MemoryTrackerError::Full);
        }
        self.regions.push((range, mem_type));
        Ok(range)
    }

    /// `alloc_range(range)`: checked, mapped RODATA (FailedToMap), tracked.
    pub fn alloc_range(
        &mut self,
        root: &mut PvmfwMapping,
        range: (usize, usize),
    ) -> Result<(usize, usize), MemoryTrackerError> {
        self.check(range)?;
        identity_map(root, range.0, range.1, rodata()).map_err(|_| MemoryTrackerError::FailedToMap)?;
        self.add(range, MemoryType::ReadOnly)
    }

    /// `alloc_range_mut(range)`: checked, mapped DATA (the seed's; DATA_DBM came the next day), tracked.
    pub fn alloc_range_mut(
        &mut self,
        root: &mut PvmfwMapping,
        range: (usize, usize),
    ) -> Result<(usize, usize), MemoryTrackerError> {
        self.check(range)?;
        identity_map(root, range.0, range.1, data()).map_err(|_| MemoryTrackerError::FailedToMap)?;
        self.add(range, MemoryType::ReadWrite)
    }

    /// `alloc(base, size)`: `alloc_range(base..base + size)` (the sum wraps: release build).
    pub fn alloc(
        &mut self,
        root: &mut PvmfwMapping,
        base: usize,
        size: NonZeroUsize,
    ) -> Result<(usize, usize), MemoryTrackerError> {
        self.alloc_range(root, (base, base.wrapping_add(size.get())))
    }

    /// `alloc_mut(base, size)`: `alloc_range_mut(base..base + size)`.
    pub fn alloc_mut(
        &mut self,
        root: &mut PvmfwMapping,
        base: usize,
        size: NonZeroUsize,
    ) -> Result<(usize, usize), MemoryTrackerError> {
        self.alloc_range_mut(root, (base, base.wrapping_add(size.get())))
    }

    // --- shared memory -------------------------------------------------------------------------------------------

    /// `init_dynamic_shared_pool()`: the granule from HYP_MEMINFO (Hypervisor(e)); a new sharer replaces any previous
    /// one, which is dropped (unsharing its memory) and the call fails with SharedMemorySetFailure; then the pool is
    /// set once (SharedPoolSetFailure).
    pub fn init_dynamic_shared_pool(&mut self) -> Result<(), MemoryTrackerError> {
        let granule = self.kvm.memory_protection_granule().map_err(MemoryTrackerError::Hypervisor)?;
        let sharer = MemorySharer::new(granule, Rc::clone(&self.heap), self.kvm.clone());
        let previous = self.shared_memory.replace(sharer);
        if let Some(previous) = previous {
            drop(previous);
            return Err(MemoryTrackerError::SharedMemorySetFailure);
        }
        if self.shared_pool.is_some() {
            return Err(MemoryTrackerError::SharedPoolSetFailure);
        }
        self.shared_pool = Some(Extents::default());
        Ok(())
    }

    /// `init_static_shared_pool(range)`: `alloc_mut`s the range (an empty one: the `NonZeroUsize` unwrap panics) and
    /// makes it the pool (SharedPoolSetFailure if one is set; the allocation stays).
    pub fn init_static_shared_pool(
        &mut self,
        root: &mut PvmfwMapping,
        range: (usize, usize),
    ) -> Result<(), MemoryTrackerError> {
        let size = NonZeroUsize::new(range.1.saturating_sub(range.0)).unwrap();
        let allocated = self.alloc_mut(root, range.0, size)?;
        let mut pool = Extents::default();
        pool.add(allocated.0, allocated.1);
        if self.shared_pool.is_some() {
            return Err(MemoryTrackerError::SharedPoolSetFailure);
        }
        self.shared_pool = Some(pool);
        Ok(())
    }

    /// `alloc_shared(layout)`: from the pool; on a miss the sharer (if any) refills it with the layout and it is tried
    /// again. Panics as pvmfw's: an invalid layout, size 0, no pool, nothing available (`handle_alloc_error`'s
    /// message; it would abort the process here, so it is a panic), a refused MEM_SHARE.
    pub fn alloc_shared(&mut self, size: usize, align: usize) -> usize {
        let layout = Layout::from_size_align(size, align).unwrap();
        assert_ne!(layout.size(), 0);
        let pool = self.shared_pool.as_mut().unwrap();
        let mut buffer = pool.alloc_aligned(layout);
        if buffer.is_none() {
            if let Some(sharer) = self.shared_memory.as_mut() {
                sharer.refill(pool, layout);
                buffer = pool.alloc_aligned(layout);
            }
        }
        match buffer {
            Some(buffer) => buffer,
            None => panic!("memory allocation of {} bytes failed", layout.size()),
        }
    }

    /// `dealloc_shared(vaddr, layout)`: back to the pool (no pool: the unwrap panics); nothing is unshared.
    pub fn dealloc_shared(&mut self, vaddr: usize, layout: Layout) {
        self.shared_pool.as_mut().unwrap().dealloc_aligned(vaddr, layout);
    }

    /// `unshare_all_memory()`: drops the sharer, which MEM_UNSHAREs everything it shared.
    pub fn unshare_all_memory(&mut self) {
        drop(self.shared_memory.take());
    }

    // --- MMIO ----------------------------------------------------------------------------------------------------

    /// `map_mmio_range`: checks in pvmfw's order, then lazy DEVICE descriptors; no hypercall.
    pub fn map_mmio_range(
        &mut self,
        root: &mut PvmfwMapping,
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
    pub fn mmio_unmap_all(&mut self, root: &mut PvmfwMapping) -> Result<(), MemoryTrackerError> {
        for range in &self.mmio_regions {
            let kvm = self.kvm.clone();
            let unmap = traced(&self.trace, move |va_range: &MemoryRegion, desc: &mut Desc<'_>| {
                mmio_guard_unmap_page(&kvm, va_range, desc)
            });
            root.modify_range(&MemoryRegion::new(range.0, range.1), &unmap)
                .map_err(|_| MemoryTrackerError::FailedToUnmap)?;
        }
        Ok(())
    }

    /// `handle_mmio_fault`: verify the page is a lazy leaf, MMIO_GUARD_MAP it, map it DEVICE (splitting a block).
    pub fn handle_mmio_fault(
        &mut self,
        root: &mut PvmfwMapping,
        addr: usize,
    ) -> Result<(), MemoryTrackerError> {
        let page = addr & !(PVMFW_PAGE_SIZE - 1);
        let end = page.wrapping_add(PVMFW_PAGE_SIZE);
        root.modify_range(&MemoryRegion::new(page, end), &traced(&self.trace, verify_lazy_mapped_block))
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

/// The seed's `verify_lazy_mapped_block` (`flags()` cannot fail on 0.12.1: the seed's `expect` has nothing to refuse).
pub fn verify_lazy_mapped_block(_range: &MemoryRegion, desc: &mut Desc<'_>) -> Result<(), ()> {
    let flags = desc.flags();
    if !is_leaf_pte(&flags, desc.level()) {
        return Ok(());
    }
    if flags.contains(MMIO_LAZY_MAP_FLAG) && !flags.contains(Attributes::VALID) {
        Ok(())
    } else {
        Err(())
    }
}

/// The seed's `mmio_guard_unmap_page`, bound to a hypervisor.
fn mmio_guard_unmap_page(kvm: &Kvm, va_range: &MemoryRegion, desc: &mut Desc<'_>) -> Result<(), ()> {
    let flags = desc.flags();
    if is_leaf_pte(&flags, desc.level()) && flags.contains(Attributes::VALID) {
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

/// `f`, recording each call in `trace`: the entry's range, level and descriptor before, then the descriptor after
/// (also when `f` panics: the panic is caught, the entry completed, and the panic resumed).
pub fn traced(
    trace: &CallbackTrace,
    f: impl Fn(&MemoryRegion, &mut Desc<'_>) -> Result<(), ()> + 'static,
) -> impl Fn(&MemoryRegion, &mut Desc<'_>) -> Result<(), ()> + 'static {
    let trace = Rc::clone(trace);
    move |range: &MemoryRegion, desc: &mut Desc<'_>| {
        let before = desc.bits() as u64;
        let index = {
            let mut t = trace.borrow_mut();
            t.push(PvpTraceEntry {
                start: range.start().0 as u64,
                end: range.end().0 as u64,
                level: desc.level() as u32,
                applied: crate::PVP_APPLIED_NONE,
                before,
                after: before,
                result: crate::PVP_UPDATER_OK,
                updated: 0,
            });
            t.len() - 1
        };
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| f(range, &mut *desc)));
        if let Ok(mut t) = trace.try_borrow_mut() {
            t[index].after = desc.bits() as u64;
        }
        match outcome {
            Ok(answer) => answer,
            Err(payload) => panic::resume_unwind(payload),
        }
    }
}

/// Free address extents, coalesced; lowest-address-first aligned allocation: Java's `dev.pvmfw.era.Extents`, rule for
/// rule (the stand-in for both the shared pool and the heap).
#[derive(Default)]
pub struct Extents {
    free: BTreeMap<usize, usize>,
}

impl Extents {
    /// Adds `start..end` (nothing if empty or backwards), merging with neighbours.
    pub fn add(&mut self, mut start: usize, mut end: usize) {
        if start >= end {
            return;
        }
        if let Some((&s, &e)) = self.free.range(..=start).next_back() {
            if e >= start {
                start = s;
                end = end.max(e);
                self.free.remove(&s);
            }
        }
        while let Some((&s, &e)) = self.free.range(start..).next() {
            if s > end {
                break;
            }
            end = end.max(e);
            self.free.remove(&s);
        }
        self.free.insert(start, end);
    }

    /// The lowest `align`-aligned `size` bytes that are free, taken.
    pub fn take(&mut self, size: usize, align: usize) -> Option<usize> {
        let found = self.free.iter().find_map(|(&s, &end)| {
            let a = (s.wrapping_sub(1) | align.wrapping_sub(1)).wrapping_add(1);
            if a < s {
                return None;
            }
            let stop = a.wrapping_add(size);
            (stop >= a && stop <= end).then_some((s, end, a, stop))
        });
        let (s, end, a, stop) = found?;
        self.free.remove(&s);
        self.add(s, a);
        self.add(stop, end);
        Some(a)
    }

    /// `FrameAllocator::alloc_aligned(layout)`: a block of `max(size.next_power_of_two(), align)` bytes aligned to its
    /// size.
    pub fn alloc_aligned(&mut self, layout: Layout) -> Option<usize> {
        let block = block_size(layout.size(), layout.align());
        if block == 0 {
            None
        } else {
            self.take(block, block)
        }
    }

    /// `FrameAllocator::dealloc_aligned(frame, layout)`.
    pub fn dealloc_aligned(&mut self, frame: usize, layout: Layout) {
        let block = block_size(layout.size(), layout.align());
        if block != 0 {
            self.add(frame, frame.wrapping_add(block));
        }
    }
}

/// `max(size.next_power_of_two(), align)`, or 0 where it does not fit in 63 bits (Java's `SharedPool.blockSize`).
fn block_size(size: usize, align: usize) -> usize {
    if size > i64::MAX as usize || align == 0 || align > i64::MAX as usize {
        return 0;
    }
    let pow = if size <= 1 { 1 } else { 1usize << (usize::BITS - (size - 1).leading_zeros()) };
    if pow > i64::MAX as usize {
        return 0;
    }
    pow.max(align)
}

/// The heap shared memory is taken from: lowest-address first fit over `HEAP` (Java's `SimulatedHeap`).
pub struct Heap {
    free: Extents,
    allocated: HashMap<usize, usize>,
}

impl Heap {
    fn new(base: usize, size: usize) -> Self {
        let mut free = Extents::default();
        free.add(base, base + size);
        Self { free, allocated: HashMap::new() }
    }

    /// `alloc_zeroed(layout)`: the address, or None.
    fn alloc_zeroed(&mut self, layout: Layout) -> Option<usize> {
        if layout.size() == 0 || layout.size() > i64::MAX as usize {
            return None;
        }
        let at = self.free.take(layout.size(), layout.align())?;
        self.allocated.insert(at, layout.size());
        Some(at)
    }

    /// `dealloc(ptr, layout)`.
    fn dealloc(&mut self, address: usize, size: usize) {
        assert_eq!(self.allocated.remove(&address), Some(size), "dealloc of memory this heap did not allocate");
        self.free.add(address, address + size);
    }
}

/// pvmfw's `MemorySharer`: granule-aligned memory from the heap, MEM_SHAREd one granule at a time, MEM_UNSHAREd (and
/// given back) when dropped, last region first.
pub struct MemorySharer {
    granule: usize,
    shared_regions: Vec<(usize, Layout)>,
    heap: Rc<RefCell<Heap>>,
    kvm: Kvm,
}

impl MemorySharer {
    const INIT_CAP: usize = 10;

    fn new(granule: usize, heap: Rc<RefCell<Heap>>, kvm: Kvm) -> Self {
        assert!(granule.is_power_of_two());
        Self { granule, shared_regions: Vec::with_capacity(Self::INIT_CAP), heap, kvm }
    }

    /// `refill(pool, hint)`: `hint.align_to(granule).pad_to_align()` from the heap, zeroed; every granule shared
    /// (ascending); the region recorded and given to the pool.
    fn refill(&mut self, pool: &mut Extents, hint: Layout) {
        let layout = hint.align_to(self.granule).unwrap().pad_to_align();
        assert_ne!(layout.size(), 0);
        let Some(shared) = self.heap.borrow_mut().alloc_zeroed(layout) else {
            panic!("memory allocation of {} bytes failed", layout.size());
        };
        let end = shared.checked_add(layout.size()).unwrap();
        let mut vaddr = shared;
        while vaddr < end {
            self.kvm.mem_share(vaddr as u64).unwrap();
            vaddr += self.granule;
        }
        self.shared_regions.push((shared, layout));
        pool.add(shared, end);
    }
}

impl Drop for MemorySharer {
    fn drop(&mut self) {
        while let Some((base, layout)) = self.shared_regions.pop() {
            let end = base + layout.size();
            let mut vaddr = base;
            while vaddr < end {
                self.kvm.mem_unshare(vaddr as u64).unwrap();
                vaddr += self.granule;
            }
            self.heap.borrow_mut().dealloc(base, layout.size());
        }
    }
}
