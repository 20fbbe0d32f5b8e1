//! Reads a server's own configuration to find the logs it writes and their
//! formats: nginx (`nginx.conf` and its `include`s, or `nginx -T` output)
//! and Apache httpd (`apache2.conf` / `httpd.conf` and its `Include`s).
//!
//! Read: nginx `log_format`, `access_log`, `error_log` and `include` in the
//! main context, `http`, `server`, `location`, `if`, `limit_except` (and in
//! `stream` / `mail`, where access logs are noted and skipped); Apache
//! `LogFormat`, `CustomLog`, `TransferLog`, `GlobalLog`, `ErrorLog`,
//! `Include` / `IncludeOptional`, `ServerRoot`, `Define` / `UnDefine` and
//! `${VAR}`, in every section.
//!
//! Not read: every other directive. Nothing is evaluated: every
//! `<IfModule>`, `<IfDefine>`, `<If>` section counts as true, and nginx
//! `if=` / Apache `env=` / `expr=` only mark a log as conditional. Nothing is
//! run: a piped Apache log is reported as the file `rotatelogs` or
//! `cronolog` writes, other pipes are skipped. Compiled-in defaults (nginx
//! `--prefix` and `--error-log-path`, Apache's ServerRoot) are not in the
//! configuration: [`read_nginx`] and [`read_apache`] say what stands in for
//! them. Whatever is skipped or guessed is said in [`ServerConf::notes`].
//!
//! Inheritance: an nginx `access_log` in `http` is reported when some
//! server has no `access_log` of its own, and nginx's default
//! `logs/access.log` (combined) when such a server exists and `http` has
//! none either; every `access_log` of a server or location is reported.
//! Apache's main-server logs are always reported (a note says when every
//! `<VirtualHost>` has its own). The compiled-in error logs written when no
//! `error_log` / `ErrorLog` is given are not reported. A file written by
//! several directives is reported once.

mod apache;
mod files;
mod lexer;
mod nginx;

use std::fmt;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::grammar::{compile, Dialect, FormatDef, FormatError};

pub use apache::read_apache;
pub use nginx::{parse_nginx_dump, read_nginx};

/// One log the server writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogTarget {
    /// The file, as written in the configuration (nginx variables and
    /// strftime patterns kept: callers glob it); a relative path is made
    /// absolute as [`read_nginx`] and [`read_apache`] describe.
    pub path: PathBuf,
    /// Access or error log.
    pub kind: LogKind,
    /// For access logs, the format the server writes: the `log_format` /
    /// `LogFormat` definition used, or an inline Apache format. `None` for
    /// error logs and for a format name the configuration does not define.
    pub format: Option<FormatDef>,
    /// The format name the log directive used (nginx: `combined` when it
    /// names none); `None` for inline formats, `TransferLog` and error logs.
    pub format_name: Option<String>,
    /// nginx `log_format … escape=`: how the server escapes variable values.
    /// [`Escape::Default`] for Apache and error logs.
    pub escape: Escape,
    /// Whether only some requests are logged (nginx `if=`, Apache `env=` /
    /// `expr=`).
    pub conditional: bool,
    /// The configuration file and line that declared the log.
    pub source: (PathBuf, usize),
}

/// Which kind of log a [`LogTarget`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    /// One line per request.
    Access,
    /// The server's diagnostics.
    Error,
}

/// nginx's `log_format … escape=` mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Escape {
    /// `"`, `\` and control characters as `\xHH` (nginx's default, and what
    /// Apache does).
    #[default]
    Default,
    /// JSON string escapes (`\"`, `\\`, `\n`, `\u00XX`).
    Json,
    /// No escaping.
    None,
}

/// What a configuration says about logs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerConf {
    /// The logs, in the order the configuration declares them; each file
    /// once.
    pub targets: Vec<LogTarget>,
    /// What was skipped, guessed or looks wrong, each as `file:line: text`.
    pub notes: Vec<String>,
}

/// A configuration that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfError {
    /// The file.
    pub file: PathBuf,
    /// The line, when the error is at one.
    pub line: Option<usize>,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl fmt::Display for ConfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for ConfError {}

/// A place in a configuration file.
#[derive(Debug, Clone)]
struct Loc {
    file: Rc<Path>,
    line: usize,
}

impl Loc {
    fn new(file: &Rc<Path>, line: usize) -> Loc {
        Loc {
            file: Rc::clone(file),
            line,
        }
    }

    fn error(&self, message: impl Into<String>) -> ConfError {
        ConfError {
            file: self.file.to_path_buf(),
            line: Some(self.line),
            message: message.into(),
        }
    }

    fn note(&self, message: impl fmt::Display) -> String {
        format!("{self}: {message}")
    }

    fn source(&self) -> (PathBuf, usize) {
        (self.file.to_path_buf(), self.line)
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// One directive, with its block or section if it opens one.
#[derive(Debug, Clone)]
struct Directive {
    name: String,
    args: Vec<String>,
    at: Loc,
    block: Option<Vec<Directive>>,
}

/// How deep blocks and sections may nest.
const MAX_NESTING: usize = 64;

/// Directives of one file as they are read: the top level and the blocks
/// still open.
#[derive(Default)]
struct Tree {
    root: Vec<Directive>,
    open: Vec<(Directive, Vec<Directive>)>,
}

impl Tree {
    /// The innermost open block's body.
    fn body(&mut self) -> &mut Vec<Directive> {
        match self.open.last_mut() {
            Some((_, body)) => body,
            None => &mut self.root,
        }
    }

    /// Opens a block headed by `head`.
    fn open(&mut self, head: Directive) -> Result<(), ConfError> {
        if self.open.len() >= MAX_NESTING {
            return Err(head
                .at
                .error(format!("blocks nested deeper than {MAX_NESTING} levels")));
        }
        self.open.push((head, Vec::new()));
        Ok(())
    }

    /// The innermost open block's head.
    fn innermost(&self) -> Option<&Directive> {
        self.open.last().map(|(head, _)| head)
    }

    /// Closes the innermost block; `None` when none is open.
    fn close(&mut self) -> Option<()> {
        let (mut head, body) = self.open.pop()?;
        head.block = Some(body);
        self.body().push(head);
        Some(())
    }

    /// The file's directives, or the head of a block left open.
    fn finish(mut self) -> Result<Vec<Directive>, Directive> {
        match self.open.pop() {
            Some((head, _)) => Err(head),
            None => Ok(self.root),
        }
    }
}

impl ServerConf {
    /// Adds a target; a file already reported is noted instead, and stays
    /// conditional only if both are.
    fn add(&mut self, target: LogTarget) {
        let same = |t: &&mut LogTarget| t.path == target.path && t.kind == target.kind;
        let Some(first) = self.targets.iter_mut().find(same) else {
            self.targets.push(target);
            return;
        };
        first.conditional &= target.conditional;
        let other = if first.format == target.format {
            ""
        } else {
            " in another format"
        };
        let (file, line) = &first.source;
        self.notes.push(format!(
            "{}:{}: {} is also written here{other}; reported once, at {}:{line}",
            target.source.0.display(),
            target.source.1,
            target.path.display(),
            file.display(),
        ));
    }
}

/// Notes each distinct format fiveohone cannot compile, at the first log
/// written in it.
fn check_formats(conf: &mut ServerConf) {
    let mut seen: Vec<&FormatDef> = Vec::new();
    for target in &conf.targets {
        let Some(def) = &target.format else { continue };
        if seen.contains(&def) {
            continue;
        }
        seen.push(def);
        if let Err(e) = compiles(def) {
            let name = def.name.as_deref().unwrap_or("(inline)");
            conf.notes.push(format!(
                "{}:{}: format {name}: fiveohone cannot read it: {}",
                target.source.0.display(),
                target.source.1,
                e.message
            ));
        }
    }
}

/// Compiles `def` as the directive that would define it.
fn compiles(def: &FormatDef) -> Result<(), FormatError> {
    let escaped = |q: char| {
        def.format
            .replace('\\', "\\\\")
            .replace(q, &format!("\\{q}"))
    };
    let text = match def.dialect {
        Dialect::Nginx => format!("log_format f '{}';", escaped('\'')),
        Dialect::Apache => format!("LogFormat \"{}\" f", escaped('"')),
    };
    compile("config", &text).map(drop)
}

/// What a device path stands for, when a log "file" is one.
fn device(path: &str) -> Option<&'static str> {
    match path {
        "/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1" => Some("standard output"),
        "/dev/stderr" | "/dev/fd/2" | "/proc/self/fd/2" => Some("standard error"),
        "/dev/null" => Some("nowhere"),
        _ => None,
    }
}

/// `path` made absolute against the working directory.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(path: &str, format: Option<&str>, conditional: bool, line: usize) -> LogTarget {
        LogTarget {
            path: path.into(),
            kind: LogKind::Access,
            format: format.map(|f| FormatDef {
                name: None,
                dialect: Dialect::Apache,
                format: f.into(),
            }),
            format_name: None,
            escape: Escape::Default,
            conditional,
            source: ("a.conf".into(), line),
        }
    }

    #[test]
    fn a_file_written_twice_is_reported_once() {
        let mut conf = ServerConf::default();
        conf.add(target("/x.log", Some("%h %t %r %s"), true, 1));
        conf.add(target("/x.log", Some("%h %t %r %>s"), false, 7));
        assert_eq!(conf.targets.len(), 1);
        assert!(!conf.targets[0].conditional);
        assert_eq!(
            conf.notes,
            ["a.conf:7: /x.log is also written here in another format; reported once, at a.conf:1"]
        );
    }

    #[test]
    fn formats_that_do_not_compile_are_noted_once() {
        let mut conf = ServerConf::default();
        conf.add(target("/a.log", Some("%h %b"), false, 3));
        conf.add(target("/b.log", Some("%h %b"), false, 4));
        conf.add(target(
            "/c.log",
            Some("%h %t \"%r\" %>s \\ \"q\""),
            false,
            5,
        ));
        check_formats(&mut conf);
        assert_eq!(
            conf.notes,
            ["a.conf:3: format (inline): fiveohone cannot read it: the format has no time field ($time_local, $time_iso8601, $msec, %t): fiveohone needs one"]
        );
    }

    /// Words that reach deep into both readers.
    const WORDS: [&str; 36] = [
        "http",
        "server",
        "location",
        "/",
        "stream",
        "{",
        "}",
        ";",
        "\n",
        "access_log",
        "error_log",
        "log_format",
        "main",
        "escape=json",
        "'$status $time_local $request'",
        "/a.log",
        "logs/$host.log",
        "off",
        "syslog:server=x",
        "if=$x",
        "include",
        "*.conf",
        "a.conf",
        "<VirtualHost *:80>",
        "</VirtualHost>",
        "<IfModule x>",
        "</IfModule>",
        "LogFormat",
        "\"%h %t \\\"%r\\\" %>s\"",
        "CustomLog",
        "TransferLog",
        "ErrorLog",
        "\"|rotatelogs x.%Y 60\"",
        "Define X",
        "${X}",
        "env=!x",
    ];

    /// Reads `text` as nginx (with `a.conf` beside it) and as Apache.
    fn read_both(text: &str) {
        let dump = format!(
            "# configuration file /etc/nginx/nginx.conf:\n{text}\n# configuration file /etc/nginx/a.conf:\n{text}"
        );
        let _ = parse_nginx_dump(&dump);
        let main = "/etc/apache2/apache2.conf";
        let files = files::Memory::new(&[(main, text), ("/etc/apache2/a.conf", text)]);
        let _ = apache::read(&files, Path::new(main), &|_| None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// Any text is read or refused, never a panic.
        #[test]
        fn any_text_is_read_or_refused(text in "[a-z_ \t\n;{}'\"\\\\#$<>/*%|=:]{0,300}") {
            read_both(&text);
        }

        /// So is any sequence of configuration words.
        #[test]
        fn any_words_are_read_or_refused(
            words in proptest::collection::vec(proptest::sample::select(&WORDS[..]), 0..80)
        ) {
            read_both(&words.join(" "));
        }
    }

    #[test]
    fn errors_say_where() {
        let e = Loc::new(&Path::new("/etc/x.conf").into(), 4).error("unexpected \"}\"");
        assert_eq!(e.to_string(), "/etc/x.conf:4: unexpected \"}\"");
        let e = ConfError {
            file: "/etc/x.conf".into(),
            line: None,
            message: "cannot read: gone".into(),
        };
        assert_eq!(e.to_string(), "/etc/x.conf: cannot read: gone");
    }
}
