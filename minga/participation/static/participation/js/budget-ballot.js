// Running total of a participatory-budget ballot: cost of the projects ticked (knapsack) or
// points given (cumulative). The form works without it; the server checks every ballot.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var form = document.getElementById("ballot");
    if (!form) return;
    var output = form.querySelector(".pb-total");
    if (!output) return;
    var lang = document.documentElement.lang || "es";
    var fmt = new Intl.NumberFormat(lang === "en" ? "en-US" : "es-EC", { maximumFractionDigits: 0 });
    var limit = Number(form.dataset.knapsack || form.dataset.points || 0);
    var knapsack = Boolean(form.dataset.knapsack);
    function update() {
      var total = 0;
      if (knapsack) {
        form.querySelectorAll("input[type=checkbox][data-cost]").forEach(function (box) {
          if (box.checked) total += Number(box.dataset.cost);
        });
        output.textContent = (lang === "en" ? "Chosen: USD " : "Elegido: USD ") + fmt.format(total) + " / " + fmt.format(limit);
      } else {
        form.querySelectorAll("input.pb-points").forEach(function (input) {
          total += Number(input.value || 0);
        });
        output.textContent = (lang === "en" ? "Points given: " : "Puntos dados: ") + fmt.format(total) + " / " + fmt.format(limit);
      }
      output.classList.toggle("pb-over", total > limit);
      output.hidden = false;
    }
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    update();
  });
})();
