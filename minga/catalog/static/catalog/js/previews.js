// Progressive enhancement of the previews; every page works without this file.
// - "Copy" buttons beside the permalink and the embed code.
// - Map: hovering a feature shows its name; a "Show" button in each row of the feature list
//   highlights the feature and shows its name, so keyboard users get the same.
(function () {
  "use strict";
  var copyLabel = document.documentElement.lang === "es" ? "Copiar" : "Copy";
  var copiedLabel = document.documentElement.lang === "es" ? "Copiado" : "Copied";
  var showLabel = document.documentElement.lang === "es" ? "Mostrar en el mapa" : "Show on the map";

  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (field) {
    if (!navigator.clipboard) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button secondary copy-button";
    button.textContent = copyLabel;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = copiedLabel;
        window.setTimeout(function () { button.textContent = copyLabel; }, 2000);
      });
    });
    field.parentNode.appendChild(button);
  });

  var drawing = document.getElementById("map-drawing");
  var popup = document.getElementById("map-popup");
  var list = document.getElementById("map-features");
  if (!drawing || !popup) { return; }

  function shapesOf(index) {
    return drawing.querySelectorAll('[data-feature="' + index + '"]');
  }
  function clear() {
    Array.prototype.forEach.call(document.querySelectorAll(".is-active"), function (el) {
      el.classList.remove("is-active");
    });
    popup.hidden = true;
  }
  function show(index, name) {
    clear();
    var shapes = shapesOf(index);
    if (!shapes.length) { return; }
    Array.prototype.forEach.call(shapes, function (el) { el.classList.add("is-active"); });
    var row = list && list.querySelector('tr[data-feature="' + index + '"]');
    if (row) { row.classList.add("is-active"); }
    var box = shapes[0].getBoundingClientRect();
    var frame = popup.parentNode.getBoundingClientRect();
    popup.textContent = name;
    popup.hidden = false;
    popup.style.left = Math.max(0, box.left - frame.left + popup.parentNode.scrollLeft + box.width / 2 + 8) + "px";
    popup.style.top = Math.max(0, box.top - frame.top - 8) + "px";
  }
  function nameOf(shape) {
    var title = shape.querySelector("title");
    return title ? title.textContent : "";
  }

  drawing.addEventListener("mouseover", function (event) {
    var shape = event.target.closest("[data-feature]");
    if (shape) { show(shape.getAttribute("data-feature"), nameOf(shape)); }
  });
  drawing.addEventListener("mouseleave", clear);

  if (!list) { return; }
  Array.prototype.forEach.call(list.querySelectorAll("tbody tr[data-feature]"), function (row) {
    var cell = row.querySelector("th");
    var name = cell.textContent.trim();
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.textContent = showLabel;
    button.setAttribute("aria-label", showLabel + ": " + name);
    var index = row.getAttribute("data-feature");
    button.addEventListener("click", function () { show(index, name); });
    button.addEventListener("focus", function () { show(index, name); });
    button.addEventListener("blur", clear);
    cell.appendChild(document.createTextNode(" "));
    cell.appendChild(button);
  });
})();
