// Org chart pop-ups (progressive enhancement: without this file every box of the drawn chart
// is a plain link and the list of units below it stays in sight).
// Each box (a link in the SVG) has a pop-up (.orgchart-pop) shown beside it on hover and on
// focus; Enter follows the link. A tap shows the pop-up first and a second tap on the same box
// opens the unit's page. Escape closes the pop-up; the pop-up stays while the pointer is on it.
(function () {
  "use strict";
  var figure = document.getElementById("orgchart-figure");
  if (!figure) { return; }
  var list = document.getElementById("orgchart-list");
  if (list) {
    // Screen readers keep the nested list; the keyboard keeps one stop per unit (the boxes).
    list.classList.add("visually-hidden");
    Array.prototype.forEach.call(list.querySelectorAll("a"), function (link) { link.setAttribute("tabindex", "-1"); });
  }
  var scroller = figure.querySelector(".orgchart-scroll");
  var top = figure.querySelector(".orgchart-box");
  if (scroller && top && scroller.scrollWidth > scroller.clientWidth) {
    // A chart wider than the screen opens with its top unit in sight, not its empty left.
    var frame = scroller.getBoundingClientRect();
    var first = top.getBoundingClientRect();
    scroller.scrollLeft = Math.max(first.left - frame.left + first.width / 2 - scroller.clientWidth / 2, 0);
  }
  var openBox = null;
  var closeTimer = null;
  var lastPointer = "mouse";

  function popOf(box) { return document.getElementById(box.getAttribute("data-pop")); }

  function place(box, pop) {
    var frame = figure.getBoundingClientRect();
    var rect = box.getBoundingClientRect();
    var width = pop.offsetWidth;
    var left = Math.min(Math.max(rect.left - frame.left, 0), Math.max(figure.clientWidth - width, 0));
    pop.style.left = left + "px";
    pop.style.top = (rect.bottom - frame.top + 6) + "px";
  }

  function close() {
    if (!openBox) { return; }
    var pop = popOf(openBox);
    if (pop) { pop.hidden = true; }
    openBox.classList.remove("is-open");
    openBox = null;
  }

  function open(box) {
    clearTimeout(closeTimer);
    if (openBox === box) { return; }
    close();
    var pop = popOf(box);
    if (!pop) { return; }
    pop.hidden = false;
    place(box, pop);
    box.classList.add("is-open");
    openBox = box;
  }

  function closeSoon() {
    clearTimeout(closeTimer);
    closeTimer = setTimeout(close, 250);
  }

  var boxes = figure.querySelectorAll(".orgchart-box[data-pop]");
  Array.prototype.forEach.call(boxes, function (box) {
    box.addEventListener("pointerdown", function (event) { lastPointer = event.pointerType || "mouse"; });
    box.addEventListener("focus", function () { open(box); });
    box.addEventListener("blur", closeSoon);
    box.addEventListener("mouseenter", function () { open(box); });
    box.addEventListener("mouseleave", closeSoon);
    box.addEventListener("click", function (event) {
      // A tap on a box whose pop-up is not showing yet shows it instead of leaving the page.
      if (lastPointer !== "mouse" && !box.classList.contains("was-open")) {
        event.preventDefault();
        open(box);
        box.classList.add("was-open");
      }
    });
    var pop = popOf(box);
    if (pop) {
      pop.addEventListener("mouseenter", function () { clearTimeout(closeTimer); });
      pop.addEventListener("mouseleave", closeSoon);
    }
  });

  function forgetTaps(except) {
    Array.prototype.forEach.call(figure.querySelectorAll(".orgchart-box.was-open"), function (box) {
      if (box !== except) { box.classList.remove("was-open"); }
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { close(); forgetTaps(null); }
  });
  document.addEventListener("click", function (event) {
    var box = event.target.closest ? event.target.closest(".orgchart-box") : null;
    forgetTaps(box);
    if (!box && openBox && !popOf(openBox).contains(event.target)) { close(); }
  });
  if (scroller) { scroller.addEventListener("scroll", close, { passive: true }); }
})();
