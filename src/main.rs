//! The `fiveohone` command: argument parsing and wiring only.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;

use fiveohone::aggregate::Settings;
use fiveohone::detect::{self, scenario, Deploy, Detection};
use fiveohone::grammar::{self, builtin};
use fiveohone::input;
use fiveohone::pipeline::{self, FormatChoice, Options};
use fiveohone::report::output::{self, Output, Outputs};
use fiveohone::report::terminal::printable;
use fiveohone::report::text::{self, ColorChoice, Screen};
use fiveohone::report::Report;
use fiveohone::serverconf;
use fiveohone::status::StatusSet;
use fiveohone::timefmt;

/// Finds and explains 501 Not Implemented (or any status) in Nginx and
/// Apache access logs: by method, route and time window.
#[derive(Debug, Parser)]
#[command(
    name = "fiveohone",
    version,
    after_help = "Exit status: 0 all inputs read; 1 some input (or part of one) could not be read; \
                  2 usage error (bad option, bad --log-format, no input).\n\n\
                  Examples:\n  fiveohone /var/log/nginx\n  fiveohone access.log access.log.2.gz --status 5xx --window 1m\n  \
                  zcat old.gz | fiveohone -\n  fiveohone --follow /var/log/nginx\n  \
                  fiveohone --log-format '$remote_addr [$time_local] \"$request\" $status' app.log"
)]
struct Cli {
    /// Log files or directories; `-` reads stdin. Without any: the logs the
    /// server configs in /etc name, else /var/log/nginx, /var/log/apache2
    /// and /var/log/httpd, where present.
    paths: Vec<PathBuf>,

    /// Access-log format: `auto` (detected per file) or a built-in grammar
    /// name (see --list-formats).
    #[arg(short, long, default_value = "auto", value_name = "NAME")]
    format: String,

    /// A format pasted from the server config: an nginx `log_format` or
    /// Apache `LogFormat` string, or the whole directive.
    #[arg(long, value_name = "FORMAT", conflicts_with = "format")]
    log_format: Option<String>,

    /// Read the logs nginx's configuration names, each with its own
    /// `log_format`: `nginx.conf` (its `include`s followed), or `-` for
    /// `nginx -T` output on stdin. Without paths or this option,
    /// /etc/nginx/nginx.conf is read when it exists.
    #[arg(long, value_name = "FILE")]
    nginx_conf: Option<PathBuf>,

    /// Read the logs Apache's configuration names, each with its own
    /// `LogFormat`: `apache2.conf` or `httpd.conf` (its `Include`s
    /// followed). Without paths or this option, /etc/apache2/apache2.conf
    /// or /etc/httpd/conf/httpd.conf is read when it exists.
    #[arg(long, value_name = "FILE")]
    apache_conf: Option<PathBuf>,

    /// Statuses to look for: codes, classes and ranges, e.g. `501`, `501,502`,
    /// `5xx`, `500-504`.
    #[arg(short, long, default_value = "501", value_name = "SET")]
    status: StatusSet,

    /// Window length for the timeline: `30s`, `5m`, `1h`, `1d`.
    #[arg(short, long, default_value = "5m", value_name = "DURATION", value_parser = timefmt::parse_duration)]
    window: i64,

    /// Count only requests at or after this time (RFC 3339, or
    /// `YYYY-MM-DD[ HH:MM[:SS]]` in UTC).
    #[arg(long, value_name = "TIME", value_parser = timefmt::parse_instant)]
    since: Option<i64>,

    /// Count only requests before this time (same forms as --since).
    #[arg(long, value_name = "TIME", value_parser = timefmt::parse_instant)]
    until: Option<i64>,

    /// Zone of error-log times (they carry none) when no access log beside
    /// them tells it: an offset like `+0200` or an IANA name like
    /// `Europe/Berlin`. Default: UTC.
    #[arg(long, value_name = "ZONE", value_parser = timefmt::Zone::parse)]
    tz: Option<timefmt::Zone>,

    /// Burst detection sensitivity, 1 (only stark bursts) to 10 (faint ones).
    #[arg(long, default_value_t = 5.0, value_name = "1-10", value_parser = sensitivity)]
    sensitivity: f64,

    /// A deploy time (repeatable): bursts right after it point at it.
    /// RFC 3339 or `YYYY-MM-DD HH:MM[:SS]` (UTC).
    #[arg(long = "deploy", value_name = "TIME", value_parser = timefmt::parse_instant)]
    deploys: Vec<i64>,

    /// Write what was counted to FILE (`-`: stdout), a counters file that
    /// `--counters-in` merges on another machine; the terminal report is
    /// then left out (`--json`, `--csv` and `--html` still write theirs).
    #[arg(long, value_name = "FILE", conflicts_with = "follow")]
    counters_out: Option<PathBuf>,

    /// Read counters files (written by `--counters-out`, `-`: stdin)
    /// instead of logs, merge them (with the logs named beside them, if
    /// any) and report as one run over all their logs. Repeatable.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["follow", "counters_out"])]
    counters_in: Vec<PathBuf>,

    /// A file of deploy times, one per line (as `git log --format=%cI`
    /// writes them); `#` lines and blank lines are skipped.
    #[arg(long = "deploys", value_name = "FILE")]
    deploys_file: Option<PathBuf>,

    /// Scenario definitions to add to the built-in ones (a scenario with a
    /// built-in's name replaces it); format in the README.
    #[arg(long, value_name = "FILE")]
    scenarios: Option<PathBuf>,

    /// Worker threads; 0 is one per core.
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    threads: usize,

    /// Follow the logs: read what is there, then report bursts as they start,
    /// grow and end while the servers append (through rotation); on SIGINT
    /// or SIGTERM, print the report of the whole period and exit.
    #[arg(long)]
    follow: bool,

    /// With --follow: look at the files every DURATION (`250ms`, `2s`)
    /// instead of waiting for file-system notifications.
    #[arg(long, value_name = "DURATION", value_parser = interval)]
    poll: Option<Duration>,

    /// With --follow: close the current window after this long without a
    /// new line, so a burst at the end of traffic is still reported.
    #[arg(long, default_value = "30s", value_name = "DURATION", value_parser = interval)]
    idle: Duration,

    /// With --follow: run CMD (with `sh -c`) for each burst event, the
    /// event's JSON on its stdin and FIVEOHONE_EVENT/FIVEOHONE_SCENARIO in
    /// its environment; one at a time, never blocking the tail.
    #[arg(long, value_name = "CMD", requires = "follow")]
    on_event: Option<String>,

    /// With --follow: save what was counted and announced to FILE (often,
    /// atomically), and go on from it after a restart, a crash or a reboot.
    /// Under systemd with StateDirectory=, $STATE_DIRECTORY/fiveohone.state
    /// by default.
    #[arg(long, value_name = "FILE", requires = "follow")]
    state: Option<PathBuf>,

    /// With --follow: serve Prometheus metrics at http://ADDR/metrics
    /// (`127.0.0.1:9501`; port 0 picks one, said on stderr).
    #[arg(long, value_name = "ADDR", requires = "follow")]
    metrics: Option<String>,

    /// With --on-event: kill a command still running after DURATION.
    #[arg(long, default_value = "10s", value_name = "DURATION", value_parser = interval)]
    on_event_timeout: Duration,

    /// Write the report as one JSON object on stdout instead of tables.
    #[arg(long)]
    json: bool,

    /// Also write the report as one self-contained HTML page to FILE (no
    /// network, light and dark, phone width).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,

    /// Also write summary.csv, files.csv, groups.csv, windows.csv,
    /// events.csv and bursts.csv into DIR.
    #[arg(long, value_name = "DIR")]
    csv: Option<PathBuf>,

    /// How many method/route groups the table shows.
    #[arg(long, default_value_t = 20, value_name = "N")]
    top: usize,

    /// No progress line on stderr (it is shown only on a terminal, for runs
    /// longer than a second).
    #[arg(short = 'q', long)]
    quiet: bool,

    /// Colour the terminal report: `auto` (on a terminal, unless NO_COLOR
    /// is set), `always` or `never`. JSON and CSV are never coloured.
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    color: Color,

    /// List the built-in formats and exit.
    #[arg(long)]
    list_formats: bool,

    /// Print the shell completion script for SHELL (bash, zsh, fish,
    /// elvish, powershell) and exit.
    #[arg(long, value_name = "SHELL")]
    completions: Option<clap_complete::Shell>,

    /// Print the man page (roff) and exit.
    #[arg(long)]
    man: bool,
}

/// A duration such as `250ms`, `1s` or `2m`.
fn interval(s: &str) -> Result<Duration, String> {
    if let Some(ms) = s.strip_suffix("ms") {
        return match ms.parse::<u64>() {
            Ok(n) if n > 0 => Ok(Duration::from_millis(n)),
            _ => Err(format!("`{s}` is not a duration like 250ms, 1s or 2m")),
        };
    }
    timefmt::parse_duration(s).map(|secs| Duration::from_secs(secs as u64))
}

fn sensitivity(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (1.0..=10.0).contains(&x) => Ok(x),
        _ => Err(format!("`{s}` is not a sensitivity from 1 to 10")),
    }
}

/// The logs the server configs name (`--nginx-conf`, `--apache-conf`, or
/// without them and without paths the usual configs in /etc), with the
/// formats they index; what the configs skip or guess goes to stderr.
fn server_configs(cli: &Cli) -> Result<(Vec<input::Configured>, Vec<FormatChoice>), String> {
    let given = cli.nginx_conf.is_some() || cli.apache_conf.is_some();
    let mut confs = Vec::new();
    if let Some(path) = &cli.nginx_conf {
        confs.push(read_nginx_conf(path).map_err(|e| format!("--nginx-conf: {e}"))?);
    }
    if let Some(path) = &cli.apache_conf {
        let conf = serverconf::read_apache(path).map_err(|e| format!("--apache-conf: {e}"))?;
        confs.push(conf);
    }
    if !given && cli.paths.is_empty() && cli.counters_in.is_empty() {
        let nginx = PathBuf::from("/etc/nginx/nginx.conf");
        confs.extend(
            nginx
                .is_file()
                .then(|| serverconf::read_nginx(&nginx).ok())
                .flatten(),
        );
        let apache = ["/etc/apache2/apache2.conf", "/etc/httpd/conf/httpd.conf"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file());
        confs.extend(apache.and_then(|p| serverconf::read_apache(&p).ok()));
    }
    let (mut logs, mut formats) = (Vec::new(), Vec::new());
    for conf in &confs {
        let (mine, theirs, notes) = pipeline::from_config(conf);
        for note in conf.notes.iter().chain(&notes) {
            eprintln!("fiveohone: {}", printable(note));
        }
        logs.extend(mine.into_iter().map(|mut log| {
            log.format = log.format.map(|i| i + formats.len());
            log
        }));
        formats.extend(theirs);
    }
    Ok((logs, formats))
}

/// `--nginx-conf FILE`, or `-`: `nginx -T` output on stdin.
fn read_nginx_conf(path: &std::path::Path) -> Result<serverconf::ServerConf, String> {
    if path.as_os_str() != "-" {
        return serverconf::read_nginx(path).map_err(|e| e.to_string());
    }
    let mut text = String::new();
    io::Read::read_to_string(&mut io::stdin(), &mut text)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    serverconf::parse_nginx_dump(&text).map_err(|e| e.to_string())
}

/// Reads `--deploys FILE`: one time per line.
fn read_deploys(path: &std::path::Path) -> Result<Vec<Deploy>, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("--deploys {}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (no, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let time = timefmt::parse_instant(line)
            .map_err(|e| format!("--deploys {}:{}: {e}", path.display(), no + 1))?;
        out.push(Deploy {
            time,
            what: format!("deploy from {}", path.display()),
        });
    }
    Ok(out)
}

/// How to read the inputs: the command line's settings, and the formats
/// of the configured logs.
fn options(cli: &Cli, format: FormatChoice, configured: Vec<FormatChoice>) -> Options {
    Options {
        settings: Settings {
            status: cli.status.clone(),
            window: cli.window,
            since: cli.since,
            until: cli.until,
        },
        format,
        configured,
        threads: cli.threads,
        tz: cli.tz.clone(),
        follow: cli.follow,
        progress: (!cli.quiet && !cli.follow && io::stderr().is_terminal())
            .then(|| Arc::new(pipeline::Progress::default())),
    }
}

/// Shows `progress` on stderr, every quarter second after the first
/// second, until dropped (the line is then cleared).
struct ProgressLine {
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ProgressLine {
    fn start(progress: Option<Arc<pipeline::Progress>>) -> ProgressLine {
        let Some(progress) = progress else {
            return ProgressLine {
                stop: None,
                thread: None,
            };
        };
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let start = std::time::Instant::now();
            let mut shown = false;
            let mut wait = Duration::from_secs(1);
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(wait) {
                let (done, total) = progress.get();
                let line = text::progress_line(done, total, start.elapsed().as_secs_f64());
                eprint!("\r\x1b[Kfiveohone: {line}");
                shown = true;
                wait = Duration::from_millis(250);
            }
            if shown {
                eprint!("\r\x1b[K");
            }
        });
        ProgressLine {
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for ProgressLine {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Reads the logs at `paths` and those the configs name, saying on stderr
/// what was skipped or noticed.
fn analyze(
    paths: &[PathBuf],
    logs: &[input::Configured],
    options: &Options,
) -> Result<pipeline::Analysis, String> {
    let discovery = input::discover_all(paths, logs);
    for note in &discovery.notes {
        eprintln!("fiveohone: {}", printable(note));
    }
    for e in &discovery.errors {
        eprintln!("fiveohone: {}", printable(e));
    }
    let shown = ProgressLine::start(options.progress.clone());
    let analysis = pipeline::analyze(discovery, options);
    drop(shown);
    analysis
}

/// `--follow`: events while following, then the report of the whole
/// period on SIGINT/SIGTERM (a second SIGINT exits at once); SIGHUP reads
/// the file list again.
fn follow(
    cli: &Cli,
    paths: &[PathBuf],
    logs: &[input::Configured],
    options: &Options,
    detection: &Detection,
) -> Result<ExitCode, String> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // A second SIGINT while stopping exits at once.
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop))
            .and_then(|_| signal_hook::flag::register(signal, Arc::clone(&stop)))
            .map_err(|e| format!("cannot handle signals: {e}"))?;
    }
    // SIGHUP (`systemctl reload`) reads the file list again; it must not
    // end the run as it would by default.
    let hangup = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGHUP, Arc::clone(&hangup))
        .map_err(|e| format!("cannot handle signals: {e}"))?;
    let settings = fiveohone::follow::Follow {
        poll: cli.poll,
        idle: cli.idle,
        state: state_file(cli),
        hangup,
    };
    let mut outputs = outputs(cli, true);
    if let Some(addr) = &cli.metrics {
        let scenarios: Vec<String> = detection.scenarios.iter().map(|s| s.name.clone()).collect();
        let status = options.settings.status.spec().to_string();
        let (metrics, bound) =
            fiveohone::follow::metrics::Metrics::serve(addr, &status, &scenarios)
                .map_err(|e| format!("--metrics {addr}: {e}"))?;
        eprintln!("fiveohone: serving metrics at http://{bound}/metrics");
        outputs.add("--metrics", Box::new(metrics));
    }
    if let Some(command) = &cli.on_event {
        let hook = fiveohone::follow::hook::Hook::new(command.clone(), cli.on_event_timeout);
        outputs.add("--on-event", Box::new(hook));
    }
    let (analysis, verdict) = fiveohone::follow::run(
        paths,
        logs,
        options,
        detection,
        &settings,
        &stop,
        &mut outputs,
    )?;
    let report = Report::new(&analysis, verdict);
    written(outputs.report(&report))?;
    Ok(ExitCode::SUCCESS)
}

/// `--state`, or under systemd's `StateDirectory=` (`$STATE_DIRECTORY`)
/// when running as a service.
fn state_file(cli: &Cli) -> Option<PathBuf> {
    cli.state.clone().or_else(|| {
        let dir = std::env::var_os("STATE_DIRECTORY")?;
        // Several directories are separated by colons: the first.
        let first = std::env::split_paths(&dir).next()?;
        Some(first.join("fiveohone.state"))
    })
}

/// Refuses, before any reading, a `--csv` directory that is a file or an
/// `--html` page that is a directory: live mode would otherwise fail at
/// every window.
fn check_outputs(cli: &Cli) -> Result<(), String> {
    if let Some(dir) = cli.csv.as_ref().filter(|d| d.exists() && !d.is_dir()) {
        return Err(format!(
            "--csv {}: a file, not a directory (the six CSV files go in a directory)",
            dir.display()
        ));
    }
    if let Some(page) = cli.html.as_ref().filter(|p| p.is_dir()) {
        return Err(format!(
            "--html {}: a directory, not a file",
            page.display()
        ));
    }
    Ok(())
}

/// Where the results go: the CSV files and the HTML page if asked, then
/// stdout (JSON, on one line in live mode after the events, or the
/// terminal report).
fn outputs(cli: &Cli, live: bool) -> Outputs {
    let mut all = Outputs::default();
    if let Some(dir) = &cli.csv {
        all.add("--csv", Box::new(output::Csv { dir: dir.clone() }));
    }
    if let Some(path) = &cli.html {
        all.add("--html", Box::new(output::Html { path: path.clone() }));
    }
    // A counters file replaces the terminal report.
    if cli.counters_out.is_some() && !cli.json {
        return all;
    }
    let stdout: Box<dyn Output> = if cli.json {
        Box::new(output::Json {
            out: io::stdout(),
            one_line: live,
        })
    } else {
        Box::new(output::Text {
            out: io::stdout(),
            screen: Screen::detect(cli.color.into(), cli.top),
        })
    };
    all.add("cannot write the report", stdout);
    all
}

/// The outcome of writing the report: a closed pipe (`| head`) is not an
/// error worth a message.
fn written(result: io::Result<()>) -> Result<(), String> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e.to_string()),
        Ok(()) => Ok(()),
    }
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

impl From<Color> for ColorChoice {
    fn from(c: Color) -> ColorChoice {
        match c {
            Color::Auto => ColorChoice::Auto,
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("fiveohone: {}", printable(&message));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    if let Some(shell) = cli.completions {
        let mut cmd = <Cli as clap::CommandFactory>::command();
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut cmd, "fiveohone", &mut script);
        written(io::stdout().write_all(&script))?;
        return Ok(ExitCode::SUCCESS);
    }
    if cli.man {
        let mut page = Vec::new();
        clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
            .render(&mut page)
            .map_err(|e| format!("cannot write the man page: {e}"))?;
        written(io::stdout().write_all(&page))?;
        return Ok(ExitCode::SUCCESS);
    }
    if cli.list_formats {
        let mut out = io::stdout().lock();
        for g in builtin::all() {
            let _ = writeln!(out, "{:<24} {}", g.name(), g.format());
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let (Some(s), Some(u)) = (cli.since, cli.until) {
        if s >= u {
            return Err("--since must be before --until".into());
        }
    }
    let format = match (&cli.log_format, cli.format.as_str()) {
        (Some(text), _) => FormatChoice::Fixed(
            grammar::compile("custom", text).map_err(|e| format!("--log-format: {e}"))?,
        ),
        (None, "auto") => FormatChoice::Auto,
        (None, name) => FormatChoice::Fixed(builtin::by_name(name).cloned().ok_or_else(|| {
            format!(
                "unknown format `{name}`; built-in formats: auto, {}",
                builtin::names().join(", ")
            )
        })?),
    };
    check_outputs(&cli)?;
    let (logs, formats) = server_configs(&cli)?;
    let found = input::discover_configured(&logs);
    let given = cli.nginx_conf.is_some() || cli.apache_conf.is_some();
    // Live mode waits for a configured log the server has not written yet.
    let waits = cli.follow && !logs.is_empty();
    if given && cli.paths.is_empty() && logs.is_empty() {
        return Err("the server config names no log to read (the notes above say why)".into());
    }
    if given && cli.paths.is_empty() && found.sources.is_empty() && !waits {
        let missing: Vec<&str> = found
            .errors
            .iter()
            .chain(&found.notes)
            .map(String::as_str)
            .collect();
        return Err(format!(
            "none of the logs the server config names can be read here{}",
            if missing.is_empty() {
                String::new()
            } else {
                format!(":\n  {}", missing.join("\n  "))
            }
        ));
    }
    let paths = if !cli.paths.is_empty() || given || !cli.counters_in.is_empty() {
        cli.paths.clone()
    } else if !found.sources.is_empty() {
        Vec::new()
    } else {
        let defaults = input::default_paths();
        if defaults.is_empty() {
            return Err("no input: give log files or directories (or - for stdin); \
                 none of /var/log/nginx, /var/log/apache2, /var/log/httpd exists here"
                .into());
        }
        defaults
    };

    let extra = match &cli.scenarios {
        Some(path) => Some((
            std::fs::read_to_string(path)
                .map_err(|e| format!("--scenarios {}: {e}", path.display()))?,
            path.display().to_string(),
        )),
        None => None,
    };
    let mut detection = Detection::new(scenario::load(
        extra.as_ref().map(|(t, o)| (t.as_str(), o.as_str())),
    )?);
    detection.sensitivity = cli.sensitivity;
    detection.noun = cli.status.noun();
    detection.range = (cli.since, cli.until);
    detection.deploys = cli
        .deploys
        .iter()
        .map(|&time| Deploy {
            time,
            what: "deploy (--deploy)".into(),
        })
        .collect();
    if let Some(path) = &cli.deploys_file {
        detection.deploys.extend(read_deploys(path)?);
    }

    if cli.follow {
        let options = options(&cli, format, formats);
        return follow(&cli, &paths, &logs, &options, &detection);
    }
    let options = options(&cli, format, formats);
    let analysis = match (cli.counters_in.is_empty(), paths.is_empty() && !given) {
        (true, _) => analyze(&paths, &logs, &options)?,
        (false, true) => fiveohone::counters::read(&cli.counters_in, &options.settings)?,
        // Logs read beside the counters files (error logs kept centrally).
        (false, false) => {
            fiveohone::counters::read_into(analyze(&paths, &logs, &options)?, &cli.counters_in)?
        }
    };
    if let Some(path) = &cli.counters_out {
        fiveohone::counters::write(path, &analysis)?;
    }
    for input in &analysis.inputs {
        if input.unreadable {
            if let Some(why) = &input.skipped {
                eprintln!(
                    "fiveohone: {}",
                    printable(&format!("{}: {why}", input.name))
                );
            }
        }
        for p in input.problems.iter().chain(&input.notes) {
            eprintln!("fiveohone: {}", printable(&format!("{}: {p}", input.name)));
        }
    }
    let names = |i: usize| {
        analysis
            .inputs
            .get(i)
            .map_or_else(String::new, |f| f.name.clone())
    };
    let markers = detect::markers(&analysis.aggregate, &names);
    let verdict = detect::detect(
        &analysis.aggregate,
        analysis.settings.resolution(),
        &detection,
        &markers,
        detect::Horizon::All,
    );
    let report = Report::new(&analysis, verdict);
    written(outputs(&cli, false).report(&report))?;
    if let Some(path) = &cli.counters_out {
        let s = &report.summary;
        eprintln!(
            "fiveohone: {}",
            printable(&format!(
                "counted {} lines ({} requests, {} matched) into {}",
                s.lines,
                s.requests,
                s.matched,
                path.display()
            ))
        );
    }
    // Nothing counted is no success: the terminal report says why, and so
    // does stderr for JSON.
    let nothing = text::nothing_read(&report);
    if let (Some(why), true) = (&nothing, cli.json) {
        eprintln!("fiveohone: {}", printable(why));
    }
    Ok(if analysis.incomplete() || nothing.is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
