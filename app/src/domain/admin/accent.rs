//! A brand's accent colour as the portal and emails use it. Buttons carry white text on the
//! accent, so a colour too light for that (a yellow, a pastel) is darkened, keeping its hue,
//! until white text on it reads at WCAG AA (4.5:1). The stylesheet is a pure function of the
//! colour, so its address can name the colour and be cached for good.

/// The accent and the shades the stylesheet derives from it, each `#rrggbb`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Palette {
    /// Buttons, links, the active nav entry: white text reads on it.
    pub accent: String,
    /// Hover and pressed states.
    pub dark: String,
    /// Soft backgrounds (the active nav entry, badges).
    pub soft: String,
}

/// White text on the accent must reach this contrast ratio.
const MIN_CONTRAST: f64 = 4.5;

type Rgb = [f64; 3];

fn parse(hex: &str) -> Option<Rgb> {
    let hex = hex.strip_prefix('#').unwrap_or(hex);
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok().map(f64::from);
    Some([channel(0)?, channel(2)?, channel(4)?])
}

fn to_hex(rgb: Rgb) -> String {
    let [r, g, b] = rgb.map(|c| c.round().clamp(0.0, 255.0) as u8);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// WCAG relative luminance.
fn luminance(rgb: Rgb) -> f64 {
    let [r, g, b] = rgb.map(|c| {
        let c = c / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    });
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// The contrast ratio of white text on `rgb`.
pub fn contrast_with_white(hex: &str) -> Option<f64> {
    parse(hex).map(|rgb| 1.05 / (luminance(rgb) + 0.05))
}

fn mix(rgb: Rgb, toward: f64, amount: f64) -> Rgb {
    rgb.map(|c| c + (toward - c) * amount)
}

/// The palette for a stored brand colour, or `None` for a value that isn't `#rrggbb`.
pub fn palette(hex: &str) -> Option<Palette> {
    let mut accent = parse(hex)?;
    // Toward black in small steps: the first shade that reads is the closest to the brand's.
    for _ in 0..100 {
        if 1.05 / (luminance(accent) + 0.05) >= MIN_CONTRAST {
            break;
        }
        accent = mix(accent, 0.0, 0.05);
    }
    Some(Palette {
        accent: to_hex(accent),
        dark: to_hex(mix(accent, 0.0, 0.25)),
        soft: to_hex(mix(accent, 255.0, 0.88)),
    })
}

/// The stylesheet that puts the palette in place of Trellis's own colours.
pub fn stylesheet(palette: &Palette) -> String {
    format!(
        ":root {{ --brand: {}; --brand-dark: {}; --brand-soft: {}; }}\n",
        palette.accent, palette.dark, palette.soft
    )
}

/// Where the stylesheet for a stored brand colour is served (`/theme/0f6e5a.css`).
pub fn stylesheet_path(hex: &str) -> Option<String> {
    parse(hex).map(|_| format!("/theme/{}.css", hex.trim_start_matches('#').to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dark_enough_colour_is_kept_and_a_light_one_darkened_until_white_text_reads() {
        let kept = palette("#0f6e5a").unwrap();
        assert_eq!(kept.accent, "#0f6e5a", "Trellis's own green already reads");
        for light in ["#ffee00", "#ffffff", "#7fd3c1", "#ff9900", "#AA3300"] {
            let p = palette(light).unwrap();
            let ratio = contrast_with_white(&p.accent).unwrap();
            assert!(ratio >= MIN_CONTRAST, "{light} became {} at {ratio:.2}", p.accent);
            // Only as dark as needed, not as dark as it goes.
            let changed = p.accent != light.to_ascii_lowercase();
            assert!(
                !changed || ratio < MIN_CONTRAST + 0.5,
                "{light} became {} at {ratio:.2}",
                p.accent
            );
        }
        let black = palette("#000000").unwrap();
        assert_eq!((black.accent.as_str(), black.dark.as_str()), ("#000000", "#000000"));
        assert_eq!(black.soft, "#e0e0e0");
    }

    #[test]
    fn the_hue_survives_darkening() {
        let p = parse(&palette("#ffee00").unwrap().accent).unwrap();
        assert!(p[0] > p[2] && p[1] > p[2], "still a yellow: {p:?}");
    }

    #[test]
    fn only_six_hex_digits_make_a_palette_or_a_stylesheet_address() {
        for bad in ["", "#fff", "#gggggg", "0f6e5a;}", "#0f6e5a0", "../../x"] {
            assert_eq!(palette(bad), None, "{bad}");
            assert_eq!(stylesheet_path(bad), None, "{bad}");
        }
        assert_eq!(stylesheet_path("#0F6E5A").as_deref(), Some("/theme/0f6e5a.css"));
        let css = stylesheet(&palette("0f6e5a").unwrap());
        assert!(
            css.starts_with(":root { --brand: #0f6e5a; --brand-dark: #0b5344;"),
            "{css}"
        );
    }
}
