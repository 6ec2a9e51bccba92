/* Names for the admin's autocomplete boxes outside the inlines (those: admin-inline-labels.js).

   Select2 names its box by the current choice only, so an empty box (an add form) has no
   name at all. This puts the field's label first in the box's name: once Django has set up
   Select2 (jQuery's ready, registered before this deferred script), and for each added
   inline row. */
(function () {
  "use strict";

  function nameBoxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      if (!select.id || select.closest("table[data-inline-rows]")) {
        return;
      }
      var label = document.querySelector("label[for='" + select.id + "']");
      var container = select.nextElementSibling;
      var box = container && container.classList.contains("select2")
        ? container.querySelector(".select2-selection[role='combobox']")
        : null;
      if (!label || !box) {
        return;
      }
      if (!label.id) {
        label.id = select.id + "_label";
      }
      var names = (box.getAttribute("aria-labelledby") || "").split(/\s+/).filter(function (id) {
        return id && id !== label.id;
      });
      box.setAttribute("aria-labelledby", [label.id].concat(names).join(" "));
      // The text box inside, which shows the choice, is named by the choice's title only.
      var shown = box.querySelector(".select2-selection__rendered");
      if (shown) {
        shown.setAttribute("aria-labelledby", label.id);
      }
    });
  }

  var jQuery = window.django && window.django.jQuery ? window.django.jQuery : null;
  if (jQuery) {
    jQuery(nameBoxes);
  } else {
    document.addEventListener("DOMContentLoaded", nameBoxes);
  }
  // A row added to a stacked inline brings new boxes (tabular ones: admin-inline-labels.js).
  document.addEventListener("formset:added", nameBoxes);
})();
