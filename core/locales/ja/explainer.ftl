# Gatewatch — 説明ウィンドウ自身の文言（診断の文は gatewatch.ftl から届きます）。


## ウィンドウ：ページとボタン。

nav_status = 状態
nav_history = 履歴
nav_settings = 設定
language = 言語
checking = 確認中…
check_now = 今すぐ確認
checking_now = 確認中…
snooze_hour = 1時間ミュート
snooze_recovered = 復旧までミュート
unsnooze = 通知を再開
why = 理由
evidence = Gatewatchが確認したこと
official = OpenAIの発表
todo = 対処法
open_status = OpenAIのステータスページを開く
open_chatgpt = ChatGPTを開く
phone_text = ChatGPTのスマホアプリは別の経路でOpenAIにつながるため、Webサイトが使えないときでも動くことがよくあります。ただし、保証はありません。
qr_iphone = （iPhone、iPad）
qr_android = （Android）
qr_hint = スマホのカメラをコードに向けると、ストアのページが開きます。
qr_label = { $store }のChatGPTアプリのQRコード

## 経路：あなた → ネットワーク → （プロキシ） → Cloudflare → OpenAI。

hop_you = あなた
hop_network = ネットワーク
hop_proxy = プロキシ
hop_filter = ネットワークのフィルター
hop_edge = Cloudflare（交換台）
hop_origin = OpenAIのサーバー（オフィス）
hop_ok = 正常
hop_failed = ここで障害
hop_unknown = 不明
hop_refusing = アクセス拒否
hop_blocking = ChatGPTをブロック

## ウィンドウの状態ページ。

since = { $time }から（{ $dur }）
down_since = { $time }から停止中（{ $dur }）
last_check = 最終確認 { $time }
sep_parts = { "・" }
snoozed_until = { $time }まで通知をミュートしています。
snoozed_recovered = ChatGPTが復旧するまで通知をミュートしています。
flapping = ChatGPTが停止と復旧を繰り返しています。
paused = 確認は一時停止中です。
page_none = ステータスページの情報はまだありません。
page_error = ステータスページを読み込めませんでした：{ $err }
page_lag = ChatGPTの障害が{ $dur }続いていますが、ステータスページにはまだ何も出ていません。
page_says = ステータスページ：{ $desc }
sep_sentences = { "" }
incident = { $name } — { $status }

## 履歴。

uptime_24h = 稼働率（24時間）
uptime_7d = 稼働率（7日間）
latency_note = 中央値 { $median } ms、最も遅い応答 { $max } ms（{ $n }回の確認）。
no_latency = まだ測定がありません。
outages = 停止
col_start = 開始
col_duration = 継続時間
col_what = 内容
ongoing = 継続中
no_outages = 記録された停止はありません。

## 設定。

checking_legend = 確認
notifications_legend = 通知
probes_legend = 確認する対象
general_legend = 一般
s_poll = 確認の間隔（秒）
s_down_poll = 停止中の確認の間隔（秒）
s_recheck = 最初の失敗のあと再確認するまで（秒）
s_failure = 「停止」と判断するまでの失敗回数
s_success = 「復旧」と判断するまでの成功回数
s_timeout = リクエストをあきらめるまで（秒）
s_slow = 遅いと判断する時間（ミリ秒）
s_notifications = ChatGPTの停止と復旧を通知する
s_reminder = 停止中のリマインドの間隔（分、0 = しない）
p_edge = Cloudflareのエッジ
p_api = OpenAIのAPI
p_status = OpenAIのステータスページ
p_control = 無関係なサイト（自分側の障害を見分けるため）
lang_auto = システム
s_login = ログイン時に起動
advanced = 詳細設定：接続先
e_status = ステータスページ
e_control = 比較用サイト
p_app = スマホアプリのOpenAIへの経路
e_app = スマホアプリのホスト
s_proxy = プロキシ
s_proxy_help = 「system」（コンピューターの設定を使う）、「none」（プロキシを使わない）、またはプロキシのアドレスを入力します。例：http://ユーザー:パスワード@proxy.example:3128（https:// と socks5:// も使えます）。プロキシスクリプト（PAC）は読み込みません。プロキシ自体のアドレスを入力してください。

## 誤った診断の報告。

report_title = 誤った診断を報告
copy_report = レポートをコピー
report_copied = コピーしました。
report_select = 選択しました。Ctrl+Cでコピーしてください。
report_hint = Gatewatchの診断が間違っていたら、これをバグ報告に添えて送ってください。各確認の応答が入っていて、IPアドレスは取り除かれています。

## スマホアプリの経路。

hop_hidden = ここからは見えません
route_answers = 今の測定：スマホアプリのOpenAIへの経路は応答しています（{ $ms } ms）。
route_fails = 今の測定：スマホアプリの経路も失敗しています（{ $status }）。
route_refuses = スマホアプリの経路はGatewatch自身のリクエストを拒否しているため、アプリが使えるかどうかはわかりません。
route_unreachable = 今の測定：スマホアプリの経路は応答しません。
apps_page = OpenAIのステータスページでのスマホアプリの状態：{ $state }。
app_state_operational = 正常
app_state_degraded_performance = 遅い
app_state_partial_outage = 一部停止
app_state_major_outage = 停止
app_state_under_maintenance = メンテナンス中
app_state_unknown = 不明な状態

## 設定の保存。

saved = 保存しました。
save = 保存
not_number = { $field }：数値を入力してください。
error_prefix = 保存できませんでした：

## 履歴：稼働率のバーと応答時間のグラフ。

uptime_30d = 稼働率（30日間）
uptime_90d = 稼働率（90日間）
bars_title = 稼働率の概要
bars_hint = バーにポインターを合わせるか、行を選んで矢印キーを使うと、詳細が表示されます。
bars_day = 直近24時間（1本＝15分）
bars_week = 直近7日間（1本＝1時間）
bars_quarter = 直近90日間（1本＝1日）
state_up = 正常
state_degraded = 遅い・一部障害
state_down = 停止
state_unknown = 不明
state_network = ネットワークでブロック
state_none = 未監視
cell_uptime = 稼働率 { $pct }
cell_checks = { $n }回の確認
cell_no_data = 確認なし
cell_state = { $period }：{ $state }
cell_latency = 中央値 { $median } ms、最も遅い応答 { $max } ms
cell_outage = { $what }、{ $time }から{ $dur }
sep_clauses = { "／" }
cell_down = { $dur }停止
cell_network = ネットワークでブロック（{ $dur }）
chart_title = 応答時間
range_label = 期間
range_day = 24時間
range_week = 7日間
chart_svg_title_day = 直近24時間の応答時間
chart_svg_title_week = 直近7日間の応答時間
chart_desc = 線は{ $bucket }ごとの応答時間の中央値、薄い帯は最も遅い確認までの範囲です。通常は{ $median } ms、最悪で{ $max } msです。
chart_outages = { $n }件の停止を網掛けし、原因を添えています。下の「停止」の表に一覧があります。
chart_no_outages = この期間に停止はありません。
outage_title = { $what }（{ $time }から）
bucket_quarter = 15分
bucket_hour = 1時間
axis_ms = ms
legend_median = 中央値
legend_slowest = 最も遅い応答
legend_outage = 停止

## Updates.

e_update = 新しいバージョン（マニフェスト）
updates_legend = アップデート
s_updates = 新しいバージョンを確認
s_updates_notify = 1日に1回確認して知らせる
s_updates_off = しない
s_updates_help = 1日に1回、Gatewatchは新しいバージョンがあるかをGitHubに問い合わせます。GitHubにはあなたのIPアドレスと使っているバージョンが伝わります。あなたが選ばない限り、何もインストールされません。
update_available = Gatewatch { $version }が利用できます。
update_skipped = このバージョンはスキップしました。
update_current = 最新バージョン（{ $version }）です。
update_error = 前回のアップデート確認に失敗しました：{ $error }
update_off_note = アップデートの確認はオフです。
update_notes = 新機能

## 設定：ほかの場所への通知。

channels_legend = ほかの場所への通知
channels_help = 同じ通知を、Slack・Discord・Microsoft Teamsのチャンネル、JSON Webhook、またはntfy経由でスマホに送ります。これらのアドレスは秘密の情報です。Gatewatchは設定ファイルにだけ保存します。
channel_add = チャンネルを追加
channel_kind = サービス
channel_url = アドレス（Webhook URL、またはntfyのサーバーとトピック）
channel_token = アクセストークン（任意）
channel_notices = 送る通知
notice_down = 停止
notice_recovered = 復旧
notice_cause = 原因の変化
notice_still_down = 停止が続いている（リマインド）
notice_flapping = 不安定
notice_stable = 安定に戻った
notice_network_blocks = ネットワークがChatGPTをブロック
channel_test = テストを送信
channel_remove = 削除
channel_unsaved = まだ保存されていません。
channel_testing = テストを送信中…
channel_test_ok = { $time }にテストを送信しました。
channel_test_failed = テストが届きませんでした：{ $why }
channel_failing = 通知が届いていません：{ $why }
channel_working = 最後の通知は{ $time }に送信しました。
channel_untried = まだ何も送信していません。
channel_waiting = 送信待ちの通知：{ $n }件

## 設定：ブラウザー拡張機能（Chromium、Google Chrome、Microsoft Edge、Firefox）

browsers_legend = お使いのブラウザー
browsers_help = Gatewatchのブラウザー拡張機能は、あなた自身のブラウザーでChatGPTがどう応答しているかをGatewatchに伝えます。拡張機能がGatewatchに届くには、ブラウザーごとにGatewatchの補助プログラムを指定する小さなファイルが必要です。Gatewatchは起動時に、使ったことのあるブラウザーごとにこのファイルを書き込みます。
browser_registered = 設定済み：拡張機能はGatewatchに届きます。
browser_system = このコンピューターの全ユーザー向けに設定済み：拡張機能はGatewatchに届きます。
browser_not_found = 見つかりません：このアカウントでは一度も開かれていません。
browser_sandboxed = サンドボックス版（{ $kinds }）だけが見つかりました。サンドボックスの外のプログラムを起動できないため、対応していません。
browser_failed = 設定できませんでした：{ $why }
browser_sandbox_also = サンドボックス版（{ $kinds }）は、サンドボックスの外のプログラムを起動できないため、対応していません。
browser_snap_portal = Snap版のFirefoxでは、拡張機能がGatewatchに届くことを許可するか一度だけ確認されます。
browser_connected = 拡張機能は現在接続中です。
browsers_connected = { $n ->
    [0] 現在、接続中のブラウザー拡張機能はありません。
   *[other] 拡張機能は現在{ $n }つのブラウザーで接続中です。
}
browsers_no_host = Gatewatchのブラウザー用補助プログラムが見つからない（{ $path }）ため、どのブラウザーも設定していません。
browsers_other = どのブラウザーも設定していません：{ $why }
