//! `quire import-web` on whole issues: folders (recursive, natural order), a manifest with
//! sections and page order, captures of one name kept apart, WARC crawls written by Python's
//! warcio (the issue keeps only its records, `warcio check` passes, `warcio extract` gives
//! each page back), and ids: transliterated, and kept when an article is imported again.

use crate::support::*;
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::Command;

/// A text capture of one article of The Harbour Weekly.
fn text_capture(title: &str, date: &str, words: &str) -> String {
    format!(
        "The Harbour Weekly\nHome\nNews\n\nPosted: {date}\n{title}\n\nThe first paragraph of {title} tells the story at length, with enough words in it to be a paragraph of prose, {words}.\n\nThe second paragraph of {title} goes on with the story for a while, and it also has enough words to count as prose, {words}.\n\nContact | Advertising | Privacy | Terms of Use\n© 2024 The Harbour Weekly. All rights reserved.\n"
    )
}

/// The issue's articles in reading order: (id, section).
fn reading_order(archive: &Path, issue: &str) -> Vec<(String, Option<String>)> {
    let shown = json_lines(&run(quire(archive).args(["show", issue, "--json"])).ok());
    let mut order = Vec::new();
    for section in shown[0]["data"]["issue"]["sections"].as_array().unwrap() {
        for article in section["articles"].as_array().unwrap() {
            order.push((
                article["id"].as_str().unwrap().to_string(),
                section["name"].as_str().map(str::to_string),
            ));
        }
    }
    order
}

/// The ids of an issue's articles, in reading order.
fn article_ids(archive: &Path, issue: &str) -> Vec<String> {
    reading_order(archive, issue)
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

#[test]
fn a_folder_is_read_recursively_in_natural_order_and_same_named_captures_are_kept_apart() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    for (path, title) in [
        ("story10.txt", "Tenth Story of the Harbour"),
        ("story2.txt", "Second Story of the Harbour"),
        ("one/source.txt", "Story from the First Folder"),
        ("two/source.txt", "Story from the Second Folder"),
    ] {
        let file = pages.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(
            &file,
            text_capture(title, "2 May 2024", "as the harbour master said"),
        )
        .unwrap();
    }
    fs::write(pages.join("notes.png"), b"not a capture").unwrap();
    let archive = new_archive(dir.path());
    run(quire(&archive)
        .args(["import-web", "--issue", "folder"])
        .arg(&pages))
    .ok();
    let ids = article_ids(&archive, "folder");
    assert_eq!(
        ids,
        [
            "story-from-the-first-folder",
            "second-story-of-the-harbour",
            "tenth-story-of-the-harbour",
            "story-from-the-second-folder",
        ]
    );
    run(quire(&archive)
        .args(["checkout", "folder"])
        .arg(dir.path().join("issue")))
    .ok();
    let sources: Vec<String> = paths(&dir.path().join("issue/sources"));
    assert_eq!(
        sources,
        [
            "one",
            "one/source.txt",
            "story10.txt",
            "story2.txt",
            "two",
            "two/source.txt"
        ]
    );
}

/// A manifest whose articles in no section stand between those of a section: the issue's
/// sections run unbroken, so each joins the end of its own run, and a warning says where it
/// went (the import failed, naming the issue.toml it wrote).
#[test]
fn a_manifest_s_articles_join_their_section_s_run_and_a_warning_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let issue = dir.path().join("mixed");
    fs::create_dir_all(&issue).unwrap();
    for (name, fixture) in [
        ("school.txt", "web/text/harbour-school.txt"),
        ("grain.txt", "web/text/grain-report.txt"),
        ("plateau.txt", "web/text/plateau-line.txt"),
    ] {
        fs::copy(fixtures().join(fixture), issue.join(name)).unwrap();
    }
    let manifest = issue.join("manifest.toml");
    fs::write(
        &manifest,
        "[[article]]\ncapture = \"school.txt\"\n\n[[article]]\ncapture = \"grain.txt\"\nsection = \"World\"\n\n[[article]]\ncapture = \"plateau.txt\"\n",
    )
    .unwrap();
    let archive = new_archive(dir.path());
    let done = run(quire(&archive)
        .args([
            "import-web",
            "--issue",
            "mixed",
            "--publication",
            "Review",
            "--manifest",
        ])
        .arg(&manifest));
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert!(
        done.stderr.contains("article `new-rail-line-opens-to-mountain-towns-in-the-west` placed after the last article in no section"),
        "{}",
        done.stderr
    );
    let order: Vec<Option<String>> = reading_order(&archive, "mixed")
        .into_iter()
        .map(|(_, section)| section)
        .collect();
    assert_eq!(order, [None, None, Some("World".to_string())]);
}

#[test]
fn a_manifest_imports_a_whole_issue_with_its_sections_in_one_version() {
    let dir = tempfile::tempdir().unwrap();
    let issue = dir.path().join("issue-12");
    fs::create_dir_all(issue.join("features")).unwrap();
    fs::create_dir_all(issue.join("news/html")).unwrap();
    // A three-page article given in page order by the manifest, whatever the file names say.
    for n in 1..=3 {
        fs::copy(
            fixtures().join(format!("web/lighthouse-page-{n}.txt")),
            issue.join(format!("features/part-{}.txt", 4 - n)),
        )
        .unwrap();
    }
    fs::copy(
        fixtures().join("web/html/night-ferries.html"),
        issue.join("news/html/night-ferries.html"),
    )
    .unwrap();
    fs::create_dir_all(issue.join("news/html/images")).unwrap();
    fs::copy(
        fixtures().join("web/html/images/harbour.png"),
        issue.join("news/html/images/harbour.png"),
    )
    .unwrap();
    fs::write(
        issue.join("news/school.txt"),
        fs::read(fixtures().join("web/text/harbour-school.txt")).unwrap(),
    )
    .unwrap();
    let manifest = issue.join("manifest.toml");
    fs::write(
        &manifest,
        "[[article]]\ncapture = \"news/school.txt\"\nsection = \"News\"\n\n[[article]]\ncapture = \"news/html/night-ferries.html\"\nsection = \"News\"\n\n[[article]]\npages = [\"features/part-3.txt\", \"features/part-2.txt\", \"features/part-1.txt\"]\nsection = \"Features\"\n",
    )
    .unwrap();
    let archive = new_archive(dir.path());
    let records = json_lines(
        &run(quire(&archive)
            .args([
                "import-web",
                "--issue",
                "issue-12",
                "--publication",
                "The Harbour Weekly",
                "--json",
                "--manifest",
            ])
            .arg(&manifest))
        .ok(),
    );
    let import = records.iter().find(|r| r["type"] == "import").unwrap();
    assert_eq!(import["data"]["version"], "v1");
    assert_eq!(
        reading_order(&archive, "issue-12"),
        [
            (
                "te-reo-maori-returns-to-the-harbour-school".to_string(),
                Some("News".to_string())
            ),
            (
                "night-ferries-return-to-the-bay".to_string(),
                Some("News".to_string())
            ),
            (
                "the-lighthouse-comes-back".to_string(),
                Some("Features".to_string())
            ),
        ]
    );
    let body =
        run(quire(&archive).args(["cat", "issue-12", "articles/the-lighthouse-comes-back.md"]))
            .ok();
    let first = body
        .find("<!-- page 1: sources/part-3.txt -->")
        .expect(&body);
    let third = body
        .find("<!-- page 3: sources/part-1.txt -->")
        .expect(&body);
    assert!(first < third);
    let cat = |path: &str| run(quire(&archive).args(["cat", "issue-12", path])).ok();
    assert!(cat("issue.toml").contains("assets/night-ferries-return-to-the-bay-harbour.png"));
    assert_ocfl_py_valid(&archive);
}

#[test]
fn ids_are_transliterated_and_an_article_imported_again_keeps_its_id() {
    let (articles, _) = {
        let dir = tempfile::tempdir().unwrap();
        let archive = new_archive(dir.path());
        let out = run(quire(&archive)
            .args(["import-web", "--issue", "ids", "--dry-run", "--json"])
            .args(["--publication", "Harbour Press"])
            .arg(fixtures().join("web/text/harbour-school.txt"))
            .arg(fixtures().join("web/structure/ete-approuve.html"))
            .arg(fixtures().join("web/structure/passwoerter.html"))
            .arg(fixtures().join("web/structure/gangkou.html")));
        (json_lines(&out.ok()), ())
    };
    let ids: Vec<&str> = articles
        .iter()
        .filter(|r| r["type"] == "article")
        .map(|a| a["data"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "te-reo-maori-returns-to-the-harbour-school",
            "l-ete-approuve-la-mairie-ouvre-les-plages-du-port",
            "passworter-richtig-verwalten",
            "gang-kou-tu-shu-guan-zhong-xin-kai-fang",
        ]
    );

    // An issue made before ids were transliterated: the article is `te-reo-m-ori-…`.
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("old");
    fs::create_dir_all(folder.join("articles")).unwrap();
    fs::create_dir_all(folder.join("sources")).unwrap();
    fs::copy(
        fixtures().join("web/text/harbour-school.txt"),
        folder.join("sources/harbour-school.txt"),
    )
    .unwrap();
    fs::write(folder.join("articles/te-reo-m-ori.md"), "Old text.\n").unwrap();
    fs::write(
        folder.join("issue.toml"),
        "[publication]\ntitle = \"The Harbour Weekly\"\n\n[issue]\nid = \"old\"\n\n[[articles]]\nid = \"te-reo-m-ori\"\ntitle = \"Te Reo Māori Returns to the Harbour School\"\nbody = \"articles/te-reo-m-ori.md\"\nsources = [{ file = \"sources/harbour-school.txt\" }]\n",
    )
    .unwrap();
    let archive = new_archive(dir.path());
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let records = json_lines(
        &run(quire(&archive)
            .args(["import-web", "--issue", "old", "--json"])
            .arg(fixtures().join("web/text/harbour-school.txt")))
        .ok(),
    );
    assert_eq!(records[0]["data"]["id"], "te-reo-m-ori");
    assert_eq!(
        reading_order(&archive, "old"),
        [("te-reo-m-ori".to_string(), None)]
    );
    let body = run(quire(&archive).args(["cat", "old", "articles/te-reo-m-ori.md"])).ok();
    assert!(body.starts_with("From this term every class"), "{body}");
}

/// Writes a WARC with Python's warcio: one gzip member per record, a warcinfo record, then a
/// request and a response for each page, a 404, and a PNG.
fn write_crawl(path: &Path, pages: &[(&str, &str, &[u8])]) {
    let script = r#"
import json, sys
from warcio.warcwriter import WARCWriter
from warcio.statusandheaders import StatusAndHeaders
from io import BytesIO
pages = json.load(open(sys.argv[2]))
with open(sys.argv[1], 'wb') as out:
    writer = WARCWriter(out, gzip=True, warc_version='1.1')
    writer.write_record(writer.create_warcinfo_record('crawl.warc.gz', {'software': 'test crawler', 'format': 'WARC File Format 1.1'}))
    for uri, ctype, hexbody in pages:
        body = bytes.fromhex(hexbody)
        req = writer.create_warc_record(uri, 'request', payload=BytesIO(b''), http_headers=StatusAndHeaders('GET / HTTP/1.1', [('Host', 'site.example')], is_http_request=True))
        writer.write_record(req)
        status = '404 Not Found' if 'missing' in uri else '200 OK'
        headers = StatusAndHeaders(status, [('Content-Type', ctype), ('Content-Length', str(len(body))), ('Date', 'Tue, 07 May 2024 09:30:00 GMT')], protocol='HTTP/1.1')
        writer.write_record(writer.create_warc_record(uri, 'response', payload=BytesIO(body), http_headers=headers))
"#;
    let spec = path.with_extension("json");
    let list: Vec<(String, String, String)> = pages
        .iter()
        .map(|(u, c, b)| (u.to_string(), c.to_string(), hex::encode(b)))
        .collect();
    fs::write(&spec, serde_json::to_vec(&list).unwrap()).unwrap();
    let (ok, out) = tool_output(
        Command::new("python3")
            .args(["-c", script])
            .arg(path)
            .arg(&spec),
    );
    assert!(ok, "warcio (pip install warcio, as .ci/run does): {out}");
}

#[test]
fn a_warc_of_two_issues_gives_one_issue_its_pages_and_only_its_records() {
    // warcio writes the crawl and checks the issue's WARC: without it, nothing to test.
    let Some(warcio) = tool("warcio") else {
        return;
    };
    let warcio = || warcio.clone();
    let dir = tempfile::tempdir().unwrap();
    let crawl = dir.path().join("crawl.warc.gz");
    let ferries = fs::read(fixtures().join("web/html/night-ferries.html")).unwrap();
    let french = fs::read(fixtures().join("web/structure/ete-approuve.html")).unwrap();
    let other = fs::read(fixtures().join("web/structure/passwoerter.html")).unwrap();
    let school = fs::read(fixtures().join("web/text/harbour-school.txt")).unwrap();
    write_crawl(
        &crawl,
        &[
            (
                "https://site.example/2024/issue-12/ferries",
                "text/html; charset=utf-8",
                &ferries,
            ),
            (
                "https://site.example/2024/issue-13/passwords",
                "text/html",
                &other,
            ),
            (
                "https://site.example/2024/issue-12/ete",
                "text/html; charset=utf-8",
                &french,
            ),
            (
                "https://site.example/2024/issue-12/school.txt",
                "text/plain; charset=utf-8",
                &school,
            ),
            (
                "https://site.example/2024/issue-12/missing",
                "text/html",
                b"<html>gone</html>",
            ),
            (
                "https://site.example/2024/issue-12/logo.png",
                "image/png",
                b"\x89PNG\r\n\x1a\n",
            ),
        ],
    );
    let archive = new_archive(dir.path());
    run(quire(&archive)
        .args([
            "import-web",
            "--issue",
            "issue-12",
            "--publication",
            "Site Example",
            "--url-prefix",
            "https://site.example/2024/issue-12/",
        ])
        .arg(&crawl))
    .ok();
    let order = article_ids(&archive, "issue-12");
    assert_eq!(
        order,
        [
            "night-ferries-return-to-the-bay",
            "l-ete-approuve-la-mairie-ouvre-les-plages-du-port",
            "te-reo-maori-returns-to-the-harbour-school",
        ]
    );
    let shown = json_lines(&run(quire(&archive).args(["show", "issue-12", "--json"])).ok());
    let articles = shown[0]["data"]["issue"]["sections"][0]["articles"].clone();
    let crawl_sha256 = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(fs::read(&crawl).unwrap()))
    };
    let stored = dir.path().join("stored.warc.gz");
    let bytes = quire(&archive)
        .args(["cat", "issue-12", "sources/crawl-issue-12.warc.gz"])
        .output()
        .unwrap()
        .stdout;
    fs::write(&stored, &bytes).unwrap();

    // warcio reads the issue's WARC as valid, and it holds the warcinfo record and this
    // issue's three pages only.
    let (ok, out) = tool_output(Command::new(warcio()).args(["check", "-v"]).arg(&stored));
    assert!(ok, "warcio check: {out}");
    let (ok, index) = tool_output(
        Command::new(warcio())
            .args([
                "index",
                "-f",
                "warc-type,warc-record-id,warc-target-uri,offset",
            ])
            .arg(&stored),
    );
    assert!(ok, "{index}");
    let entries: Vec<Value> = index
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["warc-type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["warcinfo", "response", "response", "response"],
        "{index}"
    );
    assert!(
        !index.contains("issue-13") && !index.contains("missing"),
        "{index}"
    );

    let originals = [&ferries, &french, &school];
    for (article, original) in articles.as_array().unwrap().iter().zip(originals) {
        let source = &article["sources"][0];
        assert_eq!(source["file"], "sources/crawl-issue-12.warc.gz");
        assert_eq!(source["original"], "crawl.warc.gz");
        assert_eq!(source["original_sha256"], crawl_sha256.as_str());
        assert!(
            source["captured"].as_str().unwrap().ends_with('Z'),
            "{source}"
        );
        let record = source["record"].as_str().unwrap();
        let entry = entries
            .iter()
            .find(|e| e["warc-record-id"] == record)
            .unwrap_or_else(|| panic!("{record} not in {index}"));
        assert_eq!(entry["warc-target-uri"], source["url"]);
        // The page the article came from, as warcio extracts it from the issue's WARC.
        let offset = match &entry["offset"] {
            Value::String(offset) => offset.clone(),
            other => other.to_string(),
        };
        let page = Command::new(warcio())
            .args(["extract", "--payload"])
            .arg(&stored)
            .arg(&offset)
            .output()
            .unwrap();
        assert_eq!(&page.stdout, original, "{record}");
    }
    assert_ocfl_py_valid(&archive);

    // The next issue from the same crawl, by manifest: its own WARC, with its own record.
    let manifest = dir.path().join("issue-13.toml");
    fs::write(
        &manifest,
        "[[article]]\nwarc = \"crawl.warc.gz\"\nuri = \"https://site.example/2024/issue-13/passwords\"\nsection = \"Technik\"\n",
    )
    .unwrap();
    run(quire(&archive)
        .args(["import-web", "--issue", "issue-13", "--manifest"])
        .arg(&manifest))
    .ok();
    assert_eq!(
        reading_order(&archive, "issue-13"),
        [(
            "passworter-richtig-verwalten".to_string(),
            Some("Technik".to_string())
        )]
    );
    let bytes = quire(&archive)
        .args(["cat", "issue-13", "sources/crawl-issue-13.warc.gz"])
        .output()
        .unwrap()
        .stdout;
    let stored = dir.path().join("stored-13.warc.gz");
    fs::write(&stored, &bytes).unwrap();
    let (ok, index) = tool_output(
        Command::new(warcio())
            .args(["index", "-f", "warc-type,warc-target-uri"])
            .arg(&stored),
    );
    assert!(
        ok && index.contains("issue-13/passwords") && !index.contains("issue-12"),
        "{index}"
    );
}

#[test]
fn pages_a_manifest_orders_that_say_nothing_of_their_numbers_record_no_empty_pages_field() {
    let dir = tempfile::tempdir().unwrap();
    let paragraph = "The engineers worked through the winter storms, the crews lived in camps \
        on the shore, and the island watched the span grow week by week across the strait.";
    for n in 1..=2 {
        fs::write(
            dir.path().join(format!("bridge-{n}.html")),
            format!(
                "<html lang=\"en\"><head><title>The new bridge</title></head><body><article>\
                 <h1>The new bridge</h1><p>{n}: {paragraph}</p><p>{paragraph}</p></article>\
                 </body></html>"
            ),
        )
        .unwrap();
    }
    let manifest = dir.path().join("manifest.toml");
    fs::write(
        &manifest,
        "[[article]]\npages = [\"bridge-1.html\", \"bridge-2.html\"]\n",
    )
    .unwrap();
    let archive = new_archive(dir.path());
    run(quire(&archive)
        .args([
            "import-web",
            "--issue",
            "isle",
            "--publication",
            "Isle Times",
        ])
        .arg("--manifest")
        .arg(&manifest))
    .ok();
    let toml = run(quire(&archive).args(["cat", "isle", "issue.toml"])).ok();
    assert!(toml.contains("page = 2 }"), "{toml}");
    assert!(!toml.contains("pages = {}"), "{toml}");
}
