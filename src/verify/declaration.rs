//! The NAMASTE declaration (`0=…`) that opens a storage root and every object: exactly one
//! such file, naming an OCFL version, holding its own name. The root's and an object's differ
//! only in the declaration's prefix and in the codes of their findings.

use super::{Code, Findings, Spec};
use crate::ocfl;
use crate::store::{Entry, EntryKind, Store, StoreError};

/// What a folder declares, and the finding for each way its declaration can be wrong.
pub struct Declared {
    /// The declaration's name up to the version (`0=ocfl_`, `0=ocfl_object_`).
    pub prefix: &'static str,
    /// No declaration file.
    pub missing: (Code, &'static str),
    /// More than one.
    pub several: (Code, &'static str),
    /// One that names no version quire knows.
    pub unknown: Code,
    /// One that does not hold exactly its name.
    pub wrong_content: Code,
}

/// The storage root's declaration (OCFL 1.1, section 4.2).
pub const ROOT: Declared = Declared {
    prefix: ocfl::ROOT_DECLARATION_PREFIX,
    missing: (
        Code::E069,
        "storage root has no 0=ocfl_1.x declaration file",
    ),
    several: (
        Code::E076,
        "storage root has more than one 0= declaration file",
    ),
    unknown: Code::E079,
    wrong_content: Code::E080,
};

/// An object's declaration (OCFL 1.1, section 3.1).
pub const OBJECT: Declared = Declared {
    prefix: ocfl::OBJECT_DECLARATION_PREFIX,
    missing: (Code::E003, "object has no 0=ocfl_object_ declaration file"),
    several: (Code::E003, "object has more than one 0= declaration file"),
    unknown: Code::E006,
    wrong_content: Code::E007,
};

impl Declared {
    /// The spec version a file name declares, if it is a declaration of this kind.
    pub fn spec_of(&self, name: &str) -> Option<Spec> {
        name.strip_prefix(self.prefix).and_then(Spec::from_version)
    }

    /// Checks the declaration among the `entries` of a folder (`at` gives the store path of a
    /// name in it); returns the spec version it names.
    pub fn check(
        &self,
        store: &dyn Store,
        entries: &[Entry],
        at: impl Fn(&str) -> String,
        findings: &mut Findings,
    ) -> Result<Option<Spec>, StoreError> {
        let declarations: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.name.starts_with(ocfl::DECLARATION_PREFIX))
            .collect();
        let [one] = declarations.as_slice() else {
            let (code, message) = match declarations.is_empty() {
                true => self.missing,
                false => self.several,
            };
            findings.add(code, &at(""), message);
            return Ok(None);
        };
        let Some(spec) = self.spec_of(&one.name) else {
            findings.add(
                self.unknown,
                &at(&one.name),
                format!(
                    "`{}` is not {prefix}1.0 or {prefix}1.1",
                    one.name,
                    prefix = self.prefix
                ),
            );
            return Ok(None);
        };
        let declared = &self.prefix[ocfl::DECLARATION_PREFIX.len()..];
        let expected = format!("{declared}{}\n", spec.as_str());
        if one.kind != EntryKind::File || store.read(&at(&one.name))? != expected.as_bytes() {
            findings.add(
                self.wrong_content,
                &at(&one.name),
                format!("declaration must contain exactly `{}`", expected.trim_end()),
            );
        }
        Ok(Some(spec))
    }
}
