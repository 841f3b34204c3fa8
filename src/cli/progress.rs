//! The progress line on standard error: lines read, lines per second, and
//! bytes done of the file's size. Only for a file, and only when standard
//! error is a terminal: a pipe or a log file gets nothing.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How many lines go by between two updates: counting is per line, but
/// the bar is touched only this often, so that it costs nothing per line.
const LINES_PER_UPDATE: u64 = 1 << 14;

/// The progress of one run.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    lines: u64,
}

impl Progress {
    /// Progress over a file of `size` bytes, shown when standard error is
    /// a terminal.
    pub(crate) fn of_file(size: u64) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let style = ProgressStyle::with_template(
                "{msg}, {binary_bytes} of {binary_total_bytes} ({percent}%)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr())
                .with_style(style)
        });
        Progress { bar, lines: 0 }
    }

    /// No progress line (standard input).
    pub(crate) fn hidden() -> Progress {
        Progress {
            bar: None,
            lines: 0,
        }
    }

    /// `lines` more lines read; `consumed` bytes of the file are done.
    pub(crate) fn advance(&mut self, lines: u64, consumed: u64) {
        let before = self.lines / LINES_PER_UPDATE;
        self.lines += lines;
        if self.lines / LINES_PER_UPDATE != before {
            self.update(consumed);
        }
    }

    fn update(&self, consumed: u64) {
        let Some(bar) = &self.bar else {
            return;
        };
        bar.set_position(consumed);
        let seconds = bar.elapsed().as_secs_f64();
        #[allow(
            clippy::cast_precision_loss,
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss
        )]
        let rate = if seconds > 0.0 {
            (self.lines as f64 / seconds) as u64
        } else {
            0
        };
        bar.set_message(format!("{} lines, {rate} lines/s", self.lines));
    }

    /// The end of the input: the line is cleared.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
