//! Outputs made from one archived issue version. Everything an output depends on (fonts,
//! dates, the quire version) comes in through [`ExportContext`], so the same version always
//! gives the same bytes.

pub mod pdf;
