// Starts GOV.UK Frontend's components (error summary focus, password
// reveal, service navigation menu, notification banner focus, double-click
// prevention), the live updates and the timeout warning. Pages work without
// this file.
import { initAll } from './govuk-frontend.min.js'
import { startLiveUpdates } from './live.mjs'
import { startTimeoutWarning } from './timeout.mjs'

initAll()
startLiveUpdates(document)
startTimeoutWarning(document)
