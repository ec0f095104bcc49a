import { initAll } from '../govuk/govuk-frontend.min.js'

initAll()

// Sortable tables: any table with data-swc-sortable gets clickable column headers.
for (const table of document.querySelectorAll('table[data-swc-sortable]')) {
  const headers = table.querySelectorAll('thead th')
  headers.forEach((th, index) => {
    if (th.dataset.sortable === 'false') return
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'govuk-link swc-sort-button'
    button.textContent = th.textContent.trim()
    th.textContent = ''
    th.appendChild(button)
    th.setAttribute('aria-sort', 'none')
    button.addEventListener('click', () => {
      const ascending = th.getAttribute('aria-sort') !== 'ascending'
      headers.forEach((other) => other.setAttribute('aria-sort', 'none'))
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending')
      const body = table.tBodies[0]
      const rows = Array.from(body.rows)
      const key = (row) => {
        const cell = row.cells[index]
        const value = cell.dataset.sortValue ?? cell.textContent.trim()
        const number = Number(value)
        return Number.isNaN(number) || value === '' ? value.toLowerCase() : number
      }
      rows.sort((a, b) => {
        const [x, y] = [key(a), key(b)]
        const order = x < y ? -1 : x > y ? 1 : 0
        return ascending ? order : -order
      })
      rows.forEach((row) => body.appendChild(row))
    })
  })
}

// Live answers: an element with an id and data-swc-refresh="SECONDS" is read again from the
// server every so many seconds and replaced when it has changed, and the element named by
// data-swc-refresh-status (an aria-live region) says so. Without JavaScript the page keeps
// its own "Check for new answers" link. Polling stops after 30 minutes so that an idle
// session still times out.
for (const region of document.querySelectorAll('[data-swc-refresh][id]')) {
  const seconds = Math.max(15, Number(region.dataset.swcRefresh) || 60)
  const status = document.getElementById(region.dataset.swcRefreshStatus || '')
  const stopAt = Date.now() + 30 * 60 * 1000
  const poll = async () => {
    if (Date.now() > stopAt) return window.clearInterval(timer)
    if (document.hidden) return
    try {
      const response = await fetch(window.location.href, {
        credentials: 'same-origin',
        headers: { Accept: 'text/html' }
      })
      if (!response.ok || response.redirected) return
      const page = new DOMParser().parseFromString(await response.text(), 'text/html')
      const fresh = page.getElementById(region.id)
      if (fresh && fresh.innerHTML.trim() !== region.innerHTML.trim()) {
        region.innerHTML = fresh.innerHTML
        if (status) status.textContent = 'New answers have arrived: the list below is up to date.'
      }
    } catch (error) {
      // Offline for a moment: the next poll tries again.
    }
  }
  const timer = window.setInterval(poll, seconds * 1000)
}

// The time-out warning (its own module; see frontend/js/timeout-warning.js).
import './timeout-warning.js'

// Print buttons: hidden in the HTML, since without JavaScript they could do nothing;
// the browser's own Print command still works, with the print style.
for (const button of document.querySelectorAll('button[data-swc-print]')) {
  button.hidden = false
  button.addEventListener('click', () => window.print())
}
