pub fn format(_s: &str) -> Option<String> { None }
