// Polls a certificate batch's progress and updates the page; reloads it once finished,
// so that the download link (or the error) appears. Without JavaScript the page offers
// a link to refresh by hand.
(function () {
  "use strict";
  var root = document.querySelector("[data-batch-progress]");
  if (!root) {
    return;
  }
  var bar = root.querySelector("progress");
  var text = root.querySelector("[data-batch-text]");
  var template = root.getAttribute("data-text-template");
  var issuing = root.getAttribute("data-text-issuing");
  var url = root.getAttribute("data-batch-progress");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (data.finished || data.stalled) {
          window.location.reload();
          return;
        }
        bar.max = Math.max(data.total, 1);
        bar.value = data.done;
        // Until the certificates are issued, there is nothing to count yet.
        text.textContent = data.total
          ? template
              .replace("%(done)s", data.done)
              .replace("%(total)s", data.total)
              .replace("%(state)s", data.state_display)
          : issuing;
        window.setTimeout(poll, 1500);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 1000);
})();
