//! Tray icons, drawn in code: a coloured disc with a white glyph.
//!
//! Drawn rather than shipped as files so they are crisp at whatever size the panel asks for
//! (16-64 px, HiDPI included), and so each state differs in *shape* as well as colour — a check,
//! a bar, an exclamation mark, a cross, a question mark, a pause sign — for colour-blind users
//! and monochrome panels. Pure: `render(look, size)` returns RGBA bytes, [`render_argb`] the
//! ARGB32 that the StatusNotifierItem protocol carries.

use gatewatch_core::diagnose::Verdict;
use gatewatch_core::monitor::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Look {
    /// Green with a check.
    Up,
    /// Amber with an exclamation mark: slow or partly failing.
    Degraded,
    /// Amber with a bar ("no entry"): up, but refusing you.
    Blocked,
    /// Red with a cross.
    Down,
    /// Grey with a question mark: offline or unknown.
    Unknown,
    /// Grey with a pause sign.
    Paused,
}

impl Look {
    #[cfg(test)]
    pub const ALL: [Look; 6] = [
        Look::Up,
        Look::Degraded,
        Look::Blocked,
        Look::Down,
        Look::Unknown,
        Look::Paused,
    ];

    pub fn of(status: &Status) -> Look {
        if status.paused {
            return Look::Paused;
        }
        match status.verdict {
            Verdict::Up => Look::Up,
            Verdict::Degraded => Look::Degraded,
            Verdict::Blocked => Look::Blocked,
            Verdict::BadGateway | Verdict::OriginError | Verdict::EdgeError => Look::Down,
            Verdict::Offline | Verdict::Unknown => Look::Unknown,
        }
    }

    /// The disc colour (sRGB).
    pub fn color(self) -> [u8; 3] {
        match self {
            Look::Up => [0x16, 0xa3, 0x4a],
            Look::Degraded | Look::Blocked => [0xf5, 0x9e, 0x0b],
            Look::Down => [0xdc, 0x26, 0x26],
            Look::Unknown | Look::Paused => [0x6b, 0x72, 0x80],
        }
    }
}

/// A stroke: a polyline with a thickness, plus dots, in a unit square.
struct Glyph {
    lines: &'static [&'static [(f32, f32)]],
    width: f32,
    dots: &'static [(f32, f32, f32)],
}

fn glyph(look: Look) -> Glyph {
    match look {
        Look::Up => Glyph {
            lines: &[&[(0.28, 0.52), (0.44, 0.68), (0.73, 0.36)]],
            width: 0.15,
            dots: &[],
        },
        Look::Degraded => Glyph {
            lines: &[&[(0.5, 0.25), (0.5, 0.57)]],
            width: 0.13,
            dots: &[(0.5, 0.74, 0.075)],
        },
        Look::Blocked => Glyph {
            lines: &[&[(0.29, 0.5), (0.71, 0.5)]],
            width: 0.15,
            dots: &[],
        },
        Look::Down => Glyph {
            lines: &[&[(0.33, 0.33), (0.67, 0.67)], &[(0.67, 0.33), (0.33, 0.67)]],
            width: 0.12,
            dots: &[],
        },
        Look::Unknown => Glyph {
            lines: &[&[
                (0.36, 0.37),
                (0.41, 0.28),
                (0.52, 0.25),
                (0.62, 0.29),
                (0.65, 0.38),
                (0.6, 0.46),
                (0.5, 0.52),
                (0.5, 0.6),
            ]],
            width: 0.11,
            dots: &[(0.5, 0.75, 0.07)],
        },
        Look::Paused => Glyph {
            lines: &[&[(0.4, 0.32), (0.4, 0.68)], &[(0.6, 0.32), (0.6, 0.68)]],
            width: 0.11,
            dots: &[],
        },
    }
}

fn dist_to_segment(p: (f32, f32), a: (f32, f32), b: (f32, f32)) -> f32 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    let (cx, cy) = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - cx).powi(2) + (p.1 - cy).powi(2)).sqrt()
}

/// `min_width`: strokes never thinner than ~2 px, so the glyph stays legible at 16 px.
fn in_glyph(g: &Glyph, p: (f32, f32), min_width: f32) -> bool {
    let half = g.width.max(min_width) / 2.0;
    g.lines.iter().any(|line| {
        line.windows(2)
            .any(|s| dist_to_segment(p, s[0], s[1]) <= half)
    }) || g
        .dots
        .iter()
        .any(|&(x, y, r)| ((p.0 - x).powi(2) + (p.1 - y).powi(2)).sqrt() <= r)
}

/// RGBA pixels, `size`×`size`, premultiplied-free (straight alpha).
pub fn render(look: Look, size: u32) -> Vec<u8> {
    const SS: u32 = 4; // 4×4 supersampling for smooth edges
    let g = glyph(look);
    let [r, gr, b] = look.color();
    // A slightly darker rim keeps the disc visible on panels of the same colour.
    let rim = [r / 4 * 3, gr / 4 * 3, b / 4 * 3];
    let radius = 0.47;
    let rim_width = (1.0 / size as f32).max(0.03);
    let mut out = Vec::with_capacity((size * size * 4) as usize);
    for y in 0..size {
        for x in 0..size {
            let (mut acc, mut cover) = ([0f32; 3], 0f32);
            for sy in 0..SS {
                for sx in 0..SS {
                    let p = (
                        (x as f32 + (sx as f32 + 0.5) / SS as f32) / size as f32,
                        (y as f32 + (sy as f32 + 0.5) / SS as f32) / size as f32,
                    );
                    let d = ((p.0 - 0.5).powi(2) + (p.1 - 0.5).powi(2)).sqrt();
                    if d > radius {
                        continue;
                    }
                    cover += 1.0;
                    let c = if in_glyph(&g, p, 2.2 / size as f32) {
                        [255, 255, 255]
                    } else if d > radius - rim_width {
                        rim
                    } else {
                        [r, gr, b]
                    };
                    for i in 0..3 {
                        acc[i] += f32::from(c[i]);
                    }
                }
            }
            if cover == 0.0 {
                out.extend_from_slice(&[0, 0, 0, 0]);
            } else {
                let n = (SS * SS) as f32;
                out.extend_from_slice(&[
                    (acc[0] / cover).round() as u8,
                    (acc[1] / cover).round() as u8,
                    (acc[2] / cover).round() as u8,
                    (cover / n * 255.0).round() as u8,
                ]);
            }
        }
    }
    out
}

/// ARGB32, network byte order, as StatusNotifierItem's `IconPixmap` wants it.
#[cfg(target_os = "linux")]
pub fn render_argb(look: Look, size: u32) -> Vec<u8> {
    let mut px = render(look, size);
    for p in px.chunks_exact_mut(4) {
        p.rotate_right(1);
    }
    px
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn argb_is_rgba_with_alpha_first() {
        let rgba = render(Look::Down, 16);
        let argb = render_argb(Look::Down, 16);
        for (a, b) in rgba.chunks(4).zip(argb.chunks(4)) {
            assert_eq!([a[3], a[0], a[1], a[2]], [b[0], b[1], b[2], b[3]]);
        }
    }

    fn px(img: &[u8], size: u32, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * size + x) * 4) as usize;
        [img[i], img[i + 1], img[i + 2], img[i + 3]]
    }

    #[test]
    fn discs_have_their_colour_and_transparent_corners() {
        for size in [16, 22, 32, 64] {
            for look in Look::ALL {
                let img = render(look, size);
                assert_eq!(img.len(), (size * size * 4) as usize);
                assert_eq!(px(&img, size, 0, 0)[3], 0, "corner is transparent");
                // Left of centre, inside the disc, clear of every glyph.
                let p = px(&img, size, size * 17 / 100, size / 2);
                let [r, g, b] = look.color();
                assert_eq!(p, [r, g, b, 255], "{look:?} at {size}px");
            }
        }
    }

    /// Which pixels are glyph-white: the shape alone must tell the states apart.
    fn mask(look: Look, size: u32) -> Vec<bool> {
        render(look, size)
            .chunks(4)
            .map(|p| p[0] > 200 && p[1] > 200 && p[2] > 200 && p[3] > 200)
            .collect()
    }

    #[test]
    fn every_state_has_its_own_shape() {
        for size in [16, 32] {
            let masks: Vec<Vec<bool>> = Look::ALL.iter().map(|l| mask(*l, size)).collect();
            for (i, a) in masks.iter().enumerate() {
                assert!(
                    a.iter().filter(|w| **w).count() >= (size as usize),
                    "{:?} glyph too faint",
                    Look::ALL[i]
                );
                for (j, b) in masks.iter().enumerate().skip(i + 1) {
                    let differ = a.iter().zip(b).filter(|(x, y)| x != y).count();
                    assert!(
                        differ >= (size as usize) / 2,
                        "{:?} vs {:?} differ by {differ} px at {size}",
                        Look::ALL[i],
                        Look::ALL[j]
                    );
                }
            }
        }
    }
}
