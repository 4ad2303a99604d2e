//! The lines that sign an article off (`Editor: Wu Yan`, `Source: Xinhua`, `（责编：王震）`)
//! where a page sets them just outside the text's container, in the next row or box: the
//! article's, kept at its end rather than lost with the page's furniture. One that a line of
//! links (a toolbar's, a related story's) parts from the text is named, not kept.

use super::convert::{attr_has, clean};
use crate::ingest::web::Block;
use crate::model::body::plain_text;
use dom_query::{Document, NodeRef};

/// Labels of the lines that sign an article off (`Editor: Zhang Yiyi`, `Source: Xinhua`,
/// `责任编辑：王震`): the article's, kept with its text.
const SIGNATURES: [&str; 25] = [
    "editor",
    "editors",
    "edited by",
    "web editor",
    "editor in charge",
    "chief editor",
    "出处",
    "copy editor",
    "source",
    "sources",
    "reporting by",
    "written by",
    "translated by",
    "translator",
    "compiled by",
    "contributor",
    "contributors",
    "来源",
    "來源",
    "责任编辑",
    "責任編輯",
    "责编",
    "编辑",
    "編輯",
    "原标题",
];

/// A line that signs the article off: one of [`SIGNATURES`], a colon and a few words, or one
/// of [`SIGNED_BY`].
pub fn is_signature(line: &str) -> bool {
    let line = line.trim();
    let line = match (line.strip_prefix(['(', '（']), line.ends_with([')', '）'])) {
        (Some(inner), true) => inner.trim_end_matches([')', '）']),
        _ => line,
    };
    if signed_without_colon(line) {
        return true;
    }
    let Some((label, value)) = line.split_once([':', '：']) else {
        return false;
    };
    let value = value.trim();
    SIGNATURES.contains(&label.trim().to_lowercase().as_str())
        && !value.is_empty()
        && value.split_whitespace().count() <= 8
        && value.chars().count() <= 60
}

/// Openings of a sign-off written without a colon (`Copyedited by Elsbeth van Paridon`,
/// `Comments to lixiaoyang@example.com`, as Beijing Review signs its articles).
const SIGNED_BY: [&str; 7] = [
    "copyedited by ",
    "copy-edited by ",
    "edited by ",
    "translated by ",
    "compiled by ",
    "reporting by ",
    "comments to ",
];

/// A sign-off of [`SIGNED_BY`]'s and a few words (an address, for `Comments to`).
fn signed_without_colon(line: &str) -> bool {
    let lower = line.to_lowercase();
    let Some(opening) = SIGNED_BY.iter().find(|o| lower.starts_with(*o)) else {
        return false;
    };
    let value = &line[opening.len()..];
    let words = value.split_whitespace().count();
    let fits = (1..=8).contains(&words) && value.chars().count() <= 60 && !value.ends_with('.');
    fits && (*opening != "comments to " || value.contains('@'))
}

/// How many of the text's containers are looked after.
const LEVELS: usize = 4;

/// The sign-off lines that follow the text in the page, outside what the body holds.
#[derive(Debug, Default, PartialEq)]
pub struct AfterText {
    /// Those right after the text (a page bar may stand between): the article's.
    pub kept: Vec<String>,
    /// One right after a line of links that follows the text (`Print | Close`, a related
    /// story's link), and that line's text: likely the article's, but the links part it from
    /// the text, so it is named rather than kept. One after a heading is another item's as
    /// likely as this article's (a teaser and its source), and is not named.
    pub past_links: Option<(String, String)>,
}

/// The sign-off lines that follow the text's last paragraph in `whole` outside what the body
/// holds (`blocks`): in the elements after the paragraph's container, or after one of its
/// containers, up to the first element of text or a link list (and the one right after a
/// line of links, apart).
pub fn after_text(whole: &Document, blocks: &[Block]) -> AfterText {
    let mut found = AfterText::default();
    let Some(last) = blocks.iter().rev().find_map(paragraph_text) else {
        return found;
    };
    let tail: String = {
        let chars: Vec<char> = last.chars().collect();
        chars[chars.len().saturating_sub(40)..].iter().collect()
    };
    // The innermost element holding the tail: down from the body, into the child that holds it.
    let holds = |n: &NodeRef| clean(&n.text()).contains(tail.as_str());
    let Some(mut node) = whole.select("body").nodes().first().copied().filter(holds) else {
        return found;
    };
    while let Some(child) = node.element_children().into_iter().find(holds) {
        node = child;
    }
    let shown: Vec<String> = blocks.iter().filter_map(paragraph_text).collect();
    for _ in 0..LEVELS {
        if signatures_after(&node, &shown, &mut found) {
            break;
        }
        match node.parent().filter(|p| p.is_element()) {
            Some(parent) => node = parent,
            None => break,
        }
    }
    found
}

/// The sign-off lines in the elements right after `node` (into `found`): a page bar may
/// stand between; anything else (a heading, a link, a picture, a box of the site's, a line
/// that signs nothing) ends the looking, and true says so.
fn signatures_after(node: &NodeRef, shown: &[String], found: &mut AfterText) -> bool {
    let mut next = node.next_element_sibling();
    while let Some(sibling) = next {
        next = sibling.next_element_sibling();
        let text = clean(&sibling.text());
        if text.is_empty() && !holds_any(&sibling, PICTURES) {
            continue;
        }
        if super::super::text::is_page_bar(&text) {
            continue;
        }
        // A toolbar's button before the line: `【纠错】 责任编辑： 王京`.
        let Some(line) = signature(&sibling, shown) else {
            found.past_links = signature_past_links(&sibling, shown);
            return true;
        };
        if !line.is_empty() && !found.kept.contains(&line) {
            found.kept.push(line);
        }
    }
    false
}

/// The sign-off line an element is (without a toolbar's buttons), or an empty one where the
/// body shows it already; `None` for anything else.
fn signature(node: &NodeRef, shown: &[String]) -> Option<String> {
    let text = clean(&node.text());
    // A toolbar's button before the line: `【纠错】 责任编辑： 王京`.
    let line = strip_buttons(&text);
    let plain = !holds_any(node, MARKUP_OF_OTHERS) && !is_site_box(node);
    if !(plain && is_signature(line)) {
        return None;
    }
    let shown = shown.iter().any(|s| s.contains(line));
    Some(if shown {
        String::new()
    } else {
        line.to_string()
    })
}

/// The sign-off line right after `links` when that is a line of links and nothing else (no
/// heading, picture, table or list, no box of the site's, a few words), with the links' text.
fn signature_past_links(links: &NodeRef, shown: &[String]) -> Option<(String, String)> {
    let text = clean(&links.text());
    let linked: usize = links
        .descendants_it()
        .filter(|d| d.has_name("a"))
        .map(|a| words(&a.text()))
        .sum();
    let only_links = linked > 0 && linked == words(&text) && linked <= LINK_LINE_WORDS;
    let other = links.has_name("a") || holds_any(links, NOT_A_LINK_LINE) || is_site_box(links);
    if !only_links || other {
        return None;
    }
    let mut next = links.next_element_sibling();
    while let Some(sibling) = next.filter(|s| clean(&s.text()).is_empty()) {
        next = sibling.next_element_sibling();
    }
    let line = signature(&next?, shown).filter(|l| !l.is_empty())?;
    Some((line, text))
}

/// The most words a line of links between the text and a sign-off holds.
const LINK_LINE_WORDS: usize = 12;

/// Elements a line of links between the text and a sign-off does not hold.
const NOT_A_LINK_LINE: &[&str] = &[
    "h1", "h2", "h3", "h4", "h5", "h6", "img", "picture", "svg", "canvas", "iframe", "video",
    "figure", "table", "ul", "ol",
];

/// The words of a text: runs holding a letter or digit (`|` and `»` are none).
fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Elements that show a picture or a player.
const PICTURES: &[&str] = &[
    "img", "picture", "svg", "canvas", "iframe", "video", "figure",
];

/// Elements a sign-off line does not hold: another story's heading or link, a picture.
const MARKUP_OF_OTHERS: &[&str] = &[
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "img", "picture", "svg", "canvas", "iframe", "video",
    "figure", "table", "ul", "ol",
];

/// Words of the classes and ids of the site's own boxes (its staff, an advertisement).
const SITE_BOXES: [&str; 9] = [
    "staff", "masthead", "footer", "contact", "about", "promo", "sponsor", "advert", "related",
];

/// Whether `node` or an element in it is one of `names`.
fn holds_any(node: &NodeRef, names: &[&str]) -> bool {
    node.descendants_it().chain([*node]).any(|d| {
        d.node_name()
            .is_some_and(|n| names.contains(&n.to_ascii_lowercase().as_str()))
    })
}

/// Whether `node` is classed or named as one of the site's own boxes.
fn is_site_box(node: &NodeRef) -> bool {
    attr_has(node, "class", &SITE_BOXES) || attr_has(node, "id", &SITE_BOXES)
}

/// A line without the bracketed buttons before it (`【纠错】`, `[Print]`).
fn strip_buttons(text: &str) -> &str {
    let mut line = text.trim();
    while let Some(close) = line
        .strip_prefix(['【', '['])
        .and_then(|rest| rest.find(['】', ']']).map(|at| (rest, at)))
    {
        let (rest, at) = close;
        let width = rest[at..].chars().next().map_or(1, char::len_utf8);
        line = rest[at + width..].trim_start();
    }
    line
}

/// A block's text, where it is a paragraph of the text's.
fn paragraph_text(block: &Block) -> Option<String> {
    match block {
        Block::Paragraph { text } => Some(clean(text)),
        Block::Markdown { text } => Some(clean(&plain_text(text))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_accepts_only;

    fn paragraph(text: &str) -> Block {
        Block::Paragraph { text: text.into() }
    }

    #[test]
    fn a_sign_off_in_the_next_row_or_box_after_the_text_is_the_article_s_and_a_staff_box_is_not() {
        let text = "We must make sure they are better off, said the official of the project.";
        let old = Document::from(format!(
            "<table><tr><td class=\"content\"><font>{text}<br></font></td></tr>\
             <tr><td align=\"right\"><font>Editor: Wu Yan</font></td></tr>\
             <tr><td><b>Related Stories</b><br><a href=\"a\">Canal Route Approved</a></td></tr></table>"
        ));
        assert_eq!(
            after_text(&old, &[paragraph(text)]).kept,
            ["Editor: Wu Yan"]
        );
        let new = Document::from(format!(
            "<div id=\"content\"><p>{text}</p></div>\
             <div id=\"div_currpage\"><a href=\"1\">1</a> <a href=\"2\">2</a></div>\
             <div class=\"p-jc\">【纠错】 责任编辑： 王京</div>"
        ));
        assert_eq!(
            after_text(&new, &[paragraph(text)]).kept,
            ["责任编辑： 王京"]
        );
        // Already in the text; a staff box of many lines; a sign-off past the next story.
        let kept = Document::from(format!(
            "<div><p>{text}</p><p>Source: Xinhua</p></div><p>Source: Xinhua</p>"
        ));
        let body = [paragraph(text), paragraph("Source: Xinhua")];
        assert_eq!(after_text(&kept, &body), AfterText::default());
        let staff = Document::from(format!(
            "<div><p>{text}</p></div><div>Editor: Ann Lee Deputy editor: Bo Chan Art director: \
             Cy Dunn Publisher: Harbour Press Ltd</div>\
             <div><p>The next story of the page, long enough to be a paragraph of its own text.</p></div>\
             <div>Editor: Someone Else</div>"
        ));
        assert_eq!(after_text(&staff, &[paragraph(text)]), AfterText::default());
        // Other stories' titles and sign-offs, a chart and its source, a box of the site's.
        for after in [
            "<h3><a href=\"/ferry\">Ferry fares rise</a></h3><p>Source: Reuters</p>",
            "<p><img src=\"chart.png\"></p><p>Source: National Audit Office</p>",
            "<div class=\"staff\">Editor: Margaret Ellis</div>",
            "<p>Photographs: Ana Lopes</p><p>Sources: Harbour Trust brochure</p>",
            "<p>Editor: <a href=\"/staff/ann\">Ann Lee</a></p>",
        ] {
            let page = Document::from(format!("<div><p>{text}</p></div>{after}"));
            let found = after_text(&page, &[paragraph(text)]);
            assert_eq!(found, AfterText::default(), "{after}");
        }
    }

    #[test]
    fn a_sign_off_right_after_a_line_of_links_below_the_text_is_named_and_not_kept() {
        let text = "We must make sure they are better off, said the official of the project.";
        let found = |after: &str| {
            let page = Document::from(format!("<div><p>{text}</p></div>{after}"));
            after_text(&page, &[paragraph(text)])
        };
        let named = found(
            "<div class=\"tools\"><a href=\"#print\">Print</a> | <a href=\"#close\">Close</a></div>\
             <div></div><div>Editor: Wu Yan</div>",
        );
        assert!(named.kept.is_empty(), "{named:?}");
        assert_eq!(
            named.past_links,
            Some(("Editor: Wu Yan".into(), "Print | Close".into()))
        );
        // Not after a heading, a line of words beside the links, or a box of the site's.
        for after in [
            "<h3><a href=\"/ferry\">Ferry fares rise</a></h3><p>Editor: Wu Yan</p>",
            "<p>Read more: <a href=\"/ferry\">Ferry fares rise</a></p><p>Editor: Wu Yan</p>",
            "<div class=\"related\"><a href=\"/ferry\">Ferry fares rise</a></div><p>Editor: Wu Yan</p>",
            "<p><a href=\"/ferry\">Ferry fares rise</a></p><p>The ferry story's text.</p><p>Editor: Wu Yan</p>",
        ] {
            assert_eq!(found(after), AfterText::default(), "{after}");
        }
    }

    #[test]
    fn a_sign_off_line_is_a_label_of_one_and_a_few_words() {
        assert_accepts_only(
            is_signature,
            &[
                "Editor: Wu Yan",
                "（责编：杨虞波罗、王震）",
                "来源：人民日报",
                "(Source: Xinhua)",
            ],
            &[
                "Source: a colleague told me this over a very long lunch in the old town",
                "Editors",
                "Sport: 3",
                "Editor:",
            ],
        );
        assert_eq!(
            strip_buttons("【纠错】 [Print] 责任编辑：王京"),
            "责任编辑：王京"
        );
    }
}
