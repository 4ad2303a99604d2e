//! The composer's state and its one way of putting text on pages: lines measured with the
//! edition's faces, flowed down the page with at least two lines kept together at a page's
//! foot and head (no orphans, no widows), a new page when the room runs out.

use super::styles::{TextStyle, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X};
use super::{Item, Page, Paper};
use crate::export::pdf::fonts::{FontSet, Style};
use crate::export::pdf::linebreak::{break_lines, Line};
use hyphenation::Standard;

/// Text as it should be set: soft hyphens and other invisible format characters dropped, tabs
/// as spaces.
pub fn settable(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{00ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
            )
        })
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect()
}

/// How many of `n` lines to set where `fit` lines fit: all, or a part that leaves at least two
/// lines on each side of the page break (no orphan, no widow), or none.
pub fn lines_here(n: usize, fit: usize) -> usize {
    let take = if n <= fit {
        n
    } else if fit >= 2 && n - fit >= 2 {
        fit
    } else if fit >= 3 && n >= 4 {
        n - 2
    } else {
        0
    };
    take.min(fit)
}

/// Where a run of lines goes and how it is set.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub x: f32,
    pub measure: f32,
    pub text: TextStyle,
}

pub struct Composer<'a> {
    pub fonts: &'a FontSet,
    pub paper: Paper,
    pub hyphenator: Option<Standard>,
    pub pages: Vec<Page>,
    /// The baseline of the last line set (or the top of a fresh page).
    pub y: f32,
    /// The article each page belongs to, for the running head.
    pub running: Vec<Option<String>>,
}

impl<'a> Composer<'a> {
    pub fn new(fonts: &'a FontSet, paper: Paper, hyphenator: Option<Standard>) -> Self {
        Composer {
            fonts,
            paper,
            hyphenator,
            pages: Vec::new(),
            y: 0.0,
            running: Vec::new(),
        }
    }

    /// The width of the text block.
    pub fn measure(&self) -> f32 {
        self.paper.width - 2.0 * MARGIN_X
    }

    pub fn top(&self) -> f32 {
        self.paper.height - MARGIN_TOP
    }

    pub fn new_page(&mut self, running: Option<String>) {
        self.pages.push(Page::default());
        self.running.push(running);
        self.y = self.top();
    }

    pub fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page is open")
    }

    /// The index of the page being set.
    pub fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    pub fn room(&self) -> f32 {
        self.y - MARGIN_BOTTOM
    }

    pub fn width(&self, style: Style, size: f32) -> impl Fn(&str) -> f32 + '_ {
        move |text: &str| {
            text.chars()
                .map(|c| match self.fonts.face_for(style, c) {
                    Some((face, _)) => face.advance(c, size).unwrap_or(0.0),
                    None => 0.0,
                })
                .sum()
        }
    }

    /// Body text, justified and hyphenated.
    pub fn body_lines(&self, text: &str, style: TextStyle, measure: f32) -> Vec<Line> {
        let width = self.width(style.face, style.size);
        break_lines(&settable(text), measure, &width, self.hyphenator.as_ref())
    }

    /// Display text (titles, decks, captions), set ragged and never hyphenated.
    pub fn display_lines(&self, text: &str, style: TextStyle, measure: f32) -> Vec<Line> {
        let width = self.width(style.face, style.size);
        let mut lines = break_lines(&settable(text), measure, &width, None);
        for line in &mut lines {
            line.justify = false;
        }
        lines
    }

    /// Places one piece of text with its baseline at `y`.
    pub fn put_text(&mut self, x: f32, y: f32, style: TextStyle, text: String) {
        self.page().items.push(Item::Text {
            x,
            y,
            style: style.face,
            size: style.size,
            text,
            word_spacing: 0.0,
            gray: style.gray,
        });
    }

    fn put_line(&mut self, line: &Line, set: &Setting) {
        let size = set.text.size;
        let spaces = line.spaces();
        let word_spacing = if line.justify && spaces > 0 {
            let extra = (set.measure - line.width) / spaces as f32;
            // A line that would need huge gaps is set ragged instead.
            if extra < size * 0.8 {
                extra
            } else {
                0.0
            }
        } else {
            0.0
        };
        let y = self.y;
        self.page().items.push(Item::Text {
            x: set.x,
            y,
            style: set.text.face,
            size,
            text: line.text.clone(),
            word_spacing,
            gray: set.text.gray,
        });
    }

    /// Sets a block of lines, keeping at least two lines together at the foot and at the
    /// head of a page (no orphans, no widows).
    pub fn flow(&mut self, lines: &[Line], set: &Setting, running: &Option<String>) {
        let leading = set.text.leading;
        let mut rest = lines;
        while !rest.is_empty() {
            let fit = (self.room() / leading).floor().max(0.0) as usize;
            let mut take = lines_here(rest.len(), fit);
            if take == 0 && self.y >= self.top() {
                // Even a fresh page cannot keep the rule: set what fits.
                take = fit.clamp(1, rest.len());
            }
            // A page does not end in a hyphenated word, where it can be helped.
            while take > 2
                && take < rest.len()
                && rest[take - 1].hyphenated
                && rest.len() - take + 1 >= 2
            {
                take -= 1;
            }
            if take == 0 {
                self.new_page(running.clone());
                continue;
            }
            for line in &rest[..take] {
                self.y -= leading;
                self.put_line(line, set);
            }
            rest = &rest[take..];
            if !rest.is_empty() {
                self.new_page(running.clone());
            }
        }
    }

    /// Display text across the text block from the left margin.
    pub fn flow_display(&mut self, text: &str, style: TextStyle, running: &Option<String>) {
        let measure = self.measure();
        let lines = self.display_lines(text, style, measure);
        self.flow(
            &lines,
            &Setting {
                x: MARGIN_X,
                measure,
                text: style,
            },
            running,
        );
    }

    /// Vertical space, except at the top of a page.
    pub fn gap(&mut self, space: f32) {
        if self.y < self.top() {
            self.y -= space;
        }
    }
}

/// `text`, cut with an ellipsis to fit `width`.
pub fn truncate_to(text: &str, width: f32, measure: &dyn Fn(&str) -> f32) -> String {
    if measure(text) <= width {
        return text.to_string();
    }
    let mut cut = String::new();
    for c in text.chars() {
        if measure(&format!("{cut}{c}…")) > width {
            break;
        }
        cut.push(c);
    }
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_dropped_and_tabs_become_spaces() {
        assert_eq!(settable("soft\u{ad}hyphen\tand tab"), "softhyphen and tab");
    }

    #[test]
    fn a_page_break_leaves_two_lines_on_each_side() {
        assert_eq!(lines_here(3, 5), 3);
        assert_eq!(lines_here(6, 4), 4);
        assert_eq!(lines_here(5, 4), 3);
        assert_eq!(lines_here(3, 2), 0);
        assert_eq!(lines_here(4, 1), 0);
    }
}
