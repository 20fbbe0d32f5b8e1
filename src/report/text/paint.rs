//! Colour for a terminal: a few tones, written as ANSI sequences only when
//! colour is on. What is painted is the report's own text (labels,
//! headings, bars); text from the logs is escaped before it is painted.

/// What a piece of text is, to the eye.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Section headings.
    Heading,
    /// A burst: its number and its rows in the timeline.
    Burst,
    /// A scenario label.
    Label,
    /// The next thing to check.
    Next,
    /// Numbers and text in the background (baselines, notes).
    Dim,
    /// Something wrong with the input (malformed, unreadable).
    Warn,
}

impl Tone {
    fn sgr(self) -> &'static str {
        match self {
            Tone::Heading => "1",
            Tone::Burst => "1;31",
            Tone::Label => "1;33",
            Tone::Next => "36",
            Tone::Dim => "2",
            Tone::Warn => "35",
        }
    }
}

/// Paints text, or leaves it as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paint {
    /// Whether colour is on.
    pub on: bool,
}

impl Paint {
    /// `text` in `tone`.
    pub fn tone(self, tone: Tone, text: &str) -> String {
        if self.on && !text.is_empty() {
            format!("\x1b[{}m{text}\x1b[0m", tone.sgr())
        } else {
            text.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_is_plain() {
        assert_eq!(
            Paint { on: false }.tone(Tone::Label, "post_deploy"),
            "post_deploy"
        );
        assert_eq!(
            Paint { on: true }.tone(Tone::Label, "post_deploy"),
            "\x1b[1;33mpost_deploy\x1b[0m"
        );
    }
}
