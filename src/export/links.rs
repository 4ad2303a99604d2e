//! Where a link in an article's body leads inside its issue, the one rule every edition
//! follows. A body links to a heading by its anchor (`#the-second-part`: the anchor Markdown
//! renderers make, [`anchor`]), to another article by its id, its body's file name
//! (`data-listing.xhtml`, `articles/data-listing.md`) or the anchor of its (short) title, to a
//! section by its name's anchor, or to the web. [`Links::place`] names the [`Place`] a link
//! leads to; each edition maps that place to its own file names and ids (the EPUB's
//! `a-<id>.xhtml#h-2`, the site's article pages), and keeps only the text of a link that
//! leads nowhere, naming it in a warning.
//!
//! An edition calls [`Links::new`] with the issue and its bodies, then [`Links::place`] for
//! each link: a heading is given as its number in the article, in order from 1, so the edition
//! needs nothing but its own heading ids. The headings counted are the body's Markdown
//! headings (`## …`, an empty one too); a heading written as raw HTML (`<h2>`) is not one:
//! no edition numbers it, and no link leads to it.

use crate::model::body::percent_decode;
use crate::model::body::{anchor, parser};
use crate::model::Issue;
use pulldown_cmark::{Event, Tag, TagEnd};
use std::collections::BTreeMap;

/// File names a link may give an article's body under: its Markdown source, or the page an
/// edition made of it.
const BODY_EXTENSIONS: [&str; 5] = ["md", "markdown", "xhtml", "html", "htm"];

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// An address outside the issue (`https://`, `http://`, `mailto:`), kept as written.
    Web(String),
    /// An article, by its id: its top, or its `heading`-th heading (counted from 1, in the
    /// order of the body).
    Article { id: String, heading: Option<usize> },
    /// A named section, by its index in the issue's sections.
    Section(usize),
}

/// An article as a link can name it.
struct Target {
    id: String,
    /// The stem of its body's file name (`data-listing` for `articles/data-listing.md`).
    stem: String,
    /// The anchor of its title, and of its short title (the part before a colon) when it has
    /// one.
    titles: Vec<String>,
    /// The anchor of each heading, in order.
    headings: Vec<String>,
}

impl Target {
    /// The number (from 1) of the heading with `key` for its anchor.
    fn heading(&self, key: &str) -> Option<usize> {
        Some(self.headings.iter().position(|h| h == key)? + 1)
    }

    fn at(&self, heading: Option<usize>) -> Place {
        Place::Article {
            id: self.id.clone(),
            heading,
        }
    }
}

/// The places of an issue a link can lead to.
pub struct Links {
    articles: Vec<Target>,
    /// The anchor of each named section's name, with its index.
    sections: Vec<(String, usize)>,
}

/// Keeps the links to the world outside the issue: absolute web and mail addresses.
pub fn web_link(href: &str) -> Option<String> {
    let lower = href.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s))
        .then(|| href.to_string())
}

/// The anchor of each Markdown heading of `markdown` (not one in raw HTML), in order; a
/// repeated one gets `-1`, `-2`… as Markdown renderers give it.
pub fn heading_anchors(markdown: &str) -> Vec<String> {
    let mut anchors: Vec<String> = Vec::new();
    let mut text: Option<String> = None;
    for event in parser(markdown) {
        match event {
            Event::Start(Tag::Heading { .. }) => text = Some(String::new()),
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => {
                if let Some(text) = &mut text {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let base = anchor(&text.take().unwrap_or_default());
                let mut unique = base.clone();
                for n in 1.. {
                    if !anchors.contains(&unique) {
                        break;
                    }
                    unique = format!("{base}-{n}");
                }
                anchors.push(unique);
            }
            _ => {}
        }
    }
    anchors
}

impl Links {
    /// The places of `issue`; `bodies` are the articles' bodies as the edition shows them, by
    /// article id (an article without one has no headings).
    pub fn new(issue: &Issue, bodies: &BTreeMap<String, String>) -> Links {
        let articles = issue
            .articles()
            .map(|article| Target {
                id: article.id.clone(),
                stem: stem(&article.body).to_string(),
                titles: title_anchors(&article.title),
                headings: heading_anchors(bodies.get(&article.id).map_or("", String::as_str)),
            })
            .collect();
        let sections = (issue.sections.iter().enumerate())
            .filter_map(|(s, section)| Some((anchor(section.name.as_ref()?), s)))
            .collect();
        Links { articles, sections }
    }

    /// Where `href`, in the article `from`, leads; `None` when it leads nowhere the issue
    /// has. A link to an article with an anchor none of its headings has leads to the
    /// article's top.
    pub fn place(&self, from: &str, href: &str) -> Option<Place> {
        let href = href.trim();
        if let Some(web) = web_link(href) {
            return Some(Place::Web(web));
        }
        let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() {
            return self.fragment(from, fragment);
        }
        let name = percent_decode(path);
        let name = name.rsplit('/').next().unwrap_or_default();
        let wanted = stem(name);
        // `a-<id>.xhtml`: the EPUB's name of an article's page.
        let book = name
            .strip_prefix("a-")
            .and_then(|n| n.strip_suffix(".xhtml"));
        let target = (self.articles.iter())
            .find(|a| a.id == wanted || a.stem == wanted || book == Some(a.id.as_str()))?;
        let heading = Some(fragment)
            .filter(|f| !f.is_empty())
            .and_then(|f| target.heading(&anchor(&percent_decode(f))));
        Some(target.at(heading))
    }

    /// Where `#fragment` leads: a heading of the article `from`, an article (by its id or the
    /// anchor of its title or short title), a section, or else a heading of another article.
    fn fragment(&self, from: &str, fragment: &str) -> Option<Place> {
        let decoded = percent_decode(fragment);
        let key = anchor(&decoded);
        if key.is_empty() {
            return None;
        }
        let own = self.articles.iter().find(|a| a.id == from);
        if let Some(heading) = own.and_then(|a| a.heading(&key)) {
            return own.map(|a| a.at(Some(heading)));
        }
        if let Some(article) =
            (self.articles.iter()).find(|a| a.id == decoded || a.titles.contains(&key))
        {
            return Some(article.at(None));
        }
        if let Some((_, index)) = self.sections.iter().find(|(name, _)| *name == key) {
            return Some(Place::Section(*index));
        }
        (self.articles.iter()).find_map(|a| Some(a.at(Some(a.heading(&key)?))))
    }
}

/// The anchors a link may give an article by its title: the whole title's, and the short
/// title's ("Rebuilding the Old Harbour" of "Rebuilding the Old Harbour: Tides and Cranes").
fn title_anchors(title: &str) -> Vec<String> {
    let mut anchors = vec![anchor(title)];
    let short = title.split_once(':').map(|(short, _)| anchor(short));
    anchors.extend(short.filter(|short| !short.is_empty()));
    anchors
}

/// A file name without the extension of a body or a page (`data-listing` for
/// `articles/data-listing.md`); another name whole.
fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or_default();
    match name.rsplit_once('.') {
        Some((stem, extension)) if BODY_EXTENSIONS.contains(&extension) => stem,
        _ => name,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// An issue of two articles: `letter` in a section "Front", `notes` (its body
    /// `articles/data-notes.md`) in one without a name.
    pub(crate) fn links() -> Links {
        let (issue, bodies) = issue();
        Links::new(&issue, &bodies)
    }

    /// The issue of [`links`], with its bodies.
    pub(crate) fn issue() -> (Issue, BTreeMap<String, String>) {
        let text = "[publication]\ntitle = \"P\"\n[issue]\nid = \"x\"\n[[articles]]\nid = \"letter\"\ntitle = \"A *Letter*: from Us\"\nsection = \"Front\"\nbody = \"articles/letter.md\"\n[[articles]]\nid = \"notes\"\ntitle = \"Notes\"\nbody = \"articles/data-notes.md\"\n";
        let files = BTreeSet::from([
            "articles/letter.md".to_string(),
            "articles/data-notes.md".to_string(),
        ]);
        let issue = Issue::parse(text, "issue.toml", &files).unwrap();
        let bodies = BTreeMap::from([
            (
                "letter".to_string(),
                "## The *first* part\n\n## Coda\n\n## Coda\n".to_string(),
            ),
            (
                "notes".to_string(),
                "## Über uns\n\n## Method\n".to_string(),
            ),
        ]);
        (issue, bodies)
    }

    fn at(id: &str, heading: Option<usize>) -> Option<Place> {
        Some(Place::Article {
            id: id.to_string(),
            heading,
        })
    }

    #[test]
    fn a_fragment_names_a_heading_of_its_article_then_an_article_a_section_or_another_heading() {
        let links = links();
        let from = |href: &str| links.place("letter", href);
        assert_eq!(from("#the-first-part"), at("letter", Some(1)));
        assert_eq!(from("#coda"), at("letter", Some(2)));
        // A repeated heading's anchor is numbered as Markdown renderers number it.
        assert_eq!(from("#coda-1"), at("letter", Some(3)));
        assert_eq!(from("#notes"), at("notes", None));
        assert_eq!(from("#a-letter-from-us"), at("letter", None));
        assert_eq!(from("#a-letter"), at("letter", None));
        assert_eq!(from("#front"), Some(Place::Section(0)));
        assert_eq!(from("#%C3%BCber-uns"), at("notes", Some(1)));
        assert_eq!(from("#nowhere"), None);
        assert_eq!(from("#"), None);
    }

    #[test]
    fn an_article_is_named_by_its_id_its_bodys_file_or_an_editions_page_of_it() {
        let links = links();
        let from = |href: &str| links.place("letter", href);
        for href in [
            "notes.xhtml",
            "data-notes.xhtml",
            "articles/data-notes.md",
            "../data-notes.html?x=1",
            "a-notes.xhtml",
        ] {
            assert_eq!(from(href), at("notes", None), "{href}");
        }
        assert_eq!(from("data-notes.md#method"), at("notes", Some(2)));
        // A heading it does not have: the article's top.
        assert_eq!(from("notes.xhtml#coda"), at("notes", None));
        assert_eq!(
            from("https://example.org/a#b"),
            Some(Place::Web("https://example.org/a#b".into()))
        );
        for nowhere in ["assets/tiny.png", "other.xhtml", "ftp://example.org/x"] {
            assert_eq!(from(nowhere), None, "{nowhere}");
        }
    }
}
