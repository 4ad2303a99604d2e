//! `quire verify`: conformance fixtures for OCFL 1.0 and 1.1, every kind of damage to an
//! archive quire wrote, the output formats and the exit codes.

use crate::support::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `quire verify ARGS --format json` and returns (exit code, records).
fn verify_json(archive: &Path, args: &[&str]) -> (Option<i32>, Vec<Value>) {
    let result = run(quire(archive)
        .arg("verify")
        .args(args)
        .args(["--format", "json"]));
    assert!(
        result.code != Some(2),
        "could not verify: {}",
        result.stderr
    );
    (result.code, json_lines(&result.stdout))
}

fn codes(records: &[Value]) -> BTreeSet<String> {
    records
        .iter()
        .filter(|r| r["type"] == "finding")
        .map(|r| r["data"]["code"].as_str().unwrap().to_string())
        .collect()
}

fn findings_with<'a>(records: &'a [Value], code: &str) -> Vec<&'a Value> {
    records
        .iter()
        .filter(|r| r["type"] == "finding" && r["data"]["code"] == code)
        .map(|r| &r["data"])
        .collect()
}

/// Every conformance fixture: (spec, kind, name, path).
fn conformance_fixtures() -> Vec<(String, String, String, PathBuf)> {
    let mut all = Vec::new();
    for spec in ["1.0", "1.1"] {
        for kind in ["good", "bad", "warn"] {
            let dir = fixtures().join("ocfl").join(spec).join(kind);
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                all.push((spec.to_string(), kind.to_string(), name, path));
            }
        }
    }
    all.sort();
    all
}

/// The codes a bad or warn fixture's name starts with: `E010_E046_version_…` must raise both.
fn flagged_codes(name: &str) -> Vec<&str> {
    let codes: Vec<&str> = name
        .split('_')
        .take_while(|part| {
            part.len() == 4
                && (part.starts_with('E') || part.starts_with('W'))
                && part[1..].bytes().all(|b| b.is_ascii_digit())
        })
        .collect();
    assert!(!codes.is_empty(), "{name} names no code");
    codes
}

#[test]
fn conformance_fixtures_raise_their_codes() {
    let nowhere = Path::new("unused");
    let fixtures = conformance_fixtures();
    assert!(fixtures.len() >= 80, "{} fixtures", fixtures.len());
    for (spec, kind, name, path) in &fixtures {
        let (code, records) = verify_json(nowhere, &["--object", path.to_str().unwrap()]);
        let found = codes(&records);
        let object = records
            .iter()
            .find(|r| r["type"] == "object")
            .expect("an object record");
        match kind.as_str() {
            "good" => {
                assert_eq!(code, Some(0), "{spec}/{name}: {found:?}");
                assert!(
                    found.is_empty(),
                    "{spec}/{name} should have no findings: {found:?}"
                );
                assert_eq!(object["data"]["spec"], spec.as_str(), "{name}");
            }
            "bad" => {
                assert_eq!(code, Some(1), "{spec}/{name}");
                for expected in flagged_codes(name) {
                    assert!(
                        found.contains(expected),
                        "{spec}/{name}: expected {expected}, found {found:?}"
                    );
                }
            }
            _ => {
                assert_eq!(code, Some(0), "{spec}/{name}: {found:?}");
                for expected in flagged_codes(name) {
                    assert!(
                        found.contains(expected),
                        "{spec}/{name}: expected {expected}, found {found:?}"
                    );
                }
                assert!(
                    found.iter().all(|c| c.starts_with('W')),
                    "{spec}/{name}: {found:?}"
                );
            }
        }
    }
}

/// Checks of the spec that ocfl-py 2.1 does not make (see its docs/validation_status.md), so
/// its verdict differs from quire's on these fixtures.
const OCFL_PY_DOES_NOT_CHECK: [&str; 5] = [
    "E007_declaration_without_newline",
    "E038_type_does_not_match_declaration",
    "E102_undefined_inventory_key",
    "E102_undefined_key_in_user",
    // Python's json module keeps the last of two equal keys.
    "E033_key_twice_in_inventory",
];

/// Fixtures on which ocfl-py 2.1 stops with a Python exception (a missing manifest).
const OCFL_PY_CRASHES_ON: [&str; 1] = ["E041_no_manifest"];

#[test]
fn ocfl_py_agrees_on_every_fixture_verdict() {
    let mut fixtures = conformance_fixtures();
    fixtures.retain(|f| !OCFL_PY_CRASHES_ON.contains(&f.2.as_str()));
    let Some(ocfl_validate) = tool("ocfl-validate.py") else {
        return;
    };
    let (_, text) = tool_output(
        Command::new(ocfl_validate)
            .arg("-q")
            .args(fixtures.iter().map(|f| &f.3)),
    );
    for (spec, kind, name, path) in &fixtures {
        let shown = path.display().to_string();
        let verdict = text
            .lines()
            .find(|l| l.contains(&format!("at {shown} is ")) || l.contains(&format!("'{shown}'")))
            .unwrap_or_else(|| panic!("ocfl-py says nothing of {shown}:\n{text}"));
        let ocfl_py_valid = verdict.ends_with("is VALID");
        let quire_valid = kind != "bad";
        if OCFL_PY_DOES_NOT_CHECK.contains(&name.as_str()) {
            assert!(
                ocfl_py_valid,
                "ocfl-py now checks {name}: take it off the list"
            );
        } else {
            assert_eq!(
                ocfl_py_valid, quire_valid,
                "{spec}/{name}: ocfl-py says `{verdict}`"
            );
        }
    }
}

/// The conformance gaps of objects written by other tools, with every code quire reports on
/// each and every code ocfl-py 2.1 reports (without the letter after its codes, `E023b`), for
/// both OCFL 1.0 and 1.1 (ocfl-py reports the same codes for both).
const GAPS: [(&str, &[&str], &[&str]); 16] = [
    (
        "bad/E066_prior_state_differs_through_content_paths_after_algorithm_change",
        &["E066", "W004"],
        &["E066", "W004"],
    ),
    (
        "bad/E092_prior_inventory_digest_wrong_in_its_own_algorithm",
        &["E092", "W004"],
        &["E092", "W004"],
    ),
    (
        "warn/W004_digest_algorithm_changed_from_sha512_to_sha256",
        &["W004"],
        &["W004"],
    ),
    (
        "bad/E023_later_inventory_omits_earlier_content_file",
        &["E023"],
        &["E023"],
    ),
    (
        "bad/E050_state_digest_differs_in_case_from_manifest",
        &["E050"],
        &["E050"],
    ),
    (
        "warn/W010_head_version_without_inventory",
        &["W010"],
        &["W010"],
    ),
    // ocfl-py stops reading the versions at the gap, so to it v4 is no version at all and the
    // head, the manifest and v2's inventory look wrong too (E040, E042, E064, E107: the
    // last a 1.1 rule it applies to 1.0 objects as well).
    (
        "bad/E010_E046_version_directories_skip_v3",
        &["E010", "E046"],
        &["E010", "E040", "E042", "E046", "E064", "E107"],
    ),
    // ocfl-py has no message for E011 (it prints "Unknown error: E011") and does not name
    // E013; as above, it then sees v10 as no version.
    (
        "bad/E011_E013_zero_padding_overflows_at_v10",
        &["E011", "E013", "W001"],
        &["E011", "E040", "E042", "E046", "E064", "E107", "W001"],
    ),
    // ocfl-py does not check the form of fixity content paths, only that the manifest has
    // them: it misses E099 and E100.
    (
        "bad/E099_fixity_content_path_with_dotdot_or_empty_part",
        &["E057", "E099"],
        &["E057"],
    ),
    (
        "bad/E100_fixity_content_path_with_leading_slash",
        &["E057", "E100"],
        &["E057"],
    ),
    // An id that changes: 1.1's table calls it E110, 1.0's E037; ocfl-py says E037 for both.
    ("bad/E110_id_changes_between_versions", &["E110"], &["E037"]),
    ("bad/E037_id_changes_between_versions", &["E037"], &["E037"]),
    // contentDirectory set only from v3 on: each version is judged by its own inventory's
    // directory, so the change is reported once, not as files missing from the others.
    // ocfl-py also judges every content path by the root's directory (E042).
    (
        "bad/E019_content_directory_set_from_v3",
        &["E019"],
        &["E019"],
    ),
    (
        "bad/E019_E020_content_directory_changes_to_data_in_v3",
        &["E019", "E020"],
        &["E019", "E020", "E042"],
    ),
    // Set to `data` in v1 and left out from v2 on: v1 did set it, so only the change is
    // wrong (E020, not E019); ocfl-py agrees, and again judges v1's paths by v2's directory.
    (
        "bad/E020_content_directory_set_in_v1_then_left_out",
        &["E020"],
        &["E020", "E042"],
    ),
    // v1's inventory alone says `data`, its files stay in v1/content: they are misplaced
    // (E042), not missing (no E092). ocfl-py does not note the stray folder (W002).
    (
        "bad/E020_E042_W002_v1_claims_content_directory_data_for_files_in_content",
        &["E020", "E042", "W002"],
        &["E020", "E042"],
    ),
];

/// The codes ocfl-validate.py prints for one object, `[E023b] …` read as `E023` (`None` when
/// ocfl-py is not installed).
fn ocfl_py_codes(path: &Path) -> Option<BTreeSet<String>> {
    let output = Command::new(tool("ocfl-validate.py")?)
        .arg(path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    let codes = text
        .lines()
        .filter_map(|line| {
            let code = line
                .strip_prefix('[')
                .or_else(|| line.strip_prefix("Unknown error: "))?;
            Some(code.get(..4)?.to_string())
        })
        .collect();
    Some(codes)
}

#[test]
fn the_conformance_gaps_get_their_codes_beside_ocfl_py_s() {
    let nowhere = Path::new("unused");
    for spec in ["1.0", "1.1"] {
        for (fixture, quire_codes, ocfl_py) in GAPS {
            let path = fixtures().join("ocfl").join(spec).join(fixture);
            if !path.exists() {
                // E110 is 1.1's code, E037 the 1.0 fixture's.
                assert!(fixture.contains("_id_changes_"), "{spec}/{fixture}");
                continue;
            }
            let (_, records) = verify_json(nowhere, &["--object", path.to_str().unwrap()]);
            let expected: BTreeSet<String> = quire_codes.iter().map(|c| c.to_string()).collect();
            assert_eq!(codes(&records), expected, "quire on {spec}/{fixture}");
            let expected: BTreeSet<String> = ocfl_py.iter().map(|c| c.to_string()).collect();
            if let Some(found) = ocfl_py_codes(&path) {
                assert_eq!(found, expected, "ocfl-py on {spec}/{fixture}");
            }
        }
    }
}

#[test]
fn a_changed_id_names_both_codes_the_specs_give_it() {
    let nowhere = Path::new("unused");
    for (fixture, code, other) in [
        ("1.1/bad/E110_id_changes_between_versions", "E110", "E037"),
        ("1.0/bad/E037_id_changes_between_versions", "E037", "E110"),
    ] {
        let path = fixtures().join("ocfl").join(fixture);
        let (_, records) = verify_json(nowhere, &["--object", path.to_str().unwrap()]);
        let found = findings_with(&records, code);
        assert_eq!(found.len(), 1, "{records:?}");
        let message = found[0]["message"].as_str().unwrap();
        assert!(
            message.contains(other) && message.contains("urn:example:other"),
            "{message}"
        );
    }
}

/// An archive with the sample issue at v1 and a changed v2, for damaging.
fn two_version_archive(dir: &Path) -> (PathBuf, PathBuf) {
    let archive = archive_with_sample(dir);
    let folder = sample_copy(dir, "changed");
    fs::write(folder.join(SAMPLE_ARTICLE), "## A new body\n\nShorter.\n").unwrap();
    run(quire(&archive).arg("ingest").arg(&folder)).ok();
    let object = object_dir(&archive);
    (archive, object)
}

const ARTICLE: &str = "articles/full-text-the-internet-in-china.md";

/// Every kind of damage to an archive quire wrote, each caught on its own: see [`CAUGHT`].
#[derive(Debug, Clone, Copy)]
enum Damage {
    FlippedByte,
    TruncatedFile,
    MissingFile,
    ExtraContentFile,
    EditedInventoryWithAStaleSidecar,
    WrongSidecar,
    MissingVersionDirectory,
    BrokenDeclaration,
    /// v1's inventory claims a different state for v1 than the root inventory does; its
    /// sidecar is updated so that only the disagreement is wrong.
    VersionInventoryDisagreeingWithTheRoot,
    StrayFileInTheStorageHierarchy,
    EmptyDirectoryInTheStorageHierarchy,
    EmptyDirectoryInAnObject,
    LinkInAnObject,
    ObjectInsideAnObject,
    /// A 1.1 object in a root that declares OCFL 1.0.
    ObjectOfALaterSpecThanItsRoot,
}

/// Each kind of damage with the code quire must report for it and the end of the path it must
/// name.
const CAUGHT: [(Damage, &str, &str); 15] = [
    (
        Damage::FlippedByte,
        "E092",
        "v1/content/articles/full-text-the-internet-in-china.md",
    ),
    (
        Damage::TruncatedFile,
        "E092",
        "v1/content/sources/000_11fc1475ed7ff95f.txt",
    ),
    (Damage::MissingFile, "E092", "v1/content/issue.toml"),
    (
        Damage::ExtraContentFile,
        "E023",
        "v2/content/articles/extra.md",
    ),
    (
        Damage::EditedInventoryWithAStaleSidecar,
        "E060",
        "inventory.json.sha512",
    ),
    (Damage::WrongSidecar, "E060", "v1/inventory.json.sha512"),
    (Damage::MissingVersionDirectory, "E046", "/v1"),
    (Damage::BrokenDeclaration, "E007", "0=ocfl_object_1.1"),
    (
        Damage::VersionInventoryDisagreeingWithTheRoot,
        "E066",
        "v1/inventory.json",
    ),
    // fcd/3dd leads to the object: an intermediate directory (E084; the file is in no
    // object, which E072 says of a file in a branch with no object, as the next test shows).
    (
        Damage::StrayFileInTheStorageHierarchy,
        "E084",
        "fcd/3dd/stray.txt",
    ),
    (
        Damage::EmptyDirectoryInTheStorageHierarchy,
        "E073",
        "abc/def",
    ),
    (
        Damage::EmptyDirectoryInAnObject,
        "E024",
        "v2/content/articles/empty",
    ),
    (Damage::LinkInAnObject, "E090", "v2/content/link.md"),
    (
        Damage::ObjectInsideAnObject,
        "E082",
        "urn%3aquire%3abeijing-review-sample/nested",
    ),
    (
        Damage::ObjectOfALaterSpecThanItsRoot,
        "E081",
        "urn%3aquire%3abeijing-review-sample",
    ),
];

impl Damage {
    /// Does this damage to the storage root `archive` and its object `object`.
    fn apply(self, archive: &Path, object: &Path) {
        let (content, sidecar) = (object.join("v1/content"), "v1/inventory.json.sha512");
        match self {
            Damage::FlippedByte => {
                flip_byte(&content.join(ARTICLE), 100);
            }
            Damage::TruncatedFile => {
                let path = content.join("sources/000_11fc1475ed7ff95f.txt");
                let bytes = fs::read(&path).unwrap();
                fs::write(path, &bytes[..bytes.len() / 2]).unwrap();
            }
            Damage::MissingFile => fs::remove_file(content.join("issue.toml")).unwrap(),
            Damage::ExtraContentFile => {
                fs::write(object.join("v2/content/articles/extra.md"), "smuggled in\n").unwrap()
            }
            Damage::EditedInventoryWithAStaleSidecar => {
                let path = object.join("inventory.json");
                let text = fs::read_to_string(&path).unwrap();
                fs::write(path, text.replace("Test Librarian", "Someone Else")).unwrap();
            }
            Damage::WrongSidecar => {
                fs::copy(object.join("inventory.json.sha512"), object.join(sidecar)).unwrap();
            }
            Damage::MissingVersionDirectory => fs::remove_dir_all(object.join("v1")).unwrap(),
            Damage::BrokenDeclaration => {
                fs::write(object.join("0=ocfl_object_1.1"), "ocfl_object_1.0\n").unwrap()
            }
            Damage::VersionInventoryDisagreeingWithTheRoot => {
                let path = object.join("v1/inventory.json");
                let text = fs::read_to_string(&path)
                    .unwrap()
                    .replace("\"issue.toml\"", "\"issue-renamed.toml\"");
                fs::write(&path, &text).unwrap();
                let digest = sha512_hex(text.as_bytes());
                let line = format!("{digest}  inventory.json\n");
                fs::write(object.join(sidecar), line).unwrap();
            }
            Damage::StrayFileInTheStorageHierarchy => {
                fs::write(archive.join("fcd/3dd/stray.txt"), "lost\n").unwrap()
            }
            Damage::EmptyDirectoryInTheStorageHierarchy => {
                fs::create_dir_all(archive.join("abc/def")).unwrap()
            }
            Damage::EmptyDirectoryInAnObject => {
                fs::create_dir(object.join("v2/content/articles/empty")).unwrap()
            }
            Damage::LinkInAnObject => {
                let link = object.join("v2/content/link.md");
                std::os::unix::fs::symlink("/etc/hostname", link).unwrap()
            }
            Damage::ObjectInsideAnObject => {
                let fixture = fixtures().join("ocfl/1.1/good/minimal_one_version");
                copy_dir(&fixture, &object.join("nested"));
            }
            Damage::ObjectOfALaterSpecThanItsRoot => {
                fs::remove_file(archive.join("0=ocfl_1.1")).unwrap();
                fs::write(archive.join("0=ocfl_1.0"), "ocfl_1.0\n").unwrap();
            }
        }
    }
}

#[test]
fn every_kind_of_damage_is_caught_with_its_code_at_its_path() {
    for (damage, code, path_suffix) in CAUGHT {
        assert_damage_caught(damage, code, path_suffix);
    }
}

/// Does `damage` to a fresh archive, verifies it, and asserts exit 1 and a finding with `code`
/// at a path ending in `path_suffix`.
#[track_caller]
fn assert_damage_caught(damage: Damage, code: &str, path_suffix: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (archive, object) = two_version_archive(dir.path());
    let (exit, records) = verify_json(&archive, &[]);
    assert_eq!(exit, Some(0), "clean archive: {records:?}");
    damage.apply(&archive, &object);
    let (exit, records) = verify_json(&archive, &[]);
    assert_eq!(exit, Some(1), "{damage:?}, {code}: {records:?}");
    let hits = findings_with(&records, code);
    assert!(
        hits.iter()
            .any(|f| f["path"].as_str().unwrap().ends_with(path_suffix)),
        "{damage:?}: expected {code} at …{path_suffix}, got {:?}",
        records
            .iter()
            .filter(|r| r["type"] == "finding")
            .collect::<Vec<_>>()
    );
    let summary = records.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["data"]["valid"], false);
}

#[test]
fn damage_to_a_content_file_names_the_logical_paths_and_versions_it_touches() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, object) = two_version_archive(dir.path());
    // Unchanged in v2, so stored once in v1 and shown by both versions.
    let source = "sources/000_11fc1475ed7ff95f.txt";
    let stored = object.join("v1/content").join(source);
    let bytes = fs::read(&stored).unwrap();
    fs::write(&stored, &bytes[..bytes.len() / 2]).unwrap();
    // Changed in v2: the v1 bytes are only v1's.
    fs::remove_file(object.join("v1/content").join(ARTICLE)).unwrap();

    let (exit, records) = verify_json(&archive, &[]);
    assert_eq!(exit, Some(1));
    let uses = |suffix: &str| {
        let found = findings_with(&records, "E092");
        let finding = found
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("no E092 for {suffix}: {records:?}"));
        finding["uses"].clone()
    };
    assert_eq!(
        uses(source),
        serde_json::json!([{"logical_path": source, "versions": ["v1", "v2"]}])
    );
    assert_eq!(
        uses(ARTICLE),
        serde_json::json!([{"logical_path": ARTICLE, "versions": ["v1"]}])
    );
    // Findings about anything else name no uses.
    fs::write(object.join("v2/content/extra.txt"), "x").unwrap();
    let (_, records) = verify_json(&archive, &[]);
    assert!(findings_with(&records, "E023")[0].get("uses").is_none());

    let human = run(quire(&archive).arg("verify")).stdout;
    assert!(
        human.contains(&format!("\n    used by {source} in v1, v2\n")),
        "{human}"
    );
    assert!(
        human.contains(&format!("\n    used by {ARTICLE} in v1\n")),
        "{human}"
    );
}

#[test]
fn a_clean_archive_exits_0_with_a_summary_and_json_lists_everything() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, _) = two_version_archive(dir.path());
    let human = run(quire(&archive).arg("verify")).ok();
    assert!(
        human.contains("urn:quire:beijing-review-sample: valid"),
        "{human}"
    );
    assert!(
        human
            .lines()
            .last()
            .unwrap()
            .starts_with("VALID: 1 object, 0 invalid; 0 errors, 0 warnings; 4 files"),
        "{human}"
    );
    let (exit, records) = verify_json(&archive, &[]);
    assert_eq!(exit, Some(0));
    assert_eq!(
        records.len(),
        2,
        "one object record and the summary: {records:?}"
    );
    assert_eq!(records[0]["data"]["files"], 4);
    let summary = &records[1]["data"];
    assert_eq!(
        (summary["objects"].as_u64(), summary["errors"].as_u64()),
        (Some(1), Some(0))
    );
    assert!(summary["seconds"].is_number() && summary["bytes"].as_u64().unwrap() > 10_000);
}

#[test]
fn junit_output_parses_and_fails_the_damaged_object() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, object) = two_version_archive(dir.path());
    fs::write(object.join("v2/content/extra.txt"), "x").unwrap();
    fs::create_dir_all(archive.join("aaa/bbb")).unwrap();
    let result = run(quire(&archive).args(["verify", "--format", "junit"]));
    assert_eq!(result.code, Some(1));
    // Parsed by Python's standard XML parser, independently of the writer.
    let script = r#"
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.read())
for case in root.iter('testcase'):
    failure = case.find('failure')
    print(case.get('name'), 'FAIL' if failure is not None else 'PASS', failure.text.replace('\n', ' | ') if failure is not None else '')
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(result.stdout.as_bytes())
        .unwrap();
    let parsed = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    let lines: Vec<&str> = parsed.lines().collect();
    assert_eq!(lines.len(), 2, "{parsed}");
    assert!(
        lines[0].starts_with("storage root FAIL E073 aaa/bbb"),
        "{parsed}"
    );
    assert!(
        lines[1].starts_with("urn:quire:beijing-review-sample FAIL E023"),
        "{parsed}"
    );
}

#[test]
fn modes_change_what_is_checked_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, object) = two_version_archive(dir.path());
    let article = object.join("v1/content").join(ARTICLE);
    flip_byte(&article, 5);

    // Structure only: the flipped byte goes unseen, and nothing is hashed.
    let (exit, records) = verify_json(&archive, &["--no-fixity"]);
    assert_eq!(exit, Some(0));
    assert_eq!(records.last().unwrap()["data"]["files"], 0);
    // Ignoring the code makes the archive pass.
    assert_eq!(verify_json(&archive, &["--ignore", "E092"]).0, Some(0));
    // A sample is reproducible for a seed; the full sample catches the damage.
    let sampled = |seed: &str| {
        let (_, records) = verify_json(&archive, &["--sample", "0.5", "--seed", seed]);
        records.last().unwrap()["data"]["files"].as_u64().unwrap()
    };
    assert_eq!(sampled("3"), sampled("3"));
    assert!(
        sampled("3") < 4 || sampled("4") < 4,
        "a half sample should leave files out"
    );
    assert_eq!(
        verify_json(&archive, &["--sample", "1", "--seed", "1"]).0,
        Some(1)
    );

    // Warnings: exit 0 unless --warnings-as-errors.
    fs::write(&article, fs::read(sample_issue().join(ARTICLE)).unwrap()).unwrap();
    fs::create_dir_all(archive.join("extensions/local-notes")).unwrap();
    fs::write(archive.join("extensions/local-notes/readme.txt"), "x").unwrap();
    let (exit, records) = verify_json(&archive, &[]);
    assert_eq!(
        (exit, codes(&records)),
        (Some(0), BTreeSet::from(["W016".to_string()]))
    );
    assert_eq!(verify_json(&archive, &["--warnings-as-errors"]).0, Some(1));

    // One object by id.
    let (exit, records) = verify_json(&archive, &["beijing-review-sample"]);
    assert_eq!(exit, Some(0));
    assert_eq!(records.iter().filter(|r| r["type"] == "object").count(), 1);
}

#[test]
fn could_not_verify_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    assert!(run(quire(&missing).arg("verify"))
        .fails()
        .contains("nowhere"));
    let archive = archive_with_sample(dir.path());
    assert!(run(quire(&archive).args(["verify", "--ignore", "X1"]))
        .fails()
        .contains("not a validation code"));
    // Shaped like a code, but not in the spec's table (E065 is a gap in its numbering).
    for unknown in ["E999", "E065", "W006"] {
        let refused = run(quire(&archive).args(["verify", "--ignore", unknown])).fails();
        assert!(
            refused.contains(&format!("`{unknown}` is not a validation code of OCFL")),
            "{refused}"
        );
    }
    assert!(run(quire(&archive).args(["verify", "--sample", "2"]))
        .fails()
        .contains("fraction"));
    assert!(run(quire(&archive).args(["verify", "no-such-issue"]))
        .fails()
        .contains("no object"));
}

#[test]
fn a_storage_root_written_by_ocfl_py_verifies_clean() {
    // Not only roots that quire wrote: ocfl-py lays out a root and adds a fixture object.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("py-root");
    let Some(ocfl_root_py) = tool("ocfl-root.py") else {
        return;
    };
    let ocfl_root = |args: &[&str]| {
        run(Command::new(&ocfl_root_py)
            .args(args)
            .arg("--root")
            .arg(&root))
        .ok();
    };
    ocfl_root(&[
        "create",
        "--layout",
        "0003-hash-and-id-n-tuple-storage-layout",
    ]);
    let source = fixtures().join("ocfl/1.1/good/two_versions_forward_delta");
    ocfl_root(&["add", "--src", source.to_str().unwrap()]);
    let (exit, records) = verify_json(&root, &[]);
    assert_eq!(exit, Some(0), "{records:?}");
    assert!(codes(&records).is_empty(), "{records:?}");
    assert_eq!(records.last().unwrap()["data"]["objects"], 1);
    assert_eq!(records.last().unwrap()["data"]["files"], 4);
}

#[test]
fn a_closed_stdout_ends_verify_quietly() {
    // Thousands of findings, far more output than a pipe holds, and a reader that stops early.
    let (_dir, archive) = sample_archive();
    let extra = object_dir(&archive).join("v1/content/extra");
    fs::create_dir(&extra).unwrap();
    for i in 0..3000 {
        fs::write(extra.join(format!("file-{i:04}.txt")), "x").unwrap();
    }
    let mut child = quire(&archive)
        .args(["verify", "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    use std::io::Read;
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    // The verdict stands: the archive is invalid, whoever stopped reading.
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&first).starts_with("{\"type\":\"finding\""));
}

/// A copy of the good fixture `minimal_one_version` in `dir`, for damaging.
fn minimal_object(dir: &Path) -> PathBuf {
    let object = dir.join("object");
    copy_dir(
        &fixtures().join("ocfl/1.1/good/minimal_one_version"),
        &object,
    );
    object
}

#[test]
fn a_content_file_hard_linked_elsewhere_is_e090() {
    let dir = tempfile::tempdir().unwrap();
    let object = minimal_object(dir.path());
    fs::hard_link(
        object.join("v1/content/a.txt"),
        dir.path().join("elsewhere.txt"),
    )
    .unwrap();
    let (code, records) = verify_json(Path::new("unused"), &["--object", object.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert_eq!(codes(&records), BTreeSet::from(["E090".to_string()]));
    let found = findings_with(&records, "E090");
    assert!(found[0]["path"]
        .as_str()
        .unwrap()
        .ends_with("v1/content/a.txt"));
    assert!(found[0]["message"].as_str().unwrap().contains("hard link"));
}

#[test]
fn a_content_file_whose_name_is_not_utf8_is_e023_and_says_so() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let object = minimal_object(dir.path());
    let name = std::ffi::OsStr::from_bytes(b"bad\xff\xfe.txt");
    fs::write(object.join("v1/content").join(name), "x").unwrap();
    let (code, records) = verify_json(Path::new("unused"), &["--object", object.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert_eq!(codes(&records), BTreeSet::from(["E023".to_string()]));
    let message = findings_with(&records, "E023")[0]["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("not UTF-8"), "{message}");
}

#[test]
fn a_root_holding_an_id_twice_is_e037_at_both_and_mixed_depths_are_w015() {
    let dir = tempfile::tempdir().unwrap();
    let minimal = "1.1/good/minimal_one_version";
    let root = root_of_fixtures(
        dir.path(),
        &[
            ("a/obj", minimal),
            ("b/obj", minimal),
            ("top", "1.1/warn/W005_id_not_a_uri"),
        ],
    );
    let (code, records) = verify_json(&root, &[]);
    assert_eq!(code, Some(1));
    let paths: Vec<&str> = findings_with(&records, "E037")
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 2, "{records:?}");
    assert!(
        paths.iter().any(|p| p.ends_with("a/obj")) && paths.iter().any(|p| p.ends_with("b/obj"))
    );
    assert_eq!(findings_with(&records, "W015").len(), 1, "{records:?}");
}

#[test]
fn files_and_folders_of_a_root_outside_any_object_get_the_code_of_where_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let root = root_of_fixtures(dir.path(), &[("a/obj", "1.1/good/minimal_one_version")]);
    for (file, text) in [
        ("a/note.txt", "x"),
        ("a/dead/end/x.txt", "x"),
        ("backup/x.txt", "x"),
    ] {
        fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
        fs::write(root.join(file), text).unwrap();
    }
    fs::create_dir_all(root.join("empty/dir")).unwrap();
    let (code, records) = verify_json(&root, &[]);
    assert_eq!(code, Some(1));
    let found: BTreeSet<(String, String)> = records
        .iter()
        .filter(|r| r["type"] == "finding")
        .map(|r| {
            let data = &r["data"];
            (
                data["code"].as_str().unwrap().into(),
                data["path"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("E084", "a/note.txt"),
        ("E085", "a/dead"),
        ("E072", "a/dead/end/x.txt"),
        ("E088", "backup"),
        ("E072", "backup/x.txt"),
        ("E073", "empty/dir"),
    ]
    .iter()
    .map(|(c, p)| (c.to_string(), p.to_string()))
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn verifying_an_object_as_a_root_or_a_root_as_an_object_hints_at_the_other_option() {
    let dir = tempfile::tempdir().unwrap();
    let object = minimal_object(dir.path());
    let as_root = run(quire(&object).arg("verify"));
    assert!(
        as_root.stderr.contains(&format!(
            "is an OCFL object, not a storage root: use `quire verify --object {}`",
            object.display()
        )),
        "{}",
        as_root.stderr
    );
    let root = root_of_fixtures(dir.path(), &[("o", "1.1/good/minimal_one_version")]);
    let as_object = run(quire("unused").args(["verify", "--object"]).arg(&root));
    assert!(
        as_object
            .stderr
            .contains("is an OCFL storage root, not an object: use `quire --archive"),
        "{}",
        as_object.stderr
    );
    // A wrong argument: exit 2, and no report of a nameless invalid object.
    assert_eq!(as_object.code, Some(2), "{}", as_object.stderr);
    assert_eq!(as_object.stdout, "");
}

#[test]
fn a_finding_that_names_control_characters_escapes_them_in_text_and_junit() {
    let dir = tempfile::tempdir().unwrap();
    let object = dir.path().join("object");
    let fixture = "ocfl/1.1/good/control_characters_in_message_and_logical_path";
    copy_dir(&fixtures().join(fixture), &object);
    fs::write(object.join("v2/content/new.txt"), "damaged\n").unwrap();
    let text = run(quire("unused").args(["verify", "--object"]).arg(&object));
    assert_eq!(text.code, Some(1));
    assert!(!text.stdout.contains('\u{1b}'), "{}", text.stdout);
    assert!(
        text.stdout
            .contains("used by new\\n\\u{1b}[2K  E092 forged finding.txt in v2"),
        "{}",
        text.stdout
    );
    let junit = run(quire("unused")
        .args(["verify", "--format", "junit", "--object"])
        .arg(&object));
    let xml = dir.path().join("report.xml");
    fs::write(&xml, &junit.stdout).unwrap();
    let (ok, parsed) = tool_output(
        Command::new("python3")
            .args([
                "-c",
                "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])",
            ])
            .arg(&xml),
    );
    assert!(ok, "{parsed}\n{}", junit.stdout);
}

/// With `--warnings-as-errors` a warning fails the run, and every report says so as the exit
/// code does: the human verdict, the JSON summary and a JUnit failure for each warning.
#[test]
fn with_warnings_as_errors_every_report_says_the_warnings_fail() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let mut ingest = quire(&archive);
    for name in ["QUIRE_USER", "QUIRE_EMAIL", "USER", "LOGNAME"] {
        ingest.env_remove(name);
    }
    run(ingest.arg("ingest").arg(sample_issue())).ok();
    let verify = |format: &str, strict: bool| {
        let mut command = quire(&archive);
        command.args(["verify", "--format", format]);
        if strict {
            command.arg("--warnings-as-errors");
        }
        let result = run(&mut command);
        (result.code, result.stdout)
    };

    let (exit, human) = verify("human", false);
    assert_eq!(exit, Some(0));
    assert!(
        human.contains("\nVALID: 1 object, 0 invalid; 0 errors, 1 warning;"),
        "{human}"
    );
    let (exit, human) = verify("human", true);
    assert_eq!(exit, Some(1));
    assert_contains_all(
        &human,
        &[
            ": INVALID, 1 warning",
            "\nINVALID: 1 object, 1 invalid; 0 errors, 1 warning;",
            "--warnings-as-errors: the warnings fail",
        ],
    );

    let (exit, json) = verify("json", true);
    assert_eq!(exit, Some(1));
    let records = json_lines(&json);
    let summary = &records.last().unwrap()["data"];
    assert_eq!(
        (
            &summary["valid"],
            &summary["warnings_as_errors"],
            &summary["invalid_objects"]
        ),
        (&Value::Bool(false), &Value::Bool(true), &Value::from(1))
    );
    let object = records.iter().find(|r| r["type"] == "object").unwrap();
    assert_eq!(object["data"]["valid"], false);
    let (_, json) = verify("json", false);
    let summary = &json_lines(&json).last().unwrap()["data"].clone();
    assert_eq!(
        (&summary["valid"], &summary["warnings_as_errors"]),
        (&Value::Bool(true), &Value::Bool(false))
    );

    let (exit, junit) = verify("junit", true);
    assert_eq!(exit, Some(1));
    assert_contains_all(
        &junit,
        &[
            "failures=\"1\"",
            "<failure message=\"warning (--warnings-as-errors)\" type=\"W007\">",
        ],
    );
    let (_, junit) = verify("junit", false);
    assert_contains_all(&junit, &["failures=\"0\"", "<system-out>W007 "]);
}

/// The README's verify example, run as written on a copy of the sample archive, prints what
/// the README shows (digests shortened there, the time and rate left out).
#[test]
fn the_readme_verify_example_is_what_verify_prints() {
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme.find("$ echo \"# edited\" >> archive/").unwrap();
    let example: Vec<&str> = readme[start..]
        .lines()
        .skip(2)
        .take_while(|l| !l.starts_with('$'))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    copy_dir(&repo().join("archive"), &archive);
    let file = object_dir(&archive).join("v1/content/issue.toml");
    edit_file(&file, |text| text + "# edited\n");
    let result = run(quire(&archive).arg("verify"));
    assert_eq!(result.code, Some(1));
    let shorten = |line: &str| {
        let words: Vec<String> = line
            .split(' ')
            .map(|w| {
                let digest = w.trim_end_matches(',');
                match digest.len() == 128 && digest.chars().all(|c| c.is_ascii_hexdigit()) {
                    true => format!("{}…{}{}", &digest[..8], &digest[122..], &w[128..]),
                    false => w.to_string(),
                }
            })
            .collect();
        let line = words.join(" ");
        line.split(" hashed in ").next().unwrap().to_string()
    };
    let printed: Vec<String> = result.stdout.lines().map(shorten).collect();
    let shown: Vec<String> = example.iter().map(|l| shorten(l)).collect();
    assert_eq!(
        printed, shown,
        "the README's example is stale:\n{}",
        result.stdout
    );
}

#[test]
fn a_layout_whose_configuration_cannot_be_read_is_said_not_checked_and_the_rest_is() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_sample(dir.path());
    let config = "extensions/0003-hash-and-id-n-tuple-storage-layout/config.json";
    fs::write(archive.join(config), "{").unwrap();
    let (exit, records) = verify_json(&archive, &[]);
    assert_eq!(exit, Some(0), "{records:?}");
    let unchecked: Vec<&Value> = records
        .iter()
        .filter(|r| r["type"] == "unchecked")
        .collect();
    assert_eq!(unchecked.len(), 1, "{records:?}");
    let what = unchecked[0]["data"]["what"].as_str().unwrap();
    assert!(
        what.starts_with(&format!(
            "where the objects stand (E083): {config} is not JSON"
        )),
        "{what}"
    );
    let text = run(quire(&archive).arg("verify")).ok();
    assert!(
        text.starts_with("not checked: where the objects stand (E083)"),
        "{text}"
    );
    assert!(text.contains("VALID: 1 object"), "{text}");
}

#[test]
fn a_fixity_size_that_is_not_the_file_s_length_is_e093_and_one_that_is_passes() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_sample(dir.path());
    let object = object_dir(&archive);
    let path = object.join("inventory.json");
    let mut inventory: Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
    // Extension 0009's `size` of every content file, one of them one byte off.
    let mut sizes = serde_json::Map::new();
    let manifest = inventory["manifest"].as_object().unwrap().clone();
    for (n, paths) in manifest.values().enumerate() {
        let content = paths[0].as_str().unwrap();
        let length = fs::metadata(object.join(content)).unwrap().len();
        // One a byte off, one padded ("decimal notation, with no padding").
        let recorded = match n {
            0 => (length + 1).to_string(),
            1 => format!("0{length}"),
            _ => length.to_string(),
        };
        sizes.insert(recorded, serde_json::json!([content]));
    }
    inventory["fixity"] = serde_json::json!({ "size": sizes });
    write_head_inventory(&object, &inventory);
    let (exit, records) = verify_json(&archive, &[]);
    assert_eq!(exit, Some(1), "{records:?}");
    let wrong = findings_with(&records, "E093");
    assert_eq!(wrong.len(), 2, "{records:?}");
    let message = wrong[0]["message"].as_str().unwrap();
    assert!(
        message.contains("bytes long, the inventory records a size of"),
        "{message}"
    );
    assert_eq!(codes(&records), BTreeSet::from(["E093".to_string()]));
}

/// Writes `inventory` as the root inventory of the one-version `object` and as its v1's (the
/// head's copy is the root's), each with its sidecar.
fn write_head_inventory(object: &Path, inventory: &Value) {
    let bytes = serde_json::to_vec_pretty(inventory).unwrap();
    let sidecar = format!("{}  inventory.json\n", sha512_hex(&bytes));
    for folder in [object.to_path_buf(), object.join("v1")] {
        fs::write(folder.join("inventory.json"), &bytes).unwrap();
        fs::write(folder.join("inventory.json.sha512"), &sidecar).unwrap();
    }
}

#[test]
fn a_missing_versions_block_or_id_is_its_own_code_and_no_cascade_of_others() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_sample(dir.path());
    let object = object_dir(&archive);
    let read = || -> Value {
        serde_json::from_slice(&fs::read(object.join("inventory.json")).unwrap()).unwrap()
    };
    let original = read();
    // Without the version's id alone, the head's copy differs from the root's (E064), and is
    // no other id (no E110).
    for (key, expected) in [
        ("versions", &["E041", "E046"][..]),
        ("id", &["E036", "E064"]),
    ] {
        let mut inventory = original.clone();
        inventory.as_object_mut().unwrap().remove(key);
        write_head_inventory(&object, &inventory);
        if key == "id" {
            let bytes = serde_json::to_vec_pretty(&inventory).unwrap();
            write_head_inventory(&object, &original);
            fs::write(object.join("v1/inventory.json"), &bytes).unwrap();
            let sidecar = format!("{}  inventory.json\n", sha512_hex(&bytes));
            fs::write(object.join("v1/inventory.json.sha512"), sidecar).unwrap();
        }
        let (exit, records) = verify_json(&archive, &["--object", object.to_str().unwrap()]);
        assert_eq!(exit, Some(1), "{records:?}");
        let codes = codes(&records);
        let expected: BTreeSet<String> = expected.iter().map(|c| c.to_string()).collect();
        assert_eq!(codes, expected, "without `{key}`: {records:?}");
    }
    // A manifest path outside any version folder is still E042 without a versions block.
    let mut inventory = original.clone();
    inventory.as_object_mut().unwrap().remove("versions");
    let manifest = inventory["manifest"].as_object_mut().unwrap();
    manifest.insert("0".repeat(128), serde_json::json!(["extra/x.txt"]));
    write_head_inventory(&object, &inventory);
    let (_, records) = verify_json(&archive, &["--object", object.to_str().unwrap()]);
    let stray = findings_with(&records, "E042");
    assert_eq!(stray.len(), 1, "{records:?}");
    assert_eq!(stray[0]["path"], "extra/x.txt");
}

#[test]
fn verifying_an_issue_whose_inventory_cannot_be_read_points_at_the_object_that_may_be_it() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_sample(dir.path());
    let object = object_dir(&archive);
    fs::write(object.join("inventory.json"), "{ not json").unwrap();
    let refused = run(quire(&archive).args(["verify", "beijing-review-sample"])).fails();
    let path = object.strip_prefix(&archive).unwrap().to_str().unwrap();
    assert!(
        refused.contains(&format!("the id of the object at {path} cannot be read")),
        "{refused}"
    );
}
