// The protocol editor's live check (progressive: the page works without it).
// While the owner types, the form is posted to its check address (debounced); the answer
// places each problem at its field, and refreshes the status, the diagram, the diff and
// the YAML. No inline script: the pages' Content-Security-Policy allows only this file.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form || !form.dataset.controle || !window.fetch || !window.FormData) return;
  var timer = null;
  var asked = 0;
  var WAIT = 500; // milliseconds after the last keystroke

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, WAIT);
  }

  function check() {
    var mine = ++asked;
    fetch(form.dataset.controle, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) { if (answer && mine === asked) show(answer); })
      .catch(function () { /* the plain submit still checks */ });
  }

  function describedBy(control, id, on) {
    var ids = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    ids = ids.filter(function (x) { return x !== id; });
    if (on) ids.push(id);
    if (ids.length) control.setAttribute("aria-describedby", ids.join(" "));
    else control.removeAttribute("aria-describedby");
  }

  function place(name, messages) {
    var control = document.getElementById(name);
    if (!control) return false;
    var box = control.closest("[data-veld]") || control.parentNode;
    var id = name + "-fout";
    var shown = document.getElementById(id);
    if (!messages || !messages.length) {
      if (shown && name !== "tekst") shown.remove();
      control.removeAttribute("aria-invalid");
      describedBy(control, id, false);
      return true;
    }
    if (!shown) {
      shown = document.createElement("p");
      shown.className = "veldfout";
      shown.id = id;
      box.appendChild(shown);
    }
    shown.textContent = messages.join(" ");
    control.setAttribute("aria-invalid", "true");
    describedBy(control, id, true);
    return true;
  }

  function show(answer) {
    var yamlMode = form.dataset.modus === "yaml";
    var general = answer.general.slice();
    var fields = answer.fields || {};
    if (yamlMode) {
      Object.keys(fields).forEach(function (k) { general = general.concat(fields[k]); });
      var list = document.getElementById("yaml-fouten");
      var text = document.getElementById("tekst");
      list.textContent = "";
      if (general.length) {
        var ul = document.createElement("ul");
        general.forEach(function (m) { var li = document.createElement("li"); li.textContent = m; ul.appendChild(li); });
        list.appendChild(ul);
        text.setAttribute("aria-invalid", "true");
      } else {
        text.removeAttribute("aria-invalid");
      }
    } else {
      form.querySelectorAll("[aria-invalid]").forEach(function (c) {
        if (!(c.name in fields)) place(c.name, []);
      });
      Object.keys(fields).forEach(function (name) {
        if (!place(name, fields[name])) general = general.concat(fields[name]);
      });
      var box = document.getElementById("algemene-fouten");
      if (box) {
        var ul2 = box.querySelector("ul");
        ul2.textContent = "";
        general.forEach(function (m) { var li = document.createElement("li"); li.textContent = m; ul2.appendChild(li); });
        box.hidden = general.length === 0;
      }
      var pre = document.getElementById("yaml-voorbeeld");
      if (pre) pre.textContent = answer.yaml;
    }
    var status = document.getElementById("controle-status");
    if (status) status.textContent = answer.status;
    var figure = document.getElementById("diagram-variant");
    if (figure) {
      if (answer.diagram) figure.innerHTML = answer.diagram; // drawn and escaped by the server
      else figure.innerHTML = "<p class=\"muted\">Het diagram verschijnt zodra de variant in orde is.</p>";
    }
    var diff = document.getElementById("verschillen");
    if (diff) {
      diff.textContent = "";
      var items = answer.diff.length ? answer.diff : [answer.diagram ? "geen" : "zodra de variant in orde is"];
      items.forEach(function (c) {
        var li = document.createElement("li");
        var code = document.createElement("code");
        code.textContent = c;
        li.appendChild(code);
        diff.appendChild(li);
      });
    }
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
