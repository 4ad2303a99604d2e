//! Issue ids and OCFL object ids: an issue `2026-03` is stored as the object
//! `urn:quire:2026-03` (OCFL asks for URIs, W005), and every command that names an issue goes
//! through these two functions to find its object and back.

/// The prefix that makes an issue id the OCFL object id.
pub const OBJECT_ID_PREFIX: &str = "urn:quire:";

/// The OCFL object id of an issue id. An id that is already a URI is used as it is, so that
/// objects written by other tools can be named on the command line.
pub fn object_id(issue_or_object_id: &str) -> String {
    if issue_or_object_id.contains(':') {
        issue_or_object_id.to_string()
    } else {
        format!("{OBJECT_ID_PREFIX}{issue_or_object_id}")
    }
}

/// The object id that `typed` names among the objects a root holds (`known`): an issue id's
/// object (`urn:quire:<typed>`) when the root holds it, else the object of that very id when
/// the root holds one (another tool's `obj10`, rocfl's `my-object`), else the issue id's object,
/// for the error that names what is missing.
pub fn resolve_object_id(typed: &str, known: impl Fn(&str) -> bool) -> String {
    let derived = object_id(typed);
    if derived != typed && !known(&derived) && known(typed) {
        typed.to_string()
    } else {
        derived
    }
}

/// The issue id of an OCFL object id: the id without quire's prefix, or the whole object id
/// for an object that another tool named.
pub fn issue_id(object_id: &str) -> &str {
    object_id
        .strip_prefix(OBJECT_ID_PREFIX)
        .unwrap_or(object_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issue_id_gets_the_quire_prefix_and_a_uri_is_kept_as_it_is() {
        assert_eq!(object_id("2026-03"), "urn:quire:2026-03");
        assert_eq!(object_id("urn:quire:2026-03"), "urn:quire:2026-03");
        assert_eq!(object_id("ark:/12345/x"), "ark:/12345/x");
    }

    #[test]
    fn a_typed_id_names_the_issue_s_object_else_an_object_of_that_very_id() {
        let known = |ids: &'static [&'static str]| move |id: &str| ids.contains(&id);
        let both = known(&["urn:quire:obj10", "obj10"]);
        assert_eq!(resolve_object_id("obj10", both), "urn:quire:obj10");
        let foreign = known(&["obj10"]);
        assert_eq!(resolve_object_id("obj10", foreign), "obj10");
        assert_eq!(resolve_object_id("none", foreign), "urn:quire:none");
        assert_eq!(
            resolve_object_id("urn:quire:obj10", foreign),
            "urn:quire:obj10"
        );
    }

    #[test]
    fn the_issue_id_of_an_object_id_drops_only_quires_prefix() {
        assert_eq!(issue_id("urn:quire:2026-03"), "2026-03");
        assert_eq!(issue_id("ark:/12345/x"), "ark:/12345/x");
        assert_eq!(issue_id(&object_id("spring")), "spring");
    }
}
