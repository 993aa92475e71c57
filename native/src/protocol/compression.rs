//! Values compressed in GLIDE's stored format, so that what one GLIDE client writes with
//! compression on, any other reads back.
//!
//! A compressed value is a 5-byte header, `00 01 02` (the magic), a version byte (`00`) and a
//! backend id (`01` zstd, `02` lz4), then the backend's payload: for zstd one standard frame;
//! for lz4 the original length as a 4-byte little-endian integer, then one raw LZ4 block (not the
//! LZ4 frame format). A value is stored compressed only when that is smaller than the value.
//!
//! Pure functions of their input: which commands compress and decompress is decided by the
//! TypeScript side (`shared/compression.ts`), which calls these through `ffi.rs`.

use std::cell::RefCell;
use std::io::Read;

/// The magic bytes every compressed value starts with.
pub const MAGIC: [u8; 3] = [0x00, 0x01, 0x02];
/// The only header version there is.
pub const VERSION: u8 = 0x00;
/// Magic, version, backend id.
pub const HEADER_LEN: usize = 5;

/// A compression backend, by the id its values carry in their header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Zstd = 0x01,
    Lz4 = 0x02,
}

impl Backend {
    /// The backend whose id is `id`.
    pub fn from_id(id: u8) -> Option<Backend> {
        match id {
            0x01 => Some(Backend::Zstd),
            0x02 => Some(Backend::Lz4),
            _ => None,
        }
    }

    /// The compression levels this backend accepts (GLIDE's ranges).
    pub fn levels(self) -> std::ops::RangeInclusive<i32> {
        match self {
            Backend::Zstd => zstd::compression_level_range(),
            Backend::Lz4 => -128..=12,
        }
    }
}

/// Why a value that carries the header could not be decompressed.
#[derive(Debug, PartialEq, Eq)]
pub enum DecompressError {
    /// The payload is not valid for its backend, or the backend id is unknown: GLIDE then
    /// returns the stored bytes as they are.
    Corrupt,
    /// The value would decompress to more than the limit (a decompression bomb).
    TooLarge,
}

/// Whether `value` carries the header of a compressed value.
pub fn is_compressed(value: &[u8]) -> bool {
    value.len() >= HEADER_LEN && value[..3] == MAGIC
}

thread_local! {
    /// A zstd compression context per thread (and level), reused: making one costs more than
    /// compressing a small value.
    static ZSTD: RefCell<Option<(i32, zstd::bulk::Compressor<'static>)>> = const { RefCell::new(None) };
}

/// Compresses `value` with `backend` at `level` into `out`, header included, and returns the
/// length written; `None` when the result would not fit `out` (callers give less room than
/// the value: a value is stored compressed only when that makes it smaller), or `value`
/// already carries the header, or the level is invalid.
pub fn compress_into(backend: Backend, level: i32, value: &[u8], out: &mut [u8]) -> Option<usize> {
    if is_compressed(value) || !backend.levels().contains(&level) || out.len() < HEADER_LEN + 5 {
        return None;
    }
    out[..3].copy_from_slice(&MAGIC);
    out[3] = VERSION;
    out[4] = backend as u8;
    match backend {
        Backend::Zstd => ZSTD.with(|cell| {
            let mut cell = cell.borrow_mut();
            if cell.as_ref().map(|(l, _)| *l) != Some(level) {
                *cell = Some((level, zstd::bulk::Compressor::new(level).ok()?));
            }
            let (_, compressor) = cell.as_mut()?;
            // Running out of room is zstd's error: the value is then stored as it is.
            let n = compressor
                .compress_to_buffer(value, &mut out[HEADER_LEN..])
                .ok()?;
            Some(HEADER_LEN + n)
        }),
        Backend::Lz4 => {
            let original = u32::try_from(value.len()).ok()?;
            out[HEADER_LEN..HEADER_LEN + 4].copy_from_slice(&original.to_le_bytes());
            // (lz4_flex wants room for the worst case to compress in place, so it gets its own.)
            let block = lz4_flex::block::compress(value);
            let end = HEADER_LEN + 4 + block.len();
            out.get_mut(HEADER_LEN + 4..end)?.copy_from_slice(&block);
            Some(end)
        }
    }
}

/// The original of a compressed `value` (one that carries the header), at most `max` bytes.
/// Never allocates much more than `max`, whatever the header claims.
pub fn decompress(value: &[u8], max: usize) -> Result<Vec<u8>, DecompressError> {
    if !is_compressed(value) {
        return Err(DecompressError::Corrupt);
    }
    let payload = &value[HEADER_LEN..];
    match Backend::from_id(value[4]).ok_or(DecompressError::Corrupt)? {
        Backend::Zstd => {
            let known = zstd::zstd_safe::get_frame_content_size(payload)
                .ok()
                .flatten();
            if known.is_some_and(|n| n > max as u64) {
                return Err(DecompressError::TooLarge);
            }
            let decoder =
                zstd::stream::read::Decoder::new(payload).map_err(|_| DecompressError::Corrupt)?;
            let mut out = Vec::with_capacity(known.map_or(0, |n| n as usize));
            decoder
                .take((max as u64).saturating_add(1))
                .read_to_end(&mut out)
                .map_err(|_| DecompressError::Corrupt)?;
            if out.len() > max {
                return Err(DecompressError::TooLarge);
            }
            Ok(out)
        }
        Backend::Lz4 => {
            if payload.len() < 4 {
                return Err(DecompressError::Corrupt);
            }
            let original = u32::from_le_bytes([payload[0], payload[1], payload[2], payload[3]]);
            let original = original as usize;
            if original > max {
                return Err(DecompressError::TooLarge);
            }
            let block = &payload[4..];
            // LZ4 expands a block at most 255 times (plus a literal tail): a header claiming more
            // is corrupt, and is refused before its buffer is allocated.
            if original > block.len().saturating_mul(255).saturating_add(16) {
                return Err(DecompressError::Corrupt);
            }
            let mut out = vec![0; original];
            match lz4_flex::block::decompress_into(block, &mut out) {
                Ok(n) if n == original => Ok(out),
                _ => Err(DecompressError::Corrupt),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `value` compressed (see [`compress_into`]), when that is smaller than `value`.
    fn compress(backend: Backend, level: i32, value: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![0; value.len().checked_sub(1)?];
        let n = compress_into(backend, level, value, &mut out)?;
        out.truncate(n);
        Some(out)
    }

    fn json(n: usize) -> Vec<u8> {
        let mut s = String::from("[");
        for i in 0..n {
            s.push_str(&format!(
                "{{\"id\":{i},\"name\":\"user-{i}\",\"active\":true}},"
            ));
        }
        s.push(']');
        s.into_bytes()
    }

    #[test]
    fn round_trips_per_backend() {
        let v = json(200);
        for (backend, level) in [(Backend::Zstd, 3), (Backend::Lz4, 0), (Backend::Zstd, -5)] {
            let c = compress(backend, level, &v).expect("compressible");
            assert_eq!(&c[..5], &[0, 1, 2, 0, backend as u8]);
            assert!(c.len() < v.len());
            assert_eq!(decompress(&c, usize::MAX).unwrap(), v);
        }
    }

    #[test]
    fn reads_glide_s_own_encodings() {
        // What GLIDE's core writes: zstd::encode_all (a streamed frame, no content size) and the
        // lz4 block with its length before it.
        let v = json(50);
        let mut z = vec![0, 1, 2, 0, 1];
        z.extend(zstd::encode_all(&v[..], 3).unwrap());
        assert_eq!(decompress(&z, usize::MAX).unwrap(), v);
        let mut l = vec![0, 1, 2, 0, 2];
        l.extend((v.len() as u32).to_le_bytes());
        l.extend(lz4_flex::block::compress(&v));
        assert_eq!(decompress(&l, usize::MAX).unwrap(), v);
    }

    #[test]
    fn keeps_what_would_not_shrink() {
        let random: Vec<u8> = (0..256u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert_eq!(compress(Backend::Zstd, 3, &random), None);
        assert_eq!(compress(Backend::Lz4, 0, &random), None);
        let already = compress(Backend::Zstd, 3, &json(20)).unwrap();
        assert_eq!(compress(Backend::Zstd, 3, &already), None);
        assert_eq!(compress(Backend::Zstd, 99, &json(20)), None);
    }

    #[test]
    fn bounds_and_corruption() {
        let v = json(500);
        let z = compress(Backend::Zstd, 3, &v).unwrap();
        let l = compress(Backend::Lz4, 0, &v).unwrap();
        assert_eq!(decompress(&z, v.len() - 1), Err(DecompressError::TooLarge));
        assert_eq!(decompress(&l, v.len() - 1), Err(DecompressError::TooLarge));
        assert_eq!(decompress(&z, v.len()).unwrap(), v);
        // A streamed zstd frame (no content size) is bounded while it is read.
        let mut streamed = vec![0, 1, 2, 0, 1];
        streamed.extend(zstd::encode_all(&vec![b'a'; 1 << 20][..], 3).unwrap());
        assert_eq!(decompress(&streamed, 1000), Err(DecompressError::TooLarge));
        // An lz4 header claiming 4 GiB from a few bytes is refused before any allocation.
        let bomb = [0, 1, 2, 0, 2, 0xff, 0xff, 0xff, 0xff, 0x10, b'a'];
        assert_eq!(decompress(&bomb, usize::MAX), Err(DecompressError::Corrupt));
        let mut bad = z.clone();
        bad[9] ^= 0xff;
        bad.truncate(bad.len() - 3);
        assert_eq!(decompress(&bad, usize::MAX), Err(DecompressError::Corrupt));
        assert_eq!(
            decompress(&[0, 1, 2, 0, 9, 1, 2], usize::MAX),
            Err(DecompressError::Corrupt)
        );
        assert_eq!(
            decompress(&[0, 1, 2, 0, 2, 1], usize::MAX),
            Err(DecompressError::Corrupt)
        );
    }
}
