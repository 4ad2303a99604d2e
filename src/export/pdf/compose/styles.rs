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

/// The page: margins, in points.
pub const MARGIN_X: f32 = 62.0;
pub const MARGIN_TOP: f32 = 78.0;
pub const MARGIN_BOTTOM: f32 = 72.0;

/// Body text and what sits in it.
pub const BODY: TextStyle = text(Style::Serif, 10.5, 14.5, 0.0);
pub const QUOTE: TextStyle = text(Style::SerifItalic, 10.5, 14.5, 0.2);
pub const CAPTION: TextStyle = text(Style::Sans, 8.5, 11.0, 0.35);
pub const HEADING: TextStyle = text(Style::SansBold, 13.0, 17.0, 0.0);
pub const SUBHEADING: TextStyle = text(Style::SansBold, 11.5, 15.5, 0.0);
/// Space between paragraphs, before a quote, and around headings and images.
pub const PARAGRAPH_GAP: f32 = 5.0;
pub const HEADING_GAP_BEFORE: f32 = 10.0;
pub const HEADING_GAP_AFTER: f32 = 2.0;
pub const ITEM_GAP: f32 = 2.0;
/// How far a quote is indented on the left (its measure loses twice that).
pub const QUOTE_INDENT: f32 = 18.0;
/// The least hanging indent of a list item, and the room after its marker.
pub const ITEM_INDENT: f32 = 16.0;
pub const ITEM_MARKER_ROOM: f32 = 8.0;
/// The share of the text block an image may take in height.
pub const IMAGE_MAX_HEIGHT: f32 = 0.55;

/// The head of an article.
pub const SECTION_LABEL: TextStyle = text(Style::SansBold, 9.0, 12.0, 0.35);
pub const TITLE: TextStyle = text(Style::SerifBold, 22.0, 27.0, 0.0);
pub const DECK: TextStyle = text(Style::SerifItalic, 13.0, 17.0, 0.15);
pub const CREDITS: TextStyle = text(Style::Sans, 9.0, 12.0, 0.3);

/// The cover (the leading is the step from one line to the next).
pub const COVER_TITLE: TextStyle = text(Style::SansBold, 34.0, 40.0, 0.0);
pub const COVER_ISSUE: TextStyle = text(Style::Serif, 20.0, 28.0, 0.0);
pub const COVER_NUMBERING: TextStyle = text(Style::Sans, 12.0, 16.0, 0.25);

/// The contents and the colophon.
pub const PAGE_HEADING: TextStyle = text(Style::SansBold, 16.0, 22.0, 0.0);
pub const CONTENTS_SECTION: TextStyle = text(Style::SansBold, 11.0, 17.0, 0.0);
pub const CONTENTS_ARTICLE: TextStyle = text(Style::Serif, 11.0, 17.0, 0.0);
pub const COLOPHON: TextStyle = text(Style::Sans, 9.0, 13.0, 0.0);

/// Running heads and folios.
pub const RUNNING_HEAD: TextStyle = text(Style::Sans, 8.0, 8.0, 0.35);
pub const FOLIO: TextStyle = text(Style::Sans, 8.5, 8.5, 0.2);
/// Baselines of the running head and the folio, from the page's top and bottom edges.
pub const RUNNING_HEAD_FROM_TOP: f32 = 44.0;
pub const FOLIO_FROM_BOTTOM: f32 = 40.0;
