# Gatewatch — o que dizem o ícone da bandeja, as notificações, a linha de comando e o diagnóstico.
# A metáfora: a Cloudflare é a central telefônica na frente do ChatGPT; os servidores da OpenAI
# são o escritório por trás dele.

## O nome do idioma nele mesmo.

language-name = Português (Brasil)

## Horários e durações.

# Um horário. $hour24 vai de 0 a 23, $hour12 de 1 a 12, $minute tem dois dígitos, $period é am ou pm.
clock = { $hour24 }:{ $minute }
# Durações, curtas como pede a bandeja: "45 s", "7 min", "1 h 5 min", "2 dias 3 h".
duration-seconds = { $s } s
duration-minutes = { $m } min
duration-hours = { $h } h
duration-hours-minutes = { $h } h { $m } min
duration-days = { $d ->
    [one] { $d } dia
   *[other] { $d } dias
}
duration-days-hours = { $d ->
    [one] { $d } dia
   *[other] { $d } dias
} { $h } h

## Veredictos: o título.

verdict-up = O ChatGPT está funcionando
verdict-degraded = O ChatGPT está com dificuldades
verdict-down = O ChatGPT está fora do ar
verdict-unreachable = O ChatGPT está inacessível
verdict-blocked = O ChatGPT está no ar, mas bloqueia seu acesso
verdict-offline = Você está sem internet
verdict-unknown = Não dá para saber agora
verdict-network-blocks = Esta rede bloqueia o ChatGPT

## As causas em poucas palavras.

cause-healthy = tudo responde normalmente
cause-slow = as respostas estão lentas
cause-partial-failure = alguns serviços da OpenAI estão falhando
cause-official-incident = a OpenAI informa um incidente
cause-overload = os servidores da OpenAI não respondem à Cloudflare
cause-broken-link = a Cloudflare não consegue chegar à OpenAI
cause-origin-tls = a conexão segura Cloudflare–OpenAI está quebrada
cause-maintenance = a OpenAI está em manutenção
cause-origin-failure = os servidores da OpenAI estão falhando
cause-cloudflare-failure = a própria Cloudflare está falhando
cause-cloudflare-unreachable = a Cloudflare não responde
cause-challenge = uma verificação "confirme que você é humano"
cause-access-denied = acesso negado à sua conexão
cause-rate-limited = solicitações demais do seu endereço
cause-region = indisponível de onde você se conecta
cause-captive-portal = sua rede pede que você faça login
cause-your-network = sua conexão com a internet caiu
cause-inconclusive = nenhuma causa clara
cause-official-outage = a página de status da OpenAI diz que está fora do ar
cause-proxy-login = seu proxy pede login
cause-proxy-failing = o proxy da sua rede não consegue acessar a internet
cause-proxy-unreachable = seu proxy não responde
cause-tls-intercepted = algo na sua rede intercepta as conexões seguras
cause-network-blocks = sua rede bloqueia o ChatGPT
cause-conversations-fail = as solicitações ao ChatGPT falham no seu navegador
# Uma visão limitada em que nada de errado apareceu.
cause-nothing-wrong = nada indica problemas

## As causas explicadas: a central telefônica e o escritório.

explain-healthy = Sua rede, a Cloudflare (a central telefônica na frente do ChatGPT) e os servidores da OpenAI (o escritório por trás dele) respondem normalmente.
explain-slow = Tudo responde, mas devagar: os servidores da OpenAI provavelmente estão sobrecarregados. As páginas podem demorar para carregar ou nem carregar.
explain-partial-failure = Uma das portas que o Gatewatch verifica está falhando (a API da OpenAI, o caminho dos apps de celular ou a borda da Cloudflare), enquanto as outras respondem. Alguns recursos podem não funcionar.
explain-official-incident = A página de status da OpenAI informa um problema com o ChatGPT, embora ele ainda responda: alguns recursos podem falhar.
explain-overload = A Cloudflare, a central telefônica, respondeu — mas o escritório por trás dela, os servidores da OpenAI, não deu uma resposta válida. Isso costuma ser sobrecarga ou uma falha do lado da OpenAI. O problema não está no seu computador.
explain-broken-link = A Cloudflare, a central telefônica, funciona, mas não consegue de jeito nenhum passar a ligação para os servidores da OpenAI: a linha entre a central e o escritório caiu, ou o escritório está fechado. O problema não está no seu computador.
explain-origin-tls = A Cloudflare não consegue abrir uma conexão segura com os servidores da OpenAI: um problema de certificado ou de configuração do lado da OpenAI. O problema não está no seu computador.
explain-maintenance = A OpenAI anunciou uma manutenção e, enquanto isso, os servidores dela não respondem. O problema não está no seu computador.
explain-origin-failure = A ligação chegou aos servidores da OpenAI, mas eles responderam com um erro: algo quebrou dentro do escritório. O problema não está no seu computador.
explain-cloudflare-failure = A própria Cloudflare está falhando: a central telefônica na frente do ChatGPT (e de muitos outros sites) está com defeito, então nada chega à OpenAI. O problema não está no seu computador.
explain-cloudflare-unreachable = Sua internet funciona (outros sites respondem), mas a Cloudflare — a central telefônica na frente do ChatGPT — não responde de jeito nenhum.
explain-challenge = O ChatGPT está funcionando. A Cloudflare quer confirmar que você é humano ("Just a moment...") antes de deixar você passar. Isso não é uma queda.
explain-access-denied = O ChatGPT está funcionando, mas a Cloudflare recusa conexões do seu endereço (uma regra de firewall, ou um endereço com má reputação, o que é comum com VPNs).
explain-rate-limited = O ChatGPT está funcionando, mas por enquanto limita as solicitações do seu endereço. O limite cai sozinho.
explain-region = O ChatGPT está funcionando, mas não aceita conexões de onde você está: a OpenAI não atende este país, ou bloqueia o endereço da sua VPN ou do seu proxy.
explain-captive-portal = Sua rede está interceptando as conexões: provavelmente uma página de login do Wi-Fi (hotel, trem, aeroporto) está esperando você entrar.
explain-your-network = Desta vez é a sua conexão: nenhum site responde, não só o ChatGPT. O ChatGPT pode estar funcionando bem.
explain-inconclusive = As respostas não apontam uma causa clara. O Gatewatch continua verificando.
explain-official-outage = A página de status da OpenAI diz que o ChatGPT está fora do ar. Da sua rede, o Gatewatch não consegue enxergar dentro do chatgpt.com para confirmar, e nada do que ele vê diz o contrário. O problema não está no seu computador.
explain-proxy-login = Suas solicitações passam por um proxy (você → sua rede → seu proxy → Cloudflare → OpenAI), e o proxy pede nome de usuário e senha antes de deixá-las passar (407). Isso não diz nada sobre o ChatGPT.
explain-proxy-failing = Suas solicitações passam pelo proxy da sua rede (você → sua rede → seu proxy → Cloudflare → OpenAI). O proxy responde, mas com erros próprios: não consegue acessar a internet, ou se recusa. O Gatewatch não consegue ver além dele, então não sabe dizer se o ChatGPT está funcionando.
explain-proxy-unreachable = Suas solicitações deveriam passar por um proxy, e o proxy não responde: ele está desligado, o endereço dele está errado, ou o problema é a sua própria conexão. O Gatewatch não sabe dizer se o ChatGPT está funcionando.
explain-tls-intercepted = O chatgpt.com respondeu com um certificado que não é confiável. Os certificados da Cloudflare sempre são, então algo na sua rede (um proxy da empresa, um antivírus, uma página de login do Wi-Fi) está interceptando as conexões seguras. O Gatewatch não envia nada por uma conexão assim.
explain-network-blocks = A rede em que você está impede seu computador de chegar ao ChatGPT: o filtro web, o DNS ou o proxy dela bloqueia a conexão, como fazem muitas empresas e escolas (os outros sites funcionam). Não é uma queda, e o problema não está no seu computador: o ChatGPT pode estar funcionando bem para todo mundo. O que o Gatewatch sabe do próprio ChatGPT vem do que ainda passa: a página de status da OpenAI e as portas da OpenAI que a rede deixa passar.
explain-conversations-fail = O seu próprio navegador, conectado ao chatgpt.com, vê as solicitações ao ChatGPT falharem — cortadas no meio, reiniciadas ou sem resposta — mesmo que o site ainda carregue para as verificações do Gatewatch. É assim que uma falha parcial aparece antes que a página de status da OpenAI diga qualquer coisa. As vezes em que você mesmo interrompe ("Parar de gerar") e as verificações da Cloudflare não contam. O problema não está no seu computador.
explain-nothing-wrong = Nada do que o Gatewatch vê indica problemas: a Cloudflare responde, e também as outras portas da OpenAI e a página de status dela. Da sua rede, ele não consegue olhar até o fundo do chatgpt.com (veja abaixo), então esta é uma visão limitada.

## Uma visão limitada: o chatgpt.com não mostra ao Gatewatch o que mostra a um navegador.

limited-challenge-short = visão limitada: o chatgpt.com exige um navegador
limited-refused-short = visão limitada: o chatgpt.com recusa as solicitações do Gatewatch
limited-view = visão limitada
limited-challenge = Visão limitada: da sua rede, o chatgpt.com responde às solicitações do Gatewatch com uma verificação "confirme que você é humano", que só um navegador consegue passar (a Cloudflare faz isso com programas em muitas redes, principalmente VPNs e data centers). Uma solicitação assim nunca chega aos servidores da OpenAI, então o Gatewatch avalia pelo resto: a borda da Cloudflare, a API da OpenAI, o caminho dos apps de celular e a página de status da OpenAI. Isso não diz nada sobre o seu navegador, que pode muito bem conseguir passar.
limited-refused = Visão limitada: da sua rede, o chatgpt.com recusa as solicitações do Gatewatch sem dizer por quê (um 403 sem explicação, ou um 404 vazio). Uma solicitação assim nunca chega aos servidores da OpenAI, então o Gatewatch avalia pelo resto: a borda da Cloudflare, a API da OpenAI, o caminho dos apps de celular e a página de status da OpenAI. Isso não diz nada sobre o seu navegador, que pode muito bem conseguir passar.
limited-network-short = visão limitada: esta rede bloqueia o chatgpt.com
limited-network = Visão limitada: sua rede bloqueia o chatgpt.com, então daqui o Gatewatch não consegue ver o próprio ChatGPT. Ele avalia pelo que ainda passa: a página de status da OpenAI e as portas da OpenAI que a rede deixa passar.
block-how-filter-page = o filtro web da rede responde no lugar do ChatGPT
block-how-proxy-policy = o proxy se recusa a conectar ao ChatGPT
block-how-dns-answer = o DNS da rede esconde o endereço do ChatGPT
block-how-reset = a rede corta a conexão assim que vê o nome do ChatGPT
block-how-foreign-certificate = um servidor de bloqueio responde no lugar do ChatGPT
beyond-page-up = a OpenAI não informa nenhum problema
beyond-page-degraded = a OpenAI informa um problema com o ChatGPT
beyond-page-down = a OpenAI informa uma queda
beyond-doors-up = as outras portas da OpenAI respondem normalmente
beyond-doors-degraded = algumas das outras portas da OpenAI falham
beyond-doors-down = as outras portas da OpenAI também falham
beyond-unknown = nada passa que mostre se o ChatGPT está no ar

## O que fazer.

advice-phone-app = Experimente o app do ChatGPT no celular: ele chega à OpenAI por outro caminho e muitas vezes continua funcionando (nem sempre).
advice-phone-app-answers = Experimente o app do ChatGPT no celular: o caminho dele até a OpenAI está respondendo agora.
advice-reload = Recarregue a página daqui a um minuto.
advice-other-services = A API da OpenAI ainda responde: ferramentas feitas com ela podem continuar funcionando.
advice-wait = Não há nada para consertar do seu lado: aguarde, o Gatewatch avisa quando voltar.
advice-status-page = Veja o que diz a página de status da OpenAI.
advice-check-connection = Verifique o Wi-Fi ou o cabo, ou reinicie o roteador.
advice-sign-in-to-network = Abra qualquer site no navegador e faça login na página de acesso da rede.
advice-open-in-browser = Abra o chatgpt.com no navegador e conclua a verificação.
advice-change-network = Desligue a VPN ou o proxy, ou tente outra rede (como os dados móveis do celular).
advice-wait-for-limit = Aguarde alguns minutos antes de tentar de novo.
advice-proxy-settings = Confira o proxy nas configurações do Gatewatch: o endereço dele e, se ele pedir, seu nome de usuário e senha (http://usuario:senha@host:porta). Scripts de proxy (PAC) não são lidos: informe o endereço do próprio proxy.
advice-mobile-data = Use os dados móveis do celular em vez desta rede, ou o app do ChatGPT com dados móveis.
advice-ask-administrator = Pergunte ao administrador da rede (o TI da empresa, a escola) se o ChatGPT é permitido aqui.
advice-vpn-if-allowed = Uma VPN contorna o bloqueio, mas use só onde as regras da rede permitem.

## O que um código de status quer dizer, em poucas palavras.

http-500 = erro interno do servidor
http-502 = gateway inválido
http-503 = serviço indisponível
http-504 = tempo esgotado no gateway
http-520 = resposta vazia ou inesperada da OpenAI
http-521 = a OpenAI recusou a conexão
http-522 = a conexão com a OpenAI expirou
http-523 = OpenAI inacessível
http-524 = a OpenAI demorou demais para responder
http-525 = falha no handshake seguro com a OpenAI
http-526 = certificado inválido na OpenAI
http-530 = não foi possível resolver o endereço da OpenAI
http-403 = acesso proibido
http-429 = solicitações demais

## Resumos em uma linha: "O ChatGPT está fora do ar — a Cloudflare não consegue chegar à OpenAI (521, FRA)".

summary = { $headline } — { $cause }
summary-network-block = { $headline }. { $beyond }.
# A causa com as etiquetas entre parênteses: o código de status e o data center da Cloudflare.
cause-tagged = { $cause } ({ $tags })
list-separator = { ", " }
# Um número de erro da Cloudflare entre as etiquetas: "erro 1020".
tag-cf-code = erro { $code }
# O motivo da visão limitada depois da causa.
cause-limited = { $cause }; { $limited }

## Erros de rede.

net-dns = o nome não foi resolvido (DNS)
net-connect = a conexão foi recusada
net-timeout = sem resposta a tempo
net-reset = a conexão foi cortada
net-tls = a conexão segura falhou (TLS)
net-protocol = a resposta não era HTTP válido
net-proxy-auth = o proxy pede login (407)
net-proxy-refused = o proxy não quis conectar

## O que o Gatewatch consultou.

target-edge = a borda da Cloudflare
target-status-page = a página de status
target-control = um site de controle
target-app = o caminho dos apps de celular

## Os fatos: um por frase.

evidence-edge-answered-from = A borda da Cloudflare respondeu de { $colo } ({ $ms } ms).
evidence-edge-answered = A borda da Cloudflare respondeu ({ $ms } ms).
evidence-edge-not-trace = Algo respondeu no endereço da Cloudflare com { $status }, mas não era a Cloudflare.
evidence-edge-http-error = A borda da Cloudflare respondeu à verificação do Gatewatch com o erro { $status }.
evidence-edge-failed = A borda da Cloudflare não respondeu: { $error }.
# A resposta do chatgpt.com, montada em partes: "O chatgpt.com respondeu 502 (gateway inválido)
# com a página de erro da Cloudflare, via FRA (40 ms)."
evidence-origin-answered = O chatgpt.com respondeu { $status }{ $meaning }{ $kind }{ $code }{ $colo } ({ $ms } ms).
evidence-meaning = { " " }({ $meaning })
evidence-kind-cloudflare-page = { " " }com a página de erro da Cloudflare
evidence-kind-challenge = { " " }com uma verificação "confirme que você é humano"
evidence-kind-openai = { " " }dos próprios servidores da OpenAI
evidence-error-code = , código de erro { $code }
evidence-via = , via { $colo }
evidence-origin-failed = O chatgpt.com não respondeu: { $error } ({ $ms } ms).
evidence-api-alive = O api.openai.com responde: a API da OpenAI está no ar ({ $ms } ms).
evidence-api-http-error = O api.openai.com respondeu com o erro { $status }.
evidence-api-failed = O api.openai.com não respondeu: { $error }.
evidence-control-answered = Um site sem relação com a OpenAI e a Cloudflare responde: sua internet funciona.
evidence-control-replaced = A verificação de controle (espera-se uma resposta vazia de um site sem relação com a OpenAI) recebeu outra coisa ({ $status }): sua rede responde no lugar da internet.
evidence-answered-in-place = O { $target } foi respondido por algo que não são os servidores dele ({ $status }): não conta como resposta dele.
evidence-block-filter-page = O { $target } foi respondido por uma página que não passou pela Cloudflare ({ $detail }){ $vendor }: a página de bloqueio de um filtro web.
evidence-block-proxy-policy = Seu proxy se recusou a conectar ao { $target } ({ $detail }){ $vendor }, enquanto deixa passar os outros sites.
evidence-block-dns-answer = O { $target } foi resolvido para { $detail }, que não é um endereço da Cloudflare{ $vendor }: o DNS da rede o bloqueia.
evidence-block-dns-nxdomain = O DNS da rede diz que { $target } não existe, enquanto os outros nomes são resolvidos: ele o bloqueia.
evidence-block-reset = A conexão com o { $target } ({ $detail }) foi cortada assim que o Gatewatch disse o nome do site, enquanto o mesmo endereço responde para outros nomes.
evidence-block-foreign-certificate = O { $target } foi respondido por um servidor fora da Cloudflare com um certificado de outro nome ({ $detail }){ $vendor }: um servidor de bloqueio.
evidence-by-vendor = , da { $vendor }
evidence-limited-network = Sua rede o bloqueia ({ $status }): o Gatewatch avalia pelo que ainda passa.
evidence-control-failed = Um site sem relação com a OpenAI também não respondeu: { $error }.
evidence-slow = Resposta lenta: { $target } levou { $ms } ms (o limite é { $limit } ms).
# A página de status: "A página de status da OpenAI mostra um problema pequeno, 2 incidentes abertos, afetando o ChatGPT."
evidence-status-page = A página de status da OpenAI mostra { $state }{ $incidents }{ $chatgpt }
indicator-none = tudo verde
indicator-minor = um problema pequeno
indicator-major = um problema grave
indicator-critical = um problema crítico
indicator-maintenance = manutenção
indicator-unknown = um estado desconhecido
evidence-open-incidents = , { $n ->
    [one] { $n } incidente aberto
   *[other] { $n } incidentes abertos
}
evidence-chatgpt-major = , com parte do ChatGPT totalmente fora do ar.
evidence-chatgpt-partial = , com parte do ChatGPT falhando para alguns usuários.
evidence-chatgpt-affected = , afetando o ChatGPT.
evidence-chatgpt-unaffected = , nada sobre o ChatGPT.
evidence-limited-challenge = Essa verificação é feita para navegadores ({ $status }) e nunca chega aos servidores da OpenAI: o Gatewatch avalia pelas outras verificações.
evidence-limited-refused = Essa recusa não dá motivo ({ $status }) e nunca chega aos servidores da OpenAI: o Gatewatch avalia pelas outras verificações.
evidence-app-answers = O caminho dos apps de celular até a OpenAI (ios.chat.openai.com) responde ({ $ms } ms).
evidence-app-fails = O caminho dos apps de celular até a OpenAI (ios.chat.openai.com) também falha: respondeu { $status }{ $meaning } ({ $ms } ms).
evidence-app-refuses = O caminho dos apps de celular até a OpenAI (ios.chat.openai.com) respondeu { $status }: ele recusa a solicitação do Gatewatch, o que não diz nada sobre os apps ({ $ms } ms).
evidence-app-failed = O caminho dos apps de celular até a OpenAI (ios.chat.openai.com) não respondeu: { $error } ({ $ms } ms).
evidence-app-silent = O caminho dos apps de celular até a OpenAI (ios.chat.openai.com) não respondeu ({ $ms } ms).
evidence-phone-apps = A página de status da OpenAI mostra os apps de celular { $state }.
evidence-retry-after = O chatgpt.com pediu ao Gatewatch que espere { $wait } antes de verificar de novo (Retry-After): o Gatewatch espera pelo menos esse tempo, no máximo 15 minutos.
component-operational = funcionando
component-degraded = lentos
component-partial-outage = parcialmente fora do ar
component-major-outage = fora do ar
component-maintenance = em manutenção
component-unknown = em um estado desconhecido

## A bandeja: a dica e o menu.

# Depois da causa: "· desde 14:05".
since-time = desde { $time }
line-since = { $line } · { $since }
# Bandeja pausada: "Pausado — O ChatGPT está funcionando".
paused-line = Pausado — { $line }
menu-checking = Verificando…
menu-check-now = Verificar agora
menu-whats-going-on = O que está acontecendo?
menu-open-chatgpt = Abrir o ChatGPT
menu-open-status-page = Abrir a página de status da OpenAI
menu-snooze = Silenciar notificações
menu-snooze-hour = Por 1 hora
menu-snooze-until-back = Até o ChatGPT voltar
menu-notify-again = Notificar de novo
menu-notify-again-at = Notificar de novo (silenciado até { $time })
menu-settings = Configurações…
menu-start-at-login = Iniciar ao fazer login
menu-quit = Sair do Gatewatch
# Por que a janela de detalhes não está aí; $reason é uma das mensagens window-* abaixo.
explainer-could-not-start = Não foi possível abrir a janela de detalhes: { $reason }
explainer-stopped = A janela de detalhes fechou inesperadamente: { $reason }
window-missing = o programa dela não está instalado junto ao Gatewatch
window-cannot-run = o sistema não conseguiu iniciar o programa dela
window-library = falta uma biblioteca de que ela precisa ({ $library })
window-no-display = não há tela onde mostrá-la
window-no-webview2 = falta o WebView2 Runtime da Microsoft: instale-o a partir de { $url }
window-exited = código de saída { $code }
window-killed = encerrada pelo sinal { $signal }
window-ended = ela fechou sem dizer por quê
window-no-channel = o Gatewatch não tem um canal local para falar com ela

## Notificações.

notify-settings-reset = Gatewatch: configurações redefinidas
warning-settings-not-applied = Não foi possível aplicar as novas configurações: o Gatewatch continua verificando com as anteriores (o log diz por quê).
store-damaged = O arquivo { $file } estava danificado; ele foi guardado como { $backup }.
store-unreadable = Não foi possível ler { $file }: { $why }.
store-unwritable = Não foi possível salvar { $file }: { $why }.
io-denied = permissão negada
io-full = o disco está cheio
io-read-only = o disco é somente leitura
io-missing = a pasta dele não existe
io-other = o sistema recusou (o log diz como)
store-then-defaults = { $problem } As configurações padrão estão sendo usadas.
store-then-new-history = { $problem } Um novo histórico começa.
store-then-kept = { $problem } As configurações em uso foram mantidas e salvas de novo.
store-then-kept-unsaved = { $problem } As configurações em uso foram mantidas. { $why }
notify-open = Abrir o Gatewatch
# "a Cloudflare não consegue chegar à OpenAI (521, FRA) — experimente o app no celular. A API ainda responde. Desde 14:05."
notify-down-body = { $cause } — { $tip }{ $api } Desde { $time }.
notify-api-answers = { " " }A API ainda responde.
notify-tip-wait = aguarde, ou experimente o app no celular.
notify-tip-phone = experimente o app no celular.
notify-back-title = O ChatGPT voltou
notify-back-body = Ficou fora do ar por { $duration } (desde { $time }).
notify-cause-title = { $headline } — nova causa
notify-cause-body = { $cause } — { $tip } Fora do ar desde { $time }.
notify-still-down-title = { $headline } há { $duration }
notify-still-down-body = { $cause } — { $tip }
notify-flapping-title = O ChatGPT está instável
notify-flapping-body = { $n ->
    [one] Caiu { $n } vez em { $window }.
   *[other] Caiu { $n } vezes em { $window }.
} O Gatewatch vai ficar em silêncio até tudo se estabilizar e depois enviará um resumo.
notify-stable-down-title = O ChatGPT parou de oscilar e está fora do ar
notify-stable-title = O ChatGPT está estável de novo
notify-stable-body = Nesse período: { $n ->
    [one] { $n } queda
   *[other] { $n } quedas
}, { $duration } fora do ar no total.
notify-network-blocks-title = Esta rede bloqueia o ChatGPT
notify-network-blocks-body = { $how }. { $beyond }. Para acessá-lo, use os dados móveis ou o app no celular com dados móveis.

## A linha de comando.

cli-saw = O que o Gatewatch viu:
cli-status-page-unreadable = Página de status ilegível: { $error }
page-error-http = respondeu com o erro { $status }
page-error-unreadable = a resposta não é o JSON que o Gatewatch sabe ler
page-error-too-large = a resposta passa dos { $kib } KiB que o Gatewatch lê
cli-incident = Incidente: { $name } ({ $status }) { $link }
cli-todo = O que fazer:
cli-uptime = Disponibilidade: 24 h { $day } · 7 dias { $week }
cli-no-outages = Nenhuma queda registrada.
cli-outages = Quedas, da mais recente para a mais antiga:
cli-ongoing = em andamento
# `gatewatch watch`, depois de uma queda: "voltou após 7 min".
cli-back-after = voltou após { $duration }
cli-with-note = { $line } — { $note }
# A dica de `gatewatch watch --format waybar`.
cli-since = Desde { $time }
cli-network-blocked = Bloqueado pela sua rede: 24 h { $day } · 7 dias { $week }

## Seu navegador: o que a extensão do Gatewatch viu das suas próprias solicitações ao chatgpt.com.

evidence-browser-fails = No seu navegador, { $failed } das { $recent ->
    [one] última solicitação
   *[other] últimas { $recent } solicitações
} ao ChatGPT falharam: { $what }.
evidence-browser-answers = No seu navegador o ChatGPT responde: { $answered } das { $recent ->
    [one] última solicitação
   *[other] últimas { $recent } solicitações
} deram certo.
evidence-browser-quiet = As últimas solicitações do seu navegador ao ChatGPT não indicam nada nem num sentido nem no outro (as suas próprias interrupções e as verificações da Cloudflare não contam).
browser-failure-gateway = um { $status } da Cloudflare, que não recebeu uma resposta válida dos servidores da OpenAI
browser-failure-origin = um erro { $status } dos servidores da OpenAI
browser-failure-cut = respostas cortadas no meio
browser-failure-reset = a conexão foi reiniciada
browser-failure-closed = a conexão foi fechada antes de uma resposta
browser-failure-timeout = sem resposta a tempo
browser-failure-protocol = a conexão caiu (um erro de protocolo)
browser-failure-other = a solicitação falhou
banner-error-page = o chatgpt.com enviou uma página de erro

## Updates.

update-available = Gatewatch { $version } está disponível
update-how-installer = Escolha "Instalar atualização" no menu do Gatewatch para instalá-la.
update-how-apt = Seu gerenciador de pacotes traz a atualização: sudo apt update && sudo apt upgrade
update-how-dnf = Seu gerenciador de pacotes traz a atualização: sudo dnf upgrade gatewatch
update-how-page = Baixe em { $url }
update-daily-title = O Gatewatch procura novas versões
update-daily-body = Uma vez por dia ele pergunta ao GitHub se existe um Gatewatch mais novo; o GitHub vê seu endereço IP e qual versão você tem. Nada é instalado sem você pedir. Para desativar, defina "Procurar novas versões" como "Nunca" nas Configurações.
update-up-to-date-title = O Gatewatch está atualizado
update-up-to-date = { $version } é a versão mais recente.
update-failed-title = Não foi possível procurar atualizações
update-check-failed = O Gatewatch vai tentar de novo amanhã. ({ $reason })
update-menu-check = Procurar atualizações
update-menu-checking = Procurando atualizações…
update-menu-daily = Procurar novas versões todo dia
update-menu-install = Instalar atualização
update-menu-installing = Instalando o Gatewatch { $version }…
update-menu-release-page = Abrir a página de download
update-menu-skip = Pular esta versão
update-install-failed-title = A atualização não foi instalada
update-install-failed = Atualização não instalada: { $reason }
update-error-off = a busca por atualizações está desativada
update-error-address = o endereço do manifesto de versões não pode ser usado (veja a configuração update_url)
update-error-http = o servidor de versões respondeu com o erro { $status }
update-error-no-answer = o servidor de versões não respondeu: { $error }
update-error-too-large = a resposta do servidor de versões passa do que o Gatewatch lê
update-error-redirect = o servidor de versões mandou o Gatewatch para um endereço que ele não segue
update-error-signature = a versão não está assinada com a chave do Gatewatch, ou foi alterada depois de assinada
update-error-mismatch = a assinatura da versão é de outra versão ou de outro arquivo
update-error-manifest = não foi possível ler o manifesto de versões
update-error-downgrade = a versão oferecida ({ $offered }) é mais antiga que esta ({ $running })
update-error-no-platform = a versão não tem download para este sistema
update-error-disk = não foi possível salvar o download neste computador
update-error-not-here = o Gatewatch não se instala sozinho neste sistema
update-error-installer-refused = o Windows não iniciou o instalador (talvez um antivírus ou o Smart App Control o tenha bloqueado)
update-error-installer-ended = o instalador terminou sem instalar (código de saída { $code })
update-cli-available = O Gatewatch { $version } está disponível (você tem a { $current }).
update-cli-up-to-date = O Gatewatch { $version } é a versão mais recente.
update-cli-notes = Novidades:

## Avisos enviados a outros lugares: Slack, Discord, Microsoft Teams, webhooks JSON, ntfy.

alert-sentence = { $title }: { $body }
alert-late = Enviado com atraso: aconteceu às { $time }.
alert-field-cause = Causa
alert-field-since = Desde
alert-field-advice = O que fazer
alert-status-page = página de status da OpenAI
alert-test-title = Gatewatch: um teste
alert-test-body = Este canal vai receber os avisos do Gatewatch sobre o ChatGPT.
alert-test-body-now = Este canal vai receber os avisos do Gatewatch sobre o ChatGPT. Agora: { $now }
channel-failing = Os avisos para { $channel } estão falhando: { $why }
cli-wait-timeout = O ChatGPT ainda não voltou após { $duration }.
cli-wait-unknown = O Gatewatch não conseguiu saber em { $duration } se o ChatGPT funciona.
