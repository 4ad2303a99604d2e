//! The composer's state and how things go down a page: lines and groups (figures, table rows)
//! placed in frames (the text block, or in an article's body one of its columns), at least two
//! lines kept together at a frame's foot and head (no orphans, no widows), figures that do not
//! fit floated to the next frame while text goes on, footnotes at the foot of the column that
//! calls them, and the last page of an article's columns balanced (a note goes with its call).

use super::inline::{plain_rich, InlineImage, Marks, Rich, Span};
use super::lines::{self, SetLine, Shape};
use super::structure::{Headings, Kind, NodeId, Tree, DOCUMENT};
use super::styles::{self, TextStyle, GUTTER, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, NOTE};
use super::{Item, Page, Paper, Role, Target};
use crate::export::pdf::fonts::FontSet;
use crate::export::pdf::linebreak::hyphenator;
use hyphenation::Standard;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// Text as it should be set: soft hyphens, zero-width spaces, word joiners and byte order
/// marks dropped, tabs as spaces. A zero-width non-joiner stays: it keeps a ligature's letters
/// apart where the author put it (German `Auf\u{200c}lage`), and every bundled face has it,
/// without width. So do a joiner, a variation selector and a tag: they are part of an emoji
/// (`👨‍👩‍👧`, `❤️`, a flag), which the text behind the glyphs keeps whole; the writer draws one
/// no face has as nothing.
pub fn settable(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{00ad}' | '\u{200b}' | '\u{2060}' | '\u{feff}'))
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect()
}

/// How many of `n` lines to set where `fit` lines fit: all, or a part that leaves at least two
/// lines on each side of the break (no orphan, no widow), or none.
pub fn lines_here(n: usize, fit: usize) -> usize {
    let take = if n <= fit {
        n
    } else if fit >= 2 && n - fit >= 2 {
        fit
    } else if fit >= 3 && n >= 4 {
        n - 2
    } else {
        0
    };
    take.min(fit)
}

/// The most lines of code or of a quote that are never parted by a frame's end: a short
/// listing or a pull quote read apart from its attribution is hard to follow (a longer one
/// breaks as text does).
const WHOLE_LINES: usize = 8;

/// How many of `rest` to set where `fit` lines fit: [`lines_here`], or in a fresh frame that
/// cannot keep the rule what fits; a frame does not end in a hyphenated word, where it can be
/// helped.
fn take_here(rest: &[SetLine], fit: usize, fresh: bool) -> usize {
    let mut take = lines_here(rest.len(), fit);
    if take == 0 && fresh {
        take = fit.clamp(1, rest.len());
    }
    while take > 2 && take < rest.len() && rest[take - 1].hyphenated && rest.len() - take + 1 >= 2 {
        take -= 1;
    }
    take
}

/// Where a run of lines goes (from the frame's left edge) and how it is set.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub x: f32,
    pub text: TextStyle,
    pub role: Role,
}

/// Items laid out from a top-left corner at (0, 0), `height` tall: a figure, a table row.
#[derive(Debug, Clone, Default)]
pub struct Group {
    pub height: f32,
    pub items: Vec<Item>,
}

/// Something placed in the body's frames, for balancing the last page's columns.
#[derive(Debug, Clone)]
struct Slot {
    column: usize,
    /// Whether a column may not end after it (a heading, a paragraph's first line or the one
    /// before its last).
    keep: bool,
    top: f32,
    bottom: f32,
    /// The space it had above it had it not opened its frame (a figure's, a quote's), which
    /// it gets back when balancing puts it under something.
    space: f32,
    /// The space above it that it took (a quote's, a table's), which it gives back when
    /// balancing puts it at a column's head.
    taken: f32,
    items: Range<usize>,
}

/// A footnote at the foot of a column of the page being set: its element, its lines, the
/// column, and the slot of the page whose line calls it (balancing the last page's columns may
/// move that line to the other column, and the note goes with it).
#[derive(Debug, Clone)]
struct PageNote {
    node: NodeId,
    lines: Vec<SetLine>,
    column: usize,
    slot: usize,
}

/// The height a footnote of `lines` lines takes at a frame's foot, with the space above it.
fn note_height(lines: usize) -> f32 {
    lines as f32 * NOTE.leading + styles::NOTE_GAP
}

#[derive(Clone)]
pub struct Composer<'a> {
    pub fonts: &'a FontSet,
    pub paper: Paper,
    /// Hyphenation patterns by language tag (loaded once each), and the language being set.
    hyphenators: BTreeMap<String, Option<Standard>>,
    language: String,
    /// Whether French spacing rules apply.
    pub french: bool,
    /// Columns of an article's body (1 or 2).
    pub columns: usize,
    pub pages: Vec<Page>,
    /// The baseline of the last line set (or the top of a fresh frame).
    pub y: f32,
    /// The running head of the pages being set, and of every page.
    pub head: Option<String>,
    pub heads: Vec<Option<String>>,
    /// Whether an article's body is being set (in columns).
    body: bool,
    column: usize,
    frame_top: f32,
    frame_bottom: f32,
    /// Where the last slot of this frame ended.
    slot_mark: f32,
    slots: Vec<Slot>,
    /// Space left out at the top of the frame, and space put in, for the next slot.
    skipped: f32,
    gapped: f32,
    /// The index of the slot that starts the last repeat of a table's header on this page:
    /// balancing does not split before it (a repeat at the second column's head stays there).
    repeated: Option<usize>,
    floats: Vec<Group>,
    /// The article's footnotes not yet set, the ones at the foot of this page's columns (set
    /// when the page is done), and those that no page could hold (set after the article).
    pub notes: BTreeMap<usize, Rich>,
    page_notes: Vec<PageNote>,
    endnotes: Vec<(NodeId, usize, Rich)>,
    /// The Note element of each footnote of the article called so far (its calls link to it).
    called: BTreeMap<usize, NodeId>,
    /// The structure tree being made, the element the parts being set go in (the cover, the
    /// contents, an article), the element being set (`None`: page furniture), the last tag on
    /// this page, and the headings open in the container.
    pub tree: Tree,
    pub container: NodeId,
    pub node: Option<NodeId>,
    page_tag: Option<Option<NodeId>>,
    pub headings: Headings,
    /// The open lists of the list items being set: depth, list, last item's body.
    pub lists: Vec<(usize, NodeId, NodeId)>,
    /// The label element of the next line's first piece (a list item's marker).
    pub label: Option<NodeId>,
    /// Emphasised text set upright since this was last taken: no face shows its emphasis
    /// (CJK has no italic, and the edition has no bold CJK face to show it with).
    pub upright: RefCell<BTreeSet<String>>,
    /// The natural size in points of each image the edition embeds, and how many times each
    /// image was drawn in a line of text (as many of its figures after the paragraph are not
    /// set).
    pub images: BTreeMap<String, (f32, f32)>,
    pub inline: RefCell<BTreeMap<String, usize>>,
    /// The images named in the text instead of shown since this was last taken (a link the
    /// source recorded, or an image the edition cannot embed).
    pub named_images: BTreeSet<String>,
    /// The share of their usual leading and of the spaces between blocks that an article's
    /// body is set with: 1, or a little less to end the article a page sooner.
    pub fit: f32,
}

/// The composer as it was before an article, to set the article again from there.
pub struct Kept<'a> {
    state: Composer<'a>,
    pages: usize,
}

impl<'a> Composer<'a> {
    pub fn new(fonts: &'a FontSet, paper: Paper) -> Self {
        Composer {
            fonts,
            paper,
            hyphenators: BTreeMap::new(),
            language: String::new(),
            french: false,
            columns: 1,
            pages: Vec::new(),
            y: 0.0,
            head: None,
            heads: Vec::new(),
            body: false,
            column: 0,
            frame_top: 0.0,
            frame_bottom: MARGIN_BOTTOM,
            slot_mark: 0.0,
            slots: Vec::new(),
            skipped: 0.0,
            gapped: 0.0,
            repeated: None,
            floats: Vec::new(),
            notes: BTreeMap::new(),
            page_notes: Vec::new(),
            endnotes: Vec::new(),
            called: BTreeMap::new(),
            tree: Tree::new(None),
            container: DOCUMENT,
            node: None,
            page_tag: None,
            headings: Headings::default(),
            lists: Vec::new(),
            label: None,
            upright: RefCell::default(),
            images: BTreeMap::new(),
            inline: RefCell::default(),
            named_images: BTreeSet::new(),
            fit: 1.0,
        }
    }

    /// Starts a part of the edition (cover, contents, an article, colophon): an element of
    /// `kind` under the document, in `lang` if given.
    pub fn open_section(&mut self, kind: Kind, lang: Option<&str>) -> NodeId {
        let node = self.tree.add(kind, DOCUMENT);
        self.tree.nodes[node].lang = lang.map(str::to_string);
        self.container = node;
        self.node = None;
        self.headings = Headings::default();
        self.lists.clear();
        node
    }

    /// Starts an element of `kind` in the container: what is set next goes in it.
    pub fn begin(&mut self, kind: Kind) -> NodeId {
        let node = self.tree.add(kind, self.container);
        self.node = Some(node);
        node
    }

    /// Tags what is placed next with the element being set, unless the page says so already.
    pub fn mark(&mut self) {
        if self.page_tag != Some(self.node) {
            let node = self.node;
            self.page().items.push(Item::Tag(node));
            self.page_tag = Some(node);
        }
    }

    /// Sets what follows in `language` (a BCP 47 tag; English patterns when there is none):
    /// its hyphenation patterns and, for French, its spacing.
    pub fn set_language(&mut self, language: Option<&str>) {
        let tag = language.unwrap_or("").to_ascii_lowercase();
        self.french = tag == "fr" || tag.starts_with("fr-");
        if !self.hyphenators.contains_key(&tag) {
            self.hyphenators.insert(tag.clone(), hyphenator(language));
        }
        self.language = tag;
    }

    fn hyphenator(&self) -> Option<&Standard> {
        self.hyphenators.get(&self.language)?.as_ref()
    }

    /// The width of the text block.
    pub fn measure(&self) -> f32 {
        self.paper.width - 2.0 * MARGIN_X
    }

    pub fn column_width(&self) -> f32 {
        let columns = self.columns.max(1) as f32;
        (self.measure() - GUTTER * (columns - 1.0)) / columns
    }

    /// The width of the frame being set.
    pub fn frame_measure(&self) -> f32 {
        if self.body {
            self.column_width()
        } else {
            self.measure()
        }
    }

    /// The left edge of the frame being set.
    pub fn frame_x(&self) -> f32 {
        MARGIN_X + self.column as f32 * (self.column_width() + GUTTER)
    }

    pub fn top(&self) -> f32 {
        self.paper.height - MARGIN_TOP
    }

    /// Whether nothing has been set in this frame yet.
    pub fn at_frame_top(&self) -> bool {
        self.y >= self.frame_top
    }

    pub fn new_page(&mut self) {
        self.set_notes();
        self.pages.push(Page::default());
        self.page_tag = None;
        self.heads.push(self.head.clone());
        self.y = self.top();
        self.open_frames();
        self.place_floats();
    }

    /// The next column, or a new page.
    pub fn next_frame(&mut self) {
        if self.body && self.column + 1 < self.columns {
            self.column += 1;
            self.y = self.frame_top;
            self.frame_bottom = MARGIN_BOTTOM;
            self.slot_mark = self.y;
            self.skipped = 0.0;
            self.gapped = 0.0;
            self.place_floats();
        } else {
            self.new_page();
        }
    }

    pub fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page is open")
    }

    /// The index of the page being set.
    pub fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    pub fn room(&self) -> f32 {
        self.y - self.frame_bottom
    }

    pub fn width(&self, style: TextStyle) -> impl Fn(&str) -> f32 + '_ {
        move |text: &str| self.fonts.width_in(style.face, text, style.size)
    }

    /// Rich text set into lines of `measure` (the first indented by `indent`), justified and
    /// hyphenated or ragged.
    pub fn set_lines(
        &self,
        text: &[Span],
        style: TextStyle,
        measure: f32,
        indent: f32,
        justify: bool,
    ) -> Vec<SetLine> {
        if self.fonts.fallback_bold.is_none() {
            let unseen = text.iter().filter(|span| {
                lines::emphasis_unseen(self.fonts, style.face, &span.marks, &span.text)
            });
            let mut upright = self.upright.borrow_mut();
            upright.extend(unseen.map(|span| span.text.trim().to_string()));
        }
        let sized = self.sized_images(text, style);
        let text = sized.as_deref().unwrap_or(text);
        let shape = Shape {
            style,
            measure,
            indent,
            justify,
            hyphenator: if justify { self.hyphenator() } else { None },
            french: self.french,
        };
        lines::set(self.fonts, text, &shape)
    }

    /// Display text (titles, decks, captions), set ragged and never hyphenated.
    pub fn display_lines(&self, text: &str, style: TextStyle, measure: f32) -> Vec<SetLine> {
        self.set_lines(&plain_rich(text), style, measure, 0.0, false)
    }

    /// `text` as one line, as it is (spaces kept, nothing broken).
    pub fn single_line(&self, text: &str, style: TextStyle) -> SetLine {
        let width = self.fonts.width_in(style.face, text, style.size);
        SetLine {
            pieces: vec![lines::Piece {
                dx: 0.0,
                text: text.to_string(),
                face: style.face,
                size: style.size,
                rise: 0.0,
                word_spacing: 0.0,
                char_spacing: 0.0,
                width,
                marks: Marks::default(),
                mark: false,
                code_end: false,
                rtl: false,
            }],
            indent: 0.0,
            hyphenated: false,
        }
    }

    /// The items of a line with its left edge at `x` and its baseline at `y`.
    pub fn line_items(line: &SetLine, x: f32, y: f32, style: TextStyle, role: Role) -> Vec<Item> {
        Self::linked_line_items(line, x, y, style, role, &BTreeMap::new())
    }

    /// [`Self::line_items`], each call of a footnote in `notes` (number → Note element)
    /// linked to its note.
    pub(super) fn linked_line_items(
        line: &SetLine,
        x: f32,
        y: f32,
        style: TextStyle,
        role: Role,
        notes: &BTreeMap<usize, NodeId>,
    ) -> Vec<Item> {
        let mut items = Vec::new();
        for piece in &line.pieces {
            let px = x + line.indent + piece.dx;
            if let Some(image) = &piece.marks.image {
                // Standing on the baseline, one for each character of the piece, each linked
                // where the text around it is.
                let (width, height) = image.points();
                for n in 0..piece.text.chars().count() {
                    let x = px + n as f32 * width;
                    items.push(Item::Image {
                        path: image.src.clone(),
                        x,
                        y,
                        width,
                        height,
                    });
                    items.extend(piece.marks.link.as_ref().map(|uri| Item::Link {
                        x,
                        y,
                        width,
                        height,
                        target: Target::Uri(uri.clone()),
                    }));
                }
                continue;
            }
            items.push(Item::Text {
                x: px,
                y: y + piece.rise,
                style: piece.face,
                size: piece.size,
                text: piece.text.clone(),
                word_spacing: piece.word_spacing,
                char_spacing: piece.char_spacing,
                gray: style.gray,
                role: match (piece.mark, piece.code_end) {
                    (true, _) => Role::Mark,
                    (_, true) => Role::CodeEnd,
                    _ => role,
                },
                lang: piece.marks.lang.clone(),
                rtl: piece.rtl,
            });
            let width = piece.width
                - if piece.text.ends_with(' ') {
                    piece.word_spacing
                } else {
                    0.0
                };
            // A line through the text, and one under it, at the heights of the face's own.
            for (drawn, height) in [(piece.marks.strike, 0.28), (piece.marks.underline, -0.11)] {
                if drawn {
                    items.push(Item::Rule {
                        x1: px,
                        x2: px + width,
                        y: y + piece.rise + piece.size * height,
                        thickness: piece.size * 0.06,
                    });
                }
            }
            let note = piece.marks.note.and_then(|number| notes.get(&number));
            let target = match (note, &piece.marks.link) {
                (Some(note), _) => Target::Note(*note),
                (None, Some(uri)) => Target::Uri(uri.clone()),
                (None, None) => continue,
            };
            items.push(Item::Link {
                x: px,
                y: y + piece.rise - piece.size * 0.25,
                width,
                height: piece.size * 1.1,
                target,
            });
        }
        items
    }

    /// Places one line with its baseline at `y` (outside the flow: cover, contents, heads).
    pub fn place_line(&mut self, line: &SetLine, x: f32, y: f32, style: TextStyle, role: Role) {
        self.mark();
        let items = Self::line_items(line, x, y, style, role);
        self.page().items.extend(items);
    }

    /// Places one piece of plain text with its baseline at `y`.
    pub fn put_text(&mut self, x: f32, y: f32, style: TextStyle, text: String, role: Role) {
        self.mark();
        self.page()
            .items
            .push(Item::plain_text(x, y, style, text, role));
    }

    /// Sets a block of lines, keeping at least two lines together at the foot and at the
    /// head of a frame (no orphans, no widows), and a short piece of code or quote whole.
    pub fn flow(&mut self, lines: &[SetLine], set: &Setting) {
        let leading = set.text.leading * self.body_fit();
        let whole = matches!(set.role, Role::Code | Role::Quote) && lines.len() <= WHOLE_LINES;
        let mut rest = lines;
        while !rest.is_empty() {
            let mut take = self.lines_to_take(rest, leading);
            if whole && take < rest.len() && !self.at_frame_top() {
                take = 0;
            }
            if take == 0 {
                self.next_frame();
                continue;
            }
            let done = lines.len() - rest.len();
            for (i, line) in rest[..take].iter().enumerate() {
                let start = self.page().items.len();
                self.mark();
                self.y -= leading;
                let notes: BTreeMap<usize, NodeId> = line
                    .notes()
                    .filter_map(|number| Some((number, self.call_note(number)?)))
                    .collect();
                let (x, y) = (self.frame_x() + set.x, self.y);
                let mut items = Self::linked_line_items(line, x, y, set.text, set.role, &notes);
                self.tag_inline_images(line, &mut items);
                if let Some(label) = self.label.take() {
                    // The marker, the line's first piece, in its own element.
                    items.insert(0, Item::Tag(Some(label)));
                    items.insert(2.min(items.len()), Item::Tag(self.node));
                }
                self.page().items.extend(items);
                let at = done + i;
                let keep = set.role == Role::Heading
                    || (whole && at + 1 < lines.len())
                    || (lines.len() >= 2 && (at == 0 || at + 2 == lines.len()));
                self.record(start, keep);
            }
            rest = &rest[take..];
            if !rest.is_empty() {
                self.next_frame();
            }
        }
    }

    /// Puts each image drawn in `line` (its `items`) in a Figure of its own in the element
    /// being set, with its alternative text (and its link, which follows it).
    fn tag_inline_images(&mut self, line: &SetLine, items: &mut Vec<Item>) {
        let Some(parent) = self.node else {
            return;
        };
        let mut alts = line.pieces.iter().flat_map(|piece| {
            let alt = piece.marks.image.as_ref().map(|image| image.alt.as_str());
            std::iter::repeat_n(alt, piece.text.chars().count()).flatten()
        });
        let mut tagged = Vec::with_capacity(items.len());
        let mut drained = std::mem::take(items).into_iter().peekable();
        while let Some(item) = drained.next() {
            if !matches!(item, Item::Image { .. }) {
                tagged.push(item);
                continue;
            }
            let figure = self.tree.add(Kind::Figure, parent);
            let (alt, english) = super::blocks::described(alts.next().unwrap_or(""), None);
            self.tree.nodes[figure].alt = Some(alt);
            if english {
                self.tree.nodes[figure].lang = Some("en".to_string());
            }
            tagged.extend([Item::Tag(Some(figure)), item]);
            tagged.extend(drained.next_if(|next| matches!(next, Item::Link { .. })));
            tagged.push(Item::Tag(Some(parent)));
        }
        *items = tagged;
    }

    /// How many of `rest` to set in this frame: as many as fit with the footnotes they call
    /// at its foot, keeping two lines on each side of a break.
    fn lines_to_take(&self, rest: &[SetLine], leading: f32) -> usize {
        let fitting = |room: f32| (room / leading).floor().max(0.0) as usize;
        let mut fit = fitting(self.room());
        loop {
            let take = take_here(rest, fit, self.at_frame_top());
            let notes = self.notes_height(&rest[..take]);
            let fits = fitting(self.room() - notes);
            // Fewer lines until their notes fit too (each round takes fewer).
            if notes == 0.0 || fits >= take || fits >= fit {
                return take;
            }
            fit = fits;
        }
    }

    /// The height the footnotes called in `lines` would take at this frame's foot.
    fn notes_height(&self, lines: &[SetLine]) -> f32 {
        let mut numbers: Vec<usize> = lines.iter().flat_map(SetLine::notes).collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers
            .iter()
            .filter_map(|n| Some(self.note_lines(*n, self.notes.get(n)?).len()))
            .map(note_height)
            .sum()
    }

    /// Footnote `number` set for the foot of this frame.
    fn note_lines(&self, number: usize, text: &Rich) -> Vec<SetLine> {
        let mut rich = plain_rich(&format!("{number}. "));
        rich.extend(text.iter().cloned());
        self.set_lines(&rich, NOTE, self.frame_measure(), 0.0, false)
    }

    /// `text` with its images sized (`None`: it has none). An image no taller than the type and
    /// narrower than half the frame stays in the line at its natural size; a larger one, or
    /// one the edition cannot embed, is left out of it (its figure follows the paragraph).
    fn sized_images(&self, text: &[Span], style: TextStyle) -> Option<Rich> {
        if text.iter().all(|span| span.marks.image.is_none()) {
            return None;
        }
        let room = self.frame_measure() / 2.0;
        let sized = text.iter().filter_map(|span| {
            let Some(image) = &span.marks.image else {
                return Some(span.clone());
            };
            let (width, height) = *self.images.get(&image.src)?;
            if height > style.size || width > room {
                return None;
            }
            let drawn = span.text.chars().count();
            *self
                .inline
                .borrow_mut()
                .entry(image.src.clone())
                .or_default() += drawn;
            let mut span = span.clone();
            let hundredths = |points: f32| (points * 100.0).round() as u32;
            let size = (hundredths(width), hundredths(height));
            span.marks.image = Some(InlineImage {
                size,
                ..image.clone()
            });
            Some(span)
        });
        Some(sized.collect())
    }

    /// Display text across the frame from its left edge.
    pub fn flow_display(&mut self, text: &str, style: TextStyle, role: Role) {
        let measure = self.frame_measure();
        let lines = self.display_lines(text, style, measure);
        self.flow(
            &lines,
            &Setting {
                x: 0.0,
                text: style,
                role,
            },
        );
    }

    /// Vertical space, except at the top of a frame (where it is remembered for balancing).
    pub fn gap(&mut self, space: f32) {
        let space = space * self.body_fit();
        if self.at_frame_top() {
            self.skipped = self.skipped.max(space);
        } else {
            self.y -= space;
            self.gapped += space;
        }
    }

    /// The share of the usual leading and spaces that what is set next is set with.
    fn body_fit(&self) -> f32 {
        if self.body {
            self.fit
        } else {
            1.0
        }
    }

    /// The state to set the next article again from: all of it but the pages set so far
    /// (which an article only adds to) and the hyphenation patterns loaded.
    pub fn keep(&mut self) -> Kept<'a> {
        let pages = std::mem::take(&mut self.pages);
        let hyphenators = std::mem::take(&mut self.hyphenators);
        let state = self.clone();
        (self.pages, self.hyphenators) = (pages, hyphenators);
        Kept {
            state,
            pages: self.pages.len(),
        }
    }

    /// Back to the state `kept`: what was set since is undone.
    pub fn go_back(&mut self, kept: &Kept<'a>) {
        let mut pages = std::mem::take(&mut self.pages);
        pages.truncate(kept.pages);
        let hyphenators = std::mem::take(&mut self.hyphenators);
        *self = kept.state.clone();
        (self.pages, self.hyphenators) = (pages, hyphenators);
    }

    /// How far down from the top margin the last page's text reaches (its footnotes aside).
    pub fn last_page_depth(&self) -> f32 {
        let Some(page) = self.pages.last() else {
            return 0.0;
        };
        let lowest = (page.items.iter())
            .filter_map(|item| match item {
                Item::Text { y, role, .. } if *role != Role::Note => Some(*y),
                Item::Image { y, .. } => Some(*y),
                _ => None,
            })
            .fold(self.top(), f32::min);
        self.top() - lowest
    }

    /// Says that a table's header is repeated after a break here, at the head of a frame.
    pub fn repeated_header(&mut self) {
        self.repeated = Some(self.slots.len());
    }

    /// Remembers the items from `start` as one slot of the body's frame.
    fn record(&mut self, start: usize, keep: bool) {
        if !self.body {
            return;
        }
        let end = self.page().items.len();
        let space = if self.slot_mark >= self.frame_top {
            self.skipped
        } else {
            0.0
        };
        self.skipped = 0.0;
        self.slots.push(Slot {
            column: self.column,
            keep,
            top: self.slot_mark,
            bottom: self.y,
            space,
            taken: std::mem::take(&mut self.gapped),
            items: start..end,
        });
        self.slot_mark = self.y;
    }

    /// Places a group at the frame's left edge, here.
    pub fn place_group(&mut self, group: &Group) {
        self.place_kept(group, false);
    }

    /// Places a group here; `keep`: a column may not end after it.
    pub fn place_kept(&mut self, group: &Group, keep: bool) {
        let start = self.page().items.len();
        let (x, y) = (self.frame_x(), self.y);
        let items: Vec<Item> = group.items.iter().map(|i| shifted(i, x, y)).collect();
        self.page().items.extend(items);
        // The group carries its own tags.
        self.page_tag = None;
        self.y -= group.height;
        self.record(start, keep);
    }

    /// A figure with space above and under it: here if it fits, else at the head of the next
    /// frame while the text goes on (its space goes with it: none is left in the text).
    pub fn place_figure(&mut self, group: Group) {
        let above = if self.at_frame_top() {
            0.0
        } else {
            styles::FIGURE_GAP
        };
        if self.floats.is_empty() && (above + group.height <= self.room() || self.at_frame_top()) {
            self.gap(styles::FIGURE_GAP);
            self.place_group(&group);
            self.gap(styles::FIGURE_GAP / 2.0);
        } else {
            self.floats.push(group);
        }
    }

    fn place_floats(&mut self) {
        while !self.floats.is_empty() {
            let height = self.floats[0].height;
            if height > self.room() && !self.at_frame_top() {
                return;
            }
            let group = self.floats.remove(0);
            self.skipped = styles::FIGURE_GAP;
            self.place_group(&group);
            self.gap(styles::FIGURE_GAP);
        }
    }

    /// Starts an article's body (in columns from here down).
    pub fn start_body(&mut self, notes: BTreeMap<usize, Rich>) {
        self.body = true;
        self.open_frames();
        self.notes = notes;
        self.called.clear();
    }

    /// Opens the first column's frame from the current height down to the foot margin, with
    /// no slots taken yet.
    fn open_frames(&mut self) {
        self.column = 0;
        self.frame_top = self.y;
        self.frame_bottom = MARGIN_BOTTOM;
        self.slot_mark = self.y;
        self.slots.clear();
        self.skipped = 0.0;
        self.gapped = 0.0;
        self.repeated = None;
    }

    /// Ends an article's body: figures still afloat, the last page's columns balanced, its
    /// notes under the columns that call them.
    pub fn end_body(&mut self) {
        while !self.floats.is_empty() {
            self.next_frame();
        }
        self.balance();
        self.set_notes();
        self.body = false;
        self.column = 0;
        self.notes.clear();
    }

    /// A footnote called from the line being set: at this frame's foot if it fits, else after
    /// the article. Returns its Note element (that of its first call when called again;
    /// `None` for a note the article does not have).
    fn call_note(&mut self, number: usize) -> Option<NodeId> {
        let Some(text) = self.notes.remove(&number) else {
            return self.called.get(&number).copied();
        };
        let lines = self.note_lines(number, &text);
        let height = note_height(lines.len());
        // The lines that call it were taken with room for it (`lines_to_take`).
        if self.body && self.room() >= height {
            let node = self.note_node(number);
            self.frame_bottom += height;
            // The line that calls it is the page's next slot.
            self.page_notes.push(PageNote {
                node,
                lines,
                column: self.column,
                slot: self.slots.len(),
            });
            Some(node)
        } else {
            Some(self.endnote(number, text))
        }
    }

    /// The Note element of footnote `number`, made now, which its calls link to.
    fn note_node(&mut self, number: usize) -> NodeId {
        let node = self.tree.add(Kind::Note, self.container);
        self.called.insert(number, node);
        node
    }

    /// Footnote `number` kept for after the article.
    fn endnote(&mut self, number: usize, text: Rich) -> NodeId {
        let node = self.note_node(number);
        self.endnotes.push((node, number, text));
        node
    }

    /// The footnotes `line` calls, set after the article: a line set apart from the frame's
    /// flow (a table's cell) cannot make room at the frame's foot. Number → Note element.
    pub(super) fn endnote_calls(&mut self, line: &SetLine) -> BTreeMap<usize, NodeId> {
        let mut calls = BTreeMap::new();
        for number in line.notes() {
            let node = match self.notes.remove(&number) {
                Some(text) => self.endnote(number, text),
                None => match self.called.get(&number) {
                    Some(node) => *node,
                    None => continue,
                },
            };
            calls.insert(number, node);
        }
        calls
    }

    /// The footnotes to set after the article: those no frame's foot could hold, then those
    /// no line called (a note whose call was lost must still be read), in number order.
    pub(super) fn take_endnotes(&mut self) -> Vec<(NodeId, usize, Rich)> {
        for (number, text) in std::mem::take(&mut self.notes) {
            self.endnote(number, text);
        }
        std::mem::take(&mut self.endnotes)
    }

    /// Sets the page's footnotes at the foot of the columns whose lines call them.
    fn set_notes(&mut self) {
        let notes = std::mem::take(&mut self.page_notes);
        if notes.is_empty() || self.pages.is_empty() {
            return;
        }
        let node = self.node;
        for column in 0..self.columns.max(1) {
            let here: Vec<&PageNote> = notes.iter().filter(|n| n.column == column).collect();
            self.set_column_notes(column, &here);
        }
        self.node = node;
    }

    /// Sets `notes` at the foot of `column`, under a short rule that touches neither the text
    /// above nor the first note.
    fn set_column_notes(&mut self, column: usize, notes: &[&PageNote]) {
        if notes.is_empty() {
            return;
        }
        let x = MARGIN_X + column as f32 * (self.column_width() + GUTTER);
        let bottom = MARGIN_BOTTOM
            + notes
                .iter()
                .map(|n| note_height(n.lines.len()))
                .sum::<f32>();
        let (rule, thickness) = (bottom - styles::NOTE_RULE_DROP, 0.4);
        self.page().items.push(Item::Rule {
            x1: x,
            x2: x + 40.0,
            y: rule,
            thickness,
        });
        let first = rule - thickness / 2.0 - styles::NOTE_RULE_GAP - NOTE.size * styles::CAP_HEIGHT;
        let mut y = first + NOTE.leading;
        for note in notes {
            self.node = Some(note.node);
            for line in &note.lines {
                y -= NOTE.leading;
                self.place_line(line, x, y, NOTE, Role::Note);
            }
        }
    }

    /// Spreads the last page's body over both columns, the first no shorter than the second.
    fn balance(&mut self) {
        let slots = std::mem::take(&mut self.slots);
        // Notes at the foot of the second column would be in the way of what moves there.
        let second = self.page_notes.iter().any(|n| n.column > 0);
        if self.columns != 2 || slots.is_empty() || second {
            return;
        }
        let Some(split) = balanced_split(&slots, self.repeated.unwrap_or(0)) else {
            return;
        };
        // A note goes to the foot of the column its call moves to (it fits there: that column
        // is no taller than the first was above its notes).
        for note in &mut self.page_notes {
            note.column = usize::from(note.slot >= split);
        }
        let heights: Vec<f32> = slots.iter().map(|s| s.top - s.bottom).collect();
        let step = self.column_width() + GUTTER;
        let top = self.frame_top;
        let mut cursors = [top, top];
        let page = self.pages.last_mut().expect("a page is open");
        for (i, slot) in slots.iter().enumerate() {
            let column = usize::from(i >= split);
            if i != 0 && i != split {
                // Under something now: the space it skipped at its frame's top.
                cursors[column] -= slot.space;
            } else {
                // At a column's head: not the space it took under what was above it.
                cursors[column] += slot.taken.min(slot.top - slot.bottom);
            }
            let dx = (column as f32 - slot.column as f32) * step;
            let dy = cursors[column] - slot.top;
            cursors[column] -= heights[i];
            for item in &mut page.items[slot.items.clone()] {
                *item = shifted(item, dx, dy);
            }
        }
        self.y = cursors[0].min(cursors[1]);
    }
}

/// Where the last page's slots are split between the columns: the first split that leaves
/// the first column no shorter than the second, and no lone line or kept slot at its foot,
/// never giving the first column more than it held (it would run past the page's foot), and
/// not before `least` (a table's repeated header stays at the head of its frame).
fn balanced_split(slots: &[Slot], least: usize) -> Option<usize> {
    let heights: Vec<f32> = slots.iter().map(|s| s.top - s.bottom).collect();
    let total: f32 = heights.iter().sum();
    let held = slots
        .iter()
        .position(|s| s.column > 0)
        .unwrap_or(slots.len());
    let mut first = 0.0;
    for (i, h) in heights.iter().enumerate() {
        if i > held {
            return None;
        }
        if first >= total - first && i > 0 && i >= least && !slots[i - 1].keep {
            return Some(i);
        }
        first += h;
    }
    None
}

/// `item` moved by (`dx`, `dy`).
pub fn shifted(item: &Item, dx: f32, dy: f32) -> Item {
    let mut item = item.clone();
    match &mut item {
        Item::Text { x, y, .. } | Item::Link { x, y, .. } | Item::Image { x, y, .. } => {
            *x += dx;
            *y += dy;
        }
        Item::Tag(_) => {}
        Item::Rule { x1, x2, y, .. } => {
            *x1 += dx;
            *x2 += dx;
            *y += dy;
        }
    }
    item
}

/// `text`, cut with an ellipsis to fit `width`.
pub fn truncate_to(text: &str, width: f32, measure: &dyn Fn(&str) -> f32) -> String {
    if measure(text) <= width {
        return text.to_string();
    }
    let mut cut = String::new();
    for c in text.chars() {
        if measure(&format!("{cut}{c}…")) > width {
            break;
        }
        cut.push(c);
    }
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_dropped_and_tabs_become_spaces() {
        assert_eq!(settable("soft\u{ad}hyphen\tand tab"), "softhyphen and tab");
        assert_eq!(
            settable("❤\u{fe0f} Auf\u{200c}lage\u{200b} 👨\u{200d}👩"),
            "❤\u{fe0f} Auf\u{200c}lage 👨\u{200d}👩"
        );
    }

    #[test]
    fn a_page_break_leaves_two_lines_on_each_side() {
        assert_eq!(lines_here(3, 5), 3);
        assert_eq!(lines_here(6, 4), 4);
        assert_eq!(lines_here(5, 4), 3);
        assert_eq!(lines_here(3, 2), 0);
        assert_eq!(lines_here(4, 1), 0);
    }
}

#[cfg(test)]
pub mod layout_tests {
    //! The layout rules checked on bodies set in two columns on A4.

    use super::*;
    use crate::export::pdf::compose::{blocks, Paper};

    /// A composer on a fresh A4 page, in an article's body of two columns.
    pub fn body(fonts: &FontSet) -> Composer<'_> {
        let mut composer = Composer::new(fonts, Paper::A4);
        composer.columns = 2;
        composer.new_page();
        composer.start_body(BTreeMap::new());
        composer
    }

    /// The page and column of the first text item holding `word`, and its baseline.
    pub fn found(composer: &Composer, word: &str) -> (usize, usize, f32) {
        let middle = composer.paper.width / 2.0;
        for (p, page) in composer.pages.iter().enumerate() {
            for item in &page.items {
                if let Item::Text { x, y, text, .. } = item {
                    if text.contains(word) {
                        return (p, usize::from(*x > middle), *y);
                    }
                }
            }
        }
        panic!("{word} not set");
    }

    /// A short letter of three lines, its first calling footnote 1 when `noted`.
    fn letter(noted: bool) -> Rich {
        let mut letter = plain_rich("Dear Editor,");
        if noted {
            letter.push(Span {
                text: "1".into(),
                marks: super::super::inline::Marks {
                    note: Some(1),
                    script: super::super::inline::Script::Super,
                    ..Default::default()
                },
            });
        }
        letter.extend(plain_rich(
            "\nthe harbour wall needs mending.\nYours, Quill",
        ));
        letter
    }

    #[test]
    fn a_three_line_paragraph_is_never_parted_wherever_it_falls() {
        let fonts = FontSet::bundled();
        for noted in [false, true] {
            for filler in 40..140 {
                let mut composer = body(&fonts);
                if noted {
                    composer.notes = BTreeMap::from([(1, plain_rich("A note on the letter."))]);
                }
                let words = |lines: usize| plain_rich(&vec!["word"; lines * 9].join(" "));
                blocks::paragraph(&mut composer, &words(filler), false);
                blocks::paragraph(&mut composer, &letter(noted), true);
                blocks::paragraph(&mut composer, &words(150), true);
                composer.end_body();
                let lines = ["Dear", "mending", "Quill"].map(|w| found(&composer, w));
                assert!(
                    lines.iter().all(|l| (l.0, l.1) == (lines[0].0, lines[0].1)),
                    "{filler} lines of filler: the letter parted: {lines:?}"
                );
                if noted {
                    let note = found(&composer, "note");
                    assert_eq!(
                        (note.0, note.1),
                        (lines[0].0, lines[0].1),
                        "{filler} lines of filler: the note is not under its call"
                    );
                    assert!(
                        note.2 < lines[2].2 - 9.0,
                        "{filler} lines of filler: the letter runs into its note: {lines:?} {note:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_footnote_stays_under_its_call_when_balancing_moves_the_call_to_the_second_column() {
        let fonts = FontSet::bundled();
        let mut moved = 0;
        for filler in 30..110 {
            let mut composer = body(&fonts);
            composer.notes = BTreeMap::from([(1, plain_rich("A note on the letter."))]);
            let words = |lines: usize| plain_rich(&vec!["word"; lines * 9].join(" "));
            blocks::paragraph(&mut composer, &words(filler), false);
            blocks::paragraph(&mut composer, &letter(true), true);
            blocks::paragraph(&mut composer, &words(4), true);
            composer.end_body();
            let (call, note) = (found(&composer, "Dear"), found(&composer, "note"));
            moved += usize::from(call.1 == 1);
            assert_eq!(
                (note.0, note.1),
                (call.0, call.1),
                "{filler} lines of filler: the note is not under its call"
            );
            // Its rule is over it, and the column's text clear of the rule.
            let page = &composer.pages[note.0].items;
            let column = |x: f32| usize::from(x > composer.paper.width / 2.0);
            let rules: Vec<(usize, f32)> = (page.iter())
                .filter_map(|item| match item {
                    Item::Rule { x1, y, .. } => Some((column(*x1), *y)),
                    _ => None,
                })
                .collect();
            assert_eq!(rules.len(), 1, "{filler} lines of filler: rules {rules:?}");
            let (rule_column, rule) = rules[0];
            assert!(rule_column == note.1 && rule > note.2, "{rules:?} {note:?}");
            let lowest = (page.iter())
                .filter_map(|item| match item {
                    Item::Text { x, y, role, .. }
                        if column(*x) == note.1 && *role == Role::Paragraph =>
                    {
                        Some(*y)
                    }
                    _ => None,
                })
                .fold(f32::MAX, f32::min);
            assert!(
                lowest - 2.5 > rule,
                "{filler}: a line at {lowest}, the rule at {rule}"
            );
        }
        assert!(moved > 0, "no call was moved to the second column");
    }

    #[test]
    fn the_footnote_rule_leaves_a_gap_above_the_first_notes_capitals_and_the_notes_stay_in_the_frame(
    ) {
        let fonts = FontSet::bundled();
        let mut composer = body(&fonts);
        composer.notes = BTreeMap::from([(1, plain_rich("Source: the harbour master's log."))]);
        blocks::paragraph(&mut composer, &letter(true), false);
        // Enough to fill the first page: its notes are set when it is done.
        let words = plain_rich(&vec!["word"; 1400].join(" "));
        blocks::paragraph(&mut composer, &words, true);
        let items = &composer.pages[0].items;
        let rule = items
            .iter()
            .find_map(|item| match item {
                Item::Rule { y, thickness, .. } => Some(y - thickness / 2.0),
                _ => None,
            })
            .expect("a footnote rule");
        let note = found(&composer, "Source");
        let capitals = note.2 + styles::NOTE.size * styles::CAP_HEIGHT;
        assert!(rule - capitals >= 2.5, "rule {rule}, capitals {capitals}");
        // The text above is clear of the rule (its descenders), the notes above the margin.
        let middle = composer.paper.width / 2.0;
        let lowest = items
            .iter()
            .filter_map(|item| match item {
                Item::Text { x, y, role, .. } if *x < middle && *role == Role::Paragraph => {
                    Some(*y)
                }
                _ => None,
            })
            .fold(f32::MAX, f32::min);
        assert!(
            lowest - 2.5 > rule + 0.4,
            "a line at {lowest}, the rule at {rule}"
        );
        assert!(note.2 - 2.5 > styles::MARGIN_BOTTOM, "{note:?}");
    }

    #[test]
    fn an_image_no_taller_than_the_type_is_drawn_in_its_line_and_a_taller_one_is_left_out() {
        use crate::export::pdf::compose::inline::{InlineImage, OBJECT};
        let fonts = FontSet::bundled();
        let mut composer = body(&fonts);
        composer.images = BTreeMap::from([
            ("small.png".to_string(), (6.0, 6.0)),
            ("tall.png".to_string(), (6.0, 40.0)),
        ]);
        let image = |src: &str| Span {
            text: OBJECT.to_string(),
            marks: super::super::inline::Marks {
                image: Some(InlineImage {
                    src: src.to_string(),
                    alt: "A red square".to_string(),
                    size: (0, 0),
                }),
                ..Default::default()
            },
        };
        let mut text = plain_rich("Markers look like this: ");
        text.extend([image("small.png"), image("tall.png")]);
        text.extend(plain_rich(" in the text."));
        blocks::paragraph(&mut composer, &text, false);
        let items = &composer.pages[0].items;
        let drawn: Vec<(&str, f32, f32)> = items
            .iter()
            .filter_map(|item| match item {
                Item::Image { path, y, width, .. } => Some((path.as_str(), *y, *width)),
                _ => None,
            })
            .collect();
        let line = found(&composer, "Markers");
        assert_eq!(drawn, [("small.png", line.2, 6.0)]);
        assert_eq!(composer.inline.borrow().get("small.png"), Some(&1));
        assert_eq!(composer.inline.borrow().get("tall.png"), None);
        // In a Figure of its own inside the paragraph, with its alternative text.
        let figure = composer
            .tree
            .nodes
            .iter()
            .position(|n| n.kind == Kind::Figure);
        let figure = figure.expect("a figure");
        assert_eq!(
            composer.tree.nodes[figure].alt.as_deref(),
            Some("A red square")
        );
        assert_eq!(
            composer.tree.nodes[composer.tree.nodes[figure].parent].kind,
            Kind::P
        );
        assert!(!items
            .iter()
            .any(|item| matches!(item, Item::Text { text, .. } if text.contains(OBJECT))));
    }

    #[test]
    fn a_short_piece_of_code_or_a_quote_and_its_attribution_is_never_parted_wherever_it_falls() {
        let fonts = FontSet::bundled();
        let code = [
            "let first = 1;",
            "let second = 2;",
            "let third = 3;",
            "sum()",
        ]
        .map(String::from);
        let quote = plain_rich(&format!(
            "first {} second {} third",
            vec!["word"; 14].join(" "),
            vec!["word"; 14].join(" ")
        ));
        let attribution = plain_rich("sum of it: Mara Pengelly");
        for quoting in [false, true] {
            for filler in 40..140 {
                for after in [2, 150] {
                    let mut composer = body(&fonts);
                    let words = |lines: usize| plain_rich(&vec!["word"; lines * 9].join(" "));
                    blocks::paragraph(&mut composer, &words(filler), false);
                    if quoting {
                        blocks::quote(&mut composer, &[&quote, &attribution]);
                    } else {
                        blocks::code(&mut composer, &code);
                    }
                    blocks::paragraph(&mut composer, &words(after), true);
                    composer.end_body();
                    let lines = ["first", "second", "third", "sum"].map(|w| found(&composer, w));
                    assert!(
                        lines.iter().all(|l| (l.0, l.1) == (lines[0].0, lines[0].1)),
                        "{filler} lines of filler, {after} after, quoting {quoting}: parted: {lines:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_figure_keeps_its_gap_under_the_text_above_it_wherever_balancing_puts_it() {
        let fonts = FontSet::bundled();
        for filler in (2..70).step_by(3) {
            let mut composer = body(&fonts);
            let words = |lines: usize| plain_rich(&vec!["word"; lines * 9].join(" "));
            blocks::paragraph(&mut composer, &words(filler), false);
            let image = Item::Image {
                path: "a.png".into(),
                x: 0.0,
                y: -150.0,
                width: 100.0,
                height: 150.0,
            };
            composer.place_figure(Group {
                height: 153.0,
                items: vec![image],
            });
            blocks::paragraph(&mut composer, &words(10), true);
            composer.end_body();
            let page = composer.pages.last().unwrap();
            let middle = composer.paper.width / 2.0;
            let Some((fx, top)) = page.items.iter().find_map(|i| match i {
                Item::Image { x, y, height, .. } => Some((*x > middle, y + height)),
                _ => None,
            }) else {
                continue;
            };
            let above = page
                .items
                .iter()
                .filter_map(|i| match i {
                    // Lines above the image, or (wrongly) across it.
                    Item::Text { x, y, .. } if (*x > middle) == fx && *y > top - 150.0 => Some(*y),
                    _ => None,
                })
                .fold(f32::MAX, f32::min);
            assert!(
                above == f32::MAX || above - top >= styles::FIGURE_GAP - 0.01,
                "{filler} lines before: the figure's top {top}, the line above at {above}"
            );
        }
    }

    #[test]
    fn a_figure_that_floats_leaves_no_space_in_the_text() {
        let fonts = FontSet::bundled();
        let mut composer = body(&fonts);
        // Seven words of six letters a line.
        let words = |word: &str, lines: usize| plain_rich(&vec![word; lines * 7].join(" "));
        blocks::paragraph(&mut composer, &words("before", 50), false);
        composer.place_figure(Group {
            height: 200.0,
            items: Vec::new(),
        });
        blocks::paragraph(&mut composer, &words("after", 150), false);
        composer.end_body();
        // The lowest baseline of `word` in the first column of the first page, or the highest.
        let baseline = |word: &str, lowest: bool| {
            let ys = composer.pages[0].items.iter().filter_map(|i| match i {
                Item::Text { x, y, text, .. } if *x < 200.0 && text.contains(word) => Some(*y),
                _ => None,
            });
            if lowest {
                ys.fold(f32::MAX, f32::min)
            } else {
                ys.fold(f32::MIN, f32::max)
            }
        };
        let (last_before, first_after) = (baseline("before", true), baseline("after", false));
        assert_eq!(last_before - first_after, styles::BODY.leading);
    }

    #[test]
    fn balanced_columns_start_on_the_same_line() {
        let fonts = FontSet::bundled();
        for a in 4..12 {
            for b in 4..12 {
                let mut composer = body(&fonts);
                let words = |lines: usize| plain_rich(&vec!["word"; lines * 7].join(" "));
                blocks::paragraph(&mut composer, &words(a), false);
                blocks::quote(&mut composer, &[&words(b)]);
                composer.end_body();
                let middle = composer.paper.width / 2.0;
                let mut tops = [f32::MIN; 2];
                for item in &composer.pages[0].items {
                    if let Item::Text { x, y, .. } = item {
                        let column = usize::from(*x > middle);
                        tops[column] = tops[column].max(*y);
                    }
                }
                assert!(
                    tops[1] == f32::MIN || tops[0] == tops[1],
                    "{a} and {b} lines: the columns start at {tops:?}"
                );
            }
        }
    }
}
