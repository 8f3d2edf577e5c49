//! Arbitrary bytes, read lossily as UTF-8, through `check_source` (parse, then check):
//! no panic, no stack overflow, and every diagnostic points inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let parsed = constitution::parse(&source);
    if parsed.ast.is_none() {
        assert!(
            parsed.diagnostics.iter().any(|d| d.is_error()),
            "no tree and no error"
        );
    }
    for d in constitution::check_source(&source) {
        assert!(
            d.span.start <= d.span.end
                && d.span.end <= source.len()
                && source.is_char_boundary(d.span.start)
                && source.is_char_boundary(d.span.end),
            "span {:?} outside the text or inside a character: {d:?}",
            d.span
        );
    }
});
