# Gatewatch — die Texte des Fensters (die Diagnose selbst kommt fertig aus gatewatch.ftl).


## Das Fenster: seine Seiten und Schaltflächen.

nav_status = Status
nav_history = Verlauf
nav_settings = Einstellungen
language = Sprache
checking = Wird geprüft…
check_now = Jetzt prüfen
checking_now = Prüfe…
snooze_hour = 1 Std. stumm
snooze_recovered = Stumm, bis es wieder geht
unsnooze = Wieder benachrichtigen
why = Warum
evidence = Was Gatewatch gesehen hat
official = Was OpenAI sagt
todo = Was du tun kannst
open_status = Statusseite von OpenAI öffnen
open_chatgpt = ChatGPT öffnen
phone_text = Die ChatGPT-App auf dem Handy erreicht OpenAI auf einem anderen Weg und funktioniert oft noch, wenn die Website streikt. Garantiert ist das nicht.
qr_iphone = (iPhone, iPad)
qr_android = (Android)
qr_hint = Richte die Kamera deines Handys auf einen Code, um die Seite im App-Store zu öffnen.
qr_label = QR-Code für die ChatGPT-App ({ $store })

## Der Weg: du → dein Netzwerk → (dein Proxy) → Cloudflare → OpenAI.

hop_you = Du
hop_network = Dein Netzwerk
hop_proxy = Dein Proxy
hop_filter = Der Filter deines Netzwerks
hop_edge = Cloudflare (die Zentrale)
hop_origin = Server von OpenAI (das Büro)
hop_ok = funktioniert
hop_failed = Fehler hier
hop_unknown = unklar
hop_refusing = lässt dich nicht rein
hop_blocking = sperrt ChatGPT

## Die Statusseite des Fensters.

since = Seit { $time } ({ $dur })
down_since = Ausgefallen seit { $time } ({ $dur })
last_check = Letzte Prüfung { $time }
sep_parts = { " · " }
snoozed_until = Benachrichtigungen stumm bis { $time }.
snoozed_recovered = Benachrichtigungen stumm, bis ChatGPT wieder da ist.
flapping = ChatGPT fällt immer wieder aus und kommt zurück.
paused = Die Prüfungen sind pausiert.
page_none = Noch keine Angaben von der Statusseite.
page_error = Die Statusseite ließ sich nicht lesen: { $err }
page_lag = ChatGPT hat schon { $dur } lang Probleme, und die Statusseite zeigt noch nichts.
page_says = Statusseite: { $desc }
sep_sentences = { " " }
incident = { $name } — { $status }

## Verlauf.

uptime_24h = Verfügbarkeit, 24 Std.
uptime_7d = Verfügbarkeit, 7 Tage
latency_note = Median { $median } ms, Maximum { $max } ms ({ $n ->
    [one] { $n } Prüfung
   *[other] { $n } Prüfungen
}).
no_latency = Noch keine Messungen.
outages = Ausfälle
col_start = Beginn
col_duration = Dauer
col_what = Was
ongoing = dauert an
no_outages = Keine Ausfälle aufgezeichnet.

## Einstellungen.

checking_legend = Prüfen
notifications_legend = Benachrichtigungen
probes_legend = Was geprüft wird
general_legend = Allgemein
s_poll = Prüfintervall (Sekunden)
s_down_poll = Prüfintervall bei Ausfall (Sekunden)
s_recheck = Erneute Prüfung nach erstem Fehler (Sekunden)
s_failure = Fehlgeschlagene Prüfungen bis „ausgefallen“
s_success = Erfolgreiche Prüfungen bis „wieder da“
s_timeout = Eine Anfrage aufgeben nach (Sekunden)
s_slow = Langsam ab (Millisekunden)
s_notifications = Benachrichtigen, wenn ChatGPT ausfällt oder wieder da ist
s_reminder = Während eines Ausfalls erinnern, alle (Minuten, 0 = nie)
p_edge = Der Cloudflare-Knoten
p_api = Die API von OpenAI
p_status = Die Statusseite von OpenAI
p_control = Eine fremde Website, um eigene Ausfälle zu erkennen
lang_auto = System
s_login = Bei der Anmeldung starten
advanced = Erweitert: Adressen
e_status = Statusseite
e_control = Vergleichs-Website
p_app = Der Weg der Handy-Apps zu OpenAI
e_app = Host der Handy-Apps
s_proxy = Proxy
s_proxy_help = „system“ (die Einstellung deines Computers), „none“ (kein Proxy) oder die Adresse eines Proxys, etwa http://benutzer:passwort@proxy.example:3128 (auch https:// und socks5://). Proxy-Skripte (PAC) werden nicht gelesen: Gib die Adresse des Proxys selbst an.

## Eine falsche Diagnose melden.

report_title = Falsche Diagnose melden
copy_report = Bericht kopieren
report_copied = Kopiert.
report_select = Markiert: Drücke Strg+C zum Kopieren.
report_hint = Wenn Gatewatch falsch lag, schick das mit deiner Fehlermeldung: was jede Prüfung geantwortet hat, ohne deine IP-Adresse.

## Der Weg der Handy-Apps.

hop_hidden = von hier nicht sichtbar
route_answers = Gerade gemessen: Der Weg der Handy-Apps zu OpenAI antwortet ({ $ms } ms).
route_fails = Gerade gemessen: Auch der Weg der Handy-Apps hat Fehler ({ $status }).
route_refuses = Der Weg der Handy-Apps lehnt die Anfrage von Gatewatch ab, daher kann Gatewatch nicht sagen, ob die Apps funktionieren.
route_unreachable = Gerade gemessen: Der Weg der Handy-Apps antwortet nicht.
apps_page = Die Statusseite von OpenAI zu den Handy-Apps: { $state }.
app_state_operational = in Betrieb
app_state_degraded_performance = langsam
app_state_partial_outage = teilweise ausgefallen
app_state_major_outage = ausgefallen
app_state_under_maintenance = in Wartung
app_state_unknown = unbekannter Zustand

## Einstellungen speichern.

saved = Gespeichert.
save = Speichern
not_number = { $field }: Bitte eine Zahl eingeben.
error_prefix = Speichern fehlgeschlagen:

## Verlauf: Verfügbarkeitsbalken und Antwortzeit-Diagramm.

uptime_30d = Verfügbarkeit, 30 Tage
uptime_90d = Verfügbarkeit, 90 Tage
bars_title = Verfügbarkeit auf einen Blick
bars_hint = Zeig auf einen Balken, oder wähle eine Zeile und nutze die Pfeiltasten, um Details zu sehen.
bars_day = Letzte 24 Stunden, 15 Minuten pro Balken
bars_week = Letzte 7 Tage, eine Stunde pro Balken
bars_quarter = Letzte 90 Tage, ein Tag pro Balken
state_up = funktioniert
state_degraded = langsam oder teils gestört
state_down = ausgefallen
state_unknown = unklar
state_network = von deinem Netzwerk gesperrt
state_none = nicht beobachtet
cell_uptime = Verfügbarkeit { $pct }
cell_checks = { $n ->
    [one] { $n } Prüfung
   *[other] { $n } Prüfungen
}
cell_no_data = keine Prüfungen
cell_state = { $period }: { $state }
cell_latency = Median { $median } ms, Maximum { $max } ms
cell_outage = { $what }, ab { $time }, Dauer { $dur }
sep_clauses = { "; " }
cell_down = { $dur } lang ausgefallen
cell_network = { $dur } lang von deinem Netzwerk gesperrt
chart_title = Antwortzeit
range_label = Zeitraum
range_day = 24 Stunden
range_week = 7 Tage
chart_svg_title_day = Antwortzeit der letzten 24 Stunden
chart_svg_title_week = Antwortzeit der letzten 7 Tage
chart_desc = Die Linie zeigt die mittlere Antwortzeit (Median) pro { $bucket }, das helle Band reicht bis zur langsamsten Prüfung: meist { $median } ms, höchstens { $max } ms.
chart_outages = { $n ->
    [one] Ein Ausfall ist schattiert und nach seiner Ursache beschriftet; die Tabelle „Ausfälle“ unten führt ihn auf.
   *[other] { $n } Ausfälle sind schattiert und nach Ursache beschriftet; die Tabelle „Ausfälle“ unten führt sie auf.
}
chart_no_outages = Keine Ausfälle in diesem Zeitraum.
outage_title = { $what } — { $time }
bucket_quarter = 15 Minuten
bucket_hour = Stunde
axis_ms = ms
legend_median = Median
legend_slowest = langsamste Prüfung
legend_outage = Ausfall

## Updates.

e_update = Neue Versionen (Manifest)
updates_legend = Updates
s_updates = Nach neuen Versionen suchen
s_updates_notify = Einmal am Tag, mit Benachrichtigung
s_updates_off = Nie
s_updates_help = Einmal am Tag fragt Gatewatch bei GitHub, ob es eine neuere Version gibt; GitHub sieht dabei deine IP-Adresse und welche Version du hast. Installiert wird nur, wenn du es willst.
update_available = Gatewatch { $version } ist verfügbar.
update_skipped = Du hast diese Version übersprungen.
update_current = Du hast die neueste Version ({ $version }).
update_error = Die letzte Suche nach Updates ist fehlgeschlagen: { $error }
update_off_note = Die Suche nach Updates ist ausgeschaltet.
update_notes = Neu in dieser Version

## Einstellungen: Benachrichtigungen an andere Orte.

channels_legend = Benachrichtigungen an andere Orte
channels_help = Dieselben Benachrichtigungen an einen Slack-, Discord- oder Microsoft-Teams-Kanal, einen JSON-Webhook oder über ntfy an dein Handy. Ihre Adressen sind geheim: Gatewatch speichert sie nur in seiner Einstellungsdatei.
channel_add = Kanal hinzufügen
channel_kind = Dienst
channel_url = Adresse (Webhook-URL oder ntfy-Server und Thema)
channel_token = Zugriffstoken (optional)
channel_notices = Welche Benachrichtigungen
notice_down = Ausfall
notice_recovered = Wieder da
notice_cause = Ursache geändert
notice_still_down = Immer noch ausgefallen (Erinnerungen)
notice_flapping = Instabil
notice_stable = Wieder stabil
notice_network_blocks = Ein Netzwerk sperrt ChatGPT
channel_test = Test senden
channel_remove = Entfernen
channel_unsaved = Noch nicht gespeichert.
channel_testing = Test wird gesendet …
channel_test_ok = Test um { $time } gesendet.
channel_test_failed = Der Test kam nicht durch: { $why }
channel_failing = Benachrichtigungen kommen nicht durch: { $why }
channel_working = Letzte Benachrichtigung um { $time } gesendet.
channel_untried = Noch nichts gesendet.
channel_waiting = { $n ->
    [one] Eine Benachrichtigung wartet.
   *[other] { $n } Benachrichtigungen warten.
}

## Einstellungen: die Browser-Erweiterung (Chromium, Google Chrome, Microsoft Edge, Firefox).

browsers_legend = In deinem Browser
browsers_help = Die Browser-Erweiterung von Gatewatch meldet, wie ChatGPT in deinem eigenen Browser antwortet. Damit sie Gatewatch erreicht, braucht jeder Browser eine kleine Datei, die das Hilfsprogramm von Gatewatch nennt; Gatewatch legt sie beim Start für jeden Browser an, den du schon benutzt hast.
browser_registered = Eingerichtet: Die Erweiterung erreicht Gatewatch.
browser_system = Für alle auf diesem Computer eingerichtet: Die Erweiterung erreicht Gatewatch.
browser_not_found = Nicht gefunden: Unter diesem Konto nie geöffnet.
browser_sandboxed = Nur eine Sandbox-Version ({ $kinds }) gefunden. Sie wird nicht unterstützt: Sie kann keine Programme außerhalb ihrer Sandbox starten.
browser_failed = Konnte nicht eingerichtet werden: { $why }
browser_sandbox_also = Die Sandbox-Version ({ $kinds }) wird nicht unterstützt: Sie kann keine Programme außerhalb ihrer Sandbox starten.
browser_snap_portal = Als Snap fragt Firefox dich einmal, ob die Erweiterung Gatewatch erreichen darf.
browser_connected = Die Erweiterung ist gerade verbunden.
browsers_connected = { $n ->
    [0] Gerade ist keine Browser-Erweiterung verbunden.
    [one] Die Erweiterung ist gerade verbunden, in einem Browser.
   *[other] Die Erweiterung ist gerade verbunden, in { $n } Browsern.
}
browsers_no_host = Das Browser-Hilfsprogramm von Gatewatch fehlt ({ $path }), deshalb wurde kein Browser eingerichtet.
browsers_other = Kein Browser wurde eingerichtet: { $why }
