// Builds GOV.UK Frontend and the service's own styles into static_build/,
// which Django serves as static files.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'static_build')
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')

mkdirSync(join(out, 'css'), { recursive: true })
mkdirSync(join(out, 'js'), { recursive: true })
mkdirSync(join(out, 'govuk'), { recursive: true })

for (const name of ['application', 'print']) {
  const result = sass.compile(join(root, 'frontend', 'scss', `${name}.scss`), {
    loadPaths: [join(root, 'node_modules')],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import']
  })
  writeFileSync(join(out, 'css', `${name}.css`), result.css)
}

cpSync(join(govuk, 'assets'), join(out, 'govuk', 'assets'), { recursive: true })
cpSync(join(govuk, 'govuk-frontend.min.js'), join(out, 'govuk', 'govuk-frontend.min.js'))
cpSync(join(root, 'frontend', 'js'), join(out, 'js'), { recursive: true })
console.log('Built GOV.UK Frontend assets into static_build/')
