//! Reading data files from disk a piece at a time (`ReadFrom::Disk`, what the command line
//! does), or text in memory a piece at a time on one thread (what WebAssembly does), gives
//! exactly the report of reading them whole, whatever the piece size and the thread count:
//! pieces end at record boundaries (never inside a quoted CSV cell), line numbers stay true,
//! the hash is of the whole file without its byte order mark.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use constitution::audit::{run, AuditOptions, DataFile, ReadFrom};
use constitution::data::DataFormat;
use constitution::report::ConstitutionSource;

const BENCH: &str = include_str!("../bench/bench.lc");

/// FOI requests as CSV: quoted cells with commas, quotes and line breaks, CRLF lines, a
/// byte order mark, blank lines, malformed and missing values, a row too long.
fn foi_csv(n: usize) -> String {
    let mut out = String::from("\u{feff}id,\"ward\",received,responded,regime,category\r\n");
    let mut seed = 7u64;
    let mut next = |m: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % m
    };
    for i in 0..n {
        let ward = match next(9) {
            0 => "\"Ward, \"\"North\"\"\"".to_string(),
            1 => "\"Ward\nEast\"".to_string(),
            2 => String::new(),
            w => format!("Ward {w}"),
        };
        let day = 1 + next(28);
        let month = 4 + next(9);
        let received = match next(40) {
            0 => "31/02/2025".to_string(),
            1 => format!("{day:02}/{month:02}/2025"),
            _ => format!("2025-{month:02}-{day:02}"),
        };
        let responded = match next(12) {
            0 => String::new(),
            _ => format!("2025-{:02}-{:02}", (month + next(2)).min(12), 1 + next(28)),
        };
        let extra = if next(500) == 0 { ",surplus" } else { "" };
        let blank = if next(300) == 0 { "\r\n" } else { "" };
        out.push_str(&format!(
            "FOI-{i:06},{ward},{received},{responded},foia,\"a \"\"quoted\"\"\ncategory\"{extra}\r\n{blank}"
        ));
    }
    out
}

/// The same kind of records as NDJSON, with lines serde_json must read (escapes, nesting,
/// fractions) and lines that are not JSON at all.
fn foi_ndjson(n: usize) -> String {
    let mut out = String::from("\u{feff}");
    for i in 0..n {
        let ward = format!("Ward {}", i % 7);
        let line = match i % 97 {
            0 => format!("{{\"id\":\"FOI-{i:06}\",\"ward\":\"W\\u0061rd 1\",\"received\":\"2025-05-01\",\"responded\":null}}"),
            1 => format!("{{\"id\":\"FOI-{i:06}\",\"ward\":\"{ward}\",\"received\":\"2025-05-01\",\"pages\":[1,2],\"x\":{{\"y\":1.5}}}}"),
            2 => "{\"id\": \"broken".to_string(),
            3 => "[1, 2]".to_string(),
            4 => String::new(),
            5 => format!("{{\"ID\":\"FOI-{i:06}\",\"Ward\":\"{ward}\",\"received\":\"2025-13-01\"}}"),
            6 => format!("{{\"id\":\"FOI-{i:06}\",\"ward\":\"{ward}\",\"ward\":\"x\",\"received\":\"2025-06-01\",\"pages\":-0}}"),
            _ => format!(
                "{{\"id\":\"FOI-{i:06}\",\"ward\":\"{ward}\",\"received\":\"2025-{:02}-{:02}\",\"responded\":\"2025-{:02}-{:02}\",\"regime\":\"foia\",\"pages\":{}}}",
                4 + i % 8, 1 + i % 28, 5 + i % 8, 1 + (i * 7) % 28, i % 400
            ),
        };
        out.push_str(&line);
        out.push_str(if i % 5 == 0 { "\r\n" } else { "\n" });
    }
    out
}

fn report(path: &str, text: &str, format: DataFormat, options: &AuditOptions) -> String {
    let parsed = constitution::parse(BENCH);
    let ast = parsed.ast.unwrap();
    let files = vec![DataFile {
        record: "foi_request".into(),
        path: path.into(),
        text: text.into(),
        format,
        sha256: None,
    }];
    let source = ConstitutionSource {
        path: "bench/bench.lc",
        text: BENCH,
    };
    run(&ast, source, &files, options)
        .map_err(|e| format!("{e:?}"))
        .unwrap()
        .1
        .to_json()
}

/// A directory of its own for each file the tests write (they run in parallel).
fn scratch() -> std::path::PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    std::env::temp_dir().join(format!("constitution-streaming-{}-{n}", std::process::id()))
}

/// The first line where two reports differ, for a readable failure.
fn first_difference(a: &str, b: &str) -> Option<String> {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| format!("line {}: {x:?} != {y:?}", i + 1))
        .or_else(|| (a.len() != b.len()).then(|| "lengths differ".to_string()))
}

fn check(name: &str, contents: &str, format: DataFormat) {
    let dir = scratch();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    let path = path.to_str().unwrap();
    let text = contents.strip_prefix('\u{feff}').unwrap_or(contents);
    for period in [None, Some(("2025-04-01", "2026-03-31"))] {
        let period = period.map(|(a, b)| {
            (
                constitution::parse::parse_date(a).unwrap(),
                constitution::parse::parse_date(b).unwrap(),
            )
        });
        let base = AuditOptions {
            period,
            failing_cap: 1000,
            ..Default::default()
        };
        let whole = report(path, text, format, &base);
        assert!(whole.contains("\"records\""), "{whole}");
        let same_as_whole = |text: &str, options: AuditOptions, what: String| {
            let got = report(path, text, format, &options);
            assert_eq!(first_difference(&whole, &got), None, "{name}: {what}");
        };
        for threads in [1, 2, 3] {
            for chunk_bytes in [1, 100, 4096, 1 << 20] {
                let from_disk = AuditOptions {
                    threads,
                    read_from: ReadFrom::Disk,
                    chunk_bytes,
                    ..base.clone()
                };
                let what = format!("{threads} threads, pieces of {chunk_bytes} bytes");
                same_as_whole("", from_disk, what);
                if threads == 1 {
                    let in_memory = AuditOptions {
                        split_above: 0,
                        chunk_bytes,
                        ..base.clone()
                    };
                    let what = format!("in memory, pieces of {chunk_bytes} bytes");
                    same_as_whole(text, in_memory, what);
                }
            }
        }
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn csv_read_in_pieces_gives_the_same_report() {
    check("foi_request.csv", &foi_csv(3000), DataFormat::Csv);
}

#[test]
fn ndjson_read_in_pieces_gives_the_same_report() {
    check("foi_request.ndjson", &foi_ndjson(3000), DataFormat::Ndjson);
}

#[test]
fn empty_and_header_only_files_read_in_pieces() {
    check("foi_request.csv", "", DataFormat::Csv);
    check(
        "foi_request.csv",
        "id,ward,received,responded\n",
        DataFormat::Csv,
    );
    check(
        "foi_request.csv",
        "id,ward,received,responded",
        DataFormat::Csv,
    );
    check("foi_request.ndjson", "", DataFormat::Ndjson);
    check("foi_request.ndjson", "\n\n", DataFormat::Ndjson);
    // Blank lines before the header are not records (found by the audit fuzz target).
    check(
        "foi_request.csv",
        "\n\r\nid,ward,received,responded\nFOI-1,Abbey,2025-04-01,\n",
        DataFormat::Csv,
    );
}

#[test]
fn an_unclosed_quote_is_the_same_error_in_pieces() {
    let csv = "id,ward,received,responded\nFOI-1,\"Abbey,2025-04-01,\nFOI-2,Abbey,2025-04-02,\n";
    let dir = scratch();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("foi_request.csv");
    std::fs::write(&path, csv).unwrap();
    let parsed = constitution::parse(BENCH);
    let ast = parsed.ast.unwrap();
    let error = |text: &str, read_from, period, split_above| {
        let files = vec![DataFile {
            record: "foi_request".into(),
            path: path.to_str().unwrap().into(),
            text: text.into(),
            format: DataFormat::Csv,
            sha256: None,
        }];
        let source = ConstitutionSource {
            path: "bench.lc",
            text: BENCH,
        };
        let options = AuditOptions {
            period,
            read_from,
            chunk_bytes: 10,
            split_above,
            ..Default::default()
        };
        format!("{:?}", run(&ast, source, &files, &options).err().unwrap())
    };
    let year = Some((
        constitution::parse::parse_date("2025-04-01").unwrap(),
        constitution::parse::parse_date("2026-03-31").unwrap(),
    ));
    for period in [None, year] {
        let whole = error(csv, ReadFrom::Text, period, usize::MAX);
        assert!(whole.contains("never closed"), "{whole}");
        assert_eq!(whole, error("", ReadFrom::Disk, period, usize::MAX));
        assert_eq!(whole, error(csv, ReadFrom::Text, period, 0));
    }
    assert!(error(csv, ReadFrom::Text, year, usize::MAX).contains("line 2"));
}

#[test]
fn a_stray_quote_inside_a_cell_does_not_move_the_piece_boundaries() {
    // Found by the audit fuzz target: a quote in the middle of a cell is a character, not
    // the start of a quoted cell, so the reader in pieces must not count it. Later, a quote
    // at the start of a cell opens a quoted cell that runs over three lines.
    let csv = "id,ward,received,responded\n\
               FOI-1,Abbey,2025-04-01,2025-04-03\n\
               FOI-\"2,Abbey,2025-04-02,2025-04-09\n\
               FOI-3,Abbey,2025-04-03,2025-04-04\n\
               FOI-4,\"Abbey\nand\nBrixton\",2025-04-04,2025-04-05\n\
               FOI-5,Ab\"\"bey,2025-04-05,2025-04-06\n\
               FOI-6,\"Ab\"\"bey\",2025-04-06,2025-04-07\n\
               FOI-7,Abbey,2025-04-07,2025-05-30\n";
    check("foi_request.csv", csv, DataFormat::Csv);
    // Lone carriage returns end records as line feeds do (old Mac exports), and mixed.
    check("foi_request.csv", &csv.replace('\n', "\r"), DataFormat::Csv);
    check(
        "foi_request.csv",
        &csv.replacen('\n', "\r", 3),
        DataFormat::Csv,
    );
}
