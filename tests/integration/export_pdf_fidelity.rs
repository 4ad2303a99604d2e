//! What a producer's trial found the PDF got wrong, each checked as a reader meets it: a small
//! image never blown up past its natural size; headings tagged at their source's rank and
//! nested so in the outline; a floated figure in its source place in the tag tree; a long
//! code line broken after punctuation, its space kept; ideographic spaces kept; emphasis in
//! CJK text shown (or warned about); a pull quote set as a quote, another aside named in the
//! warning.

use crate::export_pdf::{noto_cjk, pdftotext, poppler, qpdf_json};
use crate::export_pdf_tags::assert_tagged;
use crate::support::*;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

/// An archive in `dir` of issue `id` in `language`, its articles (id, title, body, the
/// `images = …` line or "") with `assets` (name, bytes) beside them.
fn archive_with(
    dir: &Path,
    id: &str,
    language: &str,
    articles: &[(&str, &str, &str, &str)],
    assets: &[(&str, Vec<u8>)],
) -> PathBuf {
    let folder = dir.join(id);
    fs::create_dir_all(folder.join("articles")).unwrap();
    fs::create_dir_all(folder.join("assets")).unwrap();
    for (name, bytes) in assets {
        fs::write(folder.join("assets").join(name), bytes).unwrap();
    }
    let mut toml = format!(
        "[publication]\ntitle = \"Magazine {id}\"\nlanguage = \"{language}\"\n\n[issue]\nid = \"{id}\"\ndate = \"2025-05-10\"\n"
    );
    for (article, title, body, images) in articles {
        fs::write(folder.join(format!("articles/{article}.md")), body).unwrap();
        toml.push_str(&format!(
            "\n[[articles]]\nid = \"{article}\"\ntitle = \"{title}\"\nauthors = [\"A. Writer\"]\nbody = \"articles/{article}.md\"\n{images}\n"
        ));
    }
    fs::write(folder.join("issue.toml"), toml).unwrap();
    archive_of(dir, &folder)
}

/// A red PNG of `width` x `height` pixels, at `dpi` when given (its pHYs chunk).
fn red_png(width: u32, height: u32, dpi: Option<f32>) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    if let Some(dpi) = dpi {
        let ppu = (dpi / 0.0254).round() as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppu,
            yppu: ppu,
            unit: png::Unit::Meter,
        }));
    }
    let pixels: Vec<u8> = (0..width * height).flat_map(|_| [230, 20, 20]).collect();
    encoder
        .write_header()
        .unwrap()
        .write_image_data(&pixels)
        .unwrap();
    bytes
}

/// The PDF of an archive's issue `id`, made in `dir`, and what quire said on stderr.
fn made(archive: &Path, id: &str, dir: &Path) -> (PathBuf, String) {
    let pdf = dir.join(format!("{id}.pdf"));
    let made = run(quire(archive).args(["export", "pdf", id, "-o"]).arg(&pdf));
    let stderr = made.stderr.clone();
    made.ok();
    (pdf, stderr)
}

/// The structure types of the tag tree in order, from the project's checks.
fn kinds(report: &Value) -> Vec<&str> {
    report["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect()
}

/// An 8 x 8 pixel marker (6 points at 96 dpi) and a 600 x 300 chart at 300 dpi (two inches
/// wide, narrower than a column) are drawn at their natural sizes, not blown up to the
/// column's width: `pdfimages -list` finds them at their own resolution. The marker in a
/// sentence is drawn in its line (a Figure in the paragraph, described with its credit, no
/// caption under it); alone in its paragraph, a figure with its caption.
#[test]
fn a_small_image_is_never_drawn_past_its_natural_size_and_sits_in_its_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let body = "Chart markers look like this: ![A red square](assets/tiny.png) in the text.\n\n![A blue square](assets/alone.png)\n\nThe chart:\n\n![The chart](assets/chart.png)\n\nAfter the chart.\n";
    let images =
        "images = [{ file = \"assets/tiny.png\", caption = \"Marker.\", credit = \"Desk\" }]";
    let archive = archive_with(
        dir.path(),
        "small",
        "en",
        &[("a", "Markers", body, images)],
        &[
            ("tiny.png", red_png(8, 8, None)),
            ("alone.png", red_png(8, 8, None)),
            ("chart.png", red_png(600, 300, Some(300.0))),
        ],
    );
    let (pdf, _) = made(&archive, "small", dir.path());
    if !tools(&["pdfimages"]) {
        return;
    }
    let list = tool_output(
        std::process::Command::new(checked_tool("pdfimages"))
            .arg("-list")
            .arg(&pdf),
    )
    .1;
    // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
    let ppi: Vec<(u32, f32)> = list
        .lines()
        .skip(2)
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            (fields[3].parse().unwrap(), fields[12].parse().unwrap())
        })
        .collect();
    assert_eq!(ppi.len(), 3, "{list}");
    for (width, ppi) in ppi {
        let natural = if width == 8 { 96.0 } else { 300.0 };
        assert!(
            (ppi - natural).abs() <= 1.0,
            "{width} pixels at {ppi} ppi:\n{list}"
        );
    }
    let text = pdftotext(&pdf, None);
    assert!(
        text.contains("Chart markers look like this: in the text."),
        "{text}"
    );
    assert!(!text.contains("Marker."), "{text}");
    let Some(report) = assert_tagged(&pdf) else {
        return;
    };
    let kinds = kinds(&report).join(" ");
    // The marker in its paragraph (no caption), then the two figures.
    assert!(
        kinds.contains("P Figure Figure Caption P Figure Caption"),
        "{kinds}"
    );
    assert_eq!(report["counts"]["Caption"], 2, "{}", report["counts"]);
}

/// `##`, `###`, `####`, `##`, `###`, `##` are tagged H2, H3, H4, H2, H3, H2 (a heading back
/// up at its source's rank, not one step under the deeper one before it), and the outline
/// nests them the same way under the article.
#[test]
fn headings_are_tagged_at_their_sources_rank_and_nested_so_in_the_outline() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::new();
    for (n, marks) in ["##", "###", "####", "##", "###", "##"].iter().enumerate() {
        body.push_str(&format!("{marks} Heading {n}\n\n{}\n\n", prose(n, 60)));
    }
    let archive = archive_with(dir.path(), "ranks", "en", &[("a", "Ranks", &body, "")], &[]);
    let (pdf, _) = made(&archive, "ranks", dir.path());
    if !tools(&["qpdf"]) {
        return;
    }
    let outline = qpdf_json(&pdf)["outlines"].clone();
    let article = outline
        .as_array()
        .unwrap()
        .iter()
        .find(|mark| mark["title"] == "Ranks")
        .expect("the article's bookmark");
    let titles = |mark: &Value| -> Vec<String> {
        mark["kids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|kid| kid["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(titles(article), ["Heading 0", "Heading 3", "Heading 5"]);
    assert_eq!(titles(&article["kids"][0]), ["Heading 1"]);
    assert_eq!(titles(&article["kids"][0]["kids"][0]), ["Heading 2"]);
    assert_eq!(titles(&article["kids"][1]), ["Heading 4"]);
    let Some(report) = assert_tagged(&pdf) else {
        return;
    };
    let headings: Vec<&str> = kinds(&report)
        .into_iter()
        .filter(|k| k.starts_with('H') && *k != "H1")
        .collect();
    assert_eq!(headings, ["H2", "H3", "H4", "H2", "H3", "H2"]);
}

/// A tall figure between a paragraph and a heading that has no room left in its column
/// floats to the next one (the heading and the text after it are set first), but in the tag
/// tree it stays where the source has it: before the heading.
#[test]
fn a_floated_figure_keeps_its_source_place_in_the_tag_tree() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "{}\n\n{}\n\n![A tall gauge](assets/tall.png)\n\n### Bankers and the bond\n\n{}\n\n## Coda\n\n{}\n",
        prose(1, 400),
        prose(2, 250),
        prose(3, 80),
        prose(4, 40)
    );
    let images = "images = [{ file = \"assets/tall.png\", caption = \"The crane gauge\" }]";
    let archive = archive_with(
        dir.path(),
        "floated",
        "en",
        &[("a", "Floated", &body, images)],
        &[("tall.png", red_png(120, 900, None))],
    );
    let (pdf, _) = made(&archive, "floated", dir.path());
    if !tools(&["pdftotext"]) {
        return;
    }
    // It did float: the heading is read before the figure's caption on the page.
    let text = pdftotext(&pdf, None);
    let (heading, caption) = (
        text.find("Bankers").unwrap(),
        text.find("crane gauge").unwrap(),
    );
    assert!(heading < caption, "the figure did not float:\n{text}");
    let Some(report) = assert_tagged(&pdf) else {
        return;
    };
    let kinds = kinds(&report);
    // The first heading (`###` under the title is an H2).
    let at = |kind: &str| kinds.iter().position(|k| *k == kind).unwrap();
    assert!(at("Figure") < at("H2"), "{kinds:?}");
    let tree = report["text"].as_str().unwrap();
    let (heading, caption) = (
        tree.find("Bankers").unwrap(),
        tree.find("crane gauge").unwrap(),
    );
    assert!(caption < heading, "{tree}");
}

/// `<aside class="pullquote">` is set as a quote (a BlockQuote, indented; after a quote, not
/// merged into it), with no warning;
/// another aside is set as running text and named in the warning.
#[test]
fn a_pull_quote_is_set_as_a_quote_and_another_aside_is_named_in_the_warning() {
    let dir = tempfile::tempdir().unwrap();
    let body = "Before the quote.\n\n> A quote in Markdown.\n\n<aside class=\"pullquote\"><p>\u{201c}The tide does not read deeds.\u{201d}</p></aside>\n\nAfter the quote.\n";
    let boxed =
        "Before the box.\n\n<aside class=\"box\"><p>A sidebar.</p></aside>\n\nAfter the box.\n";
    let archive = archive_with(
        dir.path(),
        "asides",
        "en",
        &[("a", "Quoted", body, ""), ("b", "Boxed", boxed, "")],
        &[],
    );
    let (pdf, stderr) = made(&archive, "asides", dir.path());
    assert!(!stderr.contains("article a:"), "{stderr}");
    assert!(
        stderr.contains("article b: raw HTML the PDF cannot show as written: <aside> (a sidebar, set as running text)"),
        "{stderr}"
    );
    let Some(report) = assert_tagged(&pdf) else {
        return;
    };
    // The pull quote is a quote of its own, not the attribution of the quote before it.
    assert_eq!(report["counts"]["BlockQuote"], 2, "{}", report["counts"]);
    let text = report["text"].as_str().unwrap();
    assert!(
        text.contains("\u{201c}The tide does not read deeds.\u{201d}"),
        "{text}"
    );
}

/// Japanese text: the ideographic spaces of a title (U+3000) are kept in the title, the
/// contents and the running head; emphasis (`*縦書き*`) is set in the bold CJK face, since no
/// CJK face is italic; with a CJK face that has no bold beside it, the export warns, naming
/// the article.
#[test]
fn ideographic_spaces_are_kept_and_emphasis_in_cjk_text_is_shown_or_warned_about() {
    let Some(collection) = noto_cjk() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let title = "縦書きの港\u{3000}―\u{3000}潮の詩";
    let body = "*縦書き*でも横書きでも、詩は詩である。\n";
    let archive = archive_with(dir.path(), "ja", "ja", &[("poem", title, body, "")], &[]);
    let (pdf, stderr) = made(&archive, "ja", dir.path());
    assert!(!stderr.contains("emphasis"), "{stderr}");
    if !tools(&["pdffonts", "pdftotext"]) {
        return;
    }
    let fonts = poppler("pdffonts", &pdf);
    assert!(fonts.contains("NotoSerifCJK-Bold-JP"), "{fonts}");
    // The contents, the running head and the title (poppler gives an ideographic space as a
    // space: it was missing from the running head).
    let text = pdftotext(&pdf, None);
    let spaced = title.replace('\u{3000}', " ");
    assert!(text.matches(&spaced).count() >= 3, "{text}");
    assert!(!text.contains("港―潮"), "{text}");
    if let Some(report) = assert_tagged(&pdf) {
        let tree = report["text"].as_str().unwrap();
        assert!(tree.contains(title), "{tree}");
    }
    // The same face with no bold beside it.
    let lone = dir.path().join("fonts");
    fs::create_dir_all(&lone).unwrap();
    let regular = lone.join(collection.file_name().unwrap());
    std::os::unix::fs::symlink(&collection, &regular).unwrap();
    let pdf = dir.path().join("lone.pdf");
    let made = run(quire(&archive)
        .args(["export", "pdf", "ja", "-o"])
        .arg(&pdf)
        .arg("--font")
        .arg(format!("{}#0", regular.display())));
    let stderr = made.stderr.clone();
    made.ok();
    assert!(
        stderr.contains("article poem: emphasis set upright") && stderr.contains("縦書き"),
        "{stderr}"
    );
}

/// A long awk line in a column: it breaks after `t, ` (not inside `count`) and after a space
/// in its comment, and the spaces at those breaks survive extraction (each line's end is read
/// as one piece), so the lines joined are the line as written (poppler gives a run of spaces
/// inside a line as one).
#[test]
fn a_long_code_line_breaks_after_punctuation_and_spaces_and_keeps_them_in_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let line = r#"END { for (t in count) printf "%-12s %6d\n", t, count[t] }   # a deliberately long line that must wrap somewhere sensible in a narrow column"#;
    let body = format!("The listing:\n\n```awk\n{line}\n```\n");
    let archive = archive_with(dir.path(), "awk", "en", &[("a", "Awk", &body, "")], &[]);
    let (pdf, _) = made(&archive, "awk", dir.path());
    if !tools(&["pdftotext"]) {
        return;
    }
    let text = pdftotext(&pdf, None);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.iter().any(|l| l.starts_with("count[t] }")), "{text}");
    assert!(!lines.iter().any(|l| l.starts_with("unt[t]")), "{text}");
    let joined: String = lines.concat();
    assert!(joined.contains(&line.replace("   ", " ")), "{text}");
    let Some(report) = assert_tagged(&pdf) else {
        return;
    };
    let tree: String = report["text"].as_str().unwrap().lines().collect();
    assert!(tree.contains(line), "{tree}");
}
