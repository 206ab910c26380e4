// Loaded first thing in <body>, as GOV.UK Frontend's page template does
// inline (the Content Security Policy here allows no inline script): marks
// the page as having JavaScript, and as able to run GOV.UK Frontend's
// components (browsers that support ES modules).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')
