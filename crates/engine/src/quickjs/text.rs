//! Text between Rust (UTF-8) and the engine's strings: UTF-16 for
//! non-ASCII text handed to the engine, and WTF-8 (lone surrogates) coming
//! back from it.

/// The UTF-16 form of `text`. ASCII runs are widened sixteen bytes at a
/// time; std's `encode_utf16` goes a char at a time and was half the cost
/// of `Buffer#toString` on 1 KB of mostly-ASCII text.
pub(super) fn utf16_units(text: &str) -> Vec<u16> {
    let bytes = text.as_bytes();
    // Never more units than bytes; written by index, then cut to length.
    let mut units = vec![0u16; bytes.len()];
    let (mut i, mut o) = (0, 0);
    while i < bytes.len() {
        // Units never outrun bytes (o <= i), so 16 units fit at `o`.
        if let Some(chunk) = bytes.get(i..i + 16) {
            let ascii = widen_ascii(chunk.try_into().expect("sixteen bytes"), &mut units[o..o + 16]);
            i += ascii;
            o += ascii;
            if ascii == 16 {
                continue;
            }
        }
        // `text` is valid UTF-8, so the sequence at `i` is complete.
        let lead = u32::from(bytes[i]);
        let cont = |k: usize| u32::from(bytes[i + k]) & 0x3f;
        let (code, width) = match lead {
            0x00..=0x7f => (lead, 1),
            0xc0..=0xdf => (((lead & 0x1f) << 6) | cont(1), 2),
            0xe0..=0xef => (((lead & 0x0f) << 12) | (cont(1) << 6) | cont(2), 3),
            _ => (((lead & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3), 4),
        };
        if code >= 0x10000 {
            let offset = code - 0x10000;
            units[o] = 0xd800 | (offset >> 10) as u16;
            units[o + 1] = 0xdc00 | (offset & 0x3ff) as u16;
            o += 2;
        } else {
            units[o] = code as u16;
            o += 1;
        }
        i += width;
    }
    units.truncate(o);
    units
}

/// Widens `chunk` into `out` and returns how many of its bytes, from the
/// start, are ASCII: only that many units are meaningful (the rest are
/// overwritten by the caller).
#[cfg(target_arch = "x86_64")]
fn widen_ascii(chunk: &[u8; 16], out: &mut [u16]) -> usize {
    use std::arch::x86_64::{_mm_loadu_si128, _mm_movemask_epi8, _mm_setzero_si128, _mm_storeu_si128, _mm_unpackhi_epi8, _mm_unpacklo_epi8};
    assert!(out.len() >= 16);
    // SAFETY: SSE2 is in the x86_64 baseline; the loads and stores are
    // unaligned and within `chunk` and `out` (checked above).
    unsafe {
        let bytes = _mm_loadu_si128(chunk.as_ptr().cast());
        let zero = _mm_setzero_si128();
        _mm_storeu_si128(out.as_mut_ptr().cast(), _mm_unpacklo_epi8(bytes, zero));
        _mm_storeu_si128(out.as_mut_ptr().add(8).cast(), _mm_unpackhi_epi8(bytes, zero));
        // One bit a byte, set where the high bit is: the first non-ASCII.
        (_mm_movemask_epi8(bytes) as u32 | 1 << 16).trailing_zeros() as usize
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn widen_ascii(chunk: &[u8; 16], out: &mut [u16]) -> usize {
    let ascii = chunk.iter().take_while(|b| b.is_ascii()).count();
    for (unit, &byte) in out.iter_mut().zip(&chunk[..ascii]) {
        *unit = u16::from(byte);
    }
    ascii
}

/// The engine encodes a lone surrogate as its 3-byte WTF-8 form
/// (ED A0..BF xx); everything else is already UTF-8.
pub(super) fn wtf8_to_utf8(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let bytes = e.into_bytes();
            let mut out = Vec::with_capacity(bytes.len());
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == 0xED && i + 2 < bytes.len() && (0xA0..=0xBF).contains(&bytes[i + 1]) {
                    out.extend_from_slice("\u{FFFD}".as_bytes());
                    i += 3;
                } else {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::utf16_units;

    #[test]
    fn utf16_units_match_std() {
        let pieces = ["a", "é", "\u{7ff}", "\u{800}", "✓", "\u{ffff}", "😀", "\u{10ffff}", "0123456789abcdef"];
        // Every length up to 40 pieces, with non-ASCII at every offset of
        // the 16-byte ASCII fast path.
        for start in 0..pieces.len() {
            let mut text = String::new();
            for i in 0..40 {
                text.push_str(pieces[(start + i * 7) % pieces.len()]);
                assert_eq!(utf16_units(&text), text.encode_utf16().collect::<Vec<_>>(), "{text:?}");
            }
        }
        assert!(utf16_units("").is_empty());
    }
}
