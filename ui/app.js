// The explainer: renders the snapshot the app sends, and sends back a few commands.
// Remote text (incident names, error messages) only ever goes through textContent.
"use strict";
(function () {
  const Fluent = window.FluentBundle;
  const bridge = window.__TAURI__;
  const invoke = (cmd, args) => bridge.core.invoke(cmd, args);
  const $ = (id) => document.getElementById(id);
  const SVG_NS = "http://www.w3.org/2000/svg";

  let view = null;
  let lang = "en";
  let settings = null;
  // The language's messages, then English's (for a message a translation lacks): the same
  // Fluent files as the tray's and the CLI's, from the explainer's core (the `texts` command).
  let bundles = [];
  let texts = null;
  // Dates and times follow the language; the pseudo-locales use English's.
  let intlLang = "en";

  // A pseudo-locale's transform, from the map the core sends with its texts (i18n::Pseudo):
  // each letter of `from` becomes the one at the same place in `to`, twice if in `doubled`.
  function pseudoTransform(map) {
    const from = Array.from(map.from), to = Array.from(map.to);
    return (s) => {
      let out = "";
      for (const c of s) {
        const i = from.indexOf(c);
        if (i < 0) { out += c; continue; }
        out += to[i];
        if (map.doubled.includes(c)) out += to[i];
      }
      return out;
    };
  }

  function bundle(tag, files, transform) {
    const b = new Fluent.FluentBundle(tag, { useIsolating: false, transform: transform || ((s) => s) });
    for (const [name, text] of files) {
      const errors = b.addResource(new Fluent.FluentResource(text));
      if (errors.length) console.error(name, errors);
    }
    return b;
  }

  // Ask for a language's messages (unknown tags get English) and make them current.
  async function loadTexts(tag) {
    texts = await invoke("texts", { lang: tag || "en" });
    const transform = texts.pseudo ? pseudoTransform(texts.pseudo) : null;
    bundles = [bundle(texts.pseudo ? "en" : texts.lang, texts.sources, transform)];
    if (texts.fallback.length) bundles.push(bundle("en", texts.fallback));
    lang = texts.lang;
    intlLang = texts.pseudo ? "en" : texts.lang;
  }

  function t(key, vars) {
    for (const b of bundles) {
      const m = b.getMessage(key);
      if (m && m.value) return b.formatPattern(m.value, vars || {}, []);
    }
    return key;
  }

  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }
  function item(tag, text, cls) {
    const e = document.createElement(tag);
    e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function clock(ms) {
    return new Date(ms).toLocaleTimeString(intlLang, { hour: "numeric", minute: "2-digit" });
  }
  function dateTime(ms) {
    return new Date(ms).toLocaleString(intlLang, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
  }
  // As the core's text::duration: "45 s", "7 min", "1 h 5 min", "2 days 3 h", in the language.
  function duration(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    if (d) return h ? t("duration-days-hours", { d: d, h: h }) : t("duration-days", { d: d });
    if (h) return m ? t("duration-hours-minutes", { h: h, m: m }) : t("duration-hours", { h: h });
    if (m) return t("duration-minutes", { m: m });
    return t("duration-seconds", { s: s });
  }

  // The language menus list every shipped language in its own name (and a pseudo-locale only
  // while it is the one in use).
  function fillLanguages(select, withAuto, want) {
    const keep = want || select.value;
    clear(select);
    if (withAuto) {
      const o = item("option", t("lang_auto"));
      o.value = "auto";
      select.appendChild(o);
    }
    const list = texts.languages.slice();
    if (texts.pseudo) list.push({ tag: texts.lang, name: texts.name });
    for (const l of list) {
      const o = item("option", l.name);
      o.value = l.tag;
      o.lang = l.tag;
      select.appendChild(o);
    }
    if (keep) select.value = keep;
  }

  function applyLabels() {
    document.documentElement.lang = lang;
    document.documentElement.dir = texts.rtl ? "rtl" : "ltr";
    document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
    fillLanguages($("lang-switch"), false);
    fillLanguages(document.querySelector('select[name="language"]'), true, settings && settings.language);
    $("lang-switch").value = lang;
    labelQr();
  }

  // ---- pages -------------------------------------------------------------
  function showPage() {
    const page = (location.hash || "#status").slice(1);
    for (const p of ["status", "history", "settings"]) {
      $("page-" + p).hidden = p !== page;
      const nav = $("nav-" + p);
      if (p === page) nav.setAttribute("aria-current", "page"); else nav.removeAttribute("aria-current");
    }
    if (page === "settings") loadSettings();
    // The history is drawn when shown: to the width it has, and not while it cannot be seen.
    if (page === "history" && view) renderHistory();
  }

  // ---- status ------------------------------------------------------------
  function hopStates(report, status) {
    const s = { you: "ok", network: "ok", proxy: "ok", filter: "ok", edge: "ok", origin: "ok" };
    if (!report) return { you: "ok", network: "unknown", proxy: "unknown", filter: "unknown", edge: "unknown", origin: "unknown" };
    const verdict = status ? status.verdict : report.verdict;
    // The network blocks ChatGPT: its filter (or its proxy, by policy) is where the path stops;
    // what lies beyond it cannot be seen from here.
    const block = report.network_block;
    if (block) {
      if (block.how === "proxy_policy") s.proxy = "blocking"; else s.filter = "blocking";
      s.edge = "hidden"; s.origin = "hidden";
      return s;
    }
    switch (report.layer) {
      case "network": s.network = "failed"; s.proxy = "unknown"; s.edge = "unknown"; s.origin = "unknown"; break;
      case "proxy": s.proxy = "failed"; s.edge = "unknown"; s.origin = "unknown"; break;
      case "edge":
        if (verdict === "blocked") { s.edge = "refusing"; } else { s.edge = "failed"; s.origin = "unknown"; }
        break;
      case "origin": s.origin = verdict === "degraded" ? "warn" : "failed"; break;
      case "unclear": s.network = "unknown"; s.edge = report.edge && report.edge.colo ? "ok" : "unknown"; s.origin = "unknown"; break;
      default: break;
    }
    // chatgpt.com challenged Gatewatch: OpenAI's servers were not seen through it.
    if (report.limited_view && s.origin === "ok") s.origin = "hidden";
    return s;
  }

  function phoneRoute(report) {
    const lines = [];
    const r = report && report.app_route;
    if (r) {
      if (r.state === "answers") lines.push(t("route_answers", { ms: r.latency_ms }));
      else if (r.state === "fails") lines.push(t("route_fails", { status: r.status }));
      else if (r.state === "refuses") lines.push(t("route_refuses"));
      else lines.push(t("route_unreachable"));
    }
    if (report && report.phone_apps) {
      lines.push(t("apps_page", { state: t("app_state_" + report.phone_apps) }));
    }
    return lines.join(t("sep_sentences"));
  }

  function renderStatus() {
    const status = view.status, report = view.report;
    $("hero").dataset.color = status ? status.color : "grey";
    $("headline").textContent = view.status_headline || t("checking");
    $("summary").textContent = view.status_summary || "";
    const since = $("since");
    if (status && status.outage) {
      since.textContent = t("down_since", { time: clock(status.outage.start_wall_ms), dur: duration(status.outage.downtime_ms) });
    } else if (status && status.since_wall_ms) {
      since.textContent = t("since", { time: clock(status.since_wall_ms), dur: duration(Date.now() - status.since_wall_ms) });
    } else {
      since.textContent = "";
    }
    const notes = [];
    if (status && status.last_check_wall_ms) notes.push(t("last_check", { time: clock(status.last_check_wall_ms) }));
    if (status && status.confirming && report) notes.push(report.summary + " …");
    if (status && status.flapping) notes.push(t("flapping"));
    if (status && status.paused) notes.push(t("paused"));
    if (status && status.snooze) {
      notes.push(status.snooze.kind === "until" ? t("snoozed_until", { time: clock(status.snooze.wall_ms) }) : t("snoozed_recovered"));
    }
    $("last-check").textContent = notes.join(t("sep_parts"));
    $("check-now").disabled = !!view.checking;
    $("check-now").textContent = view.checking ? t("checking_now") : t("check_now");
    const snoozed = !!(status && status.snooze);
    $("unsnooze").hidden = !snoozed;
    $("snooze-hour").hidden = snoozed;
    $("snooze-recovered").hidden = snoozed;

    const hops = hopStates(report, status);
    document.querySelectorAll("#path li").forEach((li) => {
      const state = hops[li.dataset.hop];
      li.dataset.state = state;
      // The proxy hop is there only when the checks went through one; the filter's only when
      // the network blocks ChatGPT (not by its proxy's policy, which the proxy's hop shows).
      const block = report && report.network_block;
      if (li.dataset.hop === "proxy") li.hidden = !(report && (report.proxy || report.layer === "proxy"));
      if (li.dataset.hop === "filter") li.hidden = !(block && block.how !== "proxy_policy");
      li.querySelector(".hop-state").textContent = t({ ok: "hop_ok", failed: "hop_failed", unknown: "hop_unknown", refusing: "hop_refusing", blocking: "hop_blocking", warn: "hop_failed", hidden: "hop_hidden" }[state]);
      if (li.dataset.hop === "edge") {
        const colo = report && report.edge && report.edge.colo;
        li.querySelector(".hop-name").textContent = t("hop_edge") + (colo ? t("sep_parts") + colo : "");
      }
      // The filter and the proxy named, when they name themselves.
      const vendor = block && block.vendor;
      if (li.dataset.hop === "filter") li.querySelector(".hop-name").textContent = t("hop_filter") + (vendor ? " · " + vendor : "");
      if (li.dataset.hop === "proxy") li.querySelector(".hop-name").textContent = t("hop_proxy") + (vendor && block.how === "proxy_policy" ? " · " + vendor : "");
    });
    // How many hops show, for the layout: one row when they fit, else rows of even length.
    $("path").dataset.hops = String(document.querySelectorAll("#path li:not([hidden])").length);
    $("cause").textContent = report ? report.cause_text : "";
    const limited = $("limited");
    limited.textContent = report && report.limited_view ? report.limited_view.text : "";
    limited.hidden = !(report && report.limited_view);
    // What the user's own browser saw, when the tray has its window (the core's sentence).
    const seen = $("browser-seen");
    const browser = report && report.browser;
    seen.textContent = browser && browser.text ? browser.text : "";
    seen.hidden = !seen.textContent;
    const route = $("phone-route");
    route.textContent = phoneRoute(report);
    route.hidden = !route.textContent;
    const shareText = view.share_text || "";
    if ($("report-text").value !== shareText) {
      $("report-text").value = shareText;
      $("report-copied").textContent = "";
    }
    $("copy-report").disabled = !shareText;
    const ev = $("evidence");
    clear(ev);
    if (report) report.evidence.forEach((e) => ev.appendChild(item("li", e)));

    const page = report && report.status_page;
    const sp = $("status-page");
    const incidents = $("incidents");
    clear(incidents);
    if (!page) {
      sp.textContent = t("page_none");
    } else if (page.error && !page.indicator) {
      sp.textContent = t("page_error", { err: page.error });
    } else {
      const lines = [t("page_says", { desc: page.description || page.indicator })];
      if (status && status.status_page_lagging && status.outage) {
        lines.unshift(t("page_lag", { dur: duration(status.outage.downtime_ms) }));
      }
      sp.textContent = lines.join(t("sep_sentences"));
      (page.incidents || []).forEach((i) => incidents.appendChild(item("li", t("incident", { name: i.name, status: i.status }))));
    }

    const advice = $("advice");
    clear(advice);
    if (report) report.advice.forEach((a) => advice.appendChild(item("li", a)));
  }

  // ---- history -----------------------------------------------------------
  function pct(u) { return u ? (u.ratio * 100).toFixed(2) + "%" : "—"; }
  function cellPct(r) { return (r * 100).toFixed(r === 1 || r === 0 ? 0 : 1) + "%"; }
  function day(ms) {
    return new Date(ms).toLocaleDateString(intlLang, { weekday: "short", day: "numeric", month: "short" });
  }
  function outageEnd(o, now) { return o.end_ms == null ? now : o.end_ms; }

  let chartRange = "day";
  const ROWS = ["day", "week", "quarter"];

  function renderHistory() {
    const h = view.history || { outages: [] };
    $("uptime-24h").textContent = pct(h.uptime_24h);
    $("uptime-7d").textContent = pct(h.uptime_7d);
    $("uptime-30d").textContent = pct(h.uptime_30d);
    $("uptime-90d").textContent = pct(h.uptime_90d);
    const rows = $("outage-rows");
    clear(rows);
    h.outages.forEach((o) => {
      const tr = document.createElement("tr");
      tr.appendChild(item("td", dateTime(o.start_ms)));
      const d = o.duration_ms == null ? t("ongoing") : (o.end_unknown ? "≥ " : "") + duration(o.duration_ms);
      tr.appendChild(item("td", d));
      tr.appendChild(item("td", o.what));
      rows.appendChild(tr);
    });
    $("no-outages").hidden = h.outages.length > 0;
    ROWS.forEach((row) => renderBars(row, h));
    drawChart(h);
  }

  // ---- uptime bars -------------------------------------------------------
  function period(row, cell, span) {
    if (row === "quarter") return day(cell.start_ms);
    return dateTime(cell.start_ms) + "–" + clock(cell.start_ms + span);
  }

  // The outages that overlap a cell, in words: cause, start, length.
  function outagesIn(h, from, to) {
    return (h.outages || []).filter((o) => o.start_ms < to && outageEnd(o, h.now_ms) > from).map((o) =>
      t("cell_outage", {
        what: o.what,
        time: from <= o.start_ms ? clock(o.start_ms) : dateTime(o.start_ms),
        dur: o.duration_ms == null ? t("ongoing") : (o.end_unknown ? "≥ " : "") + duration(o.duration_ms),
      }));
  }

  function describeCell(row, h, cell, span) {
    const parts = [t("cell_state", { period: period(row, cell, span), state: t("state_" + cell.state) })];
    if (cell.uptime != null) parts.push(t("cell_uptime", { pct: cellPct(cell.uptime) }));
    parts.push(cell.checks ? t("cell_checks", { n: cell.checks }) : t("cell_no_data"));
    if (cell.median_ms != null) parts.push(t("cell_latency", { median: cell.median_ms, max: cell.max_ms }));
    const outs = outagesIn(h, cell.start_ms, cell.start_ms + span);
    if (outs.length) parts.push(outs.join(t("sep_clauses")));
    else if (cell.down_ms > 0) parts.push(t("cell_down", { dur: duration(cell.down_ms) }));
    if (cell.network_blocked_ms > 0) parts.push(t("cell_network", { dur: duration(cell.network_blocked_ms) }));
    return parts.join(t("sep_parts"));
  }

  function showCell(row, el) {
    const bar = $("bars-" + row);
    bar.querySelectorAll(".cell.active").forEach((c) => c.classList.remove("active"));
    el.classList.add("active");
    $("info-" + row).textContent = el.getAttribute("aria-label");
  }

  function renderBars(row, h) {
    const bar = $("bars-" + row);
    const data = h[row] || { span_ms: 0, cells: [] };
    const active = bar.querySelector(".cell.active");
    const keep = active ? Number(active.dataset.index) : -1;
    const focused = bar.contains(document.activeElement) ? Number(document.activeElement.dataset.index) : -1;
    clear(bar);
    data.cells.forEach((cell, i) => {
      const el = document.createElement("span");
      el.className = "cell";
      el.dataset.state = cell.state;
      el.dataset.index = String(i);
      el.setAttribute("role", "img");
      el.setAttribute("aria-label", describeCell(row, h, cell, data.span_ms));
      // One stop per row in the Tab order (the newest cell); arrows move within the row.
      el.tabIndex = i === data.cells.length - 1 ? 0 : -1;
      bar.appendChild(el);
    });
    const cells = bar.children;
    if (keep >= 0 && cells[keep]) showCell(row, cells[keep]); else $("info-" + row).textContent = "";
    if (focused >= 0 && cells[focused]) { roving(bar, cells[focused]); cells[focused].focus(); }
  }

  function roving(bar, el) {
    bar.querySelectorAll(".cell[tabindex='0']").forEach((c) => { c.tabIndex = -1; });
    el.tabIndex = 0;
  }

  function wireBars() {
    ROWS.forEach((row) => {
      const bar = $("bars-" + row);
      bar.addEventListener("mouseover", (e) => { if (e.target.classList.contains("cell")) showCell(row, e.target); });
      bar.addEventListener("focusin", (e) => { if (e.target.classList.contains("cell")) { roving(bar, e.target); showCell(row, e.target); } });
      bar.addEventListener("keydown", (e) => {
        const cells = Array.from(bar.children);
        const at = cells.indexOf(document.activeElement);
        if (at < 0) return;
        const step = { ArrowLeft: -1, ArrowRight: 1, Home: -at, End: cells.length - 1 - at, PageUp: -8, PageDown: 8 }[e.key];
        if (step === undefined) return;
        e.preventDefault();
        cells[Math.max(0, Math.min(cells.length - 1, at + step))].focus();
      });
    });
  }

  // ---- latency chart (SVG, drawn by hand like the QR codes) ---------------
  function svgEl(tag, attrs, text) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const k of Object.keys(attrs || {})) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  // A round step giving at most `n` intervals up to `max`.
  function niceStep(max, n) {
    const raw = max / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= raw) return m * mag;
    return 10 * mag;
  }

  function drawChart(h) {
    const svg = $("latency-chart");
    const data = h[chartRange] || { span_ms: 0, cells: [] };
    const cells = data.cells, span = data.span_ms;
    const title = $("chart-title"), desc = $("chart-desc");
    while (svg.lastChild && svg.lastChild !== desc) svg.removeChild(svg.lastChild);
    const W = Math.max(280, Math.round(svg.getBoundingClientRect().width) || 600), H = 220;
    const L = 46, R = 10, T = 22, B = 26;
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.setAttribute("width", W);
    title.textContent = t(chartRange === "day" ? "chart_svg_title_day" : "chart_svg_title_week");
    const measured = cells.filter((c) => c.median_ms != null);
    if (!cells.length) {
      desc.textContent = t("no_latency");
      $("latency-note").textContent = t("no_latency");
      return;
    }
    const t0 = cells[0].start_ms, t1 = cells[cells.length - 1].start_ms + span;
    // With nothing measured (a whole period down, say) the axes and outages are still drawn.
    const top = measured.length ? Math.max(...measured.map((c) => c.max_ms), 1) : 1000;
    const step = niceStep(top, 4), yMax = Math.ceil(top / step) * step;
    const x = (ms) => L + ((ms - t0) / (t1 - t0)) * (W - L - R);
    const y = (v) => T + (1 - v / yMax) * (H - T - B);
    const g = (cls) => svg.appendChild(svgEl("g", { class: cls }));

    // Milliseconds axis: grid lines and labels.
    const axis = g("axis");
    for (let v = 0; v <= yMax + 1e-9; v += step) {
      axis.appendChild(svgEl("line", { class: "grid", x1: L, x2: W - R, y1: y(v), y2: y(v) }));
      axis.appendChild(svgEl("text", { x: L - 4, y: y(v) + 4, "text-anchor": "end" }, String(Math.round(v))));
    }
    // The unit in the bottom-left corner, clear of the outage labels along the top.
    axis.appendChild(svgEl("text", { x: 4, y: H - B + 16 }, t("axis_ms")));
    // Time axis in local time: every 3 hours over a day, every midnight over a week.
    const first = new Date(t0);
    if (chartRange === "day") first.setMinutes(0, 0, 0); else first.setHours(0, 0, 0, 0);
    let lastX = -Infinity;
    for (let d = first; d.getTime() <= t1; ) {
      const ms = d.getTime();
      const aligned = chartRange === "day" ? d.getHours() % 3 === 0 : true;
      if (ms >= t0 && aligned) {
        const px = x(ms);
        axis.appendChild(svgEl("line", { class: "grid", x1: px, x2: px, y1: T, y2: H - B }));
        const label = chartRange === "day" ? clock(ms) : new Date(ms).toLocaleDateString(intlLang, { weekday: "short", day: "numeric" });
        if (px - lastX > 44 && px < W - R - 12) {
          axis.appendChild(svgEl("text", { x: px, y: H - B + 16, "text-anchor": "middle" }, label));
          lastX = px;
        }
      }
      d = chartRange === "day" ? new Date(ms + 3600000) : new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1);
    }

    // Outages: shaded bands, labelled by cause where there is room.
    const bands = g("outages");
    let labelEnd = -Infinity;
    const shown = (h.outages || []).filter((o) => o.start_ms < t1 && outageEnd(o, h.now_ms) > t0).reverse();
    shown.forEach((o) => {
      const x0 = x(Math.max(o.start_ms, t0)), x1 = x(Math.min(outageEnd(o, h.now_ms), t1));
      const rect = svgEl("rect", { class: "outage", x: x0, y: T, width: Math.max(2, x1 - x0), height: H - T - B });
      rect.appendChild(svgEl("title", {}, t("outage_title", { what: o.what, time: dateTime(o.start_ms) })));
      bands.appendChild(rect);
      const label = o.cause.length > 48 ? o.cause.slice(0, 47) + "…" : o.cause;
      const text = bands.appendChild(svgEl("text", { class: "outage-label", x: x0, y: T - 6 }, label));
      // Measured as drawn; a label that would overlap the previous one is left to the table.
      const width = text.getComputedTextLength ? text.getComputedTextLength() : label.length * 7;
      const anchorEnd = x0 + width > W - R;
      if (anchorEnd) { text.setAttribute("x", x1); text.setAttribute("text-anchor", "end"); }
      const start = anchorEnd ? x1 - width : x0;
      if (start > labelEnd + 6 && start >= 2) labelEnd = start + width; else bands.removeChild(text);
    });

    // The slowest check per bucket as a light band over the median, broken where nothing was measured.
    const runs = [];
    let run = [];
    cells.forEach((c) => {
      if (c.median_ms == null) { if (run.length) runs.push(run); run = []; } else run.push(c);
    });
    if (run.length) runs.push(run);
    const mid = (c) => x(c.start_ms + span / 2);
    const lines = g("series");
    runs.forEach((r) => {
      const upper = r.map((c) => mid(c).toFixed(1) + " " + y(c.max_ms).toFixed(1));
      const lower = r.slice().reverse().map((c) => mid(c).toFixed(1) + " " + y(c.median_ms).toFixed(1));
      lines.appendChild(svgEl("path", { class: "slowest", d: "M" + upper.join(" L") + " L" + lower.join(" L") + " Z" }));
      const pts = r.map((c) => mid(c).toFixed(1) + " " + y(c.median_ms).toFixed(1));
      lines.appendChild(svgEl("path", { class: "median", d: "M" + pts.join(" L") + (r.length === 1 ? " h1" : "") }));
    });

    const outages = shown.length ? t("chart_outages", { n: shown.length }) : t("chart_no_outages");
    if (!measured.length) {
      svg.appendChild(svgEl("text", { x: (L + W - R) / 2, y: (T + H - B) / 2, "text-anchor": "middle" }, t("no_latency")));
      desc.textContent = t("no_latency") + t("sep_sentences") + outages;
      $("latency-note").textContent = t("no_latency");
      return;
    }
    const medians = measured.map((c) => c.median_ms).sort((a, b) => a - b);
    const typical = medians[Math.floor(medians.length / 2)];
    const checks = cells.reduce((n, c) => n + c.checks, 0);
    desc.textContent = t("chart_desc", { bucket: t(chartRange === "day" ? "bucket_quarter" : "bucket_hour"), median: typical, max: top }) + t("sep_sentences") + outages;
    $("latency-note").textContent = t("latency_note", { median: typical, max: top, n: checks });
  }

  function setRange(range) {
    chartRange = range;
    for (const r of ["day", "week"]) $("range-" + r).setAttribute("aria-pressed", String(r === range));
    if (view) drawChart(view.history || {});
  }

  // ---- settings ----------------------------------------------------------
  function fields() { return Array.from(document.querySelectorAll("#settings-form [name]")); }
  function getPath(obj, path) { return path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj); }
  function setPath(obj, path, value) {
    const keys = path.split(".");
    let o = obj;
    keys.slice(0, -1).forEach((k) => { o[k] = o[k] || {}; o = o[k]; });
    o[keys[keys.length - 1]] = value;
  }

  async function loadSettings() {
    try {
      settings = await invoke("get_settings");
    } catch (e) {
      showErrors([String(e)]);
      return;
    }
    if (texts) fillLanguages(document.querySelector('select[name="language"]'), true, settings.language);
    fields().forEach((f) => {
      const v = getPath(settings, f.name);
      if (f.type === "checkbox") f.checked = !!v; else f.value = v == null ? "" : v;
    });
    fillChannels();
  }

  // ---- channels: notices elsewhere ---------------------------------------
  // One box per channel: its service, address, token (ntfy and JSON webhooks), the notices it
  // gets, and how it is doing as the tray reports it (view.channels, in the saved order). A box
  // edited since the last save shows no state: the state is the saved channel's.
  const KINDS = ["slack", "discord", "teams", "webhook", "ntfy"];
  const KIND_NAMES = { slack: "Slack", discord: "Discord", teams: "Microsoft Teams", webhook: "JSON webhook", ntfy: "ntfy" };
  const PLACEHOLDERS = {
    slack: "https://hooks.slack.com/services/…",
    discord: "https://discord.com/api/webhooks/…",
    teams: "https://….logic.azure.com/workflows/…",
    webhook: "https://example.com/hooks/…",
    ntfy: "https://ntfy.sh/your-topic",
  };
  const NOTICES = ["down", "recovered", "cause", "still_down", "flapping", "stable", "network_blocks"];

  function fillChannels() {
    const list = $("channel-list");
    clear(list);
    ((settings && settings.channels) || []).forEach((c, i) => list.appendChild(channelBox(c, i)));
    renderChannels();
  }

  function channelBox(c, savedIndex) {
    const li = document.createElement("li");
    if (savedIndex !== null) li.dataset.saved = String(savedIndex);
    const kind = document.createElement("select");
    kind.className = "kind";
    KINDS.forEach((k) => { const o = item("option", KIND_NAMES[k]); o.value = k; kind.appendChild(o); });
    kind.value = c.kind || "slack";
    const kindLabel = labelled("channel_kind", kind);
    const url = document.createElement("input");
    url.type = "url"; url.className = "url"; url.spellcheck = false; url.autocomplete = "off";
    url.value = c.url || "";
    const token = document.createElement("input");
    token.type = "password"; token.className = "token"; token.autocomplete = "off";
    token.value = c.token || "";
    const tokenLabel = labelled("channel_token", token);
    const notices = document.createElement("div");
    notices.className = "notices";
    const chosen = c.notices || NOTICES;
    NOTICES.forEach((n) => {
      const box = document.createElement("input");
      box.type = "checkbox"; box.value = n; box.checked = chosen.includes(n);
      const l = document.createElement("label");
      l.className = "check";
      l.appendChild(box);
      l.appendChild(item("span", t("notice_" + n)));
      notices.appendChild(l);
    });
    const noticesBox = document.createElement("details");
    noticesBox.appendChild(item("summary", t("channel_notices")));
    noticesBox.appendChild(notices);
    const state = item("p", "", "state muted");
    state.setAttribute("role", "status");
    const test = item("button", t("channel_test"));
    test.type = "button"; test.className = "test";
    const remove = item("button", t("channel_remove"));
    remove.type = "button"; remove.className = "remove";
    const actions = document.createElement("div");
    actions.className = "row-actions";
    actions.append(test, remove);
    const fit = () => {
      url.placeholder = PLACEHOLDERS[kind.value];
      tokenLabel.hidden = !(kind.value === "ntfy" || kind.value === "webhook");
    };
    fit();
    kind.addEventListener("change", fit);
    li.addEventListener("input", () => { li.dataset.edited = "1"; renderChannels(); });
    li.addEventListener("change", () => { li.dataset.edited = "1"; renderChannels(); });
    remove.addEventListener("click", () => { li.remove(); });
    test.addEventListener("click", () => testChannel(li));
    li.append(kindLabel, labelled("channel_url", url), tokenLabel, noticesBox, state, actions);
    return li;
  }

  function labelled(key, input) {
    const l = document.createElement("label");
    l.appendChild(item("span", t(key)));
    l.appendChild(input);
    return l;
  }

  function readChannels() {
    return Array.from($("channel-list").children).map((li) => {
      const c = { kind: li.querySelector(".kind").value, url: li.querySelector(".url").value.trim() };
      const token = li.querySelector(".token").value.trim();
      if (token && (c.kind === "ntfy" || c.kind === "webhook")) c.token = token;
      c.notices = Array.from(li.querySelectorAll(".notices input:checked")).map((b) => b.value);
      return c;
    });
  }

  // Each saved, unedited box says how its channel is doing.
  function renderChannels() {
    const states = (view && view.channels) || [];
    Array.from($("channel-list").children).forEach((li) => {
      const p = li.querySelector(".state");
      const v = li.dataset.saved !== undefined && !li.dataset.edited ? states[Number(li.dataset.saved)] : null;
      p.classList.remove("bad");
      if (!v) { p.textContent = li.dataset.edited || li.dataset.saved === undefined ? t("channel_unsaved") : ""; return; }
      const lines = [];
      if (v.test) {
        lines.push(v.test.ok ? t("channel_test_ok", { time: clock(v.test.at_wall_ms) }) : t("channel_test_failed", { why: v.test.failure || "" }));
      }
      if (v.state.state === "failing") {
        lines.push(t("channel_failing", { why: v.failing || "" }));
        p.classList.add("bad");
      } else if (v.state.state === "working") {
        lines.push(t("channel_working", { time: clock(v.state.last_sent_wall_ms) }));
      } else if (!v.test) {
        lines.push(t("channel_untried"));
      }
      if (v.waiting) lines.push(t("channel_waiting", { n: v.waiting }));
      if (v.test && !v.test.ok) p.classList.add("bad");
      p.textContent = lines.join(" · ");
    });
  }

  // The browser extension: where each browser's host manifest stands (as the tray's start left
  // it), which have the extension connected now, why none was set up, and how many browsers are
  // connected in all (a host that could not name its browser is on no row). The reason
  // a file could not be written comes from the system: it goes in as text.
  function renderBrowsers() {
    const b = (view && view.browsers) || { hosts: [], unset: null, connected: 0 };
    const list = $("browser-list");
    clear(list);
    const kinds = (ss) => ss.map((s) => ({ flatpak: "Flatpak", snap: "Snap", snap_portal: "Snap" }[s] || s)).join(" / ");
    for (const h of b.hosts || []) {
      const li = document.createElement("li");
      li.dataset.family = h.family;
      li.dataset.state = h.state;
      li.appendChild(item("span", h.name, "browser-name"));
      const unsupported = (h.sandboxes || []).filter((s) => s === "flatpak" || s === "snap");
      const lines = [];
      if (h.state === "registered") lines.push(t("browser_registered"));
      else if (h.state === "system") lines.push(t("browser_system"));
      else if (h.state === "failed") lines.push(t("browser_failed", { why: h.why || "" }));
      else if (h.state === "sandboxed") lines.push(t("browser_sandboxed", { kinds: kinds(unsupported) }));
      else lines.push(t("browser_not_found"));
      if (h.state !== "sandboxed" && unsupported.length) lines.push(t("browser_sandbox_also", { kinds: kinds(unsupported) }));
      if ((h.sandboxes || []).includes("snap_portal")) lines.push(t("browser_snap_portal"));
      li.dataset.connected = h.connected ? "yes" : "no";
      if (h.connected) lines.push(t("browser_connected"));
      const state = item("span", lines.join(t("sep_sentences")), "browser-state");
      if (h.state === "failed" || h.state === "sandboxed") state.classList.add("bad");
      li.appendChild(state);
      list.appendChild(li);
    }
    list.hidden = !list.children.length;
    const unset = $("browsers-unset");
    const u = b.unset;
    if (!u) unset.textContent = "";
    else if (u.why === "no_host") unset.textContent = t("browsers_no_host", { path: u.detail || "" });
    else unset.textContent = t("browsers_other", { why: u.detail || "" });
    unset.hidden = !u;
    $("browsers-connected").textContent = t("browsers_connected", { n: b.connected || 0 });
  }

  // "Send a test" goes to the saved channel: the settings are saved first.
  async function testChannel(li) {
    const p = li.querySelector(".state");
    const index = Array.from($("channel-list").children).indexOf(li);
    if (!(await saveSettings(null))) return;
    p.textContent = t("channel_testing");
    try {
      await invoke("test_channel", { index: index });
    } catch (e) {
      p.textContent = String(e);
      p.classList.add("bad");
    }
  }

  function showErrors(lines) {
    const box = $("settings-errors");
    clear(box);
    if (!lines.length) { box.hidden = true; return; }
    box.appendChild(item("p", t("error_prefix")));
    const ul = document.createElement("ul");
    lines.forEach((l) => ul.appendChild(item("li", l)));
    box.appendChild(ul);
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }

  // Save the form; true when saved (else the problems are shown).
  async function saveSettings(ev) {
    if (ev) ev.preventDefault();
    $("settings-saved").hidden = true;
    const next = JSON.parse(JSON.stringify(settings || {}));
    const problems = [];
    fields().forEach((f) => {
      let v;
      if (f.type === "checkbox") v = f.checked;
      else if (f.type === "number") {
        v = Number(f.value);
        if (f.value.trim() === "" || !Number.isFinite(v)) problems.push(t("not_number", { field: f.closest("label").querySelector("span").textContent }));
      } else v = f.value.trim();
      setPath(next, f.name, v);
    });
    next.channels = readChannels();
    if (problems.length) { showErrors(problems); return false; }
    try {
      settings = await invoke("save_settings", { settings: next });
      showErrors([]);
      $("settings-saved").hidden = false;
      await setLang(settings.language);
      fillChannels();
      return true;
    } catch (e) {
      showErrors(String(e).split("\n"));
      return false;
    }
  }

  // "auto" speaks the language the tray chose from the system's.
  async function setLang(choice) {
    await loadTexts(choice && choice !== "auto" ? choice : (view && view.lang) || "en");
    applyLabels();
    if (view) render();
  }

  async function switchLanguage() {
    const chosen = $("lang-switch").value;
    if (!settings) settings = await invoke("get_settings");
    const next = JSON.parse(JSON.stringify(settings));
    next.language = chosen;
    try {
      settings = await invoke("save_settings", { settings: next });
      await setLang(chosen);
    } catch (e) {
      showErrors(String(e).split("\n"));
    }
  }

  // ---- phone app QR codes ------------------------------------------------

  // One path of unit squares, with a quiet zone of four modules, as scanners expect.
  function drawQr(svg, qr) {
    clear(svg);
    const side = qr.size + 8;
    svg.setAttribute("viewBox", "0 0 " + side + " " + side);
    const bg = document.createElementNS(SVG_NS, "rect");
    bg.setAttribute("width", side); bg.setAttribute("height", side); bg.setAttribute("fill", "#fff");
    svg.appendChild(bg);
    let d = "";
    for (let y = 0; y < qr.size; y++) {
      for (let x = 0; x < qr.size; x++) {
        if (qr.dark[y * qr.size + x]) d += "M" + (x + 4) + " " + (y + 4) + "h1v1h-1z";
      }
    }
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", d); path.setAttribute("fill", "#000");
    svg.appendChild(path);
  }

  let codes = null;
  function labelQr() {
    for (const [key, store] of [["app_store", "App Store"], ["google_play", "Google Play"]]) {
      $("qr-" + key).setAttribute("aria-label", t("qr_label", { store: store }));
    }
  }
  async function loadQr() {
    try {
      codes = await invoke("phone_qr");
    } catch (e) {
      return; // the links below the codes still work
    }
    drawQr($("qr-app_store"), codes.app_store);
    drawQr($("qr-google_play"), codes.google_play);
  }

  // ---- updates -----------------------------------------------------------
  // The update check's state, as the tray sends it; the release notes are remote text and go
  // through textContent like everything else.
  function renderUpdate() {
    const u = view && view.update;
    const explained = !!u && u.mode === "explained";
    $("update-explained").textContent = explained ? u.explanation || "" : "";
    $("update-explained").hidden = !explained;
    $("updates-choice").hidden = explained;
    $("updates-help").hidden = explained;
    let line = "";
    if (u && !explained) {
      if (u.mode === "off") line = t("update_off_note");
      else if (u.available) line = t("update_available", { version: u.available }) + (u.skipped ? " " + t("update_skipped") : "");
      else if (u.error) line = t("update_error", { error: u.error });
      else if (u.last_check_ms) line = t("update_current", { version: u.current });
    }
    if (u && u.install) line = (line ? line + " " : "") + u.install;
    $("update-line").textContent = line;
    $("update-line").hidden = !line;
    const available = !!(u && u.available && u.mode !== "off");
    $("update-how").textContent = available ? u.how || "" : "";
    $("update-how").hidden = !$("update-how").textContent;
    $("update-notes").textContent = available ? u.notes || "" : "";
    $("update-notes").hidden = !$("update-notes").textContent;
    $("update-notes-title").hidden = $("update-notes").hidden;
  }

  // ---- wiring ------------------------------------------------------------
  function render() {
    const box = $("warnings");
    clear(box);
    (view.warnings || []).forEach((w) => box.appendChild(item("p", w)));
    box.hidden = !(view.warnings || []).length;
    renderStatus();
    renderUpdate();
    if (!$("page-history").hidden) renderHistory();
    renderChannels();
    renderBrowsers();
  }

  // A view from the tray; its language's messages are fetched before it is shown. Views are
  // taken one after the other, in the order they came.
  async function receive(v) {
    if (!v) {
      if (!texts) { await loadTexts("en"); applyLabels(); }
      return;
    }
    const first = view === null;
    view = v;
    if (first || !texts || (settings === null && v.lang !== lang)) {
      await loadTexts(v.lang);
      applyLabels();
    }
    render();
  }
  let received = Promise.resolve();
  function enqueue(v) {
    received = received.then(() => receive(v)).catch((e) => { $("headline").textContent = String(e); });
    return received;
  }

  // The report is plain text in a read-only field: copied through the clipboard API where the
  // engine allows it, otherwise selected for Ctrl+C. Nothing in it is ever parsed as markup.
  async function copyReport() {
    const box = $("report-text");
    try {
      await navigator.clipboard.writeText(box.value);
      $("report-copied").textContent = t("report_copied");
    } catch (e) {
      box.focus();
      box.select();
      $("report-copied").textContent = t("report_select");
    }
  }

  async function act(cmd, args) {
    try { await invoke(cmd, args); } catch (e) { $("last-check").textContent = String(e); }
  }

  async function start() {
    showPage();
    window.addEventListener("hashchange", showPage);
    $("check-now").addEventListener("click", () => act("check_now"));
    $("snooze-hour").addEventListener("click", () => act("snooze", { kind: "hour" }));
    $("snooze-recovered").addEventListener("click", () => act("snooze", { kind: "until_recovered" }));
    $("unsnooze").addEventListener("click", () => act("unsnooze"));
    $("copy-report").addEventListener("click", copyReport);
    $("settings-form").addEventListener("submit", saveSettings);
    $("channel-add").addEventListener("click", () => {
      const li = channelBox({ kind: "slack" }, null);
      $("channel-list").appendChild(li);
      renderChannels();
      li.querySelector(".url").focus();
    });
    $("lang-switch").addEventListener("change", switchLanguage);
    wireBars();
    $("range-day").addEventListener("click", () => setRange("day"));
    $("range-week").addEventListener("click", () => setRange("week"));
    let resizing = null;
    window.addEventListener("resize", () => {
      clearTimeout(resizing);
      resizing = setTimeout(() => { if (view && !$("page-history").hidden) drawChart(view.history || {}); }, 100);
    });
    // Ctrl+W closes the window, and so does Escape outside form fields (where it belongs to them).
    document.addEventListener("keydown", (e) => {
      const inField = e.target.closest && e.target.closest("input, select, textarea");
      if ((e.key === "w" && e.ctrlKey) || (e.key === "Escape" && !inField)) {
        e.preventDefault();
        act("close_window");
      }
    });
    document.querySelectorAll("[data-link]").forEach((a) => a.addEventListener("click", (e) => {
      e.preventDefault();
      act("open_link", { link: a.dataset.link });
    }));
    await bridge.event.listen("gatewatch://update", (e) => enqueue(e.payload));
    await bridge.event.listen("gatewatch://page", (e) => { location.hash = "#" + e.payload; });
    // The QR codes do not depend on the view: asked for first, drawn as soon as they come.
    const qr = loadQr();
    await enqueue(await invoke("snapshot"));
    await qr;
    setInterval(() => { if (view) renderStatus(); }, 30000);
  }

  window.addEventListener("DOMContentLoaded", () => {
    start().catch((e) => { $("headline").textContent = String(e); });
  });
})();
