// Org chart pop-ups (progressive enhancement: without this file every unit is a plain link).
// Each unit link (.orgchart-unit) controls its pop-up (.orgchart-pop, a non-modal dialog):
// focus or hover opens it; Enter or Space toggles it; Escape closes it; a tap toggles it.
// The pop-up holds a link to the unit's page, so the unit stays reachable by keyboard.
(function () {
  "use strict";
  var chart = document.getElementById("orgchart");
  if (!chart) { return; }
  var openUnit = null;
  var refocusing = false; // focus moved back by Escape must not reopen the pop-up

  function popOf(unit) { return document.getElementById(unit.getAttribute("aria-controls")); }

  function close(unit) {
    if (!unit) { return; }
    unit.setAttribute("aria-expanded", "false");
    var pop = popOf(unit);
    if (pop) { pop.hidden = true; }
    if (openUnit === unit) { openUnit = null; }
  }

  function open(unit) {
    if (openUnit && openUnit !== unit) { close(openUnit); }
    unit.setAttribute("aria-expanded", "true");
    var pop = popOf(unit);
    if (pop) { pop.hidden = false; }
    openUnit = unit;
  }

  function toggle(unit) {
    if (unit.getAttribute("aria-expanded") === "true") { close(unit); } else { open(unit); }
  }

  var units = chart.querySelectorAll(".orgchart-unit[data-pop]");
  Array.prototype.forEach.call(units, function (unit) {
    var pop = document.getElementById(unit.getAttribute("data-pop"));
    if (!pop) { return; }
    var item = unit.parentNode;
    unit.setAttribute("role", "button");
    unit.setAttribute("aria-expanded", "false");
    unit.setAttribute("aria-controls", pop.id);
    unit.setAttribute("aria-describedby", "orgchart-hint");

    unit.addEventListener("focus", function () {
      if (refocusing) { refocusing = false; return; }
      open(unit);
    });
    unit.addEventListener("click", function (event) { event.preventDefault(); toggle(unit); });
    unit.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
        event.preventDefault();
        toggle(unit);
      } else if (event.key === "Escape" || event.key === "Esc") {
        close(unit);
      }
    });
    pop.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") {
        event.stopPropagation();
        close(unit);
        refocusing = true;
        unit.focus();
        refocusing = false;
      }
    });
    item.addEventListener("mouseenter", function () { open(unit); });
    item.addEventListener("mouseleave", function () {
      if (!item.contains(document.activeElement)) { close(unit); }
    });
    item.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !item.contains(event.relatedTarget)) { close(unit); }
    });
  });

  document.addEventListener("keydown", function (event) {
    if ((event.key === "Escape" || event.key === "Esc") && openUnit) { close(openUnit); }
  });
  document.addEventListener("click", function (event) {
    if (openUnit && !openUnit.parentNode.contains(event.target)) { close(openUnit); }
  });
})();
