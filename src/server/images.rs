//! Uploaded photos: read as what their bytes are (not what the browser says), turned upright,
//! re-encoded without their metadata, in the widths pages ask for. Files go to an
//! [`ImageFiles`] storage: a folder under `data/` here, an object store for several instances.
use async_trait::async_trait;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;
use std::path::PathBuf;

/// The largest upload taken (a phone's photo is 2–8 MB).
pub const MAX_UPLOAD_BYTES: usize = 15 * 1024 * 1024;
/// The widths a photo is stored in (each no wider than the photo); the widest also serves
/// social networks.
pub const PHOTO_WIDTHS: &[u32] = &[480, 960, 1600];
/// The widths of an NGO's logo: shown 48–96 px wide, on screens of 1–3 device pixels a pixel
/// (a photo's 480 px would make a page of 24 logos weigh half a megabyte).
pub const LOGO_WIDTHS: &[u32] = &[96, 192, 384];
/// Larger sides are refused before decoding (a small file can declare a huge canvas).
const MAX_SIDE: u32 = 12_000;
/// And more pixels than a 40-megapixel camera makes (decoded, 120 MB; the conversion copies it).
const MAX_PIXELS: u64 = 40_000_000;
const JPEG_QUALITY: u8 = 80;

/// Why an upload was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImageRejection {
    #[error("not a JPEG, PNG or WebP picture")]
    UnsupportedType,
    #[error("the picture could not be read")]
    Unreadable,
    #[error("the picture is too large")]
    TooLarge,
}

/// A photo ready to store: its size upright, and a JPEG per width.
pub struct ProcessedImage {
    pub width: u32,
    pub height: u32,
    pub files: Vec<(u32, Vec<u8>)>,
}

/// Decodes `bytes` (JPEG, PNG or WebP, sniffed), applies the EXIF orientation, flattens any
/// transparency onto white and encodes JPEGs of `widths` (ascending, as [`PHOTO_WIDTHS`]).
/// CPU-bound: run it off the async threads.
pub fn process(bytes: &[u8], widths: &[u32]) -> Result<ProcessedImage, ImageRejection> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(ImageRejection::TooLarge);
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| ImageRejection::Unreadable)?;
    if !matches!(
        reader.format(),
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)
    ) {
        return Err(ImageRejection::UnsupportedType);
    }
    let mut decoder = reader.into_decoder().map_err(|_| ImageRejection::Unreadable)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    decoder.set_limits(limits).map_err(|_| ImageRejection::TooLarge)?;
    let (declared_width, declared_height) = decoder.dimensions();
    if u64::from(declared_width) * u64::from(declared_height) > MAX_PIXELS {
        return Err(ImageRejection::TooLarge);
    }
    let orientation = decoder.orientation().map_err(|_| ImageRejection::Unreadable)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|error| match error {
        image::ImageError::Limits(_) => ImageRejection::TooLarge,
        _ => ImageRejection::Unreadable,
    })?;
    picture.apply_orientation(orientation);
    let upright = flatten(&picture);
    let (width, height) = upright.dimensions();
    let mut stored: Vec<u32> = widths.iter().copied().filter(|w| *w < width).collect();
    stored.push(width.min(*widths.last().unwrap_or(&width)));
    stored.dedup();
    let mut files = Vec::with_capacity(stored.len());
    for target in stored {
        let resized = if target == width {
            upright.clone()
        } else {
            let target_height = (u64::from(height) * u64::from(target) / u64::from(width)).max(1) as u32;
            image::imageops::resize(&upright, target, target_height, image::imageops::FilterType::CatmullRom)
        };
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
            .encode_image(&resized)
            .map_err(|_| ImageRejection::Unreadable)?;
        files.push((target, jpeg));
    }
    let widest = files.last().map_or(width, |(w, _)| *w);
    Ok(ProcessedImage {
        width: widest,
        height: (u64::from(height) * u64::from(widest) / u64::from(width)).max(1) as u32,
        files,
    })
}

/// Conversions at once in this process: each takes a core and up to a few hundred MB.
static CONVERSIONS: std::sync::LazyLock<std::sync::Arc<tokio::sync::Semaphore>> =
    std::sync::LazyLock::new(|| std::sync::Arc::new(tokio::sync::Semaphore::new(1)));

/// [`process`] on a blocking thread, one conversion at a time. The turn is held by the
/// conversion itself, so a request that is dropped (the client went away) does not free it
/// while the work goes on.
pub async fn convert(bytes: axum::body::Bytes, widths: &'static [u32]) -> Result<ProcessedImage, ImageRejection> {
    let turn = CONVERSIONS
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ImageRejection::Unreadable)?;
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        process(&bytes, widths)
    })
    .await
    .unwrap_or_else(|error| {
        tracing::error!(%error, "image conversion failed");
        Err(ImageRejection::Unreadable)
    })
}

/// RGB on white: JPEG has no transparency, and a transparent logo on black looks broken.
fn flatten(picture: &DynamicImage) -> image::RgbImage {
    if !picture.color().has_alpha() {
        return picture.to_rgb8();
    }
    let rgba = picture.to_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

/// Where image files live. Names are `{key}-{width}.jpg` with a random key.
#[async_trait]
pub trait ImageFiles: Send + Sync {
    async fn put(&self, name: &str, bytes: Vec<u8>) -> std::io::Result<()>;
    async fn get(&self, name: &str) -> std::io::Result<Option<Vec<u8>>>;
    /// Removes the file `name`; one that is not there is removed already.
    async fn delete(&self, name: &str) -> std::io::Result<()>;
}

/// A folder on the server's disk.
pub struct DiskImages {
    dir: PathBuf,
}

impl DiskImages {
    pub fn new(dir: PathBuf) -> DiskImages {
        DiskImages { dir }
    }
}

#[async_trait]
impl ImageFiles for DiskImages {
    async fn put(&self, name: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        tokio::fs::create_dir_all(&self.dir).await?;
        // Written aside, then renamed: a reader never sees half a file.
        let partial = self.dir.join(format!(".{name}.partial"));
        tokio::fs::write(&partial, bytes).await?;
        tokio::fs::rename(&partial, self.dir.join(name)).await
    }

    async fn get(&self, name: &str) -> std::io::Result<Option<Vec<u8>>> {
        match tokio::fs::read(self.dir.join(name)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error),
        }
    }

    async fn delete(&self, name: &str) -> std::io::Result<()> {
        match tokio::fs::remove_file(self.dir.join(name)).await {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
            _ => Ok(()),
        }
    }
}

/// Removes the files of the image `key` at `widths` (no longer shown anywhere); a file that
/// cannot be removed is logged and left.
pub async fn delete_files(files: &dyn ImageFiles, key: &str, widths: &[u32]) {
    for width in widths {
        if let Err(error) = files.delete(&format!("{key}-{width}.jpg")).await {
            tracing::warn!(%error, "image file not removed");
        }
    }
}

/// Puts each file of `processed` in `files` under one new random key, and answers the image's
/// record to store (its id and alternative text not yet given).
pub async fn put_files(
    files: &dyn ImageFiles,
    processed: ProcessedImage,
) -> std::io::Result<crate::server::store::ImageRecord> {
    let key = super::tokens::ManageTokens::new_nonce();
    let widths: Vec<u32> = processed.files.iter().map(|(width, _)| *width).collect();
    for (width, bytes) in processed.files {
        files.put(&format!("{key}-{width}.jpg"), bytes).await?;
    }
    Ok(crate::server::store::ImageRecord {
        id: 0,
        key,
        width: processed.width,
        height: processed.height,
        widths,
        alt_bg: String::new(),
        alt_en: String::new(),
    })
}

/// Whether `name` is a file name the portal makes (`{32 hex}-{width}.jpg`): nothing else is
/// looked up, so no path can leave the folder.
pub fn is_image_file_name(name: &str) -> bool {
    let Some((key, rest)) = name.split_once('-') else {
        return false;
    };
    let Some(width) = rest.strip_suffix(".jpg") else {
        return false;
    };
    key.len() == 32
        && key.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && !width.is_empty()
        && width.len() <= 5
        && width.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::GenericImageView;

    fn encoded(picture: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut bytes = Cursor::new(Vec::new());
        picture.write_to(&mut bytes, format).unwrap();
        bytes.into_inner()
    }

    #[test]
    fn a_large_photo_is_stored_in_each_width_as_jpeg_keeping_its_proportions() {
        let photo = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(2000, 1000, image::Rgb([200, 80, 40])));
        let processed = process(&encoded(&photo, ImageFormat::Png), PHOTO_WIDTHS).unwrap();
        let widths: Vec<u32> = processed.files.iter().map(|(w, _)| *w).collect();
        assert_eq!(widths, vec![480, 960, 1600]);
        assert_eq!((processed.width, processed.height), (1600, 800));
        for (width, bytes) in &processed.files {
            assert_eq!(image::guess_format(bytes).unwrap(), ImageFormat::Jpeg);
            let back = image::load_from_memory(bytes).unwrap();
            assert_eq!(back.dimensions(), (*width, width / 2));
        }
    }

    #[test]
    fn a_logo_is_stored_in_logo_widths_not_photo_widths() {
        let logo = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(1000, 500, image::Rgba([20, 90, 160, 255])));
        let processed = process(&encoded(&logo, ImageFormat::Png), LOGO_WIDTHS).unwrap();
        let widths: Vec<u32> = processed.files.iter().map(|(w, _)| *w).collect();
        assert_eq!(widths, vec![96, 192, 384]);
        assert_eq!((processed.width, processed.height), (384, 192));
        assert!(processed.files.iter().all(|(_, bytes)| bytes.len() < 20_000));
    }

    #[test]
    fn a_small_picture_is_not_enlarged() {
        let small = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(300, 200, image::Rgba([0, 0, 0, 0])));
        let processed = process(&encoded(&small, ImageFormat::Png), PHOTO_WIDTHS).unwrap();
        assert_eq!(processed.files.len(), 1);
        assert_eq!((processed.width, processed.height), (300, 200));
        // Transparency became white, not black.
        let back = image::load_from_memory(&processed.files[0].1).unwrap().to_rgb8();
        assert!(back.get_pixel(10, 10).0.iter().all(|c| *c > 240));
    }

    #[test]
    fn a_phone_photo_is_turned_upright_and_its_exif_dropped() {
        let landscape = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(200, 100, image::Rgb([10, 120, 90])));
        let jpeg = encoded(&landscape, ImageFormat::Jpeg);
        // An EXIF block saying "rotate 90° clockwise to show" (orientation 6), as phones write.
        let tiff: [u8; 26] = [
            0x49, 0x49, 0x2A, 0x00, 0x08, 0, 0, 0, 0x01, 0x00, 0x12, 0x01, 0x03, 0x00, 0x01, 0, 0, 0, 0x06, 0x00, 0, 0,
            0, 0, 0, 0,
        ];
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let length = u16::try_from(app1.len() + 2).unwrap().to_be_bytes();
        let mut with_exif = vec![0xFF, 0xD8, 0xFF, 0xE1, length[0], length[1]];
        with_exif.extend_from_slice(&app1);
        with_exif.extend_from_slice(&jpeg[2..]);
        let processed = process(&with_exif, PHOTO_WIDTHS).unwrap();
        assert_eq!((processed.width, processed.height), (100, 200));
        let stored = &processed.files[0].1;
        assert!(!stored.windows(4).any(|w| w == b"Exif"));
    }

    #[test]
    fn a_small_file_declaring_a_huge_canvas_is_refused_before_decoding() {
        // 9000 × 9000 (81 megapixels) of one colour compresses to a few hundred kB.
        let huge = DynamicImage::ImageLuma8(image::GrayImage::new(9000, 9000));
        let bytes = encoded(&huge, ImageFormat::Png);
        assert!(bytes.len() < MAX_UPLOAD_BYTES);
        assert_eq!(process(&bytes, PHOTO_WIDTHS).err(), Some(ImageRejection::TooLarge));
    }

    #[test]
    fn what_is_not_a_picture_is_refused_whatever_it_is_called() {
        assert_eq!(
            process(
                b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
                PHOTO_WIDTHS
            )
            .err(),
            Some(ImageRejection::UnsupportedType)
        );
        assert_eq!(
            process(b"GIF89a....", PHOTO_WIDTHS).err(),
            Some(ImageRejection::UnsupportedType)
        );
        let mut truncated = encoded(
            &DynamicImage::ImageRgb8(image::RgbImage::new(100, 100)),
            ImageFormat::Png,
        );
        truncated.truncate(60);
        assert_eq!(
            process(&truncated, PHOTO_WIDTHS).err(),
            Some(ImageRejection::Unreadable)
        );
    }

    #[test]
    fn only_names_the_portal_makes_are_looked_up() {
        assert!(is_image_file_name("0123456789abcdef0123456789abcdef-960.jpg"));
        assert!(!is_image_file_name("../secret.key"));
        assert!(!is_image_file_name("0123456789abcdef0123456789abcdef-960.jpg/../../x"));
        assert!(!is_image_file_name("0123456789ABCDEF0123456789abcdef-960.jpg"));
        assert!(!is_image_file_name("0123456789abcdef0123456789abcdef-.jpg"));
    }
}
