//! What the unit tests of several modules check alike, written once so that each test says only
//! what it expects.

/// Asserts that `text` holds every one of `parts`, naming the first it lacks.
#[track_caller]
pub(crate) fn assert_contains_all(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part} not in {text}");
    }
}
