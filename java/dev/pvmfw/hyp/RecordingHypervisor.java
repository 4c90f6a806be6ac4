package dev.pvmfw.hyp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated pKVM answering raw {@code hvc64} calls ({@link SmcccConduit}): it logs every call in order as a
 * {@link HypCall} (function ID, x1, raw x0 returned), keeps the stage-2 state pvmfw changes (MMIO guard enrolment,
 * guard-mapped IPAs, shared IPAs) and can be told to fail chosen calls.
 *
 * <p>Answers, when nothing is injected (every rule here is shared with the Rust recording hypervisor):
 * <table>
 *   <caption>Calls and results</caption>
 *   <tr><th>call</th><th>x0</th><th>state</th></tr>
 *   <tr><td>VENDOR_HYP_CALL_UID</td><td>w0..w3 = the UUID (KVM's by default), little-endian</td><td>–</td></tr>
 *   <tr><td>HYP_MEMINFO</td><td>the memory granule (default 4096)</td><td>–</td></tr>
 *   <tr><td>MEM_SHARE(ipa)</td><td>0; INVALID_PARAMETER (−3) if ipa is not granule-aligned or already shared</td>
 *       <td>ipa shared</td></tr>
 *   <tr><td>MEM_UNSHARE(ipa)</td><td>0; −3 if ipa is not shared</td><td>ipa no longer shared</td></tr>
 *   <tr><td>MMIO_GUARD_INFO</td><td>the MMIO guard granule (default 4096)</td><td>–</td></tr>
 *   <tr><td>MMIO_GUARD_ENROLL</td><td>0 (again: 0)</td><td>enrolled</td></tr>
 *   <tr><td>MMIO_GUARD_MAP(ipa)</td><td>0, also if already mapped; −3 if ipa is not guard-granule-aligned</td>
 *       <td>ipa guard-mapped</td></tr>
 *   <tr><td>MMIO_GUARD_UNMAP(ipa)</td><td>0, also if not mapped; −3 if unaligned</td><td>ipa not guard-mapped</td></tr>
 *   <tr><td>anything else</td><td>NOT_SUPPORTED (−1)</td><td>–</td></tr>
 * </table>
 * The MMIO guard granule can be any value ({@link GuardGranule} names the ones the eras' tests use); with
 * {@link #setMmioGuardSupported MMIO guard support} off, the four MMIO guard calls answer NOT_SUPPORTED, as a regular
 * KVM does.
 * With {@link #setAndroid13Returns android-13 returns} on, it answers like Android 13 pKVM: MAP returns its result as
 * an i32 (low 32 bits, zero-extended: −3 becomes {@code 0xFFFF_FFFD}); a successful UNMAP returns NOT_SUPPORTED.
 *
 * <p><b>Injection.</b> A value injected for a call number (the 0-based index the call will have in the log), for the
 * n-th call of a function (from 1, counting every call of that function, injected ones included) or for a (function
 * ID, x1) pair is returned as x0 <em>instead of</em> the normal answer, and the state is left unchanged (the
 * hypervisor refused). Call-number and n-th-call injections apply once by nature (they are removed when their call is
 * made); pair injections apply to every matching call until cleared. When several match one call, the call number
 * wins, then the n-th call, then the pair. The Rust recording hypervisor ({@code native/hyp/kvm.rs}) has the same
 * rules.
 *
 * <p>Thread-safe (all methods synchronized).
 */
public final class RecordingHypervisor implements SmcccConduit {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingHypervisor.class);

    private final List<HypCall> log = new ArrayList<>();
    private final Map<Integer, Long> injectedByCall = new HashMap<>();
    private final Map<Key, Long> injectedByArgument = new HashMap<>();
    private final Map<Key, Long> injectedByNth = new HashMap<>();
    // Calls per function ID, unboxed (a handful of IDs: searched in order).
    private int[] countedFunctions = new int[8];
    private int[] callsPerFunction = new int[8];
    private int countedSize;
    private final LongSet guardMapped = new LongSet();
    private final LongSet shared = new LongSet();
    private long mmioGuardGranule = 4096;
    private long memoryGranule = 4096;
    private boolean android13Returns;
    private boolean mmioGuardSupported = true;
    private boolean enrolled;
    private final UUID uuid = Smccc.KVM_UUID;

    private record Key(int functionId, long argument) {}

    /** A pKVM with 4 KiB granules, strict (post-Android 13) return values, not enrolled. */
    public RecordingHypervisor() {}

    /** The granule MMIO_GUARD_INFO reports and MAP/UNMAP align to. Any value, e.g. 16384 or a negative one. */
    public synchronized RecordingHypervisor setMmioGuardGranule(long granule) {
        this.mmioGuardGranule = granule;
        return this;
    }

    /** {@link #setMmioGuardGranule(long)} with one of the {@link GuardGranule} modes. */
    public synchronized RecordingHypervisor setMmioGuardGranule(GuardGranule granule) {
        return setMmioGuardGranule(granule.bytes());
    }

    /**
     * Whether the MMIO guard calls exist (default true). Without them it answers like a regular (non-protected) KVM:
     * MMIO_GUARD_INFO, ENROLL, MAP and UNMAP return NOT_SUPPORTED (−1) and change nothing, which is how pvmfw's
     * hypervisor detection (from AOSP {@code cf215857}) tells KVM from pKVM.
     */
    public synchronized RecordingHypervisor setMmioGuardSupported(boolean supported) {
        this.mmioGuardSupported = supported;
        return this;
    }

    /** Whether the MMIO guard calls exist ({@link #setMmioGuardSupported}). */
    public synchronized boolean mmioGuardSupported() {
        return mmioGuardSupported;
    }

    /** The granule HYP_MEMINFO reports and SHARE/UNSHARE align to. */
    public synchronized RecordingHypervisor setMemoryGranule(long granule) {
        this.memoryGranule = granule;
        return this;
    }

    /** Answer MAP with an i32 and a successful UNMAP with NOT_SUPPORTED, as Android 13 pKVM does. */
    public synchronized RecordingHypervisor setAndroid13Returns(boolean on) {
        this.android13Returns = on;
        return this;
    }

    /** The granule MMIO_GUARD_INFO reports and MAP/UNMAP align to (default 4096). */
    public synchronized long mmioGuardGranule() {
        return mmioGuardGranule;
    }

    /** The granule HYP_MEMINFO reports and SHARE/UNSHARE align to (default 4096). */
    public synchronized long memoryGranule() {
        return memoryGranule;
    }

    /** The call numbered {@code callIndex} (0-based, in log order) returns {@code x0} and changes nothing. */
    public synchronized RecordingHypervisor injectAtCall(int callIndex, long x0) {
        if (callIndex < 0) {
            throw new IllegalArgumentException("call index must be >= 0: " + callIndex);
        }
        injectedByCall.put(callIndex, x0);
        return this;
    }

    /**
     * The {@code n}-th call (from 1, over this hypervisor's life) of {@code functionId} returns {@code x0} and changes
     * nothing.
     *
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public synchronized RecordingHypervisor injectNth(int functionId, int n, long x0) {
        if (n < 1) {
            throw new IllegalArgumentException("n counts calls from 1: " + n);
        }
        injectedByNth.put(new Key(functionId, n), x0);
        return this;
    }

    /** Every call of {@code functionId} with x1 == {@code argument} returns {@code x0} and changes nothing. */
    public synchronized RecordingHypervisor injectFor(int functionId, long argument, long x0) {
        injectedByArgument.put(new Key(functionId, argument), x0);
        return this;
    }

    /** Drops every injection not yet used, by call number and by (function ID, x1) pair. */
    public synchronized void clearInjections() {
        injectedByCall.clear();
        injectedByNth.clear();
        injectedByArgument.clear();
    }

    @Override
    public synchronized long[] hvc64(int functionId, long[] args) {
        Objects.requireNonNull(args);
        if (args.length != Smccc.ARG_REGISTERS) {
            throw new IllegalArgumentException("hvc64 takes " + Smccc.ARG_REGISTERS + " argument registers, got "
                    + args.length);
        }
        long x1 = args[0];
        long[] ret = new long[Smccc.RETURN_REGISTERS];
        int index = log.size();
        int nth = countCall(functionId);
        // The maps are looked into only when they hold something (most runs inject nothing); the order of the
        // lookups is the precedence documented above.
        Long injected = injectedByCall.isEmpty() ? null : injectedByCall.remove(index);
        if (injected == null && !injectedByNth.isEmpty()) {
            injected = injectedByNth.remove(new Key(functionId, nth));
        }
        if (injected == null && !injectedByArgument.isEmpty()) {
            injected = injectedByArgument.get(new Key(functionId, x1));
        }
        if (injected != null) {
            ret[0] = injected;
        } else {
            answer(functionId, x1, ret);
        }
        HypCall call = new HypCall(functionId, x1, ret[0]);
        log.add(call);
        if (LOG.isDebugEnabled()) {
            LOG.debug("hvc #{}: {}{}", index, call, injected != null ? " (injected)" : "");
        }
        return ret;
    }

    /** Counts one call of {@code functionId}; the count so far, this call included. */
    private int countCall(int functionId) {
        for (int i = 0; i < countedSize; i++) {
            if (countedFunctions[i] == functionId) {
                return ++callsPerFunction[i];
            }
        }
        if (countedSize == countedFunctions.length) {
            countedFunctions = Arrays.copyOf(countedFunctions, countedSize * 2);
            callsPerFunction = Arrays.copyOf(callsPerFunction, countedSize * 2);
        }
        countedFunctions[countedSize] = functionId;
        callsPerFunction[countedSize] = 1;
        countedSize++;
        return 1;
    }

    private void answer(int functionId, long ipa, long[] ret) {
        if (!mmioGuardSupported && isMmioGuardCall(functionId)) {
            ret[0] = Smccc.NOT_SUPPORTED;
            return;
        }
        switch (functionId) {
            case Smccc.ARM_SMCCC_VENDOR_HYP_CALL_UID -> System.arraycopy(Smccc.uuidToRegisters(uuid), 0, ret, 0, 4);
            case Smccc.ARM_SMCCC_KVM_FUNC_HYP_MEMINFO -> ret[0] = memoryGranule;
            case Smccc.ARM_SMCCC_KVM_FUNC_MEM_SHARE ->
                    ret[0] = aligned(ipa, memoryGranule) && shared.add(ipa) ? Smccc.SUCCESS : Smccc.INVALID_PARAMETER;
            case Smccc.ARM_SMCCC_KVM_FUNC_MEM_UNSHARE ->
                    ret[0] = shared.remove(ipa) ? Smccc.SUCCESS : Smccc.INVALID_PARAMETER;
            case Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO -> ret[0] = mmioGuardGranule;
            case Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL -> {
                enrolled = true;
                ret[0] = Smccc.SUCCESS;
            }
            case Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP -> {
                long result = Smccc.INVALID_PARAMETER;
                if (aligned(ipa, mmioGuardGranule)) {
                    guardMapped.add(ipa);
                    result = Smccc.SUCCESS;
                }
                ret[0] = android13Returns ? result & 0xFFFF_FFFFL : result;
            }
            case Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP -> {
                long result = Smccc.INVALID_PARAMETER;
                if (aligned(ipa, mmioGuardGranule)) {
                    guardMapped.remove(ipa);
                    result = android13Returns ? Smccc.NOT_SUPPORTED : Smccc.SUCCESS;
                }
                ret[0] = result;
            }
            default -> ret[0] = Smccc.NOT_SUPPORTED;
        }
    }

    private static boolean isMmioGuardCall(int functionId) {
        return functionId == Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO || functionId == Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL
                || functionId == Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP
                || functionId == Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP;
    }

    private static boolean aligned(long ipa, long granule) {
        if (granule > 0 && (granule & (granule - 1)) == 0) {
            return (ipa & (granule - 1)) == 0; // a power of two: no division on the fault path
        }
        return granule <= 0 || Long.remainderUnsigned(ipa, granule) == 0;
    }

    // --- inspection --------------------------------------------------------------------------------------------------

    /** Every call so far, in order. */
    public synchronized List<HypCall> log() {
        return List.copyOf(log);
    }

    /** The calls from number {@code first} on (a copy of the log's tail). */
    public synchronized List<HypCall> callsSince(int first) {
        return List.copyOf(log.subList(Math.min(first, log.size()), log.size()));
    }

    /** The calls of one function, in order. */
    public synchronized List<HypCall> calls(int functionId) {
        return log.stream().filter(c -> c.functionId() == functionId).toList();
    }

    /** The x1 of every call of {@code functionId}, in order (e.g. the IPAs MAPped). */
    public synchronized List<Long> arguments(int functionId) {
        return log.stream().filter(c -> c.functionId() == functionId).map(HypCall::argument).toList();
    }

    /** How many calls the log holds. */
    public synchronized int callCount() {
        return log.size();
    }

    /**
     * Empties the call log; the next call is number 0 again (for {@link #injectAtCall}). The guard-map, sharing and
     * enrolment state are kept.
     */
    public synchronized void clearLog() {
        log.clear();
    }

    /** Whether MMIO_GUARD_ENROLL has succeeded (an injected answer does not enrol). */
    public synchronized boolean isEnrolled() {
        return enrolled;
    }

    /** The IPAs currently guard-mapped, ascending (unsigned). */
    public synchronized NavigableSet<Long> guardMapped() {
        return guardMapped.snapshot();
    }

    /** The IPAs currently shared with the host, ascending (unsigned). */
    public synchronized NavigableSet<Long> shared() {
        return shared.snapshot();
    }

    /** Whether the guard granule holding {@code ipa} is guard-mapped. */
    public synchronized boolean isGuardMapped(long ipa) {
        long g = mmioGuardGranule;
        long base = g > 0 ? ipa - Long.remainderUnsigned(ipa, g) : ipa;
        return guardMapped.contains(base);
    }

    /**
     * Whether the stage 2 lets the guest touch MMIO at {@code ipa}: always before enrolment, afterwards only in a
     * guard-mapped granule. A refused access gets a synchronous external abort injected (ESR {@code 0x96000010}).
     */
    public synchronized boolean allowsMmioAccess(long ipa) {
        return !enrolled || isGuardMapped(ipa);
    }
}
