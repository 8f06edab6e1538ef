//! `procdef explain`: the long explanation of a diagnostic.

use super::{BROKEN, OK};
use procdef::diagnostics::Code;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A code such as `P205` or a name such as `cycle`.
    #[arg(value_name = "CODE|NAME")]
    code: String,
}

pub fn run(args: Args) -> u8 {
    let Some(code) = Code::lookup(&args.code) else {
        eprintln!("procdef: `{}` is not a diagnostic code or name", procdef::emit::visible(&args.code));
        let near = procdef::suggest::closest(
            &args.code,
            Code::ALL.iter().map(|c| c.name()).chain(Code::ALL.iter().map(|c| c.as_str())),
        );
        match near {
            Some(n) => eprintln!("did you mean `{n}`? The codes run P001–P601; see `docs/diagnostics.md`."),
            None => eprintln!("the codes run P001–P601, e.g. `procdef explain P205` or `procdef explain cycle`"),
        }
        return BROKEN;
    };
    let doc = code.doc();
    println!(
        "{} {} ({} by default)\n\n{}",
        code.as_str(),
        code.name(),
        code.default_severity().as_str(),
        doc.text.trim_end()
    );
    OK
}
