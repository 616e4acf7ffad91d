/* SPDX-License-Identifier: GPL-2.0 */
/* blk_mq_ops.timeout(rq, reserved): until 5.19 (6.0 dropped reserved). */
#include <linux/blk-mq.h>

static enum blk_eh_timer_return arc_probe_timeout(struct request *rq, bool reserved)
{
	return BLK_EH_RESET_TIMER;
}

const struct blk_mq_ops arc_probe_ops = { .timeout = arc_probe_timeout };
