//! The only places Gatewatch opens in the system browser: the tray menu and the explainer both
//! pick from this list, and the explainer's page can name nothing else.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Link {
    Chatgpt,
    StatusPage,
    AppStore,
    GooglePlay,
    /// Gatewatch's latest release, where a new version is downloaded by hand.
    Releases,
}

impl Link {
    pub const ALL: [Link; 5] = [
        Link::Chatgpt,
        Link::StatusPage,
        Link::AppStore,
        Link::GooglePlay,
        Link::Releases,
    ];

    pub const fn url(self) -> &'static str {
        match self {
            Link::Chatgpt => "https://chatgpt.com/",
            Link::StatusPage => "https://status.openai.com/",
            Link::AppStore => "https://apps.apple.com/app/chatgpt/id6448311069",
            Link::GooglePlay => "https://play.google.com/store/apps/details?id=com.openai.chatgpt",
            Link::Releases => crate::update::RELEASES_PAGE,
        }
    }
}
