//! The faces an edition is set in: Noto Serif, Noto Sans and Noto Sans Mono, bundled (SIL Open Font License,
//! `fonts/OFL.txt`), so that a fresh machine needs nothing, with Noto Sans Math, Noto Sans
//! Symbols 2 and Noto Emoji for the signs and emoji running text carries (arrows, operators,
//! stars, ticks, shapes, faces, flags), and Noto Serif Hebrew and Noto Naskh Arabic for
//! Hebrew and Arabic words within it, which the text faces lack; plus an optional fallback face (for CJK text) given on the
//! command line or found on the system.

use super::shape::Shaper;
use printpdf::{ParsedFont, PdfFontParseWarning};
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// One face with its metrics.
pub struct Face {
    /// The PostScript-style name written into the PDF (after the subset tag).
    pub name: String,
    pub bytes: Vec<u8>,
    pub index: usize,
    /// Character → (glyph, advance in font units): layout asks for every character often.
    metrics: FxHashMap<char, (u16, u16)>,
    units_per_em: f32,
    /// Kerning and ligatures, for the faces that get them.
    shaper: Option<Shaper>,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face").field("name", &self.name).finish()
    }
}

impl Face {
    /// Parses a TrueType/OpenType face (`index` selects the face in a collection), keeping its
    /// metrics only (the parsed font, outlines and all, is dropped: the writer embeds a subset
    /// made from `bytes`).
    pub fn parse(name: &str, bytes: Vec<u8>, index: usize) -> Option<Face> {
        let mut warnings: Vec<PdfFontParseWarning> = Vec::new();
        let parsed = ParsedFont::from_bytes(&bytes, index, &mut warnings)?;
        let metrics = parsed
            .codepoint_to_glyph
            .iter()
            .filter(|(_, glyph)| **glyph != 0)
            .filter_map(|(code, glyph)| {
                let c = char::from_u32(*code)?;
                Some((c, (*glyph, parsed.get_glyph_width(*glyph)?)))
            })
            .collect();
        let units_per_em = parsed.units_per_em as f32;
        Some(Face {
            name: name.to_string(),
            bytes,
            index,
            metrics,
            units_per_em,
            shaper: None,
        })
    }

    /// The face with kerning and standard ligatures (`bytes` are the face's own, held for the
    /// program's life as the bundled faces are).
    fn shaped(mut self, bytes: &'static [u8]) -> Face {
        self.shaper = Shaper::new(bytes);
        self
    }

    /// The face's shaper, if it is shaped.
    pub(crate) fn shaper(&self) -> Option<&Shaper> {
        self.shaper.as_ref()
    }

    pub fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    /// The space's glyph and advance in font units.
    pub fn space(&self) -> (u16, i32) {
        self.metrics
            .get(&' ')
            .map(|(glyph, width)| (*glyph, i32::from(*width)))
            .unwrap_or((0, 0))
    }

    /// The width of `text` at `size` points, shaped when the face is, else glyph by glyph
    /// from the cmap (characters the face lacks count as nothing).
    fn own_width(&self, text: &str, size: f32) -> f32 {
        match &self.shaper {
            Some(shaper) => shaper.width(text, self.space().1) as f32 * size / self.units_per_em,
            None => text.chars().filter_map(|c| self.advance(c, size)).sum(),
        }
    }

    /// Whether the face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.metrics.contains_key(&c)
    }

    /// The advance of `c` at `size` points, if the face has it.
    pub fn advance(&self, c: char, size: f32) -> Option<f32> {
        let (_, width) = self.metrics.get(&c)?;
        Some(*width as f32 * size / self.units_per_em)
    }

    /// The width of `text` at `size` points (characters the face lacks count as nothing;
    /// coverage is checked before the PDF is written).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().filter_map(|c| self.advance(c, size)).sum()
    }

    /// Glyph ids of the characters in `text` (for subsetting).
    pub fn glyphs(&self, text: impl Iterator<Item = char>) -> BTreeSet<u16> {
        text.filter_map(|c| self.metrics.get(&c).map(|(glyph, _)| *glyph))
            .collect()
    }
}

/// The styles the edition uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Style {
    Serif,
    SerifBold,
    SerifItalic,
    SerifBoldItalic,
    Sans,
    SansBold,
    SansItalic,
    SansBoldItalic,
    /// Code: Noto Sans Mono.
    Mono,
}

impl Style {
    pub const ALL: [Style; 9] = [
        Style::Serif,
        Style::SerifBold,
        Style::SerifItalic,
        Style::SerifBoldItalic,
        Style::Sans,
        Style::SansBold,
        Style::SansItalic,
        Style::SansBoldItalic,
        Style::Mono,
    ];

    /// A fixed resource id (never random, so output is reproducible): six capital letters,
    /// which PDF readers also take as the subset tag.
    pub fn id(self) -> &'static str {
        match self {
            Style::Serif => "QRSERA",
            Style::SerifBold => "QRSERB",
            Style::SerifItalic => "QRSERI",
            Style::SerifBoldItalic => "QRSERJ",
            Style::Sans => "QRSANA",
            Style::SansBold => "QRSANB",
            Style::SansItalic => "QRSANI",
            Style::SansBoldItalic => "QRSANJ",
            Style::Mono => "QRMONA",
        }
    }
}

/// The bundled faces plus an optional fallback (CJK, say) and its bold face.
#[derive(Debug)]
pub struct FontSet {
    faces: Vec<(Style, Face)>,
    pub fallback: Option<Face>,
    pub fallback_bold: Option<Face>,
    /// Other regions' faces of the fallback's CJK collection (with their bold faces), by
    /// region (`JP`, `KR`, `SC`, `TC`, `HK`), for articles in another CJK language than the
    /// issue's. Measured on Noto CJK: every character the fallback sets has the same advance
    /// in every region's face, so text is measured with the fallback and only drawn with these.
    pub regional: BTreeMap<&'static str, (Face, Option<Face>)>,
    /// The bundled symbol faces ([`SYMBOLS`]), for what the style's own face lacks.
    symbols: OnceLock<Vec<Face>>,
    /// Whether the fallback is a face the user chose (`--font`): it then sets what the text
    /// faces lack before the symbol faces do.
    pub chosen: bool,
}

/// A fallback face for what the bundled faces lack: the face, its bold sibling, and the
/// other regions' faces of its CJK collection ([`FontSet::regional`]).
#[derive(Debug)]
pub struct Fallback {
    pub face: Face,
    pub bold: Option<Face>,
    pub regional: BTreeMap<&'static str, (Face, Option<Face>)>,
}

/// Where a character's glyph comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    Own,
    /// The bundled symbol face of this index ([`SYMBOLS`]).
    Symbol(usize),
    Fallback,
    FallbackBold,
    /// A character that is drawn as nothing where no face has it ([`invisible`]): a
    /// variation selector (`❤️` is `❤` and U+FE0F), a tag, a direction mark.
    Ignored,
}

/// Whether `c` is a default-ignorable character that changes how its neighbour looks or
/// reads, not a character of its own: drawn as nothing when no face has a glyph for it.
pub fn invisible(c: char) -> bool {
    matches!(c,
        '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// A mark of the Unicode bidirectional algorithm: an embedding, override or isolate and its
/// end, a left-to-right, right-to-left or Arabic letter mark.
pub fn is_direction_mark(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// What stands in the PDF for a character no face of the edition has: its code point, which
/// a reader can look up (the character itself is the text behind it, for copying and for
/// assistive technology).
pub fn stand_in(c: char) -> String {
    format!("[U+{:04X}]", c as u32)
}

impl Style {
    /// Whether the style is a bold one (its fallback is the bold fallback face).
    pub fn is_bold(self) -> bool {
        matches!(
            self,
            Style::SerifBold | Style::SerifBoldItalic | Style::SansBold | Style::SansBoldItalic
        )
    }
}

/// The resource id of the fallback face.
pub const FALLBACK_ID: &str = "QRFALL";
/// The resource id of the fallback's bold face.
pub const FALLBACK_BOLD_ID: &str = "QRFALB";

/// A bundled face for what the text faces lack: its name, resource id, bytes, family name,
/// whether it is shaped (a script's letters join or combine; a sign is one glyph), and whether
/// its letters join (Arabic: letter spacing would part them).
struct Extra {
    name: &'static str,
    id: &'static str,
    bytes: &'static [u8],
    family: &'static str,
    shaped: bool,
    joins: bool,
}

/// The bundled symbol and script faces (Noto, SIL Open Font License 1.1), tried in this order
/// for a character the style's face lacks, before any fallback. They have no bold or italic:
/// a sign, a Hebrew or an Arabic word is set upright and regular in any style.
const SYMBOLS: [Extra; 5] = [
    Extra {
        name: "NotoSansMath-Regular",
        id: "QRSYMA",
        bytes: include_bytes!("fonts/NotoSansMath-Regular.ttf"),
        family: "Noto Sans Math",
        shaped: false,
        joins: false,
    },
    Extra {
        name: "NotoSansSymbols2-Regular",
        id: "QRSYMB",
        bytes: include_bytes!("fonts/NotoSansSymbols2-Regular.ttf"),
        family: "Noto Sans Symbols 2",
        shaped: false,
        joins: false,
    },
    // Hebrew and Arabic words within left-to-right text (set right to left by the writer).
    Extra {
        name: "NotoSerifHebrew-Regular",
        id: "QRSYMD",
        bytes: include_bytes!("fonts/NotoSerifHebrew-Regular.ttf"),
        family: "Noto Serif Hebrew",
        shaped: true,
        joins: false,
    },
    Extra {
        name: "NotoNaskhArabic-Regular",
        id: "QRSYME",
        bytes: include_bytes!("fonts/NotoNaskhArabic-Regular.ttf"),
        family: "Noto Naskh Arabic",
        shaped: true,
        joins: true,
    },
    // Emoji in black and white (the colour fonts systems have are bitmaps or layers a PDF
    // face cannot carry); after the signs, which are text signs there (`❤`, `☀`).
    Extra {
        name: "NotoEmoji-Regular",
        id: "QRSYMC",
        bytes: include_bytes!("fonts/NotoEmoji-Regular.ttf"),
        family: "Noto Emoji",
        shaped: false,
        joins: false,
    },
];

/// The resource id of the symbol face of `index` ([`SYMBOLS`]).
pub fn symbol_id(index: usize) -> &'static str {
    SYMBOLS[index].id
}

/// Whether the symbol face of `index` sets a script whose letters join (Arabic): letter
/// spacing would part them.
pub fn symbol_joins(index: usize) -> bool {
    SYMBOLS[index].joins
}

/// The bundled faces (Noto, SIL Open Font License 1.1): a style, the face's name, its bytes.
const BUNDLED: [(Style, &str, &[u8]); 9] = [
    (
        Style::Serif,
        "NotoSerif-Regular",
        include_bytes!("fonts/NotoSerif-Regular.ttf"),
    ),
    (
        Style::SerifBold,
        "NotoSerif-Bold",
        include_bytes!("fonts/NotoSerif-Bold.ttf"),
    ),
    (
        Style::SerifItalic,
        "NotoSerif-Italic",
        include_bytes!("fonts/NotoSerif-Italic.ttf"),
    ),
    (
        Style::SerifBoldItalic,
        "NotoSerif-BoldItalic",
        include_bytes!("fonts/NotoSerif-BoldItalic.ttf"),
    ),
    (
        Style::Sans,
        "NotoSans-Regular",
        include_bytes!("fonts/NotoSans-Regular.ttf"),
    ),
    (
        Style::SansBold,
        "NotoSans-Bold",
        include_bytes!("fonts/NotoSans-Bold.ttf"),
    ),
    (
        Style::SansItalic,
        "NotoSans-Italic",
        include_bytes!("fonts/NotoSans-Italic.ttf"),
    ),
    (
        Style::SansBoldItalic,
        "NotoSans-BoldItalic",
        include_bytes!("fonts/NotoSans-BoldItalic.ttf"),
    ),
    (
        Style::Mono,
        "NotoSansMono-Regular",
        include_bytes!("fonts/NotoSansMono-Regular.ttf"),
    ),
];

impl FontSet {
    /// The faces bundled with quire.
    pub fn bundled() -> FontSet {
        let faces = BUNDLED
            .iter()
            .map(|&(style, name, bytes)| {
                let face = Face::parse(name, bytes.to_vec(), 0).expect("bundled fonts parse");
                // Every bundled face but the monospace one is shaped (code keeps its grid).
                let face = if style == Style::Mono {
                    face
                } else {
                    face.shaped(bytes)
                };
                (style, face)
            })
            .collect();
        FontSet {
            faces,
            fallback: None,
            fallback_bold: None,
            regional: BTreeMap::new(),
            symbols: OnceLock::new(),
            chosen: false,
        }
    }

    /// The bundled symbol and script faces ([`SYMBOLS`]), parsed the first time a character
    /// the text faces lack asks for them (an edition in Latin letters alone never does).
    pub fn symbols(&self) -> &[Face] {
        self.symbols.get_or_init(|| {
            SYMBOLS
                .iter()
                .map(|extra| {
                    let face = Face::parse(extra.name, extra.bytes.to_vec(), 0)
                        .expect("bundled fonts parse");
                    match extra.shaped {
                        true => face.shaped(extra.bytes),
                        false => face,
                    }
                })
                .collect()
        })
    }

    /// The fallback face, its bold sibling when one is installed beside it, and its
    /// collection's other regions.
    pub fn with_fallback(mut self, fallback: Option<Fallback>) -> FontSet {
        if let Some(fallback) = fallback {
            self.fallback = Some(fallback.face);
            self.fallback_bold = fallback.bold;
            self.regional = fallback.regional;
        }
        self
    }

    /// The face of `region` for a character that `face_for` gives the fallback (`bold`: its
    /// bold fallback), when the edition has that region's face.
    pub fn regional_face(&self, region: &str, bold: bool) -> Option<&Face> {
        let (face, bold_face) = self.regional.get(region)?;
        Some(if bold { bold_face.as_ref()? } else { face })
    }

    pub fn face(&self, style: Style) -> &Face {
        &self
            .faces
            .iter()
            .find(|(s, _)| *s == style)
            .expect("every style is bundled")
            .1
    }

    /// The face that sets `c` in `style`: the style's own face, else a bundled symbol face,
    /// else the fallback (its bold face for a bold style, when there is one); a face the user
    /// chose ([`FontSet::chosen`]) comes before the symbol faces.
    pub fn face_for(&self, style: Style, c: char) -> Option<(&Face, Source)> {
        let own = self.face(style);
        // A direction's mark orders the text; it is never drawn, whatever face has a glyph.
        if is_direction_mark(c) {
            return Some((own, Source::Ignored));
        }
        if own.covers(c) {
            return Some((own, Source::Own));
        }
        let symbol = || {
            self.symbol_for(c)
                .map(|(index, face)| (face, Source::Symbol(index)))
        };
        let found = if self.chosen {
            self.fallback_for(style, c).or_else(symbol)
        } else {
            symbol().or_else(|| self.fallback_for(style, c))
        };
        match found {
            Some(found) => Some(found),
            // A space no face has (it is set as the style's own space's width, or not at all).
            None if c.is_whitespace() => Some((own, Source::Own)),
            None if invisible(c) => Some((own, Source::Ignored)),
            None => None,
        }
    }

    /// The fallback face that sets `c` in `style` (the bold one first for a bold style).
    fn fallback_for(&self, style: Style, c: char) -> Option<(&Face, Source)> {
        if style.is_bold() {
            if let Some(bold) = self.fallback_bold.as_ref().filter(|f| f.covers(c)) {
                return Some((bold, Source::FallbackBold));
            }
        }
        let fallback = self.fallback.as_ref().filter(|f| f.covers(c))?;
        Some((fallback, Source::Fallback))
    }

    /// The first bundled symbol face that has `c`, and its index.
    pub(crate) fn symbol_for(&self, c: char) -> Option<(usize, &Face)> {
        self.symbols().iter().enumerate().find(|(_, f)| f.covers(c))
    }
}

impl FontSet {
    /// The names of the faces used besides the bundled ones.
    pub fn extra_faces(&self) -> Vec<String> {
        let regional = self
            .regional
            .values()
            .flat_map(|(face, bold)| std::iter::once(face).chain(bold));
        self.fallback
            .iter()
            .chain(&self.fallback_bold)
            .chain(regional)
            .map(|f| f.name.clone())
            .collect()
    }

    /// The width of `text` set in `style` at `size` points, characters the style's face lacks
    /// measured in the face that sets them, or as their [`stand_in`] where none does. What the
    /// style's own face sets is shaped word by word, as the writer sets it.
    pub fn width_in(&self, style: Style, text: &str, size: f32) -> f32 {
        let own = self.face(style);
        let mut width = 0.0;
        // The run being measured: where it starts and the face that sets it.
        let mut from = 0;
        let mut current: Option<&Face> = None;
        for (at, c) in text.char_indices() {
            // The own face's, as `face_for` has it (asked only for the others: it is slower).
            let face = match own.covers(c) {
                true => Some(own),
                false => match self.face_for(style, c) {
                    // Nothing in its run's face, or nothing at all.
                    Some((_, Source::Ignored)) => continue,
                    found => found.map(|(face, _)| face),
                },
            };
            if face.is_some_and(|f| current.is_some_and(|c| std::ptr::eq(f, c))) {
                continue;
            }
            if let Some(run) = current {
                width += run.own_width(&text[from..at], size);
            }
            from = at;
            current = face;
            if face.is_none() {
                width += own.own_width(&stand_in(c), size);
                from = at + c.len_utf8();
            }
        }
        if let Some(run) = current {
            width += run.own_width(&text[from..], size);
        }
        width
    }
}

/// The number of faces of a font collection (a `ttcf` header), or `None` for a single font.
fn collection_faces(bytes: &[u8]) -> Option<usize> {
    if bytes.get(..4) != Some(b"ttcf") {
        return None;
    }
    let count: [u8; 4] = bytes.get(8..12)?.try_into().ok()?;
    Some(u32::from_be_bytes(count) as usize)
}

/// Reads a font file given on the command line: `path` or `path#N` for face N of a collection.
/// A face of a Noto CJK collection is named with its region and comes with its bold sibling,
/// as when quire finds the collection itself.
pub fn load_font_file(spec: &str) -> Result<(Face, Option<Face>), crate::export::ExportError> {
    let (path, index) = match spec.rsplit_once('#') {
        Some((path, n)) if n.parse::<usize>().is_ok() => (path, n.parse().unwrap_or(0)),
        _ => (spec, 0),
    };
    let bytes = std::fs::read(path).map_err(|cause| crate::export::ExportError::FontFile {
        path: path.to_string(),
        cause,
    })?;
    let name = std::path::Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let name = if name.is_empty() {
        "Fallback".to_string()
    } else {
        name
    };
    let cjk_collection = path.ends_with(".ttc") && name.contains("CJK");
    let name = match CJK_REGIONS.get(index).filter(|_| cjk_collection) {
        Some(region) => format!("{name}-{region}"),
        None => name,
    };
    let faces = collection_faces(&bytes);
    let face = Face::parse(&name, bytes, index).ok_or_else(|| {
        crate::export::ExportError::Input(match faces {
            Some(n) if index >= n => format!(
                "{path}: the collection has no face {index}: its {n} faces are #0 to #{}",
                n.saturating_sub(1)
            ),
            Some(_) => {
                format!("{path}: face {index} of the collection is not a font quire can read")
            }
            None => format!("{path}: not a TrueType or OpenType font (face {index})"),
        })
    })?;
    let bold = if cjk_collection {
        bold_sibling(path, index, &name)
    } else {
        None
    };
    Ok((face, bold))
}

/// Fonts commonly installed for CJK text (Debian's fonts-noto-cjk); the Noto CJK collections
/// hold one face per region, chosen by the edition's language.
const SYSTEM_FALLBACKS: [&str; 4] = [
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
];

/// The faces of a Noto CJK collection, in order: Japanese, Korean, Simplified Chinese,
/// Traditional Chinese (Taiwan), Traditional Chinese (Hong Kong).
const CJK_REGIONS: [&str; 5] = ["JP", "KR", "SC", "TC", "HK"];

/// The region of a CJK language tag by its primary subtag (`ja` JP, `ko` KR, `zh` SC unless
/// its script or region says TC or HK); `None` for any other language.
pub fn cjk_region(language: Option<&str>) -> Option<&'static str> {
    let tag = language.unwrap_or("").to_ascii_lowercase();
    let region = match tag.split(['-', '_']).next().unwrap_or("") {
        "ja" => "JP",
        "ko" => "KR",
        "zh" if tag.contains("-hk") || tag.contains("-mo") => "HK",
        "zh" if tag.contains("hant") || tag.contains("-tw") => "TC",
        "zh" => "SC",
        _ => return None,
    };
    Some(region)
}

/// The face of a Noto CJK collection for a language tag (Simplified Chinese when the
/// language says nothing about the region).
pub fn cjk_face_index(language: Option<&str>) -> usize {
    let region = cjk_region(language).unwrap_or("SC");
    CJK_REGIONS.iter().position(|r| *r == region).unwrap_or(2)
}

/// The bold sibling of a face file (`…-Regular.ttc` → `…-Bold.ttc`), same face index.
fn bold_sibling(path: &str, index: usize, name: &str) -> Option<Face> {
    let bold = path
        .contains("-Regular.")
        .then(|| path.replace("-Regular.", "-Bold."))?;
    let bytes = std::fs::read(&bold).ok()?;
    Face::parse(&name.replace("-Regular", "-Bold"), bytes, index)
}

/// A face installed on the system for the characters of `edition` that the bundled faces lack,
/// if there are such characters and such a face (the region's face of a CJK collection, by
/// the issue's language), with its bold sibling when it has one, and the collection's faces
/// of the other regions its articles' languages ask for.
pub fn system_fallback(fonts: &FontSet, edition: &crate::export::Edition) -> Option<Fallback> {
    let issue = &edition.issue;
    let serif = fonts.face(Style::Serif);
    let lacking: BTreeSet<char> = edition_texts(edition)
        .iter()
        .flat_map(|t| t.chars())
        .filter(|c| !c.is_whitespace() && !serif.covers(*c) && fonts.symbol_for(*c).is_none())
        .collect();
    if lacking.is_empty() {
        return None;
    }
    let region = CJK_REGIONS[cjk_face_index(issue.text_language())];
    // The face that sets the most of what is lacking (the first such, in the order above):
    // what it lacks too is named by the writer's error, not everything.
    let mut best: Option<(usize, &str, FaceAndBold)> = None;
    for path in SYSTEM_FALLBACKS {
        let Some((face, bold)) = system_face(path, region) else {
            continue;
        };
        let covered = lacking.iter().filter(|c| face.covers(**c)).count();
        if covered > best.as_ref().map_or(0, |(n, _, _)| *n) {
            let all = covered == lacking.len();
            best = Some((covered, path, (face, bold)));
            if all {
                break;
            }
        }
    }
    let (_, path, (face, bold)) = best?;
    let regional = if path.ends_with(".ttc") {
        other_regions(edition, path, region, &lacking)
    } else {
        BTreeMap::new()
    };
    Some(Fallback {
        face,
        bold,
        regional,
    })
}

/// The texts of an edition the PDF sets: titles, decks, bylines, bodies.
fn edition_texts(edition: &crate::export::Edition) -> Vec<&str> {
    let issue = &edition.issue;
    let mut texts: Vec<&str> = vec![issue.publication.title.as_str()];
    texts.extend(issue.title.as_deref());
    texts.extend(issue.sections.iter().filter_map(|s| s.name.as_deref()));
    for article in issue.articles() {
        texts.push(&article.title);
        texts.extend(article.deck.as_deref());
        texts.extend(article.authors.iter().map(String::as_str));
    }
    texts.extend(edition.bodies.values().map(String::as_str));
    texts
}

impl FontSet {
    /// The family names of the bundled symbol faces the text of `edition` needs, for the
    /// colophon (not those a face the user chose sets instead).
    pub fn symbol_faces_used(&self, edition: &crate::export::Edition) -> Vec<&'static str> {
        let mut used = BTreeSet::new();
        // ASCII is the text faces' own.
        let chars = edition_texts(edition).into_iter().flat_map(|t| t.chars());
        for c in chars.filter(|c| !c.is_ascii()) {
            if let Some((_, Source::Symbol(index))) = self.face_for(Style::Serif, c) {
                used.insert(index);
            }
        }
        used.into_iter()
            .map(|index| SYMBOLS[index].family)
            .collect()
    }
}

/// The faces of the CJK collection at `path` for the regions other than `region` that the
/// articles holding `lacking` characters ask for by their language.
fn other_regions(
    edition: &crate::export::Edition,
    path: &str,
    region: &str,
    lacking: &BTreeSet<char>,
) -> BTreeMap<&'static str, FaceAndBold> {
    edition
        .issue
        .articles()
        .filter(|article| {
            [article.title.as_str(), edition.body(&article.id)]
                .iter()
                .any(|text| text.chars().any(|c| lacking.contains(&c)))
        })
        .filter_map(|article| cjk_region(article.language.as_deref()))
        .filter(|other| *other != region)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter_map(|other| Some((other, system_face(path, other)?)))
        .collect()
}

/// A face and its bold sibling, when it has one.
type FaceAndBold = (Face, Option<Face>);

/// The face of an installed font file: of a CJK collection, `region`'s face, named with its
/// region (pdffonts and the colophon say which face it is), and its bold sibling.
fn system_face(path: &str, region: &str) -> Option<FaceAndBold> {
    let bytes = std::fs::read(path).ok()?;
    let stem = std::path::Path::new(path)
        .file_stem()?
        .to_string_lossy()
        .into_owned();
    if !path.ends_with(".ttc") {
        return Some((Face::parse(&stem, bytes, 0)?, None));
    }
    let index = CJK_REGIONS.iter().position(|r| *r == region)?;
    let name = format!("{stem}-{region}");
    let face = Face::parse(&name, bytes, index)?;
    Some((face, bold_sibling(path, index, &name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_face_past_the_end_of_a_collection_is_named_with_the_faces_there_are() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("two.ttc");
        let mut header = b"ttcf\0\x01\0\0\0\0\0\x02".to_vec();
        header.extend([0u8; 8]);
        std::fs::write(&path, header).unwrap();
        let spec = format!("{}#2", path.display());
        let error = load_font_file(&spec).err().unwrap().to_string();
        assert!(
            error.ends_with("two.ttc: the collection has no face 2: its 2 faces are #0 to #1"),
            "{error}"
        );
        std::fs::write(&path, b"not a font").unwrap();
        let error = load_font_file(&spec).err().unwrap().to_string();
        assert!(
            error.ends_with("not a TrueType or OpenType font (face 2)"),
            "{error}"
        );
    }

    #[test]
    fn a_cjk_region_comes_from_the_tags_primary_language() {
        for (tag, region) in [
            ("ja", Some("JP")),
            ("ja-JP", Some("JP")),
            ("ko-KR", Some("KR")),
            ("zh", Some("SC")),
            ("zh-Hans-CN", Some("SC")),
            ("zh-Hant", Some("TC")),
            ("zh-TW", Some("TC")),
            ("zh-HK", Some("HK")),
            ("jam", None),
            ("kok", None),
            ("en", None),
        ] {
            assert_eq!(cjk_region(Some(tag)), region, "{tag}");
        }
        assert_eq!(cjk_region(None), None);
    }

    #[test]
    fn bundled_faces_cover_latin_greek_and_cyrillic() {
        let fonts = FontSet::bundled();
        for style in Style::ALL {
            let face = fonts.face(style);
            for c in
                "Éditions Ça naïve façade Ångström Zürich œuvre ß ñ — “” Αθήνα Ελλάδα Москва Київ"
                    .chars()
            {
                assert!(c.is_whitespace() || face.covers(c), "{style:?} lacks {c:?}");
            }
        }
        let serif = fonts.face(Style::Serif);
        assert!(serif.width("Internet", 12.0) > 30.0 && serif.width("Internet", 12.0) < 60.0);
        assert!(!serif.covers('中'));
    }

    #[test]
    fn signs_and_emoji_the_text_faces_lack_come_from_a_symbol_face_in_every_style() {
        let fonts = FontSet::bundled();
        for style in Style::ALL {
            for c in "→⇒↔≥≤≠≈√∞∑∫★☆✓✔✗►▶◆■□●○♥☎✉✈☀⚠".chars()
            {
                let source = fonts.face_for(style, c).map(|(_, source)| source);
                assert!(
                    matches!(source, Some(Source::Own | Source::Symbol(_))),
                    "{style:?} {c}: {source:?}"
                );
            }
            assert_eq!(fonts.face_for(style, 'a').map(|f| f.1), Some(Source::Own));
            for c in "🙂🏽🇨🇳✅❌🎉".chars() {
                let family = match fonts.face_for(style, c) {
                    Some((_, Source::Symbol(index))) => SYMBOLS[index].family,
                    other => panic!("{style:?} {c}: {other:?}"),
                };
                assert_eq!(family, "Noto Emoji", "{style:?} {c}");
            }
            assert!(fonts.face_for(style, '𐀀').is_none(), "{style:?}");
        }
        // Measured in the face that sets them: not nothing.
        assert!(fonts.width_in(Style::Serif, "★→≥", 10.0) > 15.0);
    }

    #[test]
    fn shaped_faces_measure_kerning_and_ligatures_and_the_monospace_face_keeps_its_grid() {
        let fonts = FontSet::bundled();
        let serif = fonts.face(Style::Serif);
        for text in ["AVA To", "office"] {
            assert!(fonts.width_in(Style::Serif, text, 10.0) < serif.width(text, 10.0));
        }
        let mono = fonts.face(Style::Mono);
        assert!(mono.shaper().is_none());
        let grid = mono.advance('o', 10.0).unwrap() * 10.0;
        let width = fonts.width_in(Style::Mono, "office -> AV", 10.0);
        assert!((width - grid * 1.2).abs() < 1e-3, "{width} for {grid}");
    }
}
