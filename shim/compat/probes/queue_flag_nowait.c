/* SPDX-License-Identifier: GPL-2.0 */
/* A queue says it takes REQ_NOWAIT bios with a flag (until 6.10). */
#include <linux/blkdev.h>

void arc_probe(struct request_queue *q);
void arc_probe(struct request_queue *q)
{
	blk_queue_flag_set(QUEUE_FLAG_NOWAIT, q);
}
