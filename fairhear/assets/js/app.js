// Fairhear's page script, loaded as an ES module on every page (after htmx, which is deferred).
// It starts GOV.UK Frontend's components, and starts them again inside any content that htmx
// swaps in, so that fragments behave like full pages. Everything works without JavaScript.
import { initAll } from "../govuk-frontend.min.js";

initAll();

// htmx fires htmx:load on each element it adds. GOV.UK Frontend looks for components *inside*
// its scope, so start from the parent (the new element may itself be a component). Components
// that are already running refuse to start twice with an InitError, which is expected here.
document.addEventListener("htmx:load", (event) => {
  const added = event.target;
  if (!(added instanceof Element) || added === document.body) {
    return;
  }
  initAll({
    scope: added.parentElement ?? added,
    onError(error) {
      if (error?.name !== "InitError") {
        console.error(error);
      }
    },
  });
});
