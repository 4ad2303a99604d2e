//! The logical structure of a set edition, for the tagged PDF: a tree of elements (document,
//! sections, headings, paragraphs, lists, tables, figures, notes) made while the composer sets
//! them, and `Item::Tag` markers in the pages saying which element the items after them
//! belong to. The writer turns the markers into marked content and the tree into the PDF's
//! structure tree; an element is placed in its parent when its first content is written, so
//! the tree's order is the order in which the pages are read (a floated figure aside, which
//! keeps its place in the source).

/// An element of the tree, by its index in `Tree::nodes`.
pub type NodeId = usize;

/// The document element every other one descends from.
pub const DOCUMENT: NodeId = 0;

/// The standard structure types quire uses (PDF 1.7, 14.8.4), spelled as the standard spells
/// them (their names are written from the variants').
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Document,
    Sect,
    /// H1 to H6.
    H(u8),
    P,
    L,
    LI,
    Lbl,
    LBody,
    BlockQuote,
    Table,
    /// A group of a table's rows (only to keep a long table's arrays short).
    TBody,
    TR,
    /// A header cell, its scope a column (`true`) or a row.
    TH {
        column: bool,
    },
    TD,
    Figure,
    Caption,
    Note,
    /// A citation of content elsewhere: a footnote's call, holding its Link to the note.
    Reference,
    Code,
    TOC,
    TOCI,
    Link,
    /// A run of text in another language than its element's (it has the /Lang).
    Span,
    /// A group of kids with no meaning of its own (only to keep a long element's arrays
    /// short).
    NonStruct,
}

impl Kind {
    /// The structure type's name.
    pub fn name(self) -> String {
        match self {
            Kind::H(level) => format!("H{}", level.clamp(1, 6)),
            Kind::TH { .. } => "TH".into(),
            other => format!("{other:?}"),
        }
    }
}

/// One element: its type, its parent, and what it says besides its content.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub parent: NodeId,
    /// Its language, when it differs from its parent's.
    pub lang: Option<String>,
    /// Alternative text (figures).
    pub alt: Option<String>,
    /// The columns and rows a table cell spans.
    pub span: (usize, usize),
}

impl Node {
    pub fn new(kind: Kind, parent: NodeId) -> Node {
        Node {
            kind,
            parent,
            lang: None,
            alt: None,
            span: (1, 1),
        }
    }
}

/// The tree being made: the document element first.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

impl Tree {
    /// A tree of one document element in `lang`.
    pub fn new(lang: Option<&str>) -> Tree {
        let mut document = Node::new(Kind::Document, DOCUMENT);
        document.lang = lang.map(str::to_string);
        Tree {
            nodes: vec![document],
        }
    }

    /// Adds an element of `kind` under `parent`.
    pub fn add(&mut self, kind: Kind, parent: NodeId) -> NodeId {
        self.nodes.push(Node::new(kind, parent));
        self.nodes.len() - 1
    }
}

/// The headings open under one element (its own H1 first): each one's level in the source
/// and the level it is tagged with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headings(Vec<(u8, u8)>);

impl Headings {
    /// The tagged level of a heading of `source` level: one below the nearest open heading of
    /// a higher source level (the element's H1 when there is none). Going down never skips a
    /// level (PDF/UA); going back up returns to the level of the source's heading of that rank.
    pub fn level(&mut self, source: u8) -> u8 {
        while self.0.last().is_some_and(|(open, _)| *open >= source) {
            self.0.pop();
        }
        let tagged = (self.0.last().map_or(1, |(_, tagged)| *tagged) + 1).min(6);
        self.0.push((source, tagged));
        tagged
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_levels_never_skip_a_step_down_and_go_back_up_to_the_sources_level() {
        let mut headings = Headings::default();
        let tagged: Vec<u8> = [2, 3, 4, 2, 3, 2].map(|l| headings.level(l)).to_vec();
        assert_eq!(tagged, [2, 3, 4, 2, 3, 2]);
        // A skipped level going down is tagged one step down; siblings share a level.
        let mut headings = Headings::default();
        let tagged: Vec<u8> = [3, 3, 5, 4, 2, 4].map(|l| headings.level(l)).to_vec();
        assert_eq!(tagged, [2, 2, 3, 3, 2, 3]);
        // A body's `#` is under the title, as its `##` under that.
        let mut headings = Headings::default();
        assert_eq!([1, 2, 1].map(|l| headings.level(l)), [2, 3, 2]);
    }

    #[test]
    fn structure_types_have_their_standard_names() {
        assert_eq!(Kind::H(2).name(), "H2");
        assert_eq!(Kind::TH { column: true }.name(), "TH");
        assert_eq!(Kind::BlockQuote.name(), "BlockQuote");
    }
}
