// Live character and word counts under the headline, standfirst and body.
"use strict";
(function () {
  function words(text) {
    const trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  function attach(field, source, describe) {
    const row = field.closest(".form-row") || field.parentElement;
    const output = document.createElement("div");
    output.className = "help live-count";
    output.setAttribute("aria-live", "polite");
    row.appendChild(output);
    const update = () => { output.textContent = describe(source()); };
    update();
    return update;
  }

  document.addEventListener("DOMContentLoaded", function () {
    for (const id of ["id_headline", "id_dek"]) {
      const field = document.getElementById(id);
      if (!field) continue;
      const update = attach(field, () => field.value, (text) => `${text.length} characters, ${words(text)} words`);
      field.addEventListener("input", update);
    }
    const body = document.getElementById("id_body");
    if (!body) return;
    const editorText = () => {
      const editor = body.parentElement.querySelector(".ProseMirror[contenteditable=true]");
      return editor ? editor.innerText : body.value.replace(/<[^>]*>/g, " ");
    };
    const update = attach(body, editorText, (text) => `${words(text)} words`);
    body.parentElement.addEventListener("input", update);
    body.parentElement.addEventListener("keyup", update);
  });
})();
