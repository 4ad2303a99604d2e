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

/// Every table of the page that sets code beside its line numbers, made a code block.
pub fn make_code_blocks(document: &Document) {
    for table in document.select("table").nodes() {
        if let Some(code) = code_of(table) {
            table.replace_with_html(code);
        }
    }
}

fn has_class(node: &NodeRef, classes: &[&str]) -> bool {
    node.attr("class")
        .is_some_and(|c| c.split_whitespace().any(|w| classes.contains(&w)))
}

/// The code block a table of line numbers and code shows, as markup: one `pre` the code cell
/// holds, or the rows' lines joined; `None` for any other table.
fn code_of(table: &NodeRef) -> Option<String> {
    let rows = table_rows(table);
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
        let pre = code.descendants().into_iter().find(|d| d.has_name("pre"));
        match pre {
            Some(pre) if rows.len() == 1 => single = Some(pre.text().to_string()),
            _ => lines.push(code.text().trim_end_matches(['\n', '\r']).to_string()),
        }
    }
    let language = std::iter::once(*table)
        .chain(table.ancestors_it(Some(3)))
        .find_map(|node| code_language(&node))
        .map(|lang| format!(" class=\"language-{}\"", escape(&lang)))
        .unwrap_or_default();
    match single {
        Some(text) => Some(format!(
            "<pre><code{language}>{}</code></pre>",
            escape(&text)
        )),
        None if !lines.is_empty() => Some(format!(
            "<pre><code{language}>{}</code></pre>",
            escape(&lines.join("\n"))
        )),
        None => None,
    }
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
        for table in [
            "<table><tr><td class=\"linenos\">Total</td><td class=\"code\">12</td></tr></table>",
            "<table><tr><td>1</td><td>one</td></tr></table>",
        ] {
            assert!(made(table).contains("<table>"), "{table}");
        }
    }
}
