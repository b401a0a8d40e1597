//! Links the `obby` binary as a position-dependent executable on Linux.
//!
//! A position-independent `obby` starts by applying 38,821 relocations, which write to (and so
//! copy) every page of its 700 KB of relocated read-only data: about 140 page faults, 0.4 ms of
//! each run, which is a tenth of a whole `obby deps audit` (CI calls it once per job). Measured
//! with hyperfine, 200 runs side by side: `obby --version` 2.4 -> 2.0 ms, `obby deps audit
//! --json` of a 600-package lockfile 5.9 -> 5.4 ms. The objects are still compiled as
//! position-independent code; only the final link fixes the addresses, as Go binaries are linked.
//!
//! The price is that the executable's own code and data load at a fixed address (shared
//! libraries, heap and stack stay randomised). Set `OBBY_PIE=1` when building to keep a PIE.

fn main() {
    println!("cargo:rerun-if-env-changed=OBBY_PIE");
    println!("cargo:rerun-if-changed=build.rs");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let gnu_driver = std::env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|env| env == "gnu");
    let keep_pie = std::env::var_os("OBBY_PIE").is_some_and(|v| !v.is_empty() && v != "0");
    if linux && gnu_driver && !keep_pie {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
