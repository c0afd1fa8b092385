//! The network's layer as a table: a filter's page, a proxy's policy, a DNS answer, a reset
//! after the ClientHello, a block server's certificate — each read from its evidence — and
//! what must not be read as a block (a captive portal, a proxy failing, a real outage).

use super::*;
use crate::certname::CertNames;
use crate::model::{DnsAnswer, Handshake, Look, Outcome};
use crate::statuspage;
use crate::text::{self, Lang};

const FORTIGUARD: &str = "<html><head><title>Web Page Blocked!</title></head><body><h1>Web Page Blocked!</h1><p>The page you have requested has been blocked, because the URL is banned.</p><p>URL: chatgpt.com/</p><p>Category: Artificial Intelligence Technology</p><p>To have the rating of this web page re-evaluated <a href=\"https://url.fortinet.net/rate/submit.php\">please click here</a>.</p></body></html>";
const LOGIN: &str = "<html><head><title>Welcome to Hotel Wi-Fi</title><meta http-equiv=\"refresh\" content=\"0;url=http://10.1.0.1/login\"></head></html>";
const TRACE: &str = "fl=1\nh=chatgpt.com\nip=203.0.113.9\nts=1\ncolo=FRA\nloc=DE\nhttp=http/2\n";
const GREEN: &str = r#"{"status":{"indicator":"none","description":"All Systems Operational"},"components":[{"id":"c","name":"ChatGPT","status":"operational"}],"incidents":[]}"#;
const DOWN: &str = r#"{"status":{"indicator":"critical"},"components":[
    {"id":"g","name":"ChatGPT","group":true,"status":"major_outage"},
    {"id":"c","name":"Conversations","group_id":"g","status":"major_outage"}],
    "incidents":[{"id":"1","name":"ChatGPT unavailable","status":"investigating","impact":"critical"}]}"#;

fn plain(target: Target, url: &str, status: u16, headers: &[(&str, &str)], body: &str) -> Probe {
    let mut r = HttpResponse::new(status).with_body(body);
    for (n, v) in headers {
        r = r.with_header(n, v);
    }
    Probe::new(target, url, Outcome::Response(r), 20)
}

fn failed(target: Target, url: &str, error: NetErrorKind, detail: &str) -> Probe {
    Probe::new(
        target,
        url,
        Outcome::Failed {
            error,
            detail: detail.into(),
        },
        20,
    )
}

fn known_answer() -> Option<Probe> {
    Some(plain(
        Target::Control,
        "http://connectivitycheck.gstatic.com/generate_204",
        204,
        &[],
        "",
    ))
}

fn cf_api() -> Option<Probe> {
    Some(plain(
        Target::Api,
        "https://api.openai.com/v1/models",
        401,
        &[("server", "cloudflare"), ("cf-ray", "8f2c1a0b3d4e5f60-FRA")],
        r#"{"error":{"message":"no key","type":"invalid_request_error"}}"#,
    ))
}

fn with_dns(mut p: Probe, addr: &str) -> Probe {
    let ip: std::net::IpAddr = addr.parse().unwrap();
    p.dns = Some(DnsAnswer::Addresses { addrs: vec![ip] });
    p.addr = Some(ip);
    p
}

fn with_look(mut p: Probe, look: Look) -> Probe {
    p.look = Some(look);
    p
}

fn page(json: &str) -> Option<crate::statuspage::StatusReport> {
    Some(statuspage::parse(json, 0).unwrap())
}

/// A web filter everywhere on OpenAI's hosts, its page as the answer (TLS inspection with the
/// company's root trusted).
fn filtered(body: &str, control: Option<Probe>) -> Observation {
    Observation {
        edge: Some(plain(
            Target::Edge,
            "https://chatgpt.com/cdn-cgi/trace",
            403,
            &[],
            body,
        )),
        origin: Some(plain(
            Target::Origin,
            "https://chatgpt.com/api/auth/session",
            403,
            &[],
            body,
        )),
        api: Some(plain(
            Target::Api,
            "https://api.openai.com/v1/models",
            403,
            &[],
            body,
        )),
        control,
        status_page: page(GREEN),
        slow_ms: 4000,
        ..Observation::default()
    }
}

fn block_of(d: &Diagnosis) -> &NetworkBlock {
    d.network_block
        .as_ref()
        .unwrap_or_else(|| panic!("no block read: {d:#?}"))
}

fn reads(o: &Observation, verdict: Verdict, layer: Layer, cause: Cause) -> Diagnosis {
    let d = diagnose(o);
    assert_eq!(
        (d.verdict, d.layer, d.cause),
        (verdict, layer, cause),
        "{:#?}",
        d.evidence
    );
    d
}

#[test]
fn a_filter_s_page_with_the_internet_working_is_a_block_never_an_outage() {
    let d = reads(
        &filtered(FORTIGUARD, known_answer()),
        Verdict::Blocked,
        Layer::Network,
        Cause::NetworkBlocks,
    );
    let b = block_of(&d);
    assert_eq!(b.how, BlockHow::FilterPage);
    assert_eq!(b.vendor.as_deref(), Some("Fortinet"));
    assert_eq!(b.detail.as_deref(), Some("403"));
    assert_eq!(
        b.beyond,
        Some(Verdict::Up),
        "the status page passed and is green"
    );
    assert_eq!(d.limited, Some(Blind::Network));
    assert_eq!(d.health(), Health::CantTell);
    assert_eq!(d.verdict.exit_code(), 1);
    assert_eq!(
        d.advice,
        vec![
            Advice::MobileData,
            Advice::AskAdministrator,
            Advice::VpnIfAllowed
        ]
    );
    assert!(!d.advice.contains(&Advice::SignInToNetwork));
    assert_eq!(
        text::summary(&d, Lang::EN),
        "This network blocks ChatGPT. OpenAI reports no problem."
    );
    assert_eq!(
        text::cause_line(&d, Lang::EN),
        "The network's web filter answers in ChatGPT's place (Fortinet)"
    );
    // A page that says it is a block needs no known answer to be read as one…
    let d = reads(
        &filtered(FORTIGUARD, None),
        Verdict::Blocked,
        Layer::Network,
        Cause::NetworkBlocks,
    );
    assert_eq!(block_of(&d).how, BlockHow::FilterPage);
    // …but an unnamed page without one is still the old "something answers in its place".
    let unnamed = "<html><body>Nope.</body></html>";
    reads(
        &filtered(unnamed, None),
        Verdict::Offline,
        Layer::Network,
        Cause::CaptivePortal,
    );
    // With the known answer, an unnamed non-Cloudflare refusal on OpenAI's door is a filter.
    let d = reads(
        &filtered(unnamed, known_answer()),
        Verdict::Blocked,
        Layer::Network,
        Cause::NetworkBlocks,
    );
    assert_eq!(block_of(&d).vendor, None);
}

#[test]
fn a_login_page_in_place_of_the_known_answer_is_a_captive_portal() {
    let portal = plain(
        Target::Control,
        "http://connectivitycheck.gstatic.com/generate_204",
        200,
        &[],
        LOGIN,
    );
    let d = reads(
        &filtered(LOGIN, Some(portal)),
        Verdict::Offline,
        Layer::Network,
        Cause::CaptivePortal,
    );
    assert_eq!(d.advice[0], Advice::SignInToNetwork);
    assert_eq!(d.network_block, None);
    // A redirect to the login page is the same.
    let redirect = plain(
        Target::Control,
        "http://connectivitycheck.gstatic.com/generate_204",
        302,
        &[("location", "http://10.1.0.1/login?dst=x")],
        "",
    );
    let mut o = filtered(LOGIN, Some(redirect));
    o.origin = Some(failed(
        Target::Origin,
        "https://chatgpt.com/api/auth/session",
        NetErrorKind::Tls,
        "invalid peer certificate: UnknownIssuer",
    ));
    reads(&o, Verdict::Offline, Layer::Network, Cause::CaptivePortal);
}

#[test]
fn a_proxy_s_policy_is_a_block_its_failure_is_not() {
    let via = |mut o: Observation| {
        o.proxy = Some("http://proxy.example:3128/ (Gatewatch's setting)".into());
        o
    };
    // Squid's refusal of a plain-http request, as the page itself.
    let squid = "<html><title>ERROR: The requested URL could not be retrieved</title><p>Access control configuration prevents your request from being allowed at this time.</p><p>Generated Tue, 01 Dec 2026 10:00:00 GMT by proxy (squid/5.7)</p></html>";
    let mut o = via(filtered(squid, known_answer()));
    if let Some(Outcome::Response(r)) = o.origin.as_mut().map(|p| &mut p.outcome) {
        r.headers
            .push(("x-squid-error".into(), "ERR_ACCESS_DENIED 0".into()));
    }
    let d = reads(&o, Verdict::Blocked, Layer::Proxy, Cause::NetworkBlocks);
    let b = block_of(&d);
    assert_eq!(
        (b.how, b.vendor.as_deref()),
        (BlockHow::ProxyPolicy, Some("Squid"))
    );

    // The tunnel refused; the proxy's own answer, read by the closer look, is a 403 page.
    let refused = || {
        failed(
            Target::Origin,
            "https://chatgpt.com/api/auth/session",
            NetErrorKind::ProxyRefused,
            "error sending request: tunnel error: unsuccessful",
        )
    };
    let tiny_403 = HttpResponse::new(403)
        .with_header("server", "tinyproxy/1.11.1")
        .with_body("<title>403 Filtered</title><p>The request you made has been filtered</p><p>Generated by tinyproxy version 1.11.1.</p>");
    let look = |r: HttpResponse| Look {
        proxy_answer: Some(r),
        handshake: None,
    };
    let tunnel = |p: Probe| -> Observation {
        via(Observation {
            edge: Some(failed(
                Target::Edge,
                "https://chatgpt.com/cdn-cgi/trace",
                NetErrorKind::ProxyRefused,
                "tunnel error",
            )),
            origin: Some(p),
            api: Some(failed(
                Target::Api,
                "https://api.openai.com/v1/models",
                NetErrorKind::ProxyRefused,
                "tunnel error",
            )),
            control: known_answer(),
            status_page: page(DOWN),
            slow_ms: 4000,
            ..Observation::default()
        })
    };
    let d = reads(
        &tunnel(with_look(refused(), look(tiny_403.clone()))),
        Verdict::Blocked,
        Layer::Proxy,
        Cause::NetworkBlocks,
    );
    let b = block_of(&d);
    assert_eq!(
        (b.how, b.vendor.as_deref(), b.detail.as_deref()),
        (BlockHow::ProxyPolicy, Some("tinyproxy"), Some("403"))
    );
    // What passed (the status page) says ChatGPT is down: said, but not an outage of ours.
    assert_eq!(b.beyond.map(Verdict::health), Some(Health::Down));
    assert_eq!(
        text::summary(&d, Lang::EN),
        "This network blocks ChatGPT. OpenAI reports an outage."
    );
    assert_eq!(d.health(), Health::CantTell);

    // The proxy cannot reach the host (its 502), or said nothing readable: failing, never red.
    let tiny_502 = HttpResponse::new(502)
        .with_header("server", "tinyproxy/1.11.1")
        .with_body("<h1>Unable to connect</h1>Generated by tinyproxy version 1.11.1.");
    for o in [
        tunnel(with_look(refused(), look(tiny_502))),
        tunnel(refused()),
    ] {
        reads(&o, Verdict::Offline, Layer::Proxy, Cause::ProxyFailing);
    }
    // A 403 from the tunnel while the known answer did not come back either: not proven policy.
    let mut o = tunnel(with_look(
        refused(),
        look(HttpResponse::new(403).with_body("no")),
    ));
    o.control = Some(failed(
        Target::Control,
        "http://connectivitycheck.gstatic.com/generate_204",
        NetErrorKind::ProxyRefused,
        "x",
    ));
    reads(&o, Verdict::Offline, Layer::Proxy, Cause::ProxyFailing);
    // A SOCKS proxy's rules.
    let socks = failed(
        Target::Origin,
        "https://chatgpt.com/api/auth/session",
        NetErrorKind::ProxyRefused,
        "socks connect error: Connection not allowed by ruleset",
    );
    let d = reads(
        &tunnel(socks),
        Verdict::Blocked,
        Layer::Proxy,
        Cause::NetworkBlocks,
    );
    assert_eq!(block_of(&d).how, BlockHow::ProxyPolicy);
}

/// chatgpt.com's doors failing at the address a filtering DNS gave.
fn sinkholed(addr: &str, error: NetErrorKind, control: Option<Probe>) -> Observation {
    Observation {
        edge: Some(with_dns(
            failed(
                Target::Edge,
                "https://chatgpt.com/cdn-cgi/trace",
                error,
                "x",
            ),
            addr,
        )),
        origin: Some(with_dns(
            failed(
                Target::Origin,
                "https://chatgpt.com/api/auth/session",
                error,
                "x",
            ),
            addr,
        )),
        api: Some(with_dns(
            failed(Target::Api, "https://api.openai.com/v1/models", error, "x"),
            addr,
        )),
        control,
        slow_ms: 4000,
        ..Observation::default()
    }
}

#[test]
fn a_dns_answer_outside_cloudflare_is_a_block() {
    for (addr, vendor) in [
        ("0.0.0.0", None),
        ("::", None),
        ("10.10.34.35", None),
        ("146.112.61.106", Some("Cisco Umbrella")),
        ("162.159.36.12", Some("Cloudflare Gateway")),
        ("127.0.0.1", None),
    ] {
        let d = reads(
            &sinkholed(addr, NetErrorKind::Connect, known_answer()),
            Verdict::Blocked,
            Layer::Network,
            Cause::NetworkBlocks,
        );
        let b = block_of(&d);
        assert_eq!(
            (b.how, b.vendor.as_deref()),
            (BlockHow::DnsAnswer, vendor),
            "{addr}"
        );
        assert_eq!(b.detail.as_deref(), Some(addr));
        assert_eq!(b.beyond, None, "nothing passed");
        assert_eq!(
            text::summary(&d, Lang::EN),
            "This network blocks ChatGPT. Nothing gets through to show whether ChatGPT itself is up."
        );
    }
    // Cloudflare's own address, unreachable while the internet works: Cloudflare's business.
    reads(
        &sinkholed("104.18.32.47", NetErrorKind::Connect, known_answer()),
        Verdict::EdgeError,
        Layer::Edge,
        Cause::CloudflareUnreachable,
    );
    // "No such name" for chatgpt.com while the control host's name resolved and answered…
    let mut o = sinkholed("0.0.0.0", NetErrorKind::Dns, known_answer());
    for p in [&mut o.edge, &mut o.origin, &mut o.api]
        .into_iter()
        .flatten()
    {
        p.dns = Some(DnsAnswer::NoSuchName);
        p.addr = None;
    }
    let d = reads(&o, Verdict::Blocked, Layer::Network, Cause::NetworkBlocks);
    assert_eq!(block_of(&d).detail.as_deref(), Some("NXDOMAIN"));
    // …and while nothing resolves: your network.
    o.control = Some(failed(
        Target::Control,
        "http://connectivitycheck.gstatic.com/generate_204",
        NetErrorKind::Dns,
        "x",
    ));
    reads(&o, Verdict::Offline, Layer::Network, Cause::YourNetwork);
    // A test endpoint given by address is taken as it is: no block from where it is.
    let mut o = sinkholed("127.0.0.1", NetErrorKind::Connect, known_answer());
    for p in [&mut o.edge, &mut o.origin, &mut o.api]
        .into_iter()
        .flatten()
    {
        p.url = p.url.replace("chatgpt.com", "127.0.0.1:8080");
        p.url = p.url.replace("api.openai.com", "127.0.0.1:8081");
        p.dns = None;
    }
    reads(
        &o,
        Verdict::EdgeError,
        Layer::Edge,
        Cause::CloudflareUnreachable,
    );
    // A sinkholed name whose answer still came through Cloudflare (a local mirror passing it
    // on) is not blocked.
    let mut o = sinkholed("10.0.0.5", NetErrorKind::Connect, known_answer());
    o.origin = Some(with_dns(
        plain(
            Target::Origin,
            "https://chatgpt.com/api/auth/session",
            200,
            &[("server", "cloudflare"), ("cf-ray", "8f2c1a0b3d4e5f60-FRA")],
            "{}",
        ),
        "10.0.0.5",
    ));
    o.edge = Some(plain(
        Target::Edge,
        "https://chatgpt.com/cdn-cgi/trace",
        200,
        &[("server", "cloudflare")],
        TRACE,
    ));
    assert_eq!(diagnose(&o).network_block, None);
}

#[test]
fn a_reset_after_the_client_hello_is_a_block_only_when_other_names_pass() {
    let reset = |other: Option<bool>, control: Option<Probe>| {
        let origin = with_look(
            with_dns(
                failed(
                    Target::Origin,
                    "https://chatgpt.com/api/auth/session",
                    NetErrorKind::Reset,
                    "client error (Connect): Connection reset by peer (os error 104)",
                ),
                "104.18.32.47",
            ),
            Look {
                proxy_answer: None,
                handshake: Some(Handshake::ResetAfterHello { other_name: other }),
            },
        );
        Observation {
            edge: Some(failed(
                Target::Edge,
                "https://chatgpt.com/cdn-cgi/trace",
                NetErrorKind::Reset,
                "x",
            )),
            origin: Some(origin),
            api: cf_api(),
            control,
            status_page: page(GREEN),
            slow_ms: 4000,
            ..Observation::default()
        }
    };
    let d = reads(
        &reset(Some(true), known_answer()),
        Verdict::Blocked,
        Layer::Network,
        Cause::NetworkBlocks,
    );
    let b = block_of(&d);
    assert_eq!(
        (b.how, b.detail.as_deref()),
        (BlockHow::Reset, Some("104.18.32.47"))
    );
    assert_eq!(
        b.beyond,
        Some(Verdict::Up),
        "the API passed, and the status page"
    );
    // Not tried at another name, but the internet works: still a reset by name.
    let d = reads(
        &reset(None, known_answer()),
        Verdict::Blocked,
        Layer::Network,
        Cause::NetworkBlocks,
    );
    assert_eq!(block_of(&d).how, BlockHow::Reset);
    // The same address cuts every name: not filtering by name; Cloudflare unreachable.
    let d = diagnose(&reset(Some(false), known_answer()));
    assert_eq!(d.network_block, None, "{d:#?}");
    assert_eq!(d.cause, Cause::CloudflareUnreachable);
}

#[test]
fn a_foreign_certificate_outside_cloudflare_is_a_block_server_inside_it_interception() {
    let fortigate = CertNames {
        subject_cn: Some("FortiGate".into()),
        issuer_cn: Some("FG100F3G19000000".into()),
        issuer_o: Some("Fortinet".into()),
        dns_names: vec![],
        ..CertNames::default()
    };
    let cert_at = |addr: Option<&str>, names: &CertNames| {
        let mut p = with_look(
            failed(
                Target::Origin,
                "https://chatgpt.com/api/auth/session",
                NetErrorKind::Tls,
                "client error (Connect): invalid peer certificate: UnknownIssuer",
            ),
            Look {
                proxy_answer: None,
                handshake: Some(Handshake::Certificate {
                    names: names.clone(),
                }),
            },
        );
        if let Some(a) = addr {
            p = with_dns(p, a);
        }
        Observation {
            origin: Some(p),
            api: cf_api(),
            control: known_answer(),
            slow_ms: 4000,
            ..Observation::default()
        }
    };
    let d = reads(
        &cert_at(Some("192.168.1.99"), &fortigate),
        Verdict::Blocked,
        Layer::Network,
        Cause::NetworkBlocks,
    );
    let b = block_of(&d);
    assert_eq!(
        (b.how, b.vendor.as_deref()),
        (BlockHow::ForeignCertificate, Some("Fortinet"))
    );
    assert_eq!(
        b.detail.as_deref(),
        Some("192.168.1.99: CN=FortiGate; issued by CN=FG100F3G19000000, O=Fortinet")
    );
    assert_eq!(
        b.beyond,
        Some(Verdict::Up),
        "the API answers through Cloudflare"
    );
    // At a Cloudflare address, or with no address to go on: interception.
    for addr in [Some("104.18.32.47"), None] {
        reads(
            &cert_at(addr, &fortigate),
            Verdict::Offline,
            Layer::Network,
            Cause::TlsIntercepted,
        );
    }
    // chatgpt.com's own name on an inspecting proxy's certificate: interception, wherever.
    let forged = CertNames {
        subject_cn: Some("chatgpt.com".into()),
        dns_names: vec!["chatgpt.com".into(), "*.chatgpt.com".into()],
        issuer_cn: Some("Zscaler Intermediate Root CA".into()),
        ..CertNames::default()
    };
    reads(
        &cert_at(Some("10.0.0.1"), &forged),
        Verdict::Offline,
        Layer::Network,
        Cause::TlsIntercepted,
    );
}

#[test]
fn a_real_outage_behind_a_passing_proxy_stays_red() {
    let branded = "<title>chatgpt.com | 502: Bad gateway</title><div id=\"cf-error-details\">Error code 502 Cloudflare Ray ID</div>";
    let cf = [("server", "cloudflare"), ("cf-ray", "8f2c1a0b3d4e5f60-FRA")];
    let o = Observation {
        edge: Some(plain(
            Target::Edge,
            "https://chatgpt.com/cdn-cgi/trace",
            200,
            &cf,
            TRACE,
        )),
        origin: Some(plain(
            Target::Origin,
            "https://chatgpt.com/api/auth/session",
            502,
            &cf,
            branded,
        )),
        api: cf_api(),
        control: known_answer(),
        proxy: Some("http://proxy.example:3128/ (Gatewatch's setting)".into()),
        slow_ms: 4000,
        ..Observation::default()
    };
    let d = reads(&o, Verdict::BadGateway, Layer::Origin, Cause::Overload);
    assert_eq!(d.network_block, None);
    assert_eq!(d.health(), Health::Down);
    // The known answer is asked whenever chatgpt.com did not come through Cloudflare only.
    assert!(!needs_known_answer(&o));
    assert!(needs_known_answer(&filtered(FORTIGUARD, None)));
    assert!(needs_known_answer(&sinkholed(
        "0.0.0.0",
        NetErrorKind::Connect,
        None
    )));
}

#[test]
fn a_transparent_proxy_s_own_error_is_grey_not_red() {
    // A non-Cloudflare 503 on chatgpt.com and its trace, naming nobody and refusing nothing,
    // while the internet works: the network's own proxy failing.
    let body = "<html><body><h1>503 Service Unavailable</h1>No server is available to handle this request.</body></html>";
    let mut o = filtered(body, known_answer());
    for p in [&mut o.edge, &mut o.origin, &mut o.api]
        .into_iter()
        .flatten()
    {
        if let Outcome::Response(r) = &mut p.outcome {
            r.status = 503;
        }
    }
    reads(&o, Verdict::Offline, Layer::Proxy, Cause::ProxyFailing);
    // Palo Alto's block page comes as a 503: its words make it a block.
    let pan = "<html><body bgcolor=\"#e7e8e9\"><div id=\"content\"><h1>Web Page Blocked</h1><p>Access to the web page you were trying to visit has been blocked in accordance with company policy.</p></div></body></html>";
    let mut o = filtered(pan, known_answer());
    if let Some(Outcome::Response(r)) = o.origin.as_mut().map(|p| &mut p.outcome) {
        r.status = 503;
    }
    let d = reads(&o, Verdict::Blocked, Layer::Network, Cause::NetworkBlocks);
    assert_eq!(block_of(&d).vendor.as_deref(), Some("Palo Alto Networks"));
}
