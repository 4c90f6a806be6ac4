/**
 * The real crate as an engine, through its oracle library: {@link dev.pvmfw.oracle.rust.RustEngine}, the library's
 * loading and load-time checks ({@link dev.pvmfw.oracle.rust.OracleLibrary}), and the one class that performs
 * restricted native operations. Java decides and the crate applies: Java never writes the crate's memory.
 */
package dev.pvmfw.oracle.rust;
