//! Setting an article's body blocks: headings kept with what follows, justified paragraphs,
//! indented quotes, list items with hanging markers, images with their captions.

use super::flow::{lines_here, Composer, Setting};
use super::styles::{
    TextStyle, BODY, CAPTION, HEADING, HEADING_GAP_AFTER, HEADING_GAP_BEFORE, IMAGE_MAX_HEIGHT,
    ITEM_GAP, ITEM_INDENT, ITEM_MARKER_ROOM, MARGIN_BOTTOM, MARGIN_X, PARAGRAPH_GAP, QUOTE,
    QUOTE_INDENT, SUBHEADING,
};
use super::{Bookmark, Item};
use std::collections::BTreeMap;

/// A heading, on a new page unless two lines of what follows fit under it; returns its
/// bookmark.
pub fn heading(
    composer: &mut Composer,
    level: u8,
    text: &str,
    running: &Option<String>,
) -> Bookmark {
    let style = if level <= 2 { HEADING } else { SUBHEADING };
    let measure = composer.measure();
    let lines = composer.display_lines(text, style, measure);
    // Keep the heading with two lines of what follows.
    // The gaps around the heading and before the paragraph, then two lines.
    let needed = lines.len() as f32 * style.leading
        + (HEADING_GAP_BEFORE + HEADING_GAP_AFTER)
        + PARAGRAPH_GAP
        + 2.0 * BODY.leading;
    if composer.room() < needed {
        composer.new_page(running.clone());
    }
    composer.gap(HEADING_GAP_BEFORE);
    let mark = Bookmark {
        title: text.to_string(),
        page: composer.page_index(),
        y: composer.y + 4.0,
        children: Vec::new(),
    };
    let set = body_setting(composer, style);
    composer.flow(&lines, &set, running);
    composer.gap(HEADING_GAP_AFTER);
    mark
}

fn body_setting(composer: &Composer, text: TextStyle) -> Setting {
    Setting {
        x: MARGIN_X,
        measure: composer.measure(),
        text,
    }
}

/// A justified paragraph, after a gap unless it opens the body.
pub fn paragraph(composer: &mut Composer, text: &str, gap: bool, running: &Option<String>) {
    if gap {
        composer.gap(PARAGRAPH_GAP);
    }
    let set = body_setting(composer, BODY);
    let lines = composer.body_lines(text, BODY, set.measure);
    composer.flow(&lines, &set, running);
}

/// A quote, indented on both sides.
pub fn quote(composer: &mut Composer, text: &str, running: &Option<String>) {
    composer.gap(PARAGRAPH_GAP);
    let set = Setting {
        x: MARGIN_X + QUOTE_INDENT,
        measure: composer.measure() - 2.0 * QUOTE_INDENT,
        text: QUOTE,
    };
    let lines = composer.body_lines(text, QUOTE, set.measure);
    composer.flow(&lines, &set, running);
}

/// A list item: its marker in the margin of the text, which hangs past the widest marker
/// ("10." is wider than "•").
pub fn item(composer: &mut Composer, marker: &str, text: &str, running: &Option<String>) {
    composer.gap(ITEM_GAP);
    let marker_width = composer.width(BODY.face, BODY.size)(marker);
    let indent = (marker_width + ITEM_MARKER_ROOM).max(ITEM_INDENT);
    let set = Setting {
        x: MARGIN_X + indent,
        measure: composer.measure() - indent,
        text: BODY,
    };
    let lines = composer.body_lines(text, BODY, set.measure);
    // The marker goes where the item's first line will.
    let fit = (composer.room() / BODY.leading).floor().max(0.0) as usize;
    if lines_here(lines.len(), fit) == 0 {
        composer.new_page(running.clone());
    }
    let y = composer.y - BODY.leading;
    composer.put_text(MARGIN_X + 2.0, y, BODY, marker.to_string());
    composer.flow(&lines, &set, running);
}

/// An image scaled to the text width (and at most part of the page's height) with its
/// caption, on the next page if it does not fit; an image the edition lacks is named.
pub fn image(
    composer: &mut Composer,
    src: &str,
    alt: &str,
    image_sizes: &BTreeMap<String, (u32, u32)>,
    running: &Option<String>,
) {
    let measure = composer.measure();
    let caption = body_setting(composer, CAPTION);
    let Some((w, h)) = image_sizes.get(src) else {
        // A link the source recorded, or an image this edition cannot embed.
        let shown_src: String = if src.chars().count() > 60 {
            format!("{}…", src.chars().take(60).collect::<String>())
        } else {
            src.to_string()
        };
        let note = format!(
            "Image not in this edition: {} ({shown_src})",
            if alt.is_empty() { "untitled" } else { alt }
        );
        let lines = composer.display_lines(&note, CAPTION, measure);
        composer.gap(PARAGRAPH_GAP);
        composer.flow(&lines, &caption, running);
        return;
    };
    let caption_lines = if alt.is_empty() {
        Vec::new()
    } else {
        composer.display_lines(alt, CAPTION, measure)
    };
    let caption_height = caption_lines.len() as f32 * CAPTION.leading;
    let max_height = (composer.top() - MARGIN_BOTTOM) * IMAGE_MAX_HEIGHT;
    let scale = (measure / *w as f32).min(max_height / *h as f32);
    let (width, height) = (*w as f32 * scale, *h as f32 * scale);
    if composer.room() < height + caption_height + 10.0 {
        composer.new_page(running.clone());
    }
    composer.gap(8.0);
    let y = composer.y - height;
    composer.page().items.push(Item::Image {
        path: src.to_string(),
        x: MARGIN_X + (measure - width) / 2.0,
        y,
        width,
        height,
    });
    composer.y = y - 2.0;
    composer.flow(&caption_lines, &caption, running);
    composer.gap(4.0);
}
