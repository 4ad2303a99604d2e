//! The arrays that grow with an edition, kept within the limits of PDF 1.4 that PDF/A-1 holds
//! a file to (ISO 19005-1 6.1.12; PDF Reference 1.4, Appendix C: no array of more than 8,191
//! elements). A long issue has thousands of pages and links: the parent tree and the ID tree
//! are written as balanced number and name trees (a small one stays a single root with its
//! `/Nums` or `/Names`), the page tree as balanced `/Pages` nodes, and a CIDFont's `/W`
//! widths (one run over the whole subset as printpdf writes it) in runs of bounded length.

use lopdf::{dictionary, Document, Object, ObjectId};

/// PDF 1.4's largest array (Appendix C).
pub const MAX_ARRAY: usize = 8191;

/// The most entries of a tree's leaf and the most kids of any of its nodes (the page tree's
/// too): far under the limit, and few enough for a reader's search through a node.
pub const FANOUT: usize = 32;

/// Which tree: a number tree (`/Nums`, the parent tree) or a name tree (`/Names`, the ID
/// tree).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeKind {
    Numbers,
    Names,
}

impl TreeKind {
    fn key(self) -> &'static str {
        match self {
            TreeKind::Numbers => "Nums",
            TreeKind::Names => "Names",
        }
    }
}

/// Writes `entries` (in key order) as a tree whose leaves hold at most `fanout` entries and
/// whose nodes at most `fanout` kids, every leaf at the same depth (PDF 1.4, 3.8.5 and
/// 3.8.6); returns its root. A tree of `fanout` entries or fewer is its root alone.
pub fn tree(
    lo: &mut Document,
    kind: TreeKind,
    entries: Vec<(Object, Object)>,
    fanout: usize,
) -> ObjectId {
    let pairs = |entries: &[(Object, Object)]| -> Vec<Object> {
        entries
            .iter()
            .flat_map(|(key, value)| [key.clone(), value.clone()])
            .collect()
    };
    if entries.len() <= fanout {
        return lo.add_object(dictionary! { kind.key() => pairs(&entries) });
    }
    // Each node of the level: its first and last key, and its object.
    let mut level: Vec<(Object, Object, ObjectId)> = even_chunks(&entries, fanout)
        .map(|chunk| {
            let limits = [chunk[0].0.clone(), chunk[chunk.len() - 1].0.clone()];
            let id = lo.add_object(dictionary! {
                "Limits" => limits.to_vec(),
                kind.key() => pairs(chunk),
            });
            let [first, last] = limits;
            (first, last, id)
        })
        .collect();
    while level.len() > fanout {
        level = even_chunks(&level, fanout)
            .map(|chunk| {
                let (first, last) = (chunk[0].0.clone(), chunk[chunk.len() - 1].1.clone());
                let id = lo.add_object(dictionary! {
                    "Limits" => vec![first.clone(), last.clone()],
                    "Kids" => kids(chunk),
                });
                (first, last, id)
            })
            .collect();
    }
    lo.add_object(dictionary! { "Kids" => kids(&level) })
}

fn kids(nodes: &[(Object, Object, ObjectId)]) -> Vec<Object> {
    nodes
        .iter()
        .map(|(_, _, id)| Object::Reference(*id))
        .collect()
}

/// `items` cut into as few chunks of at most `most` as can be, their sizes differing by one
/// at most (so that no node of a tree is left nearly empty).
pub fn even_chunks<T>(items: &[T], most: usize) -> impl Iterator<Item = &[T]> {
    let count = items.len().div_ceil(most.max(1)).max(1);
    let (size, longer) = (items.len() / count, items.len() % count);
    let mut rest = items;
    (0..count).map(move |i| {
        let (chunk, after) = rest.split_at(size + usize::from(i < longer));
        rest = after;
        chunk
    })
}

/// Makes the page tree balanced when it has more than `fanout` pages: printpdf writes all
/// pages as kids of one root (no inherited attributes on it), so intermediate `/Pages`
/// nodes go between, each with its `/Count`, every page at the same depth.
pub fn balance_pages(lo: &mut Document, fanout: usize) {
    let Ok(root) = lo
        .catalog()
        .and_then(|catalog| catalog.get(b"Pages"))
        .and_then(Object::as_reference)
    else {
        return;
    };
    let Ok(Object::Array(pages)) = lo.get_dictionary(root).and_then(|r| r.get(b"Kids")) else {
        return;
    };
    if pages.len() <= fanout {
        return;
    }
    // Each node of the level: its object and the pages under it.
    let mut level: Vec<(ObjectId, i64)> = pages
        .iter()
        .filter_map(|page| page.as_reference().ok())
        .map(|page| (page, 1))
        .collect();
    while level.len() > fanout {
        let mut upper = Vec::new();
        for chunk in even_chunks(&level, fanout) {
            let id = lo.new_object_id();
            let count = chunk.iter().map(|(_, count)| count).sum();
            for (kid, _) in chunk {
                set_parent(lo, *kid, id);
            }
            lo.objects.insert(
                id,
                Object::Dictionary(dictionary! {
                    "Type" => "Pages",
                    "Kids" => chunk.iter().map(|(kid, _)| Object::Reference(*kid)).collect::<Vec<_>>(),
                    "Count" => Object::Integer(count),
                }),
            );
            upper.push((id, count));
        }
        level = upper;
    }
    for (kid, _) in &level {
        set_parent(lo, *kid, root);
    }
    if let Ok(root) = lo.get_dictionary_mut(root) {
        root.set(
            "Kids",
            level
                .iter()
                .map(|(kid, _)| Object::Reference(*kid))
                .collect::<Vec<_>>(),
        );
    }
}

fn set_parent(lo: &mut Document, node: ObjectId, parent: ObjectId) {
    if let Ok(dict) = lo.get_dictionary_mut(node) {
        dict.set("Parent", parent);
    }
}

/// Cuts every CIDFont's `/W` runs (`c [w1 w2 …]`) longer than `most` widths into runs of at
/// most `most` (a subset of more than 8,191 glyphs is one run as printpdf writes it).
pub fn split_widths(lo: &mut Document, most: usize) {
    for object in lo.objects.values_mut() {
        super::pdfa::each_dictionary(object, &mut |dict| {
            let Ok(Object::Array(widths)) = dict.get_mut(b"W") else {
                return;
            };
            if widths
                .iter()
                .all(|w| w.as_array().map_or(0, Vec::len) <= most)
            {
                return;
            }
            *widths = split_runs(widths, most);
        });
    }
}

/// The `/W` array `widths` with each run of more than `most` widths cut into shorter ones.
fn split_runs(widths: &[Object], most: usize) -> Vec<Object> {
    let mut split = Vec::new();
    let mut items = widths.iter();
    while let Some(first) = items.next() {
        match (first.as_i64(), items.clone().next().map(Object::as_array)) {
            (Ok(code), Some(Ok(run))) => {
                items.next();
                for (i, chunk) in run.chunks(most.max(1)).enumerate() {
                    split.push(Object::Integer(code + (i * most) as i64));
                    split.push(Object::Array(chunk.to_vec()));
                }
            }
            // The other form (`first last width`), taken as it is.
            _ => split.push(first.clone()),
        }
    }
    split
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(n: i64) -> Vec<(Object, Object)> {
        (0..n)
            .map(|i| (Object::Integer(i), Object::Integer(i * 10)))
            .collect()
    }

    fn dict(lo: &Document, id: ObjectId) -> &lopdf::Dictionary {
        lo.get_dictionary(id).unwrap()
    }

    fn refs(lo: &Document, id: ObjectId, key: &[u8]) -> Vec<ObjectId> {
        let array = dict(lo, id).get(key).unwrap().as_array().unwrap();
        array.iter().map(|o| o.as_reference().unwrap()).collect()
    }

    /// Every (key, value) of the tree under `node`, in order, checking each node's /Limits
    /// and the leaves' depth (all the same).
    fn walk(lo: &Document, node: ObjectId, depth: usize, leaves: &mut Vec<usize>) -> Vec<i64> {
        let node_dict = dict(lo, node);
        let found: Vec<i64> = match node_dict.get(b"Kids") {
            Ok(_) => refs(lo, node, b"Kids")
                .into_iter()
                .flat_map(|kid| walk(lo, kid, depth + 1, leaves))
                .collect(),
            Err(_) => {
                leaves.push(depth);
                let nums = node_dict.get(b"Nums").unwrap().as_array().unwrap();
                assert!(nums.len() <= 2 * 4, "a leaf of {} items", nums.len());
                nums.iter().map(|o| o.as_i64().unwrap()).collect()
            }
        };
        if let Ok(limits) = node_dict.get(b"Limits") {
            let limits = limits.as_array().unwrap();
            assert_eq!(limits[0].as_i64().unwrap(), found[0]);
            assert_eq!(limits[1].as_i64().unwrap(), found[found.len() - 2]);
        } else {
            assert_eq!(depth, 0, "only the root has no /Limits");
        }
        found
    }

    #[test]
    fn a_small_number_tree_is_its_root_with_its_nums() {
        let mut lo = Document::with_version("1.4");
        let root = tree(&mut lo, TreeKind::Numbers, numbers(3), 4);
        assert_eq!(lo.objects.len(), 1);
        let nums = dict(&lo, root).get(b"Nums").unwrap().as_array().unwrap();
        assert_eq!(nums.len(), 6);
        assert!(dict(&lo, root).get(b"Limits").is_err());
    }

    #[test]
    fn a_large_number_tree_has_balanced_kids_with_limits_and_every_entry_in_order() {
        for n in [5, 16, 17, 63, 64, 65, 200] {
            let mut lo = Document::with_version("1.4");
            let root = tree(&mut lo, TreeKind::Numbers, numbers(n), 4);
            assert!(dict(&lo, root).get(b"Nums").is_err(), "{n}: a root of kids");
            assert!(refs(&lo, root, b"Kids").len() <= 4, "{n}");
            let mut leaves = Vec::new();
            let found = walk(&lo, root, 0, &mut leaves);
            let expected: Vec<i64> = (0..n).flat_map(|i| [i, i * 10]).collect();
            assert_eq!(found, expected, "{n}");
            assert!(leaves.iter().all(|d| *d == leaves[0]), "{n}: {leaves:?}");
        }
    }

    #[test]
    fn a_name_tree_keeps_its_names_and_their_limits() {
        let mut lo = Document::with_version("1.4");
        let entries = ["a", "b", "c", "d"]
            .iter()
            .map(|n| (Object::string_literal(*n), Object::Integer(1)))
            .collect();
        let root = tree(&mut lo, TreeKind::Names, entries, 2);
        let kids = refs(&lo, root, b"Kids");
        assert_eq!(kids.len(), 2);
        let limits = dict(&lo, kids[1])
            .get(b"Limits")
            .unwrap()
            .as_array()
            .unwrap();
        let names: Vec<&[u8]> = limits.iter().map(|o| o.as_str().unwrap()).collect();
        assert_eq!(names, [b"c".as_slice(), b"d"]);
    }

    #[test]
    fn chunks_are_even_and_never_longer_than_asked() {
        let items: Vec<usize> = (0..9).collect();
        let sizes: Vec<usize> = even_chunks(&items, 4).map(<[usize]>::len).collect();
        assert_eq!(sizes, [3, 3, 3]);
        let sizes: Vec<usize> = even_chunks(&items[..8], 4).map(<[usize]>::len).collect();
        assert_eq!(sizes, [4, 4]);
    }

    #[test]
    fn a_long_page_tree_is_balanced_with_counts_and_parents() {
        let mut lo = Document::with_version("1.4");
        let root = lo.new_object_id();
        let pages: Vec<ObjectId> = (0..12)
            .map(|i| lo.add_object(dictionary! { "Type" => "Page", "Parent" => root, "N" => i }))
            .collect();
        let kids: Vec<Object> = pages.iter().map(|p| Object::Reference(*p)).collect();
        lo.objects.insert(
            root,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 12 }),
        );
        let catalog = lo.add_object(dictionary! { "Type" => "Catalog", "Pages" => root });
        lo.trailer.set("Root", catalog);
        balance_pages(&mut lo, 2);
        // In order, each under a node that counts it and that its /Parent names.
        assert_eq!(lo.get_pages().into_values().collect::<Vec<_>>(), pages);
        assert_eq!(refs(&lo, root, b"Kids").len(), 2);
        for node in refs(&lo, root, b"Kids") {
            assert_eq!(
                dict(&lo, node).get(b"Parent").unwrap(),
                &Object::Reference(root)
            );
        }
        let parent = dict(&lo, pages[11])
            .get(b"Parent")
            .unwrap()
            .as_reference()
            .unwrap();
        assert_eq!(refs(&lo, parent, b"Kids").len(), 2);
        assert_eq!(
            dict(&lo, parent).get(b"Count").unwrap().as_i64().unwrap(),
            2
        );
        assert!(refs(&lo, parent, b"Kids").contains(&pages[11]));
    }

    #[test]
    fn a_long_width_run_is_cut_into_runs_that_start_where_the_last_ended() {
        let run = |from: i64, n: i64| {
            vec![
                Object::Integer(from),
                Object::Array((0..n).map(|w| Object::Integer(from + w)).collect()),
            ]
        };
        let split = split_runs(&run(3, 5), 2);
        let expected: Vec<Object> = [run(3, 2), run(5, 2), run(7, 1)].concat();
        assert_eq!(split, expected);
    }
}
