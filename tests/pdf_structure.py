#!/usr/bin/env python3
"""The tagged PDF's rules that pdfua does not check, read with pikepdf (installed with pdfua):
every painting operation of every page inside marked content that is either an artifact or
has an MCID; every glyph shown with a Unicode mapping (the font's ToUnicode); every MCID referred to by exactly one element of the structure tree, and the
parent tree saying the same; each element's text, in the tree's order (for the reading order
test); table header cells with a /Scope, a cell's /ColSpan and /RowSpan in a /Table attribute
dictionary, figures with /Alt, links with their annotation, every footnote's call (a Reference
holding a Link) linked to the top of its note's first line.

Usage: pdf_structure.py FILE.pdf; prints JSON: {"errors": [...], "text": "...", "counts": {...},
"lang": the catalog's /Lang, "langs": ["Type:lang" of each element with a /Lang],
"fonts": [the base fonts each page's text is set in], "trees": the depth of the parent tree, the
ID tree and the page tree (0: a root alone), "tables": per Table, its kids in order (a caption
as "Caption", each row as its cells, each cell as "TH Column 1x2": its type, scope or "-",
columns x rows spanned), "kinds": every element's type in the tree's order (depth first)}. Notes have unique /IDs in the /IDTree. The parent and ID trees are
read through their /Kids, each node's /Limits checked; no array of the file is longer than PDF
1.4 allows (8,191 elements), no dictionary larger (4,095 entries).
"""

MAX_ARRAY = 8191
MAX_DICTIONARY = 4095

import json
import re
import sys

import pikepdf

TEXT_OPS = {"Tj", "TJ", "'", '"'}
PAINT_OPS = TEXT_OPS | {"Do", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "BI"}


def to_unicode(font):
    """The font's ToUnicode map: code -> text (bfchar and bfrange entries)."""
    cmap = {}
    if "/ToUnicode" not in font:
        return cmap
    source = font.ToUnicode.read_bytes().decode("latin-1")
    hexes = lambda s: re.findall(r"<([0-9A-Fa-f]+)>", s)
    utf16 = lambda h: bytes.fromhex(h).decode("utf-16-be")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", source, re.S):
        pairs = hexes(block)
        for code, text in zip(pairs[::2], pairs[1::2]):
            cmap[int(code, 16)] = utf16(text)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", source, re.S):
        for line in block.strip().splitlines():
            parts = hexes(line)
            if len(parts) < 3:
                continue
            low, high = int(parts[0], 16), int(parts[1], 16)
            if "[" in line:
                for i, text in enumerate(parts[2:]):
                    cmap[low + i] = utf16(text)
            else:
                start = bytes.fromhex(parts[2]).decode("utf-16-be")
                for i in range(high - low + 1):
                    cmap[low + i] = start[:-1] + chr(ord(start[-1]) + i)
    return cmap


def decode(data, cmap):
    """Two-byte codes (the embedded Type0 fonts) to text; an unmapped code as U+FFFD."""
    return "".join(
        cmap.get(int.from_bytes(data[i : i + 2], "big"), "\ufffd")
        for i in range(0, len(data) - 1, 2)
    )


def shown(operator, operands, cmap):
    if operator == "TJ":
        return "".join(decode(bytes(o), cmap) for o in operands[0] if isinstance(o, pikepdf.String))
    return decode(bytes(operands[-1]), cmap)


def page_marks(page, number, errors, baselines):
    """The text of each MCID of a page, in content order; `baselines` gets the baseline of
    each MCID's first text, by (page index, MCID)."""
    fonts = page.Resources.get("/Font", {})
    cmaps = {name: to_unicode(font) for name, font in fonts.items()}
    stack, texts, cmap, last_y = [], {}, {}, None
    for op in pikepdf.parse_content_stream(page):
        operator = str(op.operator)
        if operator == "BDC":
            tag, props = str(op.operands[0]), op.operands[1]
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            stack.append((tag, None if mcid is None else int(mcid)))
            if mcid is not None and int(mcid) in texts:
                errors.append(f"page {number}: MCID {int(mcid)} marks two sequences")
            if mcid is not None:
                texts.setdefault(int(mcid), "")
        elif operator == "BMC":
            stack.append((str(op.operands[0]), None))
        elif operator == "EMC":
            if not stack:
                errors.append(f"page {number}: EMC without BDC")
            else:
                stack.pop()
        elif operator == "Tf":
            cmap = cmaps.get(str(op.operands[0]), {})
        elif operator == "Tm":
            y = float(op.operands[5])
            if last_y is not None and y != last_y and stack and stack[-1][1] is not None:
                mcid = stack[-1][1]
                text = texts[mcid]
                texts[mcid] = text[:-1] if text.endswith("-") else text + " "
            last_y = y
            if stack and stack[-1][1] is not None:
                baselines.setdefault((number - 1, stack[-1][1]), y)
        if operator not in PAINT_OPS:
            continue
        marked = [entry for entry in stack if entry[0] == "/Artifact" or entry[1] is not None]
        if not marked:
            errors.append(f"page {number}: {operator} outside an artifact or tagged content")
            continue
        tag, mcid = marked[-1]
        if operator not in TEXT_OPS:
            continue
        text = shown(operator, op.operands, cmap)
        if "\ufffd" in text:
            errors.append(f"page {number}: a glyph with no Unicode mapping in {text!r}")
        if tag != "/Artifact":
            texts[mcid] += text
    if stack:
        errors.append(f"page {number}: {len(stack)} marked-content sequences left open")
    return texts


def fonts_used(page):
    """The base fonts a page's text is set in (its Tf operators), sorted."""
    fonts = page.Resources.get("/Font", {})
    names = {
        str(fonts[str(op.operands[0])].BaseFont).lstrip("/")
        for op in pikepdf.parse_content_stream(page, "Tf")
    }
    return sorted(names)


def kids(element):
    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def walk(element, pages, visit, errors, counts):
    """Visits the tree's marked content in order: visit(page, mcid, element)."""
    kind = str(element.get("/S", ""))
    counts[kind] = counts.get(kind, 0) + 1
    counts.setdefault("kinds", []).append(kind.lstrip("/"))
    if "/Lang" in element:
        counts.setdefault("langs", []).append(f"{kind.lstrip('/')}:{element.Lang}")
    page = pages.get(element.Pg.objgen) if "/Pg" in element else None
    if kind == "/TH":
        scope = element.get("/A", {}).get("/Scope")
        if scope not in (pikepdf.Name.Column, pikepdf.Name.Row, pikepdf.Name.Both):
            errors.append("a TH without /Scope")
    if kind == "/Table":
        counts.setdefault("tables", []).append(table_layout(element, errors))
    if kind == "/Figure" and not str(element.get("/Alt", "")).strip():
        errors.append("a Figure without /Alt")
    if kind == "/Note":
        counts.setdefault("note_ids", []).append((bytes(element.get("/ID", b"")), element.objgen))
        counts.setdefault("note_starts", []).append(first_mark(element, pages, page))
    if kind == "/Reference":
        counts.setdefault("calls", []).append(call_target(element, pages))
    objr = False
    for kid in kids(element):
        if isinstance(kid, int):
            visit(page, int(kid), element)
        elif kid.get("/Type") == pikepdf.Name.MCR:
            visit(pages.get(kid.Pg.objgen, page), int(kid.MCID), element)
        elif kid.get("/Type") == pikepdf.Name.OBJR:
            objr = True
            if "/StructParent" not in kid.Obj:
                errors.append("an annotation without /StructParent")
            else:
                counts.setdefault("objrs", []).append((int(kid.Obj.StructParent), element.objgen))
        else:
            walk(kid, pages, visit, errors, counts)
    if kind == "/Link" and not objr:
        errors.append("a Link without its annotation")


def first_mark(element, pages, page):
    """(page index, MCID) of an element's first marked content, if it starts with one."""
    for kid in kids(element):
        if isinstance(kid, int):
            return (page, int(kid))
        if kid.get("/Type") == pikepdf.Name.MCR:
            return (pages.get(kid.Pg.objgen, page), int(kid.MCID))
        return None
    return None


def call_target(reference, pages):
    """Where the link of a Reference (a footnote's call) goes: (page index, top), or None."""
    for link in kids(reference):
        if not isinstance(link, pikepdf.Dictionary) or link.get("/S") != pikepdf.Name.Link:
            continue
        for kid in kids(link):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.OBJR:
                action = kid.Obj.get("/A", {})
                dest = action.get("/D") if action.get("/S") == pikepdf.Name.GoTo else None
                if dest is not None and len(dest) >= 4 and dest[1] == pikepdf.Name.XYZ:
                    return (pages.get(dest[0].objgen), float(dest[3]))
    return None


def check_calls(calls, starts, baselines, errors):
    """Every footnote's call (a Reference) links to the top of a note's first line."""
    lines = {(page, baselines.get((page, mcid))) for page, mcid in filter(None, starts)}
    for call in calls:
        if call is None:
            errors.append("a Reference without a Link to a place")
            continue
        page, top = call
        if not any(p == page and y is not None and 0 < top - y < 20 for p, y in lines):
            errors.append(f"a note's call links to page {page}, {top}, where no note starts")


def cell_layout(cell, errors):
    """A table cell as "TH Column 1x2": its type, its scope (or "-") and its spans."""
    attributes = cell.get("/A", {})
    spans = [int(attributes.get(key, 1)) for key in ("/ColSpan", "/RowSpan")]
    if spans != [1, 1] and attributes.get("/O") != pikepdf.Name.Table:
        errors.append("a cell's spans outside a /Table attribute dictionary")
    scope = str(attributes.get("/Scope", "/-")).lstrip("/")
    return f"{str(cell.S).lstrip('/')} {scope} {spans[0]}x{spans[1]}"


def table_layout(table, errors):
    """A Table's kids in order: "Caption", or a row as the layouts of its cells."""
    layout = []
    for kid in kids(table):
        if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
            errors.append("a Table holding content of its own")
        elif kid.S == pikepdf.Name.TR:
            layout.append([cell_layout(cell, errors) for cell in kids(kid)])
        elif kid.S in (pikepdf.Name.TBody, pikepdf.Name.NonStruct):
            # Rows grouped where a table has more than an array holds.
            layout.extend(table_layout(kid, errors))
        else:
            layout.append(str(kid.S).lstrip("/"))
    return layout


def check_note_ids(root, notes, errors):
    """PDF/UA-1 7.9: every Note has an /ID, unique, that the /IDTree finds."""
    ids = [note_id for note_id, _ in notes]
    if any(not note_id for note_id in ids):
        errors.append("a Note without /ID")
    if len(set(ids)) != len(ids):
        errors.append("two Notes with one /ID")
    if not notes:
        return
    pairs, _ = tree_entries(root.get("/IDTree", pikepdf.Dictionary()), "/Names", errors)
    tree = {bytes(key): value.objgen for key, value in pairs}
    if len(tree) != len(pairs) or list(tree) != sorted(tree):
        errors.append("the /IDTree's names are not in order")
    for note_id, objgen in notes:
        if tree.get(note_id) != objgen:
            errors.append(f"the /IDTree does not find Note {note_id!r}")


def tree_entries(node, key, errors, depth=0):
    """The (key, value) pairs of a number or name tree (`key`: /Nums or /Names) in order, and
    its depth; each kid's /Limits checked against the keys under it."""
    if "/Kids" not in node:
        items = node.get(key, [])
        return [(items[i], items[i + 1]) for i in range(0, len(items), 2)], depth
    pairs, depths = [], set()
    for kid in node.Kids:
        found, deepest = tree_entries(kid, key, errors, depth + 1)
        depths.add(deepest)
        limits = kid.get("/Limits")
        if limits is None or not found or (limits[0], limits[1]) != (found[0][0], found[-1][0]):
            errors.append(f"a {key} tree node whose /Limits are not its first and last keys")
        pairs += found
    if len(depths) > 1:
        errors.append(f"a {key} tree with leaves at depths {sorted(depths)}")
    return pairs, max(depths, default=depth)


def parent_tree(root, errors):
    pairs, depth = tree_entries(root.ParentTree, "/Nums", errors)
    keys = [int(key) for key, _ in pairs]
    if keys != sorted(set(keys)):
        errors.append("the parent tree's keys are not in order")
    return {int(key): value for key, value in pairs}, depth


def page_tree_depth(node, depth=0):
    kids = [kid for kid in node.get("/Kids", []) if kid.get("/Type") == pikepdf.Name.Pages]
    return max((page_tree_depth(kid, depth + 1) for kid in kids), default=depth)


def check_sizes(pdf, errors):
    """No array longer, no dictionary larger than PDF 1.4 allows (PDF/A-1 6.1.12)."""
    def visit(value):
        if isinstance(value, pikepdf.Array):
            if len(value) > MAX_ARRAY:
                errors.append(f"an array of {len(value)} elements")
            items = list(value)
        elif isinstance(value, (pikepdf.Dictionary, pikepdf.Stream)):
            if len(value.keys()) > MAX_DICTIONARY:
                errors.append(f"a dictionary of {len(value.keys())} entries")
            items = [value[k] for k in value.keys()]
        else:
            return
        for item in items:
            if isinstance(item, pikepdf.Object) and item.is_indirect:
                continue
            visit(item)

    for obj in pdf.objects:
        visit(obj)


def check(path):
    pdf = pikepdf.open(path)
    errors, counts, order = [], {}, []
    pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    baselines = {}
    marks = [page_marks(page, i + 1, errors, baselines) for i, page in enumerate(pdf.pages)]
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return {"errors": ["no /StructTreeRoot"], "text": "", "counts": {}}
    tree, parent_depth = parent_tree(root, errors)
    check_sizes(pdf, errors)
    seen = set()

    def visit(page, mcid, element):
        if page is None:
            errors.append(f"MCID {mcid} of an element with no page")
            return
        if (page, mcid) in seen:
            errors.append(f"page {page + 1}: MCID {mcid} in the tree twice")
        seen.add((page, mcid))
        if mcid not in marks[page]:
            errors.append(f"page {page + 1}: the tree names MCID {mcid}, which is not there")
            return
        parents = tree.get(int(pdf.pages[page].obj.get("/StructParents", -1)))
        if parents is None or mcid >= len(parents) or parents[mcid].objgen != element.objgen:
            errors.append(f"page {page + 1}: the parent tree does not name MCID {mcid}'s element")
        order.append(marks[page][mcid])

    for kid in kids(root):
        walk(kid, pages, visit, errors, counts)
    for page, texts in enumerate(marks):
        for mcid in texts:
            if (page, mcid) not in seen:
                errors.append(f"page {page + 1}: MCID {mcid} is in no element of the tree")
    for key, objgen in counts.pop("objrs", []):
        if key not in tree or tree[key].objgen != objgen:
            errors.append(f"the parent tree does not name the element of annotation {key}")
    check_note_ids(root, counts.pop("note_ids", []), errors)
    check_calls(counts.pop("calls", []), counts.pop("note_starts", []), baselines, errors)
    langs = counts.pop("langs", [])
    tables = counts.pop("tables", [])
    kinds = counts.pop("kinds", [])
    counts = {kind.lstrip("/"): n for kind, n in sorted(counts.items())}
    lang = str(pdf.Root.get("/Lang", ""))
    fonts = [fonts_used(page) for page in pdf.pages]
    return {
        "errors": errors,
        "text": "\n".join(order),
        "counts": counts,
        "lang": lang,
        "langs": langs,
        "fonts": fonts,
        "trees": {
            "parent": parent_depth,
            "id": tree_entries(root.get("/IDTree", pikepdf.Dictionary()), "/Names", [])[1],
            "pages": page_tree_depth(pdf.Root.Pages),
        },
        "tables": tables,
        "kinds": kinds,
    }


if __name__ == "__main__":
    print(json.dumps(check(sys.argv[1]), ensure_ascii=False))
