//! The pages that list across issues, written again whenever an issue they list changes:
//! the home page (the current issue and the latest headlines), Previous Issues by year, the
//! sections and each section across issues, and the search pages.

use super::catalog::IssueEntry;
use super::paths;
use super::search::SearchIndex;
use super::templates::{
    HomePage, IssueCard, IssuesPage, SearchFilter, SearchPage, SectionPage, SectionsPage, YearGroup,
};
use super::view::{link, Site};
use super::{render, SiteError, SiteFile};

/// How many articles "The Latest Headlines" lists.
const HEADLINES: usize = 10;
/// How many articles an issue's card in Previous Issues names.
const CARD_HEADLINES: usize = 3;
/// The search page's filters: the index's filter, its label, the choice that filters nothing.
const SEARCH_FILTERS: [(&str, &str, &str); 3] = [
    ("issue", "Issue", "All issues"),
    ("section", "Section", "All sections"),
    ("year", "Year", "All years"),
];

/// Every page that lists across issues.
pub fn shared_pages(site: &Site, search: &SearchIndex) -> Result<Vec<SiteFile>, SiteError> {
    let mut files = vec![home(site)?, previous_issues(site)?, sections_index(site)?];
    files.extend(section_pages(site)?);
    files.extend(search_pages(site, search)?);
    Ok(files)
}

/// The head card of an issue, as a page in `from` shows it.
fn card(site: &Site, from: &str, issue: &IssueEntry, headlines: usize) -> IssueCard {
    site.issue_card(
        from,
        issue,
        None,
        &issue.issue,
        issue.cover_digest.as_deref(),
        headlines,
    )
}

fn home(site: &Site) -> Result<SiteFile, SiteError> {
    let folder = "";
    let current = site.catalog.current();
    let headlines = site
        .catalog
        .latest_headlines(HEADLINES)
        .into_iter()
        .map(|p| site.article_item(folder, p.issue, None, &p.issue.issue, p.article, true))
        .collect();
    let page = HomePage {
        chrome: site.chrome(folder, &site.site_name, "home"),
        toc: current.map_or_else(Vec::new, |c| site.toc(folder, c, None, &c.issue)),
        current: current.map(|c| card(site, folder, c, 0)),
        headlines,
    };
    render(folder, &page)
}

fn previous_issues(site: &Site) -> Result<SiteFile, SiteError> {
    let folder = "issues/";
    let mut years: Vec<YearGroup> = Vec::new();
    for issue in &site.catalog.issues {
        let label = issue.year();
        let card = card(site, folder, issue, CARD_HEADLINES);
        match years.last_mut() {
            Some(group) if group.label == label => group.issues.push(card),
            _ => years.push(YearGroup {
                label,
                issues: vec![card],
            }),
        }
    }
    let page = IssuesPage {
        chrome: site.chrome(folder, "Previous Issues", "issues"),
        years,
    };
    render(folder, &page)
}

fn sections_index(site: &Site) -> Result<SiteFile, SiteError> {
    let folder = "sections/";
    let mut sections: Vec<(String, String, String)> = site
        .catalog
        .sections()
        .values()
        .map(|s| {
            let count = s.articles.len();
            let noun = if count == 1 { "article" } else { "articles" };
            (
                s.name.clone(),
                link(folder, &paths::section(&s.name)),
                format!("{count} {noun}"),
            )
        })
        .collect();
    sections.sort_by_key(|(name, _, _)| name.to_lowercase());
    let page = SectionsPage {
        chrome: site.chrome(folder, "Sections", "sections"),
        sections,
    };
    render(folder, &page)
}

fn section_pages(site: &Site) -> Result<Vec<SiteFile>, SiteError> {
    let mut files = Vec::new();
    for section in site.catalog.sections().values() {
        let folder = paths::section(&section.name);
        let mut issues: Vec<(IssueCard, Vec<_>)> = Vec::new();
        let mut last: Option<&str> = None;
        for placed in &section.articles {
            let item = site.article_item(
                &folder,
                placed.issue,
                None,
                &placed.issue.issue,
                placed.article,
                false,
            );
            if last == Some(placed.issue.id()) {
                issues.last_mut().expect("pushed below").1.push(item);
            } else {
                issues.push((card(site, &folder, placed.issue, 0), vec![item]));
                last = Some(placed.issue.id());
            }
        }
        let page = SectionPage {
            chrome: site.chrome(&folder, &section.name, "sections"),
            name: section.name.clone(),
            issues,
        };
        files.push(render(&folder, &page)?);
    }
    Ok(files)
}

/// One search page per language the articles are in: the main language's at `search/`, the
/// others at `search/<language>/` (the index a page searches is the one of its `lang`).
fn search_pages(site: &Site, search: &SearchIndex) -> Result<Vec<SiteFile>, SiteError> {
    let folder_of = |language: &str| match language == search.main_language {
        true => "search/".to_string(),
        false => format!("search/{language}/"),
    };
    let mut files = Vec::new();
    for language in &search.languages {
        let folder = folder_of(language);
        let mut chrome = site.chrome(&folder, "Search", "search");
        chrome.lang = language.clone();
        chrome.ui_lang = (language != "en").then_some("en");
        let others = search
            .languages
            .iter()
            .filter(|other| *other != language)
            .map(|other| (other.clone(), link(&folder, &folder_of(other))))
            .collect();
        let page = SearchPage {
            chrome,
            others,
            filters: SEARCH_FILTERS
                .iter()
                .map(|&(name, label, all)| SearchFilter {
                    name,
                    label,
                    all,
                    values: search.filter_values(name),
                })
                .collect(),
        };
        files.push(render(&folder, &page)?);
    }
    Ok(files)
}
