# Gatewatch — ce que disent l'icône, les notifications, la ligne de commande et le diagnostic.
# La métaphore : Cloudflare est le standard devant ChatGPT, les serveurs d'OpenAI sont le bureau derrière.

## Le nom de la langue, dans la langue elle-même.

language-name = Français

## Heures et durées.

# Une heure de la journée. $hour24 va de 0 à 23, $hour12 de 1 à 12, $minute a deux chiffres, $period vaut am ou pm.
clock = { $hour24 }:{ $minute }
# Durées, aussi courtes que l'icône l'exige : « 45 s », « 7 min », « 1 h 5 min », « 2 jours 3 h ».
duration-seconds = { $s } s
duration-minutes = { $m } min
duration-hours = { $h } h
duration-hours-minutes = { $h } h { $m } min
duration-days = { $d ->
    [one] { $d } jour
   *[other] { $d } jours
}
duration-days-hours = { $d ->
    [one] { $d } jour
   *[other] { $d } jours
} { $h } h

## Verdicts : le titre.

verdict-up = ChatGPT fonctionne
verdict-degraded = ChatGPT est en difficulté
verdict-down = ChatGPT est en panne
verdict-unreachable = ChatGPT est injoignable
verdict-blocked = ChatGPT fonctionne, mais vous refuse l'accès
verdict-offline = Vous êtes hors ligne
verdict-unknown = Impossible de savoir pour l'instant
verdict-network-blocks = Ce réseau bloque ChatGPT

## Les causes en quelques mots, pour les résumés et les notifications.

cause-healthy = tout répond normalement
cause-slow = les réponses sont lentes
cause-partial-failure = certains services d'OpenAI sont en panne
cause-official-incident = OpenAI signale un incident
cause-overload = les serveurs d'OpenAI ne répondent pas à Cloudflare
cause-broken-link = Cloudflare n'arrive pas à joindre OpenAI
cause-origin-tls = la liaison sécurisée Cloudflare–OpenAI est rompue
cause-maintenance = OpenAI est en maintenance
cause-origin-failure = les serveurs d'OpenAI sont en erreur
cause-cloudflare-failure = Cloudflare lui-même est en panne
cause-cloudflare-unreachable = Cloudflare ne répond pas
cause-challenge = une vérification « êtes-vous humain ? »
cause-access-denied = accès refusé à votre connexion
cause-rate-limited = trop de requêtes depuis votre adresse
cause-region = indisponible là où vous vous connectez
cause-captive-portal = votre réseau vous demande de vous connecter
cause-your-network = votre connexion internet est coupée
cause-inconclusive = pas de cause claire
cause-official-outage = la page d'état d'OpenAI le signale en panne
cause-proxy-login = votre proxy demande une identification
cause-proxy-failing = le proxy de votre réseau n'accède pas à internet
cause-proxy-unreachable = votre proxy ne répond pas
cause-tls-intercepted = quelque chose sur votre réseau intercepte les connexions sécurisées
cause-network-blocks = votre réseau bloque ChatGPT
cause-conversations-fail = les requêtes à ChatGPT échouent dans votre navigateur
# Une vue limitée où rien d'anormal n'a été trouvé.
cause-nothing-wrong = rien n'indique de problème

## Les causes expliquées : le standard et le bureau.

explain-healthy = Votre réseau, Cloudflare (le standard devant ChatGPT) et les serveurs d'OpenAI (le bureau derrière) répondent tous normalement.
explain-slow = Tout répond, mais lentement : les serveurs d'OpenAI sont sans doute surchargés. Les pages peuvent être lentes à charger ou ne pas aboutir.
explain-partial-failure = Une des portes que Gatewatch vérifie est en panne (l'API d'OpenAI, la voie des applis mobiles ou le nœud Cloudflare) alors que les autres répondent. Certaines fonctions peuvent ne pas marcher.
explain-official-incident = La page d'état d'OpenAI signale un problème avec ChatGPT, qui répond pourtant encore : certaines fonctions peuvent échouer.
explain-overload = Cloudflare, le standard, a répondu — mais le bureau derrière, les serveurs d'OpenAI, ne lui a pas donné de réponse valable. C'est en général une surcharge ou une panne du côté d'OpenAI. Le problème ne vient pas de votre ordinateur.
explain-broken-link = Cloudflare, le standard, fonctionne mais n'arrive pas du tout à joindre les serveurs d'OpenAI : la ligne entre le standard et le bureau est coupée, ou le bureau est fermé. Le problème ne vient pas de votre ordinateur.
explain-origin-tls = Cloudflare n'arrive pas à ouvrir une connexion sécurisée vers les serveurs d'OpenAI : un problème de certificat ou de configuration du côté d'OpenAI. Le problème ne vient pas de votre ordinateur.
explain-maintenance = OpenAI a annoncé une maintenance et ses serveurs ne répondent pas en attendant. Le problème ne vient pas de votre ordinateur.
explain-origin-failure = L'appel est bien arrivé aux serveurs d'OpenAI, mais ils ont répondu par une erreur : quelque chose est cassé dans le bureau. Le problème ne vient pas de votre ordinateur.
explain-cloudflare-failure = Cloudflare lui-même est en panne : le standard devant ChatGPT (et devant beaucoup d'autres sites) est hors service, donc rien n'arrive jusqu'à OpenAI. Le problème ne vient pas de votre ordinateur.
explain-cloudflare-unreachable = Votre connexion internet fonctionne (d'autres sites répondent), mais Cloudflare — le standard devant ChatGPT — ne répond pas du tout.
explain-challenge = ChatGPT fonctionne. Cloudflare veut vérifier que vous êtes humain (« Just a moment... ») avant de vous laisser passer. Ce n'est pas une panne.
explain-access-denied = ChatGPT fonctionne, mais Cloudflare refuse les connexions venant de votre adresse (une règle de pare-feu, ou une adresse à mauvaise réputation, ce qui est fréquent avec les VPN).
explain-rate-limited = ChatGPT fonctionne, mais limite pour l'instant les requêtes venant de votre adresse. La limite se lève d'elle-même.
explain-region = ChatGPT fonctionne, mais refuse les connexions depuis l'endroit où vous vous trouvez : OpenAI ne dessert pas ce pays, ou bloque l'adresse de votre VPN ou de votre proxy.
explain-captive-portal = Votre réseau intercepte les connexions : sans doute une page de connexion au Wi-Fi (hôtel, train, aéroport) qui attend que vous vous identifiiez.
explain-your-network = Cette fois, c'est votre connexion : aucun site ne répond, pas seulement ChatGPT. ChatGPT va peut-être très bien.
explain-inconclusive = Les réponses n'indiquent pas de cause claire. Gatewatch continue de vérifier.
explain-official-outage = La page d'état d'OpenAI signale ChatGPT en panne. Depuis votre réseau, Gatewatch ne peut pas voir à travers chatgpt.com pour le confirmer, et rien de ce qu'il voit ne dit le contraire. Le problème ne vient pas de votre ordinateur.
explain-proxy-login = Vos requêtes passent par un proxy (vous → votre réseau → votre proxy → Cloudflare → OpenAI), et ce proxy demande un nom d'utilisateur et un mot de passe avant de les laisser passer (407). Cela ne dit rien sur ChatGPT.
explain-proxy-failing = Vos requêtes passent par le proxy de votre réseau (vous → votre réseau → votre proxy → Cloudflare → OpenAI). Le proxy répond, mais avec ses propres erreurs : il n'accède pas à internet, ou refuse de le faire. Gatewatch ne voit pas au-delà, donc il ne peut pas dire si ChatGPT fonctionne.
explain-proxy-unreachable = Vos requêtes devraient passer par un proxy, et ce proxy ne répond pas : il est arrêté, son adresse est fausse, ou c'est votre propre connexion qui ne marche pas. Gatewatch ne peut pas dire si ChatGPT fonctionne.
explain-tls-intercepted = chatgpt.com a répondu avec un certificat non fiable. Ceux de Cloudflare le sont toujours, donc quelque chose sur votre réseau (un proxy d'entreprise, un antivirus, un portail Wi-Fi) intercepte les connexions sécurisées. Gatewatch n'envoie rien sur une telle connexion.
explain-network-blocks = Le réseau sur lequel vous êtes empêche votre ordinateur d'atteindre ChatGPT : son filtre web, son DNS ou son proxy coupe la connexion, comme le font beaucoup d'entreprises et d'écoles (les autres sites fonctionnent). Ce n'est pas une panne, et votre ordinateur n'y est pour rien : ChatGPT fonctionne peut-être très bien pour tout le monde. Ce que Gatewatch sait de ChatGPT lui-même vient de ce qui passe encore : la page d'état d'OpenAI et les portes d'OpenAI que le réseau laisse passer.
explain-conversations-fail = Votre propre navigateur, connecté à chatgpt.com, voit ses requêtes à ChatGPT échouer — coupées en plein milieu, réinitialisées ou restées sans réponse — alors que le site se charge peut-être encore pour les vérifications de Gatewatch. C'est ainsi qu'une panne partielle se présente avant que la page d'état d'OpenAI n'en dise quoi que ce soit. Vos propres arrêts (« Arrêter la génération ») et les vérifications de Cloudflare ne comptent pas. Le problème ne vient pas de votre ordinateur.
explain-nothing-wrong = Rien de ce que Gatewatch voit n'indique de problème : Cloudflare répond, tout comme les autres portes d'OpenAI et sa page d'état. Depuis votre réseau, il ne peut pas voir jusqu'au bout à travers chatgpt.com (voir ci-dessous), c'est donc une vue limitée.

## Vue limitée : chatgpt.com ne montre pas à Gatewatch ce qu'il montre à un navigateur.

limited-challenge-short = vue limitée : chatgpt.com exige un navigateur
limited-refused-short = vue limitée : chatgpt.com refuse les requêtes de Gatewatch
limited-view = vue limitée
limited-challenge = Vue limitée : depuis votre réseau, chatgpt.com répond aux requêtes de Gatewatch par une vérification « êtes-vous humain ? » que seul un navigateur peut passer (Cloudflare l'impose aux programmes sur beaucoup de réseaux, surtout les VPN et les centres de données). Une telle requête n'arrive jamais aux serveurs d'OpenAI, donc Gatewatch juge d'après le reste : le nœud Cloudflare, l'API d'OpenAI, la voie des applis mobiles et la page d'état d'OpenAI. Cela ne dit rien de votre navigateur, qui passe peut-être très bien.
limited-refused = Vue limitée : depuis votre réseau, chatgpt.com refuse les requêtes de Gatewatch sans dire pourquoi (un simple 403, ou un 404 vide). Une telle requête n'arrive jamais aux serveurs d'OpenAI, donc Gatewatch juge d'après le reste : le nœud Cloudflare, l'API d'OpenAI, la voie des applis mobiles et la page d'état d'OpenAI. Cela ne dit rien de votre navigateur, qui passe peut-être très bien.
limited-network-short = vue limitée : ce réseau bloque chatgpt.com
limited-network = Vue limitée : votre réseau bloque chatgpt.com, donc Gatewatch ne peut pas voir ChatGPT lui-même d'ici. Il juge d'après ce qui passe encore : la page d'état d'OpenAI et les portes d'OpenAI que le réseau laisse passer.
block-how-filter-page = le filtre web du réseau répond à la place de ChatGPT
block-how-proxy-policy = le proxy refuse de se connecter à ChatGPT
block-how-dns-answer = le DNS du réseau cache l'adresse de ChatGPT
block-how-reset = le réseau coupe la connexion dès qu'il voit le nom de ChatGPT
block-how-foreign-certificate = un serveur de blocage répond à la place de ChatGPT
beyond-page-up = OpenAI ne signale aucun problème
beyond-page-degraded = OpenAI signale un problème avec ChatGPT
beyond-page-down = OpenAI signale une panne
beyond-doors-up = les autres portes d'OpenAI répondent normalement
beyond-doors-degraded = certaines des autres portes d'OpenAI échouent
beyond-doors-down = les autres portes d'OpenAI échouent aussi
beyond-unknown = rien ne passe pour dire si ChatGPT lui-même fonctionne

## Que faire.

advice-phone-app = Essayez l'appli ChatGPT sur votre téléphone : elle joint OpenAI par une autre voie et continue souvent de marcher (pas toujours).
advice-phone-app-answers = Essayez l'appli ChatGPT sur votre téléphone : sa voie vers OpenAI répond en ce moment.
advice-reload = Rechargez la page dans une minute.
advice-other-services = L'API d'OpenAI répond encore : les outils qui l'utilisent peuvent continuer de marcher.
advice-wait = Rien à réparer de votre côté : patientez, Gatewatch vous préviendra quand ce sera rétabli.
advice-status-page = Regardez ce que dit la page d'état d'OpenAI.
advice-check-connection = Vérifiez votre Wi-Fi ou votre câble, ou redémarrez votre box ou votre routeur.
advice-sign-in-to-network = Ouvrez n'importe quel site dans votre navigateur et connectez-vous sur la page de connexion du réseau.
advice-open-in-browser = Ouvrez chatgpt.com dans votre navigateur et passez la vérification.
advice-change-network = Coupez votre VPN ou votre proxy, ou essayez un autre réseau (par exemple les données mobiles de votre téléphone).
advice-wait-for-limit = Attendez quelques minutes avant de réessayer.
advice-proxy-settings = Vérifiez le proxy dans les paramètres de Gatewatch : son adresse, et votre nom d'utilisateur et mot de passe s'il en demande (http://utilisateur:mot-de-passe@hôte:port). Les scripts de proxy (PAC) ne sont pas lus : indiquez l'adresse du proxy lui-même.
advice-mobile-data = Utilisez les données mobiles de votre téléphone au lieu de ce réseau, ou l'appli ChatGPT en données mobiles.
advice-ask-administrator = Demandez à l'administrateur du réseau (votre service informatique, votre école) si ChatGPT est autorisé ici.
advice-vpn-if-allowed = Un VPN contourne le blocage, mais ne l'utilisez que là où les règles du réseau le permettent.

## Ce que veut dire un code d'état, en quelques mots.

http-500 = erreur interne du serveur
http-502 = passerelle incorrecte
http-503 = service indisponible
http-504 = délai de la passerelle dépassé
http-520 = réponse vide ou inattendue d'OpenAI
http-521 = OpenAI a refusé la connexion
http-522 = délai de connexion à OpenAI dépassé
http-523 = OpenAI injoignable
http-524 = OpenAI a mis trop de temps à répondre
http-525 = échec de la négociation sécurisée avec OpenAI
http-526 = certificat invalide chez OpenAI
http-530 = l'adresse d'OpenAI n'a pas pu être résolue
http-403 = accès interdit
http-429 = trop de requêtes

## Résumés en une ligne : « ChatGPT est en panne — Cloudflare n'arrive pas à joindre OpenAI (521, FRA) ».

summary = { $headline } — { $cause }
summary-network-block = { $headline }. { $beyond }.
# La cause avec ses étiquettes entre parenthèses : le code d'état et le centre de données de Cloudflare.
cause-tagged = { $cause } ({ $tags })
list-separator = { ", " }
# Un numéro d'erreur Cloudflare parmi les étiquettes : « erreur 1020 ».
tag-cf-code = erreur { $code }
# La raison de la vue limitée, après la cause.
cause-limited = { $cause } ; { $limited }

## Erreurs réseau.

net-dns = le nom n'a pas pu être résolu (DNS)
net-connect = la connexion a été refusée
net-timeout = pas de réponse à temps
net-reset = la connexion a été coupée
net-tls = la connexion sécurisée a échoué (TLS)
net-protocol = la réponse n'était pas du HTTP valide
net-proxy-auth = le proxy demande une identification (407)
net-proxy-refused = le proxy a refusé de se connecter

## Ce que Gatewatch a interrogé.

target-edge = le nœud Cloudflare
target-status-page = la page d'état
target-control = un site de contrôle
target-app = la voie des applis mobiles

## Les constats : un fait chacun, en une phrase.

evidence-edge-answered-from = Le nœud Cloudflare a répondu depuis { $colo } ({ $ms } ms).
evidence-edge-answered = Le nœud Cloudflare a répondu ({ $ms } ms).
evidence-edge-not-trace = Quelque chose a répondu à l'adresse de Cloudflare avec { $status }, mais ce n'était pas Cloudflare.
evidence-edge-http-error = Le nœud Cloudflare a répondu à la vérification de Gatewatch par l'erreur { $status }.
evidence-edge-failed = Le nœud Cloudflare n'a pas répondu : { $error }.
# La réponse de chatgpt.com, faite de morceaux : « chatgpt.com a répondu 502 (passerelle incorrecte)
# avec la page d'erreur de Cloudflare, via FRA (40 ms). »
evidence-origin-answered = chatgpt.com a répondu { $status }{ $meaning }{ $kind }{ $code }{ $colo } ({ $ms } ms).
evidence-meaning = { " " }({ $meaning })
evidence-kind-cloudflare-page = { " " }avec la page d'erreur de Cloudflare
evidence-kind-challenge = { " " }avec une vérification « êtes-vous humain ? »
evidence-kind-openai = { " " }depuis les serveurs d'OpenAI eux-mêmes
evidence-error-code = , code d'erreur { $code }
evidence-via = , via { $colo }
evidence-origin-failed = chatgpt.com n'a pas répondu : { $error } ({ $ms } ms).
evidence-api-alive = api.openai.com répond : l'API d'OpenAI est en ligne ({ $ms } ms).
evidence-api-http-error = api.openai.com a répondu par l'erreur { $status }.
evidence-api-failed = api.openai.com n'a pas répondu : { $error }.
evidence-control-answered = Un site sans lien avec OpenAI ni Cloudflare répond : votre connexion internet fonctionne.
evidence-control-replaced = La vérification de contrôle (une réponse vide attendue d'un site sans lien avec OpenAI) a reçu autre chose ({ $status }) : votre réseau répond à la place d'internet.
evidence-answered-in-place = { $target } a reçu une réponse d'autre chose que ses propres serveurs ({ $status }) : elle ne compte pas comme la sienne.
evidence-block-filter-page = { $target } a reçu une page qui n'est pas passée par Cloudflare ({ $detail }){ $vendor } : la page de blocage d'un filtre web.
evidence-block-proxy-policy = Votre proxy a refusé de se connecter à { $target } ({ $detail }){ $vendor }, alors qu'il laisse passer les autres sites.
evidence-block-dns-answer = { $target } a été résolu en { $detail }, qui n'est pas une adresse de Cloudflare{ $vendor } : le DNS du réseau le bloque.
evidence-block-dns-nxdomain = Le DNS du réseau dit que { $target } n'existe pas, alors que les autres noms sont résolus : il le bloque.
evidence-block-reset = La connexion à { $target } ({ $detail }) a été coupée dès que Gatewatch a nommé le site, alors que la même adresse répond pour d'autres noms.
evidence-block-foreign-certificate = { $target } a reçu la réponse d'un serveur hors de Cloudflare avec un certificat pour un autre nom ({ $detail }){ $vendor } : un serveur de blocage.
evidence-by-vendor = , de { $vendor }
evidence-limited-network = Votre réseau le bloque ({ $status }) : Gatewatch juge d'après ce qui passe encore.
evidence-control-failed = Un site sans lien avec OpenAI n'a pas répondu non plus : { $error }.
evidence-slow = Lenteur : { $target } a mis { $ms } ms à répondre (lent au-delà de { $limit } ms).
# La page d'état : « La page d'état d'OpenAI indique un problème mineur, 2 incidents en cours, qui touche ChatGPT. »
evidence-status-page = La page d'état d'OpenAI indique { $state }{ $incidents }{ $chatgpt }
indicator-none = tout au vert
indicator-minor = un problème mineur
indicator-major = un problème majeur
indicator-critical = un problème critique
indicator-maintenance = une maintenance
indicator-unknown = un état inconnu
evidence-open-incidents = , { $n ->
    [one] { $n } incident en cours
   *[other] { $n } incidents en cours
}
evidence-chatgpt-major = , avec une partie de ChatGPT complètement en panne.
evidence-chatgpt-partial = , avec une partie de ChatGPT en panne pour certains utilisateurs.
evidence-chatgpt-affected = , qui touche ChatGPT.
evidence-chatgpt-unaffected = , rien concernant ChatGPT.
evidence-limited-challenge = Cette vérification est faite pour les navigateurs ({ $status }) et n'arrive jamais aux serveurs d'OpenAI : Gatewatch juge d'après les autres vérifications.
evidence-limited-refused = Ce refus ne donne aucune raison ({ $status }) et n'arrive jamais aux serveurs d'OpenAI : Gatewatch juge d'après les autres vérifications.
evidence-app-answers = La voie des applis mobiles vers OpenAI (ios.chat.openai.com) répond ({ $ms } ms).
evidence-app-fails = La voie des applis mobiles vers OpenAI (ios.chat.openai.com) échoue aussi : elle a répondu { $status }{ $meaning } ({ $ms } ms).
evidence-app-refuses = La voie des applis mobiles vers OpenAI (ios.chat.openai.com) a répondu { $status } : elle refuse la requête de Gatewatch, ce qui ne dit rien des applis ({ $ms } ms).
evidence-app-failed = La voie des applis mobiles vers OpenAI (ios.chat.openai.com) n'a pas répondu : { $error } ({ $ms } ms).
evidence-app-silent = La voie des applis mobiles vers OpenAI (ios.chat.openai.com) n'a pas répondu ({ $ms } ms).
evidence-phone-apps = Selon la page d'état d'OpenAI, les applis mobiles sont { $state }.
evidence-retry-after = chatgpt.com a demandé à Gatewatch d'attendre { $wait } avant de vérifier à nouveau (Retry-After) : Gatewatch attend au moins ce délai, 15 minutes au plus.
component-operational = opérationnelles
component-degraded = lentes
component-partial-outage = en partie en panne
component-major-outage = en panne
component-maintenance = en maintenance
component-unknown = dans un état inconnu

## L'icône : son info-bulle et son menu.

# Après la cause : « · depuis 14:05 ».
since-time = depuis { $time }
line-since = { $line } · { $since }
# Une icône en pause : « En pause — ChatGPT fonctionne ».
paused-line = En pause — { $line }
menu-checking = Vérification…
menu-check-now = Vérifier maintenant
menu-whats-going-on = Que se passe-t-il ?
menu-open-chatgpt = Ouvrir ChatGPT
menu-open-status-page = Ouvrir la page d'état d'OpenAI
menu-snooze = Couper les notifications
menu-snooze-hour = Pendant 1 heure
menu-snooze-until-back = Jusqu'au retour de ChatGPT
menu-notify-again = Réactiver les notifications
menu-notify-again-at = Réactiver les notifications (coupées jusqu'à { $time })
menu-settings = Paramètres…
menu-start-at-login = Lancer au démarrage
menu-quit = Quitter Gatewatch
# Pourquoi la fenêtre de détails n'est pas là ; $reason est l'un des messages window-* ci-dessous.
explainer-could-not-start = La fenêtre de détails n'a pas pu s'ouvrir : { $reason }
explainer-stopped = La fenêtre de détails s'est arrêtée : { $reason }
window-missing = son programme n'est pas installé à côté de Gatewatch
window-cannot-run = le système n'a pas pu lancer son programme
window-library = il manque une bibliothèque dont elle a besoin ({ $library })
window-no-display = il n'y a pas d'écran où l'afficher
window-no-webview2 = le runtime WebView2 de Microsoft manque : installez-le depuis { $url }
window-exited = code de sortie { $code }
window-killed = arrêtée par le signal { $signal }
window-ended = elle s'est fermée sans dire pourquoi
window-no-channel = Gatewatch n'a pas de canal local pour lui parler

## Notifications.

notify-settings-reset = Gatewatch : paramètres réinitialisés
warning-settings-not-applied = Les nouveaux paramètres n'ont pas pu être appliqués : Gatewatch continue de vérifier avec les précédents (son journal dit pourquoi).
store-damaged = Le fichier { $file } était endommagé ; il est conservé sous le nom { $backup }.
store-unreadable = Impossible de lire { $file } : { $why }.
store-unwritable = Impossible d'enregistrer { $file } : { $why }.
io-denied = permission refusée
io-full = le disque est plein
io-read-only = le disque est en lecture seule
io-missing = son dossier n'existe pas
io-other = le système a refusé (le journal dit comment)
store-then-defaults = { $problem } Les paramètres par défaut sont utilisés.
store-then-new-history = { $problem } Un nouvel historique commence.
store-then-kept = { $problem } Les paramètres en cours ont été conservés et enregistrés à nouveau.
store-then-kept-unsaved = { $problem } Les paramètres en cours ont été conservés. { $why }
notify-open = Ouvrir Gatewatch
# « Cloudflare n'arrive pas à joindre OpenAI (521, FRA) — essayez l'appli sur votre téléphone. L'API répond encore. Depuis 14:05. »
notify-down-body = { $cause } — { $tip }{ $api } Depuis { $time }.
notify-api-answers = { " " }L'API répond encore.
notify-tip-wait = patientez, ou essayez l'appli sur votre téléphone.
notify-tip-phone = essayez l'appli sur votre téléphone.
notify-back-title = ChatGPT est de retour
notify-back-body = Il a été en panne pendant { $duration } (à partir de { $time }).
notify-cause-title = { $headline } — nouvelle cause
notify-cause-body = { $cause } — { $tip } En panne depuis { $time }.
notify-still-down-title = { $headline } depuis { $duration }
notify-still-down-body = { $cause } — { $tip }
notify-flapping-title = ChatGPT est instable
notify-flapping-body = { $n ->
    [one] Il est tombé en panne une fois en { $window }.
   *[other] Il est tombé en panne { $n } fois en { $window }.
} Gatewatch restera silencieux jusqu'à ce que la situation se stabilise, puis enverra un résumé.
notify-stable-down-title = ChatGPT n'est plus instable, mais il est en panne
notify-stable-title = ChatGPT est de nouveau stable
notify-stable-body = Entre-temps : { $n ->
    [one] { $n } panne
   *[other] { $n } pannes
}, { $duration } d'arrêt au total.
notify-network-blocks-title = Ce réseau bloque ChatGPT
notify-network-blocks-body = { $how }. { $beyond }. Pour y accéder, utilisez les données mobiles ou l'appli sur votre téléphone en données mobiles.

## La ligne de commande.

cli-saw = Ce que Gatewatch a vu :
cli-status-page-unreadable = Page d'état illisible : { $error }
page-error-http = elle a répondu par l'erreur { $status }
page-error-unreadable = sa réponse n'est pas le JSON que Gatewatch sait lire
page-error-too-large = sa réponse dépasse les { $kib } Kio que Gatewatch lit
cli-incident = Incident : { $name } ({ $status }) { $link }
cli-todo = Que faire :
cli-uptime = Disponibilité : 24 h { $day } · 7 j { $week }
cli-no-outages = Aucune panne enregistrée.
cli-outages = Pannes, de la plus récente à la plus ancienne :
cli-ongoing = en cours
# `gatewatch watch`, après une panne : « rétabli après 7 min ».
cli-back-after = rétabli après { $duration }
cli-with-note = { $line } — { $note }
# L'info-bulle de `gatewatch watch --format waybar`.
cli-since = Depuis { $time }
cli-network-blocked = Bloqué par votre réseau : 24 h { $day } · 7 j { $week }

## Votre navigateur : ce que l'extension de Gatewatch a vu de vos propres requêtes à chatgpt.com.

evidence-browser-fails = Dans votre navigateur, { $failed } des { $recent ->
    [one] dernière requête
   *[other] { $recent } dernières requêtes
} à ChatGPT ont échoué : { $what }.
evidence-browser-answers = Dans votre navigateur, ChatGPT répond : { $answered } des { $recent ->
    [one] dernière requête
   *[other] { $recent } dernières requêtes
} ont abouti.
evidence-browser-quiet = Les dernières requêtes de votre navigateur à ChatGPT n'indiquent rien dans un sens ni dans l'autre (vos propres arrêts et les vérifications de Cloudflare ne comptent pas).
browser-failure-gateway = un { $status } de Cloudflare, qui n'a pas reçu de réponse valide des serveurs d'OpenAI
browser-failure-origin = une erreur { $status } des serveurs d'OpenAI
browser-failure-cut = des réponses coupées en plein milieu
browser-failure-reset = la connexion a été réinitialisée
browser-failure-closed = la connexion s'est fermée avant une réponse
browser-failure-timeout = pas de réponse à temps
browser-failure-protocol = la connexion s'est rompue (une erreur de protocole)
browser-failure-other = la requête a échoué
banner-error-page = chatgpt.com a envoyé une page d'erreur

## Updates.

update-available = Gatewatch { $version } est disponible
update-how-installer = Choisissez « Installer la mise à jour » dans le menu de Gatewatch pour l'installer.
update-how-apt = Votre gestionnaire de paquets l'apporte : sudo apt update && sudo apt upgrade
update-how-dnf = Votre gestionnaire de paquets l'apporte : sudo dnf upgrade gatewatch
update-how-page = Téléchargez-la sur { $url }
update-daily-title = Gatewatch recherche les nouvelles versions
update-daily-body = Une fois par jour, il demande à GitHub s'il existe un Gatewatch plus récent ; GitHub voit votre adresse IP et la version que vous avez. Rien n'est installé sans votre demande. Pour désactiver cela, réglez « Rechercher les nouvelles versions » sur « Jamais » dans les Paramètres.
update-up-to-date-title = Gatewatch est à jour
update-up-to-date = { $version } est la version la plus récente.
update-failed-title = Impossible de rechercher les mises à jour
update-check-failed = Gatewatch réessaiera demain. ({ $reason })
update-menu-check = Rechercher les mises à jour
update-menu-checking = Recherche des mises à jour…
update-menu-daily = Rechercher les nouvelles versions chaque jour
update-menu-install = Installer la mise à jour
update-menu-installing = Installation de Gatewatch { $version }…
update-menu-release-page = Ouvrir la page de téléchargement
update-menu-skip = Ignorer cette version
update-install-failed-title = La mise à jour n'a pas été installée
update-install-failed = Mise à jour non installée : { $reason }
update-error-off = la recherche de mises à jour est désactivée
update-error-address = l'adresse du manifeste des versions n'est pas utilisable (voir le réglage update_url)
update-error-http = le serveur des versions a répondu par l'erreur { $status }
update-error-no-answer = le serveur des versions n'a pas répondu : { $error }
update-error-too-large = la réponse du serveur des versions dépasse ce que Gatewatch lit
update-error-redirect = le serveur des versions a renvoyé Gatewatch vers une adresse qu'il ne suit pas
update-error-signature = la version n'est pas signée avec la clé de Gatewatch, ou a été modifiée après sa signature
update-error-mismatch = la signature de la version concerne une autre version ou un autre fichier
update-error-manifest = le manifeste des versions est illisible
update-error-downgrade = la version proposée ({ $offered }) est plus ancienne que celle-ci ({ $running })
update-error-no-platform = la version n'a pas de téléchargement pour ce système
update-error-disk = le téléchargement n'a pas pu être enregistré sur cet ordinateur
update-error-not-here = Gatewatch ne s'installe pas lui-même sur ce système
update-error-installer-refused = Windows n'a pas lancé le programme d'installation (un antivirus ou Smart App Control l'a peut-être bloqué)
update-error-installer-ended = le programme d'installation s'est terminé sans installer (code de sortie { $code })
update-cli-available = Gatewatch { $version } est disponible (vous avez la { $current }).
update-cli-up-to-date = Gatewatch { $version } est la version la plus récente.
update-cli-notes = Nouveautés :

## Alertes envoyées ailleurs : Slack, Discord, Microsoft Teams, webhooks JSON, ntfy.

alert-sentence = { $title } : { $body }
alert-late = Envoyé en retard : c'est arrivé à { $time }.
alert-field-cause = Cause
alert-field-since = Depuis
alert-field-advice = Que faire
alert-status-page = page d'état d'OpenAI
alert-test-title = Gatewatch : un essai
alert-test-body = Ce canal recevra les alertes de Gatewatch sur ChatGPT.
alert-test-body-now = Ce canal recevra les alertes de Gatewatch sur ChatGPT. En ce moment : { $now }
channel-failing = Les alertes vers { $channel } échouent : { $why }
cli-wait-timeout = ChatGPT ne marche toujours pas après { $duration }.
cli-wait-unknown = Gatewatch n'a pas pu savoir en { $duration } si ChatGPT marche.
