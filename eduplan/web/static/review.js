// The import review: selecting an item lights its source lines; the split button splits at the
// cursor in the item's text; keyboard moves (J/K next/previous, E title, S split, N add from the
// ticked lines, F only what needs a look). Without this script every form still works.
(function () {
  "use strict";
  var cards = Array.prototype.slice.call(document.querySelectorAll(".item-card"));
  var current = -1;

  function light(card) {
    document.querySelectorAll("ol.doc-lines li.lit").forEach(function (li) { li.classList.remove("lit"); });
    cards.forEach(function (c) { c.classList.remove("selected"); });
    if (!card) return;
    card.classList.add("selected");
    var first = null;
    (card.getAttribute("data-lines") || "").split(" ").forEach(function (n) {
      var li = n && document.getElementById("line-" + n);
      if (li) { li.classList.add("lit"); first = first || li; }
    });
    if (first && first.scrollIntoView) first.scrollIntoView({ block: "nearest" });
  }

  function select(i) {
    if (!cards.length) return;
    current = Math.max(0, Math.min(cards.length - 1, i));
    light(cards[current]);
    cards[current].scrollIntoView({ block: "nearest" });
  }

  cards.forEach(function (card, i) {
    card.addEventListener("focusin", function () { current = i; light(card); });
    card.addEventListener("click", function () { current = i; light(card); });
    var text = card.querySelector("textarea.item-text");
    var at = card.querySelector("input.split-at");
    var split = card.querySelector("button.split-button");
    if (text && at && split) {
      split.addEventListener("click", function () {
        if (typeof text.selectionStart === "number" && text.selectionStart > 0) at.value = String(text.selectionStart);
      });
    }
  });

  if (location.hash.indexOf("#item-") === 0) {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var k = cards.indexOf(target);
    if (k >= 0) select(k);
  }

  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) return;
    var key = event.key.toLowerCase();
    if (key === "j") { select(current + 1); event.preventDefault(); }
    else if (key === "k") { select(current - 1); event.preventDefault(); }
    else if (key === "e" && current >= 0) { cards[current].querySelector("input.item-title").focus(); event.preventDefault(); }
    else if (key === "s" && current >= 0) { cards[current].querySelector("textarea.item-text").focus(); event.preventDefault(); }
    else if (key === "n") { var add = document.getElementById("add-from-lines"); if (add) add.click(); event.preventDefault(); }
    else if (key === "f") { var f = document.getElementById("filter-look"); if (f) f.click(); event.preventDefault(); }
  });
})();
