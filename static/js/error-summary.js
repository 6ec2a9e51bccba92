// A form's error summary (templates/_form_errors.html): focus moves to it when the page
// opens, so that a screen reader reads it first; each of its links moves focus to the
// field it names and scrolls the field's label (or its group's legend) into view. Without
// JavaScript the links still lead to the fields.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) {
      return;
    }
    event.preventDefault();
    // crispy's wrapper (div_id_...) holds the label or legend above the field.
    var wrapper = field.closest("[id^='div_']") || field;
    wrapper.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
