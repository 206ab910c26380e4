// Every demo role signs in, lands on its home page, which passes axe with
// no violations, and signs out.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, newPage, users, homes, signIn, expectAccessible, screenshot, pathOf } from './lib.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

test('the demo data has a user for every role with a home page', () => {
  const roles = new Set(users.map((u) => u.role))
  // Provider and client users come with the providers' and brokerage's
  // demo data; staff roles are in the foundation's.
  for (const role of ['broker', 'budget_approver', 'finance', 'admin', 'practitioner']) {
    assert.ok(roles.has(role), `no demo ${role}`)
  }
  for (const role of roles) assert.ok(homes[role], `no home page known for role ${role}`)
})

test('the accessibility check fails on a page with a violation', async () => {
  const page = await newPage(browser)
  await page.goto('/sign-in')
  // An image without a text alternative and an input without a label.
  await page.evaluate(() => {
    document.querySelector('main').insertAdjacentHTML('beforeend', '<img src="/assets/x.png"><input type="text" name="unlabelled">')
  })
  await assert.rejects(expectAccessible(page, 'a broken page'), /image-alt|label/)
  await page.context().close()
})

test('the sign-in page is accessible', async () => {
  const page = await newPage(browser)
  await page.goto('/')
  assert.equal(pathOf(page), '/sign-in')
  assert.equal(await page.title(), 'Sign in – Carebroker')
  assert.equal(await page.locator('html').getAttribute('lang'), 'en-GB')
  await expectAccessible(page, 'the sign-in page')
  await screenshot(page, 'sign-in')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

const seen = new Set()
for (const user of users) {
  // One user per role keeps the run short; every role is covered.
  if (seen.has(user.role)) continue
  seen.add(user.role)
  test(`a ${user.role} signs in, lands on their home page and signs out`, async () => {
    const page = await newPage(browser)
    await signIn(page, user)
    const home = homes[user.role]
    assert.equal(pathOf(page), home.path)
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), home.heading)
    assert.equal(await page.title(), `${home.heading} – Carebroker`)
    // The service navigation shows this role's home as the current page.
    const current = page.locator('.govuk-service-navigation a[aria-current="page"]')
    assert.equal((await current.textContent()).trim(), home.heading)
    // govuk-frontend's JavaScript ran: the module script marked the page.
    assert.match(await page.locator('body').getAttribute('class'), /govuk-frontend-supported/)
    await expectAccessible(page, `the ${user.role} home page`)
    await screenshot(page, `home-${user.role}`)

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForLoadState('load')
    assert.equal(pathOf(page), '/signed-out')
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'You have signed out')
    await expectAccessible(page, 'the signed-out page')

    // The session is over: the home page asks for sign-in again.
    await page.goto(home.path)
    assert.equal(pathOf(page), '/sign-in')
    assert.deepEqual(page.problems, [])
    await page.context().close()
  })
}
