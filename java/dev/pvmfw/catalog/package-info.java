/**
 * The catalogue of what this project reproduces: the crate versions ({@link dev.pvmfw.catalog.Profiles}) and, as they
 * come, the pvmfw eras, by the ids people use.
 */
package dev.pvmfw.catalog;
