//! Run the fake hosts by hand: `cargo run -p gatewatch-fakes -- --scenario bad-gateway`.
//! Prints the environment that points Gatewatch at them, then serves until Ctrl-C.

use gatewatch_fakes::{FakeWorld, Role, Scenario};

const USAGE: &str =
    "usage: gatewatch-fakes [--scenario NAME] [--host 127.0.0.1] [--port-base N] | --list

Starts fake chatgpt.com, api.openai.com, status page and control hosts on loopback.
Switch scenario while running:  curl -X PUT --data NAME http://HOST:PORT/__fake/scenario
Traffic counters:               curl http://HOST:PORT/__fake/stats";

#[tokio::main]
async fn main() {
    let mut scenario = Scenario::Healthy;
    let mut host = "127.0.0.1".to_string();
    let mut base = 0u16;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| {
            args.next().unwrap_or_else(|| {
                eprintln!("gatewatch-fakes: {name} needs a value\n{USAGE}");
                std::process::exit(64)
            })
        };
        match a.as_str() {
            "--list" => {
                for s in Scenario::all() {
                    println!("{:<24} expected verdict: {}", s.to_string(), s.expected());
                }
                return;
            }
            "--scenario" => {
                let v = value("--scenario");
                scenario = Scenario::parse(&v).unwrap_or_else(|| {
                    eprintln!("gatewatch-fakes: unknown scenario {v:?} (see --list)");
                    std::process::exit(64)
                });
            }
            "--host" => host = value("--host"),
            "--port-base" => {
                let v = value("--port-base");
                base = v.parse().unwrap_or_else(|_| {
                    eprintln!("gatewatch-fakes: --port-base takes a port number, not {v:?}");
                    std::process::exit(64)
                });
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => {
                eprintln!("gatewatch-fakes: unknown argument {other:?}\n{USAGE}");
                std::process::exit(64);
            }
        }
    }
    let ip: std::net::IpAddr = host.parse().unwrap_or_else(|_| {
        eprintln!("gatewatch-fakes: --host must be a loopback IP address, not {host:?}");
        std::process::exit(64)
    });
    if !ip.is_loopback() {
        eprintln!("gatewatch-fakes: refusing to listen on {ip}: the fakes serve loopback only");
        std::process::exit(64);
    }
    let world = match FakeWorld::start_on(&host, base, scenario).await {
        Ok(w) => w,
        Err(e) => {
            eprintln!("gatewatch-fakes: cannot listen on {host}: {e}");
            std::process::exit(1);
        }
    };
    for (var, url) in world.env() {
        println!("export {var}={url}");
    }
    println!(
        "# scenario: {scenario} (expected verdict: {})",
        scenario.expected()
    );
    println!(
        "# switch: curl -X PUT --data bad-gateway {}/__fake/scenario",
        world.url(Role::Chatgpt)
    );
    if tokio::signal::ctrl_c().await.is_err() {
        // No signal handling available: serve until killed.
        std::future::pending::<()>().await;
    }
}
