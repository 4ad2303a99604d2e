//! BagIt bags: exported bags that bagit-python validates, export then ingest reproducing the
//! issue, and hostile or broken bags refused with the archive unchanged.

use crate::support::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const ISSUE: &str = "beijing-review-sample";

/// bagit-python's verdict on a bag (valid or not, and what it printed); `None` when it is not
/// installed.
pub(crate) fn bagit_validate(bag: &Path) -> Option<(bool, String)> {
    let bagit = tool("bagit.py")?;
    Some(tool_output(Command::new(bagit).arg("--validate").arg(bag)))
}

/// Unzips with Python's zipfile (independent of quire's zip reading).
pub(crate) fn unzip(zip: &Path, into: &Path) {
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
    if let Some((ok, report)) = bagit_validate(&folder) {
        assert!(ok && report.contains("is valid"), "{report}");
    }
    let info = fs::read_to_string(folder.join("bag-info.txt")).unwrap();
    let expected = [
        "External-Identifier: urn:quire:beijing-review-sample v1",
        "Bagging-Date: 2026-11-28",
        "Bag-Software-Agent: quire",
        "Payload-Oxum: ",
    ];
    assert_contains_all(&info, &expected);
    assert!(
        folder.join("manifest-sha256.txt").is_file()
            && folder.join("tagmanifest-sha512.txt").is_file()
    );

    let (zip_a, zip_b) = (dir.path().join("a.zip"), dir.path().join("b.zip"));
    run(quire(&archive)
        .args(["export", "bag", ISSUE, "--zip", "-o"])
        .arg(&zip_a))
    .ok();
    // A name ending `.zip` asks for a zip without `--zip`.
    run(quire(&archive)
        .args(["export", "bag", ISSUE, "-o"])
        .arg(&zip_b))
    .ok();
    assert_reproducible_zips(&zip_a, &zip_b);
    let unpacked = dir.path().join("unpacked");
    unzip(&zip_a, &unpacked);
    if let Some((ok, report)) = bagit_validate(&unpacked.join("beijing-review-sample-v1")) {
        assert!(ok, "{report}");
    }

    // Into a second archive, from the folder and from the zip: the same issue, byte for byte,
    // with the bag's tag files (the transfer's provenance) under sources/bag/.
    let zipped = unpacked.join("beijing-review-sample-v1");
    for (n, (bag, sent)) in [(&folder, &folder), (&zip_a, &zipped)].iter().enumerate() {
        let second = dir.path().join(format!("second-{n}"));
        run(quire(&second).arg("init")).ok();
        run(quire(&second).arg("ingest").arg(bag)).ok();
        let out = dir.path().join(format!("checkout-{n}"));
        run(quire(&second).args(["checkout", ISSUE]).arg(&out)).ok();
        let mut got = tree(&out);
        let tags: BTreeMap<String, Vec<u8>> = got
            .iter()
            .filter_map(|(path, bytes)| {
                let tag = path.strip_prefix("sources/bag/")?;
                Some((tag.to_string(), bytes.clone()))
            })
            .collect();
        got.retain(|path, _| !path.starts_with("sources/bag/"));
        assert_eq!(got, tree(&sample_issue()));
        let sent: BTreeMap<String, Vec<u8>> = tree(sent)
            .into_iter()
            .filter(|(path, _)| !path.starts_with("data/"))
            .collect();
        assert_eq!(tags, sent);
        assert_ocfl_py_valid(&second);
        // Its own export, ingested again, keeps the first deposit's tag files and says so.
        let again = dir.path().join(format!("again-{n}"));
        run(quire(&second)
            .args(["export", "bag", ISSUE, "-o"])
            .arg(&again))
        .ok();
        let third = new_archive(&dir.path().join(format!("third-{n}")));
        let ingested = run(quire(&third).arg("ingest").arg(&again));
        assert!(
            ingested.stderr.contains(
                "its tag files are not kept: the payload holds sources/bag/ of an earlier deposit"
            ),
            "{}",
            ingested.stderr
        );
    }
}

/// The sample issue exported from `archive` as a bag folder, `dir/bag`.
fn exported_bag(archive: &Path, dir: &Path) -> PathBuf {
    let bag = dir.join("bag");
    run(quire(archive)
        .args(["export", "bag", ISSUE, "-o"])
        .arg(&bag))
    .ok();
    bag
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
    let (dir, archive) = sample_archive();
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
    assert_bagit_refuses(&[&missing, &twice]);
    assert_unchanged(&archive, &before, "a refused bag");
}

#[test]
fn the_sender_comes_from_the_archive_configuration() {
    let (dir, archive) = sample_archive();
    fs::write(
        archive.join("quire.toml"),
        // The archive's title, for the site and the feeds, beside the sender.
        "[archive]\ntitle = \"Example Library periodicals\"\n\n[bag]\nsource_organization = \"Example Library\"\ncontact_name = \"A. Librarian\"\ncontact_email = \"librarian@example.org\"\n",
    )
    .unwrap();
    let bag = exported_bag(&archive, dir.path());
    let info = fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    let expected = [
        "Source-Organization: Example Library",
        "Contact-Name: A. Librarian",
        "Contact-Email: librarian@example.org",
    ];
    assert_contains_all(&info, &expected);
    if let Some((ok, report)) = bagit_validate(&bag) {
        assert!(ok, "{report}");
    }
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

/// bagit-python, when installed, agrees that each bag is invalid.
#[track_caller]
fn assert_bagit_refuses(bags: &[&Path]) {
    for bag in bags {
        if let Some((ok, report)) = bagit_validate(bag) {
            assert!(!ok, "bagit-python accepts {}:\n{report}", bag.display());
        }
    }
}

/// Rewrites the line for `file` in `tagmanifest-sha512.txt` with the file's digest now, so that
/// the tag manifest stays true after an edit (sha512 from the independent helper).
fn reseal_tag(bag: &Path, file: &str) {
    let digest = sha512_hex(&fs::read(bag.join(file)).unwrap());
    let manifest = bag.join("tagmanifest-sha512.txt");
    let text = fs::read_to_string(&manifest).unwrap();
    let names = |line: &str| line.split_whitespace().nth(1) == Some(file);
    assert!(text.lines().any(names), "{text}");
    let lines: Vec<String> = text
        .lines()
        .map(|l| match names(l) {
            true => format!("{digest} {file}"),
            false => l.to_string(),
        })
        .collect();
    fs::write(manifest, lines.join("\n") + "\n").unwrap();
}

/// Replaces the `Payload-Oxum` line of `bag-info.txt`, keeping the tag manifest true.
fn set_oxum(bag: &Path, oxum: &str) {
    let info = fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    let edited: Vec<String> = info
        .lines()
        .map(|l| match l.starts_with("Payload-Oxum:") {
            true => format!("Payload-Oxum: {oxum}"),
            false => l.to_string(),
        })
        .collect();
    assert_ne!(edited.join("\n") + "\n", info, "no Payload-Oxum line");
    fs::write(bag.join("bag-info.txt"), edited.join("\n") + "\n").unwrap();
    reseal_tag(bag, "bag-info.txt");
}

/// The payload's `octets.files`, counted here.
fn oxum_of(bag: &Path) -> String {
    let payload = tree(&bag.join("data"));
    let octets: usize = payload.values().map(Vec::len).sum();
    format!("{octets}.{}", payload.len())
}

/// Each bag breaks one rule only, the others kept true (digests, the tag manifest, the
/// Payload-Oxum), so that each refusal shows that one check at work.
#[test]
fn tampered_bags_are_refused_each_by_its_own_check_and_change_nothing() {
    let (dir, archive) = sample_archive();
    let good = dir.path().join("good-bag");
    run(quire(&archive)
        .args(["export", "bag", ISSUE, "--sha256", "-o"])
        .arg(&good))
    .ok();
    let before = tree(&archive);
    let article = "data/articles/full-text-the-internet-in-china.md";
    let variant = |name: &str, edit: &dyn Fn(&Path)| -> PathBuf {
        let bag = dir.path().join(name);
        copy_dir(&good, &bag);
        edit(&bag);
        bag
    };

    // A payload file whose bytes differ from its digest (same size: the Oxum still holds).
    let changed = variant("changed-bytes", &|bag| {
        let mut bytes = fs::read(bag.join(article)).unwrap();
        let at = bytes.iter().position(|b| *b == b'e').unwrap();
        bytes[at] = b'a';
        fs::write(bag.join(article), bytes).unwrap();
    });
    // A payload file no manifest lists (the Oxum counts it, so only the manifests can tell).
    let unlisted = variant("unlisted", &|bag| {
        fs::write(bag.join("data/sources/extra.txt"), "slipped in\n").unwrap();
        set_oxum(bag, &oxum_of(bag));
    });
    // A tag file edited after the tag manifest was made.
    let bad_tag = variant("bad-tag-manifest", &|bag| {
        let info = fs::read_to_string(bag.join("bag-info.txt")).unwrap();
        fs::write(
            bag.join("bag-info.txt"),
            info + "Internal-Sender-Description: edited\n",
        )
        .unwrap();
    });
    // A Payload-Oxum that does not count the payload (the tag manifest made true again).
    let wrong_oxum = variant("wrong-oxum", &|bag| {
        let (octets, files) = oxum_of(bag)
            .split_once('.')
            .map(|(o, f)| (o.parse::<u64>().unwrap(), f.to_string()))
            .unwrap();
        set_oxum(bag, &format!("{}.{files}", octets + 1));
    });
    let cases = [
        (
            &changed,
            // (Whichever of the sha512 and sha256 manifests is read first.)
            format!("`{article}` does not match its sha"),
        ),
        (
            &unlisted,
            "does not list the payload file `data/sources/extra.txt`".to_string(),
        ),
        (
            &bad_tag,
            "`bag-info.txt` does not match its sha512 digest".to_string(),
        ),
        (&wrong_oxum, "Payload-Oxum says".to_string()),
    ];
    for (bag, expected) in &cases {
        // Zipped, the same bag is refused the same way.
        let zip = bag.with_extension("zip");
        zip_folder(bag, &zip);
        for input in [bag.as_path(), zip.as_path()] {
            let result = run(quire(&archive).arg("ingest").arg(input));
            assert_eq!(
                result.code,
                Some(2),
                "{} is not refused:\n{}",
                input.display(),
                result.stdout
            );
            assert!(
                result.stderr.contains(expected.as_str()),
                "{}: expected `{expected}` in:\n{}",
                input.display(),
                result.stderr
            );
        }
    }
    assert_unchanged(&archive, &before, "a refused bag");
    let bags: Vec<&Path> = cases.iter().map(|(bag, _)| bag.as_path()).collect();
    assert_bagit_refuses(&bags);
    // The untouched bag goes in, so the refusals were the edits' doing.
    run(quire(&archive).arg("ingest").arg(&good)).ok();
}

/// Zips a bag folder with Python (entries under the folder's name).
fn zip_folder(folder: &Path, zip: &Path) {
    let script = r#"
import os, sys, zipfile
folder, out = sys.argv[1], sys.argv[2]
base = os.path.basename(folder)
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            z.write(path, os.path.join(base, os.path.relpath(path, folder)))
"#;
    let (ok, text) = tool_output(
        Command::new("python3")
            .args(["-c", script])
            .arg(folder)
            .arg(zip),
    );
    assert!(ok, "{text}");
}

/// RFC 8493 §2.1.3: a `%` in a payload path is written `%25` in the manifest (as CR and LF are
/// `%0D` and `%0A`). quire follows the RFC both ways; bagit-python 1.9.0 decodes only `%0D`
/// and `%0A`, so it looks for a file named `100%25 done.txt` and calls the bag invalid.
#[test]
fn a_percent_sign_in_a_payload_path_is_percent_encoded_as_rfc_8493_says() {
    let dir = tempfile::tempdir().unwrap();
    let folder = sample_copy(dir.path(), "percent");
    fs::write(folder.join("sources/100% done.txt"), "done\n").unwrap();
    let archive = archive_of(dir.path(), &folder);
    let bag = exported_bag(&archive, dir.path());
    let manifest = fs::read_to_string(bag.join("manifest-sha512.txt")).unwrap();
    assert!(
        manifest.contains("  data/sources/100%25 done.txt\n"),
        "{manifest}"
    );

    let second = dir.path().join("second");
    run(quire(&second).arg("init")).ok();
    run(quire(&second).arg("ingest").arg(&bag)).ok();
    let out = dir.path().join("checkout");
    run(quire(&second).args(["checkout", ISSUE]).arg(&out)).ok();
    let mut got = tree(&out);
    got.retain(|path, _| !path.starts_with("sources/bag/"));
    assert_eq!(got, tree(&folder));

    if let Some((ok, report)) = bagit_validate(&bag) {
        assert!(
            !ok && report.contains("100%25 done.txt"),
            "bagit-python now decodes %25: say so in the README ({report})"
        );
    }
}

/// Writes a payload file of a bag and keeps the bag valid: its line in `manifest-sha512.txt`
/// (added or rewritten), the tag manifest and the Payload-Oxum.
fn put_payload(bag: &Path, file: &str, bytes: &[u8]) {
    fs::write(bag.join(file), bytes).unwrap();
    let manifest = bag.join("manifest-sha512.txt");
    let text = fs::read_to_string(&manifest).unwrap();
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| l.split_whitespace().nth(1) != Some(file))
        .map(str::to_string)
        .collect();
    lines.push(format!("{}  {file}", sha512_hex(bytes)));
    lines.sort_by(|a, b| {
        a.split_whitespace()
            .nth(1)
            .cmp(&b.split_whitespace().nth(1))
    });
    fs::write(&manifest, lines.join("\n") + "\n").unwrap();
    reseal_tag(bag, "manifest-sha512.txt");
    set_oxum(bag, &oxum_of(bag));
}

#[test]
fn a_zipped_bags_problems_and_warnings_name_the_zip_and_not_where_it_was_unpacked() {
    let (dir, archive) = sample_archive();
    let bag = exported_bag(&archive, dir.path());
    put_payload(&bag, "data/sources/unlisted.txt", b"note\n");
    let toml = fs::read_to_string(bag.join("data/issue.toml")).unwrap();
    let broken = toml.replacen("title = \"", "title = \"\\u0007", 1);
    put_payload(&bag, "data/issue.toml", broken.as_bytes());
    let zip = dir.path().join("bag.zip");
    zip_folder(&bag, &zip);

    let refused = run(quire(&archive)
        .args(["ingest", "--dry-run"])
        .arg(&zip)
        .current_dir(dir.path()))
    .fails();
    assert!(
        refused.contains(&format!("{}: bag/data/issue.toml:", zip.display())),
        "{refused}"
    );
    assert!(!refused.contains("unpacked"), "{refused}");

    put_payload(&bag, "data/issue.toml", toml.as_bytes());
    fs::remove_file(&zip).unwrap();
    zip_folder(&bag, &zip);
    let planned = run(quire(&archive)
        .args(["ingest", "--dry-run", "--json"])
        .arg(&zip))
    .ok();
    let warning = format!(
        "{}: bag/data/sources/unlisted.txt: not referenced",
        zip.display()
    );
    assert!(planned.contains(&warning), "{planned}");
    assert!(!planned.contains("unpacked"), "{planned}");
    let human = run(quire(&archive).args(["ingest", "--dry-run"]).arg(&zip));
    assert!(human.stderr.contains(&warning), "{}", human.stderr);
    assert!(!human.stderr.contains("unpacked"), "{}", human.stderr);
}

/// A bag made by bagit-python, as a library would send one: SHA-1 digests only, bag-info
/// fields with non-ASCII values, a tag file of its own, and a hidden file in the payload.
fn sent_bag(dir: &Path, organization: &str) -> Option<PathBuf> {
    let bagit = tool("bagit.py")?;
    let bag = sample_copy(dir, format!("sent-{}", organization.len()));
    fs::write(bag.join("sources/.DS_Store"), b"finder state").unwrap();
    let (ok, text) = tool_output(
        Command::new(bagit)
            .args(["--sha1", "--source-organization", organization])
            .args(["--external-identifier", "BR-2010-23"])
            .arg(&bag),
    );
    assert!(ok, "{text}");
    fs::create_dir_all(bag.join("metadata")).unwrap();
    fs::write(
        bag.join("metadata/mods.xml"),
        "<mods><title>Beijing Review</title></mods>\n",
    )
    .unwrap();
    Some(bag)
}

/// The deposit's provenance is archived: bag-info.txt, the sender's manifests and its other tag
/// files are kept, byte for byte, under sources/bag/; a bag with new provenance and the same
/// payload makes a new version; the hidden file the issue does not keep, and the weak digests
/// that alone vouched for the payload, are named.
#[test]
fn a_sent_bag_s_tag_files_are_kept_under_sources_bag_and_what_is_left_out_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let Some(bag) = sent_bag(dir.path(), "Bibliothèque nationale — Périodiques") else {
        return;
    };
    let archive = new_archive(dir.path());
    let ingested = run(quire(&archive).arg("ingest").arg(&bag));
    assert_eq!(ingested.code, Some(0), "{}", ingested.stderr);
    assert_contains_all(
        &ingested.stderr,
        &[
            "not kept: data/sources/.DS_Store, hidden files",
            "checked against manifest-sha1.txt alone",
        ],
    );
    assert!(
        !ingested.stderr.contains("not referenced"),
        "{}",
        ingested.stderr
    );
    for tag in [
        "bag-info.txt",
        "bagit.txt",
        "manifest-sha1.txt",
        "metadata/mods.xml",
    ] {
        let kept = run(quire(&archive).args(["cat", ISSUE, &format!("sources/bag/{tag}")]));
        assert_eq!(
            kept.stdout.as_bytes(),
            fs::read(bag.join(tag)).unwrap(),
            "{tag}"
        );
    }
    assert_ocfl_py_valid(&archive);

    let again = sent_bag(dir.path(), "Bibliothèque nationale").unwrap();
    run(quire(&archive).arg("ingest").arg(&again)).ok();
    let changed = run(quire(&archive).args(["diff", ISSUE, "v1", "v2"])).ok();
    assert!(changed.contains("sources/bag/bag-info.txt"), "{changed}");
}

/// Info-ZIP's `zip` on Unix writes UTF-8 names without the flag that says so: such a bag is
/// read by its UTF-8 names, not as CP437.
#[test]
fn a_zip_with_utf_8_names_it_does_not_flag_is_read_by_those_names() {
    let dir = tempfile::tempdir().unwrap();
    let (_keep, archive) = sample_archive();
    let bag = exported_bag(&archive, dir.path());
    put_payload(&bag, "data/sources/résumé.txt", "résumé\n".as_bytes());
    let zip = dir.path().join("bag.zip");
    zip_folder(&bag, &zip);
    // Clear the UTF-8 flag (bit 11) in every local and central header, as Info-ZIP leaves it.
    let script = r#"
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
for signature, at in ((b'PK\x03\x04', 6), (b'PK\x01\x02', 8)):
    i = data.find(signature)
    while i >= 0:
        data[i + at + 1] &= 0xF7
        i = data.find(signature, i + 4)
open(sys.argv[1], 'wb').write(data)
"#;
    let (ok, text) = tool_output(Command::new("python3").args(["-c", script]).arg(&zip));
    assert!(ok, "{text}");
    let second = new_archive(dir.path());
    run(quire(&second).arg("ingest").arg(&zip)).ok();
    let kept = run(quire(&second).args(["cat", ISSUE, "sources/résumé.txt"])).ok();
    assert_eq!(kept, "résumé\n");
}

/// A zipped bag is unpacked into a work folder named for its process; an ingest killed there
/// leaves it, and the next one that unpacks a bag removes it (a bag's can be gigabytes).
#[test]
fn the_work_folder_of_a_killed_zip_ingest_is_removed_by_the_next_one() {
    let (dir, archive) = sample_archive();
    let zip = dir.path().join("bag.zip");
    run(quire(&archive)
        .args(["export", "bag", ISSUE, "--zip", "-o"])
        .arg(&zip))
    .ok();
    let temp = dir.path().join("temp");
    fs::create_dir(&temp).unwrap();
    let second = new_archive(&dir.path().join("second"));
    kill_at(
        quire(&second).arg("ingest").arg(&zip).env("TMPDIR", &temp),
        "bag-unpacked",
    );
    let left = paths(&temp);
    assert!(
        left.iter()
            .any(|p| p.starts_with(".quire-work-") && p.ends_with("bag-info.txt")),
        "{left:?}"
    );
    run(quire(&second).arg("ingest").arg(&zip).env("TMPDIR", &temp)).ok();
    assert_eq!(paths(&temp), Vec::<String>::new());
}

/// bagit.txt and bag-info.txt are read as RFC 8493 §2.1.1 and §2.2.2 write them: a version
/// quire does not know, a bag-info line with no label, or a byte the declared encoding cannot
/// hold is refused, as bagit-python refuses it; tag files in ISO-8859-1, as declared, are read.
#[test]
fn a_bag_s_declaration_and_info_are_read_in_their_form_and_declared_encoding() {
    let (dir, archive) = sample_archive();
    let exported = exported_bag(&archive, dir.path());
    let variant = |name: &str, file: &str, edit: &dyn Fn(Vec<u8>) -> Vec<u8>| {
        let bag = dir.path().join(name);
        copy_dir(&exported, &bag);
        let bytes = edit(fs::read(bag.join(file)).unwrap());
        fs::write(bag.join(file), bytes).unwrap();
        reseal_tag(&bag, file);
        bag
    };
    let append = |line: &'static [u8]| {
        move |mut bytes: Vec<u8>| {
            bytes.extend_from_slice(line);
            bytes
        }
    };
    let unlabelled = variant("unlabelled", "bag-info.txt", &append(b"Stray line\n"));
    let latin_byte = variant(
        "latin-byte",
        "bag-info.txt",
        &append(b"Contact-Name: Zo\xeb\n"),
    );
    let version = variant("version", "bagit.txt", &|b| {
        String::from_utf8(b)
            .unwrap()
            .replace("1.0", "2.0")
            .into_bytes()
    });
    for (bag, says) in [
        (
            &unlabelled,
            "bag-info.txt:5: `Stray line` is no `Label: value` line",
        ),
        (
            &latin_byte,
            "bag-info.txt: not UTF-8, as bagit.txt declares",
        ),
        (
            &version,
            "bagit.txt: BagIt-Version 2.0 is not one quire reads",
        ),
    ] {
        let refused = run(quire(&archive).args(["ingest", "--dry-run"]).arg(bag)).fails();
        assert!(refused.contains(says), "{refused}");
        assert_bagit_refuses(&[bag]);
    }
    // RFC 8493 ends a line with CR, LF or CRLF: a bag-info.txt of CR-ended lines is read, and
    // its Payload-Oxum checked; so is one behind a byte order mark.
    let wrong_oxum = |name: &str, edit: &dyn Fn(Vec<u8>) -> Vec<u8>| {
        let bag = variant(name, "bag-info.txt", &|b| b);
        set_oxum(&bag, "1.1");
        let text = edit(fs::read(bag.join("bag-info.txt")).unwrap());
        fs::write(bag.join("bag-info.txt"), text).unwrap();
        reseal_tag(&bag, "bag-info.txt");
        bag
    };
    let cr = |b: Vec<u8>| {
        String::from_utf8(b)
            .unwrap()
            .replace('\n', "\r")
            .into_bytes()
    };
    let bom = |b: Vec<u8>| {
        [
            &b"\xEF\xBB\xBF"[..],
            b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&b),
        ]
        .concat()
    };
    // bagit.txt may end its lines with CR too, but never begin with a byte order mark.
    let cr_declared = variant("cr-declared", "bagit.txt", &cr);
    let second = new_archive(&dir.path().join("cr-second"));
    run(quire(&second).arg("ingest").arg(&cr_declared)).ok();
    let bom_declared = variant("bom-declared", "bagit.txt", &bom);
    let refused = run(quire(&archive)
        .args(["ingest", "--dry-run"])
        .arg(&bom_declared))
    .fails();
    assert!(
        refused.contains("bagit.txt begins with a byte order mark, which RFC 8493"),
        "{refused}"
    );
    for bag in [wrong_oxum("cr", &cr), wrong_oxum("bom", &bom)] {
        let refused = run(quire(&archive).args(["ingest", "--dry-run"]).arg(&bag)).fails();
        assert!(
            refused.contains("Payload-Oxum says 1.1, the payload is"),
            "{refused}"
        );
    }
    let latin = variant("latin", "bagit.txt", &|b| {
        String::from_utf8(b)
            .unwrap()
            .replace("UTF-8", "ISO-8859-1")
            .into_bytes()
    });
    fs::write(latin.join("bag-info.txt"), {
        let mut info = fs::read(latin.join("bag-info.txt")).unwrap();
        info.extend_from_slice(b"Contact-Name: Zo\xeb\n");
        info
    })
    .unwrap();
    reseal_tag(&latin, "bag-info.txt");
    if let Some((ok, report)) = bagit_validate(&latin) {
        assert!(ok, "{report}");
    }
    let second = new_archive(&dir.path().join("second"));
    run(quire(&second).arg("ingest").arg(&latin)).ok();
}

/// A manifest written in NFC for a file the disk names in NFD (as a Mac stores it) names that
/// file, as bagit-python reads it; two files whose names differ only so are refused, each
/// named.
#[test]
fn a_manifest_path_names_its_file_in_either_unicode_normalization() {
    let (dir, archive) = sample_archive();
    let bag = exported_bag(&archive, dir.path());
    let (nfc, nfd) = ("résumé.txt", "re\u{301}sume\u{301}.txt");
    put_payload(&bag, &format!("data/sources/{nfc}"), b"cv\n");
    fs::rename(
        bag.join(format!("data/sources/{nfc}")),
        bag.join(format!("data/sources/{nfd}")),
    )
    .unwrap();
    if let Some((ok, report)) = bagit_validate(&bag) {
        assert!(ok, "{report}");
    }
    let second = new_archive(&dir.path().join("second"));
    run(quire(&second).arg("ingest").arg(&bag)).ok();
    assert_eq!(
        run(quire(&second).args(["cat", ISSUE, &format!("sources/{nfd}")])).ok(),
        "cv\n"
    );
    // Both spellings on disk, each listed: one file twice over, refused.
    put_payload(&bag, &format!("data/sources/{nfc}"), b"cv\n");
    let refused = run(quire(&archive).args(["ingest", "--dry-run"]).arg(&bag)).fails();
    assert!(
        refused.contains("name the same file once Unicode-normalized (NFC)"),
        "{refused}"
    );
}

/// A holey bag's missing file is named with where its fetch.txt says to fetch it from.
#[test]
fn a_holey_bag_s_missing_file_is_named_with_its_fetch_address() {
    let (dir, archive) = sample_archive();
    let bag = exported_bag(&archive, dir.path());
    put_payload(&bag, "data/sources/remote.txt", b"far away\n");
    fs::remove_file(bag.join("data/sources/remote.txt")).unwrap();
    fs::write(
        bag.join("fetch.txt"),
        "https://example.org/remote.txt 9 data/sources/remote.txt\n",
    )
    .unwrap();
    let refused = run(quire(&archive).args(["ingest", "--dry-run"]).arg(&bag)).fails();
    assert!(
        refused.contains("`data/sources/remote.txt` is listed but missing: fetch.txt says to fetch it from https://example.org/remote.txt"),
        "{refused}"
    );
}
