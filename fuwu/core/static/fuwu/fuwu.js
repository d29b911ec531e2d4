// Small behaviours the pages share, bound here because the Content-Security-Policy allows no inline script.
// A select with data-autosubmit submits its form when it changes (filters that apply at once).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.requestSubmit();
});
