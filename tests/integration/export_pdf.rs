//! `quire export pdf`, checked with qpdf and poppler: structure, fonts, text, metadata,
//! outline, links, reproducibility and the clear errors.

use crate::support::*;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn export(archive: &Path, issue: &str, out: &Path) -> String {
    run(quire(archive).args(["export", "pdf", issue, "-o"]).arg(out)).ok()
}

/// The text of a PDF (or of one page) by poppler, in layout mode: lines as set, so that a
/// hyphen at a page's foot is not glued to the folio below it.
fn pdftotext(pdf: &Path, pages: Option<usize>) -> String {
    let mut command = Command::new(tool("pdftotext"));
    command.arg("-layout");
    if let Some(page) = pages {
        command.args(["-f", &page.to_string(), "-l", &page.to_string()]);
    }
    let (ok, text) = tool_output(command.arg(pdf).arg("-"));
    assert!(ok, "{text}");
    text
}

fn qpdf_json(pdf: &Path) -> Value {
    let output = Command::new(tool("qpdf"))
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
fn words_in_order(text: &str, words: &[&str]) -> Result<(), String> {
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
    let stderr = export(&archive, "beijing-review-sample", &pdf);
    let _ = stderr;
    let (ok, check) = tool_output(Command::new(tool("qpdf")).arg("--check").arg(&pdf));
    assert!(
        ok && check.contains("No syntax or stream encoding errors"),
        "{check}"
    );

    let (_, fonts) = tool_output(Command::new(tool("pdffonts")).arg(&pdf));
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

    let text = pdftotext(&pdf, None);
    let body =
        fs::read_to_string(sample_issue().join("articles/full-text-the-internet-in-china.md"))
            .unwrap();
    let words: Vec<&str> = body.split_whitespace().filter(|w| *w != "##").collect();
    words_in_order(&text, &words).unwrap();

    let (_, info) = tool_output(Command::new(tool("pdfinfo")).arg(&pdf));
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

    // The colophon names where the edition came from.
    let pages = qpdf_json(&pdf)["pages"].as_array().unwrap().len();
    let colophon = pdftotext(&pdf, Some(pages));
    for expected in [
        "Colophon",
        "urn:quire:beijing-review-sample",
        "Version: v1 (created 2026-11-28T00:00:00Z)",
        "sha512",
    ] {
        assert!(
            colophon.contains(expected),
            "{expected} missing from:\n{colophon}"
        );
    }
}

#[test]
fn a_long_issue_has_its_outline_links_and_words_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    run(quire(&archive).arg("init")).ok();
    let (folder, paragraphs) = test_issue(dir.path(), "long-issue", 3, 4, 12);
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let pdf = dir.path().join("long.pdf");
    export(&archive, "long-issue", &pdf);
    let (ok, check) = tool_output(Command::new(tool("qpdf")).arg("--check").arg(&pdf));
    assert!(ok, "{check}");

    let (_, info) = tool_output(Command::new(tool("pdfinfo")).arg(&pdf));
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

    // Each contents entry links to the page where its article begins.
    let pages = json["pages"].as_array().unwrap();
    let page_number = |reference: &str| {
        pages
            .iter()
            .position(|p| p["object"] == reference)
            .map(|i| i + 1)
    };
    let objects = &json["qpdf"][1];
    let contents_page = &objects[format!("obj:{}", pages[1]["object"].as_str().unwrap())]["value"];
    let links = contents_page["/Annots"].as_array().unwrap();
    assert_eq!(links.len(), 12);
    for (i, link) in links.iter().enumerate() {
        let target = page_number(link["/A"]["/D"][0].as_str().unwrap()).expect("a page");
        let page_text = pdftotext(&pdf, Some(target));
        assert!(
            page_text.contains(&format!("Article {i}: Čapek")),
            "link {i} lands on page {target}:\n{page_text}"
        );
    }
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
    let (_, info) = tool_output(Command::new(tool("pdfinfo")).arg(&letter));
    assert!(
        info.contains("Page size:       612 x 792") && info.contains("(letter)"),
        "{info}"
    );
    // The default name is safe on every system.
    let work = dir.path().join("work");
    fs::create_dir(&work).unwrap();
    run(quire(&archive)
        .current_dir(&work)
        .args(["export", "pdf", "twice"]))
    .ok();
    assert!(work.join("exports/twice-v2.pdf").is_file());
}

#[test]
fn a_character_no_font_has_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    run(quire(&archive).arg("init")).ok();
    let (folder, _) = test_issue(dir.path(), "glyphs", 1, 1, 2);
    // Linear B: in no bundled face, nor in the CJK faces quire looks for.
    fs::write(folder.join("articles/a0.md"), "The tablet reads 𐀀𐀁 here.\n").unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let out = dir.path().join("glyphs.pdf");
    let stderr = run(quire(&archive)
        .args(["export", "pdf", "glyphs", "-o"])
        .arg(&out))
    .fails();
    assert!(
        stderr.contains("no font has a glyph for 𐀀 (U+10000), 𐀁 (U+10001)"),
        "{stderr}"
    );
    assert!(stderr.contains("--font"), "{stderr}");
    assert!(!out.exists(), "nothing is written on an error");
}

#[test]
fn cjk_text_is_set_with_a_cjk_font() {
    // .ci/run installs fonts-noto-cjk; quire finds it on the system.
    let cjk = Path::new("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc");
    assert!(
        cjk.is_file(),
        "{} is missing: `bash .ci/run` installs fonts-noto-cjk",
        cjk.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    run(quire(&archive).arg("init")).ok();
    run(quire(&archive)
        .args(["import-web", "--issue", "cjk"])
        .arg(fixtures().join("web/lighthouse-gbk.txt")))
    .ok();
    let pdf = dir.path().join("cjk.pdf");
    export(&archive, "cjk", &pdf);
    let (_, fonts) = tool_output(Command::new(tool("pdffonts")).arg(&pdf));
    assert!(fonts.contains("NotoSerifCJK"), "{fonts}");
    for row in fonts.lines().skip(2) {
        assert!(row.contains("yes yes yes"), "{row}");
    }
    let (ok, check) = tool_output(Command::new(tool("qpdf")).arg("--check").arg(&pdf));
    assert!(ok, "{check}");
    let text: String = pdftotext(&pdf, None).split_whitespace().collect();
    assert!(
        text.contains("经过一年的修缮，海港入口处的老灯塔于本周六重新向游客开放。"),
        "{text}"
    );
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
    let (ok, check) = tool_output(Command::new(tool("qpdf")).arg("--check").arg(&pdf));
    assert!(ok, "{check}");

    // pdfimages: the JPEG comes back byte for byte, the PNG pixel for pixel.
    let out = dir.path().join("extracted");
    fs::create_dir(&out).unwrap();
    let (ok, listing) = tool_output(
        Command::new(tool("pdfimages"))
            .arg("-all")
            .arg(&pdf)
            .arg(out.join("img")),
    );
    assert!(ok, "{listing}");
    let extracted: Vec<PathBuf> = {
        let mut all: Vec<PathBuf> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        all.sort();
        all
    };
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

    // An image the body shows but the issue does not hold: the export names it.
    fs::write(
        folder.join("articles/a0.md"),
        format!("{body}\n![Lost](assets/missing.png)\n"),
    )
    .unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
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
}

/// RGB pixels of a PNG, decoded by the png crate.
fn decode_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(path).unwrap()));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    pixels.truncate(frame.buffer_size());
    (frame.width, frame.height, pixels)
}
