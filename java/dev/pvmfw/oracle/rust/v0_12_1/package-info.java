/**
 * The Rust engine of aarch64-paging 0.12.1: the real crate through its oracle library
 * ({@code native/aarch64-paging-0.12.1}, jextract bindings {@code dev.pvmfw.bindings.v0_12_1}), its loading and
 * load-time checks ({@link dev.pvmfw.oracle.rust.v0_12_1.OracleLibrary0121}), the one place of this library's
 * restricted calls, and the wrapping of FFM failures into {@link dev.pvmfw.oracle.rust.v0_12_1.OracleCallException}.
 */
package dev.pvmfw.oracle.rust.v0_12_1;
