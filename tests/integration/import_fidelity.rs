//! `quire import-web` keeps what a reader of the page saw: each kind of structure (emphasis,
//! links, line breaks, code, tables, figures, quotes, definition lists, footnotes, sub- and
//! superscripts, maths) reaches the Markdown, every word of the article in order and none of
//! the page's chrome; what cannot be carried over is named with its word count.

use crate::export_epub::{assert_epubcheck_clean, epub_entry};
use crate::support::*;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn structure(name: &str) -> PathBuf {
    fixtures().join("web/structure").join(name)
}

/// `import-web --dry-run --json` of one capture: the article record and stderr.
pub fn dry_run_one(capture: &Path) -> (Value, String) {
    let (records, stderr) = dry_run_import(&[capture.to_path_buf()]);
    assert_eq!(records.len(), 1, "{records:?}");
    (records[0].clone(), stderr)
}

/// The words (runs of letters and digits) of a text.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The text of a page's `<article>`, read with Python's html.parser (independent of quire's
/// HTML reading), leaving out the article's header (its title, deck, byline and date are
/// metadata) and the elements named in `skip`.
fn article_text(page: &Path, skip: &[&str]) -> String {
    let script = r#"
import html.parser, sys
skip = set(sys.argv[2].split(',')) | {'header', 'script', 'style'}
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0; self.skipping = []; self.out = []
    def handle_starttag(self, tag, attrs):
        if tag in ('br', 'img', 'meta', 'link', 'hr', 'col', 'input'):
            return
        cls = dict(attrs).get('class') or ''
        if tag == 'article': self.depth += 1
        if self.depth and (tag in skip or any(c in skip for c in cls.split())):
            self.skipping.append(tag)
        elif self.skipping and tag == self.skipping[-1]:
            self.skipping.append(tag)
    def handle_endtag(self, tag):
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        if tag == 'article': self.depth -= 1
    def handle_data(self, data):
        if self.depth and not self.skipping: self.out.append(data)
p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read()); print(' '.join(p.out))
"#;
    let (ok, text) = tool_output(
        Command::new("python3")
            .args(["-c", script])
            .arg(page)
            .arg(skip.join(",")),
    );
    assert!(ok, "{text}");
    text
}

/// Every word of the article appears in the body, in order.
#[track_caller]
fn assert_words_in_order(article: &str, body: &str) {
    let body_words = words(body);
    let mut at = 0;
    for (n, word) in words(article).iter().enumerate() {
        match body_words[at..].iter().position(|w| w == word) {
            Some(found) => at += found + 1,
            None => panic!(
                "word {n} `{word}` of the article is not in the body (in order) after `{}`:\n{body}",
                body_words[at.saturating_sub(8)..at].join(" ")
            ),
        }
    }
}

#[test]
fn a_wiki_page_keeps_its_tables_maths_footnotes_definitions_and_inline_markup() {
    let page = structure("tide-tables.html");
    let (article, stderr) = dry_run_one(&page);
    assert_eq!(article["title"], "Tide tables");
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "A **tide table** lists",
            "hydrographic office[^1].",
            "[phases of the Moon](https://wiki.example.org/wiki/Moon)",
            // An in-page link, resolved against the page's address.
            "[Reading a table](https://wiki.example.org/wiki/Tide_tables#reading)",
            "H<sub>2</sub>O",
            "19<sup>th</sup> century",
            "~~always exact~~",
            "works *best* on",
            "*semidiurnal*",
            "## Reading a table",
            // A table that fits a pipe table is one, a `|` in a cell escaped.
            "| Time | Height (m) | Tide |\n|---|--:|---|\n| 04:12 | 4.8 | High water |\n| 10:31 | 0.9 | Low water \\| neap |",
            // One that does not (a caption, spanning cells) is clean HTML.
            "<table>\n<caption>Ranges at two ports</caption>\n",
            "<td rowspan=\"2\">North Quay</td>",
            "<td colspan=\"2\">Old Harbour, all seasons</td>",
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" alttext=\"h(t) = A\\cos(\\omega t)\">",
            "<annotation encoding=\"application/x-tex\">h(t) = A\\\\cos(\\\\omega t)</annotation>",
            "Spring tide\n: The largest range of the month",
            "> A table is a forecast, not a promise.\n>\n> Wind and pressure can move the water by *half a metre* or more.",
            "[^1]: National Tide Tables, 2024 edition, volume one.",
            "[^2]: The rule divides the rise",
        ],
    );
    // The HTML table is one HTML block: no blank line inside it.
    let table = &body[body.find("<table>").unwrap()..body.find("</table>").unwrap()];
    assert!(!table.contains("\n\n"), "{table}");
    // The notes' list and its heading became the footnotes.
    assert!(!body.contains("## Notes") && !body.contains('↑'), "{body}");
    // The video is a link where it stood; the words a browser shows only where it cannot
    // play it are named.
    assert!(
        body.contains("or more.\n\nVideo: [spring-tide.mp4](https://wiki.example.org/wiki/spring-tide.mp4)\n\n"),
        "{body}"
    );
    assert!(
        stderr.contains("tide-tables.html: players kept as links where they stood, not played: video (spring-tide.mp4)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("tide-tables.html: not carried over into the article (the capture keeps them): the fallback text of a <video> (9 words)"),
        "{stderr}"
    );
    // The notes' heading is the one thing dropped: its notes are footnotes now.
    let text = article_text(&page, &["video"]).replacen("Notes", "", 1);
    assert_words_in_order(&text, body);
    assert_contains_none(
        body,
        &[
            "Random article",
            "Donate",
            "Privacy policy",
            "last edited",
            "Harbourpedia",
        ],
    );
}

#[test]
fn a_page_of_code_keeps_its_code_blocks_with_their_language_and_its_line_breaks() {
    let page = structure("harbour-code.html");
    let (article, stderr) = dry_run_one(&page);
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(article["published"], "2024-05-06");
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "a **small program** that",
            "`std::io::stdin` and a `BTreeMap`",
            "```rust\nuse std::collections::BTreeMap;\nuse std::io::BufRead;\n\nfn main() {\n    let mut counts: BTreeMap<String, usize> = BTreeMap::new();",
            "+= 1; // `entry` & count\n",
            "```\n$ cat week-*.txt | cargo run -q | sort -k2 -n -r\nMorning Star   14\nGrey Heron     11\n\nKittiwake       9\n```",
            "write to the office at\\\nHarbour Office\\\n1 Quay Street\\\nExample Town\\\nand ask for",
            "[*count-boats* archive](https://notes.example.net/files/count-boats.zip)",
        ],
    );
    assert_words_in_order(&article_text(&page, &["share"]), body);
    assert_contains_none(
        body,
        &[
            "Share on Mastodon",
            "Share by email",
            "Related posts",
            "About this blog",
            "newsletter",
        ],
    );
}

#[test]
fn a_figure_keeps_its_caption_and_credit_and_the_deck_is_metadata() {
    let page = structure("ete-approuve.html");
    let (article, stderr) = dry_run_one(&page);
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(
        article["deck"],
        "Le conseil municipal a voté l'ouverture de trois plages surveillées jusqu'à la fin du mois de septembre."
    );
    assert_eq!(article["authors"], serde_json::json!(["Marie Dupont"]));
    assert_eq!(article["published"], "2024-06-21");
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "à **une large majorité** le projet",
            "![La plage nord au coucher du soleil](https://images.example.fr/plage-nord.jpg)\n\nLa plage nord, qui sera surveillée tous les jours de dix heures à dix-neuf heures. Photo : Marie Dupont",
            "une *navette gratuite* depuis",
            "[communiqué publié en mai](https://courrier.example.fr/ville/2024/05/navette)",
        ],
    );
    assert!(body.starts_with("Réuni jeudi soir"), "{body}");
    assert_words_in_order(&article_text(&page, &[]), body);
    assert_contains_none(
        body,
        &[
            "Accueil",
            "Abonnez-vous",
            "Partager",
            "Mentions légales",
            "Tous droits",
        ],
    );
}

#[test]
fn maths_is_kept_as_mathml_or_tex_whatever_hides_it_on_the_page() {
    let (article, stderr) = dry_run_one(&structure("maths.html"));
    assert!(stderr.is_empty(), "{stderr}");
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            // Wikipedia's MathML, in a wrapper hidden from view, with its TeX annotation.
            "The famous relation <math xmlns=\"http://www.w3.org/1998/Math/MathML\" alttext=\"{\\displaystyle E=mc^{2}}\"><semantics><mrow><mi>E</mi>",
            "<annotation encoding=\"application/x-tex\">{\\\\displaystyle E=mc\\^{2}}</annotation></semantics></math> links",
            // MathJax's TeX in a script.
            "MathJax pages write $x^2 + y^2 = z^2$ inside the text",
            // KaTeX's MathML, without its visual copy.
            "KaTeX pages write <math xmlns=\"http://www.w3.org/1998/Math/MathML\"><semantics><mrow><mi>a</mi></mrow>",
            "</math> as well.",
        ],
    );
    // The picture of the formula stands for the MathML: not kept twice.
    assert!(!body.contains("wikimedia.org"), "{body}");
}

#[test]
fn a_page_that_is_one_preformatted_document_is_an_article_and_navigation_is_not() {
    for capture in ["rfc-flags.html", "rfc-flags.txt"] {
        let page = structure(capture);
        let (article, stderr) = dry_run_one(&page);
        assert!(stderr.is_empty(), "{capture}: {stderr}");
        let title = if capture.ends_with(".html") {
            "RFC 9999: Harbour Signal Flags"
        } else {
            "Harbour Signal Flags"
        };
        assert_eq!(article["title"], title, "{capture}");
        let body = article["body"].as_str().unwrap();
        // Kept as it is laid out, in a code block.
        assert!(
            body.starts_with("```\nHarbour Working Group"),
            "{capture}: {body}"
        );
        assert_contains_all(
            body,
            &["   This document describes the signal flags that a harbour office\n   raises on its mast"],
        );
        let original = std::fs::read_to_string(&page).unwrap();
        let start = original.find("Harbour Working Group").unwrap();
        let end = original.find("is closed.").unwrap() + "is closed.".len();
        assert!(body.contains(&original[start..end]), "{capture}: {body}");
    }
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let stderr = run(quire(&archive)
        .args(["import-web", "--issue", "probe", "--dry-run"])
        .arg(fixtures().join("web/navigation-only.txt")))
    .fails();
    assert!(stderr.contains("no recognisable article"), "{stderr}");
}

#[test]
fn the_epub_renders_every_structure_the_captures_kept_and_passes_epubcheck() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    run(quire(&archive)
        .args([
            "import-web",
            "--issue",
            "structures",
            "--publication",
            "Captures",
        ])
        .args(
            [
                "tide-tables.html",
                "harbour-code.html",
                "ete-approuve.html",
                "rfc-flags.html",
                "maths.html",
            ]
            .map(structure),
        ))
    .ok();
    let book = dir.path().join("structures.epub");
    run(quire(&archive)
        .args(["export", "epub", "structures", "-o"])
        .arg(&book))
    .ok();
    assert_epubcheck_clean(&book);
    let tides = epub_entry(&book, "OEBPS/a-tide-tables.xhtml");
    for part in [
        "<table><thead><tr><th scope=\"col\">Time</th><th scope=\"col\" style=\"text-align: right\">Height (m)</th><th scope=\"col\">Tide</th></tr></thead>",
        // The column the page aligns right, right-aligned.
        "<td style=\"text-align: right\">0.9</td>",
        "<td>Low water | neap</td>",
        "<caption>Ranges at two ports</caption>",
        "<td rowspan=\"2\">North Quay</td>",
        "<sup><a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-1\" id=\"fnref-1\">1</a></sup>",
        "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-1\">",
        "H<sub>2</sub>O",
        "19<sup>th</sup>",
        "<del>always exact</del>",
        "<em>best</em>",
        "<strong>tide table</strong>",
        "<a href=\"https://wiki.example.org/wiki/Moon\">phases of the Moon</a>",
        "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" alttext=\"h(t) = A\\cos(\\omega t)\">",
        "<dt>Spring tide</dt>",
        "<blockquote>",
    ] {
        assert!(tides.contains(part), "`{part}` not in:\n{tides}");
    }
    let maths = epub_entry(&book, "OEBPS/a-energy.xhtml");
    for part in [
        "<code class=\"math\">x^2 + y^2 = z^2</code>",
        "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" alttext=\"{\\displaystyle E=mc^{2}}\">",
    ] {
        assert!(maths.contains(part), "`{part}` not in:\n{maths}");
    }
    let package = epub_entry(&book, "OEBPS/content.opf");
    assert!(
        package.contains("properties=\"mathml\" href=\"a-tide-tables.xhtml\""),
        "{package}"
    );
    let code = epub_entry(&book, "OEBPS/a-counting-boats-with-a-small-program.xhtml");
    for part in [
        "<pre><code class=\"language-rust\">use std::collections::BTreeMap;",
        "BTreeMap&lt;String, usize&gt;",
        "write to the office at<br />\nHarbour Office<br />",
        "<code>std::io::stdin</code>",
    ] {
        assert!(code.contains(part), "`{part}` not in:\n{code}");
    }
}

#[test]
fn utf8_bytes_under_a_gb2312_declaration_are_read_as_utf8_with_a_warning() {
    let (article, stderr) = dry_run_one(&structure("gangkou.html"));
    assert!(
        stderr.contains("gangkou.html: declares the charset gb2312 but its bytes are valid UTF-8; read as UTF-8"),
        "{stderr}"
    );
    assert_eq!(article["title"], "港口图书馆重新开放");
    // The date from the Chinese date line, the language as the page declares it, the id in
    // pinyin; the date line itself is not body text.
    assert_eq!(article["published"], "2024-05-03");
    assert_eq!(article["language"], "zh-CN");
    assert_eq!(article["id"], "gang-kou-tu-shu-guan-zhong-xin-kai-fang");
    let body = article["body"].as_str().unwrap();
    assert!(body.starts_with("经过两年的修缮"), "{body}");
    assert!(
        !body.contains("发稿时间") && !body.contains("首页") && !body.contains("版权所有"),
        "{body}"
    );
}

#[test]
fn stray_numbers_are_no_page_bar_and_an_unusable_one_never_fails_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let files = [
        structure("stray-numbers.html"),
        fixtures().join("web/lighthouse-page-1.txt"),
    ];
    for dry_run in [true, false] {
        let mut command = quire(&archive);
        command
            .args([
                "import-web",
                "--issue",
                "mixed",
                "--publication",
                "Harbour Press",
            ])
            .args(&files);
        if dry_run {
            command.arg("--dry-run");
        }
        let result = run(&mut command);
        assert!(
            result.stderr.contains("stray-numbers.html: a page bar listing [0, 1, 2017] was left out: page 0 does not exist"),
            "{}",
            result.stderr
        );
        // No temporary file (tempfile names them `.tmpXXXXXX`) is named; the fixtures
        // themselves may sit anywhere, /tmp included.
        assert!(!result.stderr.contains("/.tmp"), "{}", result.stderr);
        result.ok();
    }
    let toml = run(quire(&archive).args(["cat", "mixed", "issue.toml"])).ok();
    let czech = &toml[toml
        .find("id = \"pristav-otevira-nove-molo\"")
        .expect(&toml)..];
    let czech = &czech[..czech.find("[[articles]]").unwrap_or(czech.len())];
    assert!(!czech.contains("pages ="), "{czech}");
    assert!(czech.contains("language = \"cs\""), "{czech}");
}

#[test]
fn bylines_stay_whole_and_a_byline_beside_the_date_is_not_the_title() {
    let (article, _) = dry_run_one(&structure("passwoerter.html"));
    assert_eq!(article["authors"], serde_json::json!(["Mac & i"]));
    assert_eq!(article["published"], "2024-05-03");
    assert_eq!(article["id"], "passworter-richtig-verwalten");
    let (article, _) = dry_run_one(&fixtures().join("web/text/harbour-school.txt"));
    assert_eq!(
        article["title"],
        "Te Reo Māori Returns to the Harbour School"
    );
    assert_eq!(article["authors"], serde_json::json!(["Aroha Ngata"]));
    assert_eq!(article["published"], "2024-05-02");
    assert_eq!(article["id"], "te-reo-maori-returns-to-the-harbour-school");
    assert!(!article["body"].as_str().unwrap().contains("By Aroha"));
}

#[test]
fn a_new_issue_from_different_sites_needs_its_publication_named() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let files = [
        fixtures().join("web/html/night-ferries.html"),
        fixtures().join("web/lighthouse-page-1.txt"),
    ];
    let stderr = run(quire(&archive)
        .args(["import-web", "--issue", "coast"])
        .args(&files))
    .fails();
    assert!(
        stderr.contains("issue `coast` is new and its captures name different sites (Coastline Monthly, The Harbour Weekly): say which publication the issue is with --publication NAME"),
        "{stderr}"
    );
    run(quire(&archive)
        .args([
            "import-web",
            "--issue",
            "coast",
            "--publication",
            "Coast Reader",
        ])
        .args(&files))
    .ok();
    let toml = run(quire(&archive).args(["cat", "coast", "issue.toml"])).ok();
    assert!(
        toml.starts_with("[publication]\ntitle = \"Coast Reader\""),
        "{toml}"
    );
}

#[test]
fn the_page_s_language_address_site_and_dates_are_stored_and_the_french_article_is_set_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_sample(dir.path());
    run(quire(&archive)
        .args(["import-web", "--issue", "beijing-review-sample"])
        .arg(structure("ete-approuve.html")))
    .ok();
    let toml = run(quire(&archive).args(["cat", "beijing-review-sample", "issue.toml"])).ok();
    for line in [
        "id = \"l-ete-approuve-la-mairie-ouvre-les-plages-du-port\"",
        "published = \"2024-06-21\"",
        "language = \"fr\"",
        "sources = [{ file = \"sources/ete-approuve.html\", url = \"https://courrier.example.fr/ville/2024/06/ete-approuve\", site = \"Le Courrier du Port\" }]",
    ] {
        assert!(toml.contains(line), "`{line}` not in:\n{toml}");
    }
    // The issue itself says no language: the sample stays English, the article is French.
    assert!(
        !toml.contains("[issue]\nid = \"beijing-review-sample\"\nlanguage"),
        "{toml}"
    );

    let book = dir.path().join("sample.epub");
    run(quire(&archive)
        .args(["export", "epub", "beijing-review-sample", "-o"])
        .arg(&book))
    .ok();
    let french = epub_entry(
        &book,
        "OEBPS/a-l-ete-approuve-la-mairie-ouvre-les-plages-du-port.xhtml",
    );
    assert!(french.contains("xml:lang=\"fr\" lang=\"fr\""), "{french}");
    let english = epub_entry(&book, "OEBPS/a-full-text-the-internet-in-china.xhtml");
    assert!(english.contains("xml:lang=\"und\""), "{english}");

    let Some(pdftotext) = tool("pdftotext") else {
        return;
    };
    let source = std::fs::read_to_string(structure("ete-approuve.html")).unwrap();
    let pdf_text = |issue: &str| pdf_text(&pdftotext, &archive, issue, dir.path());
    let french = hyphenated_words(&pdf_text("beijing-review-sample"), &source);
    assert!(!french.is_empty(), "no French word hyphenated");
    for (word, at) in &french {
        assert!(
            breaks(Language::French, word).contains(at),
            "`{word}` broken after {at}, not a French break"
        );
    }
    // The same page declaring English is set with English patterns: a break French would not
    // make (`associ-ations`), so the language chose the patterns above.
    let english_page = dir.path().join("english.html");
    std::fs::write(&english_page, source.replace("lang=\"fr\"", "lang=\"en\"")).unwrap();
    run(quire(&archive)
        .args(["import-web", "--issue", "english", "--publication", "Test"])
        .arg(&english_page))
    .ok();
    let english = hyphenated_words(&pdf_text("english"), &source);
    assert!(
        english
            .iter()
            .any(|(word, at)| !breaks(Language::French, word).contains(at)),
        "{english:?}"
    );
}

/// The text of an issue's PDF, by poppler's pdftotext.
fn pdf_text(pdftotext: &Path, archive: &Path, issue: &str, dir: &Path) -> String {
    let pdf = dir.join(format!("{issue}.pdf"));
    run(quire(archive)
        .args(["export", "pdf", issue, "-o"])
        .arg(&pdf))
    .ok();
    let (ok, text) = tool_output(Command::new(pdftotext).arg("-raw").arg(&pdf).arg("-"));
    assert!(ok, "{text}");
    text
}

use hyphenation::{Hyphenator, Language, Load, Standard};

/// The break points (in characters) the patterns of `language` allow in `word`.
fn breaks(language: Language, word: &str) -> Vec<usize> {
    let patterns = Standard::from_embedded(language).unwrap();
    patterns
        .hyphenate(word)
        .breaks
        .into_iter()
        .map(|b| word[..b].chars().count())
        .collect()
}

/// The words a PDF's text breaks at a line's end (that `source` has whole, so not words with
/// a hyphen of their own), each with the number of characters before the break.
fn hyphenated_words(pdf_text: &str, source: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = pdf_text.lines().collect();
    let mut splits = Vec::new();
    for pair in lines.windows(2) {
        let Some(head) = pair[0].strip_suffix('-') else {
            continue;
        };
        let head = head.rsplit(' ').next().unwrap_or("");
        let tail: String = pair[1]
            .split(' ')
            .next()
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_alphabetic())
            .collect();
        let word = format!("{head}{tail}");
        if head.chars().all(char::is_alphabetic) && !tail.is_empty() && source.contains(&word) {
            splits.push((word.to_lowercase(), head.chars().count()));
        }
    }
    splits
}

#[test]
fn a_quotation_keeps_its_attribution_and_a_pull_quote_is_kept_once() {
    let page = structure("keepers-logbooks.html");
    let (article, stderr) = dry_run_one(&page);
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(article["authors"], serde_json::json!(["Ingrid Sæther"]));
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            // The attribution in the quotation's footer.
            "The children are frightened of the noise.\n>\n> — *Skomvær logbook, 14 January 1896*",
            // A pull quote that the text does not hold is a quotation where it stands.
            "years of the light.\n\n> “The lamp was lit at dusk and the fog bell rung for nine hours.”\n\nMost entries",
            // The notes follow the text without the rule that parted them on the page.
            "in colour.\n\n[^1]: The regulations of 1869 required a daily entry.",
        ],
    );
    // The byline's line (name, date, reading time) is metadata; the pull quote that repeats
    // the text is not read twice; the sign-up box is the site's.
    assert!(body.starts_with("The keepers wrote every day"), "{body}");
    assert_eq!(body.matches("drawings of birds").count(), 1, "{body}");
    assert_contains_none(body, &["6 min read", "* * *", "by email", "Sign up"]);
    assert_words_in_order(
        &article_text(
            &page,
            &["meta", "pull-quote", "newsletter-box", "footnotes"],
        ),
        body,
    );
}

#[test]
fn lazy_images_quotation_marks_and_language_changes_reach_the_body() {
    let (article, stderr) = dry_run_one(&structure("brittany-summer.html"));
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            // A quotation in French, in the marks a browser shows, and marked as French.
            "told us, <span lang=\"fr\">«\u{a0}la mer monte plus vite qu'un cheval au galop\u{a0}»</span>, the sea",
            "called it “the town that would not stay down”.",
            "> <span lang=\"fr\">Je suis né à Saint-Malo, et j'y reviendrai mourir.</span>",
            "dire <span lang=\"fr\">bonjour</span> en",
            "and <span lang=\"br\">*kenavo*</span> when",
            // Lazy images: the loader's address, the largest of a set, a picture's source.
            "![Saint-Malo at high tide](https://img.travel.example/saint-malo.jpg)\n\nSaint-Malo at high tide. <small>© Jean Morel</small>",
            "![A menhir near Carnac](https://img.travel.example/menhir-800.jpg)",
            "![A crêpe with butter and sugar](https://img.travel.example/crepe.webp)",
            // A picture with no address anywhere: its caption stays, and a warning names it.
            "The overnight ferry arriving at dawn.",
        ],
    );
    assert!(!body.contains("data:image"), "{body}");
    assert!(
        stderr.contains("brittany-summer.html: not carried over into the article (the capture keeps them): <img> (4 words)"),
        "{stderr}"
    );
}

#[test]
fn ruby_readings_and_japanese_quotations_read_as_a_browser_shows_them() {
    let (article, stderr) = dry_run_one(&structure("minato-library.html"));
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(article["published"], "2024-04-01");
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "市長が「本（ほん）を通じて、子どもたちに広い世界を知ってほしい」と挨拶した。",
            "館内には読書室(どくしょしつ)や",
        ],
    );
    assert!(body.starts_with("港町の中心部に"), "{body}");
}

#[test]
fn dates_and_authors_in_labelled_byline_parts_are_read_and_column_alignment_is_kept() {
    let (article, _) = dry_run_one(&structure("northern-review.html"));
    assert_eq!(
        article["authors"],
        serde_json::json!(["Helen Park", "Tomas Berg"])
    );
    assert_eq!(article["published"], "2024-03-12");
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &["| Village | Pupils |\n|---|--:|\n| Nordvik | 34 |\n| Skarsfjord | 112 |"],
    );
    let (article, _) = dry_run_one(&structure("xin-matou.html"));
    assert_eq!(article["authors"], serde_json::json!(["王小明"]));
    assert_eq!(article["updated"], "2024-05-06");
    assert!(article.get("published").is_none(), "{article}");
    assert!(
        article["body"].as_str().unwrap().starts_with("5月6日上午"),
        "{article}"
    );
}

fn text_capture(name: &str) -> PathBuf {
    fixtures().join("web/text").join(name)
}

#[test]
fn short_lines_inside_a_text_capture_are_kept_as_lists_stanzas_and_sentences() {
    let (article, stderr) = dry_run_one(&text_capture("courier-pier.txt"));
    assert!(stderr.is_empty(), "{stderr}");
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "## What happens next",
            "expects in March 2026.\n\nPlanning permission: June 2024\\\nTender: August 2024\\\nBuilding: from October 2024\n\n\"We have waited long enough. Now we build,\" said Olsen.\n\nOpponents, led by",
            "They plan to appeal.",
        ],
    );
    assert_contains_none(
        body,
        &["Share this", "Facebook", "Leave a Reply", "About time"],
    );

    let (article, stderr) = dry_run_one(&text_capture("keeper-poem.txt"));
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(article["site_name"], "Harbour Review");
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "## The Keeper's Daughter\n\nThe lamp goes round,\\\nthe lamp goes round,\\\n",
            "and I am here\\\nand he is there.\n\nEllen Vik wrote the poem",
            // The facts under the last paragraph are the article's.
            "She still has the notebook.\n\n## Key facts\n\n- Born: 1951, Skomvær\n- Keeper's daughter until 1971\n- Teacher in Bodø for thirty years\n- Lives in Tromsø",
        ],
    );
}

#[test]
fn a_text_capture_s_title_over_its_deck_questions_and_tab_tables_are_read_as_such() {
    let (article, _) = dry_run_one(&text_capture("greener-port.txt"));
    assert_eq!(article["title"], "Building a Greener Port");
    assert_eq!(
        article["deck"],
        "A harbour master explains the changes at Qingdao"
    );
    assert_eq!(article["authors"], serde_json::json!(["Li Nan"]));
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &["follow.\n\nBeijing Review: What was the biggest change?\n\nZhang Wei: Shore power."],
    );
    assert!(!body.contains("## "), "{body}");

    // Rows parted by tabs are a table, not a document wrapped at a fixed width.
    let (article, _) = dry_run_one(&text_capture("ferry-table.txt"));
    assert_eq!(article["title"], "Ferry traffic in 2023");
    assert_eq!(article["published"], "2024-02-14");
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "| Route | 2022 | 2023 | Change |\n|---|--:|--:|--:|\n| East quay – Holm | 165 | 181 | +10% |",
            "Notes:\\\n\\[1\\] Figures are in thousands of passengers.\\\n\\[2\\] The North pier",
        ],
    );
    assert_contains_none(body, &["```", "Contact us", "Publications"]);
}

#[test]
fn paragraphs_after_the_navigation_or_a_dated_comment_below_a_text_article_are_named_in_a_warning()
{
    let (article, stderr) = dry_run_one(&text_capture("shore-power-comments.txt"));
    let body = article["body"].as_str().unwrap();
    assert!(
        body.trim_end()
            .ends_with("at the price that households pay."),
        "{body}"
    );
    assert!(
        stderr.contains("shore-power-comments.txt: 2 paragraphs (43 words) below the article's end (the site's navigation, or a comment's or teaser's date) left out, from `At last! We have complained about the no…`"),
        "{stderr}"
    );
    // Comments under the text, each with its date, after a heading and a name.
    let (article, stderr) = dry_run_one(&text_capture("pier-comments.txt"));
    let body = article["body"].as_str().unwrap();
    assert!(body.trim_end().ends_with("They plan to appeal."), "{body}");
    assert_contains_none(body, &["Comments", "Per Hansen", "About time"]);
    assert!(
        stderr.contains("pier-comments.txt: 2 paragraphs (37 words) below the article's end"),
        "{stderr}"
    );
}

#[test]
fn gallery_pictures_quoted_figures_styled_emphasis_and_embedded_video_are_not_lost_silently() {
    let (article, stderr) = dry_run_one(&structure("signal-notes.html"));
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            // Emphasis given by style alone.
            "groups. *Read them from the top*, and **never** guess",
            // A heading's mark linking to itself is no word of it.
            "## Lights\n\n",
            // Every picture of a gallery, then its caption.
            "![Flag A](https://signals.example/a.jpg)\n\n![Flag B](https://signals.example/b.jpg)\n\nFlags A and B, as the harbour office hoists them.",
            // A quotation's caption is its attribution.
            "> A signal not understood is a signal not given.\n>\n> — Harbour manual, 1921",
            "Because red is seen first in fog",
            "[^2]: And they are tested on them every five years.",
        ],
    );
    assert!(!body.contains('¶'), "{body}");
    // The video's frame holds no words: it is a link where it stood, and named.
    assert!(
        body.contains("tower below.\n\nVideo: [The signal tower in action](https://www.youtube.com/embed/xyz)\n\nSound signals"),
        "{body}"
    );
    assert!(
        stderr.contains("signal-notes.html: players kept as links where they stood, not played: video `The signal tower in action` (https://www.youtube.com/embed/xyz)"),
        "{stderr}"
    );
}

#[test]
fn numbered_paragraphs_are_a_list_and_a_copyright_mark_is_no_part_of_the_site_name() {
    let (article, _) = dry_run_one(&text_capture("old-port.txt"));
    assert_eq!(article["title"], "Rebuilding the Old Port");
    assert_eq!(article["deck"], "An abandoned harbour becomes a park");
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "sea.\n\n1. The first phase opened the waterfront path, four kilometres long, to walkers and cyclists in the spring of 2021.\n2. The second phase",
            "3. The third phase, still under way, will plant a forest of pines on the old coal yard.\n\n\"People come here",
        ],
    );
    // A Shift_JIS text capture: its lines of facts kept with their breaks.
    let (article, _) = dry_run_one(&text_capture("minato-sjis.txt"));
    assert_eq!(article["site_name"], "みなと新聞社");
    assert_eq!(article["published"], "2024-04-01");
    assert_contains_all(
        article["body"].as_str().unwrap(),
        &["利用案内\\\n開館時間：午前九時から午後八時まで\\\n休館日：毎週月曜日"],
    );
}

#[test]
fn a_text_capture_s_title_is_never_its_byline_credit_or_date_line() {
    let title = "Harbour council approves new ferry pier";
    let (article, _) = dry_run_one(&text_capture("pier-no-date.txt"));
    assert_eq!(article["title"], title);
    assert_eq!(
        article["deck"],
        "The vote ends a decade of argument over the east quay"
    );
    assert_eq!(article["authors"], serde_json::json!(["Maria Jensen"]));
    assert!(article.get("published").is_none(), "{article}");
    // The picture's credit stays with the text, as a line of its own.
    assert!(
        article["body"]
            .as_str()
            .unwrap()
            .starts_with("Photo: Anders Holm\n\nThe harbour council voted"),
        "{article}"
    );

    let (article, _) = dry_run_one(&text_capture("pier-weekday.txt"));
    assert_eq!(article["title"], title);
    assert_eq!(article["authors"], serde_json::json!(["Maria Jensen"]));
    assert_eq!(article["published"], "2024-05-06");

    // A line the page repeats over the title is no title over a deck.
    let (article, _) = dry_run_one(&text_capture("latest-headlines.txt"));
    assert_eq!(article["title"], "Full Text: The Harbour in Winter");
    assert!(article.get("deck").is_none(), "{article}");

    // A row of the page's tools under the date (GB18030 bytes) is neither title nor deck.
    let (article, _) = dry_run_one(&text_capture("matou-toolbar-gb18030.txt"));
    assert_eq!(article["title"], "港口新码头正式开工");
    assert_eq!(article["published"], "2024-05-06");
    assert!(article.get("deck").is_none(), "{article}");
    let body = article["body"].as_str().unwrap();
    assert!(body.starts_with("海港日报讯（记者王小明）"), "{body}");
    assert_contains_none(body, &["字号", "纠错", "相关新闻"]);

    let (article, _) = dry_run_one(&text_capture("pier-timed.txt"));
    assert_eq!(article["title"], title);
    assert_eq!(article["authors"], serde_json::json!(["Maria Jensen"]));
    assert_eq!(article["published"], "2024-05-06");
    assert_eq!(article["updated"], "2024-05-07");
    assert!(
        article["body"]
            .as_str()
            .unwrap()
            .starts_with("The harbour council voted"),
        "{article}"
    );
}

#[test]
fn an_unlabelled_date_the_page_marks_is_the_publication_date_and_br_paragraphs_stay_apart() {
    let (article, _) = dry_run_one(&structure("matou-gbk.html"));
    assert_eq!(article["title"], "港口新码头正式开工");
    assert_eq!(article["published"], "2024-05-06");
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "投入使用。\n\n据介绍，",
            "![](/images/matou.jpg)\\\n新码头效果图（海港日报记者 李明 摄）",
        ],
    );
    assert_contains_none(body, &["字号", "打印", "纠错", "版权所有"]);
}

#[test]
fn pages_whose_addresses_differ_only_by_the_page_are_one_article() {
    let (articles, stderr) =
        dry_run_import(&[structure("long-road-2.html"), structure("long-road-1.html")]);
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(articles.len(), 1, "{articles:?}");
    let article = &articles[0];
    assert_eq!(
        article["url"],
        "https://review.example/features/2024/long-road-north"
    );
    let body = article["body"].as_str().unwrap();
    assert!(
        body.starts_with("<!-- page 1: sources/long-road-1.html -->\n\nIn the winter of 1987"),
        "{body}"
    );
    assert_contains_all(
        body,
        &["thirty years.\n\n<!-- page 2: sources/long-road-2.html -->\n\nBy 1995 every village"],
    );
}

#[test]
fn a_box_of_facts_beside_the_text_is_kept_and_a_box_of_related_links_is_not() {
    let page = structure("island-school.html");
    let (article, stderr) = dry_run_one(&page);
    assert!(stderr.is_empty(), "{stderr}");
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &["difference.\n\n**Holm in numbers**\n\n- Population: 212, up from 180 in 2020\n- Ferries a day: six in summer, four in winter\n- School founded in 1864\n\nThe teacher"],
    );
    assert_contains_none(body, &["Related", "Ferry fares to rise"]);
    assert_words_in_order(&article_text(&page, &["related"]), body);
}

#[test]
fn a_table_laid_page_s_title_is_the_part_of_its_title_it_shows_without_the_site_s_name() {
    let (article, _) = dry_run_one(&structure("old-port-tables.html"));
    assert_eq!(article["title"], "Rebuilding the Old Port");
    assert_eq!(article["updated"], "2023-04-12");
    let body = article["body"].as_str().unwrap();
    assert!(body.starts_with("For forty years"), "{body}");
    assert!(
        body.trim_end().ends_with("the place was full of rats.\""),
        "{body}"
    );
    assert_contains_none(body, &["<table", "| ", "Previous Issues", "UPDATED"]);
}

#[test]
fn an_article_in_another_language_than_its_site_is_in_its_own_language() {
    for capture in ["port-rouvre.html", "port-rouvre-div.html"] {
        let (article, _) = dry_run_one(&structure(capture));
        assert_eq!(article["language"], "fr", "{capture}");
        let body = article["body"].as_str().unwrap();
        assert!(
            body.starts_with("Après deux ans de travaux"),
            "{capture}: {body}"
        );
        assert!(!body.contains("<span"), "{capture}: {body}");
    }
}

#[test]
fn advertisements_share_buttons_and_related_links_inside_the_text_are_the_site_s() {
    let page = structure("tides-rise.html");
    let (article, stderr) = dry_run_one(&page);
    assert!(stderr.is_empty(), "{stderr}");
    let body = article["body"].as_str().unwrap();
    assert_contains_none(
        body,
        &[
            "Advertisement",
            "Read more",
            "Related",
            "Sea wall plans",
            "Share on",
        ],
    );
    assert_words_in_order(
        &article_text(
            &page,
            &[
                "ad-container",
                "read-more",
                "inline-related",
                "social-share",
            ],
        ),
        body,
    );
}

#[test]
fn nested_structures_an_abbreviation_s_expansion_highlighting_underlining_and_small_print_are_kept()
{
    let (article, stderr) = dry_run_one(&structure("nested-things.html"));
    assert!(stderr.is_empty(), "{stderr}");
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "> The outer quote begins here.\n>\n> > An inner quote, quoted by the outer one.\n>\n> The outer quote ends here.",
            "1. Install the tool:\n\n   ```sh\n   cargo install tides\n   ```\n\n2. Run it with a port name.",
            "Neap\n: The smallest range.\n: Also: the quarter moon's tide.",
            "an <abbr title=\"Mean High Water Springs\">MHWS</abbr> abbreviation, <mark>marked text</mark>, <u>underlined</u> and <small>small print</small>.",
        ],
    );
}

/// Text captures of news sites whose title stands above the date line and a row of sharing
/// tools below it: the title is the line above (it was lost, and `分享到：` or `Share` taken for
/// it); a date run into its time is read; a dateline's place is no part of the author's name;
/// the site's trail of sections is no title, and a web address in the copyright line is no
/// publication's name.
#[test]
fn a_title_above_the_date_line_is_the_title_and_the_sharing_tools_below_it_are_not() {
    let (article, _) = dry_run_one(&text_capture("grain-report.txt"));
    assert_eq!(article["title"], "春播粮食种子供应充足");
    assert_eq!(article["published"], "2024-03-05");
    assert!(article.get("site_name").is_none(), "{article}");
    let body = article["body"].as_str().unwrap();
    assert!(body.starts_with("本报北京3月4日电"), "{body}");
    assert_contains_none(body, &["分享到", "字号"]);
    let (article, _) = dry_run_one(&text_capture("plateau-line.txt"));
    assert_eq!(
        article["title"],
        "New rail line opens to mountain towns in the west"
    );
    assert_eq!(article["authors"], serde_json::json!(["LI WEI"]));
    assert_eq!(article["updated"], "2024-03-05");
    assert!(article.get("deck").is_none(), "{article}");
    let body = article["body"].as_str().unwrap();
    assert!(body.starts_with("A train crosses a gorge"), "{body}");
}

/// An interview in a text capture: the standfirst under the title and the byline under it
/// are the deck and the author (the byline was a heading of the text), and a one-word
/// answer that ends as a sentence is a paragraph, not a heading.
#[test]
fn an_interview_s_standfirst_and_byline_are_metadata_and_a_short_answer_is_no_heading() {
    let (article, _) = dry_run_one(&text_capture("strait-dialogue.txt"));
    assert_eq!(article["title"], "Dialogue: Keeping the Old Canals Alive");
    assert_eq!(
        article["deck"],
        "Li Hua, an engineer at the Water Heritage Institute, talks about restoring the town's canals"
    );
    assert_eq!(article["authors"], serde_json::json!(["CHEN MING"]));
    let body = article["body"].as_str().unwrap();
    assert!(body.starts_with("Harbour Review: How many"), "{body}");
    assert!(body.contains("\n\nLi: Some.\n\n"), "{body}");
    assert!(!body.contains('#'), "{body}");
}

#[test]
fn a_list_of_facts_after_the_last_paragraph_is_kept_and_a_list_of_links_is_named() {
    let (article, stderr) = dry_run_one(&text_capture("keeper-facts.txt"));
    let body = article["body"].as_str().unwrap();
    assert!(
        body.trim_end().ends_with(
            "report any fault by radio.\n\n## Key facts\n\n- Born in Tromsø in 1959, the son of a fisherman.\n- Keeper of the Holm light from 1984 to 2024.\n- Awarded the King's Medal of Merit in 2019."
        ),
        "{body}"
    );
    assert_contains_none(body, &["Ferry pier", "Weather", "More from", "©"]);
    assert!(
        stderr.contains("keeper-facts.txt: a list of 3 items below the article's end (link labels, the site's navigation) left out: `- Ferry pier`, `- Sport`, `- Weather`"),
        "{stderr}"
    );
}

#[test]
fn a_list_of_short_lines_in_the_middle_of_a_text_capture_does_not_end_the_text() {
    let (article, stderr) = dry_run_one(&text_capture("boat-list.txt"));
    assert!(stderr.is_empty(), "{stderr}");
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &["its berths:\n\nTugboats\\\nFerries\\\nTrawlers\\\nSailing yachts\n\nThe tugboats and the ferries"],
    );
    assert!(
        body.trim_end()
            .ends_with("the new pontoons that the council paid for out of the harbour fund."),
        "{body}"
    );
    // Navigation words between paragraphs still end the text, with a warning.
    let (_, stderr) = dry_run_one(&text_capture("shore-power-comments.txt"));
    assert!(
        stderr.contains("2 paragraphs (43 words) below the article's end"),
        "{stderr}"
    );
}

#[test]
fn a_label_between_the_byline_and_the_text_is_no_heading_and_is_named_when_left_out() {
    let (article, stderr) = dry_run_one(&text_capture("old-port.txt"));
    let body = article["body"].as_str().unwrap();
    assert!(body.starts_with("For forty years the old port"), "{body}");
    assert!(!body.contains("Web Exclusive"), "{body}");
    assert!(
        stderr.contains("old-port.txt: the label `Web Exclusive` between the article's header and its text left out as the page's"),
        "{stderr}"
    );
}

#[test]
fn a_client_rendered_page_s_text_comes_from_its_data_with_a_warning_and_never_from_its_footer() {
    let page = structure("client-rendered.html");
    let (article, stderr) = dry_run_one(&page);
    assert_eq!(article["title"], "Tidal power gets a second look");
    let body = article["body"].as_str().unwrap();
    assert_eq!(
        body,
        "Engineers returned to the Severn estuary this month to measure the currents again, \
         twenty years after the last barrage plan was shelved.\n\n\"The water has not changed, \
         but the turbines have,\" said Carys Bowen, who leads the survey.\n"
    );
    assert!(
        stderr.contains(
            "client-rendered.html: the page's HTML holds no article text: the text came from \
             the page's data (JSON-LD articleBody), without its markup"
        ),
        "{stderr}"
    );
    // Without the data, the placeholder and the footer are no article.
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let stderr = run(quire(&archive)
        .args(["import-web", "--issue", "probe", "--dry-run"])
        .arg(structure("client-rendered-no-data.html")))
    .fails();
    assert!(stderr.contains("no recognisable article"), "{stderr}");
    assert!(!stderr.contains("Estuary Post Media"), "{stderr}");
}

/// What ends an article's text stays in it unless it is the page's furniture: a count of votes
/// is no page bar, a sentence that opens with © is no copyright line; the page's own
/// copyright line is left out (never silently: a short page's HTML is kept over its data).
#[test]
fn the_last_lines_of_the_text_stay_unless_they_are_the_page_s_furniture() {
    let (article, _) = dry_run_one(&structure("vote-count.html"));
    let body = article["body"].as_str().unwrap();
    assert!(body.ends_with("For and against:\n\n7 2\n"), "{body}");
    let (article, stderr) = dry_run_one(&structure("photographers-note.html"));
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "A morning, in pictures.",
            "![The breakwater under snow](https://img.example/breakwater-1.jpg)",
            "![Waves over the lamp](https://img.example/breakwater-2.jpg)",
            "© 1998 and every year since belongs to the photographers, not the port.",
        ],
    );
    assert!(!body.contains("The breakwater at dawn."), "{body}");
    assert!(
        stderr.contains("photographers-note.html: the page holds only 4 words of text"),
        "{stderr}"
    );
}

/// An old page whose `<title>` runs the site's name into the title with a bare hyphen
/// (`Harbour Weekly-The New Slipway`) and shows the title as bold text in its cell: the title
/// is the part the page shows.
#[test]
fn a_title_run_into_the_site_s_name_with_a_hyphen_is_the_part_the_page_shows_in_bold() {
    let (article, _) = dry_run_one(&structure("old-table-title.html"));
    assert_eq!(article["title"], "The New Slipway");
}

/// A page whose text is short but no script's placeholder (the last lines of a long article)
/// is that text, with a warning that says how short it is; it is not refused as a page with
/// no article.
#[test]
fn a_short_last_page_is_its_text_and_not_a_page_without_an_article() {
    let (article, stderr) = dry_run_one(&structure("long-road-3.html"));
    assert_eq!(article["body"], "The road is paved now.\n");
    assert!(
        stderr.contains("long-road-3.html: the page holds only 5 words of text"),
        "{stderr}"
    );
    assert!(!stderr.contains("Northern Review Media"), "{stderr}");
}

#[test]
fn every_figure_of_a_gallery_is_kept_with_its_caption_apart_from_its_credit() {
    let page = structure("photo-essay.html");
    let (article, stderr) = dry_run_one(&page);
    assert!(stderr.is_empty(), "{stderr}");
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "![A man lifting a slab of peat](https://longlens.example/img/peat-01-800.jpg)\n\nCalum Macleod, 68, has cut the same bank since he was nine. <small>Ailsa Grant</small>\n\n",
            "![Peat stacked in small towers to dry](https://longlens.example/img/peat-02-800.jpg)\n\nThe slabs are stacked in threes so the wind can dry them. <small>Ailsa Grant</small>\n\n",
            "![A peat iron leaning on a fence](https://longlens.example/img/peat-03-800.jpg)\n\nThe tairsgeir, the peat iron, is forged on the island. <small>Ailsa Grant</small>\n\nFewer families",
        ],
    );
    assert_words_in_order(&article_text(&page, &["h1"]), body);
}

#[test]
fn a_lead_photo_between_the_headline_and_the_text_is_the_article_s_first_figure() {
    // Its address is the original the framework's optimiser (`/_next/image?url=…`) serves.
    let (article, stderr) = dry_run_one(&structure("lead-photo.html"));
    assert!(stderr.is_empty(), "{stderr}");
    let body = article["body"].as_str().unwrap();
    assert!(
        body.starts_with(
            "![A heat pump beside a snowy house](https://cdn.voltledger.example/img/heat-pump.jpg)\n\n\
             A heat pump outside a farmhouse in Caribou, Maine. Lena Ortiz for Volt Ledger\n\n\
             When the temperature fell"
        ),
        "{body}"
    );
}

#[test]
fn an_amp_page_s_images_are_read_with_their_fallback_and_caption_and_its_player_is_linked() {
    let (article, stderr) = dry_run_one(&structure("amp-story.html"));
    // An AMP player is a link to its video, as a video's frame is, and named.
    assert!(
        stderr.contains(
            "amp-story.html: players kept as links where they stood, not played: \
             video (https://www.youtube.com/watch?v=dQw4w9WgXcQ)"
        ),
        "{stderr}"
    );
    let body = article["body"].as_str().unwrap();
    assert!(
        body.contains("\n\nVideo: [https://www.youtube.com/watch?v=dQw4w9WgXcQ](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n\n"),
        "{body}"
    );
    assert_contains_all(
        body,
        &[
            "![Passengers boarding a ferry at a new ramp](https://harbourgazette.example/img/terminal.jpg)\n\nThe first passengers board at the rebuilt ramp on Monday.\n\nThe ferry terminal reopened",
            // The largest of the `<noscript><img>` fallback's set.
            "![The old ramp lying in the water](https://harbourgazette.example/img/old-ramp-1200.jpg)",
            // A picture in a paragraph of its own, its caption the paragraph after it.
            "![A café on a pier](https://harbourgazette.example/img/cafe.jpg)\n\nMoira Kerr's café reopened the same morning.\n\n\"We waited",
        ],
    );
    // The menu laid out as `nodisplay` is no part of the text.
    assert_contains_none(body, &["Sport"]);
}

#[test]
fn an_embedded_post_is_a_quote_a_pull_quote_is_quoted_once_and_an_embedded_video_is_linked() {
    let (article, stderr) = dry_run_one(&structure("wp-embeds.html"));
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "\n\n> We poured at low water and prayed at high water.\n>\n> *Jenna Trevail*\n\n",
            "\n\n> Third pour done before the tide turned. The slipway is ours again. [pic.twitter.com/xyz789](https://t.co/xyz789)\n>\n> — Porthcurnow Lifeboat (@PorthcurnowRNLI) [March 2, 2025](https://twitter.com/PorthcurnowRNLI/status/1760000000000000000)\n\n",
        ],
    );
    assert!(!body.contains("> >"), "{body}");
    // The video's embed is a link where it stood, named in the warning.
    assert!(
        body.contains("\n\nVideo: [Pouring the slipway](https://www.youtube.com/embed/abcdEFGH123)\n\nThe new slipway was blessed"),
        "{body}"
    );
    assert!(
        stderr.contains(
            "wp-embeds.html: players kept as links where they stood, not played: \
             video `Pouring the slipway` (https://www.youtube.com/embed/abcdEFGH123)"
        ),
        "{stderr}"
    );
}

/// A news page's players (a video site's frame, a `video` with its sources under a caption,
/// an `audio` in a sentence, a podcast host's frame, a WordPress video embed that holds only
/// its address) and a map's frame are links where they stood, with the titles the page gives
/// them; its advertising, tracking and hidden frames and the sidebar's player are not the
/// article's. The links reach the EPUB and the site as links.
#[test]
fn players_and_frames_in_the_text_are_links_where_they_stood_and_adverts_are_left_out() {
    let page = structure("harbour-players.html");
    let (article, stderr) = dry_run_one(&page);
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "harbour launch.\n\nVideo: [The bell breaks the surface](https://www.youtube-nocookie.com/embed/Kb7xQ2pLm90)\n\n\"We have looked",
            // A figure's caption is the link's text; the video's poster, the still the page
            // showed, stands before it (recorded by its address: the capture has not saved it).
            "else.\"\n\n![Conservators cleaning the bell at the museum on Saturday.](https://kestrelbay.example/media/bell-poster.jpg)\n\n\
             Video: [Conservators cleaning the bell at the museum on Saturday.](https://kestrelbay.example/media/bell-cleaning.mp4)\n\nThe bell will be cleaned",
            "describe the lift: Audio: [https://cdn.kestrelbay.example/audio/bell-lift.mp3](https://cdn.kestrelbay.example/audio/bell-lift.mp3)\n\n\
             Audio: [Harbour Talk, episode 41: The Halcyon bell](https://www.buzzsprout.com/1234/5678901-the-halcyon-bell?client_source=small_player&iframe=true)\n\nThe wreck",
            "east of the point.\n\nEmbedded: [Where the Halcyon lies](https://maps.kestrelbay.example/embed?wreck=halcyon)\n\n\
             Video: [The launch crew's own film of the night.](https://vimeo.com/876543210)\n\nThe museum",
        ],
    );
    assert_contains_none(
        body,
        &[
            "doubleclick",
            "googlesyndication",
            "pixel.",
            "consent.",
            "Regatta",
            "Your browser",
        ],
    );
    // Every word in order, but the players' excuses and the WordPress embed's address, which
    // is the target of the link its caption makes.
    let text = article_text(&page, &["video", "wp-block-embed__wrapper"]);
    assert_words_in_order(&text, body);
    assert_contains_all(
        &stderr,
        &[
            "harbour-players.html: players kept as links where they stood, not played: \
             video `The bell breaks the surface` (https://www.youtube-nocookie.com/embed/Kb7xQ2pLm90), \
             video `Conservators cleaning the bell at the museum on Saturday.` (/media/bell-cleaning.mp4), \
             audio (https://cdn.kestrelbay.example/audio/bell-lift.mp3), \
             audio `Harbour Talk, episode 41: The Halcyon bell` (https://www.buzzsprout.com/1234/5678901-the-halcyon-bell?client_source=small_player&iframe=true), \
             video `The launch crew's own film of the night.` (https://vimeo.com/876543210)\n",
            "harbour-players.html: frames that play nothing (a map, a chart, a post) kept as links \
             where they stood, not shown: frame `Where the Halcyon lies` (https://maps.kestrelbay.example/embed?wreck=halcyon)\n",
        ],
    );
    // Only the players' excuse for a browser that cannot play them was left out, unsaid.
    assert!(!stderr.contains("not carried over"), "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    run(quire(&archive)
        .args([
            "import-web",
            "--issue",
            "players",
            "--publication",
            "Captures",
        ])
        .arg(&page))
    .ok();
    let book = dir.path().join("players.epub");
    run(quire(&archive)
        .args(["export", "epub", "players", "-o"])
        .arg(&book))
    .ok();
    assert_epubcheck_clean(&book);
    let links = [
        "Video: <a href=\"https://www.youtube-nocookie.com/embed/Kb7xQ2pLm90\">The bell breaks the surface</a>",
        "Audio: <a href=\"https://www.buzzsprout.com/1234/5678901-the-halcyon-bell?client_source=small_player&amp;iframe=true\">Harbour Talk, episode 41: The Halcyon bell</a>",
        "Embedded: <a href=\"https://maps.kestrelbay.example/embed?wreck=halcyon\">Where the Halcyon lies</a>",
    ];
    let chapter = epub_entry(&book, "OEBPS/a-night-divers-raise-the-old-bell.xhtml");
    assert_contains_all(&chapter, &links);
    if cfg!(feature = "site") {
        let site = dir.path().join("site");
        run(quire(&archive).args(["site", "--dir"]).arg(&site)).ok();
        let pages = tree(&site);
        let article = pages
            .values()
            .map(|bytes| String::from_utf8_lossy(bytes))
            .find(|html| html.contains("<h1>Night Divers Raise the Old Bell</h1>"))
            .expect("the article's page");
        // The site marks a link that leaves it as one.
        let article = article.replace(" rel=\"noopener noreferrer\"", "");
        assert_contains_all(&article, &links);
    }
}

#[test]
fn a_paywall_s_pitch_is_left_out_and_the_capture_is_said_to_be_cut_short() {
    let (article, stderr) = dry_run_one(&structure("paywall.html"));
    let body = article["body"].as_str().unwrap();
    // The text the page marks as the paywall's (`paywalled-lead`) is the article's.
    assert!(
        body.ends_with(
            "saying the [lorries that bring the catch](https://harbourledger.example/2024/lorries) up the hill block the street every morning.\n"
        ),
        "{body}"
    );
    assert_contains_none(body, &["Subscribe", "unlimited access", "Log in"]);
    assert!(
        stderr.contains("paywall.html: the article is behind a paywall: the capture is cut short"),
        "{stderr}"
    );
}

#[test]
fn a_meter_of_free_articles_or_a_box_on_a_page_its_data_says_is_free_cuts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let paywalled = std::fs::read_to_string(structure("paywall.html")).unwrap();
    let free = paywalled
        .replace("\"isAccessibleForFree\":false,\"hasPart\":{\"@type\":\"WebPageElement\",\"isAccessibleForFree\":false,\"cssSelector\":\".paywalled\"},", "\"isAccessibleForFree\":true,");
    let metered = paywalled
        .replace("\"isAccessibleForFree\":false,\"hasPart\":{\"@type\":\"WebPageElement\",\"isAccessibleForFree\":false,\"cssSelector\":\".paywalled\"},", "")
        .replace("class=\"paywall-prompt\"><h3>Subscribe to keep reading</h3>", "class=\"paywall-meter\"><h3>You have 2 free articles left this month</h3>");
    for (name, page) in [("free.html", free), ("metered.html", metered)] {
        assert_ne!(page, paywalled, "{name}: the fixture changed");
        let capture = dir.path().join(name);
        std::fs::write(&capture, page).unwrap();
        let (article, stderr) = dry_run_one(&capture);
        let body = article["body"].as_str().unwrap();
        assert_contains_none(body, &["Subscribe", "free articles", "Log in"]);
        assert!(!stderr.contains("paywall"), "{name}: {stderr}");
    }
}

/// A page of `body` in a site's chrome, with the ferry story's prose where `{text}` stands.
fn chromed(head: &str, body: &str) -> String {
    let text = [
        "The harbour board met on Tuesday evening to settle the summer timetable, and after a long debate agreed that six crossings a day will run from the first of June.",
        "Residents who spoke at the meeting asked for an earlier first crossing on weekdays, so that workers on the island could reach the town before the shops open.",
        "The board's chair said the earlier crossing would cost more in crew wages than the fares would bring in, but that the council had offered to cover the difference.",
    ]
    .map(|p| format!("<p>{p}</p>"))
    .join("\n");
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ferries keep their hours | Coastline</title>{head}</head>\
         <body><header><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav></header>{}\
         <footer>Copyright Coastline</footer></body></html>",
        body.replace("{text}", &text)
    )
}

#[test]
fn an_amp_carousel_s_figures_are_kept_with_their_captions_and_its_advertisement_is_not_text() {
    let dir = tempfile::tempdir().unwrap();
    let figure = |n: u32| {
        format!("<figure><amp-img src=\"img/ferry-{n}.png\" width=\"4\" height=\"3\" layout=\"responsive\" alt=\"Ferry {n}\"></amp-img><figcaption>The ferry at pier {n}. <span class=\"credit\">Photo: Ines Moreau</span></figcaption></figure>")
    };
    let page = chromed(
        "<link rel=\"canonical\" href=\"https://coast.example/ferries\">",
        &format!(
            "<article><h1>Ferries keep their hours</h1>{{text}}\
             <amp-ad width=\"300\" height=\"250\" type=\"doubleclick\"><div placeholder>Advertisement</div></amp-ad>\
             <amp-carousel type=\"slides\" width=\"4\" height=\"3\" controls>{}{}</amp-carousel>\
             <p>The new timetable will be posted at both piers by the end of May.</p></article>",
            figure(1),
            figure(2)
        ),
    );
    fs::create_dir_all(dir.path().join("img")).unwrap();
    for n in [1, 2] {
        write_png(
            &dir.path().join(format!("img/ferry-{n}.png")),
            4,
            3,
            png::ColorType::Rgb,
            &[200; 36],
        );
    }
    let capture = dir.path().join("amp.html");
    fs::write(&capture, page).unwrap();
    let archive = new_archive(dir.path());
    run(quire(&archive)
        .args(["import-web", "--issue", "amp", "--publication", "Coastline"])
        .arg(&capture))
    .ok();
    let toml = run(quire(&archive).args(["cat", "amp", "issue.toml"])).ok();
    assert_contains_all(
        &toml,
        &[
            "caption = \"The ferry at pier 1.\", credit = \"Photo: Ines Moreau\"",
            "caption = \"The ferry at pier 2.\", credit = \"Photo: Ines Moreau\"",
        ],
    );
    let body =
        run(quire(&archive).args(["cat", "amp", "articles/ferries-keep-their-hours.md"])).ok();
    assert_contains_all(&body, &["![Ferry 1](assets/", "![Ferry 2](assets/"]);
    assert_contains_none(&body, &["Advertisement", "The ferry at pier"]);
}

#[test]
fn a_lead_photo_above_the_text_of_a_page_with_no_article_element_and_a_complementary_fact_box_are_kept(
) {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("img")).unwrap();
    write_png(
        &dir.path().join("img/lead.png"),
        4,
        3,
        png::ColorType::Rgb,
        &[90; 36],
    );
    let lead = chromed(
        "",
        "<main><div class=\"story\"><h1>Ferries keep their hours</h1>\
         <div class=\"byline\">By Ines Moreau</div>\
         <figure class=\"lead-art\"><img src=\"img/lead.png\" alt=\"The ferry leaving the pier\">\
         <figcaption>The morning ferry. <span class=\"credit\">Photo: Jan Berg</span></figcaption></figure>\
         <div class=\"story-body\">{text}</div></div></main>",
    );
    let facts = chromed(
        "",
        "<article><h1>Ferries keep their hours</h1>{text}\
         <aside class=\"key-facts\" role=\"complementary\"><h3>Key facts: the ferry</h3><ul>\
         <li>Crossings a day: six, from June</li><li>Crossing time: forty minutes</li>\
         <li>First sailing: 1911, by the steamer Ada</li></ul></aside></article>",
    );
    let archive = new_archive(dir.path());
    for (name, page) in [("lead", lead), ("facts", facts)] {
        let capture = dir.path().join(format!("{name}.html"));
        fs::write(&capture, page).unwrap();
        run(quire(&archive)
            .args(["import-web", "--issue", name, "--publication", "Coastline"])
            .arg(&capture))
        .ok();
    }
    let path = "articles/ferries-keep-their-hours.md";
    let body = run(quire(&archive).args(["cat", "lead", path])).ok();
    assert!(
        body.starts_with("![The ferry leaving the pier](assets/"),
        "{body}"
    );
    let toml = run(quire(&archive).args(["cat", "lead", "issue.toml"])).ok();
    assert!(
        toml.contains("caption = \"The morning ferry.\", credit = \"Photo: Jan Berg\""),
        "{toml}"
    );
    let body = run(quire(&archive).args(["cat", "facts", path])).ok();
    assert_contains_all(
        &body,
        &["Key facts: the ferry", "- Crossing time: forty minutes"],
    );
}

#[test]
fn notes_whose_id_is_on_the_number_linking_back_to_the_call_are_footnotes_and_buttons_to_comment_or_subscribe_are_no_text(
) {
    let dir = tempfile::tempdir().unwrap();
    let note = |n: u32, text: &str| {
        format!("<div class=\"footnote\"><a id=\"footnote-{n}\" href=\"#footnote-anchor-{n}\" class=\"footnote-number\">{n}</a><div class=\"footnote-content\"><p>{text}</p></div></div>")
    };
    let call = |n: u32| {
        format!("<a class=\"footnote-anchor\" id=\"footnote-anchor-{n}\" href=\"#footnote-{n}\">{n}</a>")
    };
    let page = chromed(
        "",
        &format!(
            "<article><h1>Ferries keep their hours</h1>{{text}}<p>The old timetable ran to 1974.{} It was printed in red.{}</p>\
             <p class=\"button-wrapper\"><a class=\"button primary\" href=\"https://notes.example/p/ferries/comments\"><span>Leave a comment</span></a></p>\
             <p><a href=\"https://notes.example/subscribe?utm_source=post\">Subscribe now</a></p>\
             <p>Readers wrote <a href=\"https://notes.example/p/ferries/comments\">in the comments</a> of the ferries they miss.</p>\
             <ul><li><a href=\"https://board.example/plan/comments\">Read others' comments</a></li><li><a href=\"https://board.example/plan/subscribe\">Email updates on the plan</a></li></ul>\
             <div class=\"upgrade-notes\"><h3>Upgrading</h3><p>The new timetable replaces the old one on every pier board from June, and the old boards go to the museum.</p><a href=\"https://board.example/timetable.pdf\">Download the timetable</a></div>\
             <div class=\"footnotes\">{}{}</div></article>",
            call(1),
            call(2),
            note(1, "The year the pier was rebuilt after the storm."),
            note(2, "The red has faded to salmon in every copy the archive keeps.")
        ),
    );
    let capture = dir.path().join("notes.html");
    fs::write(&capture, page).unwrap();
    let (article, _) = dry_run_one(&capture);
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "The old timetable ran to 1974.[^1] It was printed in red.[^2]",
            "[^1]: The year the pier was rebuilt after the storm.",
            "[^2]: The red has faded to salmon in every copy the archive keeps.",
        ],
    );
    assert_eq!(body.matches("The year the pier").count(), 1, "{body}");
    assert!(!body.contains("#footnote"), "{body}");
    // The site's buttons are no text of the article; a link in a sentence is.
    assert_contains_none(body, &["Leave a comment", "Subscribe now"]);
    // A list of resources and a box classed `upgrade-…` are the article's.
    assert_contains_all(
        body,
        &[
            "Read others' comments",
            "Email updates on the plan",
            "Upgrading",
            "Download the timetable",
        ],
    );
    assert!(
        body.contains("Readers wrote [in the comments](https://notes.example/p/ferries/comments)"),
        "{body}"
    );
}

#[test]
fn a_ghost_post_s_excerpt_is_its_deck_its_cards_are_text_and_its_avatar_and_member_pitch_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let page = chromed(
        "",
        "<article class=\"article post\"><header class=\"article-header\"><h1 class=\"article-title\">Ferries keep their hours</h1>\
         <p class=\"article-excerpt\">Six crossings a day from June, and an earlier one for workers.</p>\
         <ul class=\"author-list\"><li class=\"author-list-item\"><a href=\"/author/ines/\" class=\"author-avatar\">\
         <img class=\"author-profile-image\" src=\"/content/images/ines.jpg\" alt=\"Ines Moreau\"></a></li></ul>\
         <h4 class=\"author-name\"><a href=\"/author/ines/\">Ines Moreau</a></h4></header>\
         <section class=\"gh-content\">{text}\
         <div class=\"kg-card kg-callout-card\"><div class=\"kg-callout-emoji\">💡</div><div class=\"kg-callout-text\">The ticket office opens at seven.</div></div>\
         <figure class=\"kg-card kg-bookmark-card\"><a class=\"kg-bookmark-container\" href=\"https://board.example/timetable\">\
         <div class=\"kg-bookmark-content\"><div class=\"kg-bookmark-title\">The summer timetable</div>\
         <div class=\"kg-bookmark-description\">Every crossing from June to September.</div>\
         <div class=\"kg-bookmark-metadata\"><img class=\"kg-bookmark-icon\" src=\"https://board.example/favicon.ico\" alt=\"\"><span class=\"kg-bookmark-publisher\">Harbour Board</span></div></div>\
         <div class=\"kg-bookmark-thumbnail\"><img src=\"https://board.example/og.jpg\" alt=\"\"></div></a></figure>\
         <div class=\"kg-card kg-button-card\"><a href=\"https://board.example/timetable.pdf\" class=\"kg-btn\">Download the timetable</a></div>\
         </section><section class=\"article-comments\"><div class=\"gh-post-upgrade-cta\"><h2>This post is for subscribers only</h2>\
         <p>Become a member to join the discussion.</p><a class=\"gh-btn\" href=\"#/portal/signup\">Subscribe now</a></div></section></article>",
    );
    let capture = dir.path().join("ghost.html");
    fs::write(&capture, page).unwrap();
    let (article, _) = dry_run_one(&capture);
    assert_eq!(
        article["deck"],
        "Six crossings a day from June, and an earlier one for workers."
    );
    let body = article["body"].as_str().unwrap();
    assert!(body.starts_with("The harbour board met"), "{body}");
    assert_contains_all(
        body,
        &[
            "💡 The ticket office opens at seven.",
            "[The summer timetable](https://board.example/timetable) \u{2014} Every crossing from June to September. (Harbour Board)",
            "[Download the timetable](https://board.example/timetable.pdf)",
        ],
    );
    assert_contains_none(
        body,
        &[
            "subscribers only",
            "Subscribe now",
            "ines.jpg",
            "favicon",
            "og.jpg",
        ],
    );
}

#[test]
fn a_wordpress_table_keeps_its_figure_caption_as_its_own_and_its_columns_set_right_by_class() {
    let dir = tempfile::tempdir().unwrap();
    let right = "class=\"has-text-align-right\" data-align=\"right\"";
    let page = chromed(
        "",
        &format!(
            "<article><h1>Ferries keep their hours</h1>{{text}}\
             <figure class=\"wp-block-table\"><table class=\"has-fixed-layout\"><thead><tr><th>Year</th><th {right}>Crossings</th></tr></thead>\
             <tbody><tr><td>1974</td><td {right}>4</td></tr><tr><td>2024</td><td {right}>6</td></tr></tbody></table>\
             <figcaption class=\"wp-element-caption\">Crossings a day, from the board's timetables.</figcaption></figure></article>"
        ),
    );
    let capture = dir.path().join("table.html");
    fs::write(&capture, page).unwrap();
    let (article, _) = dry_run_one(&capture);
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "<caption>Crossings a day, from the board's timetables.</caption>",
            "<td style=\"text-align: right\">6</td>",
        ],
    );
    assert_eq!(body.matches("Crossings a day").count(), 1, "{body}");
}

#[test]
fn a_highlighter_s_language_class_is_the_code_block_s_language() {
    let (article, _) = dry_run_one(&structure("highlighted-code.html"));
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "```python\ncount = sum(1 for _ in open(\"log.txt\"))\n```",
            "```rust\nlet count =",
            "```sh\nwc -l log.txt\n```",
        ],
    );
}

#[test]
fn a_stored_image_s_caption_and_credit_are_its_metadata_not_a_paragraph() {
    let page = structure("saved-figure.html");
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    run(quire(&archive)
        .args(["import-web", "--issue", "pier"])
        .arg(&page))
    .ok();
    let shown = json_lines(&run(quire(&archive).args(["show", "pier", "--json"])).ok());
    let article = &shown[0]["data"]["issue"]["sections"][0]["articles"][0];
    assert_eq!(
        article["images"],
        serde_json::json!([{
            "file": "assets/the-north-pier-at-night-pier.png",
            "alt": "The north pier lit at dusk",
            "caption": "The pier's lamps were relit in March.",
            "credit": "Photo: Tomas Lindqvist"
        }, {
            // A caption as the paragraph after a picture's own is its caption too.
            "file": "assets/the-north-pier-at-night-lamp.png",
            "alt": "A rewired lamp",
            "caption": "One of the forty lamps, rewired."
        }])
    );
    let (record, _) = dry_run_one(&page);
    let body = record["body"].as_str().unwrap();
    assert_contains_none(
        body,
        &["relit in March", "Lindqvist", "One of the forty lamps"],
    );
    assert!(
        body.starts_with(
            "![The north pier lit at dusk](assets/the-north-pier-at-night-pier.png)\n\nFor the first time"
        ),
        "{}",
        record["body"]
    );
}

#[test]
fn a_print_page_s_rule_under_its_header_and_its_copyright_line_are_no_part_of_the_text() {
    let page = structure("print-page.html");
    let (article, _) = dry_run_one(&page);
    assert_eq!(article["title"], "Ferry fares frozen for a year");
    let body = article["body"].as_str().unwrap();
    assert!(
        body.starts_with("BAYSIDE — Fares on the island ferry"),
        "{body}"
    );
    assert!(
        body.ends_with("with a public meeting on the island before any vote.\n"),
        "{body}"
    );
}

#[test]
fn a_lead_photo_above_text_in_blocks_of_one_paragraph_is_kept_and_a_box_of_links_is_no_text() {
    // Each paragraph in a block of its own and a closing box of three linked paragraphs: the
    // box holds no words of its own, so no figure is moved into it (where readability would
    // drop them), and the map stays between the second and third paragraphs.
    let page = structure("lead-figure-links.html");
    let (article, stderr) = dry_run_one(&page);
    assert!(stderr.is_empty(), "{stderr}");
    let body = article["body"].as_str().unwrap();
    assert!(
        body.starts_with(
            "![The old pier](https://harbourpost.example/img/pier.jpg)\n\nThe pier at dusk.\n\n\
             The harbour board met"
        ),
        "{body}"
    );
    assert_contains_all(
        body,
        &[
            "as it stands.\n\n![Map of the harbour](https://harbourpost.example/img/map.png)\n\n\
           Where the new survey will take place.\n\nMembers voted",
        ],
    );
    assert_words_in_order(&article_text(&page, &["h1", "promo-links"]), body);
}

#[test]
fn a_block_marked_paywall_free_is_the_article_s_text_and_no_paywall() {
    let page = structure("paywall-free.html");
    let (article, stderr) = dry_run_one(&page);
    assert!(!stderr.contains("paywall"), "{stderr}");
    let body = article["body"].as_str().unwrap();
    assert!(
        body.starts_with("The harbour board met on Tuesday night"),
        "{body}"
    );
    assert_words_in_order(&article_text(&page, &["h1"]), body);
}

#[test]
fn an_embedded_post_keeps_its_caption_after_the_quote() {
    let (article, _) = dry_run_one(&structure("harbour-figures.html"));
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &["> — Harbour Watch (@hwatch)\n\n\
           The post that started the campaign, sent hours before the meeting.\n\nMembers heard"],
    );
}

/// The images `import-web` stored of a capture, as `show --json` gives them, and the body.
fn stored_images(page: &Path) -> (Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    run(quire(&archive)
        .args(["import-web", "--issue", "pier"])
        .arg(page))
    .ok();
    let shown = json_lines(&run(quire(&archive).args(["show", "pier", "--json"])).ok());
    let article = &shown[0]["data"]["issue"]["sections"][0]["articles"][0];
    let (record, _) = dry_run_one(page);
    (
        article["images"].clone(),
        record["body"].as_str().unwrap().to_string(),
    )
}

#[test]
fn the_largest_rendering_the_capture_saved_is_stored_and_a_tracking_pixel_is_no_picture() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("img")).unwrap();
    write_png(
        &dir.path().join("img/quay-16.png"),
        2,
        2,
        png::ColorType::Rgb,
        &[10; 12],
    );
    write_png(
        &dir.path().join("img/quay-800.png"),
        4,
        3,
        png::ColorType::Rgb,
        &[200; 36],
    );
    let page = chromed(
        "<meta property=\"og:site_name\" content=\"Coastline\">",
        "<article><h1>Ferries keep their hours</h1>{text}\
         <figure><img src=\"img/quay-16.png\" srcset=\"img/quay-16.png 16w, img/quay-800.png 800w, img/quay-1600.png 1600w\" alt=\"The quay\">\
         <figcaption>The quay in March.</figcaption></figure>\
         <p>The timetable is posted at both piers.<img src=\"https://stats.example/pixel.gif\" width=\"1\" height=\"1\" alt=\"\"></p></article>",
    );
    let capture = dir.path().join("quay.html");
    fs::write(&capture, page).unwrap();
    let (images, body) = stored_images(&capture);
    // quay-1600.png was not saved: the largest the capture holds is.
    assert_eq!(
        images[0]["file"], "assets/ferries-keep-their-hours-quay-800.png",
        "{images}"
    );
    assert_eq!(images.as_array().map(Vec::len), Some(1), "{images}");
    assert!(!body.contains("pixel.gif"), "{body}");
}

#[test]
fn a_note_in_small_print_stays_in_the_caption_and_only_a_name_in_small_print_is_a_credit() {
    let (images, _) = stored_images(&structure("harbour-figures.html"));
    assert_eq!(
        images[0],
        serde_json::json!({
            "file": "assets/ferry-numbers-chart.png",
            "alt": "Chart of passengers",
            "caption": "Ferry passengers a year. Figures for 2020 and 2021 exclude the lockdown months."
        })
    );
    assert_eq!(
        images[1],
        serde_json::json!({
            "file": "assets/ferry-numbers-quay.png",
            "alt": "The quay",
            "caption": "The quay in March.",
            "credit": "Ann Keeper/Reuters"
        })
    );
}

#[test]
fn a_paragraph_of_prose_classed_as_a_caption_after_a_picture_stays_in_the_text() {
    let (images, body) = stored_images(&structure("harbour-figures.html"));
    assert_eq!(
        images[2],
        serde_json::json!({"file": "assets/ferry-numbers-crane.png", "alt": "The old crane"})
    );
    assert_contains_all(
        &body,
        &["![The old crane](assets/ferry-numbers-crane.png)\n\n\
           The old crane on the pier was last used in 1987"],
    );
}

#[test]
fn a_correction_in_the_text_s_own_footer_is_kept_and_the_site_s_footer_is_not() {
    let (article, stderr) = dry_run_one(&structure("post-notes.html"));
    let body = article["body"].as_str().unwrap();
    assert!(
        body.ends_with(
            "the board's chair said after the meeting.\n\n\
             Correction: an earlier version of this story said the vote was six to three. It was \
             seven to two.\n"
        ),
        "{body}\n{stderr}"
    );
    assert_contains_none(body, &["Bayside Courier", "About us"]);
}

#[test]
fn paragraphs_parted_by_two_breaks_inside_a_font_wrapper_stay_apart_and_a_bold_line_is_its_own() {
    // The whole article in one `<font>` of a table cell, as web editions of 2005-2012 set it.
    let page = structure("river-works.html");
    let (article, stderr) = dry_run_one(&page);
    // What the import read beyond the text's container, it says.
    let warnings: Vec<&str> = stderr.lines().collect();
    assert_eq!(warnings.len(), 2, "{stderr}");
    assert!(
        warnings[0].ends_with("the line `By ALMA VERHOEVEN` under the lead picture was taken as the byline: authors ALMA VERHOEVEN")
            && warnings[1].ends_with("kept at the end of the text: `Editor: Pim Bakker`, which the page sets right after it"),
        "{stderr}"
    );
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            ")\n\nThree new sluices on the lower reach",
            "The gates are being fitted this month.\n\nThe work was delayed",
            "for a century.\n\n**Paying for the gates**\n\nEach of the three towns",
            "\n\nSource: Riverpress\n\nEditor: Pim Bakker\n",
        ],
    );
    assert_contains_none(
        body,
        &[
            "This Week",
            "Related Stories",
            "Copyright",
            "ALMA VERHOEVEN",
        ],
    );
    // The byline under the lead picture, in a byline's shape, names the author.
    assert_eq!(article["authors"], serde_json::json!(["ALMA VERHOEVEN"]));
}

/// An old news page sets its toolbar (`Print | Close`) below the text and the editor's line
/// after it: the line is likely the article's, but the links stand between, so it is named in
/// a warning, not kept; the related stories' box below is not the article's.
#[test]
fn a_sign_off_after_the_toolbar_below_the_text_is_named_and_not_kept() {
    let (article, stderr) = dry_run_one(&structure("ferry-signoff.html"));
    let body = article["body"].as_str().unwrap();
    assert!(
        body.ends_with("and the first sailing was full.\n"),
        "{body}"
    );
    assert_contains_none(body, &["Editor", "Print", "Related"]);
    assert!(
        stderr.contains(
            "ferry-signoff.html: left out after the text: `Editor: Wu Yan`, a sign-off line the \
             page sets right after the links `Print | Close` below it (likely this article's, but \
             not kept: the links stand between)"
        ),
        "{stderr}"
    );
}

#[test]
fn a_layout_table_of_a_picture_over_its_caption_is_a_figure_with_its_credit_apart() {
    let (images, body) = stored_images(&structure("river-works.html"));
    assert_eq!(
        images[0],
        serde_json::json!({
            "file": "assets/new-sluices-on-the-lower-reach-sluice.png",
            "caption": "Workers fit the gates of the new sluice below the old ferry landing, February 2009",
            "credit": "RIVERPRESS"
        })
    );
    assert!(
        body.starts_with(
            "![](assets/new-sluices-on-the-lower-reach-sluice.png)\n\nThree new sluices"
        ),
        "{body}"
    );
    let (images, body) = stored_images(&structure("shuiba.html"));
    assert_eq!(
        images[0],
        serde_json::json!({
            "file": "assets/xia-you-xin-zha-ba-nian-di-wan-gong-dyke.png",
            "caption": "图为下游新闸坝施工现场",
            "credit": "河港社记者 陈雨 摄"
        })
    );
    assert!(
        body.starts_with(
            "![](assets/xia-you-xin-zha-ba-nian-di-wan-gong-dyke.png)\n\n河港社3月17日电"
        ),
        "{body}"
    );
    assert_contains_none(&body, &["<table>", "<td>"]);
}

#[test]
fn a_gallery_s_counters_are_chrome_and_its_captions_are_the_pictures_with_their_credits_apart() {
    let page = structure("ice-gallery.html");
    let (article, _) = dry_run_one(&page);
    let body = article["body"].as_str().unwrap();
    assert_contains_all(
        body,
        &[
            "![](https://img.example.net/20240210/1.jpg)\n\nBoats carry paper lanterns along the old canal on the first night of the festival, Feb. 10, 2024. (Riverpress/Lin Hai)\n\n",
            "![](https://img.example.net/20240210/3.jpg)\n\nLanterns drift past the old customs house at midnight. (Riverpress/Mei Ko)",
        ],
    );
    assert_contains_none(body, &["1/3", "2/3", "3/3"]);
}

/// A wire service's page prints each picture's credit in parentheses after its caption: a
/// stored picture's credit is the image's metadata, the name alone; a picture the issue
/// does not store shows its credit after its caption as the page prints it.
#[test]
fn a_credit_in_parentheses_is_shown_with_them_under_a_picture_the_issue_does_not_store() {
    let (images, body) = stored_images(&structure("canal-credits.html"));
    assert_eq!(
        images[0],
        serde_json::json!({
            "file": "assets/grand-canal-locks-reopen-to-barges-locks.png",
            "caption": "A barge enters the rebuilt lock chamber on Tuesday.",
            "credit": "XINHUA"
        })
    );
    assert_contains_all(
        &body,
        &[
            "\n\n![](assets/grand-canal-locks-reopen-to-barges-locks.png)\n\nThe locks carry",
            "\n\n![](https://img.waterways.example/2025/04/08/barges-queue.jpg)\n\n\
             Barges queue below the old locks in March 2023. (Photo/VCG)\n\nShipping companies",
        ],
    );
}
