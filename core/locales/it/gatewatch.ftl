# Gatewatch — quello che dicono l'icona, le notifiche, la riga di comando e la diagnosi.
# La metafora: Cloudflare è il centralino davanti a ChatGPT, i server di OpenAI l'ufficio dietro.

## Il nome della lingua in sé stessa.

language-name = Italiano

## Orari e durate.

clock = { $hour24 }:{ $minute }
duration-seconds = { $s } s
duration-minutes = { $m } min
duration-hours = { $h } h
duration-hours-minutes = { $h } h { $m } min
duration-days = { $d ->
    [one] { $d } giorno
   *[other] { $d } giorni
}
duration-days-hours = { $d ->
    [one] { $d } giorno
   *[other] { $d } giorni
} { $h } h

## Verdetti: il titolo.

verdict-up = ChatGPT funziona
verdict-degraded = ChatGPT è in difficoltà
verdict-down = ChatGPT non funziona
verdict-unreachable = ChatGPT non è raggiungibile
verdict-blocked = ChatGPT funziona, ma ti blocca l'accesso
verdict-offline = Sei offline
verdict-unknown = Impossibile dirlo ora
verdict-network-blocks = Questa rete blocca ChatGPT

## Le cause in poche parole.

cause-healthy = tutto risponde normalmente
cause-slow = le risposte sono lente
cause-partial-failure = alcuni servizi di OpenAI non funzionano
cause-official-incident = OpenAI segnala un problema
cause-overload = i server di OpenAI non rispondono a Cloudflare
cause-broken-link = Cloudflare non raggiunge OpenAI
cause-origin-tls = il collegamento sicuro Cloudflare–OpenAI è rotto
cause-maintenance = OpenAI è in manutenzione
cause-origin-failure = i server di OpenAI sono in errore
cause-cloudflare-failure = è Cloudflare stesso a non funzionare
cause-cloudflare-unreachable = Cloudflare non risponde
cause-challenge = una verifica "sei umano?"
cause-access-denied = accesso negato alla tua connessione
cause-rate-limited = troppe richieste dal tuo indirizzo
cause-region = non disponibile da dove ti colleghi
cause-captive-portal = la tua rete ti chiede di effettuare l'accesso
cause-your-network = la tua connessione internet non va
cause-inconclusive = nessuna causa chiara
cause-official-outage = la pagina di stato di OpenAI lo dà fuori servizio
cause-proxy-login = il tuo proxy richiede l'autenticazione
cause-proxy-failing = il proxy della tua rete non raggiunge internet
cause-proxy-unreachable = il tuo proxy non risponde
cause-tls-intercepted = qualcosa nella tua rete intercetta le connessioni sicure
cause-network-blocks = la tua rete blocca ChatGPT
cause-conversations-fail = le richieste a ChatGPT non vanno a buon fine nel tuo browser
cause-nothing-wrong = nulla indica problemi

## Le cause spiegate: il centralino e l'ufficio.

explain-healthy = La tua rete, Cloudflare (il centralino davanti a ChatGPT) e i server di OpenAI (l'ufficio dietro) rispondono normalmente.
explain-slow = Tutto risponde, ma lentamente: i server di OpenAI sono probabilmente sovraccarichi. Le pagine possono caricarsi lentamente o andare in timeout.
explain-partial-failure = Una delle porte controllate da Gatewatch non funziona (l'API di OpenAI, il percorso delle app per smartphone o il nodo Cloudflare) mentre le altre rispondono. Alcune funzioni potrebbero non andare.
explain-official-incident = La pagina di stato di OpenAI segnala un problema con ChatGPT, che però risponde ancora: alcune funzioni potrebbero non andare.
explain-overload = Cloudflare, il centralino, ha risposto — ma l'ufficio dietro, i server di OpenAI, non gli ha dato una risposta valida. Di solito è sovraccarico o un guasto di OpenAI. Non dipende dal tuo computer.
explain-broken-link = Cloudflare, il centralino, funziona ma non riesce proprio a passare la chiamata ai server di OpenAI: la linea tra centralino e ufficio è interrotta, o l'ufficio è chiuso. Non dipende dal tuo computer.
explain-origin-tls = Cloudflare non riesce ad aprire una connessione sicura verso i server di OpenAI: un problema di certificati o di configurazione di OpenAI. Non dipende dal tuo computer.
explain-maintenance = OpenAI ha annunciato una manutenzione e nel frattempo i suoi server non rispondono. Non dipende dal tuo computer.
explain-origin-failure = La chiamata è arrivata ai server di OpenAI, ma hanno risposto con un errore: qualcosa si è rotto dentro l'ufficio. Non dipende dal tuo computer.
explain-cloudflare-failure = È Cloudflare stesso a non funzionare: il centralino davanti a ChatGPT (e a molti altri siti) è guasto, quindi nulla arriva a OpenAI. Non dipende dal tuo computer.
explain-cloudflare-unreachable = La tua connessione funziona (altri siti rispondono), ma Cloudflare — il centralino davanti a ChatGPT — non risponde affatto.
explain-challenge = ChatGPT funziona. Cloudflare vuole verificare che tu sia umano ("Just a moment...") prima di farti passare. Non è un'interruzione.
explain-access-denied = ChatGPT funziona, ma Cloudflare rifiuta le connessioni dal tuo indirizzo (una regola firewall, o un indirizzo con cattiva reputazione, frequente con le VPN).
explain-rate-limited = ChatGPT funziona, ma per ora limita le richieste dal tuo indirizzo. Il limite si toglie da solo.
explain-region = ChatGPT funziona, ma non accetta connessioni dal luogo da cui ti colleghi: OpenAI non serve questo paese, o blocca l'indirizzo della tua VPN o del tuo proxy.
explain-captive-portal = La tua rete intercetta le connessioni: probabilmente una pagina di accesso al Wi-Fi (hotel, treno, aeroporto) aspetta che tu effettui l'accesso.
explain-your-network = Stavolta è la tua connessione: nessun sito risponde, non solo ChatGPT. ChatGPT potrebbe funzionare benissimo.
explain-inconclusive = Le risposte non indicano una causa chiara. Gatewatch continua a controllare.
explain-official-outage = La pagina di stato di OpenAI dà ChatGPT fuori servizio. Gatewatch non può guardare dentro chatgpt.com dalla tua rete per confermarlo, e nulla di ciò che vede dice il contrario. Non dipende dal tuo computer.
explain-proxy-login = Le tue richieste passano da un proxy (tu → la tua rete → il tuo proxy → Cloudflare → OpenAI), e il proxy chiede nome utente e password prima di farle passare (407). Questo non dice nulla di ChatGPT.
explain-proxy-failing = Le tue richieste passano dal proxy della tua rete (tu → la tua rete → il tuo proxy → Cloudflare → OpenAI). Il proxy risponde, ma con errori suoi: non raggiunge internet, o si rifiuta. Gatewatch non vede oltre, quindi non può dire se ChatGPT funziona.
explain-proxy-unreachable = Le tue richieste dovrebbero passare da un proxy, e il proxy non risponde: è spento, il suo indirizzo è sbagliato, o è la tua connessione a non funzionare. Gatewatch non può dire se ChatGPT funziona.
explain-tls-intercepted = chatgpt.com ha risposto con un certificato non attendibile. Quelli di Cloudflare lo sono sempre, quindi qualcosa nella tua rete (un proxy aziendale, un antivirus, un portale Wi-Fi) intercetta le connessioni sicure. Gatewatch non invia nulla su una connessione così.
explain-network-blocks = La rete a cui sei collegato impedisce al tuo computer di raggiungere ChatGPT: il suo filtro web, il suo DNS o il suo proxy ferma la connessione, come fanno molte aziende e scuole (gli altri siti funzionano). Non è un disservizio e il tuo computer non c'entra: per tutti gli altri ChatGPT potrebbe funzionare benissimo. Quello che Gatewatch sa di ChatGPT viene da ciò che passa ancora: la pagina di stato di OpenAI e le porte di OpenAI che la rete lascia passare.
explain-conversations-fail = Il tuo browser, con l'accesso a chatgpt.com, vede fallire le sue richieste a ChatGPT — interrotte a metà, reimpostate o rimaste senza risposta — anche se il sito forse si carica ancora per i controlli di Gatewatch. Così si presenta un guasto parziale prima che la pagina di stato di OpenAI dica qualcosa. Le interruzioni fatte da te («Interrompi generazione») e le verifiche di Cloudflare non contano. Non dipende dal tuo computer.
explain-nothing-wrong = Nulla di ciò che Gatewatch vede indica problemi: Cloudflare risponde, e così le altre porte di OpenAI e la sua pagina di stato. Dalla tua rete non può guardare fino in fondo dentro chatgpt.com (vedi sotto), quindi è una vista limitata.

## Vista limitata.

limited-challenge-short = vista limitata: chatgpt.com chiede una verifica da browser
limited-refused-short = vista limitata: chatgpt.com rifiuta le richieste di Gatewatch
limited-view = vista limitata
limited-challenge = Vista limitata: dalla tua rete, chatgpt.com risponde alle richieste di Gatewatch con una verifica "sei umano?", che solo un browser può superare (Cloudflare lo fa ai programmi su molte reti, soprattutto VPN e data center). Una richiesta così non arriva ai server di OpenAI, quindi Gatewatch giudica dal resto: il nodo Cloudflare, l'API di OpenAI, il percorso delle app per smartphone e la pagina di stato di OpenAI. Non dice nulla del tuo browser, che potrebbe passare benissimo.
limited-refused = Vista limitata: dalla tua rete, chatgpt.com rifiuta le richieste di Gatewatch senza dire perché (un semplice 403, o un 404 vuoto). Una richiesta così non arriva ai server di OpenAI, quindi Gatewatch giudica dal resto: il nodo Cloudflare, l'API di OpenAI, il percorso delle app per smartphone e la pagina di stato di OpenAI. Non dice nulla del tuo browser, che potrebbe passare benissimo.
limited-network-short = vista limitata: questa rete blocca chatgpt.com
limited-network = Vista limitata: la tua rete blocca chatgpt.com, quindi da qui Gatewatch non può guardare ChatGPT. Giudica da ciò che passa ancora: la pagina di stato di OpenAI e le porte di OpenAI che la rete lascia passare.
block-how-filter-page = il filtro web della rete risponde al posto di ChatGPT
block-how-proxy-policy = il proxy si rifiuta di collegarsi a ChatGPT
block-how-dns-answer = il DNS della rete nasconde l'indirizzo di ChatGPT
block-how-reset = la rete interrompe la connessione appena vede il nome di ChatGPT
block-how-foreign-certificate = un server di blocco risponde al posto di ChatGPT
beyond-page-up = OpenAI non segnala problemi
beyond-page-degraded = OpenAI segnala un problema con ChatGPT
beyond-page-down = OpenAI segnala un disservizio
beyond-doors-up = le altre porte di OpenAI rispondono normalmente
beyond-doors-degraded = alcune delle altre porte di OpenAI non funzionano
beyond-doors-down = anche le altre porte di OpenAI non funzionano
beyond-unknown = non passa nulla che dica se ChatGPT funziona

## Cosa fare.

advice-phone-app = Prova l'app ChatGPT sul telefono: raggiunge OpenAI attraverso un altro percorso e spesso continua a funzionare (non sempre).
advice-phone-app-answers = Prova l'app ChatGPT sul telefono: il suo percorso verso OpenAI risponde in questo momento.
advice-reload = Ricarica la pagina tra un minuto.
advice-other-services = L'API di OpenAI risponde ancora: gli strumenti basati su di essa potrebbero funzionare.
advice-wait = Non c'è nulla da sistemare da parte tua: aspetta, Gatewatch ti avviserà quando torna.
advice-status-page = Guarda cosa dice la pagina di stato di OpenAI.
advice-check-connection = Controlla il Wi-Fi o il cavo, o riavvia il router.
advice-sign-in-to-network = Apri un sito qualsiasi nel browser e accedi alla pagina di login della rete.
advice-open-in-browser = Apri chatgpt.com nel browser e completa la verifica.
advice-change-network = Disattiva VPN o proxy, o prova un'altra rete (per esempio i dati del telefono).
advice-wait-for-limit = Aspetta qualche minuto prima di riprovare.
advice-proxy-settings = Controlla il proxy nelle impostazioni di Gatewatch: il suo indirizzo, e nome utente e password se li chiede (http://utente:password@host:porta). Gli script proxy (PAC) non vengono letti: imposta l'indirizzo del proxy.
advice-mobile-data = Usa i dati mobili del telefono invece di questa rete, oppure l'app ChatGPT sul telefono con i dati mobili.
advice-ask-administrator = Chiedi all'amministratore della rete (il reparto IT, la scuola) se qui ChatGPT è consentito.
advice-vpn-if-allowed = Una VPN aggira il blocco, ma usala solo dove le regole della rete lo permettono.

## Cosa vuol dire un codice di stato.

http-500 = errore interno del server
http-502 = gateway non valido
http-503 = servizio non disponibile
http-504 = timeout del gateway
http-520 = risposta vuota o inattesa da OpenAI
http-521 = OpenAI ha rifiutato la connessione
http-522 = connessione a OpenAI scaduta
http-523 = OpenAI irraggiungibile
http-524 = OpenAI ci ha messo troppo a rispondere
http-525 = handshake sicuro con OpenAI fallito
http-526 = certificato non valido presso OpenAI
http-530 = indirizzo di OpenAI non risolto
http-403 = accesso negato
http-429 = troppe richieste

## Riassunti in una riga.

summary = { $headline } — { $cause }
summary-network-block = { $headline }. { $beyond }.
cause-tagged = { $cause } ({ $tags })
list-separator = { ", " }
tag-cf-code = errore { $code }
cause-limited = { $cause }; { $limited }

## Errori di rete.

net-dns = il nome non si risolve (DNS)
net-connect = la connessione è stata rifiutata
net-timeout = nessuna risposta in tempo
net-reset = la connessione è stata interrotta
net-tls = la connessione sicura è fallita (TLS)
net-protocol = la risposta non era HTTP valido
net-proxy-auth = il proxy richiede l'autenticazione (407)
net-proxy-refused = il proxy non ha voluto collegarsi

## A chi ha chiesto Gatewatch.

target-edge = Il nodo Cloudflare
target-status-page = La pagina di stato
target-control = Un sito di controllo
target-app = Il percorso delle app per smartphone

## I fatti, una frase ciascuno.

evidence-edge-answered-from = Il nodo Cloudflare ha risposto da { $colo } ({ $ms } ms).
evidence-edge-answered = Il nodo Cloudflare ha risposto ({ $ms } ms).
evidence-edge-not-trace = Qualcosa ha risposto all'indirizzo di Cloudflare con { $status } ma non era Cloudflare.
evidence-edge-http-error = Il nodo Cloudflare ha risposto al controllo di Gatewatch con errore { $status }.
evidence-edge-failed = Il nodo Cloudflare non ha risposto: { $error }.
evidence-origin-answered = chatgpt.com ha risposto { $status }{ $meaning }{ $kind }{ $code }{ $colo } ({ $ms } ms).
evidence-meaning = { " " }({ $meaning })
evidence-kind-cloudflare-page = { " " }con la pagina di errore di Cloudflare
evidence-kind-challenge = { " " }con una verifica "sei umano?"
evidence-kind-openai = { " " }dai server stessi di OpenAI
evidence-error-code = , codice errore { $code }
evidence-via = , via { $colo }
evidence-origin-failed = chatgpt.com non ha risposto: { $error } ({ $ms } ms).
evidence-api-alive = api.openai.com risponde: l'API di OpenAI è attiva ({ $ms } ms).
evidence-api-http-error = api.openai.com ha risposto con errore { $status }.
evidence-api-failed = api.openai.com non ha risposto: { $error }.
evidence-control-answered = Un sito estraneo a OpenAI e Cloudflare risponde: la tua connessione funziona.
evidence-control-replaced = La verifica di controllo (una risposta vuota attesa da un sito estraneo a OpenAI) ha ricevuto altro ({ $status }): la tua rete risponde al posto di internet.
evidence-answered-in-place = A { $target } ha risposto qualcos'altro, non i suoi server ({ $status }): non conta come sua risposta.
evidence-block-filter-page = A { $target } ha risposto una pagina che non è passata da Cloudflare ({ $detail }){ $vendor }: la pagina di blocco di un filtro web.
evidence-block-proxy-policy = Il tuo proxy si è rifiutato di collegarsi a { $target } ({ $detail }){ $vendor }, mentre lascia passare gli altri siti.
evidence-block-dns-answer = { $target } corrisponde a { $detail }, che non è un indirizzo di Cloudflare{ $vendor }: il DNS della rete lo blocca.
evidence-block-dns-nxdomain = Il DNS della rete dice che { $target } non esiste, mentre gli altri nomi si risolvono: lo blocca.
evidence-block-reset = La connessione a { $target } ({ $detail }) è stata interrotta appena Gatewatch ha nominato il sito, mentre lo stesso indirizzo risponde per altri nomi.
evidence-block-foreign-certificate = A { $target } ha risposto un server fuori da Cloudflare con un certificato per un altro nome ({ $detail }){ $vendor }: un server di blocco.
evidence-by-vendor = , di { $vendor }
evidence-limited-network = La tua rete lo blocca ({ $status }): Gatewatch giudica da ciò che passa ancora.
evidence-control-failed = Nemmeno un sito estraneo a OpenAI ha risposto: { $error }.
evidence-slow = { $target } ha impiegato { $ms } ms (lento oltre { $limit } ms).
evidence-status-page = La pagina di stato di OpenAI indica { $state }{ $incidents }{ $chatgpt }
indicator-none = tutto verde
indicator-minor = un problema minore
indicator-major = un problema grave
indicator-critical = un problema critico
indicator-maintenance = manutenzione
indicator-unknown = uno stato sconosciuto
evidence-open-incidents = , { $n ->
    [one] { $n } incidente aperto
   *[other] { $n } incidenti aperti
}
evidence-chatgpt-major = , con una parte di ChatGPT del tutto ferma.
evidence-chatgpt-partial = , con una parte di ChatGPT che non funziona per alcuni utenti.
evidence-chatgpt-affected = , che riguarda ChatGPT.
evidence-chatgpt-unaffected = , niente su ChatGPT.
evidence-limited-challenge = Quella verifica è pensata per i browser ({ $status }) e non arriva ai server di OpenAI: Gatewatch giudica dagli altri controlli.
evidence-limited-refused = Quel rifiuto non dà motivi ({ $status }) e non arriva ai server di OpenAI: Gatewatch giudica dagli altri controlli.
evidence-app-answers = Il percorso delle app per smartphone verso OpenAI (ios.chat.openai.com) risponde ({ $ms } ms).
evidence-app-fails = Anche il percorso delle app per smartphone verso OpenAI (ios.chat.openai.com) non funziona: ha risposto { $status }{ $meaning } ({ $ms } ms).
evidence-app-refuses = Il percorso delle app per smartphone verso OpenAI (ios.chat.openai.com) ha risposto { $status }: rifiuta la richiesta di Gatewatch, il che non dice nulla delle app ({ $ms } ms).
evidence-app-failed = Il percorso delle app per smartphone verso OpenAI (ios.chat.openai.com) non ha risposto: { $error } ({ $ms } ms).
evidence-app-silent = Il percorso delle app per smartphone verso OpenAI (ios.chat.openai.com) non ha risposto ({ $ms } ms).
evidence-phone-apps = La pagina di stato di OpenAI indica le app per smartphone { $state }.
evidence-retry-after = chatgpt.com ha chiesto a Gatewatch di aspettare { $wait } prima di controllare di nuovo (Retry-After): Gatewatch aspetta almeno tanto, al massimo 15 minuti.
component-operational = funzionanti
component-degraded = lente
component-partial-outage = parzialmente ferme
component-major-outage = ferme
component-maintenance = in manutenzione
component-unknown = in uno stato sconosciuto

## L'icona: il suggerimento e il menu.

since-time = dalle { $time }
line-since = { $line } · { $since }
paused-line = In pausa — { $line }
menu-checking = Controllo in corso…
menu-check-now = Controlla ora
menu-whats-going-on = Cosa succede?
menu-open-chatgpt = Apri ChatGPT
menu-open-status-page = Apri la pagina di stato di OpenAI
menu-snooze = Silenzia le notifiche
menu-snooze-hour = Per 1 ora
menu-snooze-until-back = Finché ChatGPT non torna
menu-notify-again = Avvisami di nuovo
menu-notify-again-at = Avvisami di nuovo (silenzio fino alle { $time })
menu-settings = Impostazioni…
menu-start-at-login = Avvia all'accesso
menu-quit = Esci da Gatewatch
explainer-could-not-start = La finestra dei dettagli non si è aperta: { $reason }
explainer-stopped = La finestra dei dettagli si è interrotta: { $reason }
window-missing = il suo programma non è installato accanto a Gatewatch
window-cannot-run = il sistema non ha avviato il suo programma
window-library = manca una libreria di cui ha bisogno ({ $library })
window-no-display = non c'è uno schermo su cui mostrarla
window-no-webview2 = manca WebView2 Runtime di Microsoft: installalo da { $url }
window-exited = codice di uscita { $code }
window-killed = terminata dal segnale { $signal }
window-ended = si è chiusa senza dire perché
window-no-channel = Gatewatch non ha un canale locale per parlarle

## Le notifiche.

notify-settings-reset = Gatewatch: impostazioni ripristinate
warning-settings-not-applied = Non è stato possibile applicare le nuove impostazioni: Gatewatch continua a controllare con quelle di prima (il log dice perché).
store-damaged = { $file } era danneggiato; è stato conservato come { $backup }.
store-unreadable = Non è stato possibile leggere { $file }: { $why }.
store-unwritable = Non è stato possibile salvare { $file }: { $why }.
io-denied = permesso negato
io-full = il disco è pieno
io-read-only = il disco è in sola lettura
io-missing = la sua cartella non esiste
io-other = il sistema ha rifiutato (il log dice come)
store-then-defaults = { $problem } Si usano le impostazioni predefinite.
store-then-new-history = { $problem } Comincia una nuova cronologia.
store-then-kept = { $problem } Le impostazioni in uso sono state mantenute e salvate di nuovo.
store-then-kept-unsaved = { $problem } Le impostazioni in uso sono state mantenute. { $why }
notify-open = Apri Gatewatch
notify-down-body = { $cause } — { $tip }{ $api } Dalle { $time }.
notify-api-answers = { " " }L'API risponde ancora.
notify-tip-wait = aspetta, o prova l'app sul telefono.
notify-tip-phone = prova l'app sul telefono.
notify-back-title = ChatGPT è tornato
notify-back-body = Non ha funzionato per { $duration } (dalle { $time }).
notify-cause-title = { $headline } — nuova causa
notify-cause-body = { $cause } — { $tip } Fermo dalle { $time }.
notify-still-down-title = { $headline } da { $duration }
notify-still-down-body = { $cause } — { $tip }
notify-flapping-title = ChatGPT è instabile
notify-flapping-body = { $n ->
    [one] È caduto una volta nell'arco di { $window }.
   *[other] È caduto { $n } volte nell'arco di { $window }.
} Gatewatch non ti disturberà finché non si stabilizza, poi ti manderà un riepilogo.
notify-stable-down-title = ChatGPT non è più instabile, ma resta fermo
notify-stable-title = ChatGPT è di nuovo stabile
notify-stable-body = Nel frattempo: { $n ->
    [one] un'interruzione
   *[other] { $n } interruzioni
}, { $duration } di fermo in totale.
notify-network-blocks-title = Questa rete blocca ChatGPT
notify-network-blocks-body = { $how }. { $beyond }. Per raggiungerlo usa i dati mobili, o l'app sul telefono con i dati mobili.

## La riga di comando.

cli-saw = Cosa ha visto Gatewatch:
cli-status-page-unreadable = Pagina di stato illeggibile: { $error }
page-error-http = ha risposto con errore { $status }
page-error-unreadable = la sua risposta non è il JSON che Gatewatch sa leggere
page-error-too-large = la sua risposta supera i { $kib } KiB che Gatewatch legge
cli-incident = Incidente: { $name } ({ $status }) { $link }
cli-todo = Cosa fare:
cli-uptime = Disponibilità: 24 h { $day } · 7 g { $week }
cli-no-outages = Nessuna interruzione registrata.
cli-outages = Interruzioni, dalla più recente:
cli-ongoing = in corso
cli-back-after = tornato dopo { $duration }
cli-with-note = { $line } — { $note }
cli-since = Dalle { $time }
cli-network-blocked = Bloccato dalla tua rete: 24 h { $day } · 7 g { $week }

## Il tuo browser: ciò che l'estensione di Gatewatch ha visto delle tue richieste a chatgpt.com.

evidence-browser-fails = Nel tuo browser { $failed } delle { $recent ->
    [one] ultima richiesta
   *[other] ultime { $recent } richieste
} a ChatGPT non sono andate a buon fine: { $what }.
evidence-browser-answers = Nel tuo browser ChatGPT risponde: { $answered } delle { $recent ->
    [one] ultima richiesta
   *[other] ultime { $recent } richieste
} sono andate a buon fine.
evidence-browser-quiet = Le ultime richieste del tuo browser a ChatGPT non dicono nulla né in un senso né nell'altro (le interruzioni fatte da te e le verifiche di Cloudflare non contano).
browser-failure-gateway = un { $status } da Cloudflare, che non ha avuto una risposta valida dai server di OpenAI
browser-failure-origin = un errore { $status } dai server di OpenAI
browser-failure-cut = risposte interrotte a metà
browser-failure-reset = la connessione è stata reimpostata
browser-failure-closed = la connessione si è chiusa prima di una risposta
browser-failure-timeout = nessuna risposta in tempo
browser-failure-protocol = la connessione si è rotta (un errore di protocollo)
browser-failure-other = la richiesta non è andata a buon fine
banner-error-page = chatgpt.com ha inviato una pagina di errore

## Updates.

update-available = Gatewatch { $version } è disponibile
update-how-installer = Scegli "Installa aggiornamento" nel menu di Gatewatch per installarlo.
update-how-apt = Lo porta il tuo gestore di pacchetti: sudo apt update && sudo apt upgrade
update-how-dnf = Lo porta il tuo gestore di pacchetti: sudo dnf upgrade gatewatch
update-how-page = Scaricalo da { $url }
update-daily-title = Gatewatch controlla se ci sono nuove versioni
update-daily-body = Una volta al giorno chiede a GitHub se esiste un Gatewatch più recente; GitHub vede il tuo indirizzo IP e quale versione hai. Non viene installato nulla se non lo chiedi tu. Per disattivarlo, imposta "Cerca nuove versioni" su "Mai" nelle Impostazioni.
update-up-to-date-title = Gatewatch è aggiornato
update-up-to-date = { $version } è la versione più recente.
update-failed-title = Impossibile cercare aggiornamenti
update-check-failed = Gatewatch riproverà domani. ({ $reason })
update-menu-check = Cerca aggiornamenti
update-menu-checking = Ricerca aggiornamenti…
update-menu-daily = Cerca nuove versioni ogni giorno
update-menu-install = Installa aggiornamento
update-menu-installing = Installazione di Gatewatch { $version }…
update-menu-release-page = Apri la pagina di download
update-menu-skip = Salta questa versione
update-install-failed-title = L'aggiornamento non è stato installato
update-install-failed = Aggiornamento non installato: { $reason }
update-error-off = la ricerca di aggiornamenti è disattivata
update-error-address = l'indirizzo del manifest delle versioni non è utilizzabile (vedi l'impostazione update_url)
update-error-http = il server delle versioni ha risposto con errore { $status }
update-error-no-answer = il server delle versioni non ha risposto: { $error }
update-error-too-large = la risposta del server delle versioni supera quanto Gatewatch legge
update-error-redirect = il server delle versioni ha mandato Gatewatch a un indirizzo che non segue
update-error-signature = la versione non è firmata con la chiave di Gatewatch, oppure è stata modificata dopo la firma
update-error-mismatch = la firma della versione riguarda un'altra versione o un altro file
update-error-manifest = il manifest delle versioni non è leggibile
update-error-downgrade = la versione offerta ({ $offered }) è più vecchia di questa ({ $running })
update-error-no-platform = la versione non ha un download per questo sistema
update-error-disk = non è stato possibile salvare il download su questo computer
update-error-not-here = Gatewatch non si installa da solo su questo sistema
update-error-installer-refused = Windows non ha avviato il programma di installazione (forse l'ha bloccato un antivirus o Smart App Control)
update-error-installer-ended = il programma di installazione è terminato senza installare (codice di uscita { $code })
update-cli-available = Gatewatch { $version } è disponibile (hai la { $current }).
update-cli-up-to-date = Gatewatch { $version } è la versione più recente.
update-cli-notes = Novità:

## Avvisi inviati altrove: Slack, Discord, Microsoft Teams, webhook JSON, ntfy.

alert-sentence = { $title }: { $body }
alert-late = Inviato in ritardo: è successo alle { $time }.
alert-field-cause = Causa
alert-field-since = Dalle
alert-field-advice = Cosa fare
alert-status-page = pagina di stato di OpenAI
alert-test-title = Gatewatch: una prova
alert-test-body = Questo canale riceverà gli avvisi di Gatewatch su ChatGPT.
alert-test-body-now = Questo canale riceverà gli avvisi di Gatewatch su ChatGPT. Adesso: { $now }
channel-failing = Gli avvisi verso { $channel } non arrivano: { $why }
cli-wait-timeout = ChatGPT non funziona ancora dopo { $duration }.
cli-wait-unknown = Gatewatch non è riuscito a capire in { $duration } se ChatGPT funziona.
