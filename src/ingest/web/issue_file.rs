//! `issue.toml` as an import edits it: a new issue's publication and id, and each imported
//! article added or updated in place (toml_edit), so that a librarian's comments and fields
//! survive. An article imported again is found by its captures (address, WARC record or
//! file) before its id, and keeps the id it has.

use super::update::{ImportError, ImportOptions};
use super::{Block, WebArticle};
use crate::model::{check_language, SourceRef};
use std::collections::{BTreeMap, BTreeSet};
use toml_edit::{value, Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

/// `issue.toml` for a new issue: the publication and the issue id, and only what the captures
/// give besides. Captures that name different sites need `--publication`.
pub fn new_issue(
    options: &ImportOptions,
    articles: &[WebArticle],
) -> Result<DocumentMut, ImportError> {
    let sites: BTreeSet<&str> = articles
        .iter()
        .filter_map(|a| a.meta.site_name.as_deref())
        .collect();
    let publication = match (&options.publication, sites.len()) {
        (Some(name), _) => name.clone(),
        (None, 1) => sites.first().expect("one site").to_string(),
        (None, 0) => {
            return Err(ImportError::Usage(format!(
                "issue `{}` is new and the captures do not name the publication: give --publication NAME",
                options.issue
            )))
        }
        (None, _) => {
            let names: Vec<&str> = sites.into_iter().collect();
            return Err(ImportError::Usage(format!(
                "issue `{}` is new and its captures name different sites ({}): say which publication the issue is with --publication NAME",
                options.issue,
                names.join(", ")
            )));
        }
    };
    let mut doc = DocumentMut::new();
    let mut publication_table = Table::new();
    publication_table["title"] = value(publication);
    doc["publication"] = Item::Table(publication_table);
    let mut issue = Table::new();
    issue["id"] = value(&options.issue);
    if let Some(language) = shared_language(articles) {
        issue["language"] = value(language);
    }
    // The printed issue every capture names (`NO. 23 JUNE 6, 2024`).
    let first = articles.first().and_then(|a| a.meta.printed.as_ref());
    let agree = articles.iter().all(|a| a.meta.printed.as_ref() == first);
    if let Some(printed) = first.filter(|_| agree) {
        issue["number"] = match printed.number.parse::<i64>() {
            Ok(number) => value(number),
            Err(_) => value(&printed.number),
        };
        if let Some(date) = printed.date {
            issue["date"] = value(date.to_string());
        }
    }
    doc["issue"] = Item::Table(issue);
    Ok(doc)
}

/// The language every article declares, when all declare one and agree: a capture that
/// declares none is never taken to be in another capture's language.
fn shared_language(articles: &[WebArticle]) -> Option<&str> {
    let mut declared = articles.iter().map(|a| a.meta.language.as_deref());
    let first = declared.next()??;
    let agree = declared.all(|l| l.is_some_and(|l| l.eq_ignore_ascii_case(first)));
    (agree && check_language(first).is_ok()).then_some(first)
}

/// The id and body of the article of the issue that `article` is a new capture of: one that
/// shares a capture (address, WARC record, or a file `same_file` says holds the same bytes:
/// another page's capture may have the same name), or else has the same id.
pub fn existing(
    doc: &DocumentMut,
    article: &WebArticle,
    same_file: &dyn Fn(&str) -> bool,
) -> Option<(String, String)> {
    let tables = doc.get("articles")?.as_array_of_tables()?;
    let text = |t: &Table, key: &str| t.get(key).and_then(|v| v.as_str()).map(str::to_string);
    let shares_capture = |t: &Table| {
        let Some(sources) = t.get("sources").and_then(|s| s.as_array()) else {
            return false;
        };
        sources.iter().filter_map(Value::as_inline_table).any(|s| {
            let field = |k: &str| s.get(k).and_then(|v| v.as_str());
            article.sources.iter().any(|mine| {
                let same_url = mine.url.is_some() && field("url") == mine.url.as_deref();
                let same_record =
                    mine.record.is_some() && field("record") == mine.record.as_deref();
                let stored = format!("sources/{}", mine.file);
                let same_file = mine.record.is_none()
                    && field("record").is_none()
                    && field("file") == Some(stored.as_str())
                    && same_file(&stored);
                same_url || same_record || same_file
            })
        })
    };
    let found = tables.iter().find(|t| shares_capture(t)).or_else(|| {
        tables
            .iter()
            .find(|t| text(t, "id").as_deref() == Some(&article.id))
    })?;
    Some((text(found, "id")?, text(found, "body")?))
}

/// The capture files (not WARC records) each article of the issue names, by the article's id.
pub fn capture_files(doc: &DocumentMut) -> BTreeMap<String, BTreeSet<String>> {
    let mut files: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let tables = doc.get("articles").and_then(Item::as_array_of_tables);
    for table in tables.into_iter().flat_map(|t| t.iter()) {
        let Some(id) = table.get("id").and_then(|v| v.as_str()) else {
            continue;
        };
        let sources = table.get("sources").and_then(|s| s.as_array());
        let named = sources
            .into_iter()
            .flat_map(|a| a.iter())
            .filter_map(Value::as_inline_table)
            .filter(|s| s.get("record").is_none())
            .filter_map(|s| s.get("file").and_then(|v| v.as_str()));
        files
            .entry(id.to_string())
            .or_default()
            .extend(named.map(str::to_string));
    }
    files
}

/// The captures the issue keeps of article `id`, each its file (under `sources/`) and the page
/// of the article it holds.
pub fn stored_pages(doc: &DocumentMut, id: &str) -> Vec<(String, Option<u32>)> {
    let tables = doc.get("articles").and_then(Item::as_array_of_tables);
    let article = tables
        .into_iter()
        .flat_map(|t| t.iter())
        .find(|t| t.get("id").and_then(|v| v.as_str()) == Some(id));
    let sources = article
        .and_then(|t| t.get("sources"))
        .and_then(|s| s.as_array());
    sources
        .into_iter()
        .flat_map(|a| a.iter())
        .filter_map(Value::as_inline_table)
        .filter_map(|s| {
            let file = s.get("file").and_then(|v| v.as_str())?;
            let page = s.get("page").and_then(|v| v.as_integer());
            Some((file.to_string(), page.and_then(|p| u32::try_from(p).ok())))
        })
        .collect()
}

/// Adds the article, or updates the one with the same id, keeping whatever else the table
/// holds. A new article joins the end of its section (or of the articles in no section), for
/// an issue's sections run unbroken; returns the warning that says so when that is not the
/// end of the issue, where it was asked for.
pub fn upsert_article(doc: &mut DocumentMut, article: &WebArticle, body: &str) -> Option<String> {
    if !doc.contains_key("articles") {
        doc["articles"] = Item::ArrayOfTables(ArrayOfTables::new());
    }
    let list = doc["articles"].as_array_of_tables_mut()?;
    let mut tables: Vec<Table> = list.iter().cloned().collect();
    let position = tables
        .iter()
        .position(|t| t.get("id").and_then(|v| v.as_str()) == Some(article.id.as_str()));
    let mut table = position.map(|i| tables[i].clone()).unwrap_or_default();
    fill(&mut table, article, body);
    let section = article.section.as_deref();
    let mut moved = None;
    match position {
        Some(i) => tables[i] = table,
        None => {
            let after = tables
                .iter()
                .rposition(|t| t.get("section").and_then(|v| v.as_str()) == section);
            match after {
                Some(i) if i + 1 < tables.len() => {
                    tables.insert(i + 1, table);
                    moved = Some(format!(
                        "article `{}` placed after the last article in {}, not after `{}`: an issue's sections run unbroken",
                        article.id,
                        section.map_or("no section".to_string(), |s| format!("section `{s}`")),
                        tables.last().and_then(|t| t.get("id")).and_then(|v| v.as_str()).unwrap_or_default()
                    ));
                }
                Some(i) => tables.insert(i + 1, table),
                None => tables.push(table),
            }
        }
    }
    list.clear();
    for table in tables {
        list.push(table);
    }
    moved
}

fn fill(table: &mut Table, article: &WebArticle, body: &str) {
    table["id"] = value(&article.id);
    table["title"] = value(&article.meta.title);
    if let Some(deck) = &article.meta.deck {
        table["deck"] = value(deck);
    }
    if !article.meta.authors.is_empty() {
        table["authors"] = value(article.meta.authors.iter().collect::<Array>());
    }
    if let Some(section) = &article.section {
        table["section"] = value(section);
    }
    if let Some(updated) = article.meta.updated {
        table["updated"] = value(updated.to_string());
    }
    if let Some(published) = article.meta.published {
        table["published"] = value(published.to_string());
    }
    if let Some(language) = article
        .meta
        .language
        .as_deref()
        .filter(|l| check_language(l).is_ok())
    {
        table["language"] = value(language);
    }
    table["body"] = value(body);
    if let Some(pages) = &article.pages {
        let mut inline = InlineTable::new();
        if let Some(page) = pages.page {
            inline.insert("page", (page as i64).into());
        }
        if let Some(count) = pages.count {
            inline.insert("count", (count as i64).into());
        }
        for (key, numbers) in [("listed", &pages.listed), ("missing", &pages.missing)] {
            if !numbers.is_empty() {
                let list: Array = numbers.iter().map(|n| *n as i64).collect();
                inline.insert(key, list.into());
            }
        }
        // A stitched article whose captures say nothing of pages records none.
        if !inline.is_empty() {
            table["pages"] = value(inline);
        }
    }
    let mut sources = Array::new();
    for source in &article.sources {
        sources.push(source_table(source));
    }
    table["sources"] = value(sources);
    let mut list = Array::new();
    for block in &article.blocks {
        if let Block::Image {
            src,
            alt,
            caption,
            credit,
            ..
        } = block
        {
            if super::markdown::is_stored(src) {
                list.push(image_table(src, alt, caption, credit));
            }
        }
    }
    if !list.is_empty() {
        table["images"] = value(list);
    }
}

/// `{ file = "assets/…", alt = "…", caption = "…", credit = "…" }`: the caption and credit
/// as plain text (the body dialect's markup read), the credit without the parentheses the
/// page prints it in (`(XINHUA)` is `XINHUA`).
fn image_table(
    file: &str,
    alt: &Option<String>,
    caption: &Option<String>,
    credit: &Option<String>,
) -> InlineTable {
    let mut inline = InlineTable::new();
    inline.insert("file", file.into());
    if let Some(alt) = alt {
        inline.insert("alt", alt.as_str().into());
    }
    for (key, text) in [("caption", caption), ("credit", credit)] {
        let plain = text.as_deref().map(|t| {
            let plain = crate::model::body::plain_text(t);
            let plain = plain.trim();
            match key {
                "credit" => unbracketed(plain).to_string(),
                _ => plain.to_string(),
            }
        });
        if let Some(plain) = plain.filter(|p| !p.is_empty()) {
            inline.insert(key, plain.as_str().into());
        }
    }
    inline
}

/// A text without the parentheses around the whole of it (`(XINHUA)`, `（新华社记者 王鹏 摄）`).
fn unbracketed(text: &str) -> &str {
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(inner) = text.strip_prefix(open).and_then(|t| t.strip_suffix(close)) {
            if !inner.contains([open, close]) {
                return inner.trim();
            }
        }
    }
    text
}

/// `{ file = "sources/…", page = 2, url = "…", … }`: only what the capture gives.
fn source_table(source: &SourceRef) -> InlineTable {
    let mut inline = InlineTable::new();
    inline.insert("file", format!("sources/{}", source.file).into());
    if let Some(page) = source.page {
        inline.insert("page", (page as i64).into());
    }
    let texts = [
        ("url", &source.url),
        ("site", &source.site),
        ("captured", &source.captured),
        ("record", &source.record),
        ("original", &source.original),
        ("original_sha256", &source.original_sha256),
    ];
    for (key, text) in texts {
        if let Some(text) = text {
            inline.insert(key, text.as_str().into());
        }
    }
    inline
}
