//! Reads the versions of aarch64-paging, bitflags and thiserror that cargo resolved for this build from `Cargo.lock`
//! (next to the manifest: this crate is a standalone package, and cargo writes the lock file while resolving, before
//! build scripts run) and hands them to the library as `PVP_RESOLVED_AARCH64_PAGING`, `PVP_RESOLVED_BITFLAGS` and
//! `PVP_RESOLVED_THISERROR`, so that `pvp0121_versions` reports what is linked rather than what was meant. The
//! bitflags and thiserror versions are the ones aarch64-paging itself depends on. The build fails unless they are
//! exactly the pinned ones (the `=` requirements of `Cargo.toml`: a lock file written elsewhere, or by hand, could
//! say otherwise).

use std::env;
use std::fs;
use std::path::Path;
use std::process::exit;

/// The versions `Cargo.toml` pins (`=0.12.1`, `=2.11.0`, `=2.0.18`).
const PINNED_AARCH64_PAGING: &str = "0.12.1";
const PINNED_BITFLAGS: &str = "2.11.0";
const PINNED_THISERROR: &str = "2.0.18";

/// One `[[package]]` of the lock file.
struct Package {
    name: String,
    version: String,
    /// As written: `name` or, when several versions are locked, `name version` (`name version (source)`).
    dependencies: Vec<String>,
}

fn fail(message: &str) -> ! {
    eprintln!("error: pvmfw-paging-oracle-0121 build script: {message}");
    exit(1);
}

/// The value of `key = "value"`, if `line` is that.
fn string_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(key)?.trim_start().strip_prefix('=')?.trim();
    rest.strip_prefix('"')?.strip_suffix('"')
}

/// The lock file's packages (the subset of its TOML that cargo writes: `[[package]]` tables of string keys and a
/// `dependencies` array of strings, one per line).
fn packages(lock: &str) -> Vec<Package> {
    let mut out: Vec<Package> = Vec::new();
    let mut in_package = false;
    let mut in_dependencies = false;
    for line in lock.lines().map(str::trim) {
        if line.starts_with('[') && !in_dependencies {
            in_package = line == "[[package]]";
            if in_package {
                out.push(Package { name: String::new(), version: String::new(), dependencies: Vec::new() });
            }
            continue;
        }
        let Some(package) = out.last_mut().filter(|_| in_package) else {
            continue;
        };
        if in_dependencies {
            if line == "]" {
                in_dependencies = false;
            } else if let Some(dep) = line.trim_end_matches(',').strip_prefix('"').and_then(|d| d.strip_suffix('"')) {
                package.dependencies.push(dep.to_owned());
            }
        } else if let Some(name) = string_value(line, "name") {
            package.name = name.to_owned();
        } else if let Some(version) = string_value(line, "version") {
            package.version = version.to_owned();
        } else if line.starts_with("dependencies") && line.ends_with('[') {
            in_dependencies = true;
        }
    }
    out
}

/// The version of the one locked package called `name` that `dependency` (as written in a `dependencies` array)
/// designates.
fn resolve<'a>(all: &'a [Package], dependency: &str) -> &'a str {
    let mut words = dependency.split_whitespace();
    let name = words.next().unwrap_or_default();
    let version = words.next();
    let candidates: Vec<&Package> =
        all.iter().filter(|p| p.name == name && version.is_none_or(|v| p.version == v)).collect();
    match candidates.as_slice() {
        [one] => &one.version,
        [] => fail(&format!("Cargo.lock has no package for the dependency \"{dependency}\"")),
        _ => fail(&format!("Cargo.lock has several packages for the dependency \"{dependency}\"")),
    }
}

fn main() {
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| fail("CARGO_MANIFEST_DIR is not set"));
    let lock_path = Path::new(&manifest_dir).join("Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock_path.display());
    println!("cargo:rerun-if-changed=build.rs");
    let lock = fs::read_to_string(&lock_path).unwrap_or_else(|e| {
        fail(&format!(
            "cannot read {} ({e}); build this crate on its own (not in a workspace), so that cargo writes its lock \
             file next to the manifest",
            lock_path.display()
        ))
    });
    let all = packages(&lock);
    let package = env::var("CARGO_PKG_NAME").unwrap_or_else(|_| fail("CARGO_PKG_NAME is not set"));
    let Some(this) = all.iter().find(|p| p.name == package) else {
        fail(&format!("{} has no package {package}", lock_path.display()));
    };
    let dependency = |name: &str, of: &Package| -> String {
        let matching: Vec<&String> =
            of.dependencies.iter().filter(|d| d.split_whitespace().next() == Some(name)).collect();
        match matching.as_slice() {
            [one] => resolve(&all, one).to_owned(),
            _ => fail(&format!("{} {} does not depend on exactly one {name} in Cargo.lock", of.name, of.version)),
        }
    };
    let paging = dependency("aarch64-paging", this);
    let Some(paging_package) = all.iter().find(|p| p.name == "aarch64-paging" && p.version == paging) else {
        fail(&format!("Cargo.lock has no package aarch64-paging {paging}"));
    };
    let bitflags = dependency("bitflags", paging_package);
    let thiserror = dependency("thiserror", paging_package);
    let ours = dependency("bitflags", this);
    let our_thiserror = dependency("thiserror", this);
    if paging != PINNED_AARCH64_PAGING
        || bitflags != PINNED_BITFLAGS
        || thiserror != PINNED_THISERROR
        || ours != bitflags
        || our_thiserror != thiserror
    {
        fail(&format!(
            "cargo resolved aarch64-paging {paging} with bitflags {bitflags} and thiserror {thiserror} (this crate's: \
             bitflags {ours}, thiserror {our_thiserror}); the oracle must link exactly aarch64-paging \
             {PINNED_AARCH64_PAGING} + bitflags {PINNED_BITFLAGS} + thiserror {PINNED_THISERROR}"
        ));
    }
    println!("cargo:rustc-env=PVP_RESOLVED_AARCH64_PAGING={paging}");
    println!("cargo:rustc-env=PVP_RESOLVED_BITFLAGS={bitflags}");
    println!("cargo:rustc-env=PVP_RESOLVED_THISERROR={thiserror}");
}
