//! The export commands' arguments (pdf, epub, bag, all), with the feeds and the web edition
//! that are made from the exports.

use clap::{Args, Subcommand};
use quire::archive::VersionRef;
use std::path::PathBuf;

use super::JsonArg;

#[derive(Args)]
pub struct FeedsArgs {
    /// The URL the exports folder is served at (an absolute http or https URL); without it
    /// the OPDS catalog's links are relative and no RSS feed is made.
    #[arg(long, default_value = "", hide_default_value = true, value_name = "URL", value_parser = folder_url)]
    pub base_url: String,
    /// The exports folder.
    #[arg(long, default_value = "exports")]
    pub dir: PathBuf,
}

#[cfg(feature = "site")]
#[derive(Args)]
pub struct SiteArgs {
    /// The folder to build the site in (a second build writes only what changed).
    #[arg(long, default_value = "site")]
    pub dir: PathBuf,
    /// The URL the site will be served at (an absolute http or https URL), for canonical
    /// links and the feeds (links between pages are relative either way; no RSS feed without
    /// it).
    #[arg(long, default_value = "", hide_default_value = true, value_name = "URL", value_parser = folder_url)]
    pub base_url: String,
    /// After building, serve the folder at this address (e.g. 127.0.0.1:8080; port 0 picks a
    /// free one) until stopped.
    #[arg(long, value_name = "ADDR")]
    pub serve: Option<String>,
    #[command(flatten)]
    pub output: JsonArg,
}

/// A URL that other paths are joined to: an absolute http(s) URL, given a `/` at its end when
/// it lacks one (empty is kept empty, for relative links).
fn folder_url(url: &str) -> Result<String, quire::export::feeds::BaseUrlError> {
    quire::export::feeds::base_url(url)
}

#[derive(Subcommand)]
pub enum ExportCommand {
    /// The PDF edition: cover, contents, articles, colophon.
    Pdf(PdfArgs),
    /// Every issue's head (or every version) in each format, in parallel, skipping outputs
    /// that are already up to date.
    All(AllArgs),
    /// A BagIt 1.0 transfer bag of the source folder (a folder, or a zip with --zip).
    Bag(BagArgs),
    /// The EPUB 3 e-book.
    Epub(EpubArgs),
}

#[derive(Args)]
pub struct PdfArgs {
    /// ID or ID@vN.
    pub issue: VersionRef,
    /// Where to write it (default: exports/<id>-v<N>.pdf; `-` is standard output).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// The paper size.
    #[arg(long, value_enum, default_value_t = PaperSize::A4)]
    pub paper: PaperSize,
    /// Columns of the article bodies.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub columns: u8,
    /// A font for characters the bundled faces lack (CJK, say): a .ttf, .otf or .ttc file,
    /// optionally with `#N` for the face in a collection.
    #[arg(long, value_name = "FILE")]
    pub font: Option<String>,
    /// A plain PDF instead of PDF/A-1b (the default), for inputs PDF/A cannot hold: a font
    /// whose licence forbids embedding it, say.
    #[arg(long)]
    pub no_pdfa: bool,
    #[command(flatten)]
    pub json: JsonArg,
}

#[derive(Args)]
pub struct EpubArgs {
    /// ID or ID@vN.
    pub issue: VersionRef,
    /// Where to write it (default: exports/<id>-v<N>.epub; `-` is standard output).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub json: JsonArg,
}

#[derive(Args)]
pub struct AllArgs {
    /// Comma-separated: pdf, epub.
    #[arg(long, value_delimiter = ',', default_value = "pdf,epub")]
    pub formats: Vec<ExportFormat>,
    /// Every version, not only the heads.
    #[arg(long)]
    pub all_versions: bool,
    /// The folder to write into.
    #[arg(long, default_value = "exports")]
    pub dir: PathBuf,
    /// Plain PDFs instead of PDF/A-1b (the default), for inputs PDF/A cannot hold.
    #[arg(long)]
    pub no_pdfa: bool,
    #[command(flatten)]
    pub output: JsonArg,
}

#[derive(Args)]
pub struct BagArgs {
    /// ID or ID@vN.
    pub issue: VersionRef,
    /// Where to write it (default: exports/<id>-v<N>, or exports/<id>-v<N>.zip; `-` is
    /// standard output, for a zip).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Write the bag as one zip (entries in one folder, in a fixed order, dated 1980-01-01)
    /// instead of a folder (as a `--output` name ending `.zip` does).
    #[arg(long)]
    pub zip: bool,
    /// Add a sha256 manifest beside the sha512 one.
    #[arg(long)]
    pub sha256: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Pdf,
    Epub,
}

impl From<ExportFormat> for quire::export::Format {
    fn from(format: ExportFormat) -> Self {
        match format {
            ExportFormat::Pdf => quire::export::Format::Pdf,
            ExportFormat::Epub => quire::export::Format::Epub,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PaperSize {
    A4,
    Letter,
}

impl From<PaperSize> for quire::export::pdf::Paper {
    fn from(paper: PaperSize) -> Self {
        match paper {
            PaperSize::A4 => quire::export::pdf::Paper::A4,
            PaperSize::Letter => quire::export::pdf::Paper::LETTER,
        }
    }
}
