/* SPDX-License-Identifier: GPL-2.0 */
/* Write cache and FUA are queue_limits features (6.11). */
#include <linux/blkdev.h>

unsigned int arc_probe(void);
unsigned int arc_probe(void)
{
	struct queue_limits lim = {
		.features = BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA |
			    BLK_FEAT_ROTATIONAL,
	};

	return lim.features;
}
