//! Every bundled constitution audited against its bundled sample data: the JSON, text and
//! Markdown reports are snapshotted, so a reviewer sees every verdict change.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use constitution::audit::{run, AuditOptions, DataFile};
use constitution::data::DataFormat;
use constitution::report::ConstitutionSource;
use std::path::Path;

fn data_files(dir: &Path) -> Vec<DataFile> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    entries
        .into_iter()
        .filter_map(|path| {
            let name = path.file_name()?.to_string_lossy().into_owned();
            let format = DataFormat::from_path(&name)?;
            Some(DataFile {
                record: path.file_stem()?.to_string_lossy().into_owned(),
                path: name,
                text: std::fs::read_to_string(&path).unwrap(),
                format,
                sha256: None,
            })
        })
        .collect()
}

#[test]
fn bundled_audits() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("constitutions");
    let mut audited = 0;
    insta::glob!("../constitutions", "*.lc", |path| {
        let area = path.file_stem().unwrap().to_string_lossy().into_owned();
        let data = root.join(&area).join("data").join("2025-26");
        assert!(
            data.is_dir(),
            "{area} has no sample data at {}",
            data.display()
        );
        let source = std::fs::read_to_string(path).unwrap();
        let ast = constitution::parse(&source).ast.unwrap();
        let files = data_files(&data);
        assert!(!files.is_empty(), "{area}: no data files");
        let file = ConstitutionSource {
            path: &format!("constitutions/{area}.lc"),
            text: &source,
        };
        let (_, report) = run(&ast, file, &files, &AuditOptions::default())
            .map_err(|e| format!("{e:?}"))
            .unwrap();
        // Every right and every duty reaches a verdict, and at least one duty is decided.
        assert!(
            report.summary.duties.met + report.summary.duties.breached > 0,
            "{area}"
        );
        insta::assert_snapshot!("json", report.to_json());
        insta::assert_snapshot!("text", constitution::render::report::text(&report));
        insta::assert_snapshot!("markdown", constitution::render::report::markdown(&report));
        audited += 1;
    });
    assert!(audited >= 5, "audited {audited} constitutions");
}
