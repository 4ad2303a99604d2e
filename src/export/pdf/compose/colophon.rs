//! The colophon: where this edition came from (the archive object, version, metadata digest,
//! the quire version) and what it is set in, in the language.

use super::flow::Composer;
use super::structure::Kind;
use super::styles::{COLOPHON, PAGE_HEADING};
use super::{Bookmark, Role};
use crate::export::pdf::fonts::FontSet;
use crate::export::words::Words;
use crate::export::Edition;

/// Sets the colophon on a new page; returns its bookmark.
pub fn set(
    composer: &mut Composer,
    edition: &Edition,
    fonts: &FontSet,
    words: &Words,
    quire_version: &str,
) -> Bookmark {
    composer.head = Some(words.colophon.to_string());
    composer.new_page();
    composer.open_section(Kind::Sect, None);
    composer.y -= 10.0;
    composer.begin(Kind::H(1));
    composer.flow_display(words.colophon, PAGE_HEADING, Role::Heading);
    composer.gap(8.0);
    let page = composer.page_index();
    let mut bundled = vec!["Noto Serif", "Noto Sans", "Noto Sans Mono"];
    bundled.extend(fonts.symbol_faces_used(edition));
    let last = bundled.pop().unwrap_or_default();
    let mut faces = vec![format!(
        "{} and {last} (SIL Open Font License 1.1)",
        bundled.join(", ")
    )];
    faces.extend(fonts.extra_faces());
    let mut lines = words.colophon_lines(edition, quire_version);
    lines.push(words.set_in.replace("{fonts}", &faces.join(", ")));
    for text in lines {
        composer.begin(Kind::P);
        composer.flow_display(&text, COLOPHON, Role::Display);
        composer.gap(5.0);
    }
    Bookmark {
        title: words.colophon.to_string(),
        page,
        y: composer.top() + 20.0,
        children: Vec::new(),
        node: None,
    }
}
