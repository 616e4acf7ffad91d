/* SPDX-License-Identifier: GPL-2.0 */
/* Queue limits are set through blk_queue_*() setters (before 6.9/6.11). */
#include <linux/blkdev.h>

void arc_probe(struct request_queue *q);
void arc_probe(struct request_queue *q)
{
	blk_queue_logical_block_size(q, 512);
	blk_queue_max_discard_sectors(q, 8);
	blk_queue_max_write_zeroes_sectors(q, 8);
	blk_queue_write_cache(q, true, true);
}
