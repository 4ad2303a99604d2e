//! Tables as tables, GFM ones and HTML ones alike: a caption over them, column widths from
//! their content (each column gets at least its longest word, the rest shared by how much
//! text it holds; a cell spanning columns shares its needs among them), cells wrapped and
//! aligned as the Markdown says, cells spanning columns and rows drawn across them, rules
//! above, under the header and under each cell, the header kept with the first body row and
//! repeated at the head of every frame the table breaks into (never between rows a cell
//! spans).

use super::flow::{Composer, Group};
use super::inline::Span;
use super::lines::SetLine;
use super::markdown::{Align, Table};
use super::structure::{Kind, NodeId};
use super::styles::{
    TextStyle, BLOCK_GAP, CAPTION, CELL_PAD, ROW_RULE, TABLE_HEAD, TABLE_RULE, TABLE_TEXT,
};
use super::{Item, Role};
use std::ops::Range;

/// The widths of the columns in `measure`: from the widest word (the least a column takes)
/// and the whole text (the most it wants) of their cells.
pub fn widths(least: &[f32], most: &[f32], measure: f32) -> Vec<f32> {
    let (sum_least, sum_most): (f32, f32) = (least.iter().sum(), most.iter().sum());
    if sum_most <= measure {
        // Everything fits on one line: the spare room is shared by what the columns hold.
        let spare = (measure - sum_most) / least.len().max(1) as f32;
        return most.iter().map(|m| m + spare).collect();
    }
    if sum_least >= measure {
        return least.iter().map(|l| l * measure / sum_least).collect();
    }
    let share = (measure - sum_least) / (sum_most - sum_least);
    least
        .iter()
        .zip(most)
        .map(|(l, m)| l + (m - l) * share)
        .collect()
}

/// What a column's least width has over its widest word (points).
const WORD_SLACK: f32 = 0.5;

/// The widest word and the whole width of a cell, padding included. An address counts by its
/// widest part between slashes, where its lines may break: a long link does not take the room
/// the figures beside it need whole.
fn extent(composer: &Composer, cell: &[Span], style: TextStyle) -> (f32, f32) {
    let width = composer.width(style);
    let text: String = cell.iter().map(|s| s.text.as_str()).collect();
    let least = |word: &str| match super::super::linebreak::address(word) {
        true => word
            .split_inclusive('/')
            .map(&width)
            .fold(0.0_f32, f32::max),
        false => width(word),
    };
    // A hair over the widest word, so that a column given exactly its word (a figure beside
    // a long text) does not break it for a rounding.
    let word = text.split_whitespace().map(least).fold(0.0_f32, f32::max) + WORD_SLACK;
    let line = text.lines().map(&width).fold(0.0_f32, f32::max);
    (word + 2.0 * CELL_PAD, line.max(word) + 2.0 * CELL_PAD)
}

/// A cell in the table's grid: its first row and column, how many it spans, its text.
#[derive(Debug, Clone, Copy)]
struct Placed<'a> {
    row: usize,
    column: usize,
    columns: usize,
    rows: usize,
    text: &'a [Span],
    header: bool,
    /// The table's type size against [`TABLE_TEXT`]'s: less for a table too wide for the
    /// column (see [`fitting_scale`]).
    scale: f32,
}

impl Placed<'_> {
    fn style(&self) -> TextStyle {
        let style = if self.header { TABLE_HEAD } else { TABLE_TEXT };
        TextStyle {
            size: style.size * self.scale,
            leading: style.leading * self.scale,
            ..style
        }
    }
}

/// The smallest type a table is set in to fit its column (5.5 pt against 7.5): a wide table of
/// figures set smaller rather than its numbers broken a digit a line.
const LEAST_TABLE_SCALE: f32 = 5.5 / 7.5;

/// The scale at which every column gets its longest word (`least`, at full size) within
/// `measure` (1 when it does at full size; never less than [`LEAST_TABLE_SCALE`]).
fn fitting_scale(least: &[f32], measure: f32) -> f32 {
    let pads = 2.0 * CELL_PAD * least.len() as f32;
    let (text, room) = (least.iter().sum::<f32>() - pads, measure - pads);
    if text <= room || text <= 0.0 {
        return 1.0;
    }
    (room / text).clamp(LEAST_TABLE_SCALE, 1.0)
}

/// The cells of `table` placed in a grid as HTML places them (a cell goes in the first
/// column its row has free, after the cells spanning down from above; a span stays inside
/// the header or the body), the holes filled with empty cells; and the number of columns.
fn grid(table: &Table) -> (Vec<Placed<'_>>, usize) {
    let count = table.rows.len();
    let mut taken: Vec<Vec<bool>> = vec![Vec::new(); count];
    let mut placed = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let end = if r < table.head { table.head } else { count };
        let mut c = 0;
        for cell in row {
            while taken[r].get(c) == Some(&true) {
                c += 1;
            }
            let (columns, rows) = (cell.columns.max(1), cell.rows.clamp(1, end - r));
            for line in &mut taken[r..r + rows] {
                if line.len() < c + columns {
                    line.resize(c + columns, false);
                }
                line[c..c + columns].fill(true);
            }
            placed.push(Placed {
                row: r,
                column: c,
                columns,
                rows,
                text: &cell.text,
                header: cell.header,
                scale: 1.0,
            });
            c += columns;
        }
    }
    let columns = taken.iter().map(Vec::len).max().unwrap_or(0);
    for (r, line) in taken.iter().enumerate() {
        for c in 0..columns {
            if !line.get(c).copied().unwrap_or(false) {
                placed.push(Placed {
                    row: r,
                    column: c,
                    columns: 1,
                    rows: 1,
                    text: &[],
                    header: r < table.head,
                    scale: 1.0,
                });
            }
        }
    }
    placed.sort_by_key(|p| (p.row, p.column));
    (placed, columns)
}

/// The columns' widths from their cells' needs ([`column_needs`]), the cells set smaller
/// first (their `scale`) when the longest words would not fit at full size.
fn column_widths(composer: &Composer, placed: &mut [Placed], columns: usize) -> Vec<f32> {
    let measure = composer.frame_measure();
    let (mut least, mut most) = column_needs(composer, placed, columns);
    let scale = fitting_scale(&least, measure);
    if scale < 1.0 {
        placed.iter_mut().for_each(|p| p.scale = scale);
        (least, most) = column_needs(composer, placed, columns);
    }
    widths(&least, &most, measure)
}

/// Each column's least and most width (see [`extent`]), a spanning cell's shared by the
/// columns it spans where they fall short of it.
fn column_needs(composer: &Composer, placed: &[Placed], columns: usize) -> (Vec<f32>, Vec<f32>) {
    let mut least = vec![0.0_f32; columns];
    let mut most = vec![0.0_f32; columns];
    let mut spanning: Vec<&Placed> = placed.iter().filter(|p| p.columns > 1).collect();
    spanning.sort_by_key(|p| p.columns);
    for p in placed.iter().filter(|p| p.columns == 1).chain(spanning) {
        let (l, m) = extent(composer, p.text, p.style());
        let range = p.column..p.column + p.columns;
        for (sizes, wanted) in [(&mut least, l), (&mut most, m)] {
            let had: f32 = sizes[range.clone()].iter().sum();
            if wanted > had {
                let share = (wanted - had) / p.columns as f32;
                sizes[range.clone()].iter_mut().for_each(|s| *s += share);
            }
        }
    }
    for (m, l) in most.iter_mut().zip(&least) {
        *m = m.max(*l);
    }
    (least, most)
}

/// A cell's lines, set in its width (the columns it spans).
struct SetCell<'a> {
    placed: Placed<'a>,
    x: f32,
    width: f32,
    lines: Vec<SetLine>,
}

impl SetCell<'_> {
    fn height(&self) -> f32 {
        self.lines.len() as f32 * self.placed.style().leading + 2.0 * CELL_PAD
    }
}

/// The rows' heights: the tallest one-row cell in each, a spanning cell's excess given to
/// the last row it spans.
fn row_heights(cells: &[SetCell], rows: usize) -> Vec<f32> {
    let mut heights = vec![2.0 * CELL_PAD; rows];
    let mut cells: Vec<&SetCell> = cells.iter().collect();
    cells.sort_by_key(|c| c.placed.rows);
    for cell in cells {
        let range = cell.placed.row..cell.placed.row + cell.placed.rows;
        let had: f32 = heights[range.clone()].iter().sum();
        if cell.height() > had {
            heights[range.end - 1] += cell.height() - had;
        }
    }
    heights
}

/// The table's bands, the rows that cannot be parted (a cell spans them): the header first,
/// then the body's.
fn bands(cells: &[SetCell], rows: usize, head: usize) -> Vec<Range<usize>> {
    let mut reach: Vec<usize> = (1..=rows).collect();
    for cell in cells {
        let p = cell.placed;
        reach[p.row] = reach[p.row].max(p.row + p.rows);
    }
    let mut bands = Vec::new();
    if head > 0 {
        bands.push(0..head);
    }
    let mut start = head;
    while start < rows {
        let mut end = start + 1;
        let mut i = start;
        while i < end {
            end = end.max(reach[i]);
            i += 1;
        }
        bands.push(start..end);
        start = end;
    }
    bands
}

/// The rows of `band` laid out as a group: each cell tagged in its row (`rows`), its lines
/// aligned, a rule under it.
fn band(
    composer: &mut Composer,
    table: &Table,
    cells: &[SetCell],
    heights: &[f32],
    rows: &[NodeId],
    band: Range<usize>,
) -> Group {
    let mut items = Vec::new();
    for cell in cells.iter().filter(|c| band.contains(&c.placed.row)) {
        let p = cell.placed;
        let kind = if p.header {
            Kind::TH {
                column: p.row < table.head,
            }
        } else {
            Kind::TD
        };
        let node = composer.tree.add(kind, rows[p.row]);
        composer.tree.nodes[node].span = (p.columns, p.rows);
        items.push(Item::Tag(Some(node)));
        let top: f32 = heights[band.start..p.row].iter().sum();
        let bottom = top + heights[p.row..p.row + p.rows].iter().sum::<f32>();
        let (style, inner) = (p.style(), cell.width - 2.0 * CELL_PAD);
        let align = match table.align.get(p.column) {
            _ if p.header && p.columns > 1 => Align::Center,
            Some(align) => *align,
            None => Align::Left,
        };
        let role = if p.header {
            Role::TableHeader
        } else {
            Role::TableCell
        };
        let mut y = -top - CELL_PAD;
        for line in &cell.lines {
            y -= style.leading;
            let slack = inner - line.width();
            let dx = match align {
                Align::Right => slack,
                Align::Center => slack / 2.0,
                Align::Left => 0.0,
            };
            let x = cell.x + CELL_PAD + dx;
            let notes = composer.endnote_calls(line);
            items.extend(Composer::linked_line_items(
                line,
                x,
                y + 2.0,
                style,
                role,
                &notes,
            ));
        }
        let last_header = p.row + p.rows == table.head;
        items.push(Item::Rule {
            x1: cell.x,
            x2: cell.x + cell.width,
            y: -bottom,
            thickness: if last_header {
                TABLE_RULE / 2.0
            } else {
                ROW_RULE
            },
        });
    }
    Group {
        height: heights[band].iter().sum(),
        items,
    }
}

/// The caption over the table, in its Caption element.
fn caption(composer: &mut Composer, text: &[Span], node: NodeId) -> Group {
    let lines = composer.set_lines(text, CAPTION, composer.frame_measure(), 0.0, false);
    let mut items = vec![Item::Tag(Some(node))];
    let mut y = 0.0;
    for line in &lines {
        y -= CAPTION.leading;
        items.extend(Composer::line_items(
            line,
            0.0,
            y + 2.0,
            CAPTION,
            Role::Caption,
        ));
    }
    Group {
        height: -y + CELL_PAD,
        items,
    }
}

/// Sets a table in the frame: its caption, its header kept with its first body row (the
/// table starts in the next frame when they do not fit), the header repeated after every
/// break, rows a cell spans never parted.
pub fn table(composer: &mut Composer, table: &Table) {
    let (mut placed, columns) = grid(table);
    if columns == 0 {
        return;
    }
    let widths = column_widths(composer, &mut placed, columns);
    let mut starts = vec![0.0_f32; columns + 1];
    for (i, w) in widths.iter().enumerate() {
        starts[i + 1] = starts[i] + w;
    }
    let cells: Vec<SetCell> = placed
        .into_iter()
        .map(|p| {
            let (x, width) = (
                starts[p.column],
                starts[p.column + p.columns] - starts[p.column],
            );
            let inner = width - 2.0 * CELL_PAD;
            let lines = composer.set_lines(p.text, p.style(), inner, 0.0, false);
            SetCell {
                placed: p,
                x,
                width,
                lines,
            }
        })
        .collect();
    let heights = row_heights(&cells, table.rows.len());
    let node = composer.tree.add(Kind::Table, composer.container);
    let caption = (!table.caption.is_empty()).then(|| {
        let id = composer.tree.add(Kind::Caption, node);
        caption(composer, &table.caption, id)
    });
    let rows: Vec<NodeId> = (0..table.rows.len())
        .map(|_| composer.tree.add(Kind::TR, node))
        .collect();
    let mut groups: Vec<Group> = bands(&cells, table.rows.len(), table.head)
        .into_iter()
        .map(|range| band(composer, table, &cells, &heights, &rows, range))
        .collect();
    let header = (table.head > 0).then(|| groups.remove(0));
    place(composer, caption, header, &groups, starts[columns]);
}

/// Places the caption, the header and the body's bands, breaking between bands.
fn place(
    composer: &mut Composer,
    caption: Option<Group>,
    header: Option<Group>,
    body: &[Group],
    width: f32,
) {
    let rule = Group {
        height: 0.0,
        items: vec![Item::Rule {
            x1: 0.0,
            x2: width,
            y: 0.0,
            thickness: TABLE_RULE,
        }],
    };
    // The header repeated at the head of a frame is page furniture.
    let repeated = header.as_ref().map(untagged);
    composer.gap(BLOCK_GAP);
    let height = |g: &Option<Group>| g.as_ref().map_or(0.0, |g| g.height);
    let first = body.first().map_or(0.0, |g| g.height);
    if composer.room() < height(&caption) + height(&header) + first + 2.0
        && !composer.at_frame_top()
    {
        composer.next_frame();
    }
    // Every part is kept with what follows, up to the closing rule: balancing the last
    // page's columns does not part a table (it could not repeat the header).
    for group in caption.iter().chain([&rule]).chain(header.iter()) {
        composer.place_kept(group, true);
    }
    for group in body {
        if composer.room() < group.height && !composer.at_frame_top() {
            composer.next_frame();
            composer.repeated_header();
            composer.place_kept(&rule, true);
            if let Some(repeated) = &repeated {
                composer.place_kept(repeated, true);
            }
        }
        composer.place_kept(group, true);
    }
    composer.place_group(&rule);
    composer.gap(BLOCK_GAP);
}

/// `group` with its items as page furniture, without its links (a reader follows them in the
/// header's first setting; a repeat's would be a second, untagged copy).
fn untagged(group: &Group) -> Group {
    let items = group
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Tag(_) => Some(Item::Tag(None)),
            Item::Link { .. } => None,
            other => Some(other.clone()),
        })
        .collect();
    Group {
        height: group.height,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::super::blocks;
    use super::super::flow::layout_tests::{body, found};
    use super::super::html;
    use super::super::inline::plain_rich;
    use super::*;
    use crate::export::pdf::fonts::FontSet;

    /// The table of an HTML block.
    fn html_table(source: &str) -> Table {
        match html::blocks(source).blocks.remove(0) {
            super::super::Block::Table(table) => table,
            other => panic!("{other:?}"),
        }
    }

    const VOTES: &str = "<table><caption>How the councillors voted</caption><thead>\
        <tr><th rowspan=\"2\">Party</th><th colspan=\"2\">Vote</th></tr>\
        <tr><th>For</th><th>Against</th></tr></thead><tbody>\
        <tr><td>Harbour First</td><td>5</td><td>0</td></tr>\
        <tr><td rowspan=\"2\">Independent</td><td>4</td><td>4</td></tr>\
        <tr><td colspan=\"2\">abstained</td></tr></tbody></table>";

    #[test]
    fn cells_are_placed_after_the_cells_spanning_down_into_their_row() {
        let table = html_table(VOTES);
        let (placed, columns) = grid(&table);
        assert_eq!(columns, 3);
        let at: Vec<(usize, usize, usize, usize)> = placed
            .iter()
            .filter(|p| !p.text.is_empty())
            .map(|p| (p.row, p.column, p.columns, p.rows))
            .collect();
        assert_eq!(
            at,
            [
                (0, 0, 1, 2),
                (0, 1, 2, 1),
                (1, 1, 1, 1),
                (1, 2, 1, 1),
                (2, 0, 1, 1),
                (2, 1, 1, 1),
                (2, 2, 1, 1),
                (3, 0, 1, 2),
                (3, 1, 1, 1),
                (3, 2, 1, 1),
                (4, 1, 2, 1),
            ]
        );
        // A header cell's span stops at the header; a short row gets empty cells.
        let table = html_table(
            "<table><thead><tr><th rowspan=\"5\">A</th><th>B</th></tr></thead>\
             <tr><td>1</td></tr></table>",
        );
        let (placed, _) = grid(&table);
        assert_eq!((placed[0].rows, placed.len()), (1, 4));
    }

    /// Sets `filler` lines of text, then `table`, in a two-column body; returns where (page,
    /// column) each of `words` is.
    fn set_after(filler: usize, table: &Table, words: &[&str]) -> Vec<(usize, usize)> {
        let fonts = FontSet::bundled();
        let mut composer = body(&fonts);
        if filler > 0 {
            let text = vec!["word"; filler * 9].join(" ");
            blocks::paragraph(&mut composer, &plain_rich(&text), false);
        }
        super::table(&mut composer, table);
        composer.end_body();
        words
            .iter()
            .map(|w| {
                let (page, column, _) = found(&composer, w);
                (page, column)
            })
            .collect()
    }

    #[test]
    fn a_tables_header_and_caption_stay_with_its_first_row() {
        let table = html_table(VOTES);
        // Alone on a page (the columns balanced), then wherever the table falls near the foot
        // of the first column or of the page.
        for filler in [0].into_iter().chain(50..64).chain(112..126) {
            let at = set_after(filler, &table, &["councillors", "Party", "For", "Harbour"]);
            assert!(
                at.iter().all(|a| *a == at[0]),
                "{filler} lines before: the caption, header and first row at {at:?}"
            );
        }
    }

    #[test]
    fn a_broken_tables_header_heads_every_column_it_runs_into() {
        let mut source = "<table><tr><th>Year</th><th>Issues</th></tr>".to_string();
        for row in 0..150 {
            source.push_str(&format!("<tr><td>y{row}</td><td>{row}</td></tr>"));
        }
        source.push_str("</table>");
        let table = html_table(&source);
        let fonts = FontSet::bundled();
        let mut composer = body(&fonts);
        super::table(&mut composer, &table);
        composer.end_body();
        // Per frame (page, column): the header's baseline and the highest row's.
        let middle = composer.paper.width / 2.0;
        let mut frames = std::collections::BTreeMap::new();
        for (p, page) in composer.pages.iter().enumerate() {
            for item in &page.items {
                let Item::Text { x, y, text, .. } = item else {
                    continue;
                };
                let frame = frames.entry((p, *x > middle)).or_insert((None, f32::MIN));
                if text.starts_with("Year") {
                    frame.0 = Some(*y);
                } else if text.starts_with('y') {
                    frame.1 = frame.1.max(*y);
                }
            }
        }
        assert!(frames.len() >= 3, "the table breaks: {frames:?}");
        for (frame, (header, row)) in &frames {
            assert!(
                header.is_some_and(|h| h > *row),
                "{frame:?}: the header is not over the rows"
            );
        }
    }

    #[test]
    fn columns_get_their_longest_word_and_share_the_rest_by_content() {
        assert_eq!(
            widths(&[10.0, 10.0], &[20.0, 40.0], 100.0),
            vec![40.0, 60.0]
        );
        let w = widths(&[10.0, 20.0], &[100.0, 20.0], 60.0);
        assert_eq!(w, vec![40.0, 20.0]);
        let w = widths(&[60.0, 60.0], &[100.0, 100.0], 60.0);
        assert_eq!(w, vec![30.0, 30.0]);
    }

    #[test]
    fn an_address_in_a_cell_needs_only_its_widest_part_between_slashes() {
        let fonts = FontSet::bundled();
        let composer = body(&fonts);
        let link = "https://harbour.example.org/reports/2024/punctuality/by-route";
        let (least, most) = extent(&composer, &plain_rich(link), TABLE_TEXT);
        let whole = composer.width(TABLE_TEXT)(link) + 2.0 * CELL_PAD;
        assert!((most - whole).abs() < 0.01);
        assert!(least < whole / 2.0, "{least} of {whole}");
        // A figure is one word, whole.
        let (least, _) = extent(&composer, &plain_rich("81.2"), TABLE_TEXT);
        let figure = composer.width(TABLE_TEXT)("81.2") + WORD_SLACK + 2.0 * CELL_PAD;
        assert!((least - figure).abs() < 0.01);
    }

    #[test]
    fn a_table_too_wide_for_its_column_is_set_smaller_and_no_figure_is_broken() {
        let fonts = FontSet::bundled();
        let composer = body(&fonts);
        let years: String = (2019..=2025).map(|y| format!("<th>{y}</th>")).collect();
        let fares: String = (0..7).map(|_| "<td>10.20</td>").collect();
        let table = html_table(&format!(
            "<table><tr><th>Journey</th>{years}<th>Change 2019–25</th></tr>\
             <tr><td>Port Ellis – Carrick, the long way round by the north sound</td>{fares}\
             <td>+55.9%</td></tr></table>"
        ));
        let (mut placed, columns) = grid(&table);
        let widths = column_widths(&composer, &mut placed, columns);
        let scale = placed[0].scale;
        assert!((LEAST_TABLE_SCALE..1.0).contains(&scale), "{scale}");
        let total: f32 = widths.iter().sum();
        assert!(total <= composer.frame_measure() + 0.01, "{total}");
        let style = placed[columns + 1].style();
        let figure = composer.width(style)("10.20") + 2.0 * CELL_PAD;
        for (column, width) in widths.iter().enumerate().skip(1).take(7) {
            assert!(*width >= figure, "column {column}: {width} < {figure}");
        }
        // A table that fits is set at its size.
        let narrow = html_table("<table><tr><th>Year</th><th>Fare</th></tr></table>");
        let (mut placed, columns) = grid(&narrow);
        column_widths(&composer, &mut placed, columns);
        assert_eq!(placed[0].scale, 1.0);
    }
}
