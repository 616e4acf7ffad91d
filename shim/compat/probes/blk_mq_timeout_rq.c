/* SPDX-License-Identifier: GPL-2.0 */
/* blk_mq_ops.timeout(rq) (6.0). */
#include <linux/blk-mq.h>

static enum blk_eh_timer_return arc_probe_timeout(struct request *rq)
{
	return BLK_EH_RESET_TIMER;
}

const struct blk_mq_ops arc_probe_ops = { .timeout = arc_probe_timeout };
