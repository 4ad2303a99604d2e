//! The long test issue: the export benchmark's and the PDF tests' (justification is checked
//! on it). Deterministic prose from a small vocabulary with long words, headings every few
//! paragraphs, a figure in every tenth article.

#[path = "synthetic_png.rs"]
mod synthetic_png;

use std::fs;
use std::path::Path;
use synthetic_png::pattern_png;

const WORDS: &[&str] = &[
    "archive",
    "edition",
    "magazine",
    "preservation",
    "library",
    "international",
    "cooperation",
    "development",
    "the",
    "of",
    "and",
    "in",
    "to",
    "a",
    "is",
    "for",
    "with",
    "on",
    "responsibility",
    "administration",
    "Zürich",
    "façade",
];

/// Writes the issue's source folder (`issue.toml`, `articles/`, `assets/`) into `folder`;
/// returns the bytes of Markdown written.
pub fn write_long_issue(
    folder: &Path,
    articles: usize,
    words_per_article: usize,
) -> Result<usize, Box<dyn std::error::Error>> {
    fs::create_dir_all(folder.join("articles"))?;
    fs::create_dir_all(folder.join("assets"))?;
    // A 600x400 PNG for every tenth article.
    fs::write(
        folder.join("assets/figure.png"),
        pattern_png(600, 400, 251)?,
    )?;
    let mut toml = String::from("[publication]\ntitle = \"Bench Review\"\nlanguage = \"en\"\n\n[issue]\nid = \"bench\"\ntitle = \"A Long Issue\"\n");
    let mut text_bytes = 0;
    for a in 0..articles {
        let mut body = String::new();
        let mut word = a * 7;
        for p in 0..words_per_article / 100 {
            if p % 6 == 3 {
                body.push_str(&format!("## Part {p}\n\n"));
            }
            let paragraph: Vec<&str> = (0..100)
                .map(|_| {
                    word += 13;
                    WORDS[word % WORDS.len()]
                })
                .collect();
            body.push_str(&paragraph.join(" "));
            body.push_str(".\n\n");
        }
        if a % 10 == 0 {
            body.push_str("![A figure](assets/figure.png)\n");
        }
        text_bytes += body.len();
        fs::write(folder.join(format!("articles/a{a}.md")), body)?;
        toml.push_str(&format!(
            "\n[[articles]]\nid = \"a{a}\"\ntitle = \"Article number {a} of the long issue\"\nsection = \"Section {}\"\nbody = \"articles/a{a}.md\"\n",
            a / 15
        ));
    }
    fs::write(folder.join("issue.toml"), toml)?;
    Ok(text_bytes)
}
