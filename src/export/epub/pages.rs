//! Print page numbers: the pages of the default PDF edition of the same version (A4, two
//! columns, the default fonts), found by running the PDF composer's layout without writing a
//! PDF, marked in the articles where each page begins (`epub:type="pagebreak"`,
//! `role="doc-pagebreak"`) and listed in a `page-list` nav. Only pages that hold article text have a counterpart: the
//! cover, the contents and the colophon have none.
//!
//! A page's place in an article is found by its text, letters and digits compared (so that
//! hyphenation, spacing and inline markup do not matter): as much of the article's text as the
//! pages before it hold, then the page's first line found nearest that point (a text of few
//! words repeats its lines; a figure's caption, a footnote or a list's numbers shift the count
//! a little). The marker goes before the word that line begins with, and before the block
//! (paragraph, heading, list…) when the line begins one.

use super::escape;
use crate::export::pdf::compose::{self, Composition, Item, Role};
use crate::export::pdf::{Layout, Paper, DEFAULT_COLUMNS};
use crate::export::{pdf_fonts, Edition};
use crate::model::body::BLOCK_ELEMENTS;
use crate::model::Issue;
use std::collections::BTreeMap;
use unicode_linebreak::{break_property, BreakClass};

/// A page of the PDF edition that holds article text.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfPage {
    /// Its number (1-based, as printed on it).
    pub number: usize,
    pub article: String,
    /// Whether the article begins on it.
    pub opens: bool,
    /// The letters and digits of the article's text on the pages before it.
    pub before: usize,
    /// The lines of the article's text set on it, in the order set; then its captions (a
    /// figure may float away from its place in the text, so a caption is used only when the
    /// page holds nothing else).
    pub texts: Vec<String>,
}

/// The edition the page numbers follow, as the package names it.
pub fn source(edition: &Edition) -> String {
    format!(
        "{} {}, PDF edition (A4, {DEFAULT_COLUMNS} columns)",
        edition.object_id, edition.version
    )
}

/// The pages of the default PDF edition that hold article text, by article id; or why the
/// layout cannot run.
pub fn pdf_pages(
    edition: &Edition,
    quire_version: &str,
) -> Result<BTreeMap<String, Vec<PdfPage>>, String> {
    let mut pages: BTreeMap<String, Vec<PdfPage>> = BTreeMap::new();
    for page in composed_pages(edition, quire_version)? {
        pages.entry(page.article.clone()).or_default().push(page);
    }
    Ok(pages)
}

/// The one place the book meets the PDF composer (with [`article_starts`] beside it): the
/// edition set as `export pdf` sets it by default, and each page holding article text with
/// its article and its lines.
fn composed_pages(edition: &Edition, quire_version: &str) -> Result<Vec<PdfPage>, String> {
    // No page numbers of a PDF edition that `export pdf` refuses to make.
    crate::export::pdf::check_scripts(edition).map_err(|e| e.to_string())?;
    let fonts = pdf_fonts(edition, None).map_err(|e| e.to_string())?;
    let sizes = crate::export::pdf::natural_sizes(&edition.images);
    let layout = Layout {
        paper: Paper::A4,
        columns: DEFAULT_COLUMNS,
    };
    let composition = compose::compose(edition, &fonts, layout, quire_version, &sizes);
    let starts = article_starts(&composition, &edition.issue)?;
    let colophon = composition.outline.last().map_or(0, |mark| mark.page);
    let mut pages = Vec::new();
    for (i, (article, start)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(colophon, |(_, next)| *next);
        let mut before = 0;
        for index in *start..end.min(composition.pages.len()) {
            let lines = |wanted: &dyn Fn(Role) -> bool| {
                let items = composition.pages[index].items.iter();
                items
                    .filter_map(|item| match item {
                        Item::Text { text, role, .. } if wanted(*role) => Some(text.clone()),
                        _ => None,
                    })
                    .collect::<Vec<String>>()
            };
            // Running heads and folios are not the article's; footnotes stand at the foot.
            let mut texts =
                lines(&|role| !matches!(role, Role::Artifact | Role::Note | Role::Caption));
            let body: usize = texts.iter().map(|t| comparable(t).len()).sum();
            texts.extend(lines(&|role| role == Role::Caption));
            pages.push(PdfPage {
                number: index + 1,
                article: article.to_string(),
                opens: index == *start,
                before,
                texts,
            });
            before += body;
        }
    }
    Ok(pages)
}

/// Each article's first page, from the outline: the contents first, the colophon last, each
/// named section's articles under it.
fn article_starts<'i>(
    composition: &Composition,
    issue: &'i Issue,
) -> Result<Vec<(&'i str, usize)>, String> {
    let outline = &composition.outline;
    let unmatched = || "the PDF layout's outline does not match the issue".to_string();
    let mut marks = outline
        .get(1..outline.len().saturating_sub(1))
        .ok_or_else(unmatched)?
        .iter();
    let mut starts = Vec::new();
    for section in &issue.sections {
        if section.name.is_some() {
            let mark = marks.next().ok_or_else(unmatched)?;
            if mark.children.len() != section.articles.len() {
                return Err(unmatched());
            }
            let pages = mark.children.iter().map(|m| m.page);
            starts.extend(section.articles.iter().map(|a| a.id.as_str()).zip(pages));
        } else {
            for article in &section.articles {
                starts.push((
                    article.id.as_str(),
                    marks.next().ok_or_else(unmatched)?.page,
                ));
            }
        }
    }
    Ok(starts)
}

/// A page-break marker for page `number`.
fn marker(number: usize) -> String {
    format!("<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-{number}\" aria-label=\"{number}\" title=\"{number}\"/>")
}

/// The `page-list` nav: each page and the document its marker is in.
pub fn page_list(entries: &[(usize, String)]) -> String {
    let mut nav = String::from("  <nav epub:type=\"page-list\" role=\"doc-pagelist\" aria-label=\"Pages\" hidden=\"hidden\">\n    <ol>\n");
    for (number, file) in entries {
        nav.push_str(&format!(
            "      <li><a href=\"{}#page-{number}\">{number}</a></li>\n",
            escape(file)
        ));
    }
    nav.push_str("    </ol>\n  </nav>\n");
    nav
}

/// An article's document (`<article>…</article>`) with a marker where each of `pages` begins.
pub fn mark(article: &str, pages: &[PdfPage]) -> String {
    let index = TextIndex::new(article);
    let opening = article
        .find("<article>")
        .map_or(0, |at| at + "<article>".len());
    // The text searched from, and the place of the last marker.
    let (mut from, mut last) = (0, opening);
    let mut places = Vec::new();
    for page in pages {
        let place = if page.opens {
            opening
        } else {
            // Where the page's first line is nearest the point the earlier pages reach, or
            // else that point.
            let expected = page.before.max(from);
            let found = index.find(&page.texts, from, expected);
            match found.or((expected < index.chars.len()).then_some(expected)) {
                Some(found) => {
                    from = found + 1;
                    place_before(article, index.offsets[found])
                }
                None => last,
            }
        };
        last = place.max(last);
        places.push((last, marker(page.number)));
    }
    let mut out = article.to_string();
    for (at, marker) in places.iter().rev() {
        out.insert_str(*at, marker);
    }
    out
}

/// The place for a marker before the text at `at`: before the word it is in (ideographs are
/// words of their own) and the opening quotes or brackets before that, and before the blocks
/// the text begins.
fn place_before(xhtml: &str, mut at: usize) -> usize {
    let class = |c: char| break_property(c as u32);
    let in_word = |c: char| {
        c.is_alphanumeric()
            && !matches!(
                class(c),
                BreakClass::Ideographic | BreakClass::ConditionalJapaneseStarter
            )
    };
    let opening = |c: char| {
        matches!(
            class(c),
            BreakClass::OpenPunctuation | BreakClass::Quotation
        )
    };
    for belongs in [&in_word as &dyn Fn(char) -> bool, &opening] {
        while let Some(c) = xhtml[..at].chars().next_back().filter(|c| belongs(*c)) {
            at -= c.len_utf8();
        }
    }
    let mut best = at;
    loop {
        let before = xhtml[..at].trim_end();
        let Some(open) = before.ends_with('>').then(|| before.rfind('<')).flatten() else {
            break;
        };
        let tag = &before[open..];
        if tag.starts_with("</") || tag.starts_with("<!") || tag.ends_with("/>") {
            break;
        }
        let name = tag[1..]
            .split(|c: char| c.is_whitespace() || c == '>')
            .next()
            .unwrap_or("");
        if name == "article" {
            break;
        }
        at = open;
        // A marker goes before the block that the page begins with the text of.
        if BLOCK_ELEMENTS.contains(&name) {
            best = open;
        }
    }
    best
}

/// Letters and digits, lowercased: what a line of the PDF and the document are compared by.
fn comparable(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The comparable text of a document, each character with the byte where it begins (tags and
/// character references are not text).
struct TextIndex {
    chars: Vec<char>,
    offsets: Vec<usize>,
}

impl TextIndex {
    fn new(xhtml: &str) -> TextIndex {
        let (mut chars, mut offsets) = (Vec::new(), Vec::new());
        let (mut in_tag, mut in_reference) = (false, false);
        for (at, c) in xhtml.char_indices() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                '&' if !in_tag => in_reference = true,
                ';' if in_reference => in_reference = false,
                _ if in_tag || in_reference || !c.is_alphanumeric() => {}
                _ => {
                    for lower in c.to_lowercase() {
                        chars.push(lower);
                        offsets.push(at);
                    }
                }
            }
        }
        TextIndex { chars, offsets }
    }

    /// Where, at or after `from` and nearest `expected`, the first of `lines` that the text
    /// holds begins: each whole line first (up to 60 characters), then each line's first 16.
    fn find(&self, lines: &[String], from: usize, expected: usize) -> Option<usize> {
        let needles: Vec<Vec<char>> = lines
            .iter()
            .map(|l| comparable(l))
            .filter(|n| n.len() >= 4)
            .collect();
        for limit in [60, 16] {
            for needle in &needles {
                let needle = &needle[..needle.len().min(limit)];
                let nearest = self
                    .chars
                    .get(from..)
                    .into_iter()
                    .flat_map(|rest| rest.windows(needle.len()).enumerate())
                    .filter(|(_, window)| *window == needle)
                    .map(|(at, _)| from + at)
                    .min_by_key(|at| at.abs_diff(expected));
                if nearest.is_some() {
                    return nearest;
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_contains_all;

    fn page(number: usize, opens: bool, texts: &[&str]) -> PdfPage {
        PdfPage {
            number,
            article: "a".into(),
            opens,
            before: 0,
            texts: texts.iter().map(|t| t.to_string()).collect(),
        }
    }

    /// Asserts that `article` marked at `pages` holds `expected`.
    #[track_caller]
    fn assert_marked(article: &str, pages: &[PdfPage], expected: &str) {
        assert_contains_all(&mark(article, pages), &[expected]);
    }

    #[test]
    fn a_marker_goes_before_the_word_and_the_block_a_page_begins_with() {
        let article = "<article>\n<h1>Title</h1>\n<p>One two <em>three</em> continuation four.</p>\n<p>Then “(quoted)” here.</p>\n<h2 id=\"h-1\">Part</h2>\n<p>Five.</p>\n<ul>\n<li>Item one</li>\n<li>Item two</li>\n</ul>\n</article>\n";
        let pages = [
            page(3, true, &["Title"]),
            // A page that begins in the middle of a hyphenated word.
            page(4, false, &["uation four. Then", "Running head", "4"]),
            page(5, false, &["“(quoted)” here."]),
            page(6, false, &["Part", "Five."]),
            // A list marker is not text the document holds.
            page(7, false, &["•", "Item two"]),
        ];
        let marked = mark(article, &pages);
        assert_eq!(
            marked,
            format!(
                "<article>{}\n<h1>Title</h1>\n<p>One two <em>three</em> {}continuation four.</p>\n<p>Then {}“(quoted)” here.</p>\n{}<h2 id=\"h-1\">Part</h2>\n<p>Five.</p>\n<ul>\n<li>Item one</li>\n<li>{}Item two</li>\n</ul>\n</article>\n",
                marker(3),
                marker(4),
                marker(5),
                marker(6),
                marker(7)
            )
        );
    }

    #[test]
    fn a_page_that_holds_only_a_figure_is_marked_at_its_caption() {
        let article = "<article>\n<p>Before.</p>\n<figure><img src=\"images/x.png\" alt=\"X\"/><figcaption>Caption</figcaption></figure>\n</article>";
        assert_marked(
            article,
            &[page(9, false, &["Caption"])],
            &format!("<figcaption>{}Caption", marker(9)),
        );
    }

    #[test]
    fn a_line_that_repeats_is_found_nearest_where_the_earlier_pages_end() {
        let article = "<article>\n<p>Alpha beta gamma delta alpha beta gamma delta alpha beta.</p>\n</article>";
        let second = PdfPage {
            before: "alphabetagammadelta".len(),
            ..page(2, false, &["alpha beta gamma"])
        };
        assert_marked(
            article,
            &[second],
            &format!("delta {}alpha beta gamma delta alpha", marker(2)),
        );
    }

    #[test]
    fn a_page_whose_text_is_not_found_is_marked_where_the_last_one_was() {
        let article =
            "<article>\n<p>Alpha beta gamma.</p>\n<p>Delta &amp; epsilon.</p>\n</article>";
        let pages = [
            page(2, false, &["Delta & epsi-"]),
            page(3, false, &["Image not in this edition"]),
        ];
        assert_marked(
            article,
            &pages,
            &format!("</p>\n{}{}<p>Delta", marker(2), marker(3)),
        );
    }

    #[test]
    fn in_chinese_a_page_may_begin_inside_a_run_of_ideographs() {
        let article = "<article>\n<p>灯塔守护者的故事。他每天晚上点灯。</p>\n</article>";
        assert_marked(
            article,
            &[page(7, false, &["他每天晚上点灯。"])],
            &format!("故事。{}他每天", marker(7)),
        );
    }

    #[test]
    fn the_page_list_names_each_page_and_its_document() {
        let nav = page_list(&[(3, "a-x.xhtml".into()), (4, "a-x.xhtml".into())]);
        assert!(nav.contains("<nav epub:type=\"page-list\" role=\"doc-pagelist\""));
        assert!(nav.contains("<li><a href=\"a-x.xhtml#page-4\">4</a></li>"));
    }
}
