// Progressive enhancement of the moderation queue: the page works without this file
// (its "Apply to the N on this page" button decides on a whole page without ticking).

// "Tick all on this page": ticks or unticks every comment of the page, and shows
// whether some, all or none are ticked.
function enhanceTickAll() {
  const field = document.querySelector("[data-tick-all]");
  if (!field) {
    return;
  }
  const all = field.querySelector("input[type=checkbox]");
  const ticks = () => document.querySelectorAll('input[name="comments"][form="bulk-form"]');
  const reflect = () => {
    const boxes = Array.from(ticks());
    const ticked = boxes.filter((box) => box.checked).length;
    all.checked = boxes.length > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  };
  all.addEventListener("change", () => {
    ticks().forEach((box) => {
      box.checked = all.checked;
    });
  });
  document.addEventListener("change", (event) => {
    if (event.target.matches('input[name="comments"]')) {
      reflect();
    }
  });
  field.hidden = false;
  reflect();
}

document.addEventListener("DOMContentLoaded", enhanceTickAll);
