// The discussion beside the text: progressive enhancement over htmx. Every page works
// without this file (a link opens the discussion on the reading page; forms post, redirect).
//
// - a paragraph's comment control opens and closes its discussion in the panel beside the
//   text (htmx swaps it in); the open discussion is in the URL (?discussion=<key>), so
//   Back closes it and a shared link opens it (the server renders it then);
// - the quoted phrases of the open discussion are highlighted in its paragraph;
// - forms sent with htmx that come back with errors (400, or 429 when posting too fast)
//   are swapped in place of the form, and focus goes to the first field in error;
// - the server's "commentary:changed" event (HX-Trigger-After-Settle) is announced in the
//   live region, moves focus to the comment just written and updates the margin count
//   (in a reading group's layer, the public count and the group's);
// - new comments by others that the open discussion's poller brings (commentary.pages.live)
//   go into their places in the threads, leaving focus and any form being typed alone; the
//   poller's polite live region says how many came;
// - below 64rem the discussion is a sheet over the page: while it is open the page behind
//   it is inert, so that focus cannot hide under it (WCAG 2.4.11); a page that loads with
//   a discussion open puts focus on its title, and Escape closes it from anywhere;
// - the layer switch (public / a reading group) keeps the open discussion in its links;
// - selecting a phrase in one paragraph offers "Quote and comment"; signed out, the quote
//   waits for the reader to sign in and come back.

(() => {
  "use strict";

  const SOURCES = ".text .block-text, [data-quote-source]";
  const PANEL = "discussion-panel";
  const PARAMETER = "discussion";
  const openers = new WeakMap(); // comment slot -> the action link that filled it
  const pendingQuotes = new Map(); // paragraph key -> quote waiting for its form
  let openBranches = [];
  let invalidFormId = null;

  function liveRegion() {
    return document.getElementById("live-region");
  }

  function announce(message) {
    const region = liveRegion();
    if (!region || !message) {
      return;
    }
    // Emptied first, so that the same message twice is announced twice.
    region.textContent = "";
    window.setTimeout(() => {
      region.textContent = message;
    }, 50);
  }

  function toggleFor(key) {
    return document.querySelector(`[data-discussion-toggle="${CSS.escape(key)}"]`);
  }

  // Opening and closing a paragraph's discussion, in the panel and in the URL

  let restoring = false; // the panel is being filled for Back or Forward: no new entry

  function panel() {
    return document.getElementById(PANEL);
  }

  function openKey() {
    const section = panel() && panel().querySelector("[data-discussion]");
    return section ? section.dataset.discussion : null;
  }

  function urlFor(key, anchor) {
    const url = new URL(window.location.href);
    if (key) {
      url.searchParams.set(PARAMETER, key);
    } else {
      url.searchParams.delete(PARAMETER);
    }
    url.hash = anchor || key || "";
    return url.toString();
  }

  function blockOf(key) {
    const element = key ? document.getElementById(key) : null;
    return element && element.closest(".text") ? element.closest(".block") || element : null;
  }

  // Positions in a wording count code points, as the server and the W3C selectors do; the
  // DOM counts UTF-16 units, two for a character outside the BMP (an emoji, U+1D504).
  function codePointsIn(text) {
    return Array.from(text).length;
  }

  // The UTF-16 offset of the code point at ``points``; null past the end of ``text``.
  function unitsBefore(text, points) {
    let units = 0;
    for (const character of text) {
      if (points === 0) {
        return units;
      }
      points -= 1;
      units += character.length;
    }
    return points === 0 ? units : null;
  }

  // The text of a passage as DOM ranges: the quoted phrases are found in its text nodes.
  function highlightQuotes(key) {
    if (!window.CSS || !CSS.highlights || typeof Highlight === "undefined") {
      return;
    }
    CSS.highlights.delete("discussion-quote");
    const block = blockOf(key);
    const source = block && (block.matches(".block-text") ? block : block.querySelector(".block-text"));
    if (!source) {
      return;
    }
    const nodes = [];
    const walker = document.createTreeWalker(source, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      nodes.push(node);
    }
    const text = nodes.map((node) => node.data).join("");
    function pointAt(offset) {
      for (const node of nodes) {
        if (offset <= node.data.length) {
          return [node, offset];
        }
        offset -= node.data.length;
      }
      return null;
    }
    const ranges = [];
    function mark(at, length) {
      const range = document.createRange();
      range.setStart(...pointAt(at));
      range.setEnd(...pointAt(at + length));
      ranges.push(range);
    }
    // A lost quote is not in this wording: nothing to highlight.
    for (const quote of panel().querySelectorAll(".comment-quote:not(.comment-quote-lost)")) {
      const words = quote.querySelector("p");
      // The quote without its label for screen readers.
      const phrase = words
        ? Array.from(words.childNodes, (node) => (node.nodeType === Node.TEXT_NODE ? node.data : ""))
            .join("")
            .trim()
        : "";
      if (!phrase) {
        continue;
      }
      // The server's place, in code points, is exact where the wording is the one shown.
      const start = Number.parseInt(quote.dataset.quoteStart, 10);
      const end = Number.parseInt(quote.dataset.quoteEnd, 10);
      if (Number.isInteger(start) && Number.isInteger(end)) {
        const from = unitsBefore(text, start);
        const to = unitsBefore(text, end);
        if (from !== null && to !== null && text.slice(from, to) === phrase) {
          mark(from, to - from);
          continue;
        }
      }
      for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
        mark(at, phrase.length);
      }
    }
    if (ranges.length) {
      CSS.highlights.set("discussion-quote", new Highlight(...ranges));
    }
  }

  // Opening or closing the panel narrows or widens the text beside it: the passage being
  // discussed stays where the reader saw it (or is brought into view).
  let place = null;

  function holdPlace(key) {
    const block = blockOf(key);
    place = block ? { block, top: block.getBoundingClientRect().top } : null;
  }

  function restorePlace() {
    if (!place || !place.block.isConnected) {
      place = null;
      return;
    }
    const { block, top } = place;
    place = null;
    if (top >= 0 && top < window.innerHeight) {
      window.scrollBy(0, block.getBoundingClientRect().top - top);
    } else {
      block.scrollIntoView({ block: "start" });
    }
  }

  // Below 64rem (a phone, or a laptop zoomed to 200%) the panel is a sheet covering the
  // page (discussion.css): everything else is made inert while it is open. The live region
  // stays out of it, to be heard.
  const sheet = window.matchMedia("(max-width: 63.99rem)");
  let covered = [];

  function coverPage() {
    uncoverPage();
    const container = panel();
    if (!container || !openKey() || !sheet.matches) {
      return;
    }
    for (let node = container; node.parentElement && node !== document.body; node = node.parentElement) {
      for (const sibling of node.parentElement.children) {
        if (sibling !== node && !sibling.inert && sibling !== liveRegion() && sibling.localName !== "script") {
          sibling.inert = true;
          covered.push(sibling);
        }
      }
    }
  }

  function uncoverPage() {
    for (const element of covered) {
      element.inert = false;
    }
    covered = [];
  }

  sheet.addEventListener("change", coverPage);

  // The page around the panel: which control is expanded, which passage is marked.
  function showOpen(key) {
    for (const toggle of document.querySelectorAll("[data-discussion-toggle]")) {
      toggle.setAttribute("aria-expanded", String(toggle.dataset.discussionToggle === key));
    }
    for (const marked of document.querySelectorAll("[data-discussing]")) {
      marked.removeAttribute("data-discussing");
    }
    const block = blockOf(key);
    if (block) {
      block.setAttribute("data-discussing", "");
    }
    highlightQuotes(key);
    keepInLayerLinks(key);
    coverPage();
  }

  // The layer switch leads to the same page in another layer, with the same discussion open.
  function keepInLayerLinks(key) {
    for (const link of document.querySelectorAll(".layer-switch [data-layer-link]")) {
      const url = new URL(link.href, window.location.href);
      if (!url.pathname.endsWith("/") || url.hash === "#discussion") {
        continue; // the paragraph page's switch: its discussion is part of the page
      }
      if (key) {
        url.searchParams.set(PARAMETER, key);
      } else {
        url.searchParams.delete(PARAMETER);
      }
      url.hash = key || "";
      link.href = url.toString();
    }
  }

  function closeDiscussion({ focus = true, push = true } = {}) {
    const container = panel();
    const key = openKey();
    if (!container || !key) {
      return;
    }
    holdPlace(key);
    container.replaceChildren();
    restorePlace();
    showOpen(null);
    if (push) {
      window.history.pushState({ discussion: null }, "", urlFor(null, key));
    }
    const toggle = toggleFor(key);
    if (focus && toggle) {
      toggle.focus();
    }
  }

  function discussionOpened() {
    const key = openKey();
    restorePlace();
    showOpen(key);
    if (restoring) {
      restoring = false;
    } else if (new URL(window.location.href).searchParams.get(PARAMETER) !== key) {
      window.history.pushState({ discussion: key }, "", urlFor(key));
    }
    panel().querySelector(".discussion-body").scrollTop = 0;
    const quote = pendingQuotes.get(key);
    pendingQuotes.delete(key);
    const form = panel().querySelector("form[data-comment-form]");
    if (quote && form) {
      fillQuote(form, quote);
      return;
    }
    if (quote && keepQuoteForSignIn(panel(), quote)) {
      return;
    }
    const heading = panel().querySelector(".discussion-title");
    if (heading) {
      heading.focus({ preventScroll: true });
    }
  }

  // Back and Forward: the panel follows the URL.
  window.addEventListener("popstate", () => {
    const wanted = new URL(window.location.href).searchParams.get(PARAMETER);
    if (wanted === openKey()) {
      return;
    }
    const toggle = wanted ? toggleFor(wanted) : null;
    if (!toggle) {
      closeDiscussion({ push: false });
      return;
    }
    restoring = true;
    window.htmx.ajax("GET", toggle.getAttribute("data-hx-get"), { source: toggle, target: `#${PANEL}` });
  });

  // A discussion that failed to load leaves the URL and the panel as they were.
  for (const failure of ["htmx:responseError", "htmx:sendError"]) {
    document.addEventListener(failure, () => {
      restoring = false;
      requestedKey = null;
    });
  }

  document.addEventListener("htmx:confirm", (event) => {
    // A second activation of an open discussion's toggle closes it instead of reloading it.
    const toggle = event.detail.elt;
    if (!toggle.matches || !toggle.matches("[data-discussion-toggle]") || restoring) {
      return;
    }
    if (toggle.dataset.discussionToggle === openKey()) {
      event.preventDefault();
      closeDiscussion();
    }
  });

  // Swaps: errors, open branches, comment slots

  let requestedKey = null;

  document.addEventListener("htmx:beforeRequest", (event) => {
    const elt = event.detail.elt;
    const target = event.detail.target;
    if (elt.matches("[data-discussion-toggle]")) {
      requestedKey = elt.dataset.discussionToggle;
    }
    if (elt.matches(".comment-action") && target && target.matches(".comment-slot")) {
      openers.set(target, elt);
    }
  });

  // A comment form sent back with its errors: 400 (or 429, posting too fast) and the form
  // again, to be swapped in place of the one sent.
  function isRefusedForm(detail) {
    const status = detail.xhr.status;
    return (
      (status === 400 || status === 429) &&
      Boolean(detail.target && detail.target.closest("form.comment-form"))
    );
  }

  // In development (DEBUG) django-htmx adds a listener on the document that shows any 400
  // answer as an error page over the whole document. A refused form is an answer for its
  // form, not an error page: it stops here, on the way up, before it reaches the document.
  document.documentElement.addEventListener("htmx:beforeOnLoad", (event) => {
    if (isRefusedForm(event.detail)) {
      event.stopPropagation();
    }
  });

  document.addEventListener("htmx:beforeSwap", (event) => {
    const detail = event.detail;
    if (detail.target.id === PANEL && detail.shouldSwap && requestedKey) {
      holdPlace(requestedKey);
      requestedKey = null;
    }
    if (isRefusedForm(detail)) {
      // The form with its errors: show it, and do not log an error (the reader made none
      // that the console should hear of).
      detail.shouldSwap = true;
      detail.isError = false;
      invalidFormId = detail.target.id;
    }
    if (detail.shouldSwap && detail.target.closest(".discussion")) {
      openBranches = Array.from(
        document.querySelectorAll(".discussion details[open][data-for]"),
        (details) => details.dataset.for,
      );
    }
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.target;
    if (target && target.id === PANEL) {
      discussionOpened();
    }
    if (openBranches.length) {
      for (const key of openBranches) {
        const details = document.querySelector(`details[data-for="${CSS.escape(key)}"]`);
        if (details) {
          details.open = true;
        }
      }
      openBranches = [];
    }
    if (invalidFormId) {
      const form = document.getElementById(invalidFormId);
      invalidFormId = null;
      const first = form && form.querySelector('[aria-invalid="true"], .form-errors');
      if (first) {
        first.focus();
      }
    }
  });

  // A form refused for being blank, then left for another that went through (a reply
  // after a refused new comment, say): its error spoke of an attempt the reader gave up.
  // The new-comment form is left clean, a reply or edit form in a comment's slot closes.
  // A refused form that still holds words keeps its error beside them.
  function clearAbandonedRefusals() {
    for (const form of document.querySelectorAll("form.comment-form")) {
      const body = form.querySelector("textarea");
      const refused = form.querySelector('[aria-invalid="true"], .form-errors');
      if (!body || !refused || body.value.trim()) {
        continue;
      }
      const slot = form.closest(".comment-slot");
      if (slot) {
        slot.replaceChildren();
        continue;
      }
      body.value = "";
      for (const error of form.querySelectorAll(".field-errors, .form-errors")) {
        error.remove();
      }
      for (const field of form.querySelectorAll(".field-invalid")) {
        field.classList.remove("field-invalid");
      }
      for (const element of [form, ...form.querySelectorAll("[aria-describedby]")]) {
        const ids = (element.getAttribute("aria-describedby") || "")
          .split(/\s+/)
          .filter((id) => id && !id.endsWith("-errors"));
        if (ids.length) {
          element.setAttribute("aria-describedby", ids.join(" "));
        } else {
          element.removeAttribute("aria-describedby");
        }
      }
      for (const field of form.querySelectorAll("[aria-invalid]")) {
        field.removeAttribute("aria-invalid");
      }
    }
  }

  document.addEventListener("commentary:changed", (event) => {
    const detail = event.detail;
    announce(detail.message);
    clearAbandonedRefusals();
    for (const id of detail.focus || []) {
      const element = document.getElementById(id);
      if (element) {
        openAncestors(element);
        element.focus();
        break;
      }
    }
    const toggle = toggleFor(detail.paragraph || "");
    if (toggle) {
      toggle.querySelector(".comment-toggle-label").textContent = detail.countLabel;
      toggle.dataset.count = String(detail.count);
      let any = detail.count > 0;
      const layer = toggle.querySelector(".comment-toggle-layer");
      if (layer && typeof detail.layerCount === "number") {
        toggle.dataset.layerCount = String(detail.layerCount);
        // Written there now: nothing waits any more.
        delete toggle.dataset.layerWaiting;
        layer.textContent = detail.layerLabel;
        layer.hidden = !detail.layerLabel;
        toggle.querySelector(".comment-toggle-name").textContent = detail.countName;
        any = any || detail.layerCount > 0;
      }
      toggle.classList.toggle("comment-count", any);
      toggle.classList.toggle("comment-add", !any);
    }
    if (detail.paragraph && detail.paragraph === openKey()) {
      highlightQuotes(detail.paragraph);
    }
  });

  // New comments from the live region's poller: each into its place, nothing else touched.

  function repliesOf(article) {
    const next = article.nextElementSibling;
    if (next && next.matches("ol.replies")) {
      return next;
    }
    if (next && next.matches("details.replies-folded")) {
      return next.querySelector(":scope > ol.replies");
    }
    const replies = document.createElement("ol");
    replies.className = "replies";
    replies.setAttribute("role", "list");
    article.after(replies);
    return replies;
  }

  function placeArrivals(poller) {
    const arrivals = poller.querySelector("template.discussion-live-arrivals");
    if (!arrivals) {
      return;
    }
    let unplaced = 0;
    for (const item of Array.from(arrivals.content.children)) {
      const article = item.querySelector("article.comment");
      if (article && document.getElementById(article.id)) {
        continue; // on screen already: the thread was rendered again since
      }
      let list = null;
      if (item.dataset.liveParent) {
        const parent = document.getElementById(item.dataset.liveParent);
        list = parent && parent.matches("article.comment") ? repliesOf(parent) : null;
      } else if (item.dataset.liveList) {
        list = document.getElementById(item.dataset.liveList);
      }
      if (!list) {
        unplaced += 1;
        continue;
      }
      delete item.dataset.liveParent;
      delete item.dataset.liveList;
      list.append(item);
      window.htmx.process(item);
    }
    arrivals.remove();
    const fallback = poller.querySelector("[data-live-fallback]");
    if (fallback && unplaced) {
      fallback.hidden = false;
    }
    const discussion = poller.closest("[data-discussion]");
    if (discussion && discussion.dataset.discussion === openKey()) {
      highlightQuotes(discussion.dataset.discussion);
    }
  }

  document.addEventListener("htmx:load", (event) => {
    const element = event.target;
    if (element instanceof Element && element.matches(".discussion-live-poller")) {
      placeArrivals(element);
    }
  });

  document.addEventListener("click", (event) => {
    const close = event.target.closest("[data-discussion-close]");
    if (close) {
      // Without JavaScript the link reloads the page without the discussion.
      event.preventDefault();
      closeDiscussion();
      return;
    }
    const cancel = event.target.closest("[data-form-cancel]");
    if (cancel) {
      const slot = cancel.closest(".comment-slot");
      if (slot) {
        event.preventDefault();
        emptySlot(slot);
      }
      // A form on its own page: the link leads back to the thread.
      return;
    }
    const remove = event.target.closest("[data-quote-remove]");
    if (remove) {
      clearQuote(remove.closest("form"));
    }
  });

  function emptySlot(slot) {
    slot.replaceChildren();
    const opener = openers.get(slot);
    if (opener && opener.isConnected) {
      opener.focus();
    }
  }

  // Escape leaves an inline form, then the discussion beside the text.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !(event.target instanceof Element)) {
      return;
    }
    if (dismissQuoteButton(event.target)) {
      event.preventDefault();
      return;
    }
    const slot = event.target.closest(".comment-slot");
    if (slot && slot.childElementCount) {
      event.preventDefault();
      emptySlot(slot);
      return;
    }
    // From anywhere: in the panel, in the text beside it, or with nothing focused.
    if (openKey() && !event.defaultPrevented) {
      event.preventDefault();
      closeDiscussion();
    }
  });

  // The skip link to the open discussion (wide screens) lands on its title.
  document.addEventListener("click", (event) => {
    const skip = event.target.closest("[data-skip-to-discussion]");
    const heading = skip && panel() && panel().querySelector(".discussion-title");
    if (heading) {
      event.preventDefault();
      heading.focus();
    }
  });

  // A permalink into a folded branch opens it.

  function openAncestors(element) {
    for (let details = element.closest("details"); details; ) {
      details.open = true;
      details = details.parentElement ? details.parentElement.closest("details") : null;
    }
  }

  // The comment a URL names (#c12), or the one a permalink page is about.
  function openTargetComment() {
    const comment = /^#c\d+$/.test(window.location.hash)
      ? document.getElementById(window.location.hash.slice(1))
      : document.querySelector(".comment-page .comment-target");
    if (comment) {
      openAncestors(comment);
      comment.scrollIntoView({ block: "start" });
    }
  }

  window.addEventListener("hashchange", openTargetComment);

  // Quote and comment

  let quoteButton = null;
  let selectedQuote = null;

  function sourceOf(node) {
    const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    return element ? element.closest(SOURCES) : null;
  }

  function paragraphKey(source) {
    if (source.dataset.quoteSource) {
      return source.dataset.quoteSource;
    }
    const block = source.id ? source : source.closest("[id]");
    return block ? block.id : "";
  }

  // The selection as offsets into the paragraph's text (its textContent, which is the
  // wording the server keeps), without the spaces at either end; null unless it lies
  // inside one paragraph.
  function selectedPhrase() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount !== 1) {
      return null;
    }
    const range = selection.getRangeAt(0);
    const source = sourceOf(range.startContainer);
    if (!source || source !== sourceOf(range.endContainer)) {
      return null;
    }
    const before = document.createRange();
    before.selectNodeContents(source);
    before.setEnd(range.startContainer, range.startOffset);
    const text = source.textContent;
    let start = before.toString().length;
    let end = start + range.toString().length;
    while (start < end && /\s/.test(text[start])) {
      start += 1;
    }
    while (end > start && /\s/.test(text[end - 1])) {
      end -= 1;
    }
    if (start === end) {
      return null;
    }
    const key = paragraphKey(source);
    if (!key || (!toggleFor(key) && !document.querySelector(`form[data-comment-form="${CSS.escape(key)}"]`))) {
      return null;
    }
    const exact = text.slice(start, end);
    const startPoint = codePointsIn(text.slice(0, start));
    return { source, key, range, exact, start: startPoint, end: startPoint + codePointsIn(exact) };
  }

  function makeQuoteButton() {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "quote-button";
    const region = liveRegion();
    button.textContent = (region && region.dataset.quoteLabel) || "Quote and comment";
    button.hidden = true;
    // Keep the selection when the button is pressed with a pointer.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      if (selectedQuote) {
        quoteAndComment(selectedQuote);
      }
      hideQuoteButton();
    });
    return button;
  }

  function hideQuoteButton() {
    if (quoteButton) {
      quoteButton.hidden = true;
    }
    selectedQuote = null;
  }

  // Escape withdraws the offer, with the selection: without caret browsing a keyboard
  // reader cannot move the selection away, so the button would otherwise stay over the
  // text. Pressed on the button itself, the focus goes to the paragraph's own link.
  function dismissQuoteButton(target) {
    if (!quoteButton || quoteButton.hidden || target.closest(".discussion, .comment-slot")) {
      return false;
    }
    const key = selectedQuote ? selectedQuote.key : "";
    const wasFocused = target === quoteButton;
    hideQuoteButton();
    window.getSelection().removeAllRanges();
    const toggle = wasFocused ? toggleFor(key) : null;
    if (toggle) {
      toggle.focus();
    }
    return true;
  }

  function showQuoteButton(quote) {
    quoteButton = quoteButton || makeQuoteButton();
    selectedQuote = quote;
    // Right after the paragraph in the document, so that Tab from the selection reaches it.
    quote.source.after(quoteButton);
    quoteButton.hidden = false;
    const rects = quote.range.getClientRects();
    const last = rects.length ? rects[rects.length - 1] : quote.range.getBoundingClientRect();
    const parent = quoteButton.offsetParent || document.body;
    const frame = parent.getBoundingClientRect();
    const width = quoteButton.offsetWidth;
    const left = Math.max(0, Math.min(last.right - frame.left - width, frame.width - width));
    quoteButton.style.left = `${left}px`;
    quoteButton.style.top = `${last.bottom - frame.top + 6}px`;
  }

  let selectionTimer = null;
  document.addEventListener("selectionchange", () => {
    window.clearTimeout(selectionTimer);
    selectionTimer = window.setTimeout(() => {
      if (quoteButton && document.activeElement === quoteButton) {
        return;
      }
      const quote = selectedPhrase();
      if (quote) {
        showQuoteButton(quote);
      } else {
        hideQuoteButton();
      }
    }, 120);
  });

  function quoteAndComment(quote) {
    const form = document.querySelector(`form[data-comment-form="${CSS.escape(quote.key)}"]`);
    if (form) {
      fillQuote(form, quote);
      return;
    }
    const toggle = toggleFor(quote.key);
    if (!toggle) {
      return;
    }
    if (openKey() === quote.key) {
      // Open, but without a form (signed out, or comments closed): show why.
      if (keepQuoteForSignIn(panel(), quote)) {
        return;
      }
      const heading = panel().querySelector(".discussion-title");
      if (heading) {
        heading.focus();
      }
      return;
    }
    pendingQuotes.set(quote.key, {
      key: quote.key,
      exact: quote.exact,
      start: quote.start,
      end: quote.end,
    });
    toggle.click();
  }

  // A signed-out reader who chose a phrase to quote: the quote waits in this tab's session
  // storage while they sign in, and fills the form when the sign-in page sends them back to
  // the paragraph (the address ends with its #key).

  const WAITING_QUOTE = "scholia:waiting-quote";
  const WAITING_AT_MOST_MS = 30 * 60 * 1000;

  function keepQuoteForSignIn(discussion, quote) {
    const signIn = discussion.querySelector("[data-sign-in]");
    if (!signIn) {
      return false;
    }
    const waiting = {
      path: window.location.pathname,
      key: quote.key,
      exact: quote.exact,
      start: quote.start,
      end: quote.end,
      at: Date.now(),
    };
    try {
      window.sessionStorage.setItem(WAITING_QUOTE, JSON.stringify(waiting));
    } catch (error) {
      // Storage refused (a privacy setting): the reader signs in without the quote.
      signIn.focus();
      return true;
    }
    const note = discussion.querySelector("[data-quote-waiting]");
    if (note) {
      note.querySelector("[data-quote-text]").textContent = quote.exact;
      note.hidden = false;
    }
    signIn.focus();
    return true;
  }

  function takeWaitingQuote() {
    let waiting = null;
    try {
      waiting = JSON.parse(window.sessionStorage.getItem(WAITING_QUOTE) || "null");
    } catch (error) {
      return null;
    }
    if (!waiting) {
      return null;
    }
    const stale = !(Date.now() - waiting.at < WAITING_AT_MOST_MS);
    const here =
      waiting.path === window.location.pathname && window.location.hash === `#${waiting.key}`;
    if (stale || here) {
      window.sessionStorage.removeItem(WAITING_QUOTE);
    }
    return here && !stale ? waiting : null;
  }

  function fillQuote(form, quote) {
    form.querySelector('[name="quote_exact"]').value = quote.exact;
    form.querySelector("[data-quote-start]").value = String(quote.start);
    form.querySelector("[data-quote-end]").value = String(quote.end);
    form.querySelector("[data-quote-text]").textContent = quote.exact;
    form.querySelector("[data-quote-preview]").hidden = false;
    form.querySelector("[data-quote-manual]").hidden = true;
    form.querySelector('textarea[name="body"]').focus();
  }

  function clearQuote(form) {
    if (!form) {
      return;
    }
    const manual = form.querySelector("[data-quote-manual]");
    form.querySelector('[name="quote_exact"]').value = "";
    form.querySelector("[data-quote-start]").value = "";
    form.querySelector("[data-quote-end]").value = "";
    form.querySelector("[data-quote-text]").textContent = "";
    form.querySelector("[data-quote-preview]").hidden = true;
    manual.hidden = false;
    manual.querySelector("input").focus();
  }

  // A phrase typed by hand has no offsets: the server finds it.
  document.addEventListener("input", (event) => {
    if (event.target.matches('[data-quote-manual] input[name="quote_exact"]')) {
      const form = event.target.form;
      form.querySelector("[data-quote-start]").value = "";
      form.querySelector("[data-quote-end]").value = "";
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    // Opened by the server (?discussion=<key>): the page around it says so too.
    showOpen(openKey());
    openTargetComment();
  });

  // After load, once the browser has scrolled to the #key the sign-in page sent the reader
  // back to: focus given earlier does not survive that.
  // A page that opens with a discussion (a shared link, the toggle without script, the
  // way back from signing in) starts focus on its title, not on the passage behind it.
  window.addEventListener("load", () => {
    const waiting = takeWaitingQuote();
    if (waiting) {
      quoteAndComment(waiting);
      return;
    }
    if (!openKey()) {
      return;
    }
    // A comment the address names (#c12) takes the focus; else the discussion's title.
    const named = /^#c\d+$/.test(window.location.hash)
      ? panel().querySelector(window.location.hash)
      : null;
    const target = named || panel().querySelector(".discussion-title");
    if (target) {
      target.focus({ preventScroll: true });
    }
  });
})();
