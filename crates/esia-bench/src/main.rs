//! `esia-bench`: the command line of the benchmark; everything lives in the library so the e2e
//! test runs the same code.

fn main() -> std::process::ExitCode {
    esia_bench::main_entry()
}
