/* SPDX-License-Identifier: GPL-2.0 */
/* BLK_MQ_F_NO_SCHED: never an I/O scheduler (removed in 6.14). */
#include <linux/blk-mq.h>

int arc_probe(void);
int arc_probe(void)
{
	return BLK_MQ_F_NO_SCHED;
}
