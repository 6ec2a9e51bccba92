/* Django's two-box selector (filter_horizontal, SelectFilter2.js) puts an aria-label on a
   plain <span>, the search icon beside each filter box; ARIA allows no name on an element
   without a role (axe: aria-prohibited-attr). As an image, the icon keeps its text, and the
   label it sits in names the filter box as Django meant. SelectFilter2 builds the boxes in
   its own "load" handler, registered before this one: this runs after all of them. */
window.addEventListener("load", function () {
  "use strict";
  window.setTimeout(function () {
    document.querySelectorAll(".selector .search-label-icon[aria-label]:not([role])").forEach(
      function (icon) {
        icon.setAttribute("role", "img");
      }
    );
  }, 0);
});
