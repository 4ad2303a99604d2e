//! Pictures in the PDF as readers see them: turned upright as their EXIF data says (checked on
//! pages poppler renders, colour by colour), and what cannot be embedded named in the text and
//! in a warning.

use crate::export_pdf::{assert_qpdf_check, decode_png, export};
use crate::support::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A colour of the quadrants test picture (`tests/fixtures/pdf/quadrants.jpg`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Colour {
    Red,
    Green,
    Blue,
    Yellow,
}
use Colour::*;

/// The quadrants picture as stored: red, green over blue, yellow.
const STORED: [Colour; 4] = [Red, Green, Blue, Yellow];

/// How each EXIF orientation shows the stored quadrants (top left, top right, bottom left,
/// bottom right), as the EXIF specification defines the eight.
const SHOWN: [(u16, [Colour; 4]); 8] = [
    (1, [Red, Green, Blue, Yellow]),
    (2, [Green, Red, Yellow, Blue]),
    (3, [Yellow, Blue, Green, Red]),
    (4, [Blue, Yellow, Red, Green]),
    (5, [Red, Blue, Green, Yellow]),
    (6, [Blue, Red, Yellow, Green]),
    (7, [Yellow, Green, Blue, Red]),
    (8, [Green, Yellow, Red, Blue]),
];

/// A JPEG APP1 segment of EXIF data (big-endian TIFF) giving only `orientation`.
fn exif_block(orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0*\0\0\0\x08\0\x01".to_vec();
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    tiff.extend(orientation.to_be_bytes());
    tiff.extend([0; 6]);
    tiff
}

/// The quadrants JPEG with an EXIF block (APP1, after the start of the image) giving
/// `orientation`; its other bytes as they are.
pub(crate) fn turned_jpeg(orientation: u16) -> Vec<u8> {
    let jpeg = fs::read(fixtures().join("pdf/quadrants.jpg")).unwrap();
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend(exif_block(orientation));
    let mut bytes = jpeg[..2].to_vec();
    bytes.extend([0xff, 0xe1]);
    bytes.extend(((exif.len() + 2) as u16).to_be_bytes());
    bytes.extend(exif);
    bytes.extend(&jpeg[2..]);
    bytes
}

/// A colour as RGB.
fn rgb(c: Colour) -> [u8; 3] {
    match c {
        Red => [255, 0, 0],
        Green => [0, 204, 0],
        Blue => [0, 0, 255],
        Yellow => [255, 255, 0],
    }
}

/// The quadrant of each pixel of the stored picture (96 x 64), rows from the top.
fn quadrants() -> impl Iterator<Item = usize> {
    (0..64).flat_map(|y| (0..96).map(move |x| usize::from(y >= 32) * 2 + usize::from(x >= 48)))
}

/// The quadrants as RGB pixels.
fn quadrant_pixels() -> Vec<u8> {
    quadrants().flat_map(|q| rgb(STORED[q])).collect()
}

/// The quadrants as a PNG (96 x 64) with an eXIf chunk giving `orientation`.
fn turned_png(path: &Path, orientation: u16) {
    let pixels = quadrant_pixels();
    let file = fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), 96, 64);
    encoder.set_color(png::ColorType::Rgb);
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_chunk(png::chunk::ChunkType(*b"eXIf"), &exif_block(orientation))
        .unwrap();
    writer.write_image_data(&pixels).unwrap();
}

/// An issue of one article a picture: `pictures` are (file name in `assets/`, alt text), each
/// shown alone in its article's body; `cover` a file of `assets/` for the cover.
pub(crate) fn picture_issue(
    dir: &Path,
    id: &str,
    pictures: &[(&str, &str)],
    cover: Option<&str>,
) -> PathBuf {
    let folder = dir.join(id);
    fs::create_dir_all(folder.join("articles")).unwrap();
    fs::create_dir_all(folder.join("assets")).unwrap();
    let cover = cover.map_or(String::new(), |c| format!("cover = \"assets/{c}\"\n"));
    let mut toml = format!(
        "[publication]\ntitle = \"Picture Review\"\nlanguage = \"en\"\n\n[issue]\nid = \"{id}\"\n{cover}"
    );
    for (n, (file, alt)) in pictures.iter().enumerate() {
        let body = format!("A short paragraph before the picture.\n\n![{alt}](assets/{file})\n");
        fs::write(folder.join(format!("articles/p{n}.md")), body).unwrap();
        toml.push_str(&format!(
            "\n[[articles]]\nid = \"p{n}\"\ntitle = \"Picture {n}\"\nbody = \"articles/p{n}.md\"\n"
        ));
    }
    fs::write(folder.join("issue.toml"), toml).unwrap();
    folder
}

/// Every page of `pdf` rendered by poppler at 72 dpi (one pixel a point), in order.
fn rendered_pages(pdf: &Path, out: &Path) -> Vec<(u32, u32, Vec<u8>)> {
    fs::create_dir_all(out).unwrap();
    let (ok, said) = tool_output(
        Command::new(checked_tool("pdftoppm"))
            .args(["-r", "72", "-png"])
            .arg(pdf)
            .arg(out.join("page")),
    );
    assert!(ok, "{said}");
    let mut files: Vec<PathBuf> = fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.iter().map(|f| decode_png(f)).collect()
}

/// The colour a rendered pixel is nearest to, when it is clearly one of the four.
fn colour(pixel: &[u8]) -> Option<Colour> {
    match (pixel[0] > 160, pixel[1] > 140, pixel[2] > 160) {
        (true, false, false) if pixel[1] < 80 && pixel[2] < 80 => Some(Red),
        (false, true, false) if pixel[0] < 80 && pixel[2] < 80 => Some(Green),
        (false, false, true) if pixel[0] < 80 && pixel[1] < 80 => Some(Blue),
        (true, true, false) if pixel[2] < 80 => Some(Yellow),
        _ => None,
    }
}

/// The box (left, top, right, bottom, in pixels) of the strongly coloured pixels of a page,
/// and the colours at the middle of its four quarters (top left, top right, bottom left,
/// bottom right); `None` when the page has no such pixels.
fn picture_on(page: &(u32, u32, Vec<u8>)) -> Option<([u32; 4], [Option<Colour>; 4])> {
    let (width, height, pixels) = page;
    let at = |x: u32, y: u32| &pixels[((y * width + x) * 3) as usize..][..3];
    let (mut left, mut top, mut right, mut bottom) = (u32::MAX, u32::MAX, 0, 0);
    for y in 0..*height {
        for x in 0..*width {
            let p = at(x, y);
            let spread = p.iter().max().unwrap() - p.iter().min().unwrap();
            if spread > 150 {
                (left, top) = (left.min(x), top.min(y));
                (right, bottom) = (right.max(x), bottom.max(y));
            }
        }
    }
    if right < left {
        return None;
    }
    let (w, h) = (right - left, bottom - top);
    let quarters = [(1, 1), (3, 1), (1, 3), (3, 3)]
        .map(|(qx, qy)| colour(at(left + w * qx / 4, top + h * qy / 4)));
    Some(([left, top, right, bottom], quarters))
}

/// A JPEG or PNG with an EXIF orientation (all eight, on article pages, and a quarter turn on
/// the cover) is shown upright: poppler's rendering has the colours where the EXIF
/// specification puts them, the picture as wide and high as it is shown, and the JPEG's bytes
/// are embedded as they are.
#[test]
fn pictures_with_an_exif_orientation_are_shown_upright_in_body_and_on_the_cover() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    run(quire(&archive).arg("init")).ok();
    let mut pictures: Vec<(String, String)> = SHOWN
        .iter()
        .map(|(o, _)| {
            (
                format!("turned-{o}.jpg"),
                format!("Turned by orientation {o}"),
            )
        })
        .collect();
    pictures.push((
        "turned-png.png".into(),
        "A PNG turned by orientation 6".into(),
    ));
    let named: Vec<(&str, &str)> = (pictures.iter())
        .map(|(f, a)| (f.as_str(), a.as_str()))
        .collect();
    let folder = picture_issue(dir.path(), "turned", &named, Some("turned-6.jpg"));
    for (orientation, _) in SHOWN {
        let path = folder.join(format!("assets/turned-{orientation}.jpg"));
        fs::write(path, turned_jpeg(orientation)).unwrap();
    }
    turned_png(&folder.join("assets/turned-png.png"), 6);
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let pdf = dir.path().join("turned.pdf");
    export(&archive, "turned", &pdf);
    assert_pdfa_valid(&pdf);
    if !tools(&["pdftoppm", "pdftotext", "pdfimages"]) {
        return;
    }
    let texts = crate::export_pdf::page_texts(&pdf);
    let pages = rendered_pages(&pdf, &dir.path().join("pages"));
    let shown = |alt: &str| {
        let page = (texts.iter())
            .position(|t| {
                t.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .contains(alt)
            })
            .unwrap_or_else(|| panic!("no page shows {alt}"));
        picture_on(&pages[page]).unwrap_or_else(|| panic!("no picture on page {}", page + 1))
    };
    let mut expected: Vec<(String, u16, [Colour; 4])> = SHOWN
        .iter()
        .map(|(o, quarters)| (format!("Turned by orientation {o}"), *o, *quarters))
        .collect();
    expected.push(("A PNG turned by orientation 6".into(), 6, SHOWN[5].1));
    for (alt, orientation, quarters) in expected {
        let ([left, top, right, bottom], seen) = shown(&alt);
        assert_eq!(seen, quarters.map(Some), "{alt}: the quarters as rendered");
        let (wide, high) = (right - left, bottom - top);
        // 96 x 64 pixels at 96 dpi: 72 x 48 points, turned a quarter for 5 to 8.
        let expected_size = if orientation >= 5 { (48, 72) } else { (72, 48) };
        assert!(
            wide.abs_diff(expected_size.0) <= 2 && high.abs_diff(expected_size.1) <= 2,
            "{alt}: {wide} x {high} points"
        );
    }
    let (_, cover) = picture_on(&pages[0]).expect("the cover shows its picture");
    assert_eq!(cover, SHOWN[5].1.map(Some), "the cover as rendered");
    assert_eq!(
        fs::read(&crate::export_pdf::extract_images(&pdf, &dir.path().join("img"))[0]).unwrap(),
        turned_jpeg(6),
        "the cover's JPEG is embedded byte for byte"
    );
}

/// The warnings of `export pdf` (one a line, `quire: warning: FILE: ` cut off).
fn pdf_warnings(archive: &Path, issue: &str, pdf: &Path) -> Vec<String> {
    let stderr = run(quire(archive).args(["export", "pdf", issue, "-o"]).arg(pdf)).ok_stderr();
    let prefix = format!("quire: warning: {}: ", pdf.display());
    (stderr.lines())
        .filter_map(|line| line.strip_prefix(&prefix).map(str::to_string))
        .collect()
}

/// The warnings of the `export` record of a command run with `--json` (`export all` making
/// one PDF, or `export pdf`).
fn json_warnings(command: &mut Command) -> Vec<String> {
    let records = json_lines(&run(command.arg("--json")).ok());
    let export = (records.iter())
        .find(|r| r["type"] == "export")
        .expect("an export record");
    (export["data"]["warnings"].as_array().into_iter().flatten())
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}

/// A JPEG cut short (as an interrupted upload leaves it) is left out rather than embedded with
/// its lower part blank, and so are an SVG, an AVIF and an SVG cover: each is named where it
/// would be (in its article's text, on the cover), and a warning names the file, its article
/// and what is wrong, on the command line and in `export all --json`. qpdf, which decodes the
/// JPEGs it checks, finds the PDF clean, and pdfimages finds no image in it.
#[test]
fn images_the_pdf_cannot_embed_are_named_in_the_text_and_in_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    run(quire(&archive).arg("init")).ok();
    let pictures = [
        ("cut.jpg", "A harbour cut short"),
        ("chart.svg", "A chart of the tides"),
        ("photo.avif", "A photo in AVIF"),
    ];
    let folder = picture_issue(dir.path(), "leftout", &pictures, Some("cover.svg"));
    let whole = turned_jpeg(1);
    fs::write(folder.join("assets/cut.jpg"), &whole[..whole.len() * 3 / 5]).unwrap();
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"60\" height=\"40\"><rect width=\"60\" height=\"40\" fill=\"teal\"/></svg>\n";
    fs::write(folder.join("assets/chart.svg"), svg).unwrap();
    fs::write(folder.join("assets/cover.svg"), svg).unwrap();
    let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miafMA1B\0\0\0\x08mdat";
    fs::write(folder.join("assets/photo.avif"), avif).unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let pdf = dir.path().join("leftout.pdf");
    let expected = [
        "article p0: image(s) not in the PDF, named in its text instead: assets/cut.jpg: is a JPEG cut short: its data ends before the picture does",
        "article p1: image(s) not in the PDF, named in its text instead: assets/chart.svg: is an SVG image, which the PDF does not embed",
        "article p2: image(s) not in the PDF, named in its text instead: assets/photo.avif: is an AVIF image, which the PDF does not embed",
        "the cover image is not in the PDF, named on the cover instead: assets/cover.svg: is an SVG image, which the PDF does not embed",
    ];
    assert_eq!(pdf_warnings(&archive, "leftout", &pdf), expected);
    let exports = dir.path().join("exports");
    let all = ["export", "all", "--formats", "pdf", "--dir"];
    assert_eq!(
        json_warnings(quire(&archive).args(all).arg(&exports)),
        expected
    );
    let again = dir.path().join("again.pdf");
    let mut pdf_json = quire(&archive);
    pdf_json
        .args(["export", "pdf", "leftout", "-o"])
        .arg(&again);
    assert_eq!(json_warnings(&mut pdf_json), expected);
    if !tools(&["qpdf", "pdftotext", "pdfimages"]) {
        return;
    }
    assert_qpdf_check(&pdf);
    let images = crate::export_pdf::extract_images(&pdf, &dir.path().join("img"));
    assert!(images.is_empty(), "{images:?}");
    let text = crate::export_pdf::pdftotext(&pdf, None);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for named in [
        "Image not in this edition: Picture Review (assets/cover.svg)",
        "Image not in this edition: A harbour cut short (assets/cut.jpg)",
        "Image not in this edition: A chart of the tides (assets/chart.svg)",
        "Image not in this edition: A photo in AVIF (assets/photo.avif)",
    ] {
        assert!(text.contains(named), "{named}:\n{text}");
    }
}

/// The quadrants as a GIF (its palette the four colours); an animation when `blue_after`,
/// whose second frame is all blue.
fn quadrants_gif(blue_after: bool) -> Vec<u8> {
    let palette: Vec<u8> = STORED.iter().flat_map(|c| rgb(*c)).collect();
    let mut bytes = Vec::new();
    let mut encoder = gif::Encoder::new(&mut bytes, 96, 64, &palette).unwrap();
    let indices: Vec<u8> = quadrants().map(|q| q as u8).collect();
    let mut frame = gif::Frame {
        width: 96,
        height: 64,
        buffer: indices.into(),
        ..gif::Frame::default()
    };
    encoder.write_frame(&frame).unwrap();
    if blue_after {
        frame.buffer = vec![2; 96 * 64].into();
        encoder.write_frame(&frame).unwrap();
    }
    drop(encoder);
    bytes
}

/// The quadrants as a 24-bit BMP (rows bottom up, blue green red).
fn quadrants_bmp() -> Vec<u8> {
    let pixels = quadrant_pixels();
    let mut bytes = b"BM".to_vec();
    bytes.extend((54 + pixels.len() as u32).to_le_bytes());
    bytes.extend([0; 4]);
    bytes.extend(54u32.to_le_bytes());
    bytes.extend(40u32.to_le_bytes());
    bytes.extend(96i32.to_le_bytes());
    bytes.extend(64i32.to_le_bytes());
    bytes.extend(1u16.to_le_bytes());
    bytes.extend(24u16.to_le_bytes());
    bytes.extend([0; 24]);
    for row in pixels.chunks(96 * 3).rev() {
        bytes.extend(row.chunks(3).flat_map(|p| [p[2], p[1], p[0]]));
    }
    bytes
}

/// The quadrants as an LZW-compressed TIFF.
fn quadrants_tiff() -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    let encoder = tiff::encoder::TiffEncoder::new(&mut bytes).unwrap();
    let mut encoder = encoder.with_compression(tiff::encoder::Compression::Lzw);
    let pixels = quadrant_pixels();
    (encoder.write_image::<tiff::encoder::colortype::RGB8>(96, 64, &pixels)).unwrap();
    bytes.into_inner()
}

/// The quadrants as a lossless WebP.
fn quadrants_webp() -> Vec<u8> {
    let mut bytes = Vec::new();
    let encoder = image_webp::WebPEncoder::new(&mut bytes);
    let pixels = quadrant_pixels();
    (encoder.encode(&pixels, 96, 64, image_webp::ColorType::Rgb8)).unwrap();
    bytes
}

/// GIF, WebP (lossless, and lossy from `tests/fixtures/pdf/quadrants.webp`), BMP and TIFF
/// pictures are embedded in the body, and an animated GIF on the cover (its first frame):
/// nothing is warned of, pdfimages finds each, poppler renders each with its colours where
/// they are stored, as large as its pixels at 96 dpi, and the edition stays valid PDF/A-1b
/// (Preflight) and tagged (pdfua and the structure checks).
#[test]
fn gif_webp_bmp_and_tiff_pictures_are_embedded_in_the_body_and_on_the_cover() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    run(quire(&archive).arg("init")).ok();
    let files: [(&str, &str, Vec<u8>); 5] = [
        ("still.gif", "A GIF still", quadrants_gif(false)),
        ("lossless.webp", "A lossless WebP", quadrants_webp()),
        (
            "lossy.webp",
            "A lossy WebP",
            fs::read(fixtures().join("pdf/quadrants.webp")).unwrap(),
        ),
        ("screen.bmp", "A BMP screenshot", quadrants_bmp()),
        ("scan.tiff", "A TIFF scan", quadrants_tiff()),
    ];
    let pictures: Vec<(&str, &str)> = files.iter().map(|(f, a, _)| (*f, *a)).collect();
    let folder = picture_issue(dir.path(), "formats", &pictures, Some("moving.gif"));
    for (file, _, bytes) in &files {
        fs::write(folder.join("assets").join(file), bytes).unwrap();
    }
    fs::write(folder.join("assets/moving.gif"), quadrants_gif(true)).unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let pdf = dir.path().join("formats.pdf");
    assert_eq!(
        pdf_warnings(&archive, "formats", &pdf),
        Vec::<String>::new()
    );
    assert_pdfa_valid(&pdf);
    if crate::export_pdf_tags::assert_tagged(&pdf).is_none()
        || !tools(&["pdftoppm", "pdftotext", "pdfimages"])
    {
        return;
    }
    let images = crate::export_pdf::extract_images(&pdf, &dir.path().join("img"));
    assert_eq!(images.len(), 6, "{images:?}");
    let texts = crate::export_pdf::page_texts(&pdf);
    let pages = rendered_pages(&pdf, &dir.path().join("pages"));
    let (_, cover) = picture_on(&pages[0]).expect("the cover shows its picture");
    assert_eq!(cover, STORED.map(Some), "the cover's first frame");
    for (_, alt, _) in &files {
        let page = (texts.iter())
            .position(|t| t.contains(alt))
            .unwrap_or_else(|| panic!("no page shows {alt}"));
        let ([left, top, right, bottom], seen) = picture_on(&pages[page]).expect(alt);
        assert_eq!(seen, STORED.map(Some), "{alt}");
        let (wide, high) = (right - left, bottom - top);
        assert!(
            wide.abs_diff(72) <= 2 && high.abs_diff(48) <= 2,
            "{alt}: {wide} x {high} points"
        );
    }
}

/// A link annotation of a page: its /Contents, where it leads (a URI, or `page N` from 1 for
/// a GoTo) and its rectangle (left, bottom, right, top, in points).
#[derive(Debug)]
struct Annotation {
    contents: String,
    target: String,
    rect: [f64; 4],
}

/// The link annotations of page `page` (from 1), by qpdf.
fn annotations_on(json: &serde_json::Value, page: usize) -> Vec<Annotation> {
    let pages = json["pages"].as_array().unwrap();
    let objects = &json["qpdf"][1];
    let object = |reference: &str| &objects[format!("obj:{reference}")]["value"];
    let annots = object(pages[page - 1]["object"].as_str().unwrap())["/Annots"].clone();
    let annots = annots.as_array().cloned().unwrap_or_default();
    (annots.iter())
        .map(|reference| {
            let annot = object(reference.as_str().expect("a reference"));
            let action = &annot["/A"];
            let target = match action["/URI"].as_str() {
                Some(uri) => uri.trim_start_matches("u:").to_string(),
                None => {
                    let to = action["/D"][0].as_str().expect("a destination's page");
                    let index = pages.iter().position(|p| p["object"] == to).unwrap();
                    format!("page {}", index + 1)
                }
            };
            let rect = &annot["/Rect"];
            Annotation {
                contents: (annot["/Contents"].as_str().unwrap_or_default())
                    .trim_start_matches("u:")
                    .to_string(),
                target,
                rect: [0, 1, 2, 3].map(|i| rect[i].as_f64().expect("a number")),
            }
        })
        .collect()
}

/// A linked image (`[![alt](a.jpg)](https://…)`) keeps its link in the PDF: a URI annotation
/// over the whole picture as poppler renders it; one linked to another article's file a GoTo
/// to that article's page; a small image drawn in its sentence linked over it; the note that
/// stands for a linked image the PDF cannot embed linked too. Each annotation is in a Link
/// element with the figure, described by its alt text: pdfua and the structure checks find
/// nothing, and Preflight finds the edition valid PDF/A-1b.
#[test]
fn a_linked_image_keeps_its_link_over_the_picture_in_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    run(quire(&archive).arg("init")).ok();
    let pictures = [
        ("harbour.jpg", "The harbour at dusk"),
        ("chart.svg", "A chart of the tides"),
        ("pin.png", "A pin"),
        ("harbour.jpg", "Back to the harbour"),
    ];
    let folder = picture_issue(dir.path(), "linked", &pictures, None);
    fs::write(folder.join("assets/harbour.jpg"), turned_jpeg(1)).unwrap();
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"60\" height=\"40\"/>\n";
    fs::write(folder.join("assets/chart.svg"), svg).unwrap();
    write_png(
        &folder.join("assets/pin.png"),
        8,
        8,
        png::ColorType::Rgb,
        &[200; 8 * 8 * 3],
    );
    let bodies = [
        "Zero comes first.\n\n[![The harbour at dusk](assets/harbour.jpg)](https://example.org/harbour)\n",
        "One has a chart.\n\n[![A chart of the tides](assets/chart.svg)](https://example.org/chart)\n",
        "Two has a [![A pin](assets/pin.png)](https://example.org/map) in a sentence.\n",
        "Three leads back.\n\n[![Back to the harbour](assets/harbour.jpg)](p0.md)\n",
    ];
    for (n, body) in bodies.iter().enumerate() {
        fs::write(folder.join(format!("articles/p{n}.md")), body).unwrap();
    }
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let pdf = dir.path().join("linked.pdf");
    assert_eq!(pdf_warnings(&archive, "linked", &pdf).len(), 1, "the chart");
    assert_pdfa_valid(&pdf);
    if crate::export_pdf_tags::assert_tagged(&pdf).is_none() || !tools(&["pdftoppm", "pdftotext"]) {
        return;
    }
    let texts = crate::export_pdf::page_texts(&pdf);
    let page_of = |words: &str| 1 + texts.iter().position(|t| t.contains(words)).unwrap();
    let json = crate::export_pdf::qpdf_json(&pdf);
    let pages = rendered_pages(&pdf, &dir.path().join("pages"));
    let links = |words: &str| annotations_on(&json, page_of(words));

    let harbour = links("Zero comes first");
    assert_eq!(harbour.len(), 1, "{harbour:?}");
    assert_eq!(harbour[0].contents, "The harbour at dusk");
    assert_eq!(harbour[0].target, "https://example.org/harbour");
    // Over the whole picture: its box as rendered (72 dpi, measured from the top).
    let page = &pages[page_of("Zero comes first") - 1];
    let ([left, top, right, bottom], _) = picture_on(page).unwrap();
    let height = f64::from(page.1);
    let [x1, y1, x2, y2] = harbour[0].rect;
    let near = |a: f64, b: u32| (a - f64::from(b)).abs() <= 2.0;
    assert!(
        near(x1, left) && near(x2, right) && near(height - y2, top) && near(height - y1, bottom),
        "{:?} over a picture at {left}, {top} to {right}, {bottom}",
        harbour[0].rect
    );

    let chart = links("One has a chart");
    assert_eq!(chart.len(), 1, "{chart:?}");
    assert_eq!(chart[0].target, "https://example.org/chart");
    assert!(
        chart[0].contents.contains("Image not in this edition"),
        "{chart:?}"
    );

    let pin = links("Two has a");
    assert_eq!(pin.len(), 1, "{pin:?}");
    assert_eq!(
        (pin[0].contents.as_str(), pin[0].target.as_str()),
        ("A pin", "https://example.org/map")
    );
    let [x1, y1, x2, y2] = pin[0].rect;
    assert!(
        ((x2 - x1) - 6.0).abs() < 0.1 && ((y2 - y1) - 6.0).abs() < 0.1,
        "{pin:?}"
    );

    let back = links("Three leads back");
    assert_eq!(back.len(), 1, "{back:?}");
    assert_eq!(back[0].contents, "Back to the harbour");
    assert_eq!(
        back[0].target,
        format!("page {}", page_of("Zero comes first"))
    );
}
