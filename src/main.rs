//! The binary: parse the command line, call the library, print, map to an exit code.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use weightlint::cli::{BomFormat, ClassifyFormat, Cli, Command, ConfigArgs, IdentifyFormat};
use weightlint::config::presets;
use weightlint::core::diagnostic::Severity;
use weightlint::core::registry;
use weightlint::core::source::{self, ReadProblem};
use weightlint::judge::baseline::Baseline;
use weightlint::license::{identify, kb, terms};
use weightlint::lock::{self, hub};
use weightlint::render::identify::Identified;
use weightlint::render::{self, human, json, Format};
use weightlint::{rules, scan, Error, ScanOptions};

/// Write to stdout; a closed pipe (`weightlint check | head`) is not an error.
fn emit(text: &str) -> Result<(), ExitCode> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("weightlint: cannot write output: {e}");
            Err(ExitCode::from(2))
        }
    }
}

/// The scan options of a command that takes config arguments.
fn options(threads: usize, config: &ConfigArgs) -> ScanOptions {
    ScanOptions {
        threads,
        config: config.choice(),
        overrides: config.product.overrides(),
        read_docs: false,
    }
}

/// Scan, or say why not (a config error drawn with its line).
fn scan_or_fail(
    paths: &[std::path::PathBuf],
    options: &ScanOptions,
    color: Option<bool>,
) -> Result<weightlint::Report, ExitCode> {
    scan(paths, options).map_err(|e| failure(e, color))
}

/// Why a scan could not run: a config error drawn with its line, else one line.
fn failure(error: Error, color: Option<bool>) -> ExitCode {
    match error {
        Error::Config(e) => config_failure(*e, color),
        e => fail(e),
    }
}

/// [`scan_or_fail`] with the spinner shown while it runs.
fn scan_with_spinner(
    paths: &[std::path::PathBuf],
    options: &ScanOptions,
    color: Option<bool>,
) -> Result<weightlint::Report, ExitCode> {
    let spinner = Spinner::start(paths);
    let scanned = scan_or_fail(paths, options, color);
    drop(spinner);
    scanned
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("weightlint: {message}");
    ExitCode::from(2)
}

/// A spinner on stderr for scans that take a while: shown only on a terminal, and only
/// after half a second, so pre-commit runs and pipes never see it.
struct Spinner {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Spinner {
    fn start(paths: &[std::path::PathBuf]) -> Self {
        use std::io::IsTerminal;
        use std::sync::atomic::{AtomicBool, Ordering};
        let done = std::sync::Arc::new(AtomicBool::new(false));
        if !io::stderr().is_terminal() {
            return Spinner { done, thread: None };
        }
        let what = match paths {
            [] => ".".to_string(),
            [one] => one.display().to_string(),
            more => format!("{} paths", more.len()),
        };
        let flag = done.clone();
        let thread = std::thread::spawn(move || {
            let wait = std::time::Duration::from_millis(500);
            let tick = std::time::Duration::from_millis(80);
            let start = std::time::Instant::now();
            while start.elapsed() < wait {
                if flag.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(tick);
            }
            // A plain `\r` line: a spinner needs no terminal library.
            let frames = ['|', '/', '-', '\\'];
            let mut err = io::stderr();
            let mut n = 0;
            while !flag.load(Ordering::Relaxed) {
                let _ = write!(err, "\r{} scanning {what}", frames[n % frames.len()]);
                let _ = err.flush();
                n += 1;
                std::thread::sleep(tick);
            }
            let blank = " ".repeat(what.chars().count() + 11);
            let _ = write!(err, "\r{blank}\r");
            let _ = err.flush();
        });
        Spinner {
            done,
            thread: Some(thread),
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A config error, drawn with the offending line of the config file.
fn config_failure(error: weightlint::config::ConfigError, color: Option<bool>) -> ExitCode {
    let theme = if human::use_color_on_stderr(color) {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    if handler.render_report(&mut out, &error).is_err() {
        out = error.to_string();
    }
    eprint!("{out}");
    ExitCode::from(2)
}

fn identify_files(files: &[std::path::PathBuf]) -> (Vec<Identified>, bool) {
    let mut any_missing = false;
    let mut results = Vec::new();
    for f in files {
        let path = f.display().to_string();
        match source::read_text(f) {
            Ok(text) => results.push(Identified {
                path,
                found: identify::identify(&text),
                extracted: terms::extract(&text),
                error: None,
            }),
            Err(p) => {
                any_missing |= matches!(p, ReadProblem::Io(_));
                results.push(Identified {
                    path,
                    found: None,
                    extracted: Vec::new(),
                    error: Some(p.describe()),
                });
            }
        }
    }
    (results, any_missing)
}

/// `weightlint lock`: fetch (with settings) or, without, check the lock is current.
fn lock_command(
    paths: &[std::path::PathBuf],
    options: &ScanOptions,
    fetch: Option<hub::Settings>,
    color: Option<bool>,
) -> Result<ExitCode, ExitCode> {
    use std::io::IsTerminal;
    let report = scan_or_fail(paths, options, color)?;
    let wants = lock::refs::wanted(&report.project);
    let path = weightlint::lock_path(paths);
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(|r| r.display().to_string()))
        .unwrap_or_else(|| path.display().to_string());
    let previous = match path.is_file().then(|| lock::read(&path)) {
        None => None,
        Some(Ok(file)) => Some(file),
        Some(Err(e)) if fetch.is_some() => {
            eprintln!("weightlint: {shown} is replaced: {}", e.message);
            None
        }
        Some(Err(e)) => return Err(fail(format!("{shown}: {}", e.message))),
    };
    let Some(settings) = fetch else {
        let Some(file) = previous else {
            if wants.is_empty() {
                emit("weightlint: no Hub repositories are used; nothing to lock\n")?;
                return Ok(ExitCode::SUCCESS);
            }
            eprintln!(
                "weightlint: {shown} does not exist, and the project uses {} Hub repositories (first: `{}` at {}); run `weightlint lock`",
                wants.len(),
                wants[0].id,
                wants[0].at
            );
            return Ok(ExitCode::from(1));
        };
        let drift = lock::refs::drift(&wants, &file);
        if drift.is_empty() {
            emit(&format!(
                "weightlint: {shown} is current ({} models, {} datasets)\n",
                file.models.len(),
                file.datasets.len()
            ))?;
            return Ok(ExitCode::SUCCESS);
        }
        let mut text = format!("weightlint: {shown} is stale; run `weightlint lock`\n");
        for w in &drift.missing {
            let kind = w.kind.map_or("model or dataset", lock::Kind::as_str);
            text.push_str(&format!(
                "  not locked: {kind} `{}` (used at {})\n",
                w.id, w.at
            ));
        }
        for (kind, id) in &drift.unused {
            text.push_str(&format!("  no longer used: {} `{id}`\n", kind.as_str()));
        }
        eprint!("{text}");
        return Ok(ExitCode::from(1));
    };
    if wants.is_empty() && previous.is_none() {
        emit("weightlint: no Hub repositories are used; nothing to lock\n")?;
        return Ok(ExitCode::SUCCESS);
    }
    let client = hub::Client::from_env(settings);
    let tty = io::stderr().is_terminal();
    let progress = |done: usize, known: usize, id: &str| {
        if tty {
            eprint!("\r\x1b[2K  locking [{done}/{known}] {id}");
        }
    };
    let today = weightlint::config::today().to_string();
    let outcome = lock::fetch::run(&client, &wants, previous.as_ref(), &today, &progress);
    if tty {
        eprint!("\r\x1b[2K");
    }
    for (kind, id, why) in &outcome.answered {
        eprintln!("weightlint: {} `{id}`: {}", kind.as_str(), why.describe());
    }
    for (id, why, kept) in &outcome.failed {
        let kept = if *kept {
            "; its locked entry is kept"
        } else {
            ""
        };
        eprintln!("weightlint: `{id}`: {}{kept}", why.describe());
    }
    if !wants.is_empty() && outcome.fetched == 0 && outcome.answered.is_empty() {
        return Err(fail(format!(
            "nothing could be fetched from {}; {shown} is unchanged",
            client.endpoint()
        )));
    }
    let text = lock::render(&outcome.file);
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        let tmp = path.with_extension("lock.tmp");
        std::fs::write(&tmp, &text)
            .and_then(|_| std::fs::rename(&tmp, &path))
            .map_err(|e| fail(format!("cannot write {shown}: {e}")))?;
    }
    let mut summary = format!(
        "weightlint: locked {} models and {} datasets in {shown} from {}",
        outcome.file.models.len(),
        outcome.file.datasets.len(),
        client.endpoint()
    );
    if !outcome.answered.is_empty() {
        summary.push_str(&format!("; {} without metadata", outcome.answered.len()));
    }
    if !outcome.failed.is_empty() {
        summary.push_str(&format!("; {} failed", outcome.failed.len()));
    }
    emit(&(summary + "\n"))?;
    Ok(ExitCode::SUCCESS)
}

fn run(cli: Cli) -> Result<ExitCode, ExitCode> {
    let color = match cli.color.as_str() {
        "always" => Some(true),
        "never" => Some(false),
        _ => None,
    };
    match cli.command {
        Command::Check {
            paths,
            format,
            deny_warnings,
            config,
            baseline,
            write_baseline,
        } => {
            let mut report = scan_with_spinner(&paths, &options(cli.threads, &config), color)?;
            if let Some(file) = write_baseline {
                let b = Baseline::of(&report.diagnostics, &report.project);
                std::fs::write(&file, b.to_json())
                    .map_err(|e| fail(format!("cannot write {}: {e}", file.display())))?;
                eprintln!(
                    "weightlint: recorded {} finding(s) in {}",
                    b.findings.len(),
                    file.display()
                );
                return Ok(ExitCode::SUCCESS);
            }
            if let Some(file) = baseline {
                let b = Baseline::load(&file).map_err(fail)?;
                report.apply_baseline(&b);
            }
            let text = match format {
                Format::Human => human::render(&report, human::use_color(color)),
                Format::Concise => human::render_concise(&report),
                Format::Json => json::render(&report),
                Format::Sarif => render::sarif::render(&report),
                Format::Github => render::github::render(&report),
            };
            emit(&text)?;
            let failed =
                report.has(Severity::Error) || (deny_warnings && report.has(Severity::Warning));
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Identify {
            files,
            format,
            stats,
        } => {
            let (results, any_missing) = identify_files(&files);
            let text = match format {
                IdentifyFormat::Json => render::identify::json(&results),
                IdentifyFormat::Human => render::identify::human(&results),
            };
            emit(&text)?;
            if stats {
                let loaded = if identify::store_loaded() {
                    "loaded"
                } else {
                    "not loaded"
                };
                eprintln!("weightlint: similarity store {loaded}");
            }
            Ok(if any_missing {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Licenses { id: None } => {
            emit(&render::identify::kb_table(&kb::kb().entries))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Licenses { id: Some(id) } => match kb::kb().name(&id) {
            Some(entry) => {
                emit(&render::identify::kb_entry(entry))?;
                Ok(ExitCode::SUCCESS)
            }
            None => Err(fail(format!(
                "no license `{id}` in the knowledge base; `weightlint licenses` lists them"
            ))),
        },
        Command::EvalCorpus { dir } => {
            let (report, perfect) = weightlint::eval::run(&dir).map_err(fail)?;
            emit(&report)?;
            Ok(if perfect {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::EvalRepos {
            dir,
            min_matched,
            max_traps,
            max_unmatched,
            min_classify,
        } => {
            let (report, score) = weightlint::eval::repos::run(&dir).map_err(fail)?;
            emit(&report)?;
            let mut short = Vec::new();
            if score.failed > 0 {
                short.push(format!(
                    "{} repositories could not be evaluated",
                    score.failed
                ));
            }
            if score.matched < min_matched {
                short.push(format!("matched {} < {min_matched}", score.matched));
            }
            if max_traps.is_some_and(|max| score.traps_hit > max) {
                short.push(format!("traps hit {} > {max_traps:?}", score.traps_hit));
            }
            let unmatched = score.unmatched_errors + score.unmatched_warnings;
            if max_unmatched.is_some_and(|max| unmatched > max) {
                short.push(format!("unmatched {unmatched} > {max_unmatched:?}"));
            }
            if score.classify_right < min_classify {
                short.push(format!(
                    "classify {} < {min_classify}",
                    score.classify_right
                ));
            }
            if short.is_empty() {
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("eval-repos: below the ratchet: {}", short.join("; "));
                Ok(ExitCode::from(1))
            }
        }
        Command::Classify {
            paths,
            format,
            config,
        } => {
            let models = weightlint::classify(&paths, &options(cli.threads, &config))
                .map_err(|e| failure(e, color))?;
            emit(&match format {
                ClassifyFormat::Human => render::classify::human(&models),
                ClassifyFormat::Markdown => render::classify::markdown(&models),
                ClassifyFormat::Json => render::classify::json(&models),
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bom {
            paths,
            format,
            config,
        } => {
            let report = scan_or_fail(&paths, &options(cli.threads, &config), color)?;
            emit(&match format {
                BomFormat::Cyclonedx => render::bom::cyclonedx(&report),
                BomFormat::Spdx => render::bom::spdx(&report),
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Lock {
            paths,
            check,
            timeout,
            retries,
            config,
        } => {
            let settings = hub::Settings {
                timeout: std::time::Duration::from_secs(timeout.max(1)),
                retries,
                backoff: std::time::Duration::from_millis(500),
            };
            let options = options(cli.threads, &config);
            lock_command(&paths, &options, (!check).then_some(settings), color)
        }
        Command::Report {
            paths,
            output,
            date,
            baseline,
            config,
        } => {
            let mut report = scan_with_spinner(&paths, &options(cli.threads, &config), color)?;
            if let Some(file) = baseline {
                let b = Baseline::load(&file).map_err(fail)?;
                report.apply_baseline(&b);
            }
            let page = render::report::render(&report, &render::report::Options { date });
            match output {
                None => emit(&page)?,
                Some(file) => {
                    std::fs::write(&file, &page)
                        .map_err(|e| fail(format!("cannot write {}: {e}", file.display())))?;
                    eprintln!(
                        "weightlint: wrote the report on {} ({} findings) to {}",
                        plural_models(report.project.models.len()),
                        report.diagnostics.len(),
                        file.display()
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "weightlint", &mut out);
            emit(&String::from_utf8_lossy(&out))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|e| fail(format!("cannot render the man page: {e}")))?;
            emit(&String::from_utf8_lossy(&out))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            let path = dir.join(weightlint::config::FILE_NAMES[0]);
            let created = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| f.write_all(weightlint::config::STARTER.as_bytes()));
            match created {
                Ok(()) => {
                    eprintln!("weightlint: wrote {}", path.display());
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(fail(format!(
                    "{} already exists; weightlint init never overwrites",
                    path.display()
                ))),
                Err(e) => Err(fail(format!("cannot write {}: {e}", path.display()))),
            }
        }
        Command::Explain {
            rule: Some(topic),
            name,
        } if topic == "use-case" => match name.as_deref().map(presets::by_name) {
            Some(Some(p)) => {
                emit(&presets::explain(p))?;
                Ok(ExitCode::SUCCESS)
            }
            Some(None) => Err(fail(format!(
                "no use case `{}`; `weightlint explain use-case` lists them",
                name.unwrap_or_default()
            ))),
            None => {
                let mut text = String::new();
                for p in presets::PRESETS {
                    text.push_str(&format!("{:<24} requires {}\n", p.name, p.require.as_str()));
                }
                emit(&text)?;
                Ok(ExitCode::SUCCESS)
            }
        },
        Command::Explain { rule: None, .. } => {
            let mut text = String::new();
            for r in registry::ALL {
                text.push_str(&format!(
                    "{}  {:<32} {:<8} {}\n",
                    r.code, r.name, r.default_severity, r.summary
                ));
            }
            emit(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain {
            rule: Some(code), ..
        } => match registry::find(&code) {
            Some(r) => {
                emit(rules::doc(r))?;
                Ok(ExitCode::SUCCESS)
            }
            None => Err(fail(format!(
                "no rule `{code}`; `weightlint explain` lists them"
            ))),
        },
    }
}

fn plural_models(n: usize) -> String {
    if n == 1 {
        "1 model".to_string()
    } else {
        format!("{n} models")
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    run(cli).unwrap_or_else(|code| code)
}
