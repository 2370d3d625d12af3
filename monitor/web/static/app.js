// Copy buttons for the case page's drafts and letters. Loaded as a file: the CSP allows no
// inline script. A letter is a textarea: copy what the user has typed, not the original text.
"use strict";
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-copy]");
  if (!button) { return; }
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source) { return; }
  var editable = source.tagName === "TEXTAREA";
  var text = editable ? source.value : source.textContent;
  function done() {
    button.textContent = "Copied";
    setTimeout(function () { button.textContent = "Copy"; }, 2000);
  }
  function fallback() {
    if (editable) { source.focus(); source.select(); } else { selectText(source); }
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, fallback);
  } else {
    fallback();
  }
});

function selectText(node) {
  var range = document.createRange();
  range.selectNodeContents(node);
  var selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}
