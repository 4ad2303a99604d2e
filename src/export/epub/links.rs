//! Where a link in an article leads in the book: the issue's one rule
//! ([`crate::export::links`]) names the place, and the book points the link at that place's
//! file and id. The book's headings keep their own ids (`h-1`…, see [`heading_id`]); a link
//! that leads nowhere in the book keeps its text only, and the book says so.

use super::body::heading_id;
use super::{article_file, section_file};
use crate::export::links::{self, Place};
use crate::model::Issue;
use std::collections::BTreeMap;

/// The places of the book a link can lead to.
pub struct Links(links::Links);

impl Links {
    /// The places of `issue`'s book; `bodies` are the articles' bodies as the book shows them,
    /// by article id.
    pub fn new(issue: &Issue, bodies: &BTreeMap<String, String>) -> Links {
        Links(links::Links::new(issue, bodies))
    }

    /// Where `href`, in the article `from`, leads in the book; `None` when it leads nowhere
    /// the book has.
    pub fn resolve(&self, from: &str, href: &str) -> Option<String> {
        Some(match self.0.place(from, href)? {
            Place::Web(web) => web,
            Place::Section(index) => section_file(index),
            Place::Article { id, heading: None } => article_file(&id),
            Place::Article {
                id,
                heading: Some(n),
            } if id == from => format!("#{}", heading_id(n)),
            Place::Article {
                id,
                heading: Some(n),
            } => format!("{}#{}", article_file(&id), heading_id(n)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::links::tests::issue;

    /// The book of the shared rule's test issue: `letter` in a section "Front", `notes` (its
    /// body `articles/data-notes.md`) in one without a name.
    fn links() -> Links {
        let (issue, bodies) = issue();
        Links::new(&issue, &bodies)
    }

    #[test]
    fn each_place_the_shared_rule_finds_is_the_books_file_and_heading_id() {
        // Which place a link names is the shared rule's (tested there); the book names it.
        let links = links();
        let from = |href: &str| links.resolve("letter", href);
        for (href, book) in [
            ("#coda", Some("#h-2")),
            ("#notes", Some("a-notes.xhtml")),
            ("articles/data-notes.md", Some("a-notes.xhtml")),
            ("data-notes.md#method", Some("a-notes.xhtml#h-2")),
            ("#front", Some("section-1.xhtml")),
            ("https://example.org/a#b", Some("https://example.org/a#b")),
            ("other.xhtml", None),
        ] {
            assert_eq!(from(href).as_deref(), book, "{href}");
        }
    }
}
