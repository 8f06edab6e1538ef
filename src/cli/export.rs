//! `procdef export`: the pipeline definition a CRM takes, as JSON.

use super::load::{Config, load};
use super::{BROKEN, Deny, OK};
use clap::ValueEnum;
use procdef::emit::crm::{self, Crm};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The process file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The CRM whose payload to print (see docs/crm.md for sending it).
    #[arg(long, value_enum, value_name = "CRM")]
    to: CrmArg,
    /// Fail (exit 1) on warnings too.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Print no warnings, only errors.
    #[arg(long, short)]
    quiet: bool,
}

/// The CRMs, as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CrmArg {
    /// HubSpot: the body of `POST /crm/v3/pipelines/deals`.
    Hubspot,
    /// Pipedrive: the bodies of `POST /v1/pipelines` and `POST /v1/stages`.
    Pipedrive,
    /// Salesforce: opportunity stages and the Sales Path (Metadata API shape).
    Salesforce,
}

impl From<CrmArg> for Crm {
    fn from(c: CrmArg) -> Crm {
        match c {
            CrmArg::Hubspot => Crm::Hubspot,
            CrmArg::Pipedrive => Crm::Pipedrive,
            CrmArg::Salesforce => Crm::Salesforce,
        }
    }
}

pub fn run(args: Args) -> u8 {
    let loaded = match load(&args.file, Config { deny: args.deny, quiet: args.quiet }) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let to = Crm::from(args.to);
    let text = crm::export(&loaded.model, &loaded.analysis, to);
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("procdef: cannot write the {} export of {}: {e}", to.name(), loaded.name);
            BROKEN
        }
        _ => OK,
    }
}
