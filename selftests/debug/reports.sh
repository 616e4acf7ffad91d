#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# reports.sh LOG [OFFSET]: whether the kernel messages in LOG (as read
# from /dev/kmsg), from byte OFFSET on, hold a report of a debug kernel:
# KASAN, KFENCE, UBSAN, lockdep, a sleep in atomic context, debugobjects,
# list corruption, a WARN or BUG, an oops, a stall or hang, a leaked
# reference. Prints the first one (up to 80 lines of it) and exits 0; exits 1 if
# there is none (and 0 too if the log could not be searched: a run that
# cannot look does not pass). make check-debug runs it after every test
# (run.sh).
log=${1:?usage: reports.sh LOG [OFFSET]}
from=${2:-0}

# Headers of reports. Each is the first line a report prints; what
# follows (the trace) is printed with it.
pattern='BUG: |WARNING: |UBSAN: |kernel BUG at|Oops|general protection fault|'
pattern+='possible circular locking|possible recursive locking|inconsistent lock state|'
pattern+='suspicious RCU usage|INFO: task .* blocked for more than|ODEBUG: |'
pattern+='list_(add|del) corruption|refcount_t: |rcu: INFO: |detected stall|'
pattern+='workqueue lockup|unreferenced object|ref_tracker: |leaked reference|'
pattern+='Unable to handle kernel|stack-protector|stack guard page|'
pattern+='kmemleak: .*(error|disabled)'

# /dev/kmsg records are "PRIO,SEQ,USEC,FLAGS;TEXT" with continuation
# lines (" KEY=VALUE") after them: keep the text.
tail -c +"$((from + 1))" "$log" | sed -n 's/^[0-9]*,[0-9]*,\([0-9]*\),[^;]*;/[\1] /p' |
	awk -v pat="$pattern" '
		!found && $0 ~ pat { found = 1 }
		found && n < 80 { print "kernel report: " $0; n++ }
		END { exit !found }'
rc=$?
case $rc in
0 | 1) exit $rc ;;
esac
echo "kernel report: reports.sh could not search the kernel log (status $rc)"
exit 0
