//! GFM tables as tables: column widths from their content (each column gets at least its
//! longest word, the rest shared by how much text it holds), cells wrapped and aligned as the
//! Markdown says, rules above, under the header and below, and the header row repeated at the
//! head of every frame the table breaks into.

use super::flow::{Composer, Group};
use super::inline::{Rich, Span};
use super::markdown::Align;
use super::structure::{Kind, NodeId};
use super::styles::{TextStyle, BLOCK_GAP, CELL_PAD, ROW_RULE, TABLE_HEAD, TABLE_RULE, TABLE_TEXT};
use super::{Item, Role};

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

/// The widest word and the whole width of a cell, padding included.
fn extent(composer: &Composer, cell: &[Span], style: TextStyle) -> (f32, f32) {
    let width = composer.width(style);
    let text: String = cell.iter().map(|s| s.text.as_str()).collect();
    let word = text.split_whitespace().map(&width).fold(0.0_f32, f32::max);
    (word + 2.0 * CELL_PAD, width(&text) + 2.0 * CELL_PAD)
}

/// One row (element `tr` of the tree) laid out as a group, its cells tagged, with a rule
/// under it.
fn row(
    composer: &mut Composer,
    tr: NodeId,
    cells: &[Rich],
    widths: &[f32],
    align: &[Align],
    style: TextStyle,
    role: Role,
) -> Group {
    let mut items = Vec::new();
    let mut height: f32 = 0.0;
    let mut x = 0.0;
    let kind = if role == Role::TableHeader {
        Kind::TH { column: true }
    } else {
        Kind::TD
    };
    for (i, width) in widths.iter().enumerate() {
        items.push(Item::Tag(Some(composer.tree.add(kind, tr))));
        let inner = width - 2.0 * CELL_PAD;
        let empty = Vec::new();
        let cell = cells.get(i).unwrap_or(&empty);
        let lines = composer.set_lines(cell, style, inner, 0.0, false);
        let mut y = -CELL_PAD;
        for line in &lines {
            y -= style.leading;
            let slack = inner - line.width();
            let dx = match align.get(i) {
                Some(Align::Right) => slack,
                Some(Align::Center) => slack / 2.0,
                _ => 0.0,
            };
            items.extend(Composer::line_items(
                line,
                x + CELL_PAD + dx,
                y + 2.0,
                style,
                role,
            ));
        }
        height = height.max(-y + CELL_PAD);
        x += width;
    }
    let thickness = if role == Role::TableHeader {
        TABLE_RULE / 2.0
    } else {
        ROW_RULE
    };
    items.push(Item::Rule {
        x1: 0.0,
        x2: x,
        y: -height,
        thickness,
    });
    Group { height, items }
}

/// Sets a table in the frame.
pub fn table(composer: &mut Composer, align: &[Align], head: &[Rich], rows: &[Vec<Rich>]) {
    let columns = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
    if columns == 0 {
        return;
    }
    let mut least = vec![0.0_f32; columns];
    let mut most = vec![0.0_f32; columns];
    let all =
        std::iter::once((head, TABLE_HEAD)).chain(rows.iter().map(|r| (r.as_slice(), TABLE_TEXT)));
    for (cells, style) in all {
        for (i, cell) in cells.iter().enumerate() {
            let (l, m) = extent(composer, cell, style);
            least[i] = least[i].max(l);
            most[i] = most[i].max(m);
        }
    }
    let measure = composer.frame_measure();
    let widths = widths(&least, &most, measure);
    let table = composer.tree.add(Kind::Table, composer.container);
    let tr = composer.tree.add(Kind::TR, table);
    let header = row(
        composer,
        tr,
        head,
        &widths,
        align,
        TABLE_HEAD,
        Role::TableHeader,
    );
    let body: Vec<Group> = rows
        .iter()
        .map(|cells| {
            let tr = composer.tree.add(Kind::TR, table);
            row(
                composer,
                tr,
                cells,
                &widths,
                align,
                TABLE_TEXT,
                Role::TableCell,
            )
        })
        .collect();
    // The header repeated at the head of a frame is page furniture.
    let repeated = untagged(&header);
    composer.gap(BLOCK_GAP);
    let first = body.first().map(|g| g.height).unwrap_or(0.0);
    if composer.room() < header.height + first + 2.0 {
        composer.next_frame();
    }
    let rule = Group {
        height: 0.0,
        items: vec![Item::Rule {
            x1: 0.0,
            x2: measure,
            y: 0.0,
            thickness: TABLE_RULE,
        }],
    };
    composer.place_group(&rule);
    composer.place_group(&header);
    for group in &body {
        if composer.room() < group.height {
            composer.next_frame();
            composer.place_group(&rule);
            composer.place_group(&repeated);
        }
        composer.place_group(group);
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
    use super::*;

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
}
