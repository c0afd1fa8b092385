# Gatewatch — as palavras da própria janela de explicação (o diagnóstico já vem escrito de
# gatewatch.ftl). Mesmas regras: traduza à direita do "=", mantenha os ids e as { $variables }.


## A janela: páginas e botões.

nav_status = Status
nav_history = Histórico
nav_settings = Configurações
language = Idioma
checking = Verificando…
check_now = Verificar agora
checking_now = Verificando…
snooze_hour = Silenciar 1 h
snooze_recovered = Silenciar até voltar
unsnooze = Notificar de novo
why = Por quê
evidence = O que o Gatewatch viu
official = O que a OpenAI diz
todo = O que fazer
open_status = Abrir a página de status da OpenAI
open_chatgpt = Abrir o ChatGPT
phone_text = O app do ChatGPT no celular chega à OpenAI por outro caminho e muitas vezes continua funcionando quando o site não funciona. Não é garantido.
qr_iphone = (iPhone, iPad)
qr_android = (Android)
qr_hint = Aponte a câmera do celular para um código para abrir a página da loja.
qr_label = Código QR do app do ChatGPT ({ $store })

## O caminho: você → sua rede → (seu proxy) → Cloudflare → OpenAI.

hop_you = Você
hop_network = Sua rede
hop_proxy = Seu proxy
hop_filter = O filtro da sua rede
hop_edge = Cloudflare (a central)
hop_origin = Servidores da OpenAI (o escritório)
hop_ok = funcionando
hop_failed = falha aqui
hop_unknown = não dá para saber
hop_refusing = bloqueia seu acesso
hop_blocking = bloqueia o ChatGPT

## A página de status da janela.

since = Desde { $time } ({ $dur })
down_since = Fora do ar desde { $time } ({ $dur })
last_check = Última verificação: { $time }
sep_parts = { " · " }
snoozed_until = Notificações silenciadas até { $time }.
snoozed_recovered = Notificações silenciadas até o ChatGPT voltar.
flapping = O ChatGPT fica caindo e voltando.
paused = As verificações estão pausadas.
page_none = Ainda não há informações da página de status.
page_error = Não foi possível ler a página de status: { $err }
page_lag = O ChatGPT está falhando há { $dur } e a página de status ainda não mostra nada.
page_says = Página de status: { $desc }
sep_sentences = { " " }
incident = { $name } — { $status }

## Histórico.

uptime_24h = Disponibilidade, 24 h
uptime_7d = Disponibilidade, 7 dias
latency_note = Mediana { $median } ms, mais lenta { $max } ms ({ $n ->
    [one] { $n } verificação
   *[other] { $n } verificações
}).
no_latency = Ainda não há medições.
outages = Quedas
col_start = Início
col_duration = Duração
col_what = O quê
ongoing = em andamento
no_outages = Nenhuma queda registrada.

## Configurações.

checking_legend = Verificação
notifications_legend = Notificações
probes_legend = O que verificar
general_legend = Geral
s_poll = Verificar a cada (segundos)
s_down_poll = Com o ChatGPT fora do ar, verificar a cada (segundos)
s_recheck = Verificar de novo após a primeira falha (segundos)
s_failure = Verificações ruins antes de "fora do ar"
s_success = Verificações boas antes de "voltou"
s_timeout = Desistir de uma solicitação após (segundos)
s_slow = Lento acima de (milissegundos)
s_notifications = Avisar quando o ChatGPT cair ou voltar
s_reminder = Lembrar enquanto estiver fora do ar, a cada (minutos, 0 = nunca)
p_edge = A borda da Cloudflare
p_api = A API da OpenAI
p_status = A página de status da OpenAI
p_control = Um site sem relação, para notar quedas da sua própria conexão
lang_auto = Sistema
s_login = Iniciar ao fazer login
advanced = Avançado: endereços
e_status = Página de status
e_control = Site de controle
p_app = O caminho dos apps de celular até a OpenAI
e_app = Host dos apps de celular
s_proxy = Proxy
s_proxy_help = "system" (usa a configuração do seu computador), "none" (sem proxy) ou o endereço de um proxy, como http://usuario:senha@proxy.example:3128 (também https:// e socks5://). Scripts de proxy (PAC) não são lidos: informe o endereço do próprio proxy.

## Informar um diagnóstico errado.

report_title = Informar um diagnóstico errado
copy_report = Copiar relatório
report_copied = Copiado.
report_select = Selecionado: pressione Ctrl+C para copiar.
report_hint = Se o Gatewatch errou, envie isto junto com o seu relato do problema: o que cada verificação respondeu, sem o seu endereço IP.

## O caminho dos apps de celular.

hop_hidden = não dá para ver daqui
route_answers = Medido agora: o caminho dos apps de celular até a OpenAI responde ({ $ms } ms).
route_fails = Medido agora: o caminho dos apps de celular também falha ({ $status }).
route_refuses = O caminho dos apps de celular recusa a própria solicitação do Gatewatch, então o Gatewatch não sabe dizer se os apps funcionam.
route_unreachable = Medido agora: o caminho dos apps de celular não responde.
apps_page = A página de status da OpenAI mostra os apps de celular: { $state }.
app_state_operational = funcionando
app_state_degraded_performance = lentos
app_state_partial_outage = parcialmente fora do ar
app_state_major_outage = fora do ar
app_state_under_maintenance = em manutenção
app_state_unknown = em um estado desconhecido

## Salvar as configurações.

saved = Salvo.
save = Salvar
not_number = { $field }: digite um número.
error_prefix = Não foi possível salvar:

## Histórico: barras de disponibilidade e o gráfico do tempo de resposta.

uptime_30d = Disponibilidade, 30 dias
uptime_90d = Disponibilidade, 90 dias
bars_title = Disponibilidade num relance
bars_hint = Aponte para uma barra, ou selecione uma linha e use as setas, para ver os detalhes.
bars_day = Últimas 24 horas, 15 minutos por barra
bars_week = Últimos 7 dias, uma hora por barra
bars_quarter = Últimos 90 dias, um dia por barra
state_up = funcionando
state_degraded = lento ou com falhas
state_down = fora do ar
state_unknown = não deu para saber
state_network = bloqueado pela sua rede
state_none = não monitorado
cell_uptime = disponibilidade { $pct }
cell_checks = { $n ->
    [one] { $n } verificação
   *[other] { $n } verificações
}
cell_no_data = nenhuma verificação
cell_state = { $period }: { $state }
cell_latency = mediana { $median } ms, mais lenta { $max } ms
cell_outage = { $what }, a partir de { $time }, por { $dur }
sep_clauses = { "; " }
cell_down = fora do ar por { $dur }
cell_network = bloqueado pela sua rede por { $dur }
chart_title = Tempo de resposta
range_label = Período
range_day = 24 horas
range_week = 7 dias
chart_svg_title_day = Tempo de resposta nas últimas 24 horas
chart_svg_title_week = Tempo de resposta nos últimos 7 dias
chart_desc = A linha é o tempo de resposta mediano a cada { $bucket }; a faixa clara vai até a verificação mais lenta: em geral { $median } ms, no pior caso { $max } ms.
chart_outages = { $n ->
    [one] { $n } queda aparece sombreada e marcada pela causa; a tabela Quedas abaixo mostra essa queda.
   *[other] { $n } quedas aparecem sombreadas e marcadas pela causa; a tabela Quedas abaixo lista todas elas.
}
chart_no_outages = Nenhuma queda neste período.
outage_title = { $what } — { $time }
bucket_quarter = 15 minutos
bucket_hour = hora
axis_ms = ms
legend_median = mediana
legend_slowest = mais lenta
legend_outage = queda

## Updates.

e_update = Novas versões (manifesto)
updates_legend = Atualizações
s_updates = Procurar novas versões
s_updates_notify = Uma vez por dia, e me avisar
s_updates_off = Nunca
s_updates_help = Uma vez por dia o Gatewatch pergunta ao GitHub se existe uma versão mais nova; o GitHub vê seu endereço IP e qual versão você tem. Nada é instalado sem você pedir.
update_available = O Gatewatch { $version } está disponível.
update_skipped = Você escolheu pular esta versão.
update_current = Você tem a versão mais recente ({ $version }).
update_error = A última busca por atualizações falhou: { $error }
update_off_note = A busca por atualizações está desativada.
update_notes = Novidades

## Configurações: avisos enviados a outros lugares.

channels_legend = Avisos em outros lugares
channels_help = Os mesmos avisos, para um canal do Slack, Discord ou Microsoft Teams, um webhook JSON ou o seu celular pelo ntfy. Os endereços são secretos: o Gatewatch só os guarda no arquivo de configurações.
channel_add = Adicionar um canal
channel_kind = Serviço
channel_url = Endereço (URL do webhook, ou servidor e tópico do ntfy)
channel_token = Token de acesso (opcional)
channel_notices = Quais avisos
notice_down = Fora do ar
notice_recovered = Voltou
notice_cause = Causa mudou
notice_still_down = Ainda fora do ar (lembretes)
notice_flapping = Instável
notice_stable = Estável de novo
notice_network_blocks = Uma rede bloqueia o ChatGPT
channel_test = Enviar um teste
channel_remove = Remover
channel_unsaved = Ainda não salvo.
channel_testing = Enviando um teste…
channel_test_ok = Teste enviado às { $time }.
channel_test_failed = O teste não chegou: { $why }
channel_failing = Os avisos não estão chegando: { $why }
channel_working = Último aviso enviado às { $time }.
channel_untried = Nada enviado ainda.
channel_waiting = { $n ->
    [one] Um aviso espera para sair.
   *[other] { $n } avisos esperam para sair.
}

## Configurações: a extensão do navegador (Chromium, Google Chrome, Microsoft Edge, Firefox).

browsers_legend = No seu navegador
browsers_help = A extensão do Gatewatch para o navegador conta a ele como o ChatGPT responde no seu próprio navegador. Para chegar ao Gatewatch, cada navegador precisa de um pequeno arquivo que indique o programa auxiliar do Gatewatch; o Gatewatch o grava ao iniciar para cada navegador que você já usou.
browser_registered = Pronto: a extensão consegue chegar ao Gatewatch.
browser_system = Pronto para todos neste computador: a extensão consegue chegar ao Gatewatch.
browser_not_found = Não encontrado: nunca foi aberto nesta conta.
browser_sandboxed = Só foi encontrada uma versão em sandbox ({ $kinds }). Ela não é compatível: não consegue iniciar programas fora da sua sandbox.
browser_failed = Não foi possível preparar: { $why }
browser_sandbox_also = A versão em sandbox ({ $kinds }) não é compatível: não consegue iniciar programas fora da sua sandbox.
browser_snap_portal = Como Snap, o Firefox pede uma vez a sua permissão para a extensão chegar ao Gatewatch.
browser_connected = A extensão está conectada agora.
browsers_connected = { $n ->
    [0] Nenhuma extensão de navegador está conectada agora.
    [one] A extensão está conectada agora, em um navegador.
   *[other] A extensão está conectada agora, em { $n } navegadores.
}
browsers_no_host = Falta o programa auxiliar do Gatewatch para o navegador ({ $path }), então nenhum navegador foi preparado.
browsers_other = Nenhum navegador foi preparado: { $why }
