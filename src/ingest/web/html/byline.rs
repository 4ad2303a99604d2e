//! Bylines as pages write them: the names they give, without the words that introduce them
//! (`By`, `Interview by`, `بقلم:`, `文/`), the staff titles after them (`Staff Writer`) and the
//! dates beside them; and whether a short line of a page is a byline at all, so that the
//! body does not keep it as text.

use super::super::date_prefix;
use super::convert::clean;
use super::meta::{at_date_label, date_line, reading_time, PART_SEPARATORS};

/// Words that introduce a byline whatever follows them (with a colon or a slash or not).
const PREFIXES: [&str; 14] = [
    "by", "بقلم", "كتب", "文", "记者", "記者", "作者", "撰文", "autor", "autora", "author",
    "authors", "reporter", "text",
];

/// Words that introduce a byline in other languages but may also begin a name (`Di Caprio`,
/// `Von Trier`), with the languages that write them: taken as the byline's word only before
/// a name of two words or more, and at the head of a page only in a page of that language.
const NAME_PREFIXES: [(&str, &[&str]); 7] = [
    ("par", &["fr"]),
    ("von", &["de"]),
    ("por", &["es", "pt"]),
    ("di", &["it"]),
    ("door", &["nl"]),
    ("av", &["sv", "no", "nb", "nn"]),
    ("af", &["da"]),
];

/// Words that are no part of a name (`By The Numbers`, `Par For The Course`).
const NOT_NAMES: [&str; 16] = [
    "the", "a", "an", "for", "to", "from", "of", "in", "on", "at", "with", "and", "or", "by",
    "into", "about",
];

/// Words of a credit that ends in `by` (`Interview by`, `Photographs and text by`).
const CREDIT_WORDS: [&str; 22] = [
    "interview",
    "photographs",
    "photography",
    "photos",
    "photo",
    "pictures",
    "images",
    "text",
    "words",
    "story",
    "written",
    "reported",
    "reporting",
    "illustrations",
    "illustration",
    "video",
    "graphics",
    "research",
    "edited",
    "compiled",
    "and",
    "&",
];

/// Words of a staff title (`Staff Writer`, `Courier Staff Writer`, `Correspondent`; French
/// `envoyée spéciale`, `correspondant`, `journaliste`, Spanish `enviado especial`,
/// `corresponsal`, `redactora`, German `Korrespondentin`, `Redakteur`).
const ROLE_WORDS: [&str; 30] = [
    "writer",
    "writers",
    "staff",
    "correspondent",
    "reporter",
    "editor",
    "contributor",
    "columnist",
    "photographer",
    "photojournalist",
    "intern",
    "producer",
    "freelance",
    "contributing",
    "envoyé",
    "envoyée",
    "correspondant",
    "correspondante",
    "journaliste",
    "rédacteur",
    "rédactrice",
    "enviado",
    "enviada",
    "corresponsal",
    "redactor",
    "redactora",
    "periodista",
    "korrespondent",
    "korrespondentin",
    "redakteur",
];

/// Titles written after a reporter's name (`김민수 기자`, `山田太郎 特派員`, `王明 记者`).
const TITLES_AFTER: [&str; 7] = [
    "기자",
    "特派員",
    "特派员",
    "記者",
    "记者",
    "通讯员",
    "通訊員",
];

/// The byline without the word or phrase that introduces it: `By Ana Lopes`, `Interview by
/// Felix Marr`, `Photographs and text by Inês Carvalho`, `بقلم: سارة الحسيني`, `文/李明`; and
/// whether there was one.
pub fn strip_prefix(byline: &str) -> (&str, bool) {
    strip_prefix_in(byline, None)
}

/// [`strip_prefix`] for a line of a page in `language` (`Some`), where a word of another
/// language's byline (`Por`, `Door`) introduces none; `None` takes them all.
fn strip_prefix_in<'a>(byline: &'a str, language: Option<Option<&str>>) -> (&'a str, bool) {
    let byline = byline.trim();
    // A phrase ending in `by` (`Interview by`, `Words and pictures by`).
    let lower = byline.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("by") {
        let at = from + at;
        from = at + 2;
        let before = &lower[..at];
        let whole_word =
            (at == 0 || before.ends_with(' ')) && lower[at + 2..].starts_with([' ', ':']);
        let phrase = before.split_whitespace().all(|w| CREDIT_WORDS.contains(&w));
        if whole_word && phrase {
            let rest = byline[at + 2..].trim_start_matches([' ', ':']);
            return (rest.trim(), true);
        }
        if at > 40 {
            break;
        }
    }
    for prefix in PREFIXES {
        if let Some(rest) = lower.strip_prefix(prefix).and_then(separated) {
            return (&byline[byline.len() - rest.len()..], true);
        }
    }
    for (prefix, languages) in NAME_PREFIXES {
        let spoken = language.is_none_or(|l| {
            l.is_some_and(|l| {
                let primary = l.split('-').next().unwrap_or_default().to_ascii_lowercase();
                languages.contains(&primary.as_str())
            })
        });
        if !spoken {
            continue;
        }
        let rest = lower
            .strip_prefix(prefix)
            .and_then(|r| r.strip_prefix([' ', ':']))
            .map(str::trim_start);
        if let Some(rest) = rest.filter(|r| r.split_whitespace().count() >= 2) {
            return (&byline[byline.len() - rest.len()..], true);
        }
    }
    (byline, false)
}

/// What follows a byline's word after its separator (`: `, `/`, a space); none when the word
/// runs on (`Textiles`).
fn separated(rest: &str) -> Option<&str> {
    let trimmed = rest.trim_start_matches([':', '：', '/', '／', ' ']);
    (trimmed.len() < rest.len() || rest.is_empty()).then_some(trimmed)
}

/// A part of a byline that is a staff title rather than a name (`Staff Writer`).
pub fn is_role(part: &str) -> bool {
    part.split_whitespace()
        .any(|w| ROLE_WORDS.contains(&w.to_lowercase().as_str()))
}

/// The authors a byline names: split at commas, line breaks and "and", and at `&` only where
/// every part is a full name (`Ana Lopes & Tom Reilly`), so that `Mac & i` stays one; the
/// parts of a byline that are dates, reading times or staff titles (`By Ana Lopes, Staff
/// Writer | Published 12 March 2024`) left out.
pub fn split_byline(byline: &str) -> Vec<String> {
    let byline = byline.lines().map(clean).collect::<Vec<_>>().join(", ");
    let byline = byline
        .split(PART_SEPARATORS)
        .map(|p| at_date_label(p.trim().trim_start_matches(['—', '–', '-']).trim()).0)
        .filter(|part| !part.is_empty() && !date_line(part) && !reading_time(part))
        .map(without_date)
        .collect::<Vec<_>>()
        .join(", ");
    let (byline, _) = strip_prefix(&byline);
    let mut authors = Vec::new();
    for part in byline
        .split([',', '、', '，'])
        .flat_map(|p| p.split(" and "))
    {
        let pieces: Vec<&str> = part.split('&').map(str::trim).collect();
        if pieces.len() > 1 && pieces.iter().all(|p| p.split_whitespace().count() >= 2) {
            authors.extend(pieces.iter().map(|p| p.to_string()));
        } else {
            authors.push(part.trim().to_string());
        }
    }
    for author in &mut authors {
        *author = without_dateline(without_title(author)).to_string();
    }
    authors.retain(|a| !a.is_empty() && !is_role(a));
    authors
}

/// A part of a byline without the date written after the name, unlabelled (`佐藤 花子
/// 2025年3月24日`, `Ana Lopes 7 May 2024`: the `<time>` a page sets beside the name).
fn without_date(part: &str) -> &str {
    let is_date = |rest: &str| {
        let words: Vec<&str> = rest.split_whitespace().collect();
        (1..=4).contains(&words.len())
            && words
                .last()
                .is_some_and(|w| w.contains(|c: char| c.is_ascii_digit()))
            && date_prefix(rest).is_some()
    };
    part.match_indices(char::is_whitespace)
        .map(|(at, _)| at)
        .find(|&at| is_date(&part[at..]))
        .map_or(part, |at| part[..at].trim_end())
}

/// A name without the reporter's title written after it (`김민수 기자` is `김민수`).
fn without_title(name: &str) -> &str {
    TITLES_AFTER
        .iter()
        .find_map(|t| name.strip_suffix(t))
        .map(str::trim_end)
        .filter(|n| !n.is_empty())
        .unwrap_or(name)
}

/// A name without the place it was filed from (`WANG XIAOMING in Beijing` is `WANG
/// XIAOMING`): a name, `in` and one to three capitalized words.
fn without_dateline(name: &str) -> &str {
    let Some((before, place)) = name.rsplit_once(" in ") else {
        return name;
    };
    let words = place.split_whitespace().count();
    let named = is_name(before) && (1..=3).contains(&words) && is_name(place);
    if named {
        before.trim_end()
    } else {
        name
    }
}

/// Lower-case words inside names (`Anouk de Vries`, `Ludwig van Beethoven`).
const PARTICLES: [&str; 16] = [
    "de", "da", "das", "do", "dos", "del", "della", "di", "du", "van", "von", "der", "den", "la",
    "le", "bin",
];

/// A name as a byline writes one: one to five words, each capitalized but for the particles
/// of names (`Hannah Lee`, `MARGARET ELLIS`, `Anouk de Vries`, `سارة الحسيني`, `李明华`).
pub fn is_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let capitalized = |w: &&str| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() && !c.is_lowercase())
    };
    (1..=5).contains(&words.len())
        && words.first().is_some_and(capitalized)
        && words
            .iter()
            .all(|w| capitalized(w) || PARTICLES.contains(w))
        && !text.ends_with(['.', '!', '?', ':'])
}

/// The authors a line names when the line is a byline by its shape: introduced by a byline's
/// word (`By MARGARET ELLIS`, `Interview by Felix Marr`), short, and every part of it a name,
/// a staff title or a date. Lines of text are not bylines.
///
/// A line of a page in `language`: a word that introduces bylines in another language
/// (`Por Favor` in an English page) introduces none, and a name has no words that no name
/// has (`By The Numbers`, `By Land And Sea`).
pub fn byline_line(text: &str, language: Option<&str>) -> Option<Vec<String>> {
    let flat = clean(text);
    if flat.split_whitespace().count() > 16 || flat.chars().count() > 120 {
        return None;
    }
    let first = text.lines().next()?.split(PART_SEPARATORS).next()?;
    let (rest, introduced) = strip_prefix_in(first, Some(language));
    if !introduced || rest.is_empty() {
        return None;
    }
    let authors = split_byline(text);
    let named = |a: &String| {
        is_name(a)
            && !a
                .split_whitespace()
                .any(|w| NOT_NAMES.contains(&w.to_lowercase().as_str()))
    };
    (!authors.is_empty() && authors.iter().all(named)).then_some(authors)
}

/// A line that is what is left of a byline whose names the page marked apart (`Photographs
/// and text by`, `Author:`): the introducing words and nothing else, a credit ending in `by`
/// or a byline's word with its colon. A line that is one word (`Text`, `Reporter`, `By`) is
/// none.
pub fn orphan_prefix(text: &str) -> bool {
    let text = clean(text);
    let colon = text.ends_with([':', '：']);
    let (rest, introduced) = strip_prefix(text.trim_end_matches([':', '：']));
    let lower = text.to_lowercase();
    let credit = lower
        .trim_end_matches([':', '：'])
        .strip_suffix("by")
        .is_some_and(|before| {
            before.ends_with(' ') && before.split_whitespace().all(|w| CREDIT_WORDS.contains(&w))
        });
    introduced && rest.is_empty() && colon || credit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byline_of_one_name_with_an_ampersand_stays_one_author() {
        assert_eq!(split_byline("Mac & i"), ["Mac & i"]);
        assert_eq!(
            split_byline("By Ana Lopes & Tom Reilly"),
            ["Ana Lopes", "Tom Reilly"]
        );
        assert_eq!(
            split_byline("Ana Lopes and Tom Reilly"),
            ["Ana Lopes", "Tom Reilly"]
        );
        assert_eq!(split_byline("Jo Bloggs, Mac & i"), ["Jo Bloggs", "Mac & i"]);
        assert_eq!(
            split_byline("By Ana Lopes | Published 12 March 2024 · 6 min read"),
            ["Ana Lopes"]
        );
    }

    #[test]
    fn a_byline_is_cut_into_names_and_labelled_dates_and_titles_after_names_are_left_out() {
        for (byline, names) in [
            ("김민수 기자 | 입력 2023.10.07 09:30", &["김민수"][..]),
            ("山田太郎 特派員 ｜ 発行 2024年4月1日", &["山田太郎"]),
            ("王小明 记者 · 发布时间：2024-05-03 10:20", &["王小明"]),
            (
                "By Global Times Published: Jan 30, 2024 10:41 PM",
                &["Global Times"],
            ),
            ("By Ana Lopes Updated 7 May 2024", &["Ana Lopes"]),
            (
                "By WANG XIAOMING in Beijing | Updated: 2024-03-04 07:12",
                &["WANG XIAOMING"],
            ),
        ] {
            assert_eq!(split_byline(byline), names, "{byline}");
        }
    }

    #[test]
    fn a_date_written_after_the_name_is_no_part_of_it() {
        for (byline, names) in [
            ("文/佐藤 花子 2025年3月24日", &["佐藤 花子"][..]),
            ("By Ana Lopes 7 May 2024", &["Ana Lopes"]),
            (
                "By Ana Lopes and Tom Reilly March 7, 2024",
                &["Ana Lopes", "Tom Reilly"],
            ),
            ("By Hannah May", &["Hannah May"]),
            ("By Agent 47", &["Agent 47"]),
        ] {
            assert_eq!(split_byline(byline), names, "{byline}");
        }
    }

    #[test]
    fn the_words_that_introduce_a_byline_are_not_part_of_the_name() {
        for (byline, name) in [
            ("بقلم: سارة الحسيني", "سارة الحسيني"),
            ("Par Jeanne Martin", "Jeanne Martin"),
            ("Von Hans Meier", "Hans Meier"),
            ("Por María López", "María López"),
            ("Di Marco Rossi", "Marco Rossi"),
            ("Door Anouk de Vries", "Anouk de Vries"),
            ("文/李明", "李明"),
            ("记者 李明华", "李明华"),
            ("By: Ana Lopes", "Ana Lopes"),
            ("Interview by Felix Marr", "Felix Marr"),
            ("Photographs and text by Inês Carvalho", "Inês Carvalho"),
            ("By Luis Ortega, Staff Writer", "Luis Ortega"),
        ] {
            assert_eq!(split_byline(byline), [name], "{byline}");
        }
        // A name that begins with such a word keeps it.
        assert_eq!(split_byline("Von Trier"), ["Von Trier"]);
        assert_eq!(split_byline("Bobby Byrne"), ["Bobby Byrne"]);
    }

    #[test]
    fn a_line_is_a_byline_by_its_shape_and_a_sentence_is_not() {
        let byline_line = |text: &str| byline_line(text, Some("en"));
        assert_eq!(
            byline_line("By MARGARET ELLIS\nCourier Staff Writer"),
            Some(vec!["MARGARET ELLIS".to_string()])
        );
        assert_eq!(
            byline_line("Interview by Felix Marr"),
            Some(vec!["Felix Marr".to_string()])
        );
        assert_eq!(
            byline_line("By the river, the old mill still stands."),
            None
        );
        assert_eq!(byline_line("Hannah Lee and Marco Bianchi"), None);
        assert_eq!(byline_line("By Monday, Smith said"), None);
        assert_eq!(byline_line("By 2030, the city"), None);
        // Words no name has, and another language's byline word.
        for line in [
            "By Land And Sea",
            "By The Numbers",
            "Text Message From The Mayor",
        ] {
            assert_eq!(byline_line(line), None, "{line}");
        }
        assert_eq!(super::byline_line("Por Favor Santos", Some("en")), None);
        assert_eq!(
            super::byline_line("Por María López", Some("es-ES")),
            Some(vec!["María López".to_string()])
        );
        assert!(orphan_prefix("Photographs and text by"));
        assert!(orphan_prefix("Author:"));
        for word in ["Text", "Author", "Reporter", "By"] {
            assert!(!orphan_prefix(word), "{word}");
        }
        assert!(!orphan_prefix("The bridge was built by"));
        assert!(!orphan_prefix("Interview by Felix Marr"));
    }
}
