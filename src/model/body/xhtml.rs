//! HTML in a body, made well-formed XHTML of a known set of elements: tables, lists, inline
//! markup, pull quotes and MathML are kept; presentation-only wrappers are unwrapped (their
//! text kept); embedded media, scripts and forms are dropped, and counted in words so that the
//! caller can say what was lost. Images are dropped too, unless the caller carries them (the
//! EPUB): it then writes what stands for each `img`, and figures keep their captions. Text is escaped, empty elements are closed (`<br/>`), and a
//! newline in preformatted text is written as `&#10;`, so the result never holds a blank line
//! (a blank line would end a Markdown HTML block).

use dom_query::{Document, NodeRef};

/// The MathML namespace, declared on every `math` element written.
pub const MATHML: &str = "http://www.w3.org/1998/Math/MathML";

/// HTML elements kept, with the attributes each may carry (besides `lang`, `dir`, `title`).
const ELEMENTS: &[(&str, &[&str])] = &[
    ("table", &[]),
    ("caption", &[]),
    ("colgroup", &["span"]),
    ("col", &["span"]),
    ("thead", &[]),
    ("tbody", &[]),
    ("tfoot", &[]),
    ("tr", &[]),
    ("th", &["colspan", "rowspan", "scope", "headers"]),
    ("td", &["colspan", "rowspan", "headers"]),
    ("p", &[]),
    ("ul", &[]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("dl", &[]),
    ("dt", &[]),
    ("dd", &[]),
    ("pre", &[]),
    ("blockquote", &[]),
    ("a", &["href"]),
    ("em", &[]),
    ("strong", &[]),
    ("b", &[]),
    ("i", &[]),
    ("u", &[]),
    ("s", &[]),
    ("del", &[]),
    ("ins", &[]),
    ("code", &[]),
    ("kbd", &[]),
    ("samp", &[]),
    ("var", &[]),
    ("sub", &[]),
    ("sup", &[]),
    ("br", &[]),
    ("small", &[]),
    ("abbr", &[]),
    ("cite", &[]),
    ("q", &[]),
    ("mark", &[]),
    ("time", &["datetime"]),
    ("dfn", &[]),
    ("span", &[]),
];

/// A pull quote (`<aside class="pullquote">`) is kept with that class alone; another `aside`
/// is a wrapper like `div`.
const PULL_QUOTE: (&str, &[&str]) = ("aside", &["class"]);

/// A figure and its caption, kept (without attributes) by an output that carries images.
const FIGURE: [(&str, &[&str]); 2] = [("figure", &[]), ("figcaption", &[])];

/// Elements written as empty (`<br/>`).
const VOID: [&str; 3] = ["br", "col", "wbr"];

/// Elements dropped with everything in them: what a book or an archive cannot carry.
const DROPPED: [&str; 18] = [
    "script", "style", "template", "noscript", "iframe", "frame", "object", "embed", "video",
    "audio", "canvas", "svg", "form", "input", "select", "textarea", "button", "img",
];

/// What cleaning made, and what it left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub xhtml: String,
    /// Each element dropped (`video`, `img`…) with the number of words it held.
    pub dropped: Vec<(String, usize)>,
}

/// An `img` of the HTML, as written: what an output that carries images is given to write in
/// its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HtmlImage<'a> {
    pub src: &'a str,
    pub alt: Option<&'a str>,
    pub title: Option<&'a str>,
    /// Whether it stands in a `figure`, whose own `figcaption` captions it.
    pub in_figure: bool,
}

/// What becomes of a link's target (the target to keep, or `None` for its text only).
type Link<'a> = &'a dyn Fn(&str) -> Option<String>;

/// What becomes of an `img`: the XHTML written in its place.
pub type WriteImage<'a> = &'a dyn Fn(&HtmlImage) -> String;

/// What a cleaning does with links and images.
#[derive(Clone, Copy)]
struct Policy<'a> {
    link: Link<'a>,
    /// `None`: images are dropped (and counted), figures unwrapped.
    image: Option<WriteImage<'a>>,
}

/// Cleans an HTML fragment. `link` decides what becomes of each `href`: the target to keep,
/// or `None` to keep the link's text only.
pub fn clean_fragment(html: &str, link: Link) -> Cleaned {
    clean_with(html, Policy { link, image: None })
}

/// [`clean_fragment`] for an output that carries images: `image` writes what stands for each
/// `img`, and figures are kept with their captions.
pub fn clean_fragment_with_images(html: &str, link: Link, image: WriteImage) -> Cleaned {
    let policy = Policy {
        link,
        image: Some(image),
    };
    clean_with(html, policy)
}

fn clean_with(html: &str, policy: Policy) -> Cleaned {
    let document = Document::fragment(html);
    let mut cleaned = Cleaned::default();
    for root in document.root().children() {
        write_node(&root, policy, &mut cleaned, false);
    }
    cleaned
}

/// Cleans one element of a parsed page, the element itself included.
pub fn clean_node(node: &NodeRef, link: Link) -> Cleaned {
    let mut cleaned = Cleaned::default();
    write_node(node, Policy { link, image: None }, &mut cleaned, false);
    cleaned
}

/// [`clean_node`] for an output that carries images: `image` writes what stands for each
/// `img`.
pub fn clean_node_with_images(node: &NodeRef, link: Link, image: WriteImage) -> Cleaned {
    let mut cleaned = Cleaned::default();
    let policy = Policy {
        link,
        image: Some(image),
    };
    write_node(node, policy, &mut cleaned, false);
    cleaned
}

/// The number of words in a text.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Text escaped for XHTML content or a double-quoted attribute.
pub fn escape(text: &str) -> String {
    super::replace_chars(text, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => Some(""),
        _ => None,
    })
}

/// An element's name in lower case (empty for what is not an element).
pub fn local_name(node: &NodeRef) -> String {
    node.qual_name_ref()
        .map(|q| q.local.to_string().to_ascii_lowercase())
        .unwrap_or_default()
}

fn is_mathml(node: &NodeRef) -> bool {
    node.qual_name_ref().is_some_and(|q| &*q.ns == MATHML)
}

fn write_node(node: &NodeRef, policy: Policy, out: &mut Cleaned, in_pre: bool) {
    if node.is_text() {
        let text = escape(&node.text());
        if in_pre {
            out.xhtml
                .push_str(&text.replace("\r\n", "\n").replace('\n', "&#10;"));
        } else if !(text.trim().is_empty() && holds_no_text(node)) {
            // Whitespace collapsed to one space, so that no blank line can appear.
            for c in text.chars() {
                if !c.is_whitespace() {
                    out.xhtml.push(c);
                } else if !out.xhtml.ends_with([' ', '\n']) {
                    out.xhtml.push(' ');
                }
            }
        }
        return;
    }
    if !node.is_element() {
        if node.is_fragment() || node.is_document() {
            for child in node.children() {
                write_node(&child, policy, out, in_pre);
            }
        }
        return;
    }
    let name = local_name(node);
    if let (Some(image), "img") = (policy.image, name.as_str()) {
        write_image(node, image, out);
        return;
    }
    if is_mathml(node) {
        write_mathml(node, out, name == "math");
        return;
    }
    if DROPPED.contains(&name.as_str()) {
        let words = word_count(&node.text());
        if !matches!(name.as_str(), "script" | "style" | "template") {
            out.dropped.push((name, words));
        }
        return;
    }
    let figure = policy.image.is_some() && FIGURE.iter().any(|(n, _)| *n == name);
    let allowed = (ELEMENTS.iter().find(|(n, _)| *n == name))
        .or_else(|| (name == "aside" && node.has_class("pullquote")).then_some(&PULL_QUOTE))
        .or_else(|| figure.then_some(&FIGURE[0]));
    let href = (name == "a")
        .then(|| node.attr("href").and_then(|h| (policy.link)(h.trim())))
        .flatten();
    let Some((_, attributes)) = allowed.filter(|_| name != "a" || href.is_some()) else {
        // Unknown wrappers (div, font, section…) and links with no target: the content only.
        for child in node.children() {
            write_node(&child, policy, out, in_pre);
        }
        return;
    };
    out.xhtml.push('<');
    out.xhtml.push_str(&name);
    for attribute in ["lang", "dir", "title"].iter().chain(attributes.iter()) {
        let value = if *attribute == "href" {
            href.clone()
        } else if *attribute == "class" {
            Some("pullquote".to_string())
        } else {
            node.attr(attribute).map(|v| v.to_string())
        };
        if let Some(value) = value {
            out.xhtml
                .push_str(&format!(" {attribute}=\"{}\"", escape(value.trim())));
        }
    }
    if let Some(align) = cell_alignment(node).filter(|_| matches!(name.as_str(), "th" | "td")) {
        out.xhtml
            .push_str(&format!(" style=\"text-align: {align}\""));
    }
    if VOID.contains(&name.as_str()) {
        out.xhtml.push_str("/>");
        return;
    }
    out.xhtml.push('>');
    if name == "table" {
        out.xhtml.push('\n');
    }
    for child in node.children() {
        write_node(&child, policy, out, in_pre || name == "pre");
    }
    out.xhtml.push_str(&format!("</{name}>"));
    if matches!(
        name.as_str(),
        "tr" | "caption" | "thead" | "tbody" | "tfoot" | "colgroup" | "li" | "dd" | "p"
    ) {
        out.xhtml.push('\n');
    }
}

/// The attribute in which an import keeps a table cell's alignment where the page's own
/// (`align`, a style, a class) would not survive readability.
pub const ALIGN: &str = "data-quire-align";

/// A table cell's alignment: its `text-align` style, or the one an import kept in [`ALIGN`]
/// (`left`, `center` or `right`; the rest is the reader's default).
pub fn cell_alignment(cell: &NodeRef) -> Option<&'static str> {
    let style = cell
        .attr("style")
        .map(|s| s.to_ascii_lowercase().replace(' ', ""))
        .unwrap_or_default();
    let kept = cell.attr(ALIGN).map(|a| a.trim().to_ascii_lowercase());
    ["left", "center", "right"]
        .into_iter()
        .find(|a| kept.as_deref() == Some(*a) || style.contains(&format!("text-align:{a}")))
}

/// Writes what `image` gives for the `img` element `node`.
fn write_image(node: &NodeRef, image: WriteImage, out: &mut Cleaned) {
    let (src, alt, title) = (node.attr("src"), node.attr("alt"), node.attr("title"));
    let found = HtmlImage {
        src: src.as_deref().unwrap_or_default(),
        alt: alt.as_deref(),
        title: title.as_deref(),
        in_figure: (node.ancestors(None).iter()).any(|a| local_name(a) == "figure"),
    };
    out.xhtml.push_str(&image(&found));
}

/// True for whitespace between the parts of a table or list, where text has no place.
fn holds_no_text(text: &NodeRef) -> bool {
    text.parent().is_some_and(|p| {
        matches!(
            local_name(&p).as_str(),
            "table" | "thead" | "tbody" | "tfoot" | "tr" | "colgroup" | "ul" | "ol" | "dl"
        )
    })
}

/// A MathML element with its subtree: every element kept (MathML has no scripts), attributes
/// but event handlers and styles kept.
fn write_mathml(node: &NodeRef, out: &mut Cleaned, root: bool) {
    let name = node
        .qual_name_ref()
        .map(|q| q.local.to_string())
        .unwrap_or_default();
    out.xhtml.push('<');
    out.xhtml.push_str(&name);
    if root {
        out.xhtml.push_str(&format!(" xmlns=\"{MATHML}\""));
    }
    for attribute in node.attrs() {
        let key = attribute.name.local.to_string();
        let plain = key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if plain
            && !key.starts_with("on")
            && !matches!(key.as_str(), "style" | "xmlns" | "class" | "id")
        {
            out.xhtml
                .push_str(&format!(" {key}=\"{}\"", escape(&attribute.value)));
        }
    }
    let children = node.children();
    if children.is_empty() {
        out.xhtml.push_str("/>");
        return;
    }
    out.xhtml.push('>');
    for child in children {
        if child.is_text() {
            let text = escape(&child.text());
            out.xhtml
                .push_str(&text.split_whitespace().collect::<Vec<_>>().join(" "));
        } else if child.is_element() {
            write_mathml(&child, out, false);
        }
    }
    out.xhtml.push_str(&format!("</{name}>"));
}

/// Elements [`clean_fragment`] may write that cannot stand inside a paragraph.
const BLOCKS: [&str; 9] = [
    "table",
    "ul",
    "ol",
    "dl",
    "pre",
    "blockquote",
    "p",
    "aside",
    "figure",
];

/// Cleaned XHTML cut, in order, into its runs of inline content (`false`) and the elements
/// that cannot stand inside a paragraph (`true`), so that a paragraph can be closed before
/// each and reopened after it, as a browser parses them. A block inside inline elements
/// (`<em>a <ul>…</ul> b</em>`) ends them as well: they are closed before it and reopened
/// (without their ids) after it.
pub fn split_blocks(xhtml: &str) -> Vec<(bool, String)> {
    let mut parts = Vec::new();
    let mut inline = String::new();
    // The inline elements open outside any block: their names and start tags.
    let mut open: Vec<(String, String)> = Vec::new();
    // Inside a block: where it starts, and how deep inside it the scan is.
    let mut block: Option<(usize, usize)> = None;
    let mut at = 0;
    while let Some(offset) = xhtml[at..].find('<') {
        let start = at + offset;
        if block.is_none() {
            inline.push_str(&xhtml[at..start]);
        }
        let end = xhtml[start..]
            .find('>')
            .map_or(xhtml.len(), |e| start + e + 1);
        at = end;
        let tag = &xhtml[start..end];
        let inner = tag.trim_start_matches('<').trim_end_matches('>');
        let (closing, empty) = (inner.starts_with('/'), inner.ends_with('/'));
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-'))
            .collect();
        if let Some((from, depth)) = &mut block {
            match (closing, empty) {
                (true, _) => *depth -= 1,
                (false, false) => *depth += 1,
                _ => {}
            }
            if *depth == 0 {
                parts.push((true, xhtml[*from..end].to_string()));
                block = None;
            }
        } else if closing {
            let reopened = open.pop().map(|(_, start)| without_id(&start));
            match reopened.filter(|start| inline.ends_with(start.as_str())) {
                // Reopened after a block, and nothing in it since: not written at all.
                Some(start) => inline.truncate(inline.len() - start.len()),
                None => inline.push_str(tag),
            }
        } else if !empty && BLOCKS.contains(&name.as_str()) {
            for (name, _) in open.iter().rev() {
                inline.push_str(&format!("</{name}>"));
            }
            parts.push((false, std::mem::take(&mut inline)));
            inline = open.iter().map(|(_, start)| without_id(start)).collect();
            block = Some((start, 1));
        } else {
            if !empty {
                open.push((name, tag.to_string()));
            }
            inline.push_str(tag);
        }
    }
    match block {
        Some((from, _)) => parts.push((true, xhtml[from..].to_string())),
        None => inline.push_str(&xhtml[at..]),
    }
    parts.push((false, inline));
    parts.retain(|(_, part)| !part.is_empty());
    parts
}

/// The text of well-formed XHTML, its tags left out (entities stay escaped), a space where
/// an element ended so that the words of two list items do not run together.
pub fn text_of(xhtml: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in xhtml.chars() {
        match (c, in_tag) {
            ('<', _) => in_tag = true,
            ('>', true) => {
                in_tag = false;
                if !text.ends_with(' ') && !text.is_empty() {
                    text.push(' ');
                }
            }
            (_, false) => text.push(c),
            _ => {}
        }
    }
    text.trim_end().to_string()
}

/// A start tag without its `id` (an element reopened after a block must not repeat it).
fn without_id(start: &str) -> String {
    match start.find(" id=\"") {
        Some(at) => {
            let rest = &start[at + 5..];
            let close = rest.find('"').map_or(rest.len(), |e| e + 1);
            format!("{}{}", &start[..at], &rest[close..])
        }
        None => start.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(list: &[(bool, &str)]) -> Vec<(bool, String)> {
        list.iter().map(|(b, t)| (*b, t.to_string())).collect()
    }

    #[test]
    fn a_table_cell_keeps_its_alignment_and_no_other_style() {
        let cleaned = clean_fragment(
            "<table><tr><th style=\"color: red; text-align: right\">A</th>\
             <td data-quire-align=\"center\">1</td><td style=\"position: fixed\">2</td></tr></table>",
            &|h| Some(h.to_string()),
        );
        assert!(
            cleaned.xhtml.contains("<th style=\"text-align: right\">A</th><td style=\"text-align: center\">1</td><td>2</td>"),
            "{}",
            cleaned.xhtml
        );
    }

    #[test]
    fn only_blocks_are_cut_out_of_running_text() {
        assert_eq!(
            split_blocks(
                "a <em>b</em><ul><li><p>x</p></li></ul> c<br/><table><tr><td>1</td></tr></table>"
            ),
            parts(&[
                (false, "a <em>b</em>"),
                (true, "<ul><li><p>x</p></li></ul>"),
                (false, " c<br/>"),
                (true, "<table><tr><td>1</td></tr></table>"),
            ])
        );
        assert_eq!(
            split_blocks("<mark>m</mark>"),
            parts(&[(false, "<mark>m</mark>")])
        );
    }

    #[test]
    fn a_block_inside_inline_elements_ends_them_and_they_reopen_after_it() {
        assert_eq!(
            split_blocks("<em id=\"body-e\">a <b>b<ul><li>x</li></ul> c</b> d</em>"),
            parts(&[
                (false, "<em id=\"body-e\">a <b>b</b></em>"),
                (true, "<ul><li>x</li></ul>"),
                (false, "<em><b> c</b> d</em>"),
            ])
        );
        // Nothing after the block inside them: they are not reopened.
        assert_eq!(
            split_blocks("<em>a <ul><li>x</li></ul></em> more"),
            parts(&[
                (false, "<em>a </em>"),
                (true, "<ul><li>x</li></ul>"),
                (false, " more"),
            ])
        );
    }

    fn keep_absolute(href: &str) -> Option<String> {
        href.starts_with("https://").then(|| href.to_string())
    }

    #[test]
    fn a_table_is_kept_well_formed_and_scripts_and_media_are_dropped_and_counted() {
        let cleaned = clean_fragment(
            "<table class=x onclick=y><tr><th rowspan=2 style=z>A &amp; B<td>1<br>2\n\n<tr><td><a href=\"https://example.org/\">one</a> <a href=\"/local\">two</a><video>three four</video><script>x()</script></table>",
            &keep_absolute,
        );
        assert_eq!(
            cleaned.xhtml,
            "<table>\n<tbody><tr><th rowspan=\"2\">A &amp; B</th><td>1<br/>2 </td></tr>\n<tr><td><a href=\"https://example.org/\">one</a> two</td></tr>\n</tbody>\n</table>"
        );
        assert!(!cleaned.xhtml.contains("\n\n"));
        assert_eq!(cleaned.dropped, [("video".to_string(), 2)]);
    }

    #[test]
    fn a_pull_quote_keeps_that_class_alone_and_another_aside_is_unwrapped() {
        let cleaned = clean_fragment(
            "<aside class=\"pullquote big\" id=\"q\"><p>Said.</p></aside><aside class=\"box\"><p>Facts.</p></aside>",
            &keep_absolute,
        );
        assert_eq!(
            cleaned.xhtml,
            "<aside class=\"pullquote\"><p>Said.</p>\n</aside><p>Facts.</p>\n"
        );
    }

    #[test]
    fn mathml_keeps_its_namespace_and_preformatted_newlines_become_references() {
        let cleaned = clean_fragment(
            "<p><math display=block><mi>x</mi><mo>=</mo><msup><mn>2</mn><mn>3</mn></msup><mspace/></math></p><pre>a\n\nb</pre>",
            &keep_absolute,
        );
        assert_eq!(
            cleaned.xhtml,
            format!("<p><math xmlns=\"{MATHML}\" display=\"block\"><mi>x</mi><mo>=</mo><msup><mn>2</mn><mn>3</mn></msup><mspace/></math></p>\n<pre>a&#10;&#10;b</pre>")
        );
    }
}
