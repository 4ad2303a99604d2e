//! `quire import-web`: the seed page, captures in other shapes (multi-page text, HTML with
//! JSON-LD, GBK, Big5, Shift_JIS, byte order marks), bad input, and what lands in the archive
//! (comments kept, articles updated rather than doubled).

use crate::support::*;
use serde_json::json;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const SEED: &str = "000_11fc1475ed7ff95f.txt";

fn web(name: &str) -> PathBuf {
    fixtures().join("web").join(name)
}

/// The seed capture as the sample issue keeps it (byte for byte the seed page).
fn seed() -> PathBuf {
    sample_issue().join("sources").join(SEED)
}

/// A file of the head version of `issue`, as `quire cat` gives it.
fn head_file(archive: &Path, issue: &str, path: &str) -> Vec<u8> {
    quire(archive)
        .args(["cat", issue, path])
        .output()
        .unwrap()
        .stdout
}

/// Imports `page` into a new archive in `dir` as the new issue `issue`; gives the archive and
/// what quire said on stderr.
fn import_new_issue(dir: &Path, issue: &str, page: &Path) -> (PathBuf, String) {
    let archive = new_archive(dir);
    let imported = run(quire(&archive)
        .args(["import-web", "--issue", issue, "--publication", "Review"])
        .arg(page));
    let stderr = imported.stderr.clone();
    imported.ok();
    (archive, stderr)
}

fn paragraphs(body: &str) -> Vec<&str> {
    body.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

#[test]
fn the_seed_page_imports_to_one_article_word_for_word() {
    let (articles, _) = dry_run_import(&[seed()]);
    assert_eq!(articles.len(), 1);
    let article = &articles[0];
    assert_eq!(article["title"], "Full Text: The Internet in China");
    assert_eq!(article["updated"], "2010-06-09");
    // One page of a multi-page article: the page bar lists 3 to 9 and marks none as current.
    assert_eq!(article["pages"], json!({ "listed": [3, 4, 5, 6, 7, 8, 9] }));
    // The site the capture names (its copyright line) is recorded with it.
    assert_eq!(
        article["sources"],
        json!([{ "file": format!("sources/{SEED}"), "site": "Beijing Review" }])
    );
    for absent in ["deck", "authors", "published", "language"] {
        assert!(
            article.get(absent).is_none(),
            "{absent} is not in the capture: {article}"
        );
    }
    let seed_text = fs::read_to_string(seed()).unwrap();
    let originals: Vec<&str> = seed_text
        .lines()
        .filter(|l| l.split_whitespace().count() > 40)
        .collect();
    assert_eq!(originals.len(), 5);
    let body = article["body"].as_str().unwrap();
    let mut expected = vec!["## VI. Active International Exchanges and Cooperation"];
    expected.extend(originals);
    assert_eq!(paragraphs(body), expected);
    assert_contains_none(
        body,
        &[
            "Hot Links",
            "The Latest Headlines",
            "Top Story",
            "Most Popular",
            "Copyright",
            "RSS Feeds",
            "Previous",
            "Quake Shocks Sichuan",
        ],
    );
}

#[test]
fn the_committed_sample_is_what_the_importer_makes() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join(SEED);
    fs::copy(seed(), &capture).unwrap();
    let rebuilt = new_archive(dir.path());
    run(quire(&rebuilt)
        .args(["import-web", "--issue", "beijing-review-sample"])
        .arg(&capture)
        .args(SAMPLE_ARGS))
    .ok();
    assert_eq!(
        tree(&rebuilt),
        tree(&repo().join("archive")),
        "archive/ is out of date: rebuild it as the README says"
    );
    run(quire(&rebuilt)
        .args(["checkout", "beijing-review-sample"])
        .arg(dir.path().join("issue")))
    .ok();
    assert_eq!(
        tree(&dir.path().join("issue")),
        tree(&sample_issue()),
        "examples/issue is out of date"
    );
    assert_ocfl_py_valid(&repo().join("archive"));
}

/// The arguments the README gives for building `archive/`.
const SAMPLE_ARGS: [&str; 8] = [
    "--user",
    "quire sample",
    "--email",
    "quire@example.org",
    "--created",
    "2026-11-28T00:00:00Z",
    "--message",
    "Sample issue imported from one captured Beijing Review page",
];

#[test]
fn a_three_page_article_given_out_of_order_is_stitched_in_page_order() {
    let files: Vec<PathBuf> = [3, 1, 2]
        .iter()
        .map(|n| web(&format!("lighthouse-page-{n}.txt")))
        .collect();
    let (articles, stderr) = dry_run_import(&files);
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(articles.len(), 1);
    let article = &articles[0];
    assert_eq!(article["title"], "The Lighthouse Comes Back");
    assert_eq!(article["deck"], "A harbour landmark is restored");
    assert_eq!(article["authors"], json!(["Ana Lopes", "Tom Reilly"]));
    assert_eq!(article["published"], "2021-03-12");
    assert_eq!(article["site_name"], "The Harbour Weekly");
    assert_eq!(article["pages"], json!({ "count": 3 }));
    assert_eq!(
        article["sources"],
        json!([
            { "file": "sources/lighthouse-page-1.txt", "page": 1, "site": "The Harbour Weekly" },
            { "file": "sources/lighthouse-page-2.txt", "page": 2, "site": "The Harbour Weekly" },
            { "file": "sources/lighthouse-page-3.txt", "page": 3, "site": "The Harbour Weekly" }
        ])
    );
    let body = article["body"].as_str().unwrap();
    let parts = paragraphs(body);
    assert_eq!(parts.len(), 9, "{body}");
    assert_eq!(parts[0], "<!-- page 1: sources/lighthouse-page-1.txt -->");
    assert!(parts[1].starts_with("The old lighthouse at the mouth of the harbour"));
    assert_eq!(parts[3], "<!-- page 2: sources/lighthouse-page-2.txt -->");
    assert!(parts[4].starts_with("Restoration began last spring"));
    assert_eq!(parts[6], "<!-- page 3: sources/lighthouse-page-3.txt -->");
    assert!(parts[8].ends_with("the lantern room only six."));
    assert_contains_none(
        body,
        &[
            "Subscribe",
            "Related Stories",
            "Page 2 of 3",
            "All rights reserved",
            "Most Read",
        ],
    );
}

#[test]
fn a_missing_page_is_reported_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let result = run(quire(&archive)
        .args(["import-web", "--issue", "harbour-2021-03", "--json"])
        .arg(web("lighthouse-page-3.txt"))
        .arg(web("lighthouse-page-1.txt")));
    assert!(
        result
            .stderr
            .contains("`The Lighthouse Comes Back`: page 2 missing (the captures hold pages 1, 3)"),
        "{}",
        result.stderr
    );
    let records = json_lines(&result.ok());
    assert_eq!(
        records[0]["data"]["pages"],
        json!({ "count": 3, "missing": [2] })
    );
    assert_eq!(records[1]["type"], "import");
    // The record `ingest` writes: the issue, the commit, the warnings.
    assert_eq!(records[1]["data"]["issue"], "harbour-2021-03");
    assert_eq!(records[1]["data"]["committed"], true);
    assert!(records[1]["data"]["warnings"][0]
        .as_str()
        .unwrap()
        .contains("page 2 missing"));
    let toml = String::from_utf8(
        quire(&archive)
            .args(["cat", "harbour-2021-03", "issue.toml"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        toml.contains("pages = { count = 3, missing = [2] }"),
        "{toml}"
    );
    assert!(
        toml.contains("[publication]\ntitle = \"The Harbour Weekly\""),
        "{toml}"
    );
}

#[test]
fn an_html_page_gives_its_metadata_content_and_images() {
    let page = web("html/night-ferries.html");
    let (articles, stderr) = dry_run_import(std::slice::from_ref(&page));
    let article = &articles[0];
    assert_eq!(article["title"], "Night Ferries Return to the Bay");
    // Dates from JSON-LD: published and modified.
    assert_eq!(
        (article["published"].as_str(), article["updated"].as_str()),
        (Some("2021-03-12"), Some("2021-03-15"))
    );
    assert_eq!(article["authors"], json!(["Ines Moreau"]));
    assert_eq!(article["language"], "en-GB");
    let body = article["body"].as_str().unwrap();
    let parts = paragraphs(body);
    assert!(
        parts[0].starts_with("After a winter without them"),
        "{body}"
    );
    assert!(parts.contains(&"## A Timetable for the Summer"), "{body}");
    assert!(
        body.contains(
            "- Monday to Thursday: four crossings\n- Friday and Saturday: five crossings"
        ),
        "{body}"
    );
    assert!(
        body.contains("> We missed the sound of the engines at night"),
        "{body}"
    );
    // The image beside the capture becomes an asset; the remote one is recorded, not fetched.
    assert!(
        body.contains(
            "![The north pier at dusk](assets/night-ferries-return-to-the-bay-harbour.png)"
        ),
        "{body}"
    );
    assert!(
        body.contains("![Map of the routes](https://images.example.org/ferry-map.png)"),
        "{body}"
    );
    assert_contains_none(body, &["Home", "Subscribe", "Privacy", "By Ines Moreau"]);
    assert!(stderr.is_empty(), "{stderr}");

    // Stored: the capture and the image byte for byte.
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    run(quire(&archive)
        .args([
            "import-web",
            "--issue",
            "coastline-2021-03",
            "--section",
            "Travel",
        ])
        .arg(&page))
    .ok();
    let cat = |path: &str| head_file(&archive, "coastline-2021-03", path);
    assert_eq!(cat("sources/night-ferries.html"), fs::read(&page).unwrap());
    assert_eq!(
        cat("assets/night-ferries-return-to-the-bay-harbour.png"),
        fs::read(web("html/images/harbour.png")).unwrap()
    );
    let shown =
        json_lines(&run(quire(&archive).args(["show", "coastline-2021-03", "--json"])).ok());
    let issue = &shown[0]["data"]["issue"];
    assert_eq!(issue["publication"]["title"], "Coastline Monthly");
    assert_eq!(issue["language"], "en-GB");
    assert_eq!(issue["sections"][0]["name"], "Travel");
    assert_eq!(
        issue["sections"][0]["articles"][0]["images"],
        json!([{
            "file": "assets/night-ferries-return-to-the-bay-harbour.png",
            "alt": "The north pier at dusk",
            "caption": "The north pier at dusk."
        }])
    );
    assert_ocfl_py_valid(&archive);
}

#[test]
fn gbk_pages_are_decoded() {
    let chinese = "经过一年的修缮，海港入口处的老灯塔于本周六重新向游客开放。";
    // Declared in the HTML (gb2312), and undeclared in a text capture (detected).
    let (articles, _) = dry_run_import(&[web("html/lighthouse-gbk.html")]);
    assert_eq!(articles[0]["title"], "海港灯塔重新开放");
    assert_eq!(articles[0]["authors"], json!(["李明"]));
    assert_eq!(articles[0]["published"], "2021-04-02");
    assert_eq!(articles[0]["language"], "zh-CN");
    assert!(paragraphs(articles[0]["body"].as_str().unwrap())[0].starts_with(chinese));
    let (articles, _) = dry_run_import(&[web("lighthouse-gbk.txt")]);
    assert_eq!(articles[0]["title"], "海港灯塔重新开放");
    // `更新时间` is the update, `发布` the first publication: each date in its own field.
    assert_eq!(
        (
            articles[0]["updated"].as_str(),
            articles[0]["published"].as_str()
        ),
        (Some("2021-04-02"), Some("2021-03-30"))
    );
    assert_eq!(articles[0]["site_name"], "海港周刊");
    assert_eq!(paragraphs(articles[0]["body"].as_str().unwrap()).len(), 2);
}

#[test]
fn bad_captures_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_sample(dir.path());
    let before = tree(&archive);
    // Captures named as given.
    let claim = format!(
        "lighthouse-page-1-other.txt: claims page 1 of `The Lighthouse Comes Back`, as {} does, with different text",
        web("lighthouse-page-1.txt").display()
    );
    let cases: [(Vec<PathBuf>, &str); 5] = [
        (vec![web("navigation-only.txt")], "navigation-only.txt: no recognisable article: found no date line and no paragraph of text"),
        (vec![web("empty.txt")], "empty.txt: is empty"),
        (vec![web("not-a-page.txt")], "not-a-page.txt: is a binary file, not a captured page"),
        (
            vec![web("lighthouse-page-1.txt"), web("lighthouse-page-1-other.txt")],
            &claim,
        ),
        (vec![web("lighthouse-page-2.txt"), seed(), web("empty.txt")], "empty.txt: is empty"),
    ];
    for (files, expected) in cases {
        let stderr = run(quire(&archive)
            .args(["import-web", "--issue", "beijing-review-sample"])
            .args(&files))
        .fails();
        assert!(
            stderr.contains(expected),
            "expected `{expected}` in:\n{stderr}"
        );
    }
    assert_eq!(
        tree(&archive),
        before,
        "a refused import changed the archive"
    );
}

#[test]
fn importing_into_an_existing_issue_adds_or_updates_articles() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_sample(dir.path());
    let import = |files: &[PathBuf], section: &str| {
        let mut command = quire(&archive);
        command
            .args([
                "import-web",
                "--issue",
                "beijing-review-sample",
                "--section",
                section,
                "--json",
            ])
            .args(files);
        json_lines(&run(&mut command).ok())
    };
    let pages: Vec<PathBuf> = (1..=3)
        .map(|n| web(&format!("lighthouse-page-{n}.txt")))
        .collect();
    let records = import(&pages, "Features");
    let outcome = &records.last().unwrap()["data"];
    assert_eq!(outcome["version"], "v2");
    assert!(records.iter().any(|r| r["type"] == "import"));
    // The message names the files.
    let log =
        json_lines(&run(quire(&archive).args(["log", "beijing-review-sample", "--json"])).ok());
    assert_eq!(log[0]["data"]["message"], "Import web captures lighthouse-page-1.txt, lighthouse-page-2.txt, lighthouse-page-3.txt (1 article)");
    // The issue keeps its first article and gains the new one in its section.
    let shown =
        json_lines(&run(quire(&archive).args(["show", "beijing-review-sample", "--json"])).ok());
    let sections = &shown[0]["data"]["issue"]["sections"];
    assert_eq!(sections.as_array().unwrap().len(), 2);
    assert_eq!(sections[1]["name"], "Features");
    assert_eq!(
        sections[1]["articles"][0]["id"],
        "the-lighthouse-comes-back"
    );
    // The originals are byte for byte in the archive.
    for (n, page) in pages.iter().enumerate() {
        let path = format!("sources/lighthouse-page-{}.txt", n + 1);
        let stored = quire(&archive)
            .args(["cat", "beijing-review-sample", &path])
            .output()
            .unwrap()
            .stdout;
        assert_eq!(stored, fs::read(page).unwrap());
    }
    // The same captures again: nothing changes.
    let records = import(&pages, "Features");
    assert_eq!(records.last().unwrap()["data"]["committed"], false);
    assert_ocfl_py_valid(&archive);
}

/// A capture's text encoded by Python's codecs (independent of quire's decoding), written as
/// `name` in a folder of its own.
fn encoded_capture(dir: &Path, name: &str, text: &str, codec: &str) -> PathBuf {
    let folder = dir.join(codec);
    fs::create_dir_all(&folder).unwrap();
    let path = folder.join(name);
    let (ok, out) = tool_output(
        Command::new("python3")
            .args([
                "-c",
                "import sys; open(sys.argv[1], 'wb').write(sys.argv[2].encode(sys.argv[3]))",
            ])
            .arg(&path)
            .arg(text)
            .arg(codec),
    );
    assert!(ok, "{out}");
    path
}

#[test]
fn captures_with_a_byte_order_mark_read_as_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(seed()).unwrap();
    let (plain, _) = dry_run_import(&[encoded_capture(dir.path(), SEED, &text, "utf-8")]);
    assert_eq!(plain[0]["title"], "Full Text: The Internet in China");
    // UTF-8 with a mark, and UTF-16 (little-endian, with its mark, NUL bytes throughout).
    for codec in ["utf-8-sig", "utf-16"] {
        let capture = encoded_capture(dir.path(), SEED, &text, codec);
        let (marked, stderr) = dry_run_import(&[capture]);
        assert_eq!(marked, plain, "{codec} reads differently\n{stderr}");
    }
}

/// A Traditional Chinese page in Big5 and a Japanese page in Shift_JIS, neither declaring its
/// encoding: the bytes alone tell.
#[test]
fn big5_and_shift_jis_captures_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "big5",
            "版權所有",
            "海港週刊",
            "海港燈塔重新開放",
            [
                "經過一年的修繕，海港入口處的老燈塔於本週六重新向遊客開放。這座燈塔已有一百四十年的歷史，是當地居民心中的重要地標，每逢節假日都有許多家庭前來參觀。",
                "修繕工程由市政府和文物保護部門共同負責，工匠們按照傳統工藝更換了鏽蝕的鐵製燈籠室，並用石灰砂漿修補了石塔的裂縫，使燈塔恢復了原來的面貌。",
            ],
        ),
        (
            "shift_jis",
            "著作権所有",
            "港湾ウィークリー",
            "港の灯台が再び公開される",
            [
                "一年にわたる修復工事を終えて、港の入り口に立つ古い灯台が今週の土曜日に再び一般に公開された。この灯台は百四十年の歴史を持ち、地元の人々にとって大切な目印となっている。",
                "修復工事は市と文化財の保護を担う部門が共同で担当し、職人たちは伝統的な技法で錆びた鉄製の灯室を取り替え、石の塔のひび割れを石灰のモルタルで補修した。",
            ],
        ),
    ];
    for (codec, rights, site, title, expected) in cases {
        let text = format!(
            "{site}\n首頁\n更新：2021-04-02\n{title}\n\n{}\n\n{}\n\n{rights} {site}\n",
            expected[0], expected[1]
        );
        let capture = encoded_capture(dir.path(), &format!("{codec}.txt"), &text, codec);
        assert!(
            std::str::from_utf8(&fs::read(&capture).unwrap()).is_err(),
            "{codec}: the capture is not in a legacy encoding"
        );
        let (articles, stderr) = dry_run_import(&[capture]);
        assert_eq!(articles.len(), 1, "{codec}: {articles:?}\n{stderr}");
        assert_eq!(articles[0]["title"], title, "{codec}");
        assert_eq!(articles[0]["updated"], "2021-04-02", "{codec}");
        let body = articles[0]["body"].as_str().unwrap();
        assert_eq!(paragraphs(body), expected, "{codec}");
    }
}

/// The text of `issue.toml` at the head of an issue.
fn issue_toml(archive: &Path, issue: &str) -> String {
    run(quire(archive).args(["cat", issue, "issue.toml"])).ok()
}

/// A librarian's comments and added fields in `issue.toml` survive imports, and a capture
/// imported again with changed text updates its article instead of adding a second one.
#[test]
fn imports_keep_comments_and_update_changed_articles_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_sample(dir.path());
    let issue = "beijing-review-sample";
    let folder = dir.path().join("edited");
    run(quire(&archive).args(["checkout", issue]).arg(&folder)).ok();
    let comment = "# Checked against the print edition by A. Librarian.";
    let toml = fs::read_to_string(folder.join("issue.toml")).unwrap();
    let toml = toml.replacen(
        "[publication]\ntitle = \"Beijing Review\"\n",
        &format!("{comment}\n[publication]\ntitle = \"Beijing Review\"\npublisher = \"Beijing Review Press\" # from the masthead\n"),
        1,
    );
    assert!(toml.contains(comment), "{toml}");
    fs::write(folder.join("issue.toml"), &toml).unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();

    let pages: Vec<PathBuf> = (1..=3)
        .map(|n| web(&format!("lighthouse-page-{n}.txt")))
        .collect();
    let import = |files: &[PathBuf]| {
        json_lines(
            &run(quire(&archive)
                .args(["import-web", "--issue", issue, "--json"])
                .args(files))
            .ok(),
        )
    };
    import(&pages);
    let after = issue_toml(&archive, issue);
    for kept in [
        comment,
        "publisher = \"Beijing Review Press\" # from the masthead",
    ] {
        assert!(after.contains(kept), "`{kept}` lost:\n{after}");
    }
    assert!(
        after.contains("id = \"the-lighthouse-comes-back\""),
        "{after}"
    );

    // The second page captured again after the site corrected it.
    let recaptured = dir.path().join("recaptured");
    fs::create_dir(&recaptured).unwrap();
    let mut changed = pages.clone();
    changed[1] = recaptured.join("lighthouse-page-2-again.txt");
    let page_two = fs::read_to_string(&pages[1]).unwrap();
    let corrected = page_two.replacen(
        "Restoration began last spring",
        "Restoration began in April",
        1,
    );
    assert_ne!(corrected, page_two);
    fs::write(&changed[1], corrected).unwrap();
    let records = import(&changed);
    assert_eq!(
        records.last().unwrap()["data"]["committed"],
        true,
        "{records:?}"
    );
    let shown = json_lines(&run(quire(&archive).args(["show", issue, "--json"])).ok());
    let ids: Vec<&str> = shown[0]["data"]["issue"]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["articles"].as_array().unwrap())
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "full-text-the-internet-in-china",
            "the-lighthouse-comes-back"
        ],
        "the article was doubled"
    );
    let body =
        run(quire(&archive).args(["cat", issue, "articles/the-lighthouse-comes-back.md"])).ok();
    assert!(body.contains("Restoration began in April"), "{body}");
    assert!(!body.contains("Restoration began last spring"), "{body}");
    let last = issue_toml(&archive, issue);
    assert!(last.contains(comment), "{last}");
    assert!(
        last.contains("{ file = \"sources/lighthouse-page-2-again.txt\", page = 2, site = \"The Harbour Weekly\" }")
            && !last.contains("\"sources/lighthouse-page-2.txt\""),
        "the article's sources are not the captures it came from:\n{last}"
    );
    assert_eq!(last.matches("[[articles]]").count(), 2, "{last}");
}

/// A capture of the kinds whose metadata the trial found invented or lost.
fn meta_capture(name: &str) -> PathBuf {
    web("meta").join(name)
}

/// The one article a dry run of `capture` makes, and its body.
fn meta_article(capture: &Path) -> (serde_json::Value, String, String) {
    let (article, stderr) = crate::import_fidelity::dry_run_one(capture);
    let body = article["body"].as_str().unwrap().to_string();
    (article, body, stderr)
}

#[test]
fn readers_comments_are_neither_the_author_nor_the_date_nor_the_text_of_the_article() {
    let (article, body, stderr) = meta_article(&meta_capture("comments-no-byline.html"));
    // The page names no author and gives no date of its own: none is made up from a comment.
    for absent in ["authors", "published", "updated"] {
        assert!(article.get(absent).is_none(), "{absent}: {article}");
    }
    assert!(
        body.starts_with("A dry-stone wall holds together"),
        "{body}"
    );
    assert!(body.contains("which stones to take out again."), "{body}");
    assert_contains_none(
        &body,
        &["Gwen Price", "3 comments", "Which months", "waiting list"],
    );
    assert!(stderr.contains("readers' comments (55 words)"), "{stderr}");
}

#[test]
fn drupal_s_submitted_line_gives_the_author_the_date_and_the_section() {
    let page = meta_capture("drupal-submitted.html");
    let (article, body, _) = meta_article(&page);
    assert_eq!(article["authors"], json!(["Karin Lund"]));
    assert_eq!(article["published"], "2025-03-04");
    assert_eq!(article["section"], "Transport");
    assert!(body.starts_with("The ferry pier at Northholm"), "{body}");
    assert_contains_none(&body, &["Submitted by", "Transport"]);

    // Without `dcterms.date`, the submitted line's date: `03/04/2025` is a Tuesday only as
    // 4 March. Without its weekday, in a page that says only `en`, it is no date at all.
    let dir = tempfile::tempdir().unwrap();
    let html = fs::read_to_string(&page).unwrap();
    let undated = html.replace("<meta name=\"dcterms.date\"", "<meta name=\"x\"");
    let copy = dir.path().join("submitted-only.html");
    fs::write(&copy, &undated).unwrap();
    assert_eq!(meta_article(&copy).0["published"], "2025-03-04");
    fs::write(&copy, undated.replace("Tue, 03/04/2025", "03/04/2025")).unwrap();
    assert!(meta_article(&copy).0.get("published").is_none());
    // The language settles it: day first in British English, month first in American.
    let no_weekday = undated.replace("Tue, 03/04/2025", "03/04/2025");
    for (language, date) in [("en-GB", "2025-04-03"), ("en-US", "2025-03-04")] {
        let html = no_weekday.replace("lang=\"en\"", &format!("lang=\"{language}\""));
        fs::write(&copy, html).unwrap();
        assert_eq!(meta_article(&copy).0["published"], date, "{language}");
    }
}

#[test]
fn a_byline_naming_more_authors_than_the_author_meta_tag_gives_them_all() {
    let (article, body, _) = meta_article(&meta_capture("byline-two-authors.html"));
    assert_eq!(article["authors"], json!(["Priya Shah", "Tomás Ruiz"]));
    assert_eq!(article["published"], "2025-03-04");
    assert!(body.starts_with("Bus journeys fell in eleven"), "{body}");
}

#[test]
fn the_page_s_section_is_read_and_its_label_left_out_of_the_body() {
    let page = meta_capture("section-label.html");
    let (article, body, _) = meta_article(&page);
    assert_eq!(article["section"], "ثقافة");
    // The label, the deck (a `p.summary`) and the byline's date line are not text.
    assert_eq!(
        article["deck"],
        "ثلاثون شاعرا من عشر مدن يقرأون قصائدهم على مدى ثلاثة أيام"
    );
    assert!(body.starts_with("عاد مهرجان الشعر"), "{body}");
    assert_contains_none(&body, &["ثقافة", "ثلاثون شاعرا", "٤ مارس", "بقلم"]);
    // The section the importer is given outranks the page's.
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let result = run(quire(&archive)
        .args(["import-web", "--issue", "probe", "--dry-run", "--json"])
        .args(["--section", "Arts"])
        .arg(&page));
    let records = json_lines(&result.ok());
    assert_eq!(records[0]["data"]["section"], "Arts");
}

#[test]
fn bylines_and_date_lines_at_the_head_are_metadata_not_text() {
    // AMP: a byline with a staff title and a labelled update in one line.
    let (article, body, _) = meta_article(&meta_capture("amp-staff-writer.html"));
    assert_eq!(article["authors"], json!(["Rosa Quint"]));
    assert!(body.starts_with("The central library reopened"), "{body}");
    // A print page: a rule, the byline in capitals with a staff title, a date line; the
    // byline's name is the author.
    let (article, body, _) = meta_article(&meta_capture("print-caps-byline.html"));
    assert_eq!(article["authors"], json!(["DANIEL OKORO"]));
    assert_eq!(article["published"], "2025-03-04");
    assert!(
        body.starts_with("EASTBROOK — The Victorian market hall"),
        "{body}"
    );
    // An interview: its kicker (the page's section), its standfirst (the deck, taken once),
    // `Interview by`, `Updated: …`.
    let (article, body, _) = meta_article(&meta_capture("interview-kicker.html"));
    assert_eq!(article["authors"], json!(["Owen Pryce"]));
    assert_eq!(article["updated"], "2025-03-06");
    assert_eq!(article["section"], "Interview");
    assert_eq!(
        article["deck"],
        "The furniture maker on green oak, patience and the chairs she will not sell"
    );
    assert!(body.starts_with("*Ines Varga’s workshop"), "{body}");
    assert_contains_none(&body, &["Interview by", "Updated", "green oak, patience"]);
    // A live blog: its byline after the key points; the points and the entries' times stay.
    let (article, body, _) = meta_article(&meta_capture("liveblog-byline.html"));
    assert_eq!(article["authors"], json!(["Nia Brooks", "Sam Hale"]));
    assert!(!body.contains("Nia Brooks and Sam Hale"), "{body}");
    assert!(
        body.starts_with("## Key points\n\n- Course record broken in the women's race"),
        "{body}"
    );
    assert!(body.contains("11:40\n\nThe women's race"), "{body}");
}

#[test]
fn names_lose_the_words_that_introduce_them_and_the_publication_is_its_masthead() {
    let (article, _, _) = meta_article(&meta_capture("section-label.html"));
    assert_eq!(article["authors"], json!(["ليلى منصور"]));
    // The name was marked apart from `Photographs and text by`: the whole line is the byline.
    let (article, body, _) = meta_article(&meta_capture("photo-credit-line.html"));
    assert_eq!(article["authors"], json!(["Maren Holt"]));
    assert!(
        body.starts_with("Along four miles of the north shore"),
        "{body}"
    );
    // `Harbour Light` heads the page; `Harbour Light Media Ltd` holds the copyright.
    let (article, _, _) = meta_article(&meta_capture("masthead-copyright.txt"));
    assert_eq!(article["site_name"], "Harbour Light");
    assert_eq!(article["sources"][0]["site"], "Harbour Light");
}

#[test]
fn a_text_capture_s_title_over_a_deck_of_fewer_but_longer_words_is_the_title() {
    let (article, body, _) = meta_article(&meta_capture("masthead-copyright.txt"));
    assert_eq!(
        article["title"],
        "Lifeboat station to get a new slipway at last"
    );
    assert_eq!(
        article["deck"],
        "Volunteers welcome overdue replacement of crumbling concrete"
    );
    assert!(
        body.starts_with("The lifeboat station at the harbour mouth"),
        "{body}"
    );
}

#[test]
fn a_post_filed_under_comment_or_open_to_comments_keeps_its_text() {
    // WordPress's `category-comment` and `tag-comments` on the post, `commentable` on its text.
    let (_, body, stderr) = meta_article(&meta_capture("wordpress-comment-category.html"));
    assert!(body.starts_with("The county council met"), "{body}");
    assert!(body.contains("the leader of the council said"), "{body}");
    assert!(!stderr.contains("readers' comments"), "{stderr}");
}

#[test]
fn a_section_headed_public_comment_is_the_article_s_text() {
    let (_, body, stderr) = meta_article(&meta_capture("public-comment-section.html"));
    assert!(body.contains("## Public comment"), "{body}");
    assert!(body.contains("Nine residents spoke against"), "{body}");
    assert!(body.contains("keep the learner pool open"), "{body}");
    assert!(!stderr.contains("readers' comments"), "{stderr}");
}

#[test]
fn headings_and_sentences_that_start_like_bylines_or_dates_are_text() {
    let (article, body, _) = meta_article(&meta_capture("heading-and-dated-lead.html"));
    for absent in ["authors", "published", "updated"] {
        assert!(article.get(absent).is_none(), "{absent}: {article}");
    }
    assert!(
        body.starts_with("## By The Numbers\n\n12/25/2024 is the day"),
        "{body}"
    );
    for kept in [
        "March 4, 2024 was the last day",
        "### Par For The Course",
        "By Land And Sea",
    ] {
        assert!(body.contains(kept), "{kept}: {body}");
    }
}

#[test]
fn lines_after_a_picture_and_a_heading_are_text_unless_the_page_marks_them() {
    let (article, body, _) = meta_article(&meta_capture("timeline-after-figure.html"));
    assert_eq!(article["published"], "2025-03-04");
    assert_eq!(article["authors"], json!(["Cerys Hughes"]));
    for kept in [
        "June 1, 2023 — the learner pool closes.",
        "4 March 2024 — the boiler fails.",
    ] {
        assert!(body.contains(kept), "{kept}: {body}");
    }
}

#[test]
fn a_related_story_s_card_gives_no_deck_section_author_or_date() {
    let (article, body, _) = meta_article(&meta_capture("related-card.html"));
    for absent in ["deck", "section", "authors", "published", "updated"] {
        assert!(article.get(absent).is_none(), "{absent}: {article}");
    }
    assert!(body.starts_with("The county council met"), "{body}");
}

#[test]
fn a_text_capture_s_masthead_is_a_line_above_its_title_not_a_subheading() {
    let (article, body, _) = meta_article(&meta_capture("masthead-subheading.txt"));
    assert_eq!(article["site_name"], "Valley Media Group");
    assert!(body.contains("Valley"), "{body}");
}

#[test]
fn a_korean_byline_gives_the_reporter_without_the_title_and_the_labelled_dates() {
    let (article, body, _) = meta_article(&meta_capture("korean-reporter-byline.html"));
    assert_eq!(article["authors"], json!(["이서연"]));
    assert_eq!(article["published"], "2024-05-06");
    assert_eq!(article["updated"], "2024-05-07");
    assert!(body.starts_with("항구 도서관이 여덟 달"), "{body}");
    assert_contains_none(&body, &["기자", "입력", "수정"]);
}

#[test]
fn a_byline_naming_the_publication_gives_no_author_and_its_date_label_ends_the_names() {
    let page = meta_capture("publication-byline.html");
    let (article, body, _) = meta_article(&page);
    assert!(article.get("authors").is_none(), "{article}");
    assert_eq!(article["published"], "2025-03-04");
    assert!(body.starts_with("Ferry fares rose"), "{body}");
    // A news agency is no person either; a person before the label is the author.
    let dir = tempfile::tempdir().unwrap();
    let html = fs::read_to_string(&page).unwrap();
    let copy = dir.path().join("agency.html");
    for (byline, authors) in [
        ("By Xinhua", json!(null)),
        ("By Lena Moss", json!(["Lena Moss"])),
    ] {
        fs::write(&copy, html.replace("By Harbour Post", byline)).unwrap();
        let (article, _, _) = meta_article(&copy);
        assert_eq!(
            article.get("authors").cloned().unwrap_or(json!(null)),
            authors,
            "{byline}"
        );
    }
}

#[test]
fn a_byline_with_a_dateline_place_and_the_publication_gives_the_reporter_and_is_no_text() {
    let (article, body, _) = meta_article(&meta_capture("dateline-byline.html"));
    assert_eq!(article["authors"], json!(["LIN HAIYAN"]), "{article}");
    assert_eq!(article["updated"], "2025-03-04");
    assert!(body.starts_with("A new tram line"), "{body}");
    assert_contains_none(&body, &["LIN HAIYAN", "China Daily", "Updated", "Share"]);
}

#[test]
fn an_image_from_the_sites_root_is_found_in_a_saved_copy_of_the_site_and_never_outside_it() {
    let dir = tempfile::tempdir().unwrap();
    // A saved copy of the site: the page under its address's folders, images at its root.
    let site = dir.path().join("www.example.org");
    let folder = site.join("nation/txt/2008-08");
    fs::create_dir_all(&folder).unwrap();
    fs::create_dir_all(site.join("images/2008 08")).unwrap();
    let picture = fs::read(web("html/images/harbour.png")).unwrap();
    fs::write(site.join("images/2008 08/canal.png"), &picture).unwrap();
    fs::write(site.join("images/pier.png"), &picture).unwrap();
    // A file of the machine's that the page names by its absolute path.
    let private = dir.path().join("private.png");
    fs::write(&private, b"not the page's").unwrap();
    // A link beside the page to a file outside the saved site.
    std::os::unix::fs::symlink(&private, folder.join("linked.png")).unwrap();
    let paragraph = "The first water from the reservoir is expected to reach the capital two \
        years later than planned, officials said on Friday, as engineers line the canal bed.";
    let page = folder.join("content_1.htm");
    fs::write(
        &page,
        format!(
            "<html lang=\"en\"><head><title>Water for the North</title>\
             <meta property=\"og:url\" content=\"http://www.example.org/nation/txt/2008-08/content_1.htm\">\
             </head><body><article><h1>Water for the North</h1><p>{paragraph}</p>\
             <figure><img src=\"/images/2008%2008/canal.png\" alt=\"The canal\">\
             <figcaption>The canal in May.</figcaption></figure><p>{paragraph}</p>\
             <figure><img src=\"{}\" alt=\"A private file\"></figure><p>{paragraph}</p>\
             <figure><img src=\"linked.png\" alt=\"A linked file\"></figure><p>{paragraph}</p>\
             <figure><img src=\"../../../images/pier.png\" alt=\"The pier\"></figure><p>{paragraph}</p>\
             <figure><img src=\"../../../../private.png\" alt=\"Climbing out\"></figure><p>{paragraph}</p>\
             </article></body></html>",
            private.display()
        ),
    )
    .unwrap();
    let (archive, stderr) = import_new_issue(dir.path(), "water", &page);
    let cat = |path: &str| head_file(&archive, "water", path);
    let body = String::from_utf8(cat("articles/water-for-the-north.md")).unwrap();
    assert!(
        body.contains("![The canal](assets/water-for-the-north-canal.png)"),
        "{body}"
    );
    assert_eq!(cat("assets/water-for-the-north-canal.png"), picture);
    // An address that climbs, as `wget -k` writes them, within the saved site only.
    assert!(
        body.contains("![The pier](assets/water-for-the-north-pier.png)"),
        "{body}"
    );
    assert!(
        stderr.contains("image ../../../../private.png is not beside its capture"),
        "{stderr}"
    );
    // The absolute path is recorded as the page's address makes it, and nothing of the
    // machine's is stored.
    assert!(
        stderr.contains(&format!(
            "image {} is not beside its capture",
            private.display()
        )),
        "{stderr}"
    );
    assert!(
        body.contains(&format!("](http://www.example.org{})", private.display())),
        "{body}"
    );
    assert!(
        stderr.contains("image linked.png is not beside its capture"),
        "{stderr}"
    );
    let listed = run(quire(&archive).args(["show", "water", "--json"])).ok();
    assert!(
        !listed.contains("private") && !listed.contains("linked"),
        "{listed}"
    );
}

#[test]
fn pictures_inside_a_list_s_steps_and_a_table_s_cells_are_stored_as_those_standing_alone_are() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("images")).unwrap();
    let picture = fs::read(web("html/images/harbour.png")).unwrap();
    fs::write(dir.path().join("images/step 3.png"), &picture).unwrap();
    fs::write(dir.path().join("images/pan.png"), &picture).unwrap();
    // Another picture of the same name, in another folder.
    fs::create_dir_all(dir.path().join("images/cells")).unwrap();
    let other = fs::read(fixtures().join("images/red.webp")).unwrap();
    fs::write(dir.path().join("images/cells/step 3.png"), &other).unwrap();
    let paragraph = "Fold the butter into the dough in three turns, resting it in a cold \
        larder between each, and the pastry will rise in even, flaky layers.";
    let page = dir.path().join("pastry.html");
    fs::write(
        &page,
        format!(
            "<html lang=\"en\"><head><title>Rough puff pastry</title>\
             <link rel=\"canonical\" href=\"https://food.example.org/recipes/rough-puff\"></head>\
             <body><article><h1>Rough puff pastry</h1><p>{paragraph}</p>\
             <ol><li>Rub in half the butter.</li>\
             <li>Fold it in thirds.<br><img src=\"images/step%203.png\" alt=\"The third fold\"></li>\
             <li>Rest it.<br><img src=\"images/gone.png\" alt=\"The dough resting\"></li>\
             <li>Blog it as <code>![fold](images/step%203.png)</code>.</li></ol>\
             <table><tr><th>Stage</th><th>Looks like</th></tr>\
             <tr><td>Rested</td><td><img src=\"images/cells/step 3.png\" alt=\"Rested dough\"></td></tr></table>\
             <table><caption>Two pans</caption><tr><td><img src=\"images/pan.png\" alt=\"The big pan\">\
             </td><td>The big one</td></tr><tr><td>Big pan</td><td>Small pan</td></tr></table>\
             <p>{paragraph}</p></article></body></html>"
        ),
    )
    .unwrap();
    let (archive, stderr) = import_new_issue(dir.path(), "food", &page);
    let cat = |path: &str| head_file(&archive, "food", path);
    let body = String::from_utf8(cat("articles/rough-puff-pastry.md")).unwrap();
    for (alt, stored, bytes) in [
        (
            "The third fold",
            "assets/rough-puff-pastry-step 3.png",
            &picture,
        ),
        (
            "Rested dough",
            "assets/rough-puff-pastry-2-step 3.png",
            &other,
        ),
    ] {
        let target = stored.replace(' ', "%20");
        assert!(body.contains(&format!("![{alt}]({target})")), "{body}");
        assert_eq!(cat(stored), *bytes, "{stored}");
    }
    // A table kept as HTML keeps its picture too.
    assert!(
        body.contains(
            "<td><img src=\"assets/rough-puff-pastry-pan.png\" alt=\"The big pan\"/></td>"
        ),
        "{body}"
    );
    assert_eq!(cat("assets/rough-puff-pastry-pan.png"), picture);
    assert!(!stderr.contains("not carried over"), "{stderr}");
    // The address quoted as code stays as written.
    assert!(body.contains("`![fold](images/step%203.png)`"), "{body}");
    // One not saved is named, and recorded by the page's address.
    assert!(
        stderr.contains("image images/gone.png is not beside its capture"),
        "{stderr}"
    );
    assert!(
        body.contains("](https://food.example.org/recipes/images/gone.png)"),
        "{body}"
    );
}

#[test]
fn a_table_laying_out_two_pictures_over_their_captions_is_stored_as_two_captioned_figures() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("eggs_files")).unwrap();
    let picture = fs::read(web("html/images/harbour.png")).unwrap();
    let other = fs::read(fixtures().join("images/red.webp")).unwrap();
    fs::write(dir.path().join("eggs_files/big.png"), &picture).unwrap();
    fs::write(dir.path().join("eggs_files/small.webp"), &other).unwrap();
    let paragraph = "My aunt cooked this in the harbour kitchen every Friday, and nobody ever \
        wrote down how much of anything went in, so these quantities are my best guess.";
    let page = dir.path().join("eggs.html");
    // A list, then the pictures in a table (readability drops a box of pictures and few words).
    fs::write(
        &page,
        format!(
            "<html lang=\"en\"><head><title>Harbour eggs</title></head><body><main><article>\
             <h1>Harbour eggs</h1><div class=\"entry-content\"><p>{paragraph}</p>\
             <p>{paragraph}</p><ol><li>Soften the onion.</li><li>Crack in the eggs.</li></ol>\
             <table><tr><td><img src=\"eggs_files/big.png\" alt=\"The big pan\"></td>\
             <td><img src=\"eggs_files/small.webp\" alt=\"The small pan\"></td></tr>\
             <tr><td>Big pan</td><td>Small pan (PHOTO: ANNA BERG)</td></tr></table>\
             <p>{paragraph}</p></div></article></main></body></html>"
        ),
    )
    .unwrap();
    let (archive, stderr) = import_new_issue(dir.path(), "food", &page);
    let cat = |path: &str| head_file(&archive, "food", path);
    let body = String::from_utf8(cat("articles/harbour-eggs.md")).unwrap();
    let pictures = body.find("![The big pan](assets/harbour-eggs-big.png)");
    let small = body.find("![The small pan](assets/harbour-eggs-small.webp)");
    assert!(pictures.is_some() && small > pictures, "{body}");
    assert_eq!(cat("assets/harbour-eggs-big.png"), picture);
    assert_eq!(cat("assets/harbour-eggs-small.webp"), other);
    let issue = String::from_utf8(cat("issue.toml")).unwrap();
    let captions = [
        "{ file = \"assets/harbour-eggs-big.png\", alt = \"The big pan\", caption = \"Big pan\" }",
        "{ file = \"assets/harbour-eggs-small.webp\", alt = \"The small pan\", caption = \
         \"Small pan\", credit = \"PHOTO: ANNA BERG\" }",
    ];
    for caption in captions {
        assert!(issue.contains(caption), "{issue}");
    }
    assert!(!stderr.contains("not carried over"), "{stderr}");
}

#[test]
fn a_picture_s_source_the_capture_saved_is_stored_when_its_image_s_own_address_is_remote() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("images")).unwrap();
    let avif = fs::read(fixtures().join("images/red.avif")).unwrap();
    fs::write(dir.path().join("images/kelp-farm.avif"), &avif).unwrap();
    // The dark scheme's rendering, larger, saved too: not what a reader saw by day.
    fs::write(dir.path().join("images/kelp-farm-dark.avif"), b"dark").unwrap();
    let paragraph = "The kelp lines off the point now yield twice what they did when the \
        cooperative began, and the growers want a second licence for the outer bay.";
    let page = dir.path().join("kelp.html");
    fs::write(
        &page,
        format!(
            "<html lang=\"en\"><head><title>Kelp farm doubles its yield</title></head><body>\
             <article><h1>Kelp farm doubles its yield</h1><p>{paragraph}</p>\
             <figure><picture><source media=\"(prefers-color-scheme: dark)\" \
             srcset=\"images/kelp-farm-dark.avif 1600w\">\
             <source type=\"image/avif\" srcset=\"images/kelp-farm.avif 800w\">\
             <source type=\"image/webp\" srcset=\"https://cdn.example/kelp-farm-800.webp 800w\">\
             <img src=\"https://cdn.example/kelp-farm-800.jpg\" alt=\"Kelp lines at low tide\">\
             </picture><figcaption>The lines at low tide.</figcaption></figure>\
             <p>{paragraph}</p></article></body></html>"
        ),
    )
    .unwrap();
    let (archive, _) = import_new_issue(dir.path(), "kelp", &page);
    let cat = |path: &str| head_file(&archive, "kelp", path);
    let body = String::from_utf8(cat("articles/kelp-farm-doubles-its-yield.md")).unwrap();
    let stored = "assets/kelp-farm-doubles-its-yield-kelp-farm.avif";
    assert!(
        body.contains(&format!("![Kelp lines at low tide]({stored})")),
        "{body}"
    );
    assert_eq!(cat(stored), avif);
}

#[test]
fn a_page_saved_whole_keeps_the_pictures_it_carries_in_itself_and_its_charts() {
    use base64::Engine;
    let dir = tempfile::tempdir().unwrap();
    let picture = fs::read(web("html/images/harbour.png")).unwrap();
    let encoded = base64::engine::general_purpose::STANDARD.encode(&picture);
    let paragraph = "The harbour board voted on Tuesday to extend the night ferry service \
        through the winter, after a summer busier than any since records began.";
    let pixel = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
    // As SingleFile saves a page: every picture a `data:` address, the chart inline.
    let page = dir.path().join("ferries.html");
    fs::write(
        &page,
        format!(
            "<!DOCTYPE html> <html lang=\"en\"><!--\n Page saved with SingleFile \n url: \
             https://news.example.org/2025/ferries \n saved date: Mon Mar 03 2025 10:00:00 \
             GMT+0000\n--><head><title>Night ferries to run all winter</title></head><body>\
             <article><h1>Night ferries to run all winter</h1>\
             <p><a href=\"/share\"><svg viewBox=\"0 0 24 24\"><path d=\"M0 0h24v24H0z\"/></svg></a></p>\
             <p>{paragraph}</p><figure><img src=\"data:image/png;base64,{encoded}\" \
             alt=\"The night ferry at the quay\"><figcaption>The ferry at the quay.</figcaption>\
             </figure><p>{paragraph}</p><figure><svg viewBox=\"0 0 600 300\" role=\"img\">\
             <title>Passengers by year</title><desc>2022: 10,000; 2024: 15,500</desc>\
             <rect x=\"0\" y=\"100\" width=\"200\" height=\"200\"/></svg>\
             <figcaption>Passengers by year.</figcaption></figure>\
             <p>{paragraph} <img src=\"{pixel}\" alt=\"\"></p></article></body></html>"
        ),
    )
    .unwrap();
    let (archive, stderr) = import_new_issue(dir.path(), "ferries", &page);
    assert!(!stderr.contains("not carried over"), "{stderr}");
    let cat = |path: &str| head_file(&archive, "ferries", path);
    let body = String::from_utf8(cat("articles/night-ferries-to-run-all-winter.md")).unwrap();
    assert!(!body.contains("data:"), "{body}");
    let shown: Vec<&str> = body.lines().filter_map(|l| l.strip_prefix("![")).collect();
    assert_eq!(shown.len(), 2, "{body}");
    let file = |line: &str| {
        line.split_once("](")
            .unwrap()
            .1
            .trim_end_matches(')')
            .to_string()
    };
    assert!(
        shown[0].starts_with("The night ferry at the quay]"),
        "{body}"
    );
    assert_eq!(cat(&file(shown[0])), picture);
    assert!(shown[1].starts_with("Passengers by year]"), "{body}");
    let chart = String::from_utf8(cat(&file(shown[1]))).unwrap();
    assert!(
        chart.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")
            && chart.contains("<desc>2022: 10,000; 2024: 15,500</desc>"),
        "{chart}"
    );
    let issue = String::from_utf8(cat("issue.toml")).unwrap();
    assert!(
        issue.contains("url = \"https://news.example.org/2025/ferries\""),
        "{issue}"
    );
}
