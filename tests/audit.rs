//! The audit end to end: determinism across thread counts, the report's arithmetic, and
//! hostile data that must be counted, never dropped.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use constitution::audit::{run, AuditOptions, DataFile};
use constitution::data::DataFormat;
use constitution::report::{ConstitutionSource, Report};

const LAMBETH: &str = include_str!("../constitutions/lambeth.lc");

/// A seeded year of FOI requests: some directorates slow, a few malformed rows.
fn foi_csv(rows: usize) -> String {
    let mut state = 42u64;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let directorates = ["Housing", "Children", "Finance", "Environment", "Adults"];
    let mut out = String::from(
        "reference,directorate,regime,received,responded,fee_wait_days,extended,review_asked,review_done\n",
    );
    for i in 0..rows {
        let day = 1 + next(360) as i64;
        let received = time::Date::from_calendar_date(2025, time::Month::April, 1).unwrap()
            + time::Duration::days(day);
        let directorate = directorates[next(5) as usize];
        let slow = directorate == "Housing" && next(10) < 3;
        let answered = received + time::Duration::days(3 + next(if slow { 40 } else { 20 }) as i64);
        let regime = if next(10) < 8 { "foia" } else { "eir" };
        let received_text = if i % 997 == 13 {
            "31/02/2026".to_string()
        } else if i % 3 == 0 {
            format!(
                "{:02}/{:02}/{}",
                received.day(),
                u8::from(received.month()),
                received.year()
            )
        } else {
            received.to_string()
        };
        let responded = if next(50) == 0 {
            String::new()
        } else {
            answered.to_string()
        };
        let extended = if next(10) == 0 { "yes" } else { "no" };
        out.push_str(&format!(
            "FOI-{i:06},{directorate},{regime},{received_text},{responded},,{extended},,\n"
        ));
    }
    out
}

fn audit_with(threads: usize, split_above: usize, csv: &str) -> Report {
    let parsed = constitution::parse(LAMBETH);
    let ast = parsed.ast.unwrap();
    let files = vec![DataFile {
        record: "foi_request".into(),
        path: "foi_request.csv".into(),
        text: csv.to_string(),
        format: DataFormat::Csv,
        sha256: None,
    }];
    let options = AuditOptions {
        threads,
        split_above,
        ..Default::default()
    };
    let source = ConstitutionSource {
        path: "constitutions/lambeth.lc",
        text: LAMBETH,
    };
    run(&ast, source, &files, &options)
        .map_err(|e| format!("{e:?}"))
        .unwrap()
        .1
}

#[test]
fn reports_are_identical_across_runs_and_thread_counts() {
    let csv = foi_csv(20_000);
    let one = audit_with(1, usize::MAX, &csv).to_json();
    assert_eq!(
        one,
        audit_with(1, usize::MAX, &csv).to_json(),
        "two runs differ"
    );
    for threads in [2, 3, 7] {
        let many = audit_with(threads, 0, &csv).to_json();
        assert_eq!(one, many, "{threads} threads differ from one");
    }
    // The split really happened and still found the malformed rows at their true lines.
    let report = audit_with(4, 0, &csv);
    let lines: Vec<&str> = report
        .data_problems
        .iter()
        .map(|p| p.location.as_str())
        .collect();
    assert!(lines.contains(&"line 15"), "{lines:?}");
}

#[test]
fn counts_add_up_to_the_records_read() {
    let csv = foi_csv(5_000);
    let report = audit_with(1, usize::MAX, &csv);
    let file = &report.data_files[0];
    assert_eq!(file.records, 5_000);
    // Every record of the kind is in exactly one of: outside the period, filtered out,
    // unusable, or judged, for every duty over the kind.
    for duty in report
        .duties()
        .filter(|d| d.id.starts_with("information.") && d.counts.in_scope > 0)
    {
        let accounted = duty.excluded.outside_period
            + duty.excluded.filtered_out
            + duty.counts.unusable
            + duty.counts.considered;
        assert_eq!(accounted, 5_000, "{}: {accounted}", duty.id);
        assert_eq!(
            duty.counts.passing + duty.counts.failing,
            duty.counts.considered,
            "{}",
            duty.id
        );
        let in_groups: u64 = duty.groups.iter().map(|g| g.counts.considered).sum();
        assert_eq!(in_groups, duty.counts.considered, "{}", duty.id);
    }
    assert_eq!(
        report.summary.unusable_records, file.unusable,
        "unusable records are all listed in the file's count"
    );
}

#[test]
fn a_malformed_data_file_is_an_error_naming_it() {
    let parsed = constitution::parse(LAMBETH);
    let ast = parsed.ast.unwrap();
    let files = vec![DataFile {
        record: "foi_request".into(),
        path: "broken.json".into(),
        text: "[{\"reference\": \"A\"}, {\"reference\": ".into(),
        format: DataFormat::Json,
        sha256: None,
    }];
    let source = ConstitutionSource {
        path: "lambeth.lc",
        text: LAMBETH,
    };
    let error = run(&ast, source, &files, &AuditOptions::default()).unwrap_err();
    let text = format!("{error:?}");
    assert!(text.contains("broken.json"), "{text}");
}

#[test]
fn a_given_sha256_is_reported_in_place_of_hashing_the_text() {
    let ast = constitution::parse(LAMBETH).ast.unwrap();
    let csv = foi_csv(50);
    let source = ConstitutionSource {
        path: "lambeth.lc",
        text: LAMBETH,
    };
    // A kind some duty reads, and one no duty reads (the file is only hashed).
    let audit = |sha256: Option<String>| {
        let files: Vec<DataFile> = [
            ("foi_request", "foi_request.csv"),
            ("unread", "unread=x.csv"),
        ]
        .into_iter()
        .map(|(record, path)| DataFile {
            record: record.into(),
            path: path.into(),
            text: csv.clone(),
            format: DataFormat::Csv,
            sha256: sha256.clone(),
        })
        .collect();
        let report = run(&ast, source, &files, &AuditOptions::default())
            .unwrap()
            .1;
        report
            .data_files
            .iter()
            .map(|f| f.sha256.clone())
            .collect::<Vec<_>>()
    };
    let computed = audit(None);
    assert_eq!(computed.len(), 2);
    assert_eq!(computed[0], computed[1]);
    assert_eq!(computed[0].len(), 64);
    assert_eq!(audit(Some("ab".repeat(32))), vec!["ab".repeat(32); 2]);
}

fn audit_one(record: &str, path: &str, text: String, format: DataFormat) -> Report {
    let ast = constitution::parse(LAMBETH).ast.unwrap();
    let files = vec![DataFile {
        record: record.into(),
        path: path.into(),
        text,
        format,
        sha256: None,
    }];
    let source = ConstitutionSource {
        path: "constitutions/lambeth.lc",
        text: LAMBETH,
    };
    run(&ast, source, &files, &AuditOptions::default())
        .map_err(|e| format!("{e:?}"))
        .unwrap()
        .1
}

fn duty<'a>(report: &'a Report, id: &str) -> &'a constitution::report::DutyReport {
    report.duties().find(|d| d.id == id).unwrap()
}

#[test]
fn a_record_with_no_readable_group_opens_no_group() {
    // 25 reports in a ward really called "missing", and one whose ward is blank (a required
    // field): the blank one is unusable and belongs to no group; it must not be merged into
    // the real ward "missing", nor open a group of its own.
    let mut csv = String::from("report_ref,ward,reported,cleared\n");
    for i in 0..25 {
        csv.push_str(&format!("FT-{i:03},missing,2025-04-07,2025-04-08\n"));
    }
    csv.push_str("FT-BLANK,,2025-04-07,2025-04-08\n");
    let report = audit_one("flytip", "flytip.csv", csv, DataFormat::Csv);
    let d = duty(&report, "environment.flytipping_cleared");
    assert_eq!(d.groups.len(), 1, "{:#?}", d.groups);
    let group = &d.groups[0];
    assert_eq!(group.group.as_deref(), Some("missing"));
    assert_eq!((group.counts.considered, group.counts.unusable), (25, 0));
    assert_eq!((d.counts.considered, d.counts.unusable), (25, 1));
}

#[test]
fn an_unreadable_value_is_not_a_missing_one() {
    // `where … (outcome is present)`: an outcome that is not one of the declared values is
    // unknown, not absent, so the record is unusable for the duty, never filtered out.
    let mut ndjson = String::new();
    for (i, outcome) in ["stayed_in_home", "", "evicted", "moved_to_new_home"]
        .iter()
        .enumerate()
    {
        ndjson.push_str(&format!(
            "{{\"case_ref\":\"P{i}\",\"ward\":\"Oval\",\"duty\":\"prevention\",\
             \"duty_started\":\"2025-04-0{}\",\"duty_ended\":\"2025-05-01\",\"outcome\":\"{outcome}\"}}\n",
            i + 1
        ));
    }
    let report = audit_one(
        "homelessness_case",
        "homelessness_case.ndjson",
        ndjson,
        DataFormat::Ndjson,
    );
    let d = duty(&report, "home.prevention_outcomes");
    assert_eq!(
        d.excluded.filtered_out, 1,
        "only the empty outcome is absent"
    );
    assert_eq!(d.counts.unusable, 1, "{:?}", d.unusable_reasons);
    assert!(
        d.unusable_reasons[0].reason.contains("evicted"),
        "{:?}",
        d.unusable_reasons
    );
    assert_eq!(d.counts.considered, 2);
}

#[test]
fn a_filter_decided_before_an_unreadable_field_still_decides() {
    // `where duty == "prevention" and (outcome is present)`: a relief case is outside the
    // population whatever its outcome says, so an unreadable outcome does not make it
    // unusable for the prevention duty. The relief duty does not read `outcome` at all.
    let ndjson = "{\"case_ref\":\"R1\",\"ward\":\"Oval\",\"duty\":\"relief\",\
                  \"duty_started\":\"2025-04-01\",\"duty_ended\":\"2025-05-01\",\"outcome\":\"evicted\"}\n\
                  {\"case_ref\":\"P1\",\"ward\":\"Oval\",\"duty\":\"prevention\",\
                  \"duty_started\":\"2025-04-01\",\"duty_ended\":\"2025-05-01\",\"outcome\":\"evicted\"}\n";
    let report = audit_one(
        "homelessness_case",
        "homelessness_case.ndjson",
        ndjson.to_string(),
        DataFormat::Ndjson,
    );
    let d = duty(&report, "home.prevention_outcomes");
    assert_eq!(d.excluded.filtered_out, 1, "the relief case");
    assert_eq!(d.counts.unusable, 1, "the prevention case");
    let relief = duty(&report, "home.relief_within_56_days");
    assert_eq!((relief.counts.considered, relief.counts.unusable), (1, 0));
}
