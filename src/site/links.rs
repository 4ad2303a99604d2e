//! Where a link in an article's body leads on the site: the issue's one rule
//! ([`crate::export::links`]) names the place, as it does for the EPUB, and the site points
//! the link at the page of the same version that shows it: an article's page, the page of a
//! long article that holds a heading (`…/<article>/2/#body-h-3`), a section's page. A link
//! that leads nowhere keeps its text, and the build names it ([`UnkeptLinks`]).

use super::body::{heading_id, layout};
use super::issue_pages::{page_folders, page_labels};
use super::paths;
use super::view::link;
use crate::export::links::{Links, Place};
use crate::model::Issue;
use serde::Serialize;
use std::collections::BTreeMap;

/// The pages of one article of a version.
struct Pages {
    /// Its folder, then the folder of each further page.
    folders: Vec<String>,
    /// The page (an index into `folders`) of each heading, in order.
    headings: Vec<usize>,
}

/// The places a link can lead to on the pages of one version of an issue (its head's pages,
/// or one version's).
pub struct VersionLinks {
    rule: Links,
    articles: BTreeMap<String, Pages>,
    /// The name of each section, in order (`None` for one without a name).
    sections: Vec<Option<String>>,
}

impl VersionLinks {
    /// The places of the pages of a version with metadata `issue` and `bodies` (by article
    /// id): the head's pages when `number` is `None`, else version `number`'s.
    pub fn new(
        issue_id: &str,
        number: Option<u32>,
        issue: &Issue,
        bodies: &BTreeMap<String, String>,
    ) -> VersionLinks {
        let articles = issue
            .articles()
            .map(|article| {
                let layout = layout(bodies.get(&article.id).map_or("", String::as_str));
                let base = paths::article(issue_id, number, &article.id);
                let folders = page_folders(&base, &page_labels(&layout.labels));
                let pages = Pages {
                    folders,
                    headings: layout.headings,
                };
                (article.id.clone(), pages)
            })
            .collect();
        VersionLinks {
            rule: Links::new(issue, bodies),
            articles,
            sections: (issue.sections.iter()).map(|s| s.name.clone()).collect(),
        }
    }

    /// The URL, relative to the page in `folder` (of the article `from`), of the place `href`
    /// leads to; `None` when it leads nowhere. `section` gives the link to a section's page by
    /// its name, when the site has one.
    pub fn url(
        &self,
        (folder, from): (&str, &str),
        href: &str,
        section: &dyn Fn(&str) -> Option<String>,
    ) -> Option<String> {
        match self.rule.place(from, href)? {
            Place::Web(web) => Some(web),
            Place::Section(index) => section(self.sections.get(index)?.as_deref()?),
            Place::Article { id, heading } => {
                let pages = self.articles.get(&id)?;
                let Some(n) = heading else {
                    return Some(link(folder, pages.folders.first()?));
                };
                let page = pages.folders.get(*pages.headings.get(n - 1)?)?;
                // The single-page view of the article holds every heading.
                let here =
                    *page == folder || (id == from && !pages.folders.contains(&folder.into()));
                let fragment = format!("#{}", heading_id(n));
                Some(match here {
                    true => fragment,
                    false => format!("{}{fragment}", link(folder, page)),
                })
            }
        }
    }
}

/// The links of an article that lead nowhere on the site: their text is kept without the
/// link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("issue {issue}, article {article}: link(s) to {} lead nowhere on the site: their text is kept without the link", .targets.join(", "))]
pub struct UnkeptLinks {
    pub issue: String,
    pub article: String,
    pub targets: Vec<String>,
}

/// Adds `targets` of `article` to `unkept`, each once (an article's links are met again in
/// every version that has it).
pub fn note_unkept(unkept: &mut Vec<UnkeptLinks>, issue: &str, article: &str, targets: &[String]) {
    if targets.is_empty() {
        return;
    }
    let at = match unkept.iter().position(|u| u.article == article) {
        Some(at) => at,
        None => {
            unkept.push(UnkeptLinks {
                issue: issue.to_string(),
                article: article.to_string(),
                targets: Vec::new(),
            });
            unkept.len() - 1
        }
    };
    for target in targets {
        if !unkept[at].targets.contains(target) {
            unkept[at].targets.push(target.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::links::tests::issue;

    #[test]
    fn a_heading_link_leads_to_the_page_that_holds_it_or_stays_on_the_single_page_view() {
        let (issue, mut bodies) = issue();
        let notes =
            "<!-- page 1: s.txt -->\n\n## Über uns\n\n<!-- page 2: s.txt -->\n\n## Method\n";
        bodies.insert("notes".into(), notes.into());
        let section = |name: &str| Some(format!("sections/{name}"));
        let head = VersionLinks::new("x", None, &issue, &bodies);
        // (the page's folder under issues/x/, the article, the link as written) and where
        // it leads.
        let cases = [
            ("notes/", "notes", "#method", Some("2/index.html#body-h-2")),
            ("notes/2/", "notes", "#method", Some("#body-h-2")),
            (
                "notes/2/",
                "notes",
                "#%C3%BCber-uns",
                Some("../index.html#body-h-1"),
            ),
            ("notes/all/", "notes", "#method", Some("#body-h-2")),
            (
                "letter/",
                "letter",
                "data-notes.md#method",
                Some("../notes/2/index.html#body-h-2"),
            ),
            ("letter/", "letter", "#coda-1", Some("#body-h-3")),
            ("letter/", "letter", "#front", Some("sections/Front")),
            ("letter/", "letter", "#nowhere", None),
        ];
        for (page, from, href, expected) in cases {
            let url = head.url((&format!("issues/x/{page}"), from), href, &section);
            assert_eq!(url.as_deref(), expected, "{href} from issues/x/{page}");
        }
        // A version's pages link within that version.
        let v2 = VersionLinks::new("x", Some(2), &issue, &bodies);
        assert_eq!(
            v2.url(("issues/x/v2/letter/", "letter"), "notes.xhtml", &section)
                .as_deref(),
            Some("../notes/index.html")
        );
    }

    #[test]
    fn an_articles_unkept_links_are_named_once_across_versions() {
        let mut unkept = Vec::new();
        note_unkept(&mut unkept, "x", "a", &["#one".into(), "two.html".into()]);
        note_unkept(&mut unkept, "x", "b", &[]);
        note_unkept(&mut unkept, "x", "a", &["two.html".into(), "#three".into()]);
        assert_eq!(unkept.len(), 1);
        assert_eq!(unkept[0].targets, ["#one", "two.html", "#three"]);
        assert_eq!(
            unkept[0].to_string(),
            "issue x, article a: link(s) to #one, two.html, #three lead nowhere on the site: their text is kept without the link"
        );
    }
}
