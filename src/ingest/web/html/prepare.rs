//! The page made ready for readability, which drops every `footer` and `aside` and every
//! presentational attribute of the content it keeps: a quotation's attribution (in a `footer`),
//! a pull quote that is not repeated in the text and a box of facts (each an `aside`) and a
//! table cell's alignment would
//! go with them, and so would an image without an address of its own (a `picture`'s) and
//! emphasis given by style alone. Sign-up boxes (a newsletter form with its pitch) are chrome, and go first.

use super::convert::{clean, ALIGN};
use dom_query::{Document, NodeRef};

/// The attributes readability takes for an image's address.
const SOURCE_ATTRIBUTES: [&str; 4] = ["src", "srcset", "data-src", "data-srcset"];

/// Classes of a pull quote.
const PULL_QUOTES: &str = "[class*=pullquote], [class*=pull-quote], [class*=pull_quote]";

/// Classes or ids of a box asking the reader to sign up or subscribe.
const SIGN_UPS: [&str; 4] = ["newsletter", "subscribe", "signup", "sign-up"];

pub fn prepare(document: &Document) {
    keep_attributions(document);
    keep_pull_quotes(document);
    drop_sign_ups(document);
    drop_inline_chrome(document);
    keep_fact_boxes(document);
    keep_alignment(document);
    keep_images(document);
    keep_styled_emphasis(document);
}

/// Emphasis a page gives by style alone (`<span style="font-style: italic">`, as pages
/// written in an office suite do) as emphasis elements, before readability drops the style.
fn keep_styled_emphasis(document: &Document) {
    for span in document.select("span[style]").nodes() {
        let style = span
            .attr("style")
            .map(|s| s.to_ascii_lowercase().replace(' ', ""))
            .unwrap_or_default();
        let bold = [
            "font-weight:bold",
            "font-weight:700",
            "font-weight:800",
            "font-weight:900",
        ]
        .iter()
        .any(|b| style.contains(b));
        if style.contains("font-style:italic") {
            span.rename("em");
            if bold {
                span.set_attr("data-quire-bold", "");
            }
        } else if bold {
            span.rename("strong");
        }
    }
    // An element both bold and italic: strong emphasis inside the emphasis.
    for em in document.select("em[data-quire-bold]").nodes() {
        em.remove_attr("data-quire-bold");
        let inner = em.inner_html().to_string();
        em.set_html(format!("<strong>{inner}</strong>"));
    }
}

/// An image readability would drop for having no address of its own: one in a `picture`
/// takes the picture's first set of sources; one with none anywhere keeps an empty address,
/// so that the converter can name it as left out.
fn keep_images(document: &Document) {
    for image in document.select("img").nodes() {
        if SOURCE_ATTRIBUTES.iter().any(|a| image.has_attr(a)) {
            continue;
        }
        let picture_set = image
            .parent()
            .filter(|p| p.node_name().is_some_and(|n| &*n == "picture"))
            .and_then(|p| {
                p.element_children()
                    .iter()
                    .find_map(|c| c.attr("srcset").map(|s| s.to_string()))
            });
        match picture_set {
            Some(set) => image.set_attr("srcset", &set),
            None => image.set_attr("src", ""),
        }
    }
}

/// A quotation's `footer` (`— <cite>Skomvær logbook</cite>`) becomes a paragraph of the quote.
fn keep_attributions(document: &Document) {
    document.select("blockquote footer").rename("p");
}

/// A pull quote whose words the text does not hold becomes a block quote; one the text repeats
/// is dropped (a reader of the article reads its words where they stand).
fn keep_pull_quotes(document: &Document) {
    let body = words(&document.select("body").text());
    for node in document.select(PULL_QUOTES).nodes() {
        let quote = words(&node.text());
        if quote.is_empty() {
            continue;
        }
        // The body's text holds the pull quote once as it is: twice when the text repeats it.
        if body.matches(&quote).count() >= 2 {
            node.remove_from_parent();
        } else {
            node.rename("blockquote");
            node.remove_attr("class");
        }
    }
}

/// The site's furniture inside the text, marked as such by its class or id and made of
/// little but a label or links: an advertisement's label, share buttons, related articles
/// (`Read more: …`).
fn drop_inline_chrome(document: &Document) {
    for node in document.select("[class], [id]").nodes() {
        let tokens: Vec<String> = ["class", "id"]
            .iter()
            .filter_map(|a| node.attr(a))
            .flat_map(|v| {
                v.to_ascii_lowercase()
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        let has = |words: &[&str]| tokens.iter().any(|t| words.contains(&t.as_str()));
        let words = clean(&node.text()).split_whitespace().count();
        let linked = linked_words(node);
        let advert =
            has(&["ad", "ads", "advert", "advertisement", "gpt", "sponsored"]) && words <= 5;
        let links = linked * 2 >= words && words <= 40;
        let share = has(&["share", "sharing", "social"]) && links;
        let related = has(&["related", "readmore", "read", "recommended", "more"]) && links;
        if advert || share || related {
            node.remove_from_parent();
        }
    }
}

/// A box of the article's own beside its text (an `aside` inside the `article`: facts in
/// numbers, a timeline) is part of the article; one that is mostly links (related
/// articles) is not.
fn keep_fact_boxes(document: &Document) {
    for aside in document.select("article aside").nodes() {
        let words = clean(&aside.text()).split_whitespace().count();
        let linked = linked_words(aside);
        if words >= 8 && linked * 2 < words {
            aside.rename("section");
        }
    }
}

/// A box with a form that asks the reader to sign up or subscribe: its heading and pitch
/// are the site's, not the article's.
fn drop_sign_ups(document: &Document) {
    for node in document.select("div, section, aside").nodes() {
        let named = ["class", "id"].iter().any(|a| {
            node.attr(a).is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                SIGN_UPS.iter().any(|w| v.contains(w))
            })
        });
        let form = node.descendants_it().any(|d| {
            d.node_name()
                .is_some_and(|n| matches!(&*n, "form" | "input"))
        });
        if named && form && clean(&node.text()).split_whitespace().count() <= 60 {
            node.remove_from_parent();
        }
    }
}

/// A cell's alignment (`align`, `text-align`) kept where readability leaves it: in
/// [`ALIGN`].
fn keep_alignment(document: &Document) {
    for cell in document.select("th, td").nodes() {
        if let Some(align) = alignment(cell) {
            cell.set_attr(ALIGN, align);
        }
    }
}

fn alignment(cell: &NodeRef) -> Option<&'static str> {
    let align = cell.attr("align").map(|a| a.trim().to_ascii_lowercase());
    let style = cell
        .attr("style")
        .map(|s| s.to_ascii_lowercase().replace(' ', ""))
        .unwrap_or_default();
    ["center", "right", "left"]
        .into_iter()
        .find(|a| align.as_deref() == Some(*a) || style.contains(&format!("text-align:{a}")))
}

/// The words of a node that are in links (the node's own, when it is one).
fn linked_words(node: &NodeRef) -> usize {
    std::iter::once(*node)
        .chain(node.descendants_it())
        .filter(|d| d.node_name().is_some_and(|n| &*n == "a"))
        .map(|a| clean(&a.text()).split_whitespace().count())
        .sum()
}

/// The words (runs of letters and digits) of a text, lower-cased, each after a space, and a
/// space at the end: ` the lamp was lit `, which only whole words match.
fn words(text: &str) -> String {
    let mut words: String = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!(" {}", w.to_lowercase()))
        .collect();
    if !words.is_empty() {
        words.push(' ');
    }
    words
}
