//! Field-by-field differences between two versions of an issue's metadata, so that `quire
//! diff` can say "the update date of article X changed" rather than "issue.toml changed", and
//! line differences between two texts of an article's body, which `quire diff --text` prints
//! and the web edition's version history shows.

use super::Issue;
use serde::Serialize;
use serde_json::Value;

/// One metadata field that differs; `None` means the field is absent on that side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// A path such as `issue.title` or `articles[full-text].updated`.
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The metadata fields that differ between `before` and `after`, issue fields first, then
/// articles in the order of `after` (removed articles last).
pub fn diff_issues(before: &Issue, after: &Issue) -> Vec<FieldChange> {
    let (old, new) = (flatten(before), flatten(after));
    let mut changes = Vec::new();
    for (field, value) in &new {
        let previous = old.iter().find(|(f, _)| f == field).map(|(_, v)| v);
        if previous != Some(value) {
            changes.push(FieldChange {
                field: field.clone(),
                before: previous.cloned(),
                after: Some(value.clone()),
            });
        }
    }
    for (field, value) in &old {
        if !new.iter().any(|(f, _)| f == field) {
            changes.push(FieldChange {
                field: field.clone(),
                before: Some(value.clone()),
                after: None,
            });
        }
    }
    changes
}

/// The issue as an ordered list of `field → value` pairs.
fn flatten(issue: &Issue) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    push_fields(
        &mut fields,
        "publication",
        to_value(&issue.publication),
        &[],
    );
    push_fields(
        &mut fields,
        "issue",
        to_value(issue),
        &["publication", "sections"],
    );
    let order: Vec<&str> = issue.articles().map(|a| a.id.as_str()).collect();
    fields.push(("issue.article_order".into(), order.join(", ")));
    for article in issue.articles() {
        push_fields(
            &mut fields,
            &format!("articles[{}]", article.id),
            to_value(article),
            &["id"],
        );
    }
    fields
}

fn push_fields(fields: &mut Vec<(String, String)>, prefix: &str, value: Value, skip: &[&str]) {
    if let Value::Object(map) = value {
        for (key, value) in map {
            if !skip.contains(&key.as_str()) {
                fields.push((format!("{prefix}.{key}"), render(&value)));
            }
        }
    }
}

fn to_value<T: Serialize>(part: &T) -> Value {
    serde_json::to_value(part).expect("model types serialize")
}

fn render(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// How a line of a text diff stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineChange {
    Same,
    Removed,
    Added,
}

impl LineChange {
    /// The unified diff's mark: a space, `-` or `+`.
    pub fn mark(self) -> char {
        match self {
            LineChange::Same => ' ',
            LineChange::Removed => '-',
            LineChange::Added => '+',
        }
    }
}

/// One run of changed lines with up to three lines of context around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hunk {
    /// `@@ -a,b +c,d @@`, as a unified diff writes it.
    pub header: String,
    /// Each line without its line ending.
    pub lines: Vec<(LineChange, String)>,
}

/// The line differences between two texts, as hunks of a unified diff (empty when the texts
/// are the same).
pub fn text_diff(before: &str, after: &str) -> Vec<Hunk> {
    let diff = similar::TextDiff::from_lines(before, after);
    let mut unified = diff.unified_diff();
    unified.context_radius(3);
    unified
        .iter_hunks()
        .map(|hunk| Hunk {
            header: hunk.header().to_string(),
            lines: hunk
                .iter_changes()
                .map(|change| {
                    let kind = match change.tag() {
                        similar::ChangeTag::Equal => LineChange::Same,
                        similar::ChangeTag::Delete => LineChange::Removed,
                        similar::ChangeTag::Insert => LineChange::Added,
                    };
                    let text = change.value().trim_end_matches(['\n', '\r']);
                    (kind, text.to_string())
                })
                .collect(),
        })
        .collect()
}

/// A unified diff of two texts: `--- before_name`, `+++ after_name`, then the hunks (nothing
/// when the texts are the same).
pub fn unified_diff(before: &str, after: &str, before_name: &str, after_name: &str) -> String {
    let hunks = text_diff(before, after);
    if hunks.is_empty() {
        return String::new();
    }
    let mut out = format!("--- {before_name}\n+++ {after_name}\n");
    for hunk in hunks {
        out.push_str(&hunk.header);
        out.push('\n');
        for (change, line) in hunk.lines {
            out.push(change.mark());
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The line diff of one article's body between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BodyDiff {
    pub article: String,
    /// The body's path before and after (`None` where the article is absent).
    pub before: Option<String>,
    pub after: Option<String>,
    /// The unified diff, `---`/`+++` lines first.
    pub diff: String,
}

/// The line diff of each article body that differs between `before` and `after`, given each
/// version's bodies by article id; articles in `after`'s order, then those removed.
/// `labels` name the two versions in the diff's headers (`v1`, `v2`).
pub fn body_diffs(
    (before, before_bodies): (&Issue, &std::collections::BTreeMap<String, String>),
    (after, after_bodies): (&Issue, &std::collections::BTreeMap<String, String>),
    labels: (&str, &str),
) -> Vec<BodyDiff> {
    let mut ids: Vec<&str> = after.articles().map(|a| a.id.as_str()).collect();
    ids.extend(
        before
            .articles()
            .map(|a| a.id.as_str())
            .filter(|id| !after.articles().any(|a| a.id == *id)),
    );
    let path = |issue: &Issue, id: &str| {
        issue
            .articles()
            .find(|a| a.id == id)
            .map(|a| a.body.clone())
    };
    ids.into_iter()
        .filter_map(|id| {
            let old = before_bodies.get(id).map_or("", String::as_str);
            let new = after_bodies.get(id).map_or("", String::as_str);
            let (from, to) = (path(before, id), path(after, id));
            let name = |p: &Option<String>, label: &str| match p {
                Some(p) => format!("{p} ({label})"),
                None => format!("/dev/null ({label})"),
            };
            let diff = unified_diff(old, new, &name(&from, labels.0), &name(&to, labels.1));
            (!diff.is_empty()).then(|| BodyDiff {
                article: id.to_string(),
                before: from,
                after: to,
                diff,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn issue(extra: &str, updated: &str) -> Issue {
        let text = format!(
            "[publication]\ntitle = \"P\"\n[issue]\nid = \"i1\"\n{extra}\n[[articles]]\nid = \"a\"\ntitle = \"A\"\nupdated = \"{updated}\"\nbody = \"articles/a.md\"\n"
        );
        Issue::parse(
            &text,
            "issue.toml",
            &BTreeSet::from(["articles/a.md".to_string()]),
        )
        .unwrap()
    }

    #[test]
    fn reports_changed_fields_only() {
        let changes = diff_issues(
            &issue("", "2010-06-09"),
            &issue("title = \"T\"", "2010-06-10"),
        );
        assert_eq!(
            changes,
            vec![
                FieldChange {
                    field: "issue.title".into(),
                    before: None,
                    after: Some("T".into())
                },
                FieldChange {
                    field: "articles[a].updated".into(),
                    before: Some("2010-06-09".into()),
                    after: Some("2010-06-10".into())
                },
            ]
        );
        assert!(diff_issues(&issue("", "2010-06-09"), &issue("", "2010-06-09")).is_empty());
    }

    #[test]
    fn a_text_diff_gives_hunks_with_context_and_marks() {
        let before = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n";
        let after = "one\ntwo\nthree\nFOUR\nfive\nsix\nseven\neight\nnine\n";
        let hunks = text_diff(before, after);
        assert_eq!(hunks.len(), 1, "{hunks:?}");
        assert_eq!(hunks[0].header, "@@ -1,8 +1,9 @@");
        let marked: Vec<String> = hunks[0]
            .lines
            .iter()
            .map(|(c, l)| format!("{}{l}", c.mark()))
            .collect();
        assert_eq!(
            marked,
            [
                " one", " two", " three", "-four", "+FOUR", " five", " six", " seven", " eight",
                "+nine"
            ]
        );
        assert!(text_diff(before, before).is_empty());
        assert_eq!(unified_diff(before, before, "a", "b"), "");
        let text = unified_diff("a\n", "b\n", "x (v1)", "x (v2)");
        assert_eq!(text, "--- x (v1)\n+++ x (v2)\n@@ -1 +1 @@\n-a\n+b\n");
    }
}
