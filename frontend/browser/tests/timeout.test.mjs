// The GOV.UK timeout warning. The browser's clock is Playwright's, moved on
// by the test; the server's is real, so the test answers the dialog's
// "how long is left?" question itself (as the server would 55 minutes in)
// and lets "Stay signed in" reach the real server.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, newPage, userOf, homes, signIn, expectAccessible, screenshot, pathOf, baseURL } from './lib.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

const dialogName = 'You’re about to be signed out'

// answerStatus makes GET /session (the dialog's question) answer as given,
// counting the questions in page.asked; every other request, and the POST
// that extends the session, are real.
async function answerStatus (page, answer) {
  page.asked ??= 0
  await page.unroute('**/session')
  await page.route('**/session', (route) => {
    if (route.request().method() !== 'GET') return route.continue()
    page.asked++
    return route.fulfill(answer)
  })
}

// settle gives the page a moment to deal with what it was answered (the
// page's own timers are Playwright's, so this waits on the test's side).
async function settle (page) {
  await page.waitForTimeout(300)
  await page.evaluate(() => 0)
}

test('55 minutes without activity opens the warning; "Stay signed in" keeps the session', async () => {
  const page = await newPage(browser)
  page.setDefaultTimeout(10000)
  await page.clock.install()
  const admin = userOf('admin')
  await signIn(page, admin)
  assert.equal(pathOf(page), homes.admin.path)
  const dialog = page.getByRole('dialog', { name: dialogName })
  assert.equal(await dialog.isVisible(), false, 'the dialog is shown before it is due')

  // Another tab kept the session going: the check says so, no dialog
  // opens, and the next check is due 5 minutes before the new end.
  await answerStatus(page, { json: { ends_in_seconds: 3000, extendable: true } })
  await page.clock.runFor('54:50')
  assert.equal(page.asked, 0, 'the dialog asked before 55 minutes')
  const asked = page.waitForResponse((r) => new URL(r.url()).pathname === '/session')
  await page.clock.runFor('00:20')
  await asked
  await settle(page)
  assert.equal(page.asked, 1)
  assert.equal(await dialog.isVisible(), false, 'the dialog opened although the server said 50 minutes were left')

  // Now the server says four minutes are left.
  await answerStatus(page, { json: { ends_in_seconds: 240, extendable: true } })
  await page.clock.runFor('44:30')
  await settle(page)
  assert.equal(page.asked, 1, 'the dialog asked again before the new warning time')
  await page.clock.runFor('00:40')
  await dialog.waitFor()
  assert.equal(page.asked, 2)
  assert.match(await dialog.textContent(), /For your security, we will sign you out in 4 minutes\./)
  const stay = dialog.getByRole('button', { name: 'Stay signed in' })
  assert.ok(await stay.evaluate((el) => el === document.activeElement), 'focus is not on "Stay signed in"')
  await expectAccessible(page, 'the timeout warning')
  await screenshot(page, 'timeout-warning')
  await page.clock.runFor('03:10')
  assert.match(await dialog.textContent(), /sign you out in \d+ seconds\./, 'the countdown did not reach seconds')

  const extended = page.waitForResponse((r) => r.url().endsWith('/session/extend'))
  await stay.click()
  const answer = await extended
  assert.equal(answer.status(), 200)
  assert.equal((await answer.json()).ends_in_seconds, 3600)
  await dialog.waitFor({ state: 'hidden' })
  assert.equal(pathOf(page), homes.admin.path, 'staying signed in left the page')
  await page.context().close()
})

test('when the session has ended the page goes to sign in, which says why', async () => {
  const page = await newPage(browser)
  page.setDefaultTimeout(10000)
  await page.clock.install()
  await signIn(page, userOf('admin'))
  await answerStatus(page, { json: { ends_in_seconds: 60, extendable: true } })
  await page.clock.runFor('55:10')
  await page.getByRole('dialog', { name: dialogName }).waitFor()
  // The server ends the session (here: the cookie goes) and says so.
  await page.context().clearCookies()
  await answerStatus(page, { status: 401, body: '' })
  await page.clock.runFor('01:10')
  await page.waitForURL('**/sign-in?ended=1&return_to=%2Fadmin')
  await page.getByText('You have been signed out').waitFor()
  await page.context().close()
})

test('without JavaScript every page says when the session ends', async () => {
  const context = await browser.newContext({ baseURL, locale: 'en-GB', timezoneId: 'Europe/London', javaScriptEnabled: false })
  const page = await context.newPage()
  await signIn(page, userOf('admin'))
  assert.equal(pathOf(page), homes.admin.path)
  const notice = page.locator('[data-session-notice]')
  assert.match(await notice.textContent(), /We will sign you out if you do nothing for 60 minutes: at \d{1,2}(:\d\d)?(am|pm) if you stay on this page\./)
  assert.equal(await page.getByRole('dialog').count(), 0, 'a dialog is shown without JavaScript')
  await notice.getByRole('link', { name: 'Check or extend your session' }).click()
  assert.equal(pathOf(page), '/session')
  await page.getByRole('button', { name: 'Stay signed in' }).click()
  assert.equal(pathOf(page), homes.admin.path)
  await page.getByText('You are still signed in').waitFor()
  await context.close()
})
