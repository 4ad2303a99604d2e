//! Text the body lacks that stood among the article's own on the page. Readability takes one
//! container and those of its siblings that score well: a page in several `section`s (a
//! reference page, a long feature in parts) can lose whole parts, and a list between two
//! paragraphs can go. The page's blocks of text inside the element that holds what was kept are
//! compared with what the import keeps and says; any block missing from both is named in a
//! warning, so that nothing is lost unsaid.

use super::super::letters as key;
use super::super::text::is_cjk;
use super::convert::{is_block, pixels, ICON_PIXELS};
use super::Page;
use crate::ingest::web::Block;
use crate::model::body::plain_text;
use aho_corasick::AhoCorasick;
use dom_query::{Document, NodeId, NodeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Where text is left out on purpose and named elsewhere (chrome, players, figures), or is not
/// shown, or is a control's label (a code block's copy button). A form's words (a poll) count:
/// readability drops forms unsaid.
const NAMED_ELSEWHERE: &str = "nav, aside, footer, button, select, script, style, \
     template, noscript, iframe, object, embed, video, audio, canvas, svg, figure, \
     [hidden], [aria-hidden=true]";

/// How many letters and digits a block needs to be compared: fewer (a label, a date, a
/// short heading) cannot be told apart from the chrome's.
const MIN_LETTERS: usize = 24;

/// The most passages a warning quotes.
const QUOTED: usize = 3;

/// One block of the page's text.
struct TextBlock<'a> {
    node: NodeRef<'a>,
    /// Its letters and digits, lower case: what is compared.
    text: String,
    key: String,
    words: usize,
}

/// The warning for the page's text that the body lacks, if any: `page` is the page as the
/// import keeps it (its blocks, metadata and warnings); `read` the blocks extracted before the
/// lines read as metadata left them; `prepared` the page with what the import leaves out on
/// purpose removed.
pub fn warnings(prepared: &Document, page: &Page, read: &[Block]) -> Vec<String> {
    let blocks = text_blocks(prepared);
    if blocks.is_empty() {
        return Vec::new();
    }
    let (body, named) = said(page, read);
    let mut kept = found_in(&blocks, &key(&body));
    // A block the page repeats inside a longer one (a summary that is the first sentence)
    // would stretch the container to the page: only the longer counts.
    for (inside, kept) in repeated(&blocks).iter().zip(&mut kept) {
        *kept &= !inside;
    }
    let Some(container) = container(prepared, &blocks, &kept) else {
        return Vec::new();
    };
    let found = found_in(&blocks, &key(&(body + &named)));
    let unkept: Vec<&TextBlock> = blocks
        .iter()
        .zip(&found)
        .filter(|(b, found)| !**found && !dated(b, page) && !furniture(b, page))
        .filter(|(b, _)| within(&b.node, container))
        .map(|(b, _)| b)
        .collect();
    describe(&unkept)
        .into_iter()
        .chain(unkept_pictures(prepared, container, page))
        .collect()
}

/// The warning for pictures among the article's own that the body lacks and no other warning
/// names (figures are checked apart, wherever they stand): their alt text or file.
fn unkept_pictures(prepared: &Document, container: NodeId, page: &Page) -> Option<String> {
    let held = super::held_pictures(&page.blocks);
    let mut unkept: Vec<String> = Vec::new();
    for img in prepared.select("body img").nodes() {
        let told = std::iter::once(*img)
            .chain(img.ancestors(None))
            .any(|a| a.is(NAMED_ELSEWHERE));
        let small = ["width", "height"]
            .iter()
            .any(|side| pixels(img, side).is_some_and(|px| px <= ICON_PIXELS));
        let aside = super::meta::in_chrome(img) || in_furniture(img);
        if told || small || aside || is_logo(img) || !within(img, container) {
            continue;
        }
        if let Some(named) = super::unheld_picture(img, &held) {
            if !unkept.contains(&named) {
                unkept.push(named);
            }
        }
    }
    (!unkept.is_empty()).then(|| {
        format!(
            "pictures the page sets among the article's own not carried over (readability did \
             not take them, the capture keeps them): {}",
            unkept.join(", ")
        )
    })
}

/// Class and id words of the furniture an article's own element holds (a share bar, an author's
/// bio, an advertisement's label, a promotion, the comments' notice), which readability drops
/// and nobody misses.
const FURNITURE: [&str; 16] = [
    "share",
    "sharing",
    "social",
    "bio",
    "author",
    "byline",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "promo",
    "newsletter",
    "comments",
    "comment",
    "tags",
    "breadcrumb",
];

/// Whether a block is the article's furniture: inside an element so named, or the site's
/// chrome, or a short line naming an author (a byline with a staff title, `By Jane Smith,
/// Local Government Reporter`).
fn furniture(block: &TextBlock, page: &Page) -> bool {
    let byline = block.words <= 16
        && page.meta.authors.iter().any(|a| {
            let author = key(a);
            !author.is_empty() && block.key.contains(&author)
        });
    byline || super::meta::in_chrome(&block.node) || in_furniture(&block.node)
}

/// The site's logo, marked so or named so (`logo-print.gif`, `site-logo.png`; not a story's
/// `shop-logo-redesign.jpg`).
fn is_logo(img: &NodeRef) -> bool {
    let sources = super::picture_sources(img);
    let file = sources
        .first()
        .map(|s| crate::model::body::percent_decode(super::file_of(s)).to_lowercase());
    let named = file.is_some_and(|file| {
        let stem = file
            .rsplit_once('.')
            .map_or(file.as_str(), |(stem, _)| stem);
        stem.starts_with("logo") || stem.ends_with("logo")
    });
    super::is_site_name(img) || named
}

/// Whether a node is in an element named as furniture ([`FURNITURE`]).
fn in_furniture(node: &NodeRef) -> bool {
    let named = |node: &NodeRef| {
        ["class", "id"].iter().any(|attr| {
            node.attr(attr).is_some_and(|v| {
                v.to_ascii_lowercase()
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|w| FURNITURE.contains(&w))
            })
        })
    };
    std::iter::once(*node)
        .chain(node.ancestors(None))
        .any(|n| named(&n))
}

/// Whether each block's text stands inside another, longer block of the page.
fn repeated(blocks: &[TextBlock]) -> Vec<bool> {
    let mut inside = vec![false; blocks.len()];
    let Ok(searcher) = AhoCorasick::new(blocks.iter().map(|b| &b.key)) else {
        return inside;
    };
    for (at, block) in blocks.iter().enumerate() {
        for hit in searcher.find_overlapping_iter(&block.key) {
            let other = hit.pattern().as_usize();
            if other != at && blocks[other].key.len() < block.key.len() {
                inside[other] = true;
            }
        }
    }
    inside
}

/// What the import keeps in the body, and what else it keeps or names: the metadata, the
/// warnings.
fn said(page: &Page, read: &[Block]) -> (String, String) {
    let mut text = String::new();
    for block in page.blocks.iter().chain(read) {
        let parts: Vec<&str> = match block {
            Block::Heading { text, .. } | Block::Paragraph { text } | Block::Quote { text } => {
                vec![text]
            }
            Block::List { items, .. } => items.iter().map(String::as_str).collect(),
            Block::Image {
                alt,
                caption,
                credit,
                ..
            } => [alt, caption, credit]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect(),
            Block::Markdown { text } => vec![text],
            Block::PageStart { .. } => Vec::new(),
        };
        for part in parts {
            text.push_str(part);
            text.push_str("\n\n");
        }
    }
    let meta = &page.meta;
    let named = [&meta.title]
        .into_iter()
        .chain(&meta.deck)
        .chain(&meta.authors)
        .chain(&page.warnings);
    let named = named.fold(String::from("\n"), |all, part| all + part + "\n");
    // Read whole, so that a note's call finds its note; a table or a figure the dialect keeps
    // as HTML counts by its text between the tags.
    // An image in a sentence (an icon) is read as its alt text, or as nothing, as the page's
    // own text leaves it out.
    let lines = crate::model::body::line_text(&text);
    (
        plain_text(&text) + "\n" + &without_tags(&text) + "\n" + &lines,
        named,
    )
}

/// A short line that gives the date the import read (`UPDATED: March 6, 2009`, with the
/// issue's number beside it): the page's date line, read as metadata.
fn dated(block: &TextBlock, page: &Page) -> bool {
    let years = [page.meta.updated, page.meta.published]
        .into_iter()
        .flatten()
        .map(|date| date.year.to_string());
    block.words <= 12 && years.into_iter().any(|year| block.key.contains(&year))
}

/// How many words a text has: a Chinese, Japanese or Korean character counts as one.
fn words(text: &str) -> usize {
    let cjk = text.chars().filter(|c| is_cjk(*c)).count();
    let other = text
        .split(|c: char| c.is_whitespace() || is_cjk(c))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    cjk + other
}

/// Markdown with its HTML tags taken out.
fn without_tags(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut in_tag = false;
    for c in markdown.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The page's blocks of text outside what is left out on purpose: the text between two block
/// boundaries or line breaks (an old page's paragraphs are `<br>`-parted runs of a cell).
fn text_blocks(document: &Document) -> Vec<TextBlock<'_>> {
    let mut walk = Walk::default();
    for body in document.select("body").nodes() {
        walk.visit(body);
    }
    walk.flush();
    walk.blocks
}

/// A walk over the page that parts its text into blocks.
#[derive(Default)]
struct Walk<'a> {
    blocks: Vec<TextBlock<'a>>,
    /// The block being read: the element its first text stands in, its text, how much of it
    /// is a link's.
    owner: Option<NodeRef<'a>>,
    text: String,
    linked: usize,
    in_link: usize,
}

/// A figure of text (a table, a quotation, as WordPress wraps them), which the check of
/// figures' pictures does not cover: its text is compared.
fn holds_text_figure(node: &NodeRef) -> bool {
    node.is("figure")
        && node
            .descendants()
            .iter()
            .any(|d| d.is_element() && d.is("table, blockquote"))
}

/// A footnote's call (`<a href="#fn3">3</a>`), which the body numbers anew.
fn is_note_call(node: &NodeRef) -> bool {
    node.is("a[href^='#']") && node.text().trim().chars().count() <= 4
}

impl<'a> Walk<'a> {
    fn visit(&mut self, node: &NodeRef<'a>) {
        for child in node.children_it(false) {
            if child.is_text() {
                let text = child.text();
                if self.owner.is_none() && !text.trim().is_empty() {
                    self.owner = Some(*node);
                }
                if self.in_link > 0 {
                    self.linked += text.trim().chars().count();
                }
                self.text.push_str(&text);
                continue;
            }
            let told = child.is(NAMED_ELSEWHERE) && !holds_text_figure(&child);
            if !child.is_element() || told || is_note_call(&child) {
                continue;
            }
            let name = child.node_name().unwrap_or_default().to_ascii_lowercase();
            let block = is_block(&name) || matches!(name.as_str(), "tr" | "td" | "th" | "br");
            if block {
                self.flush();
            }
            let link = name == "a";
            self.in_link += usize::from(link);
            self.visit(&child);
            self.in_link -= usize::from(link);
            if block {
                self.flush();
            }
        }
    }

    /// Ends the block being read; keeps it when it has enough letters and is not mostly links
    /// (a list of other stories, tags, a table of contents).
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.text);
        let linked = std::mem::take(&mut self.linked);
        let Some(owner) = self.owner.take() else {
            return;
        };
        let key = key(&text);
        // Chinese, Japanese and Korean say in ten characters what takes 24 letters.
        let cjk = key.chars().filter(|c| is_cjk(*c)).count();
        let long = key.chars().count() >= MIN_LETTERS || cjk >= MIN_LETTERS / 2;
        if !long || linked * 2 > text.trim().chars().count() {
            return;
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        self.blocks.push(TextBlock {
            node: owner,
            key,
            words: words(&text),
            text,
        });
    }
}

/// Whether each block's text stands in `held`.
fn found_in(blocks: &[TextBlock], held: &str) -> Vec<bool> {
    let mut found = vec![false; blocks.len()];
    let Ok(searcher) = AhoCorasick::new(blocks.iter().map(|b| &b.key)) else {
        return found;
    };
    for hit in searcher.find_overlapping_iter(held) {
        found[hit.pattern().as_usize()] = true;
    }
    // Two blocks of the same text share one pattern's hits.
    let mut by_key: BTreeMap<&str, bool> = BTreeMap::new();
    for (block, found) in blocks.iter().zip(&found) {
        *by_key.entry(&block.key).or_default() |= *found;
    }
    blocks.iter().map(|b| by_key[b.key.as_str()]).collect()
}

/// The article's container on the page: the innermost element that holds every block the body
/// kept, or the `article` or `main` element around it (whose head holds the deck, the byline,
/// a lead). `None` when no block was kept.
fn container(document: &Document, blocks: &[TextBlock], kept: &[bool]) -> Option<NodeId> {
    let inner = holder(blocks, kept)?;
    let marked = document.select("article, main, [role=main]");
    let marked: BTreeSet<NodeId> = marked.nodes().iter().map(|n| n.id).collect();
    let node = document.tree.get(&inner)?;
    Some(
        lineage(&node)
            .into_iter()
            .find(|id| marked.contains(id))
            .unwrap_or(inner),
    )
}

/// The innermost element that holds every block the body kept.
fn holder(blocks: &[TextBlock], kept: &[bool]) -> Option<NodeId> {
    let mut kept = blocks.iter().zip(kept).filter(|(_, k)| **k).map(|(b, _)| b);
    let first = kept.next()?;
    let mut chain = lineage(&first.node);
    for block in kept {
        let lineage: BTreeSet<NodeId> = lineage(&block.node).into_iter().collect();
        chain.retain(|id| lineage.contains(id));
    }
    chain.first().copied()
}

/// A node and its ancestors, innermost first.
fn lineage(node: &NodeRef) -> Vec<NodeId> {
    std::iter::once(node.id)
        .chain(node.ancestors(None).iter().map(|a| a.id))
        .collect()
}

/// Whether `node` lies inside the element `container`.
fn within(node: &NodeRef, container: NodeId) -> bool {
    lineage(node).contains(&container)
}

/// The warning: how many words, and the first words of the first passages.
fn describe(unkept: &[&TextBlock]) -> Option<String> {
    if unkept.is_empty() {
        return None;
    }
    let mut counted = BTreeSet::new();
    let once: Vec<&&TextBlock> = unkept.iter().filter(|b| counted.insert(&b.key)).collect();
    let words: usize = once.iter().map(|b| b.words).sum();
    let mut seen = BTreeSet::new();
    let quoted: Vec<String> = unkept
        .iter()
        .filter(|b| seen.insert(b.key.as_str()))
        .take(QUOTED)
        .map(|b| format!("`{}`", beginning(&b.text)))
        .collect();
    let distinct: BTreeSet<&str> = unkept.iter().map(|b| b.key.as_str()).collect();
    let more = match distinct.len().saturating_sub(quoted.len()) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    Some(format!(
        "left out text the page sets among the article's own ({}, {}; readability did not \
         take it, the capture keeps it): {}{more}",
        crate::count(once.len(), "passage"),
        crate::count(words, "word"),
        quoted.join(", ")
    ))
}

/// The first words of a passage.
fn beginning(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 8 {
        words.join(" ")
    } else {
        format!("{}…", words[..8].join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::web::Metadata;

    const ARTICLE: &str = "<html><body><nav><ul><li><a href=\"/\">Home of the harbour times today</a></li></ul></nav>\
        <article><header><h1>The harbour</h1><p>UPDATED: May 6, 2024 NO. 19 MAY 6, 2024</p></header>\
        <div class=\"body\"><p>The first paragraph of the story tells of the harbour.</p>\
        <p>The second paragraph calls a note<sup><a href=\"#n1\">1</a></sup> and goes on.</p></div>\
        <section><h2>The part the extraction lost</h2><p>A third paragraph stood in a section of its own.</p></section>\
        <footer><p>Copyright the harbour times, all rights reserved</p></footer></article>\
        <div class=\"sidebar\"><p>Another story entirely, far from the article's text.</p></div></body></html>";

    fn page(paragraphs: &[&str]) -> Page {
        Page {
            blocks: paragraphs
                .iter()
                .map(|p| Block::Markdown {
                    text: p.to_string(),
                })
                .collect(),
            meta: Metadata {
                title: "The harbour".into(),
                updated: "2024-05-06".parse().ok(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    /// Every warning, a line each.
    fn warning(document: &Document, kept: &Page, read: &[Block]) -> Option<String> {
        let all = warnings(document, kept, read);
        (!all.is_empty()).then(|| all.join("\n"))
    }

    #[test]
    fn a_picture_among_the_article_s_own_the_body_lacks_is_named_and_an_icon_or_a_kept_one_is_not()
    {
        let document = Document::from(
            "<html><body><article><p>The first paragraph of the story tells of the harbour.</p>\
             <p><img src=\"/img/pier.jpg\" alt=\"The pier\"></p>\
             <table><tr><td><img src=\"a/ferry.png\"></td></tr></table>\
             <p><img src=\"star.png\" width=\"16\" height=\"16\">\
             <img src=\"kept.jpg?w=300\" alt=\"Kept\"></p>\
             <figure><img src=\"figure.jpg\"></figure><img src=\"logo-print.gif\">\
             <p><img src=\"shop-logo-redesign.jpg\"></p><div class=\"author-bio\">\
             <img src=\"headshot.jpg\"></div>\
             <p><img src=\"step%20(1).png\"><img src=\"tex.svg\" aria-hidden=\"true\"></p>\
             <p>The second paragraph of the story tells of the ferry.</p></article>\
             <aside><img src=\"other-story.jpg\"></aside></body></html>",
        );
        let mut kept = page(&[
            "The first paragraph of the story tells of the harbour.",
            "The second paragraph of the story tells of the ferry.",
        ]);
        kept.blocks.push(Block::Markdown {
            text: "![Kept](https://example.org/kept.jpg?w=300)\n\n![](a/step%20(1).png)".into(),
        });
        assert_eq!(
            warning(&document, &kept, &[]).as_deref(),
            Some(
                "pictures the page sets among the article's own not carried over (readability \
                 did not take them, the capture keeps them): `The pier` (pier.jpg), `ferry.png`, \
                 `shop-logo-redesign.jpg`"
            )
        );
    }

    #[test]
    fn a_sentence_with_an_icon_in_it_is_found_in_the_body_that_shows_the_icon() {
        let document = Document::from(
            "<html><body><article><p>The first paragraph of the story tells of the harbour.</p>\
             <p>The lion's mane jellyfish <img src=\"jelly.png\" alt=\"lion's mane jellyfish\">\
             arrived in August and stayed for three weeks.</p></article></body></html>",
        );
        let kept = page(&[
            "The first paragraph of the story tells of the harbour.",
            "The lion's mane jellyfish ![lion's mane jellyfish](assets/jelly.png) arrived in \
             August and stayed for three weeks.",
        ]);
        assert_eq!(warning(&document, &kept, &[]), None);
    }

    #[test]
    fn a_part_of_the_article_the_body_lacks_is_named_and_the_chrome_around_it_is_not() {
        let document = Document::from(ARTICLE);
        let kept = page(&[
            "The first paragraph of the story tells of the harbour.",
            "The second paragraph calls a note[^1] and goes on.\n\n[^1]: The note.",
        ]);
        let warning = warning(&document, &kept, &[]).expect("a warning");
        assert_eq!(
            warning,
            "left out text the page sets among the article's own (2 passages, 15 words; \
             readability did not take it, the capture keeps it): `The part the extraction \
             lost`, `A third paragraph stood in a section of…`"
        );
    }

    #[test]
    fn nothing_is_named_when_the_body_or_the_warnings_hold_every_passage() {
        let document = Document::from(ARTICLE);
        let mut kept = page(&[
            "The first paragraph of the story tells of the harbour.",
            "The second paragraph calls a note[^1] and goes on.\n\n[^1]: The note.",
            "<table><caption>The part the extraction lost</caption></table>",
        ]);
        kept.warnings
            .push("left out: `A third paragraph stood in a section of its own.`".into());
        assert_eq!(warning(&document, &kept, &[]), None);
    }

    #[test]
    fn a_table_in_a_figure_is_compared_and_a_picture_s_caption_is_not() {
        let document = Document::from(
            "<html><body><article><p>The first paragraph of the story tells of the harbour.</p>\
             <figure class=\"wp-block-table\"><table><tr><td>Ferries a day in the summer months</td></tr></table></figure>\
             <figure><img src=\"a.jpg\"><figcaption>The harbour at dawn, seen from the pier head</figcaption></figure>\
             </article></body></html>",
        );
        let kept = page(&["The first paragraph of the story tells of the harbour."]);
        let warning = warning(&document, &kept, &[]).expect("a warning");
        assert!(
            warning.contains("`Ferries a day in the summer months`"),
            "{warning}"
        );
        assert!(!warning.contains("dawn"), "{warning}");
    }

    #[test]
    fn a_short_chinese_passage_counts_as_a_longer_english_one_does() {
        let document = Document::from(
            "<html><body><article><p>茶山上的春天来得早，采茶的人天不亮就上山了，一直忙到中午。</p>\
             <p>老人说这片茶园已经种了三百年。</p></article></body></html>",
        );
        let kept = page(&["茶山上的春天来得早，采茶的人天不亮就上山了，一直忙到中午。"]);
        let warning = warning(&document, &kept, &[]).expect("a warning");
        assert!(
            warning.contains("`老人说这片茶园已经种了三百年。`"),
            "{warning}"
        );
    }

    #[test]
    fn the_words_of_chinese_and_japanese_text_are_its_characters() {
        assert_eq!(words("空き家となった町家"), 9);
        assert_eq!(words("The harbour, 港町 today"), 5);
    }
}
