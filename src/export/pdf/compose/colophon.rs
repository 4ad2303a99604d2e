//! The colophon: where this edition came from (the archive object, version, metadata digest,
//! the quire version) and what it is set in.

use super::flow::Composer;
use super::styles::{COLOPHON, PAGE_HEADING};
use super::Bookmark;
use crate::export::pdf::fonts::FontSet;
use crate::export::Edition;

/// Sets the colophon on a new page; returns its bookmark.
pub fn set(
    composer: &mut Composer,
    edition: &Edition,
    fonts: &FontSet,
    quire_version: &str,
) -> Bookmark {
    composer.new_page(Some("Colophon".into()));
    composer.y -= 10.0;
    composer.flow_display("Colophon", PAGE_HEADING, &None);
    composer.gap(8.0);
    let page = composer.page_index();
    let provenance = [
        format!("This edition was made by quire {quire_version} from an OCFL archive, every file checked against its digest."),
        format!("Archive object: {}", edition.object_id),
        format!("Version: {} (created {})", edition.version, edition.created),
        format!("Issue metadata (issue.toml) sha512: {}", edition.metadata_sha512),
        match &fonts.fallback {
            Some(face) => format!("Set in Noto Serif and Noto Sans (SIL Open Font License 1.1), and {}.", face.name),
            None => "Set in Noto Serif and Noto Sans (SIL Open Font License 1.1).".to_string(),
        },
    ];
    for text in provenance {
        composer.flow_display(&text, COLOPHON, &None);
        composer.gap(5.0);
    }
    Bookmark {
        title: "Colophon".into(),
        page,
        y: composer.top() + 20.0,
        children: Vec::new(),
    }
}
