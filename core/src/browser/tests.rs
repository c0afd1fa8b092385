use super::*;

const T0: i64 = 1_764_000_000; // a ten-second bucket (Unix s)
const NOW_MS: i64 = (T0 + 100) * 1000;

fn rec(kind: Kind, result: Outcome, status: Option<u16>, net: Option<Net>, t: i64) -> Record {
    Record {
        kind,
        result,
        status,
        net,
        cf: true,
        t,
    }
}

fn conv(result: Outcome, status: Option<u16>, t: i64) -> Record {
    rec(Kind::Conversation, result, status, None, t)
}

fn ok(t: i64) -> Record {
    conv(Outcome::Ok, Some(200), t)
}

fn bad(t: i64) -> Record {
    conv(Outcome::Http5xx, Some(502), t)
}

fn window(records: Vec<Record>) -> Window {
    Window {
        records,
        received_ms: NOW_MS,
    }
}

#[test]
fn the_wire_record_is_six_fields_and_nothing_else() {
    let r = Record {
        kind: Kind::Conversation,
        result: Outcome::NetError,
        status: None,
        net: Some(Net::Reset),
        cf: false,
        t: T0,
    };
    let json = serde_json::to_string(&Summary::new(vec![r, bad(T0)])).unwrap();
    assert_eq!(
        json,
        format!(
            "{{\"type\":\"summary\",\"records\":[\
             {{\"kind\":\"conversation\",\"result\":\"net_error\",\"net\":\"reset\",\"cf\":false,\"t\":{T0}}},\
             {{\"kind\":\"conversation\",\"result\":\"http_5xx\",\"status\":502,\"cf\":true,\"t\":{T0}}}]}}"
        )
    );
    assert_eq!(Summary::parse(json.as_bytes()).unwrap().records.len(), 2);
}

#[test]
fn anything_but_outcome_records_is_refused() {
    let good =
        format!("{{\"kind\":\"page\",\"result\":\"ok\",\"status\":200,\"cf\":true,\"t\":{T0}}}");
    let summary = |records: &str| format!("{{\"type\":\"summary\",\"records\":[{records}]}}");
    assert!(Summary::parse(summary(&good).as_bytes()).is_ok());
    let refused = [
        // A URL, an id, a header's value or a body has no field to travel in.
        good.replace("\"cf\"", "\"url\":\"https://chatgpt.com/c/123\",\"cf\""),
        good.replace("\"cf\"", "\"conversation_id\":\"abc\",\"cf\""),
        good.replace("\"cf\"", "\"headers\":{\"cookie\":\"x\"},\"cf\""),
        // Values outside the vocabulary.
        good.replace("\"page\"", "\"https://chatgpt.com/\""),
        good.replace("\"ok\"", "\"fine\""),
        good.replace("200", "\"200\""),
        good.replace("200", "70000"),
        // Fields that contradict each other.
        good.replace("200", "502"),
        good.replace("\"status\":200", "\"net\":\"reset\",\"status\":200"),
        good.replace(&T0.to_string(), &(T0 + 3).to_string()),
        good.replace(&T0.to_string(), "-10"),
        good.replace("\"cf\":true,", ""),
    ];
    for r in refused {
        let e = Summary::parse(summary(&r).as_bytes());
        assert!(e.is_err(), "accepted {r}");
    }
    // Another message type, a field beside the records, not JSON at all.
    for m in [
        "{\"type\":\"history\",\"records\":[]}".to_string(),
        "{\"type\":\"summary\",\"records\":[],\"tabs\":[\"https://chatgpt.com/\"]}".to_string(),
        "[1,2,3]".to_string(),
        "\u{0}".to_string(),
    ] {
        assert!(Summary::parse(m.as_bytes()).is_err(), "accepted {m}");
    }
    let many = vec![good.as_str(); MAX_RECORDS + 1].join(",");
    assert_eq!(
        Summary::parse(summary(&many).as_bytes()),
        Err(RecordError::TooMany {
            count: MAX_RECORDS + 1
        })
    );
    let bad_one = format!("{good},{}", good.replace("200", "404"));
    assert_eq!(
        Summary::parse(summary(&bad_one).as_bytes())
            .unwrap_err()
            .to_string(),
        "record 1: its status or network error does not fit its result"
    );
}

#[test]
fn what_counts_against_chatgpt() {
    let net = |n: Net| rec(Kind::Conversation, Outcome::NetError, None, Some(n), T0);
    assert!(bad(T0).failed());
    assert!(net(Net::Reset).failed() && net(Net::Http2).failed());
    assert!(rec(
        Kind::Conversation,
        Outcome::StreamCut,
        Some(200),
        Some(Net::Incomplete),
        T0
    )
    .failed());
    // The user's own network, the user's own stop, a challenge, a 4xx: never.
    for r in [
        net(Net::Dns),
        net(Net::Offline),
        net(Net::Proxy),
        net(Net::Tls),
        net(Net::Other),
        conv(Outcome::Stopped, Some(200), T0),
        conv(Outcome::Stopped, None, T0),
        conv(Outcome::Challenge, Some(403), T0),
        conv(Outcome::Http4xx, Some(429), T0),
    ] {
        assert!(!r.failed() && !r.answered(), "{r:?}");
    }
    // A 5xx that did not come through Cloudflare is something else answering (a filter).
    let filter = Record {
        cf: false,
        ..bad(T0)
    };
    assert!(!filter.failed());
}

#[test]
fn the_reading_judges_the_last_five_counted_requests() {
    use State::*;
    let table: Vec<(&str, Vec<Record>, State, u8, u8)> = vec![
        (
            "three of five failed",
            vec![
                ok(T0),
                bad(T0 + 10),
                ok(T0 + 20),
                bad(T0 + 30),
                bad(T0 + 40),
            ],
            Fails,
            5,
            3,
        ),
        (
            "two of five",
            vec![ok(T0), bad(T0 + 10), ok(T0 + 20), bad(T0 + 30), ok(T0 + 40)],
            PartlyFails,
            5,
            2,
        ),
        (
            "one of five",
            vec![ok(T0), bad(T0 + 10), ok(T0 + 20), ok(T0 + 30), ok(T0 + 40)],
            Answers,
            5,
            1,
        ),
        (
            "three failures long ago fall out of the last five",
            vec![
                bad(T0),
                bad(T0),
                bad(T0),
                ok(T0 + 10),
                ok(T0 + 10),
                ok(T0 + 20),
                ok(T0 + 20),
                ok(T0 + 30),
            ],
            Answers,
            5,
            0,
        ),
        ("one failure alone says nothing", vec![bad(T0)], Quiet, 1, 1),
        (
            "stops are not failures",
            vec![
                ok(T0),
                conv(Outcome::Stopped, Some(200), T0 + 10),
                conv(Outcome::Stopped, None, T0 + 20),
                conv(Outcome::Stopped, Some(200), T0 + 30),
            ],
            Answers,
            1,
            0,
        ),
        (
            "challenges are not failures",
            vec![conv(Outcome::Challenge, Some(403), T0); 4],
            Quiet,
            0,
            0,
        ),
        (
            "page loads count too",
            vec![
                rec(Kind::Page, Outcome::Http5xx, Some(502), None, T0),
                rec(Kind::Page, Outcome::Http5xx, Some(502), None, T0 + 10),
                bad(T0 + 20),
            ],
            Fails,
            3,
            3,
        ),
    ];
    for (name, records, state, recent, failed) in table {
        let r = read(&window(records), NOW_MS).unwrap_or_else(|| panic!("{name}: no reading"));
        assert_eq!(
            (r.state, r.recent, r.failed),
            (state, recent, failed),
            "{name}"
        );
    }
}

#[test]
fn the_reading_counts_and_names_the_newest_failure() {
    let cut = rec(
        Kind::Conversation,
        Outcome::StreamCut,
        Some(200),
        Some(Net::Incomplete),
        T0 + 30,
    );
    let r = read(
        &window(vec![
            rec(Kind::Page, Outcome::Ok, Some(200), None, T0),
            bad(T0 + 10),
            conv(Outcome::Stopped, Some(200), T0 + 20),
            cut,
            conv(Outcome::Challenge, Some(403), T0 + 40),
        ]),
        NOW_MS,
    )
    .unwrap();
    assert_eq!(
        (r.conversations, r.page_loads, r.stopped, r.challenged),
        (4, 1, 1, 1)
    );
    assert_eq!(
        r.failure,
        Some(Failure {
            kind: Kind::Conversation,
            result: Outcome::StreamCut,
            status: Some(200),
            net: Some(Net::Incomplete),
            cloudflare: true
        })
    );
    assert_eq!(r.newest_ms, (T0 + 40) * 1000);
}

#[test]
fn old_windows_and_records_say_nothing() {
    let w = window(vec![bad(T0), bad(T0), bad(T0)]);
    assert_eq!(read(&w, NOW_MS).unwrap().state, State::Fails);
    // Fifteen minutes later nothing of it is left.
    assert_eq!(read(&w, NOW_MS + WINDOW_MS), None);
    // A fresh window whose records are old (the browser kept them) says nothing either …
    let stale = Window {
        records: vec![bad(T0), bad(T0), bad(T0)],
        received_ms: NOW_MS + WINDOW_MS,
    };
    assert_eq!(read(&stale, NOW_MS + WINDOW_MS), None);
    // … and records dated far ahead are not believed.
    let ahead = window(vec![bad(T0 + 3600), bad(T0 + 3600), bad(T0 + 3600)]);
    assert_eq!(read(&ahead, NOW_MS), None);
    assert_eq!(read(&window(vec![]), NOW_MS), None);
}

#[test]
fn the_error_page_is_the_newest_page_load() {
    let page = |result, status| rec(Kind::Page, result, Some(status), None, T0);
    let recs = vec![page(Outcome::Http5xx, 502), ok(T0)];
    assert_eq!(failed_page(&recs).and_then(|r| r.status), Some(502));
    let recs = vec![page(Outcome::Http5xx, 502), page(Outcome::Ok, 200)];
    assert_eq!(failed_page(&recs), None);
    assert_eq!(failed_page(&[ok(T0)]), None);
}
