//! Shaping for the bundled Latin, Greek and Cyrillic faces: standard ligatures (GSUB `liga`,
//! with `ccmp`) and kerning (GPOS `kern`) through allsorts, one word at a time, cached per
//! face in font units so that every size shares it. The composer measures with the shaped
//! advances and the writer sets the same glyphs, so justified lines stay flush.
//!
//! The monospace face and the fallback (CJK) faces are not shaped: their glyphs come from the
//! cmap, so code keeps its grid.

use super::fonts::Face;
use allsorts::binary::read::ReadScope;
use allsorts::font::{Font, MatchingPresentation};
use allsorts::font_data::{DynamicFontTableProvider, FontData};
use allsorts::gsub::{Feature, FeatureMask};
use allsorts::tag;
use printpdf::{Codepoint, TextItem};
use rustc_hash::FxHashMap;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

/// One glyph of a shaped word.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The glyph id in the full face.
    pub id: u16,
    /// The glyph's own advance, in font units.
    pub advance: i32,
    /// What kerning adds to the advance, in font units.
    pub kerning: i32,
    /// The characters the glyph stands for (several for a ligature).
    pub text: String,
    /// Whether the glyph is the cmap's for its one character (so that it can be written as
    /// that character).
    pub plain: bool,
}

/// A word set in glyphs.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub glyphs: Vec<Glyph>,
    /// Advances plus kerning, in font units.
    pub width: i32,
}

/// A face's shaping engine and the words it has shaped.
pub struct Shaper {
    font: Mutex<Font<DynamicFontTableProvider<'static>>>,
    words: Mutex<FxHashMap<String, Arc<Word>>>,
}

impl std::fmt::Debug for Shaper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shaper").finish_non_exhaustive()
    }
}

/// The features applied: glyph composition and standard ligatures (kerning is asked for
/// separately).
fn features() -> FeatureMask {
    Feature::CCMP | Feature::LIGA
}

/// The OpenType script of a word: Greek, Cyrillic, Hebrew or Arabic by its first letter of
/// those scripts, Latin otherwise.
fn script_of(word: &str) -> u32 {
    for c in word.chars().filter(|c| c.is_alphabetic()) {
        match c as u32 {
            0x0370..=0x03FF | 0x1F00..=0x1FFF => return tag::GREK,
            0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => {
                return tag::CYRL
            }
            0x0590..=0x05FF | 0xFB1D..=0xFB4F => return u32::from_be_bytes(*b"hebr"),
            0x0600..=0x06FF
            | 0x0750..=0x077F
            | 0x08A0..=0x08FF
            | 0xFB50..=0xFDFF
            | 0xFE70..=0xFEFE => return tag::ARAB,
            _ => {}
        }
    }
    tag::LATN
}

/// The characters a glyph stands for, as the text behind it gives them: allsorts gives a
/// composed letter it decomposed and composed again twice (Arabic `أ` as `أأ`), which the
/// word does not hold twice.
fn glyph_text(chars: &[char], word: &str) -> String {
    let mut text = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let doubled = i > 0 && chars[i - 1] == c && !word.contains(&format!("{c}{c}"));
        if !doubled {
            text.push(c);
        }
    }
    text
}

impl Shaper {
    /// A shaper for face 0 of `bytes`, if allsorts reads it.
    pub fn new(bytes: &'static [u8]) -> Option<Shaper> {
        let data = ReadScope::new(bytes).read::<FontData<'static>>().ok()?;
        let provider = data.table_provider(0).ok()?;
        let font = Font::new(provider).ok()?;
        Some(Shaper {
            font: Mutex::new(font),
            words: Mutex::new(FxHashMap::default()),
        })
    }

    /// `word` (no spaces) shaped, from the cache when it was shaped before.
    pub fn word(&self, word: &str) -> Arc<Word> {
        if let Some(shaped) = self.words.lock().expect("shaper lock").get(word) {
            return shaped.clone();
        }
        let shaped = Arc::new(self.shape(word));
        self.words
            .lock()
            .expect("shaper lock")
            .insert(word.to_string(), shaped.clone());
        shaped
    }

    fn shape(&self, word: &str) -> Word {
        let mut font = self.font.lock().expect("shaper lock");
        let script = script_of(word);
        let raw = font.map_glyphs(word, script, MatchingPresentation::NotRequired);
        // Errors leave what could be applied: the glyphs are usable either way.
        let infos = match font.shape(raw, script, None, features(), &[], None, true) {
            Ok(infos) => infos,
            Err((_, infos)) => infos,
        };
        let glyphs: Vec<Glyph> = infos
            .iter()
            .filter(|info| info.glyph.glyph_index != 0)
            .map(|info| {
                let id = info.glyph.glyph_index;
                let chars = &info.glyph.unicodes;
                let plain = chars.len() == 1
                    && font
                        .lookup_glyph_index(chars[0], MatchingPresentation::NotRequired, None)
                        .0
                        == id;
                Glyph {
                    id,
                    advance: i32::from(font.horizontal_advance(id).unwrap_or(0)),
                    kerning: i32::from(info.kerning),
                    text: glyph_text(chars, word),
                    plain,
                }
            })
            .collect();
        let width = glyphs.iter().map(|g| g.advance + g.kerning).sum();
        Word { glyphs, width }
    }

    /// The width of `text` in font units: its words shaped, its spaces as `space` units each.
    pub fn width(&self, text: &str, space: i32) -> i32 {
        let mut width = 0;
        for (i, word) in text.split(' ').enumerate() {
            if i > 0 {
                width += space;
            }
            if !word.is_empty() {
                width += self.word(word).width;
            }
        }
        width
    }

    /// The glyphs (full-face ids) that set the words of `text` and are not the cmap's for
    /// their characters (ligatures): the cmap's come with the characters.
    pub fn substituted(&self, text: &str, glyphs: &mut BTreeSet<u16>) {
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let word = self.word(word);
            glyphs.extend(word.glyphs.iter().filter(|g| !g.plain).map(|g| g.id));
        }
    }
}

/// Adds the glyphs (full-face ids) shaping substituted in `run` set in `face` to `glyphs`
/// (none for a face that is not shaped): the subset needs them besides the characters'.
pub fn substituted_glyphs(face: &Face, run: &str, glyphs: &mut BTreeSet<u16>) {
    if let Some(shaper) = face.shaper() {
        shaper.substituted(run, glyphs);
    }
}

/// How a run is shown: the points after each space and each letter, the type size, and
/// whether it reads right to left (its glyphs drawn last first).
pub struct Show {
    pub word_spacing: f32,
    pub char_spacing: f32,
    pub size: f32,
    pub reversed: bool,
}

/// The operands that show `run` in `face`: glyph ids of the subset (`subset_ids` maps the
/// full face's to them) when the face is shaped, else the text through the cmap. A reversed
/// run is drawn from its last glyph to its first, its brackets mirrored.
pub fn show(
    face: &Face,
    subset_ids: Option<&HashMap<u16, u16>>,
    run: &str,
    show: &Show,
) -> Vec<TextItem> {
    match (face.shaper(), subset_ids) {
        (Some(shaper), Some(subset_ids)) => {
            let setting = Setting {
                shaper,
                units_per_em: face.units_per_em(),
                subset_ids,
            };
            match show.reversed {
                true => {
                    let mirrored: String = run.chars().map(mirrored).collect();
                    glyph_items(&setting, &mirrored, show)
                }
                false => glyph_items(&setting, run, show),
            }
        }
        _ if show.reversed => {
            let reversed: String = run.chars().rev().map(mirrored).collect();
            spaced(&reversed, show.word_spacing, show.size)
        }
        _ => spaced(run, show.word_spacing, show.size),
    }
}

/// A bracket as right-to-left text draws it (Unicode's mirrored pairs that the faces have).
pub fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        other => other,
    }
}

/// How the glyphs of a run are written: the face's units per em and the subset's glyph ids
/// for the full face's.
struct Setting<'a> {
    shaper: &'a Shaper,
    units_per_em: f32,
    subset_ids: &'a HashMap<u16, u16>,
}

/// The operands of a TJ array being built: what the cmap sets runs together as text (compact,
/// and mapped back to its characters by printpdf), other glyphs go by id with their
/// characters.
#[derive(Default)]
struct Operands {
    items: Vec<TextItem>,
    text: String,
}

impl Operands {
    /// Ends the text so far (copied at its length: every page's operands are held until the
    /// document is written).
    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.items.push(TextItem::Text(self.text.clone()));
            self.text.clear();
        }
    }

    fn glyph(&mut self, id: u16, text: &str) {
        self.flush();
        let glyph = Codepoint::with_cid(id, 0.0, text.to_string());
        self.items.push(TextItem::GlyphIds(vec![glyph]));
    }

    /// An adjustment in thousandths of an em (positive moves the next glyph left).
    fn offset(&mut self, adjust: f32) {
        if adjust != 0.0 {
            self.flush();
            self.items.push(TextItem::Offset(adjust));
        }
    }

    fn finish(mut self) -> Vec<TextItem> {
        self.flush();
        self.items.shrink_to_fit();
        self.items
    }
}

/// A run of shaped text: kerning as TJ adjustments, `word_spacing` points after each space
/// (word spacing does not apply to the two-byte codes embedded fonts use), and a ligature
/// given the letter spacing of each character it stands for, as the composer measured it.
/// A ligature goes by its id in the subset, with its characters for the ToUnicode map.
fn glyph_items(setting: &Setting<'_>, run: &str, show: &Show) -> Vec<TextItem> {
    let (word_spacing, char_spacing, size) = (show.word_spacing, show.char_spacing, show.size);
    let per_unit = 1000.0 / setting.units_per_em;
    let mut operands = Operands::default();
    let words: Vec<&str> = match show.reversed {
        true => run.split(' ').rev().collect(),
        false => run.split(' ').collect(),
    };
    for (i, word) in words.into_iter().enumerate() {
        if i > 0 {
            operands.text.push(' ');
            operands.offset(-(word_spacing / size * 1000.0));
        }
        if word.is_empty() {
            continue;
        }
        let shaped = setting.shaper.word(word);
        let glyphs = &shaped.glyphs;
        for n in 0..glyphs.len() {
            // Reversed, the kerning between two glyphs follows the one drawn first (the later
            // one in reading order); the first glyph's own goes last.
            let (glyph, kerning) = match show.reversed {
                true => {
                    let at = glyphs.len() - 1 - n;
                    let after = if at > 0 { at - 1 } else { glyphs.len() - 1 };
                    (&glyphs[at], glyphs[after].kerning)
                }
                false => (&glyphs[n], glyphs[n].kerning),
            };
            if glyph.plain {
                operands.text.push_str(&glyph.text);
            } else {
                let id = setting.subset_ids.get(&glyph.id).copied().unwrap_or(0);
                operands.glyph(id, &glyph.text);
            }
            let extra_letters = glyph.text.chars().count().saturating_sub(1) as f32;
            operands.offset(
                -(kerning as f32 * per_unit) - extra_letters * char_spacing / size * 1000.0,
            );
        }
    }
    operands.finish()
}

/// A run in an unshaped face, with `extra` points after each space as TJ adjustments.
fn spaced(run: &str, extra: f32, size: f32) -> Vec<TextItem> {
    if extra == 0.0 {
        return vec![TextItem::Text(run.to_string())];
    }
    let adjust = -(extra / size * 1000.0);
    let mut items = Vec::new();
    let mut parts = run.split(' ').peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_some() {
            items.push(TextItem::Text(format!("{part} ")));
            items.push(TextItem::Offset(adjust));
        } else if !part.is_empty() {
            items.push(TextItem::Text(part.to_string()));
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serif() -> Shaper {
        Shaper::new(include_bytes!("fonts/NotoSerif-Regular.ttf")).expect("Noto Serif shapes")
    }

    #[test]
    fn office_and_fluffy_are_set_with_ligatures_that_keep_their_letters() {
        let shaper = serif();
        for word in ["office", "fluffy"] {
            let shaped = shaper.word(word);
            assert!(
                shaped.glyphs.len() < word.chars().count(),
                "{word}: {:?}",
                shaped.glyphs
            );
            let text: String = shaped.glyphs.iter().map(|g| g.text.as_str()).collect();
            assert_eq!(text, word);
            assert!(shaped.glyphs.iter().any(|g| g.text.chars().count() > 1));
        }
    }

    #[test]
    fn a_zero_width_non_joiner_keeps_a_ligatures_letters_apart() {
        let shaper = serif();
        let joined = shaper.word("Auflage");
        assert!(joined.glyphs.iter().any(|g| g.text == "fl"), "{joined:?}");
        let apart = shaper.word("Auf\u{200c}lage");
        let texts: Vec<&str> = apart.glyphs.iter().map(|g| g.text.as_str()).collect();
        assert!(texts.contains(&"f") && texts.contains(&"l"), "{texts:?}");
        // The joiner itself is shaped away (it has no width): the letters read as they are.
        assert_eq!(texts.concat(), "Auflage");
    }

    #[test]
    fn a_kerned_pair_is_narrower_than_its_letters() {
        let shaper = serif();
        let pair = shaper.word("AV");
        assert!(pair.glyphs[0].kerning < 0, "{:?}", pair.glyphs);
        let apart = shaper.word("A").width + shaper.word("V").width;
        assert!(pair.width < apart);
    }

    #[test]
    fn arabic_words_are_shaped_with_their_letters_joined_and_hebrew_words_in_their_script() {
        assert_eq!(script_of("שלום"), u32::from_be_bytes(*b"hebr"));
        assert_eq!(script_of("«مرحبا»"), tag::ARAB);
        let naskh = Shaper::new(include_bytes!("fonts/NotoNaskhArabic-Regular.ttf")).unwrap();
        let word = naskh.word("مرحبا");
        // Joined: contextual forms, not the letters' own glyphs; the text comes back whole.
        assert!(word.glyphs.iter().any(|g| !g.plain), "{:?}", word.glyphs);
        let text: String = word.glyphs.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(text, "مرحبا");
        // Letters with hamza come back once each.
        for word in ["أنا", "إلى", "إشعار"] {
            let text: String = naskh
                .word(word)
                .glyphs
                .iter()
                .map(|g| g.text.as_str())
                .collect();
            assert_eq!(text, word);
        }
    }

    #[test]
    fn greek_and_cyrillic_words_are_shaped_in_their_scripts() {
        assert_eq!(script_of("Αθήνα"), tag::GREK);
        assert_eq!(script_of("«Москва»"), tag::CYRL);
        assert_eq!(script_of("office"), tag::LATN);
        let shaper = serif();
        let text: String = shaper
            .word("Αθήνα")
            .glyphs
            .iter()
            .map(|g| g.text.as_str())
            .collect();
        assert_eq!(text, "Αθήνα");
    }
}
