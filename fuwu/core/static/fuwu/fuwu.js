// Small behaviours the pages share, bound here because the Content-Security-Policy allows no inline script.
// A select with data-autosubmit submits its form when it changes (filters that apply at once).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.requestSubmit();
});

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
