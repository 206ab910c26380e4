// Live updates, as a progressive enhancement. A region of a page marked
//
//   <div id="queue" data-live-region data-live-topics="request offer">...</div>
//
// is redrawn when the server says something it shows has changed: the
// script listens to /live (server-sent events, "change" events with a JSON
// {topic, id}), fetches the same page again and swaps in the region with
// the same id. It never builds HTML itself, so the server's templates stay
// the only source of markup. A visually hidden status line
// (data-live-status) tells screen reader users that the page was updated.
// Without JavaScript, or if /live answers 204 (nothing wired), the page is
// simply as the server sent it.

const quietPeriodMs = 400

export function startLiveUpdates (doc, { url = '/live', EventSourceImpl = globalThis.EventSource } = {}) {
  const regions = Array.from(doc.querySelectorAll('[data-live-region][id]'))
  if (!regions.length || !EventSourceImpl) return null
  const pending = new Set()
  let timer = null

  const source = new EventSourceImpl(url)
  source.addEventListener('change', (event) => {
    let change
    try { change = JSON.parse(event.data) } catch { return }
    for (const region of regions) {
      const topics = (region.dataset.liveTopics || 'all').split(/\s+/)
      if (topics.includes('all') || topics.includes(change.topic)) pending.add(region.id)
    }
    // Several changes in a burst make one refresh.
    clearTimeout(timer)
    timer = setTimeout(() => refresh(doc, pending), quietPeriodMs)
  })
  return source
}

async function refresh (doc, pending) {
  const ids = Array.from(pending)
  pending.clear()
  let fresh
  try {
    // Marked as background: a refresh the page makes by itself is not the
    // person's activity, so it does not keep the session from timing out.
    const response = await fetch(doc.location.href, { headers: { Accept: 'text/html', 'X-Carebroker-Background': '1' }, credentials: 'same-origin' })
    // A redirect to sign-in or an error page is not this page: keep what is shown.
    if (!response.ok || response.redirected) return
    fresh = new DOMParser().parseFromString(await response.text(), 'text/html')
  } catch {
    return
  }
  let updated = 0
  for (const id of ids) {
    const current = doc.getElementById(id)
    const next = fresh.getElementById(id)
    if (!current || !next) continue
    // Do not pull the page from under someone working in the region; try
    // again when they leave it.
    if (current.contains(doc.activeElement) && doc.activeElement !== doc.body) {
      current.addEventListener('focusout', () => { pending.add(id); refresh(doc, pending) }, { once: true })
      continue
    }
    current.replaceChildren(...Array.from(next.childNodes).map((n) => doc.importNode(n, true)))
    updated++
  }
  const status = doc.querySelector('[data-live-status]')
  if (updated && status) {
    status.textContent = 'This page was updated at ' + new Date().toLocaleTimeString('en-GB', { hour: 'numeric', minute: '2-digit' })
  }
}
