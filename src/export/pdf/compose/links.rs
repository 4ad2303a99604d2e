//! Where a link in an article's body leads in the PDF: the issue's one rule
//! ([`crate::export::links`]) names the place, and the PDF points the link at that place's page
//! and height once the edition is set: an article's title, one of its headings, a section's
//! first article. A web address stays a URI; a link that leads nowhere in the PDF keeps its
//! text without an annotation, and the PDF says so.

use super::structure::NodeId;
use super::{first_lines, Item, Page, Target};
use crate::export::links::{Links, Place};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;

/// An article as the PDF set it.
#[derive(Debug, Clone, PartialEq)]
pub struct SetArticle {
    pub id: String,
    /// The pages (0-based) its text is on.
    pub pages: RangeInclusive<usize>,
    /// Its title's element (at 0), and by its number (from 1, as the issue's link rule counts
    /// them) the element of each heading of its body that the PDF sets.
    pub places: BTreeMap<usize, NodeId>,
}

/// The set articles, and by section index the id of the section's first article.
pub struct SetIssue<'a> {
    pub articles: &'a [SetArticle],
    pub first_articles: Vec<Option<String>>,
}

impl SetIssue<'_> {
    /// Where `place` is in the PDF, by where each title and heading is set (`at`); `None`
    /// when the PDF does not have it.
    fn target(&self, place: Place, at: &BTreeMap<NodeId, (usize, f32)>) -> Option<Target> {
        let (id, heading) = match place {
            Place::Web(uri) => return Some(Target::Uri(uri)),
            Place::Article { id, heading } => (id, heading.unwrap_or(0)),
            Place::Section(index) => (self.first_articles.get(index)?.clone()?, 0),
        };
        let article = self.articles.iter().find(|a| a.id == id)?;
        let (page, top) = *at.get(article.places.get(&heading)?)?;
        Some(Target::Passage { page, top })
    }

    /// The article whose text is on page `index`.
    fn on_page(&self, index: usize) -> Option<&str> {
        (self.articles.iter())
            .find(|a| a.pages.contains(&index))
            .map(|a| a.id.as_str())
    }
}

/// Where each article's title and each heading is set: the page (0-based) of its first line
/// and the height of that line's top, after the last page's columns are balanced. The links
/// and the outline lead there.
pub fn places(pages: &[Page], articles: &[SetArticle]) -> BTreeMap<NodeId, (usize, f32)> {
    let titles_and_headings = articles.iter().flat_map(|a| a.places.values()).copied();
    first_lines(pages, &titles_and_headings.collect())
}

/// Points each link written in a body (a URI as written) at its place in the PDF (`at`, from
/// [`places`]); a link that leads nowhere the PDF has loses its annotation. Returns, by
/// article id, the links that lead nowhere.
pub fn link_inside(
    pages: &mut [Page],
    issue: &SetIssue,
    links: &Links,
    at: &BTreeMap<NodeId, (usize, f32)>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut unkept: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (index, page) in pages.iter_mut().enumerate() {
        let from = issue.on_page(index).unwrap_or_default();
        page.items.retain_mut(|item| {
            let Item::Link { target, .. } = item else {
                return true;
            };
            let Target::Uri(href) = target else {
                return true;
            };
            match (links.place(from, href)).and_then(|p| issue.target(p, at)) {
                Some(found) => {
                    *target = found;
                    true
                }
                None => {
                    let article = unkept.entry(from.to_string()).or_default();
                    article.insert(href.clone());
                    false
                }
            }
        });
    }
    unkept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::links::tests::links;

    fn link(href: &str) -> Item {
        Item::Link {
            x: 0.0,
            y: 0.0,
            width: 1.0,
            height: 1.0,
            target: Target::Uri(href.to_string()),
        }
    }

    fn targets(page: &Page) -> Vec<&Target> {
        (page.items.iter())
            .filter_map(|item| match item {
                Item::Link { target, .. } => Some(target),
                _ => None,
            })
            .collect()
    }

    /// The first line of element `node`, its baseline at `y`.
    fn line(node: NodeId, y: f32) -> [Item; 2] {
        let style = super::super::styles::BODY;
        let text = Item::plain_text(0.0, y, style, "Text".into(), super::super::Role::Heading);
        [Item::Tag(Some(node)), text]
    }

    #[test]
    fn a_bodys_links_lead_to_the_page_and_height_of_an_article_a_heading_or_a_section() {
        // `letter` (section "Front", title element 10, headings 11 to 13) on pages 2 and 3,
        // its third heading on page 3; `notes` (title 20, headings 21 and 22) on page 4.
        let articles = [
            SetArticle {
                id: "letter".into(),
                pages: 2..=3,
                places: (0..).zip([10, 11, 12, 13]).collect(),
            },
            SetArticle {
                id: "notes".into(),
                pages: 4..=4,
                places: (0..).zip([20, 21, 22]).collect(),
            },
        ];
        let issue = SetIssue {
            articles: &articles,
            first_articles: vec![Some("letter".into()), Some("notes".into())],
        };
        let mut pages = vec![Page::default(); 5];
        pages[2].items = [line(10, 700.0), line(11, 500.0), line(12, 300.0)].concat();
        pages[4].items = [line(20, 700.0), line(21, 480.0), line(22, 200.0)].concat();
        // The third heading, in the second column of page 3, after text further down the
        // first.
        pages[3].items = [line(1, 100.0), line(13, 650.0)].concat();
        let hrefs = [
            "data-notes.xhtml",
            "#coda-1",
            "#front",
            "notes.md#method",
            "https://example.org/",
            "other.xhtml",
            "#nowhere",
        ];
        pages[3].items.extend(hrefs.iter().map(|href| link(href)));
        let at = places(&pages, &articles);
        let unkept = link_inside(&mut pages, &issue, &links(), &at);
        let top = |y: f32| y + super::super::styles::BODY.size;
        let passage = |page, y| Target::Passage { page, top: top(y) };
        assert_eq!(
            targets(&pages[3]),
            [
                &passage(4, 700.0),
                &passage(3, 650.0),
                &passage(2, 700.0),
                &passage(4, 200.0),
                &Target::Uri("https://example.org/".into()),
            ]
        );
        let nowhere = BTreeSet::from(["#nowhere".to_string(), "other.xhtml".to_string()]);
        assert_eq!(unkept, BTreeMap::from([("letter".to_string(), nowhere)]));
    }
}
