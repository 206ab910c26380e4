// The GOV.UK timeout warning, as a progressive enhancement. The server ends
// a session after a period without activity, whatever this script does; the
// script only warns first. A signed-in page carries
//
//   <dialog data-timeout-warning data-ends-in="3600" data-warn-before="300">
//
// (seconds until the session ends, and how long before that to warn). When
// the warning is due, the script asks the server how long the session really
// has (GET /session as JSON, marked as background so that asking is not
// activity: another tab may have kept the session going). If it is about to
// end, the dialog opens with a countdown; "Stay signed in" (or Escape) posts
// the dialog's form to /session/extend, which starts the inactivity clock
// again; "Sign out" signs out. When the countdown ends, the script asks the
// server again and, once the session has really ended, goes to the sign-in
// page, which says why. It never ends a session itself.

const statusUrl = '/session'
const backgroundHeader = { 'X-Carebroker-Background': '1', Accept: 'application/json' }

export function startTimeoutWarning (doc, { fetchImpl = globalThis.fetch } = {}) {
  const dialog = doc.querySelector('dialog[data-timeout-warning]')
  if (!dialog || typeof dialog.showModal !== 'function' || !fetchImpl) return null
  const warnBefore = Number(dialog.dataset.warnBefore) * 1000
  const form = dialog.querySelector('form')
  const countdown = dialog.querySelector('[data-timeout-countdown]')
  const announce = dialog.querySelector('[data-timeout-announce]')
  const stay = dialog.querySelector('[data-timeout-stay]')
  const final = dialog.querySelector('[data-timeout-final]')
  const win = doc.defaultView
  let endsAt = Date.now() + Number(dialog.dataset.endsIn) * 1000
  let timer = null
  let ticker = null
  let lastAnnounced = ''
  let returnFocus = null

  function schedule (at, fn) {
    win.clearTimeout(timer)
    timer = win.setTimeout(fn, Math.max(0, at - Date.now()))
  }

  // status asks the server when the session ends; null when it has ended
  // (the answer is a redirect to sign in) or cannot be had.
  async function status () {
    try {
      const res = await fetchImpl(statusUrl, { headers: backgroundHeader, credentials: 'same-origin', redirect: 'manual' })
      if (res.type === 'opaqueredirect' || res.status === 401 || res.status === 303) return { ended: true }
      if (!res.ok) return null
      return await res.json()
    } catch {
      return null
    }
  }

  function apply (s) {
    endsAt = Date.now() + s.ends_in_seconds * 1000
    if (stay) stay.hidden = !s.extendable
    if (final) final.hidden = s.extendable
  }

  async function warnIfDue () {
    const s = await status()
    if (s && s.ended) return signedOut()
    if (s) apply(s)
    if (endsAt - Date.now() > warnBefore + 1000) {
      close()
      return schedule(endsAt - warnBefore, warnIfDue)
    }
    open()
    schedule(endsAt, checkEnded)
  }

  async function checkEnded () {
    const s = await status()
    if (s && s.ended) return signedOut()
    if (s) apply(s)
    if (endsAt - Date.now() > warnBefore + 1000) {
      close() // another tab kept the session going
      return schedule(endsAt - warnBefore, warnIfDue)
    }
    // Not ended yet by the server's clock, or the server could not be
    // asked: look again shortly.
    schedule(Math.max(endsAt, Date.now()) + 2000, checkEnded)
  }

  function signedOut () {
    close()
    const here = win.location.pathname + win.location.search
    win.location.assign('/sign-in?ended=1&return_to=' + encodeURIComponent(here))
  }

  function words (ms) {
    const seconds = Math.max(0, Math.ceil(ms / 1000))
    if (seconds > 60) {
      const minutes = Math.ceil(seconds / 60)
      return minutes + ' minutes'
    }
    return seconds === 1 ? '1 second' : seconds + ' seconds'
  }

  function tick () {
    const left = endsAt - Date.now()
    const text = words(left)
    if (countdown) countdown.textContent = text
    // Screen readers hear the time left each minute and at 20 seconds,
    // not every second.
    const seconds = Math.ceil(left / 1000)
    const spoken = seconds > 60 ? text : (seconds > 20 ? '1 minute' : (seconds > 0 ? '20 seconds' : ''))
    if (announce && spoken && spoken !== lastAnnounced) {
      lastAnnounced = spoken
      announce.textContent = 'For your security, we will sign you out in ' + spoken + '.'
    }
  }

  function open () {
    if (!dialog.open) {
      returnFocus = doc.activeElement
      lastAnnounced = ''
      dialog.showModal()
      const first = stay && !stay.hidden ? stay : dialog.querySelector('[data-timeout-sign-out]')
      if (first) first.focus()
    }
    tick()
    win.clearInterval(ticker)
    ticker = win.setInterval(tick, 1000)
  }

  function close () {
    win.clearInterval(ticker)
    if (dialog.open) {
      dialog.close()
      if (returnFocus && typeof returnFocus.focus === 'function') returnFocus.focus()
    }
  }

  async function keepAlive () {
    try {
      const res = await fetchImpl(form.action, {
        method: 'POST',
        body: new URLSearchParams(new FormData(form)),
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
        redirect: 'manual'
      })
      if (res.type === 'opaqueredirect' || !res.ok) return signedOut()
      apply(await res.json())
      close()
      schedule(endsAt - warnBefore, warnIfDue)
    } catch {
      // The countdown goes on; the person can try again.
    }
  }

  form.addEventListener('submit', (event) => {
    if (event.submitter && event.submitter.hasAttribute('data-timeout-sign-out')) return // a real sign-out
    event.preventDefault()
    keepAlive()
  })
  // Escape means "stay signed in", as in the GOV.UK pattern.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    if (stay && !stay.hidden) keepAlive()
  })

  schedule(endsAt - warnBefore, warnIfDue)
  return { dialog, keepAlive }
}
