// Marks the page as having JavaScript before GOV.UK Frontend initialises
// (kept out of the HTML so that the Content Security Policy needs no inline script).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
