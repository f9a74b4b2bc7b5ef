//! Native side of `crypto`: message digests (md5, sha1, the sha2 family),
//! HMAC over them, and random bytes from the OS. A hash in progress lives
//! in a per-thread table under an id its JS object holds; digest() takes
//! it out (JS frees abandoned ones through a FinalizationRegistry).

use std::{cell::RefCell, collections::HashMap};

use digest::DynDigest;
use lode_engine::{Binding, Val};

use crate::node::errors;

/// A digest, and for HMAC the outer-pad key its result is finished with.
struct Hashing {
    digest: Box<dyn DynDigest>,
    hmac_outer: Option<(Box<dyn DynDigest>, Vec<u8>)>,
}

thread_local! {
    static HASHES: RefCell<HashMap<usize, Hashing>> = RefCell::new(HashMap::new());
    static NEXT_HASH: std::cell::Cell<usize> = const { std::cell::Cell::new(1) };
}

/// The digest for a name Node accepts (case-insensitive, with OpenSSL's
/// aliases), and its block size for HMAC.
fn new_digest(name: &str) -> Option<(Box<dyn DynDigest>, usize)> {
    Some(match name.to_ascii_lowercase().as_str() {
        "md5" => (Box::new(md5::Md5::default()), 64),
        "sha1" | "sha-1" => (Box::new(sha1::Sha1::default()), 64),
        "sha224" | "sha-224" => (Box::new(sha2::Sha224::default()), 64),
        "sha256" | "sha-256" => (Box::new(sha2::Sha256::default()), 64),
        "sha384" | "sha-384" => (Box::new(sha2::Sha384::default()), 128),
        "sha512" | "sha-512" => (Box::new(sha2::Sha512::default()), 128),
        "sha512-224" | "sha-512/224" => (Box::new(sha2::Sha512_224::default()), 128),
        "sha512-256" | "sha-512/256" => (Box::new(sha2::Sha512_256::default()), 128),
        _ => return None,
    })
}

/// The digest names `crypto.getHashes()` lists.
const HASH_NAMES: &[&str] = &["md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha512-224", "sha512-256"];

fn insert(hashing: Hashing) -> f64 {
    let id = NEXT_HASH.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    HASHES.with(|h| h.borrow_mut().insert(id, hashing));
    id as f64
}

/// HMAC (RFC 2104): the inner digest starts with key ^ ipad; the outer one,
/// kept aside, gets key ^ opad and then the inner result.
fn new_hmac(name: &str, key: &[u8]) -> Option<Hashing> {
    let (mut inner, block) = new_digest(name)?;
    let (mut outer, _) = new_digest(name)?;
    let mut key = if key.len() > block {
        let (mut keyed, _) = new_digest(name)?;
        keyed.update(key);
        keyed.finalize().into_vec()
    } else {
        key.to_vec()
    };
    key.resize(block, 0);
    inner.update(&key.iter().map(|b| b ^ 0x36).collect::<Vec<_>>());
    let outer_key: Vec<u8> = key.iter().map(|b| b ^ 0x5c).collect();
    outer.update(&outer_key);
    Some(Hashing { digest: inner, hmac_outer: Some((outer, outer_key)) })
}

pub fn init(b: &mut Binding<'_, '_>) {
    b.op("hashNew", |_, args| {
        Ok(match new_digest(&args.string(0)?) {
            Some((digest, _)) => insert(Hashing { digest, hmac_outer: None }),
            None => -1.0,
        }
        .into())
    })
    .op("hmacNew", |scope, args| {
        let name = args.string(0)?;
        let hashing = scope.with_bytes(&args.get(1), |key| new_hmac(&name, key))?.flatten();
        Ok(hashing.map(insert).unwrap_or(-1.0).into())
    })
    .op("hashUpdate", |scope, args| {
        let id = args.number(0)? as usize;
        scope.with_bytes(&args.get(1), |bytes| {
            HASHES.with(|h| {
                if let Some(hashing) = h.borrow_mut().get_mut(&id) {
                    hashing.digest.update(bytes);
                }
            })
        })?;
        Ok(Val::Undefined)
    })
    .op("hashCopy", |_, args| {
        let id = args.number(0)? as usize;
        let copy = HASHES.with(|h| {
            h.borrow().get(&id).map(|hashing| Hashing {
                digest: hashing.digest.box_clone(),
                hmac_outer: hashing.hmac_outer.as_ref().map(|(d, k)| (d.box_clone(), k.clone())),
            })
        });
        Ok(copy.map(insert).unwrap_or(-1.0).into())
    })
    .op("hashDigest", |_, args| {
        let id = args.number(0)? as usize;
        let Some(hashing) = HASHES.with(|h| h.borrow_mut().remove(&id)) else { return Ok(Val::Undefined) };
        let inner = hashing.digest.finalize().into_vec();
        let result = match hashing.hmac_outer {
            Some((mut outer, _)) => {
                outer.update(&inner);
                outer.finalize().into_vec()
            }
            None => inner,
        };
        Ok(Val::Buffer(result))
    })
    .op("hashFree", |_, args| {
        let id = args.number(0)? as usize;
        HASHES.with(|h| h.borrow_mut().remove(&id));
        Ok(Val::Undefined)
    })
    .op("hashNames", |_, _| Ok(Val::array(HASH_NAMES.iter().copied())))
    .op("randomFill", |scope, args| {
        let (offset, length) = (args.number(1)? as usize, args.number(2)? as usize);
        let filled = scope.with_bytes_mut(&args.get(0), |bytes| {
            let end = offset.saturating_add(length).min(bytes.len());
            getrandom::getrandom(&mut bytes[offset.min(end)..end])
        });
        match filled {
            Some(Ok(())) | None => Ok(Val::Undefined),
            Some(Err(e)) => {
                let err = std::io::Error::from_raw_os_error(e.raw_os_error().unwrap_or(libc::EIO));
                Err(errors::uv_exception(&err, "getrandom", None, None).into())
            }
        }
    });
}
