# Gatewatch — las palabras de la ventana (el diagnóstico llega ya redactado desde gatewatch.ftl).


## La ventana: sus páginas y botones.

nav_status = Estado
nav_history = Historial
nav_settings = Ajustes
language = Idioma
checking = Comprobando…
check_now = Comprobar ahora
checking_now = Comprobando…
snooze_hour = Silenciar 1 h
snooze_recovered = Silenciar hasta que vuelva
unsnooze = Volver a avisarme
why = Por qué
evidence = Lo que vio Gatewatch
official = Lo que dice OpenAI
todo = Qué hacer
open_status = Abrir la página de estado de OpenAI
open_chatgpt = Abrir ChatGPT
phone_text = La app móvil de ChatGPT llega a OpenAI por otra ruta y a menudo sigue funcionando cuando la web no. No está garantizado.
qr_iphone = (iPhone, iPad)
qr_android = (Android)
qr_hint = Apunta la cámara del teléfono a un código para abrir la página de la tienda.
qr_label = Código QR de la app de ChatGPT en { $store }

## El camino: tú → tu red → (tu proxy) → Cloudflare → OpenAI.

hop_you = Tú
hop_network = Tu red
hop_proxy = Tu proxy
hop_filter = El filtro de tu red
hop_edge = Cloudflare (la centralita)
hop_origin = Servidores de OpenAI (la oficina)
hop_ok = funciona
hop_failed = falla aquí
hop_unknown = no se sabe
hop_refusing = no te deja entrar
hop_blocking = bloquea ChatGPT

## La página de estado de la ventana.

since = Desde las { $time } ({ $dur })
down_since = Caído desde las { $time } ({ $dur })
last_check = Última comprobación: { $time }
sep_parts = { " · " }
snoozed_until = Notificaciones silenciadas hasta las { $time }.
snoozed_recovered = Notificaciones silenciadas hasta que vuelva ChatGPT.
flapping = ChatGPT se cae y vuelve una y otra vez.
paused = Las comprobaciones están en pausa.
page_none = Aún no hay información de la página de estado.
page_error = No se pudo leer la página de estado: { $err }
page_lag = ChatGPT lleva { $dur } fallando y la página de estado todavía no muestra nada.
page_says = Página de estado: { $desc }
sep_sentences = { " " }
incident = { $name } — { $status }

## Historial.

uptime_24h = Disponibilidad, 24 h
uptime_7d = Disponibilidad, 7 días
latency_note = Mediana { $median } ms, máximo { $max } ms ({ $n ->
    [one] { $n } comprobación
   *[other] { $n } comprobaciones
}).
no_latency = Aún no hay mediciones.
outages = Caídas
col_start = Inicio
col_duration = Duración
col_what = Qué
ongoing = en curso
no_outages = No hay caídas registradas.

## Ajustes.

checking_legend = Comprobaciones
notifications_legend = Notificaciones
probes_legend = Qué comprobar
general_legend = General
s_poll = Comprobar cada (segundos)
s_down_poll = Mientras esté caído, comprobar cada (segundos)
s_recheck = Volver a comprobar tras un primer fallo (segundos)
s_failure = Comprobaciones fallidas antes de "caído"
s_success = Comprobaciones correctas antes de "ha vuelto"
s_timeout = Abandonar una solicitud tras (segundos)
s_slow = Lento a partir de (milisegundos)
s_notifications = Avisarme cuando ChatGPT se caiga o vuelva
s_reminder = Recordármelo mientras esté caído, cada (minutos, 0 = nunca)
p_edge = El nodo de Cloudflare
p_api = La API de OpenAI
p_status = La página de estado de OpenAI
p_control = Un sitio ajeno, para detectar tus propios cortes
lang_auto = Sistema
s_login = Abrir al iniciar sesión
advanced = Avanzado: direcciones
e_status = Página de estado
e_control = Sitio de control
p_app = La ruta de las apps móviles hacia OpenAI
e_app = Host de las apps móviles
s_proxy = Proxy
s_proxy_help = "system" (el ajuste de tu equipo), "none" (ninguno) o la dirección de un proxy, como http://usuario:contraseña@proxy.example:3128 (también https:// y socks5://). Los scripts de proxy (PAC) no se leen: indica la dirección del propio proxy.

## Informar de un diagnóstico erróneo.

report_title = Informar de un diagnóstico erróneo
copy_report = Copiar informe
report_copied = Copiado.
report_select = Seleccionado: pulsa Ctrl+C para copiar.
report_hint = Si Gatewatch se equivocó, envía esto con tu informe de error: lo que respondió cada comprobación, sin tu dirección IP.

## La ruta de las apps móviles.

hop_hidden = no se ve desde aquí
route_answers = Medido ahora mismo: la ruta de las apps móviles hacia OpenAI responde ({ $ms } ms).
route_fails = Medido ahora mismo: la ruta de las apps móviles también falla ({ $status }).
route_refuses = La ruta de las apps móviles rechaza la solicitud de Gatewatch, así que Gatewatch no puede saber si las apps funcionan.
route_unreachable = Medido ahora mismo: la ruta de las apps móviles no responde.
# Los estados siguientes concuerdan con "las apps móviles" (femenino plural).
apps_page = Según la página de estado de OpenAI, las apps móviles están: { $state }.
app_state_operational = funcionando
app_state_degraded_performance = lentas
app_state_partial_outage = parcialmente caídas
app_state_major_outage = caídas
app_state_under_maintenance = en mantenimiento
app_state_unknown = en un estado desconocido

## Guardar los ajustes.

saved = Guardado.
save = Guardar
not_number = { $field }: escribe un número.
error_prefix = No se pudo guardar:

## Historial: barras de disponibilidad y gráfico de tiempos de respuesta.

uptime_30d = Disponibilidad, 30 días
uptime_90d = Disponibilidad, 90 días
bars_title = Disponibilidad de un vistazo
bars_hint = Señala una barra, o selecciona una fila y usa las flechas, para ver sus detalles.
bars_day = Últimas 24 horas, 15 minutos por barra
bars_week = Últimos 7 días, una hora por barra
bars_quarter = Últimos 90 días, un día por barra
state_up = funciona
state_degraded = lento o con fallos
state_down = caído
state_unknown = no se sabe
state_network = bloqueado por tu red
state_none = sin vigilar
cell_uptime = disponibilidad { $pct }
cell_checks = { $n ->
    [one] { $n } comprobación
   *[other] { $n } comprobaciones
}
cell_no_data = sin comprobaciones
cell_state = { $period }: { $state }
cell_latency = mediana { $median } ms, máximo { $max } ms
cell_outage = { $what }, inicio: { $time }, duración: { $dur }
sep_clauses = { "; " }
cell_down = caído durante { $dur }
cell_network = bloqueado por tu red durante { $dur }
chart_title = Tiempo de respuesta
range_label = Periodo
range_day = 24 horas
range_week = 7 días
chart_svg_title_day = Tiempo de respuesta en las últimas 24 horas
chart_svg_title_week = Tiempo de respuesta en los últimos 7 días
chart_desc = La línea es el tiempo de respuesta mediano cada { $bucket }; la franja clara llega hasta la comprobación más lenta: normalmente { $median } ms, como máximo { $max } ms.
chart_outages = { $n ->
    [one] Una caída aparece sombreada y con su causa; la tabla Caídas de abajo la recoge.
   *[other] { $n } caídas aparecen sombreadas y con su causa; la tabla Caídas de abajo las recoge.
}
chart_no_outages = No hay caídas en este periodo.
outage_title = { $what } — { $time }
bucket_quarter = 15 minutos
bucket_hour = hora
axis_ms = ms
legend_median = mediana
legend_slowest = máximo
legend_outage = caída

## Updates.

e_update = Versiones nuevas (manifiesto)
updates_legend = Actualizaciones
s_updates = Buscar versiones nuevas
s_updates_notify = Una vez al día, y avisarme
s_updates_off = Nunca
s_updates_help = Una vez al día Gatewatch pregunta a GitHub si hay una versión más reciente; GitHub ve tu dirección IP y qué versión tienes. No se instala nada a menos que lo pidas.
update_available = Gatewatch { $version } está disponible.
update_skipped = Elegiste omitir esta versión.
update_current = Tienes la versión más reciente ({ $version }).
update_error = La última búsqueda de actualizaciones falló: { $error }
update_off_note = La búsqueda de actualizaciones está desactivada.
update_notes = Novedades

## Ajustes: avisos a otros sitios.

channels_legend = Avisos a otros sitios
channels_help = Los mismos avisos, a un canal de Slack, Discord o Microsoft Teams, a un webhook JSON o a tu móvil con ntfy. Sus direcciones son secretas: Gatewatch solo las guarda en su archivo de ajustes.
channel_add = Añadir un canal
channel_kind = Servicio
channel_url = Dirección (URL del webhook, o servidor y tema de ntfy)
channel_token = Token de acceso (opcional)
channel_notices = Qué avisos
notice_down = Caída
notice_recovered = Ha vuelto
notice_cause = Cambio de causa
notice_still_down = Sigue caído (recordatorios)
notice_flapping = Inestable
notice_stable = Estable de nuevo
notice_network_blocks = Una red bloquea ChatGPT
channel_test = Enviar una prueba
channel_remove = Quitar
channel_unsaved = Aún sin guardar.
channel_testing = Enviando una prueba…
channel_test_ok = Prueba enviada a las { $time }.
channel_test_failed = La prueba no llegó: { $why }
channel_failing = Los avisos no llegan: { $why }
channel_working = Último aviso enviado a las { $time }.
channel_untried = Aún no se ha enviado nada.
channel_waiting = { $n ->
    [one] Un aviso espera para salir.
   *[other] { $n } avisos esperan para salir.
}

## Ajustes: la extensión del navegador (Chromium, Google Chrome, Microsoft Edge, Firefox).

browsers_legend = En tu navegador
browsers_help = La extensión de Gatewatch para el navegador le cuenta cómo responde ChatGPT en tu propio navegador. Para llegar a Gatewatch, cada navegador necesita un pequeño archivo que indique el programa auxiliar de Gatewatch; Gatewatch lo escribe al arrancar para cada navegador que hayas usado.
browser_registered = Listo: la extensión puede llegar a Gatewatch.
browser_system = Listo para todos en este ordenador: la extensión puede llegar a Gatewatch.
browser_not_found = No encontrado: nunca se ha abierto en esta cuenta.
browser_sandboxed = Solo se encontró una versión aislada ({ $kinds }). No es compatible: no puede iniciar programas fuera de su entorno aislado.
browser_failed = No se pudo preparar: { $why }
browser_sandbox_also = Su versión aislada ({ $kinds }) no es compatible: no puede iniciar programas fuera de su entorno aislado.
browser_snap_portal = Como Snap, Firefox te pide una vez permiso para que la extensión llegue a Gatewatch.
browser_connected = La extensión está conectada ahora.
browsers_connected = { $n ->
    [0] Ahora mismo no hay ninguna extensión del navegador conectada.
    [one] La extensión está conectada ahora, en un navegador.
   *[other] La extensión está conectada ahora, en { $n } navegadores.
}
browsers_no_host = Falta el programa auxiliar de Gatewatch para el navegador ({ $path }), así que no se preparó ningún navegador.
browsers_other = No se preparó ningún navegador: { $why }
