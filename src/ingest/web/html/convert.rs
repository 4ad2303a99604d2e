//! An HTML article's content into blocks of the body dialect, keeping its structure: emphasis,
//! links (made absolute), line breaks, inline code, code blocks with their language, tables
//! (pipe tables when they fit, else clean HTML), figures with captions and credits, quotes,
//! lists, definition lists, footnotes, sub- and superscripts, and MathML. What cannot be
//! carried over (embedded media, forms) is counted, in words, for a warning.

use super::super::markdown::{blocks_markdown, escape, fenced, link_target};
use super::super::Block;
use super::embedded::{embedded_picture, is_svg_picture, svg_address, svg_name};
use crate::model::body::{self, xhtml};
use dom_query::NodeRef;
use pulldown_cmark::{Event, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet};

/// Elements that start a block of their own besides the body dialect's
/// ([`body::BLOCK_ELEMENTS`]): rules, containers, sectioning and the parts of lists and figures.
const CONTAINERS: [&str; 20] = [
    "hr",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "nav",
    "aside",
    "details",
    "summary",
    "address",
    "center",
    "figcaption",
    "form",
    "fieldset",
    "li",
    "dd",
    "dt",
    "body",
];

/// A thematic break (`<hr>`).
pub(super) const RULE: &str = "* * *";

/// Whether an element starts a block of its own.
pub(super) fn is_block(name: &str) -> bool {
    body::BLOCK_ELEMENTS.contains(&name) || CONTAINERS.contains(&name)
}

/// Chrome that may be left inside an article's content: dropped without a word.
const CHROME: [&str; 7] = [
    "nav", "aside", "footer", "form", "script", "style", "template",
];

/// Content a Markdown body cannot carry: dropped, and named in a warning.
const UNCARRIED: [&str; 13] = [
    "iframe",
    "frame",
    "object",
    "embed",
    "video",
    "audio",
    "canvas",
    "svg",
    "noscript",
    "amp-video",
    "amp-audio",
    "amp-iframe",
    "amp-youtube",
];

/// The attribute that keeps a table cell's alignment through readability (see
/// [`super::prepare`]).
pub use crate::model::body::xhtml::ALIGN;

/// Attributes that hold an image's address, the lazy loaders' after `src`.
const SOURCES: [&str; 5] = [
    "src",
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-url",
];

/// Attributes that hold a set of an image's addresses.
const SOURCE_SETS: [&str; 3] = ["srcset", "data-srcset", "data-lazy-srcset"];

/// The attribute that carries a `picture`'s `source` sets on its image through readability.
pub const PICTURE_SOURCES: &str = "data-quire-sources";

/// Classes marking TeX that was in a script (see [`super::reveal_maths`]).
pub const TEX_INLINE: &str = "quire-tex-inline";
pub const TEX_DISPLAY: &str = "quire-tex-display";

/// Where links and footnotes point.
pub struct Links<'a> {
    /// The page's address, to make links absolute.
    pub base: Option<url::Url>,
    /// Elements with an id, in the content and in the whole page (for footnotes the content
    /// left out).
    pub targets: BTreeMap<String, NodeRef<'a>>,
    /// The language the page declares, which the article is in unless an element says
    /// otherwise.
    pub language: Option<String>,
}

/// The converter's state: footnotes met so far, and what was left out.
pub struct Converter<'a> {
    links: Links<'a>,
    /// Footnote target id → its number.
    notes: BTreeMap<String, usize>,
    /// Footnote target id → the page's own call to it (`1`, `[a]`), which the note may repeat.
    calls: BTreeMap<String, String>,
    /// Ids of the footnote references themselves (back-links point there).
    note_refs: Vec<String>,
    /// Each element left out, with its words.
    pub dropped: Vec<(String, usize)>,
    /// The numbers of the players and frames made links ([`super::players::MARK`]) that the
    /// blocks hold.
    pub embeds: BTreeSet<usize>,
    /// Inline markup as HTML (`<em>`) instead of Markdown, for a paragraph whose Markdown
    /// markup would not read back (emphasis against punctuation inside a word).
    html_marks: bool,
    /// Markdown emphasis, strong emphasis and strikethrough written since the paragraph began.
    marks: usize,
    /// The language of the element being converted.
    language: Option<String>,
    /// How many quotations (`q`) the text being converted is in.
    quotes: usize,
}

fn name(node: &NodeRef) -> String {
    node.node_name()
        .map(|n| n.to_ascii_lowercase())
        .unwrap_or_default()
}

pub(super) fn attr_has(node: &NodeRef, attr: &str, words: &[&str]) -> bool {
    node.attr(attr).is_some_and(|v| {
        let v = v.to_ascii_lowercase();
        words.iter().any(|w| v.contains(w))
    })
}

/// Whitespace collapsed to single spaces.
pub fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Spaces that a page writes so that no line breaks at them (`M.&nbsp;Dupont`, `180&nbsp;°C`,
/// a poem's indent): no-break, narrow no-break and figure spaces.
const NO_BREAK: [char; 3] = ['\u{a0}', '\u{202f}', '\u{2007}'];

/// Whitespace collapsed as a browser collapses it: a run of ordinary spaces and line ends is
/// one space (none at either end), and the no-break spaces in a run are kept, each as written,
/// in its place.
fn keeping_no_breaks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if NO_BREAK.contains(&c) {
            out.push(c);
            space = false;
        } else if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() && !out.ends_with(NO_BREAK) {
                out.push(' ');
            }
            out.push(c);
            space = false;
        }
    }
    out
}

/// Whitespace that collapses (not a no-break space).
fn collapses(c: char) -> bool {
    c.is_whitespace() && !NO_BREAK.contains(&c)
}

impl<'a> Converter<'a> {
    pub fn new(links: Links<'a>) -> Self {
        Converter {
            notes: BTreeMap::new(),
            calls: BTreeMap::new(),
            note_refs: Vec::new(),
            dropped: Vec::new(),
            embeds: BTreeSet::new(),
            html_marks: false,
            marks: 0,
            language: links.language.clone(),
            quotes: 0,
            links,
        }
    }

    /// The blocks of `root`'s content, then its footnotes.
    pub fn convert(&mut self, root: &NodeRef) -> Vec<Block> {
        let mut blocks = self.blocks(root);
        // A heading or a rule with nothing after it (the notes' heading and rule, once the
        // notes are footnotes).
        while matches!(blocks.last(), Some(Block::Heading { .. }))
            || matches!(blocks.last(), Some(Block::Markdown { text }) if text == RULE)
        {
            blocks.pop();
        }
        let mut notes: Vec<(&String, &usize)> = self.notes.iter().collect();
        notes.sort_by_key(|(_, n)| **n);
        let notes: Vec<(String, usize)> = notes.into_iter().map(|(k, v)| (k.clone(), *v)).collect();
        for (id, number) in notes {
            let Some(target) = self.links.targets.get(&id).cloned() else {
                continue;
            };
            let call = self.calls.get(&id).cloned().unwrap_or_default();
            let text = self.inline_nodes(&without_own_number(&target, &call));
            let text = text.trim();
            if !text.is_empty() {
                blocks.push(Block::Markdown {
                    text: format!("[^{number}]: {}", indent(text, 4)),
                });
            }
        }
        blocks
    }

    /// The blocks of a node's children: runs of inline content become paragraphs.
    fn blocks(&mut self, node: &NodeRef) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut inline: Vec<NodeRef> = Vec::new();
        for child in node.children() {
            if child.is_element() && (is_block(&name(&child)) || wraps_blocks(&child)) {
                self.paragraph(&inline, &mut blocks);
                inline.clear();
                self.block(&child, &mut blocks);
            } else if child.is_element() || child.is_text() {
                inline.push(child);
            }
        }
        self.paragraph(&inline, &mut blocks);
        blocks
    }

    fn block(&mut self, node: &NodeRef, blocks: &mut Vec<Block>) {
        if self.is_note_target(node) || attr_has(node, "aria-hidden", &["true"]) {
            return;
        }
        self.count_embed(node);
        let outer = self.enter_language(node);
        self.block_content(node, blocks);
        if let Some(outer) = outer {
            self.language = outer;
        }
    }

    /// A player or frame made a link, counted as carried over.
    fn count_embed(&mut self, node: &NodeRef) {
        if let Some(number) = node.attr(super::players::MARK).and_then(|n| n.parse().ok()) {
            self.embeds.insert(number);
        }
    }

    /// The language an element switches to (its `lang`, when that differs from the language
    /// it stands in): made the current one, and the one it replaces returned.
    fn enter_language(&mut self, node: &NodeRef) -> Option<Option<String>> {
        let lang = clean(&node.attr("lang")?);
        let same = |a: &str, b: &str| {
            let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
            a == b || a.starts_with(&format!("{b}-")) || b.starts_with(&format!("{a}-"))
        };
        if self.language.as_deref().is_some_and(|l| same(l, &lang))
            || crate::model::check_language(&lang).is_err()
        {
            return None;
        }
        Some(self.language.replace(lang))
    }

    /// `markdown` marked as being in the current language, where that is not the page's.
    fn in_language(&self, markdown: &str) -> String {
        match &self.language {
            Some(lang) if self.language != self.links.language => lang_span(lang, markdown),
            _ => markdown.to_string(),
        }
    }

    fn block_content(&mut self, node: &NodeRef, blocks: &mut Vec<Block>) {
        let tag = name(node);
        match tag.as_str() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = tag[1..].parse::<u8>().unwrap_or(2).max(2);
                let text = clean(&self.visible_text(node));
                if text.is_empty() {
                    return;
                }
                // A heading that marks some of its words (`M<sub>2</sub>`, a title in
                // italics) keeps the marks, as Markdown; the rest stay plain headings.
                let marked = node
                    .descendants_it()
                    .any(|d| d.is_element() && HEADING_MARKS.contains(&name(&d).as_str()));
                let markdown = marked.then(|| clean(&tidy_breaks(&self.heading_markdown(node))));
                match markdown.filter(|m| !m.is_empty()) {
                    Some(markdown) => blocks.push(Block::Markdown {
                        text: format!("{} {markdown}", "#".repeat(level.into())),
                    }),
                    None => blocks.push(Block::Heading { level, text }),
                }
            }
            "p" | "address" | "dt" | "dd" | "figcaption" | "li" => {
                self.paragraph(&node.children(), blocks)
            }
            // A disclosure's summary (a question of a FAQ) is its label, in bold as a page
            // sets it apart; one that holds a heading keeps the heading.
            "summary" if !has_blocks(node) => {
                let mut label = Vec::new();
                self.paragraph(&node.children(), &mut label);
                blocks.extend(label.into_iter().map(|block| match block {
                    // Bold inside the label (`**Q:**`) is the label's bold.
                    Block::Markdown { text } if !all_bold(&text) => Block::Markdown {
                        text: format!("**{}**", text.replace("**", "")),
                    },
                    other => other,
                }));
            }
            "ul" | "ol" => blocks.extend(self.list(node)),
            "dl" => blocks.extend(self.definitions(node)),
            "blockquote" => {
                let inner = blocks_markdown(&self.blocks(node));
                if !inner.trim().is_empty() {
                    blocks.push(Block::Markdown {
                        text: prefix_lines(&inner, "> ", ">"),
                    });
                }
            }
            "pre" => blocks.extend(code_block(node)),
            "table" => blocks.push(self.table(node)),
            "figure" => self.figure(node, blocks),
            "hr" => blocks.push(Block::Markdown { text: RULE.into() }),
            name if CHROME.contains(&name) => {}
            // Containers: their content.
            _ => blocks.extend(self.blocks(node)),
        }
    }

    /// A run of inline nodes as paragraphs (two line breaks in a row part them), or as
    /// images when that is all they hold.
    fn paragraph(&mut self, nodes: &[NodeRef], blocks: &mut Vec<Block>) {
        let text: String = nodes.iter().map(|n| n.text().to_string()).collect();
        let images: Vec<NodeRef> = nodes.iter().flat_map(images_in).collect();
        if text.trim().is_empty() && !nodes.iter().any(holds_math) {
            for image in images {
                blocks.extend(self.image(&image, None, None));
            }
            // Embedded media without text (a video's frame) is left out, and counted.
            for node in nodes.iter().flat_map(|n| n.descendants_it().chain([*n])) {
                if UNCARRIED.contains(&name(&node).as_str()) && !is_svg_picture(&node) {
                    self.dropped.push((name(&node), 0));
                }
            }
            return;
        }
        self.html_marks = false;
        self.marks = 0;
        let mut markdown = self.inline_nodes(nodes);
        if marks_read(&markdown) != self.marks {
            self.html_marks = true;
            markdown = self.inline_nodes(nodes);
            self.html_marks = false;
        }
        for part in markdown.split("\n\n") {
            let part = part.trim_matches(|c: char| c == ' ' || c == '\n');
            let part = part.strip_suffix('\\').unwrap_or(part).trim_end();
            if !part.is_empty() {
                blocks.push(Block::Markdown {
                    text: self.in_language(part),
                });
            }
        }
    }

    fn inline_nodes(&mut self, nodes: &[NodeRef]) -> String {
        let mut out = String::new();
        for node in nodes {
            self.inline(node, &mut out);
        }
        tidy_breaks(&out)
    }

    /// The inline Markdown of a node's children.
    fn inline_of(&mut self, node: &NodeRef) -> String {
        self.inline_nodes(&node.children())
    }

    fn inline(&mut self, node: &NodeRef, out: &mut String) {
        if node.is_text() {
            push_text(out, &node.text());
            return;
        }
        if !node.is_element()
            || attr_has(node, "aria-hidden", &["true"])
            || self.is_back_links(node)
        {
            return;
        }
        self.count_embed(node);
        let tag = name(node);
        for (class, fence) in [(TEX_INLINE, "$"), (TEX_DISPLAY, "$$")] {
            let tex = clean(&node.text());
            if node.has_class(class) && !tex.is_empty() && !tex.contains('$') {
                out.push_str(&format!("{fence}{tex}{fence}"));
                return;
            }
        }
        if tag == "math" {
            let cleaned = xhtml::clean_node(node, &|_| None);
            out.push_str(&escape_inline_html(&cleaned.xhtml));
            return;
        }
        if UNCARRIED.contains(&tag.as_str()) && !is_svg_picture(node) {
            self.dropped.push((tag, xhtml::word_count(&node.text())));
            return;
        }
        if CHROME.contains(&tag.as_str()) {
            return;
        }
        if let Some(outer) = self.enter_language(node) {
            let mut inner = String::new();
            self.inline(node, &mut inner);
            out.push_str(&self.in_language(&inner));
            self.language = outer;
            return;
        }
        // Text set apart in its own direction, as a browser sets it: marks that every edition's
        // bidirectional text reads the same way.
        let (open, close) = direction_marks(node).unzip();
        out.extend(open);
        self.element(node, &tag, out);
        out.extend(close);
    }

    /// An element's inline Markdown, by its name.
    fn element(&mut self, node: &NodeRef, tag: &str, out: &mut String) {
        match tag {
            "br" => out.push_str("\\\n"),
            "q" => self.quotation(node, out),
            "rt" => self.reading(node, out),
            // The page's parentheses around an empty reading, which shows nothing.
            "rp" if around_empty_reading(node) => {}
            // An abbreviation's expansion, highlighting, underlining (a misspelling, a
            // Chinese proper name mark), an insertion and small print, as the page marks them.
            "abbr" | "mark" | "u" | "ins" | "small" => {
                let title = node
                    .attr("title")
                    .map(|t| clean(&t))
                    .filter(|t| !t.is_empty() && tag == "abbr")
                    .map(|t| format!(" title=\"{}\"", xhtml::escape(&t)));
                let inner = self.inline_of(node);
                if tag != "abbr" || title.is_some() {
                    out.push_str(&html_wrap(tag, &title.unwrap_or_default(), &inner));
                } else {
                    out.push_str(&inner);
                }
            }
            "em" | "i" | "cite" | "dfn" | "var" => self.wrap(node, out, "*", "*", "em"),
            "strong" | "b" => self.wrap(node, out, "**", "**", "strong"),
            "del" | "s" | "strike" => self.wrap(node, out, "~~", "~~", "del"),
            "sub" | "sup" => {
                let inner = self.inline_of(node);
                let inner = inner.trim();
                let note =
                    inner.starts_with("[^") && inner.ends_with(']') && !inner[2..].contains('[');
                if note {
                    // A footnote reference set as a superscript is a footnote reference.
                    out.push_str(inner);
                } else if !inner.is_empty() {
                    out.push_str(&format!("<{tag}>{inner}</{tag}>"));
                }
            }
            "code" | "kbd" | "samp" | "tt" => {
                let text = clean(&node.text());
                if !text.is_empty() {
                    out.push_str(&code_span(&text));
                }
            }
            "a" => self.link(node, out),
            "img" | "svg" => {
                if let Some(Block::Image { src, alt, .. }) = self.image(node, None, None) {
                    out.push_str(&format!(
                        "![{}]({})",
                        escape(alt.as_deref().unwrap_or("")),
                        link_target(&src)
                    ));
                }
            }
            // Block content met inline (a list in a paragraph): its text, in order.
            tag if is_block(tag) => {
                out.push(' ');
                for child in node.children() {
                    self.inline(&child, out);
                }
                out.push(' ');
            }
            _ => {
                for child in node.children() {
                    self.inline(&child, out);
                }
            }
        }
    }

    /// A ruby reading (`rt`) in the parentheses a browser without ruby shows: the page's own
    /// (`rp`), or else added; an empty reading shows nothing, and adds nothing.
    fn reading(&mut self, node: &NodeRef, out: &mut String) {
        let inner = self.inline_of(node);
        if inner.trim().is_empty() {
            return;
        }
        let own = node
            .parent()
            .is_some_and(|r| r.element_children().iter().any(|c| name(c) == "rp"));
        let (open, close) = match (own, inner.is_ascii()) {
            (true, _) => ("", ""),
            (false, true) => ("(", ")"),
            (false, false) => ("（", "）"),
        };
        out.push_str(&format!("{open}{}{close}", inner.trim()));
    }

    /// A quotation (`q`) in the quotation marks a browser shows around it in its language.
    fn quotation(&mut self, node: &NodeRef, out: &mut String) {
        let (open, close) = quote_marks(self.language.as_deref(), self.quotes);
        self.quotes += 1;
        let inner = self.inline_of(node);
        self.quotes -= 1;
        if inner.starts_with(char::is_whitespace) {
            out.push(' ');
        }
        out.push_str(&format!("{open}{}{close}", inner.trim()));
        if inner.ends_with(char::is_whitespace) {
            out.push(' ');
        }
    }

    /// Emphasis, strong emphasis or strikethrough around a node's content: spaces at its
    /// edges move outside the markers, which must touch the text.
    fn wrap(&mut self, node: &NodeRef, out: &mut String, open: &str, close: &str, html: &str) {
        let inner = self.inline_of(node);
        let trimmed = inner.trim();
        if trimmed.is_empty() {
            out.push_str(&inner);
            return;
        }
        if inner.starts_with(char::is_whitespace) {
            out.push(' ');
        }
        if self.html_marks {
            out.push_str(&format!("<{html}>{trimmed}</{html}>"));
        } else {
            self.marks += 1;
            out.push_str(&format!("{open}{trimmed}{close}"));
        }
        if inner.ends_with(char::is_whitespace) {
            out.push(' ');
        }
    }

    fn link(&mut self, node: &NodeRef, out: &mut String) {
        let href = node.attr("href").map(|h| h.trim().to_string());
        if self.is_back_link(node) {
            // A footnote's way back to its reference.
            return;
        }
        if let Some(number) = href
            .as_deref()
            .and_then(|h| h.strip_prefix('#'))
            .and_then(|id| self.note_number(node, id))
        {
            out.push_str(&format!("[^{number}]"));
            return;
        }
        let inner = self.inline_of(node);
        let target = href.as_deref().and_then(|h| self.resolve(h));
        match target {
            Some(target) if !inner.trim().is_empty() => {
                out.push_str(&format!("[{}]({})", inner.trim(), link_target(&target)))
            }
            _ => out.push_str(&inner),
        }
    }

    /// Whether a link leads from a footnote back to a reference to it (or says it does: `↩`).
    fn is_back_link(&self, link: &NodeRef) -> bool {
        let href = link.attr("href").map(|h| h.trim().to_string());
        href.as_deref()
            .and_then(|h| h.strip_prefix('#'))
            .is_some_and(|id| self.note_refs.iter().any(|r| r == id))
            || link.text().trim() == "↩"
    }

    /// Whether an element is a footnote's ways back to its references and nothing else
    /// (Wikipedia's `<span class="mw-cite-backlink">^ <a>a</a> <a>b</a></span>`): its links
    /// all back-links, and no words outside them (a caret, spaces).
    fn is_back_links(&self, node: &NodeRef) -> bool {
        if self.note_refs.is_empty() || name(node) == "a" {
            return false;
        }
        let links: Vec<NodeRef> = node.descendants_it().filter(|d| name(d) == "a").collect();
        let in_link = |text: &NodeRef| {
            text.ancestors_it(None)
                .take_while(|a| a.id != node.id)
                .any(|a| name(&a) == "a")
        };
        let words = node
            .descendants_it()
            .filter(|d| d.is_text() && !in_link(d))
            .any(|t| t.text().chars().any(char::is_alphanumeric));
        !links.is_empty() && !words && links.iter().all(|l| self.is_back_link(l))
    }

    /// A link target made absolute against the page, or `None` where it leads nowhere a
    /// reader can follow.
    fn resolve(&self, href: &str) -> Option<String> {
        resolve(self.links.base.as_ref(), href)
    }

    /// The footnote number of a reference to `id`, when the link is one: a short marker
    /// (`1`, `[2]`, `*`), or marked as a note reference, pointing at a note elsewhere.
    fn note_number(&mut self, link: &NodeRef, id: &str) -> Option<usize> {
        if let Some(n) = self.notes.get(id).copied() {
            // A note called again (Wikipedia's `[1]` twice): its way back here is one too.
            self.remember_reference(link);
            return Some(n);
        }
        let target = self.links.targets.get(id)?;
        let text = clean(&link.text());
        let marked = attr_has(link, "role", &["noteref"])
            || attr_has(link, "epub:type", &["noteref"])
            || attr_has(link, "class", &["footnote", "noteref"])
            || link.parent().is_some_and(|p| name(&p) == "sup");
        let short = text.chars().count() <= 5
            && text
                .trim_matches(['[', ']', '(', ')'])
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "*†‡§".contains(c));
        let is_note = (marked || short)
            && !text.is_empty()
            && matches!(
                name(target).as_str(),
                "li" | "p" | "div" | "aside" | "section" | "dd" | "span"
            )
            && !target.text().trim().is_empty();
        if !is_note {
            return None;
        }
        let number = self.notes.len() + 1;
        self.notes.insert(id.to_string(), number);
        self.calls.insert(id.to_string(), text);
        self.remember_reference(link);
        Some(number)
    }

    /// The ids of a footnote reference (on its link, or on the superscript or span around it
    /// that holds nothing else; not the paragraph's), where the note's back-links lead.
    fn remember_reference(&mut self, link: &NodeRef) {
        let words = clean(&link.text());
        let wraps = |node: &NodeRef| {
            ["sup", "span", "small"].contains(&name(node).as_str()) && clean(&node.text()) == words
        };
        let around = link.ancestors(Some(2)).into_iter().take_while(wraps);
        for node in std::iter::once(*link).chain(around) {
            if let Some(ref_id) = node.attr("id") {
                self.note_refs.push(ref_id.to_string());
            }
        }
    }

    fn is_note_target(&self, node: &NodeRef) -> bool {
        node.attr("id")
            .is_some_and(|id| self.notes.contains_key(id.as_ref()))
    }

    /// A heading's inline Markdown: its words with their marks, the words of its links
    /// without the link (as a plain heading has them), no anchor mark or hidden part.
    fn heading_markdown(&mut self, node: &NodeRef) -> String {
        let mut out = String::new();
        for child in node.children() {
            if child.is_text() {
                push_text(&mut out, &child.text());
            } else if !child.is_element()
                || attr_has(&child, "aria-hidden", &["true"])
                || CHROME.contains(&name(&child).as_str())
                || is_anchor_mark(&child)
            {
                continue;
            } else if name(&child) == "br" {
                out.push(' ');
            } else if matches!(name(&child).as_str(), "a" | "span" | "font") {
                let inner = self.heading_markdown(&child);
                out.push_str(&inner);
            } else {
                self.inline(&child, &mut out);
            }
        }
        out
    }

    /// Text as a reader sees it: hidden elements left out.
    fn visible_text(&self, node: &NodeRef) -> String {
        let mut text = String::new();
        for child in node.children() {
            if child.is_text() {
                text.push_str(&child.text());
            } else if child.is_element()
                && !attr_has(&child, "aria-hidden", &["true"])
                && !CHROME.contains(&name(&child).as_str())
                && !is_anchor_mark(&child)
            {
                text.push(' ');
                text.push_str(&self.visible_text(&child));
            }
        }
        text
    }

    fn list(&mut self, node: &NodeRef) -> Vec<Block> {
        let ordered = name(node) == "ol";
        // Letters, Roman numerals or a countdown have no Markdown: the list as clean HTML.
        let numbered_otherwise = node.has_attr("reversed")
            || node
                .attr("type")
                .is_some_and(|t| matches!(t.trim(), "a" | "A" | "i" | "I"));
        // Only a list of plain items: one with headings, pictures, blocks or note calls in its
        // items keeps them in Markdown, numbered 1, 2, 3 (said in a warning).
        let plain = !node.descendants_it().any(|d| {
            let tag = name(&d);
            (is_block(&tag) && !matches!(tag.as_str(), "li" | "p"))
                || tag == "img"
                || tag == "a" && d.attr("href").is_some_and(|h| h.starts_with('#'))
        });
        if ordered && numbered_otherwise && plain {
            return vec![self.kept_html(node)];
        }
        if ordered && numbered_otherwise {
            self.dropped.push((
                "a list's numbering in letters, Roman numerals or counting down".into(),
                0,
            ));
        }
        let mut number: usize = node
            .attr("start")
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(1);
        let mut items = Vec::new();
        for item in node.element_children() {
            if name(&item) != "li" || self.is_note_target(&item) {
                continue;
            }
            let blocks = self.blocks(&item);
            if blocks.is_empty() {
                continue;
            }
            let marker = if ordered {
                format!("{number}. ")
            } else {
                "- ".to_string()
            };
            number += 1;
            // A nested list follows its item's text without a blank line (a tight list).
            let mut text = String::new();
            for (i, block) in blocks.iter().enumerate() {
                if i > 0 {
                    let nested = matches!(block, Block::Markdown { text } if is_list(text));
                    text.push_str(if nested { "\n" } else { "\n\n" });
                }
                text.push_str(&blocks_markdown(std::slice::from_ref(block)));
            }
            items.push(format!("{marker}{}", indent(&text, marker.len())));
        }
        if items.is_empty() {
            return Vec::new();
        }
        let loose = items.iter().any(|i| i.contains("\n\n"));
        vec![Block::Markdown {
            text: items.join(if loose { "\n\n" } else { "\n" }),
        }]
    }

    fn definitions(&mut self, node: &NodeRef) -> Vec<Block> {
        let mut lines: Vec<String> = Vec::new();
        let mut groups = Vec::new();
        for child in node.element_children() {
            let text = clean_breaks(&self.inline_of(&child));
            match name(&child).as_str() {
                "dt" if !text.is_empty() => {
                    if lines.last().is_some_and(|l| l.starts_with(": ")) {
                        groups.push(lines.join("\n"));
                        lines.clear();
                    }
                    // Terms of one definition (a name and its abbreviation), each on its
                    // line as a browser shows them, not run together.
                    if let Some(term) = lines.last_mut() {
                        term.push('\\');
                    }
                    lines.push(text);
                }
                "dd" if !text.is_empty() && !lines.is_empty() => lines.push(format!(": {text}")),
                "dd" if !text.is_empty() => groups.push(text),
                _ => {}
            }
        }
        if !lines.is_empty() {
            groups.push(lines.join("\n"));
        }
        groups
            .into_iter()
            .map(|text| Block::Markdown { text })
            .collect()
    }

    /// A table: a pipe table when every row has the same cells, one header row, and only
    /// inline content in the cells; else the table as clean HTML.
    fn table(&mut self, node: &NodeRef) -> Block {
        if let Some(text) = self.pipe_table(node) {
            return Block::Markdown { text };
        }
        self.kept_html(node)
    }

    /// An element as clean HTML in the body (a table, a list numbered in letters), its links
    /// made absolute and its pictures kept where they stand.
    fn kept_html(&mut self, node: &NodeRef) -> Block {
        let base = self.links.base.clone();
        // Its pictures stay where they stand, as raw HTML (the import stores those saved
        // beside the capture, as it stores every picture).
        let picture = |image: &xhtml::HtmlImage| {
            let src = image.src.trim();
            if src.is_empty() || src.starts_with("data:") && embedded_picture(src).is_none() {
                return String::new();
            }
            let alt = image.alt.map(clean).unwrap_or_default();
            format!(
                "<img src=\"{}\" alt=\"{}\"/>",
                xhtml::escape(src),
                xhtml::escape(&alt)
            )
        };
        let cleaned =
            xhtml::clean_node_with_images(node, &|href| resolve(base.as_ref(), href), &picture);
        self.dropped.extend(cleaned.dropped);
        Block::Markdown {
            text: cleaned.xhtml.trim().to_string(),
        }
    }

    fn pipe_table(&mut self, node: &NodeRef) -> Option<String> {
        if node
            .descendants_it()
            .any(|d| matches!(name(&d).as_str(), "caption" | "table"))
        {
            return None;
        }
        let rows = table_rows(node);
        let cells: Vec<Vec<NodeRef>> = rows
            .iter()
            .map(|r| {
                r.element_children()
                    .into_iter()
                    .filter(|c| matches!(name(c).as_str(), "td" | "th"))
                    .collect()
            })
            .collect();
        let width = cells.first()?.len();
        let header_row = cells[0].iter().all(|c| name(c) == "th");
        let fits = width > 0
            && header_row
            && cells.iter().all(|row| row.len() == width)
            && cells
                .iter()
                .flatten()
                .all(|c| !c.has_attr("colspan") && !c.has_attr("rowspan") && !has_blocks(c))
            && cells
                .iter()
                .skip(1)
                .all(|row| row.iter().any(|c| name(c) == "td"));
        if !fits {
            return None;
        }
        let mut lines = Vec::new();
        for (i, row) in cells.iter().enumerate() {
            let texts: Vec<String> = row
                .iter()
                .map(|c| clean_breaks(&self.inline_of(c)))
                .collect();
            lines.push(format!("| {} |", texts.join(" | ")));
            if i == 0 {
                let rule: Vec<&str> = (0..width).map(|n| column_alignment(&cells, n)).collect();
                lines.push(format!("|{}|", rule.join("|")));
            }
        }
        let text = lines.join("\n");
        // Line breaks in a cell have no pipe-table form.
        (!text.contains("\\\n")).then_some(text)
    }

    fn figure(&mut self, node: &NodeRef, blocks: &mut Vec<Block>) {
        let images = images_in(node);
        let caption_node = node
            .element_children()
            .into_iter()
            .find(|c| name(c) == "figcaption");
        let others: Vec<NodeRef> = node
            .element_children()
            .into_iter()
            .filter(|c| {
                name(c) != "figcaption" && images_in(c).is_empty() && !c.text().trim().is_empty()
            })
            .collect();
        let only_images = others.is_empty();
        if images.len() != 1 || !only_images && others.iter().any(has_blocks) {
            // A figure of code, a quote or several pictures: its content, then the caption;
            // a quotation's caption is its attribution, in the quote.
            let start = blocks.len();
            blocks.extend(self.blocks(node));
            if let [Block::Markdown { text: quote }, Block::Markdown { text: caption }] =
                &blocks[start..]
            {
                if quote.starts_with('>') && caption_node.is_some() {
                    let text = format!("{quote}\n>\n{}", prefix_lines(caption, "> ", ">"));
                    blocks.truncate(start);
                    blocks.push(Block::Markdown { text });
                }
            }
            return;
        }
        let (mut caption, credit) = match caption_node {
            Some(node) => self.caption_parts(&node),
            None => (String::new(), None),
        };
        // A credit beside the picture rather than in the caption.
        for credit in others {
            let text = clean_breaks(&self.inline_of(&credit));
            if !text.is_empty() {
                if !caption.is_empty() {
                    caption.push_str("\\\n");
                }
                caption.push_str(&text);
            }
        }
        let caption = (!caption.is_empty()).then_some(caption);
        blocks.extend(self.image(&images[0], caption, credit));
    }

    /// A figure's caption and, apart from it, the credit it ends with (`<small>`, a `credit`
    /// class, `Photo: …`): two pieces of metadata, which the page shows run together.
    fn caption_parts(&mut self, figcaption: &NodeRef) -> (String, Option<String>) {
        let children = figcaption.children();
        let last = children
            .iter()
            .rposition(|c| !c.text().trim().is_empty() || c.is_element() && name(c) == "img");
        let credit = last.filter(|&i| is_credit(&children[i]));
        let Some(at) = credit else {
            return split_credit(clean_breaks(&self.inline_of(figcaption)));
        };
        let caption = clean_breaks(&self.inline_nodes(&children[..at]));
        // The credit as the page marks it (`<small>`, emphasis).
        let credit = clean_breaks(&self.inline_nodes(&children[at..=at]));
        (caption, (!credit.is_empty()).then_some(credit))
    }

    /// An image with its caption; one with no address is counted as left out (by the words
    /// of its description), and its caption stays, as a paragraph.
    fn image(
        &mut self,
        node: &NodeRef,
        caption: Option<String>,
        credit: Option<String>,
    ) -> Option<Block> {
        if is_tracking_pixel(node) {
            return None;
        }
        if is_svg_picture(node) {
            return Some(Block::Image {
                src: svg_address(node),
                alt: svg_name(node),
                caption,
                credit,
                larger: Vec::new(),
                sources: Vec::new(),
            });
        }
        let Some(src) = image_source(node) else {
            let alt = node.attr("alt").map(|a| a.to_string()).unwrap_or_default();
            if !alt.trim().is_empty() {
                self.dropped.push(("img".into(), xhtml::word_count(&alt)));
            }
            let text = [caption, credit].into_iter().flatten().collect::<Vec<_>>();
            return (!text.is_empty()).then(|| Block::Markdown {
                text: text.join(" "),
            });
        };
        // Relative sources stay relative: an image saved beside the capture is found there.
        let src = if src.contains("://") || src.starts_with("//") {
            self.resolve(&src).unwrap_or(src)
        } else {
            src
        };
        let alt = node
            .attr("alt")
            .map(|a| clean(&a))
            .filter(|a| !a.is_empty());
        let larger = larger_sources(node, &src);
        let mut offered: Vec<(f64, String)> = node
            .attr(PICTURE_SOURCES)
            .map(|sets| srcset_candidates(&sets))
            .unwrap_or_default();
        offered.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut sources: Vec<String> = Vec::new();
        for (_, url) in offered {
            if url != src && !larger.contains(&url) && !sources.contains(&url) {
                sources.push(url);
            }
        }
        Some(Block::Image {
            src,
            alt,
            caption,
            credit,
            larger,
            sources,
        })
    }
}

/// Words that mark a caption's credit by its class.
const CREDIT_CLASSES: [&str; 5] = [
    "credit",
    "copyright",
    "attribution",
    "photographer",
    "byline",
];

/// Words a credit opens with, followed by a colon (`Photo: …`), in the languages of the
/// pages imported most: English, French, German, Spanish, Italian, Dutch, the Nordic ones.
const CREDIT_WORDS: [&str; 29] = [
    "photo",
    "photos",
    "photograph",
    "photography",
    "picture",
    "image",
    "images",
    "illustration",
    "credit",
    "credits",
    "crédit",
    "crédits",
    "source",
    "foto",
    "fotos",
    "bild",
    "quelle",
    "imagen",
    "fuente",
    "fonte",
    "beeld",
    "kilde",
    "تصوير",
    "صورة",
    "المصدر",
    "צילום",
    "写真",
    "摄影",
    "图片",
];

/// A credit's opening words before the name (`Photo by …`, `Foto von …`).
const CREDIT_BY: [&str; 7] = [
    "photo by ",
    "photograph by ",
    "picture by ",
    "illustration by ",
    "image by ",
    "foto von ",
    "foto di ",
];

/// Words that join the names of a credit (`Ann Keeper for Volt Ledger`, `Jan van Dijk`).
const NAME_JOINS: [&str; 14] = [
    "and", "for", "of", "via", "de", "da", "di", "del", "van", "von", "der", "den", "und", "et",
];

/// The most words a credit that is only names (`Ann Keeper/Reuters`) holds.
const CREDIT_NAME_WORDS: usize = 8;

/// Whether a ruby's parenthesis (`rp`) stands around a reading (`rt`) that is empty.
fn around_empty_reading(rp: &NodeRef) -> bool {
    let next = rp.next_element_sibling().filter(|n| name(n) == "rt");
    let reading = next.or_else(|| rp.prev_element_sibling().filter(|n| name(n) == "rt"));
    reading.is_some_and(|rt| rt.text().trim().is_empty())
}

/// A caption's part that is its credit: marked by its class, opening as one (`Photo: …`,
/// `© …`) or small print that is only names; small print alone is no credit (`<small>` also
/// sets a caption's note, which stays in the caption).
fn is_credit(node: &NodeRef) -> bool {
    if !node.is_element() {
        return false;
    }
    let text = clean(&node.text());
    attr_has(node, "class", &CREDIT_CLASSES)
        || opens_as_credit(&text)
        || name(node) == "small" && is_name_list(&text)
}

/// Opens with a credit's word and a colon (`Photo: …`), a credit's words before a name
/// (`Photo by …`) or a copyright mark (`© …`, `(c) …`).
fn opens_as_credit(text: &str) -> bool {
    let text = text.to_lowercase();
    text.starts_with('©')
        || text.starts_with("(c) ")
        || CREDIT_BY.iter().any(|b| text.starts_with(b))
        || CREDIT_WORDS.iter().any(|w| {
            text.strip_prefix(w)
                .is_some_and(|rest| rest.trim_start().starts_with([':', '：']))
        })
}

/// A short list of names or agencies (`Ailsa Grant`, `Ann Keeper/Reuters`, `AP, Getty
/// Images`): every word capitalised or a word joining names, none a number.
fn is_name_list(text: &str) -> bool {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | ',' | '&' | '|' | ';'))
        .filter(|w| !w.is_empty())
        .collect();
    let is_name = |w: &&str| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        !w.chars().any(|c| c.is_ascii_digit())
            && (capital || NAME_JOINS.contains(&w) || w.is_empty())
    };
    (1..=CREDIT_NAME_WORDS).contains(&words.len()) && words.iter().all(is_name)
}

/// The inline elements whose marks a heading keeps (bold is a heading's own weight).
const HEADING_MARKS: [&str; 12] = [
    "sub", "sup", "em", "i", "cite", "u", "mark", "s", "del", "ins", "code", "q",
];

/// Words a Chinese photo credit ends with (`新华社记者 王鹏 摄`: photographed by).
const CREDIT_ENDINGS: [&str; 3] = ["摄", "摄影", "供图"];

/// A caption without the credit in the parentheses it ends with, and that credit as the page
/// prints it, in its parentheses (the issue's metadata keeps the name alone).
fn split_credit(caption: String) -> (String, Option<String>) {
    match trailing_credit(&caption).or_else(|| ending_credit(&caption)) {
        Some((caption, credit)) => (caption, Some(credit)),
        None => (caption, None),
    }
}

/// A caption and the credit in the parentheses it ends with, parentheses and all, when that
/// reads as one (`…（新华社记者 王鹏 摄）`, `… (XINHUA)`, `… (Xinhua/Wang Song)`, `… (Photo: Ann
/// Keeper)`).
fn trailing_credit(caption: &str) -> Option<(String, String)> {
    let (open, close) = if caption.ends_with('）') {
        ('（', '）')
    } else {
        ('(', ')')
    };
    let inner_end = caption.strip_suffix(close)?;
    let at = inner_end.rfind(open)?;
    let credit = inner_end[at + open.len_utf8()..].trim();
    // `XINHUA`, `Xinhua/Wang Song`: an agency, or an agency and a photographer.
    let agency = credit.chars().any(char::is_alphabetic)
        && (!credit.chars().any(char::is_lowercase) || credit.contains('/'))
        && is_name_list(credit);
    let reads_as_credit =
        CREDIT_ENDINGS.iter().any(|e| credit.ends_with(e)) || opens_as_credit(credit) || agency;
    let before = inner_end[..at].trim_end();
    (reads_as_credit && !before.is_empty() && !credit.contains(open))
        .then(|| (before.to_string(), caption[at..].to_string()))
}

/// A caption and the credit its one text ends with after its last sentence, when that reads
/// as one: a credit's opening and names (`The pier at dusk. Photo: Lena Berg`).
fn ending_credit(caption: &str) -> Option<(String, String)> {
    let after_sentence = |i: usize| {
        caption[..i].ends_with(char::is_whitespace)
            && caption[..i]
                .trim_end()
                .ends_with(['.', '!', '?', ';', '|', '—', '–'])
    };
    let names = |credit: &str| {
        let lower = credit.to_lowercase();
        let rest = match credit.split_once(':') {
            Some((_, rest)) => rest,
            None => CREDIT_BY
                .iter()
                .find(|b| lower.starts_with(*b))
                .map_or(credit.trim_start_matches(['©', ' ']), |b| {
                    &credit[b.len()..]
                }),
        };
        is_name_list(rest.trim())
    };
    let at = caption
        .char_indices()
        .map(|(i, _)| i)
        .filter(|&i| i > 0 && after_sentence(i))
        .find(|&i| opens_as_credit(&caption[i..]) && names(&caption[i..]))?;
    let before = caption[..at].trim_end().trim_end_matches(['|', '—', '–']);
    Some((before.trim_end().to_string(), caption[at..].to_string()))
}

/// An inline wrapper (`font`, `span`: old pages wrap a whole article in one) that holds
/// blocks: a container, whose paragraphs stay apart.
fn wraps_blocks(node: &NodeRef) -> bool {
    matches!(name(node).as_str(), "span" | "font")
        && node
            .descendants_it()
            .any(|d| d.is_element() && is_block(&name(&d)))
}

/// An image's address: its `src`, a lazy loader's, or the largest of its `srcset` (a
/// `picture`'s, see [`super::prepare`]), never a placeholder `data:` address.
pub(super) fn image_source(node: &NodeRef) -> Option<String> {
    SOURCES
        .iter()
        .filter_map(|a| node.attr(a))
        .find_map(|s| usable(&s))
        .or_else(|| {
            SOURCE_SETS
                .iter()
                .filter_map(|a| node.attr(a))
                .find_map(|set| largest_source(&set))
        })
        .map(|s| optimised_original(&s).unwrap_or(s))
        .or_else(|| {
            // A picture the page carries in itself (a saved page's `data:` address).
            let src = node.attr("src")?.trim().to_string();
            embedded_picture(&src).map(|_| src)
        })
}

/// Every address an image names: each of its address attributes and each candidate of each
/// of its sets, in that order, never a placeholder `data:` address.
pub(super) fn image_addresses(node: &NodeRef) -> Vec<String> {
    let single = SOURCES
        .iter()
        .filter_map(|a| node.attr(a))
        .filter_map(|s| usable(&s));
    let sets = SOURCE_SETS
        .iter()
        .filter_map(|a| node.attr(a))
        .flat_map(|set| srcset_candidates(&set).into_iter().map(|(_, url)| url));
    single.chain(sets).collect()
}

/// An address as given, when it is one: not empty, not a placeholder `data:` address.
fn usable(address: &str) -> Option<String> {
    let address = address.trim();
    (!address.is_empty() && !address.starts_with("data:")).then(|| address.to_string())
}

/// The original of an image a framework's optimiser serves (Next.js's
/// `/_next/image?url=…&w=1920`): the address in its `url` parameter.
fn optimised_original(src: &str) -> Option<String> {
    let base = url::Url::parse("http://base.invalid/").ok()?;
    let parsed = base.join(src).ok()?;
    if !parsed.path().ends_with("/_next/image") {
        return None;
    }
    parsed
        .query_pairs()
        .find(|(k, _)| k == "url")
        .map(|(_, v)| v.into_owned())
        .filter(|v| !v.is_empty() && !v.starts_with("data:"))
}

/// The Unicode marks that set an element's text apart as HTML does (`<bdi>`, any element
/// with `dir`: an isolate; `<bdo dir>`: an override), so that `<bdi>إيمان</bdi>: 3 posts`
/// keeps its order and `<bdo dir="rtl">` reads as shown, in every edition.
fn direction_marks(node: &NodeRef) -> Option<(char, char)> {
    let dir = node.attr("dir").map(|d| d.trim().to_ascii_lowercase());
    let bdo = name(node) == "bdo";
    match (dir.as_deref(), bdo) {
        (Some("rtl"), true) => Some(('\u{202e}', '\u{202c}')),
        (Some("ltr"), true) => Some(('\u{202d}', '\u{202c}')),
        (Some("rtl"), false) => Some(('\u{2067}', '\u{2069}')),
        (Some("ltr"), false) => Some(('\u{2066}', '\u{2069}')),
        (Some("auto"), _) => Some(('\u{2068}', '\u{2069}')),
        _ if name(node) == "bdi" => Some(('\u{2068}', '\u{2069}')),
        _ => None,
    }
}

/// The widest and highest a picture is drawn to be an icon (a share button, a rating's star, a
/// forecast's sun, a menu's).
pub(super) const ICON_PIXELS: f64 = 48.0;

/// The length the page gives an element's `side` (`width`, `height`), in pixels.
pub(super) fn pixels(node: &NodeRef, side: &str) -> Option<f64> {
    node.attr(side)?.trim().trim_end_matches("px").parse().ok()
}

/// A web bug: an image a pixel or two wide and high, there to count readers, not to be seen.
fn is_tracking_pixel(node: &NodeRef) -> bool {
    let tiny = |side: &str| pixels(node, side).is_some_and(|n| n <= 2.0);
    tiny("width") && tiny("height")
}

/// The candidates of an image's sets larger than `src` (or the largest, where `src` is not
/// among them), the largest first.
fn larger_sources(node: &NodeRef, src: &str) -> Vec<String> {
    let mut candidates: Vec<(f64, String)> = SOURCE_SETS
        .iter()
        .filter_map(|a| node.attr(a))
        .flat_map(|set| srcset_candidates(&set))
        .collect();
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let own = candidates
        .iter()
        .find(|(_, url)| url == src)
        .map(|(size, _)| *size);
    if own.is_none() {
        candidates.truncate(1);
    }
    let mut larger: Vec<String> = Vec::new();
    for (size, url) in candidates {
        if own.is_none_or(|own| size > own) && url != src && !larger.contains(&url) {
            larger.push(url);
        }
    }
    larger
}

/// The candidate of a `srcset` with the largest width or density (the first when none says).
fn largest_source(srcset: &str) -> Option<String> {
    srcset_candidates(srcset)
        .into_iter()
        .fold(
            None,
            |best: Option<(f64, String)>, (size, url)| match best {
                Some((b, _)) if b >= size => best,
                _ => Some((size, url)),
            },
        )
        .map(|(_, url)| url)
}

/// The candidates of a `srcset` (`a.jpg 400w, b.jpg 2x`), each its width or density (1 where
/// it gives none) and its address, read as a browser reads them: an address runs to the next
/// space, so a comma inside one (`/w_300,h_200/a.jpg`) is part of it, and a comma after its
/// descriptor ends the candidate with or without a space (`a.jpg 1x,b.jpg 2x`). No `data:`
/// placeholder is a candidate.
pub(super) fn srcset_candidates(srcset: &str) -> Vec<(f64, String)> {
    let mut candidates = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.is_empty() {
            return candidates;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (run, after) = rest.split_at(end);
        let url = run.trim_end_matches(',');
        // An address that ends in a comma has no descriptor.
        let (descriptors, next) = match after.find(',') {
            _ if url.len() < run.len() => ("", after),
            Some(comma) => (&after[..comma], &after[comma + 1..]),
            None => (after, ""),
        };
        let size = descriptors
            .split_whitespace()
            .find_map(|d| d.strip_suffix(['w', 'x'])?.parse::<f64>().ok())
            .unwrap_or(1.0);
        if let Some(url) = usable(url) {
            candidates.push((size, url));
        }
        rest = next;
    }
}

/// The quotation marks around a quotation `depth` quotations deep, in a language.
fn quote_marks(language: Option<&str>, depth: usize) -> (&'static str, &'static str) {
    let primary = language
        .unwrap_or("")
        .split('-')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let (outer, inner) = match primary.as_str() {
        "fr" => (("«\u{a0}", "\u{a0}»"), ("“", "”")),
        "de" | "cs" | "sk" | "da" => (("„", "“"), ("‚", "‘")),
        "ja" => (("「", "」"), ("『", "』")),
        _ => (("“", "”"), ("‘", "’")),
    };
    if depth.is_multiple_of(2) {
        outer
    } else {
        inner
    }
}

/// `markdown` in a `span` of language `lang` (see [`html_wrap`]).
fn lang_span(lang: &str, markdown: &str) -> String {
    html_wrap(
        "span",
        &format!(" lang=\"{}\"", xhtml::escape(lang)),
        markdown,
    )
}

/// `markdown` in an inline HTML element (`<tag attributes>`), where it reads back as one run
/// of inline HTML with text and emphasis in it (no links, notes or images, which an EPUB's
/// reader of inline HTML would part from it); else `markdown` as it is. Spaces at its edges
/// stay outside.
fn html_wrap(tag: &str, attributes: &str, markdown: &str) -> String {
    let trimmed = markdown.trim();
    let plain = !trimmed.is_empty()
        && body::parser(trimmed).all(|e| {
            matches!(
                e,
                Event::Text(_)
                    | Event::Code(_)
                    | Event::InlineHtml(_)
                    | Event::SoftBreak
                    | Event::HardBreak
                    | Event::Start(Tag::Paragraph | Tag::Emphasis | Tag::Strong)
                    | Event::End(TagEnd::Paragraph | TagEnd::Emphasis | TagEnd::Strong)
            )
        });
    if !plain {
        return markdown.to_string();
    }
    let lead = if markdown.starts_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    let trail = if markdown.ends_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    format!("{lead}<{tag}{attributes}>{trimmed}</{tag}>{trail}")
}

/// A link target made absolute against `base`, or `None` where it leads nowhere a reader
/// can follow (`javascript:`, or relative with no page address).
pub fn resolve(base: Option<&url::Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.to_ascii_lowercase().starts_with("javascript:") {
        return None;
    }
    if let Ok(absolute) = url::Url::parse(href) {
        return matches!(absolute.scheme(), "http" | "https" | "mailto" | "ftp")
            .then(|| absolute.to_string());
    }
    base?.join(href).ok().map(|u| u.to_string())
}

/// A note's content without the mark it opens with when that repeats the page's call to it
/// (a sidenote's `<sup>1</sup> Leask…` for the call `1`), set apart from the words after it:
/// the body numbers its notes anew. `<b>1990</b> census` and `<sup>3</sup>He` keep theirs.
fn without_own_number<'a>(note: &NodeRef<'a>, call: &str) -> Vec<NodeRef<'a>> {
    let children = note.children();
    let first = children
        .iter()
        .position(|c| c.is_element() || !c.text().trim().is_empty());
    let Some(first) = first else {
        return children;
    };
    let mark = &children[first];
    let bare = |t: &str| clean(t).trim_matches(['[', ']', '(', ')', '.']).to_string();
    let repeats = !call.is_empty() && bare(&mark.text()) == bare(call);
    let marks = ["sup", "span", "small", "b", "strong"];
    let apart = children.get(first + 1).is_none_or(|next| {
        let text = next.text();
        !next.is_text() || text.is_empty() || text.starts_with(char::is_whitespace)
    });
    if mark.is_element() && marks.contains(&name(mark).as_str()) && repeats && apart {
        return children[first + 1..].to_vec();
    }
    children
}

/// Whether Markdown is one run of strong emphasis, whole.
fn all_bold(markdown: &str) -> bool {
    markdown
        .strip_prefix("**")
        .and_then(|m| m.strip_suffix("**"))
        .is_some_and(|inner| !inner.contains("**"))
}

/// The rows of a table itself (not of tables inside it).
pub(super) fn table_rows<'a>(table: &NodeRef<'a>) -> Vec<NodeRef<'a>> {
    let mut rows = Vec::new();
    for child in table.element_children() {
        match name(&child).as_str() {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => rows.extend(
                child
                    .element_children()
                    .into_iter()
                    .filter(|r| name(r) == "tr"),
            ),
            _ => {}
        }
    }
    rows
}

pub(super) fn images_in<'a>(node: &NodeRef<'a>) -> Vec<NodeRef<'a>> {
    if name(node) == "img" || is_svg_picture(node) {
        return vec![*node];
    }
    if !node.is_element() || attr_has(node, "aria-hidden", &["true"]) {
        return Vec::new();
    }
    node.element_children().iter().flat_map(images_in).collect()
}

/// A heading's link to itself shown as a mark (`¶`, `#`, `§`): no words of the heading.
fn is_anchor_mark(node: &NodeRef) -> bool {
    name(node) == "a"
        && node.attr("href").is_some_and(|h| h.starts_with('#'))
        && !node.text().chars().any(char::is_alphanumeric)
}

fn has_blocks(node: &NodeRef) -> bool {
    node.element_children()
        .iter()
        .any(|c| is_block(&name(c)) && name(c) != "p" || has_blocks(c))
}

/// A column's alignment: the one every cell under its header has (a header cell's own
/// aligns that cell alone).
fn column_alignment(cells: &[Vec<NodeRef>], column: usize) -> &'static str {
    let mut aligns = cells[1..].iter().map(|row| alignment(&row[column]));
    let first = aligns.next().unwrap_or("---");
    if aligns.all(|a| a == first) {
        first
    } else {
        "---"
    }
}

/// `:--`, `--:` or `:-:` from a cell's `align` or `text-align`.
fn alignment(cell: &NodeRef) -> &'static str {
    let style = cell
        .attr(ALIGN)
        .or_else(|| cell.attr("align"))
        .or_else(|| cell.attr("style"))
        .map(|s| s.to_ascii_lowercase())
        .unwrap_or_default();
    if style.contains("center") {
        ":-:"
    } else if style.contains("right") {
        "--:"
    } else if style.contains("left") {
        ":--"
    } else {
        "---"
    }
}

fn is_list(markdown: &str) -> bool {
    markdown.starts_with("- ")
        || markdown
            .split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Lines after the first indented by `width` spaces (list items, footnotes).
fn indent(text: &str, width: usize) -> String {
    let pad = " ".repeat(width);
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 || l.is_empty() {
                l.to_string()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn prefix_lines(text: &str, prefix: &str, empty: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                empty.to_string()
            } else {
                format!("{prefix}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text into inline Markdown: whitespace collapsed (a space kept at the edges) and escaped.
fn push_text(out: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    let collapsed = keeping_no_breaks(text);
    if text.starts_with(collapses) && !out.ends_with([' ', '\n']) && !out.is_empty() {
        out.push(' ');
    }
    out.push_str(&escape(&collapsed));
    if text.ends_with(collapses) && !collapsed.is_empty() {
        out.push(' ');
    }
}

/// Hard breaks tidied: no spaces around them, none at the ends, and two in a row part
/// paragraphs.
fn tidy_breaks(text: &str) -> String {
    // Nothing but spaces, no-break ones among them (`<p>&nbsp;</p>`): nothing.
    if text.trim().is_empty() {
        return String::new();
    }
    let mut out = text.to_string();
    for (from, to) in [(" \\\n", "\\\n"), ("\\\n ", "\\\n"), ("\\\n\\\n", "\n\n")] {
        while out.contains(from) {
            out = out.replace(from, to);
        }
    }
    let mut out = out.replace("\n\n\\\n", "\n\n");
    while out.contains("  ") {
        out = out.replace("  ", " ");
    }
    // Leading breaks and spaces go; a backslash that escapes the first character (`\<any>`,
    // `\*`) stays.
    let mut out = out.as_str();
    loop {
        let trimmed = out.trim_start_matches(['\n', ' ']);
        match trimmed.strip_prefix("\\\n") {
            Some(rest) => out = rest,
            None if trimmed == "\\" => return String::new(),
            None => return trimmed.to_string(),
        }
    }
}

/// Inline Markdown on one line (headings, cells, terms): breaks become spaces.
fn clean_breaks(text: &str) -> String {
    clean(&text.replace("\\\n", " ").replace('\n', " "))
}

/// A code span around `text`, with more backticks than any run inside it.
fn code_span(text: &str) -> String {
    let longest = longest_run(text, '`');
    let ticks = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// A `<pre>` as a fenced code block, with the language its classes or attributes name.
pub fn code_block(node: &NodeRef) -> Option<Block> {
    let mut text = String::new();
    preformatted_text(node, &mut text);
    let text = text
        .trim_end_matches(['\n', ' ', '\t'])
        .trim_start_matches('\n');
    if text.trim().is_empty() {
        return None;
    }
    let language = code_language(node).unwrap_or_default();
    Some(Block::Markdown {
        text: fenced(text, &language),
    })
}

fn preformatted_text(node: &NodeRef, out: &mut String) {
    for child in node.children() {
        if child.is_text() {
            out.push_str(&child.text().replace("\r\n", "\n"));
        } else if name(&child) == "br" {
            out.push('\n');
        } else if child.is_element() {
            preformatted_text(&child, out);
        }
    }
}

/// `language-rust`, `lang-rust`, `highlight-source-rust`, `brush: rust`, `data-lang`.
pub(super) fn code_language(node: &NodeRef) -> Option<String> {
    let candidates = std::iter::once(*node)
        .chain(
            node.element_children()
                .into_iter()
                .filter(|c| name(c) == "code"),
        )
        .chain(node.parent());
    for candidate in candidates {
        for attr in ["data-lang", "data-language"] {
            if let Some(lang) = candidate.attr(attr).map(|l| l.trim().to_ascii_lowercase()) {
                if is_language_name(&lang) {
                    return Some(lang);
                }
            }
        }
        let class = candidate.attr("class").unwrap_or_default().to_string();
        let words: Vec<&str> = class.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            let word = word.to_ascii_lowercase();
            let named = ["language-", "lang-", "highlight-source-", "highlight-"]
                .iter()
                .find_map(|p| word.strip_prefix(p).map(str::to_string))
                .or_else(|| {
                    (word == "brush:")
                        .then(|| {
                            words
                                .get(i + 1)
                                .map(|w| w.trim_end_matches(';').to_string())
                        })
                        .flatten()
                });
            if let Some(lang) = named.filter(|l| is_language_name(l)) {
                return Some(lang);
            }
        }
        if let Some(lang) = highlighted_language(&words) {
            return Some(lang);
        }
    }
    None
}

/// Classes of a highlighted block that name no language.
const HIGHLIGHT_CLASSES: [&str; 12] = [
    "highlight",
    "sourcecode",
    "hljs",
    "code",
    "chroma",
    "notranslate",
    "nohighlight",
    "prettyprint",
    "linenums",
    "numberlines",
    "syntax",
    "wrap",
];

/// The language a highlighter's classes give as a word of its own (`highlight python`,
/// `sourceCode rust`, `hljs sql`).
fn highlighted_language(words: &[&str]) -> Option<String> {
    let words: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
    let highlighted = words
        .iter()
        .any(|w| matches!(w.as_str(), "highlight" | "sourcecode" | "hljs"));
    if !highlighted {
        return None;
    }
    words.into_iter().find(|w| {
        !HIGHLIGHT_CLASSES.contains(&w.as_str()) && !w.contains(['-', '_']) && is_language_name(w)
    })
}

fn is_language_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 20
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '-' | '_' | '.'))
}

/// Inline HTML (MathML) inside Markdown text: the text between its tags is Markdown, so what
/// Markdown would read as markup is escaped there.
fn escape_inline_html(xhtml: &str) -> String {
    let mut out = String::with_capacity(xhtml.len());
    let mut in_tag = false;
    for c in xhtml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag
                && matches!(
                    c,
                    '\\' | '*' | '_' | '`' | '[' | ']' | '~' | '^' | '$' | '|'
                ) =>
            {
                out.push('\\')
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// How many emphasis, strong emphasis and strikethrough spans `markdown` reads as.
fn marks_read(markdown: &str) -> usize {
    body::parser(markdown)
        .filter(|e| {
            matches!(
                e,
                Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough)
            )
        })
        .count()
}

/// True when the node is or holds a `math` element.
fn holds_math(node: &NodeRef) -> bool {
    name(node) == "math" || node.descendants_it().any(|d| name(&d) == "math")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_accepts_only;
    use dom_query::Document;

    fn markdown(html: &str, base: Option<&str>) -> String {
        let document = Document::from(html);
        let mut converter = Converter::new(Links {
            base: base.map(|b| url::Url::parse(b).unwrap()),
            targets: BTreeMap::new(),
            language: Some("en".into()),
        });
        let body = document.select("body");
        let blocks = converter.convert(&body.nodes()[0]);
        blocks_markdown(&blocks)
    }

    #[test]
    fn a_list_numbered_in_letters_or_counting_down_is_kept_as_html_and_others_as_markdown() {
        assert_eq!(
            markdown(
                "<ol type=\"a\"><li>Cut the <em>rope</em></li><li>Step (b)</li></ol>\
                 <ol start=\"5\" reversed><li>Five</li><li>Four</li></ol>\
                 <ol start=\"3\"><li>Three</li></ol>",
                None
            ),
            "<ol type=\"a\"><li>Cut the <em>rope</em></li>\n<li>Step (b)</li>\n</ol>\n\n\
             <ol start=\"5\" reversed=\"\"><li>Five</li>\n<li>Four</li>\n</ol>\n\n3. Three"
        );
        // Items with headings or note calls keep them, in Markdown.
        let mut converter = Converter::new(Links {
            base: None,
            targets: BTreeMap::new(),
            language: None,
        });
        let document = Document::from(
            "<ol reversed><li><h3>Glen bothy</h3><p>Open all year.</p></li><li><h3>Refuge</h3>\
             </li></ol>",
        );
        let blocks = converter.convert(&document.select("body").nodes()[0]);
        assert_eq!(
            blocks_markdown(&blocks),
            "1. ### Glen bothy\n\n   Open all year.\n\n2. ### Refuge"
        );
        assert_eq!(converter.dropped.len(), 1);
    }

    #[test]
    fn a_sidenote_s_own_number_is_not_repeated_in_its_footnote() {
        let html = "<p>He would not wait.<sup><a href=\"#sn-1\">1</a></sup> He wrote his own.</p>\
             <aside class=\"sidenote\" id=\"sn-1\"><sup>1</sup> Leask worked for <b>31</b> \
             years.</aside><p id=\"n2\"><sup>2022</sup> was the year.</p>\
             <p>Helium.<sup><a href=\"#n3\">3</a></sup> A census.<sup><a href=\"#n4\">4</a></sup></p>\
             <p id=\"n3\"><sup>3</sup>He is light.</p><p id=\"n4\"><b>1990</b> census.</p>";
        let document = Document::from(html);
        let mut converter = Converter::new(Links {
            base: None,
            targets: super::super::targets(&[&document]),
            language: Some("en".into()),
        });
        let blocks = converter.convert(&document.select("body").nodes()[0]);
        assert_eq!(
            blocks_markdown(&blocks),
            "He would not wait.[^1] He wrote his own.\n\n<sup>2022</sup> was the year.\n\n\
             Helium.[^2] A census.[^3]\n\n[^1]: Leask worked for **31** years.\n\n\
             [^2]: <sup>3</sup>He is light.\n\n[^3]: **1990** census."
        );
    }

    #[test]
    fn terms_of_one_definition_keep_their_own_lines() {
        let read = markdown(
            "<dl><dt>District metered area</dt><dt>DMA</dt><dd>A zone of the network.</dd>\
             <dt>Leak</dt><dd>Water lost.</dd></dl>",
            None,
        );
        assert_eq!(
            read,
            "District metered area\\\nDMA\n: A zone of the network.\n\nLeak\n: Water lost."
        );
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, body::parser(&read));
        assert!(
            html.contains("<dt>District metered area<br />\nDMA</dt>"),
            "{html}"
        );
    }

    #[test]
    fn a_disclosure_s_summary_is_its_bold_label_before_what_it_discloses() {
        assert_eq!(
            markdown(
                "<details><summary>Can I still buy a <em>ten-journey</em> book?</summary>\
                 <p>Yes, at the office.</p></details><details><summary><h3>Fares</h3></summary>\
                 <p>Higher.</p></details><details><summary><b>Q:</b> Visitors?</summary>\
                 <p>Yes.</p></details>",
                None
            ),
            "**Can I still buy a *ten-journey* book?**\n\nYes, at the office.\n\n### Fares\
             \n\nHigher.\n\n**Q: Visitors?**\n\nYes."
        );
    }

    #[test]
    fn a_heading_keeps_its_subscripts_italics_and_highlights_and_a_plain_one_stays_plain() {
        assert_eq!(
            markdown(
                "<h2 id=\"m2\">Why M<sub>2</sub> matters <em>most</em> <mark>now</mark>\
                 <a class=\"anchor\" href=\"#m2\">¶</a></h2><h3><a href=\"/x\">The *real* \
                 <strong>cost</strong></a></h3><h3>Notes on <i>The Girl Morven</i> at \
                 <a href=\"/y\">sea</a></h3><h2>Part two<br><em>What the models miss</em></h2>",
                None
            ),
            "## Why M<sub>2</sub> matters *most* <mark>now</mark>\n\n### The \\*real\\* cost\
             \n\n### Notes on *The Girl Morven* at sea\n\n## Part two *What the models miss*"
        );
    }

    #[test]
    fn text_set_apart_in_its_own_direction_keeps_it_as_the_browser_shows_it() {
        assert_eq!(
            markdown(
                "<p>Most active: <bdi>إيمان</bdi>: 3 posts; <bdo dir=\"rtl\">DESREVER</bdo>; \
                 call <span dir=\"ltr\">+1 555 0100</span> or <em dir=\"rtl\">שלום</em></p>",
                None
            ),
            "Most active: \u{2068}إيمان\u{2069}\\: 3 posts; \u{202e}DESREVER\u{202c}; call \
             \u{2066}+1 555 0100\u{2069} or \u{2067}*שלום*\u{2069}"
        );
    }

    #[test]
    fn no_break_spaces_stay_where_the_page_writes_them_and_ordinary_spaces_collapse() {
        assert_eq!(
            markdown(
                "<p>M.&nbsp;Dupont  heats it to 180&#160;°C,\n  then\u{202f}waits.&nbsp;</p>",
                None
            ),
            "M.\u{a0}Dupont heats it to 180\u{a0}°C, then\u{202f}waits."
        );
        // A poem's indented line; a paragraph of nothing but a no-break space is none.
        assert_eq!(
            markdown(
                "<p>The tide comes in<br>\n&nbsp;&nbsp;&nbsp;&nbsp;twice a day</p><p>&nbsp;</p><p> <b>a</b>&nbsp;<b>b</b></p>",
                None
            ),
            "The tide comes in\\\n\u{a0}\u{a0}\u{a0}\u{a0}twice a day\n\n**a**\u{a0}**b**"
        );
    }

    #[test]
    fn emphasis_that_markdown_cannot_mark_inside_a_word_is_kept_as_html() {
        assert_eq!(
            markdown("<p>a<em>\"quoted\"</em>b and <b>bold</b> text</p>", None),
            "a<em>\"quoted\"</em>b and <strong>bold</strong> text"
        );
        assert_eq!(
            markdown("<p>an <em>easy </em>one</p>", None),
            "an *easy* one"
        );
    }

    #[test]
    fn a_ruby_reading_is_in_parentheses_and_an_empty_one_adds_nothing() {
        assert_eq!(
            markdown(
                "<p><ruby>東京<rt></rt></ruby>の<ruby>地名<rt>ちめい</rt></ruby>と\
                 <ruby>kanji<rt> </rt></ruby> and <ruby>漢<rt>kan</rt></ruby>, \
                 <ruby>字<rp>(</rp><rt></rt><rp>)</rp></ruby> and \
                 <ruby>字<rp>(</rp><rt>ji</rt><rp>)</rp></ruby></p>",
                None
            ),
            "東京の地名（ちめい）とkanji and 漢(kan), 字 and 字(ji)"
        );
    }

    #[test]
    fn nested_lists_stay_nested_and_numbered_lists_keep_their_start() {
        assert_eq!(
            markdown(
                "<ol start=3><li>three<ul><li>a</li><li>b</li></ul></li><li>four</li></ol>",
                None
            ),
            "3. three\n   - a\n   - b\n4. four"
        );
    }

    #[test]
    fn links_are_made_absolute_or_left_as_their_text() {
        assert_eq!(
            markdown(
                "<p><a href=\"/a b\">one</a> <a href=\"javascript:x()\">two</a></p>",
                Some("https://example.org/x/")
            ),
            "[one](https://example.org/a%20b) two"
        );
        assert_eq!(markdown("<p><a href=\"/a\">one</a></p>", None), "one");
        assert_eq!(markdown("<p>use <code>a`b</code></p>", None), "use ``a`b``");
    }

    #[test]
    fn a_caption_s_credit_is_kept_apart_from_it_and_a_caption_that_is_only_words_is_whole() {
        let figure = |caption: &str| {
            markdown(
                &format!("<figure><img src=\"https://x.example/a.jpg\" alt=\"A\"><figcaption>{caption}</figcaption></figure>"),
                None,
            )
        };
        assert_eq!(
            figure("The pier at dusk.<small>Ann Keeper</small>"),
            "![A](https://x.example/a.jpg)\n\nThe pier at dusk. <small>Ann Keeper</small>"
        );
        assert_eq!(
            figure("The pier at <em>dusk</em>"),
            "![A](https://x.example/a.jpg)\n\nThe pier at *dusk*"
        );
        assert_eq!(
            figure("<span class=\"credit\">Photo: Ann Keeper</span>"),
            "![A](https://x.example/a.jpg)\n\nPhoto: Ann Keeper"
        );
    }

    #[test]
    fn a_credit_that_ends_a_caption_s_one_text_is_apart_as_when_it_is_its_own_element() {
        let split = |caption: &str| split_credit(caption.to_string());
        assert_eq!(
            split("Seals on the sandbank at low tide. Photo: Lena Berg"),
            (
                "Seals on the sandbank at low tide.".into(),
                Some("Photo: Lena Berg".into())
            )
        );
        assert_eq!(
            split("The ferry leaves at dawn — Photo by Jan van Dijk"),
            (
                "The ferry leaves at dawn".into(),
                Some("Photo by Jan van Dijk".into())
            )
        );
        // A sentence that speaks of a photo, or a credit not of names, stays in the caption.
        for whole in [
            "The winning entry. Photo: taken from the pier at night",
            "Photo: Lena Berg",
            "The pier. Source: the harbour board's 1998 survey",
        ] {
            assert_eq!(split(whole), (whole.into(), None));
        }
    }

    #[test]
    fn a_character_escaped_at_the_start_of_a_link_or_paragraph_keeps_its_escape() {
        let html = "<div><p>A <a href=\"https://example.org/any\">&lt;any&gt;</a> value.</p>\
                    <p>*Starred* text, <a href=\"https://example.org/s\">*</a>.</p></div>";
        let markdown = markdown(html, None);
        assert_eq!(
            markdown,
            "A [\\<any>](https://example.org/any) value.\n\n\\*Starred\\* text, [\\*](https://example.org/s)."
        );
        assert_eq!(
            body::plain_text(&markdown),
            "A <any> value. *Starred* text, *."
        );
    }

    #[test]
    fn two_breaks_part_paragraphs_inside_an_inline_wrapper_and_a_bold_line_stands_alone() {
        let wrapped = "<div><font size=\"2\">By ANN KEEPER<br><br>The first line.<br><br>\
                       <b>A new part</b><br><br>The <span>second <br><br>line.</span></font></div>";
        assert_eq!(
            markdown(wrapped, None),
            "By ANN KEEPER\n\nThe first line.\n\n**A new part**\n\nThe second\n\nline."
        );
        let blocks =
            "<div><span><p>One.</p><table><tr><td>a</td></tr></table><p>Two.</p></span></div>";
        assert!(markdown(blocks, None).starts_with("One.\n\n<table>"));
    }

    #[test]
    fn a_credit_in_the_parentheses_a_caption_ends_with_is_apart_with_them_only_when_it_reads_as_one(
    ) {
        let split = |caption: &str| split_credit(caption.to_string());
        assert_eq!(
            split("图为施工现场（新华社记者 王鹏 摄）"),
            ("图为施工现场".into(), Some("（新华社记者 王鹏 摄）".into()))
        );
        assert_eq!(
            split("The canal, May 2008 (XINHUA)"),
            ("The canal, May 2008".into(), Some("(XINHUA)".into()))
        );
        // A credit labelled in Arabic, Hebrew or Japanese.
        assert_eq!(
            split("سوق الخضار في الصباح (تصوير: يوسف منصور)"),
            (
                "سوق الخضار في الصباح".into(),
                Some("(تصوير: يوسف منصور)".into())
            )
        );
        assert_eq!(
            split("港の朝（写真：共同）"),
            ("港の朝".into(), Some("（写真：共同）".into()))
        );
        assert_eq!(
            split("השוק בבוקר (צילום: דנה לוי)"),
            ("השוק בבוקר".into(), Some("(צילום: דנה לוי)".into()))
        );
        assert_eq!(
            split("A slide. (Xinhua/Wang Song)"),
            ("A slide.".into(), Some("(Xinhua/Wang Song)".into()))
        );
        for whole in [
            "The dam (Hebei Province)",
            "(AP)",
            "The dam (seen from the north)",
        ] {
            assert_eq!(split(whole), (whole.into(), None));
        }
    }

    #[test]
    fn small_print_is_a_credit_only_when_it_reads_as_one() {
        let credit = |html: &str| {
            let document = Document::from(format!("<p>{html}</p>"));
            let node = document.select("p").nodes()[0].first_child().unwrap();
            is_credit(&node)
        };
        assert_accepts_only(
            credit,
            &[
                "<small>Ailsa Grant</small>",
                "<small>Ann Keeper/Reuters</small>",
                "<small>AP, Getty Images</small>",
                "<small>Lena Ortiz for Volt Ledger</small>",
                "<small>Photo: a reader</small>",
                "<small>Foto: Jan van Dijk</small>",
                "<small>photo by the author</small>",
                "<small>© the harbour board</small>",
                "<small>(c) the harbour board</small>",
                "<span class=\"credit\">the harbour board</span>",
            ],
            &[
                "<small>Figures for 2020 and 2021 exclude the lockdown months.</small>",
                "<small>Not to scale</small>",
                "<small>Source data revised in May</small>",
                "<small>Photographs taken in 2019 show the old ramp</small>",
            ],
        );
    }

    #[test]
    fn a_srcset_is_read_as_a_browser_reads_it_commas_in_addresses_and_none_after_spaces() {
        let addresses = |set: &str| {
            srcset_candidates(set)
                .into_iter()
                .map(|(size, url)| format!("{url} {size}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(addresses("a.jpg 1x,b.jpg 2x"), ["a.jpg 1", "b.jpg 2"]);
        assert_eq!(
            addresses("https://img.example/w_300,h_200/a.jpg 300w, https://img.example/w_600,h_400/a.jpg 600w"),
            [
                "https://img.example/w_300,h_200/a.jpg 300",
                "https://img.example/w_600,h_400/a.jpg 600"
            ]
        );
        assert_eq!(
            addresses("data:image/gif;base64,R0lG 1w, c.jpg, d.jpg 640w 480h"),
            ["c.jpg 1", "d.jpg 640"]
        );
        assert_eq!(
            largest_source("a.jpg 1x,b.jpg 2x").as_deref(),
            Some("b.jpg")
        );
    }

    #[test]
    fn a_highlighter_s_class_names_the_language_and_its_own_classes_do_not() {
        assert_eq!(
            markdown(
                "<pre class=\"highlight python\"><code>x = 1</code></pre>",
                None
            ),
            "```python\nx = 1\n```"
        );
        assert_eq!(
            markdown(
                "<div class=\"highlight\"><pre class=\"highlight\"><code>x</code></pre></div>",
                None
            ),
            "```\nx\n```"
        );
    }
}
