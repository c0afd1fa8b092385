//! Windows: the proxy in Internet Options (WinINet's settings in the registry) and the
//! environment, both read by reqwest's system-proxy support (hyper-util reads
//! `HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings`). Written, not compiled
//! here. A PAC script set there (`AutoConfigURL`) is not evaluated, by reqwest or by us.

use super::System;

pub fn system() -> System {
    System::Os
}
