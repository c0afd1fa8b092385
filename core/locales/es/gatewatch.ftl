# Gatewatch — lo que dicen la bandeja, las notificaciones, la línea de comandos y el diagnóstico.
# La metáfora: Cloudflare es la centralita delante de ChatGPT; los servidores de OpenAI, la oficina
# que hay detrás.

## El nombre del idioma en el propio idioma.

language-name = Español

## Horas y duraciones.

# Formato de 24 horas: "14:05".
clock = { $hour24 }:{ $minute }
duration-seconds = { $s } s
duration-minutes = { $m } min
duration-hours = { $h } h
duration-hours-minutes = { $h } h { $m } min
duration-days = { $d ->
    [one] { $d } día
   *[other] { $d } días
}
duration-days-hours = { $d ->
    [one] { $d } día
   *[other] { $d } días
} { $h } h

## Veredictos: el titular.

verdict-up = ChatGPT funciona
verdict-degraded = ChatGPT tiene dificultades
verdict-down = ChatGPT está caído
verdict-unreachable = No se puede acceder a ChatGPT
verdict-blocked = ChatGPT funciona, pero no te deja entrar
verdict-offline = Estás sin conexión
verdict-unknown = No se puede saber ahora
verdict-network-blocks = Esta red bloquea ChatGPT

## Las causas en pocas palabras.

cause-healthy = todo responde con normalidad
cause-slow = las respuestas son lentas
cause-partial-failure = algunos servicios de OpenAI fallan
cause-official-incident = OpenAI informa de una incidencia
cause-overload = los servidores de OpenAI no responden a Cloudflare
cause-broken-link = Cloudflare no llega a OpenAI
cause-origin-tls = la conexión segura Cloudflare–OpenAI está rota
cause-maintenance = OpenAI está en mantenimiento
cause-origin-failure = los servidores de OpenAI están fallando
cause-cloudflare-failure = falla el propio Cloudflare
cause-cloudflare-unreachable = Cloudflare no responde
cause-challenge = una comprobación de "verifica que eres humano"
cause-access-denied = acceso denegado a tu conexión
cause-rate-limited = demasiadas solicitudes desde tu dirección
cause-region = no disponible desde donde te conectas
cause-captive-portal = tu red te pide iniciar sesión
cause-your-network = tu conexión a internet no funciona
cause-inconclusive = sin una causa clara
cause-official-outage = la página de estado de OpenAI lo da por caído
cause-proxy-login = tu proxy pide iniciar sesión
cause-proxy-failing = el proxy de tu red no llega a internet
cause-proxy-unreachable = tu proxy no responde
cause-tls-intercepted = algo en tu red intercepta las conexiones seguras
cause-network-blocks = tu red bloquea ChatGPT
cause-conversations-fail = las solicitudes a ChatGPT fallan en tu navegador
cause-nothing-wrong = nada indica problemas

## Las causas explicadas: la centralita y la oficina.

explain-healthy = Tu red, Cloudflare (la centralita delante de ChatGPT) y los servidores de OpenAI (la oficina que hay detrás) responden con normalidad.
explain-slow = Todo responde, pero despacio: los servidores de OpenAI probablemente están saturados. Las páginas pueden tardar mucho en cargar o no llegar a cargar.
explain-partial-failure = Una de las puertas que comprueba Gatewatch falla (la API de OpenAI, la ruta de las apps móviles o el nodo de Cloudflare) mientras las demás responden. Puede que algunas funciones no vayan.
explain-official-incident = La página de estado de OpenAI informa de un problema con ChatGPT, aunque todavía responde: algunas funciones pueden fallar.
explain-overload = Cloudflare, la centralita, respondió, pero la oficina que hay detrás, los servidores de OpenAI, no le dio una respuesta válida. Suele deberse a una sobrecarga o a un fallo de OpenAI. No es problema de tu equipo.
explain-broken-link = Cloudflare, la centralita, funciona, pero no consigue pasar la llamada a los servidores de OpenAI: la línea entre la centralita y la oficina está cortada, o la oficina está cerrada. No es problema de tu equipo.
explain-origin-tls = Cloudflare no puede abrir una conexión segura con los servidores de OpenAI: un problema de certificado o de configuración por parte de OpenAI. No es problema de tu equipo.
explain-maintenance = OpenAI ha anunciado un mantenimiento y, mientras tanto, sus servidores no responden. No es problema de tu equipo.
explain-origin-failure = La llamada llegó a los servidores de OpenAI, pero respondieron con un error: algo falla dentro de la oficina. No es problema de tu equipo.
explain-cloudflare-failure = Falla el propio Cloudflare: la centralita delante de ChatGPT (y de muchos otros sitios) está averiada, así que nada llega a OpenAI. No es problema de tu equipo.
explain-cloudflare-unreachable = Tu internet funciona (otros sitios responden), pero Cloudflare —la centralita delante de ChatGPT— no responde en absoluto.
explain-challenge = ChatGPT funciona. Cloudflare quiere comprobar que eres humano ("Just a moment...") antes de dejarte pasar. No es una caída.
explain-access-denied = ChatGPT funciona, pero Cloudflare rechaza las conexiones desde tu dirección (una regla de firewall, o una dirección con mala reputación, algo habitual con las VPN).
explain-rate-limited = ChatGPT funciona, pero por ahora limita las solicitudes desde tu dirección. El límite se levanta solo.
explain-region = ChatGPT funciona, pero no acepta conexiones desde donde estás: OpenAI no da servicio en este país, o bloquea la dirección de tu VPN o proxy.
explain-captive-portal = Tu red está interceptando las conexiones: probablemente una página de acceso al Wi-Fi (hotel, tren, aeropuerto) espera a que inicies sesión.
explain-your-network = Esta vez es tu conexión: no responde ningún sitio, no solo ChatGPT. Es muy posible que ChatGPT funcione bien.
explain-inconclusive = Las respuestas no apuntan a una causa clara. Gatewatch sigue comprobando.
explain-official-outage = La página de estado de OpenAI da ChatGPT por caído. Gatewatch no puede ver el interior de chatgpt.com desde tu red para confirmarlo, y nada de lo que ve indica lo contrario. No es problema de tu equipo.
explain-proxy-login = Tus solicitudes pasan por un proxy (tú → tu red → tu proxy → Cloudflare → OpenAI), y el proxy pide un nombre de usuario y una contraseña antes de dejarlas pasar (407). Esto no dice nada de ChatGPT.
explain-proxy-failing = Tus solicitudes pasan por el proxy de tu red (tú → tu red → tu proxy → Cloudflare → OpenAI). El proxy responde, pero con errores propios: no llega a internet, o se niega. Gatewatch no puede ver más allá, así que no puede saber si ChatGPT funciona.
explain-proxy-unreachable = Tus solicitudes deberían pasar por un proxy, y el proxy no responde: está apagado, su dirección es incorrecta o falla tu propia conexión. Gatewatch no puede saber si ChatGPT funciona.
explain-tls-intercepted = chatgpt.com respondió con un certificado que no es de confianza. Los de Cloudflare siempre lo son, así que algo en tu red (un proxy de empresa, un antivirus, un portal de acceso Wi-Fi) está interceptando las conexiones seguras. Gatewatch no envía nada por una conexión así.
explain-network-blocks = La red a la que estás conectado impide que tu equipo llegue a ChatGPT: su filtro web, su DNS o su proxy corta la conexión, como hacen muchas empresas y centros educativos (los demás sitios funcionan). No es una caída ni es problema de tu equipo: puede que ChatGPT funcione perfectamente para todos los demás. Lo que Gatewatch sabe de ChatGPT viene de lo que todavía pasa: la página de estado de OpenAI y las puertas de OpenAI que la red deja pasar.
explain-conversations-fail = Tu propio navegador, con tu sesión de chatgpt.com, ve fallar sus solicitudes a ChatGPT —cortadas a mitad, reiniciadas o sin respuesta— aunque el sitio aún cargue para las comprobaciones de Gatewatch. Así se ve una caída parcial antes de que la página de estado de OpenAI diga nada. No cuentan las veces que detienes tú la respuesta («Detener») ni las verificaciones de Cloudflare. No es problema de tu equipo.
explain-nothing-wrong = Nada de lo que Gatewatch ve indica problemas: Cloudflare responde, y también las otras puertas de OpenAI y su página de estado. Desde tu red no puede mirar hasta el fondo de chatgpt.com (ver abajo), así que es una vista limitada.

## Vista limitada: chatgpt.com no le muestra a Gatewatch lo que muestra a un navegador.

limited-challenge-short = vista limitada: chatgpt.com pide verificar el navegador
limited-refused-short = vista limitada: chatgpt.com rechaza las solicitudes de Gatewatch
limited-view = vista limitada
limited-challenge = Vista limitada: desde tu red, chatgpt.com responde a las solicitudes de Gatewatch con una comprobación de "verifica que eres humano", que solo un navegador puede superar (Cloudflare lo hace con los programas en muchas redes, sobre todo en VPN y centros de datos). Una solicitud así nunca llega a los servidores de OpenAI, así que Gatewatch juzga por lo demás: el nodo de Cloudflare, la API de OpenAI, la ruta de las apps móviles y la página de estado de OpenAI. No dice nada de tu navegador, que puede pasar sin problema.
limited-refused = Vista limitada: desde tu red, chatgpt.com rechaza las solicitudes de Gatewatch sin decir por qué (un 403 a secas, o un 404 vacío). Una solicitud así nunca llega a los servidores de OpenAI, así que Gatewatch juzga por lo demás: el nodo de Cloudflare, la API de OpenAI, la ruta de las apps móviles y la página de estado de OpenAI. No dice nada de tu navegador, que puede pasar sin problema.
limited-network-short = vista limitada: esta red bloquea chatgpt.com
limited-network = Vista limitada: tu red bloquea chatgpt.com, así que desde aquí Gatewatch no puede ver ChatGPT. Juzga por lo que todavía pasa: la página de estado de OpenAI y las puertas de OpenAI que la red deja pasar.
block-how-filter-page = el filtro web de la red responde en lugar de ChatGPT
block-how-proxy-policy = el proxy se niega a conectar con ChatGPT
block-how-dns-answer = el DNS de la red oculta la dirección de ChatGPT
block-how-reset = la red corta la conexión en cuanto ve el nombre de ChatGPT
block-how-foreign-certificate = un servidor de bloqueo responde en lugar de ChatGPT
beyond-page-up = OpenAI no informa de ningún problema
beyond-page-degraded = OpenAI informa de un problema con ChatGPT
beyond-page-down = OpenAI informa de una caída
beyond-doors-up = las demás puertas de OpenAI responden con normalidad
beyond-doors-degraded = algunas de las demás puertas de OpenAI fallan
beyond-doors-down = las demás puertas de OpenAI también fallan
beyond-unknown = no pasa nada que diga si ChatGPT funciona

## Qué hacer.

advice-phone-app = Prueba la app móvil de ChatGPT: llega a OpenAI por otra ruta y a menudo sigue funcionando (no siempre).
advice-phone-app-answers = Prueba la app móvil de ChatGPT: su ruta hacia OpenAI responde ahora mismo.
advice-reload = Vuelve a cargar la página dentro de un minuto.
advice-other-services = La API de OpenAI sigue respondiendo: las herramientas basadas en ella pueden seguir funcionando.
advice-wait = No hay nada que arreglar por tu parte: espera, Gatewatch te avisará cuando vuelva.
advice-status-page = Mira lo que dice la página de estado de OpenAI.
advice-check-connection = Revisa el Wi-Fi o el cable, o reinicia el router.
advice-sign-in-to-network = Abre cualquier sitio web en el navegador e inicia sesión en la página de acceso de la red.
advice-open-in-browser = Abre chatgpt.com en el navegador y completa la comprobación.
advice-change-network = Desactiva la VPN o el proxy, o prueba otra red (por ejemplo, los datos móviles de tu teléfono).
advice-wait-for-limit = Espera unos minutos antes de volver a intentarlo.
advice-proxy-settings = Revisa el proxy en los ajustes de Gatewatch: su dirección, y tu usuario y contraseña si los pide (http://usuario:contraseña@host:puerto). Los scripts de proxy (PAC) no se leen: indica la dirección del propio proxy.
advice-mobile-data = Usa los datos móviles de tu teléfono en lugar de esta red, o la app de ChatGPT con datos móviles.
advice-ask-administrator = Pregunta al administrador de la red (tu departamento de informática, tu centro educativo) si aquí se permite ChatGPT.
advice-vpn-if-allowed = Una VPN evita el bloqueo, pero úsala solo donde las normas de la red lo permitan.

## Qué significa un código de estado, en pocas palabras.

http-500 = error interno del servidor
http-502 = puerta de enlace incorrecta
http-503 = servicio no disponible
http-504 = tiempo de espera de la puerta de enlace agotado
http-520 = respuesta vacía o inesperada de OpenAI
http-521 = OpenAI rechazó la conexión
http-522 = se agotó el tiempo de conexión con OpenAI
http-523 = no se puede llegar a OpenAI
http-524 = OpenAI tardó demasiado en responder
http-525 = falló la negociación segura con OpenAI
http-526 = certificado no válido en OpenAI
http-530 = no se pudo resolver la dirección de OpenAI
http-403 = acceso prohibido
http-429 = demasiadas solicitudes

## Resúmenes de una línea: "ChatGPT está caído — Cloudflare no llega a OpenAI (521, FRA)".

summary = { $headline } — { $cause }
summary-network-block = { $headline }. { $beyond }.
# La causa con sus etiquetas entre paréntesis: el código de estado y el centro de datos de Cloudflare.
cause-tagged = { $cause } ({ $tags })
list-separator = { ", " }
# Un número de error de Cloudflare entre las etiquetas: "error 1020".
tag-cf-code = error { $code }
# El motivo de la vista limitada, después de la causa.
cause-limited = { $cause }; { $limited }

## Errores de red.

net-dns = el nombre no se pudo resolver (DNS)
net-connect = se rechazó la conexión
net-timeout = sin respuesta a tiempo
net-reset = se cortó la conexión
net-tls = falló la conexión segura (TLS)
net-protocol = la respuesta no era HTTP válido
net-proxy-auth = el proxy pide iniciar sesión (407)
net-proxy-refused = el proxy no quiso conectar

## A quién preguntó Gatewatch (al principio de una frase).

target-edge = El nodo de Cloudflare
target-status-page = La página de estado
target-control = Un sitio de control
target-app = La ruta de las apps móviles

## Los hechos: uno por frase.

evidence-edge-answered-from = El nodo de Cloudflare respondió desde { $colo } ({ $ms } ms).
evidence-edge-answered = El nodo de Cloudflare respondió ({ $ms } ms).
evidence-edge-not-trace = Algo respondió en la dirección de Cloudflare con { $status }, pero no era Cloudflare.
evidence-edge-http-error = El nodo de Cloudflare respondió a la comprobación de Gatewatch con el error { $status }.
evidence-edge-failed = El nodo de Cloudflare no respondió: { $error }.
# La respuesta de chatgpt.com, por partes: "chatgpt.com respondió 502 (puerta de enlace
# incorrecta) con la página de error de Cloudflare, vía FRA (40 ms)."
evidence-origin-answered = chatgpt.com respondió { $status }{ $meaning }{ $kind }{ $code }{ $colo } ({ $ms } ms).
evidence-meaning = { " " }({ $meaning })
evidence-kind-cloudflare-page = { " " }con la página de error de Cloudflare
evidence-kind-challenge = { " " }con una comprobación de "verifica que eres humano"
evidence-kind-openai = { " " }desde los propios servidores de OpenAI
evidence-error-code = , código de error { $code }
evidence-via = , vía { $colo }
evidence-origin-failed = chatgpt.com no respondió: { $error } ({ $ms } ms).
evidence-api-alive = api.openai.com responde: la API de OpenAI está activa ({ $ms } ms).
evidence-api-http-error = api.openai.com respondió con el error { $status }.
evidence-api-failed = api.openai.com no respondió: { $error }.
evidence-control-answered = Un sitio ajeno a OpenAI y a Cloudflare responde: tu internet funciona.
evidence-control-replaced = La prueba de control (se espera una respuesta vacía de un sitio ajeno a OpenAI) recibió otra cosa ({ $status }): tu red responde en lugar de internet.
evidence-answered-in-place = A { $target } respondió algo distinto de sus propios servidores ({ $status }): no cuenta como su respuesta.
evidence-block-filter-page = A { $target } respondió una página que no pasó por Cloudflare ({ $detail }){ $vendor }: la página de bloqueo de un filtro web.
evidence-block-proxy-policy = Tu proxy se negó a conectar con { $target } ({ $detail }){ $vendor }, mientras deja pasar los demás sitios.
evidence-block-dns-answer = { $target } se resolvió como { $detail }, que no es una dirección de Cloudflare{ $vendor }: el DNS de la red lo bloquea.
evidence-block-dns-nxdomain = El DNS de la red dice que { $target } no existe, mientras los demás nombres se resuelven: lo bloquea.
evidence-block-reset = La conexión con { $target } ({ $detail }) se cortó en cuanto Gatewatch nombró el sitio, mientras la misma dirección responde para otros nombres.
evidence-block-foreign-certificate = A { $target } respondió un servidor fuera de Cloudflare con un certificado para otro nombre ({ $detail }){ $vendor }: un servidor de bloqueo.
evidence-by-vendor = , de { $vendor }
evidence-limited-network = Tu red lo bloquea ({ $status }): Gatewatch juzga por lo que todavía pasa.
evidence-control-failed = Tampoco respondió un sitio ajeno a OpenAI: { $error }.
evidence-slow = { $target } tardó { $ms } ms (lento a partir de { $limit } ms).
# "La página de estado de OpenAI muestra un problema menor, 2 incidencias abiertas, que afecta a ChatGPT."
evidence-status-page = La página de estado de OpenAI muestra { $state }{ $incidents }{ $chatgpt }
indicator-none = todo en verde
indicator-minor = un problema menor
indicator-major = un problema grave
indicator-critical = un problema crítico
indicator-maintenance = mantenimiento
indicator-unknown = un estado desconocido
evidence-open-incidents = , { $n ->
    [one] { $n } incidencia abierta
   *[other] { $n } incidencias abiertas
}
evidence-chatgpt-major = , con una parte de ChatGPT totalmente caída.
evidence-chatgpt-partial = , con una parte de ChatGPT que falla para algunos usuarios.
evidence-chatgpt-affected = , que afecta a ChatGPT.
evidence-chatgpt-unaffected = , nada sobre ChatGPT.
evidence-limited-challenge = Esa comprobación está pensada para navegadores ({ $status }) y nunca llega a los servidores de OpenAI: Gatewatch juzga por las demás comprobaciones.
evidence-limited-refused = Ese rechazo no da motivos ({ $status }) y nunca llega a los servidores de OpenAI: Gatewatch juzga por las demás comprobaciones.
evidence-app-answers = La ruta de las apps móviles hacia OpenAI (ios.chat.openai.com) responde ({ $ms } ms).
evidence-app-fails = La ruta de las apps móviles hacia OpenAI (ios.chat.openai.com) también falla: respondió { $status }{ $meaning } ({ $ms } ms).
evidence-app-refuses = La ruta de las apps móviles hacia OpenAI (ios.chat.openai.com) respondió { $status }: rechaza la solicitud de Gatewatch, lo que no dice nada de las apps ({ $ms } ms).
evidence-app-failed = La ruta de las apps móviles hacia OpenAI (ios.chat.openai.com) no respondió: { $error } ({ $ms } ms).
evidence-app-silent = La ruta de las apps móviles hacia OpenAI (ios.chat.openai.com) no respondió ({ $ms } ms).
# Los estados siguientes concuerdan con "las apps móviles" (femenino plural).
evidence-phone-apps = Según la página de estado de OpenAI, las apps móviles están { $state }.
evidence-retry-after = chatgpt.com pidió a Gatewatch que espere { $wait } antes de volver a comprobar (Retry-After): Gatewatch espera al menos ese tiempo, 15 minutos como máximo.
component-operational = funcionando
component-degraded = lentas
component-partial-outage = parcialmente caídas
component-major-outage = caídas
component-maintenance = en mantenimiento
component-unknown = en un estado desconocido

## La bandeja: su descripción emergente y su menú.

# Después de la causa: "· desde las 14:05".
since-time = desde las { $time }
line-since = { $line } · { $since }
# Bandeja en pausa: "En pausa — ChatGPT funciona".
paused-line = En pausa — { $line }
menu-checking = Comprobando…
menu-check-now = Comprobar ahora
menu-whats-going-on = ¿Qué pasa?
menu-open-chatgpt = Abrir ChatGPT
menu-open-status-page = Abrir la página de estado de OpenAI
menu-snooze = Silenciar notificaciones
menu-snooze-hour = Durante 1 hora
menu-snooze-until-back = Hasta que vuelva ChatGPT
menu-notify-again = Volver a avisarme
menu-notify-again-at = Volver a avisarme (silenciado hasta las { $time })
menu-settings = Ajustes…
menu-start-at-login = Abrir al iniciar sesión
menu-quit = Salir de Gatewatch
# Por qué no aparece la ventana de detalles; $reason es uno de los mensajes window-* de abajo.
explainer-could-not-start = La ventana de detalles no pudo abrirse: { $reason }
explainer-stopped = La ventana de detalles se cerró de forma inesperada: { $reason }
window-missing = su programa no está instalado junto a Gatewatch
window-cannot-run = el sistema no pudo iniciar su programa
window-library = falta una biblioteca que necesita ({ $library })
window-no-display = no hay ninguna pantalla donde mostrarla
window-no-webview2 = falta WebView2 Runtime de Microsoft: instálalo desde { $url }
window-exited = código de salida { $code }
window-killed = terminada por la señal { $signal }
window-ended = se cerró sin decir por qué
window-no-channel = Gatewatch no tiene un canal local para hablar con ella

## Notificaciones.

notify-settings-reset = Gatewatch: ajustes restablecidos
warning-settings-not-applied = No se pudieron aplicar los nuevos ajustes: Gatewatch sigue comprobando con los que tenía (el registro dice por qué).
store-damaged = { $file } estaba dañado; se ha guardado como { $backup }.
store-unreadable = No se pudo leer { $file }: { $why }.
store-unwritable = No se pudo guardar { $file }: { $why }.
io-denied = permiso denegado
io-full = el disco está lleno
io-read-only = el disco es de solo lectura
io-missing = su carpeta no existe
io-other = el sistema se negó (el registro dice cómo)
store-then-defaults = { $problem } Se usan los ajustes predeterminados.
store-then-new-history = { $problem } Empieza un historial nuevo.
store-then-kept = { $problem } Se han mantenido los ajustes en uso y se han vuelto a guardar.
store-then-kept-unsaved = { $problem } Se han mantenido los ajustes en uso. { $why }
notify-open = Abrir Gatewatch
# "Cloudflare no llega a OpenAI (521, FRA) — prueba la app móvil. La API sigue respondiendo. Desde las 14:05."
notify-down-body = { $cause } — { $tip }{ $api } Desde las { $time }.
notify-api-answers = { " " }La API sigue respondiendo.
notify-tip-wait = espera o prueba la app móvil.
notify-tip-phone = prueba la app móvil.
notify-back-title = ChatGPT ha vuelto
notify-back-body = Estuvo caído { $duration } (desde las { $time }).
notify-cause-title = { $headline } — nueva causa
notify-cause-body = { $cause } — { $tip } Caído desde las { $time }.
notify-still-down-title = { $headline } desde hace { $duration }
notify-still-down-body = { $cause } — { $tip }
notify-flapping-title = ChatGPT está inestable
notify-flapping-body = { $n ->
    [one] Se cayó una vez en { $window }.
   *[other] Se cayó { $n } veces en { $window }.
} Gatewatch no te molestará hasta que se estabilice y luego te enviará un resumen.
notify-stable-down-title = ChatGPT ya no va y viene: está caído
notify-stable-title = ChatGPT vuelve a estar estable
notify-stable-body = Mientras tanto: { $n ->
    [one] una caída
   *[other] { $n } caídas
}, { $duration } de caída en total.
notify-network-blocks-title = Esta red bloquea ChatGPT
notify-network-blocks-body = { $how }. { $beyond }. Para llegar a él, usa los datos móviles o la app móvil con datos móviles.

## La línea de comandos.

cli-saw = Lo que vio Gatewatch:
cli-status-page-unreadable = No se pudo leer la página de estado: { $error }
page-error-http = respondió con el error { $status }
page-error-unreadable = su respuesta no es el JSON que Gatewatch sabe leer
page-error-too-large = su respuesta supera los { $kib } KiB que lee Gatewatch
cli-incident = Incidencia: { $name } ({ $status }) { $link }
cli-todo = Qué hacer:
cli-uptime = Disponibilidad: 24 h { $day } · 7 d { $week }
cli-no-outages = No hay caídas registradas.
cli-outages = Caídas, de la más reciente a la más antigua:
cli-ongoing = en curso
# `gatewatch watch`, tras una caída: "volvió tras 7 min".
cli-back-after = volvió tras { $duration }
cli-with-note = { $line } — { $note }
# La descripción emergente de `gatewatch watch --format waybar`.
cli-since = Desde las { $time }
cli-network-blocked = Bloqueado por tu red: 24 h { $day } · 7 d { $week }

## Tu navegador: lo que la extensión de Gatewatch vio de tus propias solicitudes a chatgpt.com.

evidence-browser-fails = En tu navegador fallaron { $failed } de las últimas { $recent ->
    [one] solicitud a ChatGPT
   *[other] { $recent } solicitudes a ChatGPT
}: { $what }.
evidence-browser-answers = En tu navegador ChatGPT responde: { $answered } de las últimas { $recent ->
    [one] solicitud
   *[other] { $recent } solicitudes
} salieron bien.
evidence-browser-quiet = Las últimas solicitudes de tu navegador a ChatGPT no indican nada en un sentido ni en otro (no cuentan tus propias detenciones ni las verificaciones de Cloudflare).
browser-failure-gateway = un { $status } de Cloudflare, que no obtuvo una respuesta válida de los servidores de OpenAI
browser-failure-origin = un error { $status } de los servidores de OpenAI
browser-failure-cut = respuestas cortadas a mitad
browser-failure-reset = se reinició la conexión
browser-failure-closed = la conexión se cerró antes de una respuesta
browser-failure-timeout = sin respuesta a tiempo
browser-failure-protocol = la conexión se rompió (un error de protocolo)
browser-failure-other = la solicitud falló
banner-error-page = chatgpt.com envió una página de error

## Updates.

update-available = Gatewatch { $version } está disponible
update-how-installer = Elige "Instalar actualización" en el menú de Gatewatch para instalarla.
update-how-apt = Tu gestor de paquetes la trae: sudo apt update && sudo apt upgrade
update-how-dnf = Tu gestor de paquetes la trae: sudo dnf upgrade gatewatch
update-how-page = Descárgala de { $url }
update-daily-title = Gatewatch busca versiones nuevas
update-daily-body = Una vez al día pregunta a GitHub si hay un Gatewatch más reciente; GitHub ve tu dirección IP y qué versión tienes. No se instala nada a menos que lo pidas. Para desactivarlo, pon "Buscar versiones nuevas" en "Nunca" en los Ajustes.
update-up-to-date-title = Gatewatch está al día
update-up-to-date = { $version } es la versión más reciente.
update-failed-title = No se pudo buscar actualizaciones
update-check-failed = Gatewatch lo volverá a intentar mañana. ({ $reason })
update-menu-check = Buscar actualizaciones
update-menu-checking = Buscando actualizaciones…
update-menu-daily = Buscar versiones nuevas cada día
update-menu-install = Instalar actualización
update-menu-installing = Instalando Gatewatch { $version }…
update-menu-release-page = Abrir la página de descargas
update-menu-skip = Omitir esta versión
update-install-failed-title = La actualización no se instaló
update-install-failed = Actualización no instalada: { $reason }
update-error-off = la búsqueda de actualizaciones está desactivada
update-error-address = la dirección del manifiesto de versiones no se puede usar (mira el ajuste update_url)
update-error-http = el servidor de versiones respondió con el error { $status }
update-error-no-answer = el servidor de versiones no respondió: { $error }
update-error-too-large = la respuesta del servidor de versiones supera lo que lee Gatewatch
update-error-redirect = el servidor de versiones envió a Gatewatch a una dirección que no sigue
update-error-signature = la versión no está firmada con la clave de Gatewatch, o se modificó después de firmarla
update-error-mismatch = la firma de la versión es de otra versión o de otro archivo
update-error-manifest = no se puede leer el manifiesto de versiones
update-error-downgrade = la versión ofrecida ({ $offered }) es anterior a esta ({ $running })
update-error-no-platform = la versión no tiene descarga para este sistema
update-error-disk = no se pudo guardar la descarga en este equipo
update-error-not-here = Gatewatch no se instala solo en este sistema
update-error-installer-refused = Windows no inició el instalador (puede que lo haya bloqueado un antivirus o Smart App Control)
update-error-installer-ended = el instalador terminó sin instalar (código de salida { $code })
update-cli-available = Gatewatch { $version } está disponible (tienes la { $current }).
update-cli-up-to-date = Gatewatch { $version } es la versión más reciente.
update-cli-notes = Novedades:

## Avisos enviados a otros sitios: Slack, Discord, Microsoft Teams, webhooks JSON, ntfy.

alert-sentence = { $title }: { $body }
alert-late = Enviado con retraso: ocurrió a las { $time }.
alert-field-cause = Causa
alert-field-since = Desde
alert-field-advice = Qué hacer
alert-status-page = página de estado de OpenAI
alert-test-title = Gatewatch: una prueba
alert-test-body = Este canal recibirá los avisos de Gatewatch sobre ChatGPT.
alert-test-body-now = Este canal recibirá los avisos de Gatewatch sobre ChatGPT. Ahora mismo: { $now }
channel-failing = Los avisos a { $channel } fallan: { $why }
cli-wait-timeout = ChatGPT sigue sin funcionar tras { $duration }.
cli-wait-unknown = Gatewatch no pudo saber en { $duration } si ChatGPT funciona.
