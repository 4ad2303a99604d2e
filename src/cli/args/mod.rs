//! The command line's shape: every command, argument and help text, for clap. Options that
//! several commands share are one flattened struct each, documented once, so every command
//! shows the same help for them.

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};
use quire::archive::{object::parse_version_number, Layout, User, VersionRef};
use quire::verify::Code;
use std::path::PathBuf;

mod export;
pub use export::*;

const AFTER_HELP: &str = "\
Exit codes: 0 success; 1 findings (verify), damage that remains (repair, copy), files that could
not be made while the rest were (export all, site), or objects left out while the others were
served: an inventory that could not be read (list, export all, feeds, site, copy), a broken
issue.toml (list, export all, feeds, site), a second object holding one issue (export all, feeds,
site); 2 could not run (bad arguments, an unreadable or missing archive, an invalid source
folder or capture, an unknown issue or version, damaged content).
Data goes to stdout (human text, or JSON Lines with --json: one
{\"type\": ..., \"data\": ...} object per line); messages go to stderr.";

const VERIFY_HELP: &str = "\
Exit codes: 0 valid (warnings allowed, unless --warnings-as-errors), 1 invalid, 2 could not
verify (bad arguments, unreadable root). Findings carry the OCFL spec's codes (E001-E112,
W001-W016). With --format json, stdout holds JSON Lines only: `finding` records, an `object`
record after each object's findings, and a final `summary`. A progress bar goes to stderr when
it is a terminal.";

const REPAIR_HELP: &str = "\
With --from, each damaged or missing content file, inventory, sidecar and object declaration
is put back from the replica's copy, trusted only when its bytes have the digests this
object's sound inventories record; sound files are never touched, and files another tool put
in an object are reported, not deleted. A replica with a different history is refused.
Without --from, the objects' files are checked against their digests afterwards and the damage
only a replica can heal is named (exit 1). Exit codes: 0 all healed (or nothing to heal), 1
damage remains, 2 could not run (bad arguments, an unreadable archive or replica, a replica
refused). With --json, stdout holds JSON Lines: `healed`, `not_healed` and `finding` records,
an `object` record after each object's, and a final `summary`; without --from, `completed`
and `damaged` (object, files) records.";

/// Keep a publication's issues in a checksummed, versioned OCFL archive.
#[derive(Parser)]
#[command(name = "quire", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// The OCFL storage root: a folder, or s3://bucket/prefix (endpoint, region and
    /// credentials from the AWS_* variables, e.g. AWS_ENDPOINT_URL, AWS_REGION).
    #[arg(
        long,
        global = true,
        env = "QUIRE_ARCHIVE",
        default_value = "archive",
        value_name = "DIR|URL"
    )]
    pub archive: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create an empty OCFL 1.1 storage root.
    Init(InitArgs),
    /// Store an issue source folder as a new object or the next version of its object.
    Ingest(IngestArgs),
    /// Import captured web pages (text renderings or HTML) as articles of an issue.
    ImportWeb(ImportWebArgs),
    /// List the issues: id, cover date, head version, article count, title.
    List(JsonArg),
    /// The table of contents of an issue version: sections, articles, update dates.
    Show(ShowArgs),
    /// The versions of an issue, newest first: created, user, message, files changed.
    Log(LogArgs),
    /// Files and metadata fields that differ between two versions.
    Diff(DiffArgs),
    /// Write one file of an issue version to stdout.
    Cat(CatArgs),
    /// Validate the storage root and its objects against OCFL 1.1 and 1.0, fixity included.
    #[command(after_help = VERIFY_HELP)]
    Verify(VerifyArgs),
    /// Complete commits that a killed writer left half-done (and clear its staging) and name
    /// damaged files; with --from, also heal them from a replica.
    #[command(after_help = REPAIR_HELP)]
    Repair(RepairArgs),
    /// Write an OPDS 1.2 catalog and an RSS 2.0 feed of the exported files.
    Feeds(FeedsArgs),
    /// Build the web edition: a static site of the whole archive (issues, articles, sections,
    /// search, feeds, PDF and EPUB editions); with --serve, preview it.
    #[cfg(feature = "site")]
    Site(SiteArgs),
    /// Make an output from an issue version.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Copy whole objects from one storage root to another (folder or bucket), then verify
    /// the copies. An empty destination first gets the source's root files.
    Copy(CopyArgs),
    /// Write the source folder of an issue version into a new folder, byte for byte.
    Checkout(CheckoutArgs),
}

/// `--json`, for every command that writes data.
#[derive(Args)]
pub struct JsonArg {
    /// Write JSON Lines to stdout instead of text: one {"type": ..., "data": ...} object per
    /// line.
    #[arg(long)]
    pub json: bool,
}

/// Who makes a new version, when and why: for every command that writes one.
#[derive(Args)]
pub struct VersionArgs {
    /// The version message (default: one that describes the change).
    #[arg(long, short, value_parser = not_blank)]
    pub message: Option<String>,
    /// Who makes the version (default: the login name).
    #[arg(long, env = "QUIRE_USER", value_parser = not_blank)]
    pub user: Option<String>,
    /// Their e-mail address, recorded as a mailto: URI.
    #[arg(long, env = "QUIRE_EMAIL", value_parser = parse_email)]
    pub email: Option<String>,
    /// The version's created time (RFC 3339); default now. For migrations and reproducible
    /// archives.
    #[arg(long, value_name = "TIME", value_parser = parse_created)]
    pub created: Option<DateTime<Utc>>,
}

/// A name or message that a version keeps for good: it must say something.
fn not_blank(text: &str) -> Result<String, String> {
    match text.trim().is_empty() {
        true => Err("must not be empty".into()),
        false => Ok(text.to_string()),
    }
}

/// An e-mail address (`name@host`, optionally written as a `mailto:` URI): one `@` with
/// something on each side, no spaces, no control characters and none of `<>()[],;:"`.
fn parse_email(text: &str) -> Result<String, String> {
    let address = text.strip_prefix("mailto:").unwrap_or(text);
    let plain = |part: &str| {
        !part.is_empty()
            && !part
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"@".contains(c))
    };
    match address.split_once('@') {
        Some((local, host)) if plain(local) && plain(host) && !host.starts_with('.') => {
            Ok(text.to_string())
        }
        _ => Err("not an e-mail address: expected one such as name@example.org".into()),
    }
}

/// A `--created` time, with the form it wants named when it is not one.
fn parse_created(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|cause| {
            format!(
                "{cause}: expected an RFC 3339 time with its offset, such as 2026-11-28T09:30:00Z"
            )
        })
}

impl VersionArgs {
    /// What to give for the version to say who made it, by name and address; none when it
    /// says so.
    pub fn who_hint(&self) -> Option<String> {
        match (&self.user, &self.email) {
            (Some(_), Some(_)) => None,
            (Some(user), None) => Some(format!(
                "record how to reach {user} with --email ADDRESS (or QUIRE_EMAIL)"
            )),
            _ => Some(
                "record who made a version with --user NAME --email ADDRESS (or QUIRE_USER, \
                 QUIRE_EMAIL)"
                    .into(),
            ),
        }
    }

    /// The version's user, from --user and --email (or the login name); none when nothing
    /// names anyone.
    pub fn version_user(&self) -> Option<User> {
        User::from_name_and_email(self.user.clone(), self.email.clone())
    }

    /// The version's created time: --created, or now.
    pub fn created_time(&self) -> DateTime<Utc> {
        self.created.unwrap_or_else(Utc::now)
    }
}

/// The options of every command that stores a new version.
#[derive(Args)]
pub struct StoreArgs {
    /// Check the input and report what would be stored; write nothing to the archive.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub version: VersionArgs,
    #[command(flatten)]
    pub output: JsonArg,
}

#[derive(Args)]
pub struct InitArgs {
    /// Where to create it, a folder or s3://bucket/prefix (default: --archive).
    #[arg(value_name = "DIR|URL")]
    pub dir: Option<String>,
    /// Storage layout: 0003 (hash and id n-tuple), 0002 (flat direct) or 0004 (hashed n-tuple).
    #[arg(long, default_value = "0003")]
    pub layout: Layout,
}

#[derive(Args)]
pub struct IngestArgs {
    /// The issue source folder (issue.toml, articles/, ...), or a BagIt bag of one: a bag
    /// folder or a .zip of a bag, checked completely before its payload is stored.
    pub folder: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args)]
pub struct ImportWebArgs {
    /// The issue to add the articles to (created if it does not exist).
    #[arg(long)]
    pub issue: String,
    /// The section the new articles belong to.
    #[arg(long)]
    pub section: Option<String>,
    /// The publication's title, for a new issue whose captures do not name it or name
    /// different sites.
    #[arg(long)]
    pub publication: Option<String>,
    /// A TOML list of the issue's articles in reading order: `[[article]]` entries with
    /// `capture = "file"` (or `warc = "file"` and `uri = "…"`), or `pages = [...]` for a
    /// multi-page article, and an optional `section`.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Import the HTML and text pages of the WARC files given whose address starts with URL.
    #[arg(long, value_name = "URL")]
    pub url_prefix: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
    /// The captured pages: files, folders of captures (read recursively, in natural order),
    /// or WARC files (`.warc`, `.warc.gz`, with --url-prefix).
    #[arg(required_unless_present = "manifest")]
    pub files: Vec<PathBuf>,
}

#[derive(Args)]
pub struct ShowArgs {
    /// ID or ID@vN.
    pub issue: VersionRef,
    #[command(flatten)]
    pub output: JsonArg,
}

#[derive(Args)]
pub struct LogArgs {
    /// The issue id, or a full OCFL object id.
    pub id: String,
    #[command(flatten)]
    pub output: JsonArg,
}

#[derive(Args)]
pub struct DiffArgs {
    /// The issue id, or a full OCFL object id.
    pub id: String,
    /// The earlier version: vN, VN or N.
    #[arg(value_parser = parse_version_number)]
    pub from: u32,
    /// The later version: vN, VN or N.
    #[arg(value_parser = parse_version_number)]
    pub to: u32,
    /// Also print a line diff (unified) of each article body that changed.
    #[arg(long)]
    pub text: bool,
    #[command(flatten)]
    pub output: JsonArg,
}

#[derive(Args)]
pub struct CatArgs {
    /// ID or ID@vN.
    pub issue: VersionRef,
    /// The file's path in the source folder, e.g. issue.toml.
    pub path: String,
}

#[derive(Args)]
pub struct CheckoutArgs {
    /// ID or ID@vN.
    pub issue: VersionRef,
    /// A new (or empty) folder to write the source folder into.
    pub dest: PathBuf,
}

#[derive(Args)]
pub struct VerifyArgs {
    /// Only these objects (issue ids or OCFL object ids); default all.
    pub ids: Vec<String>,
    /// Validate one object directory (or s3:// prefix) that stands outside any storage root.
    #[arg(long, value_name = "DIR|URL", conflicts_with = "ids")]
    pub object: Option<String>,
    /// Check structure and inventories only; do not hash content.
    #[arg(long)]
    pub no_fixity: bool,
    /// Hash only this fraction (0 to 1) of the files, chosen reproducibly by --seed.
    #[arg(long, value_name = "FRACTION", value_parser = parse_fraction, conflicts_with = "no_fixity")]
    pub sample: Option<f64>,
    /// The seed of --sample.
    #[arg(long, default_value_t = 0, requires = "sample")]
    pub seed: u64,
    /// Leave out findings with this code (repeatable), e.g. --ignore W004.
    #[arg(long, value_name = "CODE", value_parser = parse_code)]
    pub ignore: Vec<Code>,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub warnings_as_errors: bool,
    /// human (default), json (JSON Lines) or junit (JUnit XML).
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

#[derive(Args)]
pub struct RepairArgs {
    /// Only these objects (issue ids or OCFL object ids); default all.
    pub ids: Vec<String>,
    /// A replica (another storage root holding copies of the objects: a folder or
    /// s3://bucket/prefix) to heal damaged or missing files from.
    #[arg(long, value_name = "DIR|URL")]
    pub from: Option<String>,
    #[command(flatten)]
    pub output: JsonArg,
}

#[derive(Args)]
pub struct CopyArgs {
    /// The storage root to copy from.
    #[arg(long, value_name = "DIR|URL")]
    pub from: String,
    /// The storage root to copy to (created when missing).
    #[arg(long, value_name = "DIR|URL")]
    pub to: String,
    /// Only these objects (issue ids or OCFL object ids); default all.
    pub ids: Vec<String>,
    #[command(flatten)]
    pub output: JsonArg,
}

/// The forms of `verify`'s report.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
    Junit,
}

fn parse_fraction(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
        _ => Err(format!("`{text}` is not a fraction between 0 and 1")),
    }
}

fn parse_code(text: &str) -> Result<Code, String> {
    text.parse()
}
