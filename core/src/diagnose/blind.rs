//! The blind view: chatgpt.com answered Gatewatch's request with a challenge or a bare refusal
//! (or the network blocks it), so it shows nothing of OpenAI's servers. What can still be seen:
//! the edge trace, the API, the phone apps' route and the status page.

use super::*;

/// Nothing points to trouble → up, with the limited view said plainly (by the caller's
/// evidence); the status page reports ChatGPT's conversations fully down, or two doors fail →
/// down; anything less → degraded. Never "refuses you": a bot check on Gatewatch's own requests
/// says nothing about the user's browser.
pub(super) fn read(
    edge: Edge,
    api: Option<ApiState>,
    app: Option<&AppRead>,
    page: Option<&StatusPageView>,
    api_alive: Option<bool>,
) -> Reading {
    use Advice::*;
    let api_failing = api == Some(ApiState::Failing);
    let app_failing = app
        .and_then(|a| (a.door == Door::Fails).then_some(a.class))
        .flatten();
    let officially_down =
        page.is_some_and(|p| p.chatgpt_worst == ComponentStatus::MajorOutage && p.chatgpt_core);
    let maintenance = page.is_some_and(|p| p.maintenance);
    if officially_down || (app_failing.is_some() && api_failing) {
        // Named by the failing door's answer when there is one; else by the official word.
        return match app_failing {
            Some(class) => service::down_by(class, maintenance, api_alive),
            None => Reading::new(
                Verdict::OriginError,
                Layer::Origin,
                if maintenance {
                    Cause::Maintenance
                } else {
                    Cause::OfficialOutage
                },
                service::down_advice(api_alive),
            ),
        };
    }
    if page.is_some_and(|p| p.chatgpt_affected) {
        return Reading::new(
            Verdict::Degraded,
            Layer::Origin,
            Cause::OfficialIncident,
            vec![StatusPage, Reload, PhoneApp],
        );
    }
    let edge_failing = matches!(edge, Edge::Failed | Edge::HttpError(500..=599));
    let app_unreachable = app.is_some_and(|a| a.door == Door::Unreachable);
    if app_failing.is_some() || api_failing || edge_failing || app_unreachable {
        return Reading::new(
            Verdict::Degraded,
            Layer::Origin,
            Cause::PartialFailure,
            vec![Reload, StatusPage],
        );
    }
    Reading::new(Verdict::Up, Layer::None, Cause::Healthy, vec![])
}
