//! EPUB Accessibility 1.1: what the package document says of how the book can be read (access
//! modes, features, hazards, a summary), and the conformance claim, made only when every rule
//! the generator enforces holds for this book. Those rules: every document in a known language,
//! every image described (alt text, else its caption), headings that never skip a level, tables
//! whose header cells say what they head, a table of contents and a reading order that follow
//! the issue, and no image that could flash unchecked (an animated GIF, SVG or WebP). Ace by DAISY checks the books
//! in the tests.

use super::escape;

/// The conformance the book claims when the rules hold.
pub const CONFORMS_TO: &str = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA";

/// What the book holds, as far as its accessibility goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// The images the book shows (the cover included).
    pub images: usize,
    /// Those that nothing describes.
    pub undescribed: usize,
    /// Those that may move or flash, which quire does not check (animated GIF, SVG, WebP).
    pub unchecked: usize,
    /// Whether every document's language is known.
    pub language: bool,
    pub mathml: bool,
    /// The edition the page list and page-break markers follow, when the book has them.
    pub page_source: Option<String>,
}

impl Facts {
    /// Whether every rule the generator enforces holds.
    pub fn conforms(&self) -> bool {
        self.undescribed == 0 && self.unchecked == 0 && self.language
    }

    /// The package document's accessibility metadata, one element a line.
    pub fn metadata(&self) -> Vec<String> {
        let meta = |property: &str, value: &str| {
            format!("<meta property=\"{property}\">{}</meta>", escape(value))
        };
        let mut lines = vec![meta("schema:accessMode", "textual")];
        if self.images > 0 {
            lines.push(meta("schema:accessMode", "visual"));
        }
        if self.undescribed == 0 {
            lines.push(meta("schema:accessModeSufficient", "textual"));
        }
        if self.images > 0 {
            lines.push(meta("schema:accessModeSufficient", "textual,visual"));
        }
        let mut features = vec!["structuralNavigation", "tableOfContents", "readingOrder"];
        if self.images > 0 && self.undescribed == 0 {
            features.push("alternativeText");
        }
        if self.mathml {
            features.push("MathML");
        }
        if self.page_source.is_some() {
            // The older name and the two that replace it.
            features.extend(["printPageNumbers", "pageBreakMarkers", "pageNavigation"]);
        }
        lines.extend(
            features
                .iter()
                .map(|f| meta("schema:accessibilityFeature", f)),
        );
        let hazard = if self.unchecked > 0 {
            "unknown"
        } else {
            "none"
        };
        lines.push(meta("schema:accessibilityHazard", hazard));
        lines.push(format!(
            "<meta property=\"schema:accessibilitySummary\" xml:lang=\"en\">{}</meta>",
            escape(&self.summary())
        ));
        if self.conforms() {
            lines.push(meta("dcterms:conformsTo", CONFORMS_TO));
        }
        // The page source as EPUB 3.2 names it: the `pageBreakSource` property of EPUB
        // Accessibility 1.1 is refused by EPUBCheck 4 (OPF-027).
        if let Some(source) = &self.page_source {
            lines.push(format!(
                "<dc:source id=\"page-source\">{}</dc:source>",
                escape(source)
            ));
            lines.push(
                "<meta refines=\"#page-source\" property=\"source-of\">pagination</meta>".into(),
            );
        }
        lines
    }

    /// The summary a reader is shown: what the book does, and what it lacks.
    fn summary(&self) -> String {
        let mut parts = vec![
            "A reflowable EPUB 3: each article is a document with its language marked, headed by its title, with headings that never skip a level; a table of contents and the reading order follow the issue; table header cells say what they head.".to_string(),
        ];
        parts.push(match (self.images, self.undescribed) {
            (0, _) => "The book shows no images.".to_string(),
            (n, 0) => format!("Each of its {n} images has a text description."),
            (n, u) => format!(
                "{u} of its {n} images have no description in the source, and say so in place of one."
            ),
        });
        if self.unchecked > 0 {
            parts.push(format!(
                "{} images are animated (GIF, SVG or WebP) and may flash: this was not checked.",
                self.unchecked
            ));
        }
        if !self.language {
            parts.push("The issue names no language.".to_string());
        }
        if let Some(source) = &self.page_source {
            parts.push(format!(
                "Page-break markers and a page list give the pages of {source}."
            ));
        }
        parts.push(if self.conforms() {
            format!("It meets {CONFORMS_TO} as far as quire's checks go.")
        } else {
            "It does not claim conformance to EPUB Accessibility 1.1.".to_string()
        });
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(lines: &[String], property: &str) -> Vec<String> {
        let open = format!("<meta property=\"{property}\"");
        lines
            .iter()
            .filter(|l| l.starts_with(&open))
            .map(|l| l[l.find('>').unwrap() + 1..l.rfind('<').unwrap()].to_string())
            .collect()
    }

    #[test]
    fn a_book_whose_rules_all_hold_claims_conformance_and_names_its_page_source() {
        let facts = Facts {
            images: 2,
            language: true,
            page_source: Some("urn:quire:x v1, PDF edition (A4)".into()),
            ..Facts::default()
        };
        let lines = facts.metadata();
        assert_eq!(values(&lines, "schema:accessMode"), ["textual", "visual"]);
        assert_eq!(
            values(&lines, "schema:accessModeSufficient"),
            ["textual", "textual,visual"]
        );
        assert_eq!(
            values(&lines, "schema:accessibilityFeature"),
            [
                "structuralNavigation",
                "tableOfContents",
                "readingOrder",
                "alternativeText",
                "printPageNumbers",
                "pageBreakMarkers",
                "pageNavigation"
            ]
        );
        assert_eq!(values(&lines, "schema:accessibilityHazard"), ["none"]);
        assert_eq!(values(&lines, "dcterms:conformsTo"), [CONFORMS_TO]);
        assert!(
            lines.contains(
                &"<dc:source id=\"page-source\">urn:quire:x v1, PDF edition (A4)</dc:source>"
                    .to_string()
            ),
            "{lines:?}"
        );
        assert!(
            lines.contains(
                &"<meta refines=\"#page-source\" property=\"source-of\">pagination</meta>"
                    .to_string()
            ),
            "{lines:?}"
        );
        assert!(lines
            .iter()
            .any(|l| l.contains("xml:lang=\"en\">A reflowable")));
    }

    #[test]
    fn an_undescribed_image_a_gif_or_no_language_withholds_the_claim() {
        let described = Facts {
            images: 1,
            language: true,
            ..Facts::default()
        };
        assert!(described.conforms());
        for facts in [
            Facts {
                undescribed: 1,
                ..described.clone()
            },
            Facts {
                unchecked: 1,
                ..described.clone()
            },
            Facts {
                language: false,
                ..described.clone()
            },
        ] {
            let lines = facts.metadata();
            assert!(values(&lines, "dcterms:conformsTo").is_empty(), "{facts:?}");
            assert!(
                lines
                    .iter()
                    .any(|l| l.contains("does not claim conformance")),
                "{lines:?}"
            );
        }
        let undescribed = Facts {
            undescribed: 1,
            ..described.clone()
        }
        .metadata();
        assert_eq!(
            values(&undescribed, "schema:accessModeSufficient"),
            ["textual,visual"]
        );
        assert!(!values(&undescribed, "schema:accessibilityFeature")
            .contains(&"alternativeText".to_string()));
        let gif = Facts {
            unchecked: 1,
            ..described
        }
        .metadata();
        assert_eq!(values(&gif, "schema:accessibilityHazard"), ["unknown"]);
        assert!(!gif.iter().any(|l| l.contains("page-source")), "{gif:?}");
    }
}
