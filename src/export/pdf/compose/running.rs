//! Running heads and folios on every page but the cover: the publication and issue on the
//! left, the article (or the contents, the colophon) on the right, the page number at the
//! foot; all page furniture (artifacts), not content.

use super::flow::{truncate_to, Composer};
use super::styles::{FOLIO, FOLIO_FROM_BOTTOM, MARGIN_X, RUNNING_HEAD, RUNNING_HEAD_FROM_TOP};
use super::{Item, Role};
use crate::model::Issue;

pub fn set(composer: &mut Composer, issue: &Issue) {
    let (paper, measure) = (composer.paper, composer.measure());
    let head_width = composer.width(RUNNING_HEAD);
    let head_left = match &issue.title {
        Some(title) => format!("{} · {title}", issue.publication.title),
        None => issue.publication.title.clone(),
    };
    // The left head gets what the right one leaves.
    let head_left = truncate_to(&head_left, measure * 0.5, &head_width);
    let head_y = paper.height - RUNNING_HEAD_FROM_TOP;
    let text = |x: f32, y: f32, style: super::styles::TextStyle, text: String| {
        Item::plain_text(x, y, style, text, Role::Artifact)
    };
    let mut heads = Vec::new();
    for (index, running) in composer.heads.iter().enumerate().skip(1) {
        let folio = (index + 1).to_string();
        let folio_width = composer.width(FOLIO)(&folio);
        let mut items = vec![
            text(MARGIN_X, head_y, RUNNING_HEAD, head_left.clone()),
            Item::Rule {
                x1: MARGIN_X,
                x2: paper.width - MARGIN_X,
                y: head_y - 5.0,
                thickness: 0.4,
            },
            text(
                (paper.width - folio_width) / 2.0,
                FOLIO_FROM_BOTTOM,
                FOLIO,
                folio,
            ),
        ];
        if let Some(running) = running {
            let right = truncate_to(running, measure * 0.45, &head_width);
            let width = head_width(&right);
            items.push(text(
                paper.width - MARGIN_X - width,
                head_y,
                RUNNING_HEAD,
                right,
            ));
        }
        heads.push((index, items));
    }
    drop(head_width);
    // Page furniture first: it reads before the page's content.
    for (index, mut items) in heads {
        let page = &mut composer.pages[index].items;
        items.append(page);
        *page = items;
    }
}
