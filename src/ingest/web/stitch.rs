//! Pages of one article, captured separately, stitched in page order. A page that is missing
//! is reported and recorded, never papered over; two different pages claiming one number are
//! an error.

use super::markdown::to_markdown;
use super::{Block, CaptureError, Page};
use crate::model::{IsoDate, Pages};
use serde::Serialize;
use std::collections::BTreeMap;

/// A capture an article came from, and which of its pages it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageSource {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// An article as the captures give it.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deck: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<IsoDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<IsoDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<Pages>,
    pub sources: Vec<PageSource>,
    /// The body, CommonMark.
    pub body: String,
    #[serde(skip)]
    pub blocks: Vec<Block>,
}

/// Groups pages by article (the same URL, or else the same title), orders each article's
/// pages, and reports pages that are missing as warnings.
pub fn stitch(pages: Vec<Page>) -> Result<(Vec<Article>, Vec<String>), CaptureError> {
    let mut groups: Vec<(String, Vec<Page>)> = Vec::new();
    for page in pages {
        let key = page.url.clone().unwrap_or_else(|| normalize(&page.title));
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, group)) => group.push(page),
            None => groups.push((key, vec![page])),
        }
    }
    let mut articles = Vec::new();
    let mut warnings = Vec::new();
    for (_, group) in groups {
        articles.push(stitch_group(group, &mut warnings)?);
    }
    // Unique ids within the batch.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for article in &mut articles {
        let n = seen.entry(article.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            article.id = format!("{}-{n}", article.id);
        }
    }
    Ok((articles, warnings))
}

fn stitch_group(mut group: Vec<Page>, warnings: &mut Vec<String>) -> Result<Article, CaptureError> {
    if group.len() > 1 {
        if let Some(unnumbered) = group.iter().find(|p| p.page.is_none()) {
            return Err(CaptureError::new(
                &unnumbered.source,
                format!(
                    "is one of {} captures of `{}`, but does not say which page it is, so the pages cannot be ordered",
                    group.len(),
                    unnumbered.title
                ),
            ));
        }
        group.sort_by_key(|p| p.page);
        let mut kept: Vec<Page> = Vec::new();
        for page in group {
            match kept.last() {
                Some(previous) if previous.page == page.page => {
                    if previous.blocks != page.blocks {
                        return Err(CaptureError::new(
                            &page.source,
                            format!(
                                "claims page {} of `{}`, as {} does, with different text",
                                page.page.unwrap_or_default(),
                                page.title,
                                previous.source
                            ),
                        ));
                    }
                    warnings.push(format!(
                        "{}: the same page {} as {}; kept once",
                        page.source,
                        page.page.unwrap_or_default(),
                        previous.source
                    ));
                }
                _ => kept.push(page),
            }
        }
        group = kept;
    }

    let first = &group[0];
    let numbered: Vec<u32> = group.iter().filter_map(|p| p.page).collect();
    let count = group.iter().filter_map(|p| p.page_count).max();
    let listed: Vec<u32> = {
        let mut all: Vec<u32> = group
            .iter()
            .flat_map(|p| p.page_bar.iter().copied())
            .collect();
        all.sort();
        all.dedup();
        all
    };
    // Known pages: 1 to the count (or the highest page any bar lists).
    let last_known = count
        .or_else(|| listed.iter().max().copied())
        .or_else(|| numbered.iter().max().copied());
    let missing: Vec<u32> = match (numbered.is_empty(), last_known) {
        (false, Some(last)) => (1..=last).filter(|n| !numbered.contains(n)).collect(),
        _ => Vec::new(),
    };
    if !missing.is_empty() {
        let have: Vec<String> = numbered.iter().map(u32::to_string).collect();
        let missing_text: Vec<String> = missing.iter().map(u32::to_string).collect();
        warnings.push(format!(
            "`{}`: page{} {} missing (the captures hold page{} {})",
            first.title,
            if missing.len() == 1 { "" } else { "s" },
            missing_text.join(", "),
            if have.len() == 1 { "" } else { "s" },
            have.join(", ")
        ));
    }
    let pages = if group.len() > 1 || first.page.is_some() || count.is_some() || !listed.is_empty()
    {
        Some(Pages {
            page: if group.len() == 1 { first.page } else { None },
            count,
            listed,
            missing,
        })
    } else {
        None
    };

    let mut blocks = Vec::new();
    for page in &group {
        if group.len() > 1 {
            blocks.push(Block::PageStart {
                page: page.page.unwrap_or_default(),
                source: format!("sources/{}", page.source),
            });
        }
        blocks.extend(page.blocks.iter().cloned());
    }
    let mut authors: Vec<String> = Vec::new();
    for author in group.iter().flat_map(|p| p.authors.iter()) {
        if !authors.contains(author) {
            authors.push(author.clone());
        }
    }
    Ok(Article {
        id: slug(&first.title),
        title: first.title.clone(),
        deck: group.iter().find_map(|p| p.deck.clone()),
        authors,
        updated: group.iter().filter_map(|p| p.updated).max(),
        published: group.iter().filter_map(|p| p.published).min(),
        language: group.iter().find_map(|p| p.language.clone()),
        url: first.url.clone(),
        site_name: group.iter().find_map(|p| p.site_name.clone()),
        pages,
        sources: group
            .iter()
            .map(|p| PageSource {
                file: p.source.clone(),
                page: p.page,
            })
            .collect(),
        body: to_markdown(&blocks),
        blocks,
    })
}

fn normalize(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// An article id from its title: lowercase letters and digits joined by hyphens; titles with
/// no Latin letters get a short digest instead.
pub fn slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.len() < 3 {
        let digest = crate::archive::DigestAlgorithm::Sha256.digest(title.as_bytes());
        return format!("article-{}", &digest[..8]);
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Full Text: The Internet in China"),
            "full-text-the-internet-in-china"
        );
        assert!(slug("北京周报").starts_with("article-"));
    }
}
