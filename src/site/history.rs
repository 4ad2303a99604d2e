//! An article's version history: each version of its issue that changed it, with the
//! metadata fields that changed and a line diff of its body (the same diff `quire diff --text`
//! prints), newest first.

use super::paths;
use super::templates::{DiffLine, HistoryItem};
use super::view::{link, when_created};
use crate::export::Edition;
use crate::model::diff::{diff_issues, text_diff, LineChange};
use crate::model::{Article, Image, Pages, SourceRef};

/// The history of article `article_id` over `editions` (every version of one issue, oldest
/// first), as the page in `from` links to each version's text of it.
pub fn article_history(
    from: &str,
    issue_id: &str,
    editions: &[(Edition, Option<String>)],
    article_id: &str,
) -> Vec<HistoryItem> {
    let prefix = format!("articles[{article_id}].");
    let mut items = Vec::new();
    let mut previous: Option<&Edition> = None;
    for (edition, message) in editions {
        let Some(body) = edition.bodies.get(article_id) else {
            continue;
        };
        let (fields, diff) = match previous {
            Some(before) => {
                let (old, new) = (find(before, article_id), find(edition, article_id));
                let fields = diff_issues(&before.issue, &edition.issue)
                    .into_iter()
                    .filter_map(|change| {
                        let field = change.field.strip_prefix(&prefix)?.to_string();
                        let before = field_lines(old, &field, change.before);
                        let after = field_lines(new, &field, change.after);
                        Some((field, before, after))
                    })
                    .collect::<Vec<_>>();
                let old = before.body(article_id);
                (fields, diff_lines(old, body))
            }
            None => (Vec::new(), Vec::new()),
        };
        if previous.is_none() || !fields.is_empty() || !diff.is_empty() {
            let number = edition.version.number;
            items.push(HistoryItem {
                label: format!("Version {number}"),
                href: link(from, &paths::article(issue_id, Some(number), article_id)),
                created: when_created(&edition.created),
                message: message.clone().unwrap_or_default(),
                fields,
                diff,
                first: previous.is_none(),
            });
        }
        previous = Some(edition);
    }
    items.reverse();
    items
}

fn find<'a>(edition: &'a Edition, article_id: &str) -> Option<&'a Article> {
    edition.issue.articles().find(|a| a.id == article_id)
}

/// A changed field's value as a reader reads it, a line each: the lists of images and
/// sources one item a line (file, then what the metadata says of it), the pages in words;
/// any other field as the diff gives it (`value`), or `(absent)`.
fn field_lines(article: Option<&Article>, field: &str, value: Option<String>) -> Vec<String> {
    let Some(value) = value else {
        return vec!["(absent)".into()];
    };
    let lines = match (article, field) {
        (Some(article), "images") => article.images.iter().map(image_line).collect(),
        (Some(article), "sources") => article.sources.iter().map(source_line).collect(),
        (Some(article), "pages") => article.pages.iter().map(pages_line).collect(),
        _ => vec![value],
    };
    match lines.is_empty() {
        true => vec!["(none)".into()],
        false => lines,
    }
}

/// `assets/x.png: The caption; credit: Photo: A. Keeper; alt text: A dredger`.
fn image_line(image: &Image) -> String {
    let parts = [
        image.caption.clone(),
        image.credit.as_ref().map(|c| format!("credit: {c}")),
        image.alt.as_ref().map(|a| format!("alt text: {a}")),
    ];
    with_details(&image.file, parts)
}

/// `sources/a.html: page 2; example.org; captured 2024-03-01T10:00:00Z; https://...`.
fn source_line(source: &SourceRef) -> String {
    let parts = [
        source.page.map(|p| format!("page {p}")),
        source.site.clone(),
        source.captured.as_ref().map(|c| format!("captured {c}")),
        source.url.clone(),
        source.record.as_ref().map(|r| format!("record {r}")),
        source.original.as_ref().map(|o| format!("from {o}")),
    ];
    with_details(&source.file, parts)
}

/// `page 2 of 3; page bar: 1, 2, 3; not captured: 3`.
fn pages_line(pages: &Pages) -> String {
    let list = |numbers: &[u32]| {
        let text: Vec<String> = numbers.iter().map(u32::to_string).collect();
        (!text.is_empty()).then(|| text.join(", "))
    };
    let parts = [
        match (pages.page, pages.count) {
            (Some(page), Some(count)) => Some(format!("page {page} of {count}")),
            (Some(page), None) => Some(format!("page {page}")),
            (None, Some(count)) => Some(format!("{count} pages")),
            (None, None) => None,
        },
        list(&pages.listed).map(|l| format!("page bar: {l}")),
        list(&pages.missing).map(|l| format!("not captured: {l}")),
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join("; ")
}

/// `name`, then the details given, after a colon and separated by semicolons.
fn with_details<const N: usize>(name: &str, details: [Option<String>; N]) -> String {
    let details: Vec<String> = details.into_iter().flatten().collect();
    match details.is_empty() {
        true => name.to_string(),
        false => format!("{name}: {}", details.join("; ")),
    }
}

/// A body's line diff as the page shows it: hunk headers, then each line with its mark.
fn diff_lines(before: &str, after: &str) -> Vec<DiffLine> {
    let mut lines = Vec::new();
    for hunk in text_diff(before, after) {
        lines.push(DiffLine {
            kind: "hunk",
            text: hunk.header,
        });
        for (change, text) in hunk.lines {
            let kind = match change {
                LineChange::Same => "same",
                LineChange::Added => "added",
                LineChange::Removed => "removed",
            };
            lines.push(DiffLine {
                kind,
                text: format!("{}{text}", change.mark()),
            });
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Issue;
    use std::collections::BTreeSet;

    #[test]
    fn changed_lists_of_images_and_sources_read_a_line_each_not_as_json() {
        let text = r#"[publication]
title = "P"
[issue]
id = "x"
title = "X"
[[articles]]
id = "a"
title = "A"
body = "articles/a.md"
pages = { page = 2, count = 3, missing = [3] }
images = [{ file = "assets/d.png", alt = "A dredger", caption = "The dredger", credit = "Photo: B" }, { file = "assets/e.png" }]
sources = [{ file = "sources/a.html", page = 2, site = "Harbour Weekly", url = "https://example.org/a" }]
"#;
        let files: BTreeSet<String> = [
            "articles/a.md",
            "assets/d.png",
            "assets/e.png",
            "sources/a.html",
        ]
        .map(String::from)
        .into();
        let issue = Issue::parse(text, "issue.toml", &files).unwrap();
        let article = issue.articles().next();
        let json = Some("[{\"alt\":\"A dredger\"}]".to_string());
        assert_eq!(
            field_lines(article, "images", json.clone()),
            [
                "assets/d.png: The dredger; credit: Photo: B; alt text: A dredger",
                "assets/e.png",
            ]
        );
        assert_eq!(
            field_lines(article, "sources", json.clone()),
            ["sources/a.html: page 2; Harbour Weekly; https://example.org/a"]
        );
        assert_eq!(
            field_lines(article, "pages", json),
            ["page 2 of 3; not captured: 3"]
        );
        assert_eq!(field_lines(article, "title", Some("A".into())), ["A"]);
        assert_eq!(field_lines(article, "images", None), ["(absent)"]);
    }
}
