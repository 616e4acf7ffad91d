/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BLK_MQ_F_NO_SCHED_BY_DEFAULT: start without an I/O scheduler, which the
 * administrator may still pick (not in 5.10).
 */
#include <linux/blk-mq.h>

int arc_probe(void);
int arc_probe(void)
{
	return BLK_MQ_F_NO_SCHED_BY_DEFAULT;
}
