//! The XMP metadata packet of a PDF/A edition. PDF/A-1 wants the document information
//! repeated in XMP, value for value, with the conformance claim (`pdfaid`) beside it; a
//! schema PDF/A-1 does not know (`pdfuaid`) must be declared as an extension schema first.
//! The packet is built from the same [`Info`] the information dictionary is, so the two
//! cannot drift apart, and from nothing else (no clock): the same edition, the same bytes.

use super::write::{Info, PRODUCER};
use quick_xml::escape::escape;
use std::fmt::Write;

/// The `pdfuaid` schema as a PDF/A extension schema (ISO 19005-1 Technical Corrigendum 2).
const PDFUA_EXTENSION: &str = r#"  <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
"#;

/// The XMP packet for a PDF/A-1b edition described by `info`. `pdfua` adds the claim
/// `pdfuaid:part 1`: pass it only for a tagged document that holds to PDF/UA-1.
pub fn packet(info: &Info, pdfua: bool) -> Vec<u8> {
    let date = xmp_date(info.created);
    let mut xml = String::from(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         \x20<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
    );
    description(
        &mut xml,
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"",
        |xml| {
            element(xml, "dc:format", "application/pdf");
            lang_alt(xml, "dc:title", &info.title);
            if !info.author.is_empty() {
                let _ = writeln!(
                    xml,
                    "   <dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>",
                    escape(info.author.as_str())
                );
            }
            lang_alt(xml, "dc:description", &info.subject);
        },
    );
    description(
        &mut xml,
        "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"",
        |xml| {
            element(xml, "xmp:CreateDate", &date);
            element(xml, "xmp:ModifyDate", &date);
            element(xml, "xmp:MetadataDate", &date);
            element(xml, "xmp:CreatorTool", &info.creator);
        },
    );
    description(
        &mut xml,
        "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"",
        |xml| {
            element(xml, "pdf:Producer", PRODUCER);
            element(xml, "pdf:Keywords", &info.keywords.join("; "));
        },
    );
    description(
        &mut xml,
        "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"",
        |xml| {
            element(xml, "pdfaid:part", "1");
            element(xml, "pdfaid:conformance", "B");
        },
    );
    xml.push_str(PDFUA_EXTENSION);
    if pdfua {
        description(
            &mut xml,
            "xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"",
            |xml| element(xml, "pdfuaid:part", "1"),
        );
    }
    xml.push_str(" </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    xml.into_bytes()
}

/// One `rdf:Description` declaring `namespace`, holding what `body` writes.
fn description(xml: &mut String, namespace: &str, body: impl FnOnce(&mut String)) {
    let _ = writeln!(xml, "  <rdf:Description rdf:about=\"\" {namespace}>");
    body(xml);
    xml.push_str("  </rdf:Description>\n");
}

fn element(xml: &mut String, name: &str, value: &str) {
    let _ = writeln!(xml, "   <{name}>{}</{name}>", escape(value));
}

/// A language alternative with only the default language, as dc:title and dc:description are.
fn lang_alt(xml: &mut String, name: &str, value: &str) {
    let _ = writeln!(
        xml,
        "   <{name}><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></{name}>",
        escape(value)
    );
}

/// ISO 8601 in UTC, the same instant as the information dictionary's `D:` dates.
fn xmp_date(seconds: i64) -> String {
    let time = chrono::DateTime::from_timestamp(seconds, 0).unwrap_or_default();
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> Info {
        Info {
            title: "Review <No. 3> & more".into(),
            author: "A. Writer".into(),
            subject: "One; Two".into(),
            keywords: vec!["Review".into(), "News".into()],
            creator: "quire 0.1.0".into(),
            created: 1_700_000_000,
            identity: String::new(),
        }
    }

    #[test]
    fn the_packet_repeats_the_document_information_and_claims_pdfa_1b() {
        let xml = String::from_utf8(packet(&info(), false)).unwrap();
        crate::testing::assert_contains_all(
            &xml,
            &[
                "<rdf:li xml:lang=\"x-default\">Review &lt;No. 3&gt; &amp; more</rdf:li>",
                "<rdf:li>A. Writer</rdf:li>",
                "<xmp:CreateDate>2023-11-14T22:13:20Z</xmp:CreateDate>",
                "<xmp:ModifyDate>2023-11-14T22:13:20Z</xmp:ModifyDate>",
                "<xmp:CreatorTool>quire 0.1.0</xmp:CreatorTool>",
                "<pdf:Keywords>Review; News</pdf:Keywords>",
                "<pdfaid:part>1</pdfaid:part>",
                "<pdfaid:conformance>B</pdfaid:conformance>",
                "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>",
            ],
        );
        assert!(!xml.contains("<pdfuaid:part>"), "no PDF/UA claim untagged");
        assert_well_formed(&xml);
    }

    fn assert_well_formed(xml: &str) {
        let mut reader = quick_xml::Reader::from_str(xml);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("not well-formed: {e}\n{xml}"),
            }
        }
    }

    #[test]
    fn the_pdfua_claim_is_written_only_when_asked_for() {
        let xml = String::from_utf8(packet(&info(), true)).unwrap();
        assert!(xml.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xml}");
        assert_well_formed(&xml);
    }

    #[test]
    fn an_edition_without_authors_has_no_empty_creator() {
        let mut info = info();
        info.author.clear();
        let xml = String::from_utf8(packet(&info, false)).unwrap();
        assert!(!xml.contains("dc:creator"), "{xml}");
    }
}
