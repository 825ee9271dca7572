// The pages of a work divided into chapters.
(function () {
  "use strict";

  // A work read as one page had its passages at #p214; the title page holds none of them:
  // an address with one goes on to the chapter that holds it (the server knows which).
  function leaveOldAnchor() {
    var match = /^#(p\d+)$/.exec(window.location.hash);
    if (!match || document.getElementById(match[1])) {
      return false;
    }
    var address = new URL(window.location.href);
    address.hash = "";
    address.searchParams.set("at", match[1]);
    window.location.replace(address.toString());
    return true;
  }

  // The contents' column opens on the chapter being read, and marks the section the
  // reader is in as they scroll.
  function followReading() {
    var column = document.querySelector(".toc-chapters");
    var current = column && column.querySelector(".contents-chapter.is-current");
    if (!current) {
      return;
    }
    column.scrollTop = Math.max(0, current.offsetTop - column.offsetTop - 48);
    if (!("IntersectionObserver" in window)) {
      return;
    }
    var links = {};
    document.querySelectorAll(".contents-chapter.is-current .contents-sections a").forEach(
      function (link) {
        var key = link.hash.slice(1);
        (links[key] = links[key] || []).push(link);
      }
    );
    var headings = Object.keys(links)
      .map(function (key) {
        return document.getElementById(key);
      })
      .filter(Boolean);
    var marked = null;
    var observer = new IntersectionObserver(
      function () {
        // The section read is the last whose heading has passed the top third.
        var reading = null;
        var line = window.innerHeight / 3;
        headings.forEach(function (heading) {
          if (heading.getBoundingClientRect().top <= line) {
            reading = heading;
          }
        });
        var found = reading ? links[reading.id] : null;
        if (found === marked) {
          return;
        }
        (marked || []).forEach(function (link) {
          link.removeAttribute("aria-current");
        });
        (found || []).forEach(function (link) {
          link.setAttribute("aria-current", "location");
        });
        marked = found;
      },
      { rootMargin: "0px 0px -66% 0px" }
    );
    headings.forEach(function (heading) {
      observer.observe(heading);
    });
  }

  // The reader's place, kept in this browser: the passage at the top of the chapter being
  // read, offered on the title page ("Continue at ¶ 214 of Chapter Seven").
  function placeKey(work) {
    return "scholia:place:" + work;
  }

  function keepPlace() {
    var chapter = document.querySelector("[data-reading-place]");
    if (!chapter || !window.localStorage) {
      return;
    }
    var bar = document.querySelector(".chapter-bar");
    var numbers = document.querySelectorAll("article.text .block-number");
    var pending = false;
    function note() {
      pending = false;
      var top = bar ? bar.getBoundingClientRect().bottom : 0;
      for (var i = 0; i < numbers.length; i += 1) {
        var block = numbers[i].parentElement;
        if (block.getBoundingClientRect().bottom > top + 8) {
          var passage = block.querySelector("[id^=p]") || block;
          var number = numbers[i].textContent.replace(/\D+/g, " ").trim().split(" ")[0];
          try {
            window.localStorage.setItem(
              placeKey(chapter.dataset.readingPlace),
              JSON.stringify({
                url: window.location.pathname + window.location.search.replace(/[?&]discussion=[^&]*/, ""),
                key: passage.id,
                number: number,
                chapter: chapter.dataset.chapterTitle,
              })
            );
          } catch (error) {
            // Storage full or refused: the place is simply not kept.
          }
          return;
        }
      }
    }
    window.addEventListener(
      "scroll",
      function () {
        if (!pending) {
          pending = true;
          window.setTimeout(note, 400);
        }
      },
      { passive: true }
    );
    note();
  }

  function offerPlace() {
    var offer = document.querySelector("[data-place-offer]");
    if (!offer || !window.localStorage) {
      return;
    }
    var place = null;
    try {
      place = JSON.parse(window.localStorage.getItem(placeKey(offer.dataset.placeOffer)));
    } catch (error) {
      return;
    }
    if (!place || !place.url || !/^p\d+$/.test(place.key || "")) {
      return;
    }
    var link = offer.querySelector("a");
    link.href = place.url + "#" + place.key;
    link.textContent = offer.dataset.placeText
      .replace("%(passage)s", place.number ? "¶ " + place.number : "")
      .replace("%(chapter)s", place.chapter || "");
    offer.hidden = false;
  }

  if (document.querySelector(".title-page")) {
    if (leaveOldAnchor()) {
      return;
    }
    offerPlace();
    return;
  }
  followReading();
  keepPlace();
})();
