"""HTML of the sandbox console's pages, shaped like the real console (publ-console.md).

Protected pages are a shell plus a small script that draws the table, the page counter and
the export button after load, so whatever drives the console must wait for elements rather
than trust the first HTML it receives.
"""

from __future__ import annotations

import html
import json

# An icon-only export button; the real console's path contains "20.1835,14.7857".
EXPORT_ICON = (
    '<svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true"><path '
    'd="M12 3v11.1835M7.4 10.6L12 15.2l4.6-4.6M20.1835,14.7857v4.2143a1 1 0 0 1-1 1H4.8167'
    'a1 1 0 0 1-1-1v-4.2143" fill="none" stroke="currentColor" stroke-width="1.6"/></svg>'
)

STYLE = """
@font-face{font-family:Console;src:url(/static/console.woff2) format("woff2")}
body{font-family:Console,sans-serif;margin:0}header{background:#222;color:#fff;padding:8px 16px}
main{padding:16px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}
[role=alert]{color:#b00020;margin:8px 0}.pager{margin:8px 0}
.sc-account{float:right}.sc-row{display:flex;gap:8px;border-bottom:1px solid #ddd}
.sc-cell{padding:2px 4px}
"""


def document(title: str, body: str, script: str = "") -> str:
    """A full page with the console's header."""
    tail = f"<script>{script}</script>" if script else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} - publ console</title><style>{STYLE}</style></head>"
        '<body><header><img src="/static/logo.png" alt="publ" width="16" height="16"> '
        f"publ console</header><main>{body}</main>{tail}</body></html>"
    )


# A changed export icon (another path), for the `titled_icon` switch.
CHANGED_ICON = (
    '<svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true"><path '
    'd="M4 4h16v16H4zM12 7v7m-3-3 3 3 3-3" fill="none" stroke="currentColor"/></svg>'
)


def login_page(message: str | None = None, *, attributes_only: bool = False,
               unclassed_error: bool = False) -> str:
    """The login form, with a message (why the last login failed, or why we are here).
    `attributes_only`: fields without labels (only `name`/`type`); `unclassed_error`: the
    message in a generated-class paragraph, without `role=alert`."""
    alert = ""
    if message:
        alert = (f'<p class="sc-kLwhqv fJxYzD">{html.escape(message)}</p>' if unclassed_error
                 else f'<div role="alert">{html.escape(message)}</div>')
    if attributes_only:
        fields = ('<p><input name="email" type="email"></p>'
                  '<p><input name="password" type="password"></p>')
    else:
        fields = ('<p><label for="email">E-mail</label> '
                  '<input id="email" name="email" type="email"></p>'
                  '<p><label for="password">Password</label> '
                  '<input id="password" name="password" type="password"></p>')
    return document("Login", (
        "<h1>Welcome back</h1>" + alert +
        '<form method="post" action="/?type=enter">' + fields +
        '<button type="submit">Login</button></form>'
    ))


def channels_page(channel_id: str, channel_name: str) -> str:
    return document("All channels", (
        "<h1>All channels</h1><ul>"
        f'<li><a href="/channels/{html.escape(channel_id)}">{html.escape(channel_name)}</a></li>'
        "</ul>"
    ))


# Draws a data table, an optional "current / total" counter and an optional button.
_RENDER_SCRIPT = """
addEventListener("DOMContentLoaded", () => {
  const view = JSON.parse(document.getElementById("view").textContent);
  setTimeout(() => draw(view), view.delay || 0);
});
function draw(view) {
  const app = document.getElementById("app");
  // The console's own navigation: drawn with the page, whatever the session may do.
  const nav = document.createElement("nav");
  const out = document.createElement("button"); out.type = "button";
  out.textContent = "Log out"; nav.append(out);
  app.append(nav);
  if (view.content_delay) { setTimeout(() => drawContent(view, app), view.content_delay); }
  else { drawContent(view, app); }
}
function drawContent(view, app) {
  if (view.account) {  // an account menu in the corner, as consoles have
    const menu = document.createElement("div"); menu.className = "sc-account";
    const who = document.createElement("span"); who.textContent = view.account;
    const out = document.createElement("button"); out.textContent = "Log out";
    menu.append(who, out); app.append(menu);
  }
  const h1 = document.createElement("h1"); h1.textContent = view.title; app.append(h1);
  if (view.notice) {
    const p = document.createElement("p"); p.textContent = view.notice; app.append(p);
  }
  if (view.button) {
    const b = document.createElement("button"); b.type = "button";
    if (view.button.label) { b.textContent = view.button.label; }
    else { b.innerHTML = view.icon; b.title = view.button.title || ""; }
    b.addEventListener("click", async () => {
      if (view.button.mode === "script") {
        const response = await fetch(view.button.url);
        const blob = await response.blob();
        const a = document.createElement("a");
        a.href = URL.createObjectURL(blob); a.download = view.button.filename;
        document.body.append(a); a.click(); a.remove();
      } else {
        location.href = view.button.url;
      }
    });
    app.append(b);
  }
  if (view.pager) {
    const s = document.createElement("div"); s.className = "pager";
    s.innerHTML = "<span>" + view.pager[0] + " / " + view.pager[1] + "</span>";
    app.append(s);
  }
  if (view.div_lists) { app.append(divList(view)); return; }
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const h of view.headers) {
    const th = document.createElement("th"); th.textContent = h; head.append(th);
  }
  const body = table.createTBody();
  for (const row of view.rows) {
    const tr = body.insertRow();
    for (const cell of row) { tr.insertCell().textContent = cell; }
  }
  if (!view.rows.length) { const tr = body.insertRow(); tr.insertCell().textContent = "No data"; }
  app.append(table);
}
"""


# The same list drawn with <div>s only, names as links and usernames as buttons.
_DIV_LIST_SCRIPT = """
function divList(view) {
  const list = document.createElement("div"); list.className = "sc-list";
  const row = (cells, header) => {
    const line = document.createElement("div"); line.className = "sc-row";
    cells.forEach((cell, i) => {
      const name = view.headers[i];
      const tag = header ? "div" : name === "Name" ? "a" : name === "Username" ? "button" : "div";
      const element = document.createElement(tag); element.className = "sc-cell";
      if (tag === "a") {
        element.href = "#member-" + i; element.setAttribute("aria-label", "Profile of " + cell);
      }
      element.textContent = cell; line.append(element);
    });
    list.append(line);
  };
  row(view.headers, true);
  for (const cells of view.rows) row(cells, false);
  return list;
}
"""


def data_page(title: str, view: dict[str, object], *, icon: str = EXPORT_ICON) -> str:
    """A protected page whose content a script draws from `view` after load (`view["delay"]`
    ms after it)."""
    payload = json.dumps({**view, "title": title, "icon": icon}, ensure_ascii=False)
    # A JSON <script> block must not be able to close itself early.
    payload = payload.replace("</", "<\\/")
    body = f'<div id="app"></div><script type="application/json" id="view">{payload}</script>'
    return document(title, body, _DIV_LIST_SCRIPT + _RENDER_SCRIPT)
