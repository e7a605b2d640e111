// archive web: copy buttons for citations, bringing the highlighted lines of a page into view,
// an import job's progress, and search links without empty fields.
// No inline script anywhere (Content-Security-Policy: script-src 'self').
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "offscreen";
      document.body.appendChild(area);
      area.select();
      try {
        document.execCommand("copy") ? resolve() : reject(new Error("copy refused"));
      } catch (e) {
        reject(e);
      } finally {
        document.body.removeChild(area);
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (!button) return;
    var text = button.getAttribute("data-copy") || "";
    copyText(text).then(function () {
      button.textContent = "已复制";
      button.classList.add("done");
    }, function () {
      button.textContent = "请手动复制";
      var cite = button.parentElement.querySelector(".cite-text");
      if (cite && window.getSelection) {
        var range = document.createRange();
        range.selectNodeContents(cite);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
      }
    });
    window.setTimeout(function () {
      button.textContent = "复制";
      button.classList.remove("done");
    }, 2000);
  });

  // An import job's page: poll its JSON and show each file's progress and result (no reload).
  function showFile(row, f) {
    row.className = "file-" + f.state + (f.status ? " status-" + f.status.replace(/ /g, "-") : "");
    var bar = row.querySelector("progress");
    if (bar) {
      bar.max = f.pages || 1;
      bar.value = f.state === "done" ? (f.pages || 1) : f.pages_done;
    }
    row.querySelector(".f-progress-text").textContent = f.progress;
    row.querySelector(".f-status").textContent = f.status_cn;
    var msg = row.querySelector(".f-message");
    msg.textContent = f.message;
    if (f.help) {  // the guide's paragraph on what this refusal or warning means, and what to do
      var how = document.createElement("a");
      how.href = f.help;
      how.className = "how";
      how.textContent = "怎么办？";
      msg.appendChild(document.createTextNode(" "));
      msg.appendChild(how);
    }
    var cell = row.querySelector(".f-issue");
    if (f.issues && f.issues.length && !cell.querySelector("a")) {  // a bound volume: each of its issues
      f.issues.forEach(function (issue, k) {
        if (k) cell.appendChild(document.createElement("br"));
        var a = document.createElement("a");
        a.href = "/issues/" + encodeURIComponent(issue.id);
        a.textContent = issue.label;
        cell.appendChild(a);
      });
    }
  }

  function pollJob(section) {
    var url = section.getAttribute("data-job-url");
    var wait = 1000;
    function tick() {
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}}).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      }).then(function (job) {
        wait = 1000;
        section.setAttribute("data-state", job.state);
        section.querySelector(".job-summary").textContent = job.summary;
        var rows = section.querySelectorAll("tbody tr");
        job.files.forEach(function (f, i) { if (rows[i]) showFile(rows[i], f); });
        if (job.state !== "done") window.setTimeout(tick, wait);
      }).catch(function () {
        wait = Math.min(wait * 2, 10000);  // the server restarting: try again, less often
        window.setTimeout(tick, wait);
      });
    }
    if (section.getAttribute("data-state") !== "done") tick();
  }

  // A search form sends only the fields that have a value: shared links carry no empty &from=&to=&sort=.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("search") || (form.method || "get").toLowerCase() !== "get") return;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && !el.value) el.disabled = true;
    });
    window.setTimeout(function () {  // back from the results page: the fields are usable again
      Array.prototype.forEach.call(form.elements, function (el) { el.disabled = false; });
    }, 0);
  });

  // The item form's split: 【拆分】 put at the caret of the text (one at a time; without script the
  // form says to type it). The editor sees the mark in the text and saves with the rest of the form.
  function splitAtCaret(button) {
    var area = document.getElementById(button.getAttribute("data-target"));
    var mark = button.getAttribute("data-mark");
    if (!area || !mark) return;
    var at = area.selectionStart, end = area.selectionEnd, text = area.value;
    var old = text.indexOf(mark);
    if (old >= 0) {  // moved: the old mark goes
      text = text.slice(0, old) + text.slice(old + mark.length);
      if (at > old) at = Math.max(old, at - mark.length);
      if (end > old) end = Math.max(old, end - mark.length);
    }
    area.value = text.slice(0, at) + mark + text.slice(end);
    area.focus();
    area.setSelectionRange(at, at + mark.length);
  }

  // The review queue: how many entries are ticked, and ticking every one on the page.
  function countTicked(form) {
    var n = form.querySelectorAll("input[name=sel]:checked").length;
    var out = form.querySelector(".selected-count");
    if (out) out.textContent = n ? " " + n + " 项" : "";
  }

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form || !form.classList.contains("review-form")) return;
    if (event.target.hasAttribute("data-select-all")) {
      Array.prototype.forEach.call(form.querySelectorAll("input[name=sel]"), function (box) {
        box.checked = event.target.checked;
      });
    }
    countTicked(form);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.split-caret");
    if (button) splitAtCaret(button);
  });

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("button.split-caret, .select-all"), function (el) {
      el.hidden = false;  // they need this script
    });
    var zoom = document.querySelector(".page-zoom");
    var zoomed = zoom && zoom.offsetParent !== null;  // a phone: the page opens on its enlarged part, not scrolled
    var first = document.querySelector("svg.page g.words.chosen rect") || document.querySelector("svg.page g.chosen rect")
      || document.querySelector("svg.page g.match rect");
    if (first && first.scrollIntoView && !zoomed) {
      first.scrollIntoView({block: "center"});
    }
    var job = document.querySelector("section.job[data-job-url]");
    if (job && window.fetch) pollJob(job);
  });
})();
