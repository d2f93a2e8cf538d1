//! The `samspill` binary: command-line definition and glue; see `cli`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
