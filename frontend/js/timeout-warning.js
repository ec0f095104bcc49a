// The GOV.UK/HMRC time-out warning (docs/accounts.md). Progressive enhancement: without
// JavaScript the account bar says how long a session lasts, and a form sent after a
// time-out is kept on the server and offered back after sign-in.
//
// Two minutes before the session would end, a modal dialog asks whether to stay signed
// in. "Stay signed in" (or Escape) calls a small endpoint that refreshes the session;
// "Sign out" signs out. If nobody answers, the page signs out with the reason, so the
// sign-in page can say why and return the person to this page; a form on the page whose
// answers changed is sent instead, marked as timed out, so the server keeps the answers.

const bar = document.querySelector('[data-swc-timeout-seconds]')

const csrfToken = () => bar.querySelector('input[name="csrfmiddlewaretoken"]')?.value || ''

const changedForm = () => {
  for (const form of document.querySelectorAll('main form[method="post"]')) {
    const changed = Array.from(form.elements).some((field) => {
      if (field.type === 'hidden' || field.type === 'submit' || field.type === 'file') return false
      if (field.type === 'checkbox' || field.type === 'radio') return field.checked !== field.defaultChecked
      if (field.tagName === 'SELECT') return Array.from(field.options).some((o) => o.selected !== o.defaultSelected)
      return 'defaultValue' in field && field.value !== field.defaultValue
    })
    if (changed) return form
  }
  return null
}

const minutesAndSeconds = (seconds) => {
  const m = Math.floor(seconds / 60)
  const s = seconds % 60
  const parts = []
  if (m) parts.push(`${m} minute${m === 1 ? '' : 's'}`)
  if (s || !m) parts.push(`${s} second${s === 1 ? '' : 's'}`)
  return parts.join(' ')
}

if (bar && typeof HTMLDialogElement === 'function') {
  const idle = Number(bar.dataset.swcTimeoutSeconds) * 1000
  const warnFor = Number(bar.dataset.swcWarningSeconds || 120) * 1000
  const refreshUrl = bar.dataset.swcRefreshUrl
  const signOutForm = bar.querySelector('form')

  const dialog = document.createElement('dialog')
  dialog.className = 'swc-timeout-dialog'
  dialog.setAttribute('aria-labelledby', 'swc-timeout-heading')
  dialog.setAttribute('aria-describedby', 'swc-timeout-text')
  dialog.innerHTML = `
    <h2 class="govuk-heading-m" id="swc-timeout-heading">You're about to be signed out</h2>
    <p class="govuk-body" id="swc-timeout-text">For your security, we will sign you out in
      <span class="swc-timeout-countdown"></span>. Your saved answers are kept.</p>
    <p class="govuk-visually-hidden swc-timeout-live" aria-live="assertive" aria-atomic="true"></p>
    <div class="govuk-button-group">
      <button type="button" class="govuk-button" data-module="govuk-button" data-swc-stay>Stay signed in</button>
      <button type="button" class="govuk-link swc-link-button" data-swc-sign-out>Sign out</button>
    </div>`
  document.body.appendChild(dialog)
  const countdown = dialog.querySelector('.swc-timeout-countdown')
  const live = dialog.querySelector('.swc-timeout-live')

  let deadline = Date.now() + idle
  let returnFocus = null
  let ticking = null

  const signOut = (timedOut) => {
    const form = timedOut ? changedForm() : null
    if (form) {
      const mark = document.createElement('input')
      Object.assign(mark, { type: 'hidden', name: 'swc_timed_out', value: '1' })
      form.appendChild(mark)
      HTMLFormElement.prototype.submit.call(form)
      return
    }
    for (const [name, value] of [['reason', timedOut ? 'timeout' : ''], ['next', window.location.pathname + window.location.search]]) {
      const input = document.createElement('input')
      Object.assign(input, { type: 'hidden', name, value })
      signOutForm.appendChild(input)
    }
    HTMLFormElement.prototype.submit.call(signOutForm)
  }

  const close = () => {
    if (dialog.open) dialog.close()
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus()
  }

  // The answer is the activity: the countdown starts again at once, not when the
  // server's reply arrives (a slow reply must not let the old deadline sign the person
  // out just after they chose to stay).
  const stay = async () => {
    close()
    const previous = deadline
    deadline = Date.now() + idle
    try {
      const response = await fetch(refreshUrl, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-CSRFToken': csrfToken(), Accept: 'application/json' }
      })
      if (!response.ok || response.redirected) return signOut(true)
    } catch (error) {
      // Offline: the server did not hear it, so the old deadline stands and the
      // warning comes back in time.
      deadline = previous
    }
  }

  const tick = () => {
    const left = deadline - Date.now()
    if (left <= 0) {
      window.clearInterval(ticking)
      return signOut(true)
    }
    if (left <= warnFor) {
      const seconds = Math.ceil(left / 1000)
      countdown.textContent = minutesAndSeconds(seconds)
      if (!dialog.open) {
        returnFocus = document.activeElement
        dialog.showModal()
        dialog.querySelector('[data-swc-stay]').focus()
        live.textContent = `For your security, we will sign you out in ${minutesAndSeconds(seconds)}.`
      } else if (seconds % 30 === 0) {
        live.textContent = `We will sign you out in ${minutesAndSeconds(seconds)}.`
      }
    }
  }

  dialog.querySelector('[data-swc-stay]').addEventListener('click', stay)
  dialog.querySelector('[data-swc-sign-out]').addEventListener('click', () => signOut(false))
  // Escape closes a native modal dialog: here it means "Stay signed in", as in the HMRC pattern.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    stay()
  })
  ticking = window.setInterval(tick, 1000)
}
