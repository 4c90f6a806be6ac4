//! What the eras from 2023-06 on share (`docs/pvmfw-2023-11.md`, "What changed since the seed"), as they run on the
//! real aarch64-paging 0.12.1 (`docs/pvmfw-2024-05.md`, "The port per cell"): vmbase's `RangeExt` (`4c70d14f`,
//! `758d65de:vmbase/src/util.rs`), crosvm's windows (`758d65de:vmbase/src/layout/crosvm.rs`), the lazy-as-valid
//! closure of the fault handler (`5815c8b4:vmbase/src/memory/shared.rs`; the same closure in 2024-05's
//! `map_lazy_mmio_as_valid`) with its in-place edit `modify_flags(VALID, ∅)` through 0.12.1's `UpdatableDescriptor`
//! (aarch64-paging 0.12 reference, R4 op 1: on the flags-only lazy page it writes `0x00c0_0000_0000_0401`, output
//! address 0 and `0b01` at level 3, and the crate accepts it), and aarch64-paging 0.5's two walks, `modify_range` and
//! `walk_range`, over 0.12.1's own `modify_range` — the port the Java side's `dev.pvmfw.era.LeafWalks` writes once for
//! every crate (`docs/pvmfw-2023-11.md`, "The port onto 0.4.0"), here as the 0.4.0 oracle's `vmbase.rs` has it.
//!
//! The port on 0.12.1: 0.12.1's `modify_range` already passes leaves only and splits what the range cuts, so the
//! look-only pass finds no lazy block to split (its calls are still made and traced, as the port makes them on every
//! crate), no `map_range` follows, and the second pass is 0.5's walk; table descriptors, which 0.12.1 never passes,
//! would be skipped. On a live table (the eras activate it) the crate runs each closure twice per leaf, its
//! break-before-make dry run first. The teardown's `walk_range` is likewise a `modify_range` whose closure only reads.
//! Every closure the crate is given is traced (`pvmfw::traced`), the look-only one too.

use core::cell::RefCell;
use std::rc::Rc;

use aarch64_paging::descriptor::El1Attributes as Attributes;
use aarch64_paging::paging::MemoryRegion;
use aarch64_paging::MapError;

use crate::kvm::{
    positive_or_error_64, success_or_error_32, success_or_error_64, HypError, KvmError, RecordingHyp,
    VENDOR_HYP_KVM_MMIO_GUARD_INFO, VENDOR_HYP_KVM_MMIO_GUARD_MAP, VENDOR_HYP_KVM_MMIO_GUARD_UNMAP,
};
use crate::pvmfw::{self, CallbackTrace, Desc, MMIO_LAZY_MAP_FLAG};
use crate::PvmfwMapping;

/// `crosvm::MEM_START`: main memory's start (`total` = `crosvm::MEM_START .. MAX_VIRT_ADDR`).
pub(crate) const RAM_START: usize = 0x8000_0000;
/// `layout::MAX_VIRT_ADDR` = 1 << 40.
pub(crate) const MAX_VIRT_ADDR: usize = 1 << 40;
/// `crosvm::MMIO_RANGE` = 0x0..0x4000_0000 (`758d65de:vmbase/src/layout/crosvm.rs`).
pub(crate) const MMIO_RANGE: (usize, usize) = (0, 0x4000_0000);
/// `MemoryTracker`'s capacity of MMIO regions, 5 through `758d65de` (RAM's is 5 too).
pub(crate) const MMIO_CAPACITY: usize = 5;
/// The panic message of `MemoryTracker::new`'s assertion (`93ee98ac`).
pub(crate) const MMIO_OVERLAPS_MEMORY: &str = "MMIO space should not overlap with the main memory region.";

/// vmbase's `RangeExt::overlaps`: `self.start < other.end && other.start < self.end`, so an empty range strictly
/// inside another overlaps it (`docs/pvmfw-2023-11.md`, "What changed since the seed").
pub fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// vmbase's `RangeExt::is_within`: `self.start >= other.start && self.end <= other.end`.
pub fn is_within(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 >= b.0 && a.1 <= b.1
}

/// The MMIO guard of pKVM as the eras' tracker uses it (`MmioGuardedHypervisor`: `map`, `unmap`, `granule`), over the
/// recording hypervisor. MAP and UNMAP pass the 4 KiB page of their argument (`758d65de:vmbase/src/hyp/hypervisor/
/// kvm.rs`). Android 13's two bugs (`docs/pvmfw-2023-05.md`, "The hypervisor"): from 2023-04 to 2024-04 libhyp always reads MAP as
/// an i32 and counts UNMAP's NOT_SUPPORTED as success; from `06c57028` both sit behind the crate feature
/// `compat_android_13`, which vmbase's build enables (`docs/pvmfw-2024-05.md`, "Errors").
#[derive(Clone)]
pub struct MmioGuard {
    pub hyp: Rc<RefCell<RecordingHyp>>,
    /// The Android 13 workarounds (always on in 2023-11; the crate feature in 2024-05).
    pub compat_android_13: bool,
}

impl MmioGuard {
    /// `map(addr)`: MMIO_GUARD_MAP of `page_4kb_of(addr)`; an error is `KvmError(e, MAP)`.
    pub fn map(&self, addr: usize) -> Result<(), HypError> {
        let x0 = self.hyp.borrow_mut().hvc64(VENDOR_HYP_KVM_MMIO_GUARD_MAP, (addr & !0xfff) as u64);
        let result = if self.compat_android_13 { success_or_error_32(x0) } else { success_or_error_64(x0) };
        result.map_err(|e| HypError::KvmError(e, VENDOR_HYP_KVM_MMIO_GUARD_MAP))
    }

    /// `unmap(addr)`: MMIO_GUARD_UNMAP of `page_4kb_of(addr)`; NOT_SUPPORTED is success with the workarounds.
    pub fn unmap(&self, addr: usize) -> Result<(), HypError> {
        let x0 = self.hyp.borrow_mut().hvc64(VENDOR_HYP_KVM_MMIO_GUARD_UNMAP, (addr & !0xfff) as u64);
        match success_or_error_64(x0) {
            Ok(()) => Ok(()),
            Err(KvmError::NotSupported) if self.compat_android_13 => Ok(()),
            Err(e) => Err(HypError::KvmError(e, VENDOR_HYP_KVM_MMIO_GUARD_UNMAP)),
        }
    }

    /// `granule()`: MMIO_GUARD_INFO, `positive_or_error_64` (`32d96796`).
    pub fn granule(&self) -> Result<usize, HypError> {
        let x0 = self.hyp.borrow_mut().hvc64(VENDOR_HYP_KVM_MMIO_GUARD_INFO, 0);
        positive_or_error_64(x0)
            .map(|g| g as usize)
            .map_err(|e| HypError::KvmError(e, VENDOR_HYP_KVM_MMIO_GUARD_INFO))
    }
}

/// The closure of the fault handler's `modify_range` (`docs/pvmfw-2023-11.md`, "The fault handler", step 3): the flags parsed
/// with `expect("Unsupported PTE flags set")` (0.12.1's `flags()` cannot fail); a leaf with SWFLAG_0 and without VALID
/// gets VALID set in place with `modify_flags(VALID, ∅)` and is accepted (what the crate answers is not looked at: 0.5's
/// `modify_flags` answered nothing, and the Java port ignores it too), anything else is refused.
pub fn lazy_as_valid(_chunk: &MemoryRegion, desc: &mut Desc<'_>) -> Result<(), ()> {
    let flags = desc.flags();
    if flags.contains(MMIO_LAZY_MAP_FLAG) && !flags.contains(Attributes::VALID) {
        let _ = desc.modify_flags(Attributes::VALID, Attributes::empty());
        Ok(())
    } else {
        Err(())
    }
}

/// A table descriptor as 0.4.0 walks it: below level 3 and `is_table_or_page` (bits 1:0 = 0b11; 0.5 and 0.12.1 never
/// pass one to a closure).
fn is_table(desc: &Desc<'_>) -> bool {
    desc.level() < 3 && desc.bits() & 3 == 3
}

/// pvmfw's lazy descriptor: SWFLAG_0 set, VALID clear.
fn is_lazy(desc: &Desc<'_>) -> bool {
    let bits = desc.bits() as u64;
    bits & MMIO_LAZY_MAP_FLAG.bits() as u64 != 0 && bits & Attributes::VALID.bits() as u64 == 0
}

/// `inner` lies within `outer` (ends compared as last bytes, so an end of 0 is 2^64).
fn within(inner: &MemoryRegion, outer: &MemoryRegion) -> bool {
    inner.start().0 >= outer.start().0 && inner.end().0.wrapping_sub(1) <= outer.end().0.wrapping_sub(1)
}

/// `range` clipped to `request` (0.5's chunk of a leaf).
fn clip(range: &MemoryRegion, request: &MemoryRegion) -> MemoryRegion {
    let start = range.start().0.max(request.start().0);
    let end = if range.end().0.wrapping_sub(1) <= request.end().0.wrapping_sub(1) {
        range.end().0
    } else {
        request.end().0
    };
    MemoryRegion::new(start, end)
}

/// 0.5's `modify_range(&MemoryRegion::new(start, end), f)` through the port (see the module comment): the lazy blocks
/// the range cuts split first (on 0.12.1 there are none: the crate split them), then `f` on every leaf with its chunk;
/// the first `Err` stops the walk, the updates already made stay. Errors: the crate's (AddressRange, RegionBackwards,
/// BreakBeforeMakeViolation on a live table when `f` refuses in the dry run, PteUpdateFault), or the split's.
pub fn modify_range_05(
    root: &mut PvmfwMapping,
    trace: &CallbackTrace,
    start: usize,
    end: usize,
    f: fn(&MemoryRegion, &mut Desc<'_>) -> Result<(), ()>,
) -> Result<(), MapError> {
    let request = MemoryRegion::new(start, end);
    let cut: Rc<RefCell<Vec<(usize, usize)>>> = Rc::new(RefCell::new(Vec::new()));
    let found = Rc::clone(&cut);
    let req = request.clone();
    let look = pvmfw::traced(trace, move |range: &MemoryRegion, desc: &mut Desc<'_>| {
        if !is_table(desc) && is_lazy(desc) && !within(range, &req) {
            let part = clip(range, &req);
            found.borrow_mut().push((part.start().0, part.end().0));
        }
        Ok(())
    });
    root.modify_range(&request, &look)?;
    let parts: Vec<(usize, usize)> = cut.borrow().clone();
    for (s, e) in parts {
        pvmfw::identity_map(root, s, e, pvmfw::device_lazy())?;
    }
    let req = request.clone();
    let apply = pvmfw::traced(trace, move |range: &MemoryRegion, desc: &mut Desc<'_>| {
        if is_table(desc) {
            Ok(())
        } else {
            f(&clip(range, &req), desc)
        }
    });
    root.modify_range(&request, &apply)
}

/// 0.5's `walk_range(&MemoryRegion::new(start, end), f)` through the port: `f` on every leaf in VA order with its chunk
/// clipped to the range and its level, nothing split or changed by `f`; the first `Err` stops the walk.
pub fn walk_range_05(
    root: &mut PvmfwMapping,
    trace: &CallbackTrace,
    start: usize,
    end: usize,
    f: impl Fn(&MemoryRegion, &Desc<'_>, usize) -> Result<(), ()> + 'static,
) -> Result<(), MapError> {
    let request = MemoryRegion::new(start, end);
    let req = request.clone();
    let visit = pvmfw::traced(trace, move |range: &MemoryRegion, desc: &mut Desc<'_>| {
        if is_table(desc) {
            Ok(())
        } else {
            let level = desc.level();
            f(&clip(range, &req), desc, level)
        }
    });
    root.modify_range(&request, &visit)
}
