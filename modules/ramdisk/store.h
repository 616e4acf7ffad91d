/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ARC_RAMDISK_STORE_H
#define _ARC_RAMDISK_STORE_H

#include <linux/atomic.h>
#include <linux/blkdev.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/xarray.h>

#define STORE_PAGE_SECTORS_SHIFT	(PAGE_SHIFT - SECTOR_SHIFT)

/**
 * struct ramdisk_store - the sparse contents of one RAM disk
 * @pages: page-sized chunks of data, indexed by sector >> (PAGE_SHIFT - SECTOR_SHIFT).
 *	A missing page reads as zeroes; a page is allocated on its first
 *	write and freed by discard or write-zeroes covering all of it.
 * @nr_pages: pages currently allocated (what the disk costs in RAM)
 * @reserve_pages: a new page is allocated only while the system has more
 *	than this many pages available (MemAvailable): a disk larger than
 *	what is left fails writes with ENOMEM instead of pushing the rest
 *	of the system into the OOM killer
 * @alloc_nowait: a write that cannot sleep may allocate the pages it needs
 *	from what is free right now; if false, it leaves every allocation
 *	to a caller that can sleep (it returns -EAGAIN)
 * @sleep_ms: test only: a caller that can sleep sleeps this long before
 *	allocating each page (0: not at all), so that the sleeping path
 *	really sleeps, as it would under memory pressure
 *
 * Lookups are lockless: readers and writers copy under rcu_read_lock()
 * (see struct ramdisk_cursor), and removed pages are freed after a grace
 * period, so a copy never races with the page being freed.
 */
struct ramdisk_store {
	struct xarray pages;
	atomic_long_t nr_pages;
	unsigned long reserve_pages;
	bool alloc_nowait;
	unsigned int sleep_ms;
};

/**
 * struct ramdisk_cursor - one request's copy through the store
 * @s: the store
 * @xas: where in @s->pages the last page looked up is
 * @sector: the next sector to copy
 *
 * A request copies between its segments and consecutive pages of the
 * store. The cursor holds one RCU read-side section for the whole request
 * (from ramdisk_cursor_start() to ramdisk_cursor_end()), and steps from a
 * page to the next one through the array instead of looking each page up
 * from the top.
 */
struct ramdisk_cursor {
	struct ramdisk_store *s;
	struct xa_state xas;
	sector_t sector;
};

void ramdisk_store_init(struct ramdisk_store *s, unsigned long reserve_pages,
			bool alloc_nowait, unsigned int sleep_ms);
void ramdisk_store_destroy(struct ramdisk_store *s);
int ramdisk_store_write(struct ramdisk_cursor *c, const void *src,
			unsigned int len, bool can_sleep);
void ramdisk_store_read(struct ramdisk_cursor *c, void *dst, unsigned int len);
void ramdisk_store_zero(struct ramdisk_store *s, sector_t sector,
			sector_t nr_sectors, bool can_sleep);

/**
 * ramdisk_cursor_start() - begin a request's copy
 * @c: the cursor
 * @s: the store
 * @sector: the request's first sector
 *
 * Enters an RCU read-side section, which ramdisk_cursor_end() leaves.
 */
static inline void ramdisk_cursor_start(struct ramdisk_cursor *c,
					struct ramdisk_store *s,
					sector_t sector)
	__acquires(RCU)
{
	/*
	 * At the first page itself: a fresh state does not move on
	 * xas_next(), so the first lookup must be the walk from the top.
	 */
	XA_STATE(xas, &s->pages, sector >> STORE_PAGE_SECTORS_SHIFT);

	c->s = s;
	c->xas = xas;
	c->sector = sector;
	rcu_read_lock();
}

/**
 * ramdisk_cursor_end() - end a request's copy
 * @c: the cursor
 */
static inline void ramdisk_cursor_end(struct ramdisk_cursor *c)
	__releases(RCU)
{
	rcu_read_unlock();
}

static inline unsigned long ramdisk_store_pages(struct ramdisk_store *s)
{
	return atomic_long_read(&s->nr_pages);
}

#endif /* _ARC_RAMDISK_STORE_H */
