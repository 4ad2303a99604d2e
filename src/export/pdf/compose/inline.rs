//! Rich text: runs of text with their inline marks (emphasis, strong, code, strikethrough,
//! sub- and superscript, a link, a footnote call), as Markdown gives them and the layout sets
//! them.

/// Sub- or superscript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Script {
    #[default]
    Normal,
    Sub,
    Super,
}

/// How a run of text is marked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Marks {
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
    pub strike: bool,
    /// Underlined (`<u>`, `<ins>`).
    pub underline: bool,
    /// Small print (`<small>`: a credit, a legal note), set a size down.
    pub small: bool,
    pub script: Script,
    /// The target of a link (a URI as the text gives it).
    pub link: Option<String>,
    /// The number of the footnote this run calls.
    pub note: Option<usize>,
    /// The language of the run (BCP 47) when the text marks one (`<span lang>`).
    pub lang: Option<String>,
    /// An image in the sentence, drawn in the line (each character of the run, an
    /// [`OBJECT`], is one) when it is small enough, else set as a figure after the paragraph.
    pub image: Option<InlineImage>,
}

/// The character that stands for an image in the text (U+FFFC OBJECT REPLACEMENT CHARACTER);
/// it is never drawn or read as text.
pub const OBJECT: &str = "\u{fffc}";

/// An image in a sentence: its path in the issue, its alternative text, and its size in
/// hundredths of a point once the composer knows it (marks are compared whole, so no floats).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InlineImage {
    pub src: String,
    pub alt: String,
    pub size: (u32, u32),
}

impl InlineImage {
    /// Its size in points.
    pub fn points(&self) -> (f32, f32) {
        (self.size.0 as f32 / 100.0, self.size.1 as f32 / 100.0)
    }
}

/// A run of text in one look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub marks: Marks,
}

/// Text with inline marks.
pub type Rich = Vec<Span>;

/// Plain text as one unmarked run.
pub fn plain_rich(text: &str) -> Rich {
    vec![Span {
        text: text.to_string(),
        marks: Marks::default(),
    }]
}

/// The text without its marks.
pub fn plain(rich: &[Span]) -> String {
    rich.iter()
        .filter(|s| s.marks.image.is_none())
        .map(|s| s.text.as_str())
        .collect()
}

/// Appends `text` in `marks`, joining it to the last run when that has the same marks.
pub fn push(rich: &mut Rich, text: &str, marks: &Marks) {
    match rich.last_mut() {
        Some(last) if last.marks == *marks => last.text.push_str(text),
        _ => rich.push(Span {
            text: text.to_string(),
            marks: marks.clone(),
        }),
    }
}

/// `rich` without leading and trailing white space.
pub fn trim(mut rich: Rich) -> Rich {
    while let Some(first) = rich.first_mut() {
        let trimmed = first.text.trim_start();
        if trimmed.is_empty() {
            rich.remove(0);
        } else {
            first.text = trimmed.to_string();
            break;
        }
    }
    while let Some(last) = rich.last_mut() {
        let trimmed = last.text.trim_end();
        if trimmed.is_empty() {
            rich.pop();
        } else {
            last.text = trimmed.to_string();
            break;
        }
    }
    rich
}

/// The inline marks the edition sets, as counters of open elements (nested `<em>` in `<em>`
/// stays italic until the outer one closes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Italic,
    Bold,
    Strike,
    Super,
    Sub,
    Code,
    Underline,
    Small,
}

/// Counts of open marks, by [`Mark`].
pub type Open = [usize; 8];

/// Opens (`true`) or closes a mark in `open`.
pub fn count(open: &mut Open, mark: Mark, opened: bool) {
    let at = &mut open[mark as usize];
    *at = if opened {
        *at + 1
    } else {
        at.saturating_sub(1)
    };
}

/// The inline elements open around the text, innermost last, with the language each gives
/// (`lang`), so that a closing tag ends the language its own element began.
#[derive(Debug, Clone, Default)]
pub struct Langs(Vec<(String, Option<String>)>);

impl Langs {
    /// An element `name` opened, with its `lang` attribute if any (an empty one says the
    /// language is unknown: the article's is assumed).
    pub fn open(&mut self, name: &str, lang: Option<&str>) {
        let lang = lang.map(str::trim).map(str::to_string);
        self.0.push((name.to_string(), lang));
    }

    /// The innermost open element `name` closed.
    pub fn close(&mut self, name: &str) {
        if let Some(at) = self.0.iter().rposition(|(open, _)| open == name) {
            self.0.truncate(at);
        }
    }

    /// The language of text here: that of the innermost element giving one.
    pub fn current(&self) -> Option<&String> {
        self.0
            .iter()
            .rev()
            .find_map(|(_, lang)| lang.as_ref())
            .filter(|lang| !lang.is_empty())
    }
}

/// The marks of text inside the open marks, the innermost open link (an empty target,
/// `<a>` without `href`, is no link) and the language the open elements give.
pub fn marks_of(open: &Open, link: Option<&String>, langs: &Langs) -> Marks {
    let is = |mark: Mark| open[mark as usize] > 0;
    Marks {
        italic: is(Mark::Italic),
        bold: is(Mark::Bold),
        strike: is(Mark::Strike),
        underline: is(Mark::Underline),
        small: is(Mark::Small),
        script: if is(Mark::Super) {
            Script::Super
        } else if is(Mark::Sub) {
            Script::Sub
        } else {
            Script::Normal
        },
        code: is(Mark::Code),
        link: link.filter(|l| !l.is_empty()).cloned(),
        note: None,
        lang: langs.current().cloned(),
        image: None,
    }
}
