//! The npm registry client: abbreviated package documents and tarballs
//! over one keep-alive agent (TLS through the system trust store), with
//! retries and backoff on 5xx answers and dropped connections, and auth
//! from the configuration.

use std::{
    collections::{HashMap, HashSet, VecDeque},
    io::Read,
    sync::{Arc, Condvar, Mutex},
    time::Duration,
};

use serde_json::Value;

use crate::{
    config::Config,
    semver::{Range, Version},
    Error,
};

fn sha2_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The registry package and spec a dependency asks for: an alias
/// (`npm:real@range`) names another package.
pub fn registry_target<'a>(name: &'a str, spec: &'a str) -> (&'a str, &'a str) {
    match spec.strip_prefix("npm:") {
        Some(alias) => match alias.rfind('@').filter(|&i| i > 0) {
            Some(i) => (&alias[..i], &alias[i + 1..]),
            None => (alias, "latest"),
        },
        None => (name, spec),
    }
}

/// What the installer needs of one published version.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub name: String,
    pub version: Version,
    pub dependencies: Vec<(String, String)>,
    pub optional_dependencies: Vec<(String, String)>,
    pub peer_dependencies: Vec<(String, String, bool)>,
    pub bin: Vec<(String, String)>,
    pub tarball: String,
    pub integrity: Option<String>,
    pub platform: Platform,
    pub has_install_script: bool,
    /// Dependencies shipped inside the tarball (`bundleDependencies`).
    pub bundled: Vec<String>,
    pub license: Option<String>,
    pub engines: Option<Value>,
    pub funding: Option<Value>,
    /// `peerDependenciesMeta` as published (the lockfile keeps it).
    pub peer_meta: Option<Value>,
}

/// Where a package says it runs (`os`, `cpu`, `libc`; `!name` excludes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Platform {
    pub os: Vec<String>,
    pub cpu: Vec<String>,
    pub libc: Vec<String>,
}

impl Platform {
    /// Whether this machine is one of them, as npm decides it.
    pub fn supported(&self) -> bool {
        let cpu = match std::env::consts::ARCH {
            "x86_64" => "x64",
            "aarch64" => "arm64",
            other => other,
        };
        let libc = if cfg!(target_env = "musl") { "musl" } else { "glibc" };
        let allowed = |list: &[String], value: &str| {
            let denied = list.iter().any(|e| e.strip_prefix('!') == Some(value));
            let mut positive = list.iter().filter(|e| !e.starts_with('!')).peekable();
            !denied && (positive.peek().is_none() || positive.any(|e| e == value))
        };
        // libc only means something on Linux (npm ignores it elsewhere).
        let libc_ok = std::env::consts::OS != "linux" || allowed(&self.libc, libc);
        allowed(&self.os, std::env::consts::OS) && allowed(&self.cpu, cpu) && libc_ok
    }
}

/// A package document: its versions and dist-tags. Each version's
/// manifest stays raw JSON until it is asked for: choosing needs only the
/// version numbers, and big packages publish thousands of versions.
#[derive(Debug)]
pub struct Packument {
    pub name: String,
    pub versions: Vec<Version>,
    /// The document as fetched, and where each version's manifest is in it.
    text: String,
    raw: HashMap<String, std::ops::Range<usize>>,
    /// Keys not spelled as their version prints (`1.0.0+build`, `v1.0.0`).
    spelled: HashMap<String, String>,
    pub dist_tags: HashMap<String, String>,
}

impl Packument {
    /// The manifest of one published version.
    pub fn manifest(&self, version: &Version) -> Option<Manifest> {
        let printed = version.to_string();
        let span = self.raw.get(self.spelled.get(&printed).unwrap_or(&printed))?;
        let doc: Value = serde_json::from_str(self.text.get(span.clone())?).ok()?;
        manifest_from(&self.name, &doc)
    }

    /// The version `spec` (a range or a dist-tag) picks, as npm: the tag,
    /// else `latest` when it is in range, else the highest in range.
    pub fn pick(&self, spec: &str) -> Result<Manifest, Error> {
        let name = &self.name;
        let spec = if spec.is_empty() { "latest" } else { spec };
        if let Some(m) = self.dist_tags.get(spec).and_then(|v| Version::parse(v)).and_then(|v| self.manifest(&v)) {
            return Ok(m);
        }
        let range = Range::parse(spec).ok_or_else(|| Error::Resolve(format!("{name}@{spec}: not a version, range or tag this registry knows")))?;
        if let Some(latest) = self.dist_tags.get("latest").and_then(|v| Version::parse(v)) {
            if range.satisfies(&latest) {
                if let Some(m) = self.manifest(&latest) {
                    return Ok(m);
                }
            }
        }
        let best = range.max_satisfying(&self.versions).cloned();
        best.and_then(|v| self.manifest(&v)).ok_or_else(|| Error::Resolve(format!("no version of {name} matches {spec}")))
    }
}

/// What the registry's threads share: documents fetched so far, names
/// being fetched now (a second asker waits rather than fetch again), and
/// the look-ahead queue.
#[derive(Default)]
struct Shared {
    documents: HashMap<String, Arc<Packument>>,
    in_flight: HashSet<String>,
    ahead: VecDeque<(String, String)>,
    ahead_seen: HashSet<(String, String)>,
    stopped: bool,
}

/// Resolves each host once per run: dozens of connections opened at once
/// would otherwise each ask DNS, and one lost answer costs the resolver's
/// 5-second retry (seen here as the odd 5 s cold install).
#[derive(Default)]
struct CachingResolver {
    cache: Mutex<HashMap<String, Vec<std::net::SocketAddr>>>,
}

impl ureq::Resolver for CachingResolver {
    fn resolve(&self, netloc: &str) -> std::io::Result<Vec<std::net::SocketAddr>> {
        // Held while resolving, so concurrent first lookups wait for one.
        let mut cache = self.cache.lock().unwrap();
        if let Some(addrs) = cache.get(netloc) {
            return Ok(addrs.clone());
        }
        let addrs: Vec<std::net::SocketAddr> = std::net::ToSocketAddrs::to_socket_addrs(netloc)?.collect();
        cache.insert(netloc.to_string(), addrs.clone());
        Ok(addrs)
    }
}

/// TLS as npm's configuration asks: the system's trust store
/// (`SSL_CERT_FILE`/`SSL_CERT_DIR` honoured) plus the certificates in
/// `cafile`; with `strict-ssl=false`, no certificate checks at all.
fn tls_config(config: &Config) -> Result<Arc<rustls::ClientConfig>, Error> {
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS setup: {e}")))?;
    if config.get("strict-ssl") == Some("false") {
        let verifier = Arc::new(AnyCertificate(provider));
        return Ok(Arc::new(builder.dangerous().with_custom_certificate_verifier(verifier).with_no_client_auth()));
    }
    let mut roots = rustls::RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().unwrap_or_default());
    if let Some(cafile) = config.get("cafile") {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cafile)
            .and_then(|certs| certs.collect())
            .map_err(|e| Error::Config(format!("cafile {cafile}: {e}")))?;
        roots.add_parsable_certificates(certs);
    }
    Ok(Arc::new(builder.with_root_certificates(roots).with_no_client_auth()))
}

/// `strict-ssl=false`: any certificate is accepted (the handshake's
/// signatures are still checked, so the connection is at least private to
/// whoever answered).
#[derive(Debug)]
struct AnyCertificate(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &rustls::pki_types::ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        signature: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, signature, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        signature: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, signature, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

pub struct Registry {
    agent: ureq::Agent,
    config: Config,
    shared: Mutex<Shared>,
    /// Signalled when a document arrives, a fetch ends or work is queued.
    changed: Condvar,
}

/// Threads fetching documents ahead of the resolver (see
/// [`Registry::look_ahead`]); stopped when dropped.
pub struct LookAhead {
    registry: Arc<Registry>,
    workers: Vec<std::thread::JoinHandle<()>>,
}

impl Drop for LookAhead {
    fn drop(&mut self) {
        self.registry.shared.lock().unwrap().stopped = true;
        self.registry.changed.notify_all();
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

fn pairs(value: Option<&Value>) -> Vec<(String, String)> {
    value
        .and_then(Value::as_object)
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("*").to_string())).collect())
        .unwrap_or_default()
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(String::from).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// A path as npm records it in the lockfile (`./bin/x.js` is `bin/x.js`).
fn normalize(path: &str) -> String {
    path.trim_start_matches("./").to_string()
}

/// `bin` as (command, path) pairs: a string names the package's own command.
pub fn bins(name: &str, doc: &Value) -> Vec<(String, String)> {
    match doc.get("bin") {
        Some(Value::String(path)) => vec![(name.rsplit('/').next().unwrap_or(name).to_string(), normalize(path))],
        Some(Value::Object(map)) => map.iter().filter_map(|(k, v)| Some((k.clone(), normalize(v.as_str()?)))).collect(),
        _ => Vec::new(),
    }
}

pub fn manifest_from(name: &str, doc: &Value) -> Option<Manifest> {
    let version = Version::parse(doc.get("version")?.as_str()?)?;
    let dist = doc.get("dist")?;
    let peer_meta = doc.get("peerDependenciesMeta").and_then(Value::as_object);
    let peers = pairs(doc.get("peerDependencies"))
        .into_iter()
        .map(|(peer, range)| {
            let optional = peer_meta.and_then(|m| m.get(&peer)).and_then(|m| m.get("optional")).and_then(Value::as_bool).unwrap_or(false);
            (peer, range, optional)
        })
        .collect();
    Some(Manifest {
        name: name.to_string(),
        version,
        dependencies: pairs(doc.get("dependencies")),
        optional_dependencies: pairs(doc.get("optionalDependencies")),
        peer_dependencies: peers,
        bin: bins(name, doc),
        tarball: dist.get("tarball")?.as_str()?.to_string(),
        integrity: dist
            .get("integrity")
            .and_then(Value::as_str)
            .map(String::from)
            .or_else(|| dist.get("shasum").and_then(Value::as_str).map(|s| format!("sha1-hex:{s}"))),
        platform: Platform { os: strings(doc.get("os")), cpu: strings(doc.get("cpu")), libc: strings(doc.get("libc")) },
        has_install_script: doc.get("hasInstallScript").and_then(Value::as_bool).unwrap_or(false),
        bundled: match doc.get("bundleDependencies").or_else(|| doc.get("bundledDependencies")) {
            Some(Value::Bool(true)) => pairs(doc.get("dependencies")).into_iter().map(|(name, _)| name).collect(),
            other => strings(other),
        },
        license: doc.get("license").and_then(Value::as_str).map(String::from),
        engines: doc.get("engines").cloned(),
        // npm records a bare URL as `{ "url": ... }`.
        funding: doc.get("funding").map(|f| match f {
            Value::String(url) => serde_json::json!({ "url": url }),
            Value::Array(items) => Value::Array(items.iter().map(|i| if i.is_string() { serde_json::json!({ "url": i }) } else { i.clone() }).collect()),
            other => other.clone(),
        }),
        peer_meta: doc.get("peerDependenciesMeta").cloned(),
    })
}

impl Registry {
    pub fn new(config: Config) -> Result<Registry, Error> {
        let agent = ureq::AgentBuilder::new()
            .tls_config(tls_config(&config)?)
            .resolver(CachingResolver::default())
            .timeout_connect(Duration::from_secs(15))
            .timeout_read(Duration::from_secs(60))
            .max_idle_connections_per_host(16)
            .build();
        Ok(Registry { agent, config, shared: Mutex::new(Shared::default()), changed: Condvar::new() })
    }

    /// Starts `threads` workers that fetch the documents the resolver will
    /// ask for before it asks: each document fetched names the likely
    /// version's dependencies, which are queued in turn. The resolver
    /// walks the tree in npm's order, one package at a time; without this
    /// it would wait for one round trip per package (or per tree level).
    pub fn start_look_ahead(self: &Arc<Self>, threads: usize) -> LookAhead {
        let workers = (0..threads)
            .map(|_| {
                let registry = self.clone();
                std::thread::spawn(move || registry.look_ahead_worker())
            })
            .collect();
        LookAhead { registry: self.clone(), workers }
    }

    /// Queues `name@spec` for the look-ahead workers (registry specs only).
    pub fn look_ahead(&self, name: &str, spec: &str) {
        let (name, spec) = registry_target(name, spec);
        if spec.contains(':') || spec.contains('/') {
            return;
        }
        let key = (name.to_string(), spec.to_string());
        let mut shared = self.shared.lock().unwrap();
        if shared.ahead_seen.insert(key.clone()) {
            shared.ahead.push_back(key);
            drop(shared);
            self.changed.notify_all();
        }
    }

    fn look_ahead_worker(&self) {
        loop {
            let (name, spec) = {
                let mut shared = self.shared.lock().unwrap();
                loop {
                    if shared.stopped {
                        return;
                    }
                    if let Some(next) = shared.ahead.pop_front() {
                        break next;
                    }
                    shared = self.changed.wait(shared).unwrap();
                }
            };
            // Failures are left for the resolver's own lookup to report.
            let Ok(manifest) = self.packument(&name).and_then(|doc| doc.pick(&spec)) else { continue };
            let peers = manifest.peer_dependencies.iter().filter(|p| !p.2).map(|(n, r, _)| (n, r));
            for (dep, range) in manifest.dependencies.iter().chain(&manifest.optional_dependencies).map(|(n, r)| (n, r)).chain(peers) {
                self.look_ahead(dep, range);
            }
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    fn get(&self, url: &str, accept: &str) -> Result<ureq::Response, Error> {
        self.get_with(url, accept, None)
    }

    /// GET with auth and retries (5xx and broken connections, backoff);
    /// with an ETag, a 304 answer is a success.
    fn get_with(&self, url: &str, accept: &str, etag: Option<&str>) -> Result<ureq::Response, Error> {
        let mut attempt = 0;
        loop {
            let mut request = self.agent.get(url).set("accept", accept).set("user-agent", "lode");
            if let Some(etag) = etag {
                request = request.set("if-none-match", etag);
            }
            if let Some(auth) = self.config.auth_for(url) {
                request = request.set("authorization", &auth);
            }
            match request.call() {
                Ok(response) => return Ok(response),
                Err(ureq::Error::Status(code, _)) if code >= 500 && attempt < 3 => {}
                Err(ureq::Error::Status(404, _)) => return Err(Error::NotFound(url.to_string())),
                Err(ureq::Error::Status(code @ (401 | 403), _)) => {
                    return Err(Error::Registry(format!("{code} {}: check the auth token for {url} in .npmrc", if code == 401 { "Unauthorized" } else { "Forbidden" })));
                }
                Err(ureq::Error::Status(code, _)) => return Err(Error::Registry(format!("{code} from {url}"))),
                // A certificate the trust store rejects will not change on
                // a retry; say what to configure.
                Err(ureq::Error::Transport(e)) if format!("{e:?}").contains("InvalidCertificate") => {
                    return Err(Error::Network(format!(
                        "{e} (set cafile in .npmrc to the CA that signed it, or strict-ssl=false)"
                    )));
                }
                Err(ureq::Error::Transport(_)) if attempt < 3 => {}
                // ureq's message names the URL.
                Err(ureq::Error::Transport(e)) => return Err(Error::Network(e.to_string())),
            }
            attempt += 1;
            std::thread::sleep(Duration::from_millis(200 << attempt));
        }
    }

    /// The document's text: from the disk cache while it is fresh (five
    /// minutes, so a warm install needs no network), else revalidated with
    /// its ETag or fetched anew. The cache keeps the body as fetched
    /// (`<key>.json`) and when and with which ETag beside it (`<key>.meta`).
    fn packument_text(&self, url: &str) -> Result<String, Error> {
        const FRESH: u64 = 300;
        let key: String = sha2_hex(url.as_bytes());
        let dir = crate::tarball::cache_root().join("packuments");
        let (body_file, meta_file) = (dir.join(format!("{key}.json")), dir.join(format!("{key}.meta")));
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let meta: Option<Value> = std::fs::read_to_string(&meta_file).ok().and_then(|t| serde_json::from_str(&t).ok());
        let cached = || std::fs::read_to_string(&body_file).ok();
        if let Some(meta) = &meta {
            if now.saturating_sub(meta["fetched"].as_u64().unwrap_or(0)) < FRESH {
                if let Some(body) = cached() {
                    return Ok(body);
                }
            }
        }
        let accept = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*";
        let etag = meta.as_ref().and_then(|m| m["etag"].as_str()).map(String::from);
        let response = self.get_with(url, accept, etag.as_deref())?;
        let (body, etag, fresh_body) = match (response.status(), cached()) {
            (304, Some(body)) => (body, etag, false),
            _ => {
                let etag = response.header("etag").map(String::from);
                let length = response.header("content-length").and_then(|l| l.parse::<usize>().ok()).unwrap_or(0);
                let mut bytes = Vec::with_capacity(length);
                // Read whole: big packages' documents pass ureq's 10 MB string limit.
                response.into_reader().read_to_end(&mut bytes).map_err(|e| Error::Network(format!("{url}: {e}")))?;
                let body = String::from_utf8(bytes).map_err(|_| Error::Registry(format!("{url}: the document is not UTF-8")))?;
                (body, etag, true)
            }
        };
        let _ = std::fs::create_dir_all(&dir);
        let unique = format!("tmp{}-{:?}", std::process::id(), std::thread::current().id()).replace(['(', ')'], "");
        let write = |file: &std::path::Path, bytes: &[u8]| {
            let tmp = file.with_extension(&unique);
            if std::fs::write(&tmp, bytes).is_ok() {
                let _ = std::fs::rename(&tmp, file);
            }
        };
        if fresh_body {
            write(&body_file, body.as_bytes());
        }
        write(&meta_file, serde_json::json!({ "fetched": now, "etag": etag }).to_string().as_bytes());
        Ok(body)
    }

    /// The abbreviated document of `name`, fetched once per run (a caller
    /// that finds it being fetched waits for that fetch).
    pub fn packument(&self, name: &str) -> Result<Arc<Packument>, Error> {
        let mut shared = self.shared.lock().unwrap();
        loop {
            if let Some(doc) = shared.documents.get(name) {
                return Ok(doc.clone());
            }
            if shared.in_flight.insert(name.to_string()) {
                break;
            }
            shared = self.changed.wait(shared).unwrap();
        }
        drop(shared);
        let fetched = self.fetch_packument(name);
        let mut shared = self.shared.lock().unwrap();
        shared.in_flight.remove(name);
        if let Ok(doc) = &fetched {
            shared.documents.insert(name.to_string(), doc.clone());
        }
        drop(shared);
        self.changed.notify_all();
        fetched
    }

    fn fetch_packument(&self, name: &str) -> Result<Arc<Packument>, Error> {
        let registry = self.config.registry_for(name)?;
        let url = format!("{registry}{}", name.replace('/', "%2f"));
        let text = self.packument_text(&url).map_err(|e| match e {
            Error::NotFound(_) => Error::NotFound(format!("'{name}' is not in this registry ({registry})")),
            other => other,
        })?;
        let bad = |e: serde_json::Error| Error::Registry(format!("{url}: {e}"));
        // Borrowed parse: each version's manifest is kept as its place in
        // the text (a big document has thousands; few are ever read).
        type Raw<'a> = &'a serde_json::value::RawValue;
        let top: HashMap<&str, Raw> = serde_json::from_str(&text).map_err(bad)?;
        let start = text.as_ptr() as usize;
        let raw: HashMap<String, std::ops::Range<usize>> = match top.get("versions") {
            Some(versions) => serde_json::from_str::<HashMap<String, Raw>>(versions.get())
                .map_err(bad)?
                .into_iter()
                .map(|(version, manifest)| {
                    let at = manifest.get().as_ptr() as usize - start;
                    (version, at..at + manifest.get().len())
                })
                .collect(),
            None => HashMap::new(),
        };
        let dist_tags: HashMap<String, String> = match top.get("dist-tags") {
            Some(tags) => serde_json::from_str::<HashMap<String, Value>>(tags.get())
                .map_err(bad)?
                .into_iter()
                .filter_map(|(k, v)| Some((k, v.as_str()?.to_string())))
                .collect(),
            None => HashMap::new(),
        };
        drop(top);
        let mut versions = Vec::new();
        let mut spelled = HashMap::new();
        for key in raw.keys() {
            if let Some(version) = Version::parse(key) {
                if version.to_string() != *key {
                    spelled.insert(version.to_string(), key.clone());
                }
                versions.push(version);
            }
        }
        Ok(Arc::new(Packument { name: name.to_string(), versions, text, raw, spelled, dist_tags }))
    }

    /// The tarball at `url`, whole.
    pub fn tarball(&self, url: &str) -> Result<Vec<u8>, Error> {
        let response = self.get(url, "application/octet-stream")?;
        let mut bytes = Vec::new();
        response.into_reader().take(1 << 31).read_to_end(&mut bytes).map_err(|e| Error::Network(format!("{url}: {e}")))?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_filters() {
        let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let here = std::env::consts::OS;
        assert!(Platform::default().supported());
        assert!(Platform { os: list(&[here]), ..Platform::default() }.supported());
        assert!(!Platform { os: list(&[&format!("!{here}")]), ..Platform::default() }.supported());
        assert!(!Platform { cpu: list(&["mips"]), ..Platform::default() }.supported());
        if here == "linux" {
            let libc = if cfg!(target_env = "musl") { ["musl", "glibc"] } else { ["glibc", "musl"] };
            assert!(Platform { libc: list(&[libc[0]]), ..Platform::default() }.supported());
            assert!(!Platform { libc: list(&[libc[1]]), ..Platform::default() }.supported());
        }
    }
}
