//! Field-by-field differences between two versions of an issue's metadata, so that `quire
//! diff` can say "the update date of article X changed" rather than "issue.toml changed".

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
}
