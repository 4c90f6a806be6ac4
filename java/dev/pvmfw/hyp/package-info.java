/**
 * What every pvmfw era shares of the hypervisor: the SMCCC function IDs and return rules
 * ({@link dev.pvmfw.hyp.Smccc}, {@link dev.pvmfw.hyp.KvmError}), the raw conduit ({@link dev.pvmfw.hyp.SmcccConduit})
 * and a simulated pKVM that logs every call and can be told to fail ({@link dev.pvmfw.hyp.RecordingHypervisor}). The
 * hypervisor's capabilities (libhyp's traits) changed between eras and live with each era.
 */
package dev.pvmfw.hyp;
