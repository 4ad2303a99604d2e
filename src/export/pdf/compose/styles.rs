//! Every size, leading, gray and margin of the edition in one place, by name, so that the look
//! of the edition is read (and changed) here rather than in numbers spread through the layout.

use crate::export::pdf::fonts::Style;

/// How a kind of text is set: its face, size and leading (points) and its gray (0 is black).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub face: Style,
    pub size: f32,
    pub leading: f32,
    pub gray: f32,
}

const fn text(face: Style, size: f32, leading: f32, gray: f32) -> TextStyle {
    TextStyle {
        face,
        size,
        leading,
        gray,
    }
}

/// Millimetres in points.
const MM: f32 = 72.0 / 25.4;

/// The page: margins (17 mm at the sides) and the gutter between columns (5 mm), in points.
pub const MARGIN_X: f32 = 17.0 * MM;
pub const MARGIN_TOP: f32 = 20.0 * MM;
pub const MARGIN_BOTTOM: f32 = 18.0 * MM;
pub const GUTTER: f32 = 5.0 * MM;

/// Body text and what sits in it: 9.5 pt on 12 pt.
pub const BODY: TextStyle = text(Style::Serif, 9.5, 12.0, 0.0);
pub const QUOTE: TextStyle = text(Style::SerifItalic, 9.5, 12.0, 0.2);
pub const CODE: TextStyle = text(Style::Mono, 8.0, 10.5, 0.1);
pub const CAPTION: TextStyle = text(Style::Sans, 7.5, 9.5, 0.35);
pub const CREDIT: TextStyle = text(Style::Sans, 6.5, 8.5, 0.45);
pub const NOTE: TextStyle = text(Style::Serif, 7.5, 9.0, 0.1);
pub const TABLE_TEXT: TextStyle = text(Style::Sans, 7.5, 9.5, 0.0);
pub const TABLE_HEAD: TextStyle = text(Style::SansBold, 7.5, 9.5, 0.0);
pub const HEADING: TextStyle = text(Style::SansBold, 11.0, 14.0, 0.0);
pub const SUBHEADING: TextStyle = text(Style::SansBold, 9.5, 12.0, 0.0);
/// The first line of a paragraph that follows another is indented (no space between them).
pub const INDENT: f32 = 9.5;
/// Space before a quote, a list, code, a table; around headings and figures.
pub const BLOCK_GAP: f32 = 6.0;
pub const HEADING_GAP_BEFORE: f32 = 9.0;
pub const HEADING_GAP_AFTER: f32 = 2.0;
pub const ITEM_GAP: f32 = 1.5;
pub const FIGURE_GAP: f32 = 8.0;
/// Space above the footnotes of a column.
pub const NOTE_GAP: f32 = 10.0;
/// The footnote rule: how far under the frame's foot it is drawn (clear of the descenders of
/// the text above), and the space under it, above the capitals of the first note.
pub const NOTE_RULE_DROP: f32 = 5.0;
pub const NOTE_RULE_GAP: f32 = 3.0;
/// The height of the capitals and figures of the bundled serif, as a share of the type size
/// (Noto Serif: 1,462 units of 2,048).
pub const CAP_HEIGHT: f32 = 0.714;
/// How far a quote is indented on each side.
pub const QUOTE_INDENT: f32 = 12.0;
/// The least hanging indent of a list item, the room after its marker, and how far each
/// nested list steps in.
pub const ITEM_INDENT: f32 = 12.0;
pub const ITEM_MARKER_ROOM: f32 = 5.0;
pub const LIST_STEP: f32 = 12.0;
/// Cell padding and the rule widths of tables.
pub const CELL_PAD: f32 = 3.0;
pub const TABLE_RULE: f32 = 0.6;
pub const ROW_RULE: f32 = 0.25;
/// The share of the text block an image may take in height.
pub const IMAGE_MAX_HEIGHT: f32 = 0.5;
/// An article whose last page would hold no more than `SHORT_PAGE_LINES` body lines a column
/// is set again a little tighter, its leading and the spaces between its blocks at these shares
/// of theirs (gentlest first), if that ends it a page sooner: 12 pt leading down to 11.5 pt.
pub const SHORT_PAGE_LINES: f32 = 6.0;
pub const TIGHTER: [f32; 2] = [0.98, 0.96];

/// The head of an article.
pub const SECTION_LABEL: TextStyle = text(Style::SansBold, 8.5, 11.0, 0.35);
pub const TITLE: TextStyle = text(Style::SerifBold, 22.0, 26.0, 0.0);
pub const DECK: TextStyle = text(Style::SerifItalic, 12.0, 15.5, 0.15);
pub const CREDITS: TextStyle = text(Style::Sans, 8.0, 11.0, 0.3);

/// The cover (the leading is the step from one line to the next).
pub const COVER_KICKER: TextStyle = text(Style::Sans, 11.0, 15.0, 0.25);
pub const COVER_TITLE: TextStyle = text(Style::SerifBold, 44.0, 48.0, 0.0);
pub const COVER_ISSUE: TextStyle = text(Style::SerifItalic, 20.0, 25.0, 0.1);
pub const COVER_LINE: TextStyle = text(Style::SerifBold, 13.0, 16.5, 0.0);
pub const COVER_LINE_DECK: TextStyle = text(Style::Serif, 10.0, 13.0, 0.3);
/// How thick the cover's bands are.
pub const COVER_BAND: f32 = 3.0;

/// The contents and the colophon.
pub const PAGE_HEADING: TextStyle = text(Style::SerifBold, 20.0, 26.0, 0.0);
pub const CONTENTS_SECTION: TextStyle = text(Style::SansBold, 8.5, 14.0, 0.35);
pub const CONTENTS_ARTICLE: TextStyle = text(Style::SerifBold, 11.0, 14.0, 0.0);
pub const CONTENTS_DECK: TextStyle = text(Style::SerifItalic, 9.0, 11.5, 0.2);
pub const CONTENTS_BYLINE: TextStyle = text(Style::Sans, 7.5, 10.0, 0.35);
pub const COLOPHON: TextStyle = text(Style::Sans, 8.5, 12.0, 0.0);

/// Running heads and folios.
pub const RUNNING_HEAD: TextStyle = text(Style::Sans, 7.5, 7.5, 0.35);
pub const FOLIO: TextStyle = text(Style::Sans, 8.0, 8.0, 0.2);
/// Baselines of the running head and the folio, from the page's top and bottom edges.
pub const RUNNING_HEAD_FROM_TOP: f32 = 36.0;
pub const FOLIO_FROM_BOTTOM: f32 = 28.0;
