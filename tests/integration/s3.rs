//! The archive in an S3 bucket, on a real Garage server started by `tests/start-garage.sh`:
//! every command gives what it gives on a folder, copies round-trip byte for byte, verify finds
//! the same damage with the same codes, and killed or competing writers leave the head valid.
//! The bucket is inspected and damaged with curl (SigV4), independently of quire. Without
//! Garage, these tests are skipped (and say so), or fail under `QUIRE_REQUIRE_TOOLS=1`.

use crate::support::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::thread::sleep;
use std::time::{Duration, Instant};

const ISSUE: &str = "beijing-review-sample";
const CREATED: &str = "2026-01-02T03:04:05Z";

/// The test server: started once per test run, stopped by its process id when the test
/// process ends (the start script watches it).
struct Garage {
    vars: BTreeMap<String, String>,
}

/// The Garage binary as `tests/start-garage.sh` finds it: `$GARAGE_BIN` (only that, when
/// set), else `garage` on PATH, else `~/.cargo/bin/garage`.
fn garage_binary() -> Option<PathBuf> {
    let found = match std::env::var_os("GARAGE_BIN") {
        Some(bin) => Some(PathBuf::from(bin)),
        None => std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|dir| dir.join("garage"))
            .chain(std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo/bin/garage")))
            .find(|candidate| candidate.is_file()),
    };
    found.filter(|bin| bin.is_file())
}

/// The server, or `None` (the test is skipped, and says so) when Garage is not installed.
fn garage() -> Option<&'static Garage> {
    available("garage", garage_binary())?;
    static GARAGE: OnceLock<Garage> = OnceLock::new();
    Some(GARAGE.get_or_init(|| {
        let output = Command::new("bash")
            .arg(repo().join("tests/start-garage.sh"))
            .env("GARAGE_STOP_WITH", std::process::id().to_string())
            .stderr(Stdio::inherit())
            .output()
            .expect("bash runs");
        assert!(
            output.status.success(),
            "Garage did not start (see above); `bash .ci/run` builds and installs it"
        );
        let vars = String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .filter_map(|line| line.strip_prefix("export "))
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Garage { vars }
    }))
}

/// The server and a scratch folder for one test, or `None` (the test is skipped, and says so)
/// when Garage is not installed.
fn garage_and_scratch() -> Option<(&'static Garage, tempfile::TempDir)> {
    Some((garage()?, tempfile::tempdir().unwrap()))
}

impl Garage {
    fn var(&self, name: &str) -> &str {
        &self.vars[name]
    }

    /// A prefix of the bucket of its own for one test.
    fn url(&self, name: &str) -> String {
        format!("s3://{}/{name}", self.var("GARAGE_BUCKET"))
    }

    /// A `quire` command that can reach the server.
    fn quire(&self, archive: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = quire(archive);
        command.envs(&self.vars);
        command
    }

    /// `quire ingest FOLDER` into `archive` with the fixed creation time.
    fn ingest(&self, archive: impl AsRef<std::ffi::OsStr>, folder: &Path) -> Command {
        let mut command = self.quire(archive);
        command.args(["ingest", "--created", CREATED]).arg(folder);
        command
    }

    /// A SigV4-signed request with curl; returns the response body, panicking on HTTP errors.
    fn request(&self, method: &str, key: &str, query: &str, body: Option<&[u8]>) -> Vec<u8> {
        // Keys hold `%` (the layouts percent-encode ids), `=` (declarations) and `:` (ids);
        // these, and `/` in a query value, are encoded as the signature's canonical form has
        // them.
        let mut url = format!(
            "{}/{}",
            self.var("AWS_ENDPOINT_URL"),
            self.var("GARAGE_BUCKET")
        );
        if !key.is_empty() {
            url.push('/');
            url.push_str(
                &key.replace('%', "%25")
                    .replace(':', "%3A")
                    .replace('=', "%3D"),
            );
        }
        url.push_str(&query.replace('/', "%2F"));
        let mut command = Command::new("curl");
        command
            .args([
                "-sS",
                "-f",
                "-X",
                method,
                "--aws-sigv4",
                "aws:amz:garage:s3",
            ])
            .arg("--user")
            .arg(format!(
                "{}:{}",
                self.var("AWS_ACCESS_KEY_ID"),
                self.var("AWS_SECRET_ACCESS_KEY")
            ))
            .args(["-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD"]);
        let dir = tempfile::tempdir().unwrap();
        if let Some(body) = body {
            let file = dir.path().join("body");
            fs::write(&file, body).unwrap();
            command
                .arg("--data-binary")
                .arg(format!("@{}", file.display()));
        }
        let output = command.arg(&url).output().expect("curl runs");
        assert!(
            output.status.success(),
            "{method} {url}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    }

    fn put(&self, key: &str, body: &[u8]) {
        self.request("PUT", key, "", Some(body));
    }

    fn delete(&self, key: &str) {
        self.request("DELETE", key, "", None);
    }

    /// The ids of the multipart uploads in progress under a prefix.
    fn uploads(&self, prefix: &str) -> std::collections::BTreeSet<String> {
        // (Query parameters in sorted order, as the signature's canonical form has them.)
        self.listed("UploadId", &format!("?prefix={prefix}&uploads="))
            .into_iter()
            .collect()
    }

    /// The keys under a prefix (up to 1000, which the tests stay under).
    fn keys(&self, prefix: &str) -> Vec<String> {
        self.listed("Key", &format!("?list-type=2&prefix={prefix}"))
    }

    /// The texts of the XML element `element` in a bucket listing.
    fn listed(&self, element: &str, query: &str) -> Vec<String> {
        let xml = String::from_utf8(self.request("GET", "", query, None)).unwrap();
        let (open, close) = (format!("<{element}>"), format!("</{element}>"));
        xml.split(open.as_str())
            .skip(1)
            .filter_map(|part| part.split_once(close.as_str()))
            .map(|(text, _)| text.to_string())
            .collect()
    }
}

/// Where the first object of a folder root stands, relative to the root (its keys' middle part
/// in a bucket holding the same root).
fn relative_object_path(root: &Path) -> String {
    let object = object_dir(root);
    object
        .strip_prefix(root)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

/// The key prefix of a bucket URL made by [`Garage::url`].
fn key_prefix(url: &str) -> &str {
    url.splitn(4, '/').nth(3).unwrap()
}

/// What a command gave: exit code, stdout, stderr.
type Outcome = (Option<i32>, String, String);

/// A command's exit code, stdout and stderr with the storage root's location replaced and
/// verify's timings left out.
fn normalized(command: &mut Command, root: &str) -> Outcome {
    let result = run(command);
    let without_timings = |text: String| -> String {
        text.replace(root, "<root>")
            .lines()
            .map(|line| {
                if let Some((before, _)) = line.split_once(" hashed in ") {
                    return before.to_string();
                }
                match serde_json::from_str::<serde_json::Value>(line) {
                    Ok(mut record) if record["type"] == "summary" => {
                        record["data"].as_object_mut().unwrap().remove("seconds");
                        record.to_string()
                    }
                    _ => line.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    (
        result.code,
        without_timings(result.stdout),
        without_timings(result.stderr),
    )
}

/// The sample issue with its article's text replaced.
fn with_article(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let folder = sample_copy(dir, name);
    fs::write(folder.join(SAMPLE_ARTICLE), text).unwrap();
    folder
}

/// The sample issue with its article changed, for a second version.
fn second_version(dir: &Path) -> std::path::PathBuf {
    sample_with_added_text(
        dir,
        "second",
        "\nA paragraph added in the second version.\n",
    )
}

#[test]
fn every_command_gives_the_same_output_on_a_bucket_and_a_folder() {
    let Some((garage, dir)) = garage_and_scratch() else {
        return;
    };
    let folder_root = dir.path().join("archive");
    let folder_root = folder_root.to_str().unwrap().to_string();
    let bucket_root = garage.url("commands");
    let second = second_version(dir.path());
    let seed_page = sample_issue().join("sources/000_11fc1475ed7ff95f.txt");

    type Step<'a> = (&'a str, Vec<std::ffi::OsString>);
    let os = |args: &[&str]| args.iter().map(|a| a.into()).collect::<Vec<_>>();
    let steps: Vec<Step> = vec![
        ("init", os(&["init"])),
        (
            "ingest v1",
            [
                os(&["ingest", "--json", "--created", CREATED, "-m", "first"]),
                vec![sample_issue().into()],
            ]
            .concat(),
        ),
        (
            "ingest v2",
            [
                os(&["ingest", "--json", "--created", CREATED]),
                vec![second.clone().into()],
            ]
            .concat(),
        ),
        (
            "ingest unchanged",
            [
                os(&["ingest", "--json", "--created", CREATED]),
                vec![second.clone().into()],
            ]
            .concat(),
        ),
        (
            "import-web",
            [
                os(&[
                    "import-web",
                    "--json",
                    "--issue",
                    "web-copy",
                    "--created",
                    CREATED,
                ]),
                vec![seed_page.clone().into()],
            ]
            .concat(),
        ),
        ("list", os(&["list"])),
        ("list json", os(&["list", "--json"])),
        ("show", os(&["show", ISSUE])),
        (
            "show v1 json",
            os(&["show", &format!("{ISSUE}@v1"), "--json"]),
        ),
        ("log", os(&["log", ISSUE])),
        ("log json", os(&["log", ISSUE, "--json"])),
        ("diff", os(&["diff", ISSUE, "1", "2"])),
        ("diff json", os(&["diff", ISSUE, "1", "2", "--json"])),
        (
            "cat",
            os(&[
                "cat",
                &format!("{ISSUE}@v2"),
                "articles/full-text-the-internet-in-china.md",
            ]),
        ),
        ("cat missing", os(&["cat", ISSUE, "no-such-file"])),
        ("show missing", os(&["show", "no-such-issue"])),
        ("verify", os(&["verify"])),
        (
            "verify json",
            os(&["verify", "--format", "json", "--warnings-as-errors"]),
        ),
        ("verify one", os(&["verify", ISSUE, "--format", "json"])),
        ("repair", os(&["repair"])),
    ];
    let outputs = |root: &str, out: &Path| -> Vec<(String, Outcome)> {
        let mut results = Vec::new();
        for (name, args) in &steps {
            let result = normalized(garage.quire(root).args(args), root);
            results.push((name.to_string(), result));
        }
        let checkout = out.join("checkout");
        run(garage.quire(root).args(["checkout", ISSUE]).arg(&checkout)).ok();
        let exports = out.join("exports");
        for args in [
            vec!["export", "pdf", ISSUE, "-o"],
            vec!["export", "epub", &format!("{ISSUE}@v1"), "-o"],
            vec!["export", "bag", ISSUE, "--zip", "-o"],
        ] {
            let target = exports.join(args[1]);
            run(garage.quire(root).args(&args).arg(&target)).ok();
        }
        let all = out.join("all");
        let result = normalized(
            garage
                .quire(root)
                .args(["export", "all", "--json", "--dir"])
                .arg(&all),
            root,
        );
        results.push(("export all".into(), result));
        // One object verified on its own, addressed by its folder or key prefix.
        let object_location = format!("{root}/{}", relative_object_path(&repo().join("archive")));
        let result = normalized(
            garage
                .quire(root)
                .args(["verify", "--format", "json", "--object", &object_location]),
            root,
        );
        assert_eq!(result.0, Some(0), "{result:?}");
        results.push(("verify --object".into(), result));
        run(garage
            .quire(root)
            .args(["feeds", "--base-url", "https://example.org/e/", "--dir"])
            .arg(&all))
        .ok();
        results
    };
    let from_folder = outputs(&folder_root, &dir.path().join("out-folder"));
    let from_bucket = outputs(&bucket_root, &dir.path().join("out-bucket"));
    for ((name, folder), (_, bucket)) in from_folder.iter().zip(&from_bucket) {
        assert_eq!(
            folder, bucket,
            "`{name}` differs between a folder and a bucket"
        );
    }
    // The commands did something: both versions, the import and the findings-free verify.
    let listed = json_lines(&from_bucket[6].1 .1);
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(from_bucket[16].1 .0, Some(0));
    assert_eq!(from_bucket[14].1 .0, Some(2), "a missing file is an error");
    assert_eq!(
        tree(&dir.path().join("out-folder")),
        tree(&dir.path().join("out-bucket")),
        "checkouts, exports and feeds differ"
    );
    assert_eq!(
        tree(&dir.path().join("out-bucket/checkout")),
        tree(&second),
        "the checkout is not the ingested folder"
    );

    // Folder -> bucket -> folder gives the same storage root, byte for byte.
    let copy_root = garage.url("round-trip");
    let copied = json_lines(
        &run(garage.quire(&folder_root).args([
            "copy",
            "--json",
            "--from",
            &folder_root,
            "--to",
            &copy_root,
        ]))
        .ok(),
    );
    assert_eq!(copied.len(), 2);
    assert!(
        copied.iter().all(|c| c["data"]["outcome"] == "created"),
        "{copied:?}"
    );
    let back = dir.path().join("back");
    garage.assert_copies_back(&copy_root, &back, Path::new(&folder_root));

    // A second copy finds everything up to date; a newer head is added version by version.
    let again =
        run(garage
            .quire(&folder_root)
            .args(["copy", "--from", &folder_root, "--to", &copy_root]))
        .ok();
    assert!(again.lines().all(|l| l.contains("up to date")), "{again}");
    let third = with_article(dir.path(), "third", "Replaced.\n");
    run(&mut garage.ingest(&folder_root, &third)).ok();
    let extended = run(garage.quire(&folder_root).args([
        "copy",
        "--from",
        &folder_root,
        "--to",
        &copy_root,
        ISSUE,
    ]))
    .ok();
    assert!(extended.contains("extended from v2"), "{extended}");
    let back_again = dir.path().join("back-again");
    garage.assert_copies_back(&copy_root, &back_again, Path::new(&folder_root));
}

/// The same damage done to a folder root and to its copy in the bucket: a changed, a missing
/// and an extra file.
#[test]
fn verify_on_a_bucket_finds_what_it_finds_on_a_folder() {
    let Some((garage, dir)) = garage_and_scratch() else {
        return;
    };
    let folder = archive_with_sample(dir.path());
    let (bucket, object_key) = garage.copy_of(&folder, "damaged");
    let clean = run(garage
        .quire(&bucket)
        .args(["verify", "--warnings-as-errors"]));
    assert_eq!(clean.code, Some(0), "{}", clean.stdout);

    let object = object_dir(&folder);
    let changed = "v1/content/articles/full-text-the-internet-in-china.md";
    // (A file whose folder keeps others: a bucket has no empty folders to report.)
    let missing = "v1/content/issue.toml";
    let extra = "v1/content/extra.txt";
    let altered = flip_byte(&object.join(changed), 10);
    garage.put(&format!("{object_key}/{changed}"), &altered);
    fs::remove_file(object.join(missing)).unwrap();
    garage.delete(&format!("{object_key}/{missing}"));
    fs::write(object.join(extra), "not in the manifest\n").unwrap();
    garage.put(&format!("{object_key}/{extra}"), b"not in the manifest\n");

    let findings = |root: &str| {
        let (code, stdout, _) = normalized(
            garage.quire(root).args(["verify", "--format", "json"]),
            root,
        );
        assert_eq!(code, Some(1), "{stdout}");
        let mut found: Vec<(String, String, String)> = json_lines(&stdout)
            .into_iter()
            .filter(|r| r["type"] == "finding")
            .map(|r| {
                let field = |name: &str| r["data"][name].as_str().unwrap().to_string();
                (field("code"), field("path"), field("message"))
            })
            .collect();
        found.sort();
        found
    };
    let on_folder = findings(folder.to_str().unwrap());
    let on_bucket = findings(&bucket);
    assert_eq!(
        on_folder, on_bucket,
        "different findings on a folder and a bucket"
    );
    for damaged in [changed, missing, extra] {
        assert!(
            on_bucket.iter().any(|(_, path, _)| path.ends_with(damaged)),
            "{damaged} not reported: {on_bucket:?}"
        );
    }
}

impl Garage {
    /// A new storage root under `name` in the bucket, holding the sample issue as v1.
    fn root_with_sample(&self, name: &str) -> String {
        let archive = self.url(name);
        run(self.quire(&archive).arg("init")).ok();
        run(&mut self.ingest(&archive, &sample_issue())).ok();
        archive
    }

    /// `quire copy` of a whole root from a folder into the bucket; returns what it printed.
    fn copy_from_folder(&self, folder: &Path, to: &str) -> String {
        run(self
            .quire(folder)
            .args(["copy", "--from"])
            .arg(folder)
            .args(["--to", to]))
        .ok()
    }

    /// `quire copy` of a whole root to a folder.
    fn copy_to_folder(&self, archive: &str, folder: &Path) {
        run(self
            .quire(archive)
            .args(["copy", "--from", archive, "--to"])
            .arg(folder))
        .ok();
    }

    /// A copy of the folder root `folder` under `name` in the bucket; returns its URL and the
    /// key prefix of its (first) object.
    fn copy_of(&self, folder: &Path, name: &str) -> (String, String) {
        let bucket = self.url(name);
        self.copy_from_folder(folder, &bucket);
        let object_key = format!("{}/{}", key_prefix(&bucket), relative_object_path(folder));
        (bucket, object_key)
    }

    /// A two-version folder root in `dir` ([`crate::repair::two_versions`]) and its copy under
    /// `name` in the bucket: returns the folder, the bucket's URL, the key prefix of its object
    /// and the sources of v1 and v2.
    fn two_version_copies(
        &self,
        dir: &Path,
        name: &str,
    ) -> (PathBuf, String, String, [PathBuf; 2]) {
        let (folder, v1, v2) = crate::repair::two_versions(dir);
        let (bucket, object_key) = self.copy_of(&folder, name);
        (folder, bucket, object_key, [v1, v2])
    }

    /// Copies the root `archive` to the new folder `to`, and asserts that the copy is
    /// `expected`, byte for byte, and valid for ocfl-py.
    #[track_caller]
    fn assert_copies_back(&self, archive: &str, to: &Path, expected: &Path) {
        self.copy_to_folder(archive, to);
        assert_eq!(tree(to), tree(expected), "the copy of {archive} differs");
        assert_ocfl_py_valid(to);
    }

    /// Puts `path` of the object at `object_key` with the bytes of the same file of the folder
    /// object `folder_object`, byte `at` flipped: damage to the bucket's copy alone.
    fn put_flipped(&self, object_key: &str, folder_object: &Path, path: &str, at: usize) {
        let bytes = fs::read(folder_object.join(path)).unwrap();
        self.put(&format!("{object_key}/{path}"), &flipped(&bytes, at));
    }
}

fn bucket_head(garage: &Garage, archive: &str) -> String {
    let listed = json_lines(&run(garage.quire(archive).args(["list", "--json"])).ok());
    listed[0]["data"]["head"].as_str().unwrap().to_string()
}

fn spawn_ingest(garage: &Garage, archive: &str, folder: &Path) -> Child {
    garage
        .ingest(archive, folder)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The sample issue plus `files` captures of 10 MiB ([`large_issue`]): large enough for
/// multipart uploads (files over 8 MiB) and for a writer to be caught mid-write.
fn multipart_issue(dir: &Path, name: &str, files: usize, seed: u64) -> PathBuf {
    large_issue(dir, name, files, 10 << 20, seed)
}

/// Waits until a writer is uploading a large file of its version (a multipart upload the
/// bucket had not seen before is in progress), or exits; true when it was caught at it.
fn wait_for_upload(garage: &Garage, archive: &str, child: &mut Child) -> bool {
    let prefix = key_prefix(archive);
    let before = garage.uploads(prefix);
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if garage.uploads(prefix).difference(&before).next().is_some() {
            return true;
        }
        sleep(Duration::from_millis(5));
    }
    false
}

/// The bucket root is readable at its head, valid for quire (warnings allowed while a killed
/// writer's staging is there) and, copied to a folder, valid for ocfl-py.
#[track_caller]
fn assert_bucket_valid(garage: &Garage, archive: &str, scratch: &Path, expected: &Path) {
    let verdict = run(garage.quire(archive).arg("verify"));
    assert_eq!(verdict.code, Some(0), "{}", verdict.stdout);
    assert_head_readable(garage, archive, scratch, expected);
    let copy = scratch.join("copy");
    let _ = fs::remove_dir_all(&copy);
    garage.copy_to_folder(archive, &copy);
    assert_ocfl_py_valid(&copy);
}

/// The head checks out whole.
#[track_caller]
fn assert_head_readable(garage: &Garage, archive: &str, scratch: &Path, expected: &Path) {
    let checkout = scratch.join("checkout");
    let _ = fs::remove_dir_all(&checkout);
    run(garage
        .quire(archive)
        .args(["checkout", ISSUE])
        .arg(&checkout))
    .ok();
    let (got, want) = (tree(&checkout), tree(expected));
    assert!(
        got == want,
        "the head is not a whole version: {:?} instead of {:?}",
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
}

/// `quire repair` on a root whose version a writer was killed while publishing (as `verify`
/// found, which `verdict` shows) says so; killed between the root inventory's put and its
/// sidecar's (verify's E060 on the root sidecar), or after the new version's folder was whole
/// with its own inventory but before the root's was put (verify's E046 on that folder, and
/// nothing else), repair says it completed the commit. True where it completed it: the caller
/// then checks that the head is the new version, its content whole.
#[track_caller]
fn assert_repair_names_a_killed_publish(garage: &Garage, archive: &str, verdict: &Run) -> bool {
    let repair = run(garage.quire(archive).arg("repair"));
    let root_sidecar = format!("{ISSUE}/inventory.json.sha512: sidecar digest");
    let errors: Vec<&str> = verdict
        .stdout
        .lines()
        .map(str::trim_start)
        .filter(|line| line.starts_with('E'))
        .collect();
    let torn_root = errors
        .iter()
        .any(|line| line.starts_with("E060") && line.contains(&root_sidecar));
    let whole_unnamed = matches!(errors.as_slice(), [line] if line.starts_with("E046"))
        && repair.stderr.contains("completed an interrupted commit");
    let completed = torn_root || whole_unnamed;
    let said = if completed {
        "completed an interrupted commit"
    } else {
        "a writer was killed while publishing it"
    };
    assert!(
        repair.stderr.contains(said),
        "{}\n{}",
        verdict.stdout,
        repair.stderr
    );
    completed
}

#[test]
fn a_killed_ingest_to_a_bucket_leaves_the_previous_head_readable_and_valid() {
    let Some((garage, dir)) = garage_and_scratch() else {
        return;
    };
    let archive = garage.root_with_sample("killed");
    let large = multipart_issue(dir.path(), "large", 6, 3);

    // First at known points: while a large file's multipart upload is open, then while the
    // version's content is being copied in (its inventory not there yet).
    let ingest = || garage.ingest(&archive, &large);
    let prefix = key_prefix(&archive).to_string();
    let open_before = garage.uploads(&prefix);
    kill_at(&mut ingest(), "bucket-uploading");
    let mut caught = 1;
    assert!(
        garage
            .uploads(&prefix)
            .difference(&open_before)
            .next()
            .is_some(),
        "no multipart upload left open: the kill did not land mid-upload"
    );
    assert_eq!(bucket_head(garage, &archive), "v1");
    assert_bucket_valid(garage, &archive, dir.path(), &sample_issue());

    kill_at(&mut ingest(), "bucket-publishing");
    let mut caught_publishing = 1;
    assert_head_readable(garage, &archive, dir.path(), &sample_issue());
    let verdict = run(garage.quire(&archive).arg("verify"));
    assert_eq!(
        verdict.code,
        Some(1),
        "the half-published version folder is not reported:\n{}",
        verdict.stdout
    );
    // Paused while the version's files were being copied: nothing there to complete.
    assert!(!assert_repair_names_a_killed_publish(
        garage, &archive, &verdict
    ));
    assert_bucket_valid(garage, &archive, dir.path(), &sample_issue());

    for delay_ms in [0, 100, 300, 600, 1000, 1500, 2500] {
        if bucket_head(garage, &archive) != "v1" {
            break;
        }
        let mut child = spawn_ingest(garage, &archive, &large);
        sleep(Duration::from_millis(delay_ms));
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        child.wait().unwrap();
        caught += usize::from(running);
        let now = bucket_head(garage, &archive);
        let mut expected = if now == "v1" {
            sample_issue()
        } else {
            large.clone()
        };
        // The head is readable whatever the moment. The object stays valid too, except after
        // a kill during the publishing step (server-side copies of the new version's files):
        // then the only thing wrong is that unnamed version folder, which `repair` clears.
        assert_head_readable(garage, &archive, dir.path(), &expected);
        let verdict = run(garage.quire(&archive).arg("verify"));
        if verdict.code != Some(0) {
            caught_publishing += 1;
            if assert_repair_names_a_killed_publish(garage, &archive, &verdict) {
                assert_eq!(bucket_head(garage, &archive), "v2");
                expected = large.clone();
            }
        }
        assert_bucket_valid(garage, &archive, dir.path(), &expected);
    }
    eprintln!(
        "kills that landed during a write to the bucket: {caught}, while publishing: {caught_publishing}"
    );
    assert!(
        caught > 0,
        "no kill landed during a write; the test proved nothing"
    );

    // The next writer takes over the dead writer's lock, clears its staging and completes.
    run(&mut garage.ingest(&archive, &large)).ok();
    assert_eq!(bucket_head(garage, &archive), "v2");
    let left = garage.keys(&format!(
        "{}/extensions/quire-staging/",
        key_prefix(&archive)
    ));
    assert!(left.is_empty(), "staging left behind: {left:?}");
    let verdict = run(garage
        .quire(&archive)
        .args(["verify", "--warnings-as-errors"]));
    assert_eq!(verdict.code, Some(0), "{}", verdict.stdout);
    assert_bucket_valid(garage, &archive, dir.path(), &large);

    // Bucket to bucket, multipart files included (read from one while written to the other).
    let other = garage.url("killed-copy");
    run(garage
        .quire(&archive)
        .args(["copy", "--from", &archive, "--to", &other]))
    .ok();
    let (from_first, from_second) = (dir.path().join("first"), dir.path().join("second"));
    garage.copy_to_folder(&archive, &from_first);
    garage.assert_copies_back(&other, &from_second, &from_first);
}

#[test]
fn a_second_writer_to_a_bucket_object_is_refused() {
    let Some((garage, dir)) = garage_and_scratch() else {
        return;
    };
    let archive = garage.root_with_sample("writers");
    let large = multipart_issue(dir.path(), "large", 4, 5);
    let second = second_version(dir.path());

    // While one writer holds the object (stopped mid-upload), a second is refused.
    let mut first = None;
    for _attempt in 0..5 {
        let mut child = spawn_ingest(garage, &archive, &large);
        if wait_for_upload(garage, &archive, &mut child) {
            let paused = pause(&child);
            first = Some((child, paused));
            break;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(bucket_head(garage, &archive), "v1");
    }
    let (mut first, paused) = first.expect("a writer was caught holding the lock");
    let refused = run(garage.quire(&archive).arg("ingest").arg(&second)).fails();
    assert!(
        refused.contains("another quire process is writing"),
        "{refused}"
    );
    drop(paused);
    let status = first.wait().unwrap();
    assert!(status.success(), "the first writer failed");
    assert_eq!(bucket_head(garage, &archive), "v2");

    // Garage ignores create-only writes, so two writers could both believe they hold the
    // lock: the one whose lock was overwritten finds out before it publishes anything.
    let lock_prefix = format!("{}/extensions/quire-staging/", key_prefix(&archive));
    let other_large = multipart_issue(dir.path(), "other-large", 4, 9);
    let mut child = spawn_ingest(garage, &archive, &other_large);
    assert!(
        wait_for_upload(garage, &archive, &mut child),
        "the writer finished before it was caught"
    );
    let lock = garage
        .keys(&lock_prefix)
        .into_iter()
        .find(|k| k.ends_with(".lock"))
        .expect("a writer holds a lock object");
    let paused = pause(&child);
    let rival = serde_json::json!({"token": "rival", "host": "elsewhere", "pid": 1, "expires": u64::MAX / 2});
    garage.put(&lock, rival.to_string().as_bytes());
    drop(paused);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    // Caught before publishing (nearly always: it was stopped mid-upload), it published
    // nothing; caught only at the last check, its whole version waits unnamed for the next
    // writer to complete.
    let published_unnamed = stderr.contains("does not name it yet");
    assert!(
        published_unnamed || stderr.contains("nothing was published"),
        "{stderr}"
    );
    assert_eq!(bucket_head(garage, &archive), "v2");

    // A live lock of a writer on another machine is respected, and named in the message.
    let refused = run(garage.quire(&archive).arg("ingest").arg(&second)).fails();
    assert!(refused.contains("on elsewhere"), "{refused}");
    // Once its lease has run out, it is taken over.
    let expired =
        serde_json::json!({"token": "rival", "host": "elsewhere", "pid": 1, "expires": 1});
    garage.put(&lock, expired.to_string().as_bytes());
    run(&mut garage.ingest(&archive, &second)).ok();
    let expected_head = if published_unnamed { "v4" } else { "v3" };
    assert_eq!(bucket_head(garage, &archive), expected_head);
    let verdict = run(garage
        .quire(&archive)
        .args(["verify", "--warnings-as-errors"]));
    assert_eq!(verdict.code, Some(0), "{}", verdict.stdout);
}

/// The states a writer killed during the copy step can leave (which a bucket cannot avoid, as
/// it has no rename), made by hand with curl: each is completed or cleared by the next writer
/// or by `quire repair`, and the object ends valid for ocfl-py.
#[test]
fn commits_torn_during_the_copy_step_are_completed_or_cleared() {
    let Some((garage, dir)) = garage_and_scratch() else {
        return;
    };
    // The versions a writer would have copied in: made in a folder, with the same times.
    let folder = dir.path().join("folder");
    let second = second_version(dir.path());
    run(quire(&folder).arg("init")).ok();
    for version in [sample_issue(), second.clone()] {
        run(quire(&folder)
            .args(["ingest", "--created", CREATED])
            .arg(version))
        .ok();
    }
    let object = object_dir(&folder);
    let object_rel = relative_object_path(&folder);
    let put_version = |archive: &str, version: &str, with_inventory: bool| {
        let object_key = format!("{}/{object_rel}", key_prefix(archive));
        for (path, bytes) in tree(&object.join(version)) {
            if with_inventory || !path.starts_with("inventory.json") {
                garage.put(&format!("{object_key}/{version}/{path}"), &bytes);
            }
        }
    };

    // Part of v2's content is in, no inventory: not yet a version, but a folder the object
    // must not have. `repair` clears it; so does the next writer.
    let archive = garage.root_with_sample("torn-content");
    put_version(&archive, "v2", false);
    assert_eq!(bucket_head(garage, &archive), "v1");
    assert_eq!(run(garage.quire(&archive).arg("verify")).code, Some(1));
    let repair = run(garage.quire(&archive).arg("repair"));
    assert!(repair.stderr.contains("cleared v2"), "{}", repair.stderr);
    assert_bucket_valid(garage, &archive, dir.path(), &sample_issue());
    put_version(&archive, "v2", false);
    let third = with_article(dir.path(), "third", "Other.\n");
    run(garage.quire(&archive).arg("ingest").arg(&third)).ok();
    assert_bucket_valid(garage, &archive, dir.path(), &third);

    // All of v2 is in, the root inventory still says v1: `repair` completes it.
    let archive = garage.root_with_sample("torn-root");
    put_version(&archive, "v2", true);
    let repaired = run(garage.quire(&archive).arg("repair")).ok();
    assert!(repaired.is_empty(), "repair reports on stderr");
    assert_eq!(bucket_head(garage, &archive), "v2");
    assert_bucket_valid(garage, &archive, dir.path(), &second);

    // A new object whose v1 is in but whose root files are not: `repair ID` completes it,
    // declaration included.
    let archive = garage.url("torn-new");
    run(garage.quire(&archive).arg("init")).ok();
    put_version(&archive, "v1", true);
    let repair = run(garage.quire(&archive).args(["repair", ISSUE]));
    assert_eq!(repair.code, Some(0), "{}", repair.stderr);
    assert!(
        repair.stderr.contains("completed an interrupted commit"),
        "{}",
        repair.stderr
    );
    assert_bucket_valid(garage, &archive, dir.path(), &sample_issue());

    // Killed just before the declaration, a new object's last step: the next writer adds it.
    let archive = garage.root_with_sample("torn-declaration");
    let object_key = format!("{}/{object_rel}", key_prefix(&archive));
    garage.delete(&format!("{object_key}/0=ocfl_object_1.1"));
    run(garage.quire(&archive).arg("ingest").arg(&second)).ok();
    assert_bucket_valid(garage, &archive, dir.path(), &second);
}

/// An object another tool wrote, with zero-padded version names (`v001`), copied into a bucket
/// that holds only its first version: the copy adds `v002` under its own spelling.
#[test]
fn copy_extends_an_object_with_zero_padded_versions() {
    let Some((garage, dir)) = garage_and_scratch() else {
        return;
    };
    let source = dir.path().join("source");
    run(garage.quire(&source).args(["init", "--layout", "0002"])).ok();
    let object = fixtures().join("ocfl/1.0/warn/W001_zero_padded_version_names");
    copy_dir(&object, &source.join("urn:example:object-1"));

    // The bucket holds the object as it was at v001.
    let bucket = garage.url("padded");
    garage.copy_from_folder(&source, &bucket);
    let key = format!("{}/urn:example:object-1", key_prefix(&bucket));
    for path in tree(&object.join("v002")).keys() {
        garage.delete(&format!("{key}/v002/{path}"));
    }
    for name in ["inventory.json", "inventory.json.sha512"] {
        garage.put(
            &format!("{key}/{name}"),
            &fs::read(object.join("v001").join(name)).unwrap(),
        );
    }

    let copied = garage.copy_from_folder(&source, &bucket);
    assert!(copied.contains("v002  extended from v001"), "{copied}");
    let back = dir.path().join("back");
    garage.copy_to_folder(&bucket, &back);
    assert_eq!(tree(&back), tree(&source));
}

/// On a folder a version appears whole, so a version folder no inventory names is damage or
/// another tool's doing: quire neither removes it nor writes over it.
#[test]
fn an_unnamed_version_folder_on_a_folder_is_left_alone() {
    let (dir, archive) = sample_archive();
    let stray = object_dir(&archive).join("v2/content");
    fs::create_dir_all(&stray).unwrap();
    fs::write(stray.join("issue.toml"), "left by someone else\n").unwrap();
    let repair = run(quire(&archive).arg("repair"));
    assert!(
        repair.stderr.contains("nothing to repair"),
        "{}",
        repair.stderr
    );
    let refused = run(quire(&archive)
        .arg("ingest")
        .arg(second_version(dir.path())))
    .fails();
    assert!(refused.contains("v2: already exists"), "{refused}");
    assert!(stray.join("issue.toml").exists());
}

impl Garage {
    /// The four kinds of damage of `crate::repair::damage`, done with curl to the object at
    /// `object_key` in the bucket: a flipped byte, a deleted content file, a truncated root
    /// inventory, a missing sidecar. `folder_object` is a folder copy of the same object.
    fn damage(&self, object_key: &str, folder_object: &Path) {
        self.put_flipped(object_key, folder_object, "v1/content/issue.toml", 10);
        self.delete(&format!(
            "{object_key}/v2/content/articles/full-text-the-internet-in-china.md"
        ));
        let inventory = fs::read(folder_object.join("inventory.json")).unwrap();
        self.put(
            &format!("{object_key}/inventory.json"),
            &inventory[..inventory.len() / 2],
        );
        self.delete(&format!("{object_key}/v1/inventory.json.sha512"));
    }
}

#[test]
fn a_damaged_bucket_heals_from_a_folder_and_a_damaged_folder_from_a_bucket() {
    let Some((garage, dir)) = garage_and_scratch() else {
        return;
    };
    let (folder, bucket, object_key, [v1, v2]) = garage.two_version_copies(dir.path(), "heal");
    garage.damage(&object_key, &object_dir(&folder));
    assert_eq!(run(garage.quire(&bucket).arg("verify")).code, Some(1));

    // The bucket from the folder.
    let healed = run(garage
        .quire(&bucket)
        .args(["repair", "--json", "--from"])
        .arg(&folder));
    assert_eq!(healed.code, Some(0), "{}{}", healed.stdout, healed.stderr);
    let records = json_lines(&healed.stdout);
    assert_eq!(records.iter().filter(|r| r["type"] == "healed").count(), 4);
    run(garage.quire(&bucket).arg("verify")).ok();
    crate::repair::assert_checkouts(|| garage.quire(&bucket), dir.path(), &[&v1, &v2]);
    garage.assert_copies_back(&bucket, &dir.path().join("back"), &folder);

    // The folder from the bucket.
    let original = tree(&folder);
    crate::repair::damage(&object_dir(&folder));
    let healed = run(garage.quire(&folder).args(["repair", "--from", &bucket]));
    assert_eq!(healed.code, Some(0), "{}{}", healed.stdout, healed.stderr);
    assert_eq!(tree(&folder), original, "the healed folder differs");
    assert_ocfl_py_valid(&folder);
}

#[test]
fn a_bucket_replica_damaged_too_is_refused_naming_its_file() {
    let Some((garage, dir)) = garage_and_scratch() else {
        return;
    };
    let (folder, bucket, object_key, _) =
        garage.two_version_copies(dir.path(), "heal-both-damaged");
    let object = object_dir(&folder);
    let path = "v1/content/issue.toml";
    garage.put_flipped(&object_key, &object, path, 20);
    let bytes = flip_byte(&object.join(path), 10);
    let result = run(garage.quire(&folder).args(["repair", "--from", &bucket]));
    assert_eq!(result.code, Some(1), "{}{}", result.stdout, result.stderr);
    let replica_file = format!("{bucket}/{}/{path}", relative_object_path(&folder));
    let damaged_too = format!("the replica's copy {replica_file} is damaged too");
    line_with(&result.stdout, &["NOT healed", &damaged_too]);
    assert_eq!(fs::read(object.join(path)).unwrap(), bytes, "changed");
}

#[test]
fn a_repair_of_a_bucket_killed_midway_leaves_it_no_worse() {
    let Some((garage, dir)) = garage_and_scratch() else {
        return;
    };
    let large = large_issue(dir.path(), "large", 12, 2 << 20, 12);
    let folder = archive_of(dir.path(), &large);
    let (bucket, object_key) = garage.copy_of(&folder, "heal-killed");
    let damage_all = || {
        for n in 0..12 {
            let path = format!("v1/content/sources/scan-{n:03}.bin");
            garage.put_flipped(&object_key, &object_dir(&folder), &path, 1000);
        }
    };
    damage_all();
    let damaged = crate::repair::errors(garage.quire(&bucket));
    assert_eq!(damaged.len(), 12);
    let repair = || {
        let mut command = garage.quire(&bucket);
        command.args(["repair", "--from"]).arg(&folder);
        command
    };
    // Killed with the first replacement read aside, right after the first swap, and at a
    // spread of moments.
    let points = ["bucket-swap-staged", "bucket-swapped"];
    let quire = || garage.quire(&bucket);
    crate::repair::assert_kills_leave_no_worse(
        repair,
        quire,
        damage_all,
        &damaged,
        points,
        &[100, 300, 600],
    );
    run(&mut repair()).ok();
    let back = dir.path().join("back");
    garage.copy_to_folder(&bucket, &back);
    assert_eq!(tree(&back), tree(&folder));
}
