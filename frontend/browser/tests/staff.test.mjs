// The council staff's pages, in order, on a request of their own: a
// practitioner's plan (signed off through the API, as the case system
// would) reaches the broker's queue; the broker matches and invites with
// the keyboard alone; an administrator gives the invited provider an
// account; the provider's offer (over budget, through the API) appears on
// the broker's open page without a reload; a budget approver approves it;
// the broker records the person's choice and agrees the start date; the
// practitioner records the welfare check; the dashboard and the audit
// trail show it. Every page passes axe with no violations.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, newPage, userOf, signIn, expectAccessible, screenshot, pathOf, api, apiToken, isoDay } from './lib.mjs'

let browser
before(async () => { browser = await launch() })

// Fail in seconds, not half a minute, when something is missing.
async function staffPage () {
  const page = await newPage(browser)
  page.setDefaultTimeout(10000)
  return page
}
after(async () => { await browser?.close() })

const token = apiToken

// What the tests share, in the order they run.
const story = {}

test('a signed-off plan reaches the broker\'s queue, which filters from the keyboard', async () => {
  const prac = await token(userOf('practitioner'))
  const person = await api('POST', '/api/v1/persons', prac, {
    name: 'Nell Morgan', date_of_birth: '1944-06-02', address: '14 Westmorland Road, Urmston', postcode: 'M41 9LT',
    latitude: 53.446521, longitude: -2.342776, representative_name: 'Tom Morgan (son)'
  })
  const plan = await api('POST', '/api/v1/plans', prac, {
    person_id: person.id, personal_budget_weekly_pence: 92000,
    needs: [{ outcome: 'Live safely with care day and night near her son', how_met: 'council_arranged', weekly_budget_pence: 90000,
      service_type: 'residential_care', places: 1, start_date: isoDay(14), urgency: 'standard',
      preferences: { language: 'English', important_to_them: 'A room with a view of a garden' } }]
  })
  const signed = await api('POST', `/api/v1/plans/${plan.id}/sign-off`, prac)
  story.request = signed.requests[0]
  story.start = isoDay(14)

  const page = await staffPage()
  story.broker = page
  await signIn(page, userOf('broker'))
  assert.equal(pathOf(page), '/broker/queue')
  await page.getByRole('link', { name: story.request.reference }).waitFor()
  await expectAccessible(page, 'the broker\'s queue')
  await screenshot(page, 'broker-queue')

  // Filter with the keyboard: the select, then Enter on the button.
  await page.getByLabel('Urgency').focus()
  await page.getByLabel('Urgency').selectOption('urgent')
  await page.getByRole('button', { name: 'Apply filters' }).focus()
  await page.keyboard.press('Enter')
  await page.waitForURL(/urgency=urgent/)
  assert.equal(await page.getByRole('link', { name: story.request.reference }).count(), 0, 'a standard request in the urgent queue')
  await page.getByRole('link', { name: /being worked/ }).click()
  await page.getByRole('link', { name: story.request.reference }).waitFor()
  assert.deepEqual(page.problems, [])
})

test('the broker matches and invites with the keyboard alone', async () => {
  const page = story.broker
  await page.getByRole('link', { name: story.request.reference }).click()
  await page.waitForLoadState('load')
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Nell Morgan: Residential care')
  assert.match(await page.locator('main').textContent(), /A room with a view of a garden/)
  await page.getByRole('button', { name: 'Find providers' }).focus()
  await page.keyboard.press('Enter')
  await page.waitForURL(/#match$/)
  assert.match(await page.locator('.govuk-notification-banner--success').textContent(), /services considered can take the request/)
  const match = await page.locator('#match').textContent()
  assert.match(match, /\d+\.\d km \(\d+\.\d miles\) away; £[\d,]+\.\d\d a week, within the £900\.00 budget/)
  // Each ranked service's score and its parts, so the broker can tell the family why.
  assert.match(match, /Score \d+\.\d of 100: distance \d+\.\d of 25, quality rating \d+\.\d of 25, price against budget \d+\.\d of 20, preferences met \d+\.\d of 20, continuity \d+\.\d of 10\./)
  await expectAccessible(page, 'the request page with match results')
  await screenshot(page, 'broker-request-match')
  // The weights behind every score are published.
  const requestPage = page.url()
  await page.getByRole('link', { name: 'how providers are ranked' }).click()
  await page.waitForLoadState('load')
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'How providers are ranked')
  assert.match(await page.locator('main').textContent(), /20 km \(12\.4 miles\)/)
  await expectAccessible(page, 'how providers are ranked')
  await screenshot(page, 'how-providers-are-ranked')
  await page.goto(requestPage)

  // Tick the two best with Space, send with Enter.
  const boxes = page.locator('input[name="service_ids"]')
  for (const i of [0, 1]) {
    await boxes.nth(i).focus()
    await page.keyboard.press('Space')
    assert.ok(await boxes.nth(i).isChecked())
  }
  story.serviceID = await boxes.nth(0).getAttribute('value')
  await page.getByRole('button', { name: 'Invite the chosen providers' }).focus()
  await page.keyboard.press('Enter')
  await page.waitForURL(/#responses$/)
  assert.match(await page.locator('.govuk-notification-banner--success').textContent(), /Invited 2 providers/)
  assert.equal(await page.locator('#answers').getByText('Waiting for an answer').count(), 2)
  await expectAccessible(page, 'the request page with invitations')
  assert.deepEqual(page.problems, [])
})

test('an offer appears on the broker\'s open page without a reload', async () => {
  // The first invited provider has no account yet: an administrator makes one.
  const brokerToken = await token(userOf('broker'))
  const match = await api('GET', `/api/v1/requests/${story.request.id}/match`, brokerToken)
  story.providerName = match.ranked.find((s) => s.service_id === story.serviceID).provider_name
  const admin = await staffPage()
  await signIn(admin, userOf('admin'))
  await admin.goto('/admin/users/new')
  const carer = { email: `carer.${Date.now()}@provider.example`, password: 'a-long-browser-password' }
  await admin.getByLabel('Full name').fill('Carla Carer')
  await admin.getByLabel('Email address').fill(carer.email)
  await admin.getByLabel('Care provider').check()
  await admin.getByLabel('Provider organisation').fill(story.providerName)
  await admin.getByLabel('Temporary password', { exact: true }).fill(carer.password)
  await expectAccessible(admin, 'the new account form')
  await admin.getByRole('button', { name: 'Create the account' }).click()
  await admin.waitForURL('**/admin/users')
  assert.match(await admin.locator('.govuk-notification-banner--success').textContent(), /Carla Carer's account is ready/)
  story.admin = admin

  const page = story.broker
  await page.evaluate(() => { window.notReloaded = true })
  const provider = await token(carer)
  const invitations = await api('GET', '/api/v1/invitations', provider)
  const inv = invitations.items.find((i) => i.request_id === story.request.id)
  assert.ok(inv, 'the provider sees its invitation')
  await api('POST', `/api/v1/invitations/${inv.id}/offer`, provider, {
    weekly_price_pence: 95000, places: 1, earliest_start: story.start, valid_until: isoDay(40),
    notes: 'A quiet ground-floor room overlooking the garden is free.'
  })
  await page.locator('#answers').getByText('Waiting for budget approval').waitFor({ timeout: 15000 })
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was reloaded')
  assert.match(await page.locator('[data-live-status]').first().textContent(), /This page was updated/)
  assert.match(await page.locator('#answers').textContent(), /£950\.00 a week for 1 place \(£50\.00 over budget\)/)
  await expectAccessible(page, 'the request page after a live update')
  assert.deepEqual(page.problems, [])
})

test('a budget approver approves the offer over budget', async () => {
  const page = await staffPage()
  await signIn(page, userOf('budget_approver'))
  assert.equal(pathOf(page), '/approvals')
  await expectAccessible(page, 'the approvals page')
  await screenshot(page, 'approvals')
  await page.getByRole('link', { name: `Decide on ${story.request.reference} from ${story.providerName}` }).click()
  await page.waitForLoadState('load')
  assert.match(await page.locator('.govuk-warning-text').textContent(), /£950\.00 a week, £50\.00 over the £900\.00 budget/)
  await page.getByRole('button', { name: 'Save the decision' }).click()
  await page.waitForLoadState('load')
  const summary = page.locator('.govuk-error-summary')
  assert.ok(await summary.evaluate((el) => el === document.activeElement), 'the error summary takes focus')
  assert.equal(await summary.getByRole('link').first().getAttribute('href'), '#decision')
  await expectAccessible(page, 'the decision page with an error')
  page.problems.length = 0 // the browser reports the page's 400 status as a console error
  await page.getByLabel('Yes, approve it').check()
  await page.getByLabel('Reason for your decision').fill('Her needs and the garden room justify the extra £50 a week.')
  await page.getByRole('button', { name: 'Save the decision' }).click()
  await page.waitForURL('**/approvals')
  assert.match(await page.locator('.govuk-notification-banner--success').textContent(), /You approved the offer/)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the broker records the person\'s choice for them and agrees the start date', async () => {
  const page = story.broker
  await page.reload()
  await page.getByRole('radio', { name: new RegExp(story.providerName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).check()
  await page.getByLabel('How the person told you (optional)').fill('By phone, with her son Tom')
  await page.getByRole('checkbox', { name: /I confirm this is Nell Morgan's own choice/ }).check()
  await page.getByRole('button', { name: 'Record their choice' }).click()
  await page.waitForURL(/#start-date$/)
  assert.match(await page.locator('#choice').textContent(), /a broker recorded it on their behalf/)
  await expectAccessible(page, 'the request page with the start date form')
  await page.getByRole('button', { name: 'Agree the start date' }).click()
  await page.waitForURL(/#agreement$/)
  assert.match(await page.locator('.govuk-notification-banner--success').textContent(), /Agreement SA-\d{4}-\d+ is made/)
  await expectAccessible(page, 'the request page with its agreement')
  await screenshot(page, 'broker-agreement')
  const pdf = await page.request.get(await page.getByRole('link', { name: /Download the agreement/ }).getAttribute('href'))
  assert.equal(pdf.headers()['content-type'], 'application/pdf')
  assert.deepEqual(page.problems, [])
})

test('the practitioner records the welfare check; the dashboard and the audit trail show the work', async () => {
  const prac = await staffPage()
  await signIn(prac, userOf('practitioner'))
  assert.equal(pathOf(prac), '/practitioner/requests')
  await expectAccessible(prac, 'the practitioner\'s requests')
  await prac.getByRole('link', { name: 'Complete the review for Nell Morgan' }).first().click()
  await prac.waitForLoadState('load')
  await prac.getByLabel('What the review found').fill('Settling in well; her son visits daily.')
  await expectAccessible(prac, 'a review task')
  await prac.getByRole('button', { name: 'Record the review' }).click()
  await prac.waitForURL(/\/practitioner\/requests/)
  assert.match(await prac.locator('.govuk-notification-banner--success').textContent(), /for Nell Morgan is recorded/)
  await prac.context().close()

  const page = story.broker
  await page.getByRole('link', { name: 'Dashboard' }).click()
  await page.waitForLoadState('load')
  assert.equal(await page.locator('svg.app-chart__svg').count(), 4)
  await expectAccessible(page, 'the dashboard')
  await screenshot(page, 'dashboard')
  await page.context().close()

  const admin = story.admin
  await admin.goto('/admin/audit')
  await admin.getByLabel('Person').fill('Nell Morgan')
  await admin.getByRole('button', { name: 'Search the trail' }).click()
  await admin.waitForLoadState('load')
  const events = await admin.locator('table').textContent()
  for (const action of ['person.create', 'request.match', 'request.choose', 'request.agree', 'review.complete']) {
    assert.ok(events.includes(action), `the trail has no ${action}`)
  }
  await expectAccessible(admin, 'the audit trail search')
  await screenshot(admin, 'admin-audit')
  assert.deepEqual(admin.problems, [])
  await admin.context().close()
})
