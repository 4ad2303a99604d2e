//! The cover: the publication's name, the issue's title, its numbering and date, and the cover
//! image in the room that is left.

use super::flow::Composer;
use super::styles::{
    TextStyle, COVER_ISSUE, COVER_NUMBERING, COVER_TITLE, MARGIN_BOTTOM, MARGIN_X,
};
use super::Item;
use crate::export::pdf::linebreak::Line;
use crate::model::Issue;
use std::collections::BTreeMap;

/// At most three lines of each title on the cover (the full titles are on every page).
fn capped(mut lines: Vec<Line>) -> Vec<Line> {
    if lines.len() > 3 {
        lines.truncate(3);
        lines[2].text.push('…');
    }
    lines
}

/// Sets the cover on a new page.
pub fn set(composer: &mut Composer, issue: &Issue, image_sizes: &BTreeMap<String, (u32, u32)>) {
    let paper = composer.paper;
    let measure = composer.measure();
    composer.new_page(None);
    let mut y = paper.height * 0.70;
    let lines = |composer: &Composer, text: &str, style: TextStyle| {
        capped(composer.display_lines(text, style, measure))
    };
    for line in lines(composer, &issue.publication.title, COVER_TITLE) {
        composer.put_text(MARGIN_X, y, COVER_TITLE, line.text);
        y -= COVER_TITLE.leading;
    }
    composer.page().items.push(Item::Rule {
        x1: MARGIN_X,
        x2: paper.width - MARGIN_X,
        y: y + 22.0,
        thickness: 1.5,
    });
    if let Some(title) = &issue.title {
        for line in lines(composer, title, COVER_ISSUE) {
            y -= 6.0;
            composer.put_text(MARGIN_X, y, COVER_ISSUE, line.text);
            y -= COVER_ISSUE.leading - 6.0;
        }
    }
    let numbering: Vec<String> = [
        issue.volume.as_ref().map(|v| format!("Volume {v}")),
        issue.number.as_ref().map(|n| format!("Number {n}")),
        issue.date.map(|d| d.to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !numbering.is_empty() {
        y -= 8.0;
        for line in lines(composer, &numbering.join(" · "), COVER_NUMBERING) {
            composer.put_text(MARGIN_X, y, COVER_NUMBERING, line.text);
            y -= COVER_NUMBERING.leading;
        }
    }
    cover_image(composer, issue, image_sizes, y);
}

/// The cover image, scaled into the room under the titles (none if too little is left).
fn cover_image(
    composer: &mut Composer,
    issue: &Issue,
    image_sizes: &BTreeMap<String, (u32, u32)>,
    y: f32,
) {
    let Some((cover, (w, h))) = issue
        .cover
        .as_ref()
        .and_then(|c| image_sizes.get(c).map(|s| (c, s)))
    else {
        return;
    };
    let (paper, measure) = (composer.paper, composer.measure());
    let room_height = (y - 40.0 - MARGIN_BOTTOM).max(0.0);
    let scale = (measure / *w as f32).min(room_height / *h as f32).max(0.0);
    let (width, height) = (*w as f32 * scale, *h as f32 * scale);
    // No room left under long titles: the cover goes without its picture.
    if height >= 40.0 {
        composer.page().items.push(Item::Image {
            path: cover.clone(),
            x: (paper.width - width) / 2.0,
            y: y - 30.0 - height,
            width,
            height,
        });
    }
}
