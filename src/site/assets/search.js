// The search page of quire's web edition: asks the pagefind index beside it, with the
// filters the page offers, and lists the articles found. Nothing else on the site needs
// JavaScript.
const status = document.getElementById("search-status");
const form = document.getElementById("search-form");
const results = document.getElementById("results");
const fields = ["q", "issue", "section", "year"].map((id) => document.getElementById(id));
const [query, issue, section, year] = fields;

// The search page is at <root>/search/... : the index is at <root>/pagefind/.
const root = new URL(document.querySelector('link[rel="stylesheet"]').href, location.href);
const indexUrl = new URL("pagefind/pagefind.js", root);

// Only text and <mark> survive from an excerpt.
function excerpt(html) {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  const paragraph = document.createElement("p");
  for (const node of parsed.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      paragraph.append(mark);
    } else {
      paragraph.append(node.textContent);
    }
  }
  return paragraph;
}

function item(data) {
  const li = document.createElement("li");
  const heading = document.createElement("h3");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  li.append(heading);
  // The issue and the section are filters, not searchable metadata: their words (the
  // publication's name) are every article's, and would find them all.
  const filter = (name) => (data.filters && data.filters[name] ? data.filters[name][0] : null);
  const where = [filter("issue"), filter("section"), data.meta.date].filter(Boolean).join(" · ");
  if (where) {
    const meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = where;
    li.append(meta);
  }
  li.append(excerpt(data.excerpt));
  return li;
}

async function run(pagefind) {
  const filters = {};
  if (issue.value) filters.issue = issue.value;
  if (section.value) filters.section = section.value;
  if (year.value) filters.year = year.value;
  const words = query.value.trim();
  if (!words && Object.keys(filters).length === 0) {
    results.replaceChildren();
    status.textContent = "Type words to find, or choose a filter.";
    return;
  }
  const params = new URLSearchParams();
  for (const field of fields) if (field.value) params.set(field.id, field.value);
  history.replaceState(null, "", "?" + params.toString());
  status.textContent = "Searching…";
  const search = await pagefind.search(words || null, { filters });
  const found = await Promise.all(search.results.slice(0, 50).map((r) => r.data()));
  results.replaceChildren(...found.map(item));
  const count = search.results.length;
  status.textContent = count === 1 ? "1 article found." : `${count} articles found.`;
}

async function start() {
  if (location.protocol === "file:") {
    status.textContent = "Search needs the site served by a web server (for example quire site --serve 127.0.0.1:8080); opened as files, it cannot load its index.";
    return;
  }
  let pagefind;
  try {
    pagefind = await import(indexUrl.href);
    await pagefind.options({ excerptLength: 24 });
    await pagefind.init();
  } catch (error) {
    status.textContent = "The search index could not be loaded: " + error;
    return;
  }
  const params = new URLSearchParams(location.search);
  for (const field of fields) if (params.has(field.id)) field.value = params.get(field.id);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(pagefind);
  });
  for (const select of [issue, section, year]) select.addEventListener("change", () => run(pagefind));
  status.textContent = "Type words to find, or choose a filter.";
  if (params.size > 0) await run(pagefind);
  document.body.dataset.searchReady = "true";
}

start();
