fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let src = std::fs::read_to_string(path).unwrap_or_default();
    let idx = constitution::source::LineIndex::new(&src);
    for d in constitution::check_source(&src) {
        let p = idx.position(d.span.start);
        println!(
            "{}:{} {} {}: {} | {}",
            p.line,
            p.column,
            d.code,
            d.severity.as_str(),
            d.message,
            d.help.unwrap_or_default()
        );
    }
}
