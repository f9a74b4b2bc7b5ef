//! Native side of `Buffer`: the byte work of encoding, decoding, comparing
//! and searching, done in Rust on the Buffer's own memory.

use lode_engine::{Args, Binding, JsError, Local, OpError, OpResult, Scope, Val};

/// Encodings by the small numbers `buffer.js` passes.
#[derive(Clone, Copy, PartialEq)]
enum Encoding {
    Utf8,
    Utf16Le,
    Latin1,
    Ascii,
    Base64,
    Base64Url,
    Hex,
}

impl Encoding {
    fn from_id(id: i32) -> Result<Self, JsError> {
        Ok(match id {
            0 => Self::Utf8,
            1 => Self::Utf16Le,
            2 => Self::Latin1,
            3 => Self::Ascii,
            4 => Self::Base64,
            5 => Self::Base64Url,
            6 => Self::Hex,
            _ => return Err(JsError::type_error(format!("unknown encoding id {id}"))),
        })
    }
}

/// Bytes `text` encodes to in `encoding`, as Node computes them.
fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf16Le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        Encoding::Latin1 | Encoding::Ascii => text.encode_utf16().map(|u| u as u8).collect(),
        Encoding::Base64 | Encoding::Base64Url => base64_decode(text.as_bytes()),
        Encoding::Hex => hex_decode(text.as_bytes()),
    }
}

fn base64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// Node's lenient base64: either alphabet, whitespace and junk skipped,
/// padding optional, decoding stops at the first '='. Well-formed input
/// (the common case) takes the SIMD decoder.
fn base64_decode(input: &[u8]) -> Vec<u8> {
    if let Ok(bytes) = base64_simd::STANDARD.decode_to_vec(input) {
        return bytes;
    }
    if let Ok(bytes) = base64_simd::forgiving_decode_to_vec(input) {
        return bytes;
    }
    if let Ok(bytes) = base64_simd::URL_SAFE_NO_PAD.decode_to_vec(input) {
        return bytes;
    }
    base64_decode_lenient(input)
}

fn base64_decode_lenient(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in input {
        if c == b'=' {
            break;
        }
        let Some(v) = base64_value(c) else { continue };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn base64_encode(input: &[u8], url: bool) -> String {
    if url {
        base64_simd::URL_SAFE_NO_PAD.encode_to_string(input)
    } else {
        base64_simd::STANDARD.encode_to_string(input)
    }
}

/// Node's hex: pairs of hex digits, stopping at the first invalid pair.
fn hex_decode(input: &[u8]) -> Vec<u8> {
    let even = &input[..input.len() & !1];
    if let Ok(bytes) = hex_simd::decode_to_vec(even) {
        return bytes;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(input.len() / 2);
    for pair in input.chunks_exact(2) {
        match (digit(pair[0]), digit(pair[1])) {
            (Some(h), Some(l)) => out.push(h << 4 | l),
            _ => break,
        }
    }
    out
}

fn hex_encode(input: &[u8]) -> String {
    hex_simd::encode_to_string(input, hex_simd::AsciiCase::Lower)
}

/// Text for `bytes` in `encoding` (UTF-16 is decoded in JS, where lone
/// surrogates can be kept).
fn decode(bytes: &[u8], encoding: Encoding) -> String {
    match encoding {
        Encoding::Utf8 | Encoding::Utf16Le => String::from_utf8_lossy(bytes).into_owned(),
        Encoding::Latin1 => bytes.iter().map(|&b| b as char).collect(),
        Encoding::Ascii => bytes.iter().map(|&b| (b & 0x7f) as char).collect(),
        Encoding::Base64 => base64_encode(bytes, false),
        Encoding::Base64Url => base64_encode(bytes, true),
        Encoding::Hex => hex_encode(bytes),
    }
}

/// Runs `f` over the bytes of a Uint8Array (or any view over bytes)
/// without copying them; a view whose buffer was detached has none.
fn with_view<'s, R>(scope: &Scope<'s>, value: &Local<'s>, f: impl FnOnce(&[u8]) -> R) -> Result<R, OpError<'s>> {
    let mut f = Some(f);
    let read = scope.with_bytes(value, |bytes| f.take().map(|f| f(bytes)))?.flatten();
    Ok(match (read, f) {
        (Some(result), _) => result,
        (None, Some(f)) => f(&[]),
        (None, None) => unreachable!("`f` ran and returned"),
    })
}

/// Clamps a [start, end) range to `len`.
fn clamp(start: f64, end: f64, len: usize) -> (usize, usize) {
    let start = start.max(0.0).min(len as f64) as usize;
    let end = end.max(0.0).min(len as f64) as usize;
    (start, end.max(start))
}

pub fn init(b: &mut Binding<'_, '_>) {
    b.op("setBufferPrototype", |scope, args| {
        scope.set_buffer_prototype(&args.object(0)?);
        Ok(Val::Undefined)
    })
    .op("fromString", from_string)
    .op("byteLength", byte_length)
    .op("toString", to_string)
    .op("write", write)
    .op("compare", |scope, args| {
        let (a, b) = (args.get(0), args.get(1));
        Ok(with_view(scope, &a, |a| with_view(scope, &b, |b| a.cmp(b) as i32))??.into())
    })
    .op("indexOf", index_of)
    .op("isUtf8", |scope, args| Ok(with_view(scope, &args.get(0), |bytes| std::str::from_utf8(bytes).is_ok())?.into()))
    .op("isAscii", |scope, args| Ok(with_view(scope, &args.get(0), <[u8]>::is_ascii)?.into()))
    .op("fill", fill);
}

/// A Buffer with `text` encoded; a plain Uint8Array with `plain`.
fn from_string<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let encoding = Encoding::from_id(args.i32(1)?)?;
    let bytes = scope.with_str(&args.get(0), |text| encode(text, encoding))?;
    Ok(if args.opt_bool(2)? == Some(true) { Val::Uint8Array(bytes) } else { Val::Buffer(bytes) })
}

fn byte_length<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let encoding = Encoding::from_id(args.i32(1)?)?;
    let length = scope.with_str(&args.get(0), |text| match encoding {
        Encoding::Utf8 => text.len(),
        Encoding::Utf16Le => text.encode_utf16().count() * 2,
        Encoding::Latin1 | Encoding::Ascii => text.encode_utf16().count(),
        other => encode(text, other).len(),
    })?;
    Ok(length.into())
}

fn to_string<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let encoding = Encoding::from_id(args.i32(1)?)?;
    let (start, end) = (args.number(2)?, args.number(3)?);
    let text = with_view(scope, &args.get(0), |bytes| {
        let (start, end) = clamp(start, end, bytes.len());
        let bytes = &bytes[start..end];
        if encoding == Encoding::Utf8 {
            // Valid UTF-8 (the usual case) is checked with SIMD (the lossy
            // iterator goes a char at a time).
            return match simdutf8::basic::from_utf8(bytes) {
                Ok(text) => text.to_owned(),
                Err(_) => String::from_utf8_lossy(bytes).into_owned(),
            };
        }
        decode(bytes, encoding)
    })?;
    Ok(text.into())
}

fn write<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let text = args.string(1)?;
    let (offset, length) = (args.number(2)?, args.number(3)?);
    let encoding = Encoding::from_id(args.i32(4)?)?;
    let bytes = encode(&text, encoding);
    let written = scope.with_bytes_mut(&args.get(0), |dest| {
        let (start, end) = clamp(offset, offset + length, dest.len());
        let mut count = (end - start).min(bytes.len());
        if encoding == Encoding::Utf8 {
            // Never write part of a character.
            while count > 0 && count < bytes.len() && (bytes[count] & 0xC0) == 0x80 {
                count -= 1;
            }
        } else if encoding == Encoding::Utf16Le {
            count &= !1;
        }
        dest[start..start + count].copy_from_slice(&bytes[..count]);
        count
    });
    Ok(written.unwrap_or(0).into())
}

fn index_of<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let (haystack, needle) = (args.get(0), args.get(1));
    let (from, forward) = (args.number(2)?, args.bool(3)?);
    let found = with_view(scope, &haystack, |haystack| {
        with_view(scope, &needle, |needle| {
            let len = haystack.len() as f64;
            let from = if from < 0.0 { (len + from).max(0.0) } else { from.min(len) } as usize;
            if forward {
                memchr::memmem::find(&haystack[from..], needle).map(|i| i + from)
            } else {
                let end = (from + needle.len()).min(haystack.len());
                memchr::memmem::rfind(&haystack[..end], needle)
            }
        })
    })??;
    Ok(found.map(|i| i as f64).unwrap_or(-1.0).into())
}

fn fill<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    // The pattern is copied first: it may share memory with the target.
    let pattern = with_view(scope, &args.get(1), <[u8]>::to_vec)?;
    let (start, end) = (args.number(2)?, args.number(3)?);
    scope.with_bytes_mut(&args.get(0), |dest| {
        let (start, end) = clamp(start, end, dest.len());
        if pattern.is_empty() {
            return;
        }
        for (i, byte) in dest[start..end].iter_mut().enumerate() {
            *byte = pattern[i % pattern.len()];
        }
    });
    Ok(Val::Undefined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_is_lenient() {
        assert_eq!(base64_encode(b"hello", false), "aGVsbG8=");
        assert_eq!(base64_encode(b"hello", true), "aGVsbG8");
        assert_eq!(base64_decode(b"aGVs bG8="), b"hello");
        assert_eq!(base64_decode(b"aGVsbG8"), b"hello");
        assert_eq!(base64_decode(b"-_-_"), base64_decode(b"+/+/"));
    }

    #[test]
    fn hex_stops_at_the_first_bad_pair() {
        assert_eq!(hex_decode(b"0aFFzz11"), [0x0a, 0xff]);
        assert_eq!(hex_encode(&[0, 255, 16]), "00ff10");
    }

    #[test]
    fn latin1_and_utf16() {
        assert_eq!(encode("é€", Encoding::Latin1), [0xe9, 0xac]);
        assert_eq!(encode("a€", Encoding::Utf16Le), [0x61, 0, 0xac, 0x20]);
        assert_eq!(decode(&[0xe9, 0xff], Encoding::Latin1), "éÿ");
        assert_eq!(decode(&[0xe9], Encoding::Ascii), "i");
    }
}
