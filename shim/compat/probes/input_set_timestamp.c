/* SPDX-License-Identifier: GPL-2.0 */
/* input_set_timestamp(): a report stamped with when it was measured (5.5). */
#include <linux/input.h>

void arc_probe(struct input_dev *dev, ktime_t t);
void arc_probe(struct input_dev *dev, ktime_t t)
{
	input_set_timestamp(dev, t);
}
