//! A preview server for the site folder (`quire site --serve 127.0.0.1:8080`), with hyper on
//! a small tokio runtime: files by path, a folder's `index.html` for the folder, the media
//! types the site uses, nothing outside the folder. Any web server serves the same folder the
//! same way.

use super::SiteError;
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::fs;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};

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
        "avif" => "image/avif",
        "bmp" => "image/bmp",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// The file a request path names in `dir`, or `None` when it names nothing there (or tries
/// to leave the folder).
pub fn resolve(dir: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = crate::model::body::percent_decode(path);
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

/// The response to a request for `path`: the file it names, or 404.
fn answer(dir: &Path, path: &str) -> Response<Full<Bytes>> {
    let found =
        resolve(dir, path).and_then(|file| Some((media_type(&file), fs::read(&file).ok()?)));
    let (status, media, bytes) = match found {
        Some((media, bytes)) => (StatusCode::OK, media, bytes),
        None => (
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            b"Not found\n".to_vec(),
        ),
    };
    let mut response = Response::new(Full::new(Bytes::from(bytes)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        "content-type",
        hyper::header::HeaderValue::from_static(media),
    );
    headers.insert(
        "x-content-type-options",
        hyper::header::HeaderValue::from_static("nosniff"),
    );
    response
}

/// Serves `dir` at `addr` until the process ends. `ready` is told the address listened on
/// (the port is the system's choice for port 0).
pub fn serve(dir: &Path, addr: &str, ready: &dyn Fn(SocketAddr)) -> Result<(), SiteError> {
    let failed = |cause: std::io::Error| SiteError::Serve {
        addr: addr.to_string(),
        cause: cause.into(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(failed)?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(failed)?;
        ready(listener.local_addr().map_err(failed)?);
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue; // a connection that failed before it began is the client's business
            };
            let dir = dir.to_path_buf();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request: Request<_>| {
                    let response = answer(&dir, request.uri().path());
                    async move { Ok::<_, Infallible>(response) }
                });
                // A client that goes away mid-response is its own business.
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    })
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
        assert_eq!(media_type(Path::new("m/1-a.avif")), "image/avif");
        assert_eq!(media_type(Path::new("m/1-a.bmp")), "image/bmp");
        let response = answer(&site, "/issues/a%20b/");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(answer(&site, "/nothing").status(), StatusCode::NOT_FOUND);
    }
}
