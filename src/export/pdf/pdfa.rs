//! PDF/A-1b, the archival edition libraries keep: what printpdf writes is finished here on the
//! lopdf level (PDF 1.4 with a classic cross-reference table, an sRGB output intent, the XMP
//! packet, a CIDSet for each CIDFont, CFF programs in the bare form PDF 1.4 knows, printable
//! link annotations without colour), and what no finishing can make conformant (a font its
//! licence forbids to embed here; a JPEG PDF 1.4 cannot decode in `images`) is refused by
//! name, so that no file claims to be what it is not.

use super::fonts::Face;
use super::write::Info;
use super::xmp;
use crate::export::ExportError;
use allsorts::binary::read::ReadScope;
use allsorts::cff::CFF;
use allsorts::font_data::FontData;
use allsorts::tables::FontTableProvider;
use allsorts::tag;
use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream};
use std::collections::BTreeSet;

/// sRGB IEC61966-2.1 as an ICC version 2 profile (PDF/A-1 cannot take version 4), from
/// Debian's icc-profiles-free (zlib licence, in `icc/LICENSE` beside it).
const SRGB_ICC: &[u8] = include_bytes!("icc/sRGB.icc");

/// The annotation flag "print" (PDF 1.4, table 8.16): PDF/A-1 wants it, and no other.
const PRINT: i64 = 4;

/// Makes the finished document PDF/A-1b. `pdfua` adds the PDF/UA-1 claim to the XMP, for a
/// tagged document only.
pub fn conform(lo: &mut Document, info: &Info, pdfua: bool) -> Result<(), ExportError> {
    lo.version = "1.4".to_string();
    lo.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
    let intent = output_intent(lo);
    let metadata = lo.add_object(
        Stream::new(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            xmp::packet(info, pdfua),
        )
        // PDF/A-1 wants the packet readable without a PDF parser.
        .with_compression(false),
    );
    let catalog = lo
        .catalog_mut()
        .map_err(ExportError::encode("the PDF/A catalog"))?;
    catalog.set("OutputIntents", vec![Object::Reference(intent)]);
    catalog.set("Metadata", metadata);
    printable_annotations(lo);
    add_cid_sets(lo)
}

/// The sRGB output intent, with its ICC profile.
fn output_intent(lo: &mut Document) -> ObjectId {
    let profile = lo.add_object(Stream::new(
        dictionary! { "N" => 3, "Alternate" => "DeviceRGB" },
        SRGB_ICC.to_vec(),
    ));
    let name = || Object::string_literal("sRGB IEC61966-2.1");
    lo.add_object(dictionary! {
        "Type" => "OutputIntent",
        "S" => "GTS_PDFA1",
        "OutputConditionIdentifier" => name(),
        "Info" => name(),
        "RegistryName" => Object::string_literal("http://www.color.org"),
        "DestOutputProfile" => profile,
    })
}

/// Every annotation printed (/F 4) and without a colour of its own (/C would be a device
/// colour beside the output intent; quire's links have no visible border anyway).
fn printable_annotations(lo: &mut Document) {
    for object in lo.objects.values_mut() {
        each_dictionary(object, &mut |dict| {
            if dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"Annot") {
                dict.set("F", PRINT);
                dict.remove(b"C");
            }
        });
    }
}

/// Calls `f` on every dictionary in `object`, direct ones inside arrays and dictionaries
/// included (printpdf writes annotations and descendant fonts inline).
pub(super) fn each_dictionary(object: &mut Object, f: &mut impl FnMut(&mut Dictionary)) {
    match object {
        Object::Dictionary(dict) => each_dictionary_in(dict, f),
        Object::Stream(stream) => each_dictionary_in(&mut stream.dict, f),
        Object::Array(items) => items.iter_mut().for_each(|item| each_dictionary(item, f)),
        _ => {}
    }
}

fn each_dictionary_in(dict: &mut Dictionary, f: &mut impl FnMut(&mut Dictionary)) {
    f(dict);
    for (_, value) in dict.iter_mut() {
        each_dictionary(value, f);
    }
}

/// The descriptors of every CIDFont.
fn cid_font_descriptors(lo: &mut Document) -> BTreeSet<ObjectId> {
    let mut descriptors = BTreeSet::new();
    for object in lo.objects.values_mut() {
        each_dictionary(object, &mut |dict| {
            let subtype = dict.get(b"Subtype").and_then(Object::as_name).ok();
            if !matches!(subtype, Some(b"CIDFontType0" | b"CIDFontType2")) {
                return;
            }
            if let Ok(id) = dict.get(b"FontDescriptor").and_then(Object::as_reference) {
                descriptors.insert(id);
            }
        });
    }
    descriptors
}

/// A /CIDSet stream in the descriptor of every CIDFont, naming the CIDs its program has;
/// a CFF program printpdf wrapped as an OpenType font (`/FontFile3 /OpenType`, PDF 1.6: a
/// face with name-keyed CFF outlines) unwrapped to the bare CFF PDF 1.4 takes.
fn add_cid_sets(lo: &mut Document) -> Result<(), ExportError> {
    for id in cid_font_descriptors(lo) {
        bare_cff_program(lo, id)?;
        let (name, program) = font_program(lo, id)?;
        let cids = program_cids(&program).ok_or_else(|| ExportError::NotPdfA {
            input: format!("font {name}"),
            reason: "has an embedded program quire cannot read back".into(),
        })?;
        let set = lo.add_object(Stream::new(dictionary! {}, cid_set(&cids)));
        if let Ok(Object::Dictionary(descriptor)) = lo.get_object_mut(id) {
            descriptor.set("CIDSet", set);
        }
    }
    Ok(())
}

/// Replaces an OpenType-wrapped program (`/FontFile3 /Subtype /OpenType`) of the font
/// descriptor `descriptor` by its bare `CFF ` table (`/CIDFontType0C`): under a
/// CIDFontType0, the codes of a name-keyed CFF are its glyph ids, as they were.
fn bare_cff_program(lo: &mut Document, descriptor: ObjectId) -> Result<(), ExportError> {
    let Ok(file) = lo
        .get_dictionary(descriptor)
        .and_then(|d| d.get(b"FontFile3"))
        .and_then(Object::as_reference)
    else {
        return Ok(());
    };
    let Ok(Object::Stream(stream)) = lo.get_object_mut(file) else {
        return Ok(());
    };
    if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"OpenType") {
        return Ok(());
    }
    let program = stream
        .get_plain_content()
        .map_err(ExportError::encode("a PDF font program"))?;
    let cff = cff_table(&program).ok_or_else(|| ExportError::NotPdfA {
        input: "an OpenType font".into(),
        reason: "has no CFF outlines quire can take out of it".into(),
    })?;
    stream.dict.remove(b"Filter");
    stream
        .dict
        .set("Subtype", Object::Name(b"CIDFontType0C".to_vec()));
    stream.set_content(cff);
    Ok(())
}

/// The `CFF ` table of an sfnt.
fn cff_table(program: &[u8]) -> Option<Vec<u8>> {
    let data = ReadScope::new(program).read::<FontData<'_>>().ok()?;
    let provider = data.table_provider(0).ok()?;
    let table = provider.read_table_data(tag::CFF).ok()?;
    Some(table.into_owned())
}

/// The font name and the decoded program a font descriptor points at.
fn font_program(lo: &Document, descriptor: ObjectId) -> Result<(String, Vec<u8>), ExportError> {
    let dict = lo
        .get_dictionary(descriptor)
        .map_err(ExportError::encode("a PDF font descriptor"))?;
    let name = dict
        .get(b"FontName")
        .and_then(Object::as_name)
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default();
    let missing = || ExportError::NotPdfA {
        input: format!("font {name}"),
        reason: "is not embedded".into(),
    };
    let file = [b"FontFile2".as_slice(), b"FontFile3", b"FontFile"]
        .iter()
        .find_map(|key| dict.get(key).and_then(Object::as_reference).ok())
        .ok_or_else(missing)?;
    let stream = lo
        .get_object(file)
        .and_then(Object::as_stream)
        .map_err(|_| missing())?;
    let program = stream
        .get_plain_content()
        .map_err(ExportError::encode("a PDF font program"))?;
    Ok((name, program))
}

/// The CIDs a font program has: every glyph of a TrueType program (its CIDToGIDMap is the
/// identity), the charset's CIDs of a CID-keyed CFF, the glyph ids of any other CFF.
fn program_cids(program: &[u8]) -> Option<BTreeSet<u16>> {
    if let Ok(cff) = ReadScope::new(program).read::<CFF<'_>>() {
        let font = cff.fonts.first()?;
        let glyphs = font.char_strings_index.len() as u16;
        return Some(if font.is_cid_keyed() {
            (0..glyphs)
                .filter_map(|gid| font.charset.id_for_glyph(gid))
                .collect()
        } else {
            (0..glyphs).collect()
        });
    }
    let data = ReadScope::new(program).read::<FontData<'_>>().ok()?;
    let provider = data.table_provider(0).ok()?;
    let maxp = provider.read_table_data(tag::MAXP).ok()?;
    let glyphs = u16::from_be_bytes([*maxp.get(4)?, *maxp.get(5)?]);
    Some((0..glyphs).collect())
}

/// A CIDSet: one bit per CID, the high bit of the first byte for CID 0.
fn cid_set(cids: &BTreeSet<u16>) -> Vec<u8> {
    let last = cids.last().copied().unwrap_or(0) as usize;
    let mut bits = vec![0u8; last / 8 + 1];
    for &cid in cids {
        bits[cid as usize / 8] |= 0x80 >> (cid % 8);
    }
    bits
}

/// Refuses a face whose licence (the OS/2 table's fsType) forbids embedding its outlines:
/// PDF/A-1 wants every font embedded, and embedding this one is not allowed.
pub fn check_embeddable(face: &Face) -> Result<(), ExportError> {
    let fs_type = fs_type(&face.bytes, face.index).unwrap_or(0);
    // Bits 1-3 are the licence levels; with several set the least restrictive holds.
    let restricted = fs_type & 0x000e == 0x0002;
    let bitmap_only = fs_type & 0x0200 != 0;
    if restricted || bitmap_only {
        let what = if restricted {
            "restricted licence embedding"
        } else {
            "bitmap embedding only"
        };
        return Err(ExportError::NotPdfA {
            input: format!("font {}", face.name),
            reason: format!(
                "its licence forbids embedding it (OS/2 fsType {fs_type:#06x}: {what})"
            ),
        });
    }
    Ok(())
}

/// The OS/2 table's fsType of face `index`, if the font has that table.
fn fs_type(bytes: &[u8], index: usize) -> Option<u16> {
    let data = ReadScope::new(bytes).read::<FontData<'_>>().ok()?;
    let provider = data.table_provider(index).ok()?;
    let os2 = provider.read_table_data(tag::OS_2).ok()?;
    Some(u16::from_be_bytes([*os2.get(8)?, *os2.get(9)?]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_profile_is_an_srgb_icc_profile_of_version_2() {
        assert_eq!(&SRGB_ICC[36..40], b"acsp", "an ICC profile");
        assert_eq!(SRGB_ICC[8], 2, "major version 2 (PDF/A-1 cannot take 4)");
        assert_eq!(&SRGB_ICC[16..20], b"RGB ", "an RGB colour space");
    }

    #[test]
    fn a_cid_set_has_one_bit_per_cid_high_bit_first() {
        let cids: BTreeSet<u16> = [0, 1, 9].into_iter().collect();
        assert_eq!(cid_set(&cids), vec![0b1100_0000, 0b0100_0000]);
    }

    #[test]
    fn a_font_whose_licence_forbids_embedding_is_refused_by_name() {
        let bundled = super::super::fonts::FontSet::bundled();
        let face = bundled.face(super::super::fonts::Style::Serif);
        assert!(check_embeddable(face).is_ok(), "the bundled faces embed");
        let mut bytes = face.bytes.clone();
        set_fs_type(&mut bytes, 0x0002);
        let restricted = Face::parse("Restricted-Regular", bytes, 0).unwrap();
        let message = check_embeddable(&restricted).unwrap_err().to_string();
        assert!(message.contains("font Restricted-Regular"), "{message}");
        assert!(message.contains("--no-pdfa"), "{message}");
    }

    /// Overwrites the OS/2 fsType of a single-face font (the checksum is not checked).
    pub(crate) fn set_fs_type(bytes: &mut [u8], value: u16) {
        let tables = u16::from_be_bytes([bytes[4], bytes[5]]) as usize;
        let record = (0..tables)
            .map(|i| 12 + 16 * i)
            .find(|&at| &bytes[at..at + 4] == b"OS/2")
            .expect("an OS/2 table");
        let offset = u32::from_be_bytes(bytes[record + 8..record + 12].try_into().unwrap());
        let at = offset as usize + 8;
        bytes[at..at + 2].copy_from_slice(&value.to_be_bytes());
    }
}
