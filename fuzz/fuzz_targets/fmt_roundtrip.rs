//! Whatever formats must format safely: the output is a fixed point of `format` and parses
//! to the same tree as the input, spans aside.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn strip_spans(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("span");
            map.remove("ty_span");
            map.values_mut().for_each(strip_spans);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_spans),
        _ => {}
    }
}

fn tree(source: &str) -> Option<Value> {
    let ast = constitution::parse(source).ast?;
    let mut value = serde_json::to_value(&ast).ok()?;
    strip_spans(&mut value);
    Some(value)
}

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let Ok(once) = constitution::format(&source) else {
        return;
    };
    let twice = constitution::format(&once);
    assert_eq!(
        twice.as_deref(),
        Ok(once.as_str()),
        "not idempotent\n--- source:\n{source}\n--- once:\n{once}"
    );
    assert!(
        tree(&source) == tree(&once),
        "tree changed\n--- source:\n{source}\n--- once:\n{once}"
    );
});
