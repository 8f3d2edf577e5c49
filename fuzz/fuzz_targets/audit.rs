//! Arbitrary bytes as the one data file of a whole audit against `fuzz/audit.lc` (the first
//! byte chooses CSV, JSON or NDJSON): no panic; either an error naming the file, or a report
//! whose counts add up to the records read, identical when the file is split across threads.
#![no_main]

use constitution::audit::{run, AuditOptions, DataFile};
use constitution::data::DataFormat;
use constitution::report::ConstitutionSource;
use libfuzzer_sys::fuzz_target;

const SOURCE: &str = include_str!("../audit.lc");

fuzz_target!(|bytes: &[u8]| {
    let Some((choice, rest)) = bytes.split_first() else {
        return;
    };
    let (format, path) = match choice % 3 {
        0 => (DataFormat::Csv, "case.csv"),
        1 => (DataFormat::Json, "case.json"),
        _ => (DataFormat::Ndjson, "case.ndjson"),
    };
    let ast = constitution::parse(SOURCE).ast.expect("the fuzz constitution parses");
    let files = vec![DataFile {
        record: "case".into(),
        path: path.into(),
        text: String::from_utf8_lossy(rest).into_owned(),
        format,
        sha256: None,
    }];
    let source = ConstitutionSource {
        path: "audit.lc",
        text: SOURCE,
    };
    let one = run(&ast, source, &files, &AuditOptions::default());
    let split = run(
        &ast,
        source,
        &files,
        &AuditOptions {
            threads: 3,
            split_above: 0,
            ..AuditOptions::default()
        },
    );
    match (one, split) {
        (Ok((_, report)), Ok((_, split))) => {
            assert_eq!(report.to_json(), split.to_json(), "split audit differs");
            let records: u64 = report.data_files.iter().map(|f| f.records as u64).sum();
            for duty in report.duties() {
                let accounted = duty.excluded.outside_period
                    + duty.excluded.filtered_out
                    + duty.counts.unusable
                    + duty.counts.considered;
                assert_eq!(accounted, records, "{}: counts do not add up", duty.id);
            }
        }
        (Err(a), Err(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}")),
        (a, b) => panic!("one thread and three disagree: {a:?} vs {b:?}"),
    }
});
