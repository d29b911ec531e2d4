// Small behaviours the pages share, bound here because the Content-Security-Policy allows no inline script.
// A select with data-autosubmit submits its form when it changes (filters that apply at once).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.requestSubmit();
});
// A form with data-ctrl-enter submits on Ctrl+Enter (or ⌘+Enter) from any of its fields. (htmx's own
// trigger filters, `keydown[ctrlKey&&...]`, are evaluated as code, which the CSP rightly forbids.)
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
  const form = event.target.closest && event.target.closest("form[data-ctrl-enter]");
  if (form) { event.preventDefault(); form.requestSubmit(); }
});
// A table wider than its frame scrolls sideways: give the frame keyboard focus and a name, so it can be
// scrolled without a mouse (WCAG 2.1.1; axe's scrollable-region-focusable). Checked again after HTMX swaps.
function fuwuScrollableRegions(root) {
  (root || document).querySelectorAll(".table-responsive").forEach((frame) => {
    if (frame.scrollWidth <= frame.clientWidth || frame.hasAttribute("tabindex")) return;
    frame.setAttribute("tabindex", "0");
    frame.setAttribute("role", "region");
    const caption = frame.closest(".card, .data-table, section");
    const heading = caption && caption.querySelector("h2, h3, .data-table-caption");
    frame.setAttribute("aria-label", heading ? heading.textContent.trim() : document.title);
  });
}
fuwuScrollableRegions();
document.addEventListener("htmx:afterSettle", (event) => fuwuScrollableRegions(event.target));
window.addEventListener("resize", () => fuwuScrollableRegions());

// A person picker with data-filter-by="to_group" offers only the members of the group chosen in
// that field of its form (each option names its group in data-group); a hidden choice is cleared.
function filterMembers(people) {
  const groups = people.form && people.form.querySelector(`select[name$="${people.dataset.filterBy}"]`);
  if (!groups) return;
  for (const option of people.options) {
    const other = Boolean(option.dataset.group && groups.value && option.dataset.group !== groups.value);
    option.hidden = other;
    option.disabled = other;
  }
  if (people.selectedOptions[0] && people.selectedOptions[0].disabled) people.value = "";
}
document.addEventListener("change", (event) => {
  const form = event.target.form;
  if (form) form.querySelectorAll("select[data-filter-by]").forEach(filterMembers);
});
document.addEventListener("htmx:load", (event) => {
  event.detail.elt.querySelectorAll("select[data-filter-by]").forEach(filterMembers);
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-filter-by]").forEach(filterMembers);
});

// A form that opens in place (a collapse in #action-forms) takes the focus at its first field.
document.addEventListener("shown.bs.collapse", (event) => {
  const field = event.target.querySelector("textarea, input:not([type=hidden]), select");
  if (field) field.focus();
});
