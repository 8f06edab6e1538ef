//! The log readers: one module per input form of AUDIT.md §1. Each reads a
//! stream (never the whole file into memory) and feeds a [`LogBuilder`];
//! a record it cannot use is a problem with its row, and only a stream
//! that cannot be read at all is an error.

pub mod csv;

use super::log::LogBuilder;
use super::time::TimeReader;
use std::fmt;
use std::io::Read;

/// The input forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Csv,
    Xes,
    Salesforce,
    Hubspot,
    Pipedrive,
}

impl Form {
    pub fn name(self) -> &'static str {
        match self {
            Form::Csv => "csv",
            Form::Xes => "xes",
            Form::Salesforce => "salesforce",
            Form::Hubspot => "hubspot",
            Form::Pipedrive => "pipedrive",
        }
    }

    /// The form a file name suggests: `.csv`, `.xes`, `.xes.gz`; `None` for
    /// the others, which need `--log-format`.
    pub fn from_name(name: &str) -> Option<Form> {
        let lower = name.to_lowercase();
        if lower.ends_with(".xes") || lower.ends_with(".xes.gz") {
            Some(Form::Xes)
        } else if lower.ends_with(".csv") || lower.ends_with(".csv.gz") {
            Some(Form::Csv)
        } else {
            None
        }
    }
}

/// Column names given with `--columns`, overriding the header aliases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    pub case: Option<String>,
    pub stage: Option<String>,
    pub time: Option<String>,
    pub resource: Option<String>,
    pub role: Option<String>,
}

impl Columns {
    /// Reads `case=NAME,stage=NAME,time=NAME,resource=NAME,role=NAME`.
    pub fn parse(text: &str) -> Result<Columns, String> {
        let mut c = Columns::default();
        for part in text.split(',').filter(|p| !p.trim().is_empty()) {
            let Some((key, value)) = part.split_once('=') else {
                return Err(format!("`{part}` is not FIELD=NAME; the fields are case, stage, time, resource, role"));
            };
            let value = Some(value.trim().to_string());
            match key.trim() {
                "case" => c.case = value,
                "stage" => c.stage = value,
                "time" => c.time = value,
                "resource" => c.resource = value,
                "role" => c.role = value,
                other => {
                    return Err(format!("`{other}` is not a field; the fields are case, stage, time, resource, role"));
                }
            }
        }
        Ok(c)
    }
}

/// How to read a log.
#[derive(Debug, Clone)]
pub struct Options {
    pub columns: Columns,
    pub delimiter: u8,
    pub time: TimeReader,
}

impl Default for Options {
    fn default() -> Options {
        Options { columns: Columns::default(), delimiter: b',', time: TimeReader::default() }
    }
}

/// A log that cannot be read at all: exit 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unreadable {}

/// Reads one log file of a known form into `builder` (which must have
/// been told the file with [`LogBuilder::start_file`]).
pub fn read(form: Form, input: impl Read, builder: &mut LogBuilder, options: &Options) -> Result<(), Unreadable> {
    match form {
        Form::Csv => csv::read(input, builder, options, &csv::GENERIC),
        Form::Salesforce => csv::read(input, builder, options, &csv::SALESFORCE),
        Form::Xes | Form::Hubspot | Form::Pipedrive => {
            Err(Unreadable(format!("reading {} logs is not available in this build", form.name())))
        }
    }
}

/// Whether a form's records are rows a person finds by number.
pub fn has_rows(form: Form) -> bool {
    matches!(form, Form::Csv | Form::Salesforce)
}
