//! The one allow-list that raw HTML in an article body passes through before a reader sees
//! it: a body may hold HTML an importer kept (tables, MathML) or a hostile page slipped in, and
//! the web edition publishes it on a site's own origin. Only structural and inline elements,
//! tables, figures and MathML stay, with the attributes valid HTML gives them (a table cell's
//! style only for its `text-align`); scripts, styles,
//! event handlers, forms, frames, embedded media and every URL that is not relative, `http`,
//! `https` or `mailto` (so no `javascript:` or `data:`) are removed.
//!
//! ammonia does the work (it parses as a browser would, so no markup trick gets through); the
//! policy is here, once, for every output that carries body HTML.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The prefix ammonia gives every `id` in a body that does not already carry it, so that a
/// body's ids never collide with the page's own (`content`, `q`...). Ids a renderer makes for
/// its own links (footnotes, headings) start with it.
pub const ID_PREFIX: &str = "body-";

/// HTML elements a body may hold. No `h1` (the page's title is the one `h1`), no landmarks
/// (`nav`, `header`...), no obsolete elements (a validator refuses them).
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// MathML presentation elements (ammonia keeps each in its namespace).
const MATHML_TAGS: &[&str] = &[
    "math",
    "annotation",
    "maction",
    "menclose",
    "merror",
    "mfrac",
    "mi",
    "mmultiscripts",
    "mn",
    "mo",
    "mover",
    "mpadded",
    "mphantom",
    "mprescripts",
    "mroot",
    "mrow",
    "ms",
    "mspace",
    "msqrt",
    "mstyle",
    "msub",
    "msubsup",
    "msup",
    "mtable",
    "mtd",
    "mtext",
    "mtr",
    "munder",
    "munderover",
    "none",
    "semantics",
];

/// Elements removed with everything in them (others outside the allow-list are removed and
/// their text kept): what runs, embeds or asks for input, and what a page or book cannot show.
const DROPPED: &[&str] = &[
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed",
    "applet", "video", "audio", "canvas", "svg", "form", "input", "select", "textarea", "button",
    "dialog",
];

/// The presentation attributes MathML elements may carry (no `href`, no event handler, no
/// style).
const MATHML_ATTRIBUTES: &[&str] = &[
    "display",
    "alttext",
    "mathvariant",
    "mathsize",
    "displaystyle",
    "scriptlevel",
    "accent",
    "accentunder",
    "lspace",
    "rspace",
    "minsize",
    "maxsize",
    "movablelimits",
    "symmetric",
    "largeop",
    "stretchy",
    "fence",
    "separator",
    "form",
    "columnalign",
    "rowalign",
    "columnspan",
    "rowspan",
    "columnspacing",
    "rowspacing",
    "columnlines",
    "rowlines",
    "frame",
    "notation",
    "linethickness",
    "width",
    "height",
    "depth",
    "voffset",
    "encoding",
];

/// The attributes of each HTML element besides the generic ones (`lang`, `dir`, `title`,
/// `id`).
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("img", &["src", "alt", "width", "height"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    // `style` only for `text-align` (see [`configured`]): a column of figures set right.
    ("td", &["colspan", "rowspan", "headers", "style"]),
    (
        "th",
        &["colspan", "rowspan", "headers", "scope", "abbr", "style"],
    ),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("time", &["datetime"]),
    ("data", &["value"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
];

/// The classes the body renderers give (footnotes, maths, notes, credits); any other class is
/// dropped.
const CLASSES: &[(&str, &[&str])] = &[
    ("div", &["footnote-definition"]),
    ("sup", &["footnote-reference", "footnote-definition-label"]),
    (
        "span",
        &["math", "math-inline", "math-display", "note", "credit"],
    ),
    ("p", &["note"]),
    // Only the book keeps an `aside` (see [`clean_book_html`]).
    ("aside", &["pullquote"]),
];

/// URL schemes a link or image may use; relative URLs are kept as they are.
const URL_SCHEMES: &[&str] = &["http", "https", "mailto"];

fn builder() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(configured)
}

/// A builder with the policy.
fn configured<'a>() -> ammonia::Builder<'a> {
    let mut builder = ammonia::Builder::empty();
    builder
        .add_tags(HTML_TAGS.iter().chain(MATHML_TAGS))
        .add_generic_attributes(["lang", "dir", "title", "id"])
        .clean_content_tags(DROPPED.iter().copied().collect())
        .tag_attributes(
            TAG_ATTRIBUTES
                .iter()
                .map(|(tag, attributes)| (*tag, attributes.iter().copied().collect()))
                .chain(
                    MATHML_TAGS
                        .iter()
                        .map(|tag| (*tag, MATHML_ATTRIBUTES.iter().copied().collect())),
                )
                .collect::<HashMap<&str, HashSet<&str>>>(),
        )
        .allowed_classes(
            CLASSES
                .iter()
                .map(|(tag, classes)| (*tag, classes.iter().copied().collect()))
                .collect(),
        )
        .filter_style_properties(["text-align"].into_iter().collect())
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .link_rel(Some("noopener noreferrer"))
        .id_prefix(Some(ID_PREFIX))
        .strip_comments(true);
    builder
}

/// An HTML fragment with everything outside the allow-list removed (the text of a removed
/// element is kept, except inside the elements that are dropped whole).
pub fn clean_html(html: &str) -> String {
    builder().clean(html).to_string()
}

/// [`clean_html`] for the EPUB, which also keeps a pull quote (`<aside class="pullquote">`)
/// as an aside it marks as such; a web page would make it a landmark of its own.
pub fn clean_book_html(html: &str) -> String {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    let builder = BUILDER.get_or_init(|| {
        let mut builder = configured();
        builder.add_tags(["aside"]);
        builder
    });
    builder.clean(html).to_string()
}

/// A relative URL's rewriting, as ammonia asks for it.
struct Rewrite<'a>(&'a (dyn Fn(&str) -> Option<String> + Sync));

impl<'a> ammonia::UrlRelativeEvaluate<'a> for Rewrite<'a> {
    fn evaluate<'url>(&self, url: &'url str) -> Option<std::borrow::Cow<'url, str>> {
        (self.0)(url).map(std::borrow::Cow::Owned)
    }
}

/// [`clean_html`] for an output where a body's relative URLs mean something else (the web
/// edition's pages): each is given to `relative`, whose answer replaces it (`None` removes
/// the attribute).
pub fn clean_html_relative(
    html: &str,
    relative: &(dyn Fn(&str) -> Option<String> + Sync),
) -> String {
    let mut builder = configured();
    builder.url_relative(ammonia::UrlRelative::Custom(Box::new(Rewrite(relative))));
    builder.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_contains_all;

    #[test]
    fn scripts_handlers_and_dangerous_urls_are_removed() {
        let hostile = concat!(
            "<p onclick=\"steal()\">Hi<script>alert(1)</script></p>",
            "<img src=\"x.png\" onerror=\"alert(2)\" alt=\"x\">",
            "<a href=\"javascript:alert(3)\">js</a><a href=\"data:text/html,<b>\">data</a>",
            "<iframe src=\"https://evil.example/\"></iframe>",
            "<form action=\"/x\"><input name=\"q\"><button>Go</button></form>",
            "<style>body{display:none}</style><p style=\"position:fixed\">styled</p>",
            "<svg><script>alert(4)</script></svg>",
            "<math><annotation-xml encoding=\"text/html\"><script>alert(5)</script></annotation-xml><mi href=\"javascript:alert(6)\">x</mi></math>",
            "<video>no video</video><form><button>Send</button></form>",
            "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
        );
        let clean = clean_html(hostile).to_ascii_lowercase();
        for banned in [
            "<script",
            "onclick",
            "onerror",
            "javascript:",
            "data:",
            "<iframe",
            "<form",
            "<input",
            "<button",
            "<style",
            "style=",
            "<svg",
            "<object",
            "<embed",
            "alert(",
        ] {
            assert!(!clean.contains(banned), "{banned} in {clean}");
        }
        assert!(clean.contains("<p>hi</p>"), "{clean}");
        assert!(clean.contains("styled"), "{clean}");
        assert!(
            !clean.contains("no video") && !clean.contains("send"),
            "{clean}"
        );
    }

    #[test]
    fn only_the_book_keeps_an_aside_and_of_its_classes_only_pullquote() {
        let html = "<aside class=\"pullquote wide\"><p>Said.</p></aside>";
        assert_eq!(clean_html(html), "<p>Said.</p>");
        assert_eq!(
            clean_book_html(html),
            "<aside class=\"pullquote\"><p>Said.</p></aside>"
        );
    }

    #[test]
    fn a_table_cell_keeps_its_alignment_and_no_other_style() {
        let clean = clean_html(
            "<table><tr><th style=\"text-align: right\">A</th>\
             <td style=\"text-align: center; position: fixed; background: url(x)\">1</td></tr></table>",
        );
        assert!(
            clean.contains("<th style=\"text-align:right\">A</th>"),
            "{clean}"
        );
        assert!(
            clean.contains("<td style=\"text-align:center\">1</td>"),
            "{clean}"
        );
    }

    #[test]
    fn tables_footnote_ids_and_mathml_are_kept() {
        let html = concat!(
            "<table><thead><tr><th scope=\"col\" align=\"left\">A</th></tr></thead>",
            "<tbody><tr><td colspan=\"2\">1</td></tr></tbody></table>",
            "<sup class=\"footnote-reference\"><a href=\"#body-fn-1\">1</a></sup>",
            "<div class=\"footnote-definition\" id=\"body-fn-1\">Note</div>",
            "<h2 id=\"intro\">Intro</h2>",
            "<math display=\"block\"><mi mathvariant=\"bold\">x</mi><mo>=</mo><mn>2</mn></math>",
        );
        let clean = clean_html(html);
        assert_contains_all(
            &clean,
            &[
                "<th scope=\"col\">A</th>",
                "<td colspan=\"2\">",
                "id=\"body-fn-1\"",
                "href=\"#body-fn-1\"",
                // A body's own id is prefixed.
                "id=\"body-intro\"",
                "<math display=\"block\"><mi mathvariant=\"bold\">x</mi><mo>=</mo>",
            ],
        );
    }
}
