//! Build script: links the `obby` executable at a fixed address (not position-independent) on
//! Linux with GNU-style linkers.
//!
//! A position-independent executable of obby's size carries ~40,000 relative relocations that
//! the dynamic loader applies at every start (about a megabyte of relocation records read and
//! ~170 pages of `.data.rel.ro` written); for short commands such as `obby deps audit` that was
//! a tenth of the whole run. Only the final link of the binary changes: every crate is still
//! compiled as before, shared libraries keep their address randomisation.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
