/* SPDX-License-Identifier: GPL-2.0 */
/* block_device_operations.submit_bio returns a blk_qc_t (5.9 to 5.15). */
#include <linux/blkdev.h>

static blk_qc_t arc_probe_submit(struct bio *bio)
{
	return BLK_QC_T_NONE;
}

const struct block_device_operations arc_probe_fops = { .submit_bio = arc_probe_submit };
