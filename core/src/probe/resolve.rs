//! Name resolution for the checks, recorded: what each host's name resolved to is part of the
//! evidence (a filtering DNS answers OpenAI's names with `0.0.0.0`, a private address, a block
//! server, or "no such name"). The system's resolver does the work, as reqwest's default would;
//! `--resolve HOST:PORT:ADDR` answers chosen names from the command line instead (curl's form,
//! for reproducing a network's answer, and for the tests).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::model::DnsAnswer;

/// Answers chosen in advance: host (lower-case) → addresses.
pub type Overrides = HashMap<String, Vec<IpAddr>>;

/// The resolver handed to reqwest; a clone shares the record.
#[derive(Clone, Default)]
pub struct Recorder {
    overrides: Arc<Overrides>,
    seen: Arc<Mutex<HashMap<String, DnsAnswer>>>,
}

impl Recorder {
    pub fn new(overrides: Overrides) -> Recorder {
        Recorder {
            overrides: Arc::new(overrides),
            seen: Arc::default(),
        }
    }

    /// What `host` last resolved to, if this resolver was asked (a connection straight to it;
    /// through a proxy the proxy resolves, and nothing is recorded for the host).
    pub fn answer(&self, host: &str) -> Option<DnsAnswer> {
        self.seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&host.to_ascii_lowercase())
            .cloned()
    }

    /// Resolve `host` now (the closer look's own connection), recording it like any other.
    pub async fn lookup(&self, host: &str) -> DnsAnswer {
        let answer = match self.overrides.get(&host.to_ascii_lowercase()) {
            Some(addrs) => DnsAnswer::Addresses {
                addrs: addrs.clone(),
            },
            None => match tokio::net::lookup_host((host, 0)).await {
                Ok(addrs) => DnsAnswer::Addresses {
                    addrs: addrs.map(|a| a.ip()).collect(),
                },
                Err(e) => kind_of(&e.to_string()),
            },
        };
        self.seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(host.to_ascii_lowercase(), answer.clone());
        answer
    }
}

impl Resolve for Recorder {
    fn resolve(&self, name: Name) -> Resolving {
        let this = self.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            match this.lookup(&host).await {
                DnsAnswer::Addresses { addrs } if !addrs.is_empty() => {
                    let addrs: Addrs = Box::new(addrs.into_iter().map(|ip| SocketAddr::new(ip, 0)));
                    Ok(addrs)
                }
                DnsAnswer::NoSuchName => Err(format!(
                    "failed to lookup address information: {host}: no such name"
                )
                .into()),
                _ => Err(format!(
                    "failed to lookup address information: {host}: the lookup failed"
                )
                .into()),
            }
        })
    }
}

/// "No such name" (NXDOMAIN, or no address for it) against any other failure, as each system's
/// resolver words it: glibc "Name or service not known" / "No address associated with
/// hostname", Windows "No such host is known" (WSAHOST_NOT_FOUND, 11001), macOS "nodename nor
/// servname provided, or not known".
pub fn kind_of(message: &str) -> DnsAnswer {
    let m = message.to_ascii_lowercase();
    let no_such = [
        "name or service not known",
        "no address associated with hostname",
        "no such host is known",
        "os error 11001",
        "nodename nor servname provided",
    ];
    if no_such.iter().any(|s| m.contains(s)) {
        DnsAnswer::NoSuchName
    } else {
        DnsAnswer::Failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_such_name_as_each_system_says_it() {
        for m in [
            "failed to lookup address information: Name or service not known",
            "failed to lookup address information: No address associated with hostname",
            "No such host is known. (os error 11001)",
            "failed to lookup address information: nodename nor servname provided, or not known",
        ] {
            assert_eq!(kind_of(m), DnsAnswer::NoSuchName, "{m}");
        }
        for m in [
            "failed to lookup address information: Temporary failure in name resolution",
            "This is usually a temporary error during hostname resolution (os error 11002)",
            "",
        ] {
            assert_eq!(kind_of(m), DnsAnswer::Failed, "{m}");
        }
    }

    #[tokio::test]
    async fn overrides_answer_and_are_recorded() {
        let r = Recorder::new(HashMap::from([(
            "chatgpt.com".to_string(),
            vec!["0.0.0.0".parse().unwrap()],
        )]));
        assert_eq!(r.answer("chatgpt.com"), None);
        let got = r.lookup("ChatGPT.com").await;
        assert_eq!(
            got,
            DnsAnswer::Addresses {
                addrs: vec!["0.0.0.0".parse().unwrap()]
            }
        );
        assert_eq!(r.answer("chatgpt.com"), Some(got));
        // A name that does not exist (RFC 6761's .invalid): never addresses; "no such name"
        // where the system has a resolver to say so.
        let invalid = r.lookup("gatewatch.invalid").await;
        assert!(
            matches!(invalid, DnsAnswer::NoSuchName | DnsAnswer::Failed),
            "{invalid:?}"
        );
        #[cfg(target_os = "linux")]
        assert_eq!(invalid, DnsAnswer::NoSuchName);
    }
}
