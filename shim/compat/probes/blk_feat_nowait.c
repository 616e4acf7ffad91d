/* SPDX-License-Identifier: GPL-2.0 */
/* REQ_NOWAIT support is a queue limits feature (6.11). */
#include <linux/blkdev.h>

void arc_probe(struct queue_limits *lim);
void arc_probe(struct queue_limits *lim)
{
	lim->features |= BLK_FEAT_NOWAIT;
}
