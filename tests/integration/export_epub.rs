//! `quire export epub`, `export all` and `feeds`: EPUBCheck and Ace by DAISY on every kind of
//! issue, the same bytes for the same version, the package and accessibility metadata, and
//! feeds read by a standard XML parser.

use crate::support::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// EPUBCheck: Java and Debian's `epubcheck` (a jar on PATH), or `None` (a skip) when either
/// is not installed.
pub struct EpubCheck {
    java: PathBuf,
    jar: PathBuf,
}

impl EpubCheck {
    pub fn find() -> Option<EpubCheck> {
        let (java, jar) = (tool("java"), tool("epubcheck"));
        Some(EpubCheck {
            java: java?,
            jar: jar?,
        })
    }

    /// Runs EPUBCheck on a book and returns its report.
    pub fn report(&self, book: &Path) -> String {
        tool_output(
            Command::new(&self.java)
                .arg("-jar")
                .arg(&self.jar)
                .arg(book),
        )
        .1
    }
}

/// EPUBCheck finds nothing in `book`: no fatal error, no error, no warning (nothing is checked
/// where EPUBCheck is not installed; [`EpubCheck::find`] says so).
pub fn assert_epubcheck_clean(book: &Path) {
    if let Some(epubcheck) = EpubCheck::find() {
        let report = epubcheck.report(book);
        assert!(
            report.contains("Messages: 0 fatals / 0 errors / 0 warnings"),
            "{}:\n{report}",
            book.display()
        );
    }
}

/// Ace by DAISY: ace-cli from npm, where `.ci/run` installs it, run with Debian's chromium; or
/// `None` (a skip) when either is not installed.
pub struct Ace {
    cli: PathBuf,
    chromium: PathBuf,
}

/// One violation Ace reports: its impact (minor, moderate, serious, critical), rule, document
/// and description.
#[derive(Debug)]
pub struct Violation {
    pub impact: String,
    pub rule: String,
    pub file: String,
    pub description: String,
}

impl Violation {
    /// Whether Ace rates it serious or critical.
    pub fn grave(&self) -> bool {
        matches!(self.impact.as_str(), "serious" | "critical")
    }

    pub fn line(&self) -> String {
        format!(
            "{} {} in {}: {}",
            self.impact, self.rule, self.file, self.description
        )
    }
}

impl Ace {
    pub fn find() -> Option<Ace> {
        let cli = std::env::var_os("HOME")
            .map(|home| PathBuf::from(home).join(".cache/quire/npm/node_modules/.bin/ace-cli"))
            .filter(|cli| cli.is_file());
        let (cli, chromium) = (available("ace-cli", cli), tool("chromium"));
        Some(Ace {
            cli: cli?,
            chromium: chromium?,
        })
    }

    /// Runs Ace on a book and returns every violation its report.json lists.
    pub fn violations(&self, book: &Path) -> Vec<Violation> {
        let out = tempfile::tempdir().unwrap();
        let (ok, text) = tool_output(
            Command::new(&self.cli)
                .env("PUPPETEER_EXECUTABLE_PATH", &self.chromium)
                .args(["--silent", "--force", "--outdir"])
                .arg(out.path())
                .arg(book),
        );
        assert!(ok, "ace-cli failed on {}: {text}", book.display());
        let report: serde_json::Value =
            serde_json::from_slice(&fs::read(out.path().join("report.json")).unwrap()).unwrap();
        let mut violations = Vec::new();
        for subject in report["assertions"].as_array().unwrap() {
            for assertion in subject["assertions"].as_array().into_iter().flatten() {
                let test = &assertion["earl:test"];
                violations.push(Violation {
                    impact: test["earl:impact"].as_str().unwrap_or("").to_string(),
                    rule: test["dct:title"].as_str().unwrap_or("").to_string(),
                    file: subject["earl:testSubject"]["url"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                    description: assertion["earl:result"]["dct:description"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                });
            }
        }
        violations
    }
}

/// An entry of an EPUB (a zip), read with Python's standard zipfile module.
pub fn epub_entry(book: &Path, name: &str) -> String {
    let (ok, text) = tool_output(
        Command::new("python3")
            .args(["-c", "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())"])
            .arg(book)
            .arg(name),
    );
    assert!(ok, "{text}");
    text
}

/// The exports in a folder (not the record of them), each with the sha512 of its bytes and
/// its modification time.
fn files_with_times(dir: &Path) -> Vec<(String, String, std::time::SystemTime)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .map(|p| {
            let modified = fs::metadata(&p).unwrap().modified().unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, sha512_hex(&fs::read(&p).unwrap()), modified)
        })
        .collect();
    files.sort();
    files
}

/// Runs a Python snippet that reads `file` with xml.etree and prints what it finds.
fn with_etree(file: &Path, script: &str) -> String {
    let (ok, text) = tool_output(Command::new("python3").args(["-c", script]).arg(file));
    assert!(ok, "{text}");
    text
}

fn export_epub(archive: &Path, issue: &str, out: &Path) {
    run(quire(archive)
        .args(["export", "epub", issue, "-o"])
        .arg(out))
    .ok();
}

/// Exports an issue's EPUB, and returns what quire said besides (its warnings).
fn export_epub_warnings(archive: &Path, issue: &str, out: &Path) -> String {
    run(quire(archive)
        .args(["export", "epub", issue, "-o"])
        .arg(out))
    .ok_stderr()
}

/// An issue of one article with a cover, tables (Markdown and HTML), an image the body shows,
/// a PNG saved as `.jpg`, a captioned image the metadata lists, and, when `undescribed`, one
/// it lists with neither alt text nor caption; ingested into `archive`.
fn tables_and_pictures(dir: &Path, archive: &Path, id: &str, undescribed: bool) {
    let (folder, _) = test_issue(dir, id, 1, 1, 2);
    add_pictures(
        &folder,
        "| Port | Ferries |\n|------|--------:|\n| Oban | 12 |\n\n<table>\n<tr><th>Year</th><th>Count</th></tr>\n<tr><th>2020</th><td>3</td></tr>\n</table>\n\n![A gradient](assets/cover.jpg)\n\n![The harbour at dusk](assets/dusk.jpg)\n\n![Remote](https://example.org/x.png)\n",
    );
    let png = fixtures().join("web/html/images/harbour.png");
    fs::copy(&png, folder.join("assets/dusk.jpg")).unwrap();
    if undescribed {
        fs::copy(&png, folder.join("assets/plain.png")).unwrap();
        edit_file(&folder.join("issue.toml"), |toml| {
            toml.replace(
                "caption = \"The harbour\" }",
                "caption = \"The harbour\" }, { file = \"assets/plain.png\" }",
            )
        });
    }
    run(quire(archive).arg("ingest").arg(&folder)).ok();
}

#[test]
fn every_kind_of_issue_passes_epubcheck_with_no_warning() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let mut books: Vec<PathBuf> = Vec::new();

    let sample = dir.path().join("sample.epub");
    export_epub(&repo().join("archive"), "beijing-review-sample", &sample);
    books.push(sample);

    // Long: three sections of four articles, headings in each.
    let (folder, _) = test_issue(dir.path(), "long", 3, 4, 8);
    run(quire(&archive).arg("ingest").arg(&folder)).ok();

    // One article, with a cover, tables and images (shown in the body, one a PNG named .jpg,
    // one only listed).
    tables_and_pictures(dir.path(), &archive, "pictures", false);

    // CJK text, and an HTML capture with a list, a quote and an image.
    for (id, capture) in [
        ("cjk", "web/lighthouse-gbk.txt"),
        ("coast", "web/html/night-ferries.html"),
    ] {
        run(quire(&archive)
            .args(["import-web", "--issue", id])
            .arg(fixtures().join(capture)))
        .ok();
    }
    // Right to left: an Arabic issue with an English article; a page no capture holds.
    run(quire(&archive).arg("ingest").arg(arabic_issue(dir.path()))).ok();
    run(quire(&archive)
        .arg("ingest")
        .arg(issue_missing_a_page(dir.path())))
    .ok();
    // Links within the book, a heading with emphasis, a pull quote, captions in running text,
    // a tall image, an ISSN and a double number.
    run(quire(&archive)
        .arg("ingest")
        .arg(producer_issue(dir.path())))
    .ok();
    for id in [
        "long",
        "pictures",
        "cjk",
        "coast",
        "rtl",
        "gaps",
        "tidewater",
    ] {
        let book = dir.path().join(format!("{id}.epub"));
        export_epub(&archive, id, &book);
        books.push(book);
    }

    // EPUBCheck takes seconds (a JVM each): two at a time.
    let Some(epubcheck) = EpubCheck::find() else {
        return;
    };
    let epubcheck = &epubcheck;
    let reports: Vec<(PathBuf, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = books
            .chunks(3)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|b| (b.clone(), epubcheck.report(b)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    for (book, report) in reports {
        assert!(
            report.contains("Messages: 0 fatals / 0 errors / 0 warnings"),
            "{}:\n{report}",
            book.display()
        );
    }

    // Ace by DAISY (a browser each, so one at a time): no violation of serious or critical
    // impact, and on these books none at all.
    let Some(ace) = Ace::find() else {
        return;
    };
    for book in &books {
        let violations = ace.violations(book);
        let lines: Vec<String> = violations.iter().map(Violation::line).collect();
        assert!(
            !violations.iter().any(Violation::grave) && violations.is_empty(),
            "{}: Ace reports\n{}",
            book.display(),
            lines.join("\n")
        );
    }
}

#[test]
fn the_accessibility_metadata_claims_conformance_only_when_every_rule_holds() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let conformance =
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>";

    // Every image described (alt text, a caption), tables with header cells, a language.
    tables_and_pictures(dir.path(), &archive, "described", false);
    let book = dir.path().join("described.epub");
    let stderr = export_epub_warnings(&archive, "described", &book);
    assert!(!stderr.contains("warning"), "{stderr}");
    let opf = epub_entry(&book, "OEBPS/content.opf");
    assert_contains_all(
        &opf,
        &[
            "<package xml:lang=\"en\"",
            "<meta property=\"schema:accessMode\">textual</meta>",
            "<meta property=\"schema:accessMode\">visual</meta>",
            "<meta property=\"schema:accessModeSufficient\">textual</meta>",
            "<meta property=\"schema:accessModeSufficient\">textual,visual</meta>",
            "<meta property=\"schema:accessibilityFeature\">structuralNavigation</meta>",
            "<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>",
            "<meta property=\"schema:accessibilityFeature\">readingOrder</meta>",
            "<meta property=\"schema:accessibilityFeature\">alternativeText</meta>",
            "<meta property=\"schema:accessibilityHazard\">none</meta>",
            "<meta property=\"schema:accessibilitySummary\" xml:lang=\"en\">",
            conformance,
            // The PNG named .jpg is a PNG, under a name that says so.
            "<item media-type=\"image/png\" id=\"id_images_dusk.jpg.png\" href=\"images/dusk.jpg.png\"/>",
        ],
    );
    let article = epub_entry(&book, "OEBPS/a-a0.xhtml");
    assert_contains_all(
        &article,
        &[
            "<img src=\"images/dusk.jpg.png\" alt=\"The harbour at dusk\"/>",
            // A listed image without alt text takes its caption.
            "<figure><img src=\"images/harbour.png\" alt=\"The harbour\"/><figcaption>The harbour</figcaption></figure>",
            "<th scope=\"col\">Port</th>",
            "<th scope=\"row\">2020</th>",
        ],
    );

    // An image with neither alt text nor caption: said so, counted in a warning, no claim.
    tables_and_pictures(dir.path(), &archive, "undescribed", false);
    tables_and_pictures(&dir.path().join("again"), &archive, "undescribed", true);
    let book = dir.path().join("undescribed.epub");
    let stderr = export_epub_warnings(&archive, "undescribed", &book);
    assert!(
        stderr.contains(&format!(
            "quire: warning: {}: 1 image(s) have neither alt text nor a caption",
            book.display()
        )),
        "{stderr}"
    );
    let opf = epub_entry(&book, "OEBPS/content.opf");
    assert!(!opf.contains("dcterms:conformsTo"), "{opf}");
    assert!(!opf.contains("alternativeText"), "{opf}");
    assert!(
        !opf.contains("<meta property=\"schema:accessModeSufficient\">textual</meta>"),
        "{opf}"
    );
    assert!(
        opf.contains("1 of its 5 images have no description in the source"),
        "{opf}"
    );
    let article = epub_entry(&book, "OEBPS/a-a0.xhtml");
    assert!(
        article.contains("<figure><img src=\"images/plain.png\" alt=\"An image the source gives no description of\" lang=\"en\" xml:lang=\"en\"/></figure>"),
        "{article}"
    );
    // export all says the same, in its records too.
    let records = json_lines(
        &run(quire(&archive)
            .args(["export", "all", "--json", "--formats", "epub", "--dir"])
            .arg(dir.path().join("exports")))
        .ok(),
    );
    let warned: Vec<&serde_json::Value> = records
        .iter()
        .filter(|r| r["data"]["warnings"].is_array())
        .collect();
    assert_eq!(warned.len(), 1, "{records:?}");
    assert_eq!(warned[0]["data"]["file"], "undescribed-v2.epub");
}

#[test]
fn the_package_says_what_the_issue_is_and_stays_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let (folder, _) = test_issue(dir.path(), "meta", 2, 1, 3);
    run(quire(&archive)
        .arg("ingest")
        .arg(&folder)
        .args(["--created", "2024-03-15T10:00:00Z"]))
    .ok();
    let (a, b) = (dir.path().join("a.epub"), dir.path().join("b.epub"));
    export_epub(&archive, "meta", &a);
    export_epub(&archive, "meta", &b);
    assert_eq!(
        fs::read(&a).unwrap(),
        fs::read(&b).unwrap(),
        "two exports of one version differ"
    );
    // Reproducible because every entry carries the fixed date, not the time of the export.
    let dates = zip_entry_dates(&a);
    assert!(dates.len() > 5, "{dates:?}");
    for (name, date) in &dates {
        assert_eq!(date, "1980-01-01 00:00:00", "{name}");
    }

    // The zip: mimetype first and stored, so readers can sniff the type.
    let raw = fs::read(&a).unwrap();
    assert_eq!(&raw[30..38], b"mimetype");
    assert_eq!(&raw[38..58], b"application/epub+zip");

    let opf = epub_entry(&a, "OEBPS/content.opf");
    for expected in [
        "<dc:title>Test Quarterly: Spring Issue</dc:title>",
        "<dc:language id=\"epub-language-0\">en</dc:language>",
        "<dc:publisher>Test Press</dc:publisher>",
        "<dc:date>2024-03</dc:date>",
        "<dc:source>urn:quire:meta v1</dc:source>",
        "<meta property=\"dcterms:modified\">2024-03-15T10:00:00Z</meta>",
        "<meta property=\"belongs-to-collection\" id=\"collection\">Test Quarterly</meta>",
        // Volume 4, number 2: its place in the series as EPUB 3.3 writes a periodical's.
        "<meta refines=\"#collection\" property=\"group-position\">4.2</meta>",
        "<dc:title id=\"subtitle\">Volume 4 · Number 2 · March 2024</dc:title>",
        ">Zoë Müller</dc:creator>",
        ">Иван Петров</dc:creator>",
        // No images, a language, headings: the rules hold.
        "<meta property=\"schema:accessModeSufficient\">textual</meta>",
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>",
    ] {
        assert!(opf.contains(expected), "{expected} missing:\n{opf}");
    }
    // The identifier belongs to the issue: the same for its next version.
    let identifier = |opf: &str| {
        opf.split("<dc:identifier id=\"epub-id-1\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_string()
    };
    fs::write(folder.join("articles/a0.md"), "Changed.\n").unwrap();
    run(quire(&archive)
        .arg("ingest")
        .arg(&folder)
        .args(["--created", "2024-04-01T09:00:00Z"]))
    .ok();
    let c = dir.path().join("c.epub");
    export_epub(&archive, "meta", &c);
    let opf2 = epub_entry(&c, "OEBPS/content.opf");
    assert_eq!(identifier(&opf), identifier(&opf2));
    assert!(identifier(&opf).starts_with("urn:uuid:"));
    assert!(
        opf2.contains("2024-04-01T09:00:00Z")
            && opf2.contains("<dc:source>urn:quire:meta v2</dc:source>")
    );

    // The nav nests section, article, heading; every document says its language.
    let nav = dir.path().join("nav.xhtml");
    fs::write(&nav, epub_entry(&a, "OEBPS/nav.xhtml")).unwrap();
    let tree = with_etree(
        &nav,
        r#"
import sys, xml.etree.ElementTree as ET
ns = {'h': 'http://www.w3.org/1999/xhtml'}
root = ET.parse(sys.argv[1]).getroot()
print(root.get('{http://www.w3.org/XML/1998/namespace}lang'))
toc = [n for n in root.iter('{http://www.w3.org/1999/xhtml}nav') if n.get('{http://www.idpf.org/2007/ops}type') == 'toc'][0]
def walk(ol, depth):
    for li in ol.findall('h:li', ns):
        a = li.find('h:a', ns)
        print('  ' * depth + ''.join(a.itertext()).strip())
        for child in li.findall('h:ol', ns):
            walk(child, depth + 1)
walk(toc.find('h:ol', ns), 0)
"#,
    );
    let lines: Vec<&str> = tree.lines().collect();
    assert_eq!(lines[0], "en");
    assert_eq!(lines[1], "Section 0");
    assert_eq!(lines[2], "  Article 0: Čapek and the Ωmega of Σύνταξη");
    assert_eq!(lines[3], "    Part 2 of article 0");
    assert_eq!(lines[4], "Section 1");
    let article = epub_entry(&a, "OEBPS/a-a0.xhtml");
    assert!(article.contains("xml:lang=\"en\""), "{article}");
}

#[test]
fn export_all_skips_what_is_up_to_date_and_feeds_list_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let (folder, _) = test_issue(dir.path(), "feedy", 1, 2, 2);
    add_cover(&folder);
    run(quire(&archive)
        .arg("ingest")
        .arg(&folder)
        .args(["--created", "2024-03-15T10:00:00Z"]))
    .ok();
    run(quire(&archive).arg("ingest").arg(sample_issue())).ok();
    let exports = dir.path().join("exports");
    let all = |extra: &[&str]| {
        let mut command = quire(&archive);
        command
            .args(["export", "all", "--json", "--dir"])
            .arg(&exports)
            .args(extra);
        json_lines(&run(&mut command).ok())
    };
    let first = all(&[]);
    assert_eq!(first.len(), 4);
    assert!(
        first
            .iter()
            .all(|r| r["type"] == "export" && r["data"]["written"] == true),
        "{first:?}"
    );
    let written = files_with_times(&exports);
    assert_eq!(written.len(), 4, "{written:?}");
    // A second run a moment later leaves every file as it was: the same bytes and the same
    // modification time (so nothing was written again, not even the same bytes).
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = all(&[]);
    assert!(
        second.iter().all(|r| r["data"]["written"] == false),
        "{second:?}"
    );
    assert_eq!(
        files_with_times(&exports),
        written,
        "export all wrote again"
    );
    // A damaged output is made again.
    fs::write(exports.join("feedy-v1.pdf"), "damaged").unwrap();
    let third = all(&["--formats", "pdf"]);
    let rewritten: Vec<&str> = third
        .iter()
        .filter(|r| r["data"]["written"] == true)
        .map(|r| r["data"]["file"].as_str().unwrap())
        .collect();
    assert_eq!(rewritten, ["feedy-v1.pdf"]);

    // Every version on request: feedy gets a v2, and both versions are made.
    fs::write(folder.join("articles/a1.md"), "A second version.\n").unwrap();
    run(quire(&archive)
        .arg("ingest")
        .arg(&folder)
        .args(["--created", "2024-04-01T08:00:00Z"]))
    .ok();
    let every = all(&["--all-versions", "--formats", "epub"]);
    let files: Vec<&str> = every
        .iter()
        .map(|r| r["data"]["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 3, "{files:?}");
    assert!(files.contains(&"feedy-v1.epub") && files.contains(&"feedy-v2.epub"));
    fs::remove_file(exports.join("feedy-v2.epub")).unwrap();
    run(quire(&archive)
        .args(["feeds", "--base-url", "https://example.org/issues", "--dir"])
        .arg(&exports))
    .ok();
    let opds = exports.join("opds.xml");
    let before = fs::read(&opds).unwrap();
    run(quire(&archive)
        .args(["feeds", "--base-url", "https://example.org/issues", "--dir"])
        .arg(&exports))
    .ok();
    assert_eq!(
        fs::read(&opds).unwrap(),
        before,
        "feeds differ between runs"
    );

    // OPDS 1.2: an Atom feed with id, title, updated, author and self/start links; entries with
    // id, title, updated, acquisition links of the right types, the cover, dc:issued.
    let report = with_etree(
        &opds,
        r#"
import sys, xml.etree.ElementTree as ET
A = '{http://www.w3.org/2005/Atom}'
feed = ET.parse(sys.argv[1]).getroot()
assert feed.tag == A + 'feed'
for required in ['id', 'title', 'updated', 'author']:
    assert feed.find(A + required) is not None, required
rels = {l.get('rel'): l.get('type') for l in feed.findall(A + 'link')}
assert 'kind=acquisition' in rels['self'] and 'kind=acquisition' in rels['start'], rels
for entry in feed.findall(A + 'entry'):
    for required in ['id', 'title', 'updated']:
        assert entry.find(A + required) is not None, required
    links = [(l.get('rel'), l.get('type'), l.get('href')) for l in entry.findall(A + 'link')]
    issued = entry.find('{http://purl.org/dc/terms/}issued')
    print(entry.find(A + 'id').text, issued.text if issued is not None else '-', sorted(links))
"#,
    );
    assert!(report.contains("urn:quire:feedy 2024-03"), "{report}");
    assert!(report.contains("('http://opds-spec.org/acquisition', 'application/epub+zip', 'https://example.org/issues/feedy-v1.epub')"), "{report}");
    assert!(report.contains("('http://opds-spec.org/acquisition', 'application/pdf', 'https://example.org/issues/feedy-v1.pdf')"), "{report}");
    assert!(report.contains("('http://opds-spec.org/image', 'image/jpeg', 'https://example.org/issues/feedy-v1-cover.jpg')"), "{report}");
    assert!(
        report.contains("urn:quire:beijing-review-sample -"),
        "{report}"
    );
    assert_eq!(
        fs::read(exports.join("feedy-v1-cover.jpg")).unwrap(),
        fs::read(fixtures().join("pdf/gradient.jpg")).unwrap()
    );

    let rss = with_etree(
        &exports.join("rss.xml"),
        r#"
import sys, xml.etree.ElementTree as ET
rss = ET.parse(sys.argv[1]).getroot()
assert rss.tag == 'rss' and rss.get('version') == '2.0'
channel = rss.find('channel')
for required in ['title', 'link', 'description']:
    assert channel.find(required) is not None, required
for item in channel.findall('item'):
    enclosure = item.find('enclosure')
    print(item.find('guid').text, item.find('pubDate').text, enclosure.get('type'), enclosure.get('length'))
"#,
    );
    let items: Vec<&str> = rss.lines().collect();
    assert_eq!(items.len(), 2, "{rss}");
    assert!(
        items.iter().any(|i| i.starts_with(
            "urn:quire:feedy@v1 Fri, 15 Mar 2024 10:00:00 +0000 application/epub+zip"
        )),
        "{rss}"
    );
}

/// Letters and digits, lowercased: how a PDF page and an EPUB's text are compared (hyphens,
/// spacing and markup aside).
fn comparable(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The text of an XHTML document after the element with `id`, tags left out.
fn text_after(xhtml: &str, id: &str) -> String {
    let at = xhtml
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id}"));
    let rest = &xhtml[at..];
    let rest = &rest[rest.find('>').unwrap() + 1..];
    let mut text = String::new();
    let mut in_tag = false;
    for c in rest.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[test]
fn the_page_list_points_at_the_text_that_begins_each_page_of_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    // The long test issue: a text of few words, so its lines repeat; a figure in its first
    // article.
    let folder = dir.path().join("long");
    crate::export_pdf::long_issue::write_long_issue(&folder, 12, 2000).unwrap();
    let archive = archive_of(dir.path(), &folder);
    let (pdf, book) = (dir.path().join("long.pdf"), dir.path().join("long.epub"));
    run(quire(&archive)
        .args(["export", "pdf", "bench", "-o"])
        .arg(&pdf))
    .ok();
    let stderr = export_epub_warnings(&archive, "bench", &book);
    assert!(!stderr.contains("warning"), "{stderr}");
    let opf = epub_entry(&book, "OEBPS/content.opf");
    assert_contains_all(
        &opf,
        &[
            "<meta property=\"schema:accessibilityFeature\">printPageNumbers</meta>",
            "<meta property=\"schema:accessibilityFeature\">pageNavigation</meta>",
            "<dc:source id=\"page-source\">urn:quire:bench v1, PDF edition (A4, 2 columns)</dc:source>",
            "<meta refines=\"#page-source\" property=\"source-of\">pagination</meta>",
        ],
    );

    // The page list: each entry's page number and target.
    let nav = dir.path().join("nav.xhtml");
    fs::write(&nav, epub_entry(&book, "OEBPS/nav.xhtml")).unwrap();
    let list = with_etree(
        &nav,
        r#"
import sys, xml.etree.ElementTree as ET
H, E = '{http://www.w3.org/1999/xhtml}', '{http://www.idpf.org/2007/ops}'
root = ET.parse(sys.argv[1]).getroot()
navs = [n for n in root.iter(H + 'nav') if n.get(E + 'type') == 'page-list']
assert len(navs) == 1 and navs[0].get('role') == 'doc-pagelist'
for a in navs[0].iter(H + 'a'):
    print(a.text, a.get('href'))
"#,
    );
    let entries: Vec<(usize, String)> = list
        .lines()
        .map(|line| {
            let (number, href) = line.split_once(' ').unwrap();
            (number.parse().unwrap(), href.to_string())
        })
        .collect();

    if !tools(&["pdftotext"]) {
        return;
    }
    // Each PDF page's text without its running head and folio (A4, in points: the head's
    // rule 41 pt from the top, the folio 28 pt from the foot).
    let (ok, text) = tool_output(
        Command::new(checked_tool("pdftotext"))
            .args(["-x", "0", "-y", "45", "-W", "596", "-H", "755"])
            .arg(&pdf)
            .arg("-"),
    );
    assert!(ok, "{text}");
    let mut pages: Vec<&str> = text.split('\x0c').collect();
    pages.pop();
    // Pages with article text: all but the cover, the contents and the colophon.
    let article_pages: Vec<usize> = (1..=pages.len())
        .filter(|n| {
            let text = pages[n - 1].trim_start();
            *n > 1 && !text.starts_with("Contents") && !text.starts_with("Colophon")
        })
        .collect();
    // Twelve articles, most over several pages.
    assert!(article_pages.len() > 30, "{article_pages:?}");
    let listed: Vec<usize> = entries.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        listed, article_pages,
        "one entry for every page with article text"
    );

    for (number, href) in &entries {
        let (file, id) = href.split_once('#').unwrap();
        assert_eq!(id, format!("page-{number}"));
        let xhtml = epub_entry(&book, &format!("OEBPS/{file}"));
        assert!(
            xhtml.contains(&format!("<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"{id}\" aria-label=\"{number}\" title=\"{number}\"/>")),
            "{xhtml}"
        );
        let after = comparable(&text_after(&xhtml, id));
        let page: String = comparable(pages[number - 1]).chars().take(30).collect();
        // The marker stands before the word the page begins with (a page may begin with the
        // rest of a hyphenated word).
        let found = after.find(&page);
        assert!(
            found.is_some_and(|at| at < 20),
            "page {number} begins with {page:?}; after its marker: {:?}",
            after.chars().take(80).collect::<String>()
        );
    }
}

/// A character no face of the PDF has (the PDF shows it as its code point) does not stop the
/// PDF layout the page list is read from: the book keeps its page list (it once had none).
#[test]
fn a_character_no_font_has_does_not_cost_the_book_its_page_list() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let (folder, _) = test_issue(dir.path(), "glyphs", 1, 1, 3);
    // An Egyptian hieroglyph: no bundled face has it, nor any face quire looks for.
    fs::write(
        folder.join("articles/a0.md"),
        "The sign 𓀀 stands for a man.\n",
    )
    .unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let book = dir.path().join("glyphs.epub");
    let stderr = export_epub_warnings(&archive, "glyphs", &book);
    assert!(!stderr.contains("page list"), "{stderr}");
    let nav = epub_entry(&book, "OEBPS/nav.xhtml");
    assert!(nav.contains("page-list"), "{nav}");
    // The navigation's heading is the edition's word for it, not epub-builder's.
    assert!(
        nav.contains(">Contents<") && !nav.contains("Table Of Contents"),
        "{nav}"
    );
    let opf = epub_entry(&book, "OEBPS/content.opf");
    assert!(opf.contains("page-source"), "{opf}");
    let article = epub_entry(&book, "OEBPS/a-a0.xhtml");
    assert!(
        article.contains("The sign 𓀀 stands") && article.contains("pagebreak"),
        "{article}"
    );
}

/// An issue folder of one French article whose page 2 no capture holds: its body marks pages
/// 1 and 3.
fn issue_missing_a_page(dir: &Path) -> PathBuf {
    let (folder, paragraphs) = test_issue(dir, "gaps", 1, 1, 2);
    fs::write(
        folder.join("articles/a0.md"),
        format!(
            "<!-- page 1: sources/p1.txt -->\n\n{}\n\n<!-- page 3: sources/p3.txt -->\n\n{}\n",
            paragraphs[0], paragraphs[1]
        ),
    )
    .unwrap();
    edit_file(&folder.join("issue.toml"), |toml| {
        toml.replace(
            "body = \"articles/a0.md\"\n",
            "body = \"articles/a0.md\"\nlanguage = \"fr\"\npages = { count = 3, missing = [2] }\n",
        )
    });
    folder
}

#[test]
fn a_page_no_capture_holds_is_named_where_it_would_be_in_the_pdf_and_the_epub() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_of(dir.path(), &issue_missing_a_page(dir.path()));
    let notice = "Non archivée : page 2 de l’original.";
    let book = dir.path().join("gaps.epub");
    export_epub(&archive, "gaps", &book);
    let xhtml = epub_entry(&book, "OEBPS/a-a0.xhtml");
    let paragraphs: Vec<&str> = xhtml
        .match_indices("<p>")
        .map(|(at, _)| &xhtml[at..])
        .collect();
    assert_eq!(paragraphs.len(), 3, "{xhtml}");
    assert!(
        paragraphs[1].starts_with(&format!("<p><em>{notice}</em></p>")),
        "{xhtml}"
    );
    if !tools(&["pdftotext"]) {
        return;
    }
    let pdf = dir.path().join("gaps.pdf");
    run(quire(&archive)
        .args(["export", "pdf", "gaps", "-o"])
        .arg(&pdf))
    .ok();
    let text = crate::export_pdf::pdftotext(&pdf, None).replace('\n', " ");
    assert!(text.contains(notice), "{text}");
}

/// An issue folder in Arabic (`ar`): an Arabic article, and an English one that says so.
pub(crate) fn arabic_issue(dir: &Path) -> PathBuf {
    let (folder, _) = test_issue(dir, "rtl", 1, 2, 2);
    fs::write(
        folder.join("articles/a0.md"),
        "افتتحت البلدية يوم الثلاثاء المكتبة العامة الجديدة، وهي الأكبر في المنطقة.\n\nوتضم المكتبة أكثر من خمسمئة ألف كتاب.\n",
    )
    .unwrap();
    edit_file(&folder.join("issue.toml"), |toml| {
        toml.replace("language = \"en\"", "language = \"ar\"")
            .replace(
                "title = \"Article 0: Čapek and the Ωmega of Σύνταξη\"",
                "title = \"مكتبة جديدة\"",
            )
            .replace(
                "body = \"articles/a1.md\"\n",
                "body = \"articles/a1.md\"\nlanguage = \"en\"\n",
            )
    });
    folder
}

#[test]
fn a_book_in_a_right_to_left_language_reads_right_to_left_and_its_english_article_left_to_right() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_of(dir.path(), &arabic_issue(dir.path()));
    let book = dir.path().join("rtl.epub");
    export_epub(&archive, "rtl", &book);
    let opf = epub_entry(&book, "OEBPS/content.opf");
    assert!(opf.contains("page-progression-direction=\"rtl\""), "{opf}");
    let arabic = epub_entry(&book, "OEBPS/a-a0.xhtml");
    assert!(arabic.contains(" lang=\"ar\" dir=\"rtl\">"), "{arabic}");
    let english = epub_entry(&book, "OEBPS/a-a1.xhtml");
    assert!(english.contains(" lang=\"en\">"), "{english}");
    let nav = epub_entry(&book, "OEBPS/nav.xhtml");
    assert!(nav.contains(" lang=\"ar\" dir=\"rtl\">"), "{nav}");
    // The book's own words are Arabic: no English label runs into a right-to-left line.
    assert!(nav.contains("المحتويات"), "{nav}");
    assert!(arabic.contains("بقلم "), "{arabic}");
    assert!(!arabic.contains(">By "), "{arabic}");
    // The PDF edition is refused (no right-to-left page yet): the book claims none of its pages.
    assert!(!nav.contains("page-list"), "{nav}");
    assert!(!arabic.contains("pagebreak"), "{arabic}");
    assert_contains_none(&opf, &["source-of", "PDF edition", "page-list"]);
}

#[test]
fn a_right_to_left_article_in_a_left_to_right_book_is_marked_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (folder, _) = test_issue(dir.path(), "mixed", 1, 2, 2);
    edit_file(&folder.join("issue.toml"), |toml| {
        toml.replace(
            "body = \"articles/a0.md\"\n",
            "body = \"articles/a0.md\"\nlanguage = \"fa-IR\"\n",
        )
    });
    let archive = archive_of(dir.path(), &folder);
    let book = dir.path().join("mixed.epub");
    export_epub(&archive, "mixed", &book);
    let opf = epub_entry(&book, "OEBPS/content.opf");
    assert!(opf.contains("page-progression-direction=\"ltr\""), "{opf}");
    let persian = epub_entry(&book, "OEBPS/a-a0.xhtml");
    assert!(
        persian.contains(" lang=\"fa-IR\" dir=\"rtl\">"),
        "{persian}"
    );
    let nav = epub_entry(&book, "OEBPS/nav.xhtml");
    assert!(!nav.contains("dir=\"rtl\""), "{nav}");
}

/// A producer's issue: a letter that links to an article by its short title's anchor and by
/// its page's name, and to what the book cannot hold; a feature that links to its own headings
/// and to a heading of another article, with emphasis in a heading, a pull quote and a tall
/// image; a notebook with a captioned image inside a sentence; an ISSN, a volume and a double
/// number.
pub fn producer_issue(dir: &Path) -> PathBuf {
    let folder = dir.join("tidewater");
    fs::create_dir_all(folder.join("articles")).unwrap();
    fs::create_dir_all(folder.join("assets")).unwrap();
    let image = "images = [{ file = \"assets/IMAGE.png\", alt = \"ALT\", caption = \"CAPTION\", credit = \"CREDIT\" }]";
    let image = |name, alt, caption, credit| {
        (image.replace("IMAGE", name).replace("ALT", alt))
            .replace("CAPTION", caption)
            .replace("CREDIT", credit)
    };
    let toml = format!(
        "[publication]\ntitle = \"The Tidewater Review\"\nissn = \"0000-0019\"\nlanguage = \"en\"\n\n[issue]\nid = \"tidewater\"\ntitle = \"Ports & Passages\"\nvolume = 12\nnumber = \"7-8\"\ndate = \"2026-11\"\n\n[[articles]]\nid = \"editors-letter\"\ntitle = \"Letter from the Editor\"\nbody = \"articles/editors-letter.md\"\nsection = \"Front\"\n\n[[articles]]\nid = \"harbour-feature\"\ntitle = \"Rebuilding the *Old* Harbour: Tides and Cranes\"\nbody = \"articles/harbour-feature.md\"\nsection = \"Features\"\n{}\n\n[[articles]]\nid = \"data-listing\"\ntitle = \"Counting Ships\"\nbody = \"articles/data-listing.md\"\nsection = \"Features\"\n{}\n",
        image("tall", "A tall green ruler", "The crane gauge, full height.", "Drawing: J. Park"),
        image("tiny", "A red square", "Marker used on the chart.", "Tidewater Data Desk"),
    );
    fs::write(folder.join("issue.toml"), toml).unwrap();
    let bodies = [
        ("editors-letter", "Read the [harbour feature](#rebuilding-the-old-harbour) first, then the [data notebook](data-listing.xhtml), the [chart itself](assets/tiny.png) and [the sea](#the-sea).\n"),
        ("harbour-feature", "Jump to the [coda](#coda) or to the [second argument](#the-second-argument-ecology).\n\n## The *first* argument: who owns the water?\n\nDeeds describe the foreshore.\n\n<aside class=\"pullquote\"><p>“The tide does not read deeds.”</p></aside>\n\n## The second argument: ecology\n\nThe [counts](data-listing.md#arrivals) are in the notebook.\n\n![A tall green ruler](assets/tall.png)\n\n## Coda\n\nWhat remains.\n"),
        ("data-listing", "## Arrivals\n\nChart markers look like this: ![A red square](assets/tiny.png)\n"),
    ];
    for (id, body) in bodies {
        fs::write(folder.join(format!("articles/{id}.md")), body).unwrap();
    }
    let red: Vec<u8> = [200, 30, 30].repeat(16 * 16);
    write_png(
        &folder.join("assets/tiny.png"),
        16,
        16,
        png::ColorType::Rgb,
        &red,
    );
    let green: Vec<u8> = [40, 160, 60].repeat(200 * 3000);
    write_png(
        &folder.join("assets/tall.png"),
        200,
        3000,
        png::ColorType::Rgb,
        &green,
    );
    folder
}

#[test]
fn links_heading_markup_inline_captions_pull_quotes_and_the_series_reach_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_of(dir.path(), &producer_issue(dir.path()));
    let book = dir.path().join("tidewater.epub");
    let stderr = export_epub_warnings(&archive, "tidewater", &book);

    // Links: to a heading of the same article by its anchor, to an article by its short
    // title's anchor or its page's name, to a heading of another article; what leads nowhere in the
    // book is named.
    let letter = epub_entry(&book, "OEBPS/a-editors-letter.xhtml");
    assert_contains_all(
        &letter,
        &[
            "<a href=\"a-harbour-feature.xhtml\">harbour feature</a>",
            "<a href=\"a-data-listing.xhtml\">data notebook</a>",
            "the chart itself and the sea.",
        ],
    );
    assert!(
        stderr.contains(": article editors-letter: link(s) to assets/tiny.png, #the-sea lead nowhere in the book"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("lead nowhere").count(), 1, "{stderr}");
    let feature = epub_entry(&book, "OEBPS/a-harbour-feature.xhtml");
    assert_contains_all(
        &feature,
        &[
            "<a href=\"#h-3\">coda</a>",
            "<a href=\"#h-2\">second argument</a>",
            "<a href=\"a-data-listing.xhtml#h-1\">counts</a>",
            // A heading keeps its emphasis; the nav its plain text.
            "<h2 id=\"h-1\">The <em>first</em> argument: who owns the water?</h2>",
            "<aside class=\"pullquote\" epub:type=\"pullquote\" role=\"doc-pullquote\"><p>“The tide does not read deeds.”</p>",
        ],
    );
    let nav = epub_entry(&book, "OEBPS/nav.xhtml");
    assert!(
        nav.contains(">The first argument: who owns the water?</a>"),
        "{nav}"
    );
    // An image inside a sentence keeps its caption and credit, after it.
    let notebook = epub_entry(&book, "OEBPS/a-data-listing.xhtml");
    assert!(notebook.contains("<p>Chart markers look like this: <img src=\"images/tiny.png\" alt=\"A red square\"/> <span class=\"caption\">(Marker used on the chart. <span class=\"credit\">Tidewater Data Desk</span>)</span></p>"), "{notebook}");
    // No image is taller than the screen.
    let css = epub_entry(&book, "OEBPS/stylesheet.css");
    assert!(
        css.contains(
            "img { max-width: 100%; max-height: 95vh; height: auto; object-fit: contain; }"
        ),
        "{css}"
    );
    // The series: its ISSN, the issue's place (volume 12, the double number 7-8 at 7), and
    // the numbering as the PDF's cover gives it.
    let opf = epub_entry(&book, "OEBPS/content.opf");
    assert_contains_all(
        &opf,
        &[
            "<dc:title>The Tidewater Review: Ports &amp; Passages</dc:title>",
            "<dc:title id=\"subtitle\">Volume 12 · Number 7-8 · November 2026</dc:title>",
            "<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>",
            "<meta refines=\"#collection\" property=\"dcterms:identifier\">urn:issn:0000-0019</meta>",
            "<meta refines=\"#collection\" property=\"group-position\">12.7</meta>",
        ],
    );
    // EPUBCheck and Ace check the same book in
    // every_kind_of_issue_passes_epubcheck_with_no_warning.
}

#[test]
fn a_book_whose_issue_names_no_language_is_in_the_language_all_its_articles_declare() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let book = dir.path().join("book.epub");
    // The sample names no language anywhere: undetermined, said, no conformance claimed.
    run(quire(&archive).arg("ingest").arg(sample_issue())).ok();
    let stderr = export_epub_warnings(&archive, "beijing-review-sample", &book);
    assert!(stderr.contains("the issue names no language"), "{stderr}");
    assert!(epub_entry(&book, "OEBPS/content.opf").contains("<package xml:lang=\"und\""));

    // Its one article declares English (as an imported page's `lang` does): so is the book.
    let folder = sample_copy(dir.path(), "english");
    edit_file(&folder.join("issue.toml"), |toml| {
        toml.replace(
            "updated = \"2010-06-09\"",
            "updated = \"2010-06-09\"\nlanguage = \"en\"",
        )
    });
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let stderr = export_epub_warnings(&archive, "beijing-review-sample", &book);
    assert!(!stderr.contains("names no language"), "{stderr}");
    let opf = epub_entry(&book, "OEBPS/content.opf");
    assert_contains_all(
        &opf,
        &[
            "<package xml:lang=\"en\"",
            ">en</dc:language>",
            "<meta property=\"dcterms:conformsTo\">",
        ],
    );
    assert!(!opf.contains("names no language"), "{opf}");
}

/// CommonMark makes `Text <ul>…</ul> more.` one paragraph; XHTML allows no list, table or
/// quote inside a `p`, so the book closes the paragraph before the block and reopens it after,
/// as a browser reads it, keeping every word.
#[test]
fn block_html_inside_a_paragraph_ends_it_and_the_book_stays_valid() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let (folder, _) = test_issue(dir.path(), "blocks", 1, 1, 1);
    edit_file(&folder.join("articles/a0.md"), |body| {
        body + "<mark>highlighted</mark> and <table><caption>Cap</caption><tr><th>a</th><td>b</td></tr></table>\n\n\
                Text <ul><li>x</li></ul> more.\n\nText <blockquote>q</blockquote> more.\n\nText <p>inner</p> more.\n\n\
                Text <em>a <ul><li>y</li></ul> b</em> more.\n\n## Head <ul><li>one</li><li>two</li></ul>\n"
    });
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let book = dir.path().join("blocks.epub");
    export_epub(&archive, "blocks", &book);
    let xhtml = epub_entry(&book, "OEBPS/a-a0.xhtml");
    let one_line = xhtml.replace('\n', "");
    for expected in [
        "<p><mark>highlighted</mark> and </p><table>",
        "<p>Text </p><ul><li>x</li></ul><p> more.</p>",
        "<p>Text </p><blockquote>q</blockquote><p> more.</p>",
        "<p>Text </p><p>inner</p><p> more.</p>",
        "<p>Text <em>a </em></p><ul><li>y</li></ul><p><em> b</em> more.</p>",
    ] {
        assert!(one_line.contains(expected), "{expected}\n{xhtml}");
    }
    assert!(!one_line.contains("<p></p>"), "{xhtml}");
    // A heading holds text only: the list's words stay, its markup goes.
    let heading = one_line
        .split("Head ")
        .nth(1)
        .unwrap()
        .split("</h")
        .next()
        .unwrap();
    assert!(
        heading.contains("one") && heading.contains("two") && !heading.contains('<'),
        "{xhtml}"
    );
    assert_epubcheck_clean(&book);
}

/// The book ends with a colophon, as the PDF does: where it came from, with the digest of the
/// archived issue.toml (computed here by an independent sha512).
#[test]
fn the_book_s_colophon_names_its_archive_object_version_and_metadata_digest() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("sample.epub");
    export_epub_warnings(&repo().join("archive"), "beijing-review-sample", &book);
    let colophon = epub_entry(&book, "OEBPS/colophon.xhtml");
    let digest = sha512_hex(&fs::read(sample_issue().join("issue.toml")).unwrap());
    assert_contains_all(
        &colophon,
        &[
            "epub:type=\"colophon\"",
            "Archive object: urn:quire:beijing-review-sample",
            "Version: v1 (created 2026-11-28T00:00:00Z)",
            &format!("sha512: {digest}"),
        ],
    );
    let opf = epub_entry(&book, "OEBPS/content.opf");
    let spine = &opf[opf.find("<spine").unwrap()..opf.find("</spine>").unwrap()];
    let last = spine.rsplit("<itemref").next().unwrap();
    assert!(
        last.contains("idref=\"id_colophon.xhtml\""),
        "the colophon is last in the reading order: {spine}"
    );
}

/// A scripted SVG (the cover, and inline), an SVG that loads from the web and a plain chart
/// SVG are carried cleaned, and the book passes EPUBCheck (no OPF-014 for scripts, no RSC-006
/// for remote resources); images of raw HTML are carried with their alt text and figure
/// caption; a TIFF is named with why, its caption and credit kept.
#[test]
fn svgs_are_carried_without_scripts_or_remote_references_and_raw_html_images_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    run(quire(&archive)
        .arg("ingest")
        .arg(images_issue(dir.path(), "vectors", &[])))
    .ok();
    let book = dir.path().join("vectors.epub");
    let warnings = export_epub_warnings(&archive, "vectors", &book);
    assert_contains_all(
        &warnings,
        &[
            "assets/scripted.svg: removed from the SVG for safety: the event handler `onload`; the element `script`; the reference `javascript:alert('svg-link')`\n",
            "assets/remote.svg: removed from the SVG for safety: the style reference `https://example.com/remote.css`; the reference `https://example.com/tracker.png`\n",
            "assets/red.tiff: not in the book, as its format, TIFF, is not one EPUB readers must show; the text names it where it stands\n",
        ],
    );
    for svg in ["scripted", "remote"] {
        let text = epub_entry(&book, &format!("OEBPS/images/{svg}.svg")).to_lowercase();
        assert_contains_none(
            &text,
            &["<script", "onload", "javascript:", "alert(", "example.com"],
        );
        assert!(text.contains("<rect"), "the drawing is kept: {text}");
    }
    assert!(epub_entry(&book, "OEBPS/images/chart.svg").contains("<title>Ferries a day"));
    let xhtml = epub_entry(&book, "OEBPS/a-a0.xhtml");
    assert_contains_all(
        &xhtml,
        &[
            "<img src=\"images/chart.svg\" alt=\"A bar chart of ferries\"/>",
            "<figure><img src=\"images/remote.svg\" alt=\"A drawing that loads from afar\"/><figcaption>Drawn elsewhere</figcaption></figure>",
            "<p><img src=\"images/harbour.png\" alt=\"The harbour in raw HTML\"/></p>",
            "<p>Inline <img src=\"images/scripted.svg\" alt=\"The scripted drawing\"/> in a sentence.</p>",
            "<figure><span class=\"note\">[Image not in this edition (its format, TIFF, is not one EPUB readers must show): A scan \u{2014} assets/red.tiff]</span><figcaption>A scan of the chart <span class=\"credit\">Archive</span></figcaption></figure>",
        ],
    );
    assert!(
        epub_entry(&book, "OEBPS/cover.xhtml").contains("<img src=\"images/scripted.svg\""),
        "the cover is the cleaned SVG"
    );
    // Still drawings are no hazard: the book need not say it cannot tell.
    assert!(!warnings.contains("may flash"), "{warnings}");
    let opf = epub_entry(&book, "OEBPS/content.opf");
    assert!(
        opf.contains("<meta property=\"schema:accessibilityHazard\">none</meta>"),
        "{opf}"
    );
    assert_epubcheck_clean(&book);
}

/// EPUB 3.3 makes WebP a core media type: the book carries it as it is. A BMP cover is not
/// one, and the book says it has no cover. Debian's EPUBCheck 4 checks EPUB 3.2's rules, where
/// WebP needs a fallback (MED-003): that is all it may report.
#[test]
fn a_webp_is_carried_as_it_is_and_a_bmp_is_named_as_not_in_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let folder = images_issue(dir.path(), "webp", &["red.webp", "red.bmp"]);
    edit_file(&folder.join("issue.toml"), |toml| {
        toml.replace(
            "cover = \"assets/scripted.svg\"",
            "cover = \"assets/red.bmp\"",
        )
    });
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let book = dir.path().join("webp.epub");
    let warnings = export_epub_warnings(&archive, "webp", &book);
    assert!(
        warnings.contains("assets/red.bmp: not in the book, as its format, BMP, is not one EPUB readers must show; the book has no cover"),
        "{warnings}"
    );
    let opf = epub_entry(&book, "OEBPS/content.opf");
    assert!(
        opf.lines()
            .any(|l| l.contains("href=\"images/red.webp\"")
                && l.contains("media-type=\"image/webp\"")),
        "{opf}"
    );
    assert!(!opf.contains("red.bmp"), "{opf}");
    let xhtml = epub_entry(&book, "OEBPS/a-a0.xhtml");
    assert!(
        xhtml.contains("<figure><img src=\"images/red.webp\" alt=\"An image the source gives no description of\""),
        "{xhtml}"
    );
    if let Some(epubcheck) = EpubCheck::find() {
        let report = epubcheck.report(&book);
        let errors: Vec<&str> = report
            .lines()
            .filter(|l| {
                l.starts_with("ERROR") || l.starts_with("WARNING") || l.starts_with("FATAL")
            })
            .collect();
        assert!(
            errors
                .iter()
                .all(|l| l.starts_with("ERROR(MED-003)") && l.contains("image/webp")),
            "{report}"
        );
    }
}
