//! Every log reader of `procdef audit` takes any bytes: none panics, and
//! each keeps its count of records, `log.rows` = events + records skipped,
//! whether it read the whole stream, stopped part-way, or found it
//! unreadable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use procdef::audit::log::LogBuilder;
use procdef::audit::read::{self, Form, Options};

fuzz_target!(|data: &[u8]| {
    let options = Options::default();
    for form in [Form::Csv, Form::Salesforce, Form::Xes, Form::Hubspot, Form::Pipedrive] {
        let mut builder = LogBuilder::new();
        builder.start_file("log", read::has_rows(form));
        let result = read::read(form, data, &mut builder, &options);
        let log = builder.finish();
        assert_eq!(
            log.rows,
            log.events.len() as u64 + log.skipped(),
            "{}: rows are not events + skipped ({result:?})",
            form.name()
        );
        if result.is_err() {
            continue;
        }
        for event in &log.events {
            assert!((event.case as usize) < log.cases.len() && (event.name as usize) < log.names.len());
        }
        // Rows are given only by the forms that have them.
        if !log.files[0].has_rows {
            assert!(log.events.iter().all(|e| log.row_of(e).is_none()), "{}", form.name());
        }
    }
});
