// One-click tag suggestions on the article form: a suggested (existing) tag is added to the
// tags field as if picked from its autocomplete; saving the form keeps it.
"use strict";
(function () {
  function add(select, button) {
    const id = button.dataset.tagId;
    let option = Array.from(select.options).find((o) => o.value === id);
    if (!option) {
      option = new Option(button.dataset.tagName, id, true, true);
      select.add(option);
    }
    option.selected = true;
    // The autocomplete (select2) redraws on "change"; jQuery handlers hear native events.
    select.dispatchEvent(new Event("change", { bubbles: true }));
    button.disabled = true;
    button.textContent = `✓ ${button.dataset.tagName}`;
  }

  document.addEventListener("DOMContentLoaded", function () {
    for (const panel of document.querySelectorAll(".tag-suggestions")) {
      const select = document.getElementById(panel.dataset.field);
      if (!select) {
        panel.hidden = true; // a read-only form: nothing to add to
        continue;
      }
      panel.addEventListener("click", function (event) {
        const button = event.target.closest("button.tag-suggestion");
        if (button && !button.disabled) add(select, button);
      });
    }
  });
})();
