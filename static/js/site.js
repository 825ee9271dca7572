// Progressive enhancement only: every page works without this file.

// A "Copy" button beside each [data-copy-source] (the stable URL and the citation).
function addCopyButtons() {
  document.querySelectorAll("[data-copy-source]").forEach((source) => {
    const labels = source.closest("[data-copy-label]");
    if (!labels || !navigator.clipboard) {
      return;
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = labels.dataset.copyLabel;
    const status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", async () => {
      const text = "value" in source ? source.value : source.textContent.trim();
      try {
        await navigator.clipboard.writeText(text);
        status.textContent = labels.dataset.copiedLabel;
        setTimeout(() => {
          status.textContent = "";
        }, 2500);
      } catch {
        selectContents(source);
      }
    });
    source.after(button, status);
  });
}

function selectContents(element) {
  if ("select" in element) {
    element.select();
    return;
  }
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

// A readonly field selects all of its text on focus, ready to copy by keyboard.
function selectReadonlyOnFocus() {
  document.querySelectorAll("input[readonly][data-copy-source]").forEach((input) => {
    input.addEventListener("focus", () => input.select());
  });
}

document.addEventListener("DOMContentLoaded", () => {
  addCopyButtons();
  selectReadonlyOnFocus();
});
