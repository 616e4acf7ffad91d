/* SPDX-License-Identifier: GPL-2.0 */
/* A bio-based driver accounts its I/O with bio_{start,end}_io_acct() (5.8). */
#include <linux/blkdev.h>

void arc_probe(struct bio *bio);
void arc_probe(struct bio *bio)
{
	unsigned long start = bio_start_io_acct(bio);

	bio_end_io_acct(bio, start);
}
