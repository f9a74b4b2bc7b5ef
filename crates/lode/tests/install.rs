//! `lode install` and `lode run` against a real npm registry server:
//! Verdaccio (installed by scripts/install-test-tools.sh) on 127.0.0.1,
//! with fixture packages published to it over the registry's own publish
//! protocol. Covers ranges and tags, hoisting and nesting, peers, optional
//! platform packages, `.bin` links, the lockfile in both directions with
//! npm, tampered and path-traversing tarballs, and that a failed install
//! leaves the previous tree alone.

mod common;

use std::{
    io::Write,
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    time::{Duration, Instant},
};

use base64::Engine;
use serde_json::{json, Value};
use sha2::Digest;

use common::{lode, repo_root, text};

struct Registry {
    child: Child,
    url: String,
    token: String,
    storage: PathBuf,
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lode-install-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A gzipped package tarball: `entries` as (path inside, bytes, mode).
fn tarball(entries: &[(&str, &[u8], u32)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default()));
    for (path, data, mode) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(*mode);
        header.set_entry_type(tar::EntryType::Regular);
        // Written raw so a test can put `..` in a name, as a hostile tarball would.
        let name = header.as_old_mut().name.as_mut();
        name[..path.len()].copy_from_slice(path.as_bytes());
        header.set_cksum();
        builder.append(&header, *data).unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

impl Registry {
    fn start() -> Registry {
        let verdaccio = repo_root().join("tests/tools/node_modules/.bin/verdaccio");
        assert!(verdaccio.exists(), "Verdaccio is not installed: run scripts/install-test-tools.sh");
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = scratch("registry");
        let config = format!(
            "storage: {storage}\nauth:\n  htpasswd:\n    file: {dir}/htpasswd\n    max_users: 100\nuplinks: {{}}\npackages:\n  '**':\n    access: $all\n    publish: $authenticated\nlisten: 127.0.0.1:{port}\nlog: {{ type: stdout, format: pretty, level: fatal }}\n",
            storage = dir.join("storage").display(),
            dir = dir.display(),
        );
        std::fs::write(dir.join("config.yaml"), config).unwrap();
        let child = Command::new(&verdaccio)
            .arg("--config")
            .arg(dir.join("config.yaml"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start verdaccio");
        let url = format!("http://127.0.0.1:{port}/");
        let started = Instant::now();
        while ureq::get(&format!("{url}-/ping")).call().is_err() {
            assert!(started.elapsed() < Duration::from_secs(60), "Verdaccio did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let answer: Value = ureq::put(&format!("{url}-/user/org.couchdb.user:tester"))
            .send_json(json!({ "name": "tester", "password": "tester-password", "email": "t@example.test", "type": "user" }))
            .expect("create the test user")
            .into_json()
            .unwrap();
        let token = answer["token"].as_str().unwrap().to_string();
        Registry { child, url, token, storage: dir.join("storage") }
    }

    /// Publishes `manifest` (name, version, dependencies...) with a tarball
    /// made of `files` (or `raw`, used as is), as `npm publish` does.
    fn publish_with(&self, manifest: Value, tag: &str, raw: Option<Vec<u8>>, files: &[(&str, &str, u32)]) {
        let name = manifest["name"].as_str().unwrap().to_string();
        let version = manifest["version"].as_str().unwrap().to_string();
        let bytes = raw.unwrap_or_else(|| {
            let package_json = serde_json::to_vec_pretty(&manifest).unwrap();
            let mut entries: Vec<(String, Vec<u8>, u32)> = vec![("package/package.json".into(), package_json, 0o644)];
            for (path, content, mode) in files {
                entries.push((format!("package/{path}"), content.as_bytes().to_vec(), *mode));
            }
            let borrowed: Vec<(&str, &[u8], u32)> = entries.iter().map(|(p, d, m)| (p.as_str(), d.as_slice(), *m)).collect();
            tarball(&borrowed)
        });
        let file = format!("{}-{version}.tgz", name.rsplit('/').next().unwrap());
        let integrity = format!("sha512-{}", base64::engine::general_purpose::STANDARD.encode(sha2::Sha512::digest(&bytes)));
        let shasum: String = sha1::Sha1::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        let mut version_doc = manifest.clone();
        version_doc["_id"] = json!(format!("{name}@{version}"));
        version_doc["dist"] = json!({ "tarball": format!("{}{name}/-/{file}", self.url), "integrity": integrity, "shasum": shasum });
        let body = json!({
            "_id": name, "name": name,
            "dist-tags": { tag: version },
            "versions": { version.clone(): version_doc },
            "_attachments": { file: { "content_type": "application/octet-stream", "data": base64::engine::general_purpose::STANDARD.encode(&bytes), "length": bytes.len() } },
        });
        ureq::put(&format!("{}{}", self.url, name.replace('/', "%2f")))
            .set("authorization", &format!("Bearer {}", self.token))
            .send_json(body)
            .unwrap_or_else(|e| panic!("publish {name}@{version}: {e}"));
    }

    /// Points a dist-tag at a version (`npm dist-tag add`).
    fn tag(&self, name: &str, tag: &str, version: &str) {
        ureq::put(&format!("{}-/package/{name}/dist-tags/{tag}", self.url))
            .set("authorization", &format!("Bearer {}", self.token))
            .send_json(json!(version))
            .unwrap_or_else(|e| panic!("tag {name}@{version} as {tag}: {e}"));
    }

    fn publish(&self, manifest: Value) {
        self.publish_with(manifest, "latest", None, &[("index.js", "module.exports = require('./package.json').version;\n", 0o644)]);
    }
}

/// Runs `lode <args>` in `dir` against the registry, with its own cache.
fn lode_in(registry: &Registry, dir: &Path, args: &[&str]) -> Output {
    lode()
        .args(args)
        .current_dir(dir)
        .env("npm_config_registry", &registry.url)
        .env("npm_config_userconfig", dir.join(".no-user-npmrc"))
        .env("LODE_CACHE_DIR", dir.join(".cache"))
        .output()
        .unwrap()
}

fn project(name: &str, package: Value) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("package.json"), serde_json::to_string_pretty(&package).unwrap()).unwrap();
    dir
}

fn installed_version(dir: &Path, path: &str) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(path).join("package.json")).ok()?;
    serde_json::from_str::<Value>(&text).ok()?["version"].as_str().map(String::from)
}

fn assert_ok(out: &Output) {
    assert!(out.status.success(), "lode failed:\n{}\n{}", text(&out.stdout), text(&out.stderr));
}

#[test]
fn install_against_a_real_registry() {
    let registry = Registry::start();
    for v in ["1.0.0", "1.1.0", "2.0.0"] {
        registry.publish(json!({ "name": "dep-a", "version": v }));
    }
    // latest moves back to 1.1.0; 2.1.0-beta.1 only under `beta`.
    registry.tag("dep-a", "latest", "1.1.0");
    registry.publish_with(json!({ "name": "dep-a", "version": "2.1.0-beta.1" }), "beta", None, &[]);
    registry.publish(json!({ "name": "dep-c", "version": "1.0.0", "dependencies": { "dep-a": "^1.0.0" } }));
    registry.publish(json!({ "name": "peer-user", "version": "1.0.0", "peerDependencies": { "dep-peer": "^3.0.0" } }));
    registry.publish(json!({ "name": "dep-peer", "version": "3.2.0" }));
    registry.publish(json!({ "name": "only-windows", "version": "1.0.0", "os": ["win32"] }));
    registry.publish_with(
        json!({ "name": "@scope/tool", "version": "0.2.0", "bin": { "scoped-tool": "cli.js" } }),
        "latest",
        None,
        &[("cli.js", "#!/bin/sh\necho scoped tool ran\n", 0o644)],
    );

    // Ranges, tags, hoisting with a nested conflict, peers, optional
    // platform packages, a scoped package with a bin.
    let dir = project(
        "tree",
        json!({
            "name": "tree", "version": "1.0.0",
            "dependencies": { "dep-a": "^2.0.0", "dep-c": "1", "peer-user": "*", "@scope/tool": "~0.2.0" },
            "optionalDependencies": { "only-windows": "1.0.0" },
            "devDependencies": { "dep-beta": "npm:dep-a@beta" },
            "scripts": { "pretool": "echo before", "tool": "scoped-tool", "posttool": "echo after" },
        }),
    );
    let out = lode_in(&registry, &dir, &["install"]);
    assert_ok(&out);
    assert!(text(&out.stdout).contains("added 7 packages"), "{}", text(&out.stdout));
    assert_eq!(installed_version(&dir, "node_modules/dep-a").as_deref(), Some("2.0.0"));
    assert_eq!(installed_version(&dir, "node_modules/dep-c/node_modules/dep-a").as_deref(), Some("1.1.0"));
    assert_eq!(installed_version(&dir, "node_modules/dep-peer").as_deref(), Some("3.2.0"));
    assert_eq!(installed_version(&dir, "node_modules/dep-beta").as_deref(), Some("2.1.0-beta.1"));
    assert!(!dir.join("node_modules/only-windows").exists(), "a win32-only optional package was installed");
    // npm's flags: only reached through devDependencies, or optionally.
    let lock: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("package-lock.json")).unwrap()).unwrap();
    assert_eq!(lock["packages"]["node_modules/dep-beta"]["dev"], true);
    assert_eq!(lock["packages"]["node_modules/only-windows"]["optional"], true);
    assert!(lock["packages"]["node_modules/dep-a"].get("dev").is_none());
    let bin = dir.join("node_modules/.bin/scoped-tool");
    assert!(std::fs::symlink_metadata(&bin).unwrap().file_type().is_symlink());
    use std::os::unix::fs::PermissionsExt;
    assert_ne!(std::fs::metadata(&bin).unwrap().permissions().mode() & 0o111, 0, "bin target not executable");
    // From a subfolder, as npm, the project is the nearest package.json up.
    std::fs::create_dir_all(dir.join("src/deep")).unwrap();
    let run = lode_in(&registry, &dir.join("src/deep"), &["run", "tool"]);
    assert_ok(&run);
    assert_eq!(text(&run.stdout), "before\nscoped tool ran\nafter\n");
    let lock: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("package-lock.json")).unwrap()).unwrap();
    assert_eq!(lock["lockfileVersion"], 3);
    let entry = &lock["packages"]["node_modules/dep-c/node_modules/dep-a"];
    assert_eq!(entry["version"], "1.1.0");
    assert!(entry["integrity"].as_str().unwrap().starts_with("sha512-"));
    assert_eq!(lock["packages"]["node_modules/dep-beta"]["dev"], true);

    // npm accepts Lode's lockfile (`npm ci` installs exactly it)...
    let npm_dir = scratch("npm-ci");
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(dir.join(file), npm_dir.join(file)).unwrap();
    }
    let npm = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--registry", &registry.url])
        .current_dir(&npm_dir)
        .env("npm_config_cache", npm_dir.join(".npm-cache"))
        .output()
        .expect("npm");
    assert!(npm.status.success(), "npm ci rejected Lode's lockfile:\n{}", text(&npm.stderr));
    assert_eq!(installed_version(&npm_dir, "node_modules/dep-c/node_modules/dep-a").as_deref(), Some("1.1.0"));

    // The same tree as npm's where the order of placement decides it: a
    // contested top slot (npm places the shallower package's dependencies
    // first, so `sibling`, found later but placed at the top, wins it over
    // the nested `inner@1`), and a dependency of a nested package placed as
    // high as it can go below the conflict.
    for (name, version, deps) in [
        ("shared", "1.0.0", json!({})),
        ("shared", "2.0.0", json!({})),
        ("tiny", "1.0.0", json!({})),
        ("tiny", "2.0.0", json!({})),
        ("contested", "1.0.0", json!({})),
        ("contested", "2.0.0", json!({})),
        ("inner", "1.0.0", json!({ "tiny": "1.0.0", "contested": "1" })),
        ("inner", "2.0.0", json!({ "tiny": "2.0.0" })),
        ("outer", "1.0.0", json!({ "inner": "1", "sibling": "1" })),
        ("sibling", "1.0.0", json!({ "tiny": "^2.0.0", "contested": "2" })),
        ("leaf", "1.0.0", json!({ "shared": "^2.0.0" })),
        ("mid", "1.0.0", json!({ "leaf": "1" })),
        ("p-one", "1.0.0", json!({ "shared": "^1.0.0", "mid": "1" })),
        ("p-two", "1.0.0", json!({ "shared": "^2.0.0", "outer": "1" })),
    ] {
        registry.publish(json!({ "name": name, "version": version, "dependencies": deps }));
    }
    let layout = |dir: &Path| -> Vec<(String, String)> {
        let lock: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("package-lock.json")).unwrap()).unwrap();
        let mut paths: Vec<(String, String)> = lock["packages"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(path, _)| !path.is_empty())
            .map(|(path, entry)| (path.clone(), entry["version"].as_str().unwrap_or_default().to_string()))
            .collect();
        paths.sort();
        paths
    };
    let tangled = json!({ "name": "tangled", "version": "1.0.0", "dependencies": { "inner": "2", "p-two": "1", "p-one": "1" } });
    let by_npm = project("tangled-npm", tangled.clone());
    let npm = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--ignore-scripts", "--registry", &registry.url])
        .current_dir(&by_npm)
        .env("npm_config_cache", by_npm.join(".npm-cache"))
        .output()
        .unwrap();
    assert!(npm.status.success(), "{}", text(&npm.stderr));
    let by_lode = project("tangled-lode", tangled);
    assert_ok(&lode_in(&registry, &by_lode, &["install"]));
    assert_eq!(layout(&by_lode), layout(&by_npm));
    assert_eq!(installed_version(&by_lode, "node_modules/outer/node_modules/tiny").as_deref(), Some("1.0.0"));
    assert_eq!(installed_version(&by_lode, "node_modules/contested").as_deref(), Some("2.0.0"));

    // ...and Lode installs exactly npm's: a newer dep-a published after the
    // lockfile was written is not taken.
    let from_npm = project("from-npm", json!({ "name": "from-npm", "version": "1.0.0", "dependencies": { "dep-a": "^1.0.0" } }));
    let npm = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--registry", &registry.url])
        .current_dir(&from_npm)
        .env("npm_config_cache", from_npm.join(".npm-cache"))
        .output()
        .unwrap();
    assert!(npm.status.success(), "{}", text(&npm.stderr));
    std::fs::remove_dir_all(from_npm.join("node_modules")).unwrap();
    registry.publish(json!({ "name": "dep-a", "version": "1.2.0" }));
    assert_ok(&lode_in(&registry, &from_npm, &["install"]));
    assert_eq!(installed_version(&from_npm, "node_modules/dep-a").as_deref(), Some("1.1.0"));
    let frozen = project("frozen", json!({ "name": "frozen", "dependencies": { "dep-a": "^2.0.0" } }));
    std::fs::copy(from_npm.join("package-lock.json"), frozen.join("package-lock.json")).unwrap();
    let out = lode_in(&registry, &frozen, &["install", "--frozen-lockfile"]);
    assert!(!out.status.success() && text(&out.stderr).contains("does not match package.json"), "{}", text(&out.stderr));

    // A tampered tarball is refused and the previous install stays whole.
    registry.publish(json!({ "name": "tampered", "version": "1.0.0" }));
    let victim = project("tampered", json!({ "name": "victim", "dependencies": { "dep-a": "^1.0.0" } }));
    assert_ok(&lode_in(&registry, &victim, &["install"]));
    let lock_before = std::fs::read(victim.join("package-lock.json")).unwrap();
    let stored = registry.storage.join("tampered/tampered-1.0.0.tgz");
    let mut bytes = std::fs::read(&stored).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&stored, bytes).unwrap();
    std::fs::write(
        victim.join("package.json"),
        json!({ "name": "victim", "dependencies": { "dep-a": "^1.0.0", "tampered": "1.0.0" } }).to_string(),
    )
    .unwrap();
    let out = lode_in(&registry, &victim, &["install"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("integrity check failed: tampered@1.0.0"), "{}", text(&out.stderr));
    assert!(victim.join("node_modules/dep-a/package.json").exists(), "the old node_modules was damaged");
    assert_eq!(std::fs::read(victim.join("package-lock.json")).unwrap(), lock_before, "the lockfile changed");

    // A tarball that writes outside its folder is refused.
    let evil = tarball(&[("package/package.json", br#"{"name":"evil","version":"1.0.0"}"#, 0o644), ("package/../../escaped.txt", b"owned", 0o644)]);
    registry.publish_with(json!({ "name": "evil", "version": "1.0.0" }), "latest", Some(evil), &[]);
    let target = project("evil", json!({ "name": "target", "dependencies": { "evil": "1.0.0" } }));
    let out = lode_in(&registry, &target, &["install"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("refusing the path"), "{}", text(&out.stderr));
    assert!(!target.join("escaped.txt").exists() && !target.parent().unwrap().join("escaped.txt").exists());
    assert!(!target.join("node_modules").exists());

    // Workspaces and file: folders are linked; their dependencies hoisted.
    let mono = project(
        "workspaces",
        json!({ "name": "mono", "private": true, "workspaces": ["packages/*"], "dependencies": { "local-util": "file:./local-util" } }),
    );
    for (dir, manifest, main) in [
        ("packages/app", json!({ "name": "app", "version": "1.0.0", "dependencies": { "lib": "*", "dep-a": "^1.0.0" } }), "module.exports = require('lib') + '+' + require('dep-a');\n"),
        ("packages/lib", json!({ "name": "lib", "version": "2.0.0", "bin": { "lib-cli": "cli.js" } }), "module.exports = 'lib';\n"),
        ("local-util", json!({ "name": "local-util", "version": "0.0.1" }), "module.exports = 'util';\n"),
    ] {
        std::fs::create_dir_all(mono.join(dir)).unwrap();
        std::fs::write(mono.join(dir).join("package.json"), manifest.to_string()).unwrap();
        std::fs::write(mono.join(dir).join("index.js"), main).unwrap();
    }
    std::fs::write(mono.join("packages/lib/cli.js"), "#!/bin/sh\necho lib cli\n").unwrap();
    assert_ok(&lode_in(&registry, &mono, &["install"]));
    assert_eq!(std::fs::read_link(mono.join("node_modules/app")).unwrap(), Path::new("../packages/app"));
    assert!(std::fs::symlink_metadata(mono.join("node_modules/local-util")).unwrap().file_type().is_symlink());
    assert_eq!(installed_version(&mono, "node_modules/dep-a").as_deref(), Some("1.2.0"));
    let out = lode().args(["-p", "require('app') + ' ' + require('local-util')"]).current_dir(&mono).output().unwrap();
    assert_eq!(text(&out.stdout), "lib+1.2.0 util\n", "{}", text(&out.stderr));
    let lock: Value = serde_json::from_str(&std::fs::read_to_string(mono.join("package-lock.json")).unwrap()).unwrap();
    assert_eq!(lock["packages"]["node_modules/lib"], json!({ "resolved": "packages/lib", "link": true }));
    assert_eq!(lock["packages"]["packages/lib"]["version"], "2.0.0");
    assert!(mono.join("node_modules/.bin/lib-cli").exists());

    // overrides: global, and scoped to a parent.
    let overridden = project("overrides", json!({ "name": "o", "dependencies": { "dep-c": "1" }, "overrides": { "dep-a": "1.0.0" } }));
    assert_ok(&lode_in(&registry, &overridden, &["install"]));
    assert_eq!(installed_version(&overridden, "node_modules/dep-a").as_deref(), Some("1.0.0"));
    let scoped = project("overrides-scoped", json!({ "name": "s", "dependencies": { "dep-c": "1" }, "overrides": { "dep-c": { "dep-a": "~1.1.0" } } }));
    assert_ok(&lode_in(&registry, &scoped, &["install"]));
    assert_eq!(installed_version(&scoped, "node_modules/dep-a").as_deref(), Some("1.1.0"));

    // A peer another version already fills is reported, not installed twice.
    let peers = project("peer-conflict", json!({ "name": "p", "dependencies": { "dep-peer": "3.2.0", "peer-strict": "1.0.0" } }));
    registry.publish(json!({ "name": "peer-strict", "version": "1.0.0", "peerDependencies": { "dep-peer": "^4.0.0" } }));
    let out = lode_in(&registry, &peers, &["install"]);
    assert_ok(&out);
    assert!(text(&out.stderr).contains("peer conflict: peer-strict@1.0.0 wants dep-peer@^4.0.0, 3.2.0 is installed"), "{}", text(&out.stderr));

    // A tarball named by URL.
    let by_url = project("tarball-url", json!({ "name": "t", "dependencies": { "dep-a": format!("{}dep-a/-/dep-a-1.0.0.tgz", registry.url) } }));
    assert_ok(&lode_in(&registry, &by_url, &["install"]));
    assert_eq!(installed_version(&by_url, "node_modules/dep-a").as_deref(), Some("1.0.0"));
    let lock: Value = serde_json::from_str(&std::fs::read_to_string(by_url.join("package-lock.json")).unwrap()).unwrap();
    assert!(lock["packages"]["node_modules/dep-a"]["integrity"].as_str().unwrap().starts_with("sha512-"));

    // Git dependencies, from a local repository: a semver range over its
    // tags and a tag under another name. The lockfile pins each commit
    // (without an integrity, as npm's), and an install from that lockfile
    // packs the same commits again. A missing ref is a clear error.
    let repo = scratch("git-repo");
    let git = |args: &[&str]| -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(&repo)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.test")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.test")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
        text(&out.stdout).trim().to_string()
    };
    git(&["init", "-q"]);
    for version in ["1.2.0", "1.3.0"] {
        let manifest = json!({ "name": "from-git", "version": version, "dependencies": { "dep-a": "~1.0.0" } });
        std::fs::write(repo.join("package.json"), manifest.to_string()).unwrap();
        std::fs::write(repo.join("index.js"), format!("module.exports = '{version}';\n")).unwrap();
        git(&["add", "."]);
        git(&["commit", "-q", "-m", version]);
        git(&["tag", &format!("v{version}")]);
    }
    let url = format!("git+file://{}", repo.display());
    let by_git = project("git", json!({ "name": "g", "dependencies": { "from-git": format!("{url}#semver:~1.2.0"), "pinned": format!("{url}#v1.3.0") } }));
    assert_ok(&lode_in(&registry, &by_git, &["install"]));
    let check_git_tree = || {
        assert_eq!(installed_version(&by_git, "node_modules/from-git").as_deref(), Some("1.2.0"));
        assert_eq!(installed_version(&by_git, "node_modules/pinned").as_deref(), Some("1.3.0"));
        assert_eq!(installed_version(&by_git, "node_modules/dep-a").as_deref(), Some("1.0.0"));
        assert_eq!(std::fs::read_to_string(by_git.join("node_modules/pinned/index.js")).unwrap(), "module.exports = '1.3.0';\n");
    };
    check_git_tree();
    let lock: Value = serde_json::from_str(&std::fs::read_to_string(by_git.join("package-lock.json")).unwrap()).unwrap();
    let entry = &lock["packages"]["node_modules/from-git"];
    assert_eq!(entry["resolved"], json!(format!("{url}#{}", git(&["rev-parse", "v1.2.0"]))));
    assert!(entry.get("integrity").is_none(), "{entry}");
    assert_eq!(lock["packages"]["node_modules/pinned"]["name"], "from-git");
    std::fs::remove_dir_all(by_git.join("node_modules")).unwrap();
    std::fs::remove_dir_all(by_git.join(".cache")).unwrap();
    assert_ok(&lode_in(&registry, &by_git, &["install"]));
    check_git_tree();
    let bad_ref = project("git-bad-ref", json!({ "name": "b", "dependencies": { "from-git": format!("{url}#v9.9.9") } }));
    let out = lode_in(&registry, &bad_ref, &["install"]);
    assert!(text(&out.stderr).contains("has no commit, branch or tag 'v9.9.9'"), "{}", text(&out.stderr));

    // Without Node.js installed, scripts get a `node` that is Lode.
    let no_node = project("no-node", json!({ "name": "n", "version": "1.0.0", "scripts": { "which": "node -p \"typeof process.versions.quickjs + ' ' + process.env.npm_package_name\"" } }));
    let bin = no_node.join("fakebin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink("/bin/sh", bin.join("sh")).unwrap();
    let out = lode().args(["run", "which"]).current_dir(&no_node).env("PATH", &bin).output().unwrap();
    assert_ok(&out);
    assert_eq!(text(&out.stdout), "string n\n");

    // Clear errors: an unknown package, a range nothing satisfies, bad JSON.
    let missing = project("missing", json!({ "name": "m", "dependencies": { "no-such-package-here": "1.0.0" } }));
    let out = lode_in(&registry, &missing, &["install"]);
    assert!(text(&out.stderr).contains("404 Not Found: 'no-such-package-here' is not in this registry"), "{}", text(&out.stderr));
    let unmatched = project("unmatched", json!({ "name": "u", "dependencies": { "dep-a": "^9.0.0" } }));
    let out = lode_in(&registry, &unmatched, &["install"]);
    assert!(text(&out.stderr).contains("no version of dep-a matches ^9.0.0"), "{}", text(&out.stderr));
    let broken = scratch("broken-json");
    std::fs::File::create(broken.join("package.json")).unwrap().write_all(b"{\n  \"name\": \"x\",\n  oops\n}\n").unwrap();
    let out = lode_in(&registry, &broken, &["install"]);
    assert!(text(&out.stderr).contains("line 3, column"), "{}", text(&out.stderr));
}

/// Installs `dependencies` from the real registry (the one npm is configured
/// for) into a new project holding `app` as app.js, which prints its port.
fn install_app(name: &str, dependencies: Value, app: &str) -> PathBuf {
    let dir = project(name, json!({ "name": "app", "version": "1.0.0", "dependencies": dependencies }));
    let out = lode().arg("install").current_dir(&dir).env("LODE_CACHE_DIR", dir.join(".cache")).output().unwrap();
    assert_ok(&out);
    std::fs::write(dir.join("app.js"), app).unwrap();
    dir
}

/// Starts app.js in `dir` under `runtime`; returns the server and its base URL.
fn start_app(runtime: &str, dir: &std::path::Path) -> (std::process::Child, String) {
    let mut server = Command::new(runtime).arg("app.js").current_dir(dir).stdout(Stdio::piped()).spawn().expect("runtime");
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(server.stdout.take().unwrap()), &mut line).unwrap();
    let port: u16 = line.trim().parse().unwrap_or_else(|_| panic!("{runtime}: the app printed its port, not {line:?}"));
    (server, format!("http://127.0.0.1:{port}"))
}

/// On the real registry: projects that depend on express 4 and express 5
/// install, and the same app serves requests (a page, JSON route
/// parameters, a parsed JSON body, a 404) under Lode and under Node alike.
/// Express 5 loads packages that feature-detect (diagnostics_channel's
/// tracingChannel), which crashed while unbuilt functions were stand-ins.
#[test]
fn express_from_the_configured_registry_serves_under_lode_and_node() {
    let app = r#"const express = require('express');
const app = express();
app.use(express.json());
app.get('/', (req, res) => res.send('hello from express'));
app.get('/items/:id', (req, res) => res.json({ id: req.params.id, sort: req.query.sort }));
app.post('/echo', (req, res) => res.status(201).json({ got: req.body }));
const server = app.listen(0, '127.0.0.1', () => console.log(server.address().port));
"#;
    for (name, version) in [("express4", "^4.21.0"), ("express5", "^5.1.0")] {
        let dir = install_app(name, json!({ "express": version }), app);
        for runtime in [env!("CARGO_BIN_EXE_lode"), "node"] {
            let (mut server, base) = start_app(runtime, &dir);
            let page = ureq::get(&format!("{base}/")).call().unwrap().into_string().unwrap();
            let item = ureq::get(&format!("{base}/items/42?sort=asc")).call().unwrap().into_string().unwrap();
            let posted = ureq::post(&format!("{base}/echo")).send_json(json!({ "a": [1, 2] })).unwrap();
            let posted_status = posted.status();
            let posted = posted.into_string().unwrap();
            let missing = match ureq::get(&format!("{base}/nope")).call() {
                Err(ureq::Error::Status(code, _)) => code,
                other => panic!("{runtime} {name}: expected a 404, got {other:?}"),
            };
            let _ = server.kill();
            let _ = server.wait();
            assert_eq!(page, "hello from express", "{runtime} {name}");
            assert_eq!(item, r#"{"id":"42","sort":"asc"}"#, "{runtime} {name}");
            assert_eq!((posted_status, posted.as_str()), (201, r#"{"got":{"a":[1,2]}}"#), "{runtime} {name}");
            assert_eq!(missing, 404, "{runtime} {name}");
        }
    }
}

/// On the real registry: a koa 2 app installs and serves under Lode as
/// under Node. koa checks middleware with is-generator-function, which
/// require()s an ES module exporting 'module.exports' (generator-function).
#[test]
fn koa_from_the_configured_registry_serves_under_lode_and_node() {
    let app = r#"const Koa = require('koa');
const app = new Koa();
app.use(async (ctx, next) => { await next(); ctx.set('x-took', 'some'); });
app.use(async (ctx) => { ctx.body = { path: ctx.path, q: ctx.query.q }; });
const server = app.listen(0, '127.0.0.1', () => console.log(server.address().port));
"#;
    let dir = install_app("koa", json!({ "koa": "^2.16.0" }), app);
    for runtime in [env!("CARGO_BIN_EXE_lode"), "node"] {
        let (mut server, base) = start_app(runtime, &dir);
        let response = ureq::get(&format!("{base}/hello?q=1")).call().unwrap();
        let header = response.header("x-took").map(str::to_owned);
        let body = response.into_string().unwrap();
        let _ = server.kill();
        let _ = server.wait();
        assert_eq!(body, r#"{"path":"/hello","q":"1"}"#, "{runtime}");
        assert_eq!(header.as_deref(), Some("some"), "{runtime}");
    }
}

/// An install killed while it downloads (SIGKILL, no chance to clean up)
/// leaves the previous node_modules and lockfile as they were, and the next
/// install clears what a killed one left aside. The
/// registry here is a stub on 127.0.0.1 that answers the package document
/// but never the tarball, so the kill lands mid-download every time.
#[test]
fn a_killed_install_leaves_the_old_tree() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (asked_tarball, tarball_asked) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let asked_tarball = asked_tarball.clone();
            std::thread::spawn(move || {
                let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                std::io::BufRead::read_line(&mut reader, &mut request).unwrap();
                if request.contains(".tgz") {
                    let _ = asked_tarball.send(());
                    std::thread::sleep(Duration::from_secs(60));
                    return;
                }
                let doc = json!({
                    "name": "slow", "dist-tags": { "latest": "1.0.0" },
                    "versions": { "1.0.0": { "name": "slow", "version": "1.0.0", "dist": {
                        "tarball": format!("http://127.0.0.1:{port}/slow/-/slow-1.0.0.tgz"),
                        "integrity": "sha512-AAAA" } } }
                })
                .to_string();
                let mut stream = stream;
                let _ = write!(stream, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{doc}", doc.len());
            });
        }
    });
    let dir = scratch("killed");
    let before = json!({ "name": "k", "dependencies": {} });
    std::fs::write(dir.join("package.json"), before.to_string()).unwrap();
    std::fs::create_dir_all(dir.join("node_modules/kept")).unwrap();
    std::fs::write(dir.join("node_modules/kept/index.js"), "old").unwrap();
    std::fs::write(dir.join("package-lock.json"), "{\"lockfileVersion\": 3}\n").unwrap();
    std::fs::write(dir.join("package.json"), json!({ "name": "k", "dependencies": { "slow": "1.0.0" } }).to_string()).unwrap();
    let registry = format!("http://127.0.0.1:{port}/");
    let mut install = lode()
        .arg("install")
        .current_dir(&dir)
        .env("npm_config_registry", &registry)
        .env("npm_config_userconfig", dir.join(".no-user-npmrc"))
        .env("LODE_CACHE_DIR", dir.join(".cache"))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    tarball_asked.recv_timeout(Duration::from_secs(30)).expect("lode never asked for the tarball");
    install.kill().unwrap();
    install.wait().unwrap();
    assert_eq!(std::fs::read_to_string(dir.join("node_modules/kept/index.js")).unwrap(), "old");
    assert_eq!(std::fs::read_to_string(dir.join("package-lock.json")).unwrap(), "{\"lockfileVersion\": 3}\n");
    // The next install clears what a killed one built aside (a staging
    // tree named for a process id that cannot be running).
    let leftovers = |dir: &Path| std::fs::read_dir(dir).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().starts_with(".node_modules.")).count();
    std::fs::create_dir_all(dir.join(".node_modules.lode-4194399/half-written")).unwrap();
    std::fs::write(dir.join("package.json"), before.to_string()).unwrap();
    let out = lode().arg("install").current_dir(&dir).env("npm_config_registry", &registry).env("LODE_CACHE_DIR", dir.join(".cache")).output().unwrap();
    assert_ok(&out);
    assert_eq!(leftovers(&dir), 0);
}

/// TLS as npm's configuration says: a registry whose certificate comes
/// from a private CA is refused by default, trusted with `cafile` naming
/// that CA, and reached without checks under `strict-ssl=false`. The
/// registry is `openssl s_server -WWW` on 127.0.0.1 serving a package
/// document and tarball from a folder.
#[test]
fn tls_follows_cafile_and_strict_ssl() {
    let dir = scratch("tls");
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl").args(args).current_dir(&dir).output().expect("openssl");
        assert!(out.status.success(), "openssl {args:?}: {}", text(&out.stderr));
    };
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    openssl(&[&["req", "-x509"][..], &ec, &["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=lode test CA"]].concat());
    openssl(&[&["req"][..], &ec, &["-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=127.0.0.1"]].concat());
    std::fs::write(dir.join("san.ext"), "subjectAltName=IP:127.0.0.1\n").unwrap();
    openssl(&["x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.pem", "-days", "2", "-extfile", "san.ext"]);

    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let served = dir.join("www");
    std::fs::create_dir_all(&served).unwrap();
    let package = tarball(&[("package/package.json", br#"{"name":"secure","version":"1.0.0"}"#, 0o644)]);
    let integrity = format!("sha512-{}", base64::engine::general_purpose::STANDARD.encode(sha2::Sha512::digest(&package)));
    std::fs::write(served.join("secure-1.0.0.tgz"), &package).unwrap();
    let doc = json!({
        "name": "secure", "dist-tags": { "latest": "1.0.0" },
        "versions": { "1.0.0": { "name": "secure", "version": "1.0.0",
            "dist": { "tarball": format!("https://127.0.0.1:{port}/secure-1.0.0.tgz"), "integrity": integrity } } }
    });
    std::fs::write(served.join("secure"), doc.to_string()).unwrap();
    let mut server = Command::new("openssl")
        .args(["s_server", "-quiet", "-accept", &port.to_string(), "-cert", "../leaf.pem", "-key", "../leaf.key", "-WWW"])
        .current_dir(&served)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl s_server");
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "openssl s_server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let install = |name: &str, npmrc: &str| -> Output {
        let project = project(name, json!({ "name": name, "dependencies": { "secure": "1.0.0" } }));
        std::fs::write(project.join(".npmrc"), format!("registry=https://127.0.0.1:{port}/\n{npmrc}")).unwrap();
        let out = lode().arg("install").current_dir(&project).env("npm_config_userconfig", project.join(".none")).env("LODE_CACHE_DIR", project.join(".cache")).output().unwrap();
        let installed = installed_version(&project, "node_modules/secure");
        assert_eq!(installed.is_some(), out.status.success(), "{name}: {}", text(&out.stderr));
        out
    };
    let refused = install("tls-default", "");
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("invalid peer certificate"), "{}", text(&refused.stderr));
    assert_ok(&install("tls-cafile", &format!("cafile={}\n", dir.join("ca.pem").display())));
    assert_ok(&install("tls-not-strict", "strict-ssl=false\n"));
    let _ = server.kill();
    let _ = server.wait();
}
