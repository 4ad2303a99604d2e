"""Checks quire's web edition in a real browser: Debian's Chromium driven by Playwright
(no browser download), against a site served on 127.0.0.1 by `quire site --serve`.

Run by tests/integration/site.rs, which builds the test archive and its site:

    python3 tests/site_browser.py --url http://127.0.0.1:PORT/ --site DIR --axe axe.min.js \
        --pdf spring.pdf --word zephyrine [--screenshots DIR]

It walks to an article through Current Issue, Previous Issues and a section page; moves
through a three-page article with the page bar; searches for a word one article holds and
narrows a search by section; compares the PDF Edition link's bytes with `quire export pdf`'s;
reads the RSS link; sees no bullet in the footer; runs axe-core on the home, issue, article,
section and search pages; and checks that the search page, opened as a file, says it needs a
server. With `--inert PATH...` it only opens those paths (pages, SVG files) and clicks their
links, checking that no dialog opens and no script runs. Every failure is
collected and printed; the exit code is 1 if there is any.
"""

import argparse
import json
import pathlib
import sys

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

failures = []
# Requests sent and not yet answered, for the messages of a search that does not finish.
pending = {}


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def heading(page):
    return page.locator("h1").first.inner_text().strip()


def walk_current_issue(page, url):
    page.goto(url)
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Current Issue").click()
    page.locator("#current-issue a").click()
    check(heading(page) == "Test Quarterly: Spring Issue", f"current issue page: {heading(page)}")
    page.locator(".toc a").first.click()
    check(heading(page).startswith("Article 0:"), f"article via Current Issue: {heading(page)}")


def walk_previous_issues(page, url):
    page.goto(url)
    page.get_by_role("link", name="Previous Issues").click()
    check(heading(page) == "Previous Issues", f"Previous Issues: {heading(page)}")
    page.get_by_role("link", name="Test Quarterly: Autumn Issue").first.click()
    page.get_by_role("link", name="Article 3: Čapek and the Ωmega of Σύνταξη").click()
    check(heading(page).startswith("Article 3:"), f"article via Previous Issues: {heading(page)}")
    bar = page.get_by_role("navigation", name="Pages of the article")
    seen = [page.locator("article p", has_text="This is the text of page").first.inner_text()]
    for step in ["Next", "Next", "Previous"]:
        bar.get_by_role("link", name=step).click()
        bar = page.get_by_role("navigation", name="Pages of the article")
        seen.append(page.locator("article p", has_text="This is the text of page").first.inner_text())
    pages = [text.split("page ")[1][0] for text in seen]
    check(pages == ["1", "2", "3", "2"], f"the page bar moves 1, 2, 3, back to 2: {pages}")
    current = bar.locator("[aria-current=page]").inner_text()
    check(current == "2", f"the page bar marks page 2: {current}")


def walk_section(page, url):
    page.goto(url)
    page.get_by_role("link", name="Sections").click()
    page.get_by_role("link", name="Section 1").click()
    check(heading(page) == "Section 1", f"section page: {heading(page)}")
    issues = page.locator("main h2").all_inner_texts()
    check(issues[:2] == ["Test Quarterly: Spring Issue", "Test Quarterly: Autumn Issue"],
          f"the section across issues, newest first: {issues}")
    page.locator(".toc a").first.click()
    check(heading(page).startswith("Article 2:"), f"article via its section: {heading(page)}")


def status(page):
    return page.locator("#search-status").inner_text()


def search(page, url, words, section=""):
    page.goto(url + "search/index.html")
    try:
        page.wait_for_function("document.body.dataset.searchReady === 'true'", timeout=20000)
    except Exception:
        raise AssertionError(f"the search page is not ready: {status(page)}")
    page.fill("#q", words)
    if section:
        page.select_option("#section", section)
    page.get_by_role("button", name="Search").click()
    try:
        page.wait_for_function(
            "document.getElementById('search-status').textContent.includes('found')",
            timeout=20000)
    except Exception:
        raise AssertionError(
            f"searching {words!r} finds nothing: {status(page)} (waiting for {list(pending)})")
    return [
        (item.locator("a").first.get_attribute("href"), item.inner_text())
        for item in page.locator("#results > li").all()
    ]


def check_search(page, url, word):
    found = search(page, url, word)
    check(len(found) == 1 and found[0][0].endswith("issues/spring-2024/a1/index.html"),
          f"searching {word} finds the one article that holds it: {found}")
    everything = search(page, url, "archive")
    narrowed = search(page, url, "archive", section="Section 1")
    check(0 < len(narrowed) < len(everything),
          f"a section filter narrows a search: {len(everything)} then {len(narrowed)}")
    check(all("Section 1" in text for _, text in narrowed),
          f"every result of the filtered search is in Section 1: {narrowed}")
    check(all("Test Quarterly" in text for _, text in narrowed),
          f"every result names its issue: {narrowed}")
    # The publication's name stands in every article's issue, not in its text: it finds none.
    check(search(page, url, "Quarterly") == [],
          "searching the publication's name finds no article by its issue's name")


def check_links(page, url, pdf):
    page.goto(url + "issues/spring-2024/index.html")
    href = page.get_by_role("link", name="PDF Edition").get_attribute("href")
    response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + href)
    check(response.ok and response.body() == pdf.read_bytes(),
          "the PDF Edition link gives the bytes quire export pdf makes")
    href = page.get_by_role("link", name="RSS Feeds").get_attribute("href")
    response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + href)
    body = response.text()
    check(response.ok and "<rss version=\"2.0\">" in body and "Spring Issue" in body,
          f"the RSS link gives the feed: {body[:200]}")
    markers = page.evaluate(
        "[...document.querySelectorAll('footer li')].map(li => getComputedStyle(li).listStyleType)")
    check(markers and all(m == "none" for m in markers),
          f"the footer's links are set side by side with no bullet between them: {markers}")


AXE_PAGES = [
    "index.html",
    "issues/index.html",
    "issues/spring-2024/index.html",
    "issues/spring-2024/a0/index.html",
    "issues/autumn-2023/a3/2/index.html",
    "sections/section-0/index.html",
    "search/index.html",
]


def check_axe(page, url, axe):
    # Every page in the light scheme, and the dark scheme's colours on a few.
    runs = [("light", path) for path in AXE_PAGES] + [
        ("dark", path) for path in AXE_PAGES[:4]
    ]
    for scheme, path in runs:
        page.emulate_media(color_scheme=scheme)
        page.goto(url + path)
        page.add_script_tag(path=str(axe))
        result = page.evaluate("axe.run()")
        check(len(result["passes"]) > 10, f"axe-core ran on {path} ({scheme})")
        violations = [
            {"id": v["id"], "nodes": [n["html"][:120] for n in v["nodes"][:3]]}
            for v in result["violations"]
        ]
        check(not violations,
              f"axe-core on {path} ({scheme}): {json.dumps(violations, ensure_ascii=False)}")
    page.emulate_media(color_scheme="light")


def check_picture_backing(page, url):
    # In the dark scheme a picture drawn on transparency keeps a light ground under it.
    page.emulate_media(color_scheme="dark")
    grounds = []
    for path in AXE_PAGES[:4]:
        page.goto(url + path)
        grounds += page.evaluate(
            "[...document.querySelectorAll('article.body img, figure img, .card img')]"
            ".map(img => getComputedStyle(img).backgroundColor)")
    page.emulate_media(color_scheme="light")
    check(grounds and all(g == "rgb(244, 244, 244)" for g in grounds),
          f"pictures in the dark scheme stand on a light ground: {grounds}")


def check_unsectioned_set_apart(page, url):
    # Articles outside any section after a section's are set apart by a rule, not read as
    # the section's.
    page.goto(url + "issues/spring-2024/index.html")
    rule = page.evaluate(
        "(() => { const list = document.querySelector('ul.toc + ul.unsectioned');"
        " return list ? getComputedStyle(list).borderTopWidth : null; })()")
    check(rule not in (None, "0px"), f"unsectioned articles set apart by a rule: {rule}")


def check_file_search(browser, site):
    # A page opened as a file may not load modules: the page's own words say what to do.
    page = browser.new_page()
    page.goto((site / "search" / "index.html").as_uri())
    page.wait_for_timeout(500)
    text = status(page)
    check("web server" in text, f"the search page opened as a file says it needs a server: {text}")
    page.close()


def check_inert(browser, url, paths):
    """Opens each page or file of the site (an SVG on its own too) and clicks its links: no
    dialog may open, and no script may run (the test SVG's script writes SCRIPT RAN)."""
    for path in paths:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        response = page.goto(url + path)
        check(response is not None and response.ok, f"{path}: not served")
        page.wait_for_timeout(300)
        for text in ["click me"]:
            found = page.get_by_text(text)
            if found.count():
                found.first.click()
                page.wait_for_timeout(300)
        check(not dialogs, f"{path}: dialogs opened: {dialogs}")
        check("SCRIPT RAN" not in page.content(), f"{path}: a script ran")
        page.close()


def screenshots(browser, url, folder):
    folder.mkdir(parents=True, exist_ok=True)
    for name, width, height in [("desktop", 1280, 900), ("phone", 390, 844)]:
        page = browser.new_page(viewport={"width": width, "height": height})
        for shot, path in [("home", "index.html"), ("article", "issues/spring-2024/a0/index.html")]:
            page.goto(url + path)
            page.screenshot(path=str(folder / f"site-{shot}-{name}.png"))
        page.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    # Only opens these paths, checking that nothing in them runs (see check_inert).
    parser.add_argument("--inert", nargs="+")
    parser.add_argument("--site", type=pathlib.Path)
    parser.add_argument("--axe", type=pathlib.Path)
    parser.add_argument("--pdf", type=pathlib.Path)
    parser.add_argument("--word")
    parser.add_argument("--screenshots", type=pathlib.Path)
    args = parser.parse_args()
    url = args.url if args.url.endswith("/") else args.url + "/"
    if not args.inert and None in (args.site, args.axe, args.pdf, args.word):
        parser.error("--site, --axe, --pdf and --word are needed without --inert")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        if args.inert:
            check_inert(browser, url, args.inert)
            browser.close()
            return report()
        page = browser.new_page()
        page.on("request", lambda request: pending.update({request.url: True}))
        page.on("requestfinished", lambda request: pending.pop(request.url, None))
        page.on("requestfailed", lambda request: pending.pop(request.url, None))
        page.on("pageerror", lambda error: failures.append(f"script error on {page.url}: {error}"))
        page.on("console", lambda message: message.type == "error"
                and failures.append(f"console error on {page.url}: {message.text}"))
        for step in [
            lambda: walk_current_issue(page, url),
            lambda: walk_previous_issues(page, url),
            lambda: walk_section(page, url),
            lambda: check_search(page, url, args.word),
            lambda: check_links(page, url, args.pdf),
            lambda: check_axe(page, url, args.axe),
            lambda: check_picture_backing(page, url),
            lambda: check_unsectioned_set_apart(page, url),
            lambda: check_file_search(browser, args.site),
        ]:
            try:
                step()
            except Exception as error:  # a step that cannot go on is one failure
                failures.append(f"{type(error).__name__}: {error}")
        if args.screenshots:
            screenshots(browser, url, args.screenshots)
        browser.close()
    return report()


def report():
    for failure in failures:
        print("FAIL:", failure)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
