/**
 * A simulated EL1 CPU for pvmfw's lazy MMIO mapping: {@link dev.pvmfw.cpu.Cpu#read} and
 * {@link dev.pvmfw.cpu.Cpu#write} walk the stage-1 table as the MMU would, raise the data abort a real CPU would take
 * (with its ESR_EL1 and FAR_EL1), enter pvmfw's exception handler, and retry the access once when it returns.
 */
package dev.pvmfw.cpu;
