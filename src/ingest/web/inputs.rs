//! What an import reads: capture files, folders of captures (recursively, in natural order:
//! `page2` before `page10`), a manifest of the issue's articles in reading order, and the HTML
//! responses of WARC files (chosen by URL prefix or by the manifest). Each capture gets its
//! place under `sources/`: its file name, or as much of its path as keeps it apart from another
//! capture of the same name; the records taken from a WARC go together into a WARC of the
//! issue's own.

use super::update::{read_error, ImportError};
use super::warc::{self, Record};
use super::{capture_time, Origin, WarcRecord};
use serde::Deserialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// File name endings of captures in a folder (other files, such as images, are left).
const CAPTURE_ENDINGS: [&str; 6] = [".html", ".htm", ".xhtml", ".shtml", ".txt", ".text"];

/// One captured page.
#[derive(Debug, Clone)]
pub struct Capture {
    /// Its place under `sources/` (for a WARC record, the issue's WARC of that crawl).
    pub source: String,
    /// What messages call it: the file, or the WARC file and the record's address.
    pub display: String,
    /// The folder it lies in, where images saved beside it are looked for.
    pub folder: Option<PathBuf>,
    /// The file it was read from (none for a WARC record).
    pub path: Option<PathBuf>,
    pub bytes: Vec<u8>,
    pub origin: Origin,
}

/// An article the manifest names: its section and its captures, in page order.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub section: Option<String>,
    pub captures: Vec<usize>,
}

/// The records of one WARC file that the import uses, for the issue's own WARC.
#[derive(Debug, Clone)]
pub struct UsedWarc {
    /// Its place under `sources/`.
    pub source: String,
    pub warcinfo: Vec<Record>,
    pub records: Vec<Record>,
}

/// Everything an import reads.
#[derive(Debug, Default)]
pub struct Inputs {
    pub captures: Vec<Capture>,
    /// The manifest's articles, in reading order.
    pub entries: Vec<Entry>,
    /// Captures given outside a manifest (stitched by address or title).
    pub loose: Vec<usize>,
    pub warcs: Vec<UsedWarc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    #[serde(default)]
    article: Vec<ManifestEntry>,
}

/// `[[article]]`: `capture = "file"`, or `pages = ["file", …]` in page order; with
/// `warc = "file"`, `uri = "…"` or `pages = ["uri", …]`; and an optional `section`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestEntry {
    capture: Option<String>,
    warc: Option<String>,
    uri: Option<String>,
    pages: Option<Vec<String>>,
    section: Option<String>,
}

/// A WARC file read once.
struct OpenWarc {
    name: String,
    sha256: String,
    records: Vec<Record>,
    used: Vec<usize>,
}

struct Gatherer<'a> {
    issue: &'a str,
    inputs: Inputs,
    /// Files already taken, so that a file named twice is read once.
    taken: BTreeMap<PathBuf, usize>,
    warcs: BTreeMap<PathBuf, OpenWarc>,
}

/// Reads the captures of `files` (files, folders, WARCs), after those of the manifest.
pub fn gather(
    files: &[PathBuf],
    manifest: Option<&Path>,
    url_prefix: Option<&str>,
    issue: &str,
) -> Result<Inputs, ImportError> {
    let mut gatherer = Gatherer {
        issue,
        inputs: Inputs::default(),
        taken: BTreeMap::new(),
        warcs: BTreeMap::new(),
    };
    if let Some(manifest) = manifest {
        gatherer.manifest(manifest)?;
    }
    for path in files {
        if path.is_dir() {
            for file in folder_captures(path)? {
                let at = gatherer.file(&file)?;
                gatherer.loose(at);
            }
        } else if is_warc(path) {
            let prefix = url_prefix.ok_or_else(|| {
                ImportError::Usage(format!(
                    "{}: a WARC file: say which of its pages to import with --url-prefix URL or a --manifest",
                    path.display()
                ))
            })?;
            for at in gatherer.warc_prefix(path, prefix)? {
                gatherer.loose(at);
            }
        } else {
            let at = gatherer.file(path)?;
            gatherer.loose(at);
        }
    }
    if let Some(prefix) = url_prefix.filter(|_| gatherer.warcs.is_empty()) {
        return Err(ImportError::Usage(format!(
            "--url-prefix {prefix} chooses the pages of WARC files, and no WARC file is given"
        )));
    }
    let mut inputs = gatherer.finish();
    if inputs.captures.is_empty() {
        return Err(ImportError::Usage("no capture files given".into()));
    }
    name_apart(&mut inputs.captures);
    Ok(inputs)
}

fn is_warc(path: &Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    name.ends_with(".warc") || name.ends_with(".warc.gz")
}

/// The captures in a folder and its subfolders, in natural order of their paths.
fn folder_captures(folder: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let mut found = Vec::new();
    let visible =
        |e: &walkdir::DirEntry| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.');
    for entry in walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_entry(visible)
    {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(folder).to_path_buf();
            read_error(&path)(e.into())
        })?;
        let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
        if entry.file_type().is_file() && CAPTURE_ENDINGS.iter().any(|e| name.ends_with(e)) {
            found.push(entry.into_path());
        }
    }
    found.sort_by(|a, b| natural_order(&a.to_string_lossy(), &b.to_string_lossy()));
    if found.is_empty() {
        return Err(ImportError::Usage(format!(
            "{}: the folder holds no captures (files ending {})",
            folder.display(),
            CAPTURE_ENDINGS.join(", ")
        )));
    }
    Ok(found)
}

/// Compares texts with runs of digits compared as numbers: `page2` before `page10`.
pub fn natural_order(a: &str, b: &str) -> Ordering {
    fn chunks(text: &str) -> Vec<(bool, String)> {
        let mut chunks: Vec<(bool, String)> = Vec::new();
        for c in text.chars() {
            let digit = c.is_ascii_digit();
            match chunks.last_mut() {
                Some((d, chunk)) if *d == digit => chunk.push(c),
                _ => chunks.push((digit, c.to_string())),
            }
        }
        chunks
    }
    let (a_chunks, b_chunks) = (chunks(a), chunks(b));
    for ((a_digit, a), (b_digit, b)) in a_chunks.iter().zip(&b_chunks) {
        let order = if *a_digit && *b_digit {
            let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
            a.len().cmp(&b.len()).then(a.cmp(b))
        } else {
            a.cmp(b)
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    a_chunks.len().cmp(&b_chunks.len()).then(a.cmp(b))
}

/// The names of a path's folders and file, in order.
fn path_parts(path: &Path) -> Vec<String> {
    path.components()
        .filter_map(|c| match c {
            std::path::Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect()
}

/// Names for the capture at `path` longer than `name` (its place under `sources/`), in the
/// order they are tried: lengthened by its folders (`ferry/index.txt`), then numbered
/// (`index-2.txt`, `index-3.txt`, …).
pub fn longer_names<'a>(path: &Path, name: &'a str) -> impl Iterator<Item = String> + 'a {
    let parts = path_parts(path);
    let depth = name.split('/').count();
    let lengthened: Vec<String> = (depth + 1..=parts.len())
        .map(|d| parts[parts.len() - d..].join("/"))
        .collect();
    let (folder, file) = name.rsplit_once('/').map_or(("", name), |(f, n)| (f, n));
    let (stem, ending) = match file.rfind('.').filter(|&dot| dot > 0) {
        Some(dot) => file.split_at(dot),
        None => (file, ""),
    };
    let folder = match folder {
        "" => String::new(),
        f => format!("{f}/"),
    };
    let numbered = (2..).map(move |n| format!("{folder}{stem}-{n}{ending}"));
    lengthened.into_iter().chain(numbered)
}

/// Gives each capture file its place under `sources/`: the file name, lengthened by its
/// folders where two captures share a name (`a/source.html`, `b/source.html`).
fn name_apart(captures: &mut [Capture]) {
    let files: Vec<usize> = (0..captures.len())
        .filter(|i| captures[*i].path.is_some())
        .collect();
    let parts: Vec<Vec<String>> = files
        .iter()
        .map(|i| path_parts(captures[*i].path.as_ref().expect("a file")))
        .collect();
    let mut depth = vec![1usize; files.len()];
    let name = |i: usize, depth: usize| {
        let p = &parts[i];
        p[p.len().saturating_sub(depth)..].join("/")
    };
    loop {
        let clashing: Vec<usize> = (0..files.len())
            .filter(|&i| {
                depth[i] < parts[i].len()
                    && (0..files.len()).any(|j| j != i && name(i, depth[i]) == name(j, depth[j]))
            })
            .collect();
        if clashing.is_empty() {
            break;
        }
        for i in clashing {
            depth[i] += 1;
        }
    }
    for (k, i) in files.iter().enumerate() {
        captures[*i].source = name(k, depth[k]);
    }
}

impl Gatherer<'_> {
    fn loose(&mut self, at: usize) {
        if !self.inputs.loose.contains(&at) && !self.in_entry(at) {
            self.inputs.loose.push(at);
        }
    }

    fn in_entry(&self, at: usize) -> bool {
        self.inputs.entries.iter().any(|e| e.captures.contains(&at))
    }

    /// A capture file (read once however often it is named).
    fn file(&mut self, path: &Path) -> Result<usize, ImportError> {
        let key = fs::canonicalize(path).map_err(read_error(path))?;
        if let Some(at) = self.taken.get(&key) {
            return Ok(*at);
        }
        if path.is_dir() {
            return Err(ImportError::Usage(format!(
                "{}: a folder, where the manifest names a capture file",
                path.display()
            )));
        }
        let bytes = fs::read(path).map_err(read_error(path))?;
        if path.file_name().and_then(|n| n.to_str()).is_none() {
            return Err(ImportError::Usage(format!(
                "{}: not a file name quire can keep",
                path.display()
            )));
        }
        self.inputs.captures.push(Capture {
            source: String::new(),
            display: path.display().to_string(),
            folder: path.parent().map(Path::to_path_buf),
            path: Some(path.to_path_buf()),
            bytes,
            origin: Origin::default(),
        });
        let at = self.inputs.captures.len() - 1;
        self.taken.insert(key, at);
        Ok(at)
    }

    fn manifest(&mut self, path: &Path) -> Result<(), ImportError> {
        let text = fs::read_to_string(path).map_err(read_error(path))?;
        let manifest: Manifest = toml::from_str(&text).map_err(|e| {
            ImportError::Usage(format!("{}: {}", path.display(), e.message().trim_end()))
        })?;
        let folder = path.parent().unwrap_or(Path::new("."));
        for (n, entry) in manifest.article.into_iter().enumerate() {
            let bad = |message: &str| {
                ImportError::Usage(format!("{}: article {}: {message}", path.display(), n + 1))
            };
            let pages = match (&entry.capture, &entry.uri, &entry.pages) {
                (Some(one), None, None) | (None, Some(one), None) => vec![one.clone()],
                (None, None, Some(pages)) if !pages.is_empty() => pages.clone(),
                _ => return Err(bad("give one of capture, uri (with warc) or pages")),
            };
            if entry.uri.is_some() && entry.warc.is_none() {
                return Err(bad("uri needs the warc it is in"));
            }
            if entry.capture.is_some() && entry.warc.is_some() {
                return Err(bad("a capture is a file: give uri with warc"));
            }
            let mut captures = Vec::new();
            for page in pages {
                let at = match &entry.warc {
                    Some(warc) => self.warc_uri(&folder.join(warc), &page)?,
                    None => self.file(&folder.join(&page))?,
                };
                captures.push(at);
            }
            self.inputs.entries.push(Entry {
                section: entry.section,
                captures,
            });
        }
        Ok(())
    }

    fn open_warc(&mut self, path: &Path) -> Result<&mut OpenWarc, ImportError> {
        let key = fs::canonicalize(path).map_err(read_error(path))?;
        if !self.warcs.contains_key(&key) {
            let bytes = fs::read(path).map_err(read_error(path))?;
            let records = warc::read_records(&bytes).map_err(|cause| ImportError::Warc {
                path: path.display().to_string(),
                cause,
            })?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            self.warcs.insert(
                key.clone(),
                OpenWarc {
                    name,
                    sha256: crate::archive::DigestAlgorithm::Sha256.digest(&bytes),
                    records,
                    used: Vec::new(),
                },
            );
        }
        Ok(self.warcs.get_mut(&key).expect("inserted above"))
    }

    /// The pages of a WARC whose address starts with `prefix`.
    fn warc_prefix(&mut self, path: &Path, prefix: &str) -> Result<Vec<usize>, ImportError> {
        let warc = self.open_warc(path)?;
        let mut uris: Vec<String> = Vec::new();
        for record in &warc.records {
            let uri = record.header("WARC-Target-URI").unwrap_or("");
            if record.kind() == "response"
                && uri.starts_with(prefix)
                && page(record).is_some()
                && !uris.iter().any(|u| u == uri)
            {
                uris.push(uri.to_string());
            }
        }
        if uris.is_empty() {
            return Err(ImportError::Usage(format!(
                "{}: no HTML or text page in the WARC has an address starting {prefix}",
                path.display()
            )));
        }
        uris.iter().map(|uri| self.warc_uri(path, uri)).collect()
    }

    /// The page a WARC holds for `uri` (the last response captured for it).
    fn warc_uri(&mut self, path: &Path, uri: &str) -> Result<usize, ImportError> {
        let issue = self.issue.to_string();
        let warc = self.open_warc(path)?;
        let found = warc
            .records
            .iter()
            .enumerate()
            .rev()
            .find(|(_, r)| r.kind() == "response" && r.header("WARC-Target-URI") == Some(uri));
        let Some((index, record)) = found else {
            return Err(ImportError::Usage(format!(
                "{}: holds no response for {uri}",
                path.display()
            )));
        };
        let response = page(record).ok_or_else(|| {
            ImportError::Usage(format!(
                "{}: the response for {uri} is not an HTML or text page with status 200",
                path.display()
            ))
        })?;
        let source = stored_name(&warc.name, &issue);
        let capture = Capture {
            source: source.clone(),
            display: format!("{} {uri}", path.display()),
            folder: None,
            path: None,
            bytes: response.body,
            origin: Origin {
                url: Some(uri.to_string()),
                captured: record
                    .header("WARC-Date")
                    .and_then(capture_time)
                    .or_else(|| response.date.as_deref().and_then(capture_time)),
                media_type: response.media_type,
                charset: response.charset,
                warc: Some(WarcRecord {
                    record: record.id().to_string(),
                    original: warc.name.clone(),
                    original_sha256: warc.sha256.clone(),
                }),
            },
        };
        if !warc.used.contains(&index) {
            warc.used.push(index);
        }
        let record_id = record.id().to_string();
        let existing = self.inputs.captures.iter().position(|c| {
            c.origin
                .warc
                .as_ref()
                .is_some_and(|w| w.record == record_id)
        });
        Ok(existing.unwrap_or_else(|| {
            self.inputs.captures.push(capture);
            self.inputs.captures.len() - 1
        }))
    }

    fn finish(mut self) -> Inputs {
        for warc in self.warcs.into_values() {
            let mut used = warc.used.clone();
            used.sort();
            self.inputs.warcs.push(UsedWarc {
                source: stored_name(&warc.name, self.issue),
                warcinfo: warc
                    .records
                    .iter()
                    .filter(|r| r.kind() == "warcinfo")
                    .cloned()
                    .collect(),
                records: used.iter().map(|i| warc.records[*i].clone()).collect(),
            });
        }
        self.inputs
    }
}

/// The HTTP response of a record, when it is a page (HTML or text, status 200).
fn page(record: &Record) -> Option<warc::HttpResponse> {
    let response = warc::http_response(&record.block).ok()?;
    let media = response.media_type.as_deref().unwrap_or("text/html");
    let is_page = matches!(media, "text/html" | "application/xhtml+xml" | "text/plain");
    (response.status == 200 && is_page).then_some(response)
}

/// The issue's WARC of a crawl: `crawl.warc.gz` gives `crawl-<issue>.warc.gz`.
fn stored_name(original: &str, issue: &str) -> String {
    let lower = original.to_ascii_lowercase();
    let (stem, ending) = if lower.ends_with(".warc.gz") {
        (&original[..original.len() - 8], ".warc.gz")
    } else if lower.ends_with(".warc") {
        (&original[..original.len() - 5], ".warc")
    } else {
        (original, ".warc")
    };
    format!("{stem}-{issue}{ending}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_puts_page2_before_page10() {
        let mut names = vec![
            "page10.html",
            "page2.html",
            "page1.html",
            "a/page3.html",
            "page02b.html",
        ];
        names.sort_by(|a, b| natural_order(a, b));
        assert_eq!(
            names,
            [
                "a/page3.html",
                "page1.html",
                "page2.html",
                "page02b.html",
                "page10.html"
            ]
        );
    }

    #[test]
    fn captures_of_the_same_name_in_different_folders_are_kept_apart() {
        let capture = |path: &str| Capture {
            source: String::new(),
            display: path.into(),
            folder: None,
            path: Some(PathBuf::from(path)),
            bytes: Vec::new(),
            origin: Origin::default(),
        };
        let mut captures = vec![
            capture("/x/one/source.html"),
            capture("/x/two/source.html"),
            capture("/x/two/other.html"),
        ];
        name_apart(&mut captures);
        let names: Vec<&str> = captures.iter().map(|c| c.source.as_str()).collect();
        assert_eq!(names, ["one/source.html", "two/source.html", "other.html"]);
        assert_eq!(
            stored_name("crawl.warc.gz", "issue-12"),
            "crawl-issue-12.warc.gz"
        );
    }
}
