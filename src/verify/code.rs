//! The OCFL validation codes as one typed table, so that a finding's severity, its place in the
//! spec and its meaning come from the spec's own list (`validation-codes.md` of OCFL 1.0 and
//! 1.1) rather than from spelling a code right in each check.

use super::{Severity, Spec};
use serde::{Serialize, Serializer};
use std::fmt;

/// Defines [`Code`] and its table from one list: severity, the first spec version that has
/// the code, the code, and the spec's description of the rule.
macro_rules! codes {
    ($($severity:ident $since:ident $code:ident $description:literal,)*) => {
        /// A code from the OCFL validation-codes table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = concat!("`", stringify!($code), "` of the spec's table (see [`Code::description`]).")] $code,)*
        }

        impl Code {
            /// Every code, in the table's order.
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            /// The code as the spec writes it, e.g. `E092`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }

            fn entry(self) -> Entry {
                match self {
                    $(Code::$code => Entry {
                        severity: Severity::$severity,
                        since: Spec::$since,
                        description: $description,
                    },)*
                }
            }
        }
    };
}

struct Entry {
    severity: Severity,
    since: Spec,
    description: &'static str,
}

impl Code {
    /// The code named `text` (`E092`, or `e092`); `None` for anything not in the table.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|code| code.as_str().eq_ignore_ascii_case(text))
    }

    /// Error for a MUST of the spec, warning for a SHOULD.
    pub fn severity(self) -> Severity {
        self.entry().severity
    }

    /// The spec's own description of the rule.
    pub fn description(self) -> &'static str {
        self.entry().description
    }

    /// The first spec version whose table has this code.
    pub fn since(self) -> Spec {
        self.entry().since
    }

    /// The rule's place in the spec: the code is the anchor of the sentence that states it,
    /// e.g. <https://ocfl.io/1.1/spec/#E092>.
    pub fn spec_url(self) -> String {
        format!("https://ocfl.io/1.1/spec/#{}", self.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Code {
    type Err = String;

    fn from_str(text: &str) -> Result<Code, String> {
        Code::parse(text).ok_or_else(|| {
            format!(
                "`{text}` is not a validation code of OCFL 1.0 or 1.1 (E001 to E112, W001 to W016, \
                 as in the spec's validation-codes table)"
            )
        })
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

// The OCFL 1.1 table (https://github.com/OCFL/spec, 1.1/spec/validation-codes.md); codes that
// 1.0's table lacks are marked V1_1. E065, E068, E086, E091, E109 and W006 are not in 1.1's
// table (E068, E086 and E091 only in 1.0's), and quire does not report them.
codes! {
    Error V1_0 E001 "The OCFL Object Root must not contain files or directories other than those specified in the following sections.",
    Error V1_0 E002 "The version declaration must be formatted according to the NAMASTE specification.",
    Error V1_0 E003 "There must be exactly one version declaration file in the base directory of the OCFL Object Root giving the OCFL version in the filename.",
    Error V1_0 E004 "The [version declaration] filename MUST conform to the pattern T=dvalue, where T must be 0, and dvalue must be ocfl_object_, followed by the OCFL specification version number.",
    Error V1_0 E005 "The [version declaration] filename must conform to the pattern T=dvalue, where T MUST be 0, and dvalue must be ocfl_object_, followed by the OCFL specification version number.",
    Error V1_0 E006 "The [version declaration] filename must conform to the pattern T=dvalue, where T must be 0, and dvalue MUST be ocfl_object_, followed by the OCFL specification version number.",
    Error V1_0 E007 "The text contents of the [version declaration] file must be the same as dvalue, followed by a newline (\\n).",
    Error V1_0 E008 "OCFL Object content must be stored as a sequence of one or more versions.",
    Error V1_0 E009 "The version number sequence MUST start at 1 and must be continuous without missing integers.",
    Error V1_0 E010 "The version number sequence must start at 1 and MUST be continuous without missing integers.",
    Error V1_0 E011 "If zero-padded version directory numbers are used then they must start with the prefix v and then a zero.",
    Error V1_0 E012 "All version directories of an object must use the same naming convention: either a non-padded version directory number, or a zero-padded version directory number of consistent length.",
    Error V1_0 E013 "Operations that add a new version to an object must follow the version directory naming convention established by earlier versions.",
    Error V1_0 E014 "In all cases, references to files inside version directories from inventory files must use the actual version directory names.",
    Error V1_0 E015 "There must be no other files as children of a version directory, other than an inventory file and a inventory digest.",
    Error V1_0 E016 "Version directories must contain a designated content sub-directory if the version contains files to be preserved, and should not contain this sub-directory otherwise.",
    Error V1_0 E017 "The contentDirectory value MUST NOT contain the forward slash (/) path separator and must not be either one or two periods (. or ..).",
    Error V1_0 E018 "The contentDirectory value must not contain the forward slash (/) path separator and MUST NOT be either one or two periods (. or ..).",
    Error V1_0 E019 "If the key contentDirectory is set, it MUST be set in the first version of the object and must not change between versions of the same object.",
    Error V1_0 E020 "If the key contentDirectory is set, it must be set in the first version of the object and MUST NOT change between versions of the same object.",
    Error V1_0 E021 "If the key contentDirectory is not present in the inventory file then the name of the designated content sub-directory must be content.",
    Error V1_0 E022 "OCFL-compliant tools (including any validators) must ignore all directories in the object version directory except for the designated content directory.",
    Error V1_0 E023 "Every file within a version's content directory must be referenced in the manifest section of the inventory.",
    Error V1_0 E024 "There must not be empty directories within a version's content directory.",
    Error V1_0 E025 "For content-addressing, OCFL Objects must use either sha512 or sha256, and should use sha512.",
    Error V1_0 E026 "For storage of additional fixity values, or to support legacy content migration, implementers must choose from the following controlled vocabulary of digest algorithms, or from a list of additional algorithms given in the [Digest-Algorithms-Extension].",
    Error V1_0 E027 "OCFL clients must support all fixity algorithms given in the table below, and may support additional algorithms from the extensions.",
    Error V1_0 E028 "Optional fixity algorithms that are not supported by a client must be ignored by that client.",
    Error V1_0 E029 "SHA-1 algorithm defined by [FIPS-180-4] and must be encoded using hex (base16) encoding [RFC4648].",
    Error V1_0 E030 "SHA-256 algorithm defined by [FIPS-180-4] and must be encoded using hex (base16) encoding [RFC4648].",
    Error V1_0 E031 "SHA-512 algorithm defined by [FIPS-180-4] and must be encoded using hex (base16) encoding [RFC4648].",
    Error V1_0 E032 "[blake2b-512] must be encoded using hex (base16) encoding [RFC4648].",
    Error V1_0 E033 "An OCFL Object Inventory MUST follow the [JSON] structure described in this section and must be named inventory.json.",
    Error V1_0 E034 "An OCFL Object Inventory must follow the [JSON] structure described in this section and MUST be named inventory.json.",
    Error V1_0 E035 "The forward slash (/) path separator must be used in content paths in the manifest and fixity blocks within the inventory.",
    Error V1_0 E036 "An OCFL Object Inventory must include the following keys: [id, type, digestAlgorithm, head]",
    Error V1_0 E037 "[id] must be unique in the local context, and should be a URI [RFC3986].",
    Error V1_0 E038 "In the object root inventory [the type value] must be the URI of the inventory section of the specification version matching the object conformance declaration.",
    Error V1_0 E039 "[digestAlgorithm] must be the algorithm used in the manifest and state blocks.",
    Error V1_0 E040 "[head] must be the version directory name with the highest version number.",
    Error V1_0 E041 "In addition to these keys, there must be two other blocks present, manifest and versions, which are discussed in the next two sections.",
    Error V1_0 E042 "Content paths within a manifest block must be relative to the OCFL Object Root.",
    Error V1_0 E043 "An OCFL Object Inventory must include a block for storing versions.",
    Error V1_0 E044 "This block MUST have the key of versions within the inventory, and it must be a JSON object.",
    Error V1_0 E045 "This block must have the key of versions within the inventory, and it MUST be a JSON object.",
    Error V1_0 E046 "The keys of [the versions object] must correspond to the names of the version directories used.",
    Error V1_0 E047 "Each value [of the versions object] must be another JSON object that characterizes the version, as described in the 3.5.3.1 Version section.",
    Error V1_0 E048 "A JSON object to describe one OCFL Version, which must include the following keys: [created, state]",
    Error V1_0 E049 "[the value of the \"created\" key] must be expressed in the Internet Date/Time Format defined by [RFC3339].",
    Error V1_0 E050 "The keys of [the \"state\" JSON object] are digest values, each of which must correspond to an entry in the manifest of the inventory.",
    Error V1_0 E051 "The logical path [value of a \"state\" digest key] must be interpreted as a set of one or more path elements joined by a / path separator.",
    Error V1_0 E052 "[logical] Path elements must not be ., .., or empty (//).",
    Error V1_0 E053 "Additionally, a logical path must not begin or end with a forward slash (/).",
    Error V1_0 E054 "The value of the user key must contain a user name key, \"name\" and should contain an address key, \"address\".",
    Error V1_0 E055 "If present, [the fixity] block must have the key of fixity within the inventory.",
    Error V1_0 E056 "The fixity block must contain keys corresponding to the controlled vocabulary given in the digest algorithms listed in the Digests section, or in a table given in an Extension.",
    Error V1_0 E057 "The value of the fixity block for a particular digest algorithm must follow the structure of the manifest block; that is, a key corresponding to the digest value, and an array of content paths that match that digest.",
    Error V1_0 E058 "Every occurrence of an inventory file must have an accompanying sidecar file stating its digest.",
    Error V1_0 E059 "This value must match the value given for the digestAlgorithm key in the inventory.",
    Error V1_0 E060 "The digest sidecar file must contain the digest of the inventory file.",
    Error V1_0 E061 "[The digest sidecar file] must follow the format: DIGEST inventory.json",
    Error V1_0 E062 "The digest of the inventory must be computed only after all changes to the inventory have been made, and thus writing the digest sidecar file is the last step in the versioning process.",
    Error V1_0 E063 "Every OCFL Object must have an inventory file within the OCFL Object Root, corresponding to the state of the OCFL Object at the current version.",
    Error V1_0 E064 "Where an OCFL Object contains inventory.json in version directories, the inventory file in the OCFL Object Root must be the same as the file in the most recent version.",
    Error V1_0 E066 "Each version block in each prior inventory file must represent the same object state as the corresponding version block in the current inventory file.",
    Error V1_0 E067 "The extensions directory must not contain any files or sub-directories other than extension sub-directories.",
    Error V1_0 E069 "An OCFL Storage Root MUST contain a Root Conformance Declaration identifying it as such.",
    Error V1_0 E070 "If present, [the ocfl_layout.json document] MUST include the following two keys in the root JSON object: [extension, description]",
    Error V1_0 E071 "The value of the [ocfl_layout.json] extension key must be the registered extension name for the extension defining the arrangement under the storage root.",
    Error V1_0 E072 "The directory hierarchy used to store OCFL Objects MUST NOT contain files that are not part of an OCFL Object.",
    Error V1_0 E073 "Empty directories MUST NOT appear under a storage root.",
    Error V1_0 E074 "Although implementations may require multiple OCFL Storage Roots - that is, several logical or physical volumes, or multiple \"buckets\" in an object store - each OCFL Storage Root MUST be independent.",
    Error V1_0 E075 "The OCFL version declaration MUST be formatted according to the NAMASTE specification.",
    Error V1_0 E076 "There must be exactly one version declaration file in the base directory of the OCFL Storage Root giving the OCFL version in the filename.",
    Error V1_0 E077 "[The OCFL version declaration filename] MUST conform to the pattern T=dvalue, where T must be 0, and dvalue must be ocfl_, followed by the OCFL specification version number.",
    Error V1_0 E078 "[The OCFL version declaration filename] must conform to the pattern T=dvalue, where T MUST be 0, and dvalue must be ocfl_, followed by the OCFL specification version number.",
    Error V1_0 E079 "[The OCFL version declaration filename] must conform to the pattern T=dvalue, where T must be 0, and dvalue MUST be ocfl_, followed by the OCFL specification version number.",
    Error V1_0 E080 "The text contents of [the OCFL version declaration file] MUST be the same as dvalue, followed by a newline (\\n).",
    Error V1_0 E081 "OCFL Objects within the OCFL Storage Root also include a conformance declaration which MUST indicate OCFL Object conformance to the same or earlier version of the specification.",
    Error V1_0 E082 "OCFL Object Roots MUST be stored either as the terminal resource at the end of a directory storage hierarchy or as direct children of a containing OCFL Storage Root.",
    Error V1_0 E083 "There MUST be a deterministic mapping from an object identifier to a unique storage path.",
    Error V1_0 E084 "Storage hierarchies MUST NOT include files within intermediate directories.",
    Error V1_0 E085 "Storage hierarchies MUST be terminated by OCFL Object Roots.",
    Error V1_0 E087 "An OCFL validator MUST ignore any files in the storage root it does not understand.",
    Error V1_0 E088 "An OCFL Storage Root MUST NOT contain directories or sub-directories other than as a directory hierarchy used to store OCFL Objects or for storage root extensions.",
    Error V1_0 E089 "If the preservation of non-OCFL-compliant features is required then the content MUST be wrapped in a suitable disk or filesystem image format which OCFL can treat as a regular file.",
    Error V1_0 E090 "Hard and soft (symbolic) links are not portable and MUST NOT be used within OCFL Storage hierarchies.",
    Error V1_0 E092 "The value for each key in the manifest must be an array containing the content paths of files in the OCFL Object that have content with the given digest.",
    Error V1_0 E093 "Where included in the fixity block, the digest values given must match the digests of the files at the corresponding content paths.",
    Error V1_0 E094 "The value of [the message] key is freeform text, used to record the rationale for creating this version. It must be a JSON string.",
    Error V1_0 E095 "Within a version, logical paths must be unique and non-conflicting, so the logical path for a file cannot appear as the initial part of another logical path.",
    Error V1_0 E096 "As JSON keys are case sensitive, while digests may not be, there is an additional requirement that each digest value must occur only once in the manifest regardless of case.",
    Error V1_0 E097 "As JSON keys are case sensitive, while digests may not be, there is an additional requirement that each digest value must occur only once in the fixity block for any digest algorithm, regardless of case.",
    Error V1_0 E098 "The content path must be interpreted as a set of one or more path elements joined by a / path separator.",
    Error V1_0 E099 "[content] path elements must not be ., .., or empty (//).",
    Error V1_0 E100 "A content path must not begin or end with a forward slash (/).",
    Error V1_0 E101 "Within an inventory, content paths must be unique and non-conflicting, so the content path for a file cannot appear as the initial part of another content path.",
    Error V1_0 E102 "An inventory file must not contain keys that are not specified.",
    Error V1_1 E103 "Each version directory within an OCFL Object MUST conform to either the same or a later OCFL specification version as the preceding version directory.",
    Error V1_1 E104 "Version directory names MUST be constructed by prepending v to the version number.",
    Error V1_1 E105 "The version number MUST be taken from the sequence of positive, base-ten integers: 1, 2, 3, etc.",
    Error V1_1 E106 "The value of the manifest key MUST be a JSON object.",
    Error V1_1 E107 "The value of the manifest key must be a JSON object, and each key MUST correspond to a digest value key found in one or more state blocks of the current and/or previous version blocks of the OCFL Object.",
    Error V1_1 E108 "The contentDirectory value MUST represent a direct child directory of the version directory in which it is found.",
    Error V1_1 E110 "A unique identifier for the OCFL Object MUST NOT change between versions of the same object.",
    Error V1_1 E111 "If present, [the value of the fixity key] MUST be a JSON object, which may be empty.",
    Error V1_1 E112 "The extensions directory must not contain any files or sub-directories other than extension sub-directories.",
    Warning V1_0 W001 "Implementations SHOULD use version directory names constructed without zero-padding the version number, ie. v1, v2, v3, etc.",
    Warning V1_0 W002 "The version directory SHOULD NOT contain any directories other than the designated content sub-directory. Once created, the contents of a version directory are expected to be immutable.",
    Warning V1_0 W003 "Version directories must contain a designated content sub-directory if the version contains files to be preserved, and SHOULD NOT contain this sub-directory otherwise.",
    Warning V1_0 W004 "For content-addressing, OCFL Objects SHOULD use sha512.",
    Warning V1_0 W005 "The OCFL Object Inventory id SHOULD be a URI.",
    Warning V1_0 W007 "In the OCFL Object Inventory, the JSON object describing an OCFL Version, SHOULD include the message and user keys.",
    Warning V1_0 W008 "In the OCFL Object Inventory, in the version block, the value of the user key SHOULD contain an address key, address.",
    Warning V1_0 W009 "In the OCFL Object Inventory, in the version block, the address value SHOULD be a URI: either a mailto URI [RFC6068] with the e-mail address of the user or a URL to a personal identifier, e.g., an ORCID iD.",
    Warning V1_0 W010 "In addition to the inventory in the OCFL Object Root, every version directory SHOULD include an inventory file that is an Inventory of all content for versions up to and including that particular version.",
    Warning V1_0 W011 "In the case that prior version directories include an inventory file, the values of the created, message and user keys in each version block in each prior inventory file SHOULD have the same values as the corresponding keys in the corresponding version block in the current inventory file.",
    Warning V1_0 W012 "Implementers SHOULD use the logs directory, if present, for storing files that contain a record of actions taken on the object.",
    Warning V1_0 W013 "In an OCFL Object, extension sub-directories SHOULD be named according to a registered extension name.",
    Warning V1_0 W014 "Storage hierarchies within the same OCFL Storage Root SHOULD use just one layout pattern.",
    Warning V1_0 W015 "Storage hierarchies within the same OCFL Storage Root SHOULD consistently use either a directory hierarchy of OCFL Objects or top-level OCFL Objects.",
    Warning V1_1 W016 "In the Storage Root, extension sub-directories SHOULD be named according to a registered extension name.",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_holds_the_spec_codes_in_order_and_each_once() {
        // 1.1's table: E001-E112 without E065, E068, E086, E091, E109; W001-W016 without W006.
        assert_eq!(Code::ALL.len(), 107 + 15);
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
        for missing in ["E065", "E068", "E086", "E091", "E109", "W006"] {
            assert_eq!(Code::parse(missing), None, "{missing}");
        }
    }

    #[test]
    fn severity_comes_from_the_table_not_the_spelling() {
        assert_eq!(Code::E092.severity(), Severity::Error);
        assert_eq!(Code::W010.severity(), Severity::Warning);
        assert!(Code::ALL.iter().all(|c| {
            let expected = if c.as_str().starts_with('W') {
                Severity::Warning
            } else {
                Severity::Error
            };
            c.severity() == expected
        }));
    }

    #[test]
    fn a_code_parses_in_either_case_and_an_unknown_one_is_refused() {
        assert_eq!(Code::parse("E092"), Some(Code::E092));
        assert_eq!(Code::parse("w004"), Some(Code::W004));
        assert_eq!(Code::parse("E999"), None);
        assert_eq!(Code::parse("X1"), None);
        let refused = "E999".parse::<Code>().unwrap_err();
        assert!(refused.contains("not a validation code"), "{refused}");
    }

    #[test]
    fn a_code_links_to_its_sentence_in_the_spec() {
        assert_eq!(Code::E092.spec_url(), "https://ocfl.io/1.1/spec/#E092");
        assert_eq!(Code::E110.since(), Spec::V1_1);
        assert_eq!(Code::E037.since(), Spec::V1_0);
        assert!(Code::E023
            .description()
            .starts_with("Every file within a version's"));
        assert_eq!(
            serde_json::to_string(&Code::E092).unwrap(),
            "\"E092\"".to_string()
        );
    }
}
