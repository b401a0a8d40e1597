//! Tables for humans (comfy-table), sized to the terminal.

use comfy_table::{ContentArrangement, Table, presets};

/// A table with the house look: condensed borders, header row, fitted to the terminal width
/// unless `wide` asks for cells in full.
#[must_use]
pub fn new_table<I, S>(headers: I, wide: bool) -> Table
where
    I: IntoIterator<Item = S>,
    S: Into<comfy_table::Cell>,
{
    let mut table = Table::new();
    table.load_style(presets::UTF8_HORIZONTAL_ONLY);
    table.set_content_arrangement(if wide {
        ContentArrangement::Disabled
    } else {
        ContentArrangement::Dynamic
    });
    if !wide && table.width().is_none() {
        table.set_width(100);
    }
    table.set_header(headers);
    table
}

/// Shortens `text` to at most `max` characters, marking the cut with `…`.
#[must_use]
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
