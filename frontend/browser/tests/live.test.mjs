// The live-update script: when /live sends a change, the page's live region
// is redrawn from a fresh copy of the page and the update is announced.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, newPage, userOf, homes, signIn } from './lib.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

test('a change event refreshes the live region and announces it', async () => {
  const page = await newPage(browser)
  await signIn(page, userOf('broker'))
  // The test plays the server's side of the stream, so it decides when the
  // change comes (staff.test.mjs follows a real one from the hub).
  let refetches = 0
  page.on('request', (r) => { if (r.url().endsWith(homes.broker.path) && r.headers().accept === 'text/html') refetches++ })
  let marked
  const regionMarked = new Promise((resolve) => { marked = resolve })
  await page.route('**/live', async (route) => {
    await regionMarked // send the change only once the test has marked the region
    await route.fulfill({
      status: 200,
      headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' },
      body: 'retry: 600000\n\nevent: change\ndata: {"topic":"request","id":"r1"}\n\n'
    })
  })
  await page.reload()
  // Make the region (the queue's counts) stale, so the test can see the
  // server's copy replace it.
  await page.locator('#queue .app-counts__number').first().evaluate((el) => { el.textContent = 'stale' })
  marked()
  await page.waitForFunction(() => document.querySelector('[data-live-status]').textContent.startsWith('This page was updated'), null, { timeout: 10000 })
  assert.notEqual(await page.locator('#queue .app-counts__number').first().textContent(), 'stale')
  assert.ok(refetches >= 1, 'the page was fetched again')
  await page.context().close()
})
