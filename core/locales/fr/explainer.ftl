# Gatewatch — les mots de la fenêtre d'explication (le diagnostic lui-même vient de gatewatch.ftl).


## La fenêtre : ses pages et ses boutons.

nav_status = État
nav_history = Historique
nav_settings = Paramètres
language = Langue
checking = Vérification…
check_now = Vérifier
checking_now = Vérification…
snooze_hour = Couper 1 h
snooze_recovered = Couper jusqu'au retour
unsnooze = Réactiver les notifications
why = Pourquoi
evidence = Ce que Gatewatch a vu
official = Ce que dit OpenAI
todo = Que faire
open_status = Ouvrir la page d'état d'OpenAI
open_chatgpt = Ouvrir ChatGPT
phone_text = L'appli ChatGPT sur votre téléphone joint OpenAI par une autre voie et marche souvent quand le site ne marche pas. Ce n'est pas garanti.
qr_iphone = (iPhone, iPad)
qr_android = (Android)
qr_hint = Visez un code avec l'appareil photo de votre téléphone pour ouvrir la page de la boutique d'applis.
qr_label = Code QR de l'appli ChatGPT sur { $store }

## Le chemin : vous → votre réseau → (votre proxy) → Cloudflare → OpenAI.

hop_you = Vous
hop_network = Votre réseau
hop_proxy = Votre proxy
hop_filter = Le filtre de votre réseau
hop_edge = Cloudflare (le standard)
hop_origin = Serveurs d'OpenAI (le bureau)
hop_ok = fonctionne
hop_failed = la panne est ici
hop_unknown = impossible à dire
hop_refusing = vous refuse l'accès
hop_blocking = bloque ChatGPT

## La page d'état de la fenêtre.

since = Depuis { $time } ({ $dur })
down_since = En panne depuis { $time } ({ $dur })
last_check = Dernière vérification à { $time }
sep_parts = { " · " }
snoozed_until = Notifications coupées jusqu'à { $time }.
snoozed_recovered = Notifications coupées jusqu'au retour de ChatGPT.
flapping = ChatGPT n'arrête pas de tomber en panne et de revenir.
paused = Les vérifications sont en pause.
page_none = Pas encore d'informations de la page d'état.
page_error = Impossible de lire la page d'état : { $err }
page_lag = ChatGPT est en panne depuis { $dur } et la page d'état n'indique toujours rien.
page_says = Page d'état : { $desc }
sep_sentences = { " " }
incident = { $name } — { $status }

## Historique.

uptime_24h = Disponibilité, 24 h
uptime_7d = Disponibilité, 7 jours
latency_note = Médiane { $median } ms, au pire { $max } ms ({ $n ->
    [one] { $n } vérification
   *[other] { $n } vérifications
}).
no_latency = Pas encore de mesures.
outages = Pannes
col_start = Début
col_duration = Durée
col_what = Quoi
ongoing = en cours
no_outages = Aucune panne enregistrée.

## Paramètres.

checking_legend = Vérifications
notifications_legend = Notifications
probes_legend = Que vérifier
general_legend = Général
s_poll = Vérifier toutes les (secondes)
s_down_poll = Pendant une panne, vérifier toutes les (secondes)
s_recheck = Revérifier après un premier échec (secondes)
s_failure = Échecs avant « en panne »
s_success = Réussites avant « rétabli »
s_timeout = Abandonner une requête après (secondes)
s_slow = Lent au-delà de (millisecondes)
s_notifications = Me prévenir quand ChatGPT tombe en panne ou revient
s_reminder = Me le rappeler pendant une panne, toutes les (minutes, 0 = jamais)
p_edge = Le nœud Cloudflare
p_api = L'API d'OpenAI
p_status = La page d'état d'OpenAI
p_control = Un site sans rapport, pour repérer vos propres pannes
lang_auto = Système
s_login = Lancer au démarrage
advanced = Avancé : adresses
e_status = Page d'état
e_control = Site de contrôle
p_app = La voie des applis mobiles vers OpenAI
e_app = Hôte des applis mobiles
s_proxy = Proxy
s_proxy_help = « system » (le réglage de votre ordinateur), « none » (aucun proxy), ou l'adresse d'un proxy, par exemple http://utilisateur:mot-de-passe@proxy.example:3128 (aussi https:// et socks5://). Les scripts de proxy (PAC) ne sont pas lus : indiquez l'adresse du proxy lui-même.

## Signaler un diagnostic erroné.

report_title = Signaler un diagnostic erroné
copy_report = Copier le rapport
report_copied = Copié.
report_select = Sélectionné : appuyez sur Ctrl+C pour copier.
report_hint = Si Gatewatch s'est trompé, joignez ceci à votre signalement : la réponse de chaque vérification, sans votre adresse IP.

## La voie des applis mobiles.

hop_hidden = invisible d'ici
route_answers = Mesuré à l'instant : la voie des applis mobiles vers OpenAI répond ({ $ms } ms).
route_fails = Mesuré à l'instant : la voie des applis mobiles échoue aussi ({ $status }).
route_refuses = La voie des applis mobiles refuse la requête de Gatewatch : impossible de savoir si les applis fonctionnent.
route_unreachable = Mesuré à l'instant : la voie des applis mobiles ne répond pas.
apps_page = La page d'état d'OpenAI indique pour les applis mobiles : { $state }.
app_state_operational = opérationnelles
app_state_degraded_performance = lentes
app_state_partial_outage = en partie en panne
app_state_major_outage = en panne
app_state_under_maintenance = en maintenance
app_state_unknown = état inconnu

## Enregistrer les paramètres.

saved = Enregistré.
save = Enregistrer
not_number = { $field } : saisissez un nombre.
error_prefix = Enregistrement impossible :

## Historique : barres de disponibilité et graphique des temps de réponse.

uptime_30d = Disponibilité, 30 jours
uptime_90d = Disponibilité, 90 jours
bars_title = La disponibilité en un coup d'œil
bars_hint = Pointez une barre, ou sélectionnez une ligne et utilisez les flèches, pour voir son détail.
bars_day = 24 dernières heures, 15 minutes par barre
bars_week = 7 derniers jours, une heure par barre
bars_quarter = 90 derniers jours, un jour par barre
state_up = fonctionne
state_degraded = lent ou en partie en panne
state_down = en panne
state_unknown = inconnu
state_network = bloqué par votre réseau
state_none = non surveillé
cell_uptime = disponibilité { $pct }
cell_checks = { $n ->
    [one] { $n } vérification
   *[other] { $n } vérifications
}
cell_no_data = aucune vérification
cell_state = { $period } : { $state }
cell_latency = médiane { $median } ms, au pire { $max } ms
cell_outage = { $what }, à partir de { $time } pendant { $dur }
sep_clauses = { " ; " }
cell_down = en panne pendant { $dur }
cell_network = bloqué par votre réseau pendant { $dur }
chart_title = Temps de réponse
range_label = Période
range_day = 24 heures
range_week = 7 jours
chart_svg_title_day = Temps de réponse sur les dernières 24 heures
chart_svg_title_week = Temps de réponse sur les 7 derniers jours
chart_desc = La ligne montre le temps de réponse médian par { $bucket }, la bande claire va jusqu'à la vérification la plus lente : en général { $median } ms, au pire { $max } ms.
chart_outages = { $n ->
    [one] Une panne est grisée et marquée par sa cause ; le tableau Pannes ci-dessous la reprend.
   *[other] { $n } pannes sont grisées et marquées par leur cause ; le tableau Pannes ci-dessous les reprend.
}
chart_no_outages = Aucune panne sur cette période.
outage_title = { $what } — { $time }
bucket_quarter = 15 minutes
bucket_hour = heure
axis_ms = ms
legend_median = médiane
legend_slowest = la plus lente
legend_outage = panne

## Updates.

e_update = Nouvelles versions (manifeste)
updates_legend = Mises à jour
s_updates = Rechercher les nouvelles versions
s_updates_notify = Une fois par jour, et me prévenir
s_updates_off = Jamais
s_updates_help = Une fois par jour, Gatewatch demande à GitHub s'il existe une version plus récente ; GitHub voit votre adresse IP et la version que vous avez. Rien n'est installé sans votre demande.
update_available = Gatewatch { $version } est disponible.
update_skipped = Vous avez choisi d'ignorer cette version.
update_current = Vous avez la version la plus récente ({ $version }).
update_error = La dernière recherche de mises à jour a échoué : { $error }
update_off_note = La recherche de mises à jour est désactivée.
update_notes = Nouveautés

## Réglages : alertes envoyées ailleurs.

channels_legend = Alertes envoyées ailleurs
channels_help = Les mêmes alertes, vers un canal Slack, Discord ou Microsoft Teams, un webhook JSON, ou votre téléphone via ntfy. Leurs adresses sont secrètes : Gatewatch ne les garde que dans son fichier de réglages.
channel_add = Ajouter un canal
channel_kind = Service
channel_url = Adresse (URL du webhook, ou serveur et sujet ntfy)
channel_token = Jeton d'accès (facultatif)
channel_notices = Quelles alertes
notice_down = Panne
notice_recovered = Retour
notice_cause = Cause changée
notice_still_down = Toujours en panne (rappels)
notice_flapping = Instable
notice_stable = De nouveau stable
notice_network_blocks = Un réseau bloque ChatGPT
channel_test = Envoyer un essai
channel_remove = Retirer
channel_unsaved = Pas encore enregistré.
channel_testing = Envoi d'un essai…
channel_test_ok = Essai envoyé à { $time }.
channel_test_failed = L'essai n'est pas passé : { $why }
channel_failing = Les alertes ne passent pas : { $why }
channel_working = Dernière alerte envoyée à { $time }.
channel_untried = Rien d'envoyé pour l'instant.
channel_waiting = { $n ->
    [one] Une alerte attend de partir.
   *[other] { $n } alertes attendent de partir.
}

## Réglages : l'extension du navigateur (Chromium, Google Chrome, Microsoft Edge, Firefox).

browsers_legend = Dans votre navigateur
browsers_help = L'extension de Gatewatch pour le navigateur lui indique comment ChatGPT répond dans votre propre navigateur. Pour joindre Gatewatch, chaque navigateur a besoin d'un petit fichier qui désigne le programme d'aide de Gatewatch ; Gatewatch l'écrit au démarrage pour chaque navigateur que vous avez utilisé.
browser_registered = Prêt : l'extension peut joindre Gatewatch.
browser_system = Prêt pour tous les comptes de cet ordinateur : l'extension peut joindre Gatewatch.
browser_not_found = Introuvable : jamais ouvert sur ce compte.
browser_sandboxed = Seule une version en bac à sable ({ $kinds }) a été trouvée. Elle n'est pas prise en charge : elle ne peut pas lancer de programme hors de son bac à sable.
browser_failed = Préparation impossible : { $why }
browser_sandbox_also = Sa version en bac à sable ({ $kinds }) n'est pas prise en charge : elle ne peut pas lancer de programme hors de son bac à sable.
browser_snap_portal = En Snap, Firefox vous demande une fois d'autoriser l'extension à joindre Gatewatch.
browser_connected = L'extension est connectée en ce moment.
browsers_connected = { $n ->
    [0] Aucune extension de navigateur n'est connectée pour le moment.
    [one] L'extension est connectée en ce moment, dans un navigateur.
   *[other] L'extension est connectée en ce moment, dans { $n } navigateurs.
}
browsers_no_host = Le programme d'aide de Gatewatch pour le navigateur est absent ({ $path }) : aucun navigateur n'a été préparé.
browsers_other = Aucun navigateur n'a été préparé : { $why }
