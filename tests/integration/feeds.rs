//! `quire feeds` and `export all` against what a librarian's exports folder really holds: an
//! issue whose head is not exported yet, an export that cannot be made.

use crate::support::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A body the PDF edition refuses (Devanagari, whose letters are shaped by their neighbours),
/// as the tests of partial builds need.
pub const PDF_CANNOT_SET: &str = "The greeting reads नमस्ते here.\n";

/// The URL the tests' exports folders are served at.
const BASE_URL: &str = "https://example.org/issues/";

/// The `rss.xml` of `dir` read by a standard parser: per item its guid, then its description,
/// then its enclosure's URL, one a line.
fn rss_items(dir: &Path) -> Vec<(String, String, String)> {
    let script = r#"
import sys, xml.etree.ElementTree as ET
for item in ET.parse(sys.argv[1]).getroot().find('channel').findall('item'):
    print(item.find('guid').text)
    print(item.find('description').text)
    print(item.find('enclosure').get('url'))
"#;
    let (ok, text) = tool_output(
        Command::new("python3")
            .args(["-c", script])
            .arg(dir.join("rss.xml")),
    );
    assert!(ok, "{text}");
    let lines: Vec<&str> = text.lines().collect();
    lines
        .chunks(3)
        .map(|c| (c[0].to_string(), c[1].to_string(), c[2].to_string()))
        .collect()
}

/// An archive holding `feedy` at v1 (2024-03-15), and its folder to make more versions from.
fn feedy_archive(dir: &Path) -> (PathBuf, PathBuf) {
    let archive = new_archive(dir);
    let (folder, _) = test_issue(dir, "feedy", 1, 1, 2);
    run(quire(&archive)
        .arg("ingest")
        .arg(&folder)
        .args(["--created", "2024-03-15T10:00:00Z"]))
    .ok();
    (archive, folder)
}

#[test]
fn the_feeds_offer_each_issues_head_and_say_so_when_only_an_older_version_is_exported() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, folder) = feedy_archive(dir.path());
    let exports = dir.path().join("exports");
    let export_all = || {
        run(quire(&archive)
            .args(["export", "all", "--formats", "epub", "--dir"])
            .arg(&exports))
        .ok()
    };
    export_all();
    fs::write(folder.join("articles/a0.md"), "A second version.\n").unwrap();
    run(quire(&archive)
        .arg("ingest")
        .arg(&folder)
        .args(["--created", "2024-04-01T08:00:00Z"]))
    .ok();
    let feeds = || {
        run(quire(&archive)
            .args(["feeds", "--base-url", BASE_URL, "--dir"])
            .arg(&exports))
    };

    // v2 is not exported: the feed offers v1's file, which exists, and says it is not the head.
    let stale = feeds();
    assert_eq!(stale.code, Some(0), "{}", stale.stderr);
    assert!(
        stale
            .stderr
            .contains("quire: warning: feedy: v2, the head, has no export in"),
        "{}",
        stale.stderr
    );
    let items = rss_items(&exports);
    assert_eq!(items.len(), 1, "{items:?}");
    let (guid, description, url) = &items[0];
    assert_eq!(guid, "urn:quire:feedy@v1");
    assert!(
        description.starts_with(
            "These files are version 1 of the issue; its newest version, 2, is not exported."
        ),
        "{description}"
    );
    let file = url.strip_prefix(BASE_URL).unwrap();
    assert!(exports.join(file).is_file(), "{url} leads nowhere");
    let opds = fs::read_to_string(exports.join("opds.xml")).unwrap();
    assert!(
        opds.contains("its newest version, 2, is not exported"),
        "{opds}"
    );

    // Once v2 is exported, the feeds offer it with no note and no warning.
    export_all();
    let fresh = feeds();
    assert_eq!(fresh.code, Some(0));
    assert!(!fresh.stderr.contains("warning"), "{}", fresh.stderr);
    let items = rss_items(&exports);
    assert_eq!(items[0].0, "urn:quire:feedy@v2");
    assert!(!items[0].1.contains("not exported"), "{}", items[0].1);
    assert_eq!(items[0].2, format!("{BASE_URL}feedy-v2.epub"));
}

#[test]
fn an_issue_with_no_export_at_all_is_left_out_of_the_feeds_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, _) = feedy_archive(dir.path());
    let exports = dir.path().join("exports");
    fs::create_dir_all(&exports).unwrap();
    let done = run(quire(&archive)
        .args(["feeds", "--base-url", BASE_URL, "--dir"])
        .arg(&exports));
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert!(
        done.stderr
            .contains("quire: warning: feedy: no version has an export in"),
        "{}",
        done.stderr
    );
    assert!(rss_items(&exports).is_empty());
}

#[test]
fn a_scripted_svg_cover_is_copied_beside_the_feeds_cleaned_and_the_feeds_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    run(quire(&archive)
        .arg("ingest")
        .arg(images_issue(dir.path(), "vectors", &[])))
    .ok();
    let exports = dir.path().join("exports");
    run(quire(&archive)
        .args(["export", "all", "--formats", "epub", "--dir"])
        .arg(&exports))
    .ok();
    let said = run(quire(&archive)
        .args(["feeds", "--base-url", BASE_URL, "--dir"])
        .arg(&exports))
    .ok_stderr();
    assert!(
        said.contains("quire: warning: vectors v1: assets/scripted.svg: removed from the SVG for safety: the event handler `onload`; the element `script`; the reference `javascript:alert('svg-link')`\n"),
        "{said}"
    );
    let cover = fs::read_to_string(exports.join("vectors-v1-cover.svg")).unwrap();
    assert_contains_none(&cover, &["<script", "onload", "javascript:"]);
    assert!(cover.contains("<rect"), "{cover}");
    let opds = fs::read_to_string(exports.join("opds.xml")).unwrap();
    assert!(opds.contains("vectors-v1-cover.svg"), "{opds}");
}

#[test]
fn without_a_base_url_no_rss_feed_is_written_and_the_catalog_is_named_after_its_publications() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, _) = feedy_archive(dir.path());
    let exports = dir.path().join("exports");
    run(quire(&archive)
        .args(["export", "all", "--formats", "epub", "--dir"])
        .arg(&exports))
    .ok();
    // A feed an earlier run made with a base URL does not linger, offering what was then.
    run(quire(&archive)
        .args(["feeds", "--base-url", "https://example.org/x/", "--dir"])
        .arg(&exports))
    .ok();
    assert!(exports.join("rss.xml").is_file());
    let done = run(quire(&archive).args(["feeds", "--dir"]).arg(&exports));
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert!(
        done.stderr.contains(
            "quire: warning: no RSS feed without --base-url: RSS readers need the absolute URLs of the files"
        ) && done.stderr.contains("rss.xml: the RSS feed of an earlier run removed"),
        "{}",
        done.stderr
    );
    assert!(!exports.join("rss.xml").exists());
    let opds = fs::read_to_string(exports.join("opds.xml")).unwrap();
    assert!(opds.contains("href=\"feedy-v1.epub\""), "{opds}");
    // Not the digest of an empty string, which every archive would share.
    assert!(!opds.contains("e3b0c44298fc1c14"), "{opds}");
    assert!(opds.contains("<id>urn:quire:catalog:"), "{opds}");
}

#[test]
fn a_base_url_that_is_not_an_absolute_web_address_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    for url in [
        "notaurl",
        "ftp://example.org/",
        "https://example.org/?a=1",
        "/issues/",
    ] {
        let commands: &[&str] = match cfg!(feature = "site") {
            true => &["feeds", "site"],
            false => &["feeds"],
        };
        for command in commands {
            let done = run(quire(&archive).arg(command).args(["--base-url", url]));
            assert_eq!(done.code, Some(2), "{url}: {}", done.stderr);
            assert!(done.stderr.contains(url), "{}", done.stderr);
        }
    }
    let done = run(quire(&archive)
        .args(["feeds", "--base-url", "https://example.org/issues", "--dir"])
        .arg(dir.path().join("exports")));
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    let rss = fs::read_to_string(dir.path().join("exports/rss.xml")).unwrap();
    assert!(
        rss.contains("<link>https://example.org/issues/</link>"),
        "{rss}"
    );
}

#[test]
fn export_all_makes_every_file_it_can_and_names_the_one_it_cannot_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_sample(dir.path());
    let (folder, _) = test_issue(dir.path(), "glyphs", 1, 1, 2);
    fs::write(folder.join("articles/a0.md"), PDF_CANNOT_SET).unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let exports = dir.path().join("exports");
    let all = || {
        run(quire(&archive)
            .args(["export", "all", "--json", "--dir"])
            .arg(&exports))
    };
    let done = all();
    assert_eq!(done.code, Some(1), "{}", done.stderr);
    assert!(
        done.stderr.contains(
            "quire: warning: glyphs v1, PDF: glyphs-v1.pdf not made: the PDF edition cannot set Devanagari text"
        ),
        "{}",
        done.stderr
    );
    let records = json_lines(&done.stdout);
    let failed: Vec<&serde_json::Value> =
        records.iter().filter(|r| r["type"] == "failed").collect();
    assert_eq!(failed.len(), 1, "{records:?}");
    let failure = &failed[0]["data"];
    assert_eq!(failure["issue"], "glyphs");
    assert_eq!(failure["version"], "v1");
    assert_eq!(failure["format"], "pdf");
    assert_eq!(failure["file"], "glyphs-v1.pdf");
    assert!(failure["error"].as_str().unwrap().contains("Devanagari"));
    let exported: Vec<serde_json::Value> = records
        .iter()
        .filter(|r| r["type"] == "export")
        .cloned()
        .collect();
    let made: Vec<&str> = data_strings(&exported, "file");
    // Each record says which issue, version and format its file is, as a failure does.
    let epub = exported
        .iter()
        .find(|r| r["data"]["file"] == "glyphs-v1.epub")
        .unwrap();
    assert_eq!(
        (
            &epub["data"]["issue"],
            &epub["data"]["version"],
            &epub["data"]["format"]
        ),
        (
            &serde_json::json!("glyphs"),
            &serde_json::json!("v1"),
            &serde_json::json!("epub")
        ),
        "{epub}"
    );
    for file in [
        "glyphs-v1.epub",
        "beijing-review-sample-v1.pdf",
        "beijing-review-sample-v1.epub",
    ] {
        assert!(made.contains(&file), "{made:?}");
        assert!(exports.join(file).is_file(), "{file}");
    }
    assert!(!exports.join("glyphs-v1.pdf").exists());
    // What was made is recorded: a second run writes nothing again and fails the same way.
    let again = all();
    assert_eq!(again.code, Some(1));
    let records = json_lines(&again.stdout);
    assert!(
        records
            .iter()
            .filter(|r| r["type"] == "export")
            .all(|r| r["data"]["written"] == false),
        "{records:?}"
    );
}
