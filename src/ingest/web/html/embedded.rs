//! Pictures a page carries in itself rather than by address: a `data:` address (SingleFile
//! saves every picture of a page so) and an inline `<svg>` (a chart, a map, a diagram). The
//! import stores each as an asset of the issue, as it stores a picture saved beside the
//! capture; a placeholder a lazy loader shows until the real picture comes, or an icon, is no
//! picture of the article.

use super::convert::{pixels, ICON_PIXELS};
use dom_query::NodeRef;

/// A picture's bytes and the file ending its media type gives (`png`, `jpg`, `svg`), from a
/// `data:image/…` address; none for another address, a placeholder or one that does not
/// decode.
pub(crate) fn embedded_picture(address: &str) -> Option<(Vec<u8>, String)> {
    let url = data_url::DataUrl::process(address.trim()).ok()?;
    let mime = url.mime_type();
    if mime.type_ != "image" {
        return None;
    }
    let (bytes, _) = url.decode_to_vec().ok()?;
    let ending = match mime.subtype.as_str() {
        "jpeg" | "pjpeg" | "jpg" => "jpg".to_string(),
        "svg+xml" => "svg".to_string(),
        "x-icon" | "vnd.microsoft.icon" => "ico".to_string(),
        other => other.chars().filter(char::is_ascii_alphanumeric).collect(),
    };
    (!ending.is_empty() && !is_placeholder(&bytes, &ending)).then_some((bytes, ending))
}

/// A lazy loader's placeholder: a picture of a pixel or two each way, or an SVG that draws
/// nothing (an empty `<svg>` of the picture's size).
fn is_placeholder(bytes: &[u8], ending: &str) -> bool {
    if ending == "svg" {
        let text = String::from_utf8_lossy(bytes);
        let inside = text
            .split_once('>')
            .map_or("", |(_, rest)| rest)
            .trim_start();
        return text.trim_end().ends_with("/>") && !inside.contains('<')
            || inside.starts_with("</svg");
    }
    imagesize::blob_size(bytes).is_ok_and(|size| size.width <= 2 && size.height <= 2)
}

/// True for an inline SVG that is a picture of the article: one a figure holds, or one marked
/// as an image (`role="img"`) that names itself (`aria-label`, a `<title>`); not one hidden
/// from readers, nor an icon (drawn 48 pixels or less each way).
pub(super) fn is_svg_picture(node: &NodeRef) -> bool {
    if !node.has_name("svg") || node.attr("aria-hidden").is_some_and(|v| v.trim() == "true") {
        return false;
    }
    let in_figure = node.ancestors_it(None).any(|a| a.has_name("figure"));
    let image = node
        .attr("role")
        .is_some_and(|r| r.trim().eq_ignore_ascii_case("img"));
    (in_figure || image && svg_name(node).is_some()) && !is_icon(node)
}

/// What an inline SVG says it shows: its `aria-label`, else its `<title>`.
pub(super) fn svg_name(node: &NodeRef) -> Option<String> {
    let title = || {
        node.element_children()
            .into_iter()
            .find(|c| c.has_name("title"))
            .map(|t| t.text().to_string())
    };
    node.attr("aria-label")
        .map(|l| l.to_string())
        .or_else(title)
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
}

/// True for an SVG drawn small (its `width` and `height`, else its `viewBox`'s).
fn is_icon(node: &NodeRef) -> bool {
    let length = |side: &str| pixels(node, side);
    let view = || {
        let boxed = node.attr("viewBox").or_else(|| node.attr("viewbox"))?;
        let numbers: Vec<f64> = boxed
            .split([' ', ','])
            .filter_map(|n| n.trim().parse().ok())
            .collect();
        match numbers.as_slice() {
            [_, _, w, h] => Some((*w, *h)),
            _ => None,
        }
    };
    let size = match (length("width"), length("height")) {
        (Some(w), Some(h)) => Some((w, h)),
        _ => view(),
    };
    size.is_some_and(|(w, h)| w <= ICON_PIXELS && h <= ICON_PIXELS)
}

/// An inline SVG as a `data:` address of a standalone SVG file (its namespaces declared, as
/// the HTML page needed them not).
pub(super) fn svg_address(node: &NodeRef) -> String {
    let mut svg = node.html().to_string().replace("&nbsp;", "&#160;");
    if !svg.contains("xmlns=") {
        svg = svg.replacen("<svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"", 1);
    }
    if svg.contains("xlink:") && !svg.contains("xmlns:xlink") {
        svg = svg.replacen(
            "<svg",
            "<svg xmlns:xlink=\"http://www.w3.org/1999/xlink\"",
            1,
        );
    }
    let encoded = percent_encoding::utf8_percent_encode(&svg, percent_encoding::NON_ALPHANUMERIC);
    format!("data:image/svg+xml,{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use dom_query::Document;

    #[test]
    fn a_data_address_is_a_picture_unless_it_is_a_placeholder() {
        let png = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/web/html/images/harbour.png"),
        )
        .unwrap();
        use base64::Engine;
        let address = format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&png)
        );
        assert_eq!(embedded_picture(&address), Some((png, "png".into())));
        // A lazy loader's transparent pixel and empty SVG.
        for placeholder in [
            "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7",
            "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20width='800'%20height='600'%3E%3C/svg%3E",
            "data:text/plain;base64,SGVsbG8=",
        ] {
            assert_eq!(embedded_picture(placeholder), None, "{placeholder}");
        }
    }

    #[test]
    fn an_inline_svg_is_a_picture_in_a_figure_or_named_as_an_image_and_never_an_icon() {
        let document = Document::from(
            "<figure><svg id=chart viewBox=\"0 0 600 300\"><title>Passengers by year</title><rect width=\"10\" height=\"10\"/></svg></figure>\
             <p><svg id=named role=\"img\" aria-label=\"Tide table\" width=\"400\" height=\"200\"><rect/></svg></p>\
             <p><svg id=unnamed role=\"img\" width=\"400\" height=\"200\"><rect/></svg></p>\
             <figure><svg id=icon viewBox=\"0 0 24 24\"><path d=\"M0 0\"/></svg></figure>\
             <figure><svg id=hidden aria-hidden=\"true\" viewBox=\"0 0 600 300\"><rect/></svg></figure>",
        );
        let picture = |id: &str| is_svg_picture(&document.select(&format!("#{id}")).nodes()[0]);
        assert!(picture("chart") && picture("named"));
        assert!(!picture("unnamed") && !picture("icon") && !picture("hidden"));
        let chart = document.select("#chart").nodes()[0];
        assert_eq!(svg_name(&chart).as_deref(), Some("Passengers by year"));
        let (bytes, ending) = embedded_picture(&svg_address(&chart)).unwrap_or_default();
        let svg = String::from_utf8(bytes).unwrap();
        assert_eq!(ending, "svg");
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart\" viewBox=\"0 0 600 300\"><title>"),
            "{svg}"
        );
    }
}
