/* Copy buttons: any element with data-copy="text" copies that text when clicked. Without
   JavaScript the text sits in a read-only field next to the button, ready to select. */
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-copy]");
  if (!button) return;
  var text = button.getAttribute("data-copy");
  function done() {
    var label = button.textContent;
    button.textContent = "Copied";
    button.setAttribute("data-copied", "true");
    setTimeout(function () { button.textContent = label; }, 2000);
  }
  function fallback() {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "absolute";
    field.style.left = "-9999px";
    document.body.appendChild(field);
    field.select();
    try { document.execCommand("copy"); } catch (e) { /* the field next to the button still has it */ }
    document.body.removeChild(field);
    done();
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, fallback);
  } else {
    fallback();
  }
});
