//! `procdef completions` and `procdef man`: shell integration.

use super::{BROKEN, OK};
use clap::CommandFactory;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct CompletionArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn completions(args: CompletionArgs) -> u8 {
    let mut command = super::Cli::command();
    clap_complete::generate(args.shell, &mut command, "procdef", &mut std::io::stdout());
    OK
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write `procdef.1` and a page per command (`procdef-check.1`, …) into
    /// this folder, created if missing, instead of printing the main page.
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// The command tree as the manual pages show it: without clap's `help`
/// subcommand, which has no page (`--help` is listed as an option).
fn man_command() -> clap::Command {
    let mut command = super::Cli::command().disable_help_subcommand(true);
    command.build();
    command
}

/// One manual page: its file name and its roff text.
pub struct Page {
    pub file: String,
    pub roff: Vec<u8>,
}

/// `SEE ALSO`: the main page names every command's page, a command's page
/// names the main page.
fn see_also(names: &[String]) -> String {
    let refs: Vec<String> = names.iter().map(|n| format!("\\fB{}\\fR(1)", n.replace('-', "\\-"))).collect();
    format!(".SH \"SEE ALSO\"\n{}\n", refs.join(",\n"))
}

/// Roff in ASCII: every other character as a groff/mandoc `\[uXXXX]`
/// escape, so the pages read the same whatever encoding `man` assumes.
fn ascii(roff: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(roff);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", c as u32));
        }
    }
    out.into_bytes()
}

const SOURCE: &str = concat!("procdef ", env!("CARGO_PKG_VERSION"));
const MANUAL: &str = "procdef manual";

fn page(command: clap::Command, see_also_names: &[String]) -> std::io::Result<Page> {
    let man = clap_mangen::Man::new(command).source(SOURCE).manual(MANUAL);
    let mut rendered = Vec::new();
    man.render(&mut rendered)?;
    // clap_mangen leaves the date out of `.TH` instead of passing it empty,
    // which shifts the source and manual into its place: write the line
    // with an empty date (the pages are the same on every build).
    let rendered = String::from_utf8_lossy(&rendered);
    let mut roff = String::with_capacity(rendered.len());
    for line in rendered.lines() {
        if line.starts_with(".TH ") {
            let name = man.get_filename();
            let title = name.strip_suffix(".1").unwrap_or(&name);
            roff.push_str(&format!(".TH {title} 1 \"\" \"{SOURCE}\" \"{MANUAL}\""));
        } else {
            roff.push_str(line);
        }
        roff.push('\n');
    }
    roff.push_str(&see_also(see_also_names));
    Ok(Page { file: man.get_filename(), roff: ascii(roff.as_bytes()) })
}

/// The main page and a page per (visible) command, the main page first.
pub fn pages() -> std::io::Result<Vec<Page>> {
    let command = man_command();
    let subcommands: Vec<clap::Command> = command.get_subcommands().filter(|c| !c.is_hide_set()).cloned().collect();
    let names: Vec<String> =
        subcommands.iter().map(|c| c.get_display_name().unwrap_or_else(|| c.get_name()).to_string()).collect();
    let mut pages = vec![page(command, &names)?];
    for sub in subcommands {
        pages.push(page(sub, &["procdef".to_string()])?);
    }
    Ok(pages)
}

pub fn man(args: ManArgs) -> u8 {
    let pages = match pages() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("procdef: cannot render the manual pages: {e}");
            return BROKEN;
        }
    };
    let Some(dir) = args.dir else {
        let main = pages.first().map_or(&[][..], |p| &p.roff[..]);
        return match std::io::stdout().write_all(main) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                eprintln!("procdef: cannot write the manual page: {e}");
                BROKEN
            }
            _ => OK,
        };
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("procdef: cannot create {}: {e}", super::files::display(&dir));
        return BROKEN;
    }
    for page in &pages {
        let path = dir.join(&page.file);
        if let Err(e) = std::fs::write(&path, &page.roff) {
            eprintln!("procdef: cannot write {}: {e}", super::files::display(&path));
            return BROKEN;
        }
    }
    eprintln!("procdef: wrote {} manual pages to {}", pages.len(), super::files::display(&dir));
    OK
}
