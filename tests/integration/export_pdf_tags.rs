//! The tagged PDF (PDF/UA-1) of the sample, the long test issue, an issue with pictures,
//! tables, links, notes and code, and a CJK issue: pdfua finds no error, and the project's own
//! checks (`tests/pdf_structure.py`) hold what pdfua does not check: every item tagged or an
//! artifact, every MCID in one element, the tree's text in reading order, header cells with
//! their scope, figures with their alternative text, links with their annotations, each
//! footnote's call linked to its note; a long issue's parent, ID and page trees in kids; a
//! code line's continuation mark out of the text.

use crate::export_pdf::{
    assert_qpdf_check, cjk_pdf, export, issue_archive, long_test_pdf, words_in_order, MARKED_UP,
    VOTES,
};
use crate::support::*;
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::Command;

/// qpdf's check, pdfua and the project's checks pass on `pdf`; returns the latter's report
/// (`None`: pdfua is not installed, a skip).
#[track_caller]
pub(crate) fn assert_tagged(pdf: &Path) -> Option<Value> {
    if !tools(&["qpdf"]) {
        return None;
    }
    assert_qpdf_check(pdf);
    assert_pdfua_clean(pdf);
    let report = pdf_structure(pdf)?;
    assert_eq!(
        report["errors"],
        Value::Array(Vec::new()),
        "{}",
        pdf.display()
    );
    Some(report)
}

fn tree_text(report: &Value) -> &str {
    report["text"].as_str().unwrap()
}

fn count(report: &Value, kind: &str) -> u64 {
    report["counts"][kind].as_u64().unwrap_or(0)
}

#[test]
fn the_sample_edition_is_tagged_in_reading_order() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("sample.pdf");
    export(&repo().join("archive"), "beijing-review-sample", &pdf);
    let Some(report) = assert_tagged(&pdf) else {
        return;
    };
    let body =
        fs::read_to_string(sample_issue().join("articles/full-text-the-internet-in-china.md"))
            .unwrap();
    let words: Vec<&str> = body.split_whitespace().filter(|w| *w != "##").collect();
    words_in_order(tree_text(&report), &words).unwrap();
    // Cover, contents, the article and the colophon, each a section with a first heading.
    assert_eq!(count(&report, "Sect"), 4, "{}", report["counts"]);
    assert_eq!(count(&report, "H1"), 4, "{}", report["counts"]);
}

#[test]
fn the_long_issue_is_tagged_in_reading_order() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, paragraphs) = long_test_pdf(dir.path());
    let Some(report) = assert_tagged(&pdf) else {
        return;
    };
    // Every paragraph of every article, in the order of the articles, from the tree alone
    // (paragraphs run across columns and pages).
    let words: Vec<&str> = paragraphs
        .iter()
        .flat_map(|p| p.split_whitespace())
        .collect();
    words_in_order(tree_text(&report), &words).unwrap();
    assert_eq!(count(&report, "Sect"), 15, "{}", report["counts"]);
    assert!(
        count(&report, "P") as usize >= paragraphs.len(),
        "{}",
        report["counts"]
    );
    // Each contents entry links to its article.
    assert_eq!(count(&report, "TOCI"), 15, "{}", report["counts"]);
    assert_eq!(count(&report, "Link"), 12, "{}", report["counts"]);
}

#[test]
fn pictures_tables_links_notes_and_code_are_tagged() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    run(quire(&archive).arg("init")).ok();
    let (folder, _) = test_issue(dir.path(), "pictured", 1, 2, 6);
    // A table with an empty cell and an empty row, a list in a list, a quote.
    let more = "A [~~struck link~~](https://example.org/struck).\n\n| Name | Value |\n|---|---|\n| empty | |\n| | |\n\n- one\n- two\n  - two and a half\n\n> A quote.\n";
    add_pictures(&folder, &format!("{MARKED_UP}\n{more}"));
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let pdf = dir.path().join("pictured.pdf");
    export(&archive, "pictured", &pdf);
    let Some(report) = assert_tagged(&pdf) else {
        return;
    };
    let counts = &report["counts"];
    for (kind, least) in [
        ("Table", 2),
        ("TH", 5),
        ("Figure", 2),
        ("Caption", 1),
        ("Note", 1),
        ("Code", 1),
        ("L", 2),
        ("LI", 3),
        ("Lbl", 3),
        ("LBody", 3),
        ("BlockQuote", 1),
        ("H2", 1),
    ] {
        assert!(count(&report, kind) >= least, "{kind}: {counts}");
    }
    // Every row, the empty one too, with all its cells: 3 + 3 rows, 2 x 3 + 2 x 2 data cells.
    assert_eq!(count(&report, "TR"), 6, "{counts}");
    assert_eq!(count(&report, "TD"), 10, "{counts}");
    // Two contents entries, the links to the web (one struck through), the one to the
    // table's heading and the footnote's call (in a Reference), each holding its text.
    assert_eq!(count(&report, "Link"), 6, "{counts}");
    assert_eq!(count(&report, "Reference"), 1, "{counts}");
    let text = tree_text(&report);
    words_in_order(
        text,
        &[
            "Year", "Issues", "Notes", "2021", "12", "A", "normal", "2022", "10",
        ],
    )
    .unwrap();
    assert!(text.contains("The footnote text, at the foot."), "{text}");
    // Each marker in its label, the item's text in its body.
    assert!(text.contains("•\none\n •\ntwo\n"), "{text}");
    for link in ["\nlink\n", "\nthe table\n", "\nstruck link\n"] {
        assert!(
            text.contains(link),
            "{link:?} is not a Link's own text:\n{text}"
        );
    }
}

#[test]
fn an_article_in_another_language_than_the_issue_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    run(quire(&archive).arg("init")).ok();
    let (folder, _) = test_issue(dir.path(), "languages", 1, 2, 2);
    let toml = fs::read_to_string(folder.join("issue.toml")).unwrap();
    let toml = toml.replace("id = \"a1\"\n", "id = \"a1\"\nlanguage = \"fr\"\n");
    fs::write(folder.join("issue.toml"), toml).unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let pdf = dir.path().join("languages.pdf");
    export(&archive, "languages", &pdf);
    let Some(report) = assert_tagged(&pdf) else {
        return;
    };
    assert_eq!(report["lang"], "en");
    assert_eq!(report["langs"], serde_json::json!(["Sect:fr"]));
}

/// A change of language inside the text (`<span lang>` as import-web keeps it, an HTML
/// paragraph's `lang`) is declared on a Span, as PDF/UA asks; the article's own is not.
#[test]
fn a_change_of_language_in_the_text_is_a_span_with_its_language() {
    let dir = tempfile::tempdir().unwrap();
    let body = "The motto, <span lang=\"fr\">liberté, <em>égalité</em></span>, and <span lang=\"en\">English</span> again.\n\n<p lang=\"de\">Ein Absatz auf Deutsch.</p>\n";
    let archive = issue_archive(dir.path(), "motto", "en", &[("a", "Motto", body)]);
    let pdf = dir.path().join("motto.pdf");
    export(&archive, "motto", &pdf);
    let Some(report) = assert_tagged(&pdf) else {
        return;
    };
    assert_eq!(report["lang"], "en");
    assert_eq!(report["langs"], serde_json::json!(["Span:fr", "Span:de"]));
    words_in_order(
        tree_text(&report),
        &["motto,", "liberté,", "égalité", "English", "Ein", "Absatz"],
    )
    .unwrap();
}

#[test]
fn a_cjk_issue_is_tagged() {
    let dir = tempfile::tempdir().unwrap();
    let Some(pdf) = cjk_pdf(dir.path()) else {
        return;
    };
    let Some(report) = assert_tagged(&pdf) else {
        return;
    };
    let text: String = tree_text(&report).split_whitespace().collect();
    assert!(
        text.contains("经过一年的修缮，海港入口处的老灯塔于本周六重新向游客开放。"),
        "{text}"
    );
}

/// The project's checks fail a PDF whose running heads are not artifacts, or whose content
/// has an MCID no element refers to (the sample, uncompressed by qpdf and changed in place).
#[test]
fn an_untagged_running_head_or_a_stray_mcid_fails_the_checks() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("sample.pdf");
    export(&repo().join("archive"), "beijing-review-sample", &pdf);
    if !tools(&["qpdf"]) || tool("pdfua").is_none() {
        return;
    }
    let open = dir.path().join("open.pdf");
    let (ok, out) = tool_output(
        Command::new(checked_tool("qpdf"))
            .args(["--qdf", "--object-streams=disable"])
            .arg(&pdf)
            .arg(&open),
    );
    assert!(ok, "{out}");
    let bytes = fs::read(&open).unwrap();
    assert_eq!(
        pdf_structure(&open).unwrap()["errors"],
        Value::Array(Vec::new())
    );
    let broken = |from: &str, to: &str, name: &str| -> Vec<String> {
        let changed = replace_first(&bytes, from.as_bytes(), to.as_bytes());
        let path = dir.path().join(name);
        fs::write(&path, changed).unwrap();
        let report = pdf_structure(&path).unwrap();
        let errors = report["errors"].as_array().unwrap();
        errors
            .iter()
            .map(|e| e.as_str().unwrap().to_string())
            .collect()
    };
    let untagged = broken("/Artifact", "/Spanxxxx", "untagged.pdf");
    assert!(
        untagged
            .iter()
            .any(|e| e.contains("outside an artifact or tagged content")),
        "{untagged:?}"
    );
    let stray = broken("/MCID 0", "/MCID 9", "stray.pdf");
    assert!(
        stray.iter().any(|e| e.contains("is in no element")),
        "{stray:?}"
    );
}

/// `bytes` with the first `from` (of the same length) replaced by `to`.
fn replace_first(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("the text to replace");
    let mut changed = bytes.to_vec();
    changed[at..at + to.len()].copy_from_slice(to);
    changed
}

/// A table long enough to break repeats its header as page furniture: the header's link is
/// one Link element, as in a table that does not break.
#[test]
fn a_repeated_table_header_adds_no_link() {
    let dir = tempfile::tempdir().unwrap();
    let table = |rows: usize| {
        let mut table = "| [Year](https://example.org/years) | Issues |\n|---|---|\n".to_string();
        for row in 0..rows {
            table.push_str(&format!("| {} | {} |\n", 1900 + row, row % 12));
        }
        table
    };
    let mut links = Vec::new();
    for (id, rows) in [("short", 3), ("long", 240)] {
        let archive = crate::export_pdf::issue_archive(
            &dir.path().join(id),
            id,
            "en",
            &[("a", "A Table", &table(rows))],
        );
        let pdf = dir.path().join(format!("{id}.pdf"));
        export(&archive, id, &pdf);
        let Some(report) = assert_tagged(&pdf) else {
            return;
        };
        if id == "long" {
            let pages = report["fonts"].as_array().map_or(0, Vec::len);
            assert!(pages >= 5, "the long table breaks: {pages} pages");
        }
        links.push(count(&report, "Link"));
    }
    assert_eq!(links[0], links[1], "Link elements, short and long table");
}

/// An issue of many pages, links and notes: its parent tree, its ID tree and its page tree
/// are trees of kids (PDF/A-1 caps an array at 8,191 elements, so one flat array cannot hold
/// a long issue's), and through them every MCID and every link finds its element, every note
/// its ID; no array of the file is longer than PDF 1.4 allows; Preflight finds it valid.
#[test]
fn a_long_issue_has_its_parent_id_and_page_trees_in_kids_that_find_every_element() {
    let dir = tempfile::tempdir().unwrap();
    let mut bodies = Vec::new();
    for a in 0..36 {
        let mut body = format!(
            "{}\n\nSee [the source](https://example.org/{a}) of it.\n",
            prose(a, 240)
        );
        if a == 0 {
            // More notes than a leaf of the ID tree holds.
            for n in 1..=40 {
                body.push_str(&format!("\nA sentence with note {n}.[^{n}]\n"));
            }
            for n in 1..=40 {
                body.push_str(&format!("\n[^{n}]: Note number {n}.\n"));
            }
        }
        bodies.push((format!("a{a}"), format!("Article {a}"), body));
    }
    let articles: Vec<(&str, &str, &str)> = bodies
        .iter()
        .map(|(id, title, body)| (id.as_str(), title.as_str(), body.as_str()))
        .collect();
    let archive = crate::export_pdf::issue_archive(dir.path(), "trees", "en", &articles);
    let pdf = dir.path().join("trees.pdf");
    let again = dir.path().join("trees-again.pdf");
    export(&archive, "trees", &pdf);
    export(&archive, "trees", &again);
    assert_eq!(fs::read(&pdf).unwrap(), fs::read(&again).unwrap());
    assert_pdfa_valid(&pdf);
    let Some(report) = assert_tagged(&pdf) else {
        return;
    };
    let trees = &report["trees"];
    for tree in ["parent", "id", "pages"] {
        assert!(trees[tree].as_u64().unwrap() >= 1, "{tree}: {trees}");
    }
    // Each note's call links to it (`pdf_structure.py` checks where each goes).
    assert_eq!(count(&report, "Note"), 40, "{}", report["counts"]);
    assert_eq!(count(&report, "Reference"), 40, "{}", report["counts"]);
    assert!(
        count(&report, "Link") >= 36 + 36 + 40,
        "{}",
        report["counts"]
    );
}

/// A code line too long for its column goes on under a continuation mark that is a layout
/// artifact with no text of its own: neither pdftotext nor the structure tree gives the mark,
/// and the line's pieces, joined, are the line as written.
#[test]
fn a_code_lines_continuation_mark_is_an_artifact_left_out_of_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let line = "let answer = some_function_with_a_long_name(argument_number_one, argument_number_two, argument_number_three);";
    let body = format!("Some code:\n\n```\n{line}\n```\n");
    let archive =
        crate::export_pdf::issue_archive(dir.path(), "wrapped", "en", &[("a", "Code", &body)]);
    let pdf = dir.path().join("wrapped.pdf");
    export(&archive, "wrapped", &pdf);
    if !tools(&["pdftotext"]) {
        return;
    }
    let text = crate::export_pdf::pdftotext(&pdf, None);
    let joined: String = text.lines().collect();
    assert!(joined.contains(line), "{text}");
    assert!(!text.contains('→'), "{text}");
    let Some(report) = assert_tagged(&pdf) else {
        return;
    };
    let tree: String = tree_text(&report).lines().collect();
    assert!(tree.contains(line), "{tree}");
    assert!(!tree.contains('→'), "{tree}");
}

/// An indented code line that wraps goes on under its own indentation (after the mark), so a
/// reader still sees the code's structure: the continuation's first word starts right of the
/// line's first word, and right of the unindented line above it.
#[test]
fn a_wrapped_code_line_hangs_under_its_own_indentation() {
    let dir = tempfile::tempdir().unwrap();
    let line = "        total = sum(value for value in argument_number_one if value > threshold_value_two)";
    let body = format!("Some code:\n\n```\ndef f():\n{line}\n```\n");
    let archive =
        crate::export_pdf::issue_archive(dir.path(), "hang", "en", &[("a", "Code", &body)]);
    let pdf = dir.path().join("hang.pdf");
    export(&archive, "hang", &pdf);
    if !tools(&["pdftotext"]) {
        return;
    }
    let words = crate::export_pdf::bbox_words(&pdf);
    let x = |word: &str| {
        words
            .iter()
            .find(|(w, _)| w.starts_with(word))
            .unwrap_or_else(|| panic!("no `{word}` in {words:?}"))
            .1
    };
    let continuation = line.split_whitespace().last().unwrap();
    assert!(x("total") > x("def") + 10.0, "{words:?}");
    assert!(x(continuation) > x("total") + 5.0, "{words:?}");
}

/// A paragraph of more than 4,096 links holds more kids (its text between the links, and
/// each Link) than an array of PDF 1.4 can: they are grouped (NonStruct), the parent tree of
/// its thousands of annotations is two levels of kids, and every MCID and link still finds
/// its element; Preflight finds it valid.
#[test]
fn a_paragraph_of_thousands_of_links_keeps_its_arrays_short_and_valid() {
    let dir = tempfile::tempdir().unwrap();
    let links: Vec<String> = (0..4200)
        .map(|i| format!("see [{i}](https://example.org/{i})"))
        .collect();
    let body = format!("A paragraph of links: {}.\n", links.join(" "));
    let archive =
        crate::export_pdf::issue_archive(dir.path(), "links", "en", &[("a", "Links", &body)]);
    let pdf = dir.path().join("links.pdf");
    export(&archive, "links", &pdf);
    assert_pdfa_valid(&pdf);
    let Some(report) = assert_tagged(&pdf) else {
        return;
    };
    assert_eq!(count(&report, "NonStruct"), 2, "{}", report["counts"]);
    assert!(count(&report, "Link") > 4200, "{}", report["counts"]);
    assert_eq!(report["trees"]["parent"], 2, "{}", report["trees"]);
    // Every link's text in order, from the tree alone.
    let numbers: Vec<String> = (0..4200).map(|i| i.to_string()).collect();
    let words: Vec<&str> = numbers.iter().flat_map(|n| ["see", n.as_str()]).collect();
    words_in_order(tree_text(&report), &words).unwrap();
}

/// An HTML table is tagged as a Markdown one: its Caption first, a TR per row, TH with
/// /Scope (Column in the header rows, Row for a row header), TD, and a cell spanning columns
/// or rows saying so (/ColSpan, /RowSpan in its /Table attributes); pdfua, the project's
/// checks and PDFBox Preflight find nothing, and the export is byte-reproducible.
#[test]
fn an_html_tables_caption_header_rows_and_spans_are_tagged() {
    let dir = tempfile::tempdir().unwrap();
    let archive = issue_archive(dir.path(), "votes", "en", &[("a", "Votes", VOTES)]);
    let (pdf, again) = (dir.path().join("votes.pdf"), dir.path().join("again.pdf"));
    export(&archive, "votes", &pdf);
    export(&archive, "votes", &again);
    assert!(
        fs::read(&pdf).unwrap() == fs::read(&again).unwrap(),
        "two exports differ"
    );
    assert_pdfa_valid(&pdf);
    let Some(report) = assert_tagged(&pdf) else {
        return;
    };
    let cells = |row: &[&str]| Value::from(row.to_vec());
    let expected = Value::from(vec![
        Value::from("Caption"),
        cells(&["TH Column 1x2", "TH Column 2x1"]),
        cells(&["TH Column 1x1", "TH Column 1x1"]),
        cells(&["TD - 1x1", "TD - 1x1", "TD - 1x1"]),
        cells(&["TD - 1x1", "TD - 1x1", "TD - 1x1"]),
        cells(&["TH Row 1x1", "TD - 2x1"]),
    ]);
    assert_eq!(report["tables"], Value::from(vec![expected]));
    words_in_order(
        tree_text(&report),
        &[
            "How",
            "the",
            "councillors",
            "voted",
            "Party",
            "Vote",
            "For",
            "Against",
            "Harbour",
            "First",
            "5",
            "0",
            "Independent",
            "members",
            "4",
            "4",
            "Total",
            "13",
            "votes,",
            "carried",
            "After",
        ],
    )
    .unwrap();
}
