//! Where configuration files come from (the disk, or `nginx -T` output),
//! shell-style globs over them, and the include stack that stops loops.

use std::fs;
use std::path::{Path, PathBuf};

use super::{ConfError, Loc};

/// How deep includes (and directory walks) may nest.
pub(super) const MAX_DEPTH: usize = 32;

/// A set of configuration files.
pub(super) trait Files {
    /// The text of the file at `path`.
    fn read(&self, path: &Path) -> Result<String, String>;
    /// The files and directories matching `pattern` (`*`, `?`, `[…]` in any
    /// component; a leading `.` only matched by a leading `.`), sorted; a
    /// pattern without wildcards yields its path if it exists.
    fn glob(&self, pattern: &Path) -> Vec<PathBuf>;
    /// The files under `dir`, recursively and sorted; `None` when `dir` is
    /// not a directory.
    fn files_under(&self, dir: &Path) -> Option<Vec<PathBuf>>;
    /// The name that identifies `path` for loop detection.
    fn canonical(&self, path: &Path) -> PathBuf;
}

/// Whether a pattern has shell wildcards.
pub(super) fn has_wildcard(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

/// The file system.
pub(super) struct Disk;

impl Files for Disk {
    fn read(&self, path: &Path) -> Result<String, String> {
        fs::read(path)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(|e| e.to_string())
    }

    fn glob(&self, pattern: &Path) -> Vec<PathBuf> {
        let mut found = vec![PathBuf::new()];
        for part in pattern.components() {
            let part = part.as_os_str();
            found = match part.to_str().filter(|s| has_wildcard(s)) {
                Some(pat) => found.iter().flat_map(|dir| entries(dir, pat)).collect(),
                None => found.into_iter().map(|p| p.join(part)).collect(),
            };
        }
        found.retain(|p| p.exists());
        found
    }

    fn files_under(&self, dir: &Path) -> Option<Vec<PathBuf>> {
        dir.is_dir().then(|| walk(dir, 0))
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    }
}

/// The entries of `dir` whose names match `pattern`, sorted.
fn entries(dir: &Path, pattern: &str) -> Vec<PathBuf> {
    let listed = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(read) = fs::read_dir(listed) else {
        return Vec::new();
    };
    let mut names: Vec<String> = read
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| glob_match(pattern, name))
        .collect();
    names.sort();
    names.iter().map(|name| dir.join(name)).collect()
}

/// The files under `dir`, sorted, to `MAX_DEPTH` levels.
fn walk(dir: &Path, depth: usize) -> Vec<PathBuf> {
    let Ok(read) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = read.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path);
        } else if depth < MAX_DEPTH {
            files.extend(walk(&path, depth + 1));
        }
    }
    files
}

/// Files held in memory: the sections of `nginx -T` output.
pub(super) struct Memory {
    files: Vec<(PathBuf, String)>,
}

impl Memory {
    /// Cuts `nginx -T` output into its `# configuration file PATH:`
    /// sections; `None` when there is none. Lines before the first (nginx's
    /// "syntax is ok" messages) are dropped.
    pub(super) fn from_dump(text: &str) -> Option<Memory> {
        let mut files: Vec<(PathBuf, String)> = Vec::new();
        for line in text.split_inclusive('\n') {
            let header = line
                .trim_end_matches(['\n', '\r'])
                .strip_prefix("# configuration file ")
                .and_then(|rest| rest.strip_suffix(':'));
            match (header, files.last_mut()) {
                (Some(name), _) => files.push((name.into(), String::new())),
                (None, Some((_, body))) => body.push_str(line),
                (None, None) => {}
            }
        }
        (!files.is_empty()).then_some(Memory { files })
    }

    /// Files given as (path, text).
    #[cfg(test)]
    pub(super) fn new(files: &[(&str, &str)]) -> Memory {
        let files = files
            .iter()
            .map(|(path, text)| (PathBuf::from(path), text.to_string()))
            .collect();
        Memory { files }
    }

    /// The first file: the main configuration in `nginx -T` output.
    pub(super) fn first(&self) -> Option<&Path> {
        self.files.first().map(|(path, _)| path.as_path())
    }
}

impl Files for Memory {
    fn read(&self, path: &Path) -> Result<String, String> {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, text)| text.clone())
            .ok_or_else(|| "no such file".to_string())
    }

    fn glob(&self, pattern: &Path) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = self
            .files
            .iter()
            .flat_map(|(path, _)| path.ancestors())
            .filter(|path| path_matches(pattern, path))
            .map(Path::to_path_buf)
            .collect();
        found.sort();
        found.dedup();
        found
    }

    fn files_under(&self, dir: &Path) -> Option<Vec<PathBuf>> {
        let mut found: Vec<PathBuf> = self
            .files
            .iter()
            .map(|(path, _)| path)
            .filter(|path| path.starts_with(dir) && *path != dir)
            .cloned()
            .collect();
        found.sort();
        (!found.is_empty()).then_some(found)
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }
}

/// Whether `path` matches `pattern` component by component.
fn path_matches(pattern: &Path, path: &Path) -> bool {
    let (mut pattern, mut path) = (pattern.components(), path.components());
    loop {
        match (pattern.next(), path.next()) {
            (None, None) => return true,
            (Some(p), Some(n)) => {
                let (p, n) = (
                    p.as_os_str().to_string_lossy(),
                    n.as_os_str().to_string_lossy(),
                );
                if p != n && !(has_wildcard(&p) && glob_match(&p, &n)) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Whether a file name matches a shell pattern: `*`, `?`, `[abc]`,
/// `[a-z]`, `[!…]` / `[^…]`; a leading `.` must be matched by a `.`.
pub(super) fn glob_match(pattern: &str, name: &str) -> bool {
    if name.starts_with('.') && !pattern.starts_with('.') {
        return false;
    }
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni) = (0, 0);
    // Where the last `*` was, and how much of the name it has taken.
    let mut star: Option<(usize, usize)> = None;
    while let Some(&c) = n.get(ni) {
        let rest = p.get(pi..).unwrap_or_default();
        if rest.first() == Some(&'*') {
            star = Some((pi + 1, ni));
            pi += 1;
        } else if let Some(len) = step(rest, c) {
            pi += len;
            ni += 1;
        } else if let Some((after, taken)) = star {
            star = Some((after, taken + 1));
            pi = after;
            ni = taken + 1;
        } else {
            return false;
        }
    }
    p.get(pi..).unwrap_or_default().iter().all(|&c| c == '*')
}

/// How much of `pattern` matches `c` at its start, if it does.
fn step(pattern: &[char], c: char) -> Option<usize> {
    match pattern.first()? {
        '?' => Some(1),
        '[' => match class(pattern, c) {
            Some((matched, len)) => matched.then_some(len),
            None => (c == '[').then_some(1),
        },
        &lit => (lit == c).then_some(1),
    }
}

/// A `[…]` class at the start of `pattern`: whether `c` is in it, and its
/// length; `None` when it is not closed.
fn class(pattern: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negated = matches!(pattern.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let &here = pattern.get(i)?;
        if here == ']' && !first {
            return Some((matched != negated, i + 1));
        }
        first = false;
        match (pattern.get(i + 1), pattern.get(i + 2)) {
            (Some('-'), Some(&high)) if high != ']' => {
                matched |= here <= c && c <= high;
                i += 3;
            }
            _ => {
                matched |= here == c;
                i += 1;
            }
        }
    }
}

/// The files being read, outermost first: stops include loops and bounds
/// include depth.
#[derive(Default)]
pub(super) struct Stack(Vec<PathBuf>);

impl Stack {
    /// Enters `path` (its canonical name), included from `from`.
    fn enter(&mut self, path: PathBuf, from: Option<&Loc>) -> Result<(), ConfError> {
        let fail = |message: String| match from {
            Some(at) => at.error(message),
            None => ConfError {
                file: path.clone(),
                line: None,
                message,
            },
        };
        if self.0.contains(&path) {
            let chain: Vec<String> = self
                .0
                .iter()
                .skip_while(|p| **p != path)
                .chain([&path])
                .map(|p| p.display().to_string())
                .collect();
            return Err(fail(format!("include loop: {}", chain.join(" -> "))));
        }
        if self.0.len() >= MAX_DEPTH {
            return Err(fail(format!(
                "includes nested deeper than {MAX_DEPTH} files, at {}",
                path.display()
            )));
        }
        self.0.push(path);
        Ok(())
    }

    /// Enters `path`, included from `from`, and reads it.
    pub(super) fn open(
        &mut self,
        files: &impl Files,
        path: &Path,
        from: Option<&Loc>,
    ) -> Result<String, ConfError> {
        self.enter(files.canonical(path), from)?;
        files.read(path).map_err(|e| match from {
            Some(at) => at.error(format!("cannot read {}: {e}", path.display())),
            None => ConfError {
                file: path.to_path_buf(),
                line: None,
                message: format!("cannot read: {e}"),
            },
        })
    }

    /// Leaves the innermost file.
    pub(super) fn leave(&mut self) {
        self.0.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_the_shell() {
        assert!(glob_match("*.conf", "default.conf"));
        assert!(glob_match("*", "example.com"));
        assert!(!glob_match("*", ".hidden"));
        assert!(glob_match(".*", ".hidden"));
        assert!(!glob_match("*.conf", "default.conf.bak"));
        assert!(glob_match("*.conf*", "default.conf.bak"));
        assert!(glob_match("0??-*.conf", "000-default.conf"));
        assert!(glob_match("[0-9]*", "000-default.conf"));
        assert!(!glob_match("[!0-9]*", "000-default.conf"));
        assert!(glob_match("[^a]b", "cb"));
        assert!(glob_match("[]]", "]"));
        assert!(glob_match("a[", "a["));
        assert!(glob_match(
            "*a*a*a*b",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"
        ));
        assert!(!glob_match(
            "*a*a*a*b",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        ));
        assert!(glob_match("", ""));
        assert!(!glob_match("", "a"));
    }

    #[test]
    fn dumps_are_cut_into_files() {
        let text = "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n\
                    # configuration file /etc/nginx/nginx.conf:\nhttp {\n}\n\n\
                    # configuration file /etc/nginx/conf.d/a.conf:\r\nserver {}\n";
        let dump = Memory::from_dump(text).unwrap();
        assert_eq!(dump.first(), Some(Path::new("/etc/nginx/nginx.conf")));
        assert_eq!(
            dump.read(Path::new("/etc/nginx/nginx.conf")).unwrap(),
            "http {\n}\n\n"
        );
        assert_eq!(
            dump.glob(Path::new("/etc/nginx/conf.d/*.conf")),
            [PathBuf::from("/etc/nginx/conf.d/a.conf")]
        );
        assert_eq!(
            dump.glob(Path::new("/etc/nginx/conf.d")),
            [PathBuf::from("/etc/nginx/conf.d")]
        );
        assert!(dump
            .glob(Path::new("/etc/nginx/sites-enabled/*"))
            .is_empty());
        assert!(Memory::from_dump("nginx: [emerg] unknown directive").is_none());
    }

    #[test]
    fn the_disk_is_globbed_in_order() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/conf/nginx");
        let found = Disk.glob(&dir.join("sites-enabled/*"));
        let names: Vec<_> = found.iter().filter_map(|p| p.file_name()).collect();
        assert_eq!(names, ["default", "example.com", "static.example.org"]);
        assert_eq!(Disk.glob(&dir.join("nginx.conf")), [dir.join("nginx.conf")]);
        assert!(Disk.glob(&dir.join("nope.conf")).is_empty());
        assert!(Disk.files_under(&dir.join("nginx.conf")).is_none());
        let under = Disk.files_under(&dir.join("conf.d")).unwrap();
        assert_eq!(under, [dir.join("conf.d/log-formats.conf")]);
    }

    #[test]
    fn the_stack_stops_loops_and_depth() {
        let mut stack = Stack::default();
        stack.enter("/a".into(), None).unwrap();
        stack.enter("/b".into(), None).unwrap();
        let e = stack.enter("/a".into(), None).unwrap_err();
        assert_eq!(e.message, "include loop: /a -> /b -> /a");
        for i in 2..MAX_DEPTH {
            stack.enter(format!("/{i}").into(), None).unwrap();
        }
        let e = stack.enter("/last".into(), None).unwrap_err();
        assert_eq!(e.message, "includes nested deeper than 32 files, at /last");
    }
}
