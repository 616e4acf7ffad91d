/* SPDX-License-Identifier: GPL-2.0 */
/* struct genl_family has resv_start_op (6.1). */
#include <net/genetlink.h>

int arc_probe(struct genl_family *f);
int arc_probe(struct genl_family *f)
{
	return f->resv_start_op;
}
