//! Native side of `Buffer`: the byte work of encoding, decoding, comparing
//! and searching, done in Rust on the Buffer's own memory.

use std::cell::RefCell;

use rquickjs::{Ctx, Function, Object, Persistent, TypedArray, Value};

use crate::host::{self, JsText};

thread_local! {
    /// `Buffer.prototype`, so native code can hand out Buffers directly.
    static BUFFER_PROTOTYPE: RefCell<Option<Persistent<Object<'static>>>> = const { RefCell::new(None) };
}

thread_local! {
    /// Bytes handed to JS in Rust-allocated Buffers since the last forced
    /// collection. The engine's GC only counts its own allocations, so
    /// without this a program creating many native Buffers that end up in
    /// reference cycles could grow without a collection (V8 calls this
    /// external memory pressure).
    static EXTERNAL_BYTES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// External bytes after which a collection runs.
const EXTERNAL_GC_AT: usize = 64 << 20;

/// A new Buffer (a Uint8Array with Buffer's prototype) holding `bytes`,
/// which become the Buffer's memory without a copy.
pub(crate) fn new_buffer<'js>(ctx: &Ctx<'js>, bytes: Vec<u8>) -> rquickjs::Result<Value<'js>> {
    let external = EXTERNAL_BYTES.with(|e| {
        let total = e.get() + bytes.capacity();
        e.set(if total >= EXTERNAL_GC_AT { 0 } else { total });
        total
    });
    if external >= EXTERNAL_GC_AT {
        host::run_gc(ctx);
    }
    let array = TypedArray::<u8>::new(ctx.clone(), bytes)?;
    if let Some(proto) = BUFFER_PROTOTYPE.with(|p| p.borrow().clone()) {
        array.as_object().set_prototype(Some(&proto.restore(ctx)?))?;
    }
    Ok(array.into_value())
}

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
    fn from_id(ctx: &Ctx<'_>, id: i32) -> rquickjs::Result<Self> {
        Ok(match id {
            0 => Self::Utf8,
            1 => Self::Utf16Le,
            2 => Self::Latin1,
            3 => Self::Ascii,
            4 => Self::Base64,
            5 => Self::Base64Url,
            6 => Self::Hex,
            _ => return Err(rquickjs::Exception::throw_type(ctx, &format!("unknown encoding id {id}"))),
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

/// The bytes of a Uint8Array (or any view over bytes) argument.
fn view<'js>(ctx: &Ctx<'js>, value: &Value<'js>) -> rquickjs::Result<TypedArray<'js, u8>> {
    value
        .as_object()
        .and_then(|o| o.as_typed_array::<u8>().cloned())
        .ok_or_else(|| rquickjs::Exception::throw_type(ctx, "argument must be a Uint8Array"))
}

/// Clamps a [start, end) range to `len`.
fn clamp(start: f64, end: f64, len: usize) -> (usize, usize) {
    let start = start.max(0.0).min(len as f64) as usize;
    let end = end.max(0.0).min(len as f64) as usize;
    (start, end.max(start))
}

pub fn init<'js>(ctx: &Ctx<'js>, target: &Object<'js>) -> rquickjs::Result<()> {
    host::set_functions(
        target,
        vec![
            ("setBufferPrototype", Function::new(ctx.clone(), |ctx: Ctx<'js>, proto: Object<'js>| {
                let saved = Persistent::save(&ctx, proto);
                BUFFER_PROTOTYPE.with(|p| *p.borrow_mut() = Some(saved));
            })?),
            // A Buffer with `text` encoded; a plain Uint8Array with `plain`.
            ("fromString", Function::new(ctx.clone(), |ctx: Ctx<'js>, text: Value<'js>, encoding: i32, plain: rquickjs::function::Opt<bool>| {
                let encoding = Encoding::from_id(&ctx, encoding)?;
                let bytes = host::with_js_str(&ctx, &text, |text| encode(text, encoding))?;
                if plain.0 == Some(true) {
                    return TypedArray::<u8>::new(ctx, bytes).map(|a| a.into_value());
                }
                new_buffer(&ctx, bytes)
            })?),
            ("byteLength", Function::new(ctx.clone(), |ctx: Ctx<'js>, text: Value<'js>, encoding: i32| -> rquickjs::Result<usize> {
                let encoding = Encoding::from_id(&ctx, encoding)?;
                host::with_js_str(&ctx, &text, |text| match encoding {
                    Encoding::Utf8 => text.len(),
                    Encoding::Utf16Le => text.encode_utf16().count() * 2,
                    Encoding::Latin1 | Encoding::Ascii => text.encode_utf16().count(),
                    other => encode(text, other).len(),
                })
            })?),
            ("toString", Function::new(ctx.clone(), |ctx: Ctx<'js>, array: Value<'js>, encoding: i32, start: f64, end: f64| -> rquickjs::Result<rquickjs::String<'js>> {
                let encoding = Encoding::from_id(&ctx, encoding)?;
                let array = view(&ctx, &array)?;
                // SAFETY: no JS runs while the slice is borrowed; the JS
                // string is built from it before the borrow ends.
                let bytes = unsafe { array.as_bytes() }.unwrap_or(&[]);
                let (start, end) = clamp(start, end, bytes.len());
                let bytes = &bytes[start..end];
                if encoding == Encoding::Utf8 {
                    // Valid UTF-8 (the usual case) is not copied first, and is
                    // checked with SIMD (the lossy iterator goes a char at a time).
                    return match simdutf8::basic::from_utf8(bytes) {
                        Ok(text) => host::js_string(&ctx, text),
                        Err(_) => host::js_string(&ctx, &String::from_utf8_lossy(bytes)),
                    };
                }
                host::js_string(&ctx, &decode(bytes, encoding))
            })?),
            ("write", Function::new(ctx.clone(), |ctx: Ctx<'js>, array: Value<'js>, JsText(text): JsText, offset: f64, length: f64, encoding: i32| -> rquickjs::Result<usize> {
                let encoding = Encoding::from_id(&ctx, encoding)?;
                let array = view(&ctx, &array)?;
                let bytes = encode(&text, encoding);
                let Some(raw) = array.as_raw() else { return Ok(0) };
                // SAFETY: the view's memory is live and no JS runs while we
                // write into it; bounds are clamped below.
                let dest = unsafe { &mut *raw.as_ptr() };
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
                Ok(count)
            })?),
            ("compare", Function::new(ctx.clone(), |ctx: Ctx<'js>, a: Value<'js>, b: Value<'js>| -> rquickjs::Result<i32> {
                let (a, b) = (view(&ctx, &a)?, view(&ctx, &b)?);
                // SAFETY: no JS runs while the slices are borrowed.
                let (a, b) = unsafe { (a.as_bytes().unwrap_or(&[]), b.as_bytes().unwrap_or(&[])) };
                Ok(a.cmp(b) as i32)
            })?),
            ("indexOf", Function::new(ctx.clone(), |ctx: Ctx<'js>, haystack: Value<'js>, needle: Value<'js>, from: f64, forward: bool| -> rquickjs::Result<f64> {
                let (haystack, needle) = (view(&ctx, &haystack)?, view(&ctx, &needle)?);
                // SAFETY: no JS runs while the slices are borrowed.
                let (haystack, needle) = unsafe { (haystack.as_bytes().unwrap_or(&[]), needle.as_bytes().unwrap_or(&[])) };
                let len = haystack.len() as f64;
                let from = if from < 0.0 { (len + from).max(0.0) } else { from.min(len) } as usize;
                let found = if forward {
                    memchr::memmem::find(&haystack[from..], needle).map(|i| i + from)
                } else {
                    let end = (from + needle.len()).min(haystack.len());
                    memchr::memmem::rfind(&haystack[..end], needle)
                };
                Ok(found.map(|i| i as f64).unwrap_or(-1.0))
            })?),
            ("isUtf8", Function::new(ctx.clone(), |ctx: Ctx<'js>, array: Value<'js>| -> rquickjs::Result<bool> {
                let array = view(&ctx, &array)?;
                // SAFETY: no JS runs while the slice is borrowed.
                Ok(std::str::from_utf8(unsafe { array.as_bytes() }.unwrap_or(&[])).is_ok())
            })?),
            ("isAscii", Function::new(ctx.clone(), |ctx: Ctx<'js>, array: Value<'js>| -> rquickjs::Result<bool> {
                let array = view(&ctx, &array)?;
                // SAFETY: no JS runs while the slice is borrowed.
                Ok(unsafe { array.as_bytes() }.unwrap_or(&[]).is_ascii())
            })?),
            ("fill", Function::new(ctx.clone(), |ctx: Ctx<'js>, array: Value<'js>, pattern: Value<'js>, start: f64, end: f64| -> rquickjs::Result<()> {
                let (array, pattern) = (view(&ctx, &array)?, view(&ctx, &pattern)?);
                // SAFETY: the pattern is read into a Vec first, then the
                // target written; no JS runs meanwhile.
                let pattern = unsafe { pattern.as_bytes() }.unwrap_or(&[]).to_vec();
                let Some(raw) = array.as_raw() else { return Ok(()) };
                let dest = unsafe { &mut *raw.as_ptr() };
                let (start, end) = clamp(start, end, dest.len());
                if pattern.is_empty() {
                    return Ok(());
                }
                for (i, byte) in dest[start..end].iter_mut().enumerate() {
                    *byte = pattern[i % pattern.len()];
                }
                Ok(())
            })?),
        ],
    )
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
