//! The tagged PDF (PDF/UA-1): every item of a page in marked content, either content with an
//! MCID that an element of the structure tree refers to, or an artifact (running heads,
//! folios, rules, repeated table headers, a code line's continuation mark, which extraction
//! leaves out); the end of a code line broken after a space read as one piece (its own text as
//! its /ActualText), so that extraction keeps the space; each link annotation in a Link
//! element with its text; then, on the lopdf
//! level, the structure tree, its parent tree (a number tree, `limits`), and the catalog's
//! /MarkInfo, /Lang and /ViewerPreferences.
//!
//! An element joins its parent when its first content is written, so the tree's order is the
//! pages' order: what a reader is read aloud is what the eye reads. A figure floated to a later
//! frame is the exception: it keeps its place in the source, before what was set after it.

use super::compose::structure::{Kind, Node, NodeId, Tree, DOCUMENT};
use super::compose::{Item, Role, Target};
use super::limits::{self, TreeKind};
use lopdf::{dictionary, Dictionary, Object, ObjectId, StringFormat};
use printpdf::{DictItem, Op};
use std::collections::{BTreeMap, BTreeSet};

/// What an element holds, in order.
#[derive(Debug, Clone, Copy)]
enum Kid {
    Node(NodeId),
    /// Marked content on a page (0-based).
    Mcr {
        page: usize,
        mcid: i64,
    },
    /// The `index`th annotation of a page.
    Annot {
        page: usize,
        index: usize,
    },
}

/// The marked-content sequence open in a page's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sequence {
    Artifact(&'static str),
    /// A sign the layout adds to the text: a layout artifact whose text is empty (an
    /// `/ActualText` of nothing in a span), so that extracted text leaves it out.
    Mark,
    Content(NodeId),
    /// Content read as one piece: in a span whose `/ActualText` is its own text (the end of
    /// a broken code line, whose last space extraction would otherwise drop).
    Whole(NodeId),
}

/// Marks the items of the pages as they are written and gathers the structure tree.
pub struct Tagger {
    nodes: Vec<Node>,
    /// How many elements the composer made (the ones after are the tagger's own).
    made: usize,
    kids: Vec<Vec<Kid>>,
    attached: Vec<bool>,
    /// The page being written (its index + 1) and its state.
    pages: usize,
    current: Option<NodeId>,
    open: Option<Sequence>,
    /// Per page: the element of each MCID.
    mcids: Vec<Vec<NodeId>>,
    /// Per page: the Link element and the text of each annotation.
    annots: Vec<Vec<(NodeId, String)>>,
    /// A Link element whose text was just marked, waiting for its annotation.
    pending: Option<(NodeId, String)>,
    /// The text of the current element on this page so far.
    said: String,
    /// The text of the [`Sequence::Whole`] being opened.
    whole: String,
    /// The Link element made around each linked image's figure, and that figure.
    figure_links: BTreeMap<NodeId, NodeId>,
}

impl Tagger {
    pub fn new(tree: &Tree) -> Tagger {
        let count = tree.nodes.len();
        let mut attached = vec![false; count];
        attached[DOCUMENT] = true;
        Tagger {
            nodes: tree.nodes.clone(),
            made: count,
            kids: vec![Vec::new(); count],
            attached,
            pages: 0,
            current: None,
            open: None,
            mcids: Vec::new(),
            annots: Vec::new(),
            pending: None,
            said: String::new(),
            whole: String::new(),
            figure_links: BTreeMap::new(),
        }
    }

    pub fn start_page(&mut self) {
        self.pages += 1;
        self.current = None;
        self.open = None;
        self.pending = None;
        self.said.clear();
        self.mcids.push(Vec::new());
        self.annots.push(Vec::new());
    }

    /// The marked-content operations to write before `item` (`next` is the item after it,
    /// rules aside), with the text object closed: `None` when it goes in the sequence already
    /// open.
    pub fn mark(&mut self, item: &Item, next: Option<&Item>) -> Option<Vec<Op>> {
        let sequence = match item {
            Item::Tag(node) => {
                self.current = *node;
                self.said.clear();
                return None;
            }
            Item::Link {
                target: Target::Uri(uri),
                ..
            } => {
                self.annotation(uri);
                return None;
            }
            Item::Link {
                target: Target::Place { .. } | Target::Note(_),
                ..
            } => {
                self.annotation("note");
                return None;
            }
            Item::Link {
                target: Target::Page(page) | Target::Passage { page, .. },
                ..
            } => {
                // A contents entry's link is described by the whole entry.
                if self.in_entry() {
                    let entry = self.said.split_whitespace().collect::<Vec<_>>().join(" ");
                    self.pending = self.pending.take().map(|(link, _)| (link, entry));
                }
                self.annotation(&format!("{}", page + 1));
                return None;
            }
            Item::Rule { .. } => Sequence::Artifact("Layout"),
            Item::Text {
                role: Role::Artifact,
                ..
            } => Sequence::Artifact("Pagination"),
            Item::Text {
                role: Role::Mark, ..
            } => Sequence::Mark,
            Item::Text {
                role: Role::CodeEnd,
                text,
                ..
            } => match self.current {
                None => Sequence::Artifact("Pagination"),
                Some(node) => {
                    self.whole = text.clone();
                    Sequence::Whole(node)
                }
            },
            Item::Text { text, lang, .. } => {
                if self.in_entry() {
                    self.said.push_str(text);
                    self.said.push(' ');
                }
                self.text_sequence(text, lang.as_deref(), next)
            }
            Item::Image { .. } => match self.current {
                None => Sequence::Artifact("Layout"),
                Some(node) => {
                    if matches!(next, Some(Item::Link { .. })) {
                        self.link_figure(node);
                    }
                    Sequence::Content(node)
                }
            },
        };
        if self.open == Some(sequence) {
            return None;
        }
        let mut ops = self.end_page();
        ops.extend(self.begin(sequence));
        self.open = Some(sequence);
        Some(ops)
    }

    /// Puts the figure of a linked image in a Link element of its own (where the figure would
    /// be), which the annotation that follows joins, described by the figure's alternative
    /// text.
    fn link_figure(&mut self, figure: NodeId) {
        if self.attached[figure] || self.nodes[figure].kind != Kind::Figure {
            return;
        }
        let link = self.add(Kind::Link, self.nodes[figure].parent);
        self.nodes[figure].parent = link;
        self.figure_links.insert(link, figure);
        let alt = self.nodes[figure].alt.clone().unwrap_or_default();
        self.pending = Some((link, alt));
    }

    /// Whether a contents entry is being written.
    fn in_entry(&self) -> bool {
        self.current
            .is_some_and(|node| self.nodes[node].kind == Kind::TOCI)
    }

    /// The sequence of a piece of text; its own Link element when an annotation follows it
    /// (in a Reference when it is a footnote's call); in a Span when its language is not its
    /// element's.
    fn text_sequence(&mut self, text: &str, lang: Option<&str>, next: Option<&Item>) -> Sequence {
        let current = self.current.map(|node| self.in_language(node, lang));
        match (current, next) {
            (None, _) => Sequence::Artifact("Pagination"),
            (Some(node), Some(Item::Link { target, .. })) => {
                let parent = match target {
                    Target::Place { .. } | Target::Note(_) => self.add(Kind::Reference, node),
                    _ => node,
                };
                let link = self.add(Kind::Link, parent);
                self.pending = Some((link, text.trim().to_string()));
                Sequence::Content(link)
            }
            (Some(node), _) => Sequence::Content(node),
        }
    }

    /// Where text in `lang` goes in `node`: `node` itself when that is its language (or the
    /// text marks none), else a Span with the language (the one just open, when it is).
    fn in_language(&mut self, node: NodeId, lang: Option<&str>) -> NodeId {
        let Some(lang) = lang else {
            return node;
        };
        if self
            .language_of(node)
            .is_some_and(|own| own.eq_ignore_ascii_case(lang))
        {
            return node;
        }
        if let Some(Sequence::Content(open)) = self.open {
            let span = &self.nodes[open];
            if span.kind == Kind::Span && span.parent == node && span.lang.as_deref() == Some(lang)
            {
                return open;
            }
        }
        let span = self.add(Kind::Span, node);
        self.nodes[span].lang = Some(lang.to_string());
        span
    }

    /// The language of `node`: its own, or the nearest ancestor's.
    fn language_of(&self, mut node: NodeId) -> Option<&str> {
        loop {
            if let Some(lang) = &self.nodes[node].lang {
                return Some(lang);
            }
            if node == DOCUMENT {
                return None;
            }
            node = self.nodes[node].parent;
        }
    }

    /// Closes the page's open sequence (with the text object closed).
    pub fn end_page(&mut self) -> Vec<Op> {
        match self.open.take() {
            Some(Sequence::Mark | Sequence::Whole(_)) => {
                vec![Op::EndMarkedContent, Op::EndMarkedContent]
            }
            Some(_) => vec![Op::EndMarkedContent],
            None => Vec::new(),
        }
    }

    fn begin(&mut self, sequence: Sequence) -> Vec<Op> {
        let (tag, key, value) = match sequence {
            Sequence::Artifact(kind) => (
                "Artifact".to_string(),
                "Type",
                DictItem::Name(kind.as_bytes().to_vec()),
            ),
            Sequence::Mark => {
                let mut ops = self.begin(Sequence::Artifact("Layout"));
                ops.push(marked(
                    "Span",
                    "ActualText",
                    DictItem::String {
                        data: Vec::new(),
                        literal: true,
                    },
                ));
                return ops;
            }
            Sequence::Whole(node) => {
                let mut ops = self.begin(Sequence::Content(node));
                ops.push(marked("Span", "ActualText", text_string(&self.whole)));
                return ops;
            }
            Sequence::Content(node) => {
                let page = self.pages - 1;
                let mcid = self.mcids[page].len() as i64;
                self.mcids[page].push(node);
                self.attach(node);
                self.kids[node].push(Kid::Mcr { page, mcid });
                (self.nodes[node].kind.name(), "MCID", DictItem::Int(mcid))
            }
        };
        vec![marked(&tag, key, value)]
    }

    /// The page's next annotation: in the Link element of the text just marked, or in one of
    /// its own.
    fn annotation(&mut self, fallback: &str) {
        let (link, text) = match self.pending.take() {
            Some(pending) => pending,
            None => {
                let parent = self.current.unwrap_or(DOCUMENT);
                (self.add(Kind::Link, parent), String::new())
            }
        };
        let text = if text.is_empty() {
            fallback.to_string()
        } else {
            text
        };
        let page = self.pages - 1;
        self.attach(link);
        self.kids[link].push(Kid::Annot {
            page,
            index: self.annots[page].len(),
        });
        self.annots[page].push((link, text));
    }

    fn add(&mut self, kind: Kind, parent: NodeId) -> NodeId {
        self.nodes.push(Node::new(kind, parent));
        self.kids.push(Vec::new());
        self.attached.push(false);
        self.nodes.len() - 1
    }

    /// Places `node` (and its ancestors) in the tree, after what its parent holds so far; a
    /// figure (or the link around it) goes before the elements made after it (set before it
    /// when it floated).
    fn attach(&mut self, node: NodeId) {
        if self.attached[node] {
            return;
        }
        self.attached[node] = true;
        let parent = self.nodes[node].parent;
        self.attach(parent);
        let made = self.made;
        let figure = match self.nodes[node].kind {
            Kind::Figure => Some(node),
            _ => self.figure_links.get(&node).copied(),
        };
        let later = figure.and_then(|figure| {
            (self.kids[parent].iter())
                .position(|kid| matches!(kid, Kid::Node(k) if *k > figure && *k < made))
        });
        let at = later.unwrap_or(self.kids[parent].len());
        self.kids[parent].insert(at, Kid::Node(node));
    }

    /// Writes the structure tree into `lo`, whose pages are the ones marked.
    pub fn finish(mut self, lo: &mut lopdf::Document) {
        self.complete_rows();
        self.group_wide_elements(limits::MAX_ARRAY);
        let pages: Vec<ObjectId> = lo.get_pages().values().copied().collect();
        let root_id = lo.new_object_id();
        let ids: Vec<Option<ObjectId>> = self
            .attached
            .iter()
            .map(|&a| a.then(|| lo.new_object_id()))
            .collect();
        let mut nums = Vec::new();
        for (index, page) in pages.iter().enumerate() {
            let elements = self.mcids.get(index).map(Vec::as_slice).unwrap_or(&[]);
            let refs = elements.iter().map(|n| reference(&ids, *n)).collect();
            nums.push((Object::Integer(index as i64), Object::Array(refs)));
            set_page(lo, *page, "StructParents", Object::Integer(index as i64));
        }
        let annots = self.annotations(lo, &pages, &ids, &mut nums);
        for (node, id) in ids.iter().enumerate() {
            if let Some(id) = id {
                let element = self.element(node, &ids, root_id, &pages, &annots);
                lo.objects.insert(*id, Object::Dictionary(element));
            }
        }
        let parent_tree = limits::tree(lo, TreeKind::Numbers, nums, limits::FANOUT);
        let mut root = dictionary! {
            "Type" => "StructTreeRoot",
            "K" => reference(&ids, DOCUMENT),
            "ParentTree" => parent_tree,
            "ParentTreeNextKey" => Object::Integer(pages.len() as i64 + annots.len() as i64),
        };
        // PDF/UA-1 7.9: every Note has an ID, found through the ID tree (in key order).
        let mut notes: Vec<(Object, Object)> = ids
            .iter()
            .enumerate()
            .filter(|(node, id)| id.is_some() && self.nodes[*node].kind == Kind::Note)
            .map(|(node, _)| (note_id(node), reference(&ids, node)))
            .collect();
        notes.sort_by(|a, b| a.0.as_str().ok().cmp(&b.0.as_str().ok()));
        if !notes.is_empty() {
            let id_tree = limits::tree(lo, TreeKind::Names, notes, limits::FANOUT);
            root.set("IDTree", id_tree);
        }
        lo.objects.insert(root_id, Object::Dictionary(root));
        if let Ok(catalog) = lo.catalog_mut() {
            catalog.set("StructTreeRoot", root_id);
            catalog.set("MarkInfo", dictionary! { "Marked" => true });
            catalog.set(
                "ViewerPreferences",
                dictionary! { "DisplayDocTitle" => true },
            );
            // As the EPUB says of an issue that names no language: undetermined.
            let lang = self.nodes[DOCUMENT].lang.as_deref().unwrap_or("und");
            catalog.set("Lang", text(lang));
        }
    }

    /// Puts the kids of an element that has more than `most` (its /K would pass PDF 1.4's
    /// largest array: a table of thousands of rows, code wrapped over thousands of lines)
    /// into groups of at most `most`, in order: TBody elements in a table, NonStruct ones
    /// (grouping with no meaning of their own) elsewhere.
    fn group_wide_elements(&mut self, most: usize) {
        for node in 0..self.nodes.len() {
            if self.kids[node].len() <= most {
                continue;
            }
            let kind = match self.nodes[node].kind {
                Kind::Table => Kind::TBody,
                _ => Kind::NonStruct,
            };
            let kids = std::mem::take(&mut self.kids[node]);
            for chunk in limits::even_chunks(&kids, most) {
                let group = self.add(kind, node);
                self.attached[group] = true;
                self.kids[node].push(Kid::Node(group));
                for kid in chunk {
                    match *kid {
                        Kid::Node(child) => self.nodes[child].parent = group,
                        Kid::Mcr { page, mcid } => self.mcids[page][mcid as usize] = group,
                        Kid::Annot { page, index } => self.annots[page][index].0 = group,
                    }
                }
                self.kids[group] = chunk.to_vec();
            }
        }
    }

    /// Gives every row of a table all its cells, in order, the empty ones too (a reader
    /// counts columns by them).
    fn complete_rows(&mut self) {
        // A row with nothing drawn in it (all its cells empty) still belongs to its table.
        let mut tables = BTreeSet::new();
        for row in 0..self.nodes.len() {
            let table = self.nodes[row].parent;
            if self.nodes[row].kind == Kind::TR && self.attached[table] && !self.attached[row] {
                self.attached[row] = true;
                self.kids[table].push(Kid::Node(row));
                tables.insert(table);
            }
        }
        for table in tables {
            // Rows are made in order: their numbers are the table's order.
            self.kids[table].sort_by_key(|kid| match kid {
                Kid::Node(row) => *row,
                _ => usize::MAX,
            });
        }
        let mut cells: BTreeMap<NodeId, Vec<NodeId>> = BTreeMap::new();
        for (node, spec) in self.nodes.iter().enumerate() {
            if matches!(spec.kind, Kind::TH { .. } | Kind::TD) && self.attached[spec.parent] {
                cells.entry(spec.parent).or_default().push(node);
            }
        }
        for (row, cells) in cells {
            for cell in &cells {
                self.attached[*cell] = true;
            }
            self.kids[row] = cells.into_iter().map(Kid::Node).collect();
        }
    }

    /// Makes the pages' annotations objects of their own, each with its /StructParent (after
    /// the pages' keys in the parent tree) and /Contents; the pages that have some get
    /// /Tabs /S. Returns each annotation's object by (page, index).
    fn annotations(
        &self,
        lo: &mut lopdf::Document,
        pages: &[ObjectId],
        ids: &[Option<ObjectId>],
        nums: &mut Vec<(Object, Object)>,
    ) -> BTreeMap<(usize, usize), ObjectId> {
        let mut objects = BTreeMap::new();
        for (index, page) in pages.iter().enumerate() {
            let annots = match lo.get_dictionary(*page).and_then(|p| p.get(b"Annots")) {
                Ok(Object::Array(annots)) if !annots.is_empty() => annots.clone(),
                _ => continue,
            };
            let marked = self.annots.get(index).map(Vec::as_slice).unwrap_or(&[]);
            let mut refs = Vec::new();
            for (i, annot) in annots.into_iter().enumerate() {
                let Object::Dictionary(mut annot) = annot else {
                    refs.push(annot);
                    continue;
                };
                if let Some((link, contents)) = marked.get(i) {
                    let key = (pages.len() + objects.len()) as i64;
                    annot.set("StructParent", Object::Integer(key));
                    annot.set("Contents", text(contents));
                    nums.push((Object::Integer(key), reference(ids, *link)));
                }
                let id = lo.add_object(annot);
                objects.insert((index, i), id);
                refs.push(Object::Reference(id));
            }
            set_page(lo, *page, "Annots", Object::Array(refs));
            set_page(lo, *page, "Tabs", Object::Name(b"S".to_vec()));
        }
        objects
    }

    /// The dictionary of one element.
    fn element(
        &self,
        node: NodeId,
        ids: &[Option<ObjectId>],
        root: ObjectId,
        pages: &[ObjectId],
        annots: &BTreeMap<(usize, usize), ObjectId>,
    ) -> Dictionary {
        let spec = &self.nodes[node];
        let first_page = self.kids[node].iter().find_map(|kid| match kid {
            Kid::Mcr { page, .. } => Some(*page),
            _ => None,
        });
        let kids: Vec<Object> = self.kids[node]
            .iter()
            .map(|kid| match *kid {
                Kid::Node(child) => reference(ids, child),
                Kid::Mcr { page, mcid } if Some(page) == first_page => Object::Integer(mcid),
                Kid::Mcr { page, mcid } => Object::Dictionary(dictionary! {
                    "Type" => "MCR", "Pg" => pages[page], "MCID" => Object::Integer(mcid),
                }),
                Kid::Annot { page, index } => Object::Dictionary(dictionary! {
                    "Type" => "OBJR", "Pg" => pages[page], "Obj" => annots[&(page, index)],
                }),
            })
            .collect();
        let parent = if node == DOCUMENT {
            root
        } else {
            ids[spec.parent].expect("parents are attached")
        };
        // A lone kid stands alone (some checkers read no further than that).
        let kids = match <[Object; 1]>::try_from(kids) {
            Ok([kid]) => kid,
            Err(kids) => Object::Array(kids),
        };
        let mut element = dictionary! {
            "Type" => "StructElem",
            "S" => Object::Name(spec.kind.name().into_bytes()),
            "P" => parent,
            "K" => kids,
        };
        if let Some(page) = first_page {
            element.set("Pg", pages[page]);
        }
        if node != DOCUMENT {
            if let Some(lang) = &spec.lang {
                element.set("Lang", text(lang));
            }
        }
        if let Some(alt) = &spec.alt {
            element.set("Alt", text(alt));
        }
        if spec.kind == Kind::Note {
            element.set("ID", note_id(node));
        }
        if matches!(spec.kind, Kind::TH { .. } | Kind::TD) {
            let mut attributes = dictionary! { "O" => "Table" };
            if let Kind::TH { column } = spec.kind {
                attributes.set("Scope", if column { "Column" } else { "Row" });
            }
            let (columns, rows) = spec.span;
            if columns > 1 {
                attributes.set("ColSpan", columns as i64);
            }
            if rows > 1 {
                attributes.set("RowSpan", rows as i64);
            }
            if attributes.len() > 1 {
                element.set("A", attributes);
            }
        }
        element
    }
}

/// The start of a span whose text, for extraction and assistive technology, is `text` (what
/// a stand-in is drawn for); the writer closes it.
pub(super) fn actual_text(text: &str) -> Op {
    marked("Span", "ActualText", text_string(text))
}

/// The start of marked content tagged `tag` whose properties are `key` → `value`.
fn marked(tag: &str, key: &str, value: DictItem) -> Op {
    Op::BeginMarkedContentWithProperties {
        tag: tag.to_string(),
        properties: DictItem::Dict {
            map: BTreeMap::from([(key.to_string(), value)]),
        },
    }
}

/// A text string for a marked-content property: PDFDocEncoding's ASCII as it is, anything
/// else in UTF-16BE with its byte order mark.
fn text_string(s: &str) -> DictItem {
    if s.is_ascii() {
        return DictItem::String {
            data: s.as_bytes().to_vec(),
            literal: true,
        };
    }
    let mut data = vec![0xfe, 0xff];
    data.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    DictItem::String {
        data,
        literal: false,
    }
}

fn reference(ids: &[Option<ObjectId>], node: NodeId) -> Object {
    Object::Reference(ids[node].expect("only attached elements are referred to"))
}

fn set_page(lo: &mut lopdf::Document, page: ObjectId, key: &str, value: Object) {
    if let Ok(dict) = lo.get_dictionary_mut(page) {
        dict.set(key, value);
    }
}

/// A PDF text string.
fn text(s: &str) -> Object {
    Object::String(super::write::utf16(s), StringFormat::Hexadecimal)
}

/// The ID of the Note element `node` (unique in the document; sorts as the nodes do).
fn note_id(node: NodeId) -> Object {
    Object::string_literal(format!("note-{node:06}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::pdf::compose::styles::BODY;

    fn text(s: &str, role: Role) -> Item {
        Item::plain_text(0.0, 0.0, BODY, s.to_string(), role)
    }

    fn uri() -> Item {
        Item::Link {
            x: 0.0,
            y: 0.0,
            width: 1.0,
            height: 1.0,
            target: Target::Uri("https://example.org/".into()),
        }
    }

    /// Marks `pages` as the writer does; returns the tagger and each page's operations.
    fn marked(tree: &Tree, pages: &[Vec<Item>]) -> (Tagger, Vec<Vec<Op>>) {
        let mut tagger = Tagger::new(tree);
        let mut all = Vec::new();
        for items in pages {
            tagger.start_page();
            let mut ops = Vec::new();
            for (i, item) in items.iter().enumerate() {
                ops.extend(tagger.mark(item, items.get(i + 1)).unwrap_or_default());
            }
            ops.extend(tagger.end_page());
            all.push(ops);
        }
        (tagger, all)
    }

    fn tags(ops: &[Op]) -> Vec<String> {
        ops.iter()
            .filter_map(|op| match op {
                Op::BeginMarkedContentWithProperties { tag, .. } => Some(tag.clone()),
                _ => None,
            })
            .collect()
    }

    /// A code element holding `pieces` (text, role) on one page, marked as the writer does:
    /// the tagger, the page's operations and the element.
    fn marked_code(pieces: &[(&str, Role)]) -> (Tagger, Vec<Op>, NodeId) {
        let mut tree = Tree::new(None);
        let code = tree.add(Kind::Code, DOCUMENT);
        let mut items = vec![Item::Tag(Some(code))];
        items.extend(pieces.iter().map(|&(s, role)| text(s, role)));
        let (tagger, mut ops) = marked(&tree, &[items]);
        (tagger, ops.remove(0), code)
    }

    /// How many marked contents `ops` end, and whether one of them is a Span that reads as
    /// `actual`.
    fn ends_and_span(ops: &[Op], actual: &[u8]) -> (usize, bool) {
        let ends = ops
            .iter()
            .filter(|op| matches!(op, Op::EndMarkedContent))
            .count();
        let span = ops.iter().any(|op| matches!(
            op,
            Op::BeginMarkedContentWithProperties { tag, properties: DictItem::Dict { map } }
                if tag == "Span"
                    && map["ActualText"] == DictItem::String { data: actual.to_vec(), literal: true }
        ));
        (ends, span)
    }

    #[test]
    fn a_paragraph_across_two_pages_is_one_element_with_content_on_both() {
        let mut tree = Tree::new(Some("en"));
        let p = tree.add(Kind::P, DOCUMENT);
        let line = |s| text(s, Role::Paragraph);
        let pages = [
            vec![Item::Tag(Some(p)), line("one"), line("two")],
            vec![
                text("head", Role::Artifact),
                Item::Tag(Some(p)),
                line("three"),
            ],
        ];
        let (tagger, ops) = marked(&tree, &pages);
        assert_eq!(tags(&ops[0]), ["P"]);
        assert_eq!(tags(&ops[1]), ["Artifact", "P"]);
        assert_eq!(tagger.mcids, vec![vec![p], vec![p]]);
        assert!(matches!(
            tagger.kids[p][..],
            [Kid::Mcr { page: 0, mcid: 0 }, Kid::Mcr { page: 1, mcid: 0 }]
        ));
        assert!(matches!(tagger.kids[DOCUMENT][..], [Kid::Node(n)] if n == p));
    }

    #[test]
    fn a_figure_floated_past_a_heading_keeps_its_place_before_it_in_the_tree() {
        let mut tree = Tree::new(Some("en"));
        let p = tree.add(Kind::P, DOCUMENT);
        let figure = tree.add(Kind::Figure, DOCUMENT);
        let h = tree.add(Kind::H(2), DOCUMENT);
        let image = Item::Image {
            path: "a.png".into(),
            x: 0.0,
            y: 0.0,
            width: 1.0,
            height: 1.0,
        };
        let pages = [
            vec![Item::Tag(Some(p)), text("before", Role::Paragraph)],
            vec![
                Item::Tag(Some(h)),
                text("Heading", Role::Heading),
                Item::Tag(Some(figure)),
                image,
            ],
        ];
        let (tagger, _) = marked(&tree, &pages);
        let order: Vec<NodeId> = tagger.kids[DOCUMENT]
            .iter()
            .filter_map(|kid| match kid {
                Kid::Node(n) => Some(*n),
                _ => None,
            })
            .collect();
        assert_eq!(order, [p, figure, h]);
    }

    #[test]
    fn running_heads_rules_and_untagged_items_are_artifacts() {
        let tree = Tree::new(None);
        let rule = Item::Rule {
            x1: 0.0,
            x2: 1.0,
            y: 0.0,
            thickness: 1.0,
        };
        let pages = [vec![
            text("head", Role::Artifact),
            rule,
            Item::Tag(None),
            text("repeated header", Role::TableHeader),
        ]];
        let (tagger, ops) = marked(&tree, &pages);
        assert_eq!(tags(&ops[0]), ["Artifact", "Artifact", "Artifact"]);
        assert!(tagger.mcids[0].is_empty());
    }

    #[test]
    fn an_element_with_more_kids_than_an_array_holds_has_them_in_groups() {
        let mut pieces = [("code", Role::Code), ("→ ", Role::Mark)].repeat(4);
        pieces.push(("end", Role::Code));
        let (mut tagger, _, code) = marked_code(&pieces);
        assert_eq!(tagger.kids[code].len(), 5);
        tagger.group_wide_elements(2);
        let groups: Vec<NodeId> = tagger.kids[code]
            .iter()
            .map(|kid| match kid {
                Kid::Node(group) => *group,
                other => panic!("{other:?} outside a group"),
            })
            .collect();
        let sizes: Vec<usize> = groups.iter().map(|g| tagger.kids[*g].len()).collect();
        assert_eq!(sizes, [2, 2, 1]);
        for group in &groups {
            assert_eq!(tagger.nodes[*group].kind, Kind::NonStruct);
            assert_eq!(tagger.nodes[*group].parent, code);
        }
        // Each MCID's element in the parent tree is its group now.
        assert_eq!(tagger.mcids[0][4], groups[2]);
        assert_eq!(tagger.mcids[0][0], groups[0]);
    }

    #[test]
    fn a_continuation_mark_is_an_artifact_with_no_text_between_two_pieces_of_code() {
        let (tagger, ops, code) = marked_code(&[
            ("let answer = (a", Role::Code),
            ("→ ", Role::Mark),
            ("rgument);", Role::Code),
        ]);
        assert_eq!(tags(&ops), ["Code", "Artifact", "Span", "Code"]);
        assert_eq!(ends_and_span(&ops, b""), (4, true));
        assert_eq!(tagger.mcids, vec![vec![code, code]]);
    }

    #[test]
    fn a_code_lines_end_before_a_break_is_read_as_one_with_its_space() {
        let (tagger, ops, code) = marked_code(&[
            ("printf t", Role::Code),
            (", ", Role::CodeEnd),
            ("→ ", Role::Mark),
            ("count[t]", Role::Code),
        ]);
        assert_eq!(
            tags(&ops),
            ["Code", "Code", "Span", "Artifact", "Span", "Code"]
        );
        assert_eq!(ends_and_span(&ops, b", "), (6, true));
        assert_eq!(tagger.mcids, vec![vec![code, code, code]]);
        assert!(
            matches!(text_string("港 "), DictItem::String { ref data, literal: false }
            if data[..2] == [0xfe, 0xff] && data.len() == 6)
        );
    }

    #[test]
    fn a_notes_call_is_a_reference_holding_the_link_to_its_note() {
        let mut tree = Tree::new(None);
        let p = tree.add(Kind::P, DOCUMENT);
        let note = tree.add(Kind::Note, DOCUMENT);
        let pages = [vec![
            Item::Tag(Some(p)),
            text("called", Role::Paragraph),
            text("1", Role::Paragraph),
            Item::Link {
                x: 0.0,
                y: 0.0,
                width: 1.0,
                height: 1.0,
                target: Target::Place { page: 0, top: 9.0 },
            },
            Item::Tag(Some(note)),
            text("1. The note.", Role::Note),
        ]];
        let (tagger, ops) = marked(&tree, &pages);
        assert_eq!(tags(&ops[0]), ["P", "Link", "Note"]);
        let link = tagger.annots[0][0].0;
        let reference = tagger.nodes[link].parent;
        assert_eq!(tagger.nodes[reference].kind, Kind::Reference);
        assert_eq!(tagger.nodes[reference].parent, p);
        assert_eq!(tagger.annots[0][0].1, "1");
        assert!(matches!(tagger.kids[reference][..], [Kid::Node(n)] if n == link));
    }

    #[test]
    fn text_in_another_language_is_a_span_with_its_language_and_the_articles_own_is_not() {
        let mut tree = Tree::new(Some("en"));
        let p = tree.add(Kind::P, DOCUMENT);
        let in_lang = |s: &str, lang: &str| {
            let mut item = text(s, Role::Paragraph);
            if let Item::Text { lang: l, .. } = &mut item {
                *l = Some(lang.to_string());
            }
            item
        };
        let pages = [vec![
            Item::Tag(Some(p)),
            text("He said ", Role::Paragraph),
            in_lang("je ne sais ", "fr"),
            in_lang("quoi", "fr"),
            text(" and ", Role::Paragraph),
            in_lang("left", "EN"),
        ]];
        let (tagger, ops) = marked(&tree, &pages);
        assert_eq!(tags(&ops[0]), ["P", "Span", "P"]);
        let span = tagger.mcids[0][1];
        assert_eq!(tagger.nodes[span].kind, Kind::Span);
        assert_eq!(tagger.nodes[span].lang.as_deref(), Some("fr"));
        assert_eq!(tagger.nodes[span].parent, p);
        assert_eq!(tagger.mcids[0], vec![p, span, p]);
    }

    #[test]
    fn a_link_holds_its_text_and_its_annotation_in_its_paragraph() {
        let mut tree = Tree::new(None);
        let p = tree.add(Kind::P, DOCUMENT);
        let pages = [vec![
            Item::Tag(Some(p)),
            text("see ", Role::Paragraph),
            text("this", Role::Paragraph),
            uri(),
            text(" page", Role::Paragraph),
        ]];
        let (tagger, ops) = marked(&tree, &pages);
        assert_eq!(tags(&ops[0]), ["P", "Link", "P"]);
        let link = tagger.nodes.len() - 1;
        assert_eq!(tagger.nodes[link].parent, p);
        assert_eq!(tagger.annots[0], vec![(link, "this".to_string())]);
        assert!(matches!(
            tagger.kids[link][..],
            [Kid::Mcr { mcid: 1, .. }, Kid::Annot { page: 0, index: 0 }]
        ));
        assert!(matches!(
            tagger.kids[p][..],
            [Kid::Mcr { mcid: 0, .. }, Kid::Node(n), Kid::Mcr { mcid: 2, .. }] if n == link
        ));
    }

    #[test]
    fn a_linked_images_figure_is_in_a_link_with_its_annotation_described_by_its_alt_text() {
        let mut tree = Tree::new(None);
        let sect = tree.add(Kind::Sect, DOCUMENT);
        let before = tree.add(Kind::P, sect);
        let figure = tree.add(Kind::Figure, sect);
        tree.nodes[figure].alt = Some("The harbour at dusk".into());
        let after = tree.add(Kind::P, sect);
        let image = Item::Image {
            path: "assets/harbour.jpg".into(),
            x: 0.0,
            y: 0.0,
            width: 1.0,
            height: 1.0,
        };
        // The paragraph set after the figure comes first on the page: the figure floated.
        let pages = [vec![
            Item::Tag(Some(before)),
            text("Before.", Role::Paragraph),
            Item::Tag(Some(after)),
            text("After.", Role::Paragraph),
            Item::Tag(Some(figure)),
            image,
            uri(),
        ]];
        let (tagger, ops) = marked(&tree, &pages);
        assert_eq!(tags(&ops[0]), ["P", "P", "Figure"]);
        let link = tagger.nodes[figure].parent;
        assert_eq!(tagger.nodes[link].kind, Kind::Link);
        assert_eq!(
            tagger.annots[0],
            vec![(link, "The harbour at dusk".to_string())]
        );
        assert!(matches!(
            tagger.kids[link][..],
            [Kid::Node(f), Kid::Annot { page: 0, index: 0 }] if f == figure
        ));
        // In the source's place: after the paragraph before it, before the one after.
        let order: Vec<NodeId> = (tagger.kids[sect].iter())
            .filter_map(|kid| match kid {
                Kid::Node(n) => Some(*n),
                _ => None,
            })
            .collect();
        assert_eq!(order, [before, link, after]);
    }
}
