//! BagIt bags: exported bags that bagit-python validates, export then ingest reproducing the
//! issue, and hostile or broken bags refused with the archive unchanged.

use crate::support::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const ISSUE: &str = "beijing-review-sample";

fn bagit_validate(bag: &Path) -> (bool, String) {
    tool_output(Command::new(tool("bagit.py")).arg("--validate").arg(bag))
}

/// Unzips with Python's zipfile (independent of quire's zip reading).
fn unzip(zip: &Path, into: &Path) {
    let (ok, text) = tool_output(
        Command::new("python3")
            .args([
                "-c",
                "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
            ])
            .arg(zip)
            .arg(into),
    );
    assert!(ok, "{text}");
}

#[test]
fn exported_bags_validate_and_come_back_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let archive = repo().join("archive");
    let folder = dir.path().join("bag");
    run(quire(&archive)
        .args(["export", "bag", ISSUE, "--sha256", "-o"])
        .arg(&folder))
    .ok();
    let (ok, report) = bagit_validate(&folder);
    assert!(ok && report.contains("is valid"), "{report}");
    let info = fs::read_to_string(folder.join("bag-info.txt")).unwrap();
    for expected in [
        "External-Identifier: urn:quire:beijing-review-sample v1",
        "Bagging-Date: 2026-11-28",
        "Bag-Software-Agent: quire",
        "Payload-Oxum: ",
    ] {
        assert!(info.contains(expected), "{info}");
    }
    assert!(
        folder.join("manifest-sha256.txt").is_file()
            && folder.join("tagmanifest-sha512.txt").is_file()
    );

    let (zip_a, zip_b) = (dir.path().join("a.zip"), dir.path().join("b.zip"));
    run(quire(&archive)
        .args(["export", "bag", ISSUE, "--zip", "-o"])
        .arg(&zip_a))
    .ok();
    run(quire(&archive)
        .args(["export", "bag", ISSUE, "--zip", "-o"])
        .arg(&zip_b))
    .ok();
    assert_eq!(
        fs::read(&zip_a).unwrap(),
        fs::read(&zip_b).unwrap(),
        "two zips of one version differ"
    );
    let unpacked = dir.path().join("unpacked");
    unzip(&zip_a, &unpacked);
    let (ok, report) = bagit_validate(&unpacked.join("beijing-review-sample-v1"));
    assert!(ok, "{report}");

    // Into a second archive, from the folder and from the zip: the same issue, byte for byte.
    for (n, bag) in [folder, zip_a].iter().enumerate() {
        let second = dir.path().join(format!("second-{n}"));
        run(quire(&second).arg("init")).ok();
        run(quire(&second).arg("ingest").arg(bag)).ok();
        let out = dir.path().join(format!("checkout-{n}"));
        run(quire(&second).args(["checkout", ISSUE]).arg(&out)).ok();
        assert_eq!(tree(&out), tree(&sample_issue()));
        assert_ocfl_py_valid(&second);
    }
}

/// Builds a zip with Python: `entries` is a Python list of (name, data, unix mode).
fn python_zip(path: &Path, entries: &str) {
    let script = format!(
        r#"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for name, data, mode in {entries}:
        info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
        info.external_attr = mode << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
"#
    );
    let (ok, text) = tool_output(Command::new("python3").args(["-c", &script]).arg(path));
    assert!(ok, "{text}");
}

#[test]
fn hostile_zips_and_broken_bags_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_sample(dir.path());
    let before = tree(&archive);
    let bagit =
        "('bag/bagit.txt', 'BagIt-Version: 1.0\\nTag-File-Character-Encoding: UTF-8\\n', 0o100644)";
    let cases: Vec<(&str, String, &str)> = vec![
        ("dotdot", format!("[{bagit}, ('bag/data/../../evil.txt', 'x', 0o100644)]"), "entry `bag/data/../../evil.txt` leaves the bag"),
        ("absolute", format!("[{bagit}, ('/etc/evil.txt', 'x', 0o100644)]"), "entry `/etc/evil.txt` has an absolute path"),
        ("symlink", format!("[{bagit}, ('bag/data/link', '/etc/passwd', 0o120777)]"), "entry `bag/data/link` is a symbolic link"),
        (
            "normalization",
            format!("[{bagit}, ('bag/data/caf\\u00e9.txt', 'a', 0o100644), ('bag/data/cafe\\u0301.txt', 'b', 0o100644)]"),
            "name the same file once Unicode-normalized and case-folded",
        ),
        ("case", format!("[{bagit}, ('bag/data/a.txt', 'a', 0o100644), ('bag/data/A.TXT', 'b', 0o100644)]"), "entries `bag/data/a.txt` and `bag/data/A.TXT`"),
        ("bomb", format!("[{bagit}, ('bag/data/zeros.bin', b'\\0' * (64 << 20), 0o100644)]"), "entry `bag/data/zeros.bin` expands"),
        ("dot", format!("[{bagit}, ('bag/./data/issue.toml', 'x', 0o100644)]"), "entry `bag/./data/issue.toml` is not a plain relative path"),
        ("backslash", format!("[{bagit}, ('bag\\\\data\\\\issue.toml', 'x', 0o100644)]"), "is not a plain relative path"),
    ];
    for (name, entries, expected) in cases {
        let zip = dir.path().join(format!("{name}.zip"));
        python_zip(&zip, &entries);
        let stderr = run(quire(&archive).arg("ingest").arg(&zip)).fails();
        assert!(
            stderr.contains(expected),
            "{name}: expected `{expected}` in:\n{stderr}"
        );
    }

    // Broken bags as folders: a manifest naming a missing file, one naming a file twice.
    let good = dir.path().join("good-bag");
    run(quire(&archive)
        .args(["export", "bag", ISSUE, "-o"])
        .arg(&good))
    .ok();
    let broken = |name: &str, edit: &dyn Fn(&str) -> String| -> PathBuf {
        let bag = dir.path().join(name);
        copy_dir(&good, &bag);
        let manifest = fs::read_to_string(bag.join("manifest-sha512.txt")).unwrap();
        fs::write(bag.join("manifest-sha512.txt"), edit(&manifest)).unwrap();
        bag
    };
    let missing = broken("missing", &|m| {
        format!("{m}{}  data/articles/gone.md\n", "0".repeat(128))
    });
    let twice = broken("twice", &|m| {
        format!("{m}{}", m.lines().next().unwrap().to_string() + "\n")
    });
    let stderr = run(quire(&archive).arg("ingest").arg(&missing)).fails();
    assert!(
        stderr.contains("`data/articles/gone.md` is listed but missing"),
        "{stderr}"
    );
    let stderr = run(quire(&archive).arg("ingest").arg(&twice)).fails();
    assert!(stderr.contains("is listed twice"), "{stderr}");
    // A payload folder that is a link out of the bag.
    #[cfg(unix)]
    {
        let linked = dir.path().join("linked");
        copy_dir(&good, &linked);
        fs::rename(linked.join("data"), dir.path().join("outside")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside"), linked.join("data")).unwrap();
        let stderr = run(quire(&archive).arg("ingest").arg(&linked)).fails();
        assert!(
            stderr.contains("data/ is missing, or not a folder (a link is refused)"),
            "{stderr}"
        );
    }
    // bagit-python agrees that both are invalid.
    assert!(!bagit_validate(&missing).0 && !bagit_validate(&twice).0);
    assert_eq!(tree(&archive), before, "a refused bag changed the archive");
}

#[test]
fn the_sender_comes_from_the_archive_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_sample(dir.path());
    fs::write(
        archive.join("quire.toml"),
        "[bag]\nsource_organization = \"Example Library\"\ncontact_name = \"A. Librarian\"\ncontact_email = \"librarian@example.org\"\n",
    )
    .unwrap();
    let bag = dir.path().join("bag");
    run(quire(&archive)
        .args(["export", "bag", ISSUE, "-o"])
        .arg(&bag))
    .ok();
    let info = fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    for expected in [
        "Source-Organization: Example Library",
        "Contact-Name: A. Librarian",
        "Contact-Email: librarian@example.org",
    ] {
        assert!(info.contains(expected), "{info}");
    }
    assert!(bagit_validate(&bag).0);
    // The storage root stays valid for ocfl-py with the file at its top.
    assert_ocfl_py_valid(&archive);
    fs::write(archive.join("quire.toml"), "[bag]\ncolour = \"red\"\n").unwrap();
    let stderr = run(quire(&archive)
        .args(["export", "bag", ISSUE, "-o"])
        .arg(dir.path().join("x")))
    .fails();
    assert!(
        stderr.contains("quire.toml") && stderr.contains("colour"),
        "{stderr}"
    );
}
