// The new-note form: choosing a situation type names its rule (modality, deadline) and fills the
// deadline and its argument from the service's anti-manuel, unless the author already wrote their own.
const select = document.querySelector("select[data-situation-type]");
if (select) {
  const day = document.getElementById("proposed_deadline");
  const argument = document.getElementById("proposed_argument");
  const status = document.getElementById("situation-rule");
  const filled = { day: null, argument: null };
  select.addEventListener("change", () => {
    const option = select.selectedOptions[0];
    status.textContent = option?.dataset.rule || "";
    if (!option?.dataset.day) return;
    if (day && (!day.value || day.value === filled.day)) {
      day.value = option.dataset.day;
      filled.day = day.value;
    }
    if (argument && (!argument.value.trim() || argument.value === filled.argument)) {
      argument.value = option.dataset.argument;
      filled.argument = argument.value;
      argument.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
}
