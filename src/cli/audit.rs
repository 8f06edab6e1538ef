//! `procdef audit FILE --log LOG…`: the CRM's history replayed against the
//! process (AUDIT.md). Exit 0: the audit ran; 1: the process has errors, or
//! a threshold is not met; 2: the audit could not run.

use super::load::{Config, Loaded, load};
use super::{BROKEN, Deny, FAILED, OK, files};
use clap::ValueEnum;
use procdef::audit::log::{Log, LogBuilder};
use procdef::audit::names::{self, NameMap};
use procdef::audit::read::{self, Columns, Form, Options};
use procdef::audit::report::Report;
use procdef::audit::time::{TimeReader, Zone};
use procdef::audit::{self, By, Settings, render};
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The process file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    #[command(flatten)]
    log: LogArgs,
    /// How the report is printed.
    #[arg(long, value_enum, default_value_t)]
    format: AuditFormat,
    /// Exit 1 when the log fitness is below this (0 to 1).
    #[arg(long, value_name = "FITNESS")]
    min_fitness: Option<f64>,
    /// Exit 1 when there are more control-flow deviations than this.
    #[arg(long, value_name = "N")]
    max_deviations: Option<u64>,
    /// Fail (exit 1) on warnings of the process too.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Print no warnings of the process, only errors.
    #[arg(long, short)]
    quiet: bool,
}

/// The logs and how to read them: shared by `audit` and `build --log`.
#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// A log of the CRM's history: CSV, XES (`.xes`, `.xes.gz`), or a CRM's
    /// export with `--log-format`. Give it again for more files.
    #[arg(long = "log", value_name = "LOG")]
    logs: Vec<PathBuf>,
    #[command(flatten)]
    read: ReadArgs,
    /// A CSV of `name,stage`: how the log's stage names map to stages.
    #[arg(long, value_name = "FILE")]
    map: Option<PathBuf>,
    /// A CSV of `resource,activity,time[,count][,role]`, for `activity` metrics.
    #[arg(long, value_name = "FILE")]
    activities: Option<PathBuf>,
    /// The moment open cases are judged at (default: the latest timestamp of the log).
    #[arg(long, value_name = "TIME")]
    as_of: Option<String>,
    /// Count only moves, stays and activities from this moment on.
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Count only moves, stays and activities before this moment.
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// The periods of the weekly table.
    #[arg(long, value_enum, default_value_t)]
    by: ByArg,
}

/// How logs are read, for every command that reads them.
#[derive(Debug, clap::Args)]
pub struct ReadArgs {
    /// The form of the logs, when the file name does not say it.
    #[arg(long, value_enum)]
    pub log_format: Option<LogFormat>,
    /// The CSV columns: `case=NAME,stage=NAME,time=NAME,resource=NAME,role=NAME`.
    #[arg(long, value_name = "FIELD=NAME,…")]
    pub columns: Option<String>,
    /// The CSV field separator (default `,`).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// The time zone of timestamps without an offset, and of weeks and
    /// workdays: `UTC` (default), `+03:00`, or a name such as `Europe/Moscow`.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// A strftime pattern for timestamps in another form (`%d.%m.%Y %H:%M`).
    #[arg(long, value_name = "PATTERN")]
    pub time_format: Option<String>,
    /// The CRM's list of its stages (the JSON `procdef import` reads), to
    /// turn the CRM's stage ids into labels.
    #[arg(long, value_name = "FILE")]
    pub crm_stages: Option<PathBuf>,
}

impl ReadArgs {
    /// How to read the logs these options describe.
    pub(super) fn options(&self) -> Result<Options, String> {
        read_options(self.tz.as_deref(), self.delimiter.as_deref(), self.columns.as_deref(), &self.time_format)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Csv,
    Xes,
    /// Salesforce's `OpportunityHistory` export (CSV).
    Salesforce,
    /// HubSpot's deals with `propertiesWithHistory=dealstage` (JSON), or its
    /// deals CSV export with "date entered" columns.
    Hubspot,
    /// Pipedrive's deal flows (`GET /v1/deals/{id}/flow`), JSON or JSON lines.
    Pipedrive,
}

impl LogFormat {
    pub(super) fn form(self) -> Form {
        match self {
            LogFormat::Csv => Form::Csv,
            LogFormat::Xes => Form::Xes,
            LogFormat::Salesforce => Form::Salesforce,
            LogFormat::Hubspot => Form::Hubspot,
            LogFormat::Pipedrive => Form::Pipedrive,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ByArg {
    #[default]
    Week,
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum AuditFormat {
    /// A terminal report, worst first.
    #[default]
    Human,
    /// The report as JSON (`procdef-audit/1`).
    Json,
    /// A Markdown report for a head of sales.
    Md,
    /// A self-contained, printable HTML report.
    Html,
}

fn fail(message: impl std::fmt::Display) -> u8 {
    eprintln!("procdef: {message}");
    BROKEN
}

/// Everything the audit needs besides the process, read from the
/// command line and the files it names.
pub struct Inputs {
    pub logs: Vec<PathBuf>,
    pub form: Option<Form>,
    pub options: Options,
    pub map: Option<PathBuf>,
    pub crm_stages: Option<PathBuf>,
    pub activities: Option<PathBuf>,
    pub settings: Settings,
}

impl Args {
    fn inputs(&self) -> Result<Inputs, String> {
        if let Some(f) = self.min_fitness
            && !(0.0..=1.0).contains(&f)
        {
            return Err(format!("--min-fitness takes a number from 0 to 1, not {f}"));
        }
        self.log.inputs()
    }
}

impl LogArgs {
    /// Whether any of these options was given (a command where they are
    /// optional, `build`, audits when one was).
    pub fn given(&self) -> bool {
        let r = &self.read;
        !self.logs.is_empty()
            || [&self.map, &self.activities, &r.crm_stages].iter().any(|o| o.is_some())
            || [&self.as_of, &self.from, &self.to, &r.columns, &r.delimiter, &r.tz, &r.time_format]
                .iter()
                .any(|o| o.is_some())
            || r.log_format.is_some()
    }

    /// The inputs these options name, or why they are wrong.
    pub fn inputs(&self) -> Result<Inputs, String> {
        if self.logs.is_empty() {
            return Err("no log to audit: give --log LOG (CSV, XES or a CRM's export)".into());
        }
        let options = self.read.options()?;
        let zone = options.time.zone;
        let moment = |flag: &str, text: &Option<String>| -> Result<Option<i64>, String> {
            let reader = TimeReader { zone, format: None, epoch_millis: false };
            text.as_deref()
                .map(|t| {
                    reader.parse(t).ok_or_else(|| {
                        format!("{flag}: `{t}` is not a date or a time (write 2027-03-01 or 2027-03-01T09:00:00Z)")
                    })
                })
                .transpose()
        };
        let settings = Settings {
            as_of: moment("--as-of", &self.as_of)?,
            from: moment("--from", &self.from)?,
            to: moment("--to", &self.to)?,
            zone,
            by: match self.by {
                ByArg::Week => By::Week,
                ByArg::Month => By::Month,
            },
            activities: Vec::new(),
        };
        if let (Some(from), Some(to)) = (settings.from, settings.to)
            && from >= to
        {
            return Err(format!(
                "--from {} is not before --to {}: the window [from, to) would hold nothing",
                self.from.as_deref().unwrap_or_default(),
                self.to.as_deref().unwrap_or_default()
            ));
        }
        Ok(Inputs {
            logs: self.logs.clone(),
            form: self.read.log_format.map(LogFormat::form),
            options,
            map: self.map.clone(),
            crm_stages: self.read.crm_stages.clone(),
            activities: self.activities.clone(),
            settings,
        })
    }
}

/// How to read logs: the zone of timestamps without an offset (`--tz`),
/// the CSV delimiter and columns, and a timestamp pattern.
fn read_options(
    tz: Option<&str>,
    delimiter: Option<&str>,
    columns: Option<&str>,
    time_format: &Option<String>,
) -> Result<Options, String> {
    let zone = match tz {
        Some(tz) => Zone::parse(tz)?,
        None => Zone::Utc,
    };
    let delimiter = match delimiter {
        None => b',',
        Some("\\t") | Some("tab") => b'\t',
        Some(d) if d.len() == 1 => d.as_bytes()[0],
        Some(d) => return Err(format!("--delimiter takes one ASCII character, not `{d}`")),
    };
    let columns = match columns {
        Some(c) => Columns::parse(c).map_err(|e| format!("--columns: {e}"))?,
        None => Columns::default(),
    };
    Ok(Options { columns, delimiter, time: TimeReader { zone, format: time_format.clone(), epoch_millis: false } })
}

/// Reads every log into one (gzip by a `.gz` name), with a progress bar on
/// a terminal for a large one.
pub(super) fn read_logs(paths: &[PathBuf], form: Option<Form>, options: &Options) -> Result<Log, String> {
    let mut builder = LogBuilder::new();
    let on_terminal = std::io::stderr().is_terminal();
    for path in paths {
        let name = files::display(path);
        let lower = name.to_lowercase();
        let Some(form) = form.or_else(|| Form::from_name(&lower)) else {
            return Err(format!(
                "{name}: the file name does not say what form the log is in; give --log-format csv, xes, salesforce, hubspot or pipedrive"
            ));
        };
        let (file, meta) = files::open(path)?;
        let bar = (on_terminal && meta.len() >= PROGRESS_FROM).then(|| {
            let bar = indicatif::ProgressBar::new(meta.len());
            bar.set_style(
                indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {eta}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.set_message(format!("reading {name}"));
            bar
        });
        let input = Progress { inner: std::io::BufReader::with_capacity(1 << 20, file), bar: bar.clone() };
        builder.start_file(&name, read::has_rows(form));
        let result = if lower.ends_with(".gz") {
            read::read(form, std::io::BufReader::new(flate2::read::MultiGzDecoder::new(input)), &mut builder, options)
        } else {
            read::read(form, input, &mut builder, options)
        };
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        result.map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(builder.finish())
}

/// A reader that moves a progress bar as bytes are read.
struct Progress<R> {
    inner: R,
    bar: Option<indicatif::ProgressBar>,
}

impl<R: Read> Read for Progress<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
        Ok(n)
    }
}

/// Logs at least this large get a progress bar on a terminal.
const PROGRESS_FROM: u64 = 32 << 20;

/// Reads every log, the map, the CRM's stages and the activities, and
/// runs the audit. `Err` is the exit code after the message was printed.
pub fn run_audit(loaded: &Loaded, mut inputs: Inputs) -> Result<Report, u8> {
    let mut names = NameMap::new(&loaded.model);
    if let Some(path) = &inputs.crm_stages {
        let bytes = files::read(path).map_err(fail)?;
        let stages = names::crm_stages(&String::from_utf8_lossy(&bytes))
            .map_err(|e| fail(format!("{}: {e}", files::display(path))))?;
        names.add_crm_stages(stages);
    }
    if let Some(path) = &inputs.map {
        let bytes = files::read(path).map_err(fail)?;
        let rows = names::map_rows(bytes.as_slice()).map_err(|e| fail(format!("{}: {e}", files::display(path))))?;
        for bad in names.add_map(&rows) {
            let hint = names
                .suggest(&bad.stage)
                .map(|s| format!("; did you mean `{}`?", procdef::emit::visible::visible(s)))
                .unwrap_or_default();
            eprintln!(
                "procdef: {}: row {} maps to `{}`, which is not a stage; the row is left out{hint}",
                files::display(path),
                bad.row,
                procdef::emit::visible::visible(&bad.stage)
            );
        }
    }
    let mut extra_problems = Vec::new();
    if let Some(path) = &inputs.activities {
        let (file, _) = files::open(path).map_err(fail)?;
        let (rows, problems) =
            audit::activities::read(std::io::BufReader::new(file), inputs.options.delimiter, &inputs.options.time)
                .map_err(|e| fail(format!("{}: {e}", files::display(path))))?;
        inputs.settings.activities = rows;
        let name = files::display(path);
        extra_problems.extend(problems.into_iter().map(|mut p| {
            p.log = Some(name.clone());
            p
        }));
    }

    let mut log = read_logs(&inputs.logs, inputs.form, &inputs.options).map_err(fail)?;
    if log.events.is_empty() {
        for p in log.problems.iter().take(5) {
            eprintln!("procdef: {}", p.message);
        }
        return Err(fail("no event of the log could be read; nothing to audit"));
    }
    log.problems.extend(extra_problems);
    Ok(audit::audit(&loaded.model, &loaded.analysis, log, &names, &inputs.settings))
}

pub fn run(args: Args) -> u8 {
    let inputs = match args.inputs() {
        Ok(i) => i,
        Err(e) => return fail(e),
    };
    let loaded = match load(&args.file, Config { deny: args.deny, quiet: args.quiet }) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let mut report = match run_audit(&loaded, inputs) {
        Ok(r) => r,
        Err(code) => return code,
    };
    report.set_gates(args.min_fitness, args.max_deviations);
    let text = match args.format {
        AuditFormat::Json => {
            let out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            if let Err(e) = render::write_json(&report, out)
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return fail(format!("cannot write the audit: {e}"));
            }
            return thresholds(&report);
        }
        AuditFormat::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            render::human(&report, &loaded.model, color)
        }
        AuditFormat::Md => render::markdown(&report, &loaded.model),
        AuditFormat::Html => render::html(&report, &loaded.model),
    };
    if let Err(e) = std::io::stdout().lock().write_all(text.as_bytes())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return fail(format!("cannot write the audit: {e}"));
    }
    thresholds(&report)
}

/// Exit 1 when a threshold given on the command line is not met.
fn thresholds(report: &Report) -> u8 {
    let mut code = OK;
    for gate in report.gates.iter().filter(|g| !g.met) {
        code = FAILED;
        match (gate.gate, gate.value) {
            ("min_fitness", Some(fitness)) => {
                eprintln!("procdef: the log fitness {fitness:.4} is below --min-fitness {}", gate.threshold)
            }
            // Nothing replayed is nothing shown to follow the process.
            ("min_fitness", None) => eprintln!(
                "procdef: no move of the log was replayed (every stage name unknown, or nothing in the window), so --min-fitness {} is not met",
                gate.threshold
            ),
            (_, value) => eprintln!(
                "procdef: {} deviations from the process, more than --max-deviations {}",
                value.unwrap_or_default(),
                gate.threshold
            ),
        }
    }
    code
}
