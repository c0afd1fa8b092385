//! Finds the shipped languages: every folder of `locales/` is one, named by its language tag
//! and holding its `.ftl` files. They are compiled in (`locales.rs` in OUT_DIR), English first,
//! so that adding a language is adding files, and no list of languages is written in code.
//!
//! Also compiles Censored Planet's block-page signatures (`data/censoredplanet/`, kept as
//! published) into a table of literal parts (`blockpages.rs` in OUT_DIR): see
//! `src/fingerprint.rs`.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    locales();
    blockpages();
}

fn locales() {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("locales");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut tags: Vec<String> = fs::read_dir(&root)
        .expect("core/locales/ holds the translations")
        .filter_map(|e| {
            let e = e.ok()?;
            e.file_type()
                .ok()?
                .is_dir()
                .then(|| e.file_name().into_string().ok())?
        })
        .collect();
    // English is the fallback: first; the rest in the order of their tags.
    tags.sort_by_key(|t| (t != "en", t.clone()));
    assert_eq!(
        tags.first().map(String::as_str),
        Some("en"),
        "core/locales/en is needed"
    );
    let mut out = String::from("&[\n");
    for tag in &tags {
        let dir = root.join(tag);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort();
        let mut name = None;
        let mut sources = String::new();
        for f in &files {
            println!("cargo:rerun-if-changed={}", f.display());
            let text = fs::read_to_string(f).unwrap();
            name = name.or_else(|| {
                text.lines()
                    .find_map(|l| l.strip_prefix("language-name ="))
                    .map(|n| n.trim().to_string())
            });
            let file = f.file_name().unwrap().to_string_lossy().into_owned();
            writeln!(
                sources,
                "        ({file:?}, include_str!({:?})),",
                f.display().to_string()
            )
            .unwrap();
        }
        let name = name.unwrap_or_else(|| panic!("core/locales/{tag}: no language-name message"));
        writeln!(
            out,
            "    Locale {{ tag: {tag:?}, name: {name:?}, files: &[\n{sources}    ] }},"
        )
        .unwrap();
    }
    out.push(']');
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("locales.rs"),
        out,
    )
    .unwrap();
}

/// `{"fingerprint":"…","pattern":"…"}` a line → `(id, &[part, …])`: each RE2 pattern as the
/// literal parts it is made of, split at `.*`, escapes resolved. Patterns using any other
/// regular-expression syntax are left out (they would need a regex engine in the tray).
fn blockpages() {
    let file = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap())
        .join("data/censoredplanet/blockpage_signatures.json");
    println!("cargo:rerun-if-changed={}", file.display());
    let text = fs::read_to_string(&file).expect("core/data/censoredplanet holds the signatures");
    let mut out = String::from("&[\n");
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let id = json_field(line, "fingerprint").expect("a fingerprint on every line");
        let pattern = json_field(line, "pattern").expect("a pattern on every line");
        let Some(parts) = literal_parts(&pattern) else {
            continue;
        };
        writeln!(out, "    ({id:?}, &{parts:?}),").unwrap();
    }
    out.push(']');
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("blockpages.rs"),
        out,
    )
    .unwrap();
}

/// The string value of `"key":"…"` in one line of JSON (escapes decoded).
fn json_field(line: &str, key: &str) -> Option<String> {
    let start = line.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let mut out = String::new();
    let mut chars = line[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

/// An RE2 pattern as literal parts, or `None` if it uses more than `.*` and `\`-escapes.
fn literal_parts(pattern: &str) -> Option<Vec<String>> {
    pattern
        .split(".*")
        .map(|part| {
            let mut lit = String::new();
            let mut chars = part.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => lit.push(chars.next()?),
                    '[' | ']' | '(' | ')' | '|' | '+' | '*' | '?' | '^' | '$' | '{' | '}' => {
                        return None
                    }
                    c => lit.push(c),
                }
            }
            Some(lit)
        })
        .collect()
}
