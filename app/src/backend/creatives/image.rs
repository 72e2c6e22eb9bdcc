//! Reading a banner: its type from its bytes, its size from its header, and a thumbnail for the
//! gallery, all under limits so that a decompression bomb or a huge canvas is refused before it
//! can take the memory. Decoding is CPU work: callers run it off the async threads.

use crate::domain::creatives::image_type::{self, ImageType, MAX_BYTES, MAX_SIDE, RULES};
use image::{ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// Thumbnails fit in this square.
pub const THUMB_SIDE: u32 = 320;
/// What a decoder may allocate: a full 4,000 × 4,000 RGBA canvas, and a little more.
const MAX_ALLOC: u64 = 72 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inspected {
    pub image_type: ImageType,
    pub width: u32,
    pub height: u32,
    /// A PNG no larger than THUMB_SIDE on either side.
    pub thumbnail: Vec<u8>,
}

/// `inspect`, off the async threads: decoding takes CPU time (milliseconds for a large banner).
pub async fn inspect_off_thread(bytes: &[u8]) -> Result<Inspected, String> {
    let bytes = bytes.to_vec();
    tokio::task::spawn_blocking(move || inspect(&bytes))
        .await
        .unwrap_or_else(|_| Err("The image can't be read.".into()))
}

pub fn inspect(bytes: &[u8]) -> Result<Inspected, String> {
    if bytes.len() > MAX_BYTES {
        return Err(format!("The image is larger than 5 MB. Use {RULES}"));
    }
    let image_type = image_type::sniff(bytes)?;
    // The header alone (no pixels are decoded), so an oversized canvas gets its own message.
    let mut header = ImageReader::with_format(Cursor::new(bytes), format_of(image_type));
    header.no_limits();
    let (width, height) = header.into_dimensions().map_err(|_| corrupt())?;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(format!(
            "The image is {width} × {height} pixels; at most {MAX_SIDE} on each side is accepted."
        ));
    }
    let decoded = bounded_reader(bytes, image_type).decode().map_err(|e| match e {
        image::ImageError::Limits(_) => format!("The image needs too much memory to open. Use {RULES}"),
        _ => corrupt(),
    })?;
    let mut thumbnail = Vec::new();
    decoded
        .thumbnail(THUMB_SIDE, THUMB_SIDE)
        .write_to(&mut Cursor::new(&mut thumbnail), ImageFormat::Png)
        .map_err(|_| corrupt())?;
    Ok(Inspected {
        image_type,
        width,
        height,
        thumbnail,
    })
}

fn format_of(image_type: ImageType) -> ImageFormat {
    match image_type {
        ImageType::Png => ImageFormat::Png,
        ImageType::Jpeg => ImageFormat::Jpeg,
        ImageType::Gif => ImageFormat::Gif,
        ImageType::Webp => ImageFormat::WebP,
    }
}

fn bounded_reader(bytes: &[u8], image_type: ImageType) -> ImageReader<Cursor<&[u8]>> {
    let format = format_of(image_type);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    reader
}

fn corrupt() -> String {
    "The image can't be read: the file is damaged or not really an image.".into()
}

#[cfg(test)]
mod tests {
    use super::samples::{image as sample, png_claiming};
    use super::*;

    #[test]
    fn size_and_thumbnail_come_from_the_file() {
        for image_type in [ImageType::Png, ImageType::Jpeg, ImageType::Gif, ImageType::Webp] {
            let inspected = inspect(&sample(728, 90, image_type)).unwrap();
            assert_eq!(
                (inspected.image_type, inspected.width, inspected.height),
                (image_type, 728, 90)
            );
            let thumb = image::load_from_memory(&inspected.thumbnail).unwrap();
            assert_eq!((thumb.width(), thumb.height()), (320, 40));
        }
    }

    #[test]
    fn a_truncated_file_is_refused_as_damaged() {
        let png = sample(300, 250, ImageType::Png);
        assert!(inspect(&png[..png.len() / 2]).unwrap_err().contains("damaged"));
        assert!(inspect(b"\x89PNG\r\n\x1a\nnot really").unwrap_err().contains("damaged"));
    }

    /// A PNG whose header claims a 20,000 × 20,000 canvas: a few hundred bytes that would
    /// decode to 1.6 GB. It is refused from its header, before anything is allocated.
    #[test]
    fn a_decompression_bomb_is_refused_before_decoding() {
        let bomb = png_claiming(20_000, 20_000);
        assert!(bomb.len() < 1000);
        let message = inspect(&bomb).unwrap_err();
        assert!(message.contains("20000 × 20000 pixels"), "{message}");
    }
}

/// Images for tests: real files of any size and type, and a decompression bomb's header.
#[cfg(any(test, feature = "testing"))]
pub mod samples {
    use super::{format_of, ImageType};
    use std::io::Cursor;

    pub fn image(width: u32, height: u32, image_type: ImageType) -> Vec<u8> {
        let pixels = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(pixels)
            .write_to(&mut Cursor::new(&mut out), format_of(image_type))
            .expect("encoding a test image");
        out
    }

    /// A PNG's signature and header (with a correct CRC) claiming an RGB canvas of any size: a
    /// few dozen bytes that would decode to width × height × 3.
    pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend(width.to_be_bytes());
        ihdr.extend(height.to_be_bytes());
        ihdr.extend([8, 2, 0, 0, 0]);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        for chunk in [ihdr, b"IDAT\x78\x9c\x03\x00\x00\x00\x00\x01".to_vec(), b"IEND".to_vec()] {
            png.extend((chunk.len() as u32 - 4).to_be_bytes());
            png.extend(&chunk);
            png.extend(crc32(&chunk).to_be_bytes());
        }
        png
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}

/// A plain generated banner for the demo: a band of `colour` that fades to white, with a
/// darker bar where a call to action would be.
pub fn demo_banner(width: u32, height: u32, colour: [u8; 3]) -> Vec<u8> {
    let bar = (width.min(height) / 4).max(6);
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        let along = if width >= height {
            x * 255 / width
        } else {
            y * 255 / height
        } as u16;
        let fade = |c: u8| (u16::from(c) + (255 - u16::from(c)) * along / 400) as u8;
        let in_bar = if width >= height {
            x + bar * 2 > width
        } else {
            y + bar * 2 > height
        };
        if in_bar {
            image::Rgb(colour.map(|c| c / 2))
        } else {
            image::Rgb(colour.map(fade))
        }
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .map(|()| out)
        .unwrap_or_default()
}
