//! Tables that lay out pictures. Old pages, and many news sites to this day, set a photo over
//! its caption in a table of one column, or a row of photos over a row of captions, or each
//! photo with its caption under it in a cell of its own. Readability drops a table of several
//! pictures and few words as a box of images, and a table is no figure in any edition: each
//! such table becomes the figures it shows, each with its caption, before readability reads
//! the page. A table with words beside a picture, a header or a caption of its own is a table.

use super::convert::{clean, images_in, pixels, table_rows, ICON_PIXELS};
use crate::model::body::BLOCK_ELEMENTS;
use dom_query::{Document, NodeRef};
use std::ops::Range;

/// The most characters a caption holds: more is text laid beside a picture.
const CAPTION_CHARS: usize = 300;

/// What a cell may not hold besides the body's blocks (a paragraph aside) and still be a
/// picture's or a caption's.
const NOT_A_CAPTION: [&str; 3] = ["form", "iframe", "video"];

/// Every table of the page that lays out pictures, made the figures it shows.
pub fn make_figures(document: &Document) {
    for table in document.select("table").nodes() {
        if let Some(figures) = figures_of(table) {
            table.replace_with_html(figures);
        }
    }
}

/// One figure of a table: its pictures (one, or those a caption spans) and its captions.
#[derive(Debug, Default)]
struct Figure {
    images: Vec<String>,
    captions: Vec<String>,
}

/// What a cell of a picture table holds.
enum Cell {
    Empty,
    /// A picture (its element) and the words under it in the same cell.
    Picture(String, Option<String>),
    /// Words alone (their markup).
    Words(String),
}

/// The table's figures as markup, when it lays out pictures and their captions alone.
fn figures_of(table: &NodeRef) -> Option<String> {
    let nested = |d: &NodeRef| d.has_name("caption") || d.has_name("table") || d.has_name("th");
    if table.descendants_it().any(|d| nested(&d)) {
        return None;
    }
    let mut figures: Vec<Figure> = Vec::new();
    // The last row of pictures: each picture's columns and its figure; the rows of words
    // read under it.
    let mut above: Vec<(Range<usize>, usize)> = Vec::new();
    let mut rows_under = 0;
    for row in table_rows(table) {
        let (pictures, words): (Vec<_>, Vec<_>) = row_cells(&row)?
            .into_iter()
            .partition(|(_, cell)| matches!(cell, Cell::Picture(..)));
        if !pictures.is_empty() && !words.is_empty() {
            // Words beside a picture are no caption of it.
            return None;
        }
        if !pictures.is_empty() {
            above.clear();
            rows_under = 0;
            for (columns, cell) in pictures {
                let Cell::Picture(image, caption) = cell else {
                    continue;
                };
                above.push((columns, figures.len()));
                let captions = caption.into_iter().collect();
                figures.push(Figure {
                    images: vec![image],
                    captions,
                });
            }
        }
        if words.is_empty() {
            continue;
        }
        // A caption and a credit at most: more rows are a table's (a product's name, score
        // and price under its picture).
        rows_under += 1;
        if rows_under > MOST_CAPTION_ROWS {
            return None;
        }
        for (columns, cell) in words {
            let Cell::Words(words) = cell else {
                continue;
            };
            match caption_under(&mut figures, &mut above, &columns)? {
                Some(first) => figures[first].captions.push(words),
                // Words across pictures that have their captions: the text's, after them.
                None => figures.push(Figure {
                    images: Vec::new(),
                    captions: vec![words],
                }),
            }
        }
    }
    (!figures.is_empty()).then(|| figures.iter().filter_map(figure_html).collect())
}

/// The cells of a row that hold a picture or words, each with the columns it spans; `None`
/// when a cell is neither (a header, a cell spanning rows, a paragraph laid out in the table).
fn row_cells(row: &NodeRef) -> Option<Vec<(Range<usize>, Cell)>> {
    let mut cells = Vec::new();
    let mut column = 0;
    for cell in row.element_children() {
        if !cell.has_name("td") || cell.has_attr("rowspan") {
            return None;
        }
        let span = cell
            .attr("colspan")
            .and_then(|s| s.trim().parse::<usize>().ok())
            .filter(|&s| (1..=50).contains(&s))
            .unwrap_or(1);
        let columns = column..column + span;
        column += span;
        match cell_of(&cell)? {
            Cell::Empty => {}
            read => cells.push((columns, read)),
        }
    }
    Some(cells)
}

/// The figure a caption spanning `columns` belongs to, among the last row of pictures: one
/// caption under several pictures without captions makes them one figure; words across
/// pictures that have theirs are no caption (`Some(None)`). `None` when no picture stands
/// above them.
fn caption_under(
    figures: &mut [Figure],
    above: &mut [(Range<usize>, usize)],
    columns: &Range<usize>,
) -> Option<Option<usize>> {
    let overlaps = |c: &Range<usize>| c.start < columns.end && columns.start < c.end;
    let mut under: Vec<usize> = above
        .iter()
        .filter(|(c, _)| overlaps(c))
        .map(|(_, f)| *f)
        .collect();
    under.dedup();
    let (&first, rest) = under.split_first()?;
    if !rest.is_empty() && under.iter().any(|&f| !figures[f].captions.is_empty()) {
        return Some(None);
    }
    for &other in rest {
        let moved = std::mem::take(&mut figures[other]);
        figures[first].images.extend(moved.images);
        figures[first].captions.extend(moved.captions);
        for (_, figure) in above.iter_mut().filter(|(_, f)| *f == other) {
            *figure = first;
        }
    }
    Some(Some(first))
}

/// A cell of a picture table, or `None` when it holds more than a picture and a caption.
fn cell_of(cell: &NodeRef) -> Option<Cell> {
    let blocks = |d: &NodeRef| {
        let name = d
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        name != "p" && BLOCK_ELEMENTS.contains(&name.as_str()) || NOT_A_CAPTION.contains(&&*name)
    };
    if cell.descendants_it().any(|d| blocks(&d)) {
        return None;
    }
    let text = clean(&cell.text());
    if text.chars().count() > CAPTION_CHARS {
        return None;
    }
    let images: Vec<NodeRef> = images_in(cell)
        .into_iter()
        .filter(|i| !is_spacer(i))
        .collect();
    if images.iter().any(is_icon) {
        // A table of icons (a forecast's, a rating's) is no gallery.
        return None;
    }
    match images.as_slice() {
        [] if text.is_empty() => Some(Cell::Empty),
        [] => Some(Cell::Words(cell.inner_html().to_string())),
        [image] => {
            let caption = after_picture(cell, image)?;
            Some(Cell::Picture(image.html().to_string(), caption))
        }
        _ => None,
    }
}

/// The most rows of words under a row of pictures that read as their captions (a caption,
/// a credit).
const MOST_CAPTION_ROWS: usize = 2;

/// An old layout's spacer: a transparent image of a few pixels, or one named so.
fn is_spacer(image: &NodeRef) -> bool {
    let src = image.attr("src").unwrap_or_default().to_ascii_lowercase();
    let file = src.rsplit('/').next().unwrap_or_default();
    let named = [
        "spacer",
        "blank",
        "clear.gif",
        "pixel",
        "transparent",
        "dot.gif",
    ]
    .iter()
    .any(|n| file.contains(n));
    let tiny = ["width", "height"]
        .iter()
        .any(|s| pixels(image, s).is_some_and(|px| px <= 8.0));
    named || tiny
}

/// An icon: both sides given and small.
fn is_icon(image: &NodeRef) -> bool {
    ["width", "height"]
        .iter()
        .all(|s| pixels(image, s).is_some_and(|px| px <= ICON_PIXELS))
}

/// The markup after `image` in `container` (its caption in the same cell): `Some(None)` when
/// there is none, `None` when words stand before the picture.
fn after_picture(container: &NodeRef, image: &NodeRef) -> Option<Option<String>> {
    let children = container.children();
    let holds = |c: &NodeRef| c.id == image.id || c.descendants_it().any(|d| d.id == image.id);
    let at = children.iter().position(holds)?;
    if children[..at].iter().any(|c| !clean(&c.text()).is_empty()) {
        return None;
    }
    let holder = &children[at];
    let mut words = Vec::new();
    if holder.id != image.id && !clean(&holder.text()).is_empty() {
        // The picture and words in one element (a paragraph, a link around the picture and
        // a name): the words after it there, then those after the element.
        words.extend(after_picture(holder, image)?);
    }
    let rest: String = children[at + 1..]
        .iter()
        .skip_while(|c| c.has_name("br") || c.is_text() && c.text().trim().is_empty())
        .map(|c| c.html().to_string())
        .collect();
    if !clean(&rest).is_empty() {
        words.push(rest);
    }
    Some((!words.is_empty()).then(|| words.join("<br>")))
}

/// A figure's markup: its pictures and its captions, a line each; words without a picture
/// are a paragraph.
fn figure_html(figure: &Figure) -> Option<String> {
    if figure.images.is_empty() {
        return (!figure.captions.is_empty())
            .then(|| format!("<p>{}</p>", figure.captions.join("<br>")));
    }
    let caption = match figure.captions.as_slice() {
        [] => String::new(),
        captions => format!("<figcaption>{}</figcaption>", captions.join("<br>")),
    };
    Some(format!(
        "<figure>{}{caption}</figure>",
        figure.images.concat()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(table: &str) -> String {
        let document = Document::from(format!("<body><p>Before.</p>{table}</body>"));
        make_figures(&document);
        document.select("body").inner_html().to_string()
    }

    #[test]
    fn a_row_of_pictures_over_a_row_of_captions_is_a_figure_for_each() {
        let html = figures(
            "<table><tr><td><img src=\"a.png\" alt=\"Big\"></td><td><img src=\"b.png\"></td>\
             </tr><tr><td>Big pan</td><td><font size=\"1\">Small pan</font></td></tr></table>",
        );
        assert_eq!(
            html,
            "<p>Before.</p><figure><img src=\"a.png\" alt=\"Big\"><figcaption>Big pan\
             </figcaption></figure><figure><img src=\"b.png\"><figcaption><font size=\"1\">\
             Small pan</font></figcaption></figure>"
        );
    }

    #[test]
    fn a_picture_over_its_caption_and_credit_rows_is_one_figure() {
        let html = figures(
            "<table align=\"center\"><tr><td><a href=\"big.jpg\"><img src=\"a.png\"></a></td>\
             </tr><tr><td>Workers at the gates</td></tr><tr><td>(RIVERPRESS)</td></tr></table>",
        );
        assert_eq!(
            html,
            "<p>Before.</p><figure><img src=\"a.png\"><figcaption>Workers at the gates<br>\
             (RIVERPRESS)</figcaption></figure>"
        );
    }

    #[test]
    fn a_caption_in_the_picture_s_own_cell_and_one_spanning_two_pictures_are_kept_with_them() {
        let own = figures(
            "<table><tr><td align=\"center\"><p><img src=\"a.png\"><br>A crane, <b>May 20</b>\
             </p></td></tr></table>",
        );
        assert_eq!(
            own,
            "<p>Before.</p><figure><img src=\"a.png\"><figcaption>A crane, <b>May 20</b>\
             </figcaption></figure>"
        );
        let spanning = figures(
            "<table><tr><td><img src=\"a.png\"></td><td>&nbsp;</td><td><img src=\"b.png\"></td>\
             </tr><tr><td colspan=\"3\">Before and after</td></tr></table>",
        );
        assert_eq!(
            spanning,
            "<p>Before.</p><figure><img src=\"a.png\"><img src=\"b.png\"><figcaption>Before \
             and after</figcaption></figure>"
        );
    }

    #[test]
    fn words_after_the_picture_s_own_element_stay_in_its_caption() {
        let credit_then_caption = figures(
            "<table><tr><td><div class=\"photo\"><img src=\"a.png\"><span>Photo: Dana Holt</span>\
             </div><div class=\"cap\">The new quay at dawn</div></td></tr></table>",
        );
        assert!(
            credit_then_caption.contains(
                "<figcaption><span>Photo: Dana Holt</span><br><div class=\"cap\">The new quay \
                 at dawn</div></figcaption>"
            ),
            "{credit_then_caption}"
        );
        let staff = figures(
            "<table><tr><td><a href=\"/ana\"><img src=\"ana.jpg\"><br>Ana Ruiz</a><br>\
             Editor-in-chief</td></tr></table>",
        );
        assert!(staff.contains("Ana Ruiz"), "{staff}");
        assert!(staff.contains("Editor-in-chief"), "{staff}");
    }

    #[test]
    fn spacers_are_no_pictures_and_text_across_captioned_pictures_is_a_paragraph() {
        let spaced = figures(
            "<table><tr><td><img src=\"mayor.jpg\"></td></tr><tr><td><img src=\"spacer.gif\" \
             width=\"1\" height=\"6\"></td></tr><tr><td>The mayor</td></tr></table>",
        );
        assert_eq!(
            spaced,
            "<p>Before.</p><figure><img src=\"mayor.jpg\"><figcaption>The mayor</figcaption>\
             </figure>"
        );
        let essay = figures(
            "<table><tr><td><img src=\"a.jpg\"></td><td><img src=\"b.jpg\"></td></tr>\
             <tr><td>Jim mends a net</td><td>The quay at 6am</td></tr>\
             <tr><td colspan=\"2\">Most of the work happens before dawn.</td></tr></table>",
        );
        assert!(
            essay.ends_with(
                "<figcaption>The quay at 6am</figcaption></figure><p>Most of the work happens \
                 before dawn.</p>"
            ),
            "{essay}"
        );
    }

    #[test]
    fn tables_with_words_beside_a_picture_a_header_or_a_paragraph_stay_tables() {
        for table in [
            "<table><tr><td><img src=\"a.png\"></td><td>Kettle, steel</td><td>12.50</td></tr>\
             </table>",
            "<table><tr><th>Stage</th></tr><tr><td><img src=\"a.png\"></td></tr></table>",
            "<table><tr><td>Left</td><td>Right</td></tr><tr><td><img src=\"a.png\"></td>\
             <td><img src=\"b.png\"></td></tr></table>",
            "<table><tr><td>Words first <img src=\"a.png\"></td></tr></table>",
            "<table><tr><td><img src=\"a.png\"></td></tr><tr><td><ul><li>One</li></ul></td>\
             </tr></table>",
            "<table><caption>Pans</caption><tr><td><img src=\"a.png\"></td></tr></table>",
            // A product's rows under its picture; a forecast's icons.
            "<table><tr><td><img src=\"a.png\"></td></tr><tr><td>Roborock S8</td></tr>\
             <tr><td>Score: 97%</td></tr><tr><td>$599</td></tr></table>",
            "<table><tr><td><img src=\"sun.png\" width=\"40\" height=\"40\"></td></tr>\
             <tr><td>Sunny</td></tr></table>",
        ] {
            let html = figures(table);
            assert!(html.contains("<table"), "{table} became {html}");
        }
        let long = format!(
            "<table><tr><td><img src=\"a.png\"></td></tr><tr><td>{}</td></tr></table>",
            "The text of the article laid out under its picture. ".repeat(8)
        );
        assert!(figures(&long).contains("<table"));
    }
}
