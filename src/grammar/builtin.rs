//! The built-in grammars, compiled from the config files in `grammars/`.

use std::sync::OnceLock;

use super::compile::{compile_def, directives, Dialect};
use super::Grammar;

/// The config files embedded in the binary.
const SOURCES: [&str; 2] = [
    include_str!("../../grammars/nginx.conf"),
    include_str!("../../grammars/apache.conf"),
];

/// Every built-in grammar, in the order detection prefers them on a tie.
pub fn all() -> &'static [Grammar] {
    static ALL: OnceLock<Vec<Grammar>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut grammars = Vec::new();
        for text in SOURCES {
            // The embedded files are tested to compile (see tests); a broken
            // one would only lose its own formats.
            for def in directives(text).unwrap_or_default() {
                let prefix = match def.dialect {
                    Dialect::Nginx => "nginx",
                    Dialect::Apache => "apache",
                };
                let name = format!(
                    "{prefix}-{}",
                    def.name.as_deref().unwrap_or("unnamed").replace('_', "-")
                );
                if let Ok(g) = compile_def(&name, &def) {
                    grammars.push(g);
                }
            }
        }
        grammars.push(Grammar::json_lines());
        grammars
    })
}

/// The built-in grammar called `name` (`nginx-combined`, `apache-common`, …).
pub fn by_name(name: &str) -> Option<&'static Grammar> {
    all().iter().find(|g| g.name() == name)
}

/// The names of all built-in grammars.
pub fn names() -> Vec<&'static str> {
    all().iter().map(Grammar::name).collect()
}
