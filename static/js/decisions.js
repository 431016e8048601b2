// The decision page: a cite or un-cite refused as bad input answers 400 with the same fragment, its
// Danish errors next to the fields. htmx does not swap 4xx answers by default; let it swap this one.
document.addEventListener("htmx:beforeSwap", function (event) {
  var target = event.detail.target;
  if (event.detail.xhr.status === 400 && target && target.id === "decision-basis") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
