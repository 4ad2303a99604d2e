//! Breaking text into lines on measured glyph advances: Unicode line-break opportunities
//! (UAX #14), Knuth-Liang hyphenation of the word that would overflow, and justification by
//! spreading the line's spaces.

use hyphenation::{Hyphenator, Language, Load, Standard};
use unicode_linebreak::{linebreaks, BreakOpportunity};

/// One line of a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The text, a trailing hyphen included when the line ends inside a word.
    pub text: String,
    /// Its natural width, in points.
    pub width: f32,
    /// Whether to stretch it to the full measure (not the last line of a paragraph).
    pub justify: bool,
    /// Whether the line ends in a hyphen quire added.
    pub hyphenated: bool,
}

impl Line {
    /// The spaces that justification widens (trailing ones excluded).
    pub fn spaces(&self) -> usize {
        self.text.trim_end().matches(' ').count()
    }
}

/// The Knuth-Liang patterns for a language tag (`en`, `fr`, `de`, `pt-BR`…), when there are
/// any; an issue that gives no language is set with English patterns. Scripts that do not
/// hyphenate (CJK) get none.
pub fn hyphenator(language: Option<&str>) -> Option<Standard> {
    let tag = language.unwrap_or("en").to_ascii_lowercase();
    let primary = tag.split('-').next().unwrap_or("en");
    let code = match primary {
        "und" | "en" if tag == "en-gb" => "en-gb",
        "und" | "en" => "en-us",
        "de" => "de-1996",
        "el" => "el-monoton",
        "mn" => "mn-cyrl",
        "sr" => "sr-cyrl",
        "zh" | "ja" | "ko" => return None,
        other => other,
    };
    let language = Language::try_from_code(&tag).or_else(|| Language::try_from_code(code))?;
    Standard::from_embedded(language).ok()
}

/// Breaks `text` into lines no wider than `measure` points, measuring with `width`.
pub fn break_lines(
    text: &str,
    measure: f32,
    width: &dyn Fn(&str) -> f32,
    hyphenator: Option<&Standard>,
) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut current_width = 0.0;
    let mut start = 0;
    let finish = |lines: &mut Vec<Line>, text: &str, justify: bool, hyphenated: bool| {
        let trimmed = text.trim_end();
        lines.push(Line {
            text: trimmed.to_string(),
            width: width(trimmed),
            justify,
            hyphenated,
        });
    };
    for (end, opportunity) in linebreaks(text) {
        let segment = &text[start..end];
        start = end;
        let segment_width = width(segment);
        let fits = current_width + width(segment.trim_end()) <= measure;
        if fits || current.is_empty() {
            current.push_str(segment);
            current_width += segment_width;
        } else {
            // The segment overflows: hyphenate it if a piece fits, else start a new line.
            match hyphenate_to_fit(segment, measure - current_width, width, hyphenator) {
                Some((head, tail)) => {
                    current.push_str(&head);
                    current.push('-');
                    finish(&mut lines, &current, true, true);
                    current = tail;
                }
                None => {
                    finish(&mut lines, &current, true, false);
                    current = segment.to_string();
                }
            }
            current_width = width(&current);
        }
        // A word longer than the measure with no break in it: split it where it overflows.
        while current_width > measure
            && width(current.trim_end()) > measure
            && current.chars().count() > 1
        {
            // Measure character by character (widths add up), so a very long word costs
            // time in proportion to its length.
            let mut end = 0;
            let mut taken = 0.0;
            for (at, c) in current.char_indices() {
                let mut buffer = [0u8; 4];
                let advance = width(c.encode_utf8(&mut buffer));
                if taken + advance > measure && end > 0 {
                    break;
                }
                taken += advance;
                end = at + c.len_utf8();
            }
            let rest = current[end..].to_string();
            finish(&mut lines, &current[..end], false, false);
            current_width -= taken;
            current = rest;
        }
        if opportunity == BreakOpportunity::Mandatory {
            if !current.trim().is_empty() || lines.is_empty() {
                finish(&mut lines, &current, false, false);
            }
            current.clear();
            current_width = 0.0;
        }
    }
    if !current.trim().is_empty() {
        finish(&mut lines, &current, false, false);
    }
    lines
}

/// Splits `segment` at a hyphenation point so that its head plus a hyphen fits in `room`.
fn hyphenate_to_fit(
    segment: &str,
    room: f32,
    width: &dyn Fn(&str) -> f32,
    hyphenator: Option<&Standard>,
) -> Option<(String, String)> {
    let hyphenator = hyphenator?;
    // Only the letters of the word are hyphenated; punctuation and spaces stay with the tail.
    let word_start = segment.find(|c: char| c.is_alphabetic())?;
    let word_len = segment[word_start..]
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(segment.len() - word_start);
    let word = &segment[word_start..word_start + word_len];
    if word.chars().count() < 5 {
        return None;
    }
    let breaks = hyphenator.hyphenate(word).breaks;
    breaks
        .iter()
        .rev()
        .map(|&at| word_start + at)
        .find(|&at| width(&segment[..at]) + width("-") <= room)
        .map(|at| (segment[..at].to_string(), segment[at..].to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character 1 point wide: easy to reason about.
    fn mono(text: &str) -> f32 {
        text.chars().count() as f32
    }

    #[test]
    fn lines_fill_the_measure_and_keep_every_word() {
        let text = "The fundamental resources of the Internet are vitally connected to the development and security of the industry.";
        let lines = break_lines(text, 30.0, &mono, None);
        assert!(lines.iter().all(|l| l.width <= 30.0), "{lines:?}");
        assert!(lines[..lines.len() - 1].iter().all(|l| l.justify));
        assert!(!lines.last().unwrap().justify);
        let joined: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(joined.join(" "), text);
    }

    #[test]
    fn patterns_follow_the_language() {
        for tag in [
            None,
            Some("en"),
            Some("en-GB"),
            Some("fr"),
            Some("de"),
            Some("ru"),
            Some("pt-BR"),
        ] {
            assert!(hyphenator(tag).is_some(), "{tag:?}");
        }
        assert!(hyphenator(Some("zh-Hans")).is_none());
        let de = hyphenator(Some("de")).unwrap();
        assert!(!de.hyphenate("Zeitschriftenarchiv").breaks.is_empty());
    }

    #[test]
    fn the_overflowing_word_is_hyphenated() {
        let en = hyphenator(Some("en")).unwrap();
        let text = "administration administration administration";
        let lines = break_lines(text, 20.0, &mono, Some(&en));
        assert!(
            lines[0].hyphenated && lines[0].text.ends_with('-'),
            "{lines:?}"
        );
        let rejoined: String = lines
            .iter()
            .map(|l| {
                if l.hyphenated {
                    l.text.trim_end_matches('-').to_string()
                } else {
                    format!("{} ", l.text)
                }
            })
            .collect();
        assert_eq!(rejoined.trim_end(), text);
        assert!(lines.iter().all(|l| l.width <= 20.0), "{lines:?}");
    }

    #[test]
    fn cjk_breaks_between_characters_and_long_words_are_split() {
        let lines = break_lines("数字档案保存杂志期刊的长期保存与导出", 5.0, &mono, None);
        assert!(
            lines.iter().all(|l| l.width <= 5.0) && lines.len() == 4,
            "{lines:?}"
        );
        let lines = break_lines("supercalifragilistic", 6.0, &mono, None);
        assert!(lines.iter().all(|l| l.width <= 6.0), "{lines:?}");
        assert_eq!(
            lines.iter().map(|l| l.text.as_str()).collect::<String>(),
            "supercalifragilistic"
        );
    }
}
