/* SPDX-License-Identifier: GPL-2.0 */
/* Discard is also switched on by QUEUE_FLAG_DISCARD (before 5.19). */
#include <linux/blkdev.h>

int arc_probe(void);
int arc_probe(void)
{
	return QUEUE_FLAG_DISCARD;
}
