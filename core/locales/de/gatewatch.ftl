# Gatewatch — was das Symbol in der Taskleiste, die Benachrichtigungen, die Befehlszeile und die Diagnose sagen.
# Das Bild: Cloudflare ist die Telefonzentrale vor ChatGPT, die Server von OpenAI sind das Büro dahinter.

## Der Name der Sprache in ihr selbst.

language-name = Deutsch

## Uhrzeiten und Dauern.

clock = { $hour24 }:{ $minute }
duration-seconds = { $s } s
duration-minutes = { $m } Min.
duration-hours = { $h } Std.
duration-hours-minutes = { $h } Std. { $m } Min.
duration-days = { $d ->
    [one] { $d } Tag
   *[other] { $d } Tage
}
duration-days-hours = { $d ->
    [one] { $d } Tag
   *[other] { $d } Tage
} { $h } Std.

## Urteile: die Überschrift.

verdict-up = ChatGPT funktioniert
verdict-degraded = ChatGPT hat Probleme
verdict-down = ChatGPT ist ausgefallen
verdict-unreachable = ChatGPT ist nicht erreichbar
verdict-blocked = ChatGPT läuft, lässt dich aber nicht rein
verdict-offline = Du bist offline
verdict-unknown = Gerade nicht erkennbar
verdict-network-blocks = Dieses Netzwerk sperrt ChatGPT

## Die Ursachen in wenigen Worten.

cause-healthy = alles antwortet normal
cause-slow = die Antworten sind langsam
cause-partial-failure = einige Dienste von OpenAI fallen aus
cause-official-incident = OpenAI meldet eine Störung
cause-overload = die Server von OpenAI antworten Cloudflare nicht
cause-broken-link = Cloudflare erreicht OpenAI nicht
cause-origin-tls = die sichere Verbindung Cloudflare–OpenAI ist gestört
cause-maintenance = OpenAI führt Wartungsarbeiten durch
cause-origin-failure = die Server von OpenAI haben Fehler
cause-cloudflare-failure = Cloudflare selbst hat eine Störung
cause-cloudflare-unreachable = Cloudflare antwortet nicht
cause-challenge = eine Prüfung „Bist du ein Mensch?“
cause-access-denied = Zugriff für deine Verbindung verweigert
cause-rate-limited = zu viele Anfragen von deiner Adresse
cause-region = von deinem Standort aus nicht verfügbar
cause-captive-portal = dein Netzwerk möchte, dass du dich anmeldest
cause-your-network = deine Internetverbindung ist weg
cause-inconclusive = keine klare Ursache
cause-official-outage = die Statusseite von OpenAI meldet einen Ausfall
cause-proxy-login = dein Proxy verlangt eine Anmeldung
cause-proxy-failing = der Proxy deines Netzwerks erreicht das Internet nicht
cause-proxy-unreachable = dein Proxy antwortet nicht
cause-tls-intercepted = etwas in deinem Netzwerk fängt sichere Verbindungen ab
cause-network-blocks = dein Netzwerk sperrt ChatGPT
cause-conversations-fail = ChatGPT-Anfragen schlagen in deinem Browser fehl
cause-nothing-wrong = nichts deutet auf Probleme hin

## Die Ursachen erklärt: die Telefonzentrale und das Büro.

explain-healthy = Dein Netzwerk, Cloudflare (die Telefonzentrale vor ChatGPT) und die Server von OpenAI (das Büro dahinter) antworten alle normal.
explain-slow = Alles antwortet, aber langsam: Die Server von OpenAI sind wohl stark ausgelastet. Seiten laden vielleicht langsam oder brechen ab.
explain-partial-failure = Eine der Türen, die Gatewatch prüft, klemmt (die API von OpenAI, der Weg der Handy-Apps oder der Cloudflare-Knoten), die anderen antworten. Manche Funktionen gehen vielleicht nicht.
explain-official-incident = Die Statusseite von OpenAI meldet ein Problem mit ChatGPT. ChatGPT antwortet aber noch: Manche Funktionen gehen vielleicht nicht.
explain-overload = Cloudflare, die Telefonzentrale, hat geantwortet — aber das Büro dahinter, die Server von OpenAI, hat ihr keine gültige Antwort gegeben. Meist ist das Überlastung oder ein Fehler bei OpenAI. Es liegt nicht an deinem Computer.
explain-broken-link = Cloudflare, die Telefonzentrale, funktioniert, kommt aber überhaupt nicht zu den Servern von OpenAI durch: Die Leitung zwischen Zentrale und Büro ist unterbrochen, oder das Büro ist zu. Es liegt nicht an deinem Computer.
explain-origin-tls = Cloudflare kann keine sichere Verbindung zu den Servern von OpenAI aufbauen: ein Problem mit Zertifikaten oder Einstellungen bei OpenAI. Es liegt nicht an deinem Computer.
explain-maintenance = OpenAI hat Wartungsarbeiten angekündigt, und so lange antworten die Server nicht. Es liegt nicht an deinem Computer.
explain-origin-failure = Der Anruf ist bei den Servern von OpenAI angekommen, aber sie haben mit einem Fehler geantwortet: Im Büro ist etwas kaputt. Es liegt nicht an deinem Computer.
explain-cloudflare-failure = Cloudflare selbst hat eine Störung: Die Telefonzentrale vor ChatGPT (und vor vielen anderen Websites) ist kaputt, also kommt nichts bei OpenAI an. Es liegt nicht an deinem Computer.
explain-cloudflare-unreachable = Dein Internet funktioniert (andere Websites antworten), aber Cloudflare — die Telefonzentrale vor ChatGPT — antwortet überhaupt nicht.
explain-challenge = ChatGPT funktioniert. Cloudflare will prüfen, ob du ein Mensch bist („Just a moment...“), bevor es dich durchlässt. Das ist kein Ausfall.
explain-access-denied = ChatGPT funktioniert, aber Cloudflare lehnt Verbindungen von deiner Adresse ab (eine Firewall-Regel oder eine Adresse mit schlechtem Ruf, das passiert oft bei VPNs).
explain-rate-limited = ChatGPT funktioniert, begrenzt aber gerade die Anfragen von deiner Adresse. Die Sperre hebt sich von selbst wieder auf.
explain-region = ChatGPT funktioniert, lehnt aber deinen Standort ab: OpenAI bietet den Dienst in diesem Land nicht an oder sperrt die Adresse deines VPN oder Proxys.
explain-captive-portal = Dein Netzwerk fängt Verbindungen ab: Wahrscheinlich wartet eine WLAN-Anmeldeseite (Hotel, Zug, Flughafen) darauf, dass du dich anmeldest.
explain-your-network = Diesmal liegt es an deiner Verbindung: Keine Website antwortet, nicht nur ChatGPT. ChatGPT selbst läuft wahrscheinlich ganz normal.
explain-inconclusive = Die Antworten deuten auf keine klare Ursache hin. Gatewatch prüft weiter.
explain-official-outage = Die Statusseite von OpenAI meldet ChatGPT als ausgefallen. Gatewatch kann von deinem Netzwerk aus nicht durch chatgpt.com hindurchsehen, um das zu bestätigen, und nichts, was es sieht, spricht dagegen. Es liegt nicht an deinem Computer.
explain-proxy-login = Deine Anfragen laufen über einen Proxy (du → dein Netzwerk → dein Proxy → Cloudflare → OpenAI), und der Proxy verlangt Benutzername und Passwort, bevor er sie durchlässt (407). Über ChatGPT sagt das nichts.
explain-proxy-failing = Deine Anfragen laufen über den Proxy deines Netzwerks (du → dein Netzwerk → dein Proxy → Cloudflare → OpenAI). Der Proxy antwortet, aber mit eigenen Fehlern: Er erreicht das Internet nicht oder weigert sich. Gatewatch sieht nicht an ihm vorbei und kann daher nicht sagen, ob ChatGPT läuft.
explain-proxy-unreachable = Deine Anfragen sollen über einen Proxy laufen, und der Proxy antwortet nicht: Er ist aus, seine Adresse ist falsch, oder deine eigene Verbindung ist weg. Gatewatch kann nicht sagen, ob ChatGPT läuft.
explain-tls-intercepted = chatgpt.com hat mit einem Zertifikat geantwortet, dem nicht vertraut wird. Den Zertifikaten von Cloudflare wird immer vertraut, also fängt etwas in deinem Netzwerk (ein Firmen-Proxy, ein Virenschutz, eine WLAN-Anmeldeseite) sichere Verbindungen ab. Gatewatch sendet über eine solche Verbindung nichts.
explain-network-blocks = Das Netzwerk, in dem du bist, lässt deinen Computer nicht zu ChatGPT durch: Sein Webfilter, sein DNS oder sein Proxy blockiert die Verbindung, wie es viele Firmen und Schulen tun (andere Websites funktionieren). Das ist kein Ausfall, und es liegt nicht an deinem Computer: Für alle anderen läuft ChatGPT vielleicht ganz normal. Was Gatewatch über ChatGPT selbst weiß, stammt von dem, was noch durchkommt: der Statusseite von OpenAI und den Türen von OpenAI, die das Netzwerk durchlässt.
explain-conversations-fail = Dein eigener Browser, bei chatgpt.com angemeldet, sieht seine ChatGPT-Anfragen scheitern – mittendrin abgebrochen, zurückgesetzt oder ohne Antwort –, auch wenn die Seite für Gatewatchs eigene Prüfungen noch lädt. So sieht ein teilweiser Ausfall aus, bevor die Statusseite von OpenAI etwas meldet. Wenn du selbst abbrichst („Generieren stoppen“) und Prüfungen von Cloudflare zählen nicht. Es liegt nicht an deinem Computer.
explain-nothing-wrong = Nichts, was Gatewatch sieht, deutet auf Probleme hin: Cloudflare antwortet, ebenso die anderen Türen von OpenAI und die Statusseite. Von deinem Netzwerk aus kann es nicht ganz durch chatgpt.com hindurchsehen (siehe unten), die Sicht ist also eingeschränkt.

## Eingeschränkte Sicht: chatgpt.com zeigt Gatewatch nicht, was es einem Browser zeigt.

limited-challenge-short = eingeschränkte Sicht: chatgpt.com will einen Browser
limited-refused-short = eingeschränkte Sicht: chatgpt.com lehnt die Anfragen von Gatewatch ab
limited-view = eingeschränkte Sicht
limited-challenge = Eingeschränkte Sicht: Von deinem Netzwerk aus beantwortet chatgpt.com die Anfragen von Gatewatch mit einer Prüfung „Bist du ein Mensch?“, die nur ein Browser bestehen kann (Cloudflare macht das bei Programmen in vielen Netzwerken, vor allem bei VPNs und Rechenzentren). Eine solche Anfrage kommt nie bei den Servern von OpenAI an. Gatewatch urteilt deshalb nach dem Rest: dem Cloudflare-Knoten, der API von OpenAI, dem Weg der Handy-Apps und der Statusseite von OpenAI. Über deinen Browser sagt das nichts, er kommt vielleicht ganz normal durch.
limited-refused = Eingeschränkte Sicht: Von deinem Netzwerk aus lehnt chatgpt.com die Anfragen von Gatewatch ohne Begründung ab (ein bloßes 403 oder ein leeres 404). Eine solche Anfrage kommt nie bei den Servern von OpenAI an. Gatewatch urteilt deshalb nach dem Rest: dem Cloudflare-Knoten, der API von OpenAI, dem Weg der Handy-Apps und der Statusseite von OpenAI. Über deinen Browser sagt das nichts, er kommt vielleicht ganz normal durch.
limited-network-short = eingeschränkte Sicht: dieses Netzwerk sperrt chatgpt.com
limited-network = Eingeschränkte Sicht: Dein Netzwerk sperrt chatgpt.com, deshalb kann Gatewatch von hier aus ChatGPT selbst nicht sehen. Es urteilt nach dem, was noch durchkommt: der Statusseite von OpenAI und den Türen von OpenAI, die das Netzwerk durchlässt.
block-how-filter-page = der Webfilter des Netzwerks antwortet statt ChatGPT
block-how-proxy-policy = der Proxy weigert sich, zu ChatGPT zu verbinden
block-how-dns-answer = das DNS des Netzwerks versteckt die Adresse von ChatGPT
block-how-reset = das Netzwerk trennt die Verbindung, sobald es den Namen ChatGPT sieht
block-how-foreign-certificate = ein Sperr-Server antwortet statt ChatGPT
beyond-page-up = OpenAI meldet kein Problem
beyond-page-degraded = OpenAI meldet ein Problem mit ChatGPT
beyond-page-down = OpenAI meldet einen Ausfall
beyond-doors-up = die anderen Türen von OpenAI antworten normal
beyond-doors-degraded = einige der anderen Türen von OpenAI klemmen
beyond-doors-down = die anderen Türen von OpenAI klemmen auch
beyond-unknown = nichts kommt durch, das zeigt, ob ChatGPT selbst läuft

## Was du tun kannst.

advice-phone-app = Probier die ChatGPT-App auf dem Handy: Die App erreicht OpenAI auf einem anderen Weg und funktioniert oft weiter (nicht immer).
advice-phone-app-answers = Probier die ChatGPT-App auf dem Handy: Der Weg der App zu OpenAI antwortet gerade.
advice-reload = Lade die Seite in einer Minute neu.
advice-other-services = Die API von OpenAI antwortet noch: Tools, die darauf aufbauen, funktionieren vielleicht weiter.
advice-wait = Bei dir gibt es nichts zu reparieren: Warte einfach, Gatewatch sagt dir Bescheid, wenn es wieder geht.
advice-status-page = Schau nach, was die Statusseite von OpenAI sagt.
advice-check-connection = Prüfe dein WLAN oder Kabel, oder starte deinen Router neu.
advice-sign-in-to-network = Öffne eine beliebige Website im Browser und melde dich auf der Anmeldeseite des Netzwerks an.
advice-open-in-browser = Öffne chatgpt.com im Browser und schließe die Prüfung ab.
advice-change-network = Schalte dein VPN oder deinen Proxy aus, oder probier ein anderes Netzwerk (zum Beispiel die mobilen Daten deines Handys).
advice-wait-for-limit = Warte ein paar Minuten, bevor du es noch einmal versuchst.
advice-proxy-settings = Prüfe den Proxy in den Einstellungen von Gatewatch: seine Adresse und, falls nötig, Benutzername und Passwort (http://benutzer:passwort@host:port). Proxy-Skripte (PAC) werden nicht gelesen: Gib die Adresse des Proxys selbst an.
advice-mobile-data = Nutze statt dieses Netzwerks die mobilen Daten deines Handys, oder die ChatGPT-App mit mobilen Daten.
advice-ask-administrator = Frag die Verwaltung des Netzwerks (deine IT-Abteilung, deine Schule), ob ChatGPT hier erlaubt ist.
advice-vpn-if-allowed = Ein VPN umgeht die Sperre, aber nutze es nur, wo die Regeln des Netzwerks es erlauben.

## Was ein Statuscode bedeutet, in wenigen Worten.

http-500 = interner Serverfehler
http-502 = fehlerhaftes Gateway
http-503 = Dienst nicht verfügbar
http-504 = Zeitüberschreitung am Gateway
http-520 = leere oder unerwartete Antwort von OpenAI
http-521 = OpenAI hat die Verbindung abgelehnt
http-522 = Zeitüberschreitung bei der Verbindung zu OpenAI
http-523 = OpenAI nicht erreichbar
http-524 = OpenAI hat zu lange für die Antwort gebraucht
http-525 = sicherer Verbindungsaufbau mit OpenAI fehlgeschlagen
http-526 = ungültiges Zertifikat bei OpenAI
http-530 = die Adresse von OpenAI ließ sich nicht auflösen
http-403 = Zugriff verweigert
http-429 = zu viele Anfragen

## Zusammenfassungen in einer Zeile.

summary = { $headline } — { $cause }
summary-network-block = { $headline }. { $beyond }.
cause-tagged = { $cause } ({ $tags })
list-separator = { ", " }
tag-cf-code = Fehler { $code }
cause-limited = { $cause }; { $limited }

## Netzwerkfehler.

net-dns = der Name ließ sich nicht auflösen (DNS)
net-connect = die Verbindung wurde abgelehnt
net-timeout = keine rechtzeitige Antwort (Zeitüberschreitung)
net-reset = die Verbindung wurde unterbrochen
net-tls = die sichere Verbindung ist fehlgeschlagen (TLS)
net-protocol = die Antwort war kein gültiges HTTP
net-proxy-auth = der Proxy verlangt eine Anmeldung (407)
net-proxy-refused = der Proxy wollte keine Verbindung aufbauen

## Wen Gatewatch gefragt hat.

target-edge = Der Cloudflare-Knoten
target-status-page = Die Statusseite
target-control = Eine Vergleichs-Website
target-app = Der Weg der Handy-Apps

## Die Fakten, jeweils ein Satz.

evidence-edge-answered-from = Der Cloudflare-Knoten hat aus { $colo } geantwortet ({ $ms } ms).
evidence-edge-answered = Der Cloudflare-Knoten hat geantwortet ({ $ms } ms).
evidence-edge-not-trace = Etwas hat unter der Adresse von Cloudflare mit { $status } geantwortet, aber es war nicht Cloudflare.
evidence-edge-http-error = Der Cloudflare-Knoten hat die Prüfung von Gatewatch mit Fehler { $status } beantwortet.
evidence-edge-failed = Der Cloudflare-Knoten hat nicht geantwortet: { $error }.
evidence-origin-answered = chatgpt.com meldete { $status }{ $meaning }{ $kind }{ $code }{ $colo } ({ $ms } ms).
evidence-meaning = { " " }({ $meaning })
evidence-kind-cloudflare-page = { " " }mit der Fehlerseite von Cloudflare
evidence-kind-challenge = { " " }mit einer Prüfung „Bist du ein Mensch?“
evidence-kind-openai = { " " }direkt von den Servern von OpenAI
evidence-error-code = , Fehlercode { $code }
evidence-via = , über { $colo }
evidence-origin-failed = chatgpt.com hat nicht geantwortet: { $error } ({ $ms } ms).
evidence-api-alive = api.openai.com antwortet: Die API von OpenAI läuft ({ $ms } ms).
evidence-api-http-error = api.openai.com hat mit Fehler { $status } geantwortet.
evidence-api-failed = api.openai.com hat nicht geantwortet: { $error }.
evidence-control-answered = Eine Website, die nichts mit OpenAI und Cloudflare zu tun hat, antwortet: Dein Internet funktioniert.
evidence-control-replaced = Die Kontrollprüfung (erwartet wird eine leere Antwort einer Website, die nichts mit OpenAI zu tun hat) hat etwas anderes bekommen ({ $status }): Dein Netzwerk antwortet anstelle des Internets.
evidence-answered-in-place = Für { $target } hat etwas anderes als die eigenen Server geantwortet ({ $status }): Das zählt nicht als seine Antwort.
evidence-block-filter-page = Für { $target } hat eine Seite geantwortet, die nicht über Cloudflare kam ({ $detail }){ $vendor }: die Sperrseite eines Webfilters.
evidence-block-proxy-policy = Dein Proxy hat sich geweigert, zu { $target } zu verbinden ({ $detail }){ $vendor }, während er andere Websites durchlässt.
evidence-block-dns-answer = { $target } wurde zu { $detail } aufgelöst, keiner Adresse von Cloudflare{ $vendor }: Das DNS des Netzwerks sperrt es.
evidence-block-dns-nxdomain = Das DNS des Netzwerks sagt, dass es { $target } nicht gibt, während andere Namen aufgelöst werden: Es sperrt es.
evidence-block-reset = Die Verbindung zu { $target } ({ $detail }) wurde getrennt, sobald Gatewatch den Namen der Website nannte, während dieselbe Adresse für andere Namen antwortet.
evidence-block-foreign-certificate = Für { $target } hat ein Server außerhalb von Cloudflare mit einem Zertifikat für einen anderen Namen geantwortet ({ $detail }){ $vendor }: ein Sperr-Server.
evidence-by-vendor = , von { $vendor }
evidence-limited-network = Dein Netzwerk sperrt es ({ $status }): Gatewatch urteilt nach dem, was noch durchkommt.
evidence-control-failed = Auch eine Website, die nichts mit OpenAI zu tun hat, hat nicht geantwortet: { $error }.
evidence-slow = { $target } hat { $ms } ms gebraucht (langsam ab { $limit } ms).
evidence-status-page = Die Statusseite von OpenAI zeigt { $state }{ $incidents }{ $chatgpt }
indicator-none = alles grün
indicator-minor = ein kleines Problem
indicator-major = ein großes Problem
indicator-critical = ein kritisches Problem
indicator-maintenance = Wartungsarbeiten
indicator-unknown = einen unbekannten Zustand
evidence-open-incidents = , { $n ->
    [one] { $n } offene Störung
   *[other] { $n } offene Störungen
}
evidence-chatgpt-major = , ein Teil von ChatGPT ist ganz ausgefallen.
evidence-chatgpt-partial = , ein Teil von ChatGPT fällt für manche Nutzer aus.
evidence-chatgpt-affected = , ChatGPT ist betroffen.
evidence-chatgpt-unaffected = , nichts zu ChatGPT.
evidence-limited-challenge = Diese Prüfung ist für Browser gedacht ({ $status }) und kommt nie bei den Servern von OpenAI an: Gatewatch urteilt nach den anderen Prüfungen.
evidence-limited-refused = Diese Ablehnung nennt keinen Grund ({ $status }) und kommt nie bei den Servern von OpenAI an: Gatewatch urteilt nach den anderen Prüfungen.
evidence-app-answers = Der Weg der Handy-Apps zu OpenAI (ios.chat.openai.com) antwortet ({ $ms } ms).
evidence-app-fails = Auch der Weg der Handy-Apps zu OpenAI (ios.chat.openai.com) hat Fehler: Er meldete { $status }{ $meaning } ({ $ms } ms).
evidence-app-refuses = Der Weg der Handy-Apps zu OpenAI (ios.chat.openai.com) meldete { $status }: Er lehnt die Anfrage von Gatewatch ab, was nichts über die Apps sagt ({ $ms } ms).
evidence-app-failed = Der Weg der Handy-Apps zu OpenAI (ios.chat.openai.com) hat nicht geantwortet: { $error } ({ $ms } ms).
evidence-app-silent = Der Weg der Handy-Apps zu OpenAI (ios.chat.openai.com) hat nicht geantwortet ({ $ms } ms).
evidence-phone-apps = Laut der Statusseite von OpenAI sind die Handy-Apps { $state }.
evidence-retry-after = chatgpt.com bat Gatewatch, { $wait } zu warten, bevor es wieder prüft (Retry-After): Gatewatch wartet mindestens so lange, höchstens 15 Minuten.
component-operational = in Betrieb
component-degraded = langsam
component-partial-outage = teilweise ausgefallen
component-major-outage = ausgefallen
component-maintenance = in Wartung
component-unknown = in einem unbekannten Zustand

## Das Symbol in der Taskleiste: Tooltip und Menü.

since-time = seit { $time }
line-since = { $line } · { $since }
paused-line = Pausiert — { $line }
menu-checking = Wird geprüft…
menu-check-now = Jetzt prüfen
menu-whats-going-on = Was ist los?
menu-open-chatgpt = ChatGPT öffnen
menu-open-status-page = Statusseite von OpenAI öffnen
menu-snooze = Benachrichtigungen stummschalten
menu-snooze-hour = Für 1 Stunde
menu-snooze-until-back = Bis ChatGPT wieder da ist
menu-notify-again = Wieder benachrichtigen
menu-notify-again-at = Wieder benachrichtigen (stumm bis { $time })
menu-settings = Einstellungen…
menu-start-at-login = Bei der Anmeldung starten
menu-quit = Gatewatch beenden
explainer-could-not-start = Das Detailfenster ließ sich nicht öffnen: { $reason }
explainer-stopped = Das Detailfenster wurde unerwartet beendet: { $reason }
window-missing = sein Programm ist nicht neben Gatewatch installiert
window-cannot-run = das System hat sein Programm nicht gestartet
window-library = eine Bibliothek, die es braucht, fehlt ({ $library })
window-no-display = es gibt keinen Bildschirm, auf dem es erscheinen kann
window-no-webview2 = die WebView2-Laufzeit von Microsoft fehlt, installiere sie von { $url }
window-exited = Exit-Code { $code }
window-killed = durch Signal { $signal } beendet
window-ended = es wurde ohne Angabe eines Grundes beendet
window-no-channel = Gatewatch hat keinen lokalen Kanal, um mit ihm zu sprechen

## Benachrichtigungen.

notify-settings-reset = Gatewatch: Einstellungen zurückgesetzt
warning-settings-not-applied = Die neuen Einstellungen ließen sich nicht übernehmen: Gatewatch prüft mit den bisherigen weiter (im Protokoll steht, warum).
store-damaged = { $file } war beschädigt und wird als { $backup } aufbewahrt.
store-unreadable = { $file } ließ sich nicht lesen: { $why }.
store-unwritable = { $file } ließ sich nicht speichern: { $why }.
io-denied = Zugriff verweigert
io-full = der Datenträger ist voll
io-read-only = der Datenträger ist schreibgeschützt
io-missing = sein Ordner fehlt
io-other = das System hat abgelehnt (im Protokoll steht, wie)
store-then-defaults = { $problem } Es gelten die Standardeinstellungen.
store-then-new-history = { $problem } Ein neuer Verlauf beginnt.
store-then-kept = { $problem } Die bisherigen Einstellungen bleiben und wurden erneut gespeichert.
store-then-kept-unsaved = { $problem } Die bisherigen Einstellungen bleiben. { $why }
notify-open = Gatewatch öffnen
notify-down-body = { $cause } — { $tip }{ $api } Seit { $time }.
notify-api-answers = { " " }Die API antwortet noch.
notify-tip-wait = warte, oder probier die App auf dem Handy.
notify-tip-phone = probier die App auf dem Handy.
notify-back-title = ChatGPT ist wieder da
notify-back-body = Es war { $duration } lang ausgefallen (ab { $time }).
notify-cause-title = { $headline } — neue Ursache
notify-cause-body = { $cause } — { $tip } Ausgefallen seit { $time }.
notify-still-down-title = { $headline }, schon { $duration } lang
notify-still-down-body = { $cause } — { $tip }
notify-flapping-title = ChatGPT ist instabil
notify-flapping-body = { $n ->
    [one] Es ist innerhalb von { $window } einmal ausgefallen.
   *[other] Es ist innerhalb von { $window } { $n }-mal ausgefallen.
} Gatewatch bleibt still, bis es sich beruhigt, und schickt dann eine Zusammenfassung.
notify-stable-down-title = ChatGPT ist nicht mehr instabil, aber ausgefallen
notify-stable-title = ChatGPT ist wieder stabil
notify-stable-body = In der Zwischenzeit: { $n ->
    [one] ein Ausfall
   *[other] { $n } Ausfälle
}, insgesamt { $duration } Ausfallzeit.
notify-network-blocks-title = Dieses Netzwerk sperrt ChatGPT
notify-network-blocks-body = { $how }. { $beyond }. Um es zu erreichen, nutze mobile Daten oder die App auf dem Handy mit mobilen Daten.

## Die Befehlszeile.

cli-saw = Was Gatewatch gesehen hat:
cli-status-page-unreadable = Statusseite nicht lesbar: { $error }
page-error-http = die Seite hat mit Fehler { $status } geantwortet
page-error-unreadable = die Antwort ist kein JSON, das Gatewatch lesen kann
page-error-too-large = die Antwort ist größer als die { $kib } KiB, die Gatewatch liest
cli-incident = Störung: { $name } ({ $status }) { $link }
cli-todo = Was du tun kannst:
cli-uptime = Verfügbarkeit: 24 Std. { $day } · 7 Tage { $week }
cli-no-outages = Keine Ausfälle aufgezeichnet.
cli-outages = Ausfälle, neueste zuerst:
cli-ongoing = dauert an
cli-back-after = wieder da, Dauer { $duration }
cli-with-note = { $line } — { $note }
cli-since = Seit { $time }
cli-network-blocked = Von deinem Netzwerk gesperrt: 24 Std. { $day } · 7 Tage { $week }

## Dein Browser: was die Browser-Erweiterung von Gatewatch von deinen eigenen chatgpt.com-Anfragen gesehen hat.

evidence-browser-fails = In deinem Browser sind { $failed } der letzten { $recent ->
    [one] ChatGPT-Anfrage
   *[other] { $recent } ChatGPT-Anfragen
} fehlgeschlagen: { $what }.
evidence-browser-answers = In deinem Browser antwortet ChatGPT: { $answered } der letzten { $recent ->
    [one] Anfrage
   *[other] { $recent } Anfragen
} sind durchgekommen.
evidence-browser-quiet = Die letzten ChatGPT-Anfragen deines Browsers sagen weder das eine noch das andere (deine eigenen Abbrüche und Prüfungen von Cloudflare zählen nicht).
browser-failure-gateway = ein { $status } von Cloudflare, das von den Servern von OpenAI keine gültige Antwort bekam
browser-failure-origin = ein Fehler { $status } von den Servern von OpenAI
browser-failure-cut = Antworten mittendrin abgebrochen
browser-failure-reset = die Verbindung wurde zurückgesetzt
browser-failure-closed = die Verbindung wurde vor einer Antwort geschlossen
browser-failure-timeout = keine rechtzeitige Antwort
browser-failure-protocol = die Verbindung ist abgebrochen (ein Protokollfehler)
browser-failure-other = die Anfrage ist fehlgeschlagen
banner-error-page = chatgpt.com hat eine Fehlerseite geschickt

## Updates.

update-available = Gatewatch { $version } ist verfügbar
update-how-installer = Wähle „Update installieren“ im Menü von Gatewatch, um es zu installieren.
update-how-apt = Dein Paketmanager bringt es: sudo apt update && sudo apt upgrade
update-how-dnf = Dein Paketmanager bringt es: sudo dnf upgrade gatewatch
update-how-page = Lade es hier herunter: { $url }
update-daily-title = Gatewatch sucht nach neuen Versionen
update-daily-body = Einmal am Tag fragt es bei GitHub, ob es ein neueres Gatewatch gibt; GitHub sieht dabei deine IP-Adresse und welche Version du hast. Installiert wird nur, wenn du es willst. Zum Abschalten stell in den Einstellungen „Nach neuen Versionen suchen“ auf „Nie“.
update-up-to-date-title = Gatewatch ist aktuell
update-up-to-date = { $version } ist die neueste Version.
update-failed-title = Suche nach Updates fehlgeschlagen
update-check-failed = Gatewatch versucht es morgen wieder. ({ $reason })
update-menu-check = Nach Updates suchen
update-menu-checking = Suche nach Updates…
update-menu-daily = Täglich nach neuen Versionen suchen
update-menu-install = Update installieren
update-menu-installing = Gatewatch { $version } wird installiert…
update-menu-release-page = Download-Seite öffnen
update-menu-skip = Diese Version überspringen
update-install-failed-title = Das Update wurde nicht installiert
update-install-failed = Update nicht installiert: { $reason }
update-error-off = die Suche nach Updates ist ausgeschaltet
update-error-address = die Adresse des Release-Manifests ist nicht verwendbar (siehe die Einstellung update_url)
update-error-http = der Release-Server hat mit Fehler { $status } geantwortet
update-error-no-answer = der Release-Server hat nicht geantwortet: { $error }
update-error-too-large = die Antwort des Release-Servers ist größer, als Gatewatch liest
update-error-redirect = der Release-Server hat Gatewatch an eine Adresse verwiesen, der es nicht folgt
update-error-signature = das Release ist nicht mit dem Schlüssel von Gatewatch signiert oder wurde nach dem Signieren verändert
update-error-mismatch = die Signatur des Release gilt für eine andere Version oder eine andere Datei
update-error-manifest = das Release-Manifest ist nicht lesbar
update-error-downgrade = das angebotene Release ({ $offered }) ist älter als diese Version ({ $running })
update-error-no-platform = das Release hat keinen Download für dieses System
update-error-disk = der Download konnte auf diesem Computer nicht gespeichert werden
update-error-not-here = Gatewatch installiert sich auf diesem System nicht selbst
update-error-installer-refused = Windows hat das Installationsprogramm nicht gestartet (vielleicht hat ein Virenschutz oder Smart App Control es blockiert)
update-error-installer-ended = das Installationsprogramm hat sich beendet, ohne zu installieren (Exitcode { $code })
update-cli-available = Gatewatch { $version } ist verfügbar (du hast { $current }).
update-cli-up-to-date = Gatewatch { $version } ist die neueste Version.
update-cli-notes = Neu:

## Benachrichtigungen an andere Orte: Slack, Discord, Microsoft Teams, JSON-Webhooks, ntfy.

alert-sentence = { $title }: { $body }
alert-late = Verspätet gesendet: Das geschah um { $time }.
alert-field-cause = Ursache
alert-field-since = Seit
alert-field-advice = Was tun
alert-status-page = Statusseite von OpenAI
alert-test-title = Gatewatch: ein Test
alert-test-body = Dieser Kanal bekommt die Benachrichtigungen von Gatewatch zu ChatGPT.
alert-test-body-now = Dieser Kanal bekommt die Benachrichtigungen von Gatewatch zu ChatGPT. Gerade: { $now }
channel-failing = Benachrichtigungen an { $channel } schlagen fehl: { $why }
cli-wait-timeout = ChatGPT ist nach { $duration } immer noch nicht erreichbar.
cli-wait-unknown = Gatewatch konnte in { $duration } nicht feststellen, ob ChatGPT erreichbar ist.
