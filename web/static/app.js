// archive web: copy buttons for citations, and bringing the highlighted lines of a page into view.
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

  document.addEventListener("DOMContentLoaded", function () {
    var first = document.querySelector("svg.page g.chosen rect") || document.querySelector("svg.page g.match rect");
    if (first && first.scrollIntoView) {
      first.scrollIntoView({block: "center"});
    }
  });
})();
