//! A validator for any OCFL 1.0 or 1.1 storage root or object, with fixity checking.
//!
//! Findings are data: each carries the spec's own code (`E001`…`E112`, `W001`…`W016`, from
//! the typed table [`Code`]), the object, the path and a one-line message; a finding about a
//! content file also names the logical paths and versions that show it ([`LogicalUse`]).
//! Only a failure of the tool itself (an unreadable root, a permission error) is an error.
//! The validator reads through [`Store`], so it works the same on a local folder and on
//! object storage.
//!
//! It runs in two passes: the structure of the root and of every object is checked first,
//! which yields the list of content files to hash; then all of them are hashed in parallel,
//! largest first, each file read once with every algorithm its digests need (the root
//! inventory's, each version inventory's own, and the fixity blocks').

mod code;
mod declaration;
mod fixity;
mod inventory;
mod object;
pub(crate) use object::REGISTERED_EXTENSIONS;
mod versions;

pub mod report;
mod root;

pub use code::Code;

use crate::store::{Snapshot, Store, StoreError};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;
use std::time::Instant;

/// The OCFL spec versions quire validates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Spec {
    V1_0,
    V1_1,
}

impl Spec {
    pub fn as_str(self) -> &'static str {
        match self {
            Spec::V1_0 => "1.0",
            Spec::V1_1 => "1.1",
        }
    }

    pub fn from_version(text: &str) -> Option<Spec> {
        match text {
            "1.0" => Some(Spec::V1_0),
            "1.1" => Some(Spec::V1_1),
            _ => None,
        }
    }

    pub fn inventory_type(self) -> String {
        format!("https://ocfl.io/{}/spec/#inventory", self.as_str())
    }

    pub fn from_inventory_type(text: &str) -> Option<Spec> {
        text.strip_prefix("https://ocfl.io/")?
            .strip_suffix("/spec/#inventory")
            .and_then(Spec::from_version)
    }
}

/// How bad a finding is: an error breaks a MUST of the spec, a warning a SHOULD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One rule an object or root breaks.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    /// The spec's code, e.g. `E092` (written as that string in JSON).
    pub code: Code,
    pub severity: Severity,
    /// The object id, when the finding is about an object whose id is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The path concerned, relative to the storage root (or to the object for `--object`).
    pub path: String,
    pub message: String,
    /// For a finding about a content file: the logical paths that show its bytes, and in
    /// which versions (so a librarian knows what the damage touches).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uses: Vec<LogicalUse>,
}

/// A logical path that shows a content file's bytes, and the versions that have it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LogicalUse {
    pub logical_path: String,
    /// Version names, oldest first.
    pub versions: Vec<String>,
}

impl fmt::Display for LogicalUse {
    /// `articles/x.md in v3, v5, v6`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} in {}", self.logical_path, self.versions.join(", "))
    }
}

/// Findings being collected for one object or the root.
#[derive(Debug, Default)]
pub struct Findings {
    list: Vec<Finding>,
}

impl Findings {
    pub fn add(&mut self, code: Code, path: &str, message: impl Into<String>) {
        self.list.push(Finding {
            code,
            severity: code.severity(),
            object: None,
            path: path.to_string(),
            message: message.into(),
            uses: Vec::new(),
        });
    }

    /// Adds a finding about a content file, naming the logical paths that use it.
    pub fn add_content(
        &mut self,
        code: Code,
        path: &str,
        message: impl Into<String>,
        uses: Vec<LogicalUse>,
    ) {
        self.add(code, path, message);
        if let Some(finding) = self.list.last_mut() {
            finding.uses = uses;
        }
    }

    /// Adds the findings of a part checked separately.
    pub fn extend(&mut self, other: Findings) {
        self.list.extend(other.list);
    }

    fn into_vec(self, object: Option<&str>) -> Vec<Finding> {
        let mut list = self.list;
        for finding in &mut list {
            finding.object = object.map(str::to_string);
        }
        list
    }
}

/// Choosing a reproducible part of the files to hash, for daily audits of large archives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Between 0 and 1.
    pub fraction: f64,
    pub seed: u64,
}

/// What to check. [`VerifyOptions::default`] and [`VerifyOptions::new`] are the same: every
/// check, fixity included, nothing ignored.
#[derive(Clone)]
pub struct VerifyOptions {
    /// Recompute every content file's digests (default on).
    pub fixity: bool,
    pub sample: Option<Sample>,
    /// Codes to leave out of the results.
    pub ignore: BTreeSet<Code>,
    /// Called with the bytes hashed so far, for a progress display.
    pub progress: Option<Arc<dyn Fn(Progress) + Send + Sync>>,
}

/// Progress of the hashing pass.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub bytes_done: u64,
    pub bytes_total: u64,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            fixity: true,
            sample: None,
            ignore: BTreeSet::new(),
            progress: None,
        }
    }
}

impl VerifyOptions {
    /// Every check, fixity included (the same as `default()`).
    pub fn new() -> Self {
        Self::default()
    }
}

/// The result for one object.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectReport {
    /// The object root, relative to the storage root.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<&'static str>,
    pub valid: bool,
    pub errors: usize,
    pub warnings: usize,
    /// Content files hashed, and their bytes.
    pub files: u64,
    pub bytes: u64,
    #[serde(skip)]
    pub findings: Vec<Finding>,
}

/// The result for a storage root (or one standalone object).
#[derive(Debug, Clone)]
pub struct Report {
    /// A readable location of what was validated.
    pub location: String,
    /// Findings about the storage root and its hierarchy, outside any object.
    pub root_findings: Vec<Finding>,
    pub objects: Vec<ObjectReport>,
    pub seconds: f64,
    /// Warnings fail as errors do (`--warnings-as-errors`): see [`Report::warnings_as_errors`].
    pub warnings_fail: bool,
    /// What could not be checked, and why (a layout quire does not know): the verdict stands
    /// on the rest.
    pub unchecked: Vec<String>,
}

/// Counts over a whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub location: String,
    /// No errors; with `warnings_as_errors`, no warnings either.
    pub valid: bool,
    pub warnings_as_errors: bool,
    pub objects: usize,
    pub invalid_objects: usize,
    pub errors: usize,
    pub warnings: usize,
    pub files: u64,
    pub bytes: u64,
    pub seconds: f64,
}

impl Report {
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.root_findings
            .iter()
            .chain(self.objects.iter().flat_map(|o| o.findings.iter()))
    }

    /// The same report with warnings failing as errors do: an object with a warning is not
    /// valid, nor is the whole, and every report format says so.
    pub fn warnings_as_errors(mut self) -> Report {
        self.warnings_fail = true;
        for object in &mut self.objects {
            object.valid &= object.warnings == 0;
        }
        self
    }

    /// Whether a finding of this severity makes what it is about fail.
    pub fn fails(&self, severity: Severity) -> bool {
        severity == Severity::Error || self.warnings_fail
    }

    pub fn summary(&self) -> Summary {
        let count = |severity| self.findings().filter(|f| f.severity == severity).count();
        let errors = count(Severity::Error);
        let failing = self.findings().filter(|f| self.fails(f.severity)).count();
        Summary {
            location: self.location.clone(),
            valid: failing == 0,
            warnings_as_errors: self.warnings_fail,
            objects: self.objects.len(),
            invalid_objects: self.objects.iter().filter(|o| !o.valid).count(),
            errors,
            warnings: count(Severity::Warning),
            files: self.objects.iter().map(|o| o.files).sum(),
            bytes: self.objects.iter().map(|o| o.bytes).sum(),
            seconds: self.seconds,
        }
    }
}

/// A failure of the validator itself: the thing to validate could not be read.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Usage(String),
}

/// Validates a storage root and its objects (all of them, or only those the ids given name: an
/// issue id or an object id, as typed).
pub fn verify_root(
    store: &dyn Store,
    ids: &[String],
    options: &VerifyOptions,
) -> Result<Report, VerifyError> {
    let started = Instant::now();
    let snapshot = Snapshot::take(store, "").transpose()?;
    let store: &dyn Store = snapshot.as_ref().map_or(store, |s| s as &dyn Store);
    let mut root_findings = Findings::default();
    let scan = crate::store::in_read_pool(store, || root::check_root(store, &mut root_findings))?;
    let mut objects = scan.objects;
    let unchecked = scan.unchecked;
    if !ids.is_empty() {
        let known: BTreeSet<&str> = objects.iter().filter_map(|o| o.id.as_deref()).collect();
        // While an object's id cannot be read, an issue id names only its own object.
        let certain = objects.iter().all(|o| o.id.is_some());
        let ids: Vec<String> = ids
            .iter()
            .map(|id| crate::model::resolve_object_id(id, |k| certain && known.contains(k)))
            .collect();
        let wanted: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
        if let Some(missing) = wanted.iter().find(|id| !known.contains(**id)) {
            // An object whose id cannot be read may be the one asked for: verify the root.
            let unread: Vec<&str> = objects
                .iter()
                .filter(|o| o.id.is_none())
                .map(|o| o.path.as_str())
                .collect();
            let hint = match unread.as_slice() {
                [] => String::new(),
                paths => format!(
                    "; the id of the object at {} cannot be read, and it may be that one \
                     (run `quire verify` without an id to see why)",
                    paths.join(", ")
                ),
            };
            return Err(VerifyError::Usage(format!(
                "no object `{missing}` in {}{hint}",
                store.describe("")
            )));
        }
        objects.retain(|o| o.id.as_deref().is_some_and(|id| wanted.contains(id)));
        // Hierarchy findings belong to a whole-root check only.
        root_findings = Findings::default();
    }
    // Objects are checked side by side: on a network store each waits mostly on requests.
    let results: Vec<(object::Checked, Vec<fixity::Job>)> =
        crate::store::in_read_pool(store, || {
            use rayon::prelude::*;
            objects
                .par_iter()
                .enumerate()
                .with_max_len(1)
                .map(|(index, found)| {
                    object::check_object(store, &found.path, index, scan.spec, options)
                })
                .collect::<Result<_, _>>()
        })?;
    let mut checked = Vec::new();
    let mut jobs = Vec::new();
    for (report, object_jobs) in results {
        checked.push(report);
        jobs.extend(object_jobs);
    }
    let reports = finish(store, checked, jobs, options)?;
    let mut root_list = root_findings.into_vec(None);
    root_list.retain(|f| !options.ignore.contains(&f.code));
    root_list.sort();
    Ok(Report {
        location: store.describe(""),
        root_findings: root_list,
        objects: reports,
        seconds: started.elapsed().as_secs_f64(),
        warnings_fail: false,
        unchecked: unchecked.into_iter().collect(),
    })
}

/// Validates one object directory that stands outside any storage root (the store's root is
/// the object root).
pub fn verify_object(store: &dyn Store, options: &VerifyOptions) -> Result<Report, VerifyError> {
    let started = Instant::now();
    let snapshot = Snapshot::take(store, "").transpose()?;
    let store: &dyn Store = snapshot.as_ref().map_or(store, |s| s as &dyn Store);
    if store.kind("")?.is_none() {
        return Err(VerifyError::Store(StoreError::NotFound {
            path: store.describe(""),
        }));
    }
    let (report, jobs) = object::check_object(store, "", 0, None, options)?;
    let reports = finish(store, vec![report], jobs, options)?;
    Ok(Report {
        location: store.describe(""),
        root_findings: Vec::new(),
        objects: reports,
        seconds: started.elapsed().as_secs_f64(),
        warnings_fail: false,
        unchecked: Vec::new(),
    })
}

/// Counts a hashed file in its object's report, with its findings and what they touch.
fn add_hashed(report: &mut object::Checked, result: fixity::JobResult) {
    report.files += 1;
    report.bytes += result.bytes;
    if result.findings.is_empty() {
        return;
    }
    let content_path = match report.path.as_str() {
        "" => result.store_path.as_str(),
        object => result
            .store_path
            .strip_prefix(object)
            .and_then(|p| p.strip_prefix('/'))
            .unwrap_or(&result.store_path),
    };
    let uses = report
        .inventory
        .as_ref()
        .map(|inv| inv.uses(content_path))
        .unwrap_or_default();
    for (code, message) in result.findings {
        report
            .findings
            .add_content(code, &result.store_path, message, uses.clone());
    }
}

/// Runs the hashing pass and completes the object reports.
fn finish(
    store: &dyn Store,
    mut reports: Vec<object::Checked>,
    jobs: Vec<fixity::Job>,
    options: &VerifyOptions,
) -> Result<Vec<ObjectReport>, VerifyError> {
    let jobs = match options.sample {
        Some(sample) => jobs
            .into_iter()
            .filter(|j| fixity::sampled(sample, &j.store_path))
            .collect(),
        None => jobs,
    };
    let results = if options.fixity {
        fixity::run(store, jobs, options.progress.clone())?
    } else {
        Vec::new()
    };
    for result in results {
        add_hashed(&mut reports[result.object], result);
    }
    Ok(reports
        .into_iter()
        .map(|checked| {
            let mut findings = checked.findings.into_vec(checked.id.as_deref());
            findings.retain(|f| !options.ignore.contains(&f.code));
            findings.sort();
            let errors = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            ObjectReport {
                path: checked.path,
                id: checked.id,
                spec: checked.spec.map(Spec::as_str),
                valid: errors == 0,
                errors,
                warnings: findings.len() - errors,
                files: checked.files,
                bytes: checked.bytes,
                findings,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_and_new_options_agree_on_checking_everything() {
        for options in [VerifyOptions::default(), VerifyOptions::new()] {
            assert!(options.fixity);
            assert_eq!(options.sample, None);
            assert!(options.ignore.is_empty());
            assert!(options.progress.is_none());
        }
    }
}
