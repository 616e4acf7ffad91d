/* SPDX-License-Identifier: GPL-2.0 */
/*
 * task_work_add() with TWA_SIGNAL sets TIF_NOTIFY_SIGNAL: KVM_RUN returns
 * -EINTR without a signal reaching userspace (5.11; Debian's 5.10 has it).
 */
#include <linux/sched.h>
#include <linux/task_work.h>

int arc_probe(struct task_struct *t, struct callback_head *w);
int arc_probe(struct task_struct *t, struct callback_head *w)
{
	BUILD_BUG_ON(TIF_NOTIFY_SIGNAL < 0);
	return task_work_add(t, w, TWA_SIGNAL);
}
