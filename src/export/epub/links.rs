//! Where a link in an article leads in the book. A body links to a heading by its anchor
//! (`#the-second-part`: the anchor Markdown renderers and the PDF edition make, [`anchor`]),
//! to another article by its id or its body's file name (`data-listing.xhtml`,
//! `articles/data-listing.md`), or to the web. The book's headings keep their own ids
//! (`h-1`…, see [`heading_id`]), so a link is pointed at the id its target has in the book; a
//! link that leads nowhere in the book keeps its text only, and the book says so.

use super::article_file;
use super::body::{heading_id, web_link};
use crate::export::pdf::compose::percent_decode;
use crate::model::body::{anchor, parser};
use crate::model::Issue;
use pulldown_cmark::{Event, Tag, TagEnd};
use std::collections::BTreeMap;

/// File names a link may give an article's body under: its Markdown source, or the page an
/// edition made of it.
const BODY_EXTENSIONS: [&str; 5] = ["md", "markdown", "xhtml", "html", "htm"];

/// An article as a link can name it.
struct Target {
    id: String,
    /// The stem of its body's file name (`data-listing` for `articles/data-listing.md`).
    stem: String,
    /// The anchor of its title, and of its short title (the part before a colon) when it has
    /// one.
    titles: Vec<String>,
    /// The anchor of each heading, in order (the n-th is the book's `h-n`).
    headings: Vec<String>,
}

impl Target {
    /// The book's id of the heading with `key` for its anchor.
    fn heading(&self, key: &str) -> Option<String> {
        let at = self.headings.iter().position(|h| h == key)?;
        Some(heading_id(at + 1))
    }
}

/// The places of the book a link can lead to.
pub struct Links {
    articles: Vec<Target>,
    /// The anchor of each named section's name, with its page.
    sections: Vec<(String, String)>,
}

/// The anchor of each heading of `markdown`, in order; a repeated one gets `-1`, `-2`… as
/// Markdown renderers give it.
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
    /// The places of `issue`'s book; `bodies` are the articles' bodies as the book shows them,
    /// by article id; `section_file` names a section's page by its index.
    pub fn new(
        issue: &Issue,
        bodies: &BTreeMap<String, String>,
        section_file: impl Fn(usize) -> String,
    ) -> Links {
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
            .filter_map(|(s, section)| Some((anchor(section.name.as_ref()?), section_file(s))))
            .collect();
        Links { articles, sections }
    }

    /// Where `href`, in the article `from`, leads in the book; `None` when it leads nowhere
    /// the book has. A link to an article with an anchor none of its headings has leads to the
    /// article's top.
    pub fn resolve(&self, from: &str, href: &str) -> Option<String> {
        let href = href.trim();
        if let Some(web) = web_link(href) {
            return Some(web);
        }
        let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() {
            return self.fragment(from, fragment);
        }
        let name = percent_decode(path);
        let name = name.rsplit('/').next().unwrap_or_default();
        let wanted = stem(name);
        let target = (self.articles.iter())
            .find(|a| a.id == wanted || a.stem == wanted || article_file(&a.id) == name)?;
        let file = article_file(&target.id);
        let heading = Some(fragment)
            .filter(|f| !f.is_empty())
            .and_then(|f| target.heading(&anchor(&percent_decode(f))));
        Some(match heading {
            Some(id) => format!("{file}#{id}"),
            None => file,
        })
    }

    /// Where `#fragment` leads: a heading of the article `from`, an article (by its id or the
    /// anchor of its title or short title), a section, or else a heading of another article.
    fn fragment(&self, from: &str, fragment: &str) -> Option<String> {
        let decoded = percent_decode(fragment);
        let key = anchor(&decoded);
        if key.is_empty() {
            return None;
        }
        let own = self.articles.iter().find(|a| a.id == from);
        if let Some(id) = own.and_then(|a| a.heading(&key)) {
            return Some(format!("#{id}"));
        }
        if let Some(article) =
            (self.articles.iter()).find(|a| a.id == decoded || a.titles.contains(&key))
        {
            return Some(article_file(&article.id));
        }
        if let Some((_, page)) = self.sections.iter().find(|(name, _)| *name == key) {
            return Some(page.clone());
        }
        self.articles.iter().find_map(|a| {
            let id = a.heading(&key)?;
            Some(format!("{}#{id}", article_file(&a.id)))
        })
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
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// A book of two articles: `letter` in a section "Front", `notes` (its body
    /// `articles/data-notes.md`) in one without a name.
    fn links() -> Links {
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
        Links::new(&issue, &bodies, |s| format!("section-{}.xhtml", s + 1))
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
