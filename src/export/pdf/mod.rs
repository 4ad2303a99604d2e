//! The PDF edition.

pub mod fonts;
pub mod layout;
