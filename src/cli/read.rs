//! The commands that read the archive: `list`, `show`, `log`, `cat` and `checkout` (`diff` has
//! its own file). None of them writes to it.

use super::args::{CatArgs, CheckoutArgs, JsonArg, LogArgs, ShowArgs};
use super::output::{table, Output};
use super::{describe_error, open_archive};
use anyhow::Result;
use quire::archive::{ArchiveError, FileChanges, Object, User, VersionNum};
use quire::model::{issue_id, Issue};
use serde::Serialize;

fn or_dash(value: Option<String>) -> String {
    value
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "-".into())
}

/// What an object of the root is to quire.
#[derive(Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum ObjectKind {
    /// Its head holds an issue.toml that reads.
    Issue,
    /// Its head holds no issue.toml (another tool's object).
    NotAnIssue,
    /// Its head's issue.toml cannot be read or is not valid (`error` says why).
    BrokenIssue,
}

#[derive(Serialize)]
struct ListedIssue {
    id: String,
    object_id: String,
    head: String,
    kind: ObjectKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publication: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    articles: Option<usize>,
}

impl ListedIssue {
    fn new(object: &Object<'_>) -> ListedIssue {
        let head = object.head();
        // Objects that other tools wrote are listed too, without issue metadata.
        let (kind, issue, error) = match object.issue(head) {
            Ok(issue) => (ObjectKind::Issue, Some(issue), None),
            Err(ArchiveError::NotAnIssue { .. }) => (ObjectKind::NotAnIssue, None, None),
            Err(e) => {
                let error = describe_error(&anyhow::Error::from(e));
                (ObjectKind::BrokenIssue, None, Some(error))
            }
        };
        ListedIssue {
            id: issue_id(object.id()).to_string(),
            object_id: object.id().to_string(),
            head: head.to_string(),
            kind,
            error,
            date: issue.as_ref().and_then(|i| i.date.map(|d| d.to_string())),
            publication: issue.as_ref().map(|i| i.publication.title.clone()),
            title: issue.as_ref().and_then(|i| i.title.clone()),
            articles: issue.as_ref().map(|i| i.articles().count()),
        }
    }

    /// The row of the human table: id, date, head, article count, title.
    fn row(self) -> Vec<String> {
        let title = match (self.kind, &self.publication, &self.title) {
            (ObjectKind::BrokenIssue, _, _) => "(issue.toml broken)".into(),
            (_, Some(p), Some(t)) => format!("{p}: {t}"),
            (_, Some(p), None) => p.clone(),
            _ => "(not a quire issue)".into(),
        };
        vec![
            self.id,
            or_dash(self.date),
            self.head,
            or_dash(self.articles.map(|n| n.to_string())),
            title,
        ]
    }
}

/// `quire list`: every object, one a line (or record), issues with their metadata; an object
/// that cannot be read, or whose issue.toml is broken, is named in a warning with the cause,
/// and the exit code is then 1.
pub fn list(archive: &str, args: JsonArg) -> Result<u8> {
    let archive = open_archive(archive)?;
    let mut out = Output::new(args.json);
    let mut rows = vec![["ID", "DATE", "HEAD", "ARTICLES", "TITLE"]
        .map(String::from)
        .to_vec()];
    let scan = archive.scan()?;
    for unreadable in &scan.unreadable {
        eprintln!("quire: warning: not listed: {}", unreadable.describe());
    }
    let mut broken = false;
    for entry in &scan.objects {
        let listed = ListedIssue::new(&archive.object_at(entry)?);
        if let Some(error) = &listed.error {
            eprintln!("quire: warning: `{}`: {error}", listed.object_id);
            broken = true;
        }
        if out.json() {
            out.record("issue", &listed)?;
        } else {
            rows.push(listed.row());
        }
    }
    if !out.json() {
        for line in table(&rows) {
            out.line(line)?;
        }
    }
    out.finish()?;
    Ok(u8::from(!scan.unreadable.is_empty() || broken))
}

/// `quire show`: the table of contents of an issue version.
pub fn show(archive: &str, args: ShowArgs) -> Result<u8> {
    let archive = open_archive(archive)?;
    let (object, version) = archive.open_version(&args.issue)?;
    let issue = object.issue(version)?;
    let mut out = Output::new(args.output.json);
    if out.json() {
        #[derive(Serialize)]
        struct Shown<'a> {
            object_id: &'a str,
            version: String,
            head: String,
            issue: &'a Issue,
        }
        let shown = Shown {
            object_id: object.id(),
            version: version.to_string(),
            head: object.head().to_string(),
            issue: &issue,
        };
        out.record("issue", &shown)?;
    } else {
        write_contents(&issue, version, object.head(), &mut out)?;
    }
    out.finish()?;
    Ok(0)
}

/// The heading of an issue version, then each section's articles as a table.
fn write_contents(
    issue: &Issue,
    version: VersionNum,
    head: VersionNum,
    out: &mut Output,
) -> std::io::Result<()> {
    let head_note = if version == head {
        "head".to_string()
    } else {
        format!("head is {head}")
    };
    out.line(format!("{} @ {version} ({head_note})", issue.id))?;
    out.line(issue.full_title())?;
    let details = [
        issue.volume.as_ref().map(|v| format!("volume {v}")),
        issue.number.as_ref().map(|n| format!("number {n}")),
        issue.date.map(|d| format!("dated {d}")),
        issue.language().map(|l| format!("language {l}")),
    ];
    let details: Vec<String> = details.into_iter().flatten().collect();
    if !details.is_empty() {
        out.line(details.join(", "))?;
    }
    for section in &issue.sections {
        out.line("")?;
        out.line(section.name.as_deref().unwrap_or("(no section)"))?;
        let rows: Vec<Vec<String>> = section
            .articles
            .iter()
            .map(|a| {
                vec![
                    format!("  {}", a.id),
                    a.title.clone(),
                    super::output::dated(a.updated, a.published),
                ]
            })
            .collect();
        for line in table(&rows) {
            out.line(line)?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct LoggedVersion<'a> {
    version: String,
    created: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<&'a User>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(flatten)]
    changes: FileChanges,
}

/// `quire log`: the versions of an issue, newest first.
pub fn log(archive: &str, args: LogArgs) -> Result<u8> {
    let archive = open_archive(archive)?;
    let object = archive.open_issue(&args.id)?;
    let mut out = Output::new(args.output.json);
    for (version, entry) in object.inventory().versions.iter().rev() {
        let logged = LoggedVersion {
            version: version.to_string(),
            created: &entry.created,
            user: entry.user.as_ref(),
            message: entry.message.as_deref(),
            changes: object.version_changes(*version),
        };
        if out.json() {
            out.record("version", &logged)?;
        } else {
            write_logged(&logged, &mut out)?;
        }
    }
    out.finish()?;
    Ok(0)
}

/// One version of the log as text: version, date, user; the message; the changed files.
fn write_logged(logged: &LoggedVersion<'_>, out: &mut Output) -> std::io::Result<()> {
    let user = match logged.user {
        Some(User {
            name,
            address: Some(address),
        }) => format!("{name} <{address}>"),
        Some(User {
            name,
            address: None,
        }) => name.clone(),
        None => "-".into(),
    };
    out.line(format!("{}  {}  {user}", logged.version, logged.created))?;
    if let Some(message) = logged.message {
        out.line(format!("    {message}"))?;
    }
    for (mark, paths) in [
        ("A", &logged.changes.added),
        ("M", &logged.changes.changed),
        ("D", &logged.changes.removed),
    ] {
        for path in paths {
            out.line(format!("    {mark} {path}"))?;
        }
    }
    Ok(())
}

/// `quire cat`: one file of an issue version, to stdout.
pub fn cat(archive: &str, args: CatArgs) -> Result<u8> {
    let archive = open_archive(archive)?;
    let (object, version) = archive.open_version(&args.issue)?;
    // Read and check the whole file first: damaged bytes never reach stdout.
    let bytes = object.read(version, &args.path)?;
    let mut out = Output::new(false);
    out.writer().write_all(&bytes)?;
    out.finish()?;
    Ok(0)
}

/// `quire checkout`: the source folder of an issue version, written into a new folder.
pub fn checkout(archive: &str, args: CheckoutArgs) -> Result<u8> {
    let archive = open_archive(archive)?;
    let (object, version) = archive.open_version(&args.issue)?;
    object.checkout(version, &args.dest)?;
    eprintln!(
        "quire: checked out {}@{version} into {}",
        issue_id(object.id()),
        args.dest.display()
    );
    Ok(0)
}
