// Selects the whole text of <input data-select-on-focus> when it gets focus (a link to copy).
(function () {
  "use strict";
  document.querySelectorAll("input[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
})();
