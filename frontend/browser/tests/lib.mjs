// Shared setup of the browser tests: the server's address, the demo users,
// a headless Chromium (Debian's, never a downloaded one), axe-core, and
// screenshots.
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import assert from 'node:assert/strict'
import { chromium } from 'playwright-core'
import { AxeBuilder } from '@axe-core/playwright'

export const baseURL = required('BASE_URL')
export const users = JSON.parse(readFileSync(required('DEMO_USERS_FILE'), 'utf8'))
const screenshots = process.env.SCREENSHOTS_DIR || 'screenshots'
mkdirSync(screenshots, { recursive: true })

// Where each role lands after signing in (frontend/homes.go).
export const homes = {
  broker: { path: '/broker/queue', heading: 'Request queue' },
  budget_approver: { path: '/approvals', heading: 'Offers waiting for approval' },
  provider: { path: '/provider/invitations', heading: 'Invitations' },
  client: { path: '/your-care', heading: 'Your care and support' },
  finance: { path: '/finance/inbox', heading: 'Finance notifications' },
  admin: { path: '/admin', heading: 'Administration' },
  practitioner: { path: '/practitioner/requests', heading: "Your team's requests" }
}

function required (name) {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is not set: run the browser tests with scripts/browser-test.sh`)
  return v
}

export function userOf (role) {
  const u = users.find((x) => x.role === role)
  assert.ok(u, `the demo data has no ${role} user`)
  return u
}

export async function launch () {
  // Playwright gives every launch a fresh, empty profile directory.
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage']
  })
}

export async function newPage (browser) {
  const context = await browser.newContext({ baseURL, locale: 'en-GB', timezoneId: 'Europe/London' })
  const page = await context.newPage()
  const problems = []
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`) })
  page.problems = problems
  return page
}

// expectAccessible runs axe-core (WCAG 2.0, 2.1 and 2.2, A and AA, plus
// best practices) on the page and fails listing every violation.
export async function expectAccessible (page, what) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze()
  const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  assert.deepEqual(found, [], `axe found violations on ${what}`)
  assert.ok(result.passes.length > 10, `axe checked too little on ${what}`)
}

export async function screenshot (page, name) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true })
}

export async function signIn (page, user) {
  await page.goto('/sign-in')
  await page.getByLabel('Email address').fill(user.email)
  await page.getByLabel('Password', { exact: true }).fill(user.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForLoadState('load')
}

export function pathOf (page) {
  return new URL(page.url()).pathname
}

// The JSON API, for what the story's other systems do (a case system
// submitting a plan): method, path, a bearer token and a JSON body.
export async function api (method, path, token, body) {
  const headers = { Accept: 'application/json' }
  if (body) headers['Content-Type'] = 'application/json'
  if (token) headers.Authorization = 'Bearer ' + token
  const r = await fetch(baseURL + path, { method, headers, body: body ? JSON.stringify(body) : undefined })
  const text = await r.text()
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`)
  return text ? JSON.parse(text) : null
}

// apiToken signs a user in to the API and returns their access token.
export async function apiToken (user) {
  return (await api('POST', '/api/v1/auth/login', null, { email: user.email, password: user.password })).access_token
}

// isoDay is the day n days from now, as the API writes days.
export function isoDay (daysFromNow) {
  const d = new Date(Date.now() + daysFromNow * 86400000)
  return d.toISOString().slice(0, 10)
}
