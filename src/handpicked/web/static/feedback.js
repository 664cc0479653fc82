// Says in the pick's status line when feedback sent in place (htmx) did not get through.
(function () {
  function note(event, text) {
    var form = event.detail && event.detail.elt && event.detail.elt.closest("[data-noted]");
    var target = form && document.getElementById(form.getAttribute("data-noted"));
    if (target) { target.textContent = text; }
  }
  document.addEventListener("htmx:responseError", function (event) {
    note(event, "That did not work: reload the page and try again.");
  });
  document.addEventListener("htmx:sendError", function (event) {
    note(event, "No connection: try again in a moment.");
  });
})();
