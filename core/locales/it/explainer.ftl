# Gatewatch — le parole della finestra (la diagnosi arriva già scritta da gatewatch.ftl).


## La finestra: le pagine e i pulsanti.

nav_status = Stato
nav_history = Cronologia
nav_settings = Impostazioni
language = Lingua
checking = Controllo in corso…
check_now = Controlla ora
checking_now = Controllo…
snooze_hour = Silenzia 1 h
snooze_recovered = Silenzia finché non torna
unsnooze = Avvisami di nuovo
why = Perché
evidence = Cosa ha visto Gatewatch
official = Cosa dice OpenAI
todo = Cosa fare
open_status = Apri la pagina di stato di OpenAI
open_chatgpt = Apri ChatGPT
phone_text = L'app ChatGPT sul telefono raggiunge OpenAI attraverso un altro percorso e spesso funziona quando il sito non va. Non è garantito.
qr_iphone = (iPhone, iPad)
qr_android = (Android)
qr_hint = Inquadra un codice con la fotocamera del telefono per aprire la pagina dello store.
qr_label = Codice QR dell'app ChatGPT su { $store }

## Il percorso: tu → la tua rete → (il tuo proxy) → Cloudflare → OpenAI.

hop_you = Tu
hop_network = La tua rete
hop_proxy = Il tuo proxy
hop_filter = Il filtro della tua rete
hop_edge = Cloudflare (il centralino)
hop_origin = I server di OpenAI (l'ufficio)
hop_ok = funziona
hop_failed = il guasto è qui
hop_unknown = non si sa
hop_refusing = ti blocca l'accesso
hop_blocking = blocca ChatGPT

## La pagina di stato della finestra.

since = Dalle { $time } ({ $dur })
down_since = Fermo dalle { $time } ({ $dur })
last_check = Ultimo controllo { $time }
sep_parts = { " · " }
snoozed_until = Notifiche silenziate fino alle { $time }.
snoozed_recovered = Notifiche silenziate finché ChatGPT non torna.
flapping = ChatGPT continua a cadere e a tornare.
paused = I controlli sono in pausa.
page_none = Ancora nessuna informazione dalla pagina di stato.
page_error = Impossibile leggere la pagina di stato: { $err }
page_lag = ChatGPT non funziona da { $dur } e la pagina di stato non segnala ancora nulla.
page_says = Pagina di stato: { $desc }
sep_sentences = { " " }
incident = { $name } — { $status }

## Cronologia.

uptime_24h = Disponibilità, 24 h
uptime_7d = Disponibilità, 7 giorni
latency_note = Mediana { $median } ms, massimo { $max } ms ({ $n ->
    [one] { $n } controllo
   *[other] { $n } controlli
}).
no_latency = Ancora nessuna misura.
outages = Interruzioni
col_start = Inizio
col_duration = Durata
col_what = Cosa
ongoing = in corso
no_outages = Nessuna interruzione registrata.

## Impostazioni.

checking_legend = Controlli
notifications_legend = Notifiche
probes_legend = Cosa controllare
general_legend = Generale
s_poll = Controlla ogni (secondi)
s_down_poll = Quando è fermo, controlla ogni (secondi)
s_recheck = Ricontrolla dopo un primo errore (secondi)
s_failure = Controlli falliti prima di "fermo"
s_success = Controlli riusciti prima di "tornato"
s_timeout = Rinuncia a una richiesta dopo (secondi)
s_slow = Lento oltre (millisecondi)
s_notifications = Avvisami quando ChatGPT si ferma o torna
s_reminder = Ricordamelo mentre è fermo, ogni (minuti, 0 = mai)
p_edge = Il nodo Cloudflare
p_api = L'API di OpenAI
p_status = La pagina di stato di OpenAI
p_control = Un sito estraneo, per riconoscere i tuoi problemi di rete
lang_auto = Sistema
s_login = Avvia all'accesso
advanced = Avanzate: indirizzi
e_status = Pagina di stato
e_control = Sito di controllo
p_app = Il percorso delle app per smartphone verso OpenAI
e_app = Host delle app per smartphone
s_proxy = Proxy
s_proxy_help = "system" (l'impostazione del tuo computer), "none" (nessuno), o l'indirizzo di un proxy come http://utente:password@proxy.example:3128 (anche https:// e socks5://). Gli script proxy (PAC) non vengono letti: indica l'indirizzo del proxy.

## Segnalare una diagnosi sbagliata.

report_title = Segnala una diagnosi sbagliata
copy_report = Copia il resoconto
report_copied = Copiato.
report_select = Selezionato: premi Ctrl+C per copiare.
report_hint = Se Gatewatch ha sbagliato, allega questo alla segnalazione: cosa ha risposto ogni controllo, senza il tuo indirizzo IP.

## Il percorso delle app per smartphone.

hop_hidden = non visibile da qui
route_answers = Misurato ora: il percorso delle app per smartphone verso OpenAI risponde ({ $ms } ms).
route_fails = Misurato ora: anche il percorso delle app per smartphone non funziona ({ $status }).
route_refuses = Il percorso delle app per smartphone rifiuta la richiesta di Gatewatch, quindi Gatewatch non può dire se le app funzionano.
route_unreachable = Misurato ora: il percorso delle app per smartphone non risponde.
apps_page = La pagina di stato di OpenAI indica le app per smartphone: { $state }.
app_state_operational = funzionanti
app_state_degraded_performance = lente
app_state_partial_outage = parzialmente ferme
app_state_major_outage = ferme
app_state_under_maintenance = in manutenzione
app_state_unknown = in uno stato sconosciuto

## Salvare le impostazioni.

saved = Salvato.
save = Salva
not_number = { $field }: inserisci un numero.
error_prefix = Impossibile salvare:

## Cronologia: barre di disponibilità e grafico dei tempi di risposta.

uptime_30d = Disponibilità, 30 giorni
uptime_90d = Disponibilità, 90 giorni
bars_title = Disponibilità a colpo d'occhio
bars_hint = Punta una barra, o seleziona una riga e usa le frecce, per vederne i dettagli.
bars_day = Ultime 24 ore, 15 minuti per barra
bars_week = Ultimi 7 giorni, un'ora per barra
bars_quarter = Ultimi 90 giorni, un giorno per barra
state_up = funziona
state_degraded = lento o in parte guasto
state_down = fermo
state_unknown = non si sa
state_network = bloccato dalla tua rete
state_none = non osservato
cell_uptime = disponibilità { $pct }
cell_checks = { $n ->
    [one] { $n } controllo
   *[other] { $n } controlli
}
cell_no_data = nessun controllo
cell_state = { $period }: { $state }
cell_latency = mediana { $median } ms, massimo { $max } ms
cell_outage = { $what }, inizio { $time }, durata { $dur }
sep_clauses = { "; " }
cell_down = fermo per { $dur }
cell_network = bloccato dalla tua rete per { $dur }
chart_title = Tempo di risposta
range_label = Periodo
range_day = 24 ore
range_week = 7 giorni
chart_svg_title_day = Tempo di risposta nelle ultime 24 ore
chart_svg_title_week = Tempo di risposta negli ultimi 7 giorni
chart_desc = La linea è il tempo di risposta mediano ogni { $bucket }, la fascia chiara arriva al controllo più lento: di solito { $median } ms, al massimo { $max } ms.
chart_outages = { $n ->
    [one] Un'interruzione è ombreggiata e indicata per causa; la tabella Interruzioni qui sotto la elenca.
   *[other] { $n } interruzioni sono ombreggiate e indicate per causa; la tabella Interruzioni qui sotto le elenca.
}
chart_no_outages = Nessuna interruzione in questo periodo.
outage_title = { $what } — { $time }
bucket_quarter = 15 minuti
bucket_hour = ora
axis_ms = ms
legend_median = mediana
legend_slowest = il più lento
legend_outage = interruzione

## Updates.

e_update = Nuove versioni (manifest)
updates_legend = Aggiornamenti
s_updates = Cerca nuove versioni
s_updates_notify = Una volta al giorno, e avvisami
s_updates_off = Mai
s_updates_help = Una volta al giorno Gatewatch chiede a GitHub se esiste una versione più recente; GitHub vede il tuo indirizzo IP e quale versione hai. Non viene installato nulla se non lo chiedi tu.
update_available = Gatewatch { $version } è disponibile.
update_skipped = Hai scelto di saltare questa versione.
update_current = Hai la versione più recente ({ $version }).
update_error = L'ultima ricerca di aggiornamenti non è riuscita: { $error }
update_off_note = La ricerca di aggiornamenti è disattivata.
update_notes = Novità

## Impostazioni: avvisi inviati altrove.

channels_legend = Avvisi inviati altrove
channels_help = Gli stessi avvisi, a un canale Slack, Discord o Microsoft Teams, a un webhook JSON o al tuo telefono con ntfy. I loro indirizzi sono segreti: Gatewatch li tiene solo nel suo file di impostazioni.
channel_add = Aggiungi un canale
channel_kind = Servizio
channel_url = Indirizzo (URL del webhook, o server e argomento ntfy)
channel_token = Token di accesso (facoltativo)
channel_notices = Quali avvisi
notice_down = Fermo
notice_recovered = Tornato
notice_cause = Causa cambiata
notice_still_down = Ancora fermo (promemoria)
notice_flapping = Instabile
notice_stable = Di nuovo stabile
notice_network_blocks = Una rete blocca ChatGPT
channel_test = Invia una prova
channel_remove = Rimuovi
channel_unsaved = Non ancora salvato.
channel_testing = Invio di una prova…
channel_test_ok = Prova inviata alle { $time }.
channel_test_failed = La prova non è arrivata: { $why }
channel_failing = Gli avvisi non arrivano: { $why }
channel_working = Ultimo avviso inviato alle { $time }.
channel_untried = Ancora niente inviato.
channel_waiting = { $n ->
    [one] Un avviso aspetta di partire.
   *[other] { $n } avvisi aspettano di partire.
}

## Impostazioni: l'estensione del browser (Chromium, Google Chrome, Microsoft Edge, Firefox).

browsers_legend = Nel tuo browser
browsers_help = L'estensione di Gatewatch per il browser gli dice come risponde ChatGPT nel tuo browser. Per raggiungere Gatewatch, ogni browser ha bisogno di un piccolo file che indichi il programma di supporto di Gatewatch; Gatewatch lo scrive all'avvio per ogni browser che hai usato.
browser_registered = Pronto: l'estensione può raggiungere Gatewatch.
browser_system = Pronto per tutti su questo computer: l'estensione può raggiungere Gatewatch.
browser_not_found = Non trovato: mai aperto con questo account.
browser_sandboxed = È stata trovata solo una versione in sandbox ({ $kinds }). Non è supportata: non può avviare programmi fuori dalla sua sandbox.
browser_failed = Impossibile prepararlo: { $why }
browser_sandbox_also = La sua versione in sandbox ({ $kinds }) non è supportata: non può avviare programmi fuori dalla sua sandbox.
browser_snap_portal = Come Snap, Firefox ti chiede una volta il permesso di far raggiungere Gatewatch all'estensione.
browser_connected = L'estensione è collegata ora.
browsers_connected = { $n ->
    [0] Al momento nessuna estensione del browser è collegata.
    [one] L'estensione è collegata ora, in un browser.
   *[other] L'estensione è collegata ora, in { $n } browser.
}
browsers_no_host = Manca il programma di supporto di Gatewatch per il browser ({ $path }), quindi nessun browser è stato preparato.
browsers_other = Nessun browser è stato preparato: { $why }
