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
    fn a_fragment_leads_to_a_heading_of_its_article_then_an_article_a_section_or_another_heading() {
        let links = links();
        let from = |href: &str| links.resolve("letter", href);
        assert_eq!(from("#the-first-part").as_deref(), Some("#h-1"));
        assert_eq!(from("#coda").as_deref(), Some("#h-2"));
        // A repeated heading's anchor is numbered as Markdown renderers number it.
        assert_eq!(from("#coda-1").as_deref(), Some("#h-3"));
        assert_eq!(from("#notes").as_deref(), Some("a-notes.xhtml"));
        assert_eq!(from("#a-letter-from-us").as_deref(), Some("a-letter.xhtml"));
        assert_eq!(from("#a-letter").as_deref(), Some("a-letter.xhtml"));
        assert_eq!(from("#front").as_deref(), Some("section-1.xhtml"));
        assert_eq!(from("#%C3%BCber-uns").as_deref(), Some("a-notes.xhtml#h-1"));
        assert_eq!(from("#nowhere"), None);
        assert_eq!(from("#"), None);
    }

    #[test]
    fn an_article_is_named_by_its_id_its_bodys_file_or_its_page_in_the_book() {
        let links = links();
        let from = |href: &str| links.resolve("letter", href);
        for href in [
            "notes.xhtml",
            "data-notes.xhtml",
            "articles/data-notes.md",
            "../data-notes.html?x=1",
            "a-notes.xhtml",
        ] {
            assert_eq!(from(href).as_deref(), Some("a-notes.xhtml"), "{href}");
        }
        assert_eq!(
            from("data-notes.md#method").as_deref(),
            Some("a-notes.xhtml#h-2")
        );
        // A heading it does not have: the article's top.
        assert_eq!(from("notes.xhtml#coda").as_deref(), Some("a-notes.xhtml"));
        assert_eq!(
            from("https://example.org/a#b").as_deref(),
            Some("https://example.org/a#b")
        );
        for nowhere in ["assets/tiny.png", "other.xhtml", "ftp://example.org/x"] {
            assert_eq!(from(nowhere), None, "{nowhere}");
        }
    }
}
