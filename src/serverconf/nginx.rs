//! nginx: `nginx.conf` and the files it includes, or `nginx -T` output.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::files::{has_wildcard, Disk, Files, Memory, Stack};
use super::lexer::{self, Tok, Token};
use super::{
    absolute, check_formats, device, ConfError, Directive, Escape, Loc, LogKind, LogTarget,
    ServerConf, Tree,
};
use crate::grammar::{Dialect, FormatDef};

/// nginx's predefined `combined` format.
const COMBINED: &str = "$remote_addr - $remote_user [$time_local] \
                        \"$request\" $status $body_bytes_sent \
                        \"$http_referer\" \"$http_user_agent\"";

/// Reads the nginx configuration at `path` and the files it includes.
///
/// `include` patterns are taken from the directory of `path` (nginx's conf
/// prefix) and, when nothing matches there, from the including file's
/// directory (with a note). Relative log paths are taken from the parent of
/// the directory of `path`: the `--prefix` of nginx built from source
/// (`/usr/local/nginx/conf/nginx.conf` → `/usr/local/nginx`); distribution
/// builds set another prefix, which the configuration does not record.
pub fn read_nginx(path: &Path) -> Result<ServerConf, ConfError> {
    read(&Disk, &absolute(path))
}

/// Reads `nginx -T` output: the main configuration and every file it
/// includes, each after a `# configuration file PATH:` line. Includes are
/// taken from those sections, never from the disk; paths are resolved as
/// [`read_nginx`] does, the first section being the main configuration.
pub fn parse_nginx_dump(text: &str) -> Result<ServerConf, ConfError> {
    let no_dump = || ConfError {
        file: "nginx -T output".into(),
        line: None,
        message: "no \"# configuration file PATH:\" line: expected the output of nginx -T".into(),
    };
    let dump = Memory::from_dump(text).ok_or_else(no_dump)?;
    let main = dump.first().ok_or_else(no_dump)?.to_path_buf();
    read(&dump, &main)
}

/// Reads the configuration at `main` from `files`.
fn read(files: &impl Files, main: &Path) -> Result<ServerConf, ConfError> {
    let conf_prefix = main.parent().unwrap_or(Path::new("/")).to_path_buf();
    let prefix = conf_prefix.parent().unwrap_or(&conf_prefix).to_path_buf();
    let mut reader = Reader {
        files,
        conf_prefix,
        stack: Stack::default(),
        notes: Vec::new(),
    };
    let tree = reader.load(main, None)?;
    let mut walker = Walker {
        prefix,
        conf: ServerConf {
            targets: Vec::new(),
            notes: reader.notes,
        },
    };
    walker.walk(&tree, Ctx::Main);
    check_formats(&mut walker.conf);
    Ok(walker.conf)
}

/// Reads files into directives, inlining includes.
struct Reader<'a, F> {
    files: &'a F,
    conf_prefix: PathBuf,
    stack: Stack,
    notes: Vec<String>,
}

impl<F: Files> Reader<'_, F> {
    /// The directives of `path`, included from `from`.
    fn load(&mut self, path: &Path, from: Option<&Loc>) -> Result<Vec<Directive>, ConfError> {
        let text = self.stack.open(self.files, path, from)?;
        let file: Rc<Path> = path.into();
        let tokens = lexer::nginx(&text).map_err(|e| Loc::new(&file, e.line).error(e.message))?;
        let directives = self.parse(tokens, &file)?;
        self.stack.leave();
        Ok(directives)
    }

    /// Tokens into directives and blocks.
    fn parse(&mut self, tokens: Vec<Token>, file: &Rc<Path>) -> Result<Vec<Directive>, ConfError> {
        let mut tree = Tree::default();
        let mut words = Vec::new();
        let mut start = 0;
        for Token { kind, line } in tokens {
            let at = Loc::new(file, line);
            match kind {
                Tok::Word(word) => {
                    if words.is_empty() {
                        start = line;
                    }
                    words.push(word);
                }
                Tok::Semi => {
                    let d = directive(&mut words, Loc::new(file, start))
                        .ok_or_else(|| at.error("unexpected \";\": expected a directive"))?;
                    self.statement(&mut tree, d)?;
                }
                Tok::Open => {
                    let d = directive(&mut words, Loc::new(file, start))
                        .ok_or_else(|| at.error("unexpected \"{\": expected a directive"))?;
                    tree.open(d)?;
                }
                Tok::Close => close(&mut tree, &words, &at, start)?,
            }
        }
        if let Some(name) = words.first() {
            let message = format!("unexpected end of file: expected \";\" to end \"{name}\"");
            return Err(Loc::new(file, start).error(message));
        }
        tree.finish().map_err(|open| {
            open.at.error(format!(
                "unexpected end of file: the \"{}\" block is not closed: expected \"}}\"",
                open.name
            ))
        })
    }

    /// Adds a complete directive, inlining it if it is an `include`.
    fn statement(&mut self, tree: &mut Tree, d: Directive) -> Result<(), ConfError> {
        if d.name != "include" {
            tree.body().push(d);
            return Ok(());
        }
        let included = self.include(&d)?;
        tree.body().extend(included);
        Ok(())
    }

    /// The directives of the files an `include` names.
    fn include(&mut self, d: &Directive) -> Result<Vec<Directive>, ConfError> {
        let [pattern] = d.args.as_slice() else {
            return Err(d.at.error("include: expected one file name or pattern"));
        };
        let paths = self.matching(pattern, &d.at);
        if paths.is_empty() && !has_wildcard(pattern) {
            let looked = self.conf_prefix.join(pattern);
            let message = format!("include {pattern}: no such file ({})", looked.display());
            return Err(d.at.error(message));
        }
        if paths.is_empty() {
            let note = format!("include {pattern}: the pattern matches no file");
            self.notes.push(d.at.note(note));
        }
        let mut directives = Vec::new();
        for path in paths {
            directives.extend(self.load(&path, Some(&d.at))?);
        }
        Ok(directives)
    }

    /// The files `pattern` names, from the conf prefix or else from the
    /// including file's directory.
    fn matching(&mut self, pattern: &str, at: &Loc) -> Vec<PathBuf> {
        let found = self.files.glob(&self.conf_prefix.join(pattern));
        let dir = at.file.parent().unwrap_or(Path::new("/"));
        if !found.is_empty() || Path::new(pattern).is_absolute() || dir == self.conf_prefix {
            return found;
        }
        let found = self.files.glob(&dir.join(pattern));
        if !found.is_empty() {
            let note = format!(
                "include {pattern}: found in {}, not in {} where nginx looks",
                dir.display(),
                self.conf_prefix.display()
            );
            self.notes.push(at.note(note));
        }
        found
    }
}

/// The directive made of `words` (emptied), if there are any.
fn directive(words: &mut Vec<String>, at: Loc) -> Option<Directive> {
    let mut words = std::mem::take(words).into_iter();
    Some(Directive {
        name: words.next()?,
        args: words.collect(),
        at,
        block: None,
    })
}

/// Closes a block at a `}`.
fn close(tree: &mut Tree, words: &[String], at: &Loc, start: usize) -> Result<(), ConfError> {
    if let Some(name) = words.first() {
        let message = format!("unexpected \"}}\": expected \";\" to end \"{name}\" (line {start})");
        return Err(at.error(message));
    }
    tree.close()
        .ok_or_else(|| at.error("unexpected \"}\": no block is open"))
}

/// A `log_format`: its format and escape mode.
type Format = (FormatDef, Escape);

/// What an `http` block tells its servers.
struct Http {
    /// `log_format`s by name.
    formats: HashMap<String, Format>,
    /// Whether some server has no `access_log` of its own, so takes http's.
    inherited: bool,
}

/// Where a directive stands.
#[derive(Clone, Copy)]
enum Ctx<'a> {
    Main,
    Http(&'a Http),
    /// In a server (or a location, `if`, `limit_except` in one), described.
    Server(&'a Http, &'a str),
    /// In `stream` or `mail`.
    Other(&'a str),
}

/// Walks directives, collecting logs.
struct Walker {
    prefix: PathBuf,
    conf: ServerConf,
}

impl Walker {
    fn note(&mut self, at: &Loc, message: impl std::fmt::Display) {
        self.conf.notes.push(at.note(message));
    }

    fn walk(&mut self, body: &[Directive], ctx: Ctx) {
        for d in body {
            match (d.name.as_str(), &d.block) {
                ("error_log", None) => self.error_log(d),
                ("access_log", None) => self.access_log(d, ctx),
                ("log_format", None) => {
                    if let Ctx::Other(context) = ctx {
                        let message = format!(
                            "log_format in {context}: not an HTTP access log format, skipped"
                        );
                        self.note(&d.at, message);
                    }
                }
                (_, Some(block)) => self.enter(d, block, ctx),
                _ => {}
            }
        }
    }

    /// Walks into the blocks that can hold logs.
    fn enter(&mut self, d: &Directive, block: &[Directive], ctx: Ctx) {
        match (ctx, d.name.as_str()) {
            (Ctx::Main, "http") => self.http(d, block),
            (Ctx::Main, context @ ("stream" | "mail")) => self.walk(block, Ctx::Other(context)),
            (Ctx::Other(context), "server") => self.walk(block, Ctx::Other(context)),
            (Ctx::Http(http), "server") => {
                let label = server_label(block, &d.at);
                self.walk(block, Ctx::Server(http, &label));
            }
            (Ctx::Server(http, outer), "location" | "if" | "limit_except") => {
                let label = format!("{} {} in {outer}", d.name, d.args.join(" "));
                self.walk(block, Ctx::Server(http, &label));
            }
            _ => {}
        }
    }

    fn http(&mut self, d: &Directive, block: &[Directive]) {
        // A server without an access_log of its own.
        let bare = block.iter().filter(|s| s.name == "server").find_map(|s| {
            s.block
                .as_deref()
                .filter(|b| !b.iter().any(is_access_log))
                .map(|b| (s, b))
        });
        // With no server at all, nginx answers through an implicit default
        // server, which logs as http says.
        let servers = block.iter().any(|s| s.name == "server");
        let http = Http {
            formats: self.formats(block),
            inherited: bare.is_some() || !servers,
        };
        self.walk(block, Ctx::Http(&http));
        if block.iter().any(is_access_log) {
            return;
        }
        match bare {
            Some((server, body)) => self.default_log(d, &server_label(body, &server.at)),
            None if !servers => self.default_log(d, "the implicit default server"),
            None => {}
        }
    }

    /// The `log_format`s of an `http` block.
    fn formats(&mut self, block: &[Directive]) -> HashMap<String, Format> {
        let mut formats = HashMap::new();
        for d in block
            .iter()
            .filter(|d| d.name == "log_format" && d.block.is_none())
        {
            match log_format(d) {
                Ok((name, _)) if formats.contains_key(&name) => {
                    let message =
                        format!("log_format {name} is defined again: the first one is used");
                    self.note(&d.at, message);
                }
                Ok((name, format)) => {
                    formats.insert(name, format);
                }
                Err(message) => self.note(&d.at, message),
            }
        }
        formats
    }

    /// nginx's own access log, for servers that set none.
    fn default_log(&mut self, http: &Directive, server: &str) {
        let message = format!(
            "no access_log in http nor in {server}: nginx writes its default, logs/access.log in the combined format, under the prefix"
        );
        self.note(&http.at, message);
        self.conf.add(LogTarget {
            path: self.prefix.join("logs/access.log"),
            kind: LogKind::Access,
            format: Some(combined()),
            format_name: Some("combined".into()),
            escape: Escape::Default,
            conditional: false,
            source: http.at.source(),
        });
    }

    fn access_log(&mut self, d: &Directive, ctx: Ctx) {
        let (http, place) = match ctx {
            Ctx::Http(http) => (http, "http"),
            Ctx::Server(http, label) => (http, label),
            Ctx::Other(context) => {
                let message = format!("access_log in {context}: not an HTTP access log, skipped");
                return self.note(&d.at, message);
            }
            Ctx::Main => return,
        };
        let Some(path) = d.args.first() else {
            return self.note(&d.at, "access_log: expected a path, skipped");
        };
        if path == "off" {
            return self.note(&d.at, format!("access_log off in {place}"));
        }
        if let Some(why) = skipped(path) {
            return self.note(&d.at, format!("access_log {why}"));
        }
        if place == "http" && !http.inherited {
            let message = format!(
                "access_log {path} in http is not used: every server has its own access_log"
            );
            return self.note(&d.at, message);
        }
        self.access_target(d, path, http);
    }

    /// Reports the file an `access_log` writes.
    fn access_target(&mut self, d: &Directive, path: &str, http: &Http) {
        let name = d.args.get(1).map_or("combined", String::as_str);
        let found = http.formats.get(name).cloned();
        let found = found.or_else(|| (name == "combined").then(|| (combined(), Escape::Default)));
        if found.is_none() {
            self.note(&d.at, format!("log_format {name} is not defined"));
        }
        let options = d.args.get(2..).unwrap_or_default();
        if options
            .iter()
            .any(|o| o == "gzip" || o.starts_with("gzip="))
        {
            self.note(&d.at, format!("{path} is written gzip-compressed"));
        }
        let (format, escape) = found.map_or((None, Escape::Default), |(f, e)| (Some(f), e));
        self.target(
            d,
            path,
            LogTarget {
                path: PathBuf::new(),
                kind: LogKind::Access,
                format,
                format_name: Some(name.to_string()),
                escape,
                conditional: options.iter().any(|o| o.starts_with("if=")),
                source: d.at.source(),
            },
        );
    }

    fn error_log(&mut self, d: &Directive) {
        let Some(path) = d.args.first() else {
            return self.note(&d.at, "error_log: expected a path, skipped");
        };
        if let Some(why) = skipped(path) {
            return self.note(&d.at, format!("error_log {why}"));
        }
        if path == "off" {
            self.note(
                &d.at,
                "error_log off does not turn the error log off: it writes to a file named off",
            );
        }
        self.target(
            d,
            path,
            LogTarget {
                path: PathBuf::new(),
                kind: LogKind::Error,
                format: None,
                format_name: None,
                escape: Escape::Default,
                conditional: false,
                source: d.at.source(),
            },
        );
    }

    /// Adds `target` writing to `path` (relative to the prefix).
    fn target(&mut self, d: &Directive, path: &str, target: LogTarget) {
        if path.contains('$') {
            let message = format!("{path} has variables: each value is a file of its own");
            self.note(&d.at, message);
        }
        self.conf.add(LogTarget {
            path: self.prefix.join(path),
            ..target
        });
    }
}

/// Why a log path is not a file to report.
fn skipped(path: &str) -> Option<String> {
    let what = match path {
        "stderr" => "standard error",
        p if p.starts_with("syslog:") => "syslog",
        p if p.starts_with("memory:") => "a memory buffer",
        p => device(p)?,
    };
    Some(format!("{path}: {what}, not a file: skipped"))
}

/// A `log_format` directive: its name and format.
fn log_format(d: &Directive) -> Result<(String, Format), String> {
    let (name, rest) = d
        .args
        .split_first()
        .ok_or("log_format: expected a name and a format, skipped")?;
    let (escape, parts) = match rest.split_first() {
        Some((mode, parts)) if mode.starts_with("escape=") => (escape_mode(mode)?, parts),
        _ => (Escape::Default, rest),
    };
    if parts.is_empty() {
        return Err(format!("log_format {name}: expected a format, skipped"));
    }
    let def = FormatDef {
        name: Some(name.clone()),
        dialect: Dialect::Nginx,
        format: parts.concat(),
    };
    Ok((name.clone(), (def, escape)))
}

/// The mode of an `escape=` argument.
fn escape_mode(arg: &str) -> Result<Escape, String> {
    match arg {
        "escape=default" => Ok(Escape::Default),
        "escape=json" => Ok(Escape::Json),
        "escape=none" => Ok(Escape::None),
        _ => Err(format!(
            "log_format: unknown {arg}: expected escape=default, escape=json or escape=none, skipped"
        )),
    }
}

fn combined() -> FormatDef {
    FormatDef {
        name: Some("combined".into()),
        dialect: Dialect::Nginx,
        format: COMBINED.into(),
    }
}

fn is_access_log(d: &Directive) -> bool {
    d.name == "access_log" && d.block.is_none()
}

/// A server described by its first `server_name`, else its first `listen`.
fn server_label(block: &[Directive], at: &Loc) -> String {
    let first = |name: &str| {
        block
            .iter()
            .find(|d| d.name == name && d.block.is_none())
            .and_then(|d| d.args.first())
    };
    match (first("server_name"), first("listen")) {
        (Some(name), _) => format!("server {name}"),
        (None, Some(listen)) => format!("server listening on {listen}"),
        (None, None) => format!("server at {at}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIN: &str = "$remote_addr - $remote_user [$time_local] \"$request\" \
                        $status $body_bytes_sent \"$http_referer\" \
                        \"$http_user_agent\" \"$http_x_forwarded_for\"";

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/conf/nginx")
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

    fn access(path: &str, name: &str, format: &str, file: &Path, line: usize) -> LogTarget {
        LogTarget {
            kind: LogKind::Access,
            format: Some(FormatDef {
                name: Some(name.into()),
                dialect: Dialect::Nginx,
                format: format.into(),
            }),
            format_name: Some(name.into()),
            ..error(path, file, line)
        }
    }

    /// Notes with the fixture directory cut off.
    fn notes(conf: &ServerConf, dir: &Path) -> Vec<String> {
        let dir = format!("{}/", dir.display());
        conf.notes.iter().map(|n| n.replace(&dir, "")).collect()
    }

    fn dump(files: &[(&str, &str)]) -> String {
        files
            .iter()
            .map(|(path, text)| format!("# configuration file {path}:\n{text}\n"))
            .collect()
    }

    fn dump_error(files: &[(&str, &str)]) -> String {
        parse_nginx_dump(&dump(files)).unwrap_err().to_string()
    }

    const CONF: &str = "/usr/local/nginx/conf/nginx.conf";

    #[test]
    fn the_fixture_targets() {
        let dir = fixtures();
        let conf = read_nginx(&dir.join("nginx.conf")).unwrap();
        let (main, site) = (
            dir.join("nginx.conf"),
            dir.join("sites-enabled/example.com"),
        );
        let json = conf.targets[3].format.as_ref().unwrap();
        assert!(json
            .format
            .starts_with("{\"time\":\"$time_iso8601\",\"remote_addr\""));
        assert!(json
            .format
            .ends_with(",\"http_user_agent\":\"$http_user_agent\"}"));
        let json = json.format.as_str();
        assert_eq!(
            conf.targets,
            [
                error("/var/log/nginx/error.log", &main, 4),
                access("/var/log/nginx/access.log", "combined", COMBINED, &main, 40),
                access(
                    "/var/log/nginx/example.com.access.log",
                    "main",
                    MAIN,
                    &site,
                    17
                ),
                LogTarget {
                    escape: Escape::Json,
                    ..access(
                        "/var/log/nginx/example.com.json.log",
                        "json",
                        json,
                        &site,
                        18
                    )
                },
                LogTarget {
                    conditional: true,
                    ..access(
                        "/var/log/nginx/example.com.5xx.log",
                        "combined",
                        COMBINED,
                        &site,
                        19
                    )
                },
                error("/var/log/nginx/example.com.error.log", &site, 21),
                access("/var/log/nginx/api/$host.log", "main", MAIN, &site, 37),
            ]
        );
    }

    #[test]
    fn the_fixture_notes() {
        let dir = fixtures();
        let conf = read_nginx(&dir.join("nginx.conf")).unwrap();
        assert_eq!(
            notes(&conf, &dir),
            [
                "nginx.conf:5: include modules-enabled/*.conf: the pattern matches no file",
                "sites-enabled/default:32: access_log off in location = /healthz in server _",
                "sites-enabled/example.com:20: access_log syslog:server=unix:/dev/log,facility=local7,tag=nginx,severity=info: syslog, not a file: skipped",
                "sites-enabled/example.com:31: access_log off in location /static/ in server example.com",
                "sites-enabled/example.com:37: /var/log/nginx/api/$host.log is written gzip-compressed",
                "sites-enabled/example.com:37: /var/log/nginx/api/$host.log has variables: each value is a file of its own",
                "sites-enabled/static.example.org:7: access_log off in server static.example.org",
                "sites-enabled/static.example.org:8: error_log stderr: standard error, not a file: skipped",
                "nginx.conf:64: log_format in stream: not an HTTP access log format, skipped",
                "nginx.conf:66: access_log in stream: not an HTTP access log, skipped",
            ]
        );
    }

    #[test]
    fn formats_read_as_the_grammar_module_reads_them() {
        let dir = fixtures();
        let text = std::fs::read_to_string(dir.join("conf.d/log-formats.conf")).unwrap();
        let expected = crate::grammar::directives(&text).unwrap();
        let conf = read_nginx(&dir.join("nginx.conf")).unwrap();
        let read: Vec<&FormatDef> = conf
            .targets
            .iter()
            .filter_map(|t| t.format.as_ref())
            .collect();
        assert_eq!(read[2], &expected[1], "json");
        assert_eq!(read[1], &expected[0], "main");
    }

    #[test]
    fn an_nginx_t_dump() {
        let text = std::fs::read_to_string(fixtures().join("nginx-T.txt")).unwrap();
        let conf = parse_nginx_dump(&text).unwrap();
        let (main, app) = (
            Path::new("/etc/nginx/nginx.conf"),
            Path::new("/etc/nginx/conf.d/app.conf"),
        );
        assert_eq!(
            conf.targets,
            [
                error("/var/log/nginx/error.log", main, 5),
                access("/var/log/nginx/access.log", "main", MAIN, main, 22),
                access(
                    "/var/log/nginx/app.access.log",
                    "combined",
                    COMBINED,
                    app,
                    5
                ),
                error("/var/log/nginx/app.error.log", app, 6),
            ]
        );
        assert_eq!(conf.notes, Vec::<String>::new());
    }

    #[test]
    fn the_default_access_log_when_a_server_has_none() {
        let text = dump(&[(CONF, "http {\n  server {\n    listen 8080;\n  }\n}")]);
        let conf = parse_nginx_dump(&text).unwrap();
        let log = access(
            "/usr/local/nginx/logs/access.log",
            "combined",
            COMBINED,
            Path::new(CONF),
            1,
        );
        assert_eq!(conf.targets, [log]);
        assert_eq!(
            conf.notes,
            ["/usr/local/nginx/conf/nginx.conf:1: no access_log in http nor in server listening on 8080: nginx writes its default, logs/access.log in the combined format, under the prefix"]
        );
        let text = dump(&[(
            CONF,
            "http {\n server { server_name a; access_log /a.log; }\n server { server_name b; }\n}",
        )]);
        let conf = parse_nginx_dump(&text).unwrap();
        let paths: Vec<&Path> = conf.targets.iter().map(|t| t.path.as_path()).collect();
        assert_eq!(
            paths,
            [
                Path::new("/a.log"),
                Path::new("/usr/local/nginx/logs/access.log")
            ]
        );
        assert!(conf.notes[0].contains("nor in server b:"));
    }

    #[test]
    fn an_http_block_with_no_server_nor_log_writes_the_default() {
        let conf = parse_nginx_dump(&dump(&[(CONF, "http {\n}")])).unwrap();
        let paths: Vec<&Path> = conf.targets.iter().map(|t| t.path.as_path()).collect();
        assert_eq!(paths, [Path::new("/usr/local/nginx/logs/access.log")]);
        assert!(
            conf.notes[0].contains("the implicit default server"),
            "{:?}",
            conf.notes
        );
    }

    #[test]
    fn an_http_log_with_no_server_is_used() {
        let text = dump(&[(CONF, "http {\n access_log /all.log;\n}")]);
        let conf = parse_nginx_dump(&text).unwrap();
        let paths: Vec<&Path> = conf.targets.iter().map(|t| t.path.as_path()).collect();
        assert_eq!(paths, [Path::new("/all.log")]);
        assert_eq!(conf.notes, Vec::<String>::new());
    }

    #[test]
    fn an_http_log_that_every_server_overrides_is_not_used() {
        let text = dump(&[(
            CONF,
            "http {\n access_log /all.log;\n server { access_log /a.log; }\n server { access_log off; }\n}",
        )]);
        let conf = parse_nginx_dump(&text).unwrap();
        let paths: Vec<&Path> = conf.targets.iter().map(|t| t.path.as_path()).collect();
        assert_eq!(paths, [Path::new("/a.log")]);
        assert_eq!(
            conf.notes,
            [
                "/usr/local/nginx/conf/nginx.conf:2: access_log /all.log in http is not used: every server has its own access_log",
                "/usr/local/nginx/conf/nginx.conf:4: access_log off in server at /usr/local/nginx/conf/nginx.conf:4",
            ]
        );
    }

    #[test]
    fn relative_paths_devices_and_odd_logs() {
        let text = dump(&[(
            CONF,
            "error_log logs/error.log;\nerror_log off;\nhttp {\n server {\n  access_log logs/a.log;\n  access_log /dev/stdout;\n  access_log /b.log nope;\n }\n}",
        )]);
        let conf = parse_nginx_dump(&text).unwrap();
        let conf_file = Path::new(CONF);
        assert_eq!(
            conf.targets,
            [
                error("/usr/local/nginx/logs/error.log", conf_file, 1),
                error("/usr/local/nginx/off", conf_file, 2),
                access(
                    "/usr/local/nginx/logs/a.log",
                    "combined",
                    COMBINED,
                    conf_file,
                    5
                ),
                LogTarget {
                    format: None,
                    ..access("/b.log", "nope", "", conf_file, 7)
                },
            ]
        );
        assert_eq!(
            conf.notes,
            [
                "/usr/local/nginx/conf/nginx.conf:2: error_log off does not turn the error log off: it writes to a file named off",
                "/usr/local/nginx/conf/nginx.conf:6: access_log /dev/stdout: standard output, not a file: skipped",
                "/usr/local/nginx/conf/nginx.conf:7: log_format nope is not defined",
            ]
        );
    }

    #[test]
    fn log_format_mistakes_are_noted() {
        let text = dump(&[(
            CONF,
            "http {\n log_format a '$remote_addr';\n log_format a '$status';\n log_format b escape=xml '$x';\n log_format c;\n access_log /a.log a;\n server {}\n}",
        )]);
        let conf = parse_nginx_dump(&text).unwrap();
        assert_eq!(
            conf.targets[0].format.as_ref().unwrap().format,
            "$remote_addr"
        );
        assert_eq!(
            conf.notes,
            [
                "/usr/local/nginx/conf/nginx.conf:3: log_format a is defined again: the first one is used",
                "/usr/local/nginx/conf/nginx.conf:4: log_format: unknown escape=xml: expected escape=default, escape=json or escape=none, skipped",
                "/usr/local/nginx/conf/nginx.conf:5: log_format c: expected a format, skipped",
                "/usr/local/nginx/conf/nginx.conf:6: format a: fiveohone cannot read it: the format has no time field ($time_local, $time_iso8601, $msec, %t): fiveohone needs one",
            ]
        );
    }

    #[test]
    fn broken_configs_say_where_and_what() {
        let cases = [
            (
                "http {\n log_format x 'abc;\n}\n",
                "2: unterminated ' string: expected a closing '",
            ),
            (
                "http {\n access_log /a.log\n}\n",
                "3: unexpected \"}\": expected \";\" to end \"access_log\" (line 2)",
            ),
            ("http {\n}\n}\n", "3: unexpected \"}\": no block is open"),
            (
                "events {}\nhttp {\n server {\n}\n",
                "2: unexpected end of file: the \"http\" block is not closed: expected \"}\"",
            ),
            (
                "http {}\nworker_processes 4",
                "2: unexpected end of file: expected \";\" to end \"worker_processes\"",
            ),
            ("http {\n ;\n}", "2: unexpected \";\": expected a directive"),
            ("{}", "1: unexpected \"{\": expected a directive"),
            ("include;", "1: include: expected one file name or pattern"),
        ];
        for (text, expected) in cases {
            assert_eq!(
                dump_error(&[(CONF, text)]),
                format!("{CONF}:{expected}"),
                "{text}"
            );
        }
        let deep = "http {".repeat(super::super::MAX_NESTING + 1);
        assert_eq!(
            dump_error(&[(CONF, &deep)]),
            format!("{CONF}:1: blocks nested deeper than 64 levels")
        );
    }

    #[test]
    fn includes_that_loop_or_go_too_deep_are_errors() {
        let loop_error = dump_error(&[
            ("/etc/nginx/nginx.conf", "include a.conf;"),
            ("/etc/nginx/a.conf", "http {\n include b.conf;\n}"),
            ("/etc/nginx/b.conf", "\n\ninclude a.conf;"),
        ]);
        assert_eq!(
            loop_error,
            "/etc/nginx/b.conf:3: include loop: /etc/nginx/a.conf -> /etc/nginx/b.conf -> /etc/nginx/a.conf"
        );
        let mut chain: Vec<(String, String)> = (0..40)
            .map(|i| {
                (
                    format!("/etc/nginx/{i}.conf"),
                    format!("include {}.conf;", i + 1),
                )
            })
            .collect();
        chain.insert(
            0,
            ("/etc/nginx/nginx.conf".into(), "include 0.conf;".into()),
        );
        let files: Vec<(&str, &str)> = chain
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        assert_eq!(
            dump_error(&files),
            "/etc/nginx/30.conf:1: includes nested deeper than 32 files, at /etc/nginx/31.conf"
        );
    }

    #[test]
    fn includes_found_missing_or_beside_the_including_file() {
        assert_eq!(
            dump_error(&[("/etc/nginx/nginx.conf", "include sites/x.conf;")]),
            "/etc/nginx/nginx.conf:1: include sites/x.conf: no such file (/etc/nginx/sites/x.conf)"
        );
        let text = dump(&[
            (
                "/etc/nginx/nginx.conf",
                "http {\n include sites/*.conf;\n include none/*;\n}",
            ),
            ("/etc/nginx/sites/x.conf", "include x.inc;"),
            ("/etc/nginx/sites/x.inc", "server { access_log /x.log; }"),
        ]);
        let conf = parse_nginx_dump(&text).unwrap();
        assert_eq!(conf.targets[0].source, ("/etc/nginx/sites/x.inc".into(), 1));
        assert_eq!(
            conf.notes,
            [
                "/etc/nginx/sites/x.conf:1: include x.inc: found in /etc/nginx/sites, not in /etc/nginx where nginx looks",
                "/etc/nginx/nginx.conf:3: include none/*: the pattern matches no file",
            ]
        );
    }

    #[test]
    fn unreadable_input() {
        let e = read_nginx(Path::new("/nonexistent/nginx.conf")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/nonexistent/nginx.conf: cannot read: No such file or directory (os error 2)"
        );
        let e = parse_nginx_dump("nginx: [emerg] unknown directive \"x\"\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "nginx -T output: no \"# configuration file PATH:\" line: expected the output of nginx -T"
        );
    }
}
