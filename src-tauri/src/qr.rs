//! QR codes for the phone-app links, made here rather than fetched: the explainer draws them
//! from the module grid, so nothing leaves the machine to show them.

use qrcode::{EcLevel, QrCode};
use serde::Serialize;

use crate::commands::Link;

/// One code: `size` × `size` modules, row by row, `true` = dark.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Qr {
    pub url: &'static str,
    pub size: usize,
    pub dark: Vec<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhoneCodes {
    pub app_store: Qr,
    pub google_play: Qr,
}

/// The code for `link`. Medium error correction: the URLs are short, and a screen photographed
/// at an angle loses a few modules.
pub fn code(link: Link) -> Qr {
    let url = link.url();
    // A URL of under 100 bytes always fits a version-40 code; failing here is a programming error
    // in `Link::url`, caught by the tests below.
    let qr = QrCode::with_error_correction_level(url, EcLevel::M)
        .expect("store URLs are short enough for a QR code");
    Qr {
        url,
        size: qr.width(),
        dark: qr
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect(),
    }
}

pub fn phone_codes() -> PhoneCodes {
    PhoneCodes {
        app_store: code(Link::AppStore),
        google_play: code(Link::GooglePlay),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Draw the grid the way the explainer does (a quiet zone of 4 modules, `scale` px each)
    /// and read it back with an independent decoder.
    fn decode(q: &Qr, scale: usize) -> String {
        let side = (q.size + 8) * scale;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            let (mx, my) = ((x / scale) as isize - 4, (y / scale) as isize - 4);
            let inside = (0..q.size as isize).contains(&mx) && (0..q.size as isize).contains(&my);
            if inside && q.dark[my as usize * q.size + mx as usize] {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one code in the picture");
        grids[0].decode().expect("the code decodes").1
    }

    #[test]
    fn codes_decode_to_the_store_links() {
        let codes = phone_codes();
        assert_eq!(decode(&codes.app_store, 4), Link::AppStore.url());
        assert_eq!(decode(&codes.google_play, 3), Link::GooglePlay.url());
    }

    #[test]
    fn grid_is_square_and_complete() {
        let q = code(Link::GooglePlay);
        assert_eq!(q.dark.len(), q.size * q.size);
        assert!(
            q.size >= 21 && (q.size - 21) % 4 == 0,
            "a real QR size: {}",
            q.size
        );
    }
}
