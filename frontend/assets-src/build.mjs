// Builds the assets embedded by the frontend package: the GOV.UK Frontend
// CSS (compiled from Sass with the council settings in carebroker.scss) and
// its JavaScript, copied unchanged. Run it with `make assets`.
import { readFileSync, writeFileSync, copyFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, '..', 'assets')
const require = createRequire(import.meta.url)
const govukPkg = require.resolve('govuk-frontend/package.json')
const govuk = JSON.parse(readFileSync(govukPkg, 'utf8'))
const sassPkg = JSON.parse(readFileSync(join(here, 'node_modules', 'sass', 'package.json'), 'utf8'))

const css = sass.compile(join(here, 'carebroker.scss'), {
  style: 'compressed',
  importers: [new sass.NodePackageImporter()],
  quietDeps: true
})
writeFileSync(join(out, 'govuk-frontend.min.css'), css.css + '\n')
copyFileSync(join(dirname(govukPkg), 'dist', 'govuk', 'govuk-frontend.min.js'), join(out, 'govuk-frontend.min.js'))
writeFileSync(join(out, 'VERSION'),
  `govuk-frontend ${govuk.version} (MIT licence, https://github.com/alphagov/govuk-frontend)\n` +
  `compiled with sass ${sassPkg.version} from frontend/assets-src/carebroker.scss by make assets\n`)
console.log(`assets: govuk-frontend ${govuk.version} written to ${out}`)
