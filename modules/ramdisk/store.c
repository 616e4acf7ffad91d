// SPDX-License-Identifier: GPL-2.0
/*
 * The RAM disk's data model: a sparse array of pages (see store.h). Every
 * function here does one step; the request path in disk.c strings them
 * together per segment.
 */
#include <linux/blkdev.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

#include <arc/arc.h>
#include "store.h"

#define STORE_PAGE_SECTORS		(PAGE_SIZE >> SECTOR_SHIFT)

/*
 * No __GFP_NOFAIL, no endless retry: under memory pressure a write fails
 * with an error instead of stalling the queue forever. NOIO because we
 * run in the block layer's I/O path. Where the caller cannot sleep, only
 * what is free right now: the caller retries with STORE_GFP from process
 * context when that is not enough.
 */
#define STORE_GFP		(GFP_NOIO | __GFP_NORETRY | __GFP_NOWARN)
#define STORE_GFP_ATOMIC	(GFP_NOWAIT | __GFP_NOWARN)

void ramdisk_store_init(struct ramdisk_store *s, unsigned long reserve_pages,
			bool alloc_nowait, unsigned int sleep_ms)
{
	xa_init(&s->pages);
	atomic_long_set(&s->nr_pages, 0);
	s->reserve_pages = reserve_pages;
	s->alloc_nowait = alloc_nowait;
	s->sleep_ms = sleep_ms;
}

static pgoff_t sector_page(sector_t sector)
{
	return sector >> STORE_PAGE_SECTORS_SHIFT;
}

static unsigned int sector_offset(sector_t sector)
{
	return (sector & (STORE_PAGE_SECTORS - 1)) << SECTOR_SHIFT;
}

static void store_free_page_rcu(struct rcu_head *head)
{
	__free_page(container_of(head, struct page, rcu_head));
}

/*
 * Insert a zeroed page at @idx unless a concurrent writer got there first.
 * -EAGAIN: not without sleeping; -ENOMEM: not at all.
 */
static int store_insert_page(struct ramdisk_store *s, pgoff_t idx,
			     bool can_sleep)
{
	gfp_t gfp = can_sleep ? STORE_GFP : STORE_GFP_ATOMIC;
	struct page *page, *cur;

	if (!can_sleep && !s->alloc_nowait)
		return -EAGAIN;
	if (s->reserve_pages && si_mem_available() < (long)s->reserve_pages)
		return -ENOMEM;
	page = alloc_page(gfp | __GFP_ZERO | __GFP_HIGHMEM);
	if (!page)
		return can_sleep ? -ENOMEM : -EAGAIN;
	cur = xa_cmpxchg(&s->pages, idx, NULL, page, gfp);
	if (cur) {
		__free_page(page);
		if (!xa_is_err(cur))
			return 0;
		return can_sleep ? xa_err(cur) : -EAGAIN;
	}
	atomic_long_inc(&s->nr_pages);
	return 0;
}

/* store_insert_page() with reclaim, outside the caller's RCU section. */
static int store_insert_page_sleep(struct ramdisk_store *s, pgoff_t idx)
	__releases(RCU) __acquires(RCU)
{
	int err;

	rcu_read_unlock();
	arc_might_sleep();
	if (s->sleep_ms)
		msleep(s->sleep_ms);
	err = store_insert_page(s, idx, true);
	rcu_read_lock();
	return err;
}

/*
 * The page holding the cursor's sector, or NULL. The next page of the
 * previous one is one step through the array; any other (the first, or
 * the same page again after an insert or for a segment that starts in
 * it) is looked up from the top.
 */
static struct page *cursor_page(struct ramdisk_cursor *c)
{
	pgoff_t idx = sector_page(c->sector);
	void *entry;

	if (idx == c->xas.xa_index + 1) {
		entry = xas_next(&c->xas);
	} else {
		xas_set(&c->xas, idx);
		entry = xas_load(&c->xas);
	}
	/* A node being freed or moved: look again from the top. */
	while (xa_is_retry(entry)) {
		xas_set(&c->xas, idx);
		entry = xas_load(&c->xas);
	}
	return xa_is_zero(entry) ? NULL : entry;
}

/* Advance @c by @n bytes, a multiple of SECTOR_SIZE. */
static void cursor_advance(struct ramdisk_cursor *c, unsigned int n)
{
	c->sector += n >> SECTOR_SHIFT;
}

/**
 * ramdisk_store_write() - copy data into the disk
 * @c: the request's cursor; advanced past what was copied
 * @src: the data
 * @len: bytes, a multiple of SECTOR_SIZE (may span two pages)
 * @can_sleep: whether a missing page may be allocated with reclaim (the
 *	RCU section is then left while the page is allocated)
 *
 * Return: 0; -EAGAIN when a page is missing that only a caller who can
 * sleep may allocate; -ENOMEM when a page could not be allocated at all.
 * What was copied before an error stays.
 */
int ramdisk_store_write(struct ramdisk_cursor *c, const void *src,
			unsigned int len, bool can_sleep)
{
	while (len) {
		unsigned int off = sector_offset(c->sector);
		unsigned int n = min_t(unsigned int, len, PAGE_SIZE - off);
		struct page *page = cursor_page(c);
		pgoff_t idx = sector_page(c->sector);
		void *dst;
		int err;

		if (!page) {
			err = can_sleep ? store_insert_page_sleep(c->s, idx) :
					  store_insert_page(c->s, idx, false);
			if (err)
				return err;
			continue;	/* and look the page up again */
		}
		dst = arc_kmap_local(page);
		memcpy(dst + off, src, n);
		arc_kunmap_local(dst);
		src += n;
		len -= n;
		cursor_advance(c, n);
	}
	return 0;
}

/**
 * ramdisk_store_read() - copy data out of the disk
 * @c: the request's cursor; advanced past what was copied
 * @dst: where to copy to
 * @len: bytes, a multiple of SECTOR_SIZE (may span two pages)
 *
 * Sectors never written (or discarded since) read as zeroes.
 */
void ramdisk_store_read(struct ramdisk_cursor *c, void *dst, unsigned int len)
{
	while (len) {
		unsigned int off = sector_offset(c->sector);
		unsigned int n = min_t(unsigned int, len, PAGE_SIZE - off);
		struct page *page = cursor_page(c);
		void *src;

		if (page) {
			src = arc_kmap_local(page);
			memcpy(dst, src + off, n);
			arc_kunmap_local(src);
		} else {
			memset(dst, 0, n);
		}
		dst += n;
		len -= n;
		cursor_advance(c, n);
	}
}

/* Zero part of one page, if it exists. */
static void store_zero_partial(struct ramdisk_store *s, pgoff_t idx,
			       unsigned int off, unsigned int len)
{
	struct page *page;
	void *addr;

	rcu_read_lock();
	page = xa_load(&s->pages, idx);
	if (page) {
		addr = arc_kmap_local(page);
		memset(addr + off, 0, len);
		arc_kunmap_local(addr);
	}
	rcu_read_unlock();
}

/* Pages freed between two rescheduling points by a caller that may sleep. */
#define STORE_DROP_BATCH	256

/*
 * Free every allocated page in [first, last]; with @can_sleep, offer the
 * CPU to others after every STORE_DROP_BATCH pages (the iteration holds
 * no lock or RCU section between two pages).
 */
static void store_drop_pages(struct ramdisk_store *s, pgoff_t first,
			     pgoff_t last, bool can_sleep)
{
	unsigned int batch = 0;
	struct page *page;
	unsigned long idx;

	xa_for_each_range(&s->pages, idx, page, first, last) {
		if (can_sleep && ++batch == STORE_DROP_BATCH) {
			batch = 0;
			cond_resched();
		}
		if (xa_erase(&s->pages, idx) != page)
			continue;
		atomic_long_dec(&s->nr_pages);
		call_rcu(&page->rcu_head, store_free_page_rcu);
	}
}

/**
 * ramdisk_store_zero() - make a range read as zeroes (discard, write zeroes)
 * @s: the store
 * @sector: first sector
 * @nr_sectors: number of sectors
 * @can_sleep: whether the caller may be rescheduled; if not, the range
 *	should be short, as every page in it is freed before this returns
 *
 * Pages wholly inside the range are freed; partly covered pages at either
 * end are zeroed in place.
 */
void ramdisk_store_zero(struct ramdisk_store *s, sector_t sector,
			sector_t nr_sectors, bool can_sleep)
{
	sector_t end = sector + nr_sectors;
	sector_t first_full = round_up(sector, STORE_PAGE_SECTORS);
	sector_t end_full = round_down(end, STORE_PAGE_SECTORS);

	if (first_full >= end_full) {
		/* Within one page, or straddling one page boundary. */
		while (sector < end) {
			unsigned int off = sector_offset(sector);
			sector_t n = min_t(sector_t, end - sector,
					   (PAGE_SIZE - off) >> SECTOR_SHIFT);

			store_zero_partial(s, sector_page(sector), off,
					   n << SECTOR_SHIFT);
			sector += n;
		}
		return;
	}
	if (sector < first_full)
		store_zero_partial(s, sector_page(sector),
				   sector_offset(sector),
				   (first_full - sector) << SECTOR_SHIFT);
	store_drop_pages(s, sector_page(first_full),
			 sector_page(end_full) - 1, can_sleep);
	if (end_full < end)
		store_zero_partial(s, sector_page(end_full), 0,
				   (end - end_full) << SECTOR_SHIFT);
}

/**
 * ramdisk_store_destroy() - free every page
 * @s: the store; no I/O may be in flight
 *
 * Pages freed earlier by discard may still be waiting for their RCU grace
 * period: the module's exit path calls rcu_barrier() before unloading.
 */
void ramdisk_store_destroy(struct ramdisk_store *s)
{
	struct page *page;
	unsigned long idx;

	xa_for_each(&s->pages, idx, page)
		__free_page(page);
	xa_destroy(&s->pages);
	atomic_long_set(&s->nr_pages, 0);
}
