//! An article's version history: each version of its issue that changed it, with the
//! metadata fields that changed and a line diff of its body (the same diff `quire diff --text`
//! prints), newest first.

use super::paths;
use super::templates::{DiffLine, HistoryItem};
use super::view::{link, when_created};
use crate::export::Edition;
use crate::model::diff::{diff_issues, text_diff, LineChange};

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
                let fields = diff_issues(&before.issue, &edition.issue)
                    .into_iter()
                    .filter_map(|change| {
                        let field = change.field.strip_prefix(&prefix)?.to_string();
                        let show = |v: Option<String>| v.unwrap_or_else(|| "(absent)".into());
                        Some((field, show(change.before), show(change.after)))
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
