//! Apache httpd: `apache2.conf` / `httpd.conf` and the files it includes.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::files::{has_wildcard, Disk, Files, Stack};
use super::lexer::{apache_lines, apache_words, unescape};
use super::{
    absolute, check_formats, device, ConfError, Directive, Escape, Loc, LogKind, LogTarget,
    ServerConf, Tree,
};
use crate::grammar::{Dialect, FormatDef};

/// mod_log_config's format when no `LogFormat` without a nickname is given.
const COMMON: &str = "%h %l %u %t \"%r\" %>s %b";

/// Where Debian's `envvars` puts `APACHE_LOG_DIR`.
const DEBIAN_LOG_DIR: &str = "/var/log/apache2";

/// Directives whose undefined `${VAR}`s are noted.
const READ: [&str; 9] = [
    "include",
    "includeoptional",
    "serverroot",
    "define",
    "logformat",
    "customlog",
    "transferlog",
    "globallog",
    "errorlog",
];

/// Reads the Apache httpd configuration at `path` and the files it
/// includes.
///
/// `${VAR}` is taken from `Define`, then from the process environment;
/// `APACHE_LOG_DIR` (which Debian's `apache2ctl` sets from `envvars`) falls
/// back to `/var/log/apache2`, other unknown variables stay as written, with
/// a note. Relative `Include` paths are taken from the `ServerRoot` in force
/// where they stand, relative log paths from the last `ServerRoot`; without
/// one, from the directory of `path` (Debian's compiled-in ServerRoot is
/// `/etc/apache2`, where `apache2.conf` is).
pub fn read_apache(path: &Path) -> Result<ServerConf, ConfError> {
    read(&Disk, &absolute(path), &|name| std::env::var(name).ok())
}

/// Reads the configuration at `main` from `files`, with `env` for `${VAR}`.
pub(super) fn read(
    files: &impl Files,
    main: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ServerConf, ConfError> {
    let mut reader = Reader {
        files,
        env,
        defines: HashMap::new(),
        root: main.parent().unwrap_or(Path::new("/")).to_path_buf(),
        root_set: false,
        stack: Stack::default(),
        notes: Vec::new(),
        warned: HashSet::new(),
    };
    let tree = reader.load(main, None)?;
    if !reader.root_set {
        let message = format!(
            "no ServerRoot: relative paths are taken from {}",
            reader.root.display()
        );
        reader
            .notes
            .insert(0, format!("{}: {message}", main.display()));
    }
    let mut walker = Walker {
        scopes: vec![Scope::default()],
        logs: Vec::new(),
        conf: ServerConf {
            targets: Vec::new(),
            notes: reader.notes,
        },
    };
    walker.walk(&tree, 0);
    let mut conf = walker.finish(&reader.root);
    check_formats(&mut conf);
    Ok(conf)
}

/// Reads files into directives and sections, inlining includes and
/// expanding variables.
struct Reader<'a, F> {
    files: &'a F,
    env: &'a dyn Fn(&str) -> Option<String>,
    defines: HashMap<String, String>,
    root: PathBuf,
    root_set: bool,
    stack: Stack,
    notes: Vec<String>,
    /// Variables already noted as undefined.
    warned: HashSet<String>,
}

impl<F: Files> Reader<'_, F> {
    /// The directives of `path`, included from `from`.
    fn load(&mut self, path: &Path, from: Option<&Loc>) -> Result<Vec<Directive>, ConfError> {
        let text = self.stack.open(self.files, path, from)?;
        let file: Rc<Path> = path.into();
        let mut tree = Tree::default();
        for (line, text) in apache_lines(&text) {
            self.line(&mut tree, Loc::new(&file, line), text.trim())?;
        }
        let directives = tree.finish().map_err(|open| {
            open.at.error(format!(
                "<{}> is not closed: expected </{}> before the end of the file",
                open.name, open.name
            ))
        })?;
        self.stack.leave();
        Ok(directives)
    }

    /// One logical line.
    fn line(&mut self, tree: &mut Tree, at: Loc, text: &str) -> Result<(), ConfError> {
        if text.is_empty() || text.starts_with('#') {
            return Ok(());
        }
        let mut missing = Vec::new();
        let text = expand(text, |name| {
            let value = self.defines.get(name).cloned().or_else(|| (self.env)(name));
            if value.is_none() {
                missing.push(name.to_string());
            }
            value.or_else(|| (name == "APACHE_LOG_DIR").then(|| DEBIAN_LOG_DIR.into()))
        });
        if let Some(rest) = text.strip_prefix("</") {
            return close(tree, &at, rest);
        }
        if let Some(rest) = text.strip_prefix('<') {
            return open(tree, at, rest);
        }
        let words = apache_words(&text).map_err(|m| at.error(m))?;
        let Some((name, args)) = words.split_first() else {
            return Ok(());
        };
        let d = Directive {
            name: name.to_ascii_lowercase(),
            args: args.to_vec(),
            at,
            block: None,
        };
        if READ.contains(&d.name.as_str()) {
            self.warn(&d.at, missing);
        }
        self.directive(tree, d)
    }

    /// Notes variables that are not defined, once each.
    fn warn(&mut self, at: &Loc, missing: Vec<String>) {
        for name in missing {
            let message = if name == "APACHE_LOG_DIR" {
                format!(
                    "APACHE_LOG_DIR is not set (Debian's envvars sets it): using {DEBIAN_LOG_DIR}"
                )
            } else {
                format!("${{{name}}} is not defined (no Define, not in the environment): kept as written")
            };
            if self.warned.insert(name) {
                self.notes.push(at.note(message));
            }
        }
    }

    /// Acts on a directive read at load time, or keeps it.
    fn directive(&mut self, tree: &mut Tree, d: Directive) -> Result<(), ConfError> {
        match (d.name.as_str(), d.args.as_slice()) {
            ("define", [name, rest @ ..]) => {
                let value = rest.first().cloned().unwrap_or_default();
                self.defines.insert(name.clone(), value);
            }
            ("undefine", [name, ..]) => {
                self.defines.remove(name);
            }
            ("serverroot", [root, ..]) => {
                self.root = PathBuf::from(root);
                self.root_set = true;
            }
            ("include" | "includeoptional", _) => {
                let included = self.include(&d)?;
                tree.body().extend(included);
            }
            _ => tree.body().push(d),
        }
        Ok(())
    }

    /// The directives of the files an `Include` / `IncludeOptional` names.
    fn include(&mut self, d: &Directive) -> Result<Vec<Directive>, ConfError> {
        let optional = d.name == "includeoptional";
        let what = if optional {
            "IncludeOptional"
        } else {
            "Include"
        };
        let [pattern] = d.args.as_slice() else {
            return Err(d
                .at
                .error(format!("{what}: expected one file name or pattern")));
        };
        let full = self.root.join(pattern);
        let paths = self.files_of(self.files.glob(&full));
        if paths.is_empty() && !optional && !has_wildcard(pattern) {
            let message = format!(
                "{what} {pattern}: no such file or directory ({})",
                full.display()
            );
            return Err(d.at.error(message));
        }
        if paths.is_empty() {
            let message = format!("{what} {pattern}: the pattern matches no file");
            self.notes.push(d.at.note(message));
        }
        let mut directives = Vec::new();
        for path in paths {
            directives.extend(self.load(&path, Some(&d.at))?);
        }
        Ok(directives)
    }

    /// Included paths, each directory replaced by the files under it.
    fn files_of(&self, paths: Vec<PathBuf>) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for path in paths {
            match self.files.files_under(&path) {
                Some(under) => files.extend(under),
                None => files.push(path),
            }
        }
        files
    }
}

/// `text` with each `${NAME}` replaced by `lookup(NAME)`, or kept.
fn expand(text: &str, mut lookup: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((before, after)) = rest.split_once("${") {
        out.push_str(before);
        let Some((name, tail)) = after.split_once('}') else {
            out.push_str("${");
            rest = after;
            break;
        };
        match lookup(name) {
            Some(value) => out.push_str(&value),
            None => out.push_str(&format!("${{{name}}}")),
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// Opens a `<Section args>`.
fn open(tree: &mut Tree, at: Loc, rest: &str) -> Result<(), ConfError> {
    let inner = rest
        .strip_suffix('>')
        .ok_or_else(|| at.error(format!("<{rest}: expected \">\" at the end of the line")))?;
    let words = apache_words(inner).map_err(|m| at.error(m))?;
    let Some((name, args)) = words.split_first() else {
        return Err(at.error("<>: expected a section name"));
    };
    tree.open(Directive {
        name: name.clone(),
        args: args.to_vec(),
        at,
        block: None,
    })
}

/// Closes a section at `</Name>`.
fn close(tree: &mut Tree, at: &Loc, rest: &str) -> Result<(), ConfError> {
    let name = rest
        .strip_suffix('>')
        .ok_or_else(|| at.error(format!("</{rest}: expected \">\" at the end of the line")))?
        .trim();
    let Some(open) = tree.innermost() else {
        return Err(at.error(format!("</{name}> without matching <{name}> section")));
    };
    if !open.name.eq_ignore_ascii_case(name) {
        let message = format!(
            "expected </{}> (opened at line {}) but saw </{name}>",
            open.name, open.at.line
        );
        return Err(at.error(message));
    }
    tree.close();
    Ok(())
}

/// The formats of the main server or of one virtual host.
#[derive(Default)]
struct Scope {
    /// `LogFormat` nicknames.
    formats: HashMap<String, String>,
    /// The last `LogFormat` without a nickname, as written: `TransferLog`'s.
    default: Option<String>,
    /// Whether it has a `CustomLog` or `TransferLog` of its own.
    own_access: bool,
}

/// A log directive, resolved once every format is known.
struct Log {
    /// The scope it is in: 0 for the main server.
    scope: usize,
    directive: &'static str,
    kind: LogKind,
    path: String,
    format: Spec,
    conditional: bool,
    at: Loc,
}

/// Which format a log directive asks for.
enum Spec {
    /// An error log: none.
    Error,
    /// A nickname, or an inline format.
    Named(String),
    /// `TransferLog`: the scope's default.
    Default,
}

/// Walks directives, collecting logs and formats.
struct Walker {
    scopes: Vec<Scope>,
    logs: Vec<Log>,
    conf: ServerConf,
}

impl Walker {
    fn note(&mut self, at: &Loc, message: impl std::fmt::Display) {
        self.conf.notes.push(at.note(message));
    }

    fn walk(&mut self, body: &[Directive], scope: usize) {
        for d in body {
            match &d.block {
                Some(block) if d.name.eq_ignore_ascii_case("virtualhost") => {
                    self.scopes.push(Scope::default());
                    self.walk(block, self.scopes.len() - 1);
                }
                Some(block) => self.walk(block, scope),
                None => self.directive(d, scope),
            }
        }
    }

    fn directive(&mut self, d: &Directive, scope: usize) {
        match d.name.as_str() {
            "logformat" => self.log_format(d, scope),
            "customlog" => self.custom_log(d, scope, "CustomLog"),
            "globallog" => self.custom_log(d, scope, "GlobalLog"),
            "transferlog" => self.log(d, scope, "TransferLog", Spec::Default, false),
            "errorlog" => self.log(d, scope, "ErrorLog", Spec::Error, false),
            _ => {}
        }
    }

    fn log_format(&mut self, d: &Directive, scope: usize) {
        let Some(here) = self.scopes.get_mut(scope) else {
            return;
        };
        match d.args.as_slice() {
            [format, nickname] => {
                here.formats
                    .insert(nickname.clone(), unescape(format, false));
            }
            [format] => here.default = Some(format.clone()),
            _ => {
                let message = "LogFormat: expected a format and maybe a nickname, skipped";
                self.note(&d.at, message);
            }
        }
    }

    fn custom_log(&mut self, d: &Directive, scope: usize, directive: &'static str) {
        let (format, condition) = match d.args.as_slice() {
            [_, format] => (format, None),
            [_, format, condition] => (format, Some(condition)),
            _ => {
                let message = format!(
                    "{directive}: expected a file, a format and maybe a condition, skipped"
                );
                return self.note(&d.at, message);
            }
        };
        let conditional =
            condition.is_some_and(|c| c.starts_with("env=") || c.starts_with("expr="));
        if let (Some(condition), false) = (condition, conditional) {
            let message = format!("{directive}: {condition} is not env=… or expr=…, ignored");
            self.note(&d.at, message);
        }
        self.log(
            d,
            scope,
            directive,
            Spec::Named(format.clone()),
            conditional,
        );
    }

    fn log(
        &mut self,
        d: &Directive,
        scope: usize,
        directive: &'static str,
        format: Spec,
        conditional: bool,
    ) {
        let Some(path) = d.args.first() else {
            let message = format!("{directive}: expected a file, skipped");
            return self.note(&d.at, message);
        };
        if let (Some(here), "CustomLog" | "TransferLog") = (self.scopes.get_mut(scope), directive) {
            here.own_access = true;
        }
        let kind = match format {
            Spec::Error => LogKind::Error,
            _ => LogKind::Access,
        };
        self.logs.push(Log {
            scope,
            directive,
            kind,
            path: path.clone(),
            format,
            conditional,
            at: d.at.clone(),
        });
    }

    /// The format of `nickname` in `scope`, or in the main server.
    fn nickname(&self, scope: usize, nickname: &str) -> Option<&str> {
        [scope, 0]
            .iter()
            .filter_map(|&s| self.scopes.get(s)?.formats.get(nickname))
            .map(String::as_str)
            .next()
    }

    /// The targets, relative paths taken from `root`.
    fn finish(mut self, root: &Path) -> ServerConf {
        let vhosts = self.scopes.get(1..).unwrap_or_default();
        let shadowed = !vhosts.is_empty() && vhosts.iter().all(|s| s.own_access);
        for log in std::mem::take(&mut self.logs) {
            if shadowed && log.scope == 0 && matches!(log.directive, "CustomLog" | "TransferLog") {
                let message = format!(
                    "{} {}: every VirtualHost has an access log of its own: only requests no VirtualHost answers are written here",
                    log.directive, log.path
                );
                self.note(&log.at, message);
            }
            if let Some(target) = self.target(&log, root) {
                self.conf.add(target);
            }
        }
        self.conf
    }

    fn target(&mut self, log: &Log, root: &Path) -> Option<LogTarget> {
        let path = self.path(log, root)?;
        let (format, format_name) = self.format(log);
        Some(LogTarget {
            path,
            kind: log.kind,
            format,
            format_name,
            escape: Escape::Default,
            conditional: log.conditional,
            source: log.at.source(),
        })
    }

    /// The file a log writes, or a note why there is none.
    fn path(&mut self, log: &Log, root: &Path) -> Option<PathBuf> {
        let path = log.path.as_str();
        let what = match path.strip_prefix('|') {
            Some(command) => return self.piped(log, command, root),
            None if log.kind == LogKind::Error
                && (path == "syslog" || path.starts_with("syslog:")) =>
            {
                "syslog"
            }
            None => match device(path) {
                Some(what) => what,
                None => return Some(root.join(path)),
            },
        };
        let message = format!("{} {path}: {what}, not a file: skipped", log.directive);
        self.note(&log.at, message);
        None
    }

    /// The file a piped log's program writes, when it is one that is known.
    fn piped(&mut self, log: &Log, command: &str, root: &Path) -> Option<PathBuf> {
        let Some((program, file)) = piped_file(command) else {
            let message = format!(
                "{} is piped to \"{command}\": no file to report, skipped",
                log.directive
            );
            self.note(&log.at, message);
            return None;
        };
        let hint = if file.contains('%') {
            " (a strftime pattern)"
        } else if program == "rotatelogs" {
            " (rotatelogs adds .<seconds since 1970> to it unless -f or -n is given)"
        } else {
            ""
        };
        let message = format!(
            "{} is piped to {program}: reporting the file it writes, {file}{hint}",
            log.directive
        );
        self.note(&log.at, message);
        Some(root.join(file))
    }

    /// A log's format and format name.
    fn format(&mut self, log: &Log) -> (Option<FormatDef>, Option<String>) {
        let def = |name: Option<&str>, format: &str| FormatDef {
            name: name.map(str::to_string),
            dialect: Dialect::Apache,
            format: format.to_string(),
        };
        match &log.format {
            Spec::Error => (None, None),
            Spec::Default => (Some(def(None, &self.default(log))), None),
            Spec::Named(name) => match self.nickname(log.scope, name) {
                Some(format) => (Some(def(Some(name), format)), Some(name.clone())),
                None if name.contains('%') => (Some(def(None, &unescape(name, false))), None),
                None => {
                    let message = format!("no LogFormat defines the nickname {name}: Apache writes the text {name} as the whole line");
                    self.note(&log.at, message);
                    (None, Some(name.clone()))
                }
            },
        }
    }

    /// `TransferLog`'s format: the last `LogFormat` without a nickname in
    /// its scope or the main server (itself maybe a nickname), or Common.
    fn default(&mut self, log: &Log) -> String {
        let found = [log.scope, 0]
            .iter()
            .find_map(|&s| self.scopes.get(s)?.default.as_deref());
        match found {
            Some(raw) => self
                .nickname(log.scope, raw)
                .map_or_else(|| unescape(raw, false), str::to_string),
            None => {
                let message = format!(
                    "{}: no LogFormat without a nickname: Apache's default, the Common Log Format",
                    log.directive
                );
                self.note(&log.at, message);
                COMMON.to_string()
            }
        }
    }
}

/// The program of a piped log and the file it writes: `rotatelogs` and
/// `cronolog` take it as their first argument that is not an option.
fn piped_file(command: &str) -> Option<(&str, &str)> {
    let command = command.strip_prefix(['|', '$']).unwrap_or(command);
    let mut words = command.split_whitespace();
    let program = Path::new(words.next()?).file_name()?.to_str()?;
    let with_value: &[&str] = match program {
        "rotatelogs" => &["-L", "-p", "-n"],
        "cronolog" => &["-H", "-S", "-P", "-l", "-z", "-p", "-d", "-s"],
        _ => return None,
    };
    while let Some(word) = words.next() {
        if with_value.contains(&word) {
            words.next();
        } else if !word.starts_with('-') {
            return Some((program, word));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::files::Memory;
    use super::*;

    const COMBINED: &str = r#"%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i""#;
    const MAIN: &str = "/etc/apache2/apache2.conf";

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/conf/apache")
    }

    fn fixture(env: &dyn Fn(&str) -> Option<String>) -> ServerConf {
        read(&Disk, &fixtures().join("apache2.conf"), env).unwrap()
    }

    fn error(path: &str, file: &Path, line: usize) -> LogTarget {
        LogTarget {
            path: path.into(),
            kind: LogKind::Error,
            format: None,
            format_name: None,
            escape: Escape::Default,
            conditional: false,
            source: (file.to_path_buf(), line),
        }
    }

    fn access(path: &str, name: Option<&str>, format: &str, file: &Path, line: usize) -> LogTarget {
        LogTarget {
            kind: LogKind::Access,
            format: Some(FormatDef {
                name: name.map(str::to_string),
                dialect: Dialect::Apache,
                format: format.into(),
            }),
            format_name: name.map(str::to_string),
            ..error(path, file, line)
        }
    }

    /// Notes with the fixture directory cut off.
    fn notes(conf: &ServerConf) -> Vec<String> {
        let dir = format!("{}/", fixtures().display());
        conf.notes.iter().map(|n| n.replace(&dir, "")).collect()
    }

    /// Reads `files`, the first being the main configuration.
    fn memory(files: &[(&str, &str)]) -> Result<ServerConf, ConfError> {
        let main = PathBuf::from(files[0].0);
        read(&Memory::new(files), &main, &|_| None)
    }

    fn paths(conf: &ServerConf) -> Vec<&str> {
        conf.targets
            .iter()
            .filter_map(|t| t.path.to_str())
            .collect()
    }

    #[test]
    fn the_fixture_targets() {
        let dir = fixtures();
        let conf = fixture(&|_| None);
        let (default, api, shop) = (
            dir.join("sites-enabled/000-default.conf"),
            dir.join("sites-enabled/api.example.com.conf"),
            dir.join("sites-enabled/shop.example.com.conf"),
        );
        let ssl = dir.join("logs/ssl_request_log");
        assert_eq!(
            conf.targets,
            [
                error("/var/log/apache2/error.log", &dir.join("apache2.conf"), 94),
                access(
                    "/var/log/apache2/other_vhosts_access.log",
                    Some("vhost_combined"),
                    r#"%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i""#,
                    &dir.join("conf-enabled/other-vhosts-access-log.conf"),
                    2
                ),
                access(
                    "/var/log/apache2/access.log",
                    Some("combined"),
                    COMBINED,
                    &default,
                    21
                ),
                access(
                    "/var/log/apache2/api-transfer.log",
                    None,
                    r#"%h %l %u %t "%r" %>s %b %{ms}T"#,
                    &api,
                    12
                ),
                access(
                    ssl.to_str().unwrap(),
                    None,
                    r#"%t %h %{SSL_PROTOCOL}x %{SSL_CIPHER}x "%r" %b"#,
                    &api,
                    15
                ),
                error("/var/log/apache2/shop-error.log", &shop, 14),
                LogTarget {
                    conditional: true,
                    ..access(
                        "/var/log/apache2/shop-access.log",
                        Some("combined"),
                        COMBINED,
                        &shop,
                        15
                    )
                },
                access(
                    "/var/log/apache2/shop-timing.log",
                    Some("shop_timing"),
                    r#"%h %l %u %t "%r" %>s %b %D "%{X-Forwarded-For}i""#,
                    &shop,
                    16
                ),
                access(
                    "/var/log/apache2/shop-upstream.log",
                    None,
                    r#"%a %t "%r" %>s %{ms}T "%{BALANCER_WORKER_NAME}e""#,
                    &shop,
                    17
                ),
                access(
                    "/var/log/apache2/shop-daily.%Y-%m-%d.log",
                    Some("combined"),
                    COMBINED,
                    &shop,
                    19
                ),
            ]
        );
    }

    #[test]
    fn the_fixture_notes() {
        let conf = fixture(&|_| None);
        let dir = fixtures();
        assert_eq!(
            notes(&conf),
            [
                format!("apache2.conf: no ServerRoot: relative paths are taken from {}", dir.display()),
                "apache2.conf:94: APACHE_LOG_DIR is not set (Debian's envvars sets it): using /var/log/apache2".into(),
                "conf-enabled/other-vhosts-access-log.conf:2: CustomLog /var/log/apache2/other_vhosts_access.log: every VirtualHost has an access log of its own: only requests no VirtualHost answers are written here".into(),
                "sites-enabled/000-default.conf:20: /var/log/apache2/error.log is also written here; reported once, at apache2.conf:94".into(),
                "sites-enabled/api.example.com.conf:8: ErrorLog syslog:local1: syslog, not a file: skipped".into(),
                "sites-enabled/shop.example.com.conf:19: CustomLog is piped to rotatelogs: reporting the file it writes, /var/log/apache2/shop-daily.%Y-%m-%d.log (a strftime pattern)".into(),
                "sites-enabled/shop.example.com.conf:20: CustomLog is piped to \"/usr/bin/logger -t shop -p local6.info\": no file to report, skipped".into(),
                "sites-enabled/api.example.com.conf:15: format (inline): fiveohone cannot read it: the format has no status field ($status, %s, %>s): fiveohone needs one".into(),
            ]
        );
    }

    #[test]
    fn variables_come_from_the_environment_first() {
        let env = |name: &str| (name == "APACHE_LOG_DIR").then(|| "/srv/logs".to_string());
        let conf = fixture(&env);
        assert_eq!(
            paths(&conf)[..3],
            [
                "/srv/logs/error.log",
                "/srv/logs/other_vhosts_access.log",
                "/srv/logs/access.log"
            ]
        );
        assert_eq!(paths(&conf)[9], "/srv/logs/shop-daily.%Y-%m-%d.log");
        assert!(!conf.notes.iter().any(|n| n.contains("APACHE_LOG_DIR")));
    }

    #[test]
    fn defines_and_undefined_variables() {
        let conf = memory(&[(
            MAIN,
            "Define LOGS /srv/www\nUser ${RUN_USER}\nCustomLog ${LOGS}/a.log \"%h %t %r %>s\"\nUnDefine LOGS\nErrorLog ${LOGS}/error.log\nCustomLog ${LOGS}/b.log \"%h\"",
        )])
        .unwrap();
        assert_eq!(
            paths(&conf),
            [
                "/srv/www/a.log",
                "/etc/apache2/${LOGS}/error.log",
                "/etc/apache2/${LOGS}/b.log"
            ]
        );
        assert_eq!(
            conf.notes[1],
            "/etc/apache2/apache2.conf:5: ${LOGS} is not defined (no Define, not in the environment): kept as written"
        );
        assert_eq!(conf.notes.len(), 3, "{:?}", conf.notes);
    }

    #[test]
    fn a_red_hat_layout_with_server_root() {
        let conf = memory(&[
            (
                "/etc/httpd/conf/httpd.conf",
                "ServerRoot \"/etc/httpd\"\nInclude conf.modules.d/*.conf\nErrorLog \"logs/error_log\"\n<IfModule log_config_module>\n    LogFormat \"%h %l %u %t \\\"%r\\\" %>s %b \\\"%{Referer}i\\\" \\\"%{User-Agent}i\\\"\" combined\n    <IfModule logio_module>\n      LogFormat \"%h %l %u %t \\\"%r\\\" %>s %b \\\"%{Referer}i\\\" \\\"%{User-Agent}i\\\" %I %O\" combinedio\n    </IfModule>\n    CustomLog \"logs/access_log\" combined\n</IfModule>\nIncludeOptional conf.d/*.conf",
            ),
            ("/etc/httpd/conf.modules.d/00-base.conf", "LoadModule log_config_module modules/mod_log_config.so"),
        ])
        .unwrap();
        assert_eq!(
            paths(&conf),
            ["/etc/httpd/logs/error_log", "/etc/httpd/logs/access_log"]
        );
        assert_eq!(
            conf.targets[1].format.as_ref().unwrap().format,
            r#"%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i""#
        );
        assert_eq!(
            conf.notes,
            ["/etc/httpd/conf/httpd.conf:11: IncludeOptional conf.d/*.conf: the pattern matches no file"]
        );
    }

    #[test]
    fn format_lookup_defaults_and_conditions() {
        let conf = memory(&[(
            MAIN,
            "logformat \"%h %t \\\"%r\\\" %>s\\t%b\" short\nTRANSFERLOG /a.log\nLogFormat short\nTransferLog /b.log\n\
             <VirtualHost *:80>\n  CustomLog /c.log nosuch\n  CustomLog /d.log short expr=%{REQUEST_STATUS}>=500\n  CustomLog /e.log short when=always\n  GlobalLog /f.log short\n</VirtualHost>",
        )])
        .unwrap();
        let short = "%h %t \"%r\" %>s\t%b";
        let main = Path::new(MAIN);
        assert_eq!(
            conf.targets,
            [
                access("/a.log", None, short, main, 2),
                access("/b.log", None, short, main, 4),
                LogTarget {
                    format: None,
                    format_name: Some("nosuch".into()),
                    ..access("/c.log", None, "", main, 6)
                },
                LogTarget {
                    conditional: true,
                    ..access("/d.log", Some("short"), short, main, 7)
                },
                access("/e.log", Some("short"), short, main, 8),
                access("/f.log", Some("short"), short, main, 9),
            ]
        );
        assert_eq!(
            conf.notes[1..],
            [
                "/etc/apache2/apache2.conf:8: CustomLog: when=always is not env=… or expr=…, ignored",
                "/etc/apache2/apache2.conf:2: TransferLog /a.log: every VirtualHost has an access log of its own: only requests no VirtualHost answers are written here",
                "/etc/apache2/apache2.conf:4: TransferLog /b.log: every VirtualHost has an access log of its own: only requests no VirtualHost answers are written here",
                "/etc/apache2/apache2.conf:6: no LogFormat defines the nickname nosuch: Apache writes the text nosuch as the whole line",
            ]
        );
    }

    #[test]
    fn transfer_log_without_a_default_format_writes_common() {
        let conf = memory(&[(
            MAIN,
            "LogFormat \"%h\" nick\n<VirtualHost *:80>\nTransferLog logs/t.log\n</VirtualHost>",
        )])
        .unwrap();
        assert_eq!(
            conf.targets,
            [access(
                "/etc/apache2/logs/t.log",
                None,
                COMMON,
                Path::new(MAIN),
                3
            )]
        );
        assert_eq!(
            conf.notes[1..],
            ["/etc/apache2/apache2.conf:3: TransferLog: no LogFormat without a nickname: Apache's default, the Common Log Format"]
        );
    }

    #[test]
    fn includes_of_directories_and_globs() {
        let conf = memory(&[
            (
                MAIN,
                "Include conf.d/\nInclude extra/*.conf\nIncludeOptional none.conf",
            ),
            ("/etc/apache2/conf.d/b/x.conf", "ErrorLog /b.log"),
            ("/etc/apache2/conf.d/a.conf", "ErrorLog /a.log"),
        ])
        .unwrap();
        assert_eq!(paths(&conf), ["/a.log", "/b.log"]);
        assert_eq!(
            conf.notes[1..],
            [
                "/etc/apache2/apache2.conf:2: Include extra/*.conf: the pattern matches no file",
                "/etc/apache2/apache2.conf:3: IncludeOptional none.conf: the pattern matches no file",
            ]
        );
    }

    #[test]
    fn devices_and_pipes() {
        let conf = memory(&[(
            MAIN,
            "ErrorLog /proc/self/fd/2\nCustomLog /dev/stdout \"%h\"\nErrorLog \"|/usr/sbin/rotatelogs -n 5 logs/error_log 1M\"\nCustomLog \"||cronolog -S /var/log/x.log /var/log/%Y/%m/access.log\" \"%h\"",
        )])
        .unwrap();
        assert_eq!(
            paths(&conf),
            ["/etc/apache2/logs/error_log", "/var/log/%Y/%m/access.log"]
        );
        assert_eq!(
            conf.notes[1..4],
            [
                "/etc/apache2/apache2.conf:1: ErrorLog /proc/self/fd/2: standard error, not a file: skipped",
                "/etc/apache2/apache2.conf:2: CustomLog /dev/stdout: standard output, not a file: skipped",
                "/etc/apache2/apache2.conf:3: ErrorLog is piped to rotatelogs: reporting the file it writes, logs/error_log (rotatelogs adds .<seconds since 1970> to it unless -f or -n is given)",
            ]
        );
    }

    #[test]
    fn piped_programs() {
        assert_eq!(
            piped_file("/usr/bin/rotatelogs /var/log/a.%Y 86400"),
            Some(("rotatelogs", "/var/log/a.%Y"))
        );
        assert_eq!(
            piped_file("$rotatelogs -l -L /x/cur -p /bin/post -f logs/a 1M"),
            Some(("rotatelogs", "logs/a"))
        );
        assert_eq!(
            piped_file("|/usr/sbin/cronolog --period=1day /l/%Y.log"),
            Some(("cronolog", "/l/%Y.log"))
        );
        assert_eq!(piped_file("/usr/bin/logger -t x"), None);
        assert_eq!(piped_file("/usr/bin/rotatelogs -l"), None);
        assert_eq!(piped_file(""), None);
    }

    #[test]
    fn broken_configs_say_where_and_what() {
        let cases = [
            (
                "CustomLog \"/x.log combined",
                "1: unterminated \" quote: expected a closing \" before the end of the line",
            ),
            (
                "\n</VirtualHost>",
                "2: </VirtualHost> without matching <VirtualHost> section",
            ),
            (
                "<VirtualHost *:80>\n</Directory>",
                "2: expected </VirtualHost> (opened at line 1) but saw </Directory>",
            ),
            (
                "<IfModule x>\n<VirtualHost *:80>\n</VirtualHost>",
                "1: <IfModule> is not closed: expected </IfModule> before the end of the file",
            ),
            (
                "<VirtualHost *:80",
                "1: <VirtualHost *:80: expected \">\" at the end of the line",
            ),
            ("<>", "1: <>: expected a section name"),
            (
                "Include missing.conf",
                "1: Include missing.conf: no such file or directory (/etc/apache2/missing.conf)",
            ),
            ("Include", "1: Include: expected one file name or pattern"),
        ];
        for (text, expected) in cases {
            let e = memory(&[(MAIN, text)]).unwrap_err();
            assert_eq!(e.to_string(), format!("{MAIN}:{expected}"), "{text}");
        }
    }

    #[test]
    fn includes_that_loop_or_go_too_deep_are_errors() {
        let e = memory(&[
            (MAIN, "Include a.conf"),
            ("/etc/apache2/a.conf", "\nInclude apache2.conf"),
        ])
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "/etc/apache2/a.conf:2: include loop: /etc/apache2/apache2.conf -> /etc/apache2/a.conf -> /etc/apache2/apache2.conf"
        );
        let chain: Vec<(String, String)> = (0..40)
            .map(|i| {
                (
                    format!("/etc/apache2/{i}.conf"),
                    format!("Include {}.conf", i + 1),
                )
            })
            .collect();
        let mut files = vec![(MAIN, "Include 0.conf")];
        files.extend(chain.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        let e = memory(&files).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/etc/apache2/30.conf:1: includes nested deeper than 32 files, at /etc/apache2/31.conf"
        );
    }

    #[test]
    fn unreadable_input() {
        let e = read_apache(Path::new("/nonexistent/apache2.conf")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/nonexistent/apache2.conf: cannot read: No such file or directory (os error 2)"
        );
    }
}
