// Keyboard shortcuts on the lists of stories (today's picks, all stories, saved), and the
// read / saved buttons sent in place. Every key has a button or a link that does the same
// without JavaScript; this only makes them quicker.
//
// j / k next / previous story · o or Enter open it here · v open the original · s save or
// unsave · m mark read or unread · + / - more or less like this · / search · ? the keys
//
// One Tab stop per story: its headline link. Its other links and buttons leave the Tab order
// (the keys above reach them; a screen reader still finds them); without JavaScript every
// one of them is a Tab stop, as before.
(function () {
  "use strict";
  var cards = Array.prototype.slice.call(document.querySelectorAll("[data-card]"));
  var help = document.getElementById("keys-help");
  var current = -1;
  var FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  var PRIMARY = "h2 a[href]";  // a story's headline: its one Tab stop, what o and Enter open

  function others(card) {
    var primary = card.querySelector(PRIMARY);
    return Array.prototype.filter.call(card.querySelectorAll(FOCUSABLE), function (el) {
      return el !== primary;
    });
  }

  function leaveTabOrder(card) {
    others(card).forEach(function (el) { el.setAttribute("tabindex", "-1"); });
  }

  function select(index, focus) {
    if (index < 0 || index >= cards.length) { return; }
    if (current >= 0 && current !== index) { cards[current].classList.remove("current"); }
    current = index;
    var card = cards[index];
    card.classList.add("current");
    if (focus) {
      var link = card.querySelector(PRIMARY);
      if (link) { link.focus(); }
      card.scrollIntoView({block: "nearest"});
    }
  }

  function say(card, text) {
    var status = card.querySelector("[role=status]");
    if (status) { status.textContent = text; }
  }

  function showState(card, state) {
    card.classList.toggle("is-read", state.read);
    var mark = card.querySelector("[data-read-mark]");
    if (mark) { mark.textContent = state.read ? "Read" : ""; }
    var saved = card.querySelector("[data-saved-mark]");
    if (saved) { saved.textContent = state.saved ? " · Saved" : ""; }
    card.querySelectorAll("form[data-reading]").forEach(function (form) {
      var kind = form.getAttribute("data-reading");
      var on = kind === "read" ? state.read : state.saved;
      var input = form.querySelector("input[name=" + kind + "]");
      if (input) { input.value = on ? "0" : "1"; }
      var button = form.querySelector("button");
      if (button && button.firstChild) {
        var words = kind === "read" ? ["Mark unread", "Mark read"] : ["Unsave", "Save for later"];
        button.firstChild.nodeValue = on ? words[0] : words[1];
      }
    });
  }

  function countUnread(change) {
    var count = document.querySelector("[data-unread-count]");
    if (count) { count.textContent = String(Math.max(0, Number(count.textContent) + change)); }
  }

  function send(form) {
    var card = form.closest("[data-card]") || document.querySelector("[data-reading-page]");
    var wasRead = card ? card.classList.contains("is-read") : false;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: {"Accept": "application/json"},
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (state) {
      if (!card) { return; }
      showState(card, state);
      if (state.read !== wasRead) { countUnread(state.read ? -1 : 1); }
      say(card, state.said);
    }).catch(function () {
      if (card) { say(card, "That did not work: reload the page and try again."); }
    });
  }

  function feedback(card, kind) {
    var input = card.querySelector("form[action$='/feedback'] input[name=kind][value=" + kind + "]");
    var form = input && input.form;
    if (form) { form.requestSubmit(); }
  }

  function openCard(card) {
    var link = card.querySelector(PRIMARY);
    if (!link) { return; }
    card.classList.add("is-read");
    window.location.href = link.href;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-reading")) {
      event.preventDefault();
      send(form);
    }
  });

  cards.forEach(function (card, index) {
    leaveTabOrder(card);
    card.addEventListener("focusin", function () { select(index, false); });
    var link = card.querySelector(PRIMARY);
    if (link) { link.addEventListener("click", function () { card.classList.add("is-read"); }); }
  });

  function typing(target) {
    if (!(target instanceof HTMLElement)) { return false; }
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target)) { return; }
    if (help && help.open) {
      if (event.key === "?") { help.close(); event.preventDefault(); }
      return;
    }
    var key = event.key;
    var card = current >= 0 ? cards[current] : null;
    if (key === "j") { select(current < 0 ? 0 : Math.min(current + 1, cards.length - 1), true); }
    else if (key === "k") { select(Math.max(current - 1, 0), true); }
    else if (key === "?") { if (help) { help.showModal(); } }
    else if (key === "/") {
      var search = document.querySelector("input[type=search]");
      if (!search) { return; }
      search.focus();
    }
    else if (!card) { return; }
    else if (key === "o") { openCard(card); }
    else if (key === "Enter") {
      // On a link or a button, Enter does what it always does.
      var on = document.activeElement;
      if (on && on !== document.body && on !== card && on.matches(FOCUSABLE)) { return; }
      openCard(card);
    }
    else if (key === "v") {
      var url = card.getAttribute("data-original");
      if (!url) { return; }
      window.open(url, "_blank", "noopener");
    }
    else if (key === "s" || key === "m") {
      var form = card.querySelector("form[data-reading=" + (key === "s" ? "saved" : "read") + "]");
      if (!form) { return; }
      send(form);
    }
    else if (key === "+" || key === "=") { feedback(card, "more"); }
    else if (key === "-") { feedback(card, "less"); }
    else { return; }
    event.preventDefault();
  });
})();
