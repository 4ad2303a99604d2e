//! The site's feeds: the RSS 2.0 feed (with a base URL only) and the OPDS catalog in
//! `exports/`, beside the PDF and EPUB files they list, each listing every issue's head (whose
//! exports the build has just made), made by the same writers and the same choice of version as `quire feeds`: an export
//! that could not be made is left out, and an issue none of whose head's exports could be made
//! is offered at its newest version that has them, which its entry says. A cover that is an
//! SVG is copied cleaned ([`crate::export::svg`]), as `quire feeds` copies it.

use super::view::Site;
use super::{SiteError, SiteFile};
use crate::archive::Archive;
use crate::export::batch::{feed_files, issue_feed_entry};
use std::path::Path;

/// The folder of the exports and feeds, at the site's root.
pub const EXPORTS: &str = "exports/";

/// The feeds and the covers beside them, and what must be said of those covers (what was
/// removed from an SVG, why one is not there).
pub struct Feeds {
    pub files: Vec<SiteFile>,
    pub warnings: Vec<String>,
}

/// `exports/rss.xml`, `exports/opds.xml` and the covers they show.
pub fn feeds(site: &Site, archive: &Archive, exports: &Path) -> Result<Feeds, SiteError> {
    let mut entries = Vec::new();
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    for issue in &site.catalog.issues {
        let object = archive.object_at(&issue.entry)?;
        let unavailable = site.unavailable(issue);
        if let Some(offered) = issue_feed_entry(&object, exports, unavailable)? {
            if let Some((name, bytes)) = offered.cover {
                files.push(SiteFile {
                    path: format!("{EXPORTS}{name}"),
                    bytes,
                });
            }
            warnings.extend(offered.warnings);
            entries.push(offered.entry);
        }
    }
    // Links are relative to the feeds (beside the files) unless the site's URL is known.
    let base = match site.base_url.is_empty() {
        true => String::new(),
        false => format!("{}{EXPORTS}", site.base_url),
    };
    let (opds, rss) = feed_files(&entries, &base, &site.site_name)?;
    files.push(SiteFile {
        path: format!("{EXPORTS}opds.xml"),
        bytes: opds,
    });
    // No RSS feed without the site's URL (RSS has no relative links): the pages link none.
    files.extend(rss.map(|bytes| SiteFile {
        path: format!("{EXPORTS}rss.xml"),
        bytes,
    }));
    Ok(Feeds { files, warnings })
}
