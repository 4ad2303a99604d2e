//! A preview server for the site folder (`quire site --serve 127.0.0.1:8080`), with
//! tiny_http: files by path, a folder's `index.html` for the folder, the media types the site
//! uses, nothing outside the folder. Any web server serves the same folder the same way.

use super::SiteError;
use std::fs;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use tiny_http::{Header, Response, Server};

/// The media type of a file of the site, by its name.
pub fn media_type(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match super::paths::extension(name).as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if name == "rss.xml" => "application/rss+xml",
        "xml" if name == "opds.xml" => "application/atom+xml;profile=opds-catalog;kind=acquisition",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "epub" => "application/epub+zip",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

/// The file a request path names in `dir`, or `None` when it names nothing there (or tries
/// to leave the folder).
pub fn resolve(dir: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = crate::export::pdf::compose::percent_decode(path);
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let mut file = dir.join(relative);
    if file.is_dir() {
        file = file.join(super::paths::INDEX);
    }
    file.is_file().then_some(file)
}

/// Serves `dir` at `addr` until the process ends. `ready` is told the address listened on
/// (the port is the system's choice for port 0).
pub fn serve(dir: &Path, addr: &str, ready: &dyn Fn(SocketAddr)) -> Result<(), SiteError> {
    let server = Server::http(addr).map_err(|cause| SiteError::Serve {
        addr: addr.to_string(),
        cause,
    })?;
    if let Some(address) = server.server_addr().to_ip() {
        ready(address);
    }
    for request in server.incoming_requests() {
        let found = resolve(dir, request.url()).and_then(|file| {
            let bytes = fs::read(&file).ok()?;
            Some((media_type(&file), bytes))
        });
        let response = match found {
            Some((media, bytes)) => Response::from_data(bytes)
                .with_header(header("Content-Type", media))
                .with_header(header("X-Content-Type-Options", "nosniff")),
            None => Response::from_string("Not found\n")
                .with_status_code(404)
                .with_header(header("Content-Type", "text/plain; charset=utf-8")),
        };
        // A client that went away is its own business.
        let _ = request.respond(response);
    }
    Ok(())
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header text")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_finds_files_and_folder_pages_and_never_leaves_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("issues/a b")).unwrap();
        fs::write(site.join("index.html"), "home").unwrap();
        fs::write(site.join("issues/a b/index.html"), "issue").unwrap();
        fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        assert_eq!(resolve(&site, "/"), Some(site.join("index.html")));
        assert_eq!(
            resolve(&site, "/issues/a%20b/?q=1"),
            Some(site.join("issues/a b/index.html"))
        );
        assert_eq!(resolve(&site, "/../secret.txt"), None);
        assert_eq!(resolve(&site, "/%2e%2e/secret.txt"), None);
        assert_eq!(resolve(&site, "/missing.html"), None);
        assert_eq!(media_type(Path::new("x/rss.xml")), "application/rss+xml");
        assert_eq!(media_type(Path::new("a.html")), "text/html; charset=utf-8");
    }
}
