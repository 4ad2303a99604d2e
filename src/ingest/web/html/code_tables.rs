//! Code set in a table: Pygments and Rouge put the line numbers in one cell and the code's
//! `pre` in the next; GitHub's gists and highlight.js's line-number plugin set each line in a
//! row of its own, its number beside it. Read as a table, the code loses its indentation and
//! its lines their numbers' places, and the numbers are no part of the code: each such table
//! becomes the code block it shows, before readability reads the page.

use super::convert::{code_language, table_rows};
use crate::model::body::xhtml::escape;
use dom_query::{Document, NodeRef};

/// Classes of the cell that holds a line's (or every line's) number.
const NUMBER_CELLS: [&str; 5] = [
    "linenos",
    "gutter",
    "rouge-gutter",
    "blob-num",
    "hljs-ln-numbers",
];

/// Classes of the cell that holds the code.
const CODE_CELLS: [&str; 4] = ["code", "rouge-code", "blob-code", "hljs-ln-code"];

/// Every table of the page that sets code beside its line numbers, made a code block; a gist's
/// line of links under each file (`view raw`, the file, `hosted with ❤ by GitHub`) made the
/// file's name.
pub fn make_code_blocks(document: &Document) {
    for meta in document.select(".gist-meta").nodes() {
        let file = meta
            .descendants_it()
            .find(|d| d.attr("href").is_some_and(|h| h.contains("#file-")))
            .map(|a| a.text().trim().to_string())
            .filter(|f| !f.is_empty());
        match file {
            Some(file) => meta.replace_with_html(file_line(&file)),
            None => meta.remove_from_parent(),
        }
    }
    for table in document.select("table").nodes() {
        if let Some(code) = code_of(table) {
            table.replace_with_html(code);
        }
    }
}

fn has_class(node: &NodeRef, classes: &[&str]) -> bool {
    classes.iter().any(|class| node.has_class(class))
}

/// The line that names a code block's file, as the page shows it beside the code.
fn file_line(file: &str) -> String {
    format!("<p><code>{}</code></p>", escape(file))
}

/// The code block a table of line numbers and code shows, as markup: one `pre` the code cell
/// holds, or the rows' lines joined; `None` for any other table.
fn code_of(table: &NodeRef) -> Option<String> {
    let mut rows = table_rows(table);
    // Pygments's first row may name the file: the code's caption, before it.
    let file = rows.first().and_then(file_name);
    if file.is_some() {
        rows.remove(0);
    }
    let mut lines = Vec::new();
    let mut single = None;
    for row in &rows {
        let cells = row.element_children();
        let [number, code] = cells.as_slice() else {
            return None;
        };
        let numbers_only = number
            .text()
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace());
        if !has_class(number, &NUMBER_CELLS) || !has_class(code, &CODE_CELLS) || !numbers_only {
            return None;
        }
        let descendants = code.descendants();
        let pre = descendants.iter().find(|d| d.has_name("pre"));
        // SyntaxHighlighter sets each line in a `div.line` of its own.
        let divs: Vec<&NodeRef> = descendants
            .iter()
            .filter(|d| d.has_name("div") && has_class(d, &["line"]))
            .collect();
        match pre {
            Some(pre) if rows.len() == 1 => single = Some(pre.text().to_string()),
            _ if !divs.is_empty() => lines.extend(divs.iter().map(|d| d.text().to_string())),
            _ => lines.push(code.text().trim_end_matches(['\n', '\r']).to_string()),
        }
    }
    let language = std::iter::once(*table)
        .chain(table.ancestors_it(Some(4)))
        .find_map(|node| code_language(&node).or_else(|| named_language(&node)))
        .map(|lang| format!(" class=\"language-{}\"", escape(&lang)))
        .unwrap_or_default();
    let text = match single {
        Some(text) => text,
        None if !lines.is_empty() => lines.join("\n"),
        None => return None,
    };
    // A no-break space indents code as a space does.
    let text = text.replace('\u{a0}', " ");
    Some(format!(
        "{}<pre><code{language}>{}</code></pre>",
        file.as_deref().map(file_line).unwrap_or_default(),
        escape(&text)
    ))
}

/// The file a Pygments table names in its first row (`th.filename`).
fn file_name(row: &NodeRef) -> Option<String> {
    let cells = row.element_children();
    let [cell] = cells.as_slice() else {
        return None;
    };
    let name = cell.text().trim().to_string();
    (has_class(cell, &["filename"]) && !name.is_empty()).then_some(name)
}

/// The language a highlighter's wrapper names in its own way: SyntaxHighlighter's
/// `syntaxhighlighter js`, a gist's `type-python`.
fn named_language(node: &NodeRef) -> Option<String> {
    let class = node.attr("class")?;
    let words: Vec<&str> = class.split_whitespace().collect();
    if let Some(lang) = words.iter().find_map(|w| w.strip_prefix("type-")) {
        return Some(lang.to_ascii_lowercase());
    }
    let highlighter = words.contains(&"syntaxhighlighter");
    let other = words.iter().find(|w| **w != "syntaxhighlighter");
    highlighter
        .then(|| other.map(|w| w.to_ascii_lowercase()))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn made(html: &str) -> String {
        let document = Document::from(format!("<body>{html}</body>"));
        make_code_blocks(&document);
        document.select("body").inner_html().to_string()
    }

    #[test]
    fn pygments_numbered_code_is_its_code_block_with_its_indentation_and_language() {
        let html = made(
            "<div class=\"highlight-python\"><table class=\"highlighttable\"><tr>\
             <td class=\"linenos\"><div class=\"linenodiv\"><pre>1\n2</pre></div></td>\
             <td class=\"code\"><div class=\"highlight\"><pre><span class=\"k\">def</span> f():\n\
             \u{20}   <span class=\"k\">return</span> a &lt; b</pre></div></td></tr></table></div>",
        );
        assert_eq!(
            html,
            "<div class=\"highlight-python\"><pre><code class=\"language-python\">def f():\n    \
             return a &lt; b</code></pre></div>"
        );
    }

    #[test]
    fn a_gist_s_rows_of_numbered_lines_are_one_code_block_and_other_tables_stay() {
        let gist = made(
            "<table class=\"highlight\"><tr><td class=\"blob-num\" data-line-number=\"1\"></td>\
             <td class=\"blob-code blob-code-inner\">if x:</td></tr><tr><td class=\"blob-num\">\
             </td><td class=\"blob-code blob-code-inner\">    go()</td></tr></table>",
        );
        assert_eq!(gist, "<pre><code>if x:\n    go()</code></pre>");
        let named = made(
            "<div class=\"gist-file\"><div class=\"blob-wrapper data type-python\"><table>\
             <tr><td class=\"blob-num\"></td><td class=\"blob-code\">x = 1</td></tr></table>\
             </div><div class=\"gist-meta\"><a href=\"/raw/app.py\">view raw</a>\
             <a href=\"https://gist.github.com/u/1#file-app-py\">app.py</a> hosted with ❤ by \
             <a href=\"https://github.com\">GitHub</a></div></div>",
        );
        assert!(
            named.contains("<pre><code class=\"language-python\">x = 1</code></pre>"),
            "{named}"
        );
        assert!(named.contains("<p><code>app.py</code></p>"), "{named}");
        assert!(!named.contains("hosted"), "{named}");
        let highlighter = made(
            "<div class=\"syntaxhighlighter  js\"><table><tr><td class=\"gutter\"><div \
             class=\"line\">1</div><div class=\"line\">2</div></td><td class=\"code\"><div \
             class=\"container\"><div class=\"line\"><code>if (x) {</code></div><div \
             class=\"line\"><code>&nbsp;&nbsp;go();</code></div></div></td></tr></table></div>",
        );
        assert!(
            highlighter.contains("<pre><code class=\"language-js\">if (x) {\n  go();</code></pre>"),
            "{highlighter}"
        );
        let filed = made(
            "<table class=\"highlighttable\"><tr><th colspan=\"2\" class=\"filename\">\
             <span class=\"filename\">retry.py</span></th></tr><tr><td class=\"linenos\">\
             <pre>1</pre></td><td class=\"code\"><pre>go()</pre></td></tr></table>",
        );
        assert_eq!(
            filed,
            "<p><code>retry.py</code></p><pre><code>go()</code></pre>"
        );
        for table in [
            "<table><tr><td class=\"linenos\">Total</td><td class=\"code\">12</td></tr></table>",
            "<table><tr><td>1</td><td>one</td></tr></table>",
        ] {
            assert!(made(table).contains("<table>"), "{table}");
        }
    }
}
