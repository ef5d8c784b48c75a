// Quoting a passage of an article: without this script the person pastes the words in the
// "quoted passage" field and the server finds them in the article. With it, selecting words
// in the article's text fills the field and the hidden offsets (each piece of the text carries
// its offset in data-o), which the server checks against the article. Typing in the field
// clears the offsets, so the server looks the words up again.
(function () {
  "use strict";
  var source = document.querySelector("[data-quote-source]");
  if (!source) return;

  function field(name) {
    return document.querySelector('[name="' + name + '"]');
  }

  function offsetOf(node, offset) {
    // The offset in the article of a point of the selection, or null outside the text.
    var element = node.nodeType === 3 ? node.parentElement : node;
    if (!element || !source.contains(element)) return null;
    var piece = element.closest("[data-o]");
    if (!piece || !source.contains(piece)) return null;
    if (node.nodeType !== 3) offset = offset > 0 ? piece.textContent.length : 0;
    return parseInt(piece.getAttribute("data-o"), 10) + offset;
  }

  // The article's text as stored, rebuilt from its pieces: what lies between two pieces is a
  // line break (the labels of quoted passages are not in it).
  var raw = "";
  var pieces = Array.prototype.slice.call(source.querySelectorAll("[data-o]"));
  pieces.forEach(function (piece) {
    var at = parseInt(piece.getAttribute("data-o"), 10);
    while (raw.length < at) raw += "\n";
    raw += piece.textContent;
  });

  function fill() {
    var quote = field("quote");
    if (!quote) return;
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    var range = selection.getRangeAt(0);
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    // A selection that starts or ends on a label or a line break: the pieces it covers.
    var covered = pieces.filter(function (piece) {
      return range.intersectsNode(piece);
    });
    if (covered.length && start === null) start = parseInt(covered[0].getAttribute("data-o"), 10);
    if (covered.length && end === null) {
      var last = covered[covered.length - 1];
      end = parseInt(last.getAttribute("data-o"), 10) + last.textContent.length;
    }
    if (start === null || end === null || end <= start) return;
    var text = raw.slice(start, end);
    if (!text.trim()) return;
    // Leave out the white space at either end, as the server trims the field.
    start += text.length - text.replace(/^\s+/, "").length;
    end -= text.length - text.replace(/\s+$/, "").length;
    quote.value = raw.slice(start, end);
    var startField = field("quote_start");
    var endField = field("quote_end");
    if (startField && endField) {
      startField.value = start;
      endField.value = end;
    }
  }

  // The help speaks to someone who can comment: only where the form with its quote field is.
  if (field("quote")) {
    document.querySelectorAll(".article-quote-help").forEach(function (help) {
      help.hidden = false;
    });
  }
  source.addEventListener("mouseup", fill);
  source.addEventListener("keyup", fill);
  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed && source.contains(selection.anchorNode)) fill();
  });
  document.addEventListener("input", function (event) {
    if (event.target && event.target.name === "quote" && event.isTrusted) {
      var startField = field("quote_start");
      var endField = field("quote_end");
      if (startField) startField.value = "";
      if (endField) endField.value = "";
    }
  });
})();
