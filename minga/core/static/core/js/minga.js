// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Confirm destructive actions declared with data-confirm="message".
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // Search facets arrive open (readable without this file); where their panel shows its
  // button (phones), fold them so the results stay in view.
  var panels = document.querySelectorAll("details[data-fold-narrow]");
  for (var i = 0; i < panels.length; i++) {
    var summary = panels[i].querySelector("summary");
    if (summary && window.getComputedStyle(summary).display !== "none") { panels[i].open = false; }
  }
  // A link to a folded panel ("Filter the results") opens it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (target && target.tagName === "DETAILS") { target.open = true; }
  });
})();
