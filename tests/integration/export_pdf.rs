//! `quire export pdf`, checked with qpdf and poppler: structure, fonts, text, metadata,
//! outline and links (by the page they land on), page breaking, images, reproducibility and
//! the clear errors. Without qpdf or poppler, the exports still run and only their checks are
//! skipped.

use crate::support::*;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) fn export(archive: &Path, issue: &str, out: &Path) -> String {
    run(quire(archive).args(["export", "pdf", issue, "-o"]).arg(out)).ok()
}

/// What `quire export pdf` warns of, when it succeeds.
fn export_warnings(archive: &Path, issue: &str, out: &Path) -> String {
    run(quire(archive).args(["export", "pdf", issue, "-o"]).arg(out)).ok_stderr()
}

/// The text of a PDF (or of one page) by poppler, in the order it is set (`-raw`): lines as
/// set, one column after the other (layout mode would run the two columns of a page together
/// line by line), so that a hyphen at a page's foot is not glued to the folio below it.
pub(crate) fn pdftotext(pdf: &Path, pages: Option<usize>) -> String {
    let mut command = Command::new(checked_tool("pdftotext"));
    command.arg("-raw");
    if let Some(page) = pages {
        command.args(["-f", &page.to_string(), "-l", &page.to_string()]);
    }
    let (ok, text) = tool_output(command.arg(pdf).arg("-"));
    assert!(ok, "{text}");
    text
}

/// The text of each page (poppler ends every page with a form feed), in the order set.
pub(crate) fn page_texts(pdf: &Path) -> Vec<String> {
    let text = pdftotext(pdf, None);
    let mut pages: Vec<String> = text.split('\x0c').map(str::to_string).collect();
    pages.pop();
    pages
}

/// `qpdf --check` passes.
#[track_caller]
pub(crate) fn assert_qpdf_check(pdf: &Path) {
    let (ok, check) = tool_output(Command::new(checked_tool("qpdf")).arg("--check").arg(pdf));
    assert!(
        ok && check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
}

/// What a poppler tool (`pdfinfo`, `pdffonts`) prints about a PDF.
pub(crate) fn poppler(name: &str, pdf: &Path) -> String {
    tool_output(Command::new(checked_tool(name)).arg(pdf)).1
}

pub(crate) fn qpdf_json(pdf: &Path) -> Value {
    let output = Command::new(checked_tool("qpdf"))
        .args([
            "--json",
            "--json-key=pages",
            "--json-key=outlines",
            "--json-key=qpdf",
        ])
        .arg(pdf)
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

/// True when `words` appear in order in `text`'s words (running heads and folios may stand
/// between them; a word hyphenated at a line or page end comes back in two pieces).
pub(crate) fn words_in_order(text: &str, words: &[&str]) -> Result<(), String> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut at = 0;
    for word in words {
        let want = word.replace('-', "");
        let mut skipped = 0;
        loop {
            let Some(token) = tokens.get(at) else {
                return Err(format!("`{word}` not found in order"));
            };
            let plain = token.replace('-', "");
            if plain == want {
                at += 1;
                break;
            }
            // The head of a broken word: its tail follows, perhaps after a running head.
            if token.ends_with('-') && !plain.is_empty() && want.starts_with(&plain) {
                let tail = &want[plain.len()..];
                if let Some(offset) = tokens[at + 1..]
                    .iter()
                    .take(40)
                    .position(|t| t.replace('-', "") == tail)
                {
                    at += offset + 2;
                    break;
                }
            }
            at += 1;
            skipped += 1;
            // The first word may come after the cover and contents; later ones only after
            // what stands between paragraphs (headings, article heads, running heads).
            if skipped > 60 && word != &words[0] {
                let context = tokens[at.saturating_sub(45)..at].join(" ");
                return Err(format!("`{word}` not found near token {at}: … {context}"));
            }
        }
    }
    Ok(())
}

#[test]
fn the_sample_edition_passes_the_independent_checks() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("sample.pdf");
    let archive = repo().join("archive");
    export(&archive, "beijing-review-sample", &pdf);
    if !tools(&["qpdf", "pdffonts", "pdftotext", "pdfinfo"]) {
        return;
    }
    assert_qpdf_check(&pdf);
    assert_fonts_embedded_and_subset(&poppler("pdffonts", &pdf));

    let text = pdftotext(&pdf, None);
    let body =
        fs::read_to_string(sample_issue().join("articles/full-text-the-internet-in-china.md"))
            .unwrap();
    let words: Vec<&str> = body.split_whitespace().filter(|w| *w != "##").collect();
    words_in_order(&text, &words).unwrap();

    let info = poppler("pdfinfo", &pdf);
    assert!(info.contains("Title:           Beijing Review"), "{info}");
    assert!(
        info.contains("Subject:         Full Text: The Internet in China"),
        "{info}"
    );
    assert!(info.contains("Creator:         quire"), "{info}");
    // Dates from the version's created time, never the clock.
    assert!(
        info.contains("CreationDate:    Sat Nov 28 00:00:00 2026 UTC"),
        "{info}"
    );
    assert!(info.contains("Page size:       595.28 x 841.89"), "{info}");

    // The colophon names where the edition came from, with the digest of the archived
    // issue.toml (computed here by an independent sha512).
    let pages = qpdf_json(&pdf)["pages"].as_array().unwrap().len();
    let colophon = pdftotext(&pdf, Some(pages));
    for expected in [
        "Colophon",
        "urn:quire:beijing-review-sample",
        "Version: v1 (created 2026-11-28T00:00:00Z)",
    ] {
        assert!(
            colophon.contains(expected),
            "{expected} missing from:\n{colophon}"
        );
    }
    let issue_toml = fs::read(sample_issue().join("issue.toml")).unwrap();
    assert_eq!(
        colophon_digest(&colophon),
        sha512_hex(&issue_toml),
        "the colophon's digest is not issue.toml's:\n{colophon}"
    );
}

/// The colophon names the publication's publisher and ISSN, which `issue.toml` gives.
#[test]
fn the_colophon_names_the_publisher_and_the_issn() {
    let dir = tempfile::tempdir().unwrap();
    let folder = sample_copy(dir.path(), "imprint");
    edit_file(&folder.join("issue.toml"), |toml| {
        toml.replacen(
            "title = \"Beijing Review\"",
            "title = \"Beijing Review\"\npublisher = \"Beijing Review Press\"\nissn = \"1000-9140\"",
            1,
        )
    });
    let archive = archive_of(dir.path(), &folder);
    let pdf = dir.path().join("imprint.pdf");
    export(&archive, "beijing-review-sample", &pdf);
    if !tools(&["qpdf", "pdftotext"]) {
        return;
    }
    let pages = qpdf_json(&pdf)["pages"].as_array().unwrap().len();
    let colophon = pdftotext(&pdf, Some(pages));
    assert!(
        colophon.contains("Beijing Review. Beijing Review Press · ISSN 1000-9140."),
        "{colophon}"
    );
}

/// Every font `pdffonts` lists is embedded, subset and has a ToUnicode map.
#[track_caller]
fn assert_fonts_embedded_and_subset(fonts: &str) {
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        let n = columns.len();
        assert_eq!(
            &columns[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "font not embedded and subset: {row}"
        );
    }
}

/// The hex digits after "sha512" in the colophon's text (the digest may wrap over lines).
fn colophon_digest(colophon: &str) -> String {
    let (_, after) = colophon
        .split_once("sha512")
        .unwrap_or_else(|| panic!("no sha512 in:\n{colophon}"));
    after
        .trim_start_matches(|c: char| c == ':' || c == ')' || c.is_whitespace())
        .chars()
        .take_while(|c| c.is_ascii_hexdigit() || c.is_whitespace())
        .filter(char::is_ascii_hexdigit)
        .collect()
}

/// The long test issue (3 sections of 4 articles of 12 paragraphs) archived and exported in
/// `dir`: the PDF's path and the paragraphs.
pub(crate) fn long_test_pdf(dir: &Path) -> (PathBuf, Vec<String>) {
    let archive = dir.join("archive");
    run(quire(&archive).arg("init")).ok();
    let (folder, paragraphs) = test_issue(dir, "long-issue", 3, 4, 12);
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let pdf = dir.join("long.pdf");
    export(&archive, "long-issue", &pdf);
    (pdf, paragraphs)
}

#[test]
fn a_long_issue_has_its_outline_links_and_words_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, paragraphs) = long_test_pdf(dir.path());
    if !tools(&["qpdf", "pdftotext", "pdfinfo"]) {
        return;
    }
    assert_qpdf_check(&pdf);

    let info = poppler("pdfinfo", &pdf);
    assert!(
        info.contains("Title:           Test Quarterly: Spring Issue"),
        "{info}"
    );
    assert!(
        info.contains("Author:          Zoë Müller, Иван Петров"),
        "{info}"
    );
    assert!(
        info.contains("Keywords:        Test Quarterly; Section 0; Section 1; Section 2"),
        "{info}"
    );

    // Every paragraph's words, in order.
    let text = pdftotext(&pdf, None);
    let words: Vec<&str> = paragraphs
        .iter()
        .flat_map(|p| p.split_whitespace())
        .collect();
    words_in_order(&text, &words).unwrap();

    // The outline is the table of contents: sections, their articles, their headings.
    let json = qpdf_json(&pdf);
    let outline = json["outlines"].as_array().unwrap();
    let titles: Vec<&str> = outline
        .iter()
        .map(|o| o["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Contents",
            "Section 0",
            "Section 1",
            "Section 2",
            "Colophon"
        ]
    );
    for (s, section) in outline[1..4].iter().enumerate() {
        let articles: Vec<&str> = section["kids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["title"].as_str().unwrap())
            .collect();
        let expected: Vec<String> = (0..4)
            .map(|a| format!("Article {}: Čapek and the Ωmega of Σύνταξη", s * 4 + a))
            .collect();
        assert_eq!(articles, expected);
        for article in section["kids"].as_array().unwrap() {
            let headings: Vec<&str> = article["kids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k["title"].as_str().unwrap())
                .collect();
            assert_eq!(headings.len(), 3, "{headings:?}");
            assert!(headings[0].starts_with("Part 2 of article"));
        }
    }

    assert_links_and_outline_land_on_their_pages(&json, &page_texts(&pdf));
}

/// The contents links and outline entries of the long test issue (three sections of four
/// articles) each go to the page (counted from 1) where their target is set: an article where
/// it begins (the first page after the contents holding its title, which running heads repeat
/// on the pages after), a heading where it stands, a section at its first article.
fn assert_links_and_outline_land_on_their_pages(json: &Value, texts: &[String]) {
    let pages = json["pages"].as_array().unwrap();
    let outline = json["outlines"].as_array().unwrap();
    assert_eq!(texts.len(), pages.len());
    let contents = 2;
    assert!(texts[contents - 1].starts_with("Test Quarterly"));
    assert!(texts[contents - 1].contains("Contents"), "{}", texts[1]);
    let begins = |n: usize| -> usize {
        let title = format!("Article {n}: Čapek");
        let first = (contents + 1..=texts.len()).find(|&p| texts[p - 1].contains(&title));
        let first = first.unwrap_or_else(|| panic!("article {n} is on no page"));
        assert!(
            texts[first - 1].contains(&format!("A deck for article {n}\n")),
            "article {n}'s head is not on page {first}:\n{}",
            texts[first - 1]
        );
        first
    };
    let heading_page = |heading: &str| -> usize {
        let found = texts
            .iter()
            .position(|t| t.lines().any(|l| l.trim() == heading));
        found.unwrap_or_else(|| panic!("no page holds the heading {heading}")) + 1
    };
    // A destination (a page object and a position) as the page's number, from qpdf's list
    // of pages.
    let page_of = |destination: &Value| -> usize {
        let reference = destination[0].as_str().expect("a page reference");
        let index = pages.iter().position(|p| p["object"] == reference);
        index.unwrap_or_else(|| panic!("{destination} is not a page")) + 1
    };

    // Each contents entry links to the page where its article begins.
    let objects = &json["qpdf"][1];
    let contents_page =
        &objects[format!("obj:{}", pages[contents - 1]["object"].as_str().unwrap())]["value"];
    let links = contents_page["/Annots"].as_array().unwrap();
    assert_eq!(links.len(), 12);
    for (i, link) in links.iter().enumerate() {
        // Each annotation is an object of its own (the structure tree refers to it).
        let link = &objects[format!("obj:{}", link.as_str().expect("a reference"))]["value"];
        let target = page_of(&link["/A"]["/D"]);
        assert_eq!(
            target,
            begins(i),
            "contents link {i} lands on page {target}"
        );
    }

    // Each outline entry goes to its page: a section to its first article's, an article to
    // its first page, a heading to the page that sets it.
    assert_eq!(page_of(&outline[0]["dest"]), contents, "Contents");
    for (s, section) in outline[1..4].iter().enumerate() {
        assert_eq!(page_of(&section["dest"]), begins(s * 4), "Section {s}");
        for (a, article) in section["kids"].as_array().unwrap().iter().enumerate() {
            let n = s * 4 + a;
            assert_eq!(page_of(&article["dest"]), begins(n), "article {n}");
            for heading in article["kids"].as_array().unwrap() {
                let title = heading["title"].as_str().unwrap();
                assert_eq!(page_of(&heading["dest"]), heading_page(title), "{title}");
            }
        }
    }
    let colophon = page_of(&outline[4]["dest"]);
    assert_eq!(colophon, texts.len());
    assert!(texts[colophon - 1].contains("Colophon"));
}

#[test]
fn the_same_version_gives_the_same_bytes_and_another_version_differs() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    run(quire(&archive).arg("init")).ok();
    let (folder, _) = test_issue(dir.path(), "twice", 1, 2, 5);
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let (a, b) = (dir.path().join("a.pdf"), dir.path().join("b.pdf"));
    export(&archive, "twice", &a);
    export(&archive, "twice", &b);
    assert_eq!(fs::read(&a).unwrap(), fs::read(&b).unwrap());
    fs::write(folder.join("articles/a0.md"), "A new first article.\n").unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let c = dir.path().join("c.pdf");
    export(&archive, "twice@v2", &c);
    assert_ne!(fs::read(&a).unwrap(), fs::read(&c).unwrap());
    let d = dir.path().join("d.pdf");
    export(&archive, "twice@v1", &d);
    assert_eq!(
        fs::read(&a).unwrap(),
        fs::read(&d).unwrap(),
        "v1 exported again after v2 must not change"
    );
    // US letter on request.
    let letter = dir.path().join("letter.pdf");
    run(quire(&archive)
        .args(["export", "pdf", "twice", "--paper", "letter", "-o"])
        .arg(&letter))
    .ok();
    if tools(&["pdfinfo"]) {
        let info = poppler("pdfinfo", &letter);
        assert!(
            info.contains("Page size:       612 x 792") && info.contains("(letter)"),
            "{info}"
        );
    }
    // The default name is safe on every system.
    let work = dir.path().join("work");
    fs::create_dir(&work).unwrap();
    run(quire(&archive)
        .current_dir(&work)
        .args(["export", "pdf", "twice"]))
    .ok();
    assert!(work.join("exports/twice-v2.pdf").is_file());
}

/// Signs that running text carries and the text faces lack (arrows, comparison and other
/// operators, rating stars, ticks and crosses, an end-of-article square, bullets, card suits)
/// are set from the bundled symbol faces: the PDF is made, both faces are embedded as subsets,
/// and the text comes back as written, in a PDF/A that Preflight passes.
#[test]
fn signs_the_text_faces_lack_are_set_from_the_bundled_symbol_faces() {
    let dir = tempfile::tempdir().unwrap();
    let signs = "Ferries → Ystad ⇒ rates ≥ 4 ≤ 9 ≠ 0, √2 ≈ 1.41, ∞ ∑ ∫. \
                 Rated ★★★☆☆ ✓ ✔ ✗ ► ▶ ◆ ● ○ ♥ ☎ ✉ ✈ ☀ ⚠ ■";
    let articles = [(
        "signs",
        "Harbour ★ ratings",
        &*format!("*In italic → too.* {signs}\n"),
    )];
    let archive = issue_archive(dir.path(), "signs", "en", &articles);
    let pdf = dir.path().join("signs.pdf");
    let stderr = export_warnings(&archive, "signs", &pdf);
    assert!(!stderr.contains("warning"), "{stderr}");
    if !tools(&["pdffonts", "qpdf", "pdftotext"]) {
        return;
    }
    let fonts = poppler("pdffonts", &pdf);
    assert!(fonts.contains("+NotoSansMath-Regular"), "{fonts}");
    assert!(fonts.contains("+NotoSansSymbols2-Regular"), "{fonts}");
    assert_fonts_embedded_and_subset(&fonts);
    assert_qpdf_check(&pdf);
    let text = pdftotext(&pdf, None);
    let words: Vec<&str> = text.split_whitespace().collect();
    for sign in signs
        .split_whitespace()
        .filter(|w| !w.contains(char::is_alphabetic))
    {
        let sign = sign.trim_end_matches([',', '.']);
        assert!(
            words.iter().any(|w| w.contains(sign)),
            "{sign} is not in {text}"
        );
    }
    assert!(text.contains("★★★☆☆"), "{text}");
    assert!(text.contains("Harbour ★ ratings"), "{text}");
    // The colophon names the faces the edition is set in, these two among them.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Set in Noto Serif, Noto Sans, Noto Sans Mono, Noto Sans Math and Noto Sans Symbols 2 (SIL Open Font License 1.1)."),
        "{flat}"
    );
    assert_pdfa_valid(&pdf);
}

/// A character no face has (Linear B) is drawn as its code point, with the character itself
/// as the text behind it (extraction gives it back), and named in a warning by article; emoji
/// are set in the bundled Noto Emoji, a variation selector (`❤️`) and a joiner kept in the text.
/// The edition was refused for any of them.
#[test]
fn a_character_no_font_has_is_shown_as_its_code_point_named_and_extracted_as_itself() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    run(quire(&archive).arg("init")).ok();
    let (folder, _) = test_issue(dir.path(), "glyphs", 1, 1, 2);
    fs::write(
        folder.join("articles/a0.md"),
        "The tablet reads 𐀀𐀁 here, with love ❤️ and a smile 🙂 at the end, 👨\u{200d}👩\u{200d}👧 too.\n",
    )
    .unwrap();
    // The publication's title, in the running head of every page, has one too.
    let toml = fs::read_to_string(folder.join("issue.toml")).unwrap();
    let toml = toml.replacen("Test Quarterly", "Test 𐀂 Quarterly", 1);
    fs::write(folder.join("issue.toml"), toml).unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let pdf = dir.path().join("glyphs.pdf");
    let stderr = export_warnings(&archive, "glyphs", &pdf);
    assert!(
        stderr.contains("article `a0`: no font of the edition has 𐀀 (U+10000), 𐀁 (U+10001): each is shown as its code point"),
        "{stderr}"
    );
    // The running heads are named once, not as every article's; the colophon (its imprint
    // names the publication) as its own.
    assert!(
        stderr.contains("the running heads: no font of the edition has 𐀂 (U+10002):"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the colophon: no font of the edition has 𐀂 (U+10002):"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("U+FE0F") && !stderr.contains("a1"),
        "{stderr}"
    );
    if !tools(&["pdftotext", "qpdf", "pdffonts"]) {
        return;
    }
    assert_qpdf_check(&pdf);
    let text = pdftotext(&pdf, None);
    let words: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("reads 𐀀𐀁 here,"), "{words}");
    assert!(
        words.contains("love ❤\u{fe0f} and a smile 🙂 at"),
        "{words}"
    );
    assert!(
        words.contains("end, 👨\u{200d}👩\u{200d}👧 too."),
        "{words}"
    );
    assert!(!words.contains("U+"), "{words}");
    let fonts = poppler("pdffonts", &pdf);
    assert!(fonts.contains("+NotoEmoji-Regular"), "{fonts}");
    // What is drawn: the code points, in the content stream's glyphs (the text shown without
    // the spans' ActualText).
    let drawn = shown_without_actual_text(&pdf);
    assert!(drawn.contains("reads[U+10000][U+10001]here"), "{drawn}");
    assert!(drawn.contains("smile🙂at"), "{drawn}");
    assert_pdfa_valid(&pdf);
}

/// The text poppler extracts from `pdf` once every `/ActualText` is taken out of it: what the
/// glyphs themselves say.
fn shown_without_actual_text(pdf: &Path) -> String {
    let mut bytes = qdf_bytes(pdf);
    // `/ActualText` → `/ActualTexx`: the same length, so qdf's offsets hold; an unknown key.
    let needle = b"/ActualText";
    let mut at = 0;
    while let Some(found) = bytes[at..].windows(needle.len()).position(|w| w == needle) {
        at += found + needle.len();
        bytes[at - 1] = b'x';
    }
    let plain = pdf.with_extension("plain.pdf");
    fs::write(&plain, bytes).unwrap();
    pdftotext(&plain, None).split_whitespace().collect()
}

/// An issue with an article in Chinese (no language given) and one with a character no
/// installed face has: the CJK face still sets the Chinese, and the warning names only what
/// no face has, and the article it is in (the error once named every Chinese character too).
#[test]
fn what_no_font_has_is_named_by_article_and_the_rest_still_finds_its_face() {
    if noto_cjk().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let articles = [
        ("zh", "灯塔", "灯塔守护者的故事。他每天晚上点灯。\n"),
        ("tablet", "The Tablet", "The tablet reads 𐀀 here.\n"),
    ];
    let archive = issue_archive(dir.path(), "mixed", "en", &articles);
    let pdf = dir.path().join("mixed.pdf");
    let stderr = export_warnings(&archive, "mixed", &pdf);
    assert!(
        stderr.contains("article `tablet`: no font of the edition has 𐀀 (U+10000):"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("article `zh`") && !stderr.contains('灯'),
        "{stderr}"
    );
    if !tools(&["pdftotext"]) {
        return;
    }
    let text: String = pdftotext(&pdf, None).split_whitespace().collect();
    assert!(
        text.contains("灯塔守护者的故事。") && text.contains("reads𐀀here"),
        "{text}"
    );
}

/// Right-to-left and shaped scripts (Arabic here) are refused by the PDF, naming the script
/// and the article, even with a font that has their letters (set one by one, left to right,
/// they were unreadable); `export all` makes the EPUB all the same and names the PDF's failure.
#[test]
fn arabic_text_is_refused_by_the_pdf_by_name_and_the_epub_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let articles = [
        ("harbour", "The Harbour", "The harbour reopened.\n"),
        (
            "souq",
            "The Souq",
            "<p lang=\"ar\">افتتح الميناء من جديد.</p>\n",
        ),
    ];
    let archive = issue_archive(dir.path(), "rtl", "en", &articles);
    let pdf = dir.path().join("rtl.pdf");
    let stderr = run(quire(&archive)
        .args(["export", "pdf", "rtl", "-o"])
        .arg(&pdf))
    .fails();
    assert!(
        stderr.contains("the PDF edition cannot set Arabic text")
            && stderr.contains("in article `souq` (Arabic)")
            && stderr.contains("the EPUB and the web edition carry it"),
        "{stderr}"
    );
    assert!(!pdf.exists());
    let out = dir.path().join("all");
    let made = run(quire(&archive).args(["export", "all", "--dir"]).arg(&out));
    assert_eq!(made.code, Some(1), "{}", made.stderr);
    assert!(made.stderr.contains("cannot set Arabic"), "{}", made.stderr);
    assert!(out.join("rtl-v1.epub").is_file());
    assert!(!out.join("rtl-v1.pdf").exists());
}

/// Hebrew and Arabic words in an English article are set right to left in the bundled faces
/// (the edition was refused): drawn from their last letter to their first, Arabic's letters
/// joined, read back in their reading order by poppler's layout mode (as from any PDF, whose
/// right-to-left text is drawn in visual order), in a PDF/A that Preflight passes.
#[test]
fn hebrew_and_arabic_words_in_english_text_are_set_right_to_left() {
    let dir = tempfile::tempdir().unwrap();
    let body = "The sign at the quay said שלום עולם (welcome) and the café said مرحبا بكم in green letters, twice: 2 times.\n\nThe board read صباح *الخير* أنا here, and שלום ׯ עולם there.\n";
    let articles = [("quay", "The Quay", body)];
    let archive = issue_archive(dir.path(), "bidi", "en", &articles);
    let pdf = dir.path().join("bidi.pdf");
    let stderr = export_warnings(&archive, "bidi", &pdf);
    // U+05EF, a Yiddish ligature Noto Serif Hebrew lacks: a stand-in, read left to right.
    assert!(
        stderr.contains("no font of the edition has ׯ (U+05EF)"),
        "{stderr}"
    );
    if !tools(&["pdftotext", "qpdf", "pdffonts"]) {
        return;
    }
    assert_qpdf_check(&pdf);
    let fonts = poppler("pdffonts", &pdf);
    assert!(fonts.contains("+NotoSerifHebrew-Regular"), "{fonts}");
    assert!(fonts.contains("+NotoNaskhArabic-Regular"), "{fonts}");
    // Without the marks poppler adds around right-to-left runs.
    let plain = |text: String| -> String {
        let text: String = text
            .chars()
            .filter(|c| !('\u{202a}'..='\u{202e}').contains(c))
            .collect();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    // Read in reading order, each phrase's words come in the order written, each word's
    // letters too; in drawing order (`-raw`) the words come last first, as set.
    let (ok, read) = tool_output(
        Command::new(checked_tool("pdftotext"))
            .args(["-f", "3", "-l", "3"])
            .arg(&pdf)
            .arg("-"),
    );
    assert!(ok, "{read}");
    let read = plain(read);
    assert!(
        read.contains("שלום עולם") && read.contains("مرحبا بكم"),
        "{read}"
    );
    // A letter with hamza is one letter in the text, not two.
    assert!(read.contains("أنا") && !read.contains("أأ"), "{read}");
    let drawn = plain(pdftotext(&pdf, Some(3)));
    assert!(drawn.contains("said עולם שלום (welcome)"), "{drawn}");
    assert!(drawn.contains("said بكم مرحبا in green"), "{drawn}");
    // A phrase whose middle word is in italic is still drawn last word first.
    assert!(drawn.contains("read أنا الخير صباح here"), "{drawn}");
    // The stand-in within a Hebrew phrase reads as a code point.
    let shown = shown_without_actual_text(&pdf);
    assert!(shown.contains("[U+05EF]"), "{shown}");
    assert_pdfa_valid(&pdf);
}

/// Debian's fonts-noto-cjk collection (faces 0-4: Japanese, Korean, Simplified Chinese,
/// Traditional Chinese, Hong Kong), or `None` (a skip) when it is not installed.
pub(crate) fn noto_cjk() -> Option<PathBuf> {
    let path = Path::new("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc");
    available("fonts-noto-cjk", path.is_file().then(|| path.to_path_buf()))
}

/// An archive in `dir` holding the CJK test issue `cjk`, imported from a GBK capture.
pub(crate) fn cjk_archive(dir: &Path) -> PathBuf {
    let archive = dir.join("archive");
    run(quire(&archive).arg("init")).ok();
    run(quire(&archive)
        .args(["import-web", "--issue", "cjk"])
        .arg(fixtures().join("web/lighthouse-gbk.txt")))
    .ok();
    archive
}

/// The CJK test issue's edition, made in `dir`; `None` (a skip) without fonts-noto-cjk,
/// which .ci/run installs and quire finds on the system.
pub(crate) fn cjk_pdf(dir: &Path) -> Option<PathBuf> {
    noto_cjk()?;
    let archive = cjk_archive(dir);
    let pdf = dir.join("cjk.pdf");
    export(&archive, "cjk", &pdf);
    Some(pdf)
}

#[test]
fn cjk_text_is_set_with_a_cjk_font() {
    let dir = tempfile::tempdir().unwrap();
    let Some(pdf) = cjk_pdf(dir.path()) else {
        return;
    };
    if !tools(&["pdffonts", "qpdf", "pdftotext"]) {
        return;
    }
    let fonts = poppler("pdffonts", &pdf);
    assert!(fonts.contains("NotoSerifCJK"), "{fonts}");
    assert_fonts_embedded_and_subset(&fonts);
    assert_qpdf_check(&pdf);
    let text: String = pdftotext(&pdf, None).split_whitespace().collect();
    assert!(
        text.contains("经过一年的修缮，海港入口处的老灯塔于本周六重新向游客开放。"),
        "{text}"
    );
}

/// `--font FILE#N` sets the text in face N of a collection: each face gives its own glyphs
/// (the faces share outlines but map characters to regional forms differently), face 2
/// (Simplified Chinese) is the one quire picks by itself for this Chinese issue, and a face
/// the collection does not have is an error naming it.
#[test]
fn a_face_of_a_font_collection_is_chosen_by_its_index() {
    let Some(collection) = noto_cjk() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let archive = cjk_archive(dir.path());
    let export_with = |font: Option<String>| -> Vec<u8> {
        let out = dir.path().join("face.pdf");
        let mut command = quire(&archive);
        command.args(["export", "pdf", "cjk", "-o"]).arg(&out);
        if let Some(font) = font {
            command.arg("--font").arg(font);
        }
        run(&mut command).ok();
        fs::read(&out).unwrap()
    };
    let face = |n: usize| export_with(Some(format!("{}#{n}", collection.display())));
    let (korean, chinese, japanese) = (face(1), face(2), face(0));
    // (Compared with `==`: a failure need not print the bytes of two PDFs.)
    assert!(korean != chinese, "faces 1 and 2 gave the same edition");
    assert!(korean != japanese, "faces 1 and 0 gave the same edition");
    assert!(
        chinese == export_with(None),
        "face 2 is not the system's choice"
    );
    let unindexed = export_with(Some(collection.display().to_string()));
    assert!(unindexed == japanese, "without #N, not the first face");
    let stderr = run(quire(&archive)
        .args(["export", "pdf", "cjk", "-o"])
        .arg(dir.path().join("none.pdf"))
        .arg("--font")
        .arg(format!("{}#9", collection.display())))
    .fails();
    assert!(stderr.contains("face 9"), "{stderr}");
}

#[test]
fn images_keep_their_pixels_and_a_missing_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    run(quire(&archive).arg("init")).ok();
    let (folder, _) = test_issue(dir.path(), "pictures", 1, 1, 3);
    let jpeg = fixtures().join("pdf/gradient.jpg");
    let png = fixtures().join("web/html/images/harbour.png");
    let body = fs::read_to_string(folder.join("articles/a0.md")).unwrap();
    add_pictures(&folder, "![A gradient](assets/cover.jpg)\n");
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let pdf = dir.path().join("pictures.pdf");
    export(&archive, "pictures", &pdf);
    // An image the body shows but the issue does not hold (ingest refuses such a folder; a
    // version another OCFL tool wrote may hold one): the export names it.
    let missing = folder.parent().unwrap().join("missing-image");
    copy_dir(&folder, &missing);
    fs::write(
        missing.join("articles/a0.md"),
        format!("{body}\n![Lost](assets/missing.png)\n"),
    )
    .unwrap();
    assert!(run(quire(&archive).arg("ingest").arg(&missing))
        .fails()
        .contains("assets/missing.png"));
    commit_unchecked(&archive, "pictures", &missing);
    let stderr = run(quire(&archive)
        .args(["export", "pdf", "pictures", "-o"])
        .arg(dir.path().join("x.pdf")))
    .fails();
    assert!(
        stderr.contains(
            "assets/missing.png: is shown by article `a0` but is not in the archived issue"
        ),
        "{stderr}"
    );
    if !tools(&["qpdf", "pdfimages", "pdftotext"]) {
        return;
    }
    assert_qpdf_check(&pdf);

    // pdfimages: the JPEG comes back byte for byte, the PNG pixel for pixel.
    let extracted = extract_images(&pdf, &dir.path().join("extracted"));
    let jpegs: Vec<&PathBuf> = extracted
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .collect();
    assert!(!jpegs.is_empty(), "{extracted:?}");
    for path in jpegs {
        assert_eq!(
            fs::read(path).unwrap(),
            fs::read(&jpeg).unwrap(),
            "the JPEG was re-encoded"
        );
    }
    let pngs: Vec<&PathBuf> = extracted
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    assert_eq!(pngs.len(), 1, "{extracted:?}");
    assert_eq!(decode_png(pngs[0]), decode_png(&png), "the PNG lost pixels");
    let text = pdftotext(&pdf, None);
    assert!(
        text.contains("The harbour") && text.contains("A gradient"),
        "captions:\n{text}"
    );
}

/// Every image of a PDF as pdfimages writes it (`-all`: JPEG as it is, the rest as PNG),
/// in page order.
pub(crate) fn extract_images(pdf: &Path, out: &Path) -> Vec<PathBuf> {
    fs::create_dir(out).unwrap();
    let (ok, listing) = tool_output(
        Command::new(checked_tool("pdfimages"))
            .arg("-all")
            .arg(pdf)
            .arg(out.join("img")),
    );
    assert!(ok, "{listing}");
    let mut all: Vec<PathBuf> = fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    all.sort();
    all
}

/// A PNG with an alpha channel (fully transparent to opaque, left to right, over colours that
/// change from top to bottom) is flattened onto the white page: each pixel comes out as the
/// colour composited over white, which pdfimages shows.
#[test]
fn a_transparent_png_is_flattened_onto_white() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    run(quire(&archive).arg("init")).ok();
    let (folder, _) = test_issue(dir.path(), "alpha", 1, 1, 2);
    let (width, height) = (64u32, 24u32);
    let mut rgba = Vec::new();
    for y in 0..height {
        for x in 0..width {
            let alpha = (x * 255 / (width - 1)) as u8;
            rgba.extend_from_slice(&[(y * 10) as u8, 200 - (y * 5) as u8, 40, alpha]);
        }
    }
    fs::create_dir_all(folder.join("assets")).unwrap();
    let alpha = folder.join("assets/alpha.png");
    write_png(&alpha, width, height, png::ColorType::Rgba, &rgba);
    let toml = fs::read_to_string(folder.join("issue.toml")).unwrap();
    fs::write(
        folder.join("issue.toml"),
        format!("{toml}images = [{{ file = \"assets/alpha.png\", caption = \"Glass\" }}]\n"),
    )
    .unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let pdf = dir.path().join("alpha.pdf");
    export(&archive, "alpha", &pdf);
    if !tools(&["pdfimages"]) {
        return;
    }
    let extracted = extract_images(&pdf, &dir.path().join("extracted"));
    assert_eq!(extracted.len(), 1, "one image, no soft mask: {extracted:?}");
    let (w, h, pixels) = decode_png(&extracted[0]);
    assert_eq!((w, h), (width, height));
    assert_eq!(pixels.len(), rgba.len() / 4 * 3, "not RGB");
    for (i, (got, source)) in pixels.chunks(3).zip(rgba.chunks(4)).enumerate() {
        let alpha = f64::from(source[3]) / 255.0;
        for channel in 0..3 {
            let over_white = f64::from(source[channel]) * alpha + 255.0 * (1.0 - alpha);
            assert!(
                (f64::from(got[channel]) - over_white).abs() <= 1.0,
                "pixel {i} channel {channel}: {} where {over_white:.1} (source {:?})",
                got[channel],
                source
            );
        }
    }
}

/// A line of the test article below, by what it holds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Set {
    /// A line of paragraph n.
    Paragraph(usize),
    /// The heading before paragraph n.
    Heading(usize),
}

/// Page breaking, checked on the pages as set: no paragraph leaves a single line at the foot
/// of a page or carries a single line over to the head of the next, and no heading ends a
/// page, in one column and in two (the last page's columns balanced by the same rule). Each
/// paragraph is its marker word (`k017`) over and over, so every line of text says which
/// paragraph it belongs to.
#[test]
fn pages_break_without_lone_lines_and_keep_headings_with_what_follows() {
    for columns in ["1", "2"] {
        pages_break_without_lone_lines_in(columns);
    }
}

fn pages_break_without_lone_lines_in(columns: &str) {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    run(quire(&archive).arg("init")).ok();
    let folder = dir.path().join("breaks");
    fs::create_dir_all(folder.join("articles")).unwrap();
    let mut body = String::new();
    let mut state = 7u64;
    // Two columns hold twice as much a page: enough paragraphs for several page breaks.
    let paragraphs = 300;
    for p in 0..paragraphs {
        if p % 5 == 3 {
            body.push_str(&format!("## Heading h{p:03}\n\n"));
        }
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        // One to six lines.
        let words = 8 + (state >> 33) as usize % 110;
        body.push_str(&vec![format!("k{p:03}"); words].join(" "));
        body.push_str("\n\n");
    }
    fs::write(folder.join("articles/a.md"), body).unwrap();
    fs::write(
        folder.join("issue.toml"),
        "[publication]\ntitle = \"Break Weekly\"\nlanguage = \"en\"\n\n[issue]\nid = \"breaks\"\n\n[[articles]]\nid = \"a\"\ntitle = \"Where Pages Break\"\nbody = \"articles/a.md\"\n",
    )
    .unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let pdf = dir.path().join("breaks.pdf");
    run(quire(&archive)
        .args(["export", "pdf", "breaks", "--columns", columns, "-o"])
        .arg(&pdf))
    .ok();
    if !tools(&["pdftotext"]) {
        return;
    }

    // (page, what) for every line of the article, in reading order.
    let mut lines: Vec<(usize, Set)> = Vec::new();
    for (page, text) in page_texts(&pdf).iter().enumerate() {
        for line in text.lines() {
            let tokens: Vec<&str> = line.split_whitespace().collect();
            let number = |token: &str, prefix: char| {
                token
                    .strip_prefix(prefix)
                    .filter(|n| n.len() == 3)
                    .and_then(|n| n.parse::<usize>().ok())
            };
            match tokens.as_slice() {
                ["Heading", marker] => {
                    lines.push((page, Set::Heading(number(marker, 'h').unwrap())))
                }
                [first, ..] if tokens.iter().all(|t| t == first) => {
                    if let Some(n) = number(first, 'k') {
                        lines.push((page, Set::Paragraph(n)));
                    }
                }
                _ => {}
            }
        }
    }
    let on_page = |n: usize, page: usize| {
        lines
            .iter()
            .filter(|(p, set)| *p == page && *set == Set::Paragraph(n))
            .count()
    };
    let mut split = 0;
    for pair in lines.windows(2) {
        let ((page, set), (next_page, next)) = (pair[0], pair[1]);
        if page == next_page {
            continue;
        }
        match (set, next) {
            (Set::Heading(n), _) => panic!("heading h{n:03} ends page {}", page + 1),
            (Set::Paragraph(n), Set::Paragraph(m)) if n == m => {
                split += 1;
                let (foot, head) = (on_page(n, page), on_page(n, next_page));
                assert!(
                    foot >= 2 && head >= 2,
                    "paragraph k{n:03} is split {foot} + {head} lines over pages {} and {}",
                    page + 1,
                    next_page + 1
                );
            }
            _ => {}
        }
    }
    let seen: std::collections::BTreeSet<usize> = lines
        .iter()
        .filter_map(|(_, set)| match set {
            Set::Paragraph(n) => Some(*n),
            Set::Heading(_) => None,
        })
        .collect();
    assert_eq!(seen.len(), paragraphs, "paragraphs missing from the text");
    // The rule was put to the test: several breaks fall inside a paragraph.
    assert!(split >= 4, "only {split} paragraphs split over pages");
}

/// RGB pixels of a PNG, decoded by the png crate.
pub(crate) fn decode_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(path).unwrap()));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    pixels.truncate(frame.buffer_size());
    (frame.width, frame.height, pixels)
}

#[path = "../../examples/support/long_issue.rs"]
pub mod long_issue;

/// One line of `pdftotext -bbox-layout`: its page, its words' boxes (x min, x max) and texts,
/// and its baseline band (y max).
struct BoxLine {
    page: usize,
    y: f32,
    height: f32,
    words: Vec<(f32, f32, String)>,
}

/// The value of `name="…"` in an XML start tag.
fn attribute(tag: &str, name: &str) -> f32 {
    let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    let end = tag[at..].find('"').unwrap();
    tag[at..at + end].parse().unwrap()
}

/// The lines of a PDF with their words' positions.
fn bbox_lines(pdf: &Path) -> Vec<BoxLine> {
    let (ok, xml) = tool_output(
        Command::new(checked_tool("pdftotext"))
            .arg("-bbox-layout")
            .arg(pdf)
            .arg("-"),
    );
    assert!(ok, "{xml}");
    let mut lines = Vec::new();
    let mut page = 0;
    for row in xml.lines().map(str::trim) {
        if row.starts_with("<page ") {
            page += 1;
        } else if row.starts_with("<line ") {
            lines.push(BoxLine {
                page,
                y: attribute(row, "yMax"),
                height: attribute(row, "yMax") - attribute(row, "yMin"),
                words: Vec::new(),
            });
        } else if let Some(rest) = row.strip_prefix("<word ") {
            let text =
                rest[rest.find('>').unwrap() + 1..rest.rfind("</word>").unwrap()].to_string();
            let tag = format!(" {rest}");
            let line = lines.last_mut().unwrap();
            line.words
                .push((attribute(&tag, "xMin"), attribute(&tag, "xMax"), text));
        }
    }
    lines
}

/// Every word of a PDF with the left edge of its box, in reading order.
pub(crate) fn bbox_words(pdf: &Path) -> Vec<(String, f32)> {
    bbox_lines(pdf)
        .into_iter()
        .flat_map(|line| line.words.into_iter().map(|(x, _, text)| (text, x)))
        .collect()
}

/// Justification checked on the long test issue (the benchmark's text) as poppler sees it:
/// every line that runs on into a next line of its paragraph (the next line 12 pt lower at the
/// column's left edge) with 5 words or more is flush with both edges of its column within
/// 0.5 pt; fewer than 1% of those have a word space wider than 1.5 times the median widest
/// space, none wider than 0.6 em; no three lines in a row end in a hyphen.
#[test]
fn the_long_issue_is_justified_evenly_and_flush_in_its_columns() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("long");
    long_issue::write_long_issue(&folder, 12, 2000).unwrap();
    let archive = archive_of(dir.path(), &folder);
    let pdf = dir.path().join("long.pdf");
    export(&archive, "bench", &pdf);
    if !tools(&["pdftotext"]) {
        return;
    }
    // A4, 17 mm margins, a 5 mm gutter, 9.5 pt body text on 12 pt.
    let mm = 72.0 / 25.4;
    let (left, gutter, right) = (17.0 * mm, 5.0 * mm, 595.28 - 17.0 * mm);
    let column = (right - left - gutter) / 2.0;
    let columns = [(left, left + column), (right - column, right)];
    let (em, leading, indent) = (9.5, 12.0, 9.5);
    let column_of = |x: f32| {
        columns
            .iter()
            .position(|(l, r)| x >= l - 0.5 && x <= *r + 0.5)
    };
    let lines = bbox_lines(&pdf);
    // Body text: the line height most lines have (not captions, notes, the colophon).
    let mut heights: std::collections::BTreeMap<i32, usize> = Default::default();
    for line in &lines {
        *heights
            .entry((line.height * 10.0).round() as i32)
            .or_default() += 1;
    }
    let body = *heights.iter().max_by_key(|(_, n)| **n).unwrap().0;
    let is_body = |line: &BoxLine| (line.height * 10.0).round() as i32 == body;
    let mut widest = Vec::new();
    let mut runs_on = 0;
    for (i, line) in lines.iter().enumerate() {
        let (Some((x_min, _, _)), Some((_, x_max, _))) = (line.words.first(), line.words.last())
        else {
            continue;
        };
        let Some(c) = column_of(*x_min) else { continue };
        let (l, r) = columns[c];
        let continues = lines.iter().skip(i + 1).take(3).any(|next| {
            next.page == line.page
                && (next.y - line.y - leading).abs() < 0.3
                && next
                    .words
                    .first()
                    .is_some_and(|(x, _, _)| (x - l).abs() < 0.5)
        });
        if line.words.len() < 5 || !continues || !is_body(line) {
            continue;
        }
        runs_on += 1;
        let flush_left = (x_min - l).abs() < 0.5 || (x_min - l - indent).abs() < 0.5;
        assert!(
            flush_left && (x_max - r).abs() < 0.5,
            "page {}: a justified line is not flush ({x_min:.2}..{x_max:.2} in {l:.2}..{r:.2}): {:?}",
            line.page,
            line.words.iter().map(|w| w.2.as_str()).collect::<Vec<_>>()
        );
        let space = line
            .words
            .windows(2)
            .map(|w| w[1].0 - w[0].1)
            .fold(0.0_f32, f32::max);
        assert!(
            space <= 0.6 * em,
            "page {}: a space of {space:.2} pt: {:?}",
            line.page,
            line.words.iter().map(|w| w.2.as_str()).collect::<Vec<_>>()
        );
        widest.push(space);
    }
    assert!(runs_on > 1000, "only {runs_on} justified lines found");
    let mut sorted = widest.clone();
    sorted.sort_by(f32::total_cmp);
    let median = sorted[sorted.len() / 2];
    let loose = widest.iter().filter(|s| **s > 1.5 * median).count();
    assert!(
        (loose as f32) < 0.01 * widest.len() as f32,
        "{loose} of {} justified lines have a space wider than 1.5 x the median {median:.2} pt",
        widest.len()
    );
    // Hyphens: no three lines of a column in a row end in one.
    let mut run = 0;
    let mut previous: Option<(usize, Option<usize>, f32)> = None;
    for line in &lines {
        let Some((x_min, _, text)) = line
            .words
            .first()
            .map(|w| (w.0, w.1, &line.words.last().unwrap().2))
        else {
            continue;
        };
        let here = (line.page, column_of(x_min), line.y);
        let follows = previous.is_some_and(|(p, c, y)| {
            p == here.0 && c == here.1 && (here.2 - y - leading).abs() < 0.3
        });
        run = if text.ends_with('-') {
            if follows {
                run + 1
            } else {
                1
            }
        } else {
            0
        };
        assert!(
            run < 3,
            "page {}: three lines in a row end in a hyphen",
            line.page
        );
        previous = Some(here);
    }
}

/// An archive in `dir` holding one issue `id` in `language` whose articles are
/// (id, title, Markdown body).
pub(crate) fn issue_archive(
    dir: &Path,
    id: &str,
    language: &str,
    articles: &[(&str, &str, &str)],
) -> PathBuf {
    let folder = dir.join(id);
    fs::create_dir_all(folder.join("articles")).unwrap();
    let mut toml = format!(
        "[publication]\ntitle = \"Magazine {id}\"\nlanguage = \"{language}\"\n\n[issue]\nid = \"{id}\"\ndate = \"2025-05-10\"\n"
    );
    for (article, title, body) in articles {
        fs::write(folder.join(format!("articles/{article}.md")), body).unwrap();
        toml.push_str(&format!(
            "\n[[articles]]\nid = \"{article}\"\ntitle = \"{title}\"\nauthors = [\"A. Writer\"]\nupdated = \"2025-05-10\"\nbody = \"articles/{article}.md\"\n"
        ));
    }
    fs::write(folder.join("issue.toml"), toml).unwrap();
    archive_of(dir, &folder)
}

pub(crate) const MARKED_UP: &str = "The *office* is **fluffy**, ***very*** so, with `inline code` and a [link](https://example.org/page) in it.[^1] ~~Struck~~ words, [the table](#the-table).\n\n## The table\n\n| Year | Issues | Notes |\n|------|-------:|-------|\n| 2021 | 12 | A normal year with a long note that wraps inside its cell |\n| 2022 | 10 | Two *fewer*, ***none*** lost |\n\n```\nfn main() {\n    let answer = 42;\n}\n```\n\n[^1]: The footnote text, at the foot.\n";

/// Inline styles and blocks as a reader gets them: italic, bold, bold italic and monospace
/// faces embedded; the link an annotation with its URI; the table's cells in row order; the
/// code's lines as written; the footnote on the page of its call.
#[test]
fn inline_styles_links_tables_code_and_footnotes_come_through() {
    let dir = tempfile::tempdir().unwrap();
    let archive = issue_archive(dir.path(), "marked", "en", &[("a", "Marked Up", MARKED_UP)]);
    let pdf = dir.path().join("marked.pdf");
    export(&archive, "marked", &pdf);
    if !tools(&["pdffonts", "qpdf", "pdftotext"]) {
        return;
    }
    let fonts = poppler("pdffonts", &pdf);
    for face in [
        "NotoSerif-Italic",
        "NotoSerif-Bold",
        "NotoSerif-BoldItalic",
        // Emphasis in a table cell, set in the sans family.
        "NotoSans-Italic",
        "NotoSans-BoldItalic",
        "NotoSansMono-Regular",
    ] {
        assert!(
            fonts.contains(&format!("+{face} ")),
            "{face} missing:\n{fonts}"
        );
    }
    assert_fonts_embedded_and_subset(&fonts);
    assert_qpdf_check(&pdf);
    let json = qpdf_json(&pdf).to_string();
    assert!(
        json.contains(r#""/URI":"u:https://example.org/page""#),
        "no link annotation to the URI"
    );
    assert!(
        !json.contains(r#""/URI":"u:#"#),
        "a link inside the edition left as a URI"
    );
    let texts = page_texts(&pdf);
    let article = texts
        .iter()
        .position(|t| t.contains("Marked Up") && t.contains("office"))
        .expect("the article's page");
    let page = &texts[article];
    words_in_order(
        page,
        &[
            "Year", "Issues", "Notes", "2021", "12", "A", "normal", "year", "with", "a", "long",
            "note", "that", "wraps", "inside", "its", "cell", "2022", "10", "Two", "fewer,",
            "none", "lost",
        ],
    )
    .unwrap();
    let lines: Vec<&str> = page.lines().map(str::trim).collect();
    for code in ["fn main() {", "let answer = 42;", "}"] {
        assert!(lines.contains(&code), "`{code}` not a line of:\n{page}");
    }
    assert!(page.contains("in it.1"), "the call: {page}");
    assert!(
        page.contains("1. The footnote text, at the foot."),
        "{page}"
    );
}

/// A PDF as `qpdf --qdf` writes it (streams uncompressed, objects in order), written beside it.
fn qdf_bytes(pdf: &Path) -> Vec<u8> {
    let out = pdf.with_extension("qdf");
    let (ok, text) = tool_output(
        Command::new(checked_tool("qpdf"))
            .args(["--qdf", "--object-streams=disable"])
            .arg(pdf)
            .arg(&out),
    );
    assert!(ok, "{text}");
    fs::read(&out).unwrap()
}

/// The objects of a PDF as `qpdf --qdf` writes them (streams uncompressed), by number.
fn qdf_objects(pdf: &Path) -> std::collections::BTreeMap<u32, String> {
    let qdf = String::from_utf8_lossy(&qdf_bytes(pdf)).into_owned();
    qdf.split("endobj")
        .filter_map(|block| {
            let (head, body) = block.split_once(" 0 obj")?;
            let number = head.lines().last()?.trim().parse().ok()?;
            Some((number, body.to_string()))
        })
        .collect()
}

/// Each composite font's ToUnicode entries (code, text), by its /BaseFont.
fn to_unicode_maps(
    objects: &std::collections::BTreeMap<u32, String>,
) -> std::collections::BTreeMap<String, Vec<(String, String)>> {
    let name_after = |body: &str, key: &str| {
        let rest = &body[body.find(key)? + key.len()..];
        Some(rest.split_whitespace().next()?.to_string())
    };
    let mut maps = std::collections::BTreeMap::new();
    for body in objects.values().filter(|b| b.contains("/Subtype /Type0")) {
        let (Some(font), Some(cmap)) = (
            name_after(body, "/BaseFont /"),
            name_after(body, "/ToUnicode "),
        ) else {
            continue;
        };
        let entries = objects[&cmap.parse::<u32>().unwrap()]
            .lines()
            .filter_map(|line| {
                let (code, target) = line.trim().split_once("> <")?;
                let units: Vec<u16> = target
                    .trim_end_matches('>')
                    .as_bytes()
                    .chunks(4)
                    .map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
                    .collect::<Option<_>>()?;
                Some((
                    code.trim_start_matches('<').to_lowercase(),
                    String::from_utf16(&units).ok()?,
                ))
            })
            .collect();
        maps.insert(font, entries);
    }
    maps
}

/// The numbers inside the TJ arrays of each font that do not follow a space (so are not word
/// spacing) and are of the size of kerning, by the font's resource name.
fn kerning_adjustments(
    objects: &std::collections::BTreeMap<u32, String>,
    maps: &std::collections::BTreeMap<String, Vec<(String, String)>>,
) -> std::collections::BTreeMap<String, Vec<f32>> {
    let mut found: std::collections::BTreeMap<String, Vec<f32>> = Default::default();
    for body in objects.values().filter(|b| b.contains("TJ")) {
        let mut font = String::new();
        for line in body.lines() {
            if let Some(name) = line.strip_suffix(" Tf") {
                font = name
                    .trim_start_matches('/')
                    .split(' ')
                    .next()
                    .unwrap()
                    .into();
            }
            let Some(array) = line.strip_suffix("] TJ") else {
                continue;
            };
            let spaces: Vec<&str> = maps
                .get(&font)
                .into_iter()
                .flatten()
                .filter(|(_, text)| text == " ")
                .map(|(code, _)| code.as_str())
                .collect();
            let mut previous = String::new();
            for token in array
                .trim_start_matches('[')
                .replace('<', " <")
                .split_whitespace()
            {
                if let Some(codes) = token.strip_prefix('<') {
                    let codes = codes.trim_end_matches('>').to_lowercase();
                    previous = codes[codes.len().saturating_sub(4)..].to_string();
                    continue;
                }
                // Larger numbers are gaps between pieces printpdf put in one array.
                let number: f32 = token.parse().unwrap();
                if !spaces.contains(&previous.as_str()) && (1.0..=300.0).contains(&number.abs()) {
                    found.entry(font.clone()).or_default().push(number);
                }
            }
        }
    }
    found
}

/// Kerning and standard ligatures in the serif and sans faces, none in the monospace face:
/// ligature words come back whole from `pdftotext`, because the fonts' ToUnicode maps give a
/// ligature glyph its several characters; a heading's kerned pairs are TJ adjustments.
#[test]
fn ligatures_and_kerning_are_set_and_the_text_comes_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let kerned = "## AVAILABLE Tools\n\nYou Try.\n\n```\noffice fluffy -> AV To\n```\n";
    let archive = issue_archive(
        dir.path(),
        "shaped",
        "en",
        &[
            ("a", "Marked Up", MARKED_UP),
            ("b", "To Vary a Way", kerned),
        ],
    );
    let pdf = dir.path().join("shaped.pdf");
    export(&archive, "shaped", &pdf);
    if !tools(&["qpdf", "pdftotext"]) {
        return;
    }
    let text = pdftotext(&pdf, None);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for line in ["AVAILABLE Tools", "office fluffy -> AV To"] {
        assert!(lines.contains(&line), "`{line}` not a line of:\n{text}");
    }
    assert!(text.contains("The office is fluffy,"), "{text}");
    let objects = qdf_objects(&pdf);
    let maps = to_unicode_maps(&objects);
    let ligatures = |font: &str| -> Vec<String> {
        let (_, entries) = maps
            .iter()
            .find(|(name, _)| name.ends_with(font))
            .unwrap_or_else(|| panic!("no {font} in {:?}", maps.keys()));
        entries
            .iter()
            .filter(|(_, text)| text.chars().count() > 1)
            .map(|(_, text)| text.clone())
            .collect()
    };
    assert!(
        ligatures("+NotoSerif-Italic").contains(&"ffi".to_string()),
        "office"
    );
    let bold = ligatures("+NotoSerif-Bold");
    assert!(
        bold.contains(&"fl".to_string()) && bold.contains(&"ff".to_string()),
        "{bold:?}"
    );
    assert_eq!(ligatures("+NotoSansMono-Regular"), Vec::<String>::new());
    for (font, entries) in &maps {
        assert!(entries.iter().all(|(_, text)| !text.is_empty()), "{font}");
    }
    let kerning = kerning_adjustments(&objects, &maps);
    let heading = kerning
        .iter()
        .find(|(font, _)| font.ends_with("+NotoSans-Bold"))
        .map(|(_, numbers)| numbers.clone())
        .unwrap_or_default();
    assert!(
        heading.iter().any(|n| *n > 0.0),
        "no kerning in the heading: {kerning:?}"
    );
    assert!(
        !kerning.keys().any(|font| font.contains("Mono")),
        "the monospace face kerned: {kerning:?}"
    );
}

/// A French issue: hyphenated with French patterns (every break one the French patterns
/// allow), guillemets kept with their words, and the edition's own words in French; a
/// Japanese issue in the Japanese face of the CJK collection with bold CJK headings, and its
/// own words.
#[test]
fn each_language_gets_its_patterns_spacing_faces_and_words() {
    let dir = tempfile::tempdir().unwrap();
    let french = "Le ministre a déclaré « nous allons profiter de cette occasion » ; puis il a ajouté : « pourquoi pas ? » Les administrations internationales, responsables de la préservation des archives numériques, doivent coopérer davantage afin de garantir la pérennité des collections patrimoniales. ".repeat(6);
    let archive = issue_archive(dir.path(), "fr", "fr", &[("a", "Les archives", &french)]);
    let pdf = dir.path().join("fr.pdf");
    export(&archive, "fr", &pdf);
    if !tools(&["pdftotext"]) {
        return;
    }
    let text = pdftotext(&pdf, None);
    assert!(text.contains("Sommaire"), "{text}");
    assert!(text.contains("Mis à jour le 10 mai 2025"), "{text}");
    use hyphenation::{Hyphenator, Load};
    let patterns = hyphenation::Standard::from_embedded(hyphenation::Language::French).unwrap();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut hyphenated = 0;
    for pair in lines.windows(2) {
        assert!(
            !pair[0].ends_with('«') && !pair[1].starts_with('»'),
            "{pair:?}"
        );
        assert!(
            !pair[1].starts_with(';') && !pair[1].starts_with('?'),
            "{pair:?}"
        );
        let (Some(head), Some(tail)) = (
            pair[0].split_whitespace().last(),
            pair[1].split_whitespace().next(),
        ) else {
            continue;
        };
        if let Some(head) = head
            .strip_suffix('-')
            .filter(|h| h.chars().all(char::is_alphabetic))
        {
            let word: String = format!("{head}{tail}")
                .chars()
                .take_while(|c| c.is_alphabetic())
                .collect();
            let breaks = patterns.hyphenate(&word.to_lowercase()).breaks;
            assert!(
                breaks.contains(&head.len()),
                "{head}-{tail}: not a French break"
            );
            hyphenated += 1;
        }
    }
    assert!(hyphenated > 0, "no word was hyphenated:\n{text}");

    // A French article in an English issue: the edition's words English, the article's own
    // byline and dates French, as the EPUB and the site write them.
    let mixed = dir.path().join("mixed");
    let archive = issue_archive(&mixed, "en", "en", &[("a", "Les archives", &french)]);
    let folder = mixed.join("en");
    edit_file(&folder.join("issue.toml"), |t| {
        t.replace("id = \"a\"", "id = \"a\"\nlanguage = \"fr\"")
    });
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let pdf = dir.path().join("mixed.pdf");
    export(&archive, "en", &pdf);
    let text = pdftotext(&pdf, None);
    assert!(text.contains("Contents"), "{text}");
    assert!(text.contains("Par A. Writer"), "{text}");
    assert!(text.contains("Mis à jour le 10 mai 2025"), "{text}");

    if noto_cjk().is_none() || !tools(&["pdffonts"]) {
        return;
    }
    let japanese = "## 見出しの例\n\n長い間修理されていた港の古い灯台が、今週の土曜日に再び一般公開されました。この灯台は百四十年の歴史を持ち、地元の人々にとって大切な目印です。\n";
    let archive = issue_archive(
        &dir.path().join("ja"),
        "ja",
        "ja",
        &[("a", "灯台の再開", japanese)],
    );
    let pdf = dir.path().join("ja.pdf");
    export(&archive, "ja", &pdf);
    let fonts = poppler("pdffonts", &pdf);
    assert!(fonts.contains("NotoSerifCJK-Regular-JP"), "{fonts}");
    assert!(fonts.contains("NotoSerifCJK-Bold-JP"), "{fonts}");
    assert_fonts_embedded_and_subset(&fonts);
    let text: String = pdftotext(&pdf, None).split_whitespace().collect();
    assert!(text.contains("目次"), "{text}");
    assert!(text.contains("2025年5月10日更新"), "{text}");
    assert!(text.contains("見出しの例"), "{text}");
}

/// In a Chinese issue, a Japanese article is drawn in the Japanese face of the CJK collection
/// (Han characters differ by region), its running heads too, the rest in the Simplified
/// Chinese face, each with its bold face for headings; the file stays valid PDF/A and tagged.
#[test]
fn each_cjk_article_is_set_in_its_own_languages_face() {
    if noto_cjk().is_none() || !tools(&["pdffonts", "pdftotext"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("mixed");
    fs::create_dir_all(folder.join("articles")).unwrap();
    let japanese = "## 見出しの例\n\n港の古い灯台が、今週の土曜日に再び一般公開されました。\n";
    let chinese = "## 标题示例\n\n海港入口处的老灯塔于本周六重新向游客开放。\n";
    fs::write(folder.join("articles/ja.md"), japanese).unwrap();
    fs::write(folder.join("articles/zh.md"), chinese).unwrap();
    let article = |id: &str, title: &str, language: &str| {
        format!("\n[[articles]]\nid = \"{id}\"\ntitle = \"{title}\"\nlanguage = \"{language}\"\nbody = \"articles/{id}.md\"\n")
    };
    let toml = format!(
        "[publication]\ntitle = \"Mixed\"\nlanguage = \"zh-Hans\"\n\n[issue]\nid = \"mixed\"\ndate = \"2025-05-10\"\n{}{}",
        article("zh", "灯塔重新开放", "zh-Hans"),
        article("ja", "灯台の再開", "ja"),
    );
    fs::write(folder.join("issue.toml"), toml).unwrap();
    let archive = archive_of(dir.path(), &folder);
    let pdf = dir.path().join("mixed.pdf");
    export(&archive, "mixed", &pdf);
    // The regional faces are embedded only when some text was drawn with them; the Japanese
    // article is the only text in Japanese, the issue's words and the Chinese article the
    // text in Chinese.
    let fonts = poppler("pdffonts", &pdf);
    for face in [
        "NotoSerifCJK-Regular-JP",
        "NotoSerifCJK-Bold-JP",
        "NotoSerifCJK-Regular-SC",
        "NotoSerifCJK-Bold-SC",
    ] {
        assert!(fonts.contains(&format!("+{face} ")), "{face}:\n{fonts}");
    }
    let text: String = pdftotext(&pdf, None).split_whitespace().collect();
    assert_contains_all(
        &text,
        &["今週の土曜日に再び", "于本周六重新向游客开放", "見出しの例"],
    );
    // Each article opens a page of its own, where its running head is set in its face too:
    // the fonts each page's text is set in, read from its content stream.
    let texts = page_texts(&pdf);
    if let Some(structure) = pdf_structure(&pdf) {
        let fonts_on = |words: &str| {
            let page = texts
                .iter()
                .position(|t| t.split_whitespace().collect::<String>().contains(words))
                .unwrap_or_else(|| panic!("no page holds {words}"));
            structure["fonts"][page].to_string()
        };
        let japanese_page = fonts_on("今週の土曜日に再び");
        assert!(japanese_page.contains("-JP"), "{japanese_page}");
        assert!(!japanese_page.contains("-SC"), "{japanese_page}");
        let chinese_page = fonts_on("于本周六重新向游客开放");
        assert!(chinese_page.contains("-SC"), "{chinese_page}");
        assert!(!chinese_page.contains("-JP"), "{chinese_page}");
    }
    assert_fonts_embedded_and_subset(&fonts);
    assert_pdfa_valid(&pdf);
    assert_pdfua_clean(&pdf);
}

/// A zero-width non-joiner between two letters that would make a ligature keeps them apart
/// (German `Auf\u{200c}lage`): no ligature in the face's ToUnicode map, the words come back whole.
#[test]
fn a_zero_width_non_joiner_keeps_a_ligatures_letters_apart() {
    let dir = tempfile::tempdir().unwrap();
    let body = "Die Auf\u{200c}lage des Schaf\u{200c}fells.\n";
    let archive = issue_archive(dir.path(), "joiners", "de", &[("a", "Joiners", body)]);
    let pdf = dir.path().join("joiners.pdf");
    export(&archive, "joiners", &pdf);
    if !tools(&["qpdf", "pdftotext"]) {
        return;
    }
    let text = pdftotext(&pdf, None);
    assert!(text.contains("Die Auflage des Schaffells."), "{text}");
    let maps = to_unicode_maps(&qdf_objects(&pdf));
    let (_, entries) = maps
        .iter()
        .find(|(name, _)| name.ends_with("+NotoSerif-Regular"))
        .expect("the body face");
    let ligatures: Vec<&String> = entries
        .iter()
        .map(|(_, text)| text)
        .filter(|text| text.chars().count() > 1)
        .collect();
    assert!(ligatures.is_empty(), "{ligatures:?}");
}

#[test]
fn a_body_image_is_captioned_and_credited_as_the_metadata_says_in_the_pdf_and_the_epub() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    run(quire(&archive).arg("init")).ok();
    let (folder, _) = test_issue(dir.path(), "captioned", 1, 1, 3);
    add_pictures(
        &folder,
        "![A view from the lamp room](assets/harbour.png)\n\n![](assets/lamp.svg)\n",
    );
    // An SVG, which the PDF does not embed: named with what the metadata says of it.
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"/>\n";
    fs::write(folder.join("assets/lamp.svg"), svg).unwrap();
    edit_file(&folder.join("issue.toml"), |toml| {
        toml.replace(
            "caption = \"The harbour\" }",
            "caption = \"The harbour at dusk\", credit = \"Photo: Ann Keeper\" }, { file = \"assets/lamp.svg\", caption = \"The lamp turning\", credit = \"Film: B. Keeper\" }",
        )
    });
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let book = dir.path().join("captioned.epub");
    run(quire(&archive)
        .args(["export", "epub", "captioned", "-o"])
        .arg(&book))
    .ok();
    let xhtml = crate::export_epub::epub_entry(&book, "OEBPS/a-a0.xhtml");
    assert!(
        xhtml.contains("<figcaption>The harbour at dusk <span class=\"credit\">Photo: Ann Keeper</span></figcaption>"),
        "{xhtml}"
    );
    if !tools(&["pdftotext"]) {
        return;
    }
    let pdf = dir.path().join("captioned.pdf");
    export(&archive, "captioned", &pdf);
    let text = pdftotext(&pdf, None);
    assert!(
        text.contains("The harbour at dusk") && text.contains("Photo: Ann Keeper"),
        "{text}"
    );
    // The alt text is what a reader hears (the figure's /Alt), not a second caption.
    assert!(!text.contains("A view from the lamp room"), "{text}");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("Image not in this edition: The lamp turning (assets/lamp.svg) \u{2014} Film: B. Keeper"),
        "{text}"
    );
}

/// A vote as `import-web` keeps a table Markdown cannot write: raw HTML with a caption, two
/// header rows, a cell spanning two rows, one spanning two columns, a row header and inline
/// markup in cells.
pub(crate) const VOTES: &str = "The council met on Tuesday.\n\n<table><caption>How the councillors voted</caption><thead><tr><th rowspan=\"2\">Party</th><th colspan=\"2\">Vote</th></tr><tr><th>For</th><th>Against</th></tr></thead><tbody><tr><td>Harbour <em>First</em></td><td>5</td><td>0</td></tr><tr><td>Independent<br>members</td><td>4</td><td>4</td></tr><tr><th scope=\"row\">Total</th><td colspan=\"2\">13 votes, <strong>carried</strong></td></tr></tbody></table>\n\nAfter the vote the harbour master spoke.\n";

/// The line of `text` holding all of `words`, in order, each word's column in it.
#[track_caller]
fn columns_of(text: &str, words: &[&str]) -> Vec<usize> {
    let line = line_with(text, words);
    let mut at = 0;
    words
        .iter()
        .map(|word| {
            let column = at + line[at..].find(word).expect("in the line");
            at = column + word.len();
            column
        })
        .collect()
}

/// An HTML table is a table in the PDF: its caption on a line of its own, each row's cells
/// on one line in the header's columns, the cell spanning two columns over both, marks kept,
/// and no warning (nothing was lost).
#[test]
fn an_html_table_is_set_in_rows_and_columns_under_its_caption() {
    let dir = tempfile::tempdir().unwrap();
    let archive = issue_archive(dir.path(), "votes", "en", &[("a", "Votes", VOTES)]);
    let pdf = dir.path().join("votes.pdf");
    let made = run(quire(&archive)
        .args(["export", "pdf", "votes", "--columns", "1", "-o"])
        .arg(&pdf));
    assert!(!made.stderr.contains("warning"), "{}", made.stderr);
    made.ok();
    if !tools(&["pdftotext", "pdffonts"]) {
        return;
    }
    let (ok, text) = tool_output(
        Command::new(checked_tool("pdftotext"))
            .args(["-layout", "-f", "3", "-l", "3"])
            .arg(&pdf)
            .arg("-"),
    );
    assert!(ok, "{text}");
    let caption = line_with(&text, &["How the councillors voted"]);
    assert_eq!(caption.trim(), "How the councillors voted", "{text}");
    let vote = columns_of(&text, &["Party", "Vote"]);
    let head = columns_of(&text, &["For", "Against"]);
    let harbour = columns_of(&text, &["Harbour First", "5", "0"]);
    let independent = columns_of(&text, &["Independent", "4", "4"]);
    let total = columns_of(&text, &["Total", "13 votes, carried"]);
    assert_eq!(vote[0], harbour[0], "{text}");
    for row in [&harbour, &independent] {
        assert!(row[1].abs_diff(head[0]) <= 1, "{text}");
        assert!(row[2].abs_diff(head[1]) <= 1, "{text}");
    }
    // "Vote" centred over For and Against (right of For's start); the spanning cell starts
    // under For.
    assert!(head[0] < vote[1] && vote[1] <= head[1] + 1, "{text}");
    assert!(total[1].abs_diff(head[0]) <= 1, "{text}");
    assert!(line_with(&text, &["members"]).trim() == "members", "{text}");
    let fonts = poppler("pdffonts", &pdf);
    for face in ["NotoSans-Italic", "NotoSans-Bold"] {
        assert!(fonts.contains(&format!("+{face} ")), "{face}:\n{fonts}");
    }
}

/// A footnote called from a table's cell, and one that no line calls, are printed after the
/// article (the PDF once dropped both without a word), the cell's call linked to its note.
#[test]
fn a_footnote_called_in_a_table_cell_or_never_called_is_still_printed() {
    let dir = tempfile::tempdir().unwrap();
    let body = "Harbour dues rose again.[^rise]\n\n| Year | Dues |\n|---|---:|\n| 2024 | 310[^est] |\n\n[^rise]: As the council's minutes say.\n\n[^est]: Estimated by the harbour office.\n\n[^lone]: A note that no line calls.\n";
    let archive = issue_archive(dir.path(), "dues", "en", &[("a", "Dues", body)]);
    let pdf = dir.path().join("dues.pdf");
    export(&archive, "dues", &pdf);
    if !tools(&["pdftotext", "qpdf"]) {
        return;
    }
    assert_qpdf_check(&pdf);
    let text = pdftotext(&pdf, Some(3));
    for line in [
        "1. As the council's minutes say.",
        "2. Estimated by the harbour office.",
        "3. A note that no line calls.",
    ] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
    let json = qpdf_json(&pdf).to_string();
    let links = json.matches(r#""/Subtype":"/Link""#).count();
    assert!(
        links >= 2,
        "the two calls linked to their notes: {links} links"
    );
}

/// Raw HTML the PDF has no look for keeps its text, and the export names it in a warning;
/// HTML lists, quotes and inline marks are set as the Markdown ones.
#[test]
fn raw_html_the_pdf_cannot_show_is_named_in_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let body = "A <mark>marked</mark> and <em>stressed</em> word, H<sub>2</sub>O.\n\n<blockquote><p>Quoted in HTML.</p></blockquote>\n\n<ol><li>first</li><li>second</li></ol>\n";
    let archive = issue_archive(dir.path(), "marks", "en", &[("a", "Marks", body)]);
    let pdf = dir.path().join("marks.pdf");
    let made = run(quire(&archive)
        .args(["export", "pdf", "marks", "-o"])
        .arg(&pdf));
    let stderr = made.stderr.clone();
    made.ok();
    assert!(
        stderr.contains("warning: ")
            && stderr.contains("article a: raw HTML the PDF cannot show as written: <mark> (highlight not shown, text kept)"),
        "{stderr}"
    );
    if !tools(&["pdftotext"]) {
        return;
    }
    let text = pdftotext(&pdf, Some(3));
    for line in [
        "A marked and stressed word, H2O.",
        "Quoted in HTML.",
        "1. first",
        "2. second",
    ] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
}

/// A table of two rows alone on a page: the columns are balanced, but the header stays with
/// its rows (it once stood at the foot of the first column, the rows in the second).
#[test]
fn a_short_tables_header_is_not_parted_from_its_rows_by_balancing() {
    let dir = tempfile::tempdir().unwrap();
    let table = "| A long header cell that wraps onto several lines of the narrow column | Issues |\n|---|---|\n| 2021 | 12 |\n| 2022 | 10 |\n";
    let archive = issue_archive(dir.path(), "short", "en", &[("a", "Short", table)]);
    let pdf = dir.path().join("short.pdf");
    export(&archive, "short", &pdf);
    if !tools(&["pdftotext"]) {
        return;
    }
    let lines = bbox_lines(&pdf);
    let left = |word: &str| {
        lines
            .iter()
            .find(|l| l.words.iter().any(|w| w.2 == word))
            .map(|l| l.words[0].0)
            .unwrap_or_else(|| panic!("{word} not set"))
    };
    let (header, first, last) = (left("header"), left("2021"), left("2022"));
    assert!(
        (header - first).abs() < 1.0 && (first - last).abs() < 1.0,
        "the header at x {header}, the rows at {first} and {last}"
    );
}

/// A captured page's tables and formulas, as `import-web` keeps them (raw HTML, MathML), come
/// out of the PDF as a table and as TeX, with nothing to warn of.
#[test]
fn an_imported_pages_html_table_and_mathml_need_no_warning() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let page = fixtures().join("web/structure/tide-tables.html");
    run(quire(&archive)
        .args([
            "import-web",
            "--issue",
            "tides",
            "--publication",
            "Captures",
        ])
        .arg(&page))
    .ok();
    let pdf = dir.path().join("tides.pdf");
    let made = run(quire(&archive)
        .args(["export", "pdf", "tides", "--columns", "1", "-o"])
        .arg(&pdf));
    assert!(!made.stderr.contains("warning"), "{}", made.stderr);
    made.ok();
    if !tools(&["pdftotext"]) {
        return;
    }
    let (ok, text) = tool_output(
        Command::new(checked_tool("pdftotext"))
            .arg("-layout")
            .arg(&pdf)
            .arg("-"),
    );
    assert!(ok, "{text}");
    assert_eq!(
        line_with(&text, &["Ranges at two ports"]).trim(),
        "Ranges at two ports"
    );
    let head = columns_of(&text, &["Port", "Season", "Range (m)"]);
    let north = columns_of(&text, &["North Quay", "Spring", "4.6"]);
    let neap = columns_of(&text, &["Neap", "2.1"]);
    assert_eq!(head, north, "{text}");
    assert_eq!(neap, head[1..], "{text}");
    assert!(text.contains("h(t) = A\\cos(\\omega t)"), "{text}");
}
