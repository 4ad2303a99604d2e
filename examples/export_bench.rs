//! Export speed: a large synthetic issue (150 articles, 300,000 words, images) made into the
//! PDF edition (pages per second, MB/s of text, peak memory) and the EPUB (MB/s of text), in
//! one process; and, when WeasyPrint is installed (`weasyprint` on the PATH, or `WEASYPRINT`
//! naming it), WeasyPrint's time for the same text as HTML with the same styles (two columns,
//! justified, hyphenated), in the same run.
//!
//! ```text
//! cargo run --release --example export_bench
//! ```

use quire::archive::{Archive, Layout};
use quire::export::epub::{export_epub, EpubOptions};
use quire::export::pdf::{export_pdf, fonts::FontSet, Paper, PdfOptions};
use quire::export::Edition;
use quire::ingest::ingest_folder;
use quire::store::FsStore;
use std::error::Error;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

mod bench_common;
#[path = "support/long_issue.rs"]
mod long_issue;
use long_issue::write_long_issue;

fn main() -> Result<(), Box<dyn Error>> {
    let articles = 150;
    let words_per_article = 2000;
    let dir = tempfile::tempdir()?;
    let folder = dir.path().join("issue");
    let text_bytes = write_long_issue(&folder, articles, words_per_article)?;
    let archive = Archive::init(
        Box::new(FsStore::new(dir.path().join("archive"))),
        Layout::default(),
    )?;
    let options = bench_common::ingest_options();
    ingest_folder(&archive, &folder, &options)?;
    let object = archive.require_object("urn:quire:bench")?;
    let edition = Edition::load(&object, object.head())?;
    let pdf_options = PdfOptions {
        columns: quire::export::pdf::DEFAULT_COLUMNS,
        paper: Paper::A4,
        fonts: FontSet::bundled(),
        quire_version: env!("CARGO_PKG_VERSION").into(),
        pdfa: true,
    };

    let (best, size, pages) = best_pdf(&edition, &pdf_options)?;
    // What PDF/A-1b costs: the same edition without it.
    let plain = PdfOptions {
        columns: pdf_options.columns,
        paper: pdf_options.paper,
        fonts: FontSet::bundled(),
        quire_version: pdf_options.quire_version.clone(),
        pdfa: false,
    };
    let (plain_best, plain_size, _) = best_pdf(&edition, &plain)?;
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
        epub_size = export_epub(&edition, &epub_options)?.bytes.len();
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
    println!(
        "PDF without PDF/A (--no-pdfa): {:.1} MB, best of 3: {plain_best:.2} s",
        plain_size as f64 / 1e6
    );
    println!("peak memory: {half_peak:.0} MB for {half_pages} pages, {full_peak:.0} MB for {pages} pages");
    println!(
        "EPUB: {:.1} MB, best of 3: {epub_best:.3} s, {:.1} MB/s of text",
        epub_size as f64 / 1e6,
        text_bytes as f64 / 1e6 / epub_best
    );
    match weasyprint_seconds(&edition, dir.path())? {
        Some(seconds) => println!(
            "WeasyPrint: {seconds:.1} s for the same text; quire is {:.0}x faster",
            seconds / best
        ),
        None => println!("WeasyPrint: not installed (pip install weasyprint), not compared"),
    }
    Ok(())
}

/// The best of three PDF exports: seconds, bytes and pages.
fn best_pdf(
    edition: &Edition,
    options: &PdfOptions,
) -> Result<(f64, usize, usize), Box<dyn Error>> {
    let mut best = f64::MAX;
    let mut size = 0;
    let mut pages = 0;
    for _ in 0..3 {
        let started = Instant::now();
        let bytes = export_pdf(edition, options)?;
        best = best.min(started.elapsed().as_secs_f64());
        size = bytes.len();
        pages = lopdf::Document::load_mem(&bytes)?.get_pages().len();
    }
    Ok((best, size, pages))
}

/// The page and text styles of the PDF edition, as CSS.
const EDITION_CSS: &str = "@page { size: A4; margin: 20mm 17mm 18mm 17mm }
body { font-family: 'Noto Serif', serif; font-size: 9.5pt; line-height: 12pt }
article { columns: 2; column-gap: 5mm; break-before: page }
p { margin: 0; text-align: justify; hyphens: auto; text-indent: 9.5pt }
h1 { font-size: 22pt; line-height: 26pt; column-span: all }
h2 { font-family: 'Noto Sans', sans-serif; font-size: 11pt; line-height: 14pt }
img { max-width: 100% }";

/// How long WeasyPrint takes to make a PDF of the edition's text as HTML, if it is installed.
fn weasyprint_seconds(edition: &Edition, dir: &Path) -> Result<Option<f64>, Box<dyn Error>> {
    let program = std::env::var("WEASYPRINT").unwrap_or_else(|_| "weasyprint".into());
    if Command::new(&program).arg("--version").output().is_err() {
        return Ok(None);
    }
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><style>{EDITION_CSS}</style></head><body>"
    );
    for article in edition.issue.articles() {
        let body = edition.body(&article.id);
        html.push_str(&format!("<article><h1>{}</h1>", article.title));
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(body));
        html.push_str("</article>");
    }
    html.push_str("</body></html>");
    for (path, bytes) in &edition.images {
        let target = dir.join(path);
        fs::create_dir_all(target.parent().unwrap_or(dir))?;
        fs::write(target, bytes)?;
    }
    let input = dir.join("edition.html");
    fs::write(&input, html)?;
    let started = Instant::now();
    let status = Command::new(&program)
        .arg(&input)
        .arg(dir.join("edition-weasyprint.pdf"))
        .status()?;
    if !status.success() {
        return Err(format!("{program} failed: {status}").into());
    }
    Ok(Some(started.elapsed().as_secs_f64()))
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
