//! Rendering one edition in one format. The PDF's fonts are picked here and only here (the
//! bundled faces, plus a font the user names or else one installed on the system for the
//! characters they lack), so `export pdf`, `export epub` and `export all` make the same bytes
//! for the same choices.

use super::pdf::fonts::{load_font_file, system_fallback, Fallback, FontSet};
use super::{epub, pdf, Edition, ExportError};
use serde::{Deserialize, Serialize};

/// The formats an edition renders to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Epub,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Epub => "epub",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Epub => "application/epub+zip",
        }
    }
}

/// The choices made about a rendering besides the edition itself.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// The PDF's page size.
    pub paper: pdf::Paper,
    /// Columns of the PDF's article bodies (1 or 2).
    pub columns: usize,
    /// `FILE` or `FILE#N` (face N of a collection): a font for the characters the bundled
    /// faces lack. Without it, a face installed on the system is looked for.
    pub font: Option<String>,
    /// The quire version the outputs name.
    pub quire_version: String,
    /// The PDF is PDF/A-1b (the default); `false` for one that does not claim it.
    pub pdfa: bool,
}

impl RenderOptions {
    /// A4 paper, two columns, no font of the user's and PDF/A-1b: what `export all` makes.
    pub fn new(quire_version: &str) -> RenderOptions {
        RenderOptions {
            paper: pdf::Paper::A4,
            columns: pdf::DEFAULT_COLUMNS,
            font: None,
            quire_version: quire_version.to_string(),
            pdfa: true,
        }
    }
}

/// The bundled faces with the fallback for what they lack: the font named by `font`, or
/// else a face installed on the system when the edition needs one.
pub fn pdf_fonts(edition: &Edition, font: Option<&str>) -> Result<FontSet, ExportError> {
    let fonts = FontSet::bundled();
    let fallback = match font {
        // The user's face sets every article, whatever its language.
        Some(spec) => load_font_file(spec).map(|(face, bold)| {
            Some(Fallback {
                face,
                bold,
                regional: Default::default(),
            })
        })?,
        None => system_fallback(&fonts, edition),
    };
    let mut fonts = fonts.with_fallback(fallback);
    fonts.chosen = font.is_some();
    Ok(fonts)
}

/// An output file's bytes, and what its reader should be told it lacks (`W`: the format's
/// warnings, or [`Warning`] for any format).
#[derive(Debug, Clone)]
pub struct Output<W> {
    pub bytes: Vec<u8>,
    pub warnings: Vec<W>,
}

impl<W> Output<W> {
    /// The same output, its warnings as the wider kind `V` (a format's as any format's).
    pub fn widen<V: From<W>>(self) -> Output<V> {
        Output {
            bytes: self.bytes,
            warnings: self.warnings.into_iter().map(V::from).collect(),
        }
    }
}

/// One format of one edition, and what the caller should be told about it.
pub type Rendered = Output<Warning>;

/// What an edition could not do as it should; it is made all the same.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Warning {
    #[error(transparent)]
    Epub(#[from] epub::EpubWarning),
    #[error(transparent)]
    Pdf(#[from] pdf::PdfWarning),
}

/// Makes one format of one edition.
pub fn render(
    edition: &Edition,
    format: Format,
    options: &RenderOptions,
) -> Result<Rendered, ExportError> {
    Ok(match format {
        Format::Pdf => {
            let pdf_options = pdf::PdfOptions {
                paper: options.paper,
                columns: options.columns,
                fonts: pdf_fonts(edition, options.font.as_deref())?,
                quire_version: options.quire_version.clone(),
                pdfa: options.pdfa,
            };
            pdf::export_pdf_with_warnings(edition, &pdf_options)?.widen()
        }
        Format::Epub => {
            let epub_options = epub::EpubOptions {
                quire_version: options.quire_version.clone(),
            };
            epub::export_epub(edition, &epub_options)?.widen()
        }
    })
}
