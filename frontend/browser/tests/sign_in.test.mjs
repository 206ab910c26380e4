// Signing in with the keyboard alone, the error summary for a bad sign-in,
// the error pages, and CSRF refusals.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, newPage, userOf, homes, signIn, expectAccessible, screenshot, pathOf } from './lib.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

async function focusedId (page) {
  return page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim())
}

test('a broker signs in with the keyboard alone', async () => {
  const page = await newPage(browser)
  const broker = userOf('broker')
  await page.goto('/sign-in')
  await page.keyboard.press('Tab')
  assert.equal(await focusedId(page), 'Skip to main content', 'the skip link is the first thing to tab to')
  let steps = 0
  while (await focusedId(page) !== 'email') {
    assert.ok(++steps < 10, 'the email field cannot be reached with Tab')
    await page.keyboard.press('Tab')
  }
  await page.keyboard.type(broker.email)
  await page.keyboard.press('Tab')
  assert.equal(await focusedId(page), 'password')
  await page.keyboard.type(broker.password)
  await page.keyboard.press('Enter')
  await page.waitForURL('**' + homes.broker.path)
  assert.equal(pathOf(page), homes.broker.path)
  await page.context().close()
})

test('a wrong password shows the error summary linked to the field', async () => {
  const page = await newPage(browser)
  await signIn(page, { email: userOf('broker').email, password: 'not-the-right-password' })
  assert.equal(pathOf(page), '/sign-in')
  assert.equal(await page.title(), 'Error: Sign in – Carebroker')
  const summary = page.locator('.govuk-error-summary')
  assert.equal(await summary.getByRole('heading').textContent(), 'There is a problem')
  const link = summary.getByRole('link')
  assert.equal(await link.count(), 1)
  assert.equal(await link.getAttribute('href'), '#email')
  // govuk-frontend moves focus to the summary so screen readers announce it.
  assert.ok(await summary.evaluate((el) => el === document.activeElement))
  // The field's own message, announced with the field.
  const email = page.getByLabel('Email address')
  assert.equal(await email.getAttribute('aria-describedby'), 'email-error')
  assert.match(await page.locator('#email-error').textContent(), /Error: Enter an email address and password that match your account/)
  assert.equal(await email.inputValue(), userOf('broker').email, 'the email is kept')
  assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password is not sent back')
  await expectAccessible(page, 'the sign-in page with an error')
  await screenshot(page, 'sign-in-error')
  await link.click()
  assert.equal(await focusedId(page), 'email', 'the summary link moves focus to the field')
  await page.context().close()
})

test('an empty form names both fields', async () => {
  const page = await newPage(browser)
  await page.goto('/sign-in')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForLoadState('load')
  const hrefs = await page.locator('.govuk-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
  assert.deepEqual(hrefs, ['#email', '#password'])
  await page.context().close()
})

test('the error pages are GOV.UK style and accessible', async () => {
  const page = await newPage(browser)
  const missing = await page.goto('/no/such/page')
  assert.equal(missing.status(), 404)
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Page not found')
  await expectAccessible(page, 'the page not found page')
  await screenshot(page, 'not-found')

  await signIn(page, userOf('broker'))
  const forbidden = await page.goto(homes.finance.path)
  assert.equal(forbidden.status(), 403)
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'You do not have access to this page')
  await expectAccessible(page, 'the no access page')
  await screenshot(page, 'forbidden')

  // Signed in, the 404 page keeps the service navigation.
  await page.goto('/no/such/page')
  assert.equal(await page.locator('.govuk-service-navigation__list a').first().textContent(), homes.broker.heading)
  await page.context().close()
})

test('a form sent without its token, or with a wrong one, is refused', async () => {
  const page = await newPage(browser)
  await signIn(page, userOf('finance'))
  assert.equal(pathOf(page), homes.finance.path)

  for (const tamper of ['remove', 'wrong']) {
    await page.goto(homes.finance.path)
    await page.evaluate((how) => {
      const input = document.querySelector('form[action="/sign-out"] input[name="csrf_token"]')
      if (how === 'remove') input.remove()
      else input.value = 'forged-' + input.value
    }, tamper)
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/sign-out') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign out' }).click()
    ])
    assert.equal(response.status(), 403, `sign-out with the token ${tamper}d`)
    await page.waitForLoadState('load')
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sorry, your form could not be sent')
    await expectAccessible(page, 'the form refused page')
    if (tamper === 'remove') await screenshot(page, 'form-refused')
    // The refused sign-out did nothing: still signed in.
    await page.goto(homes.finance.path)
    assert.equal(pathOf(page), homes.finance.path)
  }
  await page.context().close()
})

test('a sign-in form sent without its token is refused', async () => {
  const page = await newPage(browser)
  const admin = userOf('admin')
  await page.goto('/sign-in')
  await page.evaluate(() => document.querySelector('input[name="csrf_token"]').remove())
  await page.getByLabel('Email address').fill(admin.email)
  await page.getByLabel('Password', { exact: true }).fill(admin.password)
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/sign-in') && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Sign in' }).click()
  ])
  assert.equal(response.status(), 403)
  await page.goto(homes.admin.path)
  assert.equal(pathOf(page), '/sign-in', 'not signed in')
  await page.context().close()
})

test('after sign-in, people return to the page they asked for', async () => {
  const page = await newPage(browser)
  await page.goto(homes.practitioner.path + '?tab=reviews')
  assert.equal(pathOf(page), '/sign-in')
  await page.getByLabel('Email address').fill(userOf('practitioner').email)
  await page.getByLabel('Password', { exact: true }).fill(userOf('practitioner').password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL('**' + homes.practitioner.path + '?tab=reviews')
  await page.context().close()
})

test('without JavaScript, signing in and out still works', async () => {
  const context = await browser.newContext({ baseURL: process.env.BASE_URL, javaScriptEnabled: false })
  const page = await context.newPage()
  const approver = userOf('budget_approver')
  await signIn(page, approver)
  assert.equal(pathOf(page), homes.budget_approver.path)
  assert.doesNotMatch(await page.locator('body').getAttribute('class'), /govuk-frontend-supported/)
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.waitForLoadState('load')
  assert.equal(pathOf(page), '/signed-out')
  await context.close()
})

test('on a phone, the navigation folds into a menu that works from the keyboard', async () => {
  const page = await newPage(browser)
  await page.setViewportSize({ width: 375, height: 740 })
  await signIn(page, userOf('admin'))
  const menu = page.getByRole('button', { name: 'Menu' })
  assert.equal(await menu.getAttribute('aria-expanded'), 'false')
  assert.ok(!(await page.getByRole('button', { name: 'Sign out' }).isVisible()))
  await menu.focus()
  await page.keyboard.press('Enter')
  assert.equal(await menu.getAttribute('aria-expanded'), 'true')
  assert.ok(await page.getByRole('button', { name: 'Sign out' }).isVisible())
  await expectAccessible(page, 'the admin home page on a phone')
  await screenshot(page, 'home-admin-phone')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
