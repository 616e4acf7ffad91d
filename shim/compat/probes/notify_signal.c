/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TIF_NOTIFY_SIGNAL (5.11; Debian's 5.10 has it): set on a task, KVM_RUN
 * returns -EINTR as for a signal, and no signal reaches userspace.
 */
#include <linux/sched.h>
#include <linux/sched/signal.h>

void arc_probe(struct task_struct *t);
void arc_probe(struct task_struct *t)
{
	set_tsk_thread_flag(t, TIF_NOTIFY_SIGNAL);
	kick_process(t);
}
