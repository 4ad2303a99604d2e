//! Setting an article's body blocks in the frame (a column): headings kept with what follows,
//! justified paragraphs with first-line indents, indented quotes, nested list items with
//! hanging markers, code in monospace (long lines wrapped under a mark that is not part of
//! the text), figures with their captions and credits that float to the next frame when they
//! do not fit.

use super::flow::{Composer, Group, Setting};
use super::inline::{plain, Marks, Rich, Span};
use super::lines::SetLine;
use super::structure::{Kind, NodeId};
use super::styles::{
    TextStyle, BLOCK_GAP, BODY, CAPTION, CODE, CREDIT, HEADING, HEADING_GAP_AFTER,
    HEADING_GAP_BEFORE, IMAGE_MAX_HEIGHT, INDENT, ITEM_GAP, ITEM_INDENT, ITEM_MARKER_ROOM,
    LIST_STEP, MARGIN_BOTTOM, NOTE, QUOTE, QUOTE_INDENT, SUBHEADING,
};
use super::{Bookmark, Item, Role, Target};
use crate::export::words::Words;
use std::collections::BTreeMap;

/// The mark at the start of a code line that continues the line above.
const CONTINUATION: &str = "→ ";

/// A heading of `level` in the source, in the next frame unless two lines of what follows fit
/// under it; returns the level it is tagged with, its bookmark and its element.
pub fn heading(composer: &mut Composer, level: u8, text: &Rich) -> (u8, Bookmark, NodeId) {
    let style = if level <= 2 { HEADING } else { SUBHEADING };
    let measure = composer.frame_measure();
    let lines = composer.set_lines(text, style, measure, 0.0, false);
    // The gaps around the heading, then three lines: a paragraph of any length can then
    // start under it without leaving a lone line.
    let needed = lines.len() as f32 * style.leading
        + (HEADING_GAP_BEFORE + HEADING_GAP_AFTER)
        + 3.0 * BODY.leading;
    if composer.room() < needed {
        composer.next_frame();
    }
    composer.gap(HEADING_GAP_BEFORE);
    // The article's title is its H1.
    let tagged = composer.headings.level(level);
    let node = composer.begin(Kind::H(tagged));
    let mark = Bookmark {
        title: plain(text),
        page: composer.page_index(),
        y: composer.y + 4.0,
        children: Vec::new(),
        node: Some(node),
    };
    composer.flow(&lines, &setting(0.0, style, Role::Heading));
    composer.gap(HEADING_GAP_AFTER);
    (tagged, mark, node)
}

fn setting(x: f32, text: TextStyle, role: Role) -> Setting {
    Setting { x, text, role }
}

/// A justified paragraph; its first line indented when it follows another paragraph.
pub fn paragraph(composer: &mut Composer, text: &Rich, indent: bool) {
    let measure = composer.frame_measure();
    // Lines the page breaks where it breaks them (a stanza, an address) are verse: set flush
    // and ragged, a space around them, each stanza apart, not as running text.
    let verse = text.iter().any(|span| span.text.contains('\n'));
    let indent = if indent && !verse { INDENT } else { 0.0 };
    if verse {
        composer.gap(ITEM_GAP);
    }
    let lines = composer.set_lines(text, BODY, measure, indent, !verse);
    composer.begin(Kind::P);
    composer.flow(&lines, &setting(0.0, BODY, Role::Paragraph));
    if verse {
        composer.gap(ITEM_GAP);
    }
}

/// A footnote set after the body, in its Note element `node`.
pub fn note(composer: &mut Composer, node: NodeId, text: &Rich) {
    let measure = composer.frame_measure();
    let lines = composer.set_lines(text, NOTE, measure, 0.0, false);
    composer.gap(ITEM_GAP);
    composer.node = Some(node);
    composer.flow(&lines, &setting(0.0, NOTE, Role::Note));
}

/// A quote, indented on both sides: its paragraphs (the text, an attribution) in one run, each
/// after the first indented as running text is.
pub fn quote(composer: &mut Composer, paragraphs: &[&Rich]) {
    composer.gap(BLOCK_GAP);
    let measure = composer.frame_measure() - 2.0 * QUOTE_INDENT;
    let mut lines = Vec::new();
    for (n, text) in paragraphs.iter().enumerate() {
        let indent = if n == 0 { 0.0 } else { INDENT };
        lines.extend(composer.set_lines(text, QUOTE, measure, indent, true));
    }
    composer.begin(Kind::BlockQuote);
    composer.flow(&lines, &setting(QUOTE_INDENT, QUOTE, Role::Quote));
    composer.gap(BLOCK_GAP);
}

/// A list item: its marker in the margin of the text, which hangs past the widest marker
/// ("10." is wider than "•"), one step further in for each level of nesting; an item of a
/// list inside a quotation (`quoted`) indented and set as the quotation is.
pub fn item(composer: &mut Composer, marker: &str, (depth, quoted): (usize, bool), text: &Rich) {
    composer.gap(ITEM_GAP);
    let (style, margin) = if quoted {
        (QUOTE, QUOTE_INDENT)
    } else {
        (BODY, 0.0)
    };
    let step = margin + LIST_STEP * depth.saturating_sub(1) as f32;
    let marker_width = composer.width(style)(marker);
    let indent = step + (marker_width + ITEM_MARKER_ROOM).max(ITEM_INDENT);
    let measure = composer.frame_measure() - indent - margin;
    let mut lines = composer.set_lines(text, style, measure, 0.0, true);
    // The marker goes with the item's first line, in the margin before it.
    if let Some(first) = lines.first_mut() {
        let mut marker_line = composer.single_line(marker, style);
        let mut piece = marker_line.pieces.remove(0);
        piece.dx = step - indent;
        first.pieces.insert(0, piece);
    }
    list_item(composer, depth, !lines.is_empty());
    composer.flow(&lines, &setting(indent, style, Role::ListItem));
}

/// Opens the elements of a list item at `depth` (1 for the outer list): LI, its Lbl (for the
/// marker, when it has one) and LBody in the list of that depth, a new list (L) in the item
/// above when the depth grows.
fn list_item(composer: &mut Composer, depth: usize, marked: bool) {
    while composer.lists.last().is_some_and(|(d, _, _)| *d > depth) {
        composer.lists.pop();
    }
    let list = match composer.lists.last() {
        Some((d, list, _)) if *d == depth => *list,
        outer => {
            let parent = outer.map_or(composer.container, |(_, _, body)| *body);
            let list = composer.tree.add(Kind::L, parent);
            composer.lists.push((depth, list, list));
            list
        }
    };
    let item = composer.tree.add(Kind::LI, list);
    if marked {
        composer.label = Some(composer.tree.add(Kind::Lbl, item));
    }
    let body = composer.tree.add(Kind::LBody, item);
    if let Some(last) = composer.lists.last_mut() {
        last.2 = body;
    }
    composer.node = Some(body);
}

/// A code block in monospace, unjustified, each line as written; a line too long for the
/// frame goes on under a continuation mark, at the line's own indentation.
pub fn code(composer: &mut Composer, source: &[String]) {
    composer.gap(BLOCK_GAP);
    let measure = composer.frame_measure();
    let width = composer.width(CODE);
    let mark_width = width(CONTINUATION);
    let mut lines: Vec<SetLine> = Vec::new();
    for line in source {
        let text = line.replace('\t', "    ");
        // A continuation hangs under the line's own indentation, so the code keeps its shape
        // (at most half the measure in).
        let indent = width(&text[..text.len() - text.trim_start().len()]).min(measure / 2.0);
        let mut rest = text.as_str();
        let mut first = true;
        loop {
            let room = if first {
                measure
            } else {
                measure - indent - mark_width
            };
            let cut = code_break(rest, fitting(rest, room, &width));
            let mut line = composer.single_line(&rest[..cut], CODE);
            if cut < rest.len() {
                read_whole_at_end(&mut line, &width);
            }
            if !first {
                continued(&mut line, indent, mark_width);
            }
            lines.push(line);
            rest = &rest[cut..];
            if rest.is_empty() {
                break;
            }
            first = false;
        }
    }
    drop(width);
    composer.begin(Kind::Code);
    composer.flow(&lines, &setting(0.0, CODE, Role::Code));
    composer.gap(BLOCK_GAP);
}

/// Sets apart the end of a code line that breaks after a space (its last character and the
/// spaces after it) to be read as one piece: extraction would drop the space at the line's
/// end and run the words of the two lines together.
fn read_whole_at_end(line: &mut SetLine, width: &dyn Fn(&str) -> f32) {
    let Some(piece) = line.pieces.last_mut() else {
        return;
    };
    let kept = piece.text.trim_end_matches(' ');
    if kept.len() == piece.text.len() {
        return;
    }
    let Some((at, _)) = kept.char_indices().next_back() else {
        piece.code_end = true;
        return;
    };
    let mut end = piece.clone();
    end.text = piece.text[at..].to_string();
    end.code_end = true;
    piece.text.truncate(at);
    piece.width = width(&piece.text);
    end.dx = piece.dx + piece.width;
    end.width = width(&end.text);
    if piece.text.is_empty() {
        *piece = end;
    } else {
        line.pieces.push(end);
    }
}

/// Marks `line` as the continuation of the one above: the mark first, the text after it.
fn continued(line: &mut SetLine, indent: f32, mark_width: f32) {
    let Some(first) = line.pieces.first() else {
        return;
    };
    let mut mark = first.clone();
    mark.text = CONTINUATION.to_string();
    mark.width = mark_width;
    mark.dx = indent;
    mark.marks.link = None;
    mark.marks.note = None;
    mark.mark = true;
    mark.code_end = false;
    for piece in &mut line.pieces {
        piece.dx += indent + mark_width;
    }
    line.pieces.insert(0, mark);
}

/// How many bytes of `text` fit in `room` (at least one character).
fn fitting(text: &str, room: f32, width: &dyn Fn(&str) -> f32) -> usize {
    if width(text) <= room {
        return text.len();
    }
    let mut taken = 0.0;
    for (at, c) in text.char_indices() {
        let mut buffer = [0u8; 4];
        taken += width(c.encode_utf8(&mut buffer));
        if taken > room {
            return at.max(c.len_utf8());
        }
    }
    text.len()
}

/// Where a code line that runs past the measure at `cut` breaks: after the last punctuation
/// in the line's last third and the spaces after it (`conn.` | `execute(`, `t, ` |
/// `count[t]`), else after its last space there (`must ` | `wrap`), so that a name is not
/// cut in two where it can be helped; else at `cut`. The next line starts with no space
/// (extraction would drop it); the space at this line's end is kept by reading the end as one
/// ([`read_whole_at_end`]).
fn code_break(text: &str, cut: usize) -> usize {
    if cut >= text.len() {
        return cut;
    }
    let reach = || {
        text[..cut]
            .char_indices()
            .rev()
            .take_while(|(at, _)| *at >= cut * 2 / 3)
            .map(|(at, c)| (at + c.len_utf8(), c))
            .filter(|(at, _)| !text[..*at].trim().is_empty())
    };
    let punctuation = |c: char| matches!(c, ',' | ';' | '(' | '[' | '{' | '.' | '=' | '/' | ':');
    reach()
        .find(|(_, c)| punctuation(*c))
        .or_else(|| reach().find(|(_, c)| *c == ' '))
        .map(|(at, _)| text.len() - text[at..].trim_start_matches(' ').len())
        .unwrap_or(cut)
}

/// What a figure says: the body's alt text, and the caption and credit the issue's metadata
/// gives its image.
pub struct FigureText<'a> {
    pub alt: &'a str,
    pub caption: Option<&'a str>,
    pub credit: Option<&'a str>,
    /// Where the image links to, as the body writes it.
    pub link: Option<&'a str>,
}

/// A figure: the image at its natural size, shrunk to the frame's width (and at most part of
/// the page's height) when it is larger, centred,
/// its caption (the metadata's, else the alt text) and credit under it; placed here or floated
/// to the next frame. An image the edition lacks is named.
pub fn figure(
    composer: &mut Composer,
    src: &str,
    text: &FigureText,
    words: &Words,
    image_sizes: &BTreeMap<String, (f32, f32)>,
) {
    let (alt, credit) = (text.alt, text.credit);
    let shown = text
        .caption
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .unwrap_or(alt);
    let measure = composer.frame_measure();
    let Some((w, h)) = image_sizes.get(src) else {
        // A link the source recorded, or an image this edition cannot embed.
        let shown_src: String = if src.chars().count() > 60 {
            format!("{}…", src.chars().take(60).collect::<String>())
        } else {
            src.to_string()
        };
        // What the image was, as the body and the metadata say: its alt text (else its
        // caption), then the caption and credit the metadata gives it.
        let caption = text.caption.map(str::trim).filter(|c| !c.is_empty());
        let label = Some(alt.trim())
            .filter(|a| !a.is_empty())
            .or(caption)
            .unwrap_or(words.untitled);
        composer.named_images.insert(src.to_string());
        let mut note = format!("{}: {label} ({shown_src})", words.image_missing);
        let more: Vec<&str> = [caption.filter(|c| *c != label), credit.map(str::trim)]
            .into_iter()
            .flatten()
            .filter(|t| !t.is_empty())
            .collect();
        if !more.is_empty() {
            note.push_str(&format!(" \u{2014} {}", more.join(" ")));
        }
        // The note leads where the image did.
        let marks = Marks {
            link: text.link.map(str::to_string),
            ..Marks::default()
        };
        let note = [Span { text: note, marks }];
        let lines = composer.set_lines(&note, CAPTION, measure, 0.0, false);
        composer.gap(BLOCK_GAP);
        composer.begin(Kind::P);
        composer.flow(&lines, &setting(0.0, CAPTION, Role::Caption));
        return;
    };
    let max_height = (composer.top() - MARGIN_BOTTOM) * IMAGE_MAX_HEIGHT;
    // Never past its natural size: a small image blown up shows its pixels.
    let scale = (measure / *w).min(max_height / *h).min(1.0);
    let (width, height) = (*w * scale, *h * scale);
    let figure = composer.tree.add(Kind::Figure, composer.container);
    let (description, english) = described(if alt.is_empty() { shown } else { alt }, credit);
    composer.tree.nodes[figure].alt = Some(description);
    if english {
        // The sentence quire writes when the source gave nothing is English, as in the EPUB.
        composer.tree.nodes[figure].lang = Some("en".to_string());
    }
    let caption = composer.tree.add(Kind::Caption, figure);
    let (x, y) = ((measure - width) / 2.0, -height);
    let image = Item::Image {
        path: src.to_string(),
        x,
        y,
        width,
        height,
    };
    // A linked image leads where the link does, over the whole picture.
    let link = text.link.map(|uri| Item::Link {
        x,
        y,
        width,
        height,
        target: Target::Uri(uri.to_string()),
    });
    let mut group = Group {
        height: height + 3.0,
        items: [Item::Tag(Some(figure)), image]
            .into_iter()
            .chain(link)
            .chain([Item::Tag(Some(caption))])
            .collect(),
    };
    let mut add = |text: &str, style: TextStyle| {
        for line in composer.display_lines(text, style, measure) {
            group.height += style.leading;
            group.items.extend(Composer::line_items(
                &line,
                0.0,
                -group.height + 2.0,
                style,
                Role::Caption,
            ));
        }
    };
    if !shown.is_empty() {
        add(shown, CAPTION);
    }
    if let Some(credit) = credit {
        add(credit, CREDIT);
    }
    group.height += 2.0;
    composer.place_figure(group);
}

/// A figure's alternative text, which a reader hears instead of the figure's caption lines:
/// its description (or caption) with its credit after a dash, else its credit, else a
/// sentence saying that the source gave none (`true`: that sentence, which is English).
pub fn described(alt: &str, credit: Option<&str>) -> (String, bool) {
    match (alt.trim(), credit.map(str::trim).filter(|c| !c.is_empty())) {
        ("", Some(credit)) => (credit.to_string(), false),
        ("", None) => (
            crate::export::epub::images::NO_DESCRIPTION.to_string(),
            true,
        ),
        (alt, Some(credit)) => (format!("{alt} \u{2014} {credit}"), false),
        (alt, None) => (alt.to_string(), false),
    }
}

#[cfg(test)]
mod tests {
    use super::super::flow::layout_tests::body;
    use super::super::inline::plain_rich;
    use super::super::Item;
    use super::{code_break, described, paragraph};
    use crate::export::pdf::fonts::FontSet;

    #[test]
    fn verse_is_set_flush_and_ragged_each_stanza_apart_and_running_text_indented() {
        let fonts = FontSet::bundled();
        let mut composer = body(&fonts);
        let prose = "The tide table for the harbour was printed on the back of the ferry \
            timetable, and most of the town kept one in a kitchen drawer.";
        paragraph(&mut composer, &plain_rich(prose), true);
        paragraph(
            &mut composer,
            &plain_rich("The tide comes in\ntwice a day"),
            true,
        );
        paragraph(&mut composer, &plain_rich("and goes out\nthe same"), true);
        let lines: Vec<(f32, f32, f32, String)> = composer.pages[0]
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Text {
                    x,
                    y,
                    word_spacing,
                    text,
                    ..
                } => Some((*x, *y, *word_spacing, text.clone())),
                _ => None,
            })
            .collect();
        let at = |start: &str| lines.iter().find(|l| l.3.starts_with(start)).unwrap();
        let (prose_x, verse_x) = (at("The tide table").0, at("The tide comes").0);
        assert!(
            prose_x > verse_x,
            "running text indented, verse flush: {lines:?}"
        );
        assert_eq!(at("twice").0, verse_x);
        assert_eq!(at("The tide comes").2, 0.0, "verse is not justified");
        // A stanza's lines are a line apart; the next stanza further.
        let leading = at("The tide comes").1 - at("twice").1;
        assert!(
            at("twice").1 - at("and goes").1 > leading + 1.0,
            "{lines:?}"
        );
    }

    #[test]
    fn a_long_code_line_breaks_after_punctuation_and_its_spaces_near_its_end_not_inside_a_name() {
        let line = "top = sorted(rows, key=lambda r: r[1], reverse=True)[:10]";
        let cut = line.find("True").unwrap() + 2;
        let at = code_break(line, cut);
        assert_eq!(
            &line[..at],
            "top = sorted(rows, key=lambda r: r[1], reverse="
        );
        // A comma too far back (before the line's last third) is not taken.
        let call = "f(argument_number_one, argument_number_two)";
        let cut = call.find("two").unwrap();
        assert_eq!(code_break(call, cut), cut);
        // After a comma and its spaces: the next line starts with the name.
        let awk = r#"END { for (t in count) printf "%-12s %6d\n", t, count[t] }   # a comment"#;
        let cut = awk.find("unt[t]").unwrap();
        assert_eq!(
            &awk[..code_break(awk, cut)],
            r#"END { for (t in count) printf "%-12s %6d\n", t, "#
        );
        // No punctuation in the last third: after a space, else where the measure ends.
        let comment = "# a deliberately long line that must wrap somewhere";
        let cut = comment.find("st wrap").unwrap();
        assert_eq!(
            &comment[..code_break(comment, cut)],
            "# a deliberately long line that "
        );
        let word = "a_very_long_identifier_with_no_break_in_it";
        assert_eq!(code_break(word, 30), 30);
        assert_eq!(code_break("short", 5), 5);
    }

    #[test]
    fn a_figures_alternative_text_keeps_its_credit_and_says_when_the_source_gave_nothing() {
        let with_credit = described("The harbour at dusk", Some("Photo: A. Keeper"));
        assert_eq!(
            with_credit,
            (
                "The harbour at dusk \u{2014} Photo: A. Keeper".to_string(),
                false
            )
        );
        assert_eq!(
            described(" ", Some("Photo: A. Keeper")),
            ("Photo: A. Keeper".to_string(), false)
        );
        assert_eq!(described("A map", Some(" ")), ("A map".to_string(), false));
        let (nothing, english) = described("", None);
        assert_eq!(nothing, crate::export::epub::images::NO_DESCRIPTION);
        assert!(english, "the sentence is marked English");
    }
}
