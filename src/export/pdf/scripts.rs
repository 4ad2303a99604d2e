//! The scripts the PDF edition cannot set. Right-to-left scripts (Arabic, Hebrew, ...) and
//! those whose letters take their shape from their neighbours (Devanagari and the other
//! Indic scripts, Tibetan, Myanmar, Khmer, Mongolian) need bidirectional layout and complex
//! shaping: set glyph by glyph, their text would print as unreadable letters. Hebrew and
//! Arabic within left-to-right text are set (the writer orders them right to left, the
//! shaper joins Arabic); a page that reads right to left, and the other scripts, are not. An
//! edition holding them is refused before anything is laid out, with the articles and
//! scripts named; the EPUB and the web edition carry such text.

use crate::export::{Edition, ExportError};
use crate::model::body::parser;
use crate::model::is_right_to_left;
use pulldown_cmark::Event;
use std::collections::BTreeSet;

/// Blocks of the scripts the PDF cannot set, by first and last code point, with the script's
/// name.
const NOT_SET: [(u32, u32, &str); 26] = [
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0700, 0x074F, "Syriac"),
    (0x0750, 0x077F, "Arabic"),
    (0x0780, 0x07BF, "Thaana"),
    (0x07C0, 0x07FF, "N'Ko"),
    (0x0800, 0x083F, "Samaritan"),
    (0x0840, 0x085F, "Mandaic"),
    (0x0860, 0x08FF, "Arabic"),
    (0x0900, 0x097F, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"),
    (0x0B00, 0x0B7F, "Odia"),
    (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"),
    (0x0D00, 0x0D7F, "Malayalam"),
    (0x0D80, 0x0DFF, "Sinhala"),
    (0x0F00, 0x0FFF, "Tibetan"),
    (0x1000, 0x109F, "Myanmar"),
    (0x1780, 0x17FF, "Khmer"),
    (0x1800, 0x18AF, "Mongolian"),
    (0xFB1D, 0xFB4F, "Hebrew"),
    // Arabic's presentation forms, A and B: not the blocks between them (variation
    // selectors, vertical and small forms, CJK compatibility forms) nor the byte order mark.
    (0xFB50, 0xFDFF, "Arabic"),
    (0xFE70, 0xFEFE, "Arabic"),
];

/// The script of `c` when the PDF edition cannot set it.
pub fn not_set(c: char) -> Option<&'static str> {
    let code = c as u32;
    NOT_SET
        .iter()
        .find(|(first, last, _)| (*first..=*last).contains(&code))
        .map(|(_, _, script)| *script)
}

/// Refuses an edition whose text holds a script the PDF cannot set, naming the scripts and
/// where they are (the issue's own title, or each article by id). Hebrew and Arabic words
/// within left-to-right text are set (right to left, in the bundled faces): a place is refused
/// for them only when its language reads right to left or most of its letters do, which needs
/// a page laid out right to left.
pub fn check(edition: &Edition) -> Result<(), ExportError> {
    let issue = &edition.issue;
    let mut scripts = BTreeSet::new();
    let mut places = Vec::new();
    let mut look = |place: String, language: Option<&str>, texts: &[&str]| {
        let chars = || texts.iter().flat_map(|text| text.chars());
        let mut found: BTreeSet<&str> = chars().filter_map(not_set).collect();
        // Counted only where there is Hebrew or Arabic (it reads every letter).
        if found
            .iter()
            .any(|script| matches!(*script, "Hebrew" | "Arabic"))
            && !language.is_some_and(is_right_to_left)
            && mostly_left_to_right(chars())
        {
            found.retain(|script| !matches!(*script, "Hebrew" | "Arabic"));
        }
        if !found.is_empty() {
            let named: Vec<&str> = found.iter().copied().collect();
            places.push(format!("{place} ({})", named.join(", ")));
            scripts.extend(found);
        }
    };
    let mut own = vec![issue.publication.title.as_str()];
    own.extend(issue.title.as_deref());
    look("the issue's title".to_string(), issue.text_language(), &own);
    for article in issue.articles() {
        let body = shown_text(edition.body(&article.id));
        let mut texts = vec![article.title.as_str(), body.as_str()];
        texts.extend(article.deck.as_deref());
        texts.extend(article.section.as_deref());
        texts.extend(article.authors.iter().map(String::as_str));
        let language = article.language.as_deref().or(issue.text_language());
        look(format!("article `{}`", article.id), language, &texts);
    }
    if scripts.is_empty() {
        return Ok(());
    }
    Err(ExportError::ScriptNotSet {
        scripts: scripts.into_iter().collect::<Vec<_>>().join(", "),
        places: places.join(", "),
    })
}

/// Whether more letters of `chars` read left to right than right to left.
fn mostly_left_to_right(chars: impl Iterator<Item = char>) -> bool {
    use unicode_bidi::{bidi_class, BidiClass};
    let (mut ltr, mut rtl) = (0usize, 0usize);
    for c in chars.filter(|c| c.is_alphabetic()) {
        match bidi_class(c) {
            BidiClass::L => ltr += 1,
            BidiClass::R | BidiClass::AL => rtl += 1,
            _ => {}
        }
    }
    ltr > rtl
}

/// The text of a body the PDF prints: its words, code and maths, and raw HTML's text outside
/// its tags (not link targets, not comments).
fn shown_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in parser(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                text.push_str(&t);
            }
            Event::Html(html) | Event::InlineHtml(html) if !html.trim().starts_with("<!--") => {
                let mut in_tag = false;
                for c in html.chars() {
                    match c {
                        '<' => in_tag = true,
                        '>' => in_tag = false,
                        c if !in_tag => text.push(c),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        text.push(' ');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_to_left_and_shaped_scripts_are_named_and_others_are_not() {
        for (c, script) in [
            ('ب', Some("Arabic")),
            ('ﻻ', Some("Arabic")),
            ('ש', Some("Hebrew")),
            ('क', Some("Devanagari")),
            ('த', Some("Tamil")),
            ('ក', Some("Khmer")),
            ('a', None),
            ('é', None),
            ('Ж', None),
            ('中', None),
            ('ก', None),
            ('ﷺ', Some("Arabic")),
            // A variation selector (`❤️`), a vertical form, a CJK compatibility form, a small
            // form, the byte order mark: once taken for Arabic presentation forms.
            ('\u{FE0F}', None),
            ('︐', None),
            ('︵', None),
            ('﹐', None),
            ('\u{FEFF}', None),
        ] {
            assert_eq!(not_set(c), script, "{c}");
        }
    }

    #[test]
    fn right_to_left_words_in_left_to_right_text_are_told_from_a_right_to_left_page() {
        assert!(mostly_left_to_right(
            "The sign said שלום עולם twice".chars()
        ));
        assert!(!mostly_left_to_right(
            "افتتح الميناء من جديد. The Souq".chars()
        ));
    }

    #[test]
    fn the_shown_text_of_a_body_leaves_out_link_targets_tags_and_comments() {
        let body = "A [link](https://ar.example/عربي) and <span title=\"ש\">text</span>.\n\n<!-- مخفي -->\n\n<p>Said: مرحبا</p>\n";
        let text = shown_text(body);
        assert!(text.contains("link") && text.contains("text") && text.contains("مرحبا"));
        assert!(!text.contains("عربي") && !text.contains('ש') && !text.contains("مخفي"));
    }
}
