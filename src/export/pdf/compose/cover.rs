//! The cover, designed to stand even on little metadata: the issue's numbering and date
//! between two bands, the publication's name large, the issue's title, the cover image in the
//! room that is left, and the issue's headlines (titles and decks of its first articles) at the
//! foot.

use super::flow::Composer;
use super::lines::SetLine;
use super::structure::Kind;
use super::styles::{
    TextStyle, CAPTION, COVER_BAND, COVER_ISSUE, COVER_KICKER, COVER_LINE, COVER_LINE_DECK,
    COVER_TITLE, MARGIN_BOTTOM, MARGIN_X,
};
use super::{Item, Role};
use crate::export::words::Words;
use crate::model::Issue;
use std::collections::BTreeMap;

/// How many headlines the cover shows.
const HEADLINES: usize = 4;

/// At most three lines of each title on the cover (the full titles are on every page).
fn capped(mut lines: Vec<SetLine>) -> Vec<SetLine> {
    if lines.len() > 3 {
        lines.truncate(3);
        if let Some(piece) = lines[2].pieces.last_mut() {
            piece.text.push('…');
        }
    }
    lines
}

/// The volume, number and date, as the language writes them, `separator` between them (the
/// EPUB's subtitle says them as the cover does).
pub(crate) fn numbering(issue: &Issue, words: &Words, separator: &str) -> String {
    [
        issue.volume.as_ref().map(|v| words.fill(words.volume, v)),
        issue.number.as_ref().map(|n| words.fill(words.number, n)),
        issue.date.as_ref().map(|d| words.date(d)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(separator)
}

fn band(composer: &mut Composer, y: f32, thickness: f32) {
    let x2 = composer.paper.width - MARGIN_X;
    composer.page().items.push(Item::Rule {
        x1: MARGIN_X,
        x2,
        y,
        thickness,
    });
}

/// Sets the cover on a new page.
pub fn set(
    composer: &mut Composer,
    issue: &Issue,
    words: &Words,
    image_sizes: &BTreeMap<String, (f32, f32)>,
) {
    let measure = composer.measure();
    composer.new_page();
    composer.open_section(Kind::Sect, None);
    let mut y = composer.top();
    band(composer, y, COVER_BAND);
    let kicker = numbering(issue, words, "  ·  ");
    y -= COVER_KICKER.leading;
    if !kicker.is_empty() {
        composer.begin(Kind::P);
        composer.put_text(MARGIN_X, y, COVER_KICKER, kicker, Role::Display);
    }
    y -= 8.0;
    band(composer, y, 0.6);
    y -= 16.0;
    let block = |composer: &mut Composer, text: &str, style: TextStyle, y: &mut f32| {
        for line in capped(composer.display_lines(text, style, measure)) {
            *y -= style.leading;
            composer.place_line(&line, MARGIN_X, *y, style, Role::Title);
        }
    };
    composer.begin(Kind::H(1));
    block(composer, &issue.publication.title, COVER_TITLE, &mut y);
    if let Some(title) = &issue.title {
        y -= 6.0;
        composer.begin(Kind::P);
        block(composer, title, COVER_ISSUE, &mut y);
    }
    y -= 14.0;
    let foot = headlines(composer, issue, measure);
    cover_image(composer, issue, words, image_sizes, (y, foot + 16.0));
}

/// The first articles' titles and decks from the foot of the page up; returns how high they
/// reach.
fn headlines(composer: &mut Composer, issue: &Issue, measure: f32) -> f32 {
    let mut sets = Vec::new();
    for article in issue.articles().take(HEADLINES) {
        let mut lines: Vec<(SetLine, TextStyle)> =
            capped(composer.display_lines(&article.title, COVER_LINE, measure))
                .into_iter()
                .map(|l| (l, COVER_LINE))
                .collect();
        if let Some(deck) = &article.deck {
            let deck_lines = capped(composer.display_lines(deck, COVER_LINE_DECK, measure));
            lines.extend(deck_lines.into_iter().map(|l| (l, COVER_LINE_DECK)));
        }
        sets.push(lines);
    }
    let height: f32 = sets
        .iter()
        .map(|s| s.iter().map(|(_, st)| st.leading).sum::<f32>() + 8.0)
        .sum();
    let top = MARGIN_BOTTOM + height;
    let mut y = top;
    if !sets.is_empty() {
        band(composer, y + 4.0, 0.6);
    }
    for lines in sets {
        composer.begin(Kind::P);
        y -= 4.0;
        for (line, style) in lines {
            y -= style.leading;
            composer.place_line(&line, MARGIN_X, y, style, Role::Display);
        }
        y -= 4.0;
    }
    band(composer, MARGIN_BOTTOM - 10.0, COVER_BAND);
    top
}

/// The cover image, scaled into the room (`top`, `bottom`) between the titles and the
/// headlines (none if too little is left); named at the top of the room when the edition
/// cannot show it.
fn cover_image(
    composer: &mut Composer,
    issue: &Issue,
    words: &Words,
    image_sizes: &BTreeMap<String, (f32, f32)>,
    (top, bottom): (f32, f32),
) {
    let Some(cover) = &issue.cover else {
        return;
    };
    let Some((w, h)) = image_sizes.get(cover) else {
        let note = format!("{}: {} ({cover})", words.image_missing, cover_alt(issue));
        composer.begin(Kind::P);
        let mut y = top;
        for line in composer.display_lines(&note, CAPTION, composer.measure()) {
            y -= CAPTION.leading;
            composer.place_line(&line, MARGIN_X, y, CAPTION, Role::Display);
        }
        return;
    };
    let (paper, measure) = (composer.paper, composer.measure());
    let room_height = (top - bottom).max(0.0);
    let scale = (measure / *w).min(room_height / *h).max(0.0);
    let (width, height) = (*w * scale, *h * scale);
    // No room left under long titles: the cover goes without its picture.
    if height >= 40.0 {
        let figure = composer.begin(Kind::Figure);
        composer.tree.nodes[figure].alt = Some(cover_alt(issue));
        composer.mark();
        composer.page().items.push(Item::Image {
            path: cover.clone(),
            x: (paper.width - width) / 2.0,
            y: top - height,
            width,
            height,
        });
    }
}

/// The cover picture's alternative text: the issue describes it nowhere, so its titles.
fn cover_alt(issue: &Issue) -> String {
    match &issue.title {
        Some(title) => format!("{} · {title}", issue.publication.title),
        None => issue.publication.title.clone(),
    }
}
