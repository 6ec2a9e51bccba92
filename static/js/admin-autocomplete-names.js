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

  // Open, Select2 shows a search box without a name and an expanded combobox without the
  // list it controls (axe: label, aria-required-attr), inline rows included: the search box
  // gets the field's label, the combobox the id of its list while it is open.
  function describeOpen(event) {
    var select = event.target;
    var container = select.nextElementSibling;
    var box = container && container.querySelector(".select2-selection[role='combobox']");
    if (!box) {
      return;
    }
    var results = document.getElementById("select2-" + select.id + "-results");
    if (results) {
      box.setAttribute("aria-controls", results.id);
    }
    var label = document.getElementById((box.getAttribute("aria-labelledby") || "").split(/\s+/)[0]);
    var search = document.querySelector(".select2-container--open .select2-search__field");
    if (label && search) {
      search.setAttribute("aria-label", label.textContent.trim().replace(/:$/, ""));
    }
  }

  function forgetOpen(event) {
    var container = event.target.nextElementSibling;
    var box = container && container.querySelector(".select2-selection[role='combobox']");
    if (box) {
      box.removeAttribute("aria-controls");
    }
  }

  var jQuery = window.django && window.django.jQuery ? window.django.jQuery : null;
  if (jQuery) {
    jQuery(nameBoxes);
    jQuery(document).on("select2:open", describeOpen).on("select2:close", forgetOpen);
  } else {
    document.addEventListener("DOMContentLoaded", nameBoxes);
  }
  // A row added to a stacked inline brings new boxes (tabular ones: admin-inline-labels.js).
  document.addEventListener("formset:added", nameBoxes);
})();
