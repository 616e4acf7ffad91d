/* SPDX-License-Identifier: GPL-2.0 */
/* Networking calls whose shape differs between kernels (shim/net/ only). */
#ifndef _ARC_COMPAT_NET_H
#define _ARC_COMPAT_NET_H

#include <net/genetlink.h>

/*
 * Since 6.1 a family must say from which command on unknown attributes
 * and flags are rejected: arc families are new, so all of them.
 */
static inline void arc_compat_genl_family_prepare(struct genl_family *f)
{
#ifdef ARC_HAVE_GENL_RESV_START_OP
	if (!f->resv_start_op)
		f->resv_start_op = 1;
#endif
}

#endif /* _ARC_COMPAT_NET_H */
