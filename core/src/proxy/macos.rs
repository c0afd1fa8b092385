//! macOS: the network settings' proxies (SystemConfiguration) and the environment, both read by
//! reqwest's system-proxy support. Written, not compiled here. A PAC script set there is not
//! evaluated, by reqwest or by us.

use super::System;

pub fn system() -> System {
    System::Os
}
