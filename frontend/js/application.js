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
