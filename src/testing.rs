//! What the unit tests of several modules check alike, written once so that each test says only
//! what it expects.

/// Asserts that `error` reads `message` and keeps its cause, of type `C`, as its source.
#[track_caller]
pub(crate) fn assert_error_with_cause<C: std::error::Error + 'static>(
    error: &dyn std::error::Error,
    message: &str,
) {
    assert_eq!(error.to_string(), message);
    let cause = error.source().expect("the cause is kept");
    assert!(cause.is::<C>(), "{cause}");
}

/// Asserts that `text` holds every one of `parts`, naming the first it lacks.
#[track_caller]
pub(crate) fn assert_contains_all(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part} not in {text}");
    }
}

/// Asserts that `accepts` holds for every one of `yes` and for none of `no`, naming the
/// first input it is wrong about.
#[track_caller]
pub(crate) fn assert_accepts_only(accepts: impl Fn(&str) -> bool, yes: &[&str], no: &[&str]) {
    for input in yes {
        assert!(accepts(input), "{input}");
    }
    for input in no {
        assert!(!accepts(input), "{input}");
    }
}

/// A new temporary folder holding one file, `name`, with `contents`: the folder (removed when
/// dropped) and the file's path.
pub(crate) fn temp_file(name: &str, contents: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    (dir, path)
}
