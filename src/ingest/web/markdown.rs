//! Article blocks in the body dialect ([`crate::model::body`]), with text kept as written:
//! only what the dialect would misread is escaped.

use super::Block;

/// The Markdown body of an article.
pub fn to_markdown(blocks: &[Block]) -> String {
    let mut text = blocks_markdown(blocks);
    text.push('\n');
    text
}

/// Blocks joined as Markdown, without the final newline (for nesting in quotes and lists).
pub fn blocks_markdown(blocks: &[Block]) -> String {
    let parts: Vec<String> = blocks.iter().map(block_markdown).collect();
    parts.join("\n\n")
}

fn block_markdown(block: &Block) -> String {
    match block {
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
        Block::Image {
            src,
            alt,
            caption,
            credit,
            ..
        } => {
            let image = format!(
                "![{}]({})",
                escape(alt.as_deref().unwrap_or("")),
                link_target(src)
            );
            // A stored image's caption and credit are the metadata of it.
            let shown: Vec<&str> = [caption, credit]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .filter(|_| !is_stored(src))
                .collect();
            if shown.is_empty() {
                image
            } else {
                format!("{image}\n\n{}", shown.join(" "))
            }
        }
        Block::Markdown { text } => text.clone(),
        Block::PageStart { page, source } => format!("<!-- page {page}: {source} -->"),
    }
}

/// An image stored beside the article (an asset), whose metadata the issue keeps.
pub fn is_stored(src: &str) -> bool {
    src.starts_with("assets/")
}

/// A fenced code block around `code`, its fence longer than any run of backticks inside.
pub fn fenced(code: &str, language: &str) -> String {
    let (mut longest, mut run) = (0, 0);
    for c in code.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{language}\n{code}\n{fence}")
}

/// A link target as Markdown reads it: spaces, parentheses and angle brackets
/// percent-encoded.
pub fn link_target(target: &str) -> String {
    crate::model::body::replace_chars(target, |c| match c {
        ' ' => Some("%20"),
        '(' => Some("%28"),
        ')' => Some("%29"),
        '<' => Some("%3C"),
        '>' => Some("%3E"),
        c if c.is_whitespace() || c.is_control() => Some(""),
        _ => None,
    })
}

/// Escapes the characters the dialect would take as markup (emphasis, code, links, HTML,
/// strikethrough, sub- and superscript, maths, table cells, entities), and block markers at the
/// start of each line.
pub fn escape(text: &str) -> String {
    text.split('\n')
        .map(escape_line)
        .collect::<Vec<_>>()
        .join("\n")
}

fn escape_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let entity = c == '&' && {
            let rest: String = chars[i + 1..].iter().take(33).collect();
            rest.find(';').is_some_and(|end| {
                end > 0
                    && rest[..end]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '#')
            })
        };
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '~' | '^' | '$' | '|'
        ) || entity
        {
            out.push('\\');
        }
        out.push(c);
    }
    let starts_block = out.starts_with(['#', '>', '=', ':'])
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
    use crate::model::body::{self, plain_text};
    use pulldown_cmark::Event;

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

    #[test]
    fn what_the_extensions_would_read_as_markup_is_escaped() {
        for text in [
            "costs $5 and $6",
            "H~2~O and x^2^",
            "a | b | c",
            "AT&T and &amp; and &#169;",
            ": not a definition",
            "first\n# second line",
        ] {
            let escaped = escape(text);
            assert_eq!(plain_text(&escaped), text.replace('\n', " "), "{escaped}");
            let markup = body::parser(&escaped).any(|e| {
                !matches!(
                    e,
                    Event::Text(_)
                        | Event::SoftBreak
                        | Event::Start(pulldown_cmark::Tag::Paragraph)
                        | Event::End(pulldown_cmark::TagEnd::Paragraph)
                )
            });
            assert!(!markup, "{escaped} reads as markup");
        }
    }
}
