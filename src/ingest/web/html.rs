//! HTML captures: the main content by readability (dom_smoothie), metadata from meta tags,
//! JSON-LD or visible date lines, and the content's headings, paragraphs, lists, quotes and
//! images as blocks.

use super::{parse_date, Block, CaptureError, Page};
use dom_query::{Document, NodeRef};
use dom_smoothie::Readability;

pub fn extract(file: &str, html: &str) -> Result<Page, CaptureError> {
    let mut readability = Readability::new(html, None, None)
        .map_err(CaptureError::extraction(file, "cannot read the HTML"))?;
    let article = readability
        .parse()
        .map_err(CaptureError::extraction(file, "no recognisable article"))?;
    let mut page = Page {
        source: file.to_string(),
        title: article.title.trim().to_string(),
        language: article.lang.clone().filter(|l| !l.is_empty()),
        url: article.url.clone(),
        site_name: article.site_name.clone(),
        published: article.published_time.as_deref().and_then(parse_date),
        updated: article.modified_time.as_deref().and_then(parse_date),
        ..Default::default()
    };
    if let Some(byline) = &article.byline {
        let byline = byline.trim();
        let byline = byline
            .strip_prefix("By ")
            .or_else(|| byline.strip_prefix("by "))
            .unwrap_or(byline);
        page.authors = byline
            .split([',', '&'])
            .flat_map(|a| a.split(" and "))
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
    }

    let content = Document::from(article.content.as_ref());
    let mut blocks = Vec::new();
    for root in content.select("body").nodes() {
        collect_blocks(root, &mut blocks);
    }
    // The byline printed in the text is metadata, not body text.
    if let Some(Block::Paragraph { text }) = blocks.first() {
        let named = text
            .strip_prefix("By ")
            .or_else(|| text.strip_prefix("by "));
        if named.is_some_and(|rest| {
            !page.authors.is_empty() && page.authors.iter().all(|a| rest.contains(a.as_str()))
        }) {
            blocks.remove(0);
        }
    }
    // The title repeated as the first heading is not body text.
    if let Some(Block::Heading { text, .. }) = blocks.first() {
        if text.eq_ignore_ascii_case(&page.title) {
            blocks.remove(0);
        }
    }
    if !blocks.iter().any(|b| matches!(b, Block::Paragraph { .. })) {
        return Err(CaptureError::new(
            file,
            "no recognisable article: the page has no paragraph of text",
        ));
    }
    page.blocks = blocks;

    // Dates the page shows as text (`Updated: June 9, 2010`) when no metadata gives them, and
    // pagination, from the whole page.
    let whole = Document::from(html);
    let text = whole.select("body").text().to_string();
    for line in text.lines().map(str::trim) {
        if let Some((label, rest)) = line.split_once(':') {
            let label = label.trim().to_ascii_lowercase();
            if label.len() <= 20 {
                if label.contains("updated") || label.contains("modified") {
                    page.updated = page.updated.or_else(|| parse_date(rest));
                } else if label.contains("published") || label.contains("posted") {
                    page.published = page.published.or_else(|| parse_date(rest));
                }
            }
        }
    }
    pagination(&whole, &mut page);
    if page.title.is_empty() {
        return Err(CaptureError::new(
            file,
            "no recognisable article: the page has no title",
        ));
    }
    Ok(page)
}

fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn collect_blocks(node: &NodeRef, blocks: &mut Vec<Block>) {
    for child in node.element_children() {
        let name = child
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        match name.as_str() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name[1..].parse::<u8>().unwrap_or(2).max(2);
                let text = clean(&child.text());
                if !text.is_empty() {
                    blocks.push(Block::Heading { level, text });
                }
            }
            "p" => {
                for image in images(&child) {
                    blocks.push(image);
                }
                let text = clean(&child.text());
                if !text.is_empty() {
                    blocks.push(Block::Paragraph { text });
                }
            }
            "blockquote" => {
                let text = clean(&child.text());
                if !text.is_empty() {
                    blocks.push(Block::Quote { text });
                }
            }
            "ul" | "ol" => {
                let items: Vec<String> = child
                    .element_children()
                    .iter()
                    .filter(|li| li.node_name().is_some_and(|n| n.eq_ignore_ascii_case("li")))
                    .map(|li| clean(&li.text()))
                    .filter(|t| !t.is_empty())
                    .collect();
                if !items.is_empty() {
                    blocks.push(Block::List {
                        ordered: name == "ol",
                        items,
                    });
                }
            }
            "img" => blocks.extend(image(&child)),
            "figure" => {
                blocks.extend(images(&child));
                let caption = child.element_children().into_iter().find(|c| {
                    c.node_name()
                        .is_some_and(|n| n.eq_ignore_ascii_case("figcaption"))
                });
                if let Some(caption) = caption {
                    let text = clean(&caption.text());
                    if !text.is_empty() {
                        blocks.push(Block::Paragraph { text });
                    }
                }
            }
            "script" | "style" | "nav" | "aside" | "footer" | "form" => {}
            _ => collect_blocks(&child, blocks),
        }
    }
}

fn image(node: &NodeRef) -> Option<Block> {
    let src = node.attr("src")?.to_string();
    let alt = node
        .attr("alt")
        .map(|a| clean(&a))
        .filter(|a| !a.is_empty());
    Some(Block::Image { src, alt })
}

fn images(node: &NodeRef) -> Vec<Block> {
    let mut found = Vec::new();
    for child in node.element_children() {
        if child
            .node_name()
            .is_some_and(|n| n.eq_ignore_ascii_case("img"))
        {
            found.extend(image(&child));
        } else {
            found.extend(images(&child));
        }
    }
    found
}

/// A pagination element (class or id naming `pag…`): its page numbers, and the current one
/// (marked `aria-current`, `current` or `active`, or the one number that is not a link).
fn pagination(document: &Document, page: &mut Page) {
    let bars = document.select("[class*=pag], [id*=pag]");
    let Some(bar) = bars.nodes().first() else {
        return;
    };
    let mut listed = Vec::new();
    let mut current = None;
    let mut unlinked = Vec::new();
    visit_numbers(bar, &mut |node, number| {
        listed.push(number);
        let marked = node.attr("aria-current").is_some()
            || node.has_class("current")
            || node.has_class("active");
        if marked {
            current = Some(number);
        }
        if !node
            .node_name()
            .is_some_and(|n| n.eq_ignore_ascii_case("a"))
        {
            unlinked.push(number);
        }
    });
    if listed.len() >= 2 {
        listed.dedup();
        page.page_bar = listed;
        page.page = current.or_else(|| (unlinked.len() == 1).then(|| unlinked[0]));
    }
    let text = clean(&bar.text());
    let words: Vec<&str> = text.split_whitespace().collect();
    if let Some(at) = words.iter().position(|w| w.eq_ignore_ascii_case("of")) {
        if at >= 1 && at + 1 < words.len() {
            if let (Ok(n), Ok(m)) = (words[at - 1].parse::<u32>(), words[at + 1].parse::<u32>()) {
                page.page = page.page.or(Some(n));
                page.page_count = Some(m);
            }
        }
    }
}

fn visit_numbers(node: &NodeRef, found: &mut dyn FnMut(&NodeRef, u32)) {
    for child in node.element_children() {
        let text = clean(&child.text());
        match text.parse::<u32>() {
            Ok(n) if child.element_children().is_empty() => found(&child, n),
            _ => visit_numbers(&child, found),
        }
    }
}
