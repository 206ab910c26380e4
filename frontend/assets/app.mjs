// Starts GOV.UK Frontend's components (error summary focus, password
// reveal, service navigation menu, notification banner focus, double-click
// prevention) and the live updates. Pages work without this file.
import { initAll } from './govuk-frontend.min.js'
import { startLiveUpdates } from './live.mjs'

initAll()
startLiveUpdates(document)
