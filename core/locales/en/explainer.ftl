# Gatewatch — the explainer window's own words (the diagnosis itself comes worded from
# gatewatch.ftl). Same rules: translate right of "=", keep ids and { $variables }.


## The window: its pages and buttons.

nav_status = Status
nav_history = History
nav_settings = Settings
language = Language
checking = Checking…
check_now = Check now
checking_now = Checking…
snooze_hour = Snooze 1 h
snooze_recovered = Quiet until it's back
unsnooze = Notify me again
why = Why
evidence = What Gatewatch saw
official = What OpenAI says
todo = What to do
open_status = Open OpenAI's status page
open_chatgpt = Open ChatGPT
phone_text = The ChatGPT phone app reaches OpenAI by another route and often keeps working when the website does not. It is not guaranteed.
qr_iphone = (iPhone, iPad)
qr_android = (Android)
qr_hint = Point your phone's camera at a code to open the store page.
qr_label = QR code for the ChatGPT app on { $store }

## The path: you → your network → (your proxy) → Cloudflare → OpenAI.

hop_you = You
hop_network = Your network
hop_proxy = Your proxy
hop_filter = Your network's filter
hop_edge = Cloudflare (the switchboard)
hop_origin = OpenAI's servers (the office)
hop_ok = working
hop_failed = failing here
hop_unknown = can't tell
hop_refusing = won't let you in
hop_blocking = blocks ChatGPT

## The status page of the window.

since = Since { $time } ({ $dur })
down_since = Down since { $time } ({ $dur })
last_check = Last check { $time }
# Between the short notes of one line ("Last check 2:05 PM · Checks are paused."), and in a bar's
# details.
sep_parts = { " · " }
snoozed_until = Notifications snoozed until { $time }.
snoozed_recovered = Notifications snoozed until ChatGPT is back.
flapping = ChatGPT keeps going down and coming back.
paused = Checks are paused.
page_none = No status page information yet.
page_error = The status page could not be read: { $err }
page_lag = ChatGPT has been failing for { $dur } and the status page still shows nothing.
page_says = Status page: { $desc }
# Between two sentences shown as one paragraph (Japanese needs no space after 。).
sep_sentences = { " " }
incident = { $name } — { $status }

## History.

uptime_24h = Uptime, 24 h
uptime_7d = Uptime, 7 days
latency_note = Median { $median } ms, slowest { $max } ms ({ $n ->
    [one] { $n } check
   *[other] { $n } checks
}).
no_latency = No measurements yet.
outages = Outages
col_start = Start
col_duration = Duration
col_what = What
ongoing = ongoing
no_outages = No outages recorded.

## Settings.

checking_legend = Checking
notifications_legend = Notifications
probes_legend = What to check
general_legend = General
s_poll = Check every (seconds)
s_down_poll = While down, check every (seconds)
s_recheck = Re-check after a first failure (seconds)
s_failure = Bad checks before "down"
s_success = Good checks before "back"
s_timeout = Give up on a request after (seconds)
s_slow = Slow above (milliseconds)
s_notifications = Notify me when ChatGPT goes down or comes back
s_reminder = Remind me while down, every (minutes, 0 = never)
p_edge = Cloudflare's edge
p_api = OpenAI's API
p_status = OpenAI's status page
p_control = An unrelated site, to spot your own outages
lang_auto = System
s_login = Start at login
advanced = Advanced: endpoints
e_status = Status page
e_control = Control site
p_app = The phone apps' route to OpenAI
e_app = Phone apps' host
s_proxy = Proxy
# "system" and "none" are values to type as they are: keep them untranslated (in your quotation marks).
s_proxy_help = "system" (your computer's setting), "none", or a proxy's address such as http://user:password@proxy.example:3128 (also https:// and socks5://). Proxy scripts (PAC) are not read: give the proxy's own address.

## Reporting a wrong diagnosis.

report_title = Report a wrong diagnosis
copy_report = Copy report
report_copied = Copied.
report_select = Selected: press Ctrl+C to copy.
report_hint = If Gatewatch got it wrong, send this with your bug report: what each check answered, with your IP address removed.

## The phone apps' route.

hop_hidden = can't see from here
route_answers = Measured just now: the phone apps' route to OpenAI answers ({ $ms } ms).
route_fails = Measured just now: the phone apps' route fails too ({ $status }).
route_refuses = The phone apps' route refuses Gatewatch's own request, so Gatewatch can't tell whether the apps work.
route_unreachable = Measured just now: the phone apps' route does not answer.
apps_page = OpenAI's status page shows the phone apps: { $state }.
app_state_operational = working
app_state_degraded_performance = slow
app_state_partial_outage = partly down
app_state_major_outage = down
app_state_under_maintenance = under maintenance
app_state_unknown = in an unknown state

## Saving settings.

saved = Saved.
save = Save
not_number = { $field }: enter a number.
error_prefix = Could not save:

## History: uptime bars and the response-time chart.

uptime_30d = Uptime, 30 days
uptime_90d = Uptime, 90 days
bars_title = Uptime at a glance
bars_hint = Point at a bar, or focus a row and use the arrow keys, to see its details.
bars_day = Last 24 hours, 15 minutes a bar
bars_week = Last 7 days, one hour a bar
bars_quarter = Last 90 days, one day a bar
state_up = working
state_degraded = slow or partly failing
state_down = down
state_unknown = couldn't tell
state_network = blocked on your network
state_none = not watched
cell_uptime = uptime { $pct }
cell_checks = { $n ->
    [one] { $n } check
   *[other] { $n } checks
}
cell_no_data = no checks
# A bar's period and what it was: "Dec 3, 2:00–2:15 PM: down".
cell_state = { $period }: { $state }
cell_latency = median { $median } ms, slowest { $max } ms
# An outage in a bar's details: $what is its cause with tags ("Cloudflare can't reach OpenAI (502,
# FRA)"); $time is when it began: a time of day ("2:05 PM"), or a date and time ("Dec 3, 2:05 PM")
# when it began before the bar; $dur is how long it lasted ("7 min").
cell_outage = { $what }, from { $time } for { $dur }
# Between the outages in one bar's details.
sep_clauses = { "; " }
cell_down = down for { $dur }
cell_network = blocked on your network for { $dur }
chart_title = Response time
range_label = Period
range_day = 24 hours
range_week = 7 days
chart_svg_title_day = Response time over the last 24 hours
chart_svg_title_week = Response time over the last 7 days
chart_desc = The line is the median response time per { $bucket }, the light band up to the slowest check: typically { $median } ms, at worst { $max } ms.
chart_outages = { $n ->
    [one] One outage is shaded and labelled by its cause; the Outages table below lists it.
   *[other] { $n } outages are shaded and labelled by cause; the Outages table below lists them.
}
chart_no_outages = No outages in this period.
# An outage's band on the chart, when pointed at: its cause, and when it began (a date and time).
outage_title = { $what } — { $time }
bucket_quarter = 15 minutes
bucket_hour = hour
axis_ms = ms
legend_median = median
legend_slowest = slowest
legend_outage = outage

## Updates.

# Advanced: the address of the release manifest (latest.json).
e_update = New versions (manifest)
updates_legend = Updates
s_updates = Check for new versions
s_updates_notify = Once a day, and tell me
s_updates_off = Never
s_updates_help = Once a day Gatewatch asks GitHub whether a newer version exists; GitHub sees your IP address and which version you have. Nothing is installed unless you ask.
# "Gatewatch 0.3.0 is available."
update_available = Gatewatch { $version } is available.
update_skipped = You chose to skip this version.
update_current = You have the newest version ({ $version }).
# $error is in English, or the system's language.
update_error = The last check for updates failed: { $error }
update_off_note = Update checks are off.
update_notes = What's new

## Settings: notifications elsewhere (Slack, Discord, Microsoft Teams, JSON webhooks, ntfy).

channels_legend = Notifications elsewhere
channels_help = The same notices, to a Slack, Discord or Microsoft Teams channel, a JSON webhook, or your phone through ntfy. Their addresses are secrets: Gatewatch keeps them in its settings file only.
channel_add = Add a channel
channel_kind = Service
channel_url = Address (webhook URL, or ntfy server and topic)
channel_token = Access token (optional)
channel_notices = Which notices
notice_down = Down
notice_recovered = Back
notice_cause = Cause changed
notice_still_down = Still down (reminders)
notice_flapping = Unstable
notice_stable = Stable again
notice_network_blocks = A network blocks ChatGPT
channel_test = Send a test
channel_remove = Remove
channel_unsaved = Not saved yet.
channel_testing = Sending a test…
channel_test_ok = Test sent at { $time }.
channel_test_failed = The test did not go through: { $why }
channel_failing = Notices do not go through: { $why }
channel_working = Last notice sent at { $time }.
channel_untried = Nothing sent yet.
channel_waiting = { $n ->
    [one] One notice waits to go.
   *[other] { $n } notices wait to go.
}

## Settings: the browser extension (Chromium, Google Chrome, Microsoft Edge, Firefox).
## $kinds: the sandboxed packages' names (Flatpak, Snap); $why: a file's path and the system's words, in English or the system's language.

browsers_legend = In your browser
browsers_help = Gatewatch's browser extension tells it how ChatGPT answers in your own browser. To reach Gatewatch, each browser needs a small file that names Gatewatch's helper; Gatewatch writes it at start for each browser you have used.
browser_registered = Set up: the extension can reach Gatewatch.
browser_system = Set up for everyone on this computer: the extension can reach Gatewatch.
browser_not_found = Not found: never opened on this account.
browser_sandboxed = Only a sandboxed version ({ $kinds }) was found. It is not supported: it cannot start programs outside its sandbox.
browser_failed = Could not be set up: { $why }
browser_sandbox_also = Its sandboxed version ({ $kinds }) is not supported: it cannot start programs outside its sandbox.
browser_snap_portal = As a Snap, Firefox asks you once to let the extension reach Gatewatch.
browser_connected = The extension is connected now.
browsers_connected = { $n ->
    [0] No browser extension is connected right now.
    [one] The extension is connected now, in one browser.
   *[other] The extension is connected now, in { $n } browsers.
}
browsers_no_host = Gatewatch's browser helper is missing ({ $path }), so no browser was set up.
browsers_other = No browser was set up: { $why }
