/* SPDX-License-Identifier: GPL-2.0 */
/* blk_alloc_disk(limits, node) returns ERR_PTR (6.9). */
#include <linux/blkdev.h>

struct gendisk *arc_probe(struct queue_limits *lim);
struct gendisk *arc_probe(struct queue_limits *lim)
{
	return blk_alloc_disk(lim, NUMA_NO_NODE);
}
