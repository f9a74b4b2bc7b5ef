//! `lode`: run a Node.js program. The command line follows Node's:
//! `lode [options] [script.js | -e CODE | -p CODE | -] [--] [arguments]`.

mod cli;

/// Stack for the JS thread: deep recursion in user code must raise
/// `RangeError`, not overflow the native stack.
const JS_THREAD_STACK: usize = 64 * 1024 * 1024;

fn main() {
    let options = match cli::parse(std::env::args().collect()) {
        cli::Parsed::Run(options) => options,
        cli::Parsed::Exit { stdout, stderr, code } => {
            print!("{stdout}");
            eprint!("{stderr}");
            std::process::exit(code);
        }
    };
    let js = std::thread::Builder::new()
        .name("lode-main".into())
        .stack_size(JS_THREAD_STACK)
        .spawn(move || lode_runtime::run(options))
        .expect("spawn the JS thread");
    // `run` ends the process itself; joining only returns if it panicked.
    let _ = js.join();
    std::process::exit(70);
}
