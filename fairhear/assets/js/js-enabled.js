// Marks the page as having JavaScript, as GOV.UK Frontend expects, before anything is drawn.
// A classic script loaded at the top of <body> (the content security policy allows no inline
// script, so this cannot be written into the page itself).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
