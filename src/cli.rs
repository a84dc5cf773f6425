//! The command line. Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::render::Format;

/// Product values that win over the config file's `product:` section.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Product profile")]
pub struct ProductArgs {
    /// Monthly active users of the licensee and its affiliates (800000000, 800M)
    #[arg(long, value_name = "N", value_parser = count)]
    pub mau: Option<u64>,

    /// Annual revenue in US dollars (5000000, 5M)
    #[arg(long, value_name = "USD", value_parser = count)]
    pub revenue: Option<u64>,

    /// Where the licensee is domiciled or headquartered (ISO 3166 code, or EU)
    #[arg(long, value_name = "CODE")]
    pub headquarters: Option<String>,

    /// Where the product's users are (repeat for several)
    #[arg(long = "region", value_name = "CODE")]
    pub regions: Vec<String>,

    /// Whether the product is used commercially
    #[arg(long, value_name = "BOOL")]
    pub commercial: Option<bool>,
}

/// Which config file to read, and the product values that win over it: `check`,
/// `classify`, `bom`, `report` and `lock` judge against the same profile.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConfigArgs {
    /// Use this config file instead of looking for weightlint.yaml, .weightlint.yaml
    /// or [tool.weightlint] in pyproject.toml upward from the first path
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore config files: use the embedded default policy
    #[arg(long)]
    pub no_config: bool,

    #[command(flatten)]
    pub product: ProductArgs,
}

impl ConfigArgs {
    pub fn choice(&self) -> crate::ConfigChoice {
        match (&self.config, self.no_config) {
            (Some(f), _) => crate::ConfigChoice::File(f.clone()),
            (None, true) => crate::ConfigChoice::Default,
            (None, false) => crate::ConfigChoice::Discover,
        }
    }
}

fn count(s: &str) -> Result<u64, String> {
    crate::config::parse_count(s)
}

fn date(s: &str) -> Result<String, String> {
    s.parse::<jiff::civil::Date>()
        .map(|d| d.to_string())
        .map_err(|_| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

impl ProductArgs {
    pub fn overrides(&self) -> crate::config::Overrides {
        crate::config::Overrides {
            mau: self.mau,
            revenue: self.revenue,
            headquarters: self.headquarters.clone(),
            regions: self.regions.clone(),
            commercial: self.commercial,
        }
    }
}

/// Output formats of `bom`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BomFormat {
    /// CycloneDX 1.6 JSON
    Cyclonedx,
    /// SPDX 3.0.1 JSON-LD (AI and Dataset profiles)
    Spdx,
}

/// Output formats of `classify`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ClassifyFormat {
    Human,
    Json,
    Markdown,
}

/// Output formats of `identify`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum IdentifyFormat {
    Human,
    Json,
}

/// weightlint: license-compliance linter for machine-learning projects.
///
/// Finds model cards, license files and weights, works out which license governs each
/// model (Hugging Face ids, SPDX expressions, and the custom licenses of open-weight
/// models), and reports mistakes with the file and line they are on.
#[derive(Debug, Parser)]
#[command(name = "weightlint", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Worker threads (0: one per core)
    #[arg(long, global = true, default_value_t = 0, value_name = "N")]
    pub threads: usize,

    /// Colour: auto (a terminal and NO_COLOR unset), always, never
    #[arg(long, global = true, default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub color: String,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint the models, cards and license files under PATHS (default: the current directory)
    ///
    /// Exit status: 0 no errors, 1 errors found (or warnings with --deny-warnings),
    /// 2 usage or tool failure, including a path that does not exist.
    Check {
        /// Directories to scan, or files (as pre-commit passes them): then only the models
        /// those files belong to are checked
        paths: Vec<PathBuf>,

        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,

        /// Exit with 1 on warnings too
        #[arg(long)]
        deny_warnings: bool,

        #[command(flatten)]
        config: ConfigArgs,

        /// Report only findings that are not in this baseline file
        #[arg(long, value_name = "FILE")]
        baseline: Option<PathBuf>,

        /// Record the current findings in this baseline file (then exit 0)
        #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
        write_baseline: Option<PathBuf>,
    },
    /// Ask the Hugging Face Hub for the license of every model and dataset the repository
    /// uses, and write them to weightlint.lock, which `check` reads offline
    ///
    /// The only command that uses the network, and only when run. It asks for what cards
    /// (`base_model`, `datasets`), configs, code, scripts and READMEs name, then for the
    /// bases those repositories' cards name, down to the root. HF_ENDPOINT sets the API
    /// base; HF_TOKEN (or the token file `huggingface-cli login` writes) is sent for gated
    /// and private repositories, and never printed. The lock is written at the repository
    /// top (beside .git), or where one already is.
    ///
    /// Exit status: 0 the lock was written (or, with --check, is current); 1 with --check,
    /// the lock is missing, lacks a repository the project uses or names one it no longer
    /// uses; 2 nothing could be fetched, or a usage or tool failure.
    Lock {
        /// Directories to scan (default: the current directory)
        paths: Vec<PathBuf>,

        /// Do not fetch: exit 1 when weightlint.lock is missing a repository the project
        /// uses or names one it no longer uses (for CI, like `cargo --locked`)
        #[arg(long)]
        check: bool,

        /// Seconds to wait for each answer from the Hub
        #[arg(long, default_value_t = 20, value_name = "SECS")]
        timeout: u64,

        /// Further attempts after a timeout, a failed connection, HTTP 429 or 5xx, with a
        /// doubling wait between them
        #[arg(long, default_value_t = 3, value_name = "N")]
        retries: u32,

        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Identify license texts: id, name, confidence, and the terms that matter
    Identify {
        /// License files to identify
        #[arg(required = true)]
        files: Vec<PathBuf>,

        /// Output format
        #[arg(long, value_enum, default_value_t = IdentifyFormat::Human)]
        format: IdentifyFormat,

        /// Say on stderr whether the standard-license similarity store had to be loaded
        #[arg(long)]
        stats: bool,
    },
    /// List the knowledge base, or show one entry by id, key or Hub id
    Licenses {
        /// An id (`Apache-2.0`, `LicenseRef-…`), key (`llama-3.1`) or Hub id (`llama3.1`)
        id: Option<String>,
    },
    /// Evaluate identification against a labelled corpus (its MANIFEST.yaml)
    #[command(hide = true)]
    EvalCorpus {
        /// The corpus directory
        dir: PathBuf,
    },
    /// Score check and classify against real repositories with a reviewer's expectations
    /// (DIR/owner__repo.yaml beside DIR/owner__repo/); the minimums make it a CI ratchet
    #[command(hide = true)]
    EvalRepos {
        /// The directory of repositories and manifests
        dir: PathBuf,
        /// Fail when fewer expectations are matched
        #[arg(long, default_value_t = 0)]
        min_matched: usize,
        /// Fail when more quiet traps are hit
        #[arg(long)]
        max_traps: Option<usize>,
        /// Fail when more errors and warnings match no expectation
        #[arg(long)]
        max_unmatched: Option<usize>,
        /// Fail when fewer classify verdicts agree
        #[arg(long, default_value_t = 0)]
        min_classify: usize,
    },
    /// Openness per model: weights, training data, training code, evaluation,
    /// documentation, licensing, with evidence; Open Source AI (OSAID 1.0), open-weight,
    /// restricted-weight or closed; Model Openness Framework class; EU AI Act Art. 53(2)
    Classify {
        /// Directories to classify (default: the current directory)
        paths: Vec<PathBuf>,

        /// Output format (markdown pastes into a README or a compliance document)
        #[arg(long, value_enum, default_value_t = ClassifyFormat::Human)]
        format: ClassifyFormat,

        #[command(flatten)]
        config: ConfigArgs,
    },
    /// An AI bill of materials: every model with its licenses, base models and datasets
    Bom {
        /// Directories to describe (default: the current directory)
        paths: Vec<PathBuf>,

        /// BOM format
        #[arg(long, value_enum, default_value_t = BomFormat::Cyclonedx)]
        format: BomFormat,

        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Write the audit report: one self-contained HTML page (no script, no network) with
    /// the verdict, the product profile and policy, every model and the models and datasets
    /// it uses with their licenses and how each was resolved, the base-model lineage drawn,
    /// openness with its evidence, every finding with its source line, the unknowns, and
    /// what was suppressed or baselined
    ///
    /// Printable to PDF from a browser. The same input gives the same page: the only date
    /// in it is --date. Exit status: 0 the report was written (whatever it finds), 2 usage
    /// or tool failure.
    Report {
        /// Directories to report on (default: the current directory)
        paths: Vec<PathBuf>,

        /// Write the page to this file instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,

        /// The date printed on the report (YYYY-MM-DD); none is printed without it
        #[arg(long, value_name = "DATE", value_parser = date)]
        date: Option<String>,

        /// List the findings this baseline file records as baselined, not as findings
        #[arg(long, value_name = "FILE")]
        baseline: Option<PathBuf>,

        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
    /// Write a commented starter weightlint.yaml (never overwrites)
    Init {
        /// Directory to write it in
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print a rule's documentation: what it does, why, an example, how to fix; or, with
    /// `use-case NAME`, what a use-case preset requires
    Explain {
        /// A rule code (WL100) or name (missing-license), or `use-case`; omit to list every rule
        rule: Option<String>,

        /// With `use-case`: the preset (saas, startup-mvp, safety-research, regulated,
        /// on-prem, academic-research, edge, domain-foundation-model); omit to list them
        name: Option<String>,
    },
}
