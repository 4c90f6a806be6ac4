//! Shared by both oracles (`native/hyp/README.md`; it does not touch aarch64-paging). The hypervisor side of pvmfw's
//! lazy MMIO path at the seed change: a recording KVM hypervisor (the raw `hvc64`
//! answers, a call log, error injection, the guard-mapped set) and libhyp's calls on top of it with their return
//! rules (`success_or_error_64/32`, `KvmError`, the Android 13 compatibility of the 2023-04 libhyp).
//!
//! The recording hypervisor follows exactly the rules of Java's `dev.pvmfw.hyp.RecordingHypervisor`, so both sides
//! produce the same call log: MMIO_GUARD_MAP and _UNMAP of a granule-aligned IPA answer 0 (idempotent), of an
//! unaligned one −3 (a granule of 0 or negative as an i64 accepts every IPA); MMIO_GUARD_INFO answers the granule
//! (the one it was made with: 4096 for the seed's tracker, else the tracker step's `granule=`), _ENROLL 0; HYP_MEMINFO answers the memory granule
//! (4096); MEM_SHARE of a granule-aligned IPA not yet shared answers 0 and shares it, otherwise −3; MEM_UNSHARE of a
//! shared IPA answers 0 and unshares it, otherwise −3; any other function −1. An injection replaces the answer and
//! leaves the state unchanged. Three kinds, tried in this order (the first that matches answers): the call with a
//! given number (0-based over the handle's life); the n-th call of a function (from 1, counting every call of that
//! function, injected ones included); every call of a function with a given x1. A (function, argument) injection
//! stays until cleared; the other two are removed when their call is made, which changes nothing observable (the
//! counts only grow), so every kind is in effect persistent until cleared.
//!
//! For pvmfw's entry (`entry.rs`; oracle ABI 7 on 0.4.0, 4 on 0.12.1): VENDOR_HYP_CALL_UID answers KVM's UUID in
//! w0..w3 (x0 = w0, what the log records), and a hypervisor made without an MMIO guard (`set_mmio_guard(false)`, the
//! tracker step's `mmio-guard=off`) answers the four MMIO guard calls NOT_SUPPORTED and changes nothing, as Java's
//! `RecordingHypervisor.setMmioGuardSupported(false)` (a regular KVM).

use core::cell::RefCell;
use core::fmt;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

pub(crate) const ARM_SMCCC_VENDOR_HYP_CALL_UID: u32 = 0x8600_ff01;
/// KVM's Vendor Hyp UID `28b46fb6-2ec5-11e9-a9ca-4b564d003a74` in w0..w3 (Linux `include/linux/arm-smccc.h`,
/// `ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0..3`).
pub(crate) const KVM_UUID_REGS: [u64; 4] = [0xb66f_b428, 0xe911_c52e, 0x564b_caa9, 0x743a_004d];
pub(crate) const ARM_SMCCC_KVM_FUNC_HYP_MEMINFO: u32 = 0xc600_0002;
pub(crate) const ARM_SMCCC_KVM_FUNC_MEM_SHARE: u32 = 0xc600_0003;
pub(crate) const ARM_SMCCC_KVM_FUNC_MEM_UNSHARE: u32 = 0xc600_0004;
pub(crate) const VENDOR_HYP_KVM_MMIO_GUARD_INFO: u32 = 0xc600_0005;
pub(crate) const VENDOR_HYP_KVM_MMIO_GUARD_ENROLL: u32 = 0xc600_0006;
pub(crate) const VENDOR_HYP_KVM_MMIO_GUARD_MAP: u32 = 0xc600_0007;
pub(crate) const VENDOR_HYP_KVM_MMIO_GUARD_UNMAP: u32 = 0xc600_0008;

const NOT_SUPPORTED: i64 = -1;
const INVALID_PARAMETER: i64 = -3;

/// One hypervisor call: function ID, x1 (the IPA; 0 when none) and the raw x0 answered.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PvpHypCall {
    pub function_id: u32,
    pub _pad: u32,
    pub argument: u64,
    pub x0: u64,
}

/// An SMCCC error as libhyp converts it from the returned i64.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KvmError {
    NotSupported,
    InvalidParameter,
    Unknown(i64),
}

impl From<i64> for KvmError {
    fn from(value: i64) -> Self {
        match value {
            NOT_SUPPORTED => Self::NotSupported,
            INVALID_PARAMETER => Self::InvalidParameter,
            other => Self::Unknown(other),
        }
    }
}

impl KvmError {
    /// The i64 the error came from.
    pub fn raw(self) -> i64 {
        match self {
            Self::NotSupported => NOT_SUPPORTED,
            Self::InvalidParameter => INVALID_PARAMETER,
            Self::Unknown(e) => e,
        }
    }
}

impl fmt::Display for KvmError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Self::NotSupported => write!(f, "KVM call not supported"),
            Self::InvalidParameter => write!(f, "KVM call received non-supported value"),
            Self::Unknown(e) => write!(f, "Unknown return value from KVM {} ({:#x})", e, e),
        }
    }
}

/// libhyp's `hyp::Error` at the seed change, the variants its KVM backend produces (`UnsupportedHypervisorUuid`
/// comes from hypervisor detection, which is not modelled).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HypError {
    /// ENROLL answered NOT_SUPPORTED (the Rust spelling of the time).
    MmioGuardNotsupported,
    KvmError(KvmError, u32),
    /// MMIO_GUARD_INFO answered a granule other than 4096.
    UnsupportedMmioGuardGranule(usize),
}

impl fmt::Display for HypError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Self::MmioGuardNotsupported => write!(f, "MMIO guard is not supported"),
            Self::KvmError(e, function_id) => {
                write!(f, "Failed to invoke the HVC function with function ID {}: {}", function_id, e)
            }
            Self::UnsupportedMmioGuardGranule(g) => write!(f, "Unsupported MMIO guard granule: {}", g),
        }
    }
}

/// `success_or_error_64`: Ok iff x0 as i64 is 0.
pub fn success_or_error_64(x0: u64) -> Result<(), KvmError> {
    match x0 as i64 {
        0 => Ok(()),
        e => Err(e.into()),
    }
}

/// `success_or_error_32`: on x0 as u32 as i32, widened: Ok iff the low 32 bits are 0.
pub fn success_or_error_32(x0: u64) -> Result<(), KvmError> {
    match x0 as u32 as i32 {
        0 => Ok(()),
        e => Err((e as i64).into()),
    }
}

/// `positive_or_error_64`: Ok(x0) iff bit 63 is clear.
pub fn positive_or_error_64(x0: u64) -> Result<u64, KvmError> {
    match x0 as i64 {
        e if e < 0 => Err(e.into()),
        _ => Ok(x0),
    }
}

/// The recording hypervisor: answers `hvc64` and logs every call.
pub struct RecordingHyp {
    log: Vec<PvpHypCall>,
    by_call: BTreeMap<usize, u64>,
    by_nth: HashMap<(u32, usize), u64>,
    by_argument: HashMap<(u32, u64), u64>,
    /// Calls made so far, per function ID.
    counts: HashMap<u32, usize>,
    guard_mapped: BTreeSet<u64>,
    shared: BTreeSet<u64>,
    /// The MMIO guard granule: MMIO_GUARD_INFO's answer and the alignment MAP and UNMAP require.
    granule: u64,
    /// The memory protection granule: HYP_MEMINFO's answer and the alignment MEM_SHARE requires.
    memory_granule: u64,
    /// pKVM's MMIO guard (true) or a regular KVM without (false: the MMIO guard calls answer NOT_SUPPORTED).
    mmio_guard: bool,
}

impl RecordingHyp {
    pub fn new(granule: u64) -> Self {
        Self {
            log: Vec::new(),
            by_call: BTreeMap::new(),
            by_nth: HashMap::new(),
            by_argument: HashMap::new(),
            counts: HashMap::new(),
            guard_mapped: BTreeSet::new(),
            shared: BTreeSet::new(),
            granule,
            memory_granule: 4096,
            mmio_guard: true,
        }
    }

    /// With (true, the default) or without an MMIO guard: without, MMIO_GUARD_INFO, _ENROLL, _MAP and _UNMAP answer
    /// NOT_SUPPORTED and change nothing.
    pub fn set_mmio_guard(&mut self, on: bool) {
        self.mmio_guard = on;
    }

    /// VENDOR_HYP_CALL_UID through `hvc64` (logged, injectable like any call): w0..w3, KVM's UUID when x0 is its w0,
    /// else x0 and zeros.
    pub fn vendor_hyp_call_uid(&mut self) -> [u64; 4] {
        let x0 = self.hvc64(ARM_SMCCC_VENDOR_HYP_CALL_UID, 0);
        if x0 == KVM_UUID_REGS[0] {
            KVM_UUID_REGS
        } else {
            [x0, 0, 0, 0]
        }
    }

    pub fn hvc64(&mut self, function_id: u32, x1: u64) -> u64 {
        let index = self.log.len();
        let count = self.counts.entry(function_id).or_insert(0);
        *count += 1;
        let nth = *count;
        let injected = self
            .by_call
            .remove(&index)
            .or_else(|| self.by_nth.remove(&(function_id, nth)))
            .or_else(|| self.by_argument.get(&(function_id, x1)).copied());
        let x0 = match injected {
            Some(x0) => x0,
            None => self.answer(function_id, x1),
        };
        self.log.push(PvpHypCall { function_id, _pad: 0, argument: x1, x0 });
        x0
    }

    fn answer(&mut self, function_id: u32, ipa: u64) -> u64 {
        // As Java's `RecordingHypervisor.aligned`: a granule that is 0 or negative as an i64 accepts every IPA.
        let aligned = (self.granule as i64) <= 0 || ipa % self.granule == 0;
        let memory_aligned = (self.memory_granule as i64) <= 0 || ipa % self.memory_granule == 0;
        let guard_call = matches!(
            function_id,
            VENDOR_HYP_KVM_MMIO_GUARD_INFO
                | VENDOR_HYP_KVM_MMIO_GUARD_ENROLL
                | VENDOR_HYP_KVM_MMIO_GUARD_MAP
                | VENDOR_HYP_KVM_MMIO_GUARD_UNMAP
        );
        if guard_call && !self.mmio_guard {
            return NOT_SUPPORTED as u64;
        }
        match function_id {
            ARM_SMCCC_VENDOR_HYP_CALL_UID => KVM_UUID_REGS[0],
            ARM_SMCCC_KVM_FUNC_HYP_MEMINFO => self.memory_granule,
            ARM_SMCCC_KVM_FUNC_MEM_SHARE if memory_aligned && self.shared.insert(ipa) => 0,
            ARM_SMCCC_KVM_FUNC_MEM_UNSHARE if self.shared.remove(&ipa) => 0,
            ARM_SMCCC_KVM_FUNC_MEM_SHARE | ARM_SMCCC_KVM_FUNC_MEM_UNSHARE => INVALID_PARAMETER as u64,
            VENDOR_HYP_KVM_MMIO_GUARD_INFO => self.granule,
            VENDOR_HYP_KVM_MMIO_GUARD_ENROLL => 0,
            VENDOR_HYP_KVM_MMIO_GUARD_MAP if aligned => {
                self.guard_mapped.insert(ipa);
                0
            }
            VENDOR_HYP_KVM_MMIO_GUARD_UNMAP if aligned => {
                self.guard_mapped.remove(&ipa);
                0
            }
            VENDOR_HYP_KVM_MMIO_GUARD_MAP | VENDOR_HYP_KVM_MMIO_GUARD_UNMAP => INVALID_PARAMETER as u64,
            _ => NOT_SUPPORTED as u64,
        }
    }

    pub fn inject_at_call(&mut self, call: usize, x0: u64) {
        self.by_call.insert(call, x0);
    }

    /// The `n`-th call (from 1) of `function_id` answers `x0`.
    pub fn inject_nth(&mut self, function_id: u32, n: usize, x0: u64) {
        self.by_nth.insert((function_id, n), x0);
    }

    pub fn inject_for(&mut self, function_id: u32, argument: u64, x0: u64) {
        self.by_argument.insert((function_id, argument), x0);
    }

    pub fn clear_injections(&mut self) {
        self.by_call.clear();
        self.by_nth.clear();
        self.by_argument.clear();
    }

    pub fn log(&self) -> &[PvpHypCall] {
        &self.log
    }

    pub fn guard_mapped(&self) -> impl Iterator<Item = &u64> {
        self.guard_mapped.iter()
    }
}

/// libhyp's KVM backend at the seed change (2023-04 libhyp), over the recording hypervisor.
#[derive(Clone)]
pub struct Kvm {
    pub hyp: Rc<RefCell<RecordingHyp>>,
    /// Android 13's MMIO guard bugs tolerated: MAP read as an i32, UNMAP's NOT_SUPPORTED counted as success.
    pub compat_android_13: bool,
}

impl Kvm {
    fn call(&self, function_id: u32, x1: u64) -> u64 {
        self.hyp.borrow_mut().hvc64(function_id, x1)
    }

    /// `mmio_guard_init`: ENROLL (NOT_SUPPORTED → MmioGuardNotsupported), then INFO, whose granule must be 4096.
    pub fn mmio_guard_init(&self) -> Result<(), HypError> {
        let x0 = self.call(VENDOR_HYP_KVM_MMIO_GUARD_ENROLL, 0);
        match success_or_error_64(x0) {
            Ok(()) => {}
            Err(KvmError::NotSupported) => return Err(HypError::MmioGuardNotsupported),
            Err(e) => return Err(HypError::KvmError(e, VENDOR_HYP_KVM_MMIO_GUARD_ENROLL)),
        }
        let x0 = self.call(VENDOR_HYP_KVM_MMIO_GUARD_INFO, 0);
        let granule = positive_or_error_64(x0).map_err(|e| HypError::KvmError(e, VENDOR_HYP_KVM_MMIO_GUARD_INFO))?;
        if granule != 4096 {
            return Err(HypError::UnsupportedMmioGuardGranule(granule as usize));
        }
        Ok(())
    }

    /// MEM_SHARE of the granule at `ipa`.
    pub fn mem_share(&self, ipa: u64) -> Result<(), HypError> {
        let x0 = self.call(ARM_SMCCC_KVM_FUNC_MEM_SHARE, ipa);
        success_or_error_64(x0).map_err(|e| HypError::KvmError(e, ARM_SMCCC_KVM_FUNC_MEM_SHARE))
    }

    /// MEM_UNSHARE of the granule at `ipa`.
    pub fn mem_unshare(&self, ipa: u64) -> Result<(), HypError> {
        let x0 = self.call(ARM_SMCCC_KVM_FUNC_MEM_UNSHARE, ipa);
        success_or_error_64(x0).map_err(|e| HypError::KvmError(e, ARM_SMCCC_KVM_FUNC_MEM_UNSHARE))
    }

    /// HYP_MEMINFO: the memory protection granule.
    pub fn memory_protection_granule(&self) -> Result<usize, HypError> {
        let x0 = self.call(ARM_SMCCC_KVM_FUNC_HYP_MEMINFO, 0);
        positive_or_error_64(x0)
            .map(|g| g as usize)
            .map_err(|e| HypError::KvmError(e, ARM_SMCCC_KVM_FUNC_HYP_MEMINFO))
    }

    /// MMIO_GUARD_MAP of the 4 KiB page holding `addr`.
    pub fn mmio_guard_map(&self, addr: u64) -> Result<(), HypError> {
        let x0 = self.call(VENDOR_HYP_KVM_MMIO_GUARD_MAP, addr & !0xfff);
        let result = if self.compat_android_13 { success_or_error_32(x0) } else { success_or_error_64(x0) };
        result.map_err(|e| HypError::KvmError(e, VENDOR_HYP_KVM_MMIO_GUARD_MAP))
    }

    /// MMIO_GUARD_UNMAP of the 4 KiB page holding `addr`.
    pub fn mmio_guard_unmap(&self, addr: u64) -> Result<(), HypError> {
        let x0 = self.call(VENDOR_HYP_KVM_MMIO_GUARD_UNMAP, addr & !0xfff);
        match success_or_error_64(x0) {
            Ok(()) => Ok(()),
            Err(KvmError::NotSupported) if self.compat_android_13 => Ok(()),
            Err(e) => Err(HypError::KvmError(e, VENDOR_HYP_KVM_MMIO_GUARD_UNMAP)),
        }
    }
}
