//! Writing a composition as PDF with printpdf, then finishing it on the lopdf level: the nested
//! outline printpdf cannot make, the document information, and a trailer /ID derived from the
//! content, so that the same edition always gives the same bytes.

use super::compose::structure::{NodeId, Tree};
use super::compose::{visual_order, Bookmark, Composition, Item, Paper, Role, Target};
use super::fonts::{
    cjk_region, invisible, stand_in, symbol_id, symbol_joins, Face, FontSet, Source, Style,
    FALLBACK_BOLD_ID, FALLBACK_ID,
};
use super::images::Orientation;
use super::shape;
use super::tags::Tagger;
use crate::export::ExportError;
use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use lopdf::{dictionary, Object, ObjectId};
use printpdf::{
    Actions, BorderArray, Color, CurTransMat, Destination, FontId, Greyscale, Line, LinePoint,
    LinkAnnotation, Mm, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix, XObject, XObjectId, XObjectTransform,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Document information, all from the edition.
pub struct Info {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    pub creator: String,
    /// Seconds since the epoch: the version's created time.
    pub created: i64,
    /// What the trailer /ID is derived from.
    pub identity: String,
}

/// The producer named in the document information (and the XMP packet of a PDF/A edition).
pub const PRODUCER: &str = "quire with printpdf";

/// Which face sets a character: one of the styles, a bundled symbol face, the fallback, or
/// another region's face of the fallback's collection (bold or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FaceKey {
    Style(Style),
    Symbol(usize),
    Fallback,
    FallbackBold,
    Regional(&'static str, bool),
}

impl FaceKey {
    fn face(self, fonts: &FontSet) -> &Face {
        let face = match self {
            FaceKey::Style(style) => Some(fonts.face(style)),
            FaceKey::Symbol(index) => fonts.symbols().get(index),
            FaceKey::Fallback => fonts.fallback.as_ref(),
            FaceKey::FallbackBold => fonts.fallback_bold.as_ref(),
            FaceKey::Regional(region, bold) => fonts.regional_face(region, bold),
        };
        face.expect("chosen only when present")
    }

    fn resource(self, fonts: &FontSet) -> String {
        let tag = match self {
            FaceKey::Style(style) => style.id().to_string(),
            FaceKey::Symbol(index) => symbol_id(index).to_string(),
            FaceKey::Fallback => FALLBACK_ID.to_string(),
            FaceKey::FallbackBold => FALLBACK_BOLD_ID.to_string(),
            // Six capital letters, as the other tags: QRJPFA, QRKRFB...
            FaceKey::Regional(region, bold) => {
                format!("QR{region}F{}", if bold { 'B' } else { 'A' })
            }
        };
        format!("{tag}+{}", self.face(fonts).name)
    }
}

/// A run of a line set in one face: `actual`, for the [`stand_in`]s of characters no face has,
/// is the text they stand for.
struct Run {
    key: FaceKey,
    text: String,
    actual: Option<String>,
}

/// Splits a line into runs of one face each; `region`: the CJK region the text is set for,
/// when the edition has a face of its own for it. A character no face has is set as its
/// [`stand_in`] in the style's face; one drawn as nothing ([`Source::Ignored`]) is left out.
fn runs(text: &str, style: Style, fonts: &FontSet, region: Option<&'static str>) -> Vec<Run> {
    let regional = |bold: bool, or: FaceKey| match region {
        Some(region) if fonts.regional_face(region, bold).is_some() => {
            FaceKey::Regional(region, bold)
        }
        _ => or,
    };
    let mut runs: Vec<Run> = Vec::new();
    for c in text.chars() {
        // A joiner or a selector within an emoji goes with it, in the face that sets it: the
        // text behind the glyphs keeps the sequence whole (a shaped text face drops it).
        if let Some(run) = runs.last_mut().filter(|run| {
            invisible(c)
                && run.actual.is_none()
                && matches!(run.key, FaceKey::Symbol(_))
                && run.key.face(fonts).covers(c)
        }) {
            run.text.push(c);
            continue;
        }
        let key = match fonts.face_for(style, c).map(|(_, source)| source) {
            Some(Source::Own) => FaceKey::Style(style),
            Some(Source::Symbol(index)) => FaceKey::Symbol(index),
            Some(Source::Fallback) => regional(false, FaceKey::Fallback),
            Some(Source::FallbackBold) => regional(true, FaceKey::FallbackBold),
            // Drawn as nothing; the text a stand-in before it stands for keeps it.
            Some(Source::Ignored) => {
                if let Some(Run {
                    actual: Some(actual),
                    ..
                }) = runs.last_mut()
                {
                    actual.push(c);
                }
                continue;
            }
            None => {
                match runs.last_mut() {
                    Some(Run {
                        text,
                        actual: Some(actual),
                        ..
                    }) => {
                        text.push_str(&stand_in(c));
                        actual.push(c);
                    }
                    _ => runs.push(Run {
                        key: FaceKey::Style(style),
                        text: stand_in(c),
                        actual: Some(c.to_string()),
                    }),
                }
                continue;
            }
        };
        match runs.last_mut() {
            // A space goes with the style's own face, whose space it was measured as.
            Some(run) if run.actual.is_none() && run.key == key => run.text.push(c),
            _ => runs.push(Run {
                key,
                text: c.to_string(),
                actual: None,
            }),
        }
    }
    runs
}

/// The CJK region the items being written are set for: that of the language of the element
/// they belong to (an article's own language, inherited by its parts), when the edition has
/// a regional face for it; else none (the fallback's own region). Page furniture (running
/// heads, repeated table headers) takes the region of the page's first element that has one.
struct Regions {
    by_node: Vec<Option<&'static str>>,
    page: Option<&'static str>,
    current: Option<&'static str>,
}

impl Regions {
    fn new(tree: &Tree, fonts: &FontSet) -> Regions {
        let mut by_node: Vec<Option<&'static str>> = Vec::with_capacity(tree.nodes.len());
        for node in &tree.nodes {
            let inherited = by_node.get(node.parent).copied().flatten();
            let region = match node.lang.as_deref() {
                Some(lang) => cjk_region(Some(lang)).filter(|r| fonts.regional.contains_key(r)),
                None => inherited,
            };
            by_node.push(region);
        }
        Regions {
            by_node,
            page: None,
            current: None,
        }
    }

    fn of(&self, node: Option<NodeId>) -> Option<&'static str> {
        node.and_then(|n| self.by_node.get(n).copied().flatten())
    }

    /// Starts a page of `items`.
    fn start_page(&mut self, items: &[Item]) {
        self.page = items.iter().find_map(|item| match item {
            Item::Tag(node) => self.of(*node),
            _ => None,
        });
        self.current = self.page;
    }

    /// Follows the structure markers: the region of what comes after `item`.
    fn see(&mut self, item: &Item) -> Option<&'static str> {
        if let Item::Tag(node) = item {
            self.current = node.map_or(self.page, |n| self.of(Some(n)));
        }
        self.current
    }
}

pub fn write(
    composition: Composition,
    fonts: &FontSet,
    paper: Paper,
    info: &Info,
    images: BTreeMap<String, super::images::Prepared>,
    pdfa: bool,
) -> Result<Written, ExportError> {
    let (used, unset) = used_faces(&composition, fonts);
    let mut doc = PdfDocument::new(&info.title);
    let mut subset_ids = BTreeMap::new();
    for (key, used) in &used {
        let face = key.face(fonts);
        if pdfa {
            super::pdfa::check_embeddable(face)?;
        }
        let (subset_face, ids) = subset_face(face, used)?;
        doc.resources
            .fonts
            .map
            .insert(FontId(key.resource(fonts)), PdfFont::new(subset_face));
        subset_ids.insert(*key, ids);
    }
    let image_ids = register_images(&mut doc, &composition, images)?;
    // Each page's items are dropped once its operations are made.
    let Composition {
        pages,
        outline,
        tree,
        ..
    } = composition;

    let width = Mm::from(Pt(paper.width));
    let height = Mm::from(Pt(paper.height));
    let mut tagger = Tagger::new(&tree);
    let mut regions = Regions::new(&tree, fonts);
    let pages = pages
        .into_iter()
        .map(|page| {
            let mut ops = Vec::new();
            let mut state = TextState::new(&subset_ids);
            tagger.start_page();
            regions.start_page(&page.items);
            for (i, item) in page.items.iter().enumerate() {
                // What the item is followed by, past a strikethrough's rule.
                let next = page.items[i + 1..]
                    .iter()
                    .find(|n| !matches!(n, Item::Rule { .. }));
                if let Some(marks) = tagger.mark(item, next) {
                    state.end(&mut ops);
                    ops.extend(marks);
                }
                state.region = regions.see(item);
                item_ops(item, fonts, &image_ids, &mut state, &mut ops);
            }
            state.end(&mut ops);
            ops.extend(tagger.end_page());
            PdfPage::new(width, height, ops)
        })
        .collect();
    doc.with_pages(pages);

    // Fonts are subset above; streams are compressed once, at the end.
    let options = PdfSaveOptions {
        subset_fonts: false,
        optimize: false,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&options, &mut warnings);
    // The pages' operations are in `lo` now: free them before compressing.
    drop(doc);
    finish(&mut lo, &outline, info);
    tagger.finish(&mut lo);
    super::limits::balance_pages(&mut lo, super::limits::FANOUT);
    super::limits::split_widths(&mut lo, super::limits::MAX_ARRAY);
    if pdfa {
        // Tagged throughout (tags.rs): the edition claims PDF/UA-1 beside PDF/A-1b.
        super::pdfa::conform(&mut lo, info, true)?;
    } else {
        // The pages' /Tabs is a PDF 1.5 key: a plain PDF says 1.7. (PDF/A-1 has to say 1.4;
        // readers and PDF/A-1 validators take the key there.)
        lo.version = "1.7".to_string();
    }
    lo.compress();
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(ExportError::encode("the PDF"))?;
    Ok(Written { bytes, unset })
}

/// A written PDF, and the characters no face had, by where they are (`article `id`` or the
/// issue's own pages), each shown as its [`stand_in`].
pub struct Written {
    pub bytes: Vec<u8>,
    pub unset: BTreeMap<String, BTreeSet<char>>,
}

/// What a face sets in the edition: characters, and the glyphs shaping put in their place.
#[derive(Default)]
struct Used {
    chars: BTreeSet<char>,
    glyphs: BTreeSet<u16>,
}

/// What each face sets, and the characters no face has by where they are ([`place_of`]).
fn used_faces(
    composition: &Composition,
    fonts: &FontSet,
) -> (BTreeMap<FaceKey, Used>, BTreeMap<String, BTreeSet<char>>) {
    let mut used: BTreeMap<FaceKey, Used> = BTreeMap::new();
    let mut unset: BTreeMap<String, BTreeSet<char>> = BTreeMap::new();
    let mut regions = Regions::new(&composition.tree, fonts);
    for (index, page) in composition.pages.iter().enumerate() {
        regions.start_page(&page.items);
        for item in &page.items {
            let region = regions.see(item);
            let Item::Text {
                style, text, role, ..
            } = item
            else {
                continue;
            };
            for run in runs(text, *style, fonts, region) {
                let used = used.entry(run.key).or_default();
                // A bracket in right-to-left text is drawn as its mirror image.
                for c in run.text.chars() {
                    used.chars.insert(c);
                    if shape::mirrored(c) != c {
                        used.chars.insert(shape::mirrored(c));
                    }
                }
                shape::substituted_glyphs(run.key.face(fonts), &run.text, &mut used.glyphs);
                if let Some(actual) = run.actual {
                    // A running head repeats its title on every page: named once, as its own.
                    let place = match role {
                        Role::Artifact => "the running heads".to_string(),
                        _ => place_of(index, composition),
                    };
                    unset.entry(place).or_default().extend(actual.chars());
                }
            }
        }
    }
    (used, unset)
}

/// Where page `index` (0-based) is, as a warning names it: `article `id``, the colophon, or the
/// cover and contents before the articles.
fn place_of(index: usize, composition: &Composition) -> String {
    if index >= composition.colophon {
        return "the colophon".to_string();
    }
    match composition
        .articles
        .iter()
        .rev()
        .find(|(_, start)| *start <= index)
    {
        Some((id, _)) => format!("article `{id}`"),
        None => "the cover and contents".to_string(),
    }
}

/// Adds every image the pages place to the document, with fixed ids in order of first use;
/// returns each one's id and how it is turned to be shown upright.
fn register_images(
    doc: &mut PdfDocument,
    composition: &Composition,
    mut images: BTreeMap<String, super::images::Prepared>,
) -> Result<ImageIds, ExportError> {
    let mut image_ids: ImageIds = BTreeMap::new();
    for item in composition.pages.iter().flat_map(|p| &p.items) {
        if let Item::Image { path, .. } = item {
            if !image_ids.contains_key(path) {
                let id = XObjectId(format!("IM{:04}", image_ids.len() + 1));
                let prepared = images.remove(path).ok_or_else(|| ExportError::Image {
                    path: path.clone(),
                    message: "is not in the archived issue".into(),
                })?;
                doc.resources
                    .xobjects
                    .map
                    .insert(id.clone(), XObject::External(prepared.xobject));
                image_ids.insert(path.clone(), (id, prepared.orientation));
            }
        }
    }
    Ok(image_ids)
}

/// By path, each placed image's XObject and how its pixels are turned.
type ImageIds = BTreeMap<String, (XObjectId, Orientation)>;

/// What the text operations of a page have set so far: consecutive pieces of text share one
/// text object and set only what changes (fewer operations, smaller pages, less memory).
struct TextState<'a> {
    open: bool,
    gray: Option<f32>,
    char_spacing: f32,
    font: Option<(FaceKey, f32)>,
    /// Each face's subset glyph ids for the full face's.
    subset_ids: &'a BTreeMap<FaceKey, HashMap<u16, u16>>,
    /// The CJK region of the text being written ([`Regions`]).
    region: Option<&'static str>,
}

impl<'a> TextState<'a> {
    fn new(subset_ids: &'a BTreeMap<FaceKey, HashMap<u16, u16>>) -> Self {
        TextState {
            open: false,
            gray: None,
            char_spacing: 0.0,
            font: None,
            subset_ids,
            region: None,
        }
    }

    /// Closes the text object, if one is open.
    fn end(&mut self, ops: &mut Vec<Op>) {
        if self.open {
            ops.push(Op::EndTextSection);
            self.open = false;
            self.font = None;
        }
    }
}

/// The operations of a piece of text, in the page's open text object.
fn text_ops(item: &Item, fonts: &FontSet, state: &mut TextState, ops: &mut Vec<Op>) {
    let Item::Text {
        x,
        y,
        style,
        size,
        text,
        word_spacing,
        char_spacing,
        gray,
        rtl,
        ..
    } = item
    else {
        return;
    };
    let (x, y, style, size, word_spacing, char_spacing, gray) =
        (*x, *y, *style, *size, *word_spacing, *char_spacing, *gray);
    if !state.open {
        ops.push(Op::StartTextSection);
        state.open = true;
    }
    if state.gray != Some(gray) {
        ops.push(Op::SetFillColor {
            col: Color::Greyscale(Greyscale {
                percent: gray,
                icc_profile: None,
            }),
        });
        state.gray = Some(gray);
    }
    spaced_by(char_spacing, state, ops);
    ops.push(Op::SetTextMatrix {
        matrix: TextMatrix::Translate(Pt(x), Pt(y)),
    });
    let spacing = Spacing {
        word: word_spacing,
        letter: char_spacing,
        size,
    };
    // A piece the composer placed as right to left is drawn so whole; others (running heads,
    // single lines) are ordered here, within the piece.
    let order = match rtl {
        true => vec![(0..text.len(), true)],
        false => visual_order(text),
    };
    for (range, rtl) in order {
        let piece = &text[range];
        let mut pieces = runs(piece, style, fonts, state.region);
        // Right-to-left text is drawn from its last run to its first, each run's glyphs
        // reversed: the visual order that extraction (poppler, PDFBox) reads back into
        // reading order by the bidirectional algorithm, as it does any PDF's.
        if rtl {
            pieces.reverse();
        }
        for run in &pieces {
            run_ops(run, rtl, fonts, &spacing, state, ops);
        }
    }
}

/// The spacing of a piece of text: after each space, after each letter, and its type size.
struct Spacing {
    word: f32,
    letter: f32,
    size: f32,
}

/// The operations of one run, reversed when it is right to left.
fn run_ops(
    run: &Run,
    rtl: bool,
    fonts: &FontSet,
    spacing: &Spacing,
    state: &mut TextState,
    ops: &mut Vec<Op>,
) {
    let (key, size) = (run.key, spacing.size);
    if state.font != Some((key, size)) {
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(FontId(key.resource(fonts))),
            size: Pt(size),
        });
        state.font = Some((key, size));
    }
    // A stand-in was measured as the characters it stands for: their letter spacing is
    // shared among its own. Letters that join (Arabic) are not spaced: the spacing they were
    // measured with follows the run.
    let joins = matches!(key, FaceKey::Symbol(index) if symbol_joins(index));
    let letter = match &run.actual {
        Some(actual) => {
            ops.push(super::tags::actual_text(actual));
            let share = actual.chars().count() as f32 / run.text.chars().count() as f32;
            spacing.letter * share
        }
        None if joins => 0.0,
        None => spacing.letter,
    };
    spaced_by(letter, state, ops);
    let show = shape::Show {
        word_spacing: spacing.word,
        char_spacing: letter,
        size,
        // A stand-in reads as a code point, left to right, wherever it stands.
        reversed: rtl && run.actual.is_none(),
    };
    let mut items = shape::show(
        key.face(fonts),
        state.subset_ids.get(&key),
        &run.text,
        &show,
    );
    if joins && spacing.letter != 0.0 {
        let owed = spacing.letter * run.text.chars().count() as f32;
        items.push(TextItem::Offset(-(owed / size * 1000.0)));
    }
    ops.push(Op::ShowText { items });
    if run.actual.is_some() {
        ops.push(Op::EndMarkedContent);
    }
    spaced_by(spacing.letter, state, ops);
}

/// Sets the letter spacing to `spacing`, when it is not that already.
fn spaced_by(spacing: f32, state: &mut TextState, ops: &mut Vec<Op>) {
    if state.char_spacing != spacing {
        ops.push(Op::SetCharacterSpacing {
            multiplier: spacing,
        });
        state.char_spacing = spacing;
    }
}

/// The drawing operations of one placed item.
fn item_ops(
    item: &Item,
    fonts: &FontSet,
    image_ids: &ImageIds,
    state: &mut TextState,
    ops: &mut Vec<Op>,
) {
    if let Item::Text { .. } = item {
        text_ops(item, fonts, state, ops);
        return;
    }
    state.end(ops);
    match item {
        Item::Text { .. } | Item::Tag(_) => {}
        Item::Rule {
            x1,
            x2,
            y,
            thickness,
        } => {
            ops.push(Op::SetOutlineThickness { pt: Pt(*thickness) });
            ops.push(Op::SetOutlineColor {
                col: Color::Greyscale(Greyscale {
                    percent: 0.3,
                    icc_profile: None,
                }),
            });
            let point = |x: f32| LinePoint {
                p: Point {
                    x: Pt(x),
                    y: Pt(*y),
                },
                bezier: false,
            };
            ops.push(Op::DrawLine {
                line: Line {
                    points: vec![point(*x1), point(*x2)],
                    is_closed: false,
                },
            });
        }
        Item::Image {
            path,
            x,
            y,
            width,
            height,
        } => {
            let (id, orientation) = &image_ids[path];
            ops.push(Op::SaveGraphicsState);
            ops.push(Op::SetTransformationMatrix {
                matrix: CurTransMat::Raw(orientation.matrix(*x, *y, *width, *height)),
            });
            ops.push(Op::UseXobject {
                id: id.clone(),
                transform: XObjectTransform {
                    no_auto_scale: true,
                    ..Default::default()
                },
            });
            ops.push(Op::RestoreGraphicsState);
        }
        Item::Link {
            x,
            y,
            width,
            height,
            target,
        } => ops.push(Op::LinkAnnotation {
            link: LinkAnnotation::new(
                Rect::from_xywh(Pt(*x), Pt(*y), Pt(*width), Pt(*height)),
                link_action(target),
                Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                None,
                None,
            ),
        }),
    }
}

/// What following a link does: open its URI, or go to its page or its place on a page.
fn link_action(target: &Target) -> Actions {
    let (page, top) = match target {
        Target::Uri(uri) => return Actions::uri(uri.clone()),
        Target::Page(page) => (*page, None),
        Target::Place { page, top } | Target::Passage { page, top } => (*page, Some(*top)),
        // Resolved when the edition is set (`compose::link_notes`): not seen here.
        Target::Note(_) => (0, None),
    };
    Actions::go_to(Destination::Xyz {
        page: page + 1,
        left: None,
        top,
        zoom: None,
    })
}

/// The face cut down to the glyphs the edition uses, keeping a Unicode cmap; and the subset's
/// glyph ids for the full face's (the subset numbers glyphs in the order it is given them).
fn subset_face(face: &Face, used: &Used) -> Result<(ParsedFont, HashMap<u16, u16>), ExportError> {
    let mut glyphs: BTreeSet<u16> = face.glyphs(used.chars.iter().copied());
    glyphs.extend(&used.glyphs);
    glyphs.remove(&0);
    let glyphs: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
    let ids = (0u16..)
        .zip(&glyphs)
        .map(|(new, old)| (*old, new))
        .collect();
    let fail = |cause: Box<dyn std::error::Error + Send + Sync>| ExportError::Subset {
        font: face.name.clone(),
        cause,
    };
    let data = ReadScope::new(&face.bytes)
        .read::<FontData<'_>>()
        .map_err(|e| fail(e.into()))?;
    let provider = data
        .table_provider(face.index)
        .map_err(|e| fail(e.into()))?;
    let bytes = subset(&provider, &glyphs, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|e| fail(e.into()))?;
    let mut warnings = Vec::new();
    let parsed = ParsedFont::from_bytes(&bytes, 0, &mut warnings)
        .ok_or_else(|| fail("the subset does not parse".into()))?;
    Ok((parsed, ids))
}

/// Adds the nested outline, the document information and the trailer /ID.
fn finish(lo: &mut lopdf::Document, outline: &[Bookmark], info: &Info) {
    let page_ids: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    if !outline.is_empty() {
        let outlines_id = lo.new_object_id();
        let (first, last, count) = add_bookmarks(lo, outline, outlines_id, &page_ids);
        lo.objects.insert(
            outlines_id,
            Object::Dictionary(dictionary! { "Type" => "Outlines", "First" => first, "Last" => last, "Count" => count }),
        );
        if let Ok(catalog) = lo.catalog_mut() {
            catalog.set("Outlines", outlines_id);
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
    }
    let date = pdf_date(info.created);
    let text = |s: &str| Object::String(utf16(s), lopdf::StringFormat::Hexadecimal);
    // printpdf's own information dictionary (with 1970 dates) is replaced, not left behind.
    if let Ok(old) = lo.trailer.get(b"Info").and_then(|o| o.as_reference()) {
        lo.objects.remove(&old);
    }
    let mut dict = dictionary! {
        "Title" => text(&info.title),
        "Subject" => text(&info.subject),
        "Keywords" => text(&info.keywords.join("; ")),
        "Creator" => text(&info.creator),
        "Producer" => text(PRODUCER),
        "CreationDate" => Object::string_literal(date.clone()),
        "ModDate" => Object::string_literal(date),
    };
    // An edition without authors has no /Author (nor dc:creator in the XMP).
    if !info.author.is_empty() {
        dict.set("Author", text(&info.author));
    }
    let info_id = lo.add_object(dict);
    lo.trailer.set("Info", info_id);
    let digest = crate::archive::DigestAlgorithm::Sha256.digest(info.identity.as_bytes());
    let id = Object::String(
        hex::decode(&digest[..32]).expect("hex digest"),
        lopdf::StringFormat::Hexadecimal,
    );
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
}

/// Writes bookmarks under `parent`; returns (first, last, count of visible descendants).
fn add_bookmarks(
    lo: &mut lopdf::Document,
    marks: &[Bookmark],
    parent: ObjectId,
    pages: &[ObjectId],
) -> (ObjectId, ObjectId, i64) {
    let ids: Vec<ObjectId> = marks.iter().map(|_| lo.new_object_id()).collect();
    let mut count = 0;
    for (i, mark) in marks.iter().enumerate() {
        let page = pages.get(mark.page).copied().unwrap_or(pages[0]);
        let mut dict = dictionary! {
            "Title" => Object::String(utf16(&mark.title), lopdf::StringFormat::Hexadecimal),
            "Parent" => parent,
            "Dest" => vec![Object::Reference(page), "XYZ".into(), Object::Null, Object::Real(mark.y), Object::Null],
        };
        if i > 0 {
            dict.set("Prev", ids[i - 1]);
        }
        if i + 1 < ids.len() {
            dict.set("Next", ids[i + 1]);
        }
        count += 1;
        if !mark.children.is_empty() {
            let (first, last, inner) = add_bookmarks(lo, &mark.children, ids[i], pages);
            dict.set("First", first);
            dict.set("Last", last);
            dict.set("Count", inner);
            count += inner;
        }
        lo.objects.insert(ids[i], Object::Dictionary(dict));
    }
    (ids[0], ids[ids.len() - 1], count)
}

/// PDF text strings as UTF-16BE with a byte order mark.
pub(super) fn utf16(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xfe, 0xff];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    bytes
}

/// `D:YYYYMMDDHHmmSSZ` for a Unix time.
fn pdf_date(seconds: i64) -> String {
    let time = chrono::DateTime::from_timestamp(seconds, 0).unwrap_or_default();
    time.format("D:%Y%m%d%H%M%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_right_to_left_phrase_in_a_left_to_right_line_is_its_own_piece() {
        let text = "said שלום עולם (welcome) twice";
        let pieces: Vec<(&str, bool)> = visual_order(text)
            .into_iter()
            .map(|(range, rtl)| (&text[range], rtl))
            .collect();
        assert_eq!(
            pieces,
            [
                ("said ", false),
                ("שלום עולם", true),
                (" (welcome) twice", false)
            ]
        );
        assert_eq!(visual_order("plain"), [(0..5, false)]);
    }
}
