//! `procdef build`: check a file and write its outputs, all or nothing.

use super::check::check_file;
use super::{BROKEN, Deny, FAILED, OK};
use procdef::diagnostics::Severity;
use procdef::emit::{self, Options};
use procdef::report;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[cfg(test)]
mod tests;
pub(super) mod writer;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The process file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The output folder; replaced as a whole on success, if it is empty or
    /// a build whose files are as procdef wrote them (`.procdef-manifest`).
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    out: PathBuf,
    /// Fail (and write nothing) on warnings too.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Rule levels from this file instead of the nearest `procdef.toml`.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
    /// Write the manuals for one segment or product only (its id): steps
    /// meant only for others are left out.
    #[arg(long, value_name = "ID")]
    segment: Option<String>,
    /// A folder with your own templates for the HTML manuals
    /// (`manual.html.j2`, and any `.j2` file it includes).
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// With `--log`: audit the CRM's history too, and write `audit/`
    /// (the report as Markdown, HTML and JSON) and the measured figures
    /// into each audit checklist. A log that cannot be read fails the
    /// build, and nothing is written.
    #[command(flatten)]
    log: super::audit::LogArgs,
}

/// The file checked and the libraries it reaches, with their diagnostics.
fn checked_files(checked: &super::check::FileResult) -> Vec<super::sources::FileDiagnostics> {
    let own = super::sources::FileDiagnostics {
        file: procdef::span::FileId::ROOT,
        name: checked.name.clone(),
        path: checked.path.clone(),
        key: checked.key.clone(),
        text: checked.text.clone(),
        diagnostics: checked.diagnostics.clone(),
    };
    std::iter::once(own).chain(checked.libraries.iter().cloned()).collect()
}

pub fn run(args: Args) -> u8 {
    let checked = super::config::Configs::new(args.config.as_deref())
        .and_then(|configs| check_file(&args.file, &configs, args.deny));
    let checked = match checked {
        Ok(c) => c,
        Err(e) => {
            eprintln!("procdef: {}", procdef::emit::visible(&e));
            return BROKEN;
        }
    };
    let name = &checked.name;
    // The file's and its libraries' diagnostics, each with its file's text.
    let files = checked_files(&checked);
    let diagnostics: Vec<_> = files.iter().flat_map(|f| f.diagnostics.iter().cloned()).collect();
    // Configuration may relax how `check` reports a rule, but the outputs
    // need a sound process: any error by default still stops the build.
    let silenced: Vec<_> = checked.unconfigured_errors.iter().filter(|d| !diagnostics.contains(d)).cloned().collect();
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error) || !silenced.is_empty();
    let shown: Vec<_> = diagnostics.iter().filter(|d| !args.quiet || d.severity == Severity::Error).cloned().collect();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let style = report::HumanStyle { color, width: 100, lang: super::lang_of(&checked.text) };
    if !shown.is_empty() {
        eprint!("{}", super::sources::human(&files, &shown, style));
    }
    if !silenced.is_empty() {
        eprint!("{}", super::sources::human(&files, &silenced, style));
        eprintln!("procdef: the configuration allows these errors in `check`, but `build` needs them fixed");
    }
    if failed {
        eprintln!("procdef: {name} has errors; nothing was written");
        return FAILED;
    }
    let (Some(model), Some(graph)) = (&checked.model, &checked.graph) else {
        eprintln!("procdef: {name} could not be compiled");
        return FAILED;
    };
    let templates = match &args.templates {
        Some(dir) => match read_templates(dir) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("procdef: {}", procdef::emit::visible(&e));
                return BROKEN;
            }
        },
        None => Vec::new(),
    };
    // The log is read before anything is written: a log that cannot be
    // read leaves the previous build as it was.
    let audit = match Some(&args.log).filter(|l| l.given()) {
        Some(log) => {
            let inputs = match log.inputs() {
                Ok(i) => i,
                Err(e) => {
                    eprintln!("procdef: {}; nothing was written", procdef::emit::visible(&e));
                    return BROKEN;
                }
            };
            let Some(analysis) = &checked.analysis else {
                eprintln!("procdef: the funnel model of {name} could not be computed, so it cannot be audited");
                return FAILED;
            };
            let loaded = super::load::Loaded { name: name.clone(), model: model.clone(), analysis: analysis.clone() };
            match super::audit::run_audit(&loaded, inputs) {
                Ok(report) => Some(report),
                Err(code) => {
                    eprintln!("procdef: the log could not be audited; nothing was written");
                    return code;
                }
            }
        }
        None => None,
    };
    let options = Options { segment: args.segment.clone(), templates, libraries: checked.sources.clone() };
    let outputs =
        match procdef::emit::outputs_with(model, graph, checked.analysis.as_ref(), name, &checked.text, &options) {
            Ok(o) => o,
            Err(e @ emit::Error::UnknownSegment(_)) => {
                eprintln!("procdef: --segment: {e}");
                return BROKEN;
            }
            Err(e @ emit::Error::Template(_)) => {
                eprintln!("procdef: {}; nothing was written", procdef::emit::visible(&e.to_string()));
                return BROKEN;
            }
        };
    let mut outputs = outputs;
    if let Some(report) = &audit {
        if let Err(e) = add_audit(model, graph, report, &options.templates, &mut outputs) {
            eprintln!(
                "procdef: the template does not work: {}; nothing was written",
                procdef::emit::visible(&e.to_string())
            );
            return BROKEN;
        }
    }
    finish(&args.out, outputs.len(), writer::write(&writer::Fs::real(), &args.out, &outputs), args.quiet)
}

/// The audit's files (`audit/report.md`, `audit/report.html`,
/// `audit/audit.json`, the same bytes as `audit --format json`), the
/// measured figures in each audit checklist of the rollout kit, and the
/// index linking them too.
fn add_audit(
    model: &procdef::model::Model,
    graph: &procdef::model::graph::StageGraph,
    report: &procdef::audit::report::Report,
    templates: &[(String, String)],
    outputs: &mut Vec<emit::Output>,
) -> Result<(), emit::manual::html::TemplateError> {
    use procdef::audit::render;
    let renderer = emit::manual::html::Renderer::new(templates)?;
    emit::rollout::with_measured(model, graph, report, &renderer, outputs)?;
    outputs.push(emit::Output { path: "audit/report.md".into(), contents: render::markdown(report, model) });
    outputs.push(emit::Output { path: "audit/report.html".into(), contents: render::html(report, model) });
    outputs.push(emit::Output { path: "audit/audit.json".into(), contents: render::json(report) });
    let index = emit::index_output(model, outputs, &renderer)?;
    if let Some(o) = outputs.iter_mut().find(|o| o.path == "index.html") {
        *o = index;
    }
    Ok(())
}

/// Reports how writing the folder went, and the exit code.
fn finish(out: &Path, files: usize, written: Result<writer::Written, String>, quiet: bool) -> u8 {
    match written {
        Ok(w) => {
            if !quiet {
                for note in &w.notes {
                    eprintln!("procdef: {note}");
                }
                let link = std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink());
                let shown = if link { format!(" (the link's target, {})", w.folder.display()) } else { String::new() };
                eprintln!(
                    "procdef: wrote {files} files to {}{}",
                    super::files::display(out),
                    procdef::emit::visible(&shown)
                );
            }
            OK
        }
        Err(e) => {
            eprintln!("procdef: cannot write {}: {}", super::files::display(out), procdef::emit::visible(&e));
            BROKEN
        }
    }
}

/// The `.j2` files of a templates folder (not below it), sorted by name;
/// `manual.html.j2` must be one of them.
fn read_templates(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the templates folder {}: {e}", super::files::display(dir)))?;
    let mut out = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|e| format!("cannot read the templates folder {}: {e}", super::files::display(dir)))?;
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
        if !name.ends_with(".j2") {
            continue;
        }
        // Read as every source is: regular files only, within the size limit.
        let bytes = super::files::read(&path)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("cannot read the template {}: it is not UTF-8 text", super::files::display(&path)))?;
        out.push((name, text));
    }
    out.sort();
    if !out.iter().any(|(n, _)| n == emit::manual::html::MANUAL_TEMPLATE) {
        return Err(format!(
            "the templates folder {} has no {}; start from the built-in one (templates/{} in the procdef sources)",
            dir.display(),
            emit::manual::html::MANUAL_TEMPLATE,
            emit::manual::html::MANUAL_TEMPLATE
        ));
    }
    Ok(out)
}
