//! Shared by both oracles (`native/hyp/README.md`).
//! pvmfw's entry before its page table exists, and `main_wrapper`'s unmap of the console at exit, in the later eras
//! (oracle ABI 7 on 0.4.0, 4 on 0.12.1; `docs/scenarios.md`, "Eras": the `tracker` step's `entry=on` and the step
//! `console-unmap`). Transcribed from the project's account of the eras (`docs/pvmfw-2023-11.md`, "Teardown", its last paragraph;
//! `docs/pvmfw-2024-05.md`, "Boot and exit"), itself written from the verified reference: libhyp's (2024-05:
//! vmbase's) `detect_hypervisor` (`28e439f4:libs/hyp/src/hypervisor.rs`, `c08e63cb:vmbase/src/hyp/hypervisor.rs`:
//! the Vendor Hyp UID, then for KVM's UUID an MMIO_GUARD_INFO probe, Ok → pKVM, NOT_SUPPORTED → a regular KVM,
//! any other error the `expect` panic "Failed to detect hypervisor: {e:?}"), vmbase's `try_console_init`
//! (`5815c8b4:vmbase/src/entry.rs`, `c08e63cb:vmbase/src/entry.rs`) and `main_wrapper`'s UART UNMAP
//! (`28e439f4:pvmfw/src/entry.rs`, `c08e63cb:pvmfw/src/entry.rs`: "Failed to unshare the UART: {e}"). GenieZone and
//! Gunyah are not reproduced (their UUIDs panic like an unknown one), as on the Java side.

use core::cell::RefCell;
use core::fmt;
use std::rc::Rc;

use crate::kvm::{
    positive_or_error_64, success_or_error_64, HypError, KvmError, RecordingHyp, KVM_UUID_REGS,
    VENDOR_HYP_KVM_MMIO_GUARD_ENROLL, VENDOR_HYP_KVM_MMIO_GUARD_INFO,
};
use crate::vmbase::MmioGuard;

/// `console::BASE_ADDRESS`: crosvm's UART (its 4 KiB page, 0, is what MAP and UNMAP pass).
pub(crate) const UART_BASE: usize = 0x3f8;
/// vmbase's `SIZE_4KB` and `SIZE_16KB` (the names `try_console_init`'s 2024-05 assertion prints).
const SIZE_4KB: usize = 4 << 10;
const SIZE_16KB: usize = 16 << 10;

/// The later eras' `hyp::Error` as the entry and the console unmap return it, in declaration order with the texts of
/// `28e439f4:libs/hyp/src/error.rs` (2024-05: `c08e63cb:vmbase/src/hyp/error.rs`, without the granule variant, which
/// 2024-05's entry does not return): `MmioGuardNotSupported` (so spelled from `5430a93b`, 2023-07).
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryError {
    MmioGuardNotSupported,
    KvmError(KvmError, u32),
    UnsupportedMmioGuardGranule(usize),
}

impl fmt::Display for EntryError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Self::MmioGuardNotSupported => write!(f, "MMIO guard is not supported"),
            Self::KvmError(e, function_id) => {
                write!(f, "Failed to invoke the HVC function with function ID {}: {}", function_id, e)
            }
            Self::UnsupportedMmioGuardGranule(g) => write!(f, "Unsupported MMIO guard granule: {}", g),
        }
    }
}

impl From<HypError> for EntryError {
    fn from(e: HypError) -> Self {
        match e {
            HypError::MmioGuardNotsupported => Self::MmioGuardNotSupported,
            HypError::KvmError(k, id) => Self::KvmError(k, id),
            HypError::UnsupportedMmioGuardGranule(g) => Self::UnsupportedMmioGuardGranule(g),
        }
    }
}

/// A UUID in w0..w3 as the `uuid` crate's Debug prints it (`Uuid::from_u128_le`: byte 0 the low byte of w0).
fn uuid_text(regs: [u64; 4]) -> String {
    let b: Vec<u8> = (0..16).map(|i| (regs[i / 4] >> (8 * (i % 4))) as u8).collect();
    let hex = |r: core::ops::Range<usize>| b[r].iter().map(|x| format!("{x:02x}")).collect::<String>();
    format!("{}-{}-{}-{}-{}", hex(0..4), hex(4..6), hex(6..8), hex(8..10), hex(10..16))
}

/// `detect_hypervisor()`: VENDOR_HYP_CALL_UID; KVM's UUID, then MMIO_GUARD_INFO (`positive_or_error_64`): Ok → pKVM
/// (true), NOT_SUPPORTED → a regular KVM (false). Panics (the caller's `expect`) for another UUID or another INFO
/// error.
pub fn detect_hypervisor(hyp: &Rc<RefCell<RecordingHyp>>) -> bool {
    let regs = hyp.borrow_mut().vendor_hyp_call_uid();
    if regs != KVM_UUID_REGS {
        panic!("Failed to detect hypervisor: UnsupportedHypervisorUuid({})", uuid_text(regs));
    }
    let x0 = hyp.borrow_mut().hvc64(VENDOR_HYP_KVM_MMIO_GUARD_INFO, 0);
    match positive_or_error_64(x0) {
        Ok(_) => true,
        Err(KvmError::NotSupported) => false,
        Err(e) => panic!(
            "Failed to detect hypervisor: {:?}",
            EntryError::KvmError(e, VENDOR_HYP_KVM_MMIO_GUARD_INFO)
        ),
    }
}

/// `enroll()`: MMIO_GUARD_ENROLL, `success_or_error_64`; NOT_SUPPORTED → MmioGuardNotSupported, another error
/// `KvmError(e, ENROLL)`.
fn enroll(guard: &MmioGuard) -> Result<(), EntryError> {
    let x0 = guard.hyp.borrow_mut().hvc64(VENDOR_HYP_KVM_MMIO_GUARD_ENROLL, 0);
    match success_or_error_64(x0) {
        Ok(()) => Ok(()),
        Err(KvmError::NotSupported) => Err(EntryError::MmioGuardNotSupported),
        Err(e) => Err(EntryError::KvmError(e, VENDOR_HYP_KVM_MMIO_GUARD_ENROLL)),
    }
}

/// 2023-11's `try_console_init` (from `15ae4a5e`): with an MMIO guard, `enroll()?`, `validate_granule()?` (exactly
/// 4 KiB, else UnsupportedMmioGuardGranule(g)), `map(console::BASE_ADDRESS)?`; without one, nothing.
pub fn try_console_init_2023_11(guard: Option<&MmioGuard>) -> Result<(), EntryError> {
    if let Some(mmio_guard) = guard {
        enroll(mmio_guard)?;
        let granule = mmio_guard.granule()?;
        if granule != SIZE_4KB {
            return Err(EntryError::UnsupportedMmioGuardGranule(granule));
        }
        mmio_guard.map(UART_BASE)?;
    }
    Ok(())
}

/// 2024-05's `try_console_init` (`c08e63cb`): with an MMIO guard, `enroll()?`, the message-less assertion that
/// MMIO_GUARD_INFO answers 4 KiB or 16 KiB (an INFO error returns), `map(console::BASE_ADDRESS)?`; without one,
/// nothing.
pub fn try_console_init_2024_05(guard: Option<&MmioGuard>) -> Result<(), EntryError> {
    if let Some(mmio_guard) = guard {
        enroll(mmio_guard)?;
        assert!({
            let granule = mmio_guard.granule()?;
            granule == SIZE_4KB || granule == SIZE_16KB
        });
        mmio_guard.map(UART_BASE)?;
    }
    Ok(())
}

/// `main_wrapper`'s exit: with an MMIO guard, `unmap(console::BASE_ADDRESS)` (an error logged "Failed to unshare the
/// UART: {e}" and pvmfw reboots); without one, nothing.
pub fn console_unmap(guard: Option<&MmioGuard>) -> Result<(), EntryError> {
    if let Some(mmio_guard) = guard {
        mmio_guard.unmap(UART_BASE)?;
    }
    Ok(())
}
