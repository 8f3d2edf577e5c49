//! The mutation test: every bundled constitution, edited thousands of times at random with a
//! fixed seed (a line deleted, duplicated or truncated, two tokens swapped, garbage
//! inserted, a bracket dropped), then checked and formatted. No edit may panic or take
//! long; whenever a mutant fails to check or format there is an error diagnostic, and every
//! diagnostic's span lies inside the text on character boundaries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;
use std::time::{Duration, Instant};

/// The longest one mutant may take to check and format (debug build, shared machine).
const TIME_BOUND: Duration = Duration::from_secs(3);

/// A small seeded generator (SplitMix64): the same mutants on every run and machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const GARBAGE: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "//",
    "duty",
    "require at least",
    "%",
    "£",
    "..",
    "owed by",
    "per",
    "\u{feff}",
    "é",
    "\u{1F600}",
    "0000-00-00",
    "2025-02-30",
    "99999999999999999999",
    "over",
    "each",
    "where",
    "otherwise",
    "not",
    "is missing",
    "\t",
    "\n",
    ";",
    "\\",
];

/// One random edit of `source`.
fn mutate(source: &str, rng: &mut Rng) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let pick = rng.below(lines.len());
    match rng.below(7) {
        // Delete a line.
        0 => {
            let mut out = lines.clone();
            out.remove(pick);
            out.join("\n")
        }
        // Duplicate a line.
        1 => {
            let mut out = lines.clone();
            out.insert(pick, lines[pick]);
            out.join("\n")
        }
        // Truncate the file at a character boundary.
        2 => {
            let mut cut = rng.below(source.len() + 1);
            while !source.is_char_boundary(cut) {
                cut -= 1;
            }
            source[..cut].to_string()
        }
        // Swap two tokens (whitespace-separated words).
        3 => {
            let words: Vec<&str> = source.split(' ').collect();
            let (a, b) = (rng.below(words.len()), rng.below(words.len()));
            let mut out = words.clone();
            out.swap(a, b);
            out.join(" ")
        }
        // Insert garbage at a character boundary.
        4 => {
            let mut at = rng.below(source.len() + 1);
            while !source.is_char_boundary(at) {
                at -= 1;
            }
            let g = GARBAGE[rng.below(GARBAGE.len())];
            format!("{}{g}{}", &source[..at], &source[at..])
        }
        // Drop one bracket.
        5 => {
            let brackets: Vec<usize> = source
                .char_indices()
                .filter(|(_, c)| matches!(c, '{' | '}' | '(' | ')' | '[' | ']'))
                .map(|(i, _)| i)
                .collect();
            if brackets.is_empty() {
                return source.to_string();
            }
            let i = brackets[rng.below(brackets.len())];
            format!("{}{}", &source[..i], &source[i + 1..])
        }
        // Change a digit.
        _ => {
            let digits: Vec<usize> = source
                .char_indices()
                .filter(|(_, c)| c.is_ascii_digit())
                .map(|(i, _)| i)
                .collect();
            if digits.is_empty() {
                return source.to_string();
            }
            let i = digits[rng.below(digits.len())];
            let d = char::from(b'0' + rng.below(10) as u8);
            format!("{}{d}{}", &source[..i], &source[i + 1..])
        }
    }
}

fn assert_spans(source: &str, diagnostics: &[constitution::Diagnostic], what: &str) {
    for d in diagnostics {
        assert!(
            d.span.start <= d.span.end
                && d.span.end <= source.len()
                && source.is_char_boundary(d.span.start)
                && source.is_char_boundary(d.span.end),
            "{what}: span {:?} outside the text: {d:?}\n--- source:\n{source}",
            d.span
        );
    }
}

#[test]
fn mutants_of_the_bundled_constitutions() {
    mutants(40);
}

/// The full run, in release mode from `scripts/test`:
/// `cargo test --release --test mutation -- --ignored`.
#[test]
#[ignore = "long: run in release mode by scripts/test"]
fn thousands_of_mutants_of_the_bundled_constitutions() {
    mutants(500);
}

fn mutants(per_file: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(root.join("constitutions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "lc"))
        .collect();
    files.push(root.join("fuzz/audit.lc"));
    files.sort();
    assert!(files.len() >= 6, "{files:?}");
    let mut rng = Rng(20_251_130);
    let (mut mutants, mut refused, mut slowest) = (0usize, 0usize, Duration::ZERO);
    for path in &files {
        let original = std::fs::read_to_string(path).unwrap();
        for _ in 0..per_file {
            let mut source = original.clone();
            for _ in 0..1 + rng.below(3) {
                source = mutate(&source, &mut rng);
            }
            let started = Instant::now();
            let diagnostics = constitution::check_source(&source);
            assert_spans(&source, &diagnostics, "check");
            let parsed = constitution::parse(&source);
            if parsed.ast.is_none() {
                assert!(
                    diagnostics.iter().any(|d| d.is_error()),
                    "no tree, no error:\n{source}"
                );
            }
            match constitution::format(&source) {
                Ok(formatted) => {
                    // What formats, formats to a fixed point.
                    assert_eq!(
                        constitution::format(&formatted).as_deref().ok(),
                        Some(formatted.as_str()),
                        "not idempotent:\n{source}"
                    );
                }
                Err(refusal) => {
                    refused += 1;
                    assert!(
                        refusal.iter().any(|d| d.is_error()),
                        "refused without an error"
                    );
                    assert_spans(&source, &refusal, "format");
                }
            }
            let took = started.elapsed();
            assert!(
                took < TIME_BOUND,
                "{}: a mutant took {took:?}:\n{source}",
                path.display()
            );
            slowest = slowest.max(took);
            mutants += 1;
        }
    }
    eprintln!(
        "{mutants} mutants of {} constitutions: {refused} refused by fmt, slowest {slowest:?}",
        files.len()
    );
    assert_eq!(mutants, files.len() * per_file);
}
