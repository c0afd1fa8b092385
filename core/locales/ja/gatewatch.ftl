# Gatewatch — トレイ、通知、コマンドライン、診断の文言。
# たとえ：Cloudflare は ChatGPT の前にある交換台、OpenAI のサーバーはその奥のオフィス。

## 言語の自称。

language-name = 日本語

## 時刻と所要時間。

# 時刻。$hour24 は 0–23、$hour12 は 1–12、$minute は 2 桁、$period は am か pm。
clock = { $hour24 }:{ $minute }
# 所要時間（トレイ向けに短く）：「45秒」「7分」「1時間5分」「2日3時間」。
duration-seconds = { $s }秒
duration-minutes = { $m }分
duration-hours = { $h }時間
duration-hours-minutes = { $h }時間{ $m }分
duration-days = { $d }日
duration-days-hours = { $d }日{ $h }時間

## 判定：見出し。

verdict-up = ChatGPTは稼働中です
verdict-degraded = ChatGPTは不調です
verdict-down = ChatGPTは停止中です
verdict-unreachable = ChatGPTに接続できません
verdict-blocked = ChatGPTは稼働中ですが、アクセスを拒否されています
verdict-offline = オフラインです
verdict-unknown = 今は判断できません
verdict-network-blocks = このネットワークはChatGPTをブロックしています

## 原因をひとことで（要約と通知用）。

cause-healthy = すべて正常に応答しています
cause-slow = 応答が遅くなっています
cause-partial-failure = OpenAIの一部のサービスに障害があります
cause-official-incident = OpenAIが障害を報告しています
cause-overload = OpenAIのサーバーがCloudflareに応答していません
cause-broken-link = CloudflareからOpenAIに届きません
cause-origin-tls = Cloudflare–OpenAI間の安全な接続に問題があります
cause-maintenance = OpenAIがメンテナンス中です
cause-origin-failure = OpenAIのサーバーに障害があります
cause-cloudflare-failure = Cloudflare自体に障害があります
cause-cloudflare-unreachable = Cloudflareが応答しません
cause-challenge = 「人間であることの確認」を求められています
cause-access-denied = お使いの接続からのアクセスが拒否されています
cause-rate-limited = お使いのアドレスからのリクエストが多すぎます
cause-region = 接続元の地域では利用できません
cause-captive-portal = ネットワークがサインインを求めています
cause-your-network = インターネット接続が切れています
cause-inconclusive = はっきりした原因はありません
cause-official-outage = OpenAIのステータスページが停止を報告しています
cause-proxy-login = プロキシがログインを求めています
cause-proxy-failing = ネットワークのプロキシがインターネットに届きません
cause-proxy-unreachable = プロキシが応答しません
cause-tls-intercepted = ネットワーク上の何かが安全な通信に割り込んでいます
# 確認できる範囲が限定的で、問題が見つからなかったとき。
cause-network-blocks = ネットワークがChatGPTをブロックしています
cause-conversations-fail = ブラウザーでChatGPTへのリクエストが失敗しています
# 限られた確認で、問題が見つからなかったとき。
cause-nothing-wrong = 問題を示すものはありません

## 原因の説明：交換台とオフィス。

explain-healthy = お使いのネットワーク、Cloudflare（ChatGPTの前にある交換台）、OpenAIのサーバー（その奥のオフィス）のどれも正常に応答しています。
explain-slow = すべて応答していますが、遅くなっています。OpenAIのサーバーが混み合っているようです。ページの読み込みが遅かったり、タイムアウトしたりすることがあります。
explain-partial-failure = Gatewatchが確認する入口の一つ（OpenAIのAPI、スマホアプリの経路、Cloudflareのエッジ）に障害がありますが、ほかは応答しています。一部の機能が使えないかもしれません。
explain-official-incident = OpenAIのステータスページがChatGPTの問題を報告しています。応答はありますが、一部の機能が正常に動作しない可能性があります。
explain-overload = 交換台のCloudflareは応答しました。しかし、その奥のオフィスであるOpenAIのサーバーが正しい応答を返しませんでした。たいていはOpenAI側の過負荷か障害です。お使いのコンピューターの問題ではありません。
explain-broken-link = 交換台のCloudflareは動いていますが、OpenAIのサーバーにまったくつながりません。交換台とオフィスの間の回線が切れているか、オフィスが閉まっています。お使いのコンピューターの問題ではありません。
explain-origin-tls = CloudflareがOpenAIのサーバーと安全な接続を確立できません。OpenAI側の証明書か設定の問題です。お使いのコンピューターの問題ではありません。
explain-maintenance = OpenAIがメンテナンスを告知していて、その間サーバーは応答しません。お使いのコンピューターの問題ではありません。
explain-origin-failure = 通信はOpenAIのサーバーまで届きましたが、エラーが返ってきました。オフィスの中で何かが壊れています。お使いのコンピューターの問題ではありません。
explain-cloudflare-failure = Cloudflare自体に障害があります。ChatGPT（とほかの多くのサイト）の前にある交換台が壊れているため、OpenAIまで何も届きません。お使いのコンピューターの問題ではありません。
explain-cloudflare-unreachable = インターネットは使えています（ほかのサイトは応答します）が、ChatGPTの前にある交換台のCloudflareがまったく応答しません。
explain-challenge = ChatGPTは稼働中です。Cloudflareが、通す前に人間かどうかを確認しようとしています（「Just a moment...」）。障害ではありません。
explain-access-denied = ChatGPTは稼働中ですが、Cloudflareがお使いのアドレスからの接続を拒否しています（ファイアウォールのルール、または評判の悪いアドレスのため。VPNでよくあります）。
explain-rate-limited = ChatGPTは稼働中ですが、今はお使いのアドレスからのリクエストを制限しています。制限はしばらくすると自然に解除されます。
explain-region = ChatGPTは稼働中ですが、接続元の地域からのアクセスを拒否しています。OpenAIがこの国でサービスを提供していないか、VPNやプロキシのアドレスをブロックしています。
explain-captive-portal = ネットワークが通信に割り込んでいます。おそらくWi-Fiのログインページ（ホテル、電車、空港など）がサインインを待っています。
explain-your-network = 今回はお使いの接続の問題です。ChatGPTだけでなく、どのサイトも応答しません。ChatGPT自体はおそらく問題ありません。
explain-inconclusive = 応答からは、はっきりした原因がわかりません。Gatewatchは確認を続けます。
explain-official-outage = OpenAIのステータスページがChatGPTの停止を報告しています。Gatewatchはお使いのネットワークからchatgpt.comの奥まで確認できないので裏付けはできませんが、見える範囲にそれと矛盾するものはありません。お使いのコンピューターの問題ではありません。
explain-proxy-login = リクエストはプロキシを通っています（あなた → ネットワーク → プロキシ → Cloudflare → OpenAI）。そのプロキシが、通す前にユーザー名とパスワードを求めています（407）。ChatGPTの状態とは関係ありません。
explain-proxy-failing = リクエストはネットワークのプロキシを通っています（あなた → ネットワーク → プロキシ → Cloudflare → OpenAI）。プロキシは応答しますが、プロキシ自身のエラーを返しています。インターネットに届かないか、接続を拒んでいます。Gatewatchはその先が見えないため、ChatGPTが稼働中かどうか判断できません。
explain-proxy-unreachable = リクエストはプロキシを通るはずですが、そのプロキシが応答しません。プロキシが止まっているか、アドレスが間違っているか、お使いの接続が切れています。GatewatchはChatGPTが稼働中かどうか判断できません。
explain-tls-intercepted = chatgpt.comが信頼できない証明書で応答しました。Cloudflareの証明書は必ず信頼できるものなので、ネットワーク上の何か（会社のプロキシ、ウイルス対策ソフト、Wi-Fiのログインページなど）が安全な通信に割り込んでいます。Gatewatchはそのような接続では何も送信しません。
explain-nothing-wrong = Gatewatchに見える範囲では、問題を示すものはありません。Cloudflareは応答し、OpenAIのほかの入口もステータスページも応答しています。ただし、お使いのネットワークからはchatgpt.comの奥まで確認できないため（下記参照）、確認できる範囲が限定的です。
explain-network-blocks = 接続中のネットワークが、このコンピューターからChatGPTへの接続を止めています。多くの会社や学校と同じように、Webフィルター、DNS、またはプロキシが接続を遮断しています（ほかのサイトは使えます）。障害ではなく、コンピューターの問題でもありません。ほかの人にはChatGPTが普通に使えているかもしれません。GatewatchがChatGPT自体について知っていることは、まだ届くもの、つまりOpenAIのステータスページと、ネットワークが通すOpenAIの入口から得ています。
explain-conversations-fail = chatgpt.comにログインしているお使いのブラウザーで、ChatGPTへのリクエストが失敗しています（途中で切れる、リセットされる、応答がない）。Gatewatch自身のチェックではサイトがまだ読み込めていても、部分的な障害はOpenAIのステータスページが何か伝える前にこう見えます。ご自身で止めた生成（「生成を停止」）とCloudflareの確認は数えません。お使いのコンピューターの問題ではありません。

## 確認できる範囲が限定的な場合：chatgpt.comはブラウザーに見せるものをGatewatchには見せません。

limited-challenge-short = 確認できる範囲が限定的：chatgpt.comがGatewatchにブラウザー確認を求めています
limited-refused-short = 確認できる範囲が限定的：chatgpt.comがGatewatchのリクエストを拒否しています
limited-view = 確認できる範囲が限定的
limited-challenge = 確認できる範囲が限定的です。お使いのネットワークからだと、chatgpt.comはGatewatchのリクエストに「人間であることの確認」で応答します。これはブラウザーでしか通過できません（Cloudflareは多くのネットワーク、特にVPNやデータセンターからのプログラムに対してこの確認を行います）。このようなリクエストはOpenAIのサーバーに届かないため、Gatewatchはほかの情報（Cloudflareのエッジ、OpenAIのAPI、スマホアプリの経路、OpenAIのステータスページ）から判断します。お使いのブラウザーについては何もわからず、ブラウザーなら問題なくつながるかもしれません。
limited-refused = 確認できる範囲が限定的です。お使いのネットワークからだと、chatgpt.comは理由を示さずにGatewatchのリクエストを拒否します（403だけ、または空の404）。このようなリクエストはOpenAIのサーバーに届かないため、Gatewatchはほかの情報（Cloudflareのエッジ、OpenAIのAPI、スマホアプリの経路、OpenAIのステータスページ）から判断します。お使いのブラウザーについては何もわからず、ブラウザーなら問題なくつながるかもしれません。
limited-network-short = 確認できる範囲が限定的：このネットワークがchatgpt.comをブロックしています
limited-network = 確認できる範囲が限定的です。お使いのネットワークがchatgpt.comをブロックしているため、GatewatchはここからChatGPT自体を確認できません。まだ届くもの（OpenAIのステータスページと、ネットワークが通すOpenAIの入口）から判断します。
block-how-filter-page = ネットワークのWebフィルターがChatGPTの代わりに応答しています
block-how-proxy-policy = プロキシがChatGPTへの接続を拒否しています
block-how-dns-answer = ネットワークのDNSがChatGPTのアドレスを隠しています
block-how-reset = ネットワークがChatGPTの名前を見た時点で接続を切っています
block-how-foreign-certificate = ブロック用のサーバーがChatGPTの代わりに応答しています
beyond-page-up = OpenAIは問題を報告していません
beyond-page-degraded = OpenAIはChatGPTの問題を報告しています
beyond-page-down = OpenAIは障害を報告しています
beyond-doors-up = OpenAIのほかの入口は正常に応答しています
beyond-doors-degraded = OpenAIのほかの入口の一部に障害があります
beyond-doors-down = OpenAIのほかの入口にも障害があります
beyond-unknown = ChatGPT自体が動いているかを示すものは何も届いていません

## 対処法。

advice-phone-app = ChatGPTのスマホアプリを試してください。別の経路でOpenAIにつながるため、使えることがよくあります（いつもではありません）。
advice-phone-app-answers = ChatGPTのスマホアプリを試してください。今はアプリのOpenAIへの経路が応答しています。
advice-reload = 1分ほどしてからページを再読み込みしてください。
advice-other-services = OpenAIのAPIはまだ応答しています。APIを使ったツールは動き続けるかもしれません。
advice-wait = お使いの環境で対処することはありません。待っていてください。復旧したらGatewatchがお知らせします。
advice-status-page = OpenAIのステータスページを確認してください。
advice-check-connection = Wi-Fiやケーブルを確認するか、ルーターを再起動してください。
advice-sign-in-to-network = ブラウザーで適当なWebサイトを開き、ネットワークのログインページでサインインしてください。
advice-open-in-browser = ブラウザーでchatgpt.comを開き、確認を済ませてください。
advice-change-network = VPNやプロキシをオフにするか、別のネットワーク（スマホのモバイルデータなど）を試してください。
advice-wait-for-limit = 数分待ってから、もう一度試してください。
advice-proxy-settings = Gatewatchの設定でプロキシを確認してください。アドレスと、必要ならユーザー名とパスワード（http://ユーザー:パスワード@ホスト:ポート）です。プロキシスクリプト（PAC）は読み込みません。プロキシ自体のアドレスを設定してください。
advice-mobile-data = このネットワークではなくスマホのモバイルデータを使うか、モバイルデータでChatGPTアプリを使ってください。
advice-ask-administrator = ここでChatGPTが許可されているか、ネットワークの管理者（社内のIT部門、学校）に確認してください。
advice-vpn-if-allowed = VPNを使えばブロックを回避できますが、ネットワークのルールで認められている場合だけにしてください。

## ステータスコードの意味をひとことで。

http-500 = サーバー内部エラー
http-502 = 不正なゲートウェイ
http-503 = サービス利用不可
http-504 = ゲートウェイのタイムアウト
http-520 = OpenAIから空または想定外の応答
http-521 = OpenAIが接続を拒否
http-522 = OpenAIへの接続がタイムアウト
http-523 = OpenAIに到達できない
http-524 = OpenAIの応答に時間がかかりすぎた
http-525 = OpenAIとの安全なハンドシェイクに失敗
http-526 = OpenAIの証明書が無効
http-530 = OpenAIのアドレスを解決できない
http-403 = アクセス禁止
http-429 = リクエストが多すぎる

## 1行の要約：「ChatGPTは停止中です：CloudflareからOpenAIに届きません（521、FRA）」。

summary = { $headline }：{ $cause }
summary-network-block = { $headline }。{ $beyond }。
# 原因と、かっこ内のタグ：ステータスコードとCloudflareのデータセンター。
cause-tagged = { $cause }（{ $tags }）
list-separator = { "、" }
# タグに入るCloudflareのエラー番号：「エラー1020」。
tag-cf-code = エラー{ $code }
# 原因のあとに、確認できる範囲が限定的な理由。
cause-limited = { $cause }。{ $limited }

## ネットワークのエラー。

net-dns = 名前を解決できない（DNS）
net-connect = 接続が拒否された
net-timeout = 時間内に応答がない
net-reset = 接続が切断された
net-tls = 安全な接続に失敗（TLS）
net-protocol = 応答が正しいHTTPではない
net-proxy-auth = プロキシがログインを要求（407）
net-proxy-refused = プロキシが接続を拒否

## Gatewatchの問い合わせ先。

target-edge = Cloudflareのエッジ
target-status-page = ステータスページ
target-control = 比較用サイト
target-app = スマホアプリの経路

## 確認した事実：1文に1つ。

evidence-edge-answered-from = Cloudflareのエッジが{ $colo }から応答しました（{ $ms } ms）。
evidence-edge-answered = Cloudflareのエッジが応答しました（{ $ms } ms）。
evidence-edge-not-trace = Cloudflareのアドレスで何かが{ $status }を返しましたが、Cloudflareではありませんでした。
evidence-edge-http-error = CloudflareのエッジがGatewatchの確認にエラー{ $status }を返しました。
evidence-edge-failed = Cloudflareのエッジが応答しませんでした：{ $error }。
# chatgpt.comの応答を部品から組み立てます：「chatgpt.comの応答：502（不正なゲートウェイ）、
# Cloudflareのエラーページ付き、FRA経由（40 ms）。」
evidence-origin-answered = chatgpt.comの応答：{ $status }{ $meaning }{ $kind }{ $code }{ $colo }（{ $ms } ms）。
evidence-meaning = （{ $meaning }）
evidence-kind-cloudflare-page = 、Cloudflareのエラーページ付き
evidence-kind-challenge = 、「人間であることの確認」付き
evidence-kind-openai = 、OpenAIのサーバー自身から
evidence-error-code = 、エラーコード{ $code }
evidence-via = 、{ $colo }経由
evidence-origin-failed = chatgpt.comが応答しませんでした：{ $error }（{ $ms } ms）。
evidence-api-alive = api.openai.comが応答しています。OpenAIのAPIは動いています（{ $ms } ms）。
evidence-api-http-error = api.openai.comがエラー{ $status }を返しました。
evidence-api-failed = api.openai.comが応答しませんでした：{ $error }。
evidence-control-answered = OpenAIともCloudflareとも無関係なサイトが応答しています。インターネットは使えています。
evidence-control-replaced = 確認用のチェック（OpenAIと無関係なサイトからの空の応答を期待）に別のものが返ってきました（{ $status }）。ネットワークがインターネットの代わりに応答しています。
evidence-answered-in-place = { $target }には、そのサーバー以外のものが応答しました（{ $status }）。そのサーバーの応答としては扱いません。
evidence-block-filter-page = { $target }には、Cloudflareを経由していないページが応答しました（{ $detail }）{ $vendor }。Webフィルターのブロックページです。
evidence-block-proxy-policy = プロキシが{ $target }への接続を拒否しました（{ $detail }）{ $vendor }。ほかのサイトは通しています。
evidence-block-dns-answer = { $target }は{ $detail }に解決されました。これはCloudflareのアドレスではありません{ $vendor }。ネットワークのDNSがブロックしています。
evidence-block-dns-nxdomain = ネットワークのDNSは{ $target }が存在しないと答えていますが、ほかの名前は解決されます。DNSがブロックしています。
evidence-block-reset = { $target }（{ $detail }）への接続は、Gatewatchがサイト名を伝えた時点で切断されました。同じアドレスはほかの名前には応答します。
evidence-block-foreign-certificate = { $target }には、Cloudflare外のサーバーが別の名前の証明書で応答しました（{ $detail }）{ $vendor }。ブロック用のサーバーです。
evidence-by-vendor = 、{ $vendor }による
evidence-limited-network = ネットワークがブロックしています（{ $status }）。Gatewatchはまだ届くものから判断します。
evidence-control-failed = OpenAIと無関係なサイトも応答しませんでした：{ $error }。
evidence-slow = { $target }の応答に{ $ms } msかかりました（{ $limit } msを超えると遅いと判断します）。
# ステータスページ：「OpenAIのステータスページ：軽微な問題、未解決のインシデント2件、ChatGPTに影響があります。」
evidence-status-page = OpenAIのステータスページ：{ $state }{ $incidents }{ $chatgpt }
indicator-none = すべて正常
indicator-minor = 軽微な問題
indicator-major = 大きな問題
indicator-critical = 深刻な問題
indicator-maintenance = メンテナンス
indicator-unknown = 不明な状態
evidence-open-incidents = 、未解決のインシデント{ $n }件
evidence-chatgpt-major = 、ChatGPTの一部が完全に停止しています。
evidence-chatgpt-partial = 、ChatGPTの一部機能で、一部のユーザーに障害が出ています。
evidence-chatgpt-affected = 、ChatGPTに影響があります。
evidence-chatgpt-unaffected = 、ChatGPTについての記載はありません。
evidence-limited-challenge = この確認はブラウザー向けのもので（{ $status }）、OpenAIのサーバーには届きません。Gatewatchはほかの確認から判断します。
evidence-limited-refused = この拒否には理由が示されず（{ $status }）、OpenAIのサーバーには届きません。Gatewatchはほかの確認から判断します。
evidence-app-answers = スマホアプリのOpenAIへの経路（ios.chat.openai.com）は応答しています（{ $ms } ms）。
evidence-app-fails = スマホアプリのOpenAIへの経路（ios.chat.openai.com）も失敗しています。{ $status }{ $meaning }を返しました（{ $ms } ms）。
evidence-app-refuses = スマホアプリのOpenAIへの経路（ios.chat.openai.com）は{ $status }を返しました。Gatewatchのリクエストを拒否しているだけで、アプリの状態はわかりません（{ $ms } ms）。
evidence-app-failed = スマホアプリのOpenAIへの経路（ios.chat.openai.com）は応答しませんでした：{ $error }（{ $ms } ms）。
evidence-app-silent = スマホアプリのOpenAIへの経路（ios.chat.openai.com）は応答しませんでした（{ $ms } ms）。
evidence-phone-apps = OpenAIのステータスページでは、スマホアプリは「{ $state }」です。
evidence-retry-after = chatgpt.comは、次の確認まで{ $wait }待つようGatewatchに求めました（Retry-After）。Gatewatchは少なくともその時間、最大15分待ちます。
component-operational = 正常
component-degraded = 遅い
component-partial-outage = 一部停止
component-major-outage = 停止
component-maintenance = メンテナンス中
component-unknown = 不明な状態

## トレイ：ツールチップとメニュー。

# 原因のあとに：「（14:05から）」。
since-time = { $time }から
line-since = { $line }（{ $since }）
# 一時停止中のトレイ：「一時停止中：ChatGPTは稼働中です」。
paused-line = 一時停止中：{ $line }
menu-checking = 確認中…
menu-check-now = 今すぐ確認
menu-whats-going-on = 詳しい状況を見る
menu-open-chatgpt = ChatGPTを開く
menu-open-status-page = OpenAIのステータスページを開く
menu-snooze = 通知をミュート
menu-snooze-hour = 1時間
menu-snooze-until-back = ChatGPTが復旧するまで
menu-notify-again = 通知を再開
menu-notify-again-at = 通知を再開（{ $time }までミュート中）
menu-settings = 設定…
menu-start-at-login = ログイン時に起動
menu-quit = Gatewatchを終了
# ウィンドウが開けない理由（トレイメニュー内）。$reason は下の window-* のいずれかです。
explainer-could-not-start = 詳細ウィンドウを開けませんでした：{ $reason }
explainer-stopped = 詳細ウィンドウが停止しました：{ $reason }
window-missing = プログラムがGatewatchと同じ場所にインストールされていません
window-cannot-run = システムがプログラムを起動できませんでした
window-library = 必要なライブラリがありません（{ $library }）
window-no-display = 表示できるディスプレイがありません
window-no-webview2 = MicrosoftのWebView2ランタイムがありません。{ $url }からインストールしてください
window-exited = 終了コード{ $code }
window-killed = シグナル{ $signal }で強制終了
window-ended = 理由を示さずに終了しました
window-no-channel = Gatewatchにはウィンドウと通信するためのローカルの経路がありません

## 通知。

notify-settings-reset = Gatewatch：設定をリセットしました
warning-settings-not-applied = 新しい設定を適用できませんでした。Gatewatchはこれまでの設定で確認を続けます（理由はログにあります）。
store-damaged = { $file }が破損していたため、{ $backup }として保管しました。
store-unreadable = { $file }を読み込めませんでした：{ $why }。
store-unwritable = { $file }を保存できませんでした：{ $why }。
io-denied = アクセスが許可されていません
io-full = ディスクがいっぱいです
io-read-only = ディスクが読み取り専用です
io-missing = フォルダーがありません
io-other = システムが拒否しました（詳細はログにあります）
store-then-defaults = { $problem }既定の設定を使います。
store-then-new-history = { $problem }新しい履歴を始めます。
store-then-kept = { $problem }使用中の設定を保持し、保存し直しました。
store-then-kept-unsaved = { $problem }使用中の設定は保持しています。{ $why }
notify-open = Gatewatchを開く
# 「CloudflareからOpenAIに届きません（521、FRA）。スマホアプリを試してください。APIはまだ応答しています。（14:05から）」
notify-down-body = { $cause }。{ $tip }{ $api }（{ $time }から）
notify-api-answers = APIはまだ応答しています。
notify-tip-wait = 待つか、スマホアプリを試してください。
notify-tip-phone = スマホアプリを試してください。
notify-back-title = ChatGPTが復旧しました
notify-back-body = { $duration }停止していました（{ $time }から）。
notify-cause-title = { $headline }：原因が変わりました
notify-cause-body = { $cause }。{ $tip }（{ $time }から停止中）
notify-still-down-title = { $headline }（{ $duration }継続）
notify-still-down-body = { $cause }。{ $tip }
notify-flapping-title = ChatGPTが不安定です
notify-flapping-body = 直近{ $window }で{ $n }回停止しました。落ち着くまでGatewatchは通知を控え、その後まとめてお知らせします。
notify-stable-down-title = ChatGPTは安定しましたが、停止中です
notify-stable-title = ChatGPTは再び安定しています
notify-stable-body = その間：停止{ $n }回、合計{ $duration }停止していました。
notify-network-blocks-title = このネットワークはChatGPTをブロックしています
notify-network-blocks-body = { $how }。{ $beyond }。使うには、モバイルデータか、モバイルデータでスマホアプリを使ってください。

## コマンドライン。

cli-saw = Gatewatchが確認したこと：
cli-status-page-unreadable = ステータスページを読み込めません：{ $error }
page-error-http = エラー{ $status }が返されました
page-error-unreadable = 応答がGatewatchの読める形式のJSONではありませんでした
page-error-too-large = 応答がGatewatchの読み込む上限（{ $kib } KiB）を超えています
cli-incident = インシデント：{ $name }（{ $status }）{ $link }
cli-todo = 対処法：
cli-uptime = 稼働率：24時間 { $day } · 7日間 { $week }
cli-no-outages = 記録された停止はありません。
cli-outages = 停止（新しい順）：
cli-ongoing = 継続中
# `gatewatch watch` で停止のあと：「7分後に復旧」。
cli-back-after = { $duration }後に復旧
cli-with-note = { $line }（{ $note }）
# `gatewatch watch --format waybar` のツールチップ。
cli-since = { $time }から
cli-network-blocked = ネットワークによるブロック：24時間 { $day } · 7日間 { $week }

## お使いのブラウザー：Gatewatchのブラウザー拡張機能が見た、chatgpt.comへのご自身のリクエスト。

evidence-browser-fails = お使いのブラウザーで、ChatGPTへの直近{ $recent }件のリクエストのうち{ $failed }件が失敗しました：{ $what }。
evidence-browser-answers = お使いのブラウザーではChatGPTは応答しています：直近{ $recent }件のリクエストのうち{ $answered }件が成功しました。
evidence-browser-quiet = お使いのブラウザーの最近のChatGPTへのリクエストからは、どちらとも言えません（ご自身で止めた生成とCloudflareの確認は数えません）。
browser-failure-gateway = Cloudflareからの{ $status }（OpenAIのサーバーから有効な応答が得られませんでした）
browser-failure-origin = OpenAIのサーバーからのエラー{ $status }
browser-failure-cut = 応答が途中で切れました
browser-failure-reset = 接続がリセットされました
browser-failure-closed = 応答の前に接続が閉じられました
browser-failure-timeout = 時間内に応答がありませんでした
browser-failure-protocol = 接続が切れました（プロトコルエラー）
browser-failure-other = リクエストが失敗しました
banner-error-page = chatgpt.comがエラーページを返しました

## Updates.

update-available = Gatewatch { $version }が利用できます
update-how-installer = Gatewatchのメニューで「アップデートをインストール」を選ぶとインストールできます。
update-how-apt = パッケージマネージャーで更新できます：sudo apt update && sudo apt upgrade
update-how-dnf = パッケージマネージャーで更新できます：sudo dnf upgrade gatewatch
update-how-page = { $url } からダウンロードしてください。
update-daily-title = Gatewatchは新しいバージョンを確認します
update-daily-body = 1日に1回、新しいGatewatchがあるかをGitHubに問い合わせます。GitHubにはあなたのIPアドレスと使っているバージョンが伝わります。あなたが選ばない限り、何もインストールされません。オフにするには、設定で「新しいバージョンを確認」を「しない」にしてください。
update-up-to-date-title = Gatewatchは最新です
update-up-to-date = { $version }が最新バージョンです。
update-failed-title = アップデートを確認できませんでした
update-check-failed = 明日もう一度確認します。（{ $reason }）
update-menu-check = アップデートを確認
update-menu-checking = アップデートを確認中…
update-menu-daily = 毎日新しいバージョンを確認
update-menu-install = アップデートをインストール
update-menu-installing = Gatewatch { $version }をインストール中…
update-menu-release-page = ダウンロードページを開く
update-menu-skip = このバージョンをスキップ
update-install-failed-title = アップデートはインストールされませんでした
update-install-failed = アップデートをインストールできませんでした：{ $reason }
update-error-off = アップデートの確認はオフです
update-error-address = リリースマニフェストのアドレスを使えません（設定のupdate_urlを確認してください）
update-error-http = リリースサーバーがエラー{ $status }を返しました
update-error-no-answer = リリースサーバーが応答しませんでした：{ $error }
update-error-too-large = リリースサーバーの応答がGatewatchの読み込む上限を超えています
update-error-redirect = リリースサーバーが、Gatewatchがたどらないアドレスへ転送しました
update-error-signature = リリースがGatewatchの鍵で署名されていないか、署名後に変更されています
update-error-mismatch = リリースの署名が別のバージョンまたは別のファイルのものです
update-error-manifest = リリースマニフェストを読み取れません
update-error-downgrade = 提供されたリリース（{ $offered }）はこのバージョン（{ $running }）より古いです
update-error-no-platform = このシステム向けのダウンロードがリリースにありません
update-error-disk = ダウンロードをこのコンピューターに保存できませんでした
update-error-not-here = このシステムではGatewatchは自分自身をインストールしません
update-error-installer-refused = Windowsがインストーラーを起動しませんでした（ウイルス対策ソフトかスマートアプリコントロールがブロックした可能性があります）
update-error-installer-ended = インストーラーがインストールせずに終了しました（終了コード{ $code }）
update-cli-available = Gatewatch { $version }が利用できます（現在は{ $current }です）。
update-cli-up-to-date = Gatewatch { $version }が最新バージョンです。
update-cli-notes = 新機能：

## ほかの場所への通知：Slack、Discord、Microsoft Teams、JSON Webhook、ntfy。

alert-sentence = { $title }：{ $body }
alert-late = 遅れて送信：{ $time }の出来事です。
alert-field-cause = 原因
alert-field-since = 開始
alert-field-advice = 対処
alert-status-page = OpenAIのステータスページ
alert-test-title = Gatewatch：テスト
alert-test-body = このチャンネルにはChatGPTについてのGatewatchの通知が届きます。
alert-test-body-now = このチャンネルにはChatGPTについてのGatewatchの通知が届きます。現在：{ $now }
channel-failing = { $channel }への通知が失敗しています：{ $why }
cli-wait-timeout = { $duration }たってもChatGPTはまだ使えません。
cli-wait-unknown = { $duration }以内にChatGPTが使えるか判断できませんでした。
