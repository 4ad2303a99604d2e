//! Rich text set into lines: each run measured in the face its marks call for, the paragraph
//! broken as a whole (`linebreak`), and every line turned into pieces placed from its left
//! edge, spaces widened or narrowed so that a justified line meets both edges.

use super::flow::settable;
use super::inline::{Marks, Script, Span};
use super::styles::TextStyle;
use crate::export::pdf::fonts::{FontSet, Source, Style};
use crate::export::pdf::linebreak::{
    atoms, break_atoms, every_space_breaks, Atom, Line, Measure, Rules, Run,
};
use hyphenation::Standard;

/// A piece of a line in one look, `dx` from the line's left edge.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub dx: f32,
    pub text: String,
    pub face: Style,
    pub size: f32,
    /// Baseline shift (superscript up, subscript down).
    pub rise: f32,
    /// Extra width of each space, and of every character (letter spacing).
    pub word_spacing: f32,
    pub char_spacing: f32,
    pub width: f32,
    /// The marks of the run the piece is set from: what the face, size and rise do not show
    /// is drawn or tagged from them (strikethrough, underline, a link, a footnote call, a
    /// language apart from the article's, an image drawn in the line).
    pub marks: Marks,
    /// A sign the layout adds, not the text's (a code line's continuation mark).
    pub mark: bool,
    /// The end of a code line broken after a space, read as one piece ([`super::Role::CodeEnd`]).
    pub code_end: bool,
    /// Whether the piece reads right to left (a Hebrew or Arabic phrase, placed by
    /// [`in_visual_order`] and drawn from its end).
    pub rtl: bool,
}

/// A line ready to place.
#[derive(Debug, Clone, PartialEq)]
pub struct SetLine {
    pub pieces: Vec<Piece>,
    /// How far the line starts from the left edge (a first-line indent).
    pub indent: f32,
    pub hyphenated: bool,
}

impl SetLine {
    /// The width the line takes from its left edge.
    pub fn width(&self) -> f32 {
        self.pieces.last().map(|p| p.dx + p.width).unwrap_or(0.0)
    }

    /// The footnotes the line calls.
    pub fn notes(&self) -> impl Iterator<Item = usize> + '_ {
        self.pieces.iter().filter_map(|p| p.marks.note)
    }
}

/// The face for text in `marks` within text set in `base`: bold and italic in both families
/// (roman for emphasis within italic), code in the monospace face.
pub fn face_of(base: Style, marks: &Marks) -> Style {
    if marks.code {
        return Style::Mono;
    }
    let (serif, bold, italic) = match base {
        Style::Serif => (true, false, false),
        Style::SerifBold => (true, true, false),
        Style::SerifItalic => (true, false, true),
        Style::SerifBoldItalic => (true, true, true),
        Style::Sans => (false, false, false),
        Style::SansBold => (false, true, false),
        Style::SansItalic => (false, false, true),
        Style::SansBoldItalic => (false, true, true),
        Style::Mono => return Style::Mono,
    };
    let bold = bold || marks.bold;
    let italic = italic != marks.italic;
    match (serif, bold, italic) {
        (true, false, false) => Style::Serif,
        (true, true, false) => Style::SerifBold,
        (true, false, true) => Style::SerifItalic,
        (true, true, true) => Style::SerifBoldItalic,
        (false, false, false) => Style::Sans,
        (false, true, false) => Style::SansBold,
        (false, false, true) => Style::SansItalic,
        (false, true, true) => Style::SansBoldItalic,
    }
}

/// French spacing: no break after « or before », ;, :, ! and ?.
fn french_space(before: Option<char>, after: Option<char>) -> bool {
    matches!(before, Some('«' | '‹')) || matches!(after, Some('»' | '›' | ';' | ':' | '!' | '?'))
}

/// How a paragraph is set.
pub struct Shape<'a> {
    pub style: TextStyle,
    pub measure: f32,
    /// The first line's indent.
    pub indent: f32,
    pub justify: bool,
    pub hyphenator: Option<&'a Standard>,
    pub french: bool,
}

/// One run's look.
/// How much smaller small print (`<small>`) is set.
const SMALL_PRINT: f32 = 0.85;

struct Look {
    face: Style,
    size: f32,
    rise: f32,
    /// The width of an image in the line, for each of its characters.
    image: Option<f32>,
}

/// Whether emphasis (italic) on `text` would not show: it has characters that no italic face
/// sets, which the fallback sets upright (CJK has no italic). Signs a symbol face sets are not
/// counted (a sign has no italic, and the letters around it show the emphasis), nor what no
/// face sets (it is named on its own).
pub fn emphasis_unseen(fonts: &FontSet, base: Style, marks: &Marks, text: &str) -> bool {
    let face = face_of(base, marks);
    marks.italic
        && !face.is_bold()
        && face != Style::Mono
        && text.chars().any(|c| {
            let fallback = matches!(
                fonts.face_for(face, c),
                Some((_, Source::Fallback | Source::FallbackBold))
            );
            // A sign a `--font` face sets before the symbol faces is still a sign.
            fallback && fonts.symbol_for(c).is_none()
        })
}

/// The face of a run: [`face_of`], but bold for emphasis that italic cannot show when the
/// fallback has a bold face to show it with.
fn run_face(fonts: &FontSet, base: Style, marks: &Marks, text: &str) -> Style {
    if fonts.fallback_bold.is_some() && emphasis_unseen(fonts, base, marks, text) {
        let bold = Marks {
            bold: true,
            ..marks.clone()
        };
        return face_of(base, &bold);
    }
    face_of(base, marks)
}

fn look(fonts: &FontSet, style: &TextStyle, marks: &Marks, text: &str) -> Look {
    let face = run_face(fonts, style.face, marks, text);
    if let Some(image) = &marks.image {
        return Look {
            face,
            size: style.size,
            rise: 0.0,
            image: Some(image.points().0),
        };
    }
    // Small print a size down, as a browser sets it (`font-size: smaller`).
    let size = if marks.small {
        style.size * SMALL_PRINT
    } else {
        style.size
    };
    match marks.script {
        Script::Normal => Look {
            face,
            size,
            rise: 0.0,
            image: None,
        },
        Script::Super => Look {
            face,
            size: size * 0.68,
            rise: size * 0.36,
            image: None,
        },
        Script::Sub => Look {
            face,
            size: size * 0.68,
            rise: -size * 0.14,
            image: None,
        },
    }
}

/// How far a justified line may space out its letters, per character at full stretch, as a
/// share of the type size (the spaces take the rest).
const LETTER_STRETCH: f32 = 0.02;

/// How one run is measured.
type Measurer<'a> = Box<dyn Fn(&str) -> f32 + 'a>;

/// Sets `text` into lines.
pub fn set(fonts: &FontSet, text: &[Span], shape: &Shape) -> Vec<SetLine> {
    let texts: Vec<String> = text.iter().map(|s| settable(&s.text)).collect();
    let looks: Vec<Look> = text
        .iter()
        .zip(&texts)
        .map(|(s, t)| look(fonts, &shape.style, &s.marks, t))
        .collect();
    let widths: Vec<Measurer> = looks
        .iter()
        .map(|l| {
            let (face, size) = (l.face, l.size);
            match l.image {
                Some(width) => {
                    Box::new(move |t: &str| t.chars().count() as f32 * width) as Measurer
                }
                None => Box::new(move |t: &str| fonts.width_in(face, t, size)) as Measurer,
            }
        })
        .collect();
    let runs: Vec<Run> = texts
        .iter()
        .zip(&widths)
        .zip(&looks)
        .map(|((text, width), look)| Run {
            text,
            width: width.as_ref(),
            letter_stretch: if shape.justify && look.image.is_none() {
                look.size * LETTER_STRETCH
            } else {
                0.0
            },
        })
        .collect();
    let rules = Rules {
        hyphenator: shape.hyphenator,
        no_break_space: if shape.french {
            &french_space
        } else {
            &every_space_breaks
        },
        max_box: shape.measure - shape.indent,
    };
    let atoms = atoms(&runs, &rules);
    let lines = break_atoms(
        &atoms,
        Measure {
            first: shape.measure - shape.indent,
            rest: shape.measure,
        },
    );
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let indent = if i == 0 { shape.indent } else { 0.0 };
            let justify = shape.justify && line.justify;
            let mut pieces = pieces(&atoms, line, justify, &runs, &looks, text);
            true_up(fonts, &mut pieces, justify, line.hyphenated);
            let pieces = in_visual_order(fonts, pieces);
            SetLine {
                pieces,
                indent,
                hyphenated: line.hyphenated,
            }
        })
        .collect()
}

/// Places the pieces of a line as they will be drawn. Shaped words are not the sum of their
/// parts (kerning or a ligature across a hyphenation point, a word broken at one, a word
/// before its hyphen): each piece is measured whole, and a justified line's spaces take up
/// the difference, so that it stays flush at both edges. Its last letter ends at the edge:
/// the letter spacing after it (which a hyphen's width already carries) lies beyond.
fn true_up(fonts: &FontSet, pieces: &mut [Piece], justify: bool, hyphenated: bool) {
    let spaces = |p: &Piece| p.text.matches(' ').count();
    let drawn = |p: &Piece| drawn_width(fonts, p);
    let all_spaces: usize = pieces.iter().map(spaces).sum();
    if justify && all_spaces > 0 {
        let trailing = match pieces.last() {
            Some(last) if !hyphenated => last.char_spacing,
            _ => 0.0,
        };
        let target: f32 = pieces.iter().map(|p| p.width).sum::<f32>() + trailing;
        let natural: f32 = pieces.iter().map(drawn).sum();
        let share = (target - natural) / all_spaces as f32;
        for piece in pieces.iter_mut().filter(|p| spaces(p) > 0) {
            piece.word_spacing += share;
        }
    }
    let mut x = 0.0;
    for piece in pieces.iter_mut() {
        piece.dx = x;
        piece.width = drawn(piece);
        x += piece.width;
    }
}

/// The width a piece takes as drawn: its ink, its letter spacing, its word spacing.
fn drawn_width(fonts: &FontSet, p: &Piece) -> f32 {
    let ink = match &p.marks.image {
        Some(image) => p.text.chars().count() as f32 * image.points().0,
        None => fonts.width_in(p.face, &p.text, p.size),
    };
    let spaces = p.text.matches(' ').count();
    ink + p.text.chars().count() as f32 * p.char_spacing + spaces as f32 * p.word_spacing
}

/// Whether `c` is a letter written right to left (Hebrew, Arabic and the like). No such letter
/// comes before Hebrew's block: Latin text is not looked up.
pub fn reads_right_to_left(c: char) -> bool {
    use unicode_bidi::{bidi_class, BidiClass};
    c >= '\u{0590}' && matches!(bidi_class(c), BidiClass::R | BidiClass::AL)
}

/// Whether `c` may change the order a line is drawn in: a right-to-left letter, or a mark
/// of direction (`<bdo dir="rtl">` over Latin letters).
fn reorders(c: char) -> bool {
    reads_right_to_left(c) || crate::export::pdf::fonts::is_direction_mark(c)
}

/// The parts of `text` in the order they are drawn, left to right, and whether each reads
/// right to left (the Unicode bidirectional algorithm, `text` a left-to-right paragraph's
/// line): a Hebrew or Arabic phrase in English text.
pub fn visual_order(text: &str) -> Vec<(std::ops::Range<usize>, bool)> {
    use unicode_bidi::{BidiInfo, Level};
    if !text.chars().any(reorders) {
        return vec![(0..text.len(), false)];
    }
    let bidi = BidiInfo::new(text, Some(Level::ltr()));
    let mut order = Vec::new();
    for paragraph in &bidi.paragraphs {
        let (levels, runs) = bidi.visual_runs(paragraph, paragraph.range.clone());
        order.extend(runs.into_iter().map(|r| {
            let rtl = levels[r.start].is_rtl();
            (r, rtl)
        }));
    }
    order
}

/// The pieces of a line in the order they are drawn, left to right: the Unicode bidirectional
/// algorithm over the whole line (its paragraph left to right), so that a Hebrew or Arabic
/// phrase reads right to left across its changes of style (`مرحبا *بكم*`). Pieces are cut
/// where the direction changes; a right-to-left run's pieces are placed last first, each
/// marked to be drawn from its end. A line without such text is left as it is.
pub fn in_visual_order(fonts: &FontSet, pieces: Vec<Piece>) -> Vec<Piece> {
    if !pieces.iter().any(|p| p.text.chars().any(reorders)) {
        return pieces;
    }
    let text: String = pieces.iter().map(|p| p.text.as_str()).collect();
    let mut starts = Vec::with_capacity(pieces.len());
    let mut at = 0;
    for piece in &pieces {
        starts.push(at);
        at += piece.text.len();
    }
    let mut placed: Vec<Piece> = Vec::new();
    for (run, rtl) in visual_order(&text) {
        // The pieces' parts within the run, in reading order.
        let mut parts: Vec<Piece> = pieces
            .iter()
            .zip(&starts)
            .filter_map(|(piece, &start)| {
                let from = run.start.max(start);
                let to = run.end.min(start + piece.text.len());
                (from < to).then(|| Piece {
                    text: piece.text[from - start..to - start].to_string(),
                    rtl,
                    ..piece.clone()
                })
            })
            .collect();
        if rtl {
            parts.reverse();
        }
        placed.extend(parts);
    }
    let mut x = 0.0;
    for piece in &mut placed {
        piece.dx = x;
        piece.width = drawn_width(fonts, piece);
        x += piece.width;
    }
    placed
}

/// The run of a box or glue (penalties belong to none: the first run).
fn atom_run(atom: &Atom) -> usize {
    match atom {
        Atom::Box { run, .. } | Atom::Glue { run, .. } => *run,
        Atom::Penalty { .. } => 0,
    }
}

/// The pieces of one line, placed.
fn pieces(
    atoms: &[Atom],
    line: &Line,
    justify: bool,
    runs: &[Run],
    looks: &[Look],
    spans: &[Span],
) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut current: Option<usize> = None;
    let mut x = 0.0;
    // What follows the previous line's break up to the first box is dropped.
    let first_box = (line.start..line.end)
        .find(|&i| matches!(atoms[i], Atom::Box { .. }))
        .unwrap_or(line.end);
    // Letters are spaced out only when the line is stretched.
    let stretched = if justify { line.ratio.max(0.0) } else { 0.0 };
    for atom in &atoms[first_box..line.end] {
        let letters = stretched * runs[atom_run(atom)].letter_stretch;
        let (run, text, width, spacing) = match atom {
            Atom::Box {
                width,
                stretch,
                run,
                start,
                end,
            } => (
                *run,
                &runs[*run].text[*start..*end],
                width + stretched * stretch,
                None,
            ),
            Atom::Glue {
                width,
                stretch,
                shrink,
                run,
                start,
                end,
            } if end > start => {
                // A line that only fits shrunk is shrunk, justified or not (the last line of a
                // paragraph, a ragged caption): it would run past the measure.
                let extra = match (justify, line.ratio) {
                    (_, r) if r < 0.0 => r * shrink,
                    (false, _) => 0.0,
                    (true, r) => r * stretch,
                };
                // The space is a character too: it gets the letter spacing.
                (*run, " ", width + extra, Some(extra - letters))
            }
            _ => continue,
        };
        if current != Some(run) {
            let look = &looks[run];
            pieces.push(Piece {
                dx: x,
                text: String::new(),
                face: look.face,
                size: look.size,
                rise: look.rise,
                word_spacing: 0.0,
                char_spacing: letters,
                width: 0.0,
                marks: spans[run].marks.clone(),
                mark: false,
                code_end: false,
                rtl: false,
            });
            current = Some(run);
        }
        let piece = pieces.last_mut().expect("a piece is open");
        piece.text.push_str(text);
        piece.width += width;
        if let Some(extra) = spacing {
            piece.word_spacing = extra;
        }
        x += width;
    }
    if line.hyphenated {
        if let (Some(piece), Atom::Penalty { width, .. }) = (pieces.last_mut(), &atoms[line.end]) {
            piece.text.push('-');
            piece.width += width + piece.char_spacing;
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::pdf::compose::inline::{plain, plain_rich};
    use crate::export::pdf::compose::styles::BODY;
    use crate::export::pdf::linebreak::hyphenator;

    #[test]
    fn an_override_turns_latin_letters_and_an_isolate_keeps_arabic_in_its_place() {
        let turned = "Turned: \u{202e}DESREVER\u{202c} here";
        let runs = visual_order(turned);
        let drawn_rtl: Vec<&str> = runs
            .iter()
            .filter(|(_, rtl)| *rtl)
            .map(|(r, _)| &turned[r.clone()])
            .collect();
        assert_eq!(drawn_rtl, ["DESREVER\u{202c}"], "{runs:?}");
        // `<bdi>إيمان</bdi>: 3 posts`: the colon and the count stay after the name.
        let isolated = "Most active: \u{2068}إيمان\u{2069}: 3 posts";
        let order: Vec<&str> = visual_order(isolated)
            .into_iter()
            .map(|(r, _)| &isolated[r])
            .collect();
        assert_eq!(
            order.last().copied(),
            Some("\u{2069}: 3 posts"),
            "{order:?}"
        );
        // The marks are never drawn.
        let fonts = FontSet::bundled();
        for mark in ['\u{202e}', '\u{2068}', '\u{200f}'] {
            let source = fonts.face_for(BODY.face, mark).map(|(_, s)| s);
            assert_eq!(source, Some(crate::export::pdf::fonts::Source::Ignored));
        }
    }

    #[test]
    fn justified_lines_of_shaped_words_are_as_wide_as_drawn_and_flush() {
        let fonts = FontSet::bundled();
        let text = "The difficult official staff efficiently shuffled the office waffles; \
                    AVATAR Tools and fluffy affixes were offered to the effective Wave of \
                    Yorkshire typographers, who affirmed the traffic of suffixes. "
            .repeat(4);
        let english = hyphenator(Some("en"));
        let shape = Shape {
            style: BODY,
            measure: 150.0,
            indent: 0.0,
            justify: true,
            hyphenator: english.as_ref(),
            french: false,
        };
        let lines = set(&fonts, &plain_rich(text.trim_end()), &shape);
        assert!(lines.len() > 10 && lines.iter().any(|l| l.hyphenated));
        for line in &lines[..lines.len() - 1] {
            let mut x = 0.0;
            for piece in &line.pieces {
                let drawn = fonts.width_in(piece.face, &piece.text, piece.size)
                    + piece.text.chars().count() as f32 * piece.char_spacing
                    + piece.text.matches(' ').count() as f32 * piece.word_spacing;
                assert!((piece.width - drawn).abs() < 1e-3 && (piece.dx - x).abs() < 1e-3);
                x += piece.width;
            }
            let last = line.pieces.last().unwrap();
            let ink = line.width() - last.char_spacing;
            assert!((ink - 150.0).abs() < 0.01, "{line:?}");
        }
    }

    #[test]
    fn a_last_line_that_fits_only_shrunk_stays_inside_the_measure() {
        let fonts = FontSet::bundled();
        let text = plain_rich("A paragraph with marked and under and em \u{201c}quoted\u{201d}.");
        let natural = fonts.width_in(BODY.face, &plain(&text), BODY.size);
        for measure in [natural - 4.0, natural - 2.0, natural] {
            let shape = Shape {
                style: BODY,
                measure,
                indent: 0.0,
                justify: true,
                hyphenator: None,
                french: false,
            };
            for line in set(&fonts, &text, &shape) {
                assert!(line.width() <= measure + 0.01, "{measure}: {line:?}");
            }
        }
    }
}
