//! The command line's contract: exit codes, formats and file handling.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_constitution"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp_file(name: &str, contents: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("constitution-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

#[test]
fn check_exits_zero_on_a_clean_constitution() {
    let (code, stdout, _) = run(&["check", "constitutions/lambeth.lc"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("no problems found"), "{stdout}");
}

#[test]
fn check_exits_one_on_errors_and_two_on_missing_files() {
    let bad = temp_file("bad.lc", b"constitution \"X\" {\n  area E09000022\n}\n");
    let (code, stdout, _) = run(&["check", &bad]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("error[E101]"), "{stdout}");
    let (code, _, stderr) = run(&["check", "does/not/exist.lc"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("does/not/exist.lc"), "{stderr}");
}

#[test]
fn invalid_utf8_is_an_input_error_naming_the_file() {
    let path = temp_file("binary.lc", &[0x63, 0xff, 0xfe, 0x00]);
    let (code, _, stderr) = run(&["check", &path]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not UTF-8"), "{stderr}");
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let clean = std::fs::read("constitutions/lambeth.lc").unwrap();
    let mut with_bom = vec![0xef, 0xbb, 0xbf];
    with_bom.extend(clean);
    let path = temp_file("bom.lc", &with_bom);
    let (code, stdout, _) = run(&["check", &path]);
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn json_output_has_one_based_positions() {
    let bad = temp_file("json.lc", b"constitution \"X\" {\n  aera E09000022\n}\n");
    let (code, stdout, _) = run(&["check", "--format", "json", &bad]);
    assert_eq!(code, 1);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let first = value
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "E001")
        .expect("a syntax error");
    assert_eq!(first["line"], 2);
    assert_eq!(first["column"], 3);
    assert_eq!(first["end_column"], 7);
    assert_eq!(first["severity"], "error");
    assert!(first["help"].as_str().unwrap().contains("area"));
}

#[test]
fn github_and_sarif_formats_are_well_formed() {
    let bad = temp_file("gh.lc", b"constitution \"X\" {\n  area E09000022\n}\n");
    let (_, stdout, _) = run(&["check", "--format", "github", &bad]);
    assert!(stdout
        .lines()
        .all(|l| l.starts_with("::error ") || l.starts_with("::warning ")));
    assert!(
        stdout.contains("title=E101 missing-fundamental-right::"),
        "{stdout}"
    );
    let (_, stdout, _) = run(&["check", "--format", "sarif", &bad]);
    let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "E101"));
}

#[test]
fn fmt_check_names_files_that_would_change_and_leaves_them_alone() {
    let messy = std::fs::read("tests/fixtures/format/messy_layout.lc").unwrap();
    let path = temp_file("messy.lc", &messy);
    let (code, stdout, _) = run(&["fmt", "--check", &path]);
    assert_eq!(code, 1);
    assert!(stdout.contains("would reformat"), "{stdout}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        messy,
        "--check must not write"
    );
    let (code, _, _) = run(&["fmt", &path]);
    assert_eq!(code, 0);
    let (code, _, _) = run(&["fmt", "--check", &path]);
    assert_eq!(code, 0, "formatted file is canonical");
}

#[test]
fn fmt_refuses_files_with_syntax_errors() {
    let path = temp_file("broken.lc", b"constitution \"X\" {\n  aera 1\n}\n");
    let (code, _, stderr) = run(&["fmt", &path]);
    assert_eq!(code, 1);
    assert!(stderr.contains("syntax errors"), "{stderr}");
}

#[test]
fn a_closed_output_pipe_ends_quietly() {
    // `constitution audit … --format json | head -1`: the reader goes away after one line.
    // The report is larger than a pipe's buffer, so the writer meets the closed pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_constitution"))
        .args([
            "audit",
            "constitutions/lambeth.lc",
            "--data",
            "constitutions/lambeth/data/2025-26/",
            "--format",
            "json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

// ---------------------------------------------------------------------------------------
// Drafting and publishing: new, doc, diff, schema.

#[test]
fn new_writes_a_constitution_that_checks_clean_and_refuses_to_overwrite() {
    let dir = std::env::temp_dir().join(format!("constitution-cli-new-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("area.lc").display().to_string();
    let _ = std::fs::remove_file(&path);
    let (code, _, stderr) = run(&[
        "new",
        "Brixton \"Village\"",
        "--code",
        "E09000022",
        "--adopted",
        "2026-05-14",
        "--out",
        &path,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, _) = run(&["check", "--deny-warnings", &path]);
    assert_eq!(code, 0, "{stdout}");
    let (code, stdout, _) = run(&["fmt", "--check", &path]);
    assert_eq!(code, 0, "{stdout}");
    let (code, _, stderr) = run(&["new", "Brixton", "--out", &path]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already exists"), "{stderr}");
    let (code, _, stderr) = run(&["new", "Brixton", "--code", "E123"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a GSS code"), "{stderr}");
    let (code, _, _) = run(&["new", "Brixton", "--adopted", "14/05/2026"]);
    assert_eq!(code, 2);
    let (code, stdout, _) = run(&["new", "Brixton"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("// The local constitution"));
}

#[test]
fn doc_exit_codes_and_formats() {
    let (code, stdout, _) = run(&["doc", "constitutions/lambeth.lc"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("# London Borough of Lambeth"),
        "{stdout}"
    );
    let (code, stdout, _) = run(&[
        "doc",
        "constitutions/lambeth.lc",
        "--format",
        "html",
        "--on",
        "2025-06-01",
    ]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("<!doctype html>"));
    assert!(stdout.contains("in force on 1 June 2025"));
    let (code, _, _) = run(&["doc", "constitutions/lambeth.lc", "--on", "June"]);
    assert_eq!(code, 2);
    let (code, _, _) = run(&["doc", "does/not/exist.lc"]);
    assert_eq!(code, 2);
    let bad = temp_file("doc-bad.lc", b"constitution \"X\" {\n  area E09000022\n}\n");
    let (code, _, stderr) = run(&["doc", &bad]);
    assert_eq!(code, 2);
    assert!(stderr.contains("E101"), "{stderr}");
}

#[test]
fn diff_exit_codes_and_formats() {
    let (code, stdout, _) = run(&[
        "diff",
        "constitutions/lambeth.lc",
        "--from",
        "2026-03-31",
        "--to",
        "2026-04-01",
    ]);
    assert_eq!(code, 0);
    assert!(stdout.contains("before: require at least 90%"), "{stdout}");
    assert!(stdout.contains("after:  require at least 95%"), "{stdout}");
    let (code, stdout, _) = run(&["diff", "constitutions/lambeth.lc", "--format", "json"]);
    assert_eq!(code, 0);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["summary"]["added"], 1);
    let (code, stdout, _) = run(&[
        "diff",
        "constitutions/lambeth.lc",
        "constitutions/oldham.lc",
    ]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Duty removed") && stdout.contains("Duty added"));
    let (code, _, _) = run(&["diff", "constitutions/lambeth.lc", "--to", "soon"]);
    assert_eq!(code, 2);
}

#[test]
fn schema_exit_codes_and_formats() {
    let (code, stdout, _) = run(&["schema", "constitutions/lambeth.lc"]);
    assert_eq!(code, 0);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(value["$defs"]["foi_request"].is_object());
    let (code, stdout, _) = run(&[
        "schema",
        "constitutions/lambeth.lc",
        "spending",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout.lines().last().unwrap(),
        "transaction,department,paid,amount,beneficiary,purpose,category,published"
    );
    let (code, _, stderr) = run(&["schema", "constitutions/lambeth.lc", "nothing"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("declares no record `nothing`"), "{stderr}");
}

#[test]
fn timings_name_every_stage_on_standard_error_and_leave_the_report_alone() {
    let data = "constitutions/lambeth/data/2025-26/";
    let args = [
        "audit",
        "constitutions/lambeth.lc",
        "--data",
        data,
        "--format",
        "json",
    ];
    let (code, plain, _) = run(&args);
    let (timed_code, timed, stderr) = run(&[&args[..], &["--timings"]].concat());
    assert_eq!((code, timed_code), (0, 0));
    assert_eq!(plain, timed, "--timings changed the report");
    let line = stderr
        .lines()
        .find(|l| l.starts_with("timings: "))
        .expect(&stderr);
    let stages: Vec<&str> = line["timings: ".len()..].split(", ").collect();
    let names: Vec<&str> = stages
        .iter()
        .map(|s| s.rsplitn(3, ' ').nth(2).unwrap())
        .collect();
    assert_eq!(
        names,
        ["parse", "check and compile", "read and evaluate", "render"],
        "{line}"
    );
    for stage in stages {
        let ms: f64 = stage.rsplit(' ').nth(1).unwrap().parse().unwrap();
        assert!(ms.is_finite() && ms >= 0.0, "{line}");
    }
}
