/* Names for the controls of the admin's tabular inlines (templates/admin/edit_inline/tabular.html).

   Each cell has a visually hidden label "<column> – Zeile n". Django renumbers the labels'
   "for" and "id" when a row is added; this renumbers their text ("neue Zeile" becomes
   "Zeile 4") and adds the label to the name of an autocomplete box, which Select2 names by
   its current value only (nothing in a new row). Loaded once per inline; runs once. */
(function () {
  "use strict";
  if (window.mentoringInlineLabels) {
    return;
  }
  window.mentoringInlineLabels = true;

  function numberRows() {
    document.querySelectorAll("table[data-inline-rows]").forEach(function (table) {
      var template = table.getAttribute("data-inline-rows");
      var number = 0;
      table.querySelectorAll("tbody > tr.form-row").forEach(function (row) {
        if (row.classList.contains("empty-form")) {
          return;
        }
        number += 1;
        row.querySelectorAll("[data-inline-row]").forEach(function (span) {
          span.textContent = template.replace("{n}", String(number));
        });
      });
    });
  }

  function nameAutocompletes() {
    document.querySelectorAll("table[data-inline-rows] label[data-inline-label]").forEach(function (label) {
      var cell = label.closest("td");
      var box = cell && cell.querySelector(".select2-selection[role='combobox']");
      if (!box || !label.id) {
        return;
      }
      var names = (box.getAttribute("aria-labelledby") || "").split(/\s+/).filter(function (id) {
        return id && id.slice(-6) !== "_label";
      });
      box.setAttribute("aria-labelledby", [label.id].concat(names).join(" "));
      // The text box inside, which shows the choice, is named by the choice's title only.
      var shown = box.querySelector(".select2-selection__rendered");
      if (shown) {
        shown.setAttribute("aria-labelledby", label.id);
      }
    });
  }

  function refresh() {
    numberRows();
    nameAutocompletes();
  }

  // After Django's own handlers: Select2 is set up in jQuery's ready and on "formset:added",
  // both registered before this script runs.
  var ready = window.django && window.django.jQuery ? window.django.jQuery : null;
  if (ready) {
    ready(refresh);
  } else {
    document.addEventListener("DOMContentLoaded", refresh);
  }
  document.addEventListener("formset:added", refresh);
  document.addEventListener("formset:removed", refresh);
})();
