//! Raw HTML in a body (what `import-web` keeps when Markdown cannot say it, or what an author
//! writes by hand) read into the blocks the edition sets, so that its structure survives:
//! tables with their caption, header rows and spans; paragraphs, quotes, lists, definition
//! lists, preformatted text and headings; inline marks the composer has (italic, bold,
//! strikethrough, sub- and superscript, code, links, line breaks, quotations). What the PDF
//! cannot show as written (a highlight, an underline, an image in HTML) keeps its text and is
//! named in `lost`, for the export's warning: never flattened silently.

use super::inline::{count, marks_of, plain, push, trim, Langs, Mark, Open, Rich};
use super::markdown::{Align, Block, Cell, Table};
use crate::model::body::xhtml::{cell_alignment, local_name};
use dom_query::{Document, NodeRef};
use std::collections::BTreeSet;

/// The most columns or rows a cell may span (more is a mistake in the source).
const MAX_SPAN: usize = 64;

/// What an inline element does to the text in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inline {
    Mark(Mark),
    Link,
    Break,
    /// Quotation marks around it.
    Quote,
    /// Its text, with nothing to show besides (`span`, `abbr`, `time`).
    Plain,
    /// Its text, its look lost: what the warning says is not shown.
    Lost(&'static str),
}

/// How an inline element is set; `None` for a block or an unknown element.
pub fn inline(name: &str) -> Option<Inline> {
    Some(match name {
        "em" | "i" | "cite" | "var" | "dfn" => Inline::Mark(Mark::Italic),
        "strong" | "b" => Inline::Mark(Mark::Bold),
        "s" | "del" | "strike" => Inline::Mark(Mark::Strike),
        "sup" => Inline::Mark(Mark::Super),
        "sub" => Inline::Mark(Mark::Sub),
        "code" | "kbd" | "samp" | "tt" => Inline::Mark(Mark::Code),
        "a" => Inline::Link,
        "br" => Inline::Break,
        "q" => Inline::Quote,
        "span" | "abbr" | "time" | "bdi" | "bdo" | "data" | "wbr" | "font" => Inline::Plain,
        "u" | "ins" => Inline::Mark(Mark::Underline),
        "mark" => Inline::Lost("highlight not shown, text kept"),
        "small" => Inline::Mark(Mark::Small),
        "big" => Inline::Lost("size change not shown, text kept"),
        _ => return None,
    })
}

/// How a lost element is named in the warning.
pub fn lost(name: &str, what: &str) -> String {
    format!("<{name}> ({what})")
}

/// Elements that never hold text (no closing tag follows them).
pub fn is_void(name: &str) -> bool {
    matches!(
        name,
        "br" | "wbr" | "img" | "hr" | "input" | "source" | "track" | "area" | "col" | "embed"
    )
}

/// An attribute of the opening tag `tag` of element `name`, as an HTML parser reads it.
pub fn attribute(tag: &str, name: &str, attribute: &str) -> Option<String> {
    Document::fragment(format!("{tag}</{name}>"))
        .select(name)
        .attr(attribute)
        .map(|value| value.to_string())
}

/// The quotation marks `<q>` is set in.
pub const QUOTES: (&str, &str) = ("\u{201c}", "\u{201d}");

/// Elements whose content is dropped with them (the body dialect's cleaning drops them too).
const DROPPED: [&str; 12] = [
    "script", "style", "template", "noscript", "iframe", "object", "embed", "video", "audio",
    "canvas", "svg", "form",
];

/// Containers set as the paragraphs in them (a parsed fragment is in `html`).
const CONTAINERS: [&str; 15] = [
    "html",
    "body",
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "figure",
    "figcaption",
    "center",
    "address",
    "details",
];

/// Whether an `<aside>` is a pull quote (its class says so: `pullquote`, `pull-quote`).
fn is_pull_quote(node: &NodeRef) -> bool {
    node.attr("class").is_some_and(|class| {
        class
            .split_whitespace()
            .any(|c| c.to_ascii_lowercase().replace(['-', '_'], "") == "pullquote")
    })
}

/// A MathML formula as the edition sets it (as it sets Markdown maths): its TeX source, from
/// its TeX annotation or its `alttext` (`{\displaystyle …}` unwrapped), and `true`; or, when
/// it has neither, its text and `false`.
pub fn math_source(math: &NodeRef) -> (String, bool) {
    let annotation = math
        .descendants()
        .into_iter()
        .find(|n| {
            local_name(n) == "annotation" && n.attr("encoding").is_some_and(|e| e.contains("tex"))
        })
        .map(|n| n.text().to_string());
    let tex = annotation.or_else(|| math.attr("alttext").map(|a| a.to_string()));
    match tex.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) {
        Some(tex) => {
            let inner = tex
                .strip_prefix("{\\displaystyle")
                .and_then(|t| t.strip_suffix('}'))
                .map_or(tex.as_str(), str::trim);
            (inner.to_string(), true)
        }
        None => {
            let text = linear(math);
            (text.split_whitespace().collect::<Vec<_>>().join(" "), false)
        }
    }
}

/// Operators set with a space on each side in a formula's linear form.
const SPACED_OPERATORS: &str = "=≈≠<>≤≥±×÷→⇒∈+−";

/// A MathML formula written on one line as its structure reads: `x^2`, `a_i`, `(a)/(b)`,
/// `√(x)`, a matrix's rows in brackets (the TeX-less fallback: its bare text would run a
/// power into its base, `0.92.5` for 0.9 to the 2.5).
fn linear(node: &NodeRef) -> String {
    let parts: Vec<NodeRef> = node.element_children();
    let part = |n: usize| parts.get(n).map(grouped).unwrap_or_default();
    // A script (a power, an index) is bracketed unless it is one number or name.
    let script = |n: usize| {
        let text = part(n);
        match text.chars().all(|c| c.is_alphanumeric() || c == '.') || bracketed(&text) {
            true => text,
            false => format!("({text})"),
        }
    };
    let text = match local_name(node).as_str() {
        "msup" | "mover" => format!("{}^{}", part(0), script(1)),
        "msub" | "munder" => format!("{}_{}", part(0), script(1)),
        "msubsup" | "munderover" => format!("{}_{}^{}", part(0), script(1), script(2)),
        "mfrac" => format!("{}/{}", part(0), part(1)),
        "msqrt" => format!("√{}", grouped_row(&parts)),
        "mroot" => format!("{}√{}", part(1), part(0)),
        "mtable" => {
            let rows: Vec<String> = parts.iter().map(linear).collect();
            format!("[{}]", rows.join("; "))
        }
        "mtr" | "mlabeledtr" => parts.iter().map(linear).collect::<Vec<_>>().join(", "),
        "annotation" | "annotation-xml" => String::new(),
        "semantics" => parts.first().map(linear).unwrap_or_default(),
        "mo" => {
            let op = node.text().trim().to_string();
            match op.chars().count() == 1 && SPACED_OPERATORS.contains(op.as_str()) {
                true => format!(" {op} "),
                false => op,
            }
        }
        _ if parts.is_empty() => node.text().trim().to_string(),
        _ => parts.iter().map(linear).collect(),
    };
    text
}

/// A part of a formula as one group: bracketed unless it is one number, name or sign.
fn grouped(node: &NodeRef) -> String {
    grouped_row(std::slice::from_ref(node))
}

fn grouped_row(nodes: &[NodeRef]) -> String {
    let text: String = nodes.iter().map(linear).collect();
    let text = text.trim().to_string();
    // A name with its index or power (`Q_1`) binds as one.
    let atom = text.chars().count() <= 1
        || text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '^'));
    if atom || bracketed(&text) {
        text
    } else {
        format!("({text})")
    }
}

/// Whether `text` is one bracketed group: its first `(` closes at its end.
fn bracketed(text: &str) -> bool {
    if !text.starts_with('(') {
        return false;
    }
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return at + 1 == text.len();
        }
    }
    false
}

/// A MathML formula written out as HTML (`<math>…</math>`): see [`math_source`].
pub fn math_of(html: &str) -> (String, bool) {
    let document = Document::fragment(html);
    let math = document
        .root()
        .descendants()
        .into_iter()
        .find(|n| local_name(n) == "math");
    math.map_or((String::new(), false), |m| math_source(&m))
}

/// What is said of a formula set in its linear form, having no TeX source.
pub const MATH_AS_TEXT: &str =
    "MathML without a TeX source, set on one line as its structure reads (x^2, (a)/(b))";

/// Blocks read from raw HTML, and what of it could not be set as written.
#[derive(Debug, Default)]
pub struct Converted {
    pub blocks: Vec<Block>,
    pub lost: BTreeSet<String>,
}

/// Reads an HTML block into blocks.
/// How an HTML table's columns are aligned, from its cells' `text-align`: a column whose
/// cells that say so agree (a header left unsaid), read in the rows without spans; left
/// where none says, and in a table whose cells span rows (its columns shift row by row).
fn column_alignment(table: &NodeRef) -> Vec<Align> {
    let spans_rows = table
        .descendants_it()
        .any(|d| d.attr("rowspan").is_some_and(|s| s.trim() != "1"));
    if spans_rows {
        return Vec::new();
    }
    let rows = table.descendants_it().filter(|d| {
        local_name(d) == "tr"
            && !d
                .ancestors_it(None)
                .any(|a| a.id != table.id && local_name(&a) == "table")
    });
    let mut said: Vec<BTreeSet<&'static str>> = Vec::new();
    for row in rows {
        let cells: Vec<NodeRef> = row
            .element_children()
            .into_iter()
            .filter(|c| matches!(local_name(c).as_str(), "th" | "td"))
            .collect();
        if cells
            .iter()
            .any(|c| c.attr("colspan").is_some_and(|s| s.trim() != "1"))
        {
            continue;
        }
        said.resize(said.len().max(cells.len()), BTreeSet::new());
        for (column, cell) in cells.iter().enumerate() {
            said[column].extend(cell_alignment(cell));
        }
    }
    let align = |said: &BTreeSet<&str>| match said.iter().collect::<Vec<_>>().as_slice() {
        [&"right"] => Align::Right,
        [&"center"] => Align::Center,
        _ => Align::Left,
    };
    let columns: Vec<Align> = said.iter().map(align).collect();
    match columns.iter().all(|a| *a == Align::Left) {
        true => Vec::new(),
        false => columns,
    }
}

pub fn blocks(html: &str) -> Converted {
    let mut walker = Walker::default();
    walker.children(&Document::fragment(html).root());
    walker.flush();
    Converted {
        blocks: walker.blocks,
        lost: walker.lost,
    }
}

/// Reads an HTML block as inline text (inside a list item or a footnote), blocks as lines.
pub fn flat(html: &str) -> (Rich, BTreeSet<String>) {
    let mut walker = Walker {
        flat: true,
        ..Walker::default()
    };
    walker.children(&Document::fragment(html).root());
    (trim(walker.text), walker.lost)
}

#[derive(Default)]
struct Walker {
    blocks: Vec<Block>,
    lost: BTreeSet<String>,
    text: Rich,
    open: Open,
    links: Vec<String>,
    /// The elements giving a language around the text.
    langs: Langs,
    quote: usize,
    /// How many pull quotes are open around the text.
    pull: usize,
    /// Open list items: their marker (until their first line is set) and depth.
    items: Vec<(String, usize)>,
    /// Blocks set as lines of the text (inside a table cell).
    flat: bool,
}

impl Walker {
    fn children(&mut self, node: &NodeRef) {
        for child in node.children() {
            self.node(&child);
        }
    }

    fn node(&mut self, node: &NodeRef) {
        if node.is_text() {
            self.push_collapsed(&node.text());
            return;
        }
        if !node.is_element() {
            if node.is_fragment() || node.is_document() {
                self.children(node);
            }
            return;
        }
        let name = local_name(node);
        let lang = node.attr("lang").or_else(|| node.attr("xml:lang"));
        if let Some(lang) = &lang {
            self.langs.open(&name, Some(lang));
        }
        self.element(node, &name);
        if lang.is_some() {
            self.langs.close(&name);
        }
    }

    fn element(&mut self, node: &NodeRef, name: &str) {
        if name == "math" {
            self.math(node);
        } else if let Some(kind) = inline(name) {
            self.inline(node, name, kind);
        } else if self.flat {
            self.flat_block(node, name);
        } else {
            self.block(node, name);
        }
    }

    /// A formula, in the monospace face, as Markdown maths is set.
    fn math(&mut self, node: &NodeRef) {
        let (source, tex) = math_source(node);
        if !tex {
            self.lost.insert(lost("math", MATH_AS_TEXT));
        }
        count(&mut self.open, Mark::Code, true);
        self.push(&source);
        count(&mut self.open, Mark::Code, false);
    }

    fn inline(&mut self, node: &NodeRef, name: &str, kind: Inline) {
        match kind {
            Inline::Mark(mark) => {
                count(&mut self.open, mark, true);
                self.children(node);
                count(&mut self.open, mark, false);
            }
            Inline::Link => {
                let href = node.attr("href").map(|h| h.trim().to_string());
                let opened = href.filter(|h| !h.is_empty());
                if let Some(href) = &opened {
                    self.links.push(href.clone());
                }
                self.children(node);
                if opened.is_some() {
                    self.links.pop();
                }
            }
            Inline::Break => self.line_break(),
            Inline::Quote => {
                self.push(QUOTES.0);
                self.children(node);
                self.push(QUOTES.1);
            }
            Inline::Plain => self.children(node),
            Inline::Lost(what) => {
                self.lost.insert(lost(name, what));
                self.children(node);
            }
        }
    }

    /// A block element inside a table cell: its text on lines of its own.
    fn flat_block(&mut self, node: &NodeRef, name: &str) {
        if self.skipped(node, name) {
            return;
        }
        self.line_break_if_text();
        match name {
            "li" => self.push("• "),
            "pre" => {
                count(&mut self.open, Mark::Code, true);
                let text = node.text().trim_matches('\n').to_string();
                self.push(&text);
                count(&mut self.open, Mark::Code, false);
            }
            "table" => {
                let what = "a table inside a table cell, a list item or a note, set as lines";
                self.lost.insert(lost(name, what));
                self.children(node);
            }
            _ => self.children(node),
        }
        if name != "pre" {
            self.line_break_if_text();
        }
    }

    /// Elements dropped or named as lost; `true` when the element is done with.
    fn skipped(&mut self, node: &NodeRef, name: &str) -> bool {
        if DROPPED.contains(&name) {
            if !matches!(name, "script" | "style" | "template") {
                self.lost.insert(lost(name, "embedded content, dropped"));
            }
            return true;
        }
        match name {
            "img" => {
                let alt = node.attr("alt").map(|a| a.trim().to_string());
                let what = match alt.filter(|a| !a.is_empty()) {
                    Some(alt) => {
                        format!("an image in raw HTML, not embedded; its text \"{alt}\" kept")
                    }
                    None => "an image in raw HTML, not embedded".to_string(),
                };
                self.lost.insert(format!("<img> ({what})"));
                if let Some(alt) = node.attr("alt") {
                    self.push_collapsed(&alt);
                }
                true
            }
            "hr" => {
                self.lost.insert(lost(name, "a thematic break, not drawn"));
                true
            }
            _ => false,
        }
    }

    fn block(&mut self, node: &NodeRef, name: &str) {
        if self.skipped(node, name) {
            return;
        }
        match name {
            "table" => {
                self.flush();
                let table = self.table(node);
                if table.rows.is_empty() {
                    // A caption of no table is a paragraph.
                    self.text = table.caption;
                    self.flush();
                } else {
                    self.blocks.push(Block::Table(table));
                }
            }
            "ul" | "ol" => {
                self.flush();
                self.list(node, name == "ol");
            }
            "li" => self.item(node, "•".to_string()),
            "blockquote" => self.quoted(node),
            // A pull quote is set as a quote; another aside (a sidebar) as the paragraphs in
            // it, which the warning names: the page does not set it apart.
            "aside" if is_pull_quote(node) => {
                self.pull += 1;
                self.quoted(node);
                self.pull -= 1;
            }
            "aside" => {
                self.lost
                    .insert(lost(name, "a sidebar, set as running text"));
                self.separate();
                self.children(node);
                self.separate();
            }
            "pre" => {
                self.flush();
                let text = node.text();
                let lines: Vec<String> = text
                    .trim_start_matches('\n')
                    .trim_end()
                    .lines()
                    .map(str::to_string)
                    .collect();
                if !lines.is_empty() {
                    self.blocks.push(Block::Code { lines });
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                self.children(node);
                let text = trim(std::mem::take(&mut self.text));
                if !text.is_empty() {
                    let level = name[1..].parse().unwrap_or(2);
                    // Raw HTML: not a heading the issue's link rule numbers.
                    let number = None;
                    (self.blocks).push(Block::Heading {
                        level,
                        text,
                        number,
                    });
                }
            }
            "dl" => {
                self.flush();
                self.children(node);
            }
            "dt" => {
                self.flush();
                count(&mut self.open, Mark::Bold, true);
                self.children(node);
                count(&mut self.open, Mark::Bold, false);
                let text = trim(std::mem::take(&mut self.text));
                if !text.is_empty() {
                    self.blocks.push(Block::Term { text });
                }
            }
            "dd" => {
                self.flush();
                self.items.push((String::new(), 1));
                self.children(node);
                self.flush();
                self.items.pop();
            }
            _ => {
                if !CONTAINERS.contains(&name) {
                    self.lost.insert(lost(
                        name,
                        "an element the edition does not know, text kept",
                    ));
                }
                self.separate();
                self.children(node);
                self.separate();
            }
        }
    }

    /// A quote: the paragraphs in `node` as quoted blocks.
    fn quoted(&mut self, node: &NodeRef) {
        self.flush();
        self.quote += 1;
        self.children(node);
        self.flush();
        self.quote -= 1;
    }

    /// The end of a paragraph: a block of its own, or in a list item a space.
    fn separate(&mut self) {
        if self.items.is_empty() {
            self.flush();
        } else {
            self.push(" ");
        }
    }

    fn list(&mut self, node: &NodeRef, ordered: bool) {
        let items = node
            .children()
            .into_iter()
            .filter(|c| local_name(c) == "li");
        let items: Vec<NodeRef> = items.collect();
        // A countdown (`reversed`) starts at the number of its items unless it says.
        let reversed = node.has_attr("reversed");
        let first = if reversed { items.len() as i64 } else { 1 };
        let mut number: i64 = node
            .attr("start")
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(first);
        let kind = node.attr("type").map(|t| t.trim().to_string());
        for child in items {
            let marker = if ordered {
                if let Some(value) = child.attr("value").and_then(|v| v.trim().parse().ok()) {
                    number = value;
                }
                let marker = format!("{}.", numeral(number, kind.as_deref()));
                number += if reversed { -1 } else { 1 };
                marker
            } else {
                "•".to_string()
            };
            self.item(&child, marker);
        }
    }

    fn item(&mut self, node: &NodeRef, marker: String) {
        self.flush();
        let depth = self.items.last().map_or(1, |(_, d)| d + 1);
        self.items.push((marker, depth));
        self.children(node);
        self.flush();
        self.items.pop();
    }

    /// The text read so far as a block: a list item's, a quote, or a paragraph.
    fn flush(&mut self) {
        let text = trim(std::mem::take(&mut self.text));
        if plain(&text).trim().is_empty() {
            return;
        }
        let block = match self.items.last_mut() {
            Some((marker, depth)) => Block::Item {
                marker: std::mem::take(marker),
                depth: *depth,
                text,
                quoted: self.quote > 0,
            },
            None if self.pull > 0 => Block::PullQuote { text },
            None if self.quote > 0 => Block::Quote { text },
            None => Block::Paragraph { text },
        };
        self.blocks.push(block);
    }

    /// An element's content as one run of text (a caption, a cell), its blocks as lines.
    fn rich(&mut self, node: &NodeRef) -> Rich {
        let outer = std::mem::take(&mut self.text);
        let was_flat = std::mem::replace(&mut self.flat, true);
        self.children(node);
        self.flat = was_flat;
        trim(std::mem::replace(&mut self.text, outer))
    }

    fn table(&mut self, node: &NodeRef) -> Table {
        let mut table = Table::default();
        let mut foot = Vec::new();
        let mut head_rows = None;
        for child in node.children() {
            match local_name(&child).as_str() {
                "caption" => table.caption = self.rich(&child),
                "thead" => {
                    let rows = self.rows(&child, true);
                    head_rows = Some(head_rows.unwrap_or(0) + rows.len());
                    table.rows.extend(rows);
                }
                "tbody" => table.rows.extend(self.rows(&child, false)),
                "tfoot" => foot.extend(self.rows(&child, false)),
                "tr" => table.rows.push(self.row(&child, false)),
                // Column groups say nothing the layout uses.
                "" | "colgroup" | "col" => {}
                other => {
                    self.lost
                        .insert(lost(other, "not a part of a table, dropped"));
                }
            }
        }
        table.rows.extend(foot);
        table.align = column_alignment(node);
        // Without a thead, the first rows of header cells only are the header.
        table.head = head_rows.unwrap_or_else(|| {
            table
                .rows
                .iter()
                .take_while(|row| !row.is_empty() && row.iter().all(|c| c.header))
                .count()
        });
        table
    }

    fn rows(&mut self, section: &NodeRef, head: bool) -> Vec<Vec<Cell>> {
        section
            .children()
            .iter()
            .filter(|c| local_name(c) == "tr")
            .map(|tr| self.row(tr, head))
            .collect()
    }

    fn row(&mut self, tr: &NodeRef, head: bool) -> Vec<Cell> {
        let mut cells = Vec::new();
        for child in tr.children() {
            let name = local_name(&child);
            if name != "th" && name != "td" {
                continue;
            }
            let span = |attribute: &str, zero: usize| {
                child
                    .attr(attribute)
                    .and_then(|s| s.trim().parse::<usize>().ok())
                    .map_or(1, |n| if n == 0 { zero } else { n.min(MAX_SPAN) })
            };
            // rowspan="0" spans the rest of the table's section.
            let (columns, rows) = (span("colspan", 1), span("rowspan", MAX_SPAN));
            let text = self.rich(&child);
            cells.push(Cell {
                text,
                header: head || name == "th",
                columns,
                rows,
            });
        }
        cells
    }

    fn marks(&self) -> super::inline::Marks {
        marks_of(&self.open, self.links.last(), &self.langs)
    }

    fn push(&mut self, text: &str) {
        let marks = self.marks();
        push(&mut self.text, text, &marks);
    }

    /// Text with its runs of white space as one space (none at the start of a line).
    fn push_collapsed(&mut self, raw: &str) {
        let last = self.text.last().and_then(|s| s.text.chars().last());
        let mut space = last.is_none_or(|c| c == ' ' || c == '\n');
        let mut out = String::new();
        for c in raw.chars() {
            if c.is_whitespace() {
                if !space {
                    out.push(' ');
                    space = true;
                }
            } else {
                out.push(c);
                space = false;
            }
        }
        if !out.is_empty() {
            self.push(&out);
        }
    }

    fn line_break(&mut self) {
        if let Some(last) = self.text.last_mut() {
            let kept = last.text.trim_end_matches(' ').len();
            last.text.truncate(kept);
        }
        self.push("\n");
    }

    /// A line break unless the text is empty or already ends a line.
    fn line_break_if_text(&mut self) {
        let text = plain(&self.text);
        if !text.trim().is_empty() && !text.trim_end_matches(' ').ends_with('\n') {
            self.line_break();
        }
    }
}

/// A list item's number as its list's `type` writes it: `a`/`A` letters (`z`, then `aa`),
/// `i`/`I` Roman numerals (to 3999), else digits (and for any number a kind cannot write).
fn numeral(number: i64, kind: Option<&str>) -> String {
    match (kind, number) {
        (Some(k @ ("a" | "A")), 1..) => {
            let (mut n, mut letters) = (number, Vec::new());
            while n > 0 {
                n -= 1;
                letters.push((b'a' + (n % 26) as u8) as char);
                n /= 26;
            }
            let word: String = letters.iter().rev().collect();
            if k == "A" {
                word.to_uppercase()
            } else {
                word
            }
        }
        (Some(k @ ("i" | "I")), 1..=3999) => {
            const ROMAN: [(i64, &str); 13] = [
                (1000, "m"),
                (900, "cm"),
                (500, "d"),
                (400, "cd"),
                (100, "c"),
                (90, "xc"),
                (50, "l"),
                (40, "xl"),
                (10, "x"),
                (9, "ix"),
                (5, "v"),
                (4, "iv"),
                (1, "i"),
            ];
            let (mut n, mut word) = (number, String::new());
            for (value, letters) in ROMAN {
                while n >= value {
                    word.push_str(letters);
                    n -= value;
                }
            }
            if k == "I" {
                word.to_uppercase()
            } else {
                word
            }
        }
        _ => number.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_without_tex_is_written_on_one_line_as_its_structure_reads() {
        let math = |mathml: &str| math_of(&format!("<math>{mathml}</math>"));
        assert_eq!(
            math("<mrow><msup><mn>0.9</mn><mn>2.5</mn></msup><mo>≈</mo><mn>0.77</mn></mrow>"),
            ("0.9^2.5 ≈ 0.77".to_string(), false)
        );
        assert_eq!(
            math(
                "<mfrac><msub><mi>Q</mi><mn>1</mn></msub><msub><mi>Q</mi><mn>0</mn></msub></mfrac>\
                 <mo>=</mo><msup><mrow><mo>(</mo><mfrac><mi>P</mi><mi>N</mi></mfrac><mo>)</mo>\
                 </mrow><mi>k</mi></msup>"
            )
            .0,
            "Q_1/Q_0 = (P/N)^k"
        );
        assert_eq!(
            math("<msup><mi>P</mi><msub><mi>N</mi><mn>1</mn></msub></msup>").0,
            "P^(N_1)"
        );
        assert_eq!(
            math("<msqrt><mi>x</mi><mo>+</mo><mn>1</mn></msqrt>").0,
            "√(x + 1)"
        );
        assert_eq!(
            math("<mtable><mtr><mtd><mn>1</mn></mtd><mtd><mi>a</mi></mtd></mtr><mtr><mtd><mn>0</mn></mtd><mtd><mi>b</mi></mtd></mtr></mtable>").0,
            "[1, a; 0, b]"
        );
    }

    fn table_of(html: &str) -> Table {
        match blocks(html).blocks.as_slice() {
            [Block::Table(table)] => table.clone(),
            other => panic!("{other:?}"),
        }
    }

    /// Each block as its kind and plain text, for comparing.
    fn kinds(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                Block::PullQuote { text } => format!("pull quote {}", plain(text)),
                Block::Quote { text } => format!("quote {}", plain(text)),
                Block::Item {
                    marker,
                    depth,
                    text,
                    ..
                } => format!("item {depth} {marker} {}", plain(text)),
                Block::Code { lines } => format!("code {}", lines.join("|")),
                Block::Paragraph { text } => format!("p {}", plain(text)),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_list_numbered_in_letters_roman_numerals_or_counting_down_is_numbered_so() {
        let lettered = blocks("<ol type=\"a\"><li>One</li><li>Two</li></ol>");
        assert_eq!(kinds(&lettered.blocks), ["item 1 a. One", "item 1 b. Two"]);
        let roman = blocks("<ol type=\"I\" start=\"3\"><li>Three</li><li>Four</li></ol>");
        assert_eq!(
            kinds(&roman.blocks),
            ["item 1 III. Three", "item 1 IV. Four"]
        );
        let countdown = blocks("<ol reversed><li>Three</li><li>Two</li><li>One</li></ol>");
        assert_eq!(
            kinds(&countdown.blocks),
            ["item 1 3. Three", "item 1 2. Two", "item 1 1. One"]
        );
        assert_eq!(numeral(28, Some("a")), "ab");
        assert_eq!(numeral(1994, Some("i")), "mcmxciv");
        assert_eq!(numeral(0, Some("a")), "0");
    }

    #[test]
    fn a_table_keeps_its_caption_header_rows_spans_and_inline_marks() {
        let table = table_of(
            "<table><caption>How the <em>councillors</em> voted</caption>\
             <thead><tr><th rowspan=\"2\">Party</th><th colspan=\"2\">Vote</th></tr>\
             <tr><th>For</th><th>Against</th></tr></thead>\
             <tbody><tr><td>Harbour <b>First</b></td><td>5</td><td>0</td></tr>\
             <tr><td>Independent<br>members</td><td>4</td><td>4</td></tr></tbody></table>",
        );
        assert_eq!(plain(&table.caption), "How the councillors voted");
        assert!(table.caption.iter().any(|s| s.marks.italic));
        assert_eq!(table.head, 2);
        assert_eq!(table.rows.len(), 4);
        assert_eq!((table.rows[0][0].rows, table.rows[0][1].columns), (2, 2));
        assert!(table.rows[2][0].text.iter().any(|s| s.marks.bold));
        assert_eq!(plain(&table.rows[3][0].text), "Independent\nmembers");
        assert!(!table.rows[2][0].header);
    }

    #[test]
    fn a_pull_quote_is_a_quote_and_another_aside_is_named_in_the_warning() {
        let read = blocks(
            "<aside class=\"pullquote\"><p>\u{201c}The tide does not read deeds.\u{201d}</p></aside>\
             <aside class=\"box\"><p>A sidebar.</p></aside><p>After.</p>",
        );
        assert_eq!(
            kinds(&read.blocks),
            [
                "pull quote \u{201c}The tide does not read deeds.\u{201d}",
                "p A sidebar.",
                "p After.",
            ]
        );
        assert_eq!(
            read.lost.iter().collect::<Vec<_>>(),
            ["<aside> (a sidebar, set as running text)"]
        );
    }

    #[test]
    fn a_column_whose_cells_are_set_right_is_right_aligned() {
        let table = table_of(
            "<table><thead><tr><th>Decade</th><th>Lifts</th></tr></thead><tbody>\
             <tr><td>1980s</td><td style=\"text-align: right\">38</td></tr>\
             <tr><td>2010s</td><td style=\"text-align:right\">102</td></tr></tbody></table>",
        );
        assert_eq!(table.align, [Align::Left, Align::Right]);
        let plain = table_of("<table><tr><td>a</td><td>b</td></tr></table>");
        assert!(plain.align.is_empty());
    }

    #[test]
    fn rows_of_header_cells_head_a_table_without_a_thead() {
        let table =
            table_of("<table><tr><th>A</th><th>B</th></tr><tr><th>Row</th><td>1</td></tr></table>");
        assert_eq!(table.head, 1);
        assert!(table.rows[1][0].header, "a row header");
    }

    #[test]
    fn lists_quotes_and_code_keep_their_structure_and_losses_are_named() {
        let read = blocks(
            "<blockquote><p>Said <mark>once</mark>.</p></blockquote>\
             <ol start=\"3\"><li>three<ul><li>inner</li></ul></li><li>four</li></ol>\
             <pre>line one\n  line two</pre><p>A <q>quoted</q> <u>word</u> <small>in small</small> <big>big</big></p>",
        );
        assert_eq!(
            kinds(&read.blocks),
            [
                "quote Said once.",
                "item 1 3. three",
                "item 2 • inner",
                "item 1 4. four",
                "code line one|  line two",
                "p A \u{201c}quoted\u{201d} word in small big",
            ]
        );
        let Some(Block::Paragraph { text }) = read.blocks.last() else {
            panic!("{:?}", read.blocks);
        };
        let word = text.iter().find(|s| s.text == "word").expect("its own run");
        assert!(word.marks.underline, "{text:?}");
        let small = text
            .iter()
            .find(|s| s.text == "in small")
            .expect("its own run");
        assert!(small.marks.small, "{text:?}");
        assert_eq!(
            read.lost.iter().collect::<Vec<_>>(),
            [
                "<big> (size change not shown, text kept)",
                "<mark> (highlight not shown, text kept)"
            ]
        );
    }
}
