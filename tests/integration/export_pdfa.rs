//! The PDF edition as PDF/A-1b, the default: PDFBox Preflight finds the sample, the long
//! issue, an issue with images and tables and a CJK issue valid; qpdf finds them clean, their
//! text comes out as before and the bytes are the same each time. `--no-pdfa` makes a PDF
//! that does not claim PDF/A, and an input PDF/A cannot hold is refused by name.

use crate::export_pdf::{
    assert_qpdf_check, cjk_archive, decode_png, export, extract_images, issue_archive, long_issue,
    noto_cjk, pdftotext, poppler, MARKED_UP,
};
use crate::support::*;
use std::fs;
use std::path::Path;

/// Exports `issue` twice: both files are the same, valid PDF/A-1b and clean for qpdf, with
/// the claim in the XMP packet, a classic cross-reference table and no transparency.
/// Returns the PDF's path.
fn assert_archival_edition(archive: &Path, issue: &str, dir: &Path) -> std::path::PathBuf {
    assert_archival_edition_with(archive, issue, dir, &[])
}

/// [`assert_archival_edition`] with more arguments for `export pdf`.
fn assert_archival_edition_with(
    archive: &Path,
    issue: &str,
    dir: &Path,
    arguments: &[&str],
) -> std::path::PathBuf {
    let pdf = dir.join(format!("{issue}.pdf"));
    let again = dir.join(format!("{issue}-again.pdf"));
    for out in [&pdf, &again] {
        run(quire(archive)
            .args(["export", "pdf", issue])
            .args(arguments)
            .arg("-o")
            .arg(out))
        .ok();
    }
    let bytes = fs::read(&pdf).unwrap();
    assert_eq!(bytes, fs::read(&again).unwrap(), "the same bytes each time");
    assert!(bytes.starts_with(b"%PDF-1.4\n"), "a PDF 1.4 header");
    let text = String::from_utf8_lossy(&bytes);
    let claims = [
        "<pdfaid:part>1</pdfaid:part>",
        "<pdfaid:conformance>B</pdfaid:conformance>",
        "/GTS_PDFA1",
        "\nxref\n",
    ];
    assert_contains_all(&text, &claims);
    assert_contains_none(&text, &["/ObjStm", "/XRef", "/SMask", "/CA ", "/ca "]);
    assert_pdfa_valid(&pdf);
    if tools(&["qpdf"]) {
        assert_qpdf_check(&pdf);
    }
    pdf
}

#[test]
fn the_sample_edition_is_valid_pdfa_1b_and_reads_as_before() {
    let (dir, archive) = sample_archive();
    let pdf = assert_archival_edition(&archive, "beijing-review-sample", dir.path());
    if !tools(&["pdftotext"]) {
        return;
    }
    let text: String = pdftotext(&pdf, None).split_whitespace().collect();
    assert!(text.contains("FullText:TheInternetinChina"), "{text}");
}

#[test]
fn the_long_issue_is_valid_pdfa_1b() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("long");
    long_issue::write_long_issue(&folder, 12, 2000).unwrap();
    let archive = archive_of(dir.path(), &folder);
    let pdf = assert_archival_edition(&archive, "bench", dir.path());
    if !tools(&["pdftotext"]) {
        return;
    }
    let text = pdftotext(&pdf, None);
    assert!(text.contains("A Long Issue"), "the title is extracted");
}

/// A CMYK JPEG (made by Pillow) and a YCCK JPEG (by TurboJPEG), both of cyan, magenta,
/// yellow and half black quarters, come out as RGB pixels of those colours, stored
/// losslessly; a grey PNG and a PNG with alpha sit beside them, with a table in the text.
#[test]
fn an_issue_with_images_and_tables_is_valid_pdfa_1b_with_cmyk_made_rgb() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "{MARKED_UP}\n![Inks](assets/cmyk.jpg)\n\n![More inks](assets/ycck.jpg)\n\n![Grey](assets/grey.png)\n\n![Glass](assets/alpha.png)\n"
    );
    // The images first, in the folder issue_archive writes the issue into.
    let assets = dir.path().join("pictures/assets");
    fs::create_dir_all(&assets).unwrap();
    for jpeg in ["cmyk.jpg", "ycck.jpg"] {
        fs::copy(fixtures().join("pdf").join(jpeg), assets.join(jpeg)).unwrap();
    }
    gradient_png(&assets.join("grey.png"), png::ColorType::Grayscale, 1);
    gradient_png(&assets.join("alpha.png"), png::ColorType::Rgba, 4);
    let archive = issue_archive(dir.path(), "pictures", "en", &[("a1", "Pictures", &body)]);
    let pdf = assert_archival_edition(&archive, "pictures", dir.path());
    if !tools(&["pdfimages", "pdftotext"]) {
        return;
    }
    let text: String = pdftotext(&pdf, None).split_whitespace().collect();
    assert!(text.contains("2021"), "the table's cells: {text}");
    let extracted = extract_images(&pdf, &dir.path().join("extracted"));
    let flate = extracted
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "png"));
    let decoded: Vec<_> = flate.map(|path| decode_png(path)).collect();
    assert_eq!(
        decoded.len(),
        4,
        "four images, all Flate, no soft mask: {extracted:?}"
    );
    let inks: Vec<&Vec<u8>> = decoded
        .iter()
        .filter(|(w, h, _)| (*w, *h) == (32, 16))
        .map(|(_, _, pixels)| pixels)
        .collect();
    assert_eq!(inks.len(), 2, "the CMYK and the YCCK JPEG, now RGB");
    for pixels in inks {
        assert_inks_as_rgb(pixels);
    }
}

/// The four quarters of the ink test images as RGB: cyan, magenta, yellow and mid grey.
#[track_caller]
fn assert_inks_as_rgb(pixels: &[u8]) {
    assert_eq!(pixels.len(), 32 * 16 * 3, "RGB");
    for ((x, y), want) in [
        ((4, 4), [0, 255, 255]),
        ((20, 4), [255, 0, 255]),
        ((4, 12), [255, 255, 0]),
        ((20, 12), [127, 127, 127]),
    ] {
        let at = (y * 32 + x) * 3;
        let got = &pixels[at..at + 3];
        let close = got.iter().zip(want).all(|(g, w)| g.abs_diff(w) <= 12);
        assert!(close, "pixel ({x}, {y}) is {got:?}, not about {want:?}");
    }
}

/// A 24x24 PNG of `channels` channels (a gradient, half transparent with alpha).
fn gradient_png(path: &Path, color: png::ColorType, channels: usize) {
    let pixels: Vec<u8> = (0..24 * 24 * channels)
        .map(|i| {
            if channels == 4 && i % 4 == 3 {
                128
            } else {
                (i % 251) as u8
            }
        })
        .collect();
    write_png(path, 24, 24, color, &pixels);
}

#[test]
fn a_cjk_issue_set_in_noto_cjk_is_valid_pdfa_1b() {
    if noto_cjk().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let archive = cjk_archive(dir.path());
    let pdf = assert_archival_edition(&archive, "cjk", dir.path());
    if !tools(&["pdffonts", "pdftotext"]) {
        return;
    }
    let fonts = poppler("pdffonts", &pdf);
    let cjk = line_with(&fonts, &["NotoSerifCJK"]);
    assert!(
        cjk.contains("CID Type 0C"),
        "a bare CFF (FontFile3 /CIDFontType0C): {fonts}"
    );
    let text: String = pdftotext(&pdf, None).split_whitespace().collect();
    assert!(text.contains("经过一年的修缮"), "{text}");
}

/// A face with name-keyed CFF outlines (the test font of two boxes, made with fontTools:
/// `tests/fixtures/pdf/make-test-boxes-font.py`), which printpdf wraps as an OpenType
/// program (PDF 1.6), goes in as the bare CFF PDF/A-1 takes, its glyphs still mapped.
#[test]
fn a_face_with_name_keyed_cff_outlines_is_embedded_as_bare_cff() {
    let dir = tempfile::tempdir().unwrap();
    let body = "It snowed \u{2603} today, a star \u{2605} shone.\n";
    let archive = issue_archive(dir.path(), "snow", "en", &[("a1", "Weather", body)]);
    let font = fixtures().join("pdf/QuireTestBoxes-Regular.otf");
    let font = font.to_str().unwrap();
    let pdf = assert_archival_edition_with(&archive, "snow", dir.path(), &["--font", font]);
    if !tools(&["pdffonts", "pdftotext"]) {
        return;
    }
    let fonts = poppler("pdffonts", &pdf);
    let boxes = line_with(&fonts, &["QuireTestBoxes-Regular"]);
    assert!(
        boxes.contains("CID Type 0C ") && !boxes.contains("(OT)"),
        "{fonts}"
    );
    let text = pdftotext(&pdf, None);
    assert!(
        text.contains("It snowed \u{2603} today, a star \u{2605} shone."),
        "{text}"
    );
}

#[test]
fn no_pdfa_makes_a_pdf_without_the_claim() {
    let (dir, archive) = sample_archive();
    let pdf = dir.path().join("plain.pdf");
    run(quire(&archive)
        .args(["export", "pdf", "beijing-review-sample", "--no-pdfa", "-o"])
        .arg(&pdf))
    .ok();
    let bytes = fs::read(&pdf).unwrap();
    // Tagged (/Tabs, PDF 1.5) and not bound to PDF/A-1's 1.4.
    assert!(bytes.starts_with(b"%PDF-1.7\n"), "a PDF 1.7 header");
    let text = String::from_utf8_lossy(&bytes);
    assert_contains_none(&text, &["pdfaid", "/OutputIntents", "/Metadata"]);
    if let Some((valid, report)) = preflight(&pdf) {
        assert!(!valid, "Preflight finds no PDF/A here:\n{report}");
    }
    let help = run(quire(&archive).args(["export", "pdf", "--help"])).ok();
    assert!(help.contains("--no-pdfa"), "{help}");
}

/// A font whose licence forbids embedding (OS/2 fsType 2, restricted) cannot go into a PDF/A
/// file: the export fails naming the font and suggesting --no-pdfa, writes nothing, and
/// --no-pdfa makes the PDF.
#[test]
fn a_font_whose_licence_forbids_embedding_is_refused_for_pdfa() {
    let Some(collection) = noto_cjk() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let archive = cjk_archive(dir.path());
    let mut bytes = fs::read(&collection).unwrap();
    restrict_embedding(&mut bytes, 2);
    let font = dir.path().join("NotoSerifCJK-Restricted.ttc");
    fs::write(&font, bytes).unwrap();
    let spec = format!("{}#2", font.display());
    let out = dir.path().join("refused.pdf");
    let stderr = run(quire(&archive)
        .args(["export", "pdf", "cjk", "--font", &spec, "-o"])
        .arg(&out))
    .fails();
    assert!(
        stderr.contains("font NotoSerifCJK-Restricted-SC: its licence forbids embedding it"),
        "{stderr}"
    );
    assert!(stderr.contains("--no-pdfa"), "{stderr}");
    assert!(
        !stderr.contains(&dir.path().display().to_string()),
        "no temporary path: {stderr}"
    );
    assert!(!out.exists(), "nothing is written");
    run(quire(&archive)
        .args(["export", "pdf", "cjk", "--no-pdfa", "--font", &spec, "-o"])
        .arg(&out))
    .ok();
    assert!(out.is_file());
}

/// Sets the OS/2 fsType of face `face` of a font collection to 2 (restricted licence).
fn restrict_embedding(bytes: &mut [u8], face: usize) {
    let be32 = |b: &[u8], at: usize| u32::from_be_bytes(b[at..at + 4].try_into().unwrap()) as usize;
    assert_eq!(&bytes[..4], b"ttcf");
    let directory = be32(bytes, 12 + 4 * face);
    let tables = u16::from_be_bytes([bytes[directory + 4], bytes[directory + 5]]) as usize;
    let record = (0..tables)
        .map(|i| directory + 12 + 16 * i)
        .find(|&at| &bytes[at..at + 4] == b"OS/2")
        .expect("an OS/2 table");
    let at = be32(bytes, record + 8) + 8;
    bytes[at..at + 2].copy_from_slice(&2u16.to_be_bytes());
}

/// `export all` makes PDF/A-1b too (the same bytes as `export pdf`), and `--no-pdfa` does not
/// take the PDF/A file for up to date: it writes the plain PDF.
#[test]
fn export_all_makes_pdfa_and_no_pdfa_rewrites_the_pdf_plain() {
    let (dir, archive) = sample_archive();
    let exports = dir.path().join("exports");
    let all = |extra: &[&str]| {
        let mut command = quire(&archive);
        command
            .args(["export", "all", "--formats", "pdf", "--json", "--dir"])
            .arg(&exports)
            .args(extra);
        data_strings(&json_lines(&run(&mut command).ok()), "file")
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let written = all(&[]);
    assert_eq!(written, ["beijing-review-sample-v1.pdf"]);
    let pdf = exports.join(&written[0]);
    let single = dir.path().join("single.pdf");
    export(&archive, "beijing-review-sample", &single);
    assert_eq!(fs::read(&pdf).unwrap(), fs::read(&single).unwrap());
    assert_pdfa_valid(&pdf);
    all(&["--no-pdfa"]);
    let plain = String::from_utf8_lossy(&fs::read(&pdf).unwrap()).into_owned();
    assert!(!plain.contains("pdfaid"), "rewritten without the claim");
}

/// An arithmetic-coded JPEG (made by libjpeg-turbo's `cjpeg -arithmetic`), which PDF 1.4
/// cannot decode, is refused for PDF/A by its name in the issue; --no-pdfa passes it through.
#[test]
fn an_image_pdf_1_4_cannot_decode_is_refused_for_pdfa() {
    let dir = tempfile::tempdir().unwrap();
    let assets = dir.path().join("odd/assets");
    fs::create_dir_all(&assets).unwrap();
    fs::copy(
        fixtures().join("pdf/arithmetic.jpg"),
        assets.join("grey.jpg"),
    )
    .unwrap();
    let body = "A grey square.\n\n![Grey](assets/grey.jpg)\n";
    let archive = issue_archive(dir.path(), "odd", "en", &[("a1", "Odd", body)]);
    let out = dir.path().join("odd.pdf");
    let stderr = run(quire(&archive)
        .args(["export", "pdf", "odd", "-o"])
        .arg(&out))
    .fails();
    assert!(
        stderr.contains("image assets/grey.jpg: is an arithmetic-coded JPEG, which PDF 1.4 cannot decode, so the PDF cannot be PDF/A-1b; export with --no-pdfa"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written");
    run(quire(&archive)
        .args(["export", "pdf", "odd", "--no-pdfa", "-o"])
        .arg(&out))
    .ok();
}
