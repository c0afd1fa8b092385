# Gatewatch — what the tray, the notifications, the command line and the diagnosis say.
#
# To translate: copy this folder (core/locales/en) to core/locales/<your language tag>, e.g.
# core/locales/es, and translate the text right of each "=". Keep the ids (left of "=") and the
# { $variables } as they are. The metaphor throughout: Cloudflare is the switchboard in front of
# ChatGPT, OpenAI's servers are the office behind it.

## The language's own name, as the Settings page and `gatewatch --help` list it.

language-name = English

## Times and durations.

# A time of day. $hour24 is 0–23, $hour12 is 1–12, $minute is two digits, $period is am or pm.
clock = { $hour12 }:{ $minute } { $period ->
    [am] AM
   *[pm] PM
}
# Durations, as short as a tray line needs: "45 s", "7 min", "1 h 5 min", "2 d 3 h".
duration-seconds = { $s } s
duration-minutes = { $m } min
duration-hours = { $h } h
duration-hours-minutes = { $h } h { $m } min
duration-days = { $d ->
    [one] { $d } day
   *[other] { $d } days
}
duration-days-hours = { $d ->
    [one] { $d } day
   *[other] { $d } days
} { $h } h

## Verdicts: the headline.

verdict-up = ChatGPT is up
verdict-degraded = ChatGPT is struggling
verdict-down = ChatGPT is down
verdict-unreachable = ChatGPT is unreachable
verdict-blocked = ChatGPT is up, but won't let you in
verdict-offline = You are offline
verdict-unknown = Can't tell right now
# When the network the computer is on (a company's or a school's web filter, its DNS, its proxy)
# keeps it from reaching ChatGPT: not an outage, and not ChatGPT refusing you.
verdict-network-blocks = This network blocks ChatGPT

## Causes in a few words, for summaries and notifications.

# Each cause follows the headline after " — " ("ChatGPT is down — Cloudflare can't reach OpenAI"),
# so it starts in lower case; Gatewatch capitalises the first letter where a cause starts a line
# (a notification, the tooltip).
cause-healthy = everything answers normally
cause-slow = answers are slow
cause-partial-failure = some OpenAI services fail
cause-official-incident = OpenAI reports an incident
cause-overload = OpenAI's servers aren't answering Cloudflare
cause-broken-link = Cloudflare can't reach OpenAI
cause-origin-tls = the secure link Cloudflare–OpenAI is broken
cause-maintenance = OpenAI is doing maintenance
cause-origin-failure = OpenAI's servers are failing
cause-cloudflare-failure = Cloudflare itself is failing
cause-cloudflare-unreachable = Cloudflare doesn't answer
cause-challenge = a "verify you are human" check
cause-access-denied = access denied to your connection
cause-rate-limited = too many requests from your address
cause-region = not available where you connect from
cause-captive-portal = your network wants you to sign in
cause-your-network = your internet connection is down
cause-inconclusive = no clear cause
cause-official-outage = OpenAI's status page reports it down
cause-proxy-login = your proxy wants a login
cause-proxy-failing = your network's proxy cannot reach the internet
cause-proxy-unreachable = your proxy does not answer
cause-tls-intercepted = something on your network intercepts secure connections
cause-network-blocks = your network blocks ChatGPT
cause-conversations-fail = ChatGPT's requests fail in your browser
# A limited view in which nothing was found wrong ("everything answers" would claim too much).
cause-nothing-wrong = nothing points to trouble

## Causes explained: the switchboard and the office.

explain-healthy = Your network, Cloudflare (the switchboard in front of ChatGPT) and OpenAI's servers (the office behind it) all answer normally.
explain-slow = Everything answers, but slowly: OpenAI's servers are probably busy. Pages may load slowly or time out.
explain-partial-failure = One of the doors Gatewatch checks is failing (OpenAI's API, the phone apps' route, or Cloudflare's edge) while the others answer. Some features may not work.
explain-official-incident = OpenAI's status page reports a problem with ChatGPT, though it still answers: some features may fail.
explain-overload = Cloudflare, the switchboard, answered — but the office behind it, OpenAI's servers, did not give it a valid answer. This is usually overload or a failure on OpenAI's side. The problem isn't your computer.
explain-broken-link = Cloudflare, the switchboard, works but cannot get through to OpenAI's servers at all: the line between the switchboard and the office is down, or the office is closed. The problem isn't your computer.
explain-origin-tls = Cloudflare cannot open a secure connection to OpenAI's servers: a certificate or configuration problem on OpenAI's side. The problem isn't your computer.
explain-maintenance = OpenAI has announced maintenance and its servers are not answering meanwhile. The problem isn't your computer.
explain-origin-failure = The call got through to OpenAI's servers, but they answered with an error: something is broken inside the office. The problem isn't your computer.
explain-cloudflare-failure = Cloudflare itself is failing: the switchboard in front of ChatGPT (and of many other sites) is broken, so nothing gets through to OpenAI. The problem isn't your computer.
explain-cloudflare-unreachable = Your internet works (other sites answer), but Cloudflare — the switchboard in front of ChatGPT — does not answer at all.
explain-challenge = ChatGPT is up. Cloudflare wants to check that you are human ("Just a moment...") before letting you through. This is not an outage.
explain-access-denied = ChatGPT is up, but Cloudflare refuses connections from your address (a firewall rule, or an address with a bad reputation, common with VPNs).
explain-rate-limited = ChatGPT is up, but it is limiting requests from your address for now. The limit lifts by itself.
explain-region = ChatGPT is up, but refuses connections from where you are: OpenAI does not serve this country, or blocks your VPN or proxy address.
explain-captive-portal = Your network is intercepting connections: probably a Wi-Fi login page (hotel, train, airport) waiting for you to sign in.
explain-your-network = It's your connection this time: no site answers, not just ChatGPT. ChatGPT may well be fine.
explain-inconclusive = The answers don't point to a clear cause. Gatewatch keeps checking.
explain-official-outage = OpenAI's status page reports ChatGPT down. Gatewatch cannot see through chatgpt.com from your network to confirm it, and nothing it can see says otherwise. The problem isn't your computer.
explain-proxy-login = Your requests go through a proxy (you → your network → your proxy → Cloudflare → OpenAI), and the proxy asks for a user name and password before letting them through (407). This says nothing about ChatGPT.
explain-proxy-failing = Your requests go through your network's proxy (you → your network → your proxy → Cloudflare → OpenAI). The proxy answers, but with its own errors: it cannot reach the internet, or refuses to. Gatewatch cannot see past it, so it cannot tell whether ChatGPT is up.
explain-proxy-unreachable = Your requests should go through a proxy, and the proxy does not answer: it is down, its address is wrong, or your own connection is down. Gatewatch cannot tell whether ChatGPT is up.
explain-tls-intercepted = chatgpt.com answered with a certificate that is not trusted. Cloudflare's certificates always are, so something on your network (a company proxy, an antivirus, a captive portal) is intercepting secure connections. Gatewatch does not send anything over such a connection.
explain-network-blocks = The network you are on keeps your computer from reaching ChatGPT: its web filter, its DNS or its proxy stops the connection, as many companies and schools do (other sites work). This is not an outage, and the problem isn't your computer: ChatGPT may be working fine for everyone else. What Gatewatch knows about ChatGPT itself comes from what still gets through: OpenAI's status page, and those of OpenAI's doors the network lets pass.
explain-conversations-fail = Your own browser, signed in to chatgpt.com, sees its ChatGPT requests fail — cut off midway, reset, or left without an answer — while the site may still load for Gatewatch's own checks. This is how a partial outage looks before OpenAI's status page says anything. Stops by you ("Stop generating") and Cloudflare's checks are not counted. The problem isn't your computer.
explain-nothing-wrong = Nothing Gatewatch can see points to trouble: Cloudflare answers, and so do OpenAI's other doors and its status page. It cannot look all the way through chatgpt.com from your network (see below), so this is a limited view.

## A limited view: chatgpt.com will not show Gatewatch what it shows a browser.

limited-challenge-short = limited view: chatgpt.com asks Gatewatch for a browser check
limited-refused-short = limited view: chatgpt.com refuses Gatewatch's requests
# The limited view named alone, in the tray's tooltip ("Nothing points to trouble (FRA); limited view
# · since 2:05 PM"): the menu's status line and the window say why.
limited-view = limited view
limited-challenge = Limited view: from your network, chatgpt.com answers Gatewatch's requests with a "verify you are human" check, which only a browser can pass (Cloudflare does this to programs on many networks, VPNs and data centres especially). Such a request never reaches OpenAI's servers, so Gatewatch judges from the rest: Cloudflare's edge, OpenAI's API, the phone apps' route and OpenAI's status page. It says nothing about your browser, which may well get through.
limited-refused = Limited view: from your network, chatgpt.com refuses Gatewatch's requests without saying why (a bare 403, or an empty 404). Such a request never reaches OpenAI's servers, so Gatewatch judges from the rest: Cloudflare's edge, OpenAI's API, the phone apps' route and OpenAI's status page. It says nothing about your browser, which may well get through.
limited-network-short = limited view: this network blocks chatgpt.com
limited-network = Limited view: your network blocks chatgpt.com, so Gatewatch cannot look at ChatGPT itself from here. It judges from what still gets through: OpenAI's status page and those of OpenAI's doors the network lets pass.

## A network that blocks ChatGPT: how, in a few words, and what is known of ChatGPT beyond the block.

block-how-filter-page = the network's web filter answers in ChatGPT's place
block-how-proxy-policy = the proxy refuses to connect to ChatGPT
block-how-dns-answer = the network's DNS hides ChatGPT's address
block-how-reset = the network cuts the connection when it sees ChatGPT's name
block-how-foreign-certificate = a block server answers in ChatGPT's place
# After "This network blocks ChatGPT." — what OpenAI's status page (page) or OpenAI's other doors (doors) show.
beyond-page-up = OpenAI reports no problem
beyond-page-degraded = OpenAI reports a problem with ChatGPT
beyond-page-down = OpenAI reports an outage
beyond-doors-up = OpenAI's other doors answer normally
beyond-doors-degraded = some of OpenAI's other doors fail
beyond-doors-down = OpenAI's other doors fail too
beyond-unknown = nothing gets through to show whether ChatGPT itself is up

## What to do.

advice-phone-app = Try the ChatGPT phone app: it reaches OpenAI by another route and often keeps working (not always).
advice-phone-app-answers = Try the ChatGPT phone app: its route to OpenAI answers right now.
advice-reload = Reload the page in a minute.
advice-other-services = OpenAI's API still answers: tools built on it may keep working.
advice-wait = Nothing to fix on your side: wait, Gatewatch will tell you when it's back.
advice-status-page = See what OpenAI's status page says.
advice-check-connection = Check your Wi-Fi or cable, or restart your router.
advice-sign-in-to-network = Open any website in your browser and sign in to the network's login page.
advice-open-in-browser = Open chatgpt.com in your browser and complete the check.
advice-change-network = Turn off your VPN or proxy, or try another network (such as your phone's data).
advice-wait-for-limit = Wait a few minutes before trying again.
advice-proxy-settings = Check the proxy in Gatewatch's settings: its address, and your user name and password if it needs them (http://user:password@host:port). Proxy scripts (PAC) are not read: set the proxy's own address.
advice-mobile-data = Use your phone's mobile data instead of this network, or the ChatGPT phone app on mobile data.
advice-ask-administrator = Ask the network's administrator (your IT department, your school) whether ChatGPT is allowed here.
advice-vpn-if-allowed = A VPN gets around the block, but use one only where the network's rules allow it.

## What a status code means, in a few words.

http-500 = internal server error
http-502 = bad gateway
http-503 = service unavailable
http-504 = gateway timeout
http-520 = empty or unexpected answer from OpenAI
http-521 = OpenAI refused the connection
http-522 = connection to OpenAI timed out
http-523 = OpenAI unreachable
http-524 = OpenAI took too long to answer
http-525 = secure handshake with OpenAI failed
http-526 = invalid certificate at OpenAI
http-530 = OpenAI's address could not be resolved
http-403 = forbidden
http-429 = too many requests

## One-line summaries: "ChatGPT is down — Cloudflare can't reach OpenAI (521, FRA)".

summary = { $headline } — { $cause }
# Behind a block: "This network blocks ChatGPT. OpenAI reports no problem."
summary-network-block = { $headline }. { $beyond }.
# The cause with its tags in brackets: the status code and Cloudflare's data centre.
cause-tagged = { $cause } ({ $tags })
# Between the tags in brackets ("502, FRA"), and the items of any short list.
list-separator = { ", " }
# A Cloudflare error number among the tags: "error 1020".
tag-cf-code = error { $code }
# The limited view's reason after the cause.
cause-limited = { $cause }; { $limited }

## Network errors.

net-dns = the name did not resolve (DNS)
net-connect = the connection was refused
net-timeout = no answer in time
net-reset = the connection was cut
net-tls = the secure connection failed (TLS)
net-protocol = the answer was not valid HTTP
net-proxy-auth = the proxy wants a login (407)
net-proxy-refused = the proxy would not connect

## What Gatewatch asked.

# Each is only ever the subject that starts evidence-slow ("Cloudflare's edge took 2300 ms (slow
# above 2000 ms)."): write it to begin a sentence.
target-edge = Cloudflare's edge
target-status-page = The status page
target-control = A control site
target-app = The phone apps' route

## Evidence: one fact each, as a sentence.

evidence-edge-answered-from = Cloudflare's edge answered from { $colo } ({ $ms } ms).
evidence-edge-answered = Cloudflare's edge answered ({ $ms } ms).
evidence-edge-not-trace = Something answered Cloudflare's address with { $status } but it was not Cloudflare.
evidence-edge-http-error = Cloudflare's edge answered Gatewatch's check with error { $status }.
evidence-edge-failed = Cloudflare's edge did not answer: { $error }.
# chatgpt.com's answer, built from parts: "chatgpt.com answered 502 (bad gateway) with
# Cloudflare's error page, via FRA (40 ms)."
evidence-origin-answered = chatgpt.com answered { $status }{ $meaning }{ $kind }{ $code }{ $colo } ({ $ms } ms).
evidence-meaning = { " " }({ $meaning })
evidence-kind-cloudflare-page = { " " }with Cloudflare's error page
evidence-kind-challenge = { " " }with a "verify you are human" check
evidence-kind-openai = { " " }from OpenAI's own servers
evidence-error-code = , error code { $code }
evidence-via = , via { $colo }
evidence-origin-failed = chatgpt.com did not answer: { $error } ({ $ms } ms).
evidence-api-alive = api.openai.com answers: OpenAI's API is alive ({ $ms } ms).
evidence-api-http-error = api.openai.com answered with error { $status }.
evidence-api-failed = api.openai.com did not answer: { $error }.
evidence-control-answered = A site unrelated to OpenAI and Cloudflare answers: your internet works.
evidence-control-replaced = The known-answer check (an empty answer expected from a site unrelated to OpenAI) came back as something else ({ $status }): your network answers in the internet's place.
evidence-answered-in-place = { $target } was answered by something other than its own servers ({ $status }): not counted as its answer.
# A block, read from one of OpenAI's doors ($target: chatgpt.com…). $detail is a status code, an
# address or a certificate's names; $vendor is empty or ", from Fortinet".
evidence-block-filter-page = { $target } was answered by a page that did not come through Cloudflare ({ $detail }){ $vendor }: a web filter's block page.
evidence-block-proxy-policy = Your proxy refused to connect to { $target } ({ $detail }){ $vendor }, while it lets other sites through.
evidence-block-dns-answer = { $target } resolved to { $detail }, which is not one of Cloudflare's addresses{ $vendor }: the network's DNS blocks it.
evidence-block-dns-nxdomain = The network's DNS says { $target } does not exist, while other names resolve: it blocks it.
evidence-block-reset = The connection to { $target } ({ $detail }) was cut as soon as Gatewatch named the site, while the same address answers for other names.
evidence-block-foreign-certificate = { $target } was answered by a server outside Cloudflare with a certificate for another name ({ $detail }){ $vendor }: a block server.
evidence-by-vendor = , from { $vendor }
evidence-limited-network = Your network blocks it ({ $status }): Gatewatch judges from what still gets through.
evidence-control-failed = A site unrelated to OpenAI did not answer either: { $error }.
evidence-slow = { $target } took { $ms } ms (slow above { $limit } ms).
# The status page: "OpenAI's status page shows a minor problem, 2 open incidents, affecting ChatGPT."
evidence-status-page = OpenAI's status page shows { $state }{ $incidents }{ $chatgpt }
indicator-none = all green
indicator-minor = a minor problem
indicator-major = a major problem
indicator-critical = a critical problem
indicator-maintenance = maintenance
indicator-unknown = an unknown state
evidence-open-incidents = , { $n ->
    [one] { $n } open incident
   *[other] { $n } open incidents
}
evidence-chatgpt-major = , with part of ChatGPT fully down.
evidence-chatgpt-partial = , with part of ChatGPT failing for some users.
evidence-chatgpt-affected = , affecting ChatGPT.
evidence-chatgpt-unaffected = , nothing about ChatGPT.
evidence-limited-challenge = That check is meant for browsers ({ $status }) and never reaches OpenAI's servers: Gatewatch judges from the other checks.
evidence-limited-refused = That refusal gives no reason ({ $status }) and never reaches OpenAI's servers: Gatewatch judges from the other checks.
evidence-app-answers = The phone apps' route to OpenAI (ios.chat.openai.com) answers ({ $ms } ms).
evidence-app-fails = The phone apps' route to OpenAI (ios.chat.openai.com) fails too: it answered { $status }{ $meaning } ({ $ms } ms).
evidence-app-refuses = The phone apps' route to OpenAI (ios.chat.openai.com) answered { $status }: it refuses Gatewatch's request, which says nothing of the apps ({ $ms } ms).
evidence-app-failed = The phone apps' route to OpenAI (ios.chat.openai.com) did not answer: { $error } ({ $ms } ms).
evidence-app-silent = The phone apps' route to OpenAI (ios.chat.openai.com) did not answer ({ $ms } ms).
evidence-phone-apps = OpenAI's status page shows the phone apps { $state }.
evidence-retry-after = chatgpt.com asked Gatewatch to wait { $wait } before checking again (Retry-After): it waits at least that long, 15 minutes at most.
component-operational = working
component-degraded = slow
component-partial-outage = partly down
component-major-outage = down
component-maintenance = under maintenance
component-unknown = in an unknown state

## The tray: its tooltip and menu.

# After the cause: "· since 2:05 PM".
since-time = since { $time }
# A line and since when, in the tray's tooltip and menu: "ChatGPT is down — … · since 2:05 PM".
line-since = { $line } · { $since }
# A paused tray: "Paused — ChatGPT is up".
paused-line = Paused — { $line }
menu-checking = Checking…
menu-check-now = Check now
menu-whats-going-on = What's going on?
menu-open-chatgpt = Open ChatGPT
menu-open-status-page = Open OpenAI's status page
menu-snooze = Snooze notifications
menu-snooze-hour = For 1 hour
menu-snooze-until-back = Until ChatGPT is back
menu-notify-again = Notify me again
menu-notify-again-at = Notify me again (snoozed until { $time })
menu-settings = Settings…
menu-start-at-login = Start at login
menu-quit = Quit Gatewatch
# Why the details window is not there, in the tray menu; $reason is one of the window-* messages
# below (the system's own words go to the log).
explainer-could-not-start = The details window could not open: { $reason }
explainer-stopped = The details window stopped: { $reason }
window-missing = its program is not installed beside Gatewatch
window-cannot-run = the system would not start its program
# $library is a file name, such as WebKitGTK's "libwebkit2gtk-4.1.so.0".
window-library = a library it needs is missing ({ $library })
window-no-display = there is no display to show it on
window-no-webview2 = Microsoft's WebView2 Runtime is missing: install it from { $url }
# How it ended, when it said nothing Gatewatch knows: its exit code, the signal that ended it.
window-exited = exit code { $code }
window-killed = killed by signal { $signal }
window-ended = it ended without saying why
window-no-channel = Gatewatch has no local channel to talk to it

## Notifications.

notify-settings-reset = Gatewatch: settings reset
# In the window, when settings just saved could not be put to use.
warning-settings-not-applied = The new settings could not be applied: Gatewatch goes on checking with the ones it had (its log says why).
# A file of Gatewatch's (settings.json, history.json) it could not use; $file is its name, $backup
# where the damaged one was put; $why is one of io-* below.
store-damaged = { $file } was damaged; it is kept as { $backup }.
store-unreadable = { $file } could not be read: { $why }.
store-unwritable = { $file } could not be saved: { $why }.
# Why the system would not read or write a file (its own words go to the log).
io-denied = permission denied
io-full = the disk is full
io-read-only = the disk is read-only
io-missing = its folder is missing
io-other = the system refused (the log says how)
# What Gatewatch did about it; $problem is one of store-* above; in store-then-kept-unsaved, $why
# is store-unwritable.
store-then-defaults = { $problem } The default settings are used.
store-then-new-history = { $problem } A new history begins.
store-then-kept = { $problem } The settings in use were kept and saved again.
store-then-kept-unsaved = { $problem } The settings in use were kept. { $why }
notify-open = Open Gatewatch
# "Cloudflare can't reach OpenAI (521, FRA) — try the phone app. The API still answers. Since 2:05 PM."
notify-down-body = { $cause } — { $tip }{ $api } Since { $time }.
notify-api-answers = { " " }The API still answers.
notify-tip-wait = wait, or try the phone app.
notify-tip-phone = try the phone app.
notify-back-title = ChatGPT is back
notify-back-body = It was down for { $duration } (since { $time }).
notify-cause-title = { $headline } — new cause
notify-cause-body = { $cause } — { $tip } Down since { $time }.
notify-still-down-title = { $headline } for { $duration }
notify-still-down-body = { $cause } — { $tip }
notify-flapping-title = ChatGPT is unstable
notify-flapping-body = { $n ->
    [one] It went down once within { $window }.
   *[other] It went down { $n } times within { $window }.
} Gatewatch will stay quiet until it settles, then send a summary.
notify-stable-down-title = ChatGPT is no longer unstable, but it is down
notify-stable-title = ChatGPT is stable again
notify-stable-body = Meanwhile: { $n ->
    [one] one outage
   *[other] { $n } outages
}, { $duration } down in total.
# Once, when Gatewatch first finds that the network blocks ChatGPT: "The network's web filter
# answers in ChatGPT's place (Fortinet). OpenAI reports no problem. …"
notify-network-blocks-title = This network blocks ChatGPT
notify-network-blocks-body = { $how }. { $beyond }. Use mobile data or the phone app on mobile data to reach it.

## The command line.

cli-saw = What Gatewatch saw:
# $error says why: how it failed to answer (net-* above), or one of page-error-* below.
cli-status-page-unreadable = Status page unreadable: { $error }
# Why the status page could not be read, after "Status page unreadable: " (and the window's page_error).
page-error-http = it answered with error { $status }
page-error-unreadable = its answer is not the JSON Gatewatch reads
page-error-too-large = its answer is larger than the { $kib } KiB Gatewatch reads
cli-incident = Incident: { $name } ({ $status }) { $link }
cli-todo = What to do:
cli-uptime = Uptime: 24 h { $day } · 7 d { $week }
cli-no-outages = No outages recorded.
cli-outages = Outages, newest first:
cli-ongoing = ongoing
# `gatewatch watch`, after an outage: "back after 7 min".
cli-back-after = back after { $duration }
# `gatewatch watch`, its line with such a note: "ChatGPT is up — … — back after 7 min".
cli-with-note = { $line } — { $note }
# `gatewatch watch --format waybar`'s tooltip.
cli-since = Since { $time }
# `gatewatch history`: time the network blocked ChatGPT, kept apart from uptime.
cli-network-blocked = Blocked on your network: 24 h { $day } · 7 d { $week }

## Your browser: what Gatewatch's browser extension saw of your own chatgpt.com requests.

# $failed of the last $recent counted requests failed; $what is one of the browser-failure-*
# messages below.
evidence-browser-fails = In your browser, { $failed } of the last { $recent ->
    [one] ChatGPT request
   *[other] { $recent } ChatGPT requests
} failed: { $what }.
evidence-browser-answers = In your browser, ChatGPT answers: { $answered } of the last { $recent ->
    [one] request
   *[other] { $recent } requests
} went through.
evidence-browser-quiet = Your browser's recent ChatGPT requests say nothing either way (stops by you and Cloudflare's checks are not counted).
# What failed, after "failed: ". $status is an HTTP status code.
browser-failure-gateway = a { $status } from Cloudflare, which got no valid answer from OpenAI's servers
browser-failure-origin = a { $status } error from OpenAI's servers
browser-failure-cut = answers cut off midway
browser-failure-reset = the connection was reset
browser-failure-closed = the connection closed before an answer
browser-failure-timeout = no answer in time
browser-failure-protocol = the connection broke (a protocol error)
browser-failure-other = the request failed
# The banner's title on chatgpt.com's own error page, when Gatewatch does not say ChatGPT is down.
banner-error-page = chatgpt.com sent an error page

## Updates.

# The notification's title and the tray menu's line: "Gatewatch 0.3.0 is available".
update-available = Gatewatch { $version } is available
# How to get the new version, by how this copy was installed. $url is the download page.
update-how-installer = Choose "Install update" in Gatewatch's menu to install it.
update-how-apt = Your package manager brings it: sudo apt update && sudo apt upgrade
update-how-dnf = Your package manager brings it: sudo dnf upgrade gatewatch
update-how-page = Download it from { $url }
# At first start: what the daily check is, and how to turn it off (the names of the setting
# and its choice are the Settings page's: s_updates and s_updates_off in explainer.ftl).
update-daily-title = Gatewatch checks for new versions
update-daily-body = Once a day it asks GitHub whether a newer Gatewatch exists; GitHub sees your IP address and which version you have. Nothing is installed unless you ask. To turn it off, set "Check for new versions" to "Never" in Settings.
# The answers to "Check for updates" in the menu.
update-up-to-date-title = Gatewatch is up to date
update-up-to-date = { $version } is the newest version.
update-failed-title = Could not check for updates
# $reason is one of update-error-* below.
update-check-failed = Gatewatch will try again tomorrow. ({ $reason })
# The tray menu.
update-menu-check = Check for updates
update-menu-checking = Checking for updates…
# The menu's checkbox for the daily check (the Settings page's s_updates, as a switch).
update-menu-daily = Check for new versions daily
update-menu-install = Install update
update-menu-installing = Installing Gatewatch { $version }…
update-menu-release-page = Open the download page
update-menu-skip = Skip this version
# When "Install update" failed: a notification, and the menu's line. $reason as above.
update-install-failed-title = The update was not installed
update-install-failed = Update not installed: { $reason }
# Why a check or an update failed, after "Gatewatch will try again tomorrow. (" and "Update not
# installed: " above, and on the Settings page (update_error). The log has the addresses and the
# details. $error in update-error-no-answer is one of net-* above.
update-error-off = update checks are turned off
update-error-address = the address of the release manifest cannot be used (see the update_url setting)
update-error-http = the release server answered with error { $status }
update-error-no-answer = the release server did not answer: { $error }
update-error-too-large = the release server's answer is larger than Gatewatch reads
update-error-redirect = the release server sent Gatewatch to an address it does not follow
update-error-signature = the release is not signed with Gatewatch's key, or was changed after it was signed
update-error-mismatch = the release's signature is for another version or another file
update-error-manifest = the release manifest cannot be read
update-error-downgrade = the release offered ({ $offered }) is older than this version ({ $running })
update-error-no-platform = the release has no download for this system
update-error-disk = the download could not be saved on this computer
update-error-not-here = Gatewatch does not install itself on this system
update-error-installer-refused = Windows did not start the installer (an antivirus or Smart App Control may have blocked it)
update-error-installer-ended = the installer ended without installing (exit code { $code })
# `gatewatch update --check`.
update-cli-available = Gatewatch { $version } is available (you have { $current }).
update-cli-up-to-date = Gatewatch { $version } is the newest version.
update-cli-notes = What's new:

## Notices sent elsewhere: Slack, Discord, Microsoft Teams, JSON webhooks, ntfy.

# One line for services that show one line: "ChatGPT is down: Cloudflare can't reach OpenAI (521, FRA) — try the phone app. Since 2:05 PM."
alert-sentence = { $title }: { $body }
# Added when a notice goes out late (it waited while this computer's network or the channel was away).
alert-late = Sent late: this happened at { $time }.
# The facts beside a message, as labels: "Cause: …", "Since: 2:05 PM", "What to do: …".
alert-field-cause = Cause
alert-field-since = Since
alert-field-advice = What to do
# The link under each message.
alert-status-page = OpenAI's status page
# "Send a test" on the Settings page.
alert-test-title = Gatewatch: a test
alert-test-body = This channel will get Gatewatch's notices about ChatGPT.
alert-test-body-now = This channel will get Gatewatch's notices about ChatGPT. Right now: { $now }
# The tray menu and the Settings page, once, when a channel's notices do not go through: "Notices to Slack (hooks.slack.com) fail: it answered with error 404".
channel-failing = Notices to { $channel } fail: { $why }
# `gatewatch wait`: still not up when its time ran out, or it could not tell.
cli-wait-timeout = ChatGPT is still not up after { $duration }.
cli-wait-unknown = Gatewatch could not tell whether ChatGPT is up within { $duration }.
