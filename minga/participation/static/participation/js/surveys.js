// Conditional survey questions: without this script every question shows, with the condition
// written next to it (and the server discards answers to questions that did not apply). With
// it, a conditional question shows only while the earlier answer it depends on is chosen.
(function () {
  "use strict";
  var form = document.getElementById("survey-form");
  if (!form) return;
  var dependents = form.querySelectorAll("[data-condition-question]");
  if (!dependents.length) return;

  function chosen(questionId) {
    var values = [];
    var block = document.getElementById("pregunta-" + questionId);
    if (!block || block.hidden) return values;
    block.querySelectorAll('input[name="p' + questionId + '"]').forEach(function (input) {
      if (input.checked) values.push(input.value);
    });
    return values;
  }

  function update() {
    dependents.forEach(function (block) {
      var wanted = (block.getAttribute("data-condition-values") || "").split(" ");
      var got = chosen(block.getAttribute("data-condition-question"));
      var show = got.some(function (value) { return wanted.indexOf(value) !== -1; });
      block.hidden = !show;
      var note = block.querySelector(".survey-condition");
      if (note) note.hidden = true;
    });
  }

  form.addEventListener("change", update);
  update();
})();
