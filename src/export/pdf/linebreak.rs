//! Breaking a paragraph into lines on measured glyph advances, the whole paragraph at once
//! (Knuth and Plass's total fit): boxes (pieces of words), glue (spaces that stretch and
//! shrink) and penalties (hyphenation points, forced breaks) from Unicode line-break
//! opportunities (UAX #14) and Knuth-Liang hyphenation; the breaks that minimise the
//! paragraph's demerits, with a stretch limit, a cost for every hyphen and never more than two
//! hyphenated lines in a row.

use hyphenation::{Hyphenator, Language, Load, Standard};
use unicode_linebreak::{linebreaks, BreakOpportunity};

/// The Knuth-Liang patterns for a language tag (`en`, `fr`, `de`, `pt-BR`…), when there are
/// any; an issue that gives no language is set with English patterns. Scripts that do not
/// hyphenate (CJK) get none.
pub fn hyphenator(language: Option<&str>) -> Option<Standard> {
    let tag = language.unwrap_or("en").to_ascii_lowercase();
    let primary = tag.split('-').next().unwrap_or("en");
    let code = match primary {
        "und" | "en" if tag == "en-gb" => "en-gb",
        "und" | "en" => "en-us",
        "de" => "de-1996",
        "el" => "el-monoton",
        "mn" => "mn-cyrl",
        "sr" => "sr-cyrl",
        "zh" | "ja" | "ko" => return None,
        other => other,
    };
    let language = Language::try_from_code(&tag).or_else(|| Language::try_from_code(code))?;
    Standard::from_embedded(language).ok()
}

/// A run of text in one look, as the breaker sees it: its text and how to measure it.
pub struct Run<'a> {
    pub text: &'a str,
    pub width: &'a dyn Fn(&str) -> f32,
    /// How much each character may be spaced out when a line is stretched, in points.
    pub letter_stretch: f32,
}

/// What a paragraph is made of.
#[derive(Debug, Clone, PartialEq)]
pub enum Atom {
    /// Text that is never broken: `run` and the byte range of its text; it stretches by
    /// spacing out its letters a little.
    Box {
        width: f32,
        stretch: f32,
        run: usize,
        start: usize,
        end: usize,
    },
    /// A space (`run` and its byte range; an empty range for a break with no space, as
    /// between CJK characters).
    Glue {
        width: f32,
        stretch: f32,
        shrink: f32,
        run: usize,
        start: usize,
        end: usize,
    },
    /// A possible break costing `cost` (a hyphen of `width` if `flagged`).
    Penalty {
        width: f32,
        cost: f32,
        flagged: bool,
    },
}

/// Costs at or beyond these are a forbidden and a forced break.
pub const FORBID: f32 = 10_000.0;
pub const FORCE: f32 = -10_000.0;
/// The cost of a hyphen and the extra demerits of two in a row.
const HYPHEN_COST: f32 = 20.0;
const DOUBLE_HYPHEN_DEMERITS: f32 = 3000.0;
const FITNESS_DEMERITS: f32 = 3000.0;
const LINE_PENALTY: f32 = 10.0;
/// How far a line may stretch, in multiples of its stretch (a space stretches and shrinks by
/// half its width, letters space out by a fiftieth of the type size), before the breaker
/// looks for looser settings.
const TOLERANCES: [f32; 2] = [1.5, 3.0];
/// The most hyphenated lines in a row.
const MAX_HYPHEN_RUN: u8 = 2;

/// How a paragraph's spaces and breaks behave.
pub struct Rules<'a> {
    pub hyphenator: Option<&'a Standard>,
    /// Whether the space between two characters may not be broken (French spacing: the space
    /// after « and before », ;, :, ! and ?).
    pub no_break_space: &'a dyn Fn(Option<char>, Option<char>) -> bool,
    /// The widest box: a longer word is split between any two characters (the measure).
    pub max_box: f32,
}

/// No space is kept from breaking.
pub fn every_space_breaks(_: Option<char>, _: Option<char>) -> bool {
    false
}

/// The atoms of a paragraph made of `runs`, ending with a forced break.
pub fn atoms(runs: &[Run], rules: &Rules) -> Vec<Atom> {
    let mut text = String::new();
    let mut run_of = Vec::new();
    for (i, run) in runs.iter().enumerate() {
        text.push_str(run.text);
        run_of.push((text.len(), i));
    }
    let locate = |at: usize| -> (usize, usize) {
        let index = run_of.partition_point(|(end, _)| *end <= at);
        let run = run_of[index.min(run_of.len() - 1)].1;
        let start = if run == 0 { 0 } else { run_of[run - 1].0 };
        (run, at - start)
    };
    let mut builder = Builder {
        runs,
        rules,
        atoms: Vec::new(),
        hyphenate: true,
    };
    let addresses = addresses(&text);
    let mut start = 0;
    for (end, opportunity) in linebreaks(&text) {
        // An address breaks where the line-break rules let it (after a slash), never with a
        // hyphen a reader would copy into it.
        builder.hyphenate = !addresses.iter().any(|a| a.contains(&start));
        let segment = &text[start..end];
        let content_end = start + segment.trim_end_matches(separates).len();
        builder.content(start, content_end, &locate);
        let next = text[end..].chars().next();
        let before = text[..content_end].chars().next_back();
        if content_end < end {
            let (run, at) = locate(content_end);
            let len = (end - content_end).min(runs[run].text.len() - at);
            let keep = (rules.no_break_space)(before, next);
            builder.glue(run, at, len, keep);
        } else if opportunity == BreakOpportunity::Allowed && end < text.len() {
            builder.atoms.push(Atom::Penalty {
                width: 0.0,
                cost: 0.0,
                flagged: false,
            });
        }
        if opportunity == BreakOpportunity::Mandatory {
            builder.finish();
        }
        start = end;
    }
    if !matches!(builder.atoms.last(), Some(Atom::Penalty { cost, .. }) if *cost <= FORCE) {
        builder.finish();
    }
    builder.atoms
}

/// The byte ranges of the words of `text` that are addresses: a URL (`scheme://`, `www.`), an
/// e-mail address, a path of several folders.
fn addresses(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let mut from = 0;
    for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
        if !separates(c) {
            continue;
        }
        let word = text[from..at].trim_matches(|c: char| !c.is_alphanumeric() && c != '/');
        // Most words have none of an address's signs: they are not looked at further.
        if word.contains(['.', '/', '@']) && address(word) {
            found.push(from..at);
        }
        from = at + c.len_utf8();
    }
    found
}

/// Whether `word` is an address: a URL (`scheme://`, `www.`), an e-mail address, a path of
/// several folders, a host name with or without a path.
pub fn address(word: &str) -> bool {
    let mail = word
        .split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
    word.contains("://")
        || word
            .get(..4)
            .is_some_and(|w| w.eq_ignore_ascii_case("www."))
        || mail
        || word.matches('/').count() >= 2
        || host_name(word.split('/').next().unwrap_or_default())
}

/// Whether `word` is a host name (`harbourtimes.example.org`): labels of letters, digits and
/// hyphens between dots, the last of two letters or more, one of them longer than two (not
/// `e.g`, `U.S`, `No.5`).
fn host_name(word: &str) -> bool {
    let label = |l: &str| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let last = word.rsplit('.').next().unwrap_or_default();
    word.contains('.')
        && word.split('.').all(label)
        && last.len() >= 2
        && last.chars().all(|c| c.is_ascii_alphabetic())
        && word.split('.').any(|l| l.len() > 2)
}

/// Whether `c` is a space between words, set as glue (an ideographic space is a character of
/// its own, with its width: it stays as written).
fn separates(c: char) -> bool {
    c.is_whitespace() && c != '\u{3000}'
}

/// The longest word (in bytes) whose parts are measured as shares of the whole word.
const WHOLE_WORD_BYTES: usize = 64;

struct Builder<'a, 'r> {
    runs: &'a [Run<'a>],
    rules: &'a Rules<'r>,
    atoms: Vec<Atom>,
    /// Whether the words being built may be hyphenated (an address may not).
    hyphenate: bool,
}

impl Builder<'_, '_> {
    /// Boxes for `text[start..end]` (split where the run changes), with hyphenation points.
    fn content(&mut self, start: usize, end: usize, locate: &dyn Fn(usize) -> (usize, usize)) {
        let mut at = start;
        while at < end {
            let (run, offset) = locate(at);
            let run_text = self.runs[run].text;
            let piece_end = (at + run_text.len() - offset).min(end);
            self.word(run, offset, offset + (piece_end - at));
            at = piece_end;
        }
    }

    /// One run's part of a word: boxes between its hyphenation points.
    fn word(&mut self, run: usize, start: usize, end: usize) {
        let text = &self.runs[run].text[start..end];
        let width = self.runs[run].width;
        let mut cuts = if self.hyphenate {
            self.hyphenation_points(text)
        } else {
            Vec::new()
        };
        cuts.push(text.len());
        let hyphen = width("-");
        let mut from = 0;
        let mut before = 0.0;
        for (i, &cut) in cuts.iter().enumerate() {
            // A part's width is its share of the word measured whole (shaped, kerning and
            // ligatures across a hyphenation point count once): the width up to its end less
            // the width before it. Measuring every prefix is quadratic, so a word longer than
            // any real one (a sequence, a run of letters) has its parts measured each alone:
            // its line is measured whole again when set, so the line still ends flush.
            let upto = if text.len() <= WHOLE_WORD_BYTES {
                width(&text[..cut])
            } else {
                before + width(&text[from..cut])
            };
            self.boxes(run, start + from, start + cut, upto - before);
            before = upto;
            if i + 1 < cuts.len() {
                self.atoms.push(Atom::Penalty {
                    width: hyphen,
                    cost: HYPHEN_COST,
                    flagged: true,
                });
            }
            from = cut;
        }
    }

    /// A box `width` wide for `start..end` of a run, or one per character if it is wider than
    /// any line.
    fn boxes(&mut self, run: usize, start: usize, end: usize, width: f32) {
        let text = &self.runs[run].text[start..end];
        let letter = self.runs[run].letter_stretch;
        if width <= self.rules.max_box {
            self.atoms.push(Atom::Box {
                width,
                stretch: letter * text.chars().count() as f32,
                run,
                start,
                end,
            });
            return;
        }
        for (i, (at, c)) in text.char_indices().enumerate() {
            if i > 0 {
                self.atoms.push(Atom::Penalty {
                    width: 0.0,
                    cost: 0.0,
                    flagged: false,
                });
            }
            let mut buffer = [0u8; 4];
            self.atoms.push(Atom::Box {
                width: (self.runs[run].width)(c.encode_utf8(&mut buffer)),
                stretch: letter,
                run,
                start: start + at,
                end: start + at + c.len_utf8(),
            });
        }
    }

    /// Where the letters of `text` may be hyphenated (byte offsets in `text`).
    fn hyphenation_points(&self, text: &str) -> Vec<usize> {
        let Some(hyphenator) = self.rules.hyphenator else {
            return Vec::new();
        };
        let Some(word_start) = text.find(|c: char| c.is_alphabetic()) else {
            return Vec::new();
        };
        let word_len = text[word_start..]
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(text.len() - word_start);
        let word = &text[word_start..word_start + word_len];
        // The patterns read the word lowercased: where that changes its length in bytes
        // (`ẞ`, `İ`) the breaks they give do not fall where they would in the word as written.
        if word.chars().count() < 5 || word.to_lowercase().len() != word.len() {
            return Vec::new();
        }
        hyphenator
            .hyphenate(word)
            .breaks
            .iter()
            .filter(|&&at| at > 0 && at < word.len() && word.is_char_boundary(at))
            .map(|&at| word_start + at)
            .collect()
    }

    fn glue(&mut self, run: usize, start: usize, len: usize, keep: bool) {
        let width = (self.runs[run].width)(" ");
        if keep {
            self.atoms.push(Atom::Penalty {
                width: 0.0,
                cost: FORBID,
                flagged: false,
            });
        }
        self.atoms.push(Atom::Glue {
            width,
            stretch: if keep { 0.0 } else { width / 2.0 },
            shrink: if keep { 0.0 } else { width / 3.0 },
            run,
            start,
            end: start + len,
        });
    }

    /// The end of a paragraph or a forced line break: glue that fills the line, then the
    /// break.
    fn finish(&mut self) {
        if let Some(Atom::Glue { .. }) = self.atoms.last() {
            self.atoms.pop();
        }
        self.atoms.extend(PARAGRAPH_END);
    }
}

/// What ends a paragraph or a line broken by force: glue that fills the line, then the break.
const PARAGRAPH_END: [Atom; 2] = [
    Atom::Glue {
        width: 0.0,
        stretch: 1.0e6,
        shrink: 0.0,
        run: 0,
        start: 0,
        end: 0,
    },
    Atom::Penalty {
        width: 0.0,
        cost: FORCE,
        flagged: false,
    },
];

/// One line: the atoms `start..end` (the break itself at `end`), how much its glue is
/// stretched (positive) or shrunk (negative), in units of its stretch or shrink.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    pub ratio: f32,
    /// Whether the line ends with a hyphen quire added.
    pub hyphenated: bool,
    /// Whether the line is set to the full measure (not a paragraph's or a forced break's
    /// last line).
    pub justify: bool,
}

/// A feasible break and the best way to reach it.
#[derive(Clone)]
struct Node {
    position: usize,
    line: usize,
    fitness: u8,
    hyphens: u8,
    demerits: f32,
    totals: Totals,
    previous: Option<usize>,
    ratio: f32,
}

#[derive(Clone, Copy, Default)]
struct Totals {
    width: f32,
    stretch: f32,
    shrink: f32,
}

impl Totals {
    /// Adds what `atom` takes up on a line: a box's width and stretch, a glue's width,
    /// stretch and shrink (a penalty takes nothing unless the line breaks there).
    fn add(&mut self, atom: &Atom) {
        match *atom {
            Atom::Box { width, stretch, .. } => {
                self.width += width;
                self.stretch += stretch;
            }
            Atom::Glue {
                width,
                stretch,
                shrink,
                ..
            } => {
                self.width += width;
                self.stretch += stretch;
                self.shrink += shrink;
            }
            Atom::Penalty { .. } => {}
        }
    }
}

/// The measures of the first line and of the others.
#[derive(Debug, Clone, Copy)]
pub struct Measure {
    pub first: f32,
    pub rest: f32,
}

/// The best breaks of `atoms` for `measure`: total fit within the stretch limit, then looser,
/// then (a word wider than the measure) with overfull lines.
pub fn break_atoms(atoms: &[Atom], measure: Measure) -> Vec<Line> {
    for tolerance in TOLERANCES {
        if let Some(lines) = total_fit(atoms, measure, tolerance, false) {
            return lines;
        }
    }
    total_fit(atoms, measure, f32::INFINITY, true).expect("the last pass always breaks")
}

fn total_fit(
    atoms: &[Atom],
    measure: Measure,
    tolerance: f32,
    emergency: bool,
) -> Option<Vec<Line>> {
    let mut pass = Pass {
        atoms,
        measure,
        tolerance,
        emergency,
        nodes: vec![Node {
            position: 0,
            line: 0,
            fitness: 1,
            hyphens: 0,
            demerits: 0.0,
            totals: Totals::default(),
            previous: None,
            ratio: 0.0,
        }],
        active: vec![0],
    };
    let mut sum = Totals::default();
    for (i, atom) in atoms.iter().enumerate() {
        if breakable(atoms, i) {
            pass.try_break(i, sum);
            if pass.active.is_empty() {
                return None;
            }
        }
        sum.add(atom);
    }
    let Pass { nodes, active, .. } = pass;
    let best = active
        .iter()
        .copied()
        .filter(|&n| nodes[n].position == atoms.len() - 1)
        .min_by(|&a, &b| nodes[a].demerits.total_cmp(&nodes[b].demerits))?;
    let mut lines = Vec::new();
    let mut node = best;
    while let Some(previous) = nodes[node].previous {
        let end = nodes[node].position;
        let hyphenated =
            matches!(atoms[end], Atom::Penalty { flagged: true, width, .. } if width > 0.0);
        let forced = matches!(atoms[end], Atom::Penalty { cost, .. } if cost <= FORCE);
        lines.push(Line {
            start: nodes[previous].position,
            end,
            ratio: nodes[node].ratio,
            hyphenated,
            justify: !forced,
        });
        node = previous;
    }
    lines.reverse();
    Some(lines)
}

/// The totals after a break at `i`: the glue and penalties up to the next box are dropped.
fn after_break(atoms: &[Atom], i: usize, sum: Totals) -> Totals {
    let mut totals = sum;
    for (j, atom) in atoms.iter().enumerate().skip(i) {
        match atom {
            Atom::Box { .. } => break,
            Atom::Glue { .. } => totals.add(atom),
            Atom::Penalty { cost, .. } if *cost <= FORCE && j > i => break,
            Atom::Penalty { .. } => {}
        }
    }
    totals
}

/// One pass of the breaker over a paragraph: its settings and the feasible breaks so far.
struct Pass<'a> {
    atoms: &'a [Atom],
    measure: Measure,
    tolerance: f32,
    emergency: bool,
    nodes: Vec<Node>,
    active: Vec<usize>,
}

/// A break's cost and whether it is a hyphen (of its width).
struct BreakAt {
    position: usize,
    penalty: f32,
    hyphen: Option<f32>,
}

impl Pass<'_> {
    /// How far the line from `node` to a break at `at` must stretch (positive) or shrink
    /// (negative), in units of its stretch or shrink; infinite when it cannot.
    fn ratio(&self, node: &Node, at: &BreakAt, sum: Totals) -> f32 {
        let width = sum.width - node.totals.width + at.hyphen.unwrap_or(0.0);
        let target = if node.line == 0 {
            self.measure.first
        } else {
            self.measure.rest
        };
        if width < target {
            let stretch = sum.stretch - node.totals.stretch;
            if stretch > 0.0 {
                (target - width) / stretch
            } else {
                f32::INFINITY
            }
        } else if width > target {
            let shrink = sum.shrink - node.totals.shrink;
            if shrink > 0.0 {
                (target - width) / shrink
            } else {
                f32::NEG_INFINITY
            }
        } else {
            0.0
        }
    }

    /// The node a break at `at` after `from` would make, if the line is allowed.
    fn candidate(&self, from: usize, at: &BreakAt, ratio: f32, sum: Totals) -> Option<Node> {
        let node = &self.nodes[from];
        if ratio > self.tolerance && !self.emergency {
            return None;
        }
        let hyphens = if at.hyphen.is_some() {
            node.hyphens + 1
        } else {
            0
        };
        if hyphens > MAX_HYPHEN_RUN {
            return None;
        }
        let badness = if ratio.is_infinite() {
            1.0e8
        } else {
            (100.0 * ratio.abs().powi(3)).min(1.0e8)
        };
        let mut demerits = (LINE_PENALTY + badness).powi(2);
        if at.penalty >= 0.0 {
            demerits += at.penalty * at.penalty;
        } else if at.penalty > FORCE {
            demerits -= at.penalty * at.penalty;
        }
        if hyphens >= 2 {
            demerits += DOUBLE_HYPHEN_DEMERITS;
        }
        let fitness = match ratio {
            r if r < -0.5 => 0,
            r if r <= 0.5 => 1,
            r if r <= 1.0 => 2,
            _ => 3,
        };
        if (fitness as i8 - node.fitness as i8).abs() > 1 {
            demerits += FITNESS_DEMERITS;
        }
        Some(Node {
            position: at.position,
            line: node.line + 1,
            fitness,
            hyphens,
            demerits: node.demerits + demerits,
            totals: after_break(self.atoms, at.position, sum),
            previous: Some(from),
            ratio: if ratio.is_finite() { ratio } else { 0.0 },
        })
    }

    /// Considers a break at atom `i` from every active node; `sum` holds the totals before it.
    fn try_break(&mut self, i: usize, sum: Totals) {
        let at = match self.atoms[i] {
            Atom::Penalty {
                width,
                cost,
                flagged,
            } => BreakAt {
                position: i,
                penalty: cost,
                hyphen: (flagged && width > 0.0).then_some(width),
            },
            _ => BreakAt {
                position: i,
                penalty: 0.0,
                hyphen: None,
            },
        };
        // The best new node for each fitness class and hyphen count.
        let mut best: Vec<Node> = Vec::new();
        let mut keep = Vec::with_capacity(self.active.len());
        for &a in &self.active {
            let ratio = self.ratio(&self.nodes[a], &at, sum);
            // A line from this node would be overfull: the node is done, unless nothing else
            // can hold the material (emergency: the line takes it overfull).
            let overfull = ratio < -1.0;
            if overfull && !(self.emergency && unbreakable(self.atoms, self.nodes[a].position, i)) {
                continue;
            }
            keep.push(a);
            let Some(candidate) = self.candidate(a, &at, ratio, sum) else {
                continue;
            };
            match best
                .iter_mut()
                .find(|b| b.fitness == candidate.fitness && b.hyphens == candidate.hyphens)
            {
                Some(b) if b.demerits <= candidate.demerits => {}
                Some(b) => *b = candidate,
                None => best.push(candidate),
            }
        }
        // After a forced break, nothing before it stays active.
        if at.penalty <= FORCE {
            keep.clear();
        }
        self.active = keep;
        for node in best {
            self.nodes.push(node);
            self.active.push(self.nodes.len() - 1);
        }
    }
}

/// Whether the material from a break at `from` to one at `to` cannot be broken any sooner:
/// one box, or boxes with no place to break between them (a word set in several runs, as a
/// link and the punctuation against it); spaces after the last box do not count.
fn unbreakable(atoms: &[Atom], from: usize, to: usize) -> bool {
    let last_box = (from..to)
        .rev()
        .find(|&i| matches!(atoms[i], Atom::Box { .. }));
    last_box.is_none_or(|last| !(from + 1..last).any(|i| breakable(atoms, i)))
}

/// Whether a line may end at atom `i`: a glue after a box, or a penalty that is not forbidden.
fn breakable(atoms: &[Atom], i: usize) -> bool {
    match atoms[i] {
        Atom::Box { .. } => false,
        Atom::Glue { .. } => i > 0 && matches!(atoms[i - 1], Atom::Box { .. }),
        Atom::Penalty { cost, .. } => cost < FORBID,
    }
}

/// The natural width of the material of a line (what its glue is stretched from).
#[cfg(test)]
fn natural_width(atoms: &[Atom], line: &Line) -> f32 {
    let mut width = 0.0;
    for atom in &atoms[line.start..line.end] {
        match atom {
            Atom::Box { width: w, .. } | Atom::Glue { width: w, .. } => width += w,
            Atom::Penalty { .. } => {}
        }
    }
    width
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character 1 point wide: easy to reason about.
    fn mono(text: &str) -> f32 {
        text.chars().count() as f32
    }

    /// The lines' texts (a hyphen where quire added one), glue as one space.
    fn texts(text: &str, lines: &[Line], atoms: &[Atom]) -> Vec<String> {
        lines
            .iter()
            .map(|line| {
                let mut out = String::new();
                for atom in &atoms[line.start..line.end] {
                    match atom {
                        Atom::Box { start, end, .. } => out.push_str(&text[*start..*end]),
                        Atom::Glue { start, end, .. } if end > start => out.push(' '),
                        _ => {}
                    }
                }
                let out = out.trim_matches(' ').to_string();
                if line.hyphenated {
                    format!("{out}-")
                } else {
                    out
                }
            })
            .collect()
    }

    fn set(
        text: &str,
        measure: f32,
        hyphenator: Option<&Standard>,
    ) -> (Vec<Line>, Vec<String>, Vec<f32>) {
        let runs = [Run {
            text,
            width: &mono,
            letter_stretch: 0.0,
        }];
        let rules = Rules {
            hyphenator,
            no_break_space: &every_space_breaks,
            max_box: measure,
        };
        let atoms = atoms(&runs, &rules);
        let lines = break_atoms(
            &atoms,
            Measure {
                first: measure,
                rest: measure,
            },
        );
        let widths = lines
            .iter()
            .map(|l| natural_width(&atoms, l) + if l.hyphenated { 1.0 } else { 0.0 })
            .collect();
        (lines.clone(), texts(text, &lines, &atoms), widths)
    }

    #[test]
    fn lines_fill_the_measure_and_keep_every_word() {
        let text = "The fundamental resources of the Internet are vitally connected to the development and security of the industry.";
        let (lines, texts, _) = set(text, 30.0, None);
        assert!(texts.iter().all(|t| mono(t) <= 30.0 + 3.0), "{texts:?}");
        assert!(lines[..lines.len() - 1].iter().all(|l| l.justify));
        assert!(!lines.last().unwrap().justify);
        assert!(
            lines.iter().all(|l| l.ratio >= -1.0 && l.ratio <= 4.0),
            "{lines:?}"
        );
        assert_eq!(texts.join(" "), text);
    }

    #[test]
    fn no_line_breaks_at_a_no_break_space() {
        let text = "Ask at the desk for M.\u{a0}Dupont, who keeps the oven at 180\u{a0}°C all day.";
        for measure in [14.0, 18.0, 22.0, 26.0] {
            let (_, texts, _) = set(text, measure, None);
            let ends = |t: &&String| t.ends_with("M.") || t.ends_with("180");
            assert!(!texts.iter().any(|t| ends(&t)), "{texts:?}");
            assert_eq!(texts.join(" "), text);
        }
    }

    #[test]
    fn patterns_follow_the_language() {
        for tag in [
            None,
            Some("en"),
            Some("en-GB"),
            Some("fr"),
            Some("de"),
            Some("ru"),
            Some("pt-BR"),
        ] {
            assert!(hyphenator(tag).is_some(), "{tag:?}");
        }
        assert!(hyphenator(Some("zh-Hans")).is_none());
        let de = hyphenator(Some("de")).unwrap();
        assert!(!de.hyphenate("Zeitschriftenarchiv").breaks.is_empty());
    }

    #[test]
    fn a_word_that_would_leave_a_loose_line_is_hyphenated() {
        let en = hyphenator(Some("en")).unwrap();
        let text = "administration administration administration";
        let (lines, texts, _) = set(text, 20.0, Some(&en));
        assert!(lines[0].hyphenated && texts[0].ends_with('-'), "{texts:?}");
        let rejoined: String = texts
            .iter()
            .map(|t| match t.strip_suffix('-') {
                Some(head) => head.to_string(),
                None => format!("{t} "),
            })
            .collect();
        assert_eq!(rejoined.trim_end(), text);
    }

    #[test]
    fn an_address_breaks_after_a_slash_and_is_never_hyphenated() {
        let en = hyphenator(Some("en")).unwrap();
        for (text, address) in [
            (
                "See https://harbourtimes.example.org/archive/ferries/timetables.html now",
                "https://harbourtimes.example.org/archive/ferries/timetables.html",
            ),
            (
                "Write to correspondence.department@harbourtimes.example.org now",
                "correspondence.department@harbourtimes.example.org",
            ),
            (
                "Found in documentation/publications/handbooks/administration now",
                "documentation/publications/handbooks/administration",
            ),
            (
                "Read it at internationalharbourtimes.example.org, or at WWW.EXAMPLE.ORG now",
                "internationalharbourtimes.example.org",
            ),
        ] {
            let (lines, texts, _) = set(text, 30.0, Some(&en));
            assert!(lines.len() > 2, "{texts:?}");
            // The lines hold the address as written, cut only where it may be.
            assert!(
                !texts.iter().any(|t| t.ends_with('-')),
                "hyphenated: {texts:?}"
            );
            let rejoined: String = texts.concat();
            assert!(rejoined.contains(address), "{texts:?}");
            for line in &texts {
                let inside = address.contains(line.trim());
                assert!(
                    !inside || line.trim().ends_with('/') || address.ends_with(line.trim()),
                    "{texts:?}"
                );
            }
        }
        for (word, host) in [
            ("harbourtimes.example.org", true),
            ("example.org", true),
            ("e.g", false),
            ("U.S", false),
            ("No.5", false),
            ("administration", false),
            ("3.14", false),
        ] {
            assert_eq!(host_name(word), host, "{word}");
        }
        // Words around an address still are.
        let (_, texts, _) = set(
            "administration https://a.example/b administration",
            9.0,
            Some(&en),
        );
        assert!(texts.iter().any(|t| t.ends_with('-')), "{texts:?}");
    }

    #[test]
    fn a_word_whose_lowercase_is_longer_or_shorter_is_set_whole_and_unbroken() {
        let en = hyphenator(Some("en")).unwrap();
        for text in [
            "lightﬁשלוםẞlight strassenẞverkehrsordnung",
            "İstanbulİstanbulİstanbul İİİİİİİİİİ",
        ] {
            let (_, texts, _) = set(text, 8.0, Some(&en));
            let joined: String = texts.concat();
            assert_eq!(joined.replace(' ', ""), text.replace(' ', ""), "{texts:?}");
        }
    }

    #[test]
    fn a_word_set_in_several_runs_wider_than_the_measure_takes_a_line_overfull() {
        // A link, a quotation mark and a word against each other: three runs' boxes with no
        // place to break between them, 220 points in a 218-point measure (as a fuzzed page
        // had them: the breaker found no line and panicked).
        let word = |width: f32, run: usize| Atom::Box {
            width,
            stretch: 0.0,
            run,
            start: 0,
            end: 1,
        };
        let mut atoms = vec![word(48.8, 0), word(7.0, 1), word(164.1, 2)];
        atoms.extend(PARAGRAPH_END);
        let lines = break_atoms(
            &atoms,
            Measure {
                first: 218.4,
                rest: 218.4,
            },
        );
        assert_eq!((lines.len(), lines[0].end), (1, 4), "{lines:?}");
    }

    #[test]
    fn no_more_than_two_lines_in_a_row_end_in_a_hyphen() {
        let en = hyphenator(Some("en")).unwrap();
        let text = "international responsibility administration preservation cooperation development international responsibility administration preservation";
        let (lines, texts, _) = set(text, 17.0, Some(&en));
        let mut run = 0;
        for line in &lines {
            run = if line.hyphenated { run + 1 } else { 0 };
            assert!(run <= 2, "{texts:?}");
        }
    }

    #[test]
    fn cjk_breaks_between_characters_and_long_words_are_split() {
        let (_, texts, widths) = set("数字档案保存杂志期刊的长期保存与导出", 5.0, None);
        assert!(
            widths.iter().all(|w| *w <= 5.0) && texts.len() == 4,
            "{texts:?}"
        );
        let (_, texts, widths) = set("supercalifragilistic", 6.0, None);
        assert!(widths.iter().all(|w| *w <= 6.0), "{texts:?}");
        assert_eq!(texts.concat(), "supercalifragilistic");
    }

    #[test]
    fn an_ideographic_space_is_kept_as_written_and_not_made_a_space() {
        let title = "縦書きの港\u{3000}―\u{3000}潮の詩";
        let (_, texts, _) = set(title, 40.0, None);
        assert_eq!(texts.concat(), title);
        let (_, texts, _) = set(title, 6.0, None);
        assert_eq!(texts.concat(), title, "{texts:?}");
    }

    #[test]
    fn a_very_long_word_is_measured_in_linear_time() {
        let en = hyphenator(Some("en")).unwrap();
        let word = "administration".repeat(400);
        let measured = std::cell::Cell::new(0usize);
        let width = |t: &str| {
            measured.set(measured.get() + t.len());
            mono(t)
        };
        let runs = [Run {
            text: &word,
            width: &width,
            letter_stretch: 0.0,
        }];
        let rules = Rules {
            hyphenator: Some(&en),
            no_break_space: &every_space_breaks,
            max_box: 30.0,
        };
        let atoms = atoms(&runs, &rules);
        assert!(atoms.len() > 400, "hyphenation points kept");
        assert!(measured.get() < 4 * word.len(), "{} bytes", measured.get());
    }

    #[test]
    fn a_forced_break_ends_a_line_unjustified() {
        let (lines, texts, _) = set("one two\nthree four five six seven", 12.0, None);
        assert_eq!(texts[0], "one two");
        assert!(!lines[0].justify);
    }
}
