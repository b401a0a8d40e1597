//! The `obby` binary: everything lives in the library; this only hands over argv and maps the
//! result to the process exit code.

#[global_allocator]
static ALLOC: obby::alloc::Allocator = obby::alloc::Allocator;

fn main() -> std::process::ExitCode {
    obby::run(std::env::args_os())
}
