//! Finds the shipped languages: every folder of `locales/` is one, named by its language tag
//! and holding its `.ftl` files. They are compiled in (`locales.rs` in OUT_DIR), English first,
//! so that adding a language is adding files, and no list of languages is written in code.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
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
