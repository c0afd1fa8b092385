// The explainer: renders the snapshot the app sends, and sends back a few commands.
// Remote text (incident names, error messages) only ever goes through textContent.
"use strict";
(function () {
  const TEXT = window.GW_TEXT;
  const bridge = window.__TAURI__;
  const invoke = (cmd, args) => bridge.core.invoke(cmd, args);
  const $ = (id) => document.getElementById(id);

  let view = null;
  let lang = "en";
  let settings = null;

  function t(key, vars) {
    let s = (TEXT[lang] && TEXT[lang][key]) || TEXT.en[key] || key;
    for (const k of Object.keys(vars || {})) s = s.split("{" + k + "}").join(String(vars[k]));
    return s;
  }

  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }
  function item(tag, text, cls) {
    const e = document.createElement(tag);
    e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function clock(ms) {
    return new Date(ms).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
  }
  function dateTime(ms) {
    return new Date(ms).toLocaleString(lang, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  }
  function duration(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    if (d) return d + " " + t("days") + (h ? " " + h + " " + t("hours") : "");
    if (h) return h + " " + t("hours") + (m ? " " + m + " " + t("minutes") : "");
    if (m) return m + " " + t("minutes");
    return s + " " + t("seconds");
  }

  function applyLabels() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
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
  }

  // ---- status ------------------------------------------------------------
  function hopStates(report, status) {
    const s = { you: "ok", network: "ok", proxy: "ok", edge: "ok", origin: "ok" };
    if (!report) return { you: "ok", network: "unknown", proxy: "unknown", edge: "unknown", origin: "unknown" };
    const verdict = status ? status.verdict : report.verdict;
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
    return lines.join(" ");
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
    $("last-check").textContent = notes.join(" · ");
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
      // The proxy hop is there only when the checks went through one.
      if (li.dataset.hop === "proxy") li.hidden = !(report && (report.proxy || report.layer === "proxy"));
      li.querySelector(".hop-state").textContent = t({ ok: "hop_ok", failed: "hop_failed", unknown: "hop_unknown", refusing: "hop_refusing", warn: "hop_failed", hidden: "hop_hidden" }[state]);
      if (li.dataset.hop === "edge") {
        const colo = report && report.edge && report.edge.colo;
        li.querySelector(".hop-name").textContent = t("hop_edge") + (colo ? " · " + colo : "");
      }
    });
    $("cause").textContent = report ? report.cause_text : "";
    const limited = $("limited");
    limited.textContent = report && report.limited_view ? report.limited_view.text : "";
    limited.hidden = !(report && report.limited_view);
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
      sp.textContent = lines.join(" ");
      (page.incidents || []).forEach((i) => incidents.appendChild(item("li", t("incident", { name: i.name, status: i.status }))));
    }

    const advice = $("advice");
    clear(advice);
    if (report) report.advice.forEach((a) => advice.appendChild(item("li", a)));
  }

  // ---- history -----------------------------------------------------------
  function pct(u) { return u ? (u.ratio * 100).toFixed(2) + "%" : "—"; }

  function renderHistory() {
    const h = view.history || { outages: [], latencies: [] };
    $("uptime-24h").textContent = pct(h.uptime_24h);
    $("uptime-7d").textContent = pct(h.uptime_7d);
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
    drawSparkline(h.latencies || []);
  }

  function drawSparkline(points) {
    const canvas = $("sparkline");
    const ctx = canvas.getContext("2d");
    const w = canvas.width, hgt = canvas.height;
    ctx.clearRect(0, 0, w, hgt);
    if (points.length < 2) { $("latency-note").textContent = t("no_latency"); return; }
    const values = points.map((p) => p[1]);
    const sorted = values.slice().sort((a, b) => a - b);
    const max = Math.max(sorted[sorted.length - 1], 1);
    const t0 = points[0][0], t1 = points[points.length - 1][0];
    ctx.strokeStyle = getComputedStyle(document.body).getPropertyValue("--accent") || "#16a34a";
    ctx.lineWidth = 2;
    ctx.beginPath();
    points.forEach((p, i) => {
      const x = t1 === t0 ? 0 : ((p[0] - t0) / (t1 - t0)) * (w - 4) + 2;
      const y = hgt - 4 - (p[1] / max) * (hgt - 8);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.stroke();
    $("latency-note").textContent = t("latency_note", { median: sorted[Math.floor(sorted.length / 2)], max: max, n: values.length });
    canvas.setAttribute("aria-label", $("latency-note").textContent);
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
    fields().forEach((f) => {
      const v = getPath(settings, f.name);
      if (f.type === "checkbox") f.checked = !!v; else f.value = v == null ? "" : v;
    });
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

  async function saveSettings(ev) {
    ev.preventDefault();
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
    if (problems.length) { showErrors(problems); return; }
    try {
      settings = await invoke("save_settings", { settings: next });
      showErrors([]);
      $("settings-saved").hidden = false;
      setLang(settings.language);
    } catch (e) {
      showErrors(String(e).split("\n"));
    }
  }

  function setLang(choice) {
    if (choice === "en" || choice === "it") lang = choice;
    else if (view && view.lang) lang = view.lang;
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
      setLang(chosen);
    } catch (e) {
      showErrors(String(e).split("\n"));
    }
  }

  // ---- phone app QR codes ------------------------------------------------
  const SVG_NS = "http://www.w3.org/2000/svg";

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

  // ---- wiring ------------------------------------------------------------
  function render() {
    const box = $("warnings");
    clear(box);
    (view.warnings || []).forEach((w) => box.appendChild(item("p", w)));
    box.hidden = !(view.warnings || []).length;
    renderStatus();
    renderHistory();
  }

  function receive(v) {
    const first = view === null;
    view = v;
    if (first || (settings === null && v.lang !== lang)) { lang = v.lang || "en"; applyLabels(); }
    render();
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
    applyLabels();
    showPage();
    window.addEventListener("hashchange", showPage);
    $("check-now").addEventListener("click", () => act("check_now"));
    $("snooze-hour").addEventListener("click", () => act("snooze", { kind: "hour" }));
    $("snooze-recovered").addEventListener("click", () => act("snooze", { kind: "until_recovered" }));
    $("unsnooze").addEventListener("click", () => act("unsnooze"));
    $("copy-report").addEventListener("click", copyReport);
    $("settings-form").addEventListener("submit", saveSettings);
    $("lang-switch").addEventListener("change", switchLanguage);
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
    await bridge.event.listen("gatewatch://update", (e) => receive(e.payload));
    await bridge.event.listen("gatewatch://page", (e) => { location.hash = "#" + e.payload; });
    receive(await invoke("snapshot"));
    await loadQr();
    setInterval(() => { if (view) renderStatus(); }, 30000);
  }

  window.addEventListener("DOMContentLoaded", () => {
    start().catch((e) => { $("headline").textContent = String(e); });
  });
})();
