#!/usr/bin/env bash
# Runs the time-sensitive suites with the clock frozen at each instant that has
# broken date code somewhere before: a weekend, a bank holiday, both nights the
# clocks change, the last second of a month and of a year, and either side of
# 10:00 (when the register and reminders fall due). The suite must be green at
# every one of them, whatever day CI happens to run on.
# Usage: scripts/test-instants.sh PYTHON [PYTEST_ARGS...]
# Every instant is run even after a failure, and the script fails at the end naming them.
set -euo pipefail
python=$1
shift

instants=(
  2026-11-28T14:00:00+00:00   # a Saturday
  2026-12-28T10:00:00+00:00   # Boxing Day's bank holiday (26 December 2026 is a Saturday)
  2027-03-28T00:30:00+00:00   # clocks go forward at 01:00 GMT: 00:30 GMT, half an hour before
  2027-03-28T01:30            # 01:30 London time does not exist that night: read as 01:30 GMT = 02:30 BST
  2027-03-28T03:30:00+01:00   # an hour after the change
  2026-10-25T00:30:00+01:00   # clocks go back at 02:00 BST: 00:30 BST
  2026-10-25T01:30:00+01:00   # 01:30 happens twice: the first, in BST
  2026-10-25T01:30:00+00:00   # and the second, in GMT
  2026-10-25T02:30:00+00:00   # 02:30 GMT, after the change
  2027-04-30T23:59:59+01:00   # the last second of a month (BST)
  2026-12-31T23:59:59+00:00   # the last second of a year
  2026-12-01T09:59:00+00:00   # a working Tuesday, a minute before 10:00
  2026-12-01T10:00:00+00:00   # and at 10:00
)

suites=(
  swc/core/tests                                  # calendar: working days, office hours
  swc/referrals/tests/test_deadlines.py           # 72-hour clock, keep-alive deadlines
  swc/referrals/tests/test_workflow.py
  swc/referrals/tests/test_services.py
  swc/referrals/tests/test_selectors.py
  swc/referrals/tests/test_completeness.py        # ages and dates on the form
  swc/homes/tests/test_register_rules.py          # the register and its daily confirmation
  swc/homes/tests/test_selectors.py
  swc/homes/tests/test_services.py
  swc/reporting/tests                             # months, due dates, KPIs
  swc/notifications/tests                         # the scheduler and the rota
  swc/web/tests/test_start_and_health.py          # start pages count what is due today
)

failed=()
for instant in "${instants[@]}"; do
  echo "=== clock frozen at $instant ==="
  # Browser journeys and thread races set their own times and run in the main suites;
  # the demo year is a generator's property test, not date code.
  "$python" -m pytest "${suites[@]}" -q -m "not browser and not concurrency and not faults" \
    --deselect swc/reporting/tests/test_demo.py --now="$instant" "$@" || failed+=("$instant")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "Failed with the clock frozen at: ${failed[*]}"
  exit 1
fi
echo "Green at all ${#instants[@]} instants."
