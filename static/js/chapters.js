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

  if (document.querySelector(".title-page") && leaveOldAnchor()) {
    return;
  }
  followReading();
})();
