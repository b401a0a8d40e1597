//! In-process benchmark of `obby query` (queries per second through the library).
fn main() {}
