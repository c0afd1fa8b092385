//! Other Unix systems (the BSDs): the environment only.

use super::System;

pub fn system() -> System {
    super::from_env(|k| std::env::var(k).ok()).unwrap_or(System::Direct)
}
