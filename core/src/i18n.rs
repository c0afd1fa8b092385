//! The languages Gatewatch speaks: Project Fluent files in `core/locales/<tag>/`, found at build
//! time (build.rs), formatted with `fluent-bundle`.
//!
//! A [`Lang`] is one shipped locale (or one of two pseudo-locales made from English for layout
//! tests). Its bundle is parsed the first time it is asked for, so a process holds only the
//! language in use and English, the fallback for a message a translation lacks. Isolation marks
//! around placeables are off: the tray, notification servers and terminals would show them as
//! boxes, and the text Gatewatch puts in placeables is its own.

use std::borrow::Cow;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One shipped language, as build.rs found it.
pub struct Locale {
    /// Its BCP 47 tag, the folder's name: `en`, `pt-BR`.
    pub tag: &'static str,
    /// Its name in itself (the `language-name` message): "Deutsch".
    pub name: &'static str,
    /// Its Fluent files: (file name, text).
    pub files: &'static [(&'static str, &'static str)],
}

/// The file of the window's own labels, which only the window formats.
pub const WINDOW_FILE: &str = "explainer.ftl";

/// Every shipped language, English first.
pub static LOCALES: &[Locale] = include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// The pseudo-locales, after the shipped ones: English accented and about 40 % longer, and
/// English mirrored right to left. Not offered in Settings; `--lang` and the settings file take
/// them, for the layout tests.
pub const PSEUDO: [&str; 2] = ["en-XA", "ar-XB"];

/// A language Gatewatch can speak: an index into [`LOCALES`], then the pseudo-locales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Lang(u8);

impl Lang {
    pub const EN: Lang = Lang(0);

    /// The shipped languages (no pseudo-locales), English first.
    pub fn shipped() -> impl Iterator<Item = Lang> {
        (0..LOCALES.len()).map(|i| Lang(i as u8))
    }

    /// Every language, the pseudo-locales included.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..LOCALES.len() + PSEUDO.len()).map(|i| Lang(i as u8))
    }

    fn pseudo(self) -> Option<usize> {
        (self.0 as usize).checked_sub(LOCALES.len())
    }

    pub fn is_pseudo(self) -> bool {
        self.pseudo().is_some()
    }

    /// The right-to-left pseudo-locale (the only right-to-left language so far).
    pub fn is_rtl(self) -> bool {
        self.pseudo() == Some(1)
    }

    pub fn code(self) -> &'static str {
        match self.pseudo() {
            Some(p) => PSEUDO[p],
            None => LOCALES[self.0 as usize].tag,
        }
    }

    /// The language's name in itself.
    pub fn name(self) -> &'static str {
        match self.pseudo() {
            Some(0) => "Ƥşḗḗŭŭḓǿǿ (accented)",
            Some(_) => "ɥsᴉlƃuƎ (mirrored)",
            None => LOCALES[self.0 as usize].name,
        }
    }

    /// Exactly this tag (any case): `pt-br`, `en-XA`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::all().find(|l| l.code().eq_ignore_ascii_case(tag))
    }

    /// The best shipped language for a locale, from a POSIX name (`es_MX.UTF-8@euro`, `C`) or a
    /// BCP 47 tag (`pt-PT`): the tag itself, else the first shipped language with its language
    /// subtag (es-MX → es, pt-PT → pt-BR), else `None`.
    pub fn negotiate(locale: &str) -> Option<Lang> {
        let tag = locale
            .trim()
            .split(['.', '@'])
            .next()
            .unwrap_or("")
            .replace('_', "-");
        if tag.is_empty() {
            return None;
        }
        if let Some(l) = Lang::from_tag(&tag) {
            return Some(l);
        }
        let language = tag.split('-').next().unwrap_or("");
        Lang::shipped().find(|l| {
            l.code()
                .split('-')
                .next()
                .is_some_and(|x| x.eq_ignore_ascii_case(language))
        })
    }

    /// [`Lang::negotiate`], falling back to English.
    pub fn from_locale(locale: &str) -> Lang {
        Lang::negotiate(locale).unwrap_or(Lang::EN)
    }

    /// The first of the user's preferred locales that a shipped language serves, else English.
    pub fn from_locales<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred
            .into_iter()
            .find_map(Lang::negotiate)
            .unwrap_or(Lang::EN)
    }

    /// The language the user's system speaks: LC_ALL, LC_MESSAGES or LANG when set (always so
    /// on Linux; on Windows and macOS a terminal's, or someone's who wants another language),
    /// then, on Windows and macOS, the user's preferred UI languages in order.
    pub fn system() -> Lang {
        Lang::from_locales(system_locales().iter().map(String::as_str))
    }

    /// This language's Fluent files.
    pub fn files(self) -> &'static [(&'static str, &'static str)] {
        match self.pseudo() {
            Some(_) => LOCALES[0].files,
            None => LOCALES[self.0 as usize].files,
        }
    }
}

impl Serialize for Lang {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
        let tag = String::deserialize(d)?;
        Lang::from_tag(&tag).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{tag:?} is not one of Gatewatch's languages ({})",
                tags_list()
            ))
        })
    }
}

/// "en, de, es, …" — the shipped tags, for messages.
pub fn tags_list() -> String {
    Lang::shipped()
        .map(Lang::code)
        .collect::<Vec<_>>()
        .join(", ")
}

fn system_locales() -> Vec<String> {
    let from_env = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    #[cfg(any(windows, target_os = "macos"))]
    let from_os = sys_locale::get_locales();
    #[cfg(not(any(windows, target_os = "macos")))]
    let from_os = std::iter::empty::<String>();
    from_env.into_iter().chain(from_os).collect()
}

// ---- the window's share ------------------------------------------------------------------

/// What the explainer window needs to speak a language: the same Fluent files, formatted there
/// by @fluent/bundle. Only the language asked for and English (its fallback) are sent.
#[derive(Debug, Clone, Serialize)]
pub struct Texts {
    pub lang: &'static str,
    pub name: &'static str,
    pub rtl: bool,
    /// For a pseudo-locale, the transform to apply to its text.
    pub pseudo: Option<Pseudo>,
    /// The language's files: (file name, Fluent text).
    pub sources: &'static [(&'static str, &'static str)],
    /// English's, for messages the language lacks; empty for English itself.
    pub fallback: &'static [(&'static str, &'static str)],
    /// Every shipped language, for the language menus.
    pub languages: Vec<LanguageName>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LanguageName {
    pub tag: &'static str,
    pub name: &'static str,
}

impl Texts {
    /// For a tag (an unknown one gets English).
    pub fn of(tag: &str) -> Texts {
        let lang = Lang::from_tag(tag).unwrap_or(Lang::EN);
        Texts {
            lang: lang.code(),
            name: lang.name(),
            rtl: lang.is_rtl(),
            pseudo: match lang.pseudo() {
                Some(0) => Some(ACCENTED),
                Some(_) => Some(MIRRORED),
                None => None,
            },
            sources: lang.files(),
            fallback: if lang == Lang::EN || lang.is_pseudo() {
                &[]
            } else {
                Lang::EN.files()
            },
            languages: Lang::shipped()
                .map(|l| LanguageName {
                    tag: l.code(),
                    name: l.name(),
                })
                .collect(),
        }
    }
}

// ---- formatting ---------------------------------------------------------------------------

type Bundle = FluentBundle<FluentResource>;

fn bundle(lang: Lang) -> &'static Bundle {
    static BUNDLES: OnceLock<Vec<OnceLock<Bundle>>> = OnceLock::new();
    let all = BUNDLES.get_or_init(|| Lang::all().map(|_| OnceLock::new()).collect());
    all[lang.0 as usize].get_or_init(|| build(lang))
}

fn build(lang: Lang) -> Bundle {
    let tag = if lang.is_pseudo() { "en" } else { lang.code() };
    let id = tag
        .parse()
        .unwrap_or_else(|e| panic!("core/locales/{tag}: not a language tag: {e:?}"));
    let mut b = FluentBundle::new_concurrent(vec![id]);
    b.set_use_isolating(false);
    match lang.pseudo() {
        Some(0) => b.set_transform(Some(accented)),
        Some(_) => b.set_transform(Some(mirrored)),
        None => {}
    }
    for (file, text) in lang.files() {
        // The window's own labels are the window's to format: not parsed here (the tray's
        // memory is for what the tray says).
        if *file == WINDOW_FILE {
            continue;
        }
        // The checks in tests/i18n.rs make sure every shipped file parses; a broken one still
        // gives what parsed.
        let res = FluentResource::try_new(text.to_string()).unwrap_or_else(|(r, _)| r);
        if let Err(errors) = b.add_resource(res) {
            debug_assert!(false, "{}/{file}: {errors:?}", lang.code());
        }
    }
    b
}

/// A message's variables.
pub type Args<'a> = [(&'a str, Arg<'a>)];

/// A variable's value: text as is, or a number (for plural selectors).
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    Str(Cow<'a, str>),
    Num(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(Cow::Borrowed(s))
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Str(Cow::Owned(s))
    }
}

impl From<&String> for Arg<'_> {
    fn from(s: &String) -> Self {
        Arg::Str(Cow::Owned(s.clone()))
    }
}

macro_rules! num_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg<'_> {
            fn from(n: $t) -> Self {
                Arg::Num(n as f64)
            }
        }
    )*};
}
num_arg!(u8, u16, u32, u64, usize, i32, i64);

/// A message with no variables, in `lang` (English when the translation lacks it).
pub fn t(lang: Lang, id: &str) -> String {
    tf(lang, id, &[])
}

/// A message with its variables. Numbers are written plainly (no grouping), as the English
/// text always was; they drive the plural forms.
pub fn tf(lang: Lang, id: &str, args: &Args) -> String {
    let mut fargs = FluentArgs::with_capacity(args.len());
    for (k, v) in args {
        match v {
            Arg::Str(s) => fargs.set(*k, FluentValue::from(s.as_ref())),
            Arg::Num(n) => {
                let mut num = fluent_bundle::types::FluentNumber::from(*n);
                num.options.use_grouping = false;
                fargs.set(*k, FluentValue::Number(num));
            }
        }
    }
    for l in [lang, Lang::EN] {
        let b = bundle(l);
        if let Some(pattern) = b.get_message(id).and_then(|m| m.value()) {
            let mut errors = vec![];
            let s = b.format_pattern(pattern, Some(&fargs), &mut errors);
            debug_assert!(errors.is_empty(), "{}: {id}: {errors:?}", l.code());
            return s.into_owned();
        }
    }
    debug_assert!(false, "no message {id}");
    id.to_string()
}

// ---- the pseudo-locales ------------------------------------------------------------------

/// A pseudo-locale's transform, as data: each letter of `from` becomes the letter at the same
/// place in `to`, twice when it is in `doubled`. The window applies the same map to its own
/// labels (it is sent in [`Texts`]), so both sides transform alike from one table.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Pseudo {
    pub name: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub doubled: &'static str,
}

const LATIN: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// Accented and longer: every letter with a mark, vowels and l, n, r doubled (about 40 % longer,
/// as German or Finnish can be, and still readable).
pub const ACCENTED: Pseudo = Pseudo {
    name: "accented",
    from: LATIN,
    to: "ȧƀƈḓḗƒɠħīĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑȦƁƇḒḖƑƓĦĪĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẐ",
    doubled: "aeiouAEIOUlnrLNR",
};

/// Mirrored: letters turned upside down, for a right-to-left layout test.
pub const MIRRORED: Pseudo = Pseudo {
    name: "mirrored",
    from: LATIN,
    to: "ɐqɔpǝɟƃɥᴉɾʞꞁɯuodbɹsʇnʌʍxʎz∀ᗺƆᗡƎℲ⅁HIſꞰꞀWNOԀÒᴚS⊥∩ΛMX⅄Z",
    doubled: "",
};

impl Pseudo {
    pub fn apply(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() * 2);
        for c in s.chars() {
            match self.from.chars().position(|x| x == c) {
                Some(i) => {
                    let t = self.to.chars().nth(i).unwrap_or(c);
                    out.push(t);
                    if self.doubled.contains(c) {
                        out.push(t);
                    }
                }
                None => out.push(c),
            }
        }
        out
    }
}

/// [`ACCENTED`] as fluent-bundle's transform (a plain function).
pub fn accented(s: &str) -> Cow<'_, str> {
    Cow::Owned(ACCENTED.apply(s))
}

/// [`MIRRORED`] as fluent-bundle's transform.
pub fn mirrored(s: &str) -> Cow<'_, str> {
    Cow::Owned(MIRRORED.apply(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_falls_back_by_language_then_to_english() {
        let code = |s: &str| Lang::from_locale(s).code();
        assert_eq!(code("it_IT.UTF-8"), "it");
        assert_eq!(code("it-CH"), "it");
        assert_eq!(code("IT"), "it");
        assert_eq!(code("en_US.UTF-8"), "en");
        assert_eq!(code("C"), "en");
        assert_eq!(code("POSIX"), "en");
        assert_eq!(code("italic"), "en");
        assert_eq!(code(""), "en");
        assert_eq!(code("zh_CN.UTF-8"), "en");
        assert_eq!(code("de_DE@euro"), "de");
        assert_eq!(code("es-MX"), "es");
        assert_eq!(code("pt_PT.UTF-8"), "pt-BR");
        assert_eq!(code("pt-BR"), "pt-BR");
        assert_eq!(code("ja_JP.UTF-8"), "ja");
        assert_eq!(code("fr_CA"), "fr");
        assert_eq!(
            Lang::from_locales(["zh-Hans-CN", "fr-FR", "en-US"]).code(),
            "fr"
        );
        assert_eq!(Lang::from_locales(Vec::<&str>::new()).code(), "en");
        assert_eq!(Lang::from_tag("EN-xa").map(Lang::code), Some("en-XA"));
    }

    #[test]
    fn a_missing_message_falls_back_to_english_and_numbers_select_plurals() {
        assert_eq!(t(Lang::EN, "verdict-up"), "ChatGPT is up");
        let days = |d: u64| tf(Lang::EN, "duration-days", &[("d", d.into())]);
        assert_eq!((days(1), days(2)), ("1 day".into(), "2 days".into()));
        assert_eq!(
            tf(
                Lang::EN,
                "evidence-edge-answered",
                &[("ms", 12345u32.into())]
            ),
            "Cloudflare's edge answered (12345 ms)."
        );
    }

    /// On Windows and macOS the user's UI languages are read from the system (under Wine too):
    /// language tags, not POSIX names.
    #[test]
    fn the_systems_languages_are_read() {
        let got = system_locales();
        #[cfg(any(windows, target_os = "macos"))]
        {
            let ui: Vec<String> = sys_locale::get_locales().collect();
            assert!(!ui.is_empty());
            for l in &ui {
                assert!(
                    Lang::negotiate(l).is_some()
                        || l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                    "{l}"
                );
            }
            assert!(got.len() >= ui.len());
        }
        // Whatever the system says, a language comes out.
        let _ = (got, Lang::system());
    }

    #[test]
    fn the_pseudo_maps_cover_every_latin_letter_once() {
        for p in [ACCENTED, MIRRORED] {
            assert_eq!(p.to.chars().count(), p.from.chars().count(), "{}", p.name);
        }
        assert_eq!(ACCENTED.apply("Hello, 40 ms"), "Ħḗḗŀŀŀŀǿǿ, 40 ḿş");
        assert_eq!(MIRRORED.apply("up"), "nd");
    }

    #[test]
    fn pseudo_locales_transform_the_text_not_the_variables() {
        let xa = Lang::from_tag("en-XA").unwrap();
        let s = tf(
            xa,
            "evidence-edge-answered-from",
            &[("colo", "FRA".into()), ("ms", 40u32.into())],
        );
        assert!(s.contains("FRA") && s.contains("40"), "{s}");
        assert!(
            s.chars().count() as f64
                > 1.3 * "Cloudflare's edge answered from FRA (40 ms).".len() as f64,
            "{s}"
        );
        let xb = Lang::from_tag("ar-XB").unwrap();
        assert!(xb.is_rtl() && !xa.is_rtl());
        assert!(!t(xb, "verdict-up").contains("up"));
    }
}
