//! The page made ready for readability, which drops every `footer` and `aside` and every
//! presentational attribute of the content it keeps: a quotation's attribution and a
//! correction below the text (each in a `footer`; one in the article's footer, beside its
//! tags rather than its paragraphs, is moved to the end of the text),
//! a pull quote that is not repeated in the text and a box of facts (each an `aside`) and a
//! table cell's alignment would
//! go with them, and so would an image without an address of its own (a `picture`'s) and
//! emphasis given by style alone. Sign-up boxes (a newsletter form with its pitch) are chrome, and go first.
//! Readability also drops what real pages wrap oddly: a gallery of figures in a `div`, a lead
//! photo above the text's own container, a table laying out pictures ([`super::picture_tables`]),
//! an AMP page's `amp-img`, a WordPress embed's quote
//! and caption;
//! each is unwrapped or moved where readability keeps it, and so is a paragraph of the text
//! in a box classed `meta` (a recipe's servings and times), which readability drops whole. A paywall's pitch is furniture. An
//! emoji set as a picture is its character, not a picture of the article.
//! Embedded players and frames become links first ([`super::players`]), since readability
//! drops most frames.

use super::convert::{clean, ALIGN};
use super::players::{self, Embed};
use crate::model::body::xhtml::escape;
use dom_query::{Document, NodeRef};

/// The attributes readability takes for an image's address.
const SOURCE_ATTRIBUTES: [&str; 4] = ["src", "srcset", "data-src", "data-srcset"];

/// Classes of a pull quote.
const PULL_QUOTES: &str = "[class*=pullquote], [class*=pull-quote], [class*=pull_quote]";

/// Classes or ids of a box asking the reader to sign up or subscribe.
const SIGN_UPS: [&str; 4] = ["newsletter", "subscribe", "signup", "sign-up"];

/// What preparing the page left out or found, for the import's warnings.
#[derive(Debug, Default)]
pub struct Prepared {
    /// Embeds that cannot be carried over (a WordPress embed of a video), with their words.
    pub dropped: Vec<(String, usize)>,
    /// A paywall's pitch was left out: the article goes on behind it.
    pub paywall: bool,
    /// Players and frames made links, each marked with its number ([`players::MARK`]).
    pub embeds: Vec<Embed>,
}

pub fn prepare(document: &Document) -> Prepared {
    let mut prepared = Prepared::default();
    let (embeds, fallbacks) = players::keep_as_links(document);
    prepared.embeds = embeds;
    prepared.dropped = fallbacks;
    keep_amp_images(document);
    keep_emoji(document);
    keep_embedded_quotes(document, &mut prepared.dropped);
    keep_instagram_posts(document);
    keep_cards(document);
    keep_attributions(document);
    keep_pull_quotes(document);
    keep_article_notes(document);
    name_notes_by_their_holders(document);
    drop_page_footers(document);
    drop_sign_ups(document);
    prepared.paywall = drop_paywall_pitches(document);
    drop_inline_chrome(document);
    drop_chrome_links(document);
    keep_fact_boxes(document);
    keep_alignment(document);
    keep_table_captions(document);
    keep_images(document);
    super::picture_tables::make_figures(document);
    super::code_tables::make_code_blocks(document);
    keep_styled_emphasis(document);
    unwrap_galleries(document);
    drop_gallery_counters(document);
    keep_lead_figures(document);
    keep_meta_lines(document);
    keep_following_captions(document);
    prepared
}

/// An AMP page's `amp-img` as the `img` it stands for: its own `src`, `srcset` and `alt`, or
/// its `<noscript><img>` fallback's; one laid out as `nodisplay` is no picture of the page.
/// Its carousels are galleries, its advertisements chrome.
fn keep_amp_images(document: &Document) {
    for amp in document.select("amp-img").nodes() {
        if amp
            .attr("layout")
            .is_some_and(|l| l.trim().eq_ignore_ascii_case("nodisplay"))
        {
            amp.remove_from_parent();
            continue;
        }
        let fallback = amp.descendants_it().find(|d| d.has_name("img"));
        if let Some(fallback) = fallback {
            for attr in ["src", "srcset", "alt"] {
                if let (None, Some(value)) = (amp.attr(attr), fallback.attr(attr)) {
                    amp.set_attr(attr, &value);
                }
            }
        }
        amp.remove_children();
        amp.rename("img");
    }
    // A carousel of figures is a gallery (see `unwrap_galleries`); advertisements and
    // analytics are chrome, whatever placeholder text they hold (`Advertisement`).
    for carousel in document.select("amp-carousel").nodes() {
        carousel.rename("div");
    }
    let chrome = "amp-ad, amp-embed, amp-sticky-ad, amp-auto-ads, amp-analytics, amp-pixel";
    for node in document.select(chrome).nodes() {
        node.remove_from_parent();
    }
}

/// Classes that mark a picture as an emoji's (WordPress's `emoji` and `wp-smiley`, Twitter's
/// `twemoji`).
const EMOJI_MARKS: [&str; 3] = ["emoji", "smiley", "twemoji"];

/// Parts of the addresses emoji pictures are served from (WordPress's, its old smilies',
/// Twitter's), not a word anywhere in an address (a story's own `uploads/emoji/` pictures).
const EMOJI_PATHS: [&str; 3] = ["/images/core/emoji/", "/smilies/", "/twemoji/"];

/// The most characters a picture's description holds to be an emoji's character.
const EMOJI_CHARS: usize = 12;

/// An emoji set as a picture (`<img class="emoji" alt="😂" src="…/1f602.svg">`): its
/// character, in the sentence where it stood, as the reader saw it; not a picture of the
/// article. Only a picture marked as an emoji's whose description is a few signs, no words,
/// and never a figure's.
fn keep_emoji(document: &Document) {
    for image in document.select("img[alt]").nodes() {
        let alt = clean(&image.attr("alt").unwrap_or_default());
        let signs = !alt.is_empty()
            && alt.chars().count() <= EMOJI_CHARS
            && !alt.chars().any(char::is_alphabetic);
        let src = image.attr("src").unwrap_or_default().to_ascii_lowercase();
        let marked = tokens(image)
            .iter()
            .any(|t| EMOJI_MARKS.contains(&t.as_str()))
            || EMOJI_PATHS.iter().any(|p| src.contains(p));
        let figure = image.ancestors_it(None).any(|a| a.has_name("figure"));
        if signs && marked && !figure {
            image.replace_with_html(escape(&alt));
        }
    }
}

/// A WordPress embed (`figure.wp-block-embed`) holding a quotation (an embedded post) is that
/// quotation, as it is without the embed's wrapper, and its caption the paragraph after it;
/// one holding none and no address (which [`players`] would have made a link) is left out
/// and counted.
fn keep_embedded_quotes(document: &Document, dropped: &mut Vec<(String, usize)>) {
    for embed in document.select("figure[class*=wp-block-embed]").nodes() {
        let quote = embed.descendants_it().find(|d| d.has_name("blockquote"));
        match quote {
            Some(quote) => {
                for script in quote.descendants() {
                    if script.has_name("script") {
                        script.remove_from_parent();
                    }
                }
                quote.remove_attr("class");
                let caption = embed
                    .element_children()
                    .into_iter()
                    .find(|c| c.has_name("figcaption") && !c.text().trim().is_empty());
                embed.replace_with(&quote);
                if let Some(caption) = caption {
                    caption.rename("p");
                    caption.remove_attr("class");
                    quote.insert_after(&caption);
                }
            }
            None => {
                let words = clean(&embed.text()).split_whitespace().count();
                dropped.push(("<figure class=\"wp-block-embed\">".into(), words));
                embed.remove_from_parent();
            }
        }
    }
}

/// Instagram's embed (`blockquote.instagram-media`) as the quotation it shows: the post's
/// caption (which the embed sets as a link to the post, so readability drops it as a box of
/// links), the `A post shared by …` line, and the link to the post in the embed's own words.
fn keep_instagram_posts(document: &Document) {
    for embed in document.select("blockquote.instagram-media").nodes() {
        let permalink = embed.attr("data-instgrm-permalink").or_else(|| {
            embed
                .descendants_it()
                .find_map(|d| d.attr("href").filter(|h| h.contains("instagram.com/")))
        });
        let Some(permalink) = permalink else { continue };
        let permalink = permalink
            .split('?')
            .next()
            .unwrap_or(&permalink)
            .to_string();
        let mut caption = Vec::new();
        let mut shared = None;
        let mut view = None;
        for part in embed
            .descendants_it()
            .filter(|d| d.has_name("p") || d.has_name("a"))
        {
            let text = clean(&part.text());
            if text.is_empty()
                || part.has_name("a") && part.ancestors_it(None).any(|a| a.has_name("p"))
            {
                continue;
            }
            if text.starts_with("A post shared by") {
                shared = Some(escape(&text));
            } else if part.has_name("a") {
                view.get_or_insert(text);
            } else {
                // The caption's lines as the post breaks them.
                let lines: Vec<String> = lines_of(&part).iter().map(|l| escape(l)).collect();
                caption.push(lines.join("<br>"));
            }
        }
        let mut html = String::from("<blockquote>");
        for line in caption.iter().chain(&shared) {
            html.push_str(&format!("<p>{line}</p>"));
        }
        let view = view.unwrap_or_else(|| "View this post on Instagram".into());
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p></blockquote>",
            escape(&permalink),
            escape(&view)
        ));
        embed.replace_with_html(html);
    }
}

/// The lines of an element's text, as its `<br>`s break them, blank ones left out.
fn lines_of(node: &NodeRef) -> Vec<String> {
    let mut text = String::new();
    for part in node.descendants_it() {
        if part.is_text() {
            text.push_str(&part.text());
        } else if part.has_name("br") {
            text.push('\n');
        }
    }
    text.lines().map(clean).filter(|l| !l.is_empty()).collect()
}

/// A publishing system's cards as the text they show, where readability would drop or
/// garble them (Ghost's): a bookmark card is a link with its title and description (its icon
/// and picture are the linked site's), a button card its link, a callout its icon and text as
/// one paragraph.
fn keep_cards(document: &Document) {
    for card in document.select("[class*=kg-bookmark-card]").nodes() {
        let part = |class: &str| {
            let node = card
                .descendants_it()
                .find(|d| d.attr("class").is_some_and(|c| c.contains(class)))?;
            Some(clean(&node.text())).filter(|t| !t.is_empty())
        };
        let href = card.descendants_it().find_map(|d| d.attr("href"));
        let (Some(href), Some(title)) = (href, part("kg-bookmark-title")) else {
            continue;
        };
        let publisher = part("kg-bookmark-publisher").or_else(|| part("kg-bookmark-author"));
        let rest = [
            part("kg-bookmark-description"),
            publisher.map(|p| format!("({p})")),
        ];
        let rest: Vec<String> = rest.into_iter().flatten().collect();
        let rest = match rest.is_empty() {
            true => String::new(),
            false => format!(" \u{2014} {}", escape(&rest.join(" "))),
        };
        card.replace_with_html(format!(
            "<p><a href=\"{}\">{}</a>{rest}</p>",
            escape(&href),
            escape(&title)
        ));
    }
    for card in document
        .select("[class*=kg-button-card], [class*=kg-callout-card]")
        .nodes()
    {
        card.rename("p");
        for part in card.element_children() {
            if part.has_name("div") {
                part.rename("span");
                part.append_html(" ");
            }
        }
    }
}

/// The page's own footer (outside the article: a copyright line, the site's links) is never
/// the article, whatever readability would make of a page with no text of its own.
fn drop_page_footers(document: &Document) {
    for footer in document.select("footer").nodes() {
        let in_article = footer
            .ancestors_it(None)
            .any(|a| a.has_name("article") || a.has_name("blockquote"));
        if !in_article {
            footer.remove_from_parent();
        }
    }
}

/// A footer of the text's own (a correction, an editor's note: a sentence or more beside the
/// text's paragraphs) is part of the article; readability drops every `footer`, so it is
/// kept as a `div`.
fn keep_article_notes(document: &Document) {
    for footer in document.select("footer").nodes() {
        let beside_text = footer.parent().is_some_and(|parent| {
            parent
                .element_children()
                .iter()
                .filter(|c| c.has_name("p") && own_words(c) > 0)
                .count()
                >= 2
        });
        let prose = footer
            .descendants_it()
            .any(|d| d.has_name("p") && own_words(&d) >= NOTE_WORDS);
        if beside_text && prose {
            footer.rename("div");
        } else {
            keep_corrections(footer);
        }
    }
}

/// Words of a class or id that mark a correction, a clarification or an editor's note.
const CORRECTION_MARKS: [&str; 5] = [
    "correction",
    "clarification",
    "amend",
    "editorsnote",
    "editornote",
];

/// What a note's text opens with to be a correction (`Correction: …`, `Editor's note: …`).
const CORRECTION_OPENINGS: [&str; 6] = [
    "correction",
    "clarification",
    "editor's note",
    "editor\u{2019}s note",
    "editors' note",
    "editors\u{2019} note",
];

/// What a note's text says anywhere to be a correction (`This article was amended on …`,
/// `An earlier version of this article …`); a footer's `our corrections policy` is not one.
const CORRECTION_PHRASES: [&str; 3] = ["was amended", "was corrected", "an earlier version of"];

/// A correction, a clarification or an editor's note in the footer of an `article` that is
/// not beside its text (its tags and share buttons beside it): moved to the end of the
/// text's container, where readability keeps it. The rest of the footer stays the site's.
fn keep_corrections(footer: &NodeRef) {
    let Some(article) = footer.ancestors_it(None).find(|a| a.has_name("article")) else {
        return;
    };
    let notes: Vec<NodeRef> = footer
        .descendants_it()
        .filter(|d| is_correction(d))
        .collect();
    let text = text_container(&article).unwrap_or(article);
    for note in &notes {
        let nested = note
            .ancestors_it(None)
            .any(|a| notes.iter().any(|n| n.id == a.id));
        if nested {
            continue;
        }
        match notes_closing(&text) {
            Some(notes) => notes.insert_before(note),
            None => text.append_child(note),
        }
    }
}

/// Classes, ids or roles of the notes that close a text (`footnotes`, `doc-endnotes`,
/// Wikipedia's `reflist`).
const NOTES_SECTIONS: [&str; 6] = [
    "footnote",
    "footnotes",
    "endnotes",
    "notes",
    "references",
    "reflist",
];

/// The first of the blocks that close a text's container with its notes (their section and
/// the rule above it), before which the text ends.
fn notes_closing<'a>(text: &NodeRef<'a>) -> Option<NodeRef<'a>> {
    let is_notes = |n: &NodeRef| {
        let role = n.attr("role").unwrap_or_default().to_ascii_lowercase();
        role.contains("endnotes")
            || tokens(n)
                .iter()
                .any(|t| NOTES_SECTIONS.contains(&t.as_str()))
    };
    let children = text.element_children();
    let kept = children
        .iter()
        .rev()
        .take_while(|c| c.has_name("hr") || is_notes(c))
        .last()?;
    Some(*kept)
}

/// Words of a class or id that mark a box for asking for corrections, not one.
const CORRECTION_ASKS: [&str; 5] = ["report", "submit", "request", "form", "policy"];

/// A block that is a correction or an editor's note: a paragraph of a sentence or more
/// whose words say so (`Correction:`, `This article was amended …`), or whose class or id
/// does and whose words do not ask for one; a box marked so whose words say so too. A
/// footer's invitation (`Spotted a mistake? …`, `Correction requests are handled …`) is not.
fn is_correction(node: &NodeRef) -> bool {
    let names = tokens(node);
    let classes = names.concat();
    let asks = names.iter().any(|t| CORRECTION_ASKS.contains(&t.as_str()));
    let marked = !asks && CORRECTION_MARKS.iter().any(|m| classes.contains(m));
    let text = clean(&node.text()).to_lowercase();
    // The label and its mark (`Correction:`, `Editor's note —`), not a word of a sentence.
    let opens = |w: &&str| {
        text.strip_prefix(*w)
            .is_some_and(|rest| rest.trim_start().starts_with([':', '—', '–', '.', '(']))
    };
    let said = CORRECTION_OPENINGS.iter().any(opens)
        || CORRECTION_PHRASES.iter().any(|w| text.contains(w));
    let paragraph = node.has_name("p") && own_words(node) >= NOTE_WORDS;
    let boxed = ["div", "section", "aside"].iter().any(|n| node.has_name(n));
    (paragraph && (said || marked && !text.contains('?')))
        || (boxed && marked && said && own_words(node) >= NOTE_WORDS)
}

/// A note whose id is on the link to its call that opens it (Substack's `<div
/// class="footnote"><a id="footnote-1" href="#footnote-anchor-1">1</a><div
/// class="footnote-content">…`): the id given to the note, which readability would otherwise
/// part from its text.
fn name_notes_by_their_holders(document: &Document) {
    for link in document.select("a[id][href^='#']").nodes() {
        let Some(holder) = link.parent() else {
            continue;
        };
        let opens = holder
            .element_children()
            .first()
            .is_some_and(|first| first.id == link.id);
        let number = clean(&link.text());
        let short = !number.is_empty() && number.chars().count() <= 5;
        let more = clean(&holder.text()).len() > number.len();
        if opens && short && more && holder.attr("id").is_none() && !holder.has_name("p") {
            let id = link.attr("id").expect("selected by its id");
            link.remove_attr("id");
            holder.set_attr("id", &id);
        }
    }
}

/// The fewest words of their own a footer's paragraph holds to be a note of the text's.
const NOTE_WORDS: usize = 8;

/// A paywall's pitch at the end of what the capture holds (`Subscribe to keep reading`,
/// its offer and its links): a box marked as the paywall's (`paywall-prompt`, not the
/// `paywalled` text itself), of a few words and a call to act (a button, a form, a link of
/// its own, not one in a sentence). True when one that cuts the text was left out.
fn drop_paywall_pitches(document: &Document) -> bool {
    let mut found = false;
    for node in document.select("[class*=paywall], [id*=paywall]").nodes() {
        if !is_paywall_pitch(node) || holds_paragraphs(node) {
            continue;
        }
        let words = clean(&node.text()).split_whitespace().count();
        if asks_to_act(node) && (1..=60).contains(&words) {
            // A meter (`You have 2 free articles left`) counts what is free; it cuts nothing.
            found |= !marked_as(node, "meter");
            node.remove_from_parent();
        }
    }
    found
}

/// Whether a word of the node's class or id holds `word`.
fn marked_as(node: &NodeRef, word: &str) -> bool {
    ["class", "id"]
        .iter()
        .filter_map(|a| node.attr(a))
        .any(|v| v.to_ascii_lowercase().contains(word))
}

/// Marked as the paywall's by a whole class or id: `paywall` or `paywall-…`, not one that
/// says the text is free (`paywall-free`, `paywall-open`, `paywall-unlocked`) and not the
/// `paywalled` text itself.
fn is_paywall_pitch(node: &NodeRef) -> bool {
    ["class", "id"]
        .iter()
        .filter_map(|a| node.attr(a))
        .flat_map(|v| {
            v.split_whitespace()
                .map(str::to_ascii_lowercase)
                .collect::<Vec<_>>()
        })
        .any(|t| {
            let rest = match t.strip_prefix("paywall") {
                Some("") => return true,
                Some(rest) => rest,
                None => return false,
            };
            rest.starts_with(['-', '_'])
                && !["free", "open", "unlocked"]
                    .iter()
                    .any(|w| rest.contains(w))
        })
}

/// A link that is no part of a sentence: in no paragraph, or in one that holds only links.
fn stands_alone(link: &NodeRef) -> bool {
    link.ancestors_it(None)
        .find(|a| a.has_name("p") || a.has_name("li"))
        .is_none_or(|p| own_words(&p) == 0)
}

/// Holds paragraphs of the article's prose (two or more with words of their own, not only a
/// link's): the text, never a pitch.
fn holds_paragraphs(node: &NodeRef) -> bool {
    node.descendants_it()
        .filter(|d| d.has_name("p") && own_words(d) > 0)
        .count()
        >= 2
}

/// The words of a node's text that are not in a link.
fn own_words(node: &NodeRef) -> usize {
    let words = clean(&node.text()).split_whitespace().count();
    words.saturating_sub(linked_words(node))
}

/// A gallery: a container of figures and nothing else, which readability would drop as a
/// box of pictures with little text; its figures stand where it stood.
fn unwrap_galleries(document: &Document) {
    for gallery in document.select("div, section").nodes() {
        let children = gallery.element_children();
        let only_figures = !children.is_empty() && children.iter().all(|c| c.has_name("figure"));
        let loose_text = gallery
            .children()
            .iter()
            .any(|c| c.is_text() && !c.text().trim().is_empty());
        if only_figures && !loose_text {
            if let Some(first) = gallery.first_child() {
                first.unwrap_node();
            }
        }
    }
}

/// A gallery's counter beside a picture (`1/4`, an element of nothing else): chrome, which
/// would stand between the picture and its caption.
fn drop_gallery_counters(document: &Document) {
    for image in document.select("img").nodes() {
        let counters: Vec<NodeRef> = image
            .parent()
            .map(|p| p.element_children())
            .unwrap_or_default()
            .into_iter()
            .filter(|c| c.element_children().is_empty() && is_counter(&c.text()))
            .collect();
        for counter in counters {
            counter.remove_from_parent();
        }
    }
}

/// `3/4`, `3 / 4`: a picture's number among a gallery's.
fn is_counter(text: &str) -> bool {
    let digits = |s: &str| !s.trim().is_empty() && s.trim().bytes().all(|b| b.is_ascii_digit());
    text.split_once('/')
        .is_some_and(|(n, of)| digits(n) && digits(of))
}

/// A lead photo between the headline and the text (a figure of the `article`, or of the
/// `main` of a page with no `article`, before the container of its paragraphs, with no
/// paragraph of text after it until the container): moved into that container, as its first
/// figure, where readability keeps it. A figure in the text (a paragraph before the container
/// stands after it) stays where it is.
fn keep_lead_figures(document: &Document) {
    for article in articles(document).nodes() {
        let Some(text) = text_container(article) else {
            continue;
        };
        let mut lead: Vec<NodeRef> = Vec::new();
        for node in article.descendants_it() {
            if node.id == text.id {
                break;
            }
            let in_figure = node.ancestors_it(None).any(|a| a.has_name("figure"));
            if node.has_name("p") && !in_figure && is_text_paragraph(&node) {
                lead.clear();
            }
            let holds_text = node.descendants_it().any(|d| d.id == text.id);
            if node.has_name("figure") && !in_figure && !holds_text {
                lead.push(node);
            }
        }
        for figure in lead.iter().rev() {
            text.prepend_child(figure);
        }
    }
}

/// The page's articles: its `article` elements, or its `main` when it has none.
fn articles(document: &Document) -> dom_query::Selection<'_> {
    let articles = document.select("article");
    match articles.is_empty() {
        true => document.select("main, [role=main]"),
        false => articles,
    }
}

/// A recipe's box in the text, after its first paragraph, whose class or id says `meta` (a
/// `<div class="recipe-meta">` with its `Serves 4 · Prep 10 min` line, its rating and its
/// buttons): readability drops any box so classed, whatever it holds, so its paragraphs of
/// words of their own and no links are moved out before it. The rest of it (the buttons)
/// stays to be judged as it was; a post's meta box (its tags, its sharing, its author's
/// bio) is not a recipe's.
fn keep_meta_lines(document: &Document) {
    for article in articles(document).nodes() {
        let text = text_container(article).unwrap_or(*article);
        let mut began = false;
        for node in text.descendants() {
            let names = tokens(&node);
            let meta = names.iter().any(|t| t.starts_with("meta"))
                && names.iter().any(|t| t.starts_with("recipe"));
            if began && meta && (node.has_name("div") || node.has_name("section")) {
                for line in node.element_children() {
                    let linked = line.descendants_it().any(|d| d.has_name("a"));
                    if line.has_name("p") && own_words(&line) > 0 && !linked {
                        node.insert_before(&line);
                    }
                }
            }
            began |= node.has_name("p") && is_text_paragraph(&node);
        }
    }
}

/// Classes or ids of the lines between a headline and its text: a byline, a date, a deck.
const HEAD_LINES: [&str; 9] = [
    "byline",
    "author",
    "dateline",
    "date",
    "meta",
    "standfirst",
    "deck",
    "dek",
    "kicker",
];

/// A paragraph of the article's text: one with words of its own (not only a link's) that
/// is no line of the article's head (in its `header`, or marked as a byline, date or deck).
fn is_text_paragraph(paragraph: &NodeRef) -> bool {
    let head = std::iter::once(*paragraph)
        .chain(paragraph.ancestors_it(None))
        .any(|a| {
            a.has_name("header") || tokens(&a).iter().any(|t| HEAD_LINES.contains(&t.as_str()))
        });
    !head && own_words(paragraph) > 0
}

/// The element of `article` whose paragraphs (its `p` children, two or more) hold most words
/// of their own (a paragraph that is only a link counts nothing), when that is not the
/// article itself and it holds at least as many words as the rest of the article: a box of
/// links below the text is never its container.
fn text_container<'a>(article: &NodeRef<'a>) -> Option<NodeRef<'a>> {
    let paragraphs = |n: &NodeRef| -> Vec<usize> {
        n.element_children()
            .iter()
            .filter(|c| c.has_name("p"))
            .map(own_words)
            .filter(|&w| w > 0)
            .collect()
    };
    let score = |n: &NodeRef| paragraphs(n).iter().sum::<usize>();
    let best = article
        .descendants_it()
        .filter(|d| d.is_element())
        .max_by_key(|d| score(d))?;
    let words = |n: &NodeRef| clean(&n.text()).split_whitespace().count();
    let outside = words(article).saturating_sub(words(&best));
    (paragraphs(&best).len() >= 2 && score(&best) > score(article) && words(&best) >= outside)
        .then_some(best)
}

/// An image followed by its caption as a paragraph of its own (`<p class="caption">`, as AMP
/// pages and older sites set it): the two made one figure.
fn keep_following_captions(document: &Document) {
    for image in document.select("img").nodes() {
        // The picture, or the paragraph or link that holds nothing else.
        let image = image
            .parent()
            .filter(|p| {
                ["p", "a", "span"].iter().any(|n| p.has_name(n))
                    && p.element_children().len() == 1
                    && p.text().trim().is_empty()
            })
            .unwrap_or(*image);
        let Some(caption) = image.next_element_sibling() else {
            continue;
        };
        let is_caption = caption.has_name("p")
            && caption.attr("class").is_some_and(|c| {
                c.split_whitespace().any(|w| {
                    let w = w.to_ascii_lowercase();
                    w.ends_with("caption") || w.ends_with("-desc")
                })
            });
        let between = image
            .next_sibling()
            .is_some_and(|n| n.id != caption.id && !n.text().trim().is_empty());
        let in_figure = image.ancestors_it(None).any(|a| a.has_name("figure"));
        if is_caption && !between && !in_figure && !is_prose(&caption) {
            caption.rename("figcaption");
            caption.remove_attr("class");
            image.wrap_html("<figure></figure>");
            if let Some(figure) = image.parent() {
                figure.append_child(&caption);
            }
        }
    }
}

/// A paragraph classed as a caption that reads as the article's prose: more than a caption's
/// words, or one of a run of paragraphs of its class (the text set in a caption's style).
/// It stays in the text rather than becoming an image's metadata.
fn is_prose(paragraph: &NodeRef) -> bool {
    let words = clean(&paragraph.text()).split_whitespace().count();
    let class = paragraph.attr("class");
    let run = paragraph
        .next_element_sibling()
        .is_some_and(|n| n.has_name("p") && n.attr("class") == class);
    words > CAPTION_WORDS || run
}

/// The most words a paragraph after a picture holds to be taken for its caption.
const CAPTION_WORDS: usize = 50;

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
        keep_picture_sources(image);
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

/// The renderings a `picture`'s `source`s offer (an AVIF, a WebP: perhaps the only one a
/// capture saved, the one its browser showed; not one for a dark scheme), written on its image as
/// [`super::convert::PICTURE_SOURCES`], since readability drops the sources.
fn keep_picture_sources(image: &NodeRef) {
    let Some(picture) = image
        .parent()
        .filter(|p| p.node_name().is_some_and(|n| &*n == "picture"))
    else {
        return;
    };
    let sets: Vec<String> = picture
        .element_children()
        .iter()
        .filter(|c| c.has_name("source"))
        // Not a rendering for a reader's settings (a dark scheme's, reduced motion's).
        .filter(|c| !c.attr("media").is_some_and(|m| m.contains("prefers-")))
        .filter_map(|c| c.attr("srcset").map(|s| s.to_string()))
        .collect();
    if !sets.is_empty() {
        image.set_attr(super::convert::PICTURE_SOURCES, &sets.join(", "));
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
        // Its words without its attribution (`<cite>Council leader</cite>`), which the text
        // does not repeat.
        let mut said = node.text().to_string();
        for cite in node
            .descendants_it()
            .filter(|d| d.has_name("cite") || d.has_name("footer"))
        {
            said = said.replacen(&*cite.text(), "", 1);
        }
        let quote = words(&said);
        if quote.is_empty() {
            continue;
        }
        // The body's text holds the pull quote once as it is: twice when the text repeats it.
        if body.matches(&quote).count() >= 2 {
            node.remove_from_parent();
        } else {
            // One that holds its own quotation (WordPress's `figure > blockquote`) is that
            // quotation: a quote in a quote would nest it twice.
            let holds_quote = node.descendants_it().any(|d| d.has_name("blockquote"));
            node.rename(if holds_quote { "div" } else { "blockquote" });
            node.remove_attr("class");
        }
    }
}

/// The site's furniture inside the text, marked as such by its class or id and made of
/// little but a label or links: an advertisement's label, share buttons, related articles
/// (`Read more: …`), an author's avatar, a call to become a member (`This post is for
/// subscribers only`, a button to subscribe).
fn drop_inline_chrome(document: &Document) {
    for node in document.select("[class], [id]").nodes() {
        let tokens = tokens(node);
        let has = |words: &[&str]| tokens.iter().any(|t| words.contains(&t.as_str()));
        let words = clean(&node.text()).split_whitespace().count();
        let linked = linked_words(node);
        let advert =
            has(&["ad", "ads", "advert", "advertisement", "gpt", "sponsored"]) && words <= 5;
        let links = linked * 2 >= words && words <= 40;
        let share = has(&["share", "sharing", "social"]) && links;
        let related = has(&["related", "readmore", "read", "recommended", "more"]) && links;
        let avatar = has(&["avatar", "gravatar"]) && words <= 3;
        let pitch = has(&["cta"]) && asks_to_act(node) && words <= 60;
        if advert || share || related || avatar || pitch {
            node.remove_from_parent();
        }
    }
}

/// Where a link that stands alone leads when it is the site's, not the article's: to its
/// comments (`Leave a comment`), to subscribe or to sign in.
const CHROME_LINK_ENDS: [&str; 7] = [
    "/comments",
    "#comments",
    "#respond",
    "/subscribe",
    "/signup",
    "/sign-up",
    "/sign-in",
];

/// A link of a few words standing alone (in no sentence) that leads to the article's comments
/// or to subscribing (Substack's `Leave a comment` button): the site's furniture, with the
/// paragraph that held only it.
fn drop_chrome_links(document: &Document) {
    for link in document.select("a[href]").nodes() {
        let href = link.attr("href").unwrap_or_default().to_ascii_lowercase();
        let path = href
            .split('?')
            .next()
            .unwrap_or_default()
            .trim_end_matches('/');
        let text = clean(&link.text()).to_lowercase();
        let words = text.split_whitespace().count();
        // Said as the site's button says it, and not an item of a list of links.
        let says = ["comment", "subscribe", "sign in", "sign up"]
            .iter()
            .any(|w| text.contains(w));
        let listed = link.ancestors_it(None).any(|a| a.has_name("li"));
        if !CHROME_LINK_ENDS.iter().any(|end| path.ends_with(end))
            || !(1..=4).contains(&words)
            || !says
            || listed
            || !stands_alone(link)
        {
            continue;
        }
        let holder = link
            .parent()
            .filter(|p| p.has_name("p") && clean(&p.text()) == clean(&link.text()));
        holder.unwrap_or(*link).remove_from_parent();
    }
}

/// Whether a box holds a call to act: a button, a form, or a link of its own (not one in a
/// sentence).
fn asks_to_act(node: &NodeRef) -> bool {
    node.descendants_it()
        .any(|d| d.has_name("button") || d.has_name("form") || d.has_name("a") && stands_alone(&d))
}

/// A box of the article's own beside its text (an `aside`, or an element marked as
/// complementary, inside the `article`: facts in numbers, a timeline) is part of the article;
/// one that is mostly links (related articles) is not.
/// The most words of a box of facts whose title is a label rather than a heading.
const FACT_BOX_WORDS: usize = 150;

fn keep_fact_boxes(document: &Document) {
    let boxes = document.select("article aside, article [role=complementary]");
    for aside in boxes.nodes() {
        let words = clean(&aside.text()).split_whitespace().count();
        let linked = linked_words(aside);
        if words >= 8 && linked * 2 < words {
            if aside.has_name("aside") {
                aside.rename("section");
            }
            // Readability drops what the page marks as complementary, as it drops asides.
            aside.remove_attr("role");
            // A short box's one title, at its head, labels the box as the page sets it; a
            // heading would open a section of the article that runs on past the box. A box
            // of several headings is a part of the article, and keeps them.
            let headings: Vec<NodeRef> = aside
                .descendants()
                .into_iter()
                .filter(|d| {
                    matches!(
                        d.node_name().as_deref(),
                        Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6")
                    )
                })
                .collect();
            let first = aside.element_children().into_iter().next();
            let titled = matches!((headings.as_slice(), first), ([h], Some(f)) if h.id == f.id);
            let short = words <= FACT_BOX_WORDS;
            for heading in headings.into_iter().filter(|_| titled && short) {
                heading.rename("strong");
                heading.remove_attr("class");
                heading.replace_with_html(format!("<p>{}</p>", heading.html()));
            }
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

/// A table set in a figure with its caption (WordPress's `figure.wp-block-table`): the
/// figure's caption made the table's, so that it stays with the table in every edition.
fn keep_table_captions(document: &Document) {
    for figure in document.select("figure").nodes() {
        let children = figure.element_children();
        let [first, second] = children.as_slice() else {
            continue;
        };
        let (table, caption) = match (first.has_name("table"), second.has_name("table")) {
            (true, false) => (first, second),
            (false, true) => (second, first),
            _ => continue,
        };
        let has_caption = table
            .element_children()
            .iter()
            .any(|c| c.has_name("caption"));
        if !caption.has_name("figcaption") || has_caption {
            continue;
        }
        caption.rename("caption");
        caption.remove_attr("class");
        table.prepend_child(caption);
        figure.replace_with(table);
    }
}

/// A cell's alignment as the page sets it: `align`, `text-align` in its style, or a class
/// that says it (WordPress's `has-text-align-right`, Bootstrap's `text-end`) or `data-align`.
fn alignment(cell: &NodeRef) -> Option<&'static str> {
    let attr = |name: &str| cell.attr(name).map(|a| a.trim().to_ascii_lowercase());
    let align = attr("align").or_else(|| attr("data-align"));
    let style = attr("style").unwrap_or_default().replace(' ', "");
    let classes = attr("class").unwrap_or_default();
    let classed = |a: &str| {
        let end = match a {
            "right" => "end",
            "left" => "start",
            other => other,
        };
        classes.split_whitespace().any(|c| {
            c == format!("has-text-align-{a}")
                || c == format!("text-{a}")
                || c == format!("text-{end}")
        })
    };
    ["center", "right", "left"].into_iter().find(|a| {
        align.as_deref() == Some(*a) || style.contains(&format!("text-align:{a}")) || classed(a)
    })
}

/// The words of a node's class and id (`InlineAd_ad__n8M9o` gives `inlinead`, `ad`, `n8m9o`),
/// lower-cased.
fn tokens(node: &NodeRef) -> Vec<String> {
    ["class", "id"]
        .iter()
        .filter_map(|a| node.attr(a))
        .flat_map(|v| {
            v.to_ascii_lowercase()
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_accepts_only;

    /// The page's `article` after [`prepare`], as HTML.
    fn prepared(article: &str) -> String {
        let document = Document::from(format!(
            "<html><body><article>{article}</article></body></html>"
        ));
        prepare(&document);
        document.select("article").html().to_string()
    }

    fn paragraph(words: usize) -> String {
        format!("<p>{}</p>", vec!["word"; words].join(" "))
    }

    #[test]
    fn a_short_box_s_title_is_a_label_and_a_part_of_the_article_in_an_aside_keeps_its_headings() {
        let short = prepared(
            "<p>Text.</p><aside class=\"facts\"><h3>Holm in numbers</h3><ul><li>Population: \
             212, up from 180</li><li>Ferries a day: six</li></ul></aside>",
        );
        assert!(
            short.contains("<section class=\"facts\"><p><strong>Holm in numbers</strong></p>"),
            "{short}"
        );
        let part = prepared(&format!(
            "<p>Text.</p><aside><h2>The birds' case</h2>{}<h3>What the surveys found</h3>{}\
             </aside>",
            paragraphs(2, 40),
            paragraphs(2, 40)
        ));
        assert!(part.contains("<h2>The birds' case</h2>"), "{part}");
        assert!(part.contains("<h3>What the surveys found</h3>"), "{part}");
    }

    #[test]
    fn an_instagram_embed_is_its_caption_its_shared_by_line_and_its_link() {
        let captioned = prepared(
            "<blockquote class=\"instagram-media\" data-instgrm-captioned \
             data-instgrm-permalink=\"https://www.instagram.com/p/DA1/?utm_source=ig_embed\">\
             <div style=\"padding:16px\"><a href=\"https://www.instagram.com/p/DA1/?utm_source=ig_embed\">\
             <div><div></div></div><div>View this post on Instagram</div></a>\
             <p style=\"margin:8px\"><a href=\"https://www.instagram.com/p/DA1/\">The slipway at \
             2am &amp; the roof.<br><br>Thanks to the crew</a></p><p>A post shared by <a href=\"https://www.instagram.com/f/\">\
             Fiona</a> (@fiona)</p></div></blockquote><script src=\"//www.instagram.com/embed.js\">\
             </script>",
        );
        assert!(
            captioned.contains(
                "<blockquote><p>The slipway at 2am &amp; the roof.<br>Thanks to the crew</p>\
                 <p>A post shared by Fiona \
                 (@fiona)</p><p><a href=\"https://www.instagram.com/p/DA1/\">View this post on \
                 Instagram</a></p></blockquote>"
            ),
            "{captioned}"
        );
    }

    /// `count` paragraphs of `words` words each.
    fn paragraphs(count: usize, words: usize) -> String {
        paragraph(words).repeat(count)
    }

    /// An article of a title, a figure of `src` under it and `rest`, prepared.
    fn prepared_with_lead(src: &str, rest: &str) -> String {
        prepared(&format!(
            "<h1>T</h1><figure><img src=\"{src}\"></figure>{rest}"
        ))
    }

    #[test]
    fn a_lead_figure_is_never_moved_into_a_box_holding_fewer_words_than_the_text_around_it() {
        // The notes hold the most words of any one block, the text's blocks more together.
        let text = format!("<div>{}</div>", paragraphs(2, 12)).repeat(4);
        let notes = paragraphs(2, 15);
        let html = prepared_with_lead(
            "a.jpg",
            &format!("<div class=\"notes\">{notes}</div>{text}"),
        );
        assert!(
            html.contains("<h1>T</h1><figure>"),
            "the figure stays where it stood: {html}"
        );
    }

    #[test]
    fn a_figure_with_a_paragraph_of_text_after_it_is_in_the_text_and_is_not_moved() {
        let intro = format!(
            "{}<figure><img src=\"map.jpg\"></figure>{}",
            paragraph(20),
            paragraph(20)
        );
        let body = paragraphs(3, 40);
        let html = prepared_with_lead(
            "lead.jpg",
            &format!("<div class=\"intro\">{intro}</div><div class=\"body\">{body}</div>"),
        );
        let map = html.find("map.jpg").unwrap();
        let second = html.match_indices("<p>").nth(1).unwrap().0;
        assert!(
            map < second,
            "the map stays before the intro's second paragraph: {html}"
        );
        assert!(
            html.find("lead.jpg").unwrap() < html.find("<p>").unwrap(),
            "{html}"
        );
    }

    #[test]
    fn a_lead_figure_above_the_byline_is_moved_into_the_text_s_container() {
        let body = paragraphs(2, 40);
        let html = prepared_with_lead(
            "lead.jpg",
            &format!("<p class=\"byline\">By Ann Keeper</p><div class=\"body\">{body}</div>"),
        );
        assert!(
            html.contains("<div class=\"body\"><figure><img src=\"lead.jpg\"></figure>"),
            "{html}"
        );
    }

    #[test]
    fn a_paragraph_of_text_in_a_paywall_s_box_is_kept_and_the_pitch_is_not() {
        let text = "<p>The board met on Tuesday to discuss the <a href=\"/t\">terminal</a>.</p>";
        let html = prepared(&format!("<div class=\"paywall\">{text}</div>"));
        assert!(html.contains(text), "{html}");
        let html = prepared(
            "<p>The board met.</p><div class=\"paywall\"><p>Subscribe to keep reading.</p>\
             <p><a href=\"/subscribe\">Subscribe now</a></p></div>",
        );
        assert!(!html.contains("Subscribe"), "{html}");
    }

    #[test]
    fn a_pull_quote_the_text_repeats_goes_with_its_attribution() {
        let html = prepared(
            "<p>\"We want homes, not investment units,\" the council leader said on Monday.</p>\
             <figure class=\"wp-block-pullquote\"><blockquote><p>We want homes, not investment \
             units.</p><cite>Council leader</cite></blockquote></figure><p>More text.</p>",
        );
        assert!(!html.contains("<cite>"), "{html}");
    }

    #[test]
    fn an_emoji_picture_is_its_character() {
        for (image, emoji) in [
            (
                "<img class=\"emoji\" draggable=\"false\" role=\"img\" alt=\"😂\" \
                 src=\"https://s.w.org/images/core/emoji/15.0.3/svg/1f602.svg\">",
                "😂",
            ),
            (
                "<img class=\"twemoji\" alt=\"🇯🇵\" \
                 src=\"https://cdn.example/twemoji/72x72/1f1ef-1f1f5.png\">",
                "🇯🇵",
            ),
            (
                "<img class=\"wp-smiley\" alt=\":)\" \
                 src=\"https://blog.example/wp-includes/images/smilies/simple-smile.png\">",
                ":)",
            ),
            (
                "<img alt=\"👍🏽\" src=\"https://cdn.example/twemoji/1f44d-1f3fd.png\">",
                "👍🏽",
            ),
        ] {
            let html = prepared(&format!("<p>Readers replied {image} at once.</p>"));
            assert!(
                html.contains(&format!("<p>Readers replied {emoji} at once.</p>")),
                "{html}"
            );
        }
    }

    #[test]
    fn a_picture_described_in_words_or_not_marked_as_an_emoji_stays_a_picture() {
        for image in [
            "<img class=\"emoji\" alt=\"Face with tears of joy\" src=\"https://s.w.org/images/core/emoji/1f602.svg\">",
            "<img alt=\"😂\" src=\"https://news.example/photos/reaction.jpg\">",
            // A story's own picture of an emoji, in its uploads.
            "<img alt=\"🫎\" src=\"https://news.example/uploads/2024/emoji/moose-artwork.png\">",
        ] {
            let html = prepared(&format!("<p>Readers replied {image} at once.</p>"));
            assert!(html.contains("<img"), "{html}");
        }
        // A figure's picture, marked or not, is a picture.
        let figure = "<figure><img class=\"emoji\" alt=\"🫎\" src=\"https://s.w.org/images/core/emoji/1facE.svg\"><figcaption>The new moose emoji.</figcaption></figure>";
        assert!(prepared(figure).contains("<img"));
    }

    #[test]
    fn a_paywall_s_pitch_is_marked_by_a_whole_class_that_does_not_say_the_text_is_free() {
        let marked = |attributes: &str| {
            let document = Document::from(format!("<div {attributes}></div>"));
            is_paywall_pitch(&document.select("div").nodes()[0])
        };
        assert_accepts_only(
            marked,
            &[
                "class=\"paywall\"",
                "class=\"box paywall-prompt\"",
                "id=\"paywall\"",
            ],
            &[
                "class=\"article-body paywall-free\"",
                "class=\"paywall-open\"",
                "class=\"paywall-unlocked\"",
                "class=\"paywalled\"",
                "class=\"no-paywall\"",
                "class=\"nopaywall\"",
            ],
        );
    }
}
