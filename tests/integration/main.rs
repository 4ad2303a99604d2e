//! quire's integration tests: one binary that runs the real `quire` command on fixtures
//! (`tests/fixtures/`) and checks what it writes with independent tools.

mod archive_core;
mod bags;
mod cli;
mod export_epub;
mod export_pdf;
mod export_pdf_fidelity;
mod export_pdf_images;
mod export_pdf_links;
mod export_pdf_tags;
mod export_pdfa;
mod feeds;
mod import_batches;
mod import_captures;
mod import_fidelity;
mod import_web;
mod interop;
mod repair;
#[cfg(feature = "s3")]
mod s3;
mod safe_writes;
#[cfg(feature = "site")]
mod site;
mod support;
mod verify;
