//! Generates a synthetic store for `benches/query.sh`:
//! `cargo run --release --example query_store -- DIR [FILES] [VERSIONS]`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: query_store DIR [FILES] [VERSIONS]")?;
    let files: usize = args.next().map_or(Ok(10_000), |s| s.parse())?;
    let versions: usize = args.next().map_or(Ok(100_000), |s| s.parse())?;
    std::fs::create_dir_all(&dir)?;
    let started = std::time::Instant::now();
    obby::query::generate::generate(std::path::Path::new(&dir), files, versions, 180)?;
    eprintln!(
        "generated {versions} versions of {files} files in {dir} ({:.1?})",
        started.elapsed()
    );
    Ok(())
}
