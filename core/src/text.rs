//! Every sentence Gatewatch says, in English and Italian.
//!
//! One place for the wording, so the CLI, the notifications and the explainer say the same thing.
//! The metaphor throughout: Cloudflare is the switchboard, OpenAI's servers are the office.
//! Pure functions of data; times arrive as Unix ms plus the local UTC offset.

use serde::{Deserialize, Serialize};

use crate::diagnose::{Advice, Blind, Cause, Diagnosis, Door, Evidence, Verdict};
use crate::model::{NetErrorKind, Target};
use crate::statuspage::{ComponentStatus, Indicator};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    It,
}

impl Lang {
    /// From a POSIX locale name (`it_IT.UTF-8`, `en_GB`, `C`…) or a BCP 47 tag (`it-IT`).
    pub fn from_locale(locale: &str) -> Lang {
        let l = locale.trim().to_ascii_lowercase();
        if l == "it" || l.starts_with("it_") || l.starts_with("it-") || l.starts_with("it.") {
            Lang::It
        } else {
            Lang::En
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::It => "it",
        }
    }
}

macro_rules! tr {
    ($lang:expr, $en:expr, $it:expr) => {
        match $lang {
            Lang::En => $en,
            Lang::It => $it,
        }
    };
}

/// The headline for a verdict.
pub fn headline(v: Verdict, lang: Lang) -> &'static str {
    match v {
        Verdict::Up => tr!(lang, "ChatGPT is up", "ChatGPT funziona"),
        Verdict::Degraded => tr!(lang, "ChatGPT is struggling", "ChatGPT è in difficoltà"),
        Verdict::BadGateway | Verdict::OriginError => {
            tr!(lang, "ChatGPT is down", "ChatGPT non funziona")
        }
        Verdict::EdgeError => tr!(
            lang,
            "ChatGPT is unreachable",
            "ChatGPT non è raggiungibile"
        ),
        Verdict::Blocked => tr!(
            lang,
            "ChatGPT is up, but refuses you",
            "ChatGPT funziona, ma ti rifiuta"
        ),
        Verdict::Offline => tr!(lang, "You are offline", "Sei offline"),
        Verdict::Unknown => tr!(lang, "Can't tell right now", "Impossibile dirlo ora"),
    }
}

/// A few words for the cause, for summaries and notifications.
pub fn cause_short(c: Cause, lang: Lang) -> &'static str {
    match c {
        Cause::Healthy => tr!(
            lang,
            "everything answers normally",
            "tutto risponde normalmente"
        ),
        Cause::Slow => tr!(lang, "answers are slow", "le risposte sono lente"),
        Cause::PartialFailure => tr!(
            lang,
            "some OpenAI services fail",
            "alcuni servizi OpenAI falliscono"
        ),
        Cause::OfficialIncident => tr!(
            lang,
            "OpenAI reports an incident",
            "OpenAI segnala un problema"
        ),
        Cause::Overload => tr!(
            lang,
            "OpenAI's servers aren't answering Cloudflare",
            "i server di OpenAI non rispondono a Cloudflare"
        ),
        Cause::BrokenLink => tr!(
            lang,
            "Cloudflare can't reach OpenAI",
            "Cloudflare non raggiunge OpenAI"
        ),
        Cause::OriginTls => tr!(
            lang,
            "the secure link Cloudflare–OpenAI is broken",
            "il collegamento sicuro Cloudflare–OpenAI è rotto"
        ),
        Cause::Maintenance => tr!(
            lang,
            "OpenAI is doing maintenance",
            "OpenAI è in manutenzione"
        ),
        Cause::OriginFailure => tr!(
            lang,
            "OpenAI's servers are failing",
            "i server di OpenAI sono in errore"
        ),
        Cause::CloudflareFailure => tr!(
            lang,
            "Cloudflare itself is failing",
            "è Cloudflare stesso a non funzionare"
        ),
        Cause::CloudflareUnreachable => {
            tr!(lang, "Cloudflare doesn't answer", "Cloudflare non risponde")
        }
        Cause::Challenge => tr!(
            lang,
            "a \"verify you are human\" check",
            "un controllo \"verifica di essere umano\""
        ),
        Cause::AccessDenied => tr!(
            lang,
            "access denied to your connection",
            "accesso negato alla tua connessione"
        ),
        Cause::RateLimited => tr!(
            lang,
            "too many requests from your address",
            "troppe richieste dal tuo indirizzo"
        ),
        Cause::Region => tr!(
            lang,
            "not available where you connect from",
            "non disponibile da dove ti colleghi"
        ),
        Cause::CaptivePortal => tr!(
            lang,
            "your network wants you to sign in",
            "la tua rete chiede di accedere"
        ),
        Cause::YourNetwork => tr!(
            lang,
            "your internet connection is down",
            "la tua connessione internet non va"
        ),
        Cause::Inconclusive => tr!(lang, "no clear cause", "nessuna causa chiara"),
        Cause::OfficialOutage => tr!(
            lang,
            "OpenAI's status page reports it down",
            "la pagina di stato di OpenAI lo dà fuori servizio"
        ),
        Cause::ProxyLogin => tr!(
            lang,
            "your proxy wants a login",
            "il tuo proxy chiede di accedere"
        ),
        Cause::ProxyFailing => tr!(
            lang,
            "your network's proxy cannot reach the internet",
            "il proxy della tua rete non raggiunge internet"
        ),
        Cause::ProxyUnreachable => tr!(
            lang,
            "your proxy does not answer",
            "il tuo proxy non risponde"
        ),
        Cause::TlsIntercepted => tr!(
            lang,
            "something on your network intercepts secure connections",
            "qualcosa nella tua rete intercetta le connessioni sicure"
        ),
    }
}

/// The plain-language explanation of a cause: the switchboard and the office.
pub fn cause_long(c: Cause, lang: Lang) -> &'static str {
    match c {
        Cause::Healthy => tr!(lang,
            "Your network, Cloudflare (the switchboard in front of ChatGPT) and OpenAI's servers (the office behind it) all answer normally.",
            "La tua rete, Cloudflare (il centralino davanti a ChatGPT) e i server di OpenAI (l'ufficio dietro) rispondono normalmente."),
        Cause::Slow => tr!(lang,
            "Everything answers, but slowly: OpenAI's servers are probably busy. Pages may load slowly or time out.",
            "Tutto risponde, ma lentamente: i server di OpenAI sono probabilmente sovraccarichi. Le pagine possono caricarsi a fatica."),
        Cause::PartialFailure => tr!(lang,
            "One of OpenAI's doors is failing (the API, the phone apps' route, or Cloudflare's edge check) while the others answer. Some features may not work.",
            "Una delle porte di OpenAI non funziona (l'API, la strada delle app per telefono, o il controllo di Cloudflare) mentre le altre rispondono. Alcune funzioni potrebbero non andare."),
        Cause::OfficialIncident => tr!(lang,
            "OpenAI's status page reports a problem with ChatGPT, though it still answers: some features may fail.",
            "La pagina di stato di OpenAI segnala un problema con ChatGPT, che però risponde ancora: alcune funzioni potrebbero non andare."),
        Cause::Overload => tr!(lang,
            "Cloudflare, the switchboard, answered — but the office behind it, OpenAI's servers, did not give it a valid answer. This is usually overload or a failure on OpenAI's side. It is not your computer.",
            "Cloudflare, il centralino, ha risposto — ma l'ufficio dietro, i server di OpenAI, non gli ha dato una risposta valida. Di solito è sovraccarico o un guasto di OpenAI. Non è il tuo computer."),
        Cause::BrokenLink => tr!(lang,
            "Cloudflare, the switchboard, works but cannot get through to OpenAI's servers at all: the line between the switchboard and the office is down, or the office is closed. It is not your computer.",
            "Cloudflare, il centralino, funziona ma non riesce proprio a passare la chiamata ai server di OpenAI: la linea tra centralino e ufficio è interrotta, o l'ufficio è chiuso. Non è il tuo computer."),
        Cause::OriginTls => tr!(lang,
            "Cloudflare cannot open a secure connection to OpenAI's servers: a certificate or configuration problem on OpenAI's side. It is not your computer.",
            "Cloudflare non riesce ad aprire una connessione sicura verso i server di OpenAI: un problema di certificati o di configurazione di OpenAI. Non è il tuo computer."),
        Cause::Maintenance => tr!(lang,
            "OpenAI has announced maintenance and its servers are not answering meanwhile. It is not your computer.",
            "OpenAI ha annunciato una manutenzione e nel frattempo i suoi server non rispondono. Non è il tuo computer."),
        Cause::OriginFailure => tr!(lang,
            "The call got through to OpenAI's servers, but they answered with an error: something is broken inside the office. It is not your computer.",
            "La chiamata è arrivata ai server di OpenAI, ma hanno risposto con un errore: qualcosa si è rotto dentro l'ufficio. Non è il tuo computer."),
        Cause::CloudflareFailure => tr!(lang,
            "Cloudflare itself is failing: the switchboard in front of ChatGPT (and of many other sites) is broken, so nothing gets through to OpenAI. It is not your computer.",
            "È Cloudflare stesso a non funzionare: il centralino davanti a ChatGPT (e a molti altri siti) è guasto, quindi nulla arriva a OpenAI. Non è il tuo computer."),
        Cause::CloudflareUnreachable => tr!(lang,
            "Your internet works (other sites answer), but Cloudflare — the switchboard in front of ChatGPT — does not answer at all.",
            "La tua connessione funziona (altri siti rispondono), ma Cloudflare — il centralino davanti a ChatGPT — non risponde affatto."),
        Cause::Challenge => tr!(lang,
            "ChatGPT is up. Cloudflare wants to check that you are human (\"Just a moment...\") before letting you through. This is not an outage.",
            "ChatGPT funziona. Cloudflare vuole verificare che tu sia umano (\"Just a moment...\") prima di farti passare. Non è un disservizio."),
        Cause::AccessDenied => tr!(lang,
            "ChatGPT is up, but Cloudflare refuses connections from your address (a firewall rule, or an address with a bad reputation, common with VPNs).",
            "ChatGPT funziona, ma Cloudflare rifiuta le connessioni dal tuo indirizzo (una regola firewall, o un indirizzo con cattiva reputazione, frequente con le VPN)."),
        Cause::RateLimited => tr!(lang,
            "ChatGPT is up, but it is limiting requests from your address for now. The limit lifts by itself.",
            "ChatGPT funziona, ma per ora limita le richieste dal tuo indirizzo. Il limite si toglie da solo."),
        Cause::Region => tr!(lang,
            "ChatGPT is up, but refuses where you connect from: OpenAI does not serve this country, or blocks your VPN or proxy address.",
            "ChatGPT funziona, ma rifiuta il luogo da cui ti colleghi: OpenAI non serve questo paese, o blocca l'indirizzo della tua VPN o proxy."),
        Cause::CaptivePortal => tr!(lang,
            "Your network is intercepting connections: probably a Wi-Fi login page (hotel, train, airport) waiting for you to sign in.",
            "La tua rete intercetta le connessioni: probabilmente una pagina di accesso al Wi-Fi (hotel, treno, aeroporto) aspetta che tu entri."),
        Cause::YourNetwork => tr!(lang,
            "It's your connection this time: no site answers, not just ChatGPT. ChatGPT may well be fine.",
            "Stavolta è la tua connessione: nessun sito risponde, non solo ChatGPT. ChatGPT potrebbe funzionare benissimo."),
        Cause::Inconclusive => tr!(lang,
            "The answers don't point to a clear cause. Gatewatch keeps checking.",
            "Le risposte non indicano una causa chiara. Gatewatch continua a controllare."),
        Cause::OfficialOutage => tr!(lang,
            "OpenAI's status page reports ChatGPT down. Gatewatch cannot see through chatgpt.com from your network to confirm it, and nothing it can see says otherwise. It is not your computer.",
            "La pagina di stato di OpenAI dà ChatGPT fuori servizio. Gatewatch non può guardare dentro chatgpt.com dalla tua rete per confermarlo, e nulla di ciò che vede dice il contrario. Non è il tuo computer."),
        Cause::ProxyLogin => tr!(lang,
            "Your requests go through a proxy (you → your network → your proxy → Cloudflare → OpenAI), and the proxy asks for a user name and password before letting them through (407). This says nothing about ChatGPT.",
            "Le tue richieste passano da un proxy (tu → la tua rete → il tuo proxy → Cloudflare → OpenAI), e il proxy chiede nome utente e password prima di farle passare (407). Questo non dice nulla di ChatGPT."),
        Cause::ProxyFailing => tr!(lang,
            "Your requests go through your network's proxy (you → your network → your proxy → Cloudflare → OpenAI). The proxy answers, but with its own errors: it cannot reach the internet, or refuses to. Gatewatch cannot see past it, so it cannot tell whether ChatGPT is up.",
            "Le tue richieste passano dal proxy della tua rete (tu → la tua rete → il tuo proxy → Cloudflare → OpenAI). Il proxy risponde, ma con errori suoi: non raggiunge internet, o si rifiuta. Gatewatch non vede oltre, quindi non può dire se ChatGPT funziona."),
        Cause::ProxyUnreachable => tr!(lang,
            "Your requests should go through a proxy, and the proxy does not answer: it is down, its address is wrong, or your own connection is. Gatewatch cannot tell whether ChatGPT is up.",
            "Le tue richieste dovrebbero passare da un proxy, e il proxy non risponde: è spento, il suo indirizzo è sbagliato, o lo è la tua connessione. Gatewatch non può dire se ChatGPT funziona."),
        Cause::TlsIntercepted => tr!(lang,
            "chatgpt.com answered with a certificate that is not trusted. Cloudflare's certificates always are, so something on your network (a company proxy, an antivirus, a captive portal) is intercepting secure connections. Gatewatch does not send anything over such a connection.",
            "chatgpt.com ha risposto con un certificato non attendibile. Quelli di Cloudflare lo sono sempre, quindi qualcosa nella tua rete (un proxy aziendale, un antivirus, un portale Wi-Fi) intercetta le connessioni sicure. Gatewatch non invia nulla su una connessione così."),
    }
}

/// The explanation for a whole diagnosis: the cause's, unless the view was limited and nothing
/// was found wrong — then "all answers normally" would claim more than was seen.
pub fn explanation(d: &Diagnosis, lang: Lang) -> &'static str {
    match (d.limited, d.cause) {
        (Some(_), Cause::Healthy) => tr!(lang,
            "Nothing Gatewatch can see points to trouble: Cloudflare answers, and so do OpenAI's other doors and its status page. It cannot look all the way through chatgpt.com from your network (see below), so this is a limited view.",
            "Nulla di ciò che Gatewatch vede indica problemi: Cloudflare risponde, e così le altre porte di OpenAI e la sua pagina di stato. Dalla tua rete non può guardare fino in fondo dentro chatgpt.com (vedi sotto), quindi è una vista limitata."),
        _ => cause_long(d.cause, lang),
    }
}

/// Why the view is limited, in a few words (summaries) …
pub fn limited_short(b: Blind, lang: Lang) -> &'static str {
    match b {
        Blind::Challenge => tr!(
            lang,
            "limited view: chatgpt.com asks Gatewatch for a browser check",
            "vista limitata: chatgpt.com chiede a Gatewatch una verifica da browser"
        ),
        Blind::Refused => tr!(
            lang,
            "limited view: chatgpt.com refuses Gatewatch's requests",
            "vista limitata: chatgpt.com rifiuta le richieste di Gatewatch"
        ),
    }
}

/// … and in full (the explainer, `check`).
pub fn limited_long(b: Blind, lang: Lang) -> &'static str {
    match b {
        Blind::Challenge => tr!(lang,
            "Limited view: from your network, chatgpt.com answers Gatewatch's requests with a \"verify you are human\" check, which only a browser can pass (Cloudflare does this to programs on many networks, VPNs and data centres especially). Such a request never reaches OpenAI's servers, so Gatewatch judges from the rest: Cloudflare's edge, OpenAI's API, the phone apps' route and OpenAI's status page. It says nothing about your browser, which may well get through.",
            "Vista limitata: dalla tua rete, chatgpt.com risponde alle richieste di Gatewatch con una verifica \"sei umano?\", che solo un browser può superare (Cloudflare lo fa ai programmi su molte reti, soprattutto VPN e data center). Una richiesta così non arriva ai server di OpenAI, quindi Gatewatch giudica dal resto: il nodo Cloudflare, l'API di OpenAI, la strada delle app per telefono e la pagina di stato di OpenAI. Non dice nulla del tuo browser, che potrebbe passare benissimo."),
        Blind::Refused => tr!(lang,
            "Limited view: from your network, chatgpt.com refuses Gatewatch's requests without saying why (a bare 403, or an empty 404). Such a request never reaches OpenAI's servers, so Gatewatch judges from the rest: Cloudflare's edge, OpenAI's API, the phone apps' route and OpenAI's status page. It says nothing about your browser, which may well get through.",
            "Vista limitata: dalla tua rete, chatgpt.com rifiuta le richieste di Gatewatch senza dire perché (un 403 nudo, o un 404 vuoto). Una richiesta così non arriva ai server di OpenAI, quindi Gatewatch giudica dal resto: il nodo Cloudflare, l'API di OpenAI, la strada delle app per telefono e la pagina di stato di OpenAI. Non dice nulla del tuo browser, che potrebbe passare benissimo."),
    }
}

pub fn advice(a: Advice, lang: Lang) -> &'static str {
    match a {
        Advice::PhoneApp => tr!(lang,
            "Try the ChatGPT phone app: it reaches OpenAI by another route and often keeps working (not always).",
            "Prova l'app ChatGPT sul telefono: raggiunge OpenAI per un'altra strada e spesso continua a funzionare (non sempre)."),
        Advice::PhoneAppAnswers => tr!(lang,
            "Try the ChatGPT phone app: its route to OpenAI answers right now.",
            "Prova l'app ChatGPT sul telefono: la sua strada verso OpenAI risponde in questo momento."),
        Advice::Reload => tr!(lang, "Reload the page in a minute.", "Ricarica la pagina tra un minuto."),
        Advice::OtherServices => tr!(lang,
            "OpenAI's API still answers: tools built on it may keep working.",
            "L'API di OpenAI risponde ancora: gli strumenti basati su di essa potrebbero funzionare."),
        Advice::Wait => tr!(lang,
            "Nothing to fix on your side: wait, Gatewatch will tell you when it's back.",
            "Non c'è nulla da sistemare da parte tua: aspetta, Gatewatch ti avviserà quando torna."),
        Advice::StatusPage => tr!(lang, "See what OpenAI's status page says.", "Guarda cosa dice la pagina di stato di OpenAI."),
        Advice::CheckConnection => tr!(lang,
            "Check your Wi-Fi or cable, or restart your router.",
            "Controlla il Wi-Fi o il cavo, o riavvia il router."),
        Advice::SignInToNetwork => tr!(lang,
            "Open any website in your browser and sign in to the network's login page.",
            "Apri un sito qualsiasi nel browser e accedi alla pagina di login della rete."),
        Advice::OpenInBrowser => tr!(lang,
            "Open chatgpt.com in your browser and complete the check.",
            "Apri chatgpt.com nel browser e completa la verifica."),
        Advice::ChangeNetwork => tr!(lang,
            "Turn off your VPN or proxy, or try another network (such as your phone's data).",
            "Disattiva VPN o proxy, o prova un'altra rete (per esempio i dati del telefono)."),
        Advice::WaitForLimit => tr!(lang,
            "Wait a few minutes before trying again.",
            "Aspetta qualche minuto prima di riprovare."),
        Advice::ProxySettings => tr!(lang,
            "Check the proxy in Gatewatch's settings: its address, and your user name and password if it needs them (http://user:password@host:port). Proxy scripts (PAC) are not read: set the proxy's own address.",
            "Controlla il proxy nelle impostazioni di Gatewatch: il suo indirizzo, e nome utente e password se li chiede (http://utente:password@host:porta). Gli script proxy (PAC) non vengono letti: imposta l'indirizzo del proxy."),
    }
}

/// What a status code means, in a few words.
pub fn status_meaning(status: u16, lang: Lang) -> Option<&'static str> {
    Some(match status {
        500 => tr!(lang, "internal server error", "errore interno del server"),
        502 => tr!(lang, "bad gateway", "gateway non valido"),
        503 => tr!(lang, "service unavailable", "servizio non disponibile"),
        504 => tr!(lang, "gateway timeout", "timeout del gateway"),
        520 => tr!(
            lang,
            "empty or unexpected answer from OpenAI",
            "risposta vuota o inattesa da OpenAI"
        ),
        521 => tr!(
            lang,
            "OpenAI refused the connection",
            "OpenAI ha rifiutato la connessione"
        ),
        522 => tr!(
            lang,
            "connection to OpenAI timed out",
            "connessione a OpenAI scaduta"
        ),
        523 => tr!(lang, "OpenAI unreachable", "OpenAI irraggiungibile"),
        524 => tr!(
            lang,
            "OpenAI took too long to answer",
            "OpenAI ci ha messo troppo a rispondere"
        ),
        525 => tr!(
            lang,
            "secure handshake with OpenAI failed",
            "handshake sicuro con OpenAI fallito"
        ),
        526 => tr!(
            lang,
            "invalid certificate at OpenAI",
            "certificato non valido presso OpenAI"
        ),
        530 => tr!(
            lang,
            "OpenAI's address could not be resolved",
            "indirizzo di OpenAI non risolto"
        ),
        403 => tr!(lang, "forbidden", "accesso negato"),
        429 => tr!(lang, "too many requests", "troppe richieste"),
        _ => return None,
    })
}

/// One line: "ChatGPT is down — Cloudflare can't reach OpenAI (521, FRA)".
pub fn summary(d: &Diagnosis, lang: Lang) -> String {
    format!("{} — {}", headline(d.verdict, lang), cause_tagged(d, lang))
}

/// The cause with its status code and data centre, as a sentence start:
/// "Cloudflare can't reach OpenAI (521, FRA)".
pub fn cause_line(d: &Diagnosis, lang: Lang) -> String {
    capitalise(&cause_tagged(d, lang))
}

/// "Since 14:05" → upper-case first letter, the rest untouched.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn cause_tagged(d: &Diagnosis, lang: Lang) -> String {
    let mut s = match (d.limited, d.cause) {
        // "Everything answers normally" would claim more than a limited view saw.
        (Some(_), Cause::Healthy) => {
            tr!(lang, "nothing points to trouble", "nulla indica problemi")
        }
        (_, c) => cause_short(c, lang),
    }
    .to_string();
    let mut tags = Vec::new();
    // Under a limited view the status code is the challenge's, not the outage's: leave it out.
    if d.verdict != Verdict::Up && d.limited.is_none() {
        if let Some(code) = d.cf_code {
            tags.push(format!("{} {code}", tr!(lang, "error", "errore")));
        } else if let Some(status) = d.http_status.filter(|&s| s >= 400) {
            tags.push(status.to_string());
        }
    }
    if let Some(colo) = &d.edge.colo {
        tags.push(colo.clone());
    }
    if !tags.is_empty() {
        s.push_str(&format!(" ({})", tags.join(", ")));
    }
    if let Some(b) = d.limited {
        s.push_str(&format!("; {}", limited_short(b, lang)));
    }
    s
}

fn net_error(e: NetErrorKind, lang: Lang) -> &'static str {
    match e {
        NetErrorKind::Dns => tr!(
            lang,
            "the name did not resolve (DNS)",
            "il nome non si risolve (DNS)"
        ),
        NetErrorKind::Connect => tr!(
            lang,
            "the connection was refused",
            "la connessione è stata rifiutata"
        ),
        NetErrorKind::Timeout => tr!(lang, "no answer in time", "nessuna risposta in tempo"),
        NetErrorKind::Reset => tr!(
            lang,
            "the connection was cut",
            "la connessione è stata interrotta"
        ),
        NetErrorKind::Tls => tr!(
            lang,
            "the secure connection failed (TLS)",
            "la connessione sicura è fallita (TLS)"
        ),
        NetErrorKind::Protocol => tr!(
            lang,
            "the answer was not valid HTTP",
            "la risposta non era HTTP valido"
        ),
        NetErrorKind::ProxyAuth => tr!(
            lang,
            "the proxy wants a login (407)",
            "il proxy chiede di accedere (407)"
        ),
        NetErrorKind::ProxyRefused => tr!(
            lang,
            "the proxy would not connect",
            "il proxy non ha voluto collegarsi"
        ),
    }
}

fn target_name(t: Target, lang: Lang) -> &'static str {
    match t {
        Target::Edge => tr!(lang, "Cloudflare's edge", "il nodo Cloudflare"),
        Target::Origin => "chatgpt.com",
        Target::Api => "api.openai.com",
        Target::StatusPage => tr!(lang, "the status page", "la pagina di stato"),
        Target::Control => tr!(lang, "a control site", "un sito di controllo"),
        Target::App => tr!(
            lang,
            "the phone apps' route",
            "la strada delle app per telefono"
        ),
    }
}

/// One fact, as a sentence.
pub fn evidence(e: &Evidence, lang: Lang) -> String {
    match e {
        Evidence::EdgeAnswered { colo, latency_ms } => match colo {
            Some(c) => format!(
                "{} {c} ({latency_ms} ms).",
                tr!(
                    lang,
                    "Cloudflare's edge answered from",
                    "Il nodo Cloudflare ha risposto da"
                )
            ),
            None => format!(
                "{} ({latency_ms} ms).",
                tr!(
                    lang,
                    "Cloudflare's edge answered",
                    "Il nodo Cloudflare ha risposto"
                )
            ),
        },
        Evidence::EdgeNotTrace { status } => format!(
            "{} {status} {}",
            tr!(
                lang,
                "Something answered Cloudflare's address with",
                "Qualcosa ha risposto all'indirizzo di Cloudflare con"
            ),
            tr!(lang, "but it was not Cloudflare.", "ma non era Cloudflare."),
        ),
        Evidence::EdgeHttpError { status } => format!(
            "{} {status}.",
            tr!(
                lang,
                "Cloudflare's edge check answered with error",
                "Il controllo del nodo Cloudflare ha risposto con errore"
            )
        ),
        Evidence::EdgeFailed { error } => format!(
            "{}: {}.",
            tr!(
                lang,
                "Cloudflare's edge did not answer",
                "Il nodo Cloudflare non ha risposto"
            ),
            net_error(*error, lang)
        ),
        Evidence::OriginAnswered {
            status,
            class,
            code,
            colo,
            latency_ms,
        } => {
            let mut s = format!(
                "chatgpt.com {} {status}",
                tr!(lang, "answered", "ha risposto")
            );
            if let Some(m) = status_meaning(*status, lang) {
                s.push_str(&format!(" ({m})"));
            }
            match class.as_str() {
                "gateway" | "edge_failure" => s.push_str(tr!(
                    lang,
                    " with Cloudflare's error page",
                    " con la pagina di errore di Cloudflare"
                )),
                "challenge" => s.push_str(tr!(
                    lang,
                    " with a \"verify you are human\" check",
                    " con una verifica \"sei umano?\""
                )),
                "origin_error" => s.push_str(tr!(
                    lang,
                    " from OpenAI's own servers",
                    " dai server stessi di OpenAI"
                )),
                _ => {}
            }
            if let Some(c) = code {
                s.push_str(&format!(
                    ", {} {c}",
                    tr!(lang, "error code", "codice errore")
                ));
            }
            if let Some(c) = colo {
                s.push_str(&format!(", via {c}"));
            }
            s.push_str(&format!(" ({latency_ms} ms)."));
            s
        }
        Evidence::OriginFailed { error, latency_ms } => format!(
            "{}: {} ({latency_ms} ms).",
            tr!(
                lang,
                "chatgpt.com did not answer",
                "chatgpt.com non ha risposto"
            ),
            net_error(*error, lang)
        ),
        Evidence::ApiAlive { latency_ms } => format!(
            "{} ({latency_ms} ms).",
            tr!(
                lang,
                "api.openai.com answers: OpenAI's API is alive",
                "api.openai.com risponde: l'API di OpenAI è attiva"
            )
        ),
        Evidence::ApiHttpError { status, .. } => format!(
            "{} {status}.",
            tr!(
                lang,
                "api.openai.com answered with error",
                "api.openai.com ha risposto con errore"
            )
        ),
        Evidence::ApiFailed { error } => format!(
            "{}: {}.",
            tr!(
                lang,
                "api.openai.com did not answer",
                "api.openai.com non ha risposto"
            ),
            net_error(*error, lang)
        ),
        Evidence::ControlAnswered => tr!(
            lang,
            "A site unrelated to OpenAI and Cloudflare answers: your internet works.",
            "Un sito estraneo a OpenAI e Cloudflare risponde: la tua connessione funziona."
        )
        .into(),
        Evidence::ControlFailed { error } => format!(
            "{}: {}.",
            tr!(
                lang,
                "A site unrelated to OpenAI did not answer either",
                "Nemmeno un sito estraneo a OpenAI ha risposto"
            ),
            net_error(*error, lang)
        ),
        Evidence::Slow {
            target,
            latency_ms,
            limit_ms,
        } => format!(
            "{} {} {latency_ms} ms ({} {limit_ms} ms).",
            target_name(*target, lang),
            tr!(lang, "took", "ha impiegato"),
            tr!(lang, "slow above", "lento oltre"),
        ),
        Evidence::StatusPage {
            indicator,
            chatgpt_affected,
            incidents,
            chatgpt_worst,
        } => {
            let state = match indicator {
                Indicator::None => tr!(lang, "all green", "tutto verde"),
                Indicator::Minor => tr!(lang, "a minor problem", "un problema minore"),
                Indicator::Major => tr!(lang, "a major problem", "un problema grave"),
                Indicator::Critical => tr!(lang, "a critical problem", "un problema critico"),
                Indicator::Maintenance => tr!(lang, "maintenance", "manutenzione"),
                Indicator::Unknown => tr!(lang, "an unknown state", "uno stato sconosciuto"),
            };
            let mut s = format!(
                "{} {state}",
                tr!(
                    lang,
                    "OpenAI's status page shows",
                    "La pagina di stato di OpenAI indica"
                )
            );
            if *incidents > 0 {
                s.push_str(&format!(
                    ", {incidents} {}",
                    tr!(lang, "open incident(s)", "incidente/i aperto/i")
                ));
            }
            s.push_str(match (chatgpt_affected, chatgpt_worst) {
                (true, ComponentStatus::MajorOutage) => tr!(
                    lang,
                    ", with part of ChatGPT fully down.",
                    ", con una parte di ChatGPT del tutto ferma."
                ),
                (true, ComponentStatus::PartialOutage) => tr!(
                    lang,
                    ", with part of ChatGPT partly down.",
                    ", con una parte di ChatGPT parzialmente ferma."
                ),
                (true, _) => tr!(lang, ", affecting ChatGPT.", ", che riguarda ChatGPT."),
                (false, _) => tr!(lang, ", nothing about ChatGPT.", ", niente su ChatGPT."),
            });
            s
        }
        // The answer itself is told by `OriginAnswered`; this says what it means.
        Evidence::LimitedView { status, reason } => format!(
            "{} ({status}) {}",
            match reason {
                Blind::Challenge => tr!(
                    lang,
                    "That check is meant for browsers",
                    "Quella verifica è pensata per i browser"
                ),
                Blind::Refused => tr!(
                    lang,
                    "That refusal gives no reason",
                    "Quel rifiuto non dà motivi"
                ),
            },
            tr!(
                lang,
                "and never reaches OpenAI's servers: Gatewatch judges from the other checks.",
                "e non arriva ai server di OpenAI: Gatewatch giudica dagli altri controlli."
            )
        ),
        Evidence::AppRoute {
            door,
            status,
            error,
            latency_ms,
        } => {
            let what = match (door, status, error) {
                (Door::Answers, _, _) => tr!(lang, "answers", "risponde").to_string(),
                (Door::Fails, Some(st), _) => format!(
                    "{} {st}{}",
                    tr!(lang, "fails too: it answered", "non funziona: ha risposto"),
                    status_meaning(*st, lang)
                        .map(|m| format!(" ({m})"))
                        .unwrap_or_default()
                ),
                (Door::Refuses, Some(st), _) => format!(
                    "{} {st}: {}",
                    tr!(lang, "answered", "ha risposto"),
                    tr!(
                        lang,
                        "it refuses Gatewatch's request, which says nothing of the apps",
                        "rifiuta la richiesta di Gatewatch, il che non dice nulla delle app"
                    )
                ),
                (_, _, Some(e)) => format!(
                    "{}: {}",
                    tr!(lang, "did not answer", "non ha risposto"),
                    net_error(*e, lang)
                ),
                _ => tr!(lang, "did not answer", "non ha risposto").to_string(),
            };
            format!(
                "{} {what} ({latency_ms} ms).",
                tr!(
                    lang,
                    "The phone apps' route to OpenAI (ios.chat.openai.com)",
                    "La strada delle app per telefono verso OpenAI (ios.chat.openai.com)"
                )
            )
        }
        Evidence::PhoneApps { status } => format!(
            "{} {}.",
            tr!(
                lang,
                "OpenAI's status page shows the phone apps",
                "La pagina di stato di OpenAI indica le app per telefono"
            ),
            component_status(*status, lang)
        ),
        Evidence::RetryAfter { secs } => format!(
            "{} {}{}",
            tr!(
                lang,
                "chatgpt.com asked to be asked again in",
                "chatgpt.com ha chiesto di essere interrogato di nuovo fra"
            ),
            duration(secs.saturating_mul(1000), lang),
            tr!(
                lang,
                " (Retry-After): Gatewatch waits at least that long, 15 minutes at most.",
                " (Retry-After): Gatewatch aspetta almeno tanto, al massimo 15 minuti."
            )
        ),
    }
}

fn component_status(s: ComponentStatus, lang: Lang) -> &'static str {
    match s {
        ComponentStatus::Operational => tr!(lang, "working", "funzionanti"),
        ComponentStatus::DegradedPerformance => tr!(lang, "slow", "lente"),
        ComponentStatus::PartialOutage => tr!(lang, "partly down", "parzialmente ferme"),
        ComponentStatus::MajorOutage => tr!(lang, "down", "ferme"),
        ComponentStatus::UnderMaintenance => tr!(lang, "under maintenance", "in manutenzione"),
        ComponentStatus::Unknown => tr!(lang, "in an unknown state", "in uno stato sconosciuto"),
    }
}

/// "45 s", "7 min", "1 h 5 min", "2 d 3 h".
pub fn duration(ms: u64, lang: Lang) -> String {
    let s = ms / 1000;
    let (d, h, m) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60);
    let day = tr!(lang, "d", "g");
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} {day}"),
        (d, h, _) => format!("{d} {day} {h} h"),
    }
}

/// `HH:MM` of a wall time, in a zone `offset_minutes` east of UTC.
pub fn clock(wall_ms: i64, offset_minutes: i32) -> String {
    let minutes = (wall_ms.div_euclid(60_000) + i64::from(offset_minutes)).rem_euclid(24 * 60);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The tray menu's fixed words (the tray process maps its menu ids onto these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MenuText {
    /// The status line before the first check.
    Checking,
    CheckNow,
    WhatsGoingOn,
    OpenChatgpt,
    OpenStatusPage,
    /// The snooze submenu.
    Snooze,
    SnoozeHour,
    SnoozeUntilBack,
    NotifyAgain,
    Settings,
    StartAtLogin,
    Quit,
}

impl MenuText {
    pub const ALL: [MenuText; 12] = [
        MenuText::Checking,
        MenuText::CheckNow,
        MenuText::WhatsGoingOn,
        MenuText::OpenChatgpt,
        MenuText::OpenStatusPage,
        MenuText::Snooze,
        MenuText::SnoozeHour,
        MenuText::SnoozeUntilBack,
        MenuText::NotifyAgain,
        MenuText::Settings,
        MenuText::StartAtLogin,
        MenuText::Quit,
    ];
}

pub fn menu(t: MenuText, lang: Lang) -> &'static str {
    match t {
        MenuText::Checking => tr!(lang, "Checking…", "Controllo in corso…"),
        MenuText::CheckNow => tr!(lang, "Check now", "Controlla ora"),
        MenuText::WhatsGoingOn => tr!(lang, "What's going on?", "Cosa succede?"),
        MenuText::OpenChatgpt => tr!(lang, "Open ChatGPT", "Apri ChatGPT"),
        MenuText::OpenStatusPage => tr!(
            lang,
            "Open OpenAI status page",
            "Apri la pagina di stato di OpenAI"
        ),
        MenuText::Snooze => tr!(lang, "Snooze notifications", "Silenzia le notifiche"),
        MenuText::SnoozeHour => tr!(lang, "For 1 hour", "Per 1 ora"),
        MenuText::SnoozeUntilBack => {
            tr!(lang, "Until ChatGPT is back", "Finché ChatGPT non torna")
        }
        MenuText::NotifyAgain => tr!(lang, "Notify me again", "Avvisami di nuovo"),
        MenuText::Settings => tr!(lang, "Settings…", "Impostazioni…"),
        MenuText::StartAtLogin => tr!(lang, "Start at login", "Avvia all'accesso"),
        MenuText::Quit => tr!(lang, "Quit Gatewatch", "Esci da Gatewatch"),
    }
}

/// The snooze item while snoozed until a time: "Notify me again (snoozed until 14:05)".
pub fn notify_again_at(wall_ms: i64, offset_minutes: i32, lang: Lang) -> String {
    let at = clock(wall_ms, offset_minutes);
    match lang {
        Lang::En => format!("Notify me again (snoozed until {at})"),
        Lang::It => format!("Avvisami di nuovo (silenzio fino alle {at})"),
    }
}

/// Why the explainer window is not there, for a line in the tray menu. `started`: it ran and
/// then stopped, rather than never coming up.
pub fn explainer_problem(reason: &str, started: bool, lang: Lang) -> String {
    match (started, lang) {
        (false, Lang::En) => format!("Explainer could not start: {reason}"),
        (false, Lang::It) => format!("La finestra non si è aperta: {reason}"),
        (true, Lang::En) => format!("Explainer stopped: {reason}"),
        (true, Lang::It) => format!("La finestra si è chiusa per un errore: {reason}"),
    }
}

/// The notification's title when stored settings could not all be used.
pub fn settings_reset_title(lang: Lang) -> &'static str {
    tr!(
        lang,
        "Gatewatch: settings reset",
        "Gatewatch: impostazioni ripristinate"
    )
}

/// The notification's one button, where the server shows buttons.
pub fn open_gatewatch(lang: Lang) -> &'static str {
    tr!(lang, "Open Gatewatch", "Apri Gatewatch")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::{EdgeInfo, Layer};

    #[test]
    fn every_menu_word_is_translated() {
        let mut seen = std::collections::HashSet::new();
        for t in MenuText::ALL {
            assert_ne!(menu(t, Lang::En), menu(t, Lang::It), "{t:?}");
            assert!(seen.insert(menu(t, Lang::En)), "{t:?} repeats a label");
        }
        assert_eq!(
            notify_again_at(13 * 3_600_000 + 5 * 60_000, 0, Lang::En),
            "Notify me again (snoozed until 13:05)"
        );
        assert_eq!(
            explainer_problem("no such file", false, Lang::En),
            "Explainer could not start: no such file"
        );
    }

    #[test]
    fn locales() {
        assert_eq!(Lang::from_locale("it_IT.UTF-8"), Lang::It);
        assert_eq!(Lang::from_locale("it-CH"), Lang::It);
        assert_eq!(Lang::from_locale("IT"), Lang::It);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
        assert_eq!(Lang::from_locale("italic"), Lang::En);
        assert_eq!(Lang::from_locale(""), Lang::En);
    }

    #[test]
    fn durations_and_clocks() {
        assert_eq!(duration(45_000, Lang::En), "45 s");
        assert_eq!(duration(7 * 60_000 + 5_000, Lang::En), "7 min");
        assert_eq!(duration(3_600_000, Lang::En), "1 h");
        assert_eq!(duration(3_900_000, Lang::It), "1 h 5 min");
        assert_eq!(
            duration(2 * 86_400_000 + 3 * 3_600_000, Lang::It),
            "2 g 3 h"
        );
        assert_eq!(clock(0, 0), "00:00");
        assert_eq!(clock(13 * 3_600_000 + 5 * 60_000, 60), "14:05");
        assert_eq!(clock(30 * 60_000, -60), "23:30");
    }

    #[test]
    fn summaries() {
        let d = Diagnosis {
            verdict: Verdict::BadGateway,
            layer: Layer::Origin,
            cause: Cause::Overload,
            http_status: Some(502),
            cf_code: None,
            evidence: vec![],
            edge: EdgeInfo {
                colo: Some("FRA".into()),
                loc: None,
            },
            api_alive: None,
            status_page: None,
            advice: vec![],
            latency_ms: None,
            limited: None,
            app_route: None,
        };
        assert_eq!(
            summary(&d, Lang::En),
            "ChatGPT is down — OpenAI's servers aren't answering Cloudflare (502, FRA)"
        );
        assert_eq!(
            summary(&d, Lang::It),
            "ChatGPT non funziona — i server di OpenAI non rispondono a Cloudflare (502, FRA)"
        );
        let up = Diagnosis {
            verdict: Verdict::Up,
            cause: Cause::Healthy,
            http_status: Some(200),
            ..d.clone()
        };
        assert_eq!(
            summary(&up, Lang::En),
            "ChatGPT is up — everything answers normally (FRA)"
        );
        let limited = Diagnosis {
            limited: Some(Blind::Challenge),
            ..up.clone()
        };
        assert_eq!(
            summary(&limited, Lang::En),
            "ChatGPT is up — nothing points to trouble (FRA); limited view: chatgpt.com asks Gatewatch for a browser check"
        );
        assert_ne!(
            explanation(&limited, Lang::En),
            cause_long(Cause::Healthy, Lang::En)
        );
        assert!(summary(&limited, Lang::It).contains("vista limitata"));
        let limited_down = Diagnosis {
            verdict: Verdict::OriginError,
            cause: Cause::OfficialOutage,
            http_status: Some(403),
            ..limited
        };
        assert_eq!(
            summary(&limited_down, Lang::En),
            "ChatGPT is down — OpenAI's status page reports it down (FRA); limited view: chatgpt.com asks Gatewatch for a browser check"
        );
        let blocked = Diagnosis {
            verdict: Verdict::Blocked,
            cause: Cause::AccessDenied,
            http_status: Some(403),
            cf_code: Some(1020),
            ..d
        };
        assert_eq!(
            summary(&blocked, Lang::En),
            "ChatGPT is up, but refuses you — access denied to your connection (error 1020, FRA)"
        );
    }

    #[test]
    fn every_text_exists_in_both_languages() {
        use crate::diagnose::Verdict as V;
        for v in V::ALL {
            assert_ne!(headline(v, Lang::En), headline(v, Lang::It));
        }
        let causes = [
            Cause::Healthy,
            Cause::Slow,
            Cause::PartialFailure,
            Cause::OfficialIncident,
            Cause::Overload,
            Cause::BrokenLink,
            Cause::OriginTls,
            Cause::Maintenance,
            Cause::OriginFailure,
            Cause::CloudflareFailure,
            Cause::CloudflareUnreachable,
            Cause::Challenge,
            Cause::AccessDenied,
            Cause::RateLimited,
            Cause::Region,
            Cause::CaptivePortal,
            Cause::YourNetwork,
            Cause::Inconclusive,
            Cause::OfficialOutage,
            Cause::ProxyLogin,
            Cause::ProxyFailing,
            Cause::ProxyUnreachable,
            Cause::TlsIntercepted,
        ];
        for c in causes {
            assert_ne!(cause_short(c, Lang::En), cause_short(c, Lang::It), "{c:?}");
            assert_ne!(cause_long(c, Lang::En), cause_long(c, Lang::It), "{c:?}");
        }
        assert_ne!(
            advice(Advice::ProxySettings, Lang::En),
            advice(Advice::ProxySettings, Lang::It)
        );
        for e in [NetErrorKind::ProxyAuth, NetErrorKind::ProxyRefused] {
            assert_ne!(net_error(e, Lang::En), net_error(e, Lang::It));
        }
    }
}
