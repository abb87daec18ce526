// Small enhancements; every page works without them. "/" jumps to the first filter or field of the page.
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName)) return;
  const field = document.querySelector("main input:not([type=hidden]), main select");
  if (field) { event.preventDefault(); field.focus(); }
});
// A refused fix: focus its error so a keyboard or screen-reader user lands on what to correct.
window.addEventListener("DOMContentLoaded", () => {
  const refused = document.querySelector("details[open] .error");
  if (refused) { refused.setAttribute("tabindex", "-1"); refused.focus(); }
});
