//! A body's links in the PDF follow the issue's one rule (as in the EPUB and the web
//! edition): to another article by its file name or its short title's anchor, to a heading of
//! another article, to a section, each a GoTo to the page (checked by its number with qpdf and
//! poppler, not by a title the running heads repeat) where the place is set; a web link stays
//! a URI; a link that leads nowhere keeps its text, has no annotation and is named in a
//! warning. The tags stay clean (pdfua and the structure checks). A heading's bookmark leads
//! where a link to it does.

use crate::export_pdf::{issue_archive, page_texts, qpdf_json};
use crate::export_pdf_tags::assert_tagged;
use crate::support::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The letter's links, by their text.
const LETTER: &str = "See the [data notebook](data-listing.xhtml), the [harbour feature](#rebuilding-the-old-harbour), its [crane rails](harbour.md#crane-rails), the [report](https://example.org/report) and the [lost appendix](appendix.xhtml).\n";

/// A body long enough that its heading "Crane Rails" is set on the article's second page,
/// after a heading written as raw HTML on its first: the link rule counts only Markdown
/// headings, and "Crane Rails" is the first of them.
fn harbour_body() -> String {
    let paragraph = "The quay walls of the old harbour were rebuilt stone by stone, each block numbered and laid again where it had stood, while the tides came and went twice a day across the works. ";
    let mut body = String::from("<h2>Stone by Stone</h2>\n\n");
    for _ in 0..40 {
        body.push_str(&paragraph.repeat(2));
        body.push_str("\n\n");
    }
    body.push_str("## Crane Rails\n\nThe rails were laid last.\n");
    body
}

/// By each word of the link annotations' texts (their /Contents) on page `page` (from 1): its
/// GoTo's page (from 1), or its URI (a link broken across lines has an annotation on each);
/// and by word, the height of a GoTo's top.
fn annotations(json: &Value, page: usize) -> (BTreeMap<String, String>, BTreeMap<String, f64>) {
    let pages = json["pages"].as_array().unwrap();
    let objects = &json["qpdf"][1];
    let object = |reference: &str| &objects[format!("obj:{reference}")]["value"];
    let annots = object(pages[page - 1]["object"].as_str().unwrap())["/Annots"].clone();
    let (mut found, mut tops) = (BTreeMap::new(), BTreeMap::new());
    for annot in annots.as_array().cloned().unwrap_or_default() {
        let annot = object(annot.as_str().expect("a reference"));
        let text = annot["/Contents"].as_str().unwrap_or_default();
        let action = &annot["/A"];
        let target = match action["/URI"].as_str() {
            Some(uri) => uri.to_string(),
            None => {
                let reference = action["/D"][0].as_str().expect("a destination's page");
                let index = pages.iter().position(|p| p["object"] == reference);
                format!("page {}", index.expect("a page") + 1)
            }
        };
        for word in text.trim_start_matches("u:").split_whitespace() {
            found.insert(word.to_string(), target.clone());
            if let Some(top) = action["/D"][3].as_f64() {
                tops.insert(word.to_string(), top);
            }
        }
    }
    (found, tops)
}

/// The height (from the page's foot) of the top of `word`'s box on page `page` (from 1) of
/// `pdf`, by poppler, whose boxes are measured from the page's head.
fn word_top(pdf: &Path, page: usize, word: &str, page_height: f64) -> f64 {
    let number = page.to_string();
    let mut command = Command::new(checked_tool("pdftotext"));
    command.args(["-bbox", "-f", &number, "-l", &number]);
    let (ok, html) = tool_output(command.arg(pdf).arg("-"));
    assert!(ok, "{html}");
    let line = (html.lines())
        .find(|l| l.trim_end().ends_with(&format!(">{word}</word>")))
        .unwrap_or_else(|| panic!("no {word} on page {page}"));
    let y_min = line
        .split("yMin=\"")
        .nth(1)
        .and_then(|r| r.split('"').next());
    page_height - y_min.unwrap().parse::<f64>().unwrap()
}

/// The letter, the harbour feature and the notebook set as a PDF in `dir`; with what the
/// export printed on its standard error.
fn links_pdf(dir: &Path) -> (PathBuf, String) {
    let harbour = harbour_body();
    let archive = issue_archive(
        dir,
        "links",
        "en",
        &[
            ("letter", "Letters", LETTER),
            (
                "harbour",
                "Rebuilding the Old Harbour: Tides and Cranes",
                &harbour,
            ),
            ("data-listing", "Data Notebook", "The numbers, listed.\n"),
        ],
    );
    let pdf = dir.join("links.pdf");
    let made = run(quire(&archive)
        .args(["export", "pdf", "links", "-o"])
        .arg(&pdf));
    let stderr = made.stderr.clone();
    made.ok();
    (pdf, stderr)
}

/// The page (from 1) whose text has a line `line`.
fn page_with_line(texts: &[String], line: &str) -> usize {
    1 + (texts.iter())
        .position(|t| t.lines().any(|l| l.trim() == line))
        .unwrap_or_else(|| panic!("no page has {line}"))
}

/// The height of the top of `pdf`'s page `page` (from 1), by its media box.
fn page_height(json: &Value, page: usize) -> f64 {
    let paper = json["pages"][page - 1]["object"].as_str().unwrap();
    let paper = &json["qpdf"][1][format!("obj:{paper}")]["value"]["/MediaBox"][3];
    paper.as_f64().unwrap()
}

#[test]
fn a_bodys_links_to_articles_headings_and_the_web_land_on_their_pages_and_a_lost_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, stderr) = links_pdf(dir.path());
    assert!(
        stderr.contains("article letter: link(s) to appendix.xhtml lead nowhere in the PDF"),
        "{stderr}"
    );
    if assert_tagged(&pdf).is_none() || !tools(&["pdftotext"]) {
        return;
    }
    // Cover and contents, then the letter on page 3, the harbour feature from page 4 (its
    // heading on the page after), the notebook after it.
    let texts = page_texts(&pdf);
    let begins = |title: &str| {
        1 + (2..texts.len())
            .find(|&p| texts[p].contains(title))
            .unwrap()
    };
    let (letter, harbour, notebook) = (
        begins("Letters"),
        begins("Rebuilding the Old Harbour"),
        begins("Data Notebook"),
    );
    let heading = page_with_line(&texts, "Crane Rails");
    assert_eq!((letter, harbour), (3, 4));
    assert!(
        heading > harbour && notebook > heading,
        "{heading}, {notebook}"
    );
    assert!(texts[letter - 1].contains("the lost appendix."));

    let json = qpdf_json(&pdf);
    let page = |n: usize| format!("page {n}");
    let expected = BTreeMap::from([
        ("data".to_string(), page(notebook)),
        ("notebook".to_string(), page(notebook)),
        ("harbour".to_string(), page(harbour)),
        ("feature".to_string(), page(harbour)),
        ("crane".to_string(), page(heading)),
        ("rails".to_string(), page(heading)),
        (
            "report".to_string(),
            "u:https://example.org/report".to_string(),
        ),
    ]);
    let (found, tops) = annotations(&json, letter);
    assert_eq!(found, expected);
    // The heading's link goes to the heading's own height (its second column, where the last
    // page's columns were balanced), not only to its page.
    let top = word_top(&pdf, heading, "Crane", page_height(&json, heading));
    assert!(
        (tops["crane"] - top).abs() < 6.0,
        "{} and {top}",
        tops["crane"]
    );
}

/// A heading the last page's column balancing moved into the second column has its bookmark
/// where it is set: the outline entry's page and top are the heading's (as poppler finds its
/// words), as a link to it has them.
#[test]
fn a_headings_bookmark_leads_to_where_the_balanced_columns_set_it() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, _) = links_pdf(dir.path());
    if !tools(&["qpdf", "pdftotext"]) {
        return;
    }
    let json = qpdf_json(&pdf);
    let heading = page_with_line(&page_texts(&pdf), "Crane Rails");
    let outline = json["outlines"].as_array().unwrap();
    let article = (outline.iter())
        .find(|mark| mark["title"] == "Rebuilding the Old Harbour: Tides and Cranes")
        .expect("the article's bookmark");
    let mark = (article["kids"].as_array().unwrap().iter())
        .find(|mark| mark["title"] == "Crane Rails")
        .expect("the heading's bookmark");
    let dest = &mark["dest"];
    let pages = json["pages"].as_array().unwrap();
    let page = pages.iter().position(|p| p["object"] == dest[0]);
    assert_eq!(page.map(|p| p + 1), Some(heading), "{dest}");
    let top = word_top(&pdf, heading, "Crane", page_height(&json, heading));
    let marked = dest[3].as_f64().expect("a height");
    assert!((marked - top).abs() < 6.0, "{marked} and {top}");
}
