//! The Linux repositories `scripts/publish-repo` makes, as a user's machine meets them — served
//! on loopback ([`gatewatch_fakes::releases::serve_dir`]), signed with a throwaway RSA-3072 key:
//! `apt-get update` and `apt-get install --simulate gatewatch` with a private sources list,
//! lists directory and keyring (Signed-By), never touching this machine's apt state, accept the
//! apt repository and refuse it when `InRelease` is tampered with or signed by another key;
//! Sequoia's `sqv` (APT 3's verifier) accepts its signatures; `rpmkeys --checksig` accepts
//! every package against the key and refuses a changed one; `dnf` (Debian's), pointed at the
//! repository with its own configuration and an empty install root, verifies the metadata's
//! signature (`repo_gpgcheck`), finds the package, and refuses changed metadata.
//!
//! Needs the packages: `scripts/test` builds them and runs this with `GATEWATCH_TEST_DEB` and
//! `GATEWATCH_TEST_RPM` set:
//!   cargo test -p gatewatch-fakes --test repos -- --ignored
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gatewatch_fakes::releases::serve_dir;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .into()
}

fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("{cmd:?} does not run: {e}"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A throwaway signing key in its own GnuPG home; its fingerprint.
fn key(home: &Path, name: &str) -> String {
    std::fs::create_dir_all(home).unwrap();
    std::fs::set_permissions(home, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let o = run(Command::new("gpg").env("GNUPGHOME", home).args([
        "--batch",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--cert-digest-algo",
        "SHA512",
        "--quick-gen-key",
        &format!("{name} <test@gatewatch.invalid>"),
        "rsa3072",
        "sign",
        "never",
    ]));
    assert!(o.status.success(), "{}", text(&o));
    let o = run(Command::new("gpg").env("GNUPGHOME", home).args([
        "--batch",
        "--with-colons",
        "--list-keys",
    ]));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .find_map(|l| {
            l.strip_prefix("fpr:")
                .map(|r| r.trim_matches(':').to_string())
        })
        .expect("a fingerprint")
}

/// apt-get with everything of its own under `dir`, reading only `sources` and trusting only what
/// they name (Signed-By); the machine's dpkg status is read, never written.
fn apt(dir: &Path, sources: &Path, args: &[&str]) -> Output {
    for d in ["lists/partial", "cache/archives/partial"] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    let opt = |k: &str, v: &Path| format!("-o{k}={}", v.display());
    run(Command::new("apt-get")
        .arg(opt("Dir::Etc::sourcelist", Path::new("/dev/null")))
        .arg(opt("Dir::Etc::sourceparts", sources))
        .arg(opt("Dir::State::Lists", &dir.join("lists")))
        .arg(opt("Dir::Cache", &dir.join("cache")))
        .arg("-oDir::Cache::pkgcache=")
        .arg("-oDir::Cache::srcpkgcache=")
        .arg("-oDebug::NoLocking=true")
        .arg("-oAPT::Sandbox::User=root")
        .arg("-oAcquire::Languages=none")
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn dnf(dir: &Path, args: &[&str]) -> Output {
    run(Command::new("dnf")
        .arg("-y")
        .arg(format!(
            "--setopt=reposdir={}",
            dir.join("repos.d").display()
        ))
        .arg(format!("--installroot={}", dir.join("root").display()))
        .arg(format!("--setopt=cachedir={}", dir.join("cache").display()))
        .arg(format!(
            "--setopt=persistdir={}",
            dir.join("persist").display()
        ))
        .arg(format!("--setopt=logdir={}", dir.display()))
        .args(["--releasever=40", "--setopt=skip_if_unavailable=False"])
        .args(["--disablerepo=*", "--enablerepo=gatewatch"])
        .args(args))
}

fn edit(path: &Path, from: &str, to: &str) -> String {
    let before = std::fs::read_to_string(path).unwrap();
    assert!(before.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, before.replacen(from, to, 1)).unwrap();
    before
}

#[test]
#[ignore = "needs the packages: scripts/test builds them and runs this"]
fn apt_and_dnf_accept_the_signed_repositories_and_refuse_tampered_ones() {
    let deb = std::env::var("GATEWATCH_TEST_DEB").expect("GATEWATCH_TEST_DEB: a built .deb");
    let rpm = std::env::var("GATEWATCH_TEST_RPM").expect("GATEWATCH_TEST_RPM: a built .rpm");
    let tmp = std::env::temp_dir().join(format!("gatewatch-repos-{}", std::process::id()));
    std::fs::remove_dir_all(&tmp).ok();
    let home = tmp.join("gnupg");
    let fpr = key(&home, "Gatewatch test");
    let out = tmp.join("site");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (addr, _serving) = rt.block_on(serve_dir(out.clone())).unwrap();
    let url = format!("http://{addr}");

    let o = run(Command::new(root().join("scripts/publish-repo"))
        .env("GNUPGHOME", &home)
        .args(["--key", &fpr, "--url", &url, "--out"])
        .arg(&out)
        .args([&deb, &rpm]));
    assert!(o.status.success(), "{}", text(&o));

    // ---- apt ----
    let version = String::from_utf8_lossy(
        &run(Command::new("dpkg-deb").args(["--field", &deb, "Version"])).stdout,
    )
    .trim()
    .to_string();
    let source = std::fs::read_to_string(out.join("apt/gatewatch.sources")).unwrap();
    assert!(source.contains(&format!("URIs: {url}/apt")), "{source}");
    assert!(
        source.contains("Signed-By: /etc/apt/keyrings/gatewatch.gpg"),
        "{source}"
    );
    let sources = tmp.join("sources.list.d");
    std::fs::create_dir_all(&sources).unwrap();
    let trust = |keyring: &Path| {
        let s = source.replace(
            "/etc/apt/keyrings/gatewatch.gpg",
            &keyring.display().to_string(),
        );
        std::fs::write(sources.join("gatewatch.sources"), s).unwrap();
    };
    trust(&out.join("gatewatch.gpg"));
    let state = tmp.join("apt-good");
    let o = apt(&state, &sources, &["update"]);
    let said = text(&o);
    assert!(o.status.success(), "{said}");
    assert!(!said.contains("W:") && !said.contains("E:"), "{said}");
    let o = apt(&state, &sources, &["install", "--simulate", "gatewatch"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(&format!(
            "Inst gatewatch ({version} Gatewatch:stable [amd64])"
        )),
        "{}",
        text(&o)
    );
    // APT 3's verifier, sqv, accepts the key and its signature.
    let dist = out.join("apt/dists/stable");
    let o = run(Command::new("sqv")
        .arg("--keyring")
        .arg(out.join("gatewatch.gpg"))
        .arg(dist.join("Release.gpg"))
        .arg(dist.join("Release")));
    assert!(o.status.success(), "sqv: {}", text(&o));

    // InRelease changed after signing: refused, and nothing can be installed from it.
    let original = edit(
        &dist.join("InRelease"),
        "Label: Gatewatch",
        "Label: Gatewatcx",
    );
    let state = tmp.join("apt-tampered");
    let o = apt(&state, &sources, &["update"]);
    let said = text(&o);
    assert!(
        !o.status.success(),
        "a tampered InRelease was accepted: {said}"
    );
    assert!(
        said.contains("BADSIG") || said.contains("signatures were invalid"),
        "{said}"
    );
    let o = apt(&state, &sources, &["install", "--simulate", "gatewatch"]);
    assert!(!o.status.success(), "{}", text(&o));
    std::fs::write(dist.join("InRelease"), original).unwrap();
    // Signed-By another key: refused.
    let other = key(&tmp.join("gnupg-other"), "Someone else");
    let other_ring = tmp.join("other.gpg");
    let o = run(Command::new("gpg")
        .env("GNUPGHOME", tmp.join("gnupg-other"))
        .args(["--batch", "--yes", "--output"])
        .arg(&other_ring)
        .args(["--export", &other]));
    assert!(o.status.success());
    trust(&other_ring);
    let o = apt(&tmp.join("apt-other-key"), &sources, &["update"]);
    assert!(
        !o.status.success(),
        "another key was accepted: {}",
        text(&o)
    );
    assert!(text(&o).contains("NO_PUBKEY"), "{}", text(&o));

    // ---- rpm and dnf ----
    let db = tmp.join("rpmdb");
    std::fs::create_dir_all(&db).unwrap();
    let rpmkeys = |args: &[&str], file: &Path| {
        run(Command::new("rpmkeys")
            .arg("--dbpath")
            .arg(&db)
            .args(args)
            .arg(file))
    };
    let packages: Vec<PathBuf> = std::fs::read_dir(out.join("rpm/packages"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(packages.len(), 1, "{packages:?}");
    // Before the key is known: not OK.
    let o = rpmkeys(&["--checksig"], &packages[0]);
    assert!(!o.status.success(), "{}", text(&o));
    let o = rpmkeys(&["--import"], &out.join("gatewatch.asc"));
    assert!(o.status.success(), "{}", text(&o));
    let o = rpmkeys(&["--checksig"], &packages[0]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("digests signatures OK"), "{}", text(&o));
    let mut bytes = std::fs::read(&packages[0]).unwrap();
    let at = bytes.len() - 100;
    bytes[at] ^= 0xff;
    let changed = tmp.join("changed.rpm");
    std::fs::write(&changed, bytes).unwrap();
    let o = rpmkeys(&["--checksig"], &changed);
    assert!(
        !o.status.success(),
        "a changed package passed: {}",
        text(&o)
    );
    let repodata = out.join("rpm/repodata");
    let o = run(Command::new("sqv")
        .arg("--keyring")
        .arg(out.join("gatewatch.gpg"))
        .arg(repodata.join("repomd.xml.asc"))
        .arg(repodata.join("repomd.xml")));
    assert!(o.status.success(), "sqv: {}", text(&o));

    let d = tmp.join("dnf");
    std::fs::create_dir_all(d.join("repos.d")).unwrap();
    std::fs::copy(
        out.join("rpm/gatewatch.repo"),
        d.join("repos.d/gatewatch.repo"),
    )
    .unwrap();
    let o = dnf(&d, &["makecache"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Fingerprint"),
        "the key came from the repository's gpgkey: {}",
        text(&o)
    );
    let o = dnf(
        &d,
        &["repoquery", "--qf", "%{name} %{version}", "gatewatch"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(&format!("gatewatch {}", version.split('-').next().unwrap())),
        "{}",
        text(&o)
    );
    // Metadata changed after signing: refused.
    edit(&repodata.join("repomd.xml"), "<revision>", "<revision>1");
    std::fs::remove_dir_all(d.join("cache")).ok();
    let o = dnf(&d, &["makecache"]);
    assert!(
        !o.status.success(),
        "changed metadata was accepted: {}",
        text(&o)
    );
    assert!(text(&o).contains("Bad GPG signature"), "{}", text(&o));

    drop(rt);
    std::fs::remove_dir_all(&tmp).ok();
}
