/* SPDX-License-Identifier: GPL-2.0 */
/* hrtimer_setup() sets the callback as it initializes (6.13; 7.x only). */
#include <linux/hrtimer.h>

void arc_probe(struct hrtimer *t, enum hrtimer_restart (*fn)(struct hrtimer *));
void arc_probe(struct hrtimer *t, enum hrtimer_restart (*fn)(struct hrtimer *))
{
	hrtimer_setup(t, fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
}
