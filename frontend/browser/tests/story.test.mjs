// The whole story across roles, through the pages, on a request of its
// own: a plan signed off through the API (as the case system would) for
// Rose Whitfield; the broker matches and invites; an administrator gives
// the invited provider and Rose accounts; the provider offers (with the
// keyboard alone, after the error summary); Rose compares the offers,
// chooses and agrees the start date; finance acknowledges the agreement.
// Every page visited passes axe with no violations.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, newPage, userOf, signIn, expectAccessible, screenshot, pathOf, api, apiToken, isoDay } from './lib.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

async function storyPage () {
  const page = await newPage(browser)
  page.setDefaultTimeout(10000)
  return page
}

const story = { person: 'Rose Whitfield', password: 'a-long-story-password' }
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

test('the broker matches Rose\'s request and invites the best-placed provider', async () => {
  const prac = await apiToken(userOf('practitioner'))
  const person = await api('POST', '/api/v1/persons', prac, {
    name: story.person, date_of_birth: '1940-02-11', address: '8 Flixton Road, Urmston', postcode: 'M41 5AN',
    latitude: 53.4465, longitude: -2.3528, representative_name: 'Joe Whitfield (grandson)'
  })
  const plan = await api('POST', '/api/v1/plans', prac, {
    person_id: person.id, personal_budget_weekly_pence: 32000,
    needs: [{ outcome: 'Get up, washed and dressed each morning, and a hot meal at lunchtime', how_met: 'council_arranged',
      weekly_budget_pence: 32000, service_type: 'homecare', hours_per_week: 10, start_date: isoDay(14), urgency: 'standard',
      preferences: { language: 'English', carer_gender: 'female', important_to_them: 'Her morning walk to the park' } }]
  })
  const signed = await api('POST', `/api/v1/plans/${plan.id}/sign-off`, prac)
  story.request = signed.requests[0]

  const page = await storyPage()
  await signIn(page, userOf('broker'))
  await page.goto(`/broker/requests/${story.request.id}`)
  await page.getByRole('button', { name: 'Find providers' }).click()
  await page.waitForURL(/#match$/)
  const box = page.locator('input[name="service_ids"]').first()
  await box.check()
  story.serviceID = await box.getAttribute('value')
  await page.getByRole('button', { name: 'Invite the chosen providers' }).click()
  await page.waitForURL(/#responses$/)
  assert.match(await page.locator('.govuk-notification-banner--success').textContent(), /Invited 1 provider/)
  const match = await api('GET', `/api/v1/requests/${story.request.id}/match`, await apiToken(userOf('broker')))
  story.providerName = match.ranked.find((s) => s.service_id === story.serviceID).provider_name
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('an administrator gives the provider and Rose their accounts', async () => {
  const admin = await storyPage()
  await signIn(admin, userOf('admin'))
  const stamp = Date.now()
  story.carer = { email: `offers.${stamp}@provider.example`, password: story.password }
  story.rose = { email: `rose.${stamp}@people.example`, password: story.password }
  for (const [who, name, role, field, value] of [
    [story.carer, 'Priya Provider', 'Care provider', 'Provider organisation', story.providerName],
    [story.rose, story.person, 'Person receiving care, or their representative', 'Person', story.person]
  ]) {
    await admin.goto('/admin/users/new')
    await admin.getByLabel('Full name').fill(name)
    await admin.getByLabel('Email address').fill(who.email)
    await admin.getByLabel(role).check()
    await admin.getByLabel(field, { exact: true }).fill(value)
    await admin.getByLabel('Temporary password', { exact: true }).fill(who.password)
    await admin.getByRole('button', { name: 'Create the account' }).click()
    await admin.waitForURL('**/admin/users')
  }
  assert.deepEqual(admin.problems, [])
  await admin.context().close()
})

test('the provider answers the invitation: the error summary, then the offer with the keyboard alone', async () => {
  const page = await storyPage()
  await signIn(page, story.carer)
  assert.equal(pathOf(page), '/provider/invitations')
  await page.getByRole('link', { name: story.request.reference }).waitFor()
  assert.match(await page.locator('#invitations').textContent(), /Due in 5 working days, by 5pm on|Due in \d working days?, by/)
  await expectAccessible(page, 'the provider\'s invitations')
  await screenshot(page, 'provider-invitations')

  await page.getByRole('link', { name: story.request.reference }).click()
  await page.waitForLoadState('load')
  const main = await page.locator('main').textContent()
  assert.match(main, /Her morning walk to the park/)
  assert.ok(!main.includes(story.person), 'the provider is shown the person\'s name before being chosen')
  await expectAccessible(page, 'an invitation with the offer form')

  // Sent with no rate: the error summary takes focus and links to the field.
  await page.getByRole('button', { name: 'Send the offer' }).click()
  await page.waitForLoadState('load')
  const summary = page.locator('.govuk-error-summary')
  assert.ok(await summary.evaluate((el) => el === document.activeElement), 'the error summary takes focus')
  assert.equal(await summary.getByRole('link').first().getAttribute('href'), '#hourly_rate')
  await expectAccessible(page, 'the offer form with an error')
  await screenshot(page, 'provider-offer-errors')
  page.problems.length = 0 // the browser reports the page's 400 status as a console error

  // The keyboard alone: follow the summary's link, type, Tab through the
  // fields (hours and dates are filled in from the request), send with Enter.
  await summary.getByRole('link').first().focus()
  await page.keyboard.press('Enter')
  assert.equal(await page.evaluate(() => document.activeElement.id), 'hourly_rate')
  await page.keyboard.type('£24.50')
  await page.keyboard.press('Tab')
  assert.equal(await page.evaluate(() => document.activeElement.id), 'hours_per_week')
  for (let i = 0; i < 7; i++) await page.keyboard.press('Tab') // the two dates' day, month and year
  assert.equal(await page.evaluate(() => document.activeElement.id), 'notes')
  await page.keyboard.type('Two carers who love a chat, mornings from 8am. We can walk to the park together.')
  await page.keyboard.press('Tab')
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Send the offer')
  await page.keyboard.press('Enter')
  await page.waitForLoadState('load')
  assert.match(await page.locator('.govuk-notification-banner--success').textContent(), /Your offer of £245\.00 a week for BR-\d+/)
  assert.match(await page.locator('main').textContent(), /£245\.00 a week for 10 hours a week/)
  await expectAccessible(page, 'an invitation with its offer')
  await screenshot(page, 'provider-invitation-offered')

  await page.getByRole('link', { name: 'Capacity and rates' }).click()
  await page.waitForLoadState('load')
  await expectAccessible(page, 'the provider\'s services')
  await page.locator('main table a').first().click()
  await page.waitForLoadState('load')
  await expectAccessible(page, 'a service\'s capacity and rates')
  await screenshot(page, 'provider-service')
  assert.deepEqual(page.problems, [])
  story.provider = page
})

test('Rose compares the offers, chooses one and agrees the start date', async () => {
  const page = await storyPage()
  await signIn(page, story.rose)
  assert.equal(pathOf(page), '/your-care')
  assert.match(await page.locator('main').textContent(), /Get up, washed and dressed each morning/)
  await expectAccessible(page, 'the person\'s care and support')
  await screenshot(page, 'your-care')

  await page.getByRole('link', { name: /Compare the offers and choose/ }).click()
  await page.waitForLoadState('load')
  const cards = await page.locator('#offers').textContent()
  assert.match(cards, /£245\.00 a week \(within your budget\)/)
  assert.match(cards, /\d+\.\d km \(\d+\.\d miles\) away from you/)
  assert.match(cards, /We can walk to the park together/)
  await expectAccessible(page, 'the offers side by side')
  await screenshot(page, 'your-offers')
  await page.setViewportSize({ width: 375, height: 800 })
  await expectAccessible(page, 'the offers on a phone')
  await screenshot(page, 'your-offers-phone')
  await page.setViewportSize({ width: 1280, height: 720 })

  await page.getByRole('link', { name: new RegExp('Choose this offer from ' + escape(story.providerName)) }).click()
  await page.waitForLoadState('load')
  await expectAccessible(page, 'the choice confirmation')
  await screenshot(page, 'choose-offer')
  await page.getByLabel(`I am ${story.person}, and this is my choice`).check()
  await page.getByRole('button', { name: 'Confirm my choice' }).click()
  await page.waitForURL(/#start-date$/)
  assert.match(await page.locator('.govuk-notification-banner--success').textContent(), /Your choice is saved/)
  await expectAccessible(page, 'the start date form')
  await page.getByRole('button', { name: 'Agree the start date' }).click()
  await page.waitForURL(/#agreement$/)
  assert.match(await page.locator('.govuk-notification-banner--success').textContent(), /Your agreement is SA-\d{4}-\d+/)
  story.reference = (await page.locator('#agreement dd').first().textContent()).trim()
  assert.match(story.reference, /^SA-\d{4}-\d+$/)
  await expectAccessible(page, 'the person\'s agreement')
  await screenshot(page, 'your-agreement')
  const pdf = await page.request.get(await page.getByRole('link', { name: /Download your agreement/ }).getAttribute('href'))
  assert.equal(pdf.headers()['content-type'], 'application/pdf')
  assert.deepEqual(page.problems, [])
  await page.context().close()

  // The provider's offers page now has the agreement to download.
  const provider = story.provider
  await provider.getByRole('link', { name: 'Offers and agreements' }).click()
  await provider.waitForLoadState('load')
  assert.match(await provider.locator('main').textContent(), new RegExp(story.reference))
  await expectAccessible(provider, 'the provider\'s offers and agreements')
  const doc = await provider.request.get(await provider.getByRole('link', { name: new RegExp(`Download ${story.reference}`) }).getAttribute('href'))
  assert.equal(doc.headers()['content-type'], 'application/pdf')
  await provider.context().close()
})

test('finance acknowledges the new agreement, once', async () => {
  const page = await storyPage()
  await signIn(page, userOf('finance'))
  assert.equal(pathOf(page), '/finance/inbox')
  const row = page.locator('tr', { hasText: story.reference })
  // The notification is delivered by the service's worker after the agreement commits.
  for (let i = 0; i < 50 && await row.count() === 0; i++) {
    await page.waitForTimeout(200)
    await page.reload()
  }
  await row.waitFor()
  await expectAccessible(page, 'the finance inbox')
  await screenshot(page, 'finance-inbox')
  await row.getByRole('button', { name: /Acknowledge/ }).click()
  await page.waitForURL('**/finance/inbox')
  assert.match(await page.locator('.govuk-notification-banner--success').textContent(), new RegExp('Acknowledged: New service agreement ' + story.reference))
  assert.equal(await page.locator('tr', { hasText: story.reference }).count(), 0, 'the acknowledged notification is still waiting')
  await expectAccessible(page, 'the finance inbox after acknowledging')

  await page.getByRole('link', { name: 'Acknowledged', exact: true }).click()
  await page.waitForLoadState('load')
  await page.getByRole('link', { name: new RegExp(story.reference) }).click()
  await page.waitForLoadState('load')
  assert.match(await page.locator('main').textContent(), /£245\.00/)
  await expectAccessible(page, 'an agreement for finance')
  await screenshot(page, 'finance-agreement')
  const csv = await page.request.get('/finance/agreements.csv')
  assert.equal(csv.headers()['content-type'], 'text/csv; charset=utf-8')
  assert.match(await csv.text(), new RegExp(story.reference))
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
