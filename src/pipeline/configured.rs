//! The logs a server's configuration names, as inputs with their formats.

use super::FormatChoice;
use crate::grammar::compile_def;
use crate::input::Configured;
use crate::serverconf::{LogKind, ServerConf};

/// The logs of `conf` (access logs with the grammar of their format, error
/// logs as they are), the formats they index, and what could not be used,
/// one line each.
pub fn from_config(conf: &ServerConf) -> (Vec<Configured>, Vec<FormatChoice>, Vec<String>) {
    let (mut logs, mut formats, mut notes) = (Vec::new(), Vec::new(), Vec::new());
    for target in &conf.targets {
        let origin = format!("{}:{}", target.source.0.display(), target.source.1);
        let format = match (&target.kind, &target.format) {
            (LogKind::Access, Some(def)) => {
                let name = target.format_name.as_deref().unwrap_or("inline");
                match compile_def(name, def) {
                    Ok(g) => {
                        formats.push(FormatChoice::Fixed(g));
                        Some(formats.len() - 1)
                    }
                    Err(e) => {
                        notes.push(format!(
                            "{origin}: format `{name}` is detected instead: {e}"
                        ));
                        None
                    }
                }
            }
            _ => None,
        };
        logs.push(Configured {
            path: target.path.clone(),
            format,
            origin,
        });
    }
    (logs, formats, notes)
}
