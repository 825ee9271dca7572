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

  // The reader's place: the passage at the top of the chapter being read, offered on the
  // title page ("Continue at ¶ 214 of Chapter Seven"). A signed-in reader's is sent to the
  // server (edition.places), at most once every few seconds and when the page is left,
  // and never kept in the browser, where the next person at it could find it; an
  // anonymous reader's is kept in this browser only.
  function placeKey(work) {
    return "scholia:place:" + work;
  }

  var SEND_EVERY = 10000;

  function placeSender(work) {
    // Signed in: the header's sign-out form carries the CSRF token (a shared page gets it
    // in the reader's own part).
    var token = document.querySelector(".account-nav-signout [name=csrfmiddlewaretoken]");
    if (!token || !window.fetch) {
      return null;
    }
    var sent = null;
    var wanted = null;
    var last = 0;
    var timer = null;
    function send(keepalive) {
      timer = null;
      if (!wanted || wanted === sent) {
        return;
      }
      sent = wanted;
      last = Date.now();
      window
        .fetch(work + "place/", {
          method: "POST",
          credentials: "same-origin",
          keepalive: keepalive,
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": token.value,
          },
          body: "key=" + encodeURIComponent(wanted),
        })
        .catch(function () {
          sent = null; // offline: tried again with the next place
        });
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        send(true);
      }
    });
    window.addEventListener("pagehide", function () {
      send(true);
    });
    return function (key) {
      wanted = key;
      if (timer === null) {
        timer = window.setTimeout(send, Math.max(0, SEND_EVERY - (Date.now() - last)), false);
      }
    };
  }

  function keepPlace() {
    var chapter = document.querySelector("[data-reading-place]");
    if (!chapter) {
      return;
    }
    var sendPlace = placeSender(chapter.dataset.readingPlace);
    if (!sendPlace && !window.localStorage) {
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
          if (sendPlace) {
            if (/^p\d+$/.test(passage.id)) {
              sendPlace(passage.id);
            }
            return;
          }
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
