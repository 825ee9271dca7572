// A work read as one page had its passages at #p214; divided into chapters, the title page
// holds none of them: an address with one goes on to the chapter that holds it (the server
// knows which, by ?at=).
(function () {
  var match = /^#(p\d+)$/.exec(window.location.hash);
  if (!match || document.getElementById(match[1])) {
    return;
  }
  var address = new URL(window.location.href);
  address.hash = "";
  address.searchParams.set("at", match[1]);
  window.location.replace(address.toString());
})();
