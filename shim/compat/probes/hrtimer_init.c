/* SPDX-License-Identifier: GPL-2.0 */
/* hrtimer_init(), then the callback set by hand (before hrtimer_setup()). */
#include <linux/hrtimer.h>

void arc_probe(struct hrtimer *t, enum hrtimer_restart (*fn)(struct hrtimer *));
void arc_probe(struct hrtimer *t, enum hrtimer_restart (*fn)(struct hrtimer *))
{
	hrtimer_init(t, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	t->function = fn;
}
