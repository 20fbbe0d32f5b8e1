//! Turns command-line paths into the ordered list of log sources.

use std::cmp::Reverse;
use std::fs;
use std::path::{Path, PathBuf};

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file, or `None` for standard input.
    pub path: Option<PathBuf>,
    /// Whether the name says it is an error log (`error.log`, `*_error.log`,
    /// `error_log`).
    pub error_by_name: bool,
    /// Whether the path suggests Apache (`apache`, `httpd` in it): breaks
    /// ties in format detection.
    pub apache_hint: bool,
    /// Whether the name is a rotated one (`access.log.1`, `….2.gz`,
    /// `…-20260507`): such files are read but not followed.
    pub rotated: bool,
    /// The format the server's config gives it: an index into the run's
    /// configured formats.
    pub format: Option<usize>,
}

impl Source {
    /// A standard-input source.
    pub fn stdin() -> Self {
        Source {
            path: None,
            error_by_name: false,
            apache_hint: false,
            rotated: false,
            format: None,
        }
    }

    /// A file named on the command line that did not exist at the start
    /// (followed: read when it appears).
    pub fn waiting(path: PathBuf) -> Self {
        Source::file(path)
    }

    fn file(path: PathBuf) -> Self {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let full = path.to_string_lossy().to_ascii_lowercase();
        let (base, age) = split_rotation(&name);
        Source {
            error_by_name: base.contains("error"),
            rotated: age != Age::Current || base.len() < name.len(),
            apache_hint: full.contains("apache") || full.contains("httpd"),
            path: Some(path),
            format: None,
        }
    }

    /// How the source is shown to the user.
    pub fn display(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => "(stdin)".to_string(),
        }
    }
}

/// The outcome of [`discover`].
#[derive(Debug, Default)]
pub struct Discovery {
    /// Sources to read, in reading order.
    pub sources: Vec<Source>,
    /// Paths that could not be read, with the reason (one line each).
    pub errors: Vec<String>,
    /// Files in directories passed over because their names are not log
    /// names or they are not regular files (FIFOs, sockets, devices).
    pub ignored: Vec<PathBuf>,
    /// Files passed over that look like logs but are not access or error
    /// logs (cPanel's bandwidth logs), one line each.
    pub notes: Vec<String>,
}

/// The default inputs when no path is given: the usual log directories
/// that exist on this machine.
pub fn default_paths() -> Vec<PathBuf> {
    ["/var/log/nginx", "/var/log/apache2", "/var/log/httpd"]
        .iter()
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
        .collect()
}

/// Expands `paths` (`-` is stdin) into sources. Directories are listed (not
/// recursively); their log files are grouped into families by base name
/// (`access.log`, `access.log.1`, `access.log.2.gz`, `access.log-20260507.gz`)
/// and each family is read oldest to newest. Explicit files keep their order.
pub fn discover(paths: &[PathBuf]) -> Discovery {
    let mut found = Discovery::default();
    let mut stdin_seen = false;
    for path in paths {
        if path.as_os_str() == "-" {
            if !stdin_seen {
                found.sources.push(Source::stdin());
                stdin_seen = true;
            }
            continue;
        }
        match fs::metadata(path) {
            Err(e) => found
                .errors
                .push(format!("{}: {}", path.display(), describe(&e))),
            Ok(meta) if meta.is_dir() => discover_dir(path, &mut found),
            Ok(_) => found.sources.push(Source::file(path.clone())),
        }
    }
    found
}

/// A log a server's config names: its path as written (a `$variable` in
/// the file name matches anything) and the index of its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Configured {
    /// The path in the config.
    pub path: PathBuf,
    /// Index of its format among the run's configured formats.
    pub format: Option<usize>,
    /// Where the config names it (`nginx.conf:42`), for messages.
    pub origin: String,
}

/// The rotated families of the logs a server's config names: for
/// `/var/log/nginx/access.log`, `access.log` and its rotations
/// (`access.log.1`, `access.log.2.gz`, `access.log-20260507`), oldest
/// first, each with its configured format.
pub fn discover_configured(logs: &[Configured]) -> Discovery {
    let mut found = Discovery::default();
    for log in logs {
        let before = found.sources.len();
        let (Some(parent), Some(name)) = (log.path.parent(), log.path.file_name()) else {
            continue;
        };
        let pattern = name.to_string_lossy().into_owned();
        let (dirs, unlisted) = matching_dirs(parent);
        for (dir, e) in &unlisted {
            found.errors.push(format!(
                "{} (from {}): {}: {}",
                log.path.display(),
                log.origin,
                dir.display(),
                describe(e)
            ));
        }
        for dir in &dirs {
            match fs::read_dir(dir) {
                Err(e) => found.errors.push(format!(
                    "{} (from {}): {}",
                    log.path.display(),
                    log.origin,
                    describe(&e)
                )),
                Ok(entries) => {
                    let mut family: Vec<(Age, PathBuf)> = entries
                        .flatten()
                        // What a symlink points to: /dev/stdout in nginx's
                        // Docker image is no file to read.
                        .filter(|e| fs::metadata(e.path()).is_ok_and(|m| m.is_file()))
                        .filter_map(|e| {
                            let (base, age) = split_rotation(&e.file_name().to_string_lossy());
                            names_match(&pattern, &base).then(|| (age, e.path()))
                        })
                        .collect();
                    family.sort();
                    found
                        .sources
                        .extend(family.into_iter().map(|(_, path)| Source {
                            format: log.format,
                            ..Source::file(path)
                        }));
                }
            }
        }
        // The server has not written it yet: no read failure.
        if found.sources.len() == before
            && unlisted.is_empty()
            && (dirs.is_empty() || dirs.iter().any(|d| d.is_dir()))
        {
            found.notes.push(format!(
                "{} (from {}): no such file yet",
                log.path.display(),
                log.origin
            ));
        }
    }
    let mut seen = std::collections::HashSet::new();
    let sources = std::mem::take(&mut found.sources);
    let unique = sources
        .into_iter()
        .filter(|s| seen.insert(s.path.clone()))
        .collect();
    found.sources = skip_behind_proxy(unique, &mut found);
    found
}

/// The directories a configured directory names: itself, or with a
/// `$variable` in some of its parts (`/var/log/nginx/$host`), each
/// directory whose names match, in name order; and the directories that
/// could not be listed to find them.
fn matching_dirs(dir: &Path) -> (Vec<PathBuf>, Vec<(PathBuf, std::io::Error)>) {
    if dir.as_os_str().is_empty() {
        return (vec![PathBuf::from(".")], Vec::new());
    }
    let (mut dirs, mut unlisted) = (vec![PathBuf::new()], Vec::new());
    for part in dir.components() {
        let part = part.as_os_str();
        let pattern = part.to_string_lossy();
        if !pattern.contains('$') {
            dirs.iter_mut().for_each(|d| d.push(part));
            continue;
        }
        let mut next = Vec::new();
        for d in &dirs {
            match fs::read_dir(d) {
                Ok(entries) => next.extend(
                    entries
                        .flatten()
                        .filter(|e| fs::metadata(e.path()).is_ok_and(|m| m.is_dir()))
                        .filter(|e| names_match(&pattern, &e.file_name().to_string_lossy()))
                        .map(|e| e.path()),
                ),
                Err(e) => unlisted.push((d.clone(), e)),
            }
        }
        next.sort();
        dirs = next;
    }
    // Of the hosts' directories, those that have the rest of the path.
    if dir.to_string_lossy().contains('$') {
        dirs.retain(|d| d.is_dir());
    }
    (dirs, unlisted)
}

/// The logs the server configs name ([`discover_configured`]), then the
/// command-line `paths` ([`discover`]); a file in both is read once, with
/// its configured format.
pub fn discover_all(paths: &[PathBuf], configured: &[Configured]) -> Discovery {
    let mut found = discover_configured(configured);
    let named = discover(paths);
    let mut seen = std::collections::HashSet::new();
    found.sources.extend(named.sources);
    found.sources.retain(|s| {
        seen.insert(
            s.path
                .as_ref()
                .map(|p| fs::canonicalize(p).unwrap_or(p.clone())),
        )
    });
    found.errors.extend(named.errors);
    found.ignored.extend(named.ignored);
    found.notes.extend(named.notes);
    found
}

/// Whether a file's family base is the configured name, where a
/// `$variable` (nginx: `$host.access.log`) matches one or more bytes.
/// Linear in the name whatever the number of variables: each literal part
/// between them is matched at its first place (the variables before it
/// taking at least one byte each), which finds a match if there is one.
fn names_match(pattern: &str, name: &str) -> bool {
    let parts = literal_parts(pattern);
    let name = name.as_bytes();
    let (Some(head), Some(tail)) = (parts.first(), parts.last()) else {
        return false;
    };
    if parts.len() == 1 {
        return head.as_bytes() == name;
    }
    let variables = parts.len() - 1;
    if name.len() < head.len() + tail.len() + variables
        || !name.starts_with(head.as_bytes())
        || !name.ends_with(tail.as_bytes())
    {
        return false;
    }
    let mut rest = &name[head.len()..name.len() - tail.len()];
    for mid in &parts[1..parts.len() - 1] {
        let Some(at) = rest
            .get(1..)
            .and_then(|r| memchr::memmem::find(r, mid.as_bytes()))
        else {
            return false;
        };
        rest = &rest[1 + at + mid.len()..];
    }
    !rest.is_empty()
}

/// The literal parts of a configured name between its `$variable`s
/// (`$host`, `${host}`): one more than there are variables.
fn literal_parts(pattern: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = pattern;
    while let Some((literal, after)) = rest.split_once('$') {
        parts.push(literal);
        rest = match after.strip_prefix('{') {
            Some(braced) => braced.split_once('}').map_or("", |(_, after)| after),
            None => after.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_'),
        };
    }
    parts.push(rest);
    parts
}

fn discover_dir(dir: &Path, found: &mut Discovery) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            found
                .errors
                .push(format!("{}: {}", dir.display(), describe(&e)));
            return;
        }
    };
    // (family base, age key, path)
    let mut logs: Vec<(String, Age, PathBuf)> = Vec::new();
    let entries: Vec<fs::DirEntry> = entries.flatten().collect();
    let mut folders = 0;
    let names: std::collections::HashSet<String> = entries
        .iter()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        // Follows symlinks; a dangling one is an unreadable input.
        match fs::metadata(&path) {
            Ok(m) if m.is_file() => {}
            Ok(m) if m.is_dir() => {
                folders += 1;
                continue;
            }
            // FIFOs, sockets and devices would block or never end.
            Ok(_) => {
                found.ignored.push(path);
                continue;
            }
            Err(e) => {
                found
                    .errors
                    .push(format!("{}: {}", path.display(), describe(&e)));
                continue;
            }
        }
        let (base, age) = split_rotation(&name);
        if let Some(what) = not_a_request_log(&base) {
            found
                .notes
                .push(format!("{}: {what}: skipped", path.display()));
            found.ignored.push(path);
        } else if is_log_name(&base) || names.contains(&format!("{base}-bytes_log")) {
            // cPanel names a domain's access log after the domain alone,
            // beside its `-bytes_log`.
            logs.push((base, age, path));
        } else {
            found.ignored.push(path);
        }
    }
    if logs.is_empty() && folders > 0 {
        found.notes.push(format!(
            "{}: no log here, only {folders} folder{} (folders are not searched: name them)",
            dir.display(),
            if folders == 1 { "" } else { "s" }
        ));
    }
    logs.sort_by(|a, b| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)));
    let sources = logs.into_iter().map(|(_, _, p)| Source::file(p)).collect();
    let kept = skip_behind_proxy(sources, found);
    found.sources.extend(kept);
}

/// `sources` without Plesk's Apache logs behind its nginx proxy (see
/// [`behind_proxy`]), each family left out said in a note.
fn skip_behind_proxy(sources: Vec<Source>, found: &mut Discovery) -> Vec<Source> {
    // (directory, family base) of each source.
    let family = |s: &Source| -> Option<(PathBuf, String)> {
        let path = s.path.as_ref()?;
        let name = path.file_name()?.to_string_lossy();
        Some((path.parent()?.to_path_buf(), split_rotation(&name).0))
    };
    let proxied: std::collections::HashSet<(PathBuf, String)> = sources
        .iter()
        .filter(|s| {
            s.path
                .as_ref()
                .is_some_and(|p| fs::metadata(p).is_ok_and(|m| m.len() > 0))
        })
        .filter_map(family)
        .filter(|(_, base)| base.starts_with("proxy_"))
        .collect();
    let mut skipped: std::collections::BTreeMap<(PathBuf, String), Vec<PathBuf>> =
        Default::default();
    let mut kept = Vec::with_capacity(sources.len());
    for source in sources {
        match (family(&source), &source.path) {
            (Some((dir, base)), Some(path)) if behind_proxy(&dir, &base, &proxied) => {
                skipped.entry((dir, base)).or_default().push(path.clone());
            }
            _ => kept.push(source),
        }
    }
    for ((dir, base), paths) in skipped {
        let older = match paths.len() {
            0 | 1 => String::new(),
            2 => " and its older file".into(),
            n => format!(" and its {} older files", n - 1),
        };
        found.notes.push(format!(
            "{}{older}: Plesk's Apache log behind its nginx proxy, the same requests as \
             proxy_{base}: skipped (name it to read it)",
            dir.join(&base).display()
        ));
        found.ignored.extend(paths);
    }
    kept
}

/// A rotated file's place in its family; sorts oldest first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Age {
    /// Plesk's `access_log.processed.N` (higher N is older), then
    /// `access_log.processed` (0): lines its statistics run moved out of
    /// the live file, each day.
    Processed(Reverse<u64>),
    /// `access.log.N`: higher N is older.
    Numbered(Reverse<u64>),
    /// `access.log-20260507`: earlier date is older.
    Dated(String),
    /// `access.log`: the live file.
    Current,
}

/// The rotated copies of the live file `path` beside it (`NAME.1`,
/// `NAME.2.gz`, `NAME-20261201`, …), in no order; empty when its directory
/// cannot be listed.
pub fn rotated_copies(path: &Path) -> Vec<PathBuf> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name().to_str().is_some_and(|other| {
                other.len() > name.len() && other.starts_with(name) && {
                    let (base, age) = split_rotation(other);
                    base == name && age != Age::Current
                }
            })
        })
        .map(|e| e.path())
        .collect()
}

/// The live file of the family the rotated file `path` is in
/// (`access.log` for `access.log.2.gz`); `None` for a live file.
pub fn live_name(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let (base, age) = split_rotation(name);
    (age != Age::Current).then(|| path.with_file_name(base))
}

/// Splits a file name into its family base and its age:
/// `access.log.2.gz` → (`access.log`, Numbered(2)),
/// `access_log.processed.1.gz` → (`access_log`, Processed(1)).
fn split_rotation(name: &str) -> (String, Age) {
    let (base, age) = split_numbered(name);
    let processed = |n| match age {
        Age::Numbered(n) => Age::Processed(n),
        _ => Age::Processed(Reverse(n)),
    };
    match strip_suffix_ci(&base, ".processed") {
        Some(b) if matches!(age, Age::Numbered(_) | Age::Current) => (b.to_string(), processed(0)),
        _ => (base, age),
    }
}

/// [`split_rotation`] without Plesk's `.processed`.
fn split_numbered(name: &str) -> (String, Age) {
    let mut base = name;
    for ext in [".gz", ".bz2", ".xz", ".zst", ".lz4", ".z"] {
        if let Some(b) = strip_suffix_ci(base, ext) {
            base = b;
            break;
        }
    }
    if let Some((b, n)) = base.rsplit_once('.') {
        if !n.is_empty() && n.len() <= 4 && n.bytes().all(|c| c.is_ascii_digit()) {
            return (
                b.to_string(),
                Age::Numbered(Reverse(n.parse().unwrap_or(0))),
            );
        }
    }
    if let Some((b, date)) = split_date_suffix(base) {
        return (b.to_string(), Age::Dated(date));
    }
    (base.to_string(), Age::Current)
}

/// `access.log-20260507`, `access.log-2026050712`, `access.log.2026-05-07`
/// → (`access.log`, `20260507…`).
fn split_date_suffix(name: &str) -> Option<(&str, String)> {
    // Digits and dashes are ASCII, so the byte after the last other byte
    // starts a character.
    let start = name
        .bytes()
        .rposition(|b| !(b.is_ascii_digit() || b == b'-'))?
        + 1;
    let mut date = name.get(start..)?;
    let mut base = name.get(..start)?;
    match base.chars().next_back() {
        // `access.log.20260507`, `access.log_20260507`: drop the separator.
        Some('.' | '_') => base = &base[..base.len() - 1],
        // `access.log-20260507`: the dash is in `date`.
        _ => date = date.strip_prefix('-')?,
    }
    let digits: String = date.chars().filter(|c| *c != '-').collect();
    let dashed_ok = !date.contains('-')
        || (date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-');
    ((8..=14).contains(&digits.len()) && dashed_ok && !base.is_empty()).then_some((base, digits))
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    (s.is_char_boundary(cut) && s[cut..].eq_ignore_ascii_case(suffix)).then(|| &s[..cut])
}

/// What a log that holds no requests of its own is, by its hosting
/// panel's name for it: cPanel's `DOMAIN-bytes_log` and `DOMAIN-ftp_log`,
/// Plesk's `access_log.stat` and `access_log.webstat` (the copies its
/// statistics run reads, lines of the access logs beside them).
fn not_a_request_log(base: &str) -> Option<&'static str> {
    let b = base.to_ascii_lowercase();
    if b.ends_with("-bytes_log") {
        Some("a cPanel bandwidth log, not an access log")
    } else if b.ends_with("-ftp_log") {
        Some("a cPanel FTP transfer log, not an access log")
    } else if b.ends_with("_log.stat") || b.ends_with("_log.webstat") {
        Some("a Plesk statistics copy of the access logs beside it")
    } else {
        None
    }
}

/// Plesk's Apache access logs behind its nginx proxy: the same requests
/// as the nginx log beside them (`proxy_access_log`), which is what
/// clients saw. Reading both would count each request twice.
fn behind_proxy(
    dir: &Path,
    base: &str,
    proxied: &std::collections::HashSet<(PathBuf, String)>,
) -> bool {
    matches!(base, "access_log" | "access_ssl_log")
        && proxied.contains(&(dir.to_path_buf(), format!("proxy_{base}")))
}

/// Whether a family base name is a log's: `*.log`, `*_log`, or one that
/// says `access` or `error`.
fn is_log_name(base: &str) -> bool {
    let b = base.to_ascii_lowercase();
    b.ends_with(".log") || b.ends_with("_log") || b.contains("access") || b.contains("error")
}

/// An I/O error in words a user acts on.
pub fn describe(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or directory".into(),
        PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_names_with_variables() {
        assert!(names_match("access.log", "access.log"));
        assert!(names_match(
            "$host.access.log",
            "shop.example.com.access.log"
        ));
        assert!(names_match("${host}_access.log", "shop_access.log"));
        assert!(!names_match("${host}_access.log", "error.log"));
        assert!(!names_match("$host.access.log", ".access.log"));
        assert!(!names_match("access.log", "error.log"));
        assert!(names_match("$a-$b.log", "x-y.log"));
        assert!(!names_match("$a-$b.log", "-y.log"));
        assert!(!names_match("$a-$b.log", "x-.log"));
        // Many variables stay linear.
        let many = "$a".repeat(40) + ".log";
        assert!(!names_match(&many, &("x".repeat(39) + ".log")));
        assert!(names_match(&many, &("x".repeat(400) + ".log")));
    }

    #[test]
    fn configured_directories_with_variables() {
        let root = std::env::temp_dir().join(format!("fiveohone-dirs-{}", std::process::id()));
        for host in ["shop.example.com", "api.example.com"] {
            fs::create_dir_all(root.join(host)).unwrap();
            fs::write(root.join(host).join("access.log"), "x\n").unwrap();
            fs::write(root.join(host).join("access.log.1"), "x\n").unwrap();
        }
        fs::write(root.join("not-a-dir"), "x\n").unwrap();
        let log = |path: PathBuf| Configured {
            path,
            format: Some(0),
            origin: "nginx.conf:3".into(),
        };
        let found = discover_configured(&[log(root.join("$host").join("access.log"))]);
        let names: Vec<String> = found
            .sources
            .iter()
            .map(|s| {
                let p = s.path.as_ref().unwrap().strip_prefix(&root).unwrap();
                p.display().to_string()
            })
            .collect();
        assert_eq!(
            names,
            [
                "api.example.com/access.log.1",
                "api.example.com/access.log",
                "shop.example.com/access.log.1",
                "shop.example.com/access.log"
            ]
        );
        assert!(found.sources.iter().all(|s| s.format == Some(0)));
        let none = discover_configured(&[log(root.join("$host/logs").join("access.log"))]);
        assert!(none.sources.is_empty() && none.errors.is_empty());
        assert_eq!(none.notes.len(), 1, "{:?}", none.notes);
        // A directory to list that is not there is said, not a note.
        let gone = discover_configured(&[log(root.join("gone/$host").join("access.log"))]);
        assert!(gone.notes.is_empty(), "{:?}", gone.notes);
        assert!(
            gone.errors[0].ends_with("gone: no such file or directory"),
            "{:?}",
            gone.errors
        );
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn rotation_names() {
        assert_eq!(
            split_rotation("access.log"),
            ("access.log".into(), Age::Current)
        );
        assert_eq!(
            split_rotation("access.log.1"),
            ("access.log".into(), Age::Numbered(Reverse(1)))
        );
        assert_eq!(
            split_rotation("access.log.12.gz"),
            ("access.log".into(), Age::Numbered(Reverse(12)))
        );
        assert_eq!(
            split_rotation("access.log-20260507.gz"),
            ("access.log".into(), Age::Dated("20260507".into()))
        );
        assert_eq!(
            split_rotation("access.log-2026-05-07"),
            ("access.log".into(), Age::Dated("20260507".into()))
        );
        assert_eq!(
            split_rotation("other_vhosts_access.log"),
            ("other_vhosts_access.log".into(), Age::Current)
        );
        assert_eq!(
            split_rotation("error_log.3"),
            ("error_log".into(), Age::Numbered(Reverse(3)))
        );
        assert_eq!(
            split_rotation("access_log.processed.2.gz"),
            ("access_log".into(), Age::Processed(Reverse(2)))
        );
        assert_eq!(
            split_rotation("access_ssl_log.processed"),
            ("access_ssl_log".into(), Age::Processed(Reverse(0)))
        );
        let mut plesk = [
            "access_log",
            "access_log.processed",
            "access_log.processed.1.gz",
        ]
        .map(|n| split_rotation(n).1);
        plesk.sort();
        assert_eq!(
            plesk,
            [
                Age::Processed(Reverse(1)),
                Age::Processed(Reverse(0)),
                Age::Current
            ]
        );
    }

    #[test]
    fn family_order_is_oldest_first() {
        let mut v = vec![
            split_rotation("access.log"),
            split_rotation("access.log.1"),
            split_rotation("access.log.10.gz"),
            split_rotation("access.log.2.gz"),
        ];
        v.sort();
        let ages: Vec<_> = v.into_iter().map(|(_, a)| a).collect();
        assert_eq!(
            ages,
            vec![
                Age::Numbered(Reverse(10)),
                Age::Numbered(Reverse(2)),
                Age::Numbered(Reverse(1)),
                Age::Current
            ]
        );
    }

    #[test]
    fn log_names() {
        for yes in [
            "access.log",
            "error.log",
            "other_vhosts_access.log",
            "access_log",
            "ssl_error_log",
            "site.log",
        ] {
            assert!(is_log_name(yes), "{yes}");
        }
        for no in ["README", "nginx.conf", "notes.txt"] {
            assert!(!is_log_name(no), "{no}");
        }
    }
}
