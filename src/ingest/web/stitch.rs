//! Pages of one article, captured separately, stitched in page order. A page that is missing
//! is reported and recorded, never papered over; two different pages claiming one number are
//! an error.

use super::markdown::to_markdown;
use super::{Block, CaptureError, Metadata, Page};
use crate::model::{Pages, SourceRef};
use serde::Serialize;
use std::collections::BTreeMap;

/// An article as the captures give it.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    pub id: String,
    #[serde(flatten)]
    pub meta: Metadata,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<Pages>,
    /// The section the article goes in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The captures, each `file` named as under `sources/`.
    pub sources: Vec<SourceRef>,
    /// The body, in the body dialect.
    pub body: String,
    #[serde(skip)]
    pub blocks: Vec<Block>,
}

/// Articles whose pages are known (a manifest's entries, each with its section and pages in
/// order), then the loose pages grouped by article (the same URL, or else the same title);
/// each article's pages ordered, and pages that are missing reported as warnings.
pub fn stitch(
    known: Vec<(Option<String>, Vec<Page>)>,
    loose: Vec<Page>,
) -> Result<(Vec<Article>, Vec<String>), CaptureError> {
    // Each group with whether its order is given (a manifest's entry).
    let mut groups: Vec<(Option<String>, Vec<Page>, bool)> = Vec::new();
    let mut warnings = Vec::new();
    for (section, mut pages) in known {
        number_by_order(&mut pages, &mut warnings);
        groups.push((section, pages, true));
    }
    let mut keyed: Vec<(String, Vec<Page>)> = Vec::new();
    for page in loose {
        let key = page
            .meta
            .url
            .as_deref()
            .map(|url| article_address(url, page.pages.page))
            .unwrap_or_else(|| normalize(&page.meta.title));
        match keyed.iter_mut().find(|(k, _)| *k == key) {
            Some((_, group)) => group.push(page),
            None => keyed.push((key, vec![page])),
        }
    }
    groups.extend(keyed.into_iter().map(|(_, pages)| (None, pages, false)));
    let mut articles = Vec::new();
    for (section, group, ordered) in groups {
        let mut article = stitch_group(group, ordered, &mut warnings)?;
        article.section = section;
        articles.push(article);
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

/// A manifest entry's pages, in its order, numbered by it where they do not say which page
/// they are: only when they are all the article's pages (no page bar or count says there are
/// more), for the order alone does not tell which pages a part of them is. Else they keep the
/// manifest's order unnumbered, and a warning says which pages they are is not known.
fn number_by_order(pages: &mut [Page], warnings: &mut Vec<String>) {
    if pages.len() < 2 || pages.iter().all(|p| p.pages.page.is_some()) {
        return;
    }
    let known = pages
        .iter()
        .flat_map(|p| p.pages.listed.iter().copied().chain(p.pages.count))
        .max()
        .unwrap_or(0);
    if known as usize <= pages.len() {
        for (i, page) in pages.iter_mut().enumerate() {
            page.pages.page = page.pages.page.or(Some(i as u32 + 1));
        }
        return;
    }
    for page in pages.iter_mut() {
        page.pages.page = None;
    }
    warnings.push(format!(
        "`{}`: the manifest gives the order of its {} captures, but not which of the {known} pages their page bar lists they are: no page numbers recorded",
        pages[0].meta.title,
        pages.len()
    ));
}

/// One article of `group`'s pages: in page order, or in the order given (`ordered`, a
/// manifest's) when none says which page it is.
fn stitch_group(
    mut group: Vec<Page>,
    ordered: bool,
    warnings: &mut Vec<String>,
) -> Result<Article, CaptureError> {
    let in_given_order = ordered && group.iter().all(|p| p.pages.page.is_none());
    if group.len() > 1 && !in_given_order {
        if let Some(unnumbered) = group.iter().find(|p| p.pages.page.is_none()) {
            return Err(CaptureError::new(
                &unnumbered.source,
                format!(
                    "is one of {} captures of `{}`, but does not say which page it is, so the pages cannot be ordered: give them in order in a manifest (`--manifest FILE`, an `[[article]]` with `pages = [\"page-1.txt\", \"page-2.txt\"]`)",
                    group.len(),
                    unnumbered.meta.title
                ),
            ));
        }
        group.sort_by_key(|p| p.pages.page);
        let mut kept: Vec<Page> = Vec::new();
        for page in group {
            match kept.last() {
                Some(previous) if previous.pages.page == page.pages.page => {
                    if previous.blocks != page.blocks {
                        return Err(CaptureError::new(
                            &page.source,
                            format!(
                                "claims page {} of `{}`, as {} does, with different text",
                                page.pages.page.unwrap_or_default(),
                                page.meta.title,
                                previous.source
                            ),
                        ));
                    }
                    warnings.push(format!(
                        "{}: the same page {} as {}; kept once",
                        page.source,
                        page.pages.page.unwrap_or_default(),
                        previous.source
                    ));
                }
                _ => kept.push(page),
            }
        }
        group = kept;
    }

    let pages = article_pages(&group, warnings);
    let mut blocks = Vec::new();
    let closing = sign_off(&group[group.len() - 1].blocks);
    let mut notes_before = 0;
    for (at, page) in group.iter().enumerate() {
        if let (true, Some(number)) = (group.len() > 1, page.pages.page) {
            blocks.push(Block::PageStart {
                page: number,
                source: format!("sources/{}", page.source),
            });
        }
        // The sign-off every page repeats (`责任编辑：王京`) closes the article once.
        let own = &page.blocks;
        let repeated = at + 1 < group.len() && !closing.is_empty() && own.ends_with(closing);
        let kept = if repeated {
            own.len() - closing.len()
        } else {
            own.len()
        };
        // Each page numbers its notes from 1: the article numbers them on.
        let (own, notes) = renumber_notes(&own[..kept], notes_before);
        notes_before = notes;
        blocks.extend(own);
    }
    let meta = merged(&group);
    Ok(Article {
        id: slug(&meta.title),
        meta,
        pages,
        section: None,
        sources: group.iter().map(source_of).collect(),
        body: to_markdown(&blocks),
        blocks,
    })
}

/// `blocks` with each footnote label `[^N]` (a call or a note) made `[^N + before]`, and the
/// highest label then: the notes of a page that follows others' notes.
fn renumber_notes(blocks: &[Block], before: usize) -> (Vec<Block>, usize) {
    let mut highest = before;
    let mut renumber = |text: &mut String| {
        let code = code_ranges(text);
        let mut out = String::with_capacity(text.len());
        let mut from = 0;
        while let Some(found) = text[from..].find("[^") {
            let at = from + found;
            out.push_str(&text[from..at + 2]);
            from = at + 2;
            // A `[^9]` in code (a regular expression) or escaped is no note's label.
            let escaped = text[..at].ends_with('\\') && !text[..at].ends_with("\\\\");
            let in_code = code.iter().any(|r| r.contains(&at));
            let digits = text[from..].bytes().take_while(u8::is_ascii_digit).count();
            let label = text[from..from + digits].parse::<usize>().ok();
            let closed = text[from + digits..].starts_with(']');
            if let Some(n) = label.filter(|_| !escaped && !in_code && closed) {
                highest = highest.max(n + before);
                out.push_str(&(n + before).to_string());
                from += digits;
            }
        }
        out.push_str(&text[from..]);
        *text = out;
    };
    let mut blocks = blocks.to_vec();
    for block in &mut blocks {
        match block {
            Block::Heading { text, .. }
            | Block::Paragraph { text }
            | Block::Quote { text }
            | Block::Markdown { text } => renumber(text),
            Block::List { items, .. } => items.iter_mut().for_each(&mut renumber),
            Block::Image { caption, .. } => caption.iter_mut().for_each(&mut renumber),
            Block::PageStart { .. } => {}
        }
    }
    (blocks, highest)
}

/// Where a body dialect text holds code (spans and blocks), by byte range.
fn code_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Tag};
    crate::model::body::parser(text)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => Some(range),
            _ => None,
        })
        .collect()
}

/// Where the article of `group`'s captures (in page order) sits in the original, from what
/// each capture shows of its pages: a lone capture's page, the largest count, every page a
/// bar lists, and the pages no capture holds (named in a warning). None when no capture
/// shows any, or when the numbers are not ones the issue can keep (a warning says why).
fn article_pages(group: &[Page], warnings: &mut Vec<String>) -> Option<Pages> {
    let first = &group[0];
    let numbered: Vec<u32> = group.iter().filter_map(|p| p.pages.page).collect();
    let count = group.iter().filter_map(|p| p.pages.count).max();
    let listed: Vec<u32> = {
        let mut all: Vec<u32> = group
            .iter()
            .flat_map(|p| p.pages.listed.iter().copied())
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
            first.meta.title,
            crate::plural(missing.len()),
            missing_text.join(", "),
            crate::plural(have.len()),
            have.join(", ")
        ));
    }
    // One capture's own page is the article's; of several, each is in the body's page marks.
    let page = first.pages.page.filter(|_| group.len() == 1);
    let shown = group.len() > 1 || page.is_some() || count.is_some() || !listed.is_empty();
    let pages = shown.then_some(Pages {
        page,
        count,
        listed,
        missing,
    });
    // Page numbers the issue could not keep are a warning, never a failed import.
    match pages.as_ref().map(Pages::check) {
        Some(Err(why)) => {
            warnings.push(format!(
                "`{}`: its page numbers are left out: {why}",
                first.meta.title
            ));
            None
        }
        _ => pages,
    }
}

/// The paragraphs that sign a page off at its end (`Editor: Wu Yan`).
fn sign_off(blocks: &[Block]) -> &[Block] {
    let signed = blocks
        .iter()
        .rev()
        .take_while(|b| matches!(b, Block::Paragraph { text } if super::html::is_signature(text)))
        .count();
    &blocks[blocks.len() - signed..]
}

/// An article's metadata from its pages: the first page's title and address, the authors of
/// all pages each once, the latest update, the first publication, and else the first page
/// that gives a value.
fn merged(group: &[Page]) -> Metadata {
    let first = &group[0].meta;
    let mut authors: Vec<String> = Vec::new();
    for author in group.iter().flat_map(|p| p.meta.authors.iter()) {
        if !authors.contains(author) {
            authors.push(author.clone());
        }
    }
    let any =
        |field: fn(&Metadata) -> &Option<String>| group.iter().find_map(|p| field(&p.meta).clone());
    Metadata {
        title: first.title.clone(),
        deck: any(|m| &m.deck),
        authors,
        updated: group.iter().filter_map(|p| p.meta.updated).max(),
        published: group.iter().filter_map(|p| p.meta.published).min(),
        language: any(|m| &m.language),
        url: first.url.clone(),
        site_name: any(|m| &m.site_name),
        section: any(|m| &m.section),
        printed: group.iter().find_map(|p| p.meta.printed.clone()),
    }
}

/// What a page says of the capture it came from.
fn source_of(page: &Page) -> SourceRef {
    let warc = page.warc.clone();
    SourceRef {
        file: page.source.clone(),
        page: page.pages.page,
        url: page.meta.url.clone(),
        site: page.meta.site_name.clone(),
        captured: page.captured.clone(),
        record: warc.as_ref().map(|w| w.record.clone()),
        original: warc.as_ref().map(|w| w.original.clone()),
        original_sha256: warc.map(|w| w.original_sha256),
    }
}

/// Query parameters that name a page of an article (`?page=2`; Drupal counts from 0).
const PAGE_PARAMETERS: [&str; 7] = [
    "page",
    "pg",
    "paged",
    "pagenum",
    "pageno",
    "pn",
    "currentpage",
];

/// Whether `page` is the address of a later page of the article at `article`: the same
/// address with a query parameter that names a page past the first (`?page=2` beside a
/// canonical address without it).
pub(crate) fn later_page_of(page: &url::Url, article: &url::Url) -> bool {
    let later = page.query_pairs().any(|(k, v)| {
        PAGE_PARAMETERS.contains(&k.to_ascii_lowercase().as_str())
            && v.parse::<u32>().is_ok_and(|n| n > 1)
    });
    later
        && page.host_str() == article.host_str()
        && page.path().trim_end_matches('/') == article.path().trim_end_matches('/')
        && article_query(page) == article_query(article)
}

/// An address's query but for what names the page (`?id=77&page=2` gives `id=77`), in its
/// order: another value is another story.
pub(crate) fn article_query(url: &url::Url) -> Vec<(String, String)> {
    url.query_pairs()
        .filter(|(k, _)| !PAGE_PARAMETERS.contains(&k.to_ascii_lowercase().as_str()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The address of the article a page is part of: the page's own without what names the page
/// (`?page=2`; for page `n` over 1, a last segment `n` or `page/n`, or a suffix `_n` or `-n`
/// of the last segment: `content_123_2.htm`), and without a fragment or a final slash.
fn article_address(url: &str, page: Option<u32>) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.to_string();
    };
    let kept = article_query(&parsed);
    parsed.set_query(None);
    if !kept.is_empty() {
        parsed.query_pairs_mut().extend_pairs(kept);
    }
    parsed.set_fragment(None);
    let mut path = parsed.path().trim_end_matches('/').to_string();
    if let Some(n) = page.filter(|n| *n > 1).map(|n| n.to_string()) {
        let (head, last) = path.rsplit_once('/').unwrap_or(("", path.as_str()));
        let (stem, extension) = match last.rsplit_once('.') {
            Some((stem, extension)) => (stem, format!(".{extension}")),
            None => (last, String::new()),
        };
        path = if last == n {
            head.strip_suffix("/page").unwrap_or(head).to_string()
        } else if let Some(stem) = stem
            .strip_suffix(n.as_str())
            .and_then(|s| s.strip_suffix(['_', '-']))
        {
            format!("{head}/{stem}{extension}")
        } else {
            path
        };
    }
    parsed.set_path(&path);
    parsed.to_string()
}

fn normalize(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// An article id from its title, transliterated to ASCII (`Māori` gives `maori`, Chinese its
/// pinyin): lowercase letters and digits joined by hyphens, whole words up to 60 characters;
/// a short digest only when nothing is left. Only letters and digits are transliterated: an
/// emoji or a sign is a separator (`Harbour 😀 winter` is `harbour-winter`, not
/// `harbour-grinning-winter`).
pub fn slug(title: &str) -> String {
    let mut ascii = String::new();
    for c in title.chars() {
        match c.is_alphanumeric() {
            // A fraction or a circled number is a word of its own (`2½` is `2 1/2`, not `21/2`).
            true if c.is_numeric() && !c.is_ascii_digit() => {
                ascii.push(' ');
                ascii.push_str(deunicode::deunicode_char(c).unwrap_or(" "));
                ascii.push(' ');
            }
            true => ascii.push_str(deunicode::deunicode_char(c).unwrap_or(" ")),
            false => ascii.push(' '),
        }
    }
    let ascii = ascii.to_ascii_lowercase();
    let mut slug = String::new();
    for word in ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !slug.is_empty() && slug.len() + 1 + word.len() > 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word[..word.len().min(60)]);
    }
    if slug.is_empty() {
        let digest = crate::archive::DigestAlgorithm::Sha256.digest(title.as_bytes());
        return format!("article-{}", &digest[..8]);
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_of_an_article_have_one_article_address() {
        let address = |url: &str, page: u32| article_address(url, Some(page));
        let one = "https://review.example/features/long-road";
        for (url, page) in [
            ("https://review.example/features/long-road?page=1", 2),
            ("https://review.example/features/long-road/2/", 2),
            ("https://review.example/features/long-road/page/3", 3),
            ("https://review.example/features/long-road#top", 1),
        ] {
            assert_eq!(address(url, page), address(one, 1), "{url}");
        }
        assert_eq!(
            address("https://br.example/c/content_123_2.htm", 2),
            address("https://br.example/c/content_123.htm", 1)
        );
        // Another article is another address.
        assert_ne!(
            address("https://br.example/?p=12", 1),
            address("https://br.example/?p=13", 1)
        );
        assert_ne!(
            address("https://br.example/c/content_122.htm", 2),
            address("https://br.example/c/content_123.htm", 1)
        );
    }

    /// A page of `title` with `text`, whose page bar lists `bar` and marks none.
    fn unmarked(source: &str, title: &str, text: &str, bar: &[u32]) -> Page {
        Page {
            source: source.into(),
            meta: Metadata {
                title: title.into(),
                ..Default::default()
            },
            pages: Pages {
                listed: bar.to_vec(),
                ..Default::default()
            },
            blocks: vec![Block::Paragraph { text: text.into() }],
            ..Default::default()
        }
    }

    #[test]
    fn an_address_that_names_a_later_page_of_the_same_article_is_that_page_s() {
        let at = |u: &str| url::Url::parse(u).unwrap();
        let article = at("https://x.example/f/ice?id=7");
        assert!(later_page_of(
            &at("https://x.example/f/ice?id=7&page=2"),
            &article
        ));
        for other in [
            "https://x.example/f/ice?id=7&page=1",
            "https://x.example/f/ice?id=8&page=2",
            "https://x.example/f/fire?id=7&page=2",
            "https://y.example/f/ice?id=7&page=2",
        ] {
            assert!(!later_page_of(&at(other), &article), "{other}");
        }
    }

    #[test]
    fn the_notes_of_a_later_page_are_numbered_on_from_the_earlier_pages() {
        let note = |text: &str| Block::Markdown { text: text.into() };
        let page = |n: u32, blocks: Vec<Block>| {
            let mut page = unmarked(&format!("p{n}.html"), "The glacier", "", &[1, 2]);
            page.pages.page = Some(n);
            page.blocks = blocks;
            page
        };
        let first = page(
            1,
            vec![
                note("Ash[^1] and ice[^2]."),
                note("[^1]: Laki.\n\n[^2]: Figures."),
            ],
        );
        let second = page(
            2,
            vec![
                note("An interview[^1], not \\[^1\\] or [^x] or `[^1]`, and a \\\\[^1]."),
                note("[^1]: At the drill site."),
            ],
        );
        let mut warnings = Vec::new();
        let article = stitch_group(vec![second, first], false, &mut warnings).unwrap();
        assert!(
            article
                .body
                .contains("An interview[^3], not \\[^1\\] or [^x] or `[^1]`, and a \\\\[^3]."),
            "{}",
            article.body
        );
        assert!(
            article.body.contains("[^3]: At the drill site."),
            "{}",
            article.body
        );
        assert!(article.body.contains("[^1]: Laki."), "{}", article.body);
    }

    #[test]
    fn the_sign_off_every_page_repeats_closes_the_article_once() {
        let page = |n: u32, text: &str| {
            let mut page = unmarked(&format!("c_{n}.htm"), "Grid", text, &[1, 2]);
            page.pages.page = Some(n);
            page.blocks.push(Block::Paragraph {
                text: "责任编辑： 王京".into(),
            });
            page
        };
        let (articles, _) = stitch(Vec::new(), vec![page(2, "Two."), page(1, "One.")]).unwrap();
        assert_eq!(
            articles[0].body,
            "<!-- page 1: sources/c_1.htm -->\n\nOne.\n\n<!-- page 2: sources/c_2.htm -->\n\nTwo.\n\n责任编辑： 王京\n"
        );
    }

    #[test]
    fn a_manifest_numbers_its_pages_only_when_they_are_all_of_the_article() {
        // Two captures of an article of three pages: the order alone does not say which.
        let part = vec![
            unmarked("p2.txt", "Grid", "Two.", &[1, 2, 3]),
            unmarked("p3.txt", "Grid", "Three.", &[1, 2, 3]),
        ];
        let (articles, warnings) = stitch(vec![(None, part)], Vec::new()).unwrap();
        let pages = articles[0].pages.as_ref().unwrap();
        assert_eq!((pages.page, pages.missing.len()), (None, 0), "{pages:?}");
        assert_eq!(articles[0].body, "Two.\n\nThree.\n");
        assert!(
            warnings[0].contains("not which of the 3 pages"),
            "{warnings:?}"
        );
        // Every page of the article, in order: numbered by it.
        let whole = vec![
            unmarked("p1.txt", "Grid", "One.", &[1, 2]),
            unmarked("p2.txt", "Grid", "Two.", &[1, 2]),
        ];
        let (articles, warnings) = stitch(vec![(None, whole)], Vec::new()).unwrap();
        assert!(articles[0].body.contains("<!-- page 2: sources/p2.txt -->"));
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn ids_are_transliterated_titles_and_a_digest_only_when_nothing_is_left() {
        assert_eq!(
            slug("Full Text: The Internet in China"),
            "full-text-the-internet-in-china"
        );
        assert_eq!(slug("Te Reo Māori Returns"), "te-reo-maori-returns");
        assert_eq!(slug("L'été approuvé"), "l-ete-approuve");
        assert_eq!(
            slug("Passwörter richtig verwalten"),
            "passworter-richtig-verwalten"
        );
        assert_eq!(slug("北京周报"), "bei-jing-zhou-bao");
        // Emoji and signs are not words of the title.
        assert_eq!(slug("Harbour 😀 winter ™ ★"), "harbour-winter");
        assert_eq!(slug("Ferries → Ystad, ①"), "ferries-ystad-1");
        assert_eq!(slug("A 2½-hour crossing"), "a-2-1-2-hour-crossing");
        assert!(slug("— · —").starts_with("article-"));
        assert!(slug(&"word ".repeat(30)).len() <= 60);
    }
}
