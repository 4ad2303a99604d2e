//! The PDF edition: a cover, a contents page with links, every article, and a colophon with
//! the provenance; justified, hyphenated text in embedded, subset fonts; a nested outline;
//! the same bytes for the same archive version.

pub(crate) mod compose;
pub mod fonts;
mod images;
mod limits;
mod linebreak;
mod pdfa;
mod scripts;
pub(crate) use scripts::check as check_scripts;
mod shape;
mod tags;
mod write;
mod xmp;

pub use compose::{Layout, Paper};
pub use images::natural_sizes;

/// Article bodies are set in two columns unless asked otherwise.
pub const DEFAULT_COLUMNS: usize = 2;

use super::{Edition, ExportError};
use fonts::FontSet;
use std::collections::{BTreeMap, BTreeSet};

/// What the PDF depends on besides the edition.
pub struct PdfOptions {
    pub paper: Paper,
    /// Columns of the article bodies (1 or 2).
    pub columns: usize,
    pub fonts: FontSet,
    /// The quire version named in the colophon and the document information.
    pub quire_version: String,
    /// PDF/A-1b (the default for editions): an input that cannot be made conformant is an
    /// error. `false` makes a PDF that does not claim PDF/A.
    pub pdfa: bool,
}

/// Something the PDF could not show as the source has it; the PDF is made all the same.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfWarning {
    #[error("article {article}: raw HTML the PDF cannot show as written: {}", .what.join("; "))]
    UnshownHtml { article: String, what: Vec<String> },
    #[error("article {article}: emphasis set upright, no face of the edition can show it (CJK has no italic and no bold CJK face was found): {}", .text.join("; "))]
    UprightEmphasis { article: String, text: Vec<String> },
    #[error("article {article}: link(s) to {} lead nowhere in the PDF: their text is kept without the link", .targets.join(", "))]
    UnkeptLinks {
        article: String,
        targets: Vec<String>,
    },
    #[error("article {article}: image(s) not in the PDF, named in its text instead: {}", .images.join("; "))]
    ImagesLeftOut {
        article: String,
        images: Vec<String>,
    },
    #[error("the cover image is not in the PDF, named on the cover instead: {cause}")]
    CoverLeftOut { cause: String },
    #[error("{place}: no font of the edition has {}: each is shown as its code point ([U+…]), with the character itself as the text behind it; give a font that has them with --font", .chars.join(", "))]
    Unset { place: String, chars: Vec<String> },
}

/// A PDF edition, and what its reader should be told it lacks.
pub type Pdf = super::Output<PdfWarning>;

/// The PDF edition of `edition`.
pub fn export_pdf(edition: &Edition, options: &PdfOptions) -> Result<Vec<u8>, ExportError> {
    Ok(export_pdf_with_warnings(edition, options)?.bytes)
}

/// The PDF edition of `edition`, with its warnings.
pub fn export_pdf_with_warnings(
    edition: &Edition,
    options: &PdfOptions,
) -> Result<Pdf, ExportError> {
    scripts::check(edition)?;
    let (prepared, left_out) = prepare_images(edition, options.pdfa)?;
    let sizes = prepared
        .iter()
        .map(|(path, image)| (path.clone(), image.natural))
        .collect();
    let composition = compose::compose(
        edition,
        &options.fonts,
        Layout {
            paper: options.paper,
            columns: options.columns,
        },
        &options.quire_version,
        &sizes,
    );
    let issue = &edition.issue;
    let title = issue.full_title();
    let authors = issue.authors();
    let created = edition.created_time()?.timestamp();
    let mut keywords = vec![issue.publication.title.clone()];
    keywords.extend(issue.sections.iter().filter_map(|s| s.name.clone()));
    let info = write::Info {
        title,
        author: authors.join(", "),
        subject: issue
            .articles()
            .map(|a| a.title.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        keywords,
        creator: format!("quire {}", options.quire_version),
        created,
        identity: format!(
            "{}\n{}\n{}\n{}\n{:?}\n{}\n{}\n{}",
            edition.object_id,
            edition.version,
            edition.metadata_sha512,
            options.quire_version,
            options.paper,
            options.columns,
            // Every face besides the bundled ones (a regional CJK face changes the bytes).
            options.fonts.extra_faces().join(","),
            options.pdfa
        ),
    };
    let warnings = per_article(&composition.unshown, |article, what| {
        PdfWarning::UnshownHtml { article, what }
    })
    .chain(per_article(&composition.upright, |article, text| {
        PdfWarning::UprightEmphasis { article, text }
    }))
    .chain(per_article(&composition.unkept, |article, targets| {
        PdfWarning::UnkeptLinks { article, targets }
    }))
    .chain(left_out_warnings(edition, &composition, &left_out));
    let mut warnings: Vec<PdfWarning> = warnings.collect();
    let written = write::write(
        composition,
        &options.fonts,
        options.paper,
        &info,
        prepared,
        options.pdfa,
    )?;
    warnings.extend(written.unset.into_iter().map(|(place, chars)| {
        PdfWarning::Unset {
            place,
            chars: chars
                .iter()
                .map(|c| format!("{c} (U+{:04X})", *c as u32))
                .collect(),
        }
    }));
    Ok(Pdf {
        bytes: written.bytes,
        warnings,
    })
}

/// By path, the images of the edition ready to embed, and why each of the others is left out
/// (the edition names them in the text).
type PreparedImages = (BTreeMap<String, images::Prepared>, BTreeMap<String, String>);

/// The edition's images prepared; an error that stops the export (an image PDF/A cannot
/// hold) is returned.
fn prepare_images(edition: &Edition, pdfa: bool) -> Result<PreparedImages, ExportError> {
    let mut prepared = BTreeMap::new();
    let mut left_out = BTreeMap::new();
    for (path, bytes) in &edition.images {
        match images::prepare(path, bytes, pdfa) {
            Ok(image) => {
                prepared.insert(path.clone(), image);
            }
            Err(e @ ExportError::ImageLeftOut { .. }) => {
                left_out.insert(path.clone(), e.to_string());
            }
            Err(e) => return Err(e),
        }
    }
    Ok((prepared, left_out))
}

/// A warning for each article whose text names images of the issue the PDF left out, each
/// with its cause (`left_out`, by path), and one for the cover when it is left out. (An image
/// the web capture only recorded a link to is named in the text too, as the issue has it.)
fn left_out_warnings<'a>(
    edition: &'a Edition,
    composition: &'a compose::Composition,
    left_out: &'a BTreeMap<String, String>,
) -> impl Iterator<Item = PdfWarning> + 'a {
    let articles = composition
        .named_images
        .iter()
        .filter_map(|(article, named)| {
            let images: Vec<String> = (named.iter())
                .filter_map(|path| left_out.get(path).cloned())
                .collect();
            let article = article.clone();
            (!images.is_empty()).then_some(PdfWarning::ImagesLeftOut { article, images })
        });
    let cover = (edition.issue.cover.as_ref())
        .and_then(|cover| left_out.get(cover))
        .map(|cause| PdfWarning::CoverLeftOut {
            cause: cause.clone(),
        });
    articles.chain(cover)
}

/// One warning for each article of `found` (article id → what the composer noticed, in
/// order), made by `warning` from the id and the list.
fn per_article<'a>(
    found: &'a BTreeMap<String, BTreeSet<String>>,
    warning: fn(String, Vec<String>) -> PdfWarning,
) -> impl Iterator<Item = PdfWarning> + 'a {
    found
        .iter()
        .map(move |(article, what)| warning(article.clone(), what.iter().cloned().collect()))
}
