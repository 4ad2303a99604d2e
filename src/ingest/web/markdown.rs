//! Article blocks as CommonMark, with text kept as written: only what Markdown would
//! misread is escaped.

use super::Block;

/// The Markdown body of an article.
pub fn to_markdown(blocks: &[Block]) -> String {
    let parts: Vec<String> = blocks
        .iter()
        .map(|block| match block {
            Block::Heading { level, text } => format!(
                "{} {}",
                "#".repeat((*level).clamp(1, 6) as usize),
                escape(text)
            ),
            Block::Paragraph { text } => escape(text),
            Block::Quote { text } => text
                .lines()
                .map(|l| format!("> {}", escape(l)))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::List { ordered, items } => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    if *ordered {
                        format!("{}. {}", i + 1, escape(item))
                    } else {
                        format!("- {}", escape(item))
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Image { src, alt } => format!(
                "![{}]({})",
                escape(alt.as_deref().unwrap_or("")),
                src.replace(' ', "%20")
            ),
            Block::PageStart { page, source } => format!("<!-- page {page}: {source} -->"),
        })
        .collect();
    let mut text = parts.join("\n\n");
    text.push('\n');
    text
}

/// Escapes the characters CommonMark would take as markup, and markers at the line start.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    let starts_block = out.starts_with(['#', '>', '=', '|'])
        || out.starts_with("- ")
        || out.starts_with("+ ")
        || out.starts_with("---");
    let numbered = out.find(['.', ')']).is_some_and(|at| {
        at > 0
            && at <= 9
            && out[..at].bytes().all(|b| b.is_ascii_digit())
            && out[at + 1..].starts_with(' ')
    });
    if starts_block {
        out.insert(0, '\\');
    } else if numbered {
        let at = out.find(['.', ')']).expect("found above");
        out.insert(at, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_prose_is_kept_as_written() {
        let text =
            "China maintains that all countries should, on the basis of equality (WSIS), act.";
        assert_eq!(escape(text), text);
        assert_eq!(escape("2010. A year"), "2010\\. A year");
        assert_eq!(escape("# not a heading"), "\\# not a heading");
        assert_eq!(escape("a *b* [c]"), "a \\*b\\* \\[c\\]");
        let blocks = vec![
            Block::Heading {
                level: 2,
                text: "VI. Heading".into(),
            },
            Block::Paragraph {
                text: "One.".into(),
            },
            Block::List {
                ordered: false,
                items: vec!["a".into(), "b".into()],
            },
        ];
        assert_eq!(to_markdown(&blocks), "## VI. Heading\n\nOne.\n\n- a\n- b\n");
    }
}
