/* SPDX-License-Identifier: GPL-2.0 */
/* Calls whose shape differs between kernels (shim/kvm/ only). */
#ifndef _ARC_COMPAT_KVM_H
#define _ARC_COMPAT_KVM_H

#include <linux/hrtimer.h>

#include "compat.h"

/* A relative CLOCK_MONOTONIC timer that calls @fn. */
static inline void
arc_compat_hrtimer_setup(struct hrtimer *t,
			 enum hrtimer_restart (*fn)(struct hrtimer *))
{
#ifdef ARC_HAVE_HRTIMER_SETUP
	hrtimer_setup(t, fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
#else
	hrtimer_init(t, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	t->function = fn;
#endif
}

#endif /* _ARC_COMPAT_KVM_H */
