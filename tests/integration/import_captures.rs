//! `quire import-web` on captures written here for the case at hand: what the issue says of
//! its language, captures that share a file name, captures taken again, and dry runs that
//! report what the import would do.

use crate::export_epub::epub_entry;
use crate::support::*;
use std::fs;
use std::path::{Path, PathBuf};

/// An HTML capture of one article in `lang`, whose text says `detail`.
fn html_capture(title: &str, lang: &str, detail: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title} | Coastline Monthly</title>\n\
         <meta property=\"og:site_name\" content=\"Coastline Monthly\">\n</head>\n<body>\n\
         <nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>\n<article>\n<h1>{title}</h1>\n\
         <p class=\"byline\">By Ines Moreau</p>\n\
         <p>The harbour board met on Tuesday evening to settle the timetable for the summer, \
         and agreed after a long debate that {detail}.</p>\n\
         <p>Residents who spoke at the meeting asked for an earlier first crossing on weekdays, \
         so that workers on the island could reach the town before the shops open.</p>\n\
         </article>\n<footer>Copyright Coastline Monthly</footer>\n</body>\n</html>\n"
    )
}

/// A text capture of one article from a site that declares no language.
fn text_capture(title: &str, detail: &str) -> String {
    format!(
        "Island Times\nHome | News | Sport | Opinion\n\n{title}\nPosted: 12 March 2021\n\
         By Per Lund\n\nThe island's council said on Friday that {detail}, after a winter in \
         which the old arrangement had left many residents without a way to the mainland.\n\n\
         Volunteers will help to run the service until the summer, when the council expects \
         to have hired enough crew of its own to keep it going every day of the week.\n\n\
         Copyright 2021 Island Times Media Ltd\n"
    )
}

fn write(path: &Path, text: &str) -> PathBuf {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
    path.to_path_buf()
}

/// The ferries page at `path` in `dir`, saying how many crossings a day will run.
fn ferries(dir: &Path, path: &str, crossings: &str) -> PathBuf {
    let detail = format!("{crossings} crossings a day will run");
    write(
        &dir.join(path),
        &html_capture("Ferries Keep Their Summer Hours", "en-GB", &detail),
    )
}

fn import(archive: &Path, issue: &str, files: &[&Path]) -> String {
    let mut command = quire(archive);
    command.args(["import-web", "--issue", issue, "--publication", "Mixed"]);
    run(command.args(files)).ok()
}

fn issue_toml(archive: &Path, issue: &str) -> String {
    run(quire(archive).args(["cat", issue, "issue.toml"])).ok()
}

#[test]
fn a_capture_that_declares_no_language_leaves_the_issue_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let html = ferries(dir.path(), "coast/ferries.html", "six");
    let text = write(
        &dir.path().join("island/bus.txt"),
        &text_capture("The Island Bus Runs Again", "the bus will run again"),
    );
    import(&archive, "mix", &[&html, &text]);
    let toml = issue_toml(&archive, "mix");
    // The HTML article keeps its own language; neither the issue nor the text article is given it.
    assert_eq!(toml.matches("language = ").count(), 1, "{toml}");
    assert!(toml.contains("language = \"en-GB\""), "{toml}");
    let issue_table = toml.split("[[articles]]").next().unwrap();
    assert!(!issue_table.contains("language"), "{toml}");
    // The text article's EPUB page is not marked as British English.
    let epub = dir.path().join("mix.epub");
    run(quire(&archive)
        .args(["export", "epub", "mix", "-o"])
        .arg(&epub))
    .ok();
    let bus = epub_entry(&epub, "OEBPS/a-the-island-bus-runs-again.xhtml");
    assert!(!bus.contains("xml:lang=\"en-GB\""), "{bus}");

    // Every capture declaring the one language: the issue is in it.
    let other = write(
        &dir.path().join("coast/pier.html"),
        &html_capture("The Pier Reopens", "en-GB", "the pier will reopen in May"),
    );
    import(&archive, "coast", &[&html, &other]);
    let toml = issue_toml(&archive, "coast");
    let issue_table = toml.split("[[articles]]").next().unwrap();
    assert!(issue_table.contains("language = \"en-GB\""), "{toml}");
    // A capture that declares none, joining it later, is said to take the issue's.
    let result = run(quire(&archive)
        .args(["import-web", "--issue", "coast"])
        .arg(&text));
    assert!(
        result.stderr.contains("`The Island Bus Runs Again` declares no language: the issue's (en-GB) stands for it in every edition"),
        "{}",
        result.stderr
    );
    result.ok();
}

#[test]
fn a_slash_date_the_page_s_language_leaves_open_is_left_out_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let capture = |lang: &str| {
        let page = html_capture(
            "Pilot Boats Replaced",
            lang,
            "the pilot boats will be replaced",
        )
        .replace("By Ines Moreau", "By Ines Moreau | Published 03/04/2025");
        write(&dir.path().join(format!("{lang}/pilot.html")), &page)
    };
    let (articles, stderr) = dry_run_import(&[capture("en")]);
    assert!(articles[0].get("published").is_none(), "{:?}", articles[0]);
    assert!(
        stderr.contains("pilot.html: the date in `Published 03/04/2025` is left out: its numbers read as day or month first, and the page's language (en) does not say which"),
        "{stderr}"
    );
    // Where the language settles the order, the date is read and nothing is said.
    let (articles, stderr) = dry_run_import(&[capture("en-GB")]);
    assert_eq!(articles[0]["published"], "2025-04-03");
    assert!(!stderr.contains("left out"), "{stderr}");
}

#[test]
fn date_lines_with_a_label_of_several_words_a_weekday_or_both_dates_on_one_line_are_read_and_left_out_of_the_text(
) {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "en-GB",
            "First published on Mon 3 Mar 2025 07.15 GMT",
            Some("2025-03-03"),
            None,
        ),
        ("en", "Last updated March 4, 2025", None, Some("2025-03-04")),
        (
            "en",
            "Published March 3, 2025; updated March 4, 2025",
            Some("2025-03-03"),
            Some("2025-03-04"),
        ),
        (
            "fr",
            "Publié le 3 mars 2025, mis à jour le 4 mars 2025 à 10h00",
            Some("2025-03-03"),
            Some("2025-03-04"),
        ),
        (
            "fr",
            "Mis à jour le mardi 4 mars 2025",
            None,
            Some("2025-03-04"),
        ),
        (
            "es",
            "Última actualización: 4 de marzo de 2025",
            None,
            Some("2025-03-04"),
        ),
        (
            "de",
            "Zuletzt aktualisiert am Dienstag, 4. März 2025",
            None,
            Some("2025-03-04"),
        ),
    ];
    for (n, (lang, line, published, updated)) in cases.into_iter().enumerate() {
        let page = html_capture(
            "Ferries Keep Their Summer Hours",
            lang,
            "six crossings will run",
        )
        .replace(
            "By Ines Moreau</p>",
            &format!("By Ines Moreau</p>\n<p>{line}</p>"),
        );
        let capture = write(&dir.path().join(format!("{n}/ferries.html")), &page);
        let (articles, _) = dry_run_import(&[capture]);
        let article = &articles[0];
        assert_eq!(
            article["published"].as_str(),
            published,
            "{line}: {article}"
        );
        assert_eq!(article["updated"].as_str(), updated, "{line}: {article}");
        let body = article["body"].as_str().unwrap();
        assert!(body.starts_with("The harbour board met"), "{line}: {body}");
    }
}

#[test]
fn a_text_capture_s_title_is_found_past_trails_share_rows_staff_titles_labels_and_page_fields() {
    let dir = tempfile::tempdir().unwrap();
    let title = "Ferries keep their summer hours";
    let text = "The harbour board met on Tuesday evening to settle the summer timetable, and after a long debate agreed that six crossings a day will run from June.\n\n\
                Residents who spoke at the meeting asked for an earlier first crossing on weekdays, so that workers could reach the town before the shops open.\n";
    let chrome = "Island Daily\nHome | News | Business | Opinion | Life | Sports\n";
    // (head, authors, published, updated)
    type Dates<'a> = (Option<&'a str>, Option<&'a str>);
    let cases: [(String, Option<&str>, Dates); 7] = [
        (format!("Home / News / Transport\n{title}\nBy ZHOU LAN | Island Daily | Updated: 2024-05-28 07:12\n"), Some("ZHOU LAN"), (None, Some("2024-05-28"))),
        (format!("{title}\nBy ZHANG MING in Shanghai | Island Daily | Updated: 2024-06-05 09:30\nShare - WeChat\n"), Some("ZHANG MING"), (None, Some("2024-06-05"))),
        (format!("OPINION / COLUMNISTS\n{title}\nBy LIU XIN\nIsland Daily staff writer\nUpdated: 2024-05-18 07:45\n"), Some("LIU XIN"), (None, Some("2024-05-18"))),
        (format!("UPDATED: May 29, 2024\nWeb Exclusive\n{title}\n"), None, (None, Some("2024-05-29"))),
        (format!("{title}\nSource: Xinhua\nEditor: Liu Fang\n2024-06-05 18:41:07\n"), None, (Some("2024-06-05"), None)),
        (format!("{title}\n0 Comment(s)Print E-mail Island.example.cn, June 5, 2024\nAdjust font size:\n"), None, (Some("2024-06-05"), None)),
        (format!("(Island Daily Online) 15:26, June 05, 2024\n{title}\n"), None, (Some("2024-06-05"), None)),
    ];
    for (n, (head, authors, (published, updated))) in cases.iter().enumerate() {
        let capture = write(
            &dir.path().join(format!("{n}/page.txt")),
            &format!("{chrome}\n{head}\n{text}"),
        );
        let (articles, stderr) = dry_run_import(&[capture]);
        let article = &articles[0];
        assert_eq!(article["title"], title, "{head}\n{article}\n{stderr}");
        assert_eq!(
            article["authors"][0].as_str(),
            *authors,
            "{head}\n{article}"
        );
        assert_eq!(
            article["published"].as_str(),
            *published,
            "{head}\n{article}"
        );
        assert_eq!(article["updated"].as_str(), *updated, "{head}\n{article}");
        assert!(
            article["body"]
                .as_str()
                .unwrap()
                .starts_with("The harbour board met"),
            "{head}\n{article}"
        );
    }
}

#[test]
fn a_text_capture_s_byline_naming_the_paper_gives_no_author_and_a_paper_after_a_name_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let text = "The harbour board met on Tuesday evening to settle the summer timetable, and after a long debate agreed that six crossings a day will run from June.\n";
    for (byline, authors) in [
        ("By Island Daily", vec![]),
        ("By Wang Ying (Island Daily)", vec!["Wang Ying"]),
    ] {
        let page = format!("Island Daily\nHome | News | Business\n\nFerries keep their summer hours\n{byline}\nUpdated: 2024-06-05 09:30\n\n{text}");
        let capture = write(&dir.path().join(format!("{}.txt", authors.len())), &page);
        let (articles, _) = dry_run_import(&[capture]);
        let found: Vec<&str> = articles[0]["authors"]
            .as_array()
            .map_or(vec![], |a| a.iter().filter_map(|n| n.as_str()).collect());
        assert_eq!(found, authors, "{byline}");
    }
}

/// Page `n` of a three-page article as Beijing Review's web edition renders it as text, its
/// sign-off on the last page.
fn review_page(n: u32) -> String {
    let head = if n == 1 {
        "Grass and herders, ten years on\nBy Li Ming\n"
    } else {
        ""
    };
    let sign_off = if n == 3 {
        "\nCopyedited by Ann Keeper\nComments to liming@example.com\n"
    } else {
        ""
    };
    format!(
        "Beijing Weekly\nHome | China | World | Business | Opinion\nCurrent Issue\nRSS Feeds\n\
         UPDATED: June 3, 2024\nKeeping the Grasslands Green\n{head}\n\
         Page {n} tells how the herders of the county moved their flocks to summer pastures higher up the valley, and how the grass came back within three seasons.\n\n\
         On page {n} the scientists also weigh the grass of fixed squares each July, and the numbers tell each village how many animals its land can carry.\n\
         {sign_off}\n   Previous   1   2   3   Next   \n\nTop Story\nMost Popular\nCopyright Beijing Weekly All right reserved\n"
    )
}

#[test]
fn a_text_capture_s_sign_off_is_kept_and_its_page_bar_read_and_a_manifest_orders_unmarked_pages() {
    let dir = tempfile::tempdir().unwrap();
    let pages: Vec<PathBuf> = (1..=3)
        .map(|n| write(&dir.path().join(format!("grass-{n}.txt")), &review_page(n)))
        .collect();
    let (articles, _) = dry_run_import(&pages[2..]);
    let body = articles[0]["body"].as_str().unwrap();
    assert!(
        body.ends_with("Copyedited by Ann Keeper\\\nComments to liming@example.com\n"),
        "{body}"
    );
    assert_eq!(articles[0]["pages"]["listed"], serde_json::json!([1, 2, 3]));
    // Given loose, the pages cannot be ordered, and the error says how to order them.
    let archive = new_archive(dir.path());
    let import_grass = |args: &[&std::ffi::OsStr]| {
        let mut command = quire(&archive);
        command.args([
            "import-web",
            "--issue",
            "grass",
            "--publication",
            "Beijing Weekly",
        ]);
        run(command.args(args))
    };
    let loose: Vec<&std::ffi::OsStr> = pages.iter().map(|p| p.as_os_str()).collect();
    let refused = import_grass(&loose);
    assert_eq!(refused.code, Some(2), "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("give them in order in a manifest (`--manifest FILE`"),
        "{}",
        refused.stderr
    );
    // In a manifest's order they are pages 1 to 3, and no capture is said not to know its page.
    let manifest = write(
        &dir.path().join("grass.toml"),
        "[[article]]\npages = [\"grass-1.txt\", \"grass-2.txt\", \"grass-3.txt\"]\n",
    );
    let result = import_grass(&["--manifest".as_ref(), manifest.as_os_str()]);
    assert!(
        !result.stderr.contains("which page it holds is not known"),
        "{}",
        result.stderr
    );
    result.ok();
    let toml = issue_toml(&archive, "grass");
    assert_eq!(toml.matches("page = ").count(), 3, "{toml}");
}

#[test]
fn a_heading_and_a_sentence_two_articles_of_a_batch_share_stay_in_each_while_their_chrome_goes() {
    let dir = tempfile::tempdir().unwrap();
    let story = |n: u32| {
        format!(
            "Harbour Times\nHome | News | Business | Opinion\nBack to Top\n\nPort story number {n} draws crowds\nUpdated: 2024-06-0{n} 10:00\n\n\
             Story {n} opens with its own paragraph about the new cruise terminal and the crowds that came on the first weekend to see it.\n\n\
             Background\n\n\
             The project cost 2.1 billion yuan and took three years to build, and the harbour board paid for most of it.\n\n\
             Story {n} closes with its own paragraph on what the terminal means for the town's hotels and the ferries to the islands.\n\n\
             Back to Top\nCopyright Harbour Times. All rights reserved.\n"
        )
    };
    let captures: Vec<PathBuf> = (1..=2)
        .map(|n| write(&dir.path().join(format!("port-{n}.txt")), &story(n)))
        .collect();
    let (articles, _) = dry_run_import(&captures);
    for article in &articles {
        let body = article["body"].as_str().unwrap();
        assert_contains_all(
            body,
            &["## Background", "The project cost 2.1 billion yuan"],
        );
        assert_contains_none(body, &["Back to Top", "Copyright"]);
    }
}

#[test]
fn a_text_capture_s_tail_of_copyright_notices_social_pitches_and_dated_related_stories_is_no_text()
{
    let dir = tempfile::tempdir().unwrap();
    let head = "Harbour Times\nHome | News | Business | Opinion\n\nFerries keep their summer hours\nUpdated: 2024-06-05 09:30\n\n\
                The harbour board met on Tuesday evening to settle the summer timetable, and after a long debate agreed that six crossings a day will run from June.\n\n\
                Residents who spoke at the meeting asked for an earlier first crossing on weekdays, so that workers could reach the town before the shops open.\n\n";
    let tails = [
        "Back to Top Close\nCopyright © 2000-2024 HARBOURTIMES.com All rights reserved.\n",
        "Follow Harbour Times on Twitter and Facebook to join the conversation.\nPrint E-mail Bookmark and Share\n",
        "Print | E-mail | Comments | Post to Forum\n\nRelated Stories\nPier repairs finished 2024-05-28 09:12\nNew ferry ordered 2024-04-19 10:05\n\n\
         Today's Top News\nCopyright 2024 by harbourtimes.example. All rights reserved. None of this material may be used for any commercial or public use without the written permission of the publisher.\n",
    ];
    for (n, tail) in tails.iter().enumerate() {
        let capture = write(
            &dir.path().join(format!("{n}.txt")),
            &format!("{head}{tail}"),
        );
        let (articles, _) = dry_run_import(&[capture]);
        let body = articles[0]["body"].as_str().unwrap();
        assert!(body.ends_with("before the shops open.\n"), "{tail}\n{body}");
    }
}

#[test]
fn a_text_capture_s_bulleted_item_as_long_as_a_sentence_stays_in_its_list_under_its_lead_in_line() {
    let dir = tempfile::tempdir().unwrap();
    let page = "Harbour Times\nHome | News | Business | Opinion\n\nFerries keep their summer hours\nUpdated: 2024-06-05 09:30\n\n\
                The harbour board met on Tuesday evening to settle the summer timetable, and after a long debate agreed that six crossings a day will run from June.\n\n\
                Passengers are advised to:\n\n\
                - arrive at the pier fifteen minutes early;\n\
                - keep bicycles on the lower deck;\n\
                - buy a return ticket before boarding, since the island office closes at six in the evening.\n\n\
                Residents who spoke at the meeting asked for an earlier first crossing on weekdays, so that workers could reach the town before the shops open.\n";
    let capture = write(&dir.path().join("list.txt"), page);
    let (articles, _) = dry_run_import(&[capture]);
    let body = articles[0]["body"].as_str().unwrap();
    assert!(
        body.contains("\n\nPassengers are advised to:\n\n- arrive at the pier fifteen minutes early;\n- keep bicycles on the lower deck;\n- buy a return ticket before boarding, since the island office closes at six in the evening.\n\n"),
        "{body}"
    );
}

#[test]
fn a_new_issue_takes_the_printed_issue_s_number_and_cover_date_its_captures_all_name() {
    let dir = tempfile::tempdir().unwrap();
    let capture = |name: &str, number: u32, title: &str| {
        let page = format!(
            "Beijing Weekly\nHome | China | World | Business\nCurrent Issue\n\n\
             UPDATED: April 22, 2024 NO. {number} APRIL 25, 2024\n{title}\nBy Li Ming\n\n\
             The story of `{title}` begins on Tuesday evening, when the harbour board met to settle the summer timetable and the crossings.\n\n\
             Copyright Beijing Weekly All right reserved\n"
        );
        write(&dir.path().join(name), &page)
    };
    let (one, two) = (
        capture("a.txt", 17, "Ferries keep their hours"),
        capture("b.txt", 17, "The pier reopens"),
    );
    let archive = new_archive(dir.path());
    import(&archive, "no17", &[&one, &two]);
    let toml = issue_toml(&archive, "no17");
    let issue_table = toml.split("[[articles]]").next().unwrap();
    assert_contains_all(issue_table, &["number = 17", "date = \"2024-04-25\""]);
    // Captures naming different issues leave the issue's number and date unsaid.
    let other = capture("c.txt", 18, "Another story");
    import(&archive, "mixed", &[&one, &other]);
    let toml = issue_toml(&archive, "mixed");
    let issue_table = toml.split("[[articles]]").next().unwrap();
    assert_contains_none(issue_table, &["number", "date"]);
}

#[test]
fn ordinary_text_captures_keep_their_title_date_and_text_past_the_rules_for_sites_chrome() {
    let dir = tempfile::tempdir().unwrap();
    let prose = |n: u32| {
        format!("Paragraph {n} of the article goes on for long enough to read as a line of prose, with words of its own and no navigation in it at all.")
    };
    let (p1, p2, p3) = (prose(1), prose(2), prose(3));
    // (capture, title, published, a text the body keeps)
    let cases = [
        (format!("Harbour Review\nLetters\n\nWhy the ferry matters\n{p1}\n\n{p2}\n\nMargaret Oduya, June 3, 2024\n"), "Why the ferry matters", None, "Paragraph 2"),
        (format!("Riverside Courier\nMarlow, Wednesday, June 12, 2024\nNews | Sport | Opinion | Business | Weather\n\nCouncil approves new footbridge\nJune 3, 2024\nBy Maria Jensen\n\n{p1}\n\n{p2}\n"), "Council approves new footbridge", Some("2024-06-03"), "Paragraph 2"),
        (format!("Harbour Review\n\nCourt rules on photo reuse\nPublished: June 5, 2024\n\n{p1}\n\nCopyright lawyers said the ruling would change how newspapers license their archives for years to come.\n\n{p3}\n"), "Court rules on photo reuse", Some("2024-06-05"), "Paragraph 3"),
        (format!("Harbour Review\n\nGrants open for gardens\nPublished: June 5, 2024\n\n{p1}\n\nKey dates\nApplications open 2024-06-10\nApplications close 2024-07-31\n\n{p2}\n\n{p3}\n"), "Grants open for gardens", Some("2024-06-05"), "Paragraph 3"),
        (format!("Harbour Review\n\nPublished: June 5, 2024\nLevee Diaries\nThree nights on the embankment with the volunteers who held it\n\n{p1}\n"), "Levee Diaries", Some("2024-06-05"), "Paragraph 1"),
        (format!("Harbour Review\n\nPublished: June 5, 2024\nSource: a spring that feeds three rivers\n\n{p1}\n"), "Source: a spring that feeds three rivers", Some("2024-06-05"), "Paragraph 1"),
        (format!("Harbour Review\n\nPoem of the week: Low Tide\nPublished: June 5, 2024\n\n{p1}\n\nThe mud shines.  The gulls argue.\nThe boats lie down.  The town sleeps.\nThe sea comes back.  Nobody minds.\n\n{p2}\n"), "Poem of the week: Low Tide", Some("2024-06-05"), "The mud shines.  The gulls argue.\\\nThe boats lie down."),
    ];
    for (n, (page, title, published, kept)) in cases.iter().enumerate() {
        let capture = write(&dir.path().join(format!("{n}.txt")), page);
        let (articles, stderr) = dry_run_import(&[capture]);
        let article = &articles[0];
        assert_eq!(article["title"], *title, "{page}\n{article}\n{stderr}");
        assert_eq!(
            article["published"].as_str(),
            *published,
            "{page}\n{article}"
        );
        let body = article["body"].as_str().unwrap();
        assert!(body.contains(kept), "{page}\n{body}");
        assert!(!body.contains("|---"), "{body}");
    }
}

/// The files of the issue's head version.
fn head_files(dir: &Path, archive: &Path, issue: &str) -> Vec<String> {
    let folder = dir.join(format!("{issue}-head"));
    run(quire(archive).args(["checkout", issue]).arg(&folder)).ok();
    let files = paths(&folder);
    fs::remove_dir_all(&folder).unwrap();
    files
}

fn cat(archive: &Path, issue: &str, path: &str) -> Vec<u8> {
    let output = quire(archive).args(["cat", issue, path]).output().unwrap();
    assert!(output.status.success(), "{issue} {path}");
    output.stdout
}

#[test]
fn a_capture_of_another_page_under_a_name_the_issue_keeps_is_kept_apart_by_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let lighthouse = write(
        &dir.path().join("site/lighthouse/index.txt"),
        &text_capture("The Lighthouse Keeper Retires", "the keeper will retire"),
    );
    let ferry = write(
        &dir.path().join("site/ferry/index.txt"),
        &text_capture("The Night Ferry Returns", "the night ferry will return"),
    );
    import(&archive, "two", &[&lighthouse]);
    import(&archive, "two", &[&ferry]);
    let toml = issue_toml(&archive, "two");
    assert_contains_all(
        &toml,
        &[
            "id = \"the-lighthouse-keeper-retires\"",
            "file = \"sources/index.txt\"",
            "id = \"the-night-ferry-returns\"",
            "file = \"sources/ferry/index.txt\"",
        ],
    );
    assert_eq!(
        cat(&archive, "two", "sources/index.txt"),
        fs::read(&lighthouse).unwrap()
    );
    assert_eq!(
        cat(&archive, "two", "sources/ferry/index.txt"),
        fs::read(&ferry).unwrap()
    );
    // Each imported again, as it is: nothing changes.
    for capture in [&lighthouse, &ferry] {
        let mut command = quire(&archive);
        command.args(["import-web", "--issue", "two", "--json"]);
        let records = json_lines(&run(command.arg(capture)).ok());
        assert_eq!(
            records.last().unwrap()["data"]["committed"],
            false,
            "{capture:?}"
        );
    }
    assert_ocfl_py_valid(&archive);
}

#[test]
fn a_page_captured_again_replaces_its_capture_under_the_same_name_or_another() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let first = ferries(dir.path(), "crawl1/ferries.html", "six");
    let again = ferries(dir.path(), "crawl2/ferries.html", "seven");
    import(&archive, "h", &[&first]);
    import(&archive, "h", &[&again]);
    let toml = issue_toml(&archive, "h");
    assert_eq!(toml.matches("[[articles]]").count(), 1, "{toml}");
    assert_eq!(
        cat(&archive, "h", "sources/ferries.html"),
        fs::read(&again).unwrap()
    );
    let body = String::from_utf8(cat(
        &archive,
        "h",
        "articles/ferries-keep-their-summer-hours.md",
    ))
    .unwrap();
    assert!(body.contains("seven crossings"), "{body}");
    // The earlier version keeps the first capture.
    assert_eq!(
        cat(&archive, "h@v1", "sources/ferries.html"),
        fs::read(&first).unwrap()
    );

    // Saved under another name, it replaces the article's capture: no capture is left that
    // nothing names.
    let renamed = ferries(dir.path(), "crawl3/ferries-2.html", "eight");
    import(&archive, "h", &[&renamed]);
    let toml = issue_toml(&archive, "h");
    assert_eq!(toml.matches("[[articles]]").count(), 1, "{toml}");
    assert!(toml.contains("file = \"sources/ferries-2.html\""), "{toml}");
    let sources: Vec<String> = head_files(dir.path(), &archive, "h")
        .into_iter()
        .filter(|f| f.starts_with("sources/"))
        .collect();
    assert_eq!(sources, ["sources/ferries-2.html"]);
    assert_ocfl_py_valid(&archive);
}

/// An import replaces an article whole: a capture of one page of a multi-page article the
/// issue keeps would drop its other pages, so it is refused, naming them, and nothing is
/// written; with every page it updates the article.
#[test]
fn a_capture_of_one_page_of_a_kept_multi_page_article_is_refused_unless_all_its_pages_come() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let page = |n: u32| crate::import_fidelity::structure(&format!("long-road-{n}.html"));
    import(&archive, "n", &[&page(1), &page(2)]);
    let alone = run(quire(&archive)
        .args(["import-web", "--issue", "n"])
        .arg(page(3)));
    assert_eq!(alone.code, Some(2), "{}", alone.stderr);
    assert_contains_all(
        &alone.stderr,
        &[
            "long-road-3.html: is a capture of `the-long-road-north`, which the issue keeps from 2 captures",
            "would lose page 1 (sources/long-road-1.html), page 2 (sources/long-road-2.html)",
            "nothing was written",
        ],
    );
    assert!(run(quire(&archive).args(["show", "n@v2"])).code != Some(0));
    import(&archive, "n", &[&page(1), &page(2), &page(3)]);
    let body = String::from_utf8(cat(&archive, "n", "articles/the-long-road-north.md")).unwrap();
    // A "view all" capture, whose text holds the three pages', replaces them; a page alone
    // cannot then replace it.
    let whole = dir.path().join("long-road-all.html");
    let paragraphs: Vec<String> = (1..=3)
        .map(|n| {
            let page = fs::read_to_string(page(n)).unwrap();
            let start = page.find("<div class=\"body\">").unwrap() + "<div class=\"body\">".len();
            let end = start + page[start..].find("</div>").unwrap();
            page[start..end].to_string()
        })
        .collect();
    let first = fs::read_to_string(page(1)).unwrap();
    let head = &first[..first.find("<div class=\"body\">").unwrap()];
    fs::write(
        &whole,
        format!(
            "{head}<div class=\"body\">{}</div></article></body></html>",
            paragraphs.join("")
        ),
    )
    .unwrap();
    import(&archive, "n", &[&whole]);
    let second = run(quire(&archive)
        .args(["import-web", "--issue", "n"])
        .arg(page(2)));
    assert_eq!(second.code, Some(2), "{}", second.stderr);
    assert!(
        second
            .stderr
            .contains("would lose sources/long-road-all.html"),
        "{}",
        second.stderr
    );
    assert_contains_all(
        &body,
        &[
            "<!-- page 1: sources/long-road-1.html -->",
            "<!-- page 2: sources/long-road-2.html -->",
            "<!-- page 3: sources/long-road-3.html -->",
        ],
    );
}

#[test]
fn a_dry_run_reports_the_articles_order_warnings_and_version_of_the_real_import() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let pages = [
        ("harbour-view.html", "The Harbour Board Is Wrong"),
        ("ferry-news.html", "Ferries Keep Their Summer Hours"),
        ("pier-view.html", "Why the Pier Should Stay Open"),
    ];
    for (file, title) in pages {
        write(
            &dir.path().join(file),
            &html_capture(title, "en-GB", "the matter will be settled"),
        );
    }
    let manifest = write(
        &dir.path().join("manifest.toml"),
        "[[article]]\ncapture = \"harbour-view.html\"\nsection = \"Opinion\"\n\n\
         [[article]]\ncapture = \"ferry-news.html\"\nsection = \"News\"\n\n\
         [[article]]\ncapture = \"pier-view.html\"\nsection = \"Opinion\"\n",
    );
    let import = |dry_run: bool| {
        let mut command = quire(&archive);
        command.args(["import-web", "--issue", "x", "--json", "--manifest"]);
        command.arg(&manifest);
        if dry_run {
            command.arg("--dry-run");
        }
        let result = run(&mut command);
        let stderr = result.stderr.clone();
        (json_lines(&result.ok()), stderr)
    };
    let (mut planned, planned_stderr) = import(true);
    let (mut done, done_stderr) = import(false);
    assert_eq!(planned_stderr, done_stderr);
    assert!(
        planned_stderr.contains("article `why-the-pier-should-stay-open` placed after the last article in section `Opinion`"),
        "{planned_stderr}"
    );
    let (plan, made) = (planned.pop().unwrap(), done.pop().unwrap());
    // The same articles, in the order the issue has them, their captures named as stored.
    assert_eq!(planned, done);
    let ids: Vec<&str> = planned
        .iter()
        .map(|r| r["data"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "the-harbour-board-is-wrong",
            "why-the-pier-should-stay-open",
            "ferries-keep-their-summer-hours"
        ]
    );
    assert_eq!(
        planned[0]["data"]["sources"][0]["file"],
        "sources/harbour-view.html"
    );
    assert!(issue_toml(&archive, "x").contains("file = \"sources/harbour-view.html\""));
    // The version it would make is the one made.
    assert_eq!(
        (plan["type"].as_str(), made["type"].as_str()),
        (Some("import"), Some("import"))
    );
    assert_eq!(plan["data"]["dry_run"], true);
    assert_eq!(plan["data"]["version"], "v1");
    // A dry run commits nothing, as `ingest --dry-run` says; its changes say what it would.
    assert_eq!(plan["data"]["committed"], false);
    assert_eq!(made["data"]["committed"], true);
    assert_eq!(made["data"]["version"], "v1");
    assert_eq!(plan["data"]["changes"], made["data"]["changes"]);
    // Nothing left to do: the dry run says the issue would not change.
    let (mut again, _) = import(true);
    let plan = again.pop().unwrap();
    assert_eq!(plan["data"]["committed"], false, "{plan}");
    assert_eq!(plan["data"]["version"], "v1", "{plan}");
    assert_eq!(
        plan["data"]["changes"],
        serde_json::json!({"added": [], "changed": [], "removed": []}),
        "{plan}"
    );
}

#[test]
fn an_address_prefix_without_a_warc_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let page = ferries(dir.path(), "ferries.html", "six");
    let stderr = run(quire(&archive)
        .args([
            "import-web",
            "--issue",
            "x",
            "--url-prefix",
            "https://example.org/2024/",
        ])
        .arg(&page))
    .fails();
    assert!(
        stderr.contains("--url-prefix https://example.org/2024/ chooses the pages of WARC files, and no WARC file is given"),
        "{stderr}"
    );
    // Nothing was stored.
    run(quire(&archive).args(["show", "x"])).fails();
}

#[test]
fn captures_that_cannot_be_stitched_are_named_by_the_paths_given() {
    let dir = tempfile::tempdir().unwrap();
    let archive = new_archive(dir.path());
    let captures: Vec<PathBuf> = ["x", "y"]
        .iter()
        .map(|folder| {
            write(
                &dir.path().join(format!("dup/{folder}/p.html")),
                &html_capture(
                    "The Pier Reopens",
                    "en-GB",
                    &format!("section {folder} will open"),
                ),
            )
        })
        .collect();
    let mut command = quire(&archive);
    command.args(["import-web", "--issue", "x", "--dry-run"]);
    let stderr = run(command.args(&captures)).fails();
    let given = captures[0].display().to_string();
    assert!(
        stderr.contains(&format!(
            "{given}: is one of 2 captures of `The Pier Reopens`"
        )),
        "{stderr}"
    );
}
