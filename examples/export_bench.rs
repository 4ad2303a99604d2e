//! Export speed: a large synthetic issue (150 articles, 300,000 words, images) made into the
//! PDF edition (pages per second, MB/s of text, peak memory) and the EPUB (MB/s of text), in
//! one process.
//!
//! ```text
//! cargo run --release --example export_bench
//! ```

use quire::archive::{Archive, Layout, User};
use quire::export::epub::{export_epub, EpubOptions};
use quire::export::pdf::{export_pdf, fonts::FontSet, Paper, PdfOptions};
use quire::export::Edition;
use quire::ingest::{ingest_folder, IngestOptions};
use quire::store::FsStore;
use std::error::Error;
use std::fs;
use std::time::Instant;

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

fn main() -> Result<(), Box<dyn Error>> {
    let articles = 150;
    let words_per_article = 2000;
    let dir = tempfile::tempdir()?;
    let folder = dir.path().join("issue");
    fs::create_dir_all(folder.join("articles"))?;
    fs::create_dir_all(folder.join("assets"))?;
    // A 600x400 PNG for every tenth article.
    let png = {
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, 600, 400);
        encoder.set_color(png::ColorType::Rgb);
        let mut writer = encoder.write_header()?;
        let pixels: Vec<u8> = (0..600 * 400 * 3).map(|i| (i % 251) as u8).collect();
        writer.write_image_data(&pixels)?;
        writer.finish()?;
        bytes
    };
    fs::write(folder.join("assets/figure.png"), &png)?;
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
    let archive = Archive::init(
        Box::new(FsStore::new(dir.path().join("archive"))),
        Layout::default(),
    )?;
    let options = IngestOptions {
        message: None,
        user: User {
            name: "bench".into(),
            address: Some("mailto:bench@example.org".into()),
        },
        created: "2026-01-01T00:00:00Z".parse()?,
        dry_run: false,
    };
    ingest_folder(&archive, &folder, &options)?;
    let object = archive.require_object("urn:quire:bench")?;
    let edition = Edition::load(&object, object.head())?;
    let pdf_options = PdfOptions {
        columns: quire::export::pdf::DEFAULT_COLUMNS,
        paper: Paper::A4,
        fonts: FontSet::bundled(),
        quire_version: env!("CARGO_PKG_VERSION").into(),
    };

    let mut best = f64::MAX;
    let mut size = 0;
    let mut pages = 0;
    for _ in 0..3 {
        let started = Instant::now();
        let bytes = export_pdf(&edition, &pdf_options)?;
        best = best.min(started.elapsed().as_secs_f64());
        size = bytes.len();
        pages = lopdf::Document::load_mem(&bytes)?.get_pages().len();
    }
    // Memory: the peak while exporting half the issue, then the whole of it.
    let mut half = edition.clone();
    let mut kept = 0;
    for section in &mut half.issue.sections {
        section.articles.retain(|_| {
            kept += 1;
            kept <= articles / 2
        });
    }
    half.issue.sections.retain(|s| !s.articles.is_empty());
    let _ = fs::write("/proc/self/clear_refs", "5");
    let half_pdf = export_pdf(&half, &pdf_options)?;
    let half_pages = lopdf::Document::load_mem(&half_pdf)?.get_pages().len();
    let half_peak = peak_rss_mb();
    let _ = fs::write("/proc/self/clear_refs", "5");
    export_pdf(&edition, &pdf_options)?;
    let full_peak = peak_rss_mb();

    let epub_options = EpubOptions {
        quire_version: env!("CARGO_PKG_VERSION").into(),
    };
    let mut epub_best = f64::MAX;
    let mut epub_size = 0;
    for _ in 0..3 {
        let started = Instant::now();
        epub_size = export_epub(&edition, &epub_options)?.len();
        epub_best = epub_best.min(started.elapsed().as_secs_f64());
    }

    let words = articles * words_per_article;
    println!(
        "issue: {articles} articles, {words} words, {:.1} MB of text",
        text_bytes as f64 / 1e6
    );
    println!(
        "PDF: {pages} pages, {:.1} MB, best of 3: {best:.2} s",
        size as f64 / 1e6
    );
    println!(
        "{:.0} pages/s, {:.1} MB/s of text",
        pages as f64 / best,
        text_bytes as f64 / 1e6 / best
    );
    println!("peak memory: {half_peak:.0} MB for {half_pages} pages, {full_peak:.0} MB for {pages} pages");
    println!(
        "EPUB: {:.1} MB, best of 3: {epub_best:.3} s, {:.1} MB/s of text",
        epub_size as f64 / 1e6,
        text_bytes as f64 / 1e6 / epub_best
    );
    Ok(())
}

/// The process's peak resident memory (VmHWM) in MB; 0 where /proc is not available.
fn peak_rss_mb() -> f64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse::<f64>().ok()
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}
