//! The npm registry client: abbreviated package documents and tarballs
//! over one keep-alive agent (TLS through the system trust store), with
//! retries and backoff on 5xx answers and dropped connections, and auth
//! from the configuration.

use std::{
    collections::HashMap,
    io::Read,
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::Value;

use crate::{config::Config, semver::Version, Error};

fn sha2_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
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
    pub os: Vec<String>,
    pub cpu: Vec<String>,
    pub has_install_script: bool,
    /// Dependencies shipped inside the tarball (`bundleDependencies`).
    pub bundled: Vec<String>,
    pub license: Option<String>,
    pub engines: Option<Value>,
}

/// A package document: its versions and dist-tags. Each version's
/// manifest stays raw JSON until it is asked for: choosing needs only the
/// version numbers, and big packages publish thousands of versions.
#[derive(Debug)]
pub struct Packument {
    pub name: String,
    pub versions: Vec<Version>,
    raw: HashMap<String, Box<serde_json::value::RawValue>>,
    /// Keys not spelled as their version prints (`1.0.0+build`, `v1.0.0`).
    spelled: HashMap<String, String>,
    pub dist_tags: HashMap<String, String>,
}

impl Packument {
    /// The manifest of one published version.
    pub fn manifest(&self, version: &Version) -> Option<Manifest> {
        let printed = version.to_string();
        let raw = self.raw.get(self.spelled.get(&printed).unwrap_or(&printed))?;
        let doc: Value = serde_json::from_str(raw.get()).ok()?;
        manifest_from(&self.name, &doc)
    }
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

pub struct Registry {
    agent: ureq::Agent,
    config: Config,
    cache: Mutex<HashMap<String, Arc<Packument>>>,
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

/// `bin` as (command, path) pairs: a string names the package's own command.
pub fn bins(name: &str, doc: &Value) -> Vec<(String, String)> {
    match doc.get("bin") {
        Some(Value::String(path)) => vec![(name.rsplit('/').next().unwrap_or(name).to_string(), path.clone())],
        Some(Value::Object(map)) => map.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect(),
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
        os: strings(doc.get("os")),
        cpu: strings(doc.get("cpu")),
        has_install_script: doc.get("hasInstallScript").and_then(Value::as_bool).unwrap_or(false),
        bundled: match doc.get("bundleDependencies").or_else(|| doc.get("bundledDependencies")) {
            Some(Value::Bool(true)) => pairs(doc.get("dependencies")).into_iter().map(|(name, _)| name).collect(),
            other => strings(other),
        },
        license: doc.get("license").and_then(Value::as_str).map(String::from),
        engines: doc.get("engines").cloned(),
    })
}

impl Registry {
    pub fn new(config: Config) -> Registry {
        // A configured CA file joins the system trust store, as npm's cafile.
        if let (Some(cafile), Err(_)) = (config.get("cafile"), std::env::var("SSL_CERT_FILE")) {
            std::env::set_var("SSL_CERT_FILE", cafile);
        }
        let agent = ureq::AgentBuilder::new()
            .resolver(CachingResolver::default())
            .timeout_connect(Duration::from_secs(15))
            .timeout_read(Duration::from_secs(60))
            .max_idle_connections_per_host(16)
            .build();
        Registry { agent, config, cache: Mutex::new(HashMap::new()) }
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
                Err(ureq::Error::Transport(_)) if attempt < 3 => {}
                Err(ureq::Error::Transport(e)) => return Err(Error::Network(format!("{url}: {e}"))),
            }
            attempt += 1;
            std::thread::sleep(Duration::from_millis(200 << attempt));
        }
    }

    /// Fetches the documents of `names` concurrently into the memory cache;
    /// failures are left for the real lookup to report.
    pub fn prefetch(&self, names: &[String]) {
        let next = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..16.min(names.len()) {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(name) = names.get(i) else { return };
                    let _ = self.packument(name);
                });
            }
        });
    }

    /// The document's text: from the disk cache while it is fresh (five
    /// minutes, so a warm install needs no network), else revalidated with
    /// its ETag or fetched anew.
    fn packument_text(&self, url: &str) -> Result<String, Error> {
        const FRESH: u64 = 300;
        let key: String = sha2_hex(url.as_bytes());
        let file = crate::tarball::cache_root().join("packuments").join(format!("{key}.json"));
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let cached: Option<Value> = std::fs::read_to_string(&file).ok().and_then(|t| serde_json::from_str(&t).ok());
        if let Some(entry) = &cached {
            if now.saturating_sub(entry["fetched"].as_u64().unwrap_or(0)) < FRESH {
                if let Some(body) = entry["body"].as_str() {
                    return Ok(body.to_string());
                }
            }
        }
        let accept = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*";
        let etag = cached.as_ref().and_then(|e| e["etag"].as_str()).map(String::from);
        let response = self.get_with(url, accept, etag.as_deref())?;
        let (body, etag) = if response.status() == 304 {
            (cached.as_ref().and_then(|e| e["body"].as_str()).unwrap_or_default().to_string(), etag)
        } else {
            let etag = response.header("etag").map(String::from);
            let mut body = String::new();
            // Read whole: big packages' documents pass ureq's 10 MB string limit.
            response.into_reader().read_to_string(&mut body).map_err(|e| Error::Network(format!("{url}: {e}")))?;
            (body, etag)
        };
        if let Some(dir) = file.parent() {
            let _ = std::fs::create_dir_all(dir);
            let tmp = file.with_extension(format!("tmp{}-{:?}", std::process::id(), std::thread::current().id()).replace(['(', ')'], ""));
            let entry = serde_json::json!({ "fetched": now, "etag": etag, "body": body });
            if std::fs::write(&tmp, entry.to_string()).is_ok() {
                let _ = std::fs::rename(&tmp, &file);
            }
        }
        Ok(body)
    }

    /// The abbreviated document of `name`, fetched once per run.
    pub fn packument(&self, name: &str) -> Result<Arc<Packument>, Error> {
        if let Some(doc) = self.cache.lock().unwrap().get(name) {
            return Ok(doc.clone());
        }
        let registry = self.config.registry_for(name)?;
        let url = format!("{registry}{}", name.replace('/', "%2f"));
        let text = self.packument_text(&url).map_err(|e| match e {
            Error::NotFound(_) => Error::NotFound(format!("'{name}' is not in this registry ({registry})")),
            other => other,
        })?;
        let bad = |e: serde_json::Error| Error::Registry(format!("{url}: {e}"));
        let mut top: HashMap<String, Box<serde_json::value::RawValue>> = serde_json::from_str(&text).map_err(bad)?;
        let raw: HashMap<String, Box<serde_json::value::RawValue>> = match top.remove("versions") {
            Some(versions) => serde_json::from_str(versions.get()).map_err(bad)?,
            None => HashMap::new(),
        };
        let dist_tags: HashMap<String, String> = match top.remove("dist-tags") {
            Some(tags) => serde_json::from_str::<HashMap<String, Value>>(tags.get())
                .map_err(bad)?
                .into_iter()
                .filter_map(|(k, v)| Some((k, v.as_str()?.to_string())))
                .collect(),
            None => HashMap::new(),
        };
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
        let packument = Arc::new(Packument { name: name.to_string(), versions, raw, spelled, dist_tags });
        self.cache.lock().unwrap().insert(name.to_string(), packument.clone());
        Ok(packument)
    }

    /// The tarball at `url`, whole.
    pub fn tarball(&self, url: &str) -> Result<Vec<u8>, Error> {
        let response = self.get(url, "application/octet-stream")?;
        let mut bytes = Vec::new();
        response.into_reader().take(1 << 31).read_to_end(&mut bytes).map_err(|e| Error::Network(format!("{url}: {e}")))?;
        Ok(bytes)
    }
}
