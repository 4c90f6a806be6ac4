/**
 * The hypervisor interface pvmfw used at the lazy-MMIO change (AOSP {@code libs/hyp}, 2023-04/05, KVM backend): the
 * SMCCC function IDs and return rules ({@link dev.pvmfw.hyp.Smccc}), the raw {@code hvc64} layer
 * ({@link dev.pvmfw.hyp.SmcccConduit}), the KVM-style {@link dev.pvmfw.hyp.Hypervisor} on top of it
 * ({@link dev.pvmfw.hyp.KvmHypervisor}, with the Android 13 compatibility switch), the errors with their exact
 * {@code Display} text ({@link dev.pvmfw.hyp.KvmError}, {@link dev.pvmfw.hyp.HypError}), and a
 * {@link dev.pvmfw.hyp.RecordingHypervisor} that answers {@code hvc64} calls, logs them and tracks the stage-2 state.
 */
package dev.pvmfw.hyp;
