//! The file and folder names the OCFL spec fixes, in one place, so that the writer, the reader,
//! the validator and the storage backends cannot disagree on a spelling.

/// Every declaration file (a NAMASTE file: storage root or object) starts with this.
pub const DECLARATION_PREFIX: &str = "0=";
/// The storage root declaration quire writes (OCFL 1.1, section 4.2).
pub const ROOT_DECLARATION: &str = "0=ocfl_1.1";
/// The storage root declaration of an OCFL 1.0 root.
pub const ROOT_DECLARATION_1_0: &str = "0=ocfl_1.0";
/// Every storage root declaration starts with this.
pub const ROOT_DECLARATION_PREFIX: &str = "0=ocfl_";
/// The object declaration quire writes (OCFL 1.1, section 3.1).
pub const OBJECT_DECLARATION: &str = "0=ocfl_object_1.1";
/// The object declaration of an OCFL 1.0 object.
pub const OBJECT_DECLARATION_1_0: &str = "0=ocfl_object_1.0";
/// Every object declaration starts with this.
pub const OBJECT_DECLARATION_PREFIX: &str = "0=ocfl_object_";
/// The inventory, in an object root and in every version directory.
pub const INVENTORY: &str = "inventory.json";
/// The storage root's description of its layout.
pub const LAYOUT_FILE: &str = "ocfl_layout.json";
/// An extension's parameters, in `extensions/<name>/`.
pub const EXTENSION_CONFIG: &str = "config.json";
/// The folder of extensions, in a storage root and in an object.
pub const EXTENSIONS: &str = "extensions";
/// The content directory when an inventory names none.
pub const DEFAULT_CONTENT_DIRECTORY: &str = "content";

/// The sidecar of an inventory hashed with `algorithm`: `inventory.json.sha512`.
pub fn sidecar_name(algorithm: &str) -> String {
    format!("{INVENTORY}.{algorithm}")
}

/// The contents of an object declaration file such as `0=ocfl_object_1.1`: its name after
/// `0=`, and a newline.
pub fn declaration_body(declaration: &str) -> String {
    format!("{}\n", declaration.trim_start_matches(DECLARATION_PREFIX))
}

/// What is wrong with the form of an OCFL path (a logical path, E052/E053, or a content path,
/// E099/E100): the spec reads it as elements joined by `/`, and nothing else. A backslash or a
/// colon is a plain character of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathFault {
    /// It starts or ends with `/`.
    Edge,
    /// An element is empty, `.` or `..`.
    Element,
}

impl PathFault {
    /// The fault of `path`, if it has one.
    pub fn of(path: &str) -> Option<PathFault> {
        if path.starts_with('/') || path.ends_with('/') {
            Some(PathFault::Edge)
        } else if path
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        {
            Some(PathFault::Element)
        } else {
            None
        }
    }

    /// The fault, said after the path: "starts or ends with `/`".
    pub fn describe(self) -> &'static str {
        match self {
            PathFault::Edge => "starts or ends with `/`",
            PathFault::Element => "has an empty, `.` or `..` part",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sidecar_is_named_after_its_algorithm() {
        assert_eq!(sidecar_name("sha512"), "inventory.json.sha512");
    }

    #[test]
    fn a_backslash_or_a_drive_letter_is_part_of_a_path_element() {
        for path in ["a\\b.txt", "C:\\x.txt", "a/b\\c"] {
            assert_eq!(PathFault::of(path), None, "{path}");
        }
        assert_eq!(PathFault::of("/a"), Some(PathFault::Edge));
        assert_eq!(PathFault::of("a\\/../b"), Some(PathFault::Element));
    }

    #[test]
    fn a_declaration_holds_its_own_name() {
        assert_eq!(declaration_body(OBJECT_DECLARATION), "ocfl_object_1.1\n");
        assert_eq!(declaration_body(ROOT_DECLARATION), "ocfl_1.1\n");
    }
}
