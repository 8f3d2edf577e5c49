//! Stage two: the AST to diagnostics.
//!
//! Small validators, each looking at one concern and returning what it found; [`check`]
//! runs them all and sorts the result by position. None stops at the first problem. Duties
//! are checked in every version of the constitution (the adopted text and after each
//! amendment), so an amendment that breaks a duty is caught at the amendment's line.

mod duty;
mod structure;
mod tests_blocks;
pub mod types;

use crate::ast::Constitution;
use crate::diagnostic::{sort_and_dedup, Diagnostic};
use crate::parse::edit_distance;

/// The six fundamental rights every constitution must contain, by key.
pub const FUNDAMENTAL_RIGHTS: [(&str, &str); 6] = [
    ("home", "the right to a home"),
    ("education", "the right to education"),
    (
        "skills",
        "the right to access skills, training and enterprise",
    ),
    (
        "environment",
        "the right to live in a safe, clean environment",
    ),
    ("information", "the right to information"),
    ("consulted", "the right to be consulted"),
];

/// The working-day calendars the engine knows.
pub const CALENDARS: [&str; 5] = [
    "uk",
    "england_and_wales",
    "scotland",
    "northern_ireland",
    "weekdays",
];

/// Checks a parsed constitution: every problem, errors and warnings, sorted by position.
pub fn check(constitution: &Constitution) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    diagnostics.extend(structure::header(constitution));
    diagnostics.extend(structure::names(constitution));
    diagnostics.extend(structure::rights(constitution));
    diagnostics.extend(structure::records(constitution));
    diagnostics.extend(structure::accountability(constitution));
    diagnostics.extend(structure::amendment_dates(constitution));

    let (versions, applied) = crate::version::versions(constitution);
    diagnostics.extend(applied);
    for version in &versions {
        for right in &version.rights {
            for d in &right.duties {
                diagnostics.extend(duty::check_duty(constitution, d));
            }
        }
    }
    diagnostics.extend(structure::unused_records(constitution, &versions));
    diagnostics.extend(tests_blocks::check_tests(constitution, &versions));
    sort_and_dedup(&mut diagnostics);
    diagnostics
}

/// The candidate closest to `name`, when it is close enough to be a typo.
pub(crate) fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    let candidates: Vec<&str> = candidates.filter(|c| *c != name).collect();
    let by_distance = candidates
        .iter()
        .map(|c| (edit_distance(name, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string());
    // `england` for `england_and_wales`, `workdays` for `working_days`: a shared start.
    by_distance.or_else(|| {
        let stem: String = name.chars().take(4).collect();
        let mut starting: Vec<&&str> = candidates
            .iter()
            .filter(|c| stem.chars().count() >= 3 && c.starts_with(&stem))
            .collect();
        starting.sort_by_key(|c| c.len());
        (starting.len() == 1)
            .then(|| starting.first().map(|c| c.to_string()))
            .flatten()
    })
}
