package dev.pvmfw.oracle.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvmfw.hyp.Smccc;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The function IDs {@code inject kind=} names are the SMCCC IDs of {@link Smccc} (docs/scenarios.md). */
class HypFunctionTest {

    @Test
    void everyInjectKindIsItsSmcccFunctionId() {
        Map<Step.HypFunction, Integer> want = Map.of(
                Step.HypFunction.ENROLL, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL,
                Step.HypFunction.INFO, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO,
                Step.HypFunction.MAP, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP,
                Step.HypFunction.UNMAP, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP,
                Step.HypFunction.MEMINFO, Smccc.ARM_SMCCC_KVM_FUNC_HYP_MEMINFO,
                Step.HypFunction.SHARE, Smccc.ARM_SMCCC_KVM_FUNC_MEM_SHARE,
                Step.HypFunction.UNSHARE, Smccc.ARM_SMCCC_KVM_FUNC_MEM_UNSHARE);
        assertEquals(Step.HypFunction.values().length, want.size());
        want.forEach((f, id) -> assertEquals(id, f.functionId(), f.word()));
    }
}
