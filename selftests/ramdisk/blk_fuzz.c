// SPDX-License-Identifier: GPL-2.0
/*
 * Block request fuzzer of a RAM disk (fuzz_blk.sh loads it): random mixes
 * of buffered and O_DIRECT reads and writes (plain and vectored, at every
 * alignment, partly or wholly past the end), BLKDISCARD, BLKZEROOUT,
 * BLKSECDISCARD, fsync, fdatasync and BLKFLSBUF against an in-memory
 * model of the whole disk, and bursts of the same from several threads
 * on disjoint parts of it (so that requests come from several CPUs into
 * several hardware queues at once).
 *
 * Every call's result is checked exactly (length, short count or errno),
 * every read against the model, and at each flush the disk's count of
 * allocated pages (/sys/block/NAME/ramdisk/pages) against the model's;
 * at the end the whole disk is read back. The model follows
 * Documentation/ramdisk.md: sectors never written read as zeroes, a page
 * is allocated once a write of any part of it reaches the disk, and
 * DISCARD and WRITE_ZEROES (BLKZEROOUT) free the pages they cover
 * entirely and zero the parts of the others they cover.
 *
 *	blk_fuzz DEVICE [COUNT]	e.g. /dev/arcram0; COUNT: inputs of a full
 *				run (default 20000, see fuzz.h)
 *
 * Prints "# pages N" last: what the disk must hold once it is closed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../fuzz/fuzz.h"

#define SECTOR		512
#define PAGE		4096
#define MAX_IO		(2 << 20)	/* two of the disk's largest requests */
#define MAX_IOV		8
#define NR_WORKERS	4
#define WORKER_OPS	16
#define CHECK_EVERY	64		/* ops between two page-count checks */

struct disk {
	const char *name;
	int fd;			/* buffered */
	int dfd;		/* O_DIRECT */
	uint64_t size;
	unsigned char *model;	/* what every byte must read as */
	/*
	 * Per 4 KiB page: whether the disk holds it once the page cache is
	 * written back. A write of any part of a page allocates it (the page
	 * cache writes whole 4 KiB blocks back); only a discard or zeroout
	 * covering all of it frees it. When writeback happens does not
	 * matter: a dirty page that a discard covers is dropped from the
	 * cache unwritten, one it covers in part is written back later.
	 */
	unsigned char *held;
	char pages_path[128];
};

/* One thread's fuzzing state: the main one, or a worker of a burst. */
struct fuzzer {
	struct disk *d;
	struct fuzz *f;
	uint64_t lo, hi;	/* the part of the disk it works on */
	bool main;		/* past-the-end and whole-disk ops too */
	unsigned char *buf;	/* MAX_IO + PAGE bytes, page aligned */
	unsigned char *rbuf;
	char err[512];		/* the first failure */
	const char *what;	/* the op being run, for the tally */
};

static void failf(struct fuzzer *z, const char *fmt, ...)
{
	va_list ap;

	if (z->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(z->err, sizeof(z->err), fmt, ap);
	va_end(ap);
}

/* A result as a string; two at a time may be in use (got, want). */
static const char *errname(long r)
{
	static __thread char s[2][32];
	static __thread int i;

	switch (-r) {
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EIO: return "EIO";
	case ENOMEM: return "ENOMEM";
	}
	i ^= 1;
	if (r >= 0)
		snprintf(s[i], sizeof(s[i]), "%ld", r);
	else
		snprintf(s[i], sizeof(s[i]), "errno %ld", -r);
	return s[i];
}

static void *alloc_aligned(size_t len)
{
	void *p = NULL;

	if (posix_memalign(&p, PAGE, len))
		return NULL;
	return p;
}

/* Random bytes, eight at a time (one generator call per byte is slow). */
static void fill(struct fuzz *f, unsigned char *p, size_t len)
{
	uint64_t v;

	while (len >= 8) {
		v = fuzz_rand(f);
		memcpy(p, &v, 8);
		p += 8;
		len -= 8;
	}
	if (len) {
		v = fuzz_rand(f);
		memcpy(p, &v, len);
	}
}

static void mark_written(struct disk *d, uint64_t off, uint64_t len)
{
	uint64_t p;

	for (p = off / PAGE; p * PAGE < off + len; p++)
		d->held[p] = 1;
}

/* A discard or zeroout of [off, off + len) as the disk does it. */
static void model_zero(struct disk *d, uint64_t off, uint64_t len)
{
	uint64_t p;

	memset(d->model + off, 0, len);
	for (p = (off + PAGE - 1) / PAGE; (p + 1) * PAGE <= off + len; p++)
		d->held[p] = 0;
}

static long held_pages(struct disk *d)
{
	uint64_t p;
	long n = 0;

	for (p = 0; p < d->size / PAGE; p++)
		n += d->held[p];
	return n;
}

static long disk_pages(struct disk *d)
{
	FILE *f = fopen(d->pages_path, "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/* Compare what a read returned with the model; report the first difference. */
static bool check_data(struct fuzzer *z, const char *what,
		       const unsigned char *got, uint64_t off, uint64_t len)
{
	const unsigned char *want = z->d->model + off;
	uint64_t i;

	if (!memcmp(got, want, len))
		return true;
	for (i = 0; i < len && got[i] == want[i]; i++)
		;
	failf(z, "%s: %llu bytes at %llu: byte %llu (disk offset %llu, page %llu) is 0x%02x, want 0x%02x",
	      what, (unsigned long long)len, (unsigned long long)off,
	      (unsigned long long)i, (unsigned long long)(off + i),
	      (unsigned long long)((off + i) / PAGE), got[i], want[i]);
	return false;
}

/* Read [off, off + len) back (buffered, as a user sees it) and compare. */
static bool verify_range(struct fuzzer *z, const char *what, uint64_t off,
			 uint64_t len)
{
	ssize_t r;

	if (off >= z->d->size)
		return true;
	if (len > z->d->size - off)
		len = z->d->size - off;
	if (len > MAX_IO)
		len = MAX_IO;
	r = pread(z->d->fd, z->rbuf, len, off);
	if (r != (ssize_t)len) {
		failf(z, "%s: reading back %llu bytes at %llu gave %s",
		      what, (unsigned long long)len, (unsigned long long)off,
		      errname(r < 0 ? -errno : r));
		return false;
	}
	return check_data(z, what, z->rbuf, off, len);
}

/* The whole disk as a user sees it (buffered), against the model. */
static bool verify_all(struct fuzzer *z, const char *what)
{
	uint64_t off;

	for (off = 0; off < z->d->size; off += MAX_IO)
		if (!verify_range(z, what, off, MAX_IO))
			return false;
	return true;
}

/*
 * A length: mostly sectors to tens of KiB, sometimes up to MAX_IO, a
 * multiple of @align (1, 512 or 4096).
 */
static uint64_t pick_len(struct fuzz *f, uint64_t align)
{
	uint64_t len;

	switch (fuzz_below(f, 8)) {
	case 0:
		len = 1 + fuzz_below(f, 2 * SECTOR);
		break;
	case 1:
	case 2:
	case 3:
		len = 1 + fuzz_below(f, 16 * PAGE);
		break;
	case 4:
	case 5:
		len = 1 + fuzz_below(f, 256 * PAGE);
		break;
	case 6:
		/* One request's worth, or one around it. */
		len = (1 << 20) + (fuzz_below(f, 3) - 1) * align;
		break;
	default:
		len = 1 + fuzz_below(f, MAX_IO);
		break;
	}
	len -= len % align;
	return len ? len : align;
}

/*
 * An offset in [lo, hi - len], a multiple of @align: anywhere, or near a
 * page, a 1 MiB or a 64-page (one xarray node) boundary, or an end.
 */
static uint64_t pick_off(struct fuzz *f, uint64_t lo, uint64_t hi,
			 uint64_t len, uint64_t align)
{
	uint64_t span = hi - lo - len, off, unit;

	switch (fuzz_below(f, 6)) {
	case 0:
		off = 0;
		break;
	case 1:
		off = span;
		break;
	case 2:
	case 3:
		unit = fuzz_chance(f, 2) ? PAGE : fuzz_chance(f, 2) ?
			(1 << 20) : 64 * PAGE;
		off = fuzz_below(f, span / unit + 1) * unit;
		off += fuzz_below(f, 2 * SECTOR + 1) - SECTOR;
		if ((int64_t)off < 0 || off > span)
			off = fuzz_below(f, span + 1);
		break;
	default:
		off = fuzz_below(f, span + 1);
		break;
	}
	off = lo + off;
	off -= (off - lo) % align;	/* lo is page aligned */
	return off;
}

static uint64_t pick_align(struct fuzz *f)
{
	switch (fuzz_below(f, 3)) {
	case 0: return 1;
	case 1: return SECTOR;
	default: return PAGE;
	}
}

/*
 * Split @len bytes of @buf into 2..MAX_IOV iovecs, each a multiple of
 * @unit (the last may be shorter when @len is not).
 */
static int split_iov(struct fuzz *f, struct iovec *iov, unsigned char *buf,
		     uint64_t len, uint64_t unit)
{
	int n = 2 + fuzz_below(f, MAX_IOV - 1), i;
	uint64_t left = len, piece;

	for (i = 0; i < n - 1 && left > unit; i++) {
		piece = fuzz_below(f, left / unit) * unit;
		if (!piece)
			piece = unit;
		iov[i].iov_base = buf;
		iov[i].iov_len = piece;
		buf += piece;
		left -= piece;
	}
	iov[i].iov_base = buf;
	iov[i].iov_len = left;
	return i + 1;
}

enum misalign {
	ALIGNED,
	BAD_OFFSET,	/* the position is not a multiple of 512 */
	BAD_LENGTH,	/* the length is not */
	BAD_MEMORY,	/* the buffer's address is not */
	BAD_SEGMENT,	/* one iovec's length is not, the total is */
};

/*
 * What a read or write of @len bytes at @off must return: the block
 * layer's rules (block/fops.c). Nothing at or past the end (a write:
 * ENOSPC, a read: 0); a request crossing it is cut short there; O_DIRECT
 * needs the position and, after the cut, the length and every segment to
 * be multiples of the logical block size (512 here), and the memory to
 * be aligned to it (the queue's DMA alignment), or EINVAL.
 */
static long expect_rw(struct disk *d, bool write, bool direct, uint64_t off,
		      uint64_t len, enum misalign bad, bool *lenient)
{
	uint64_t n;

	*lenient = false;
	if (!len)
		return 0;
	if (off >= d->size)
		return write ? -ENOSPC : 0;
	n = len < d->size - off ? len : d->size - off;
	if (!direct)
		return n;
	if (off % SECTOR || n % SECTOR)
		return -EINVAL;
	/*
	 * Memory alignment is the queue's DMA alignment (511 on every
	 * kernel arc builds for); a kernel may one day take any segment of
	 * sectors as a whole: then a success must still be exact.
	 */
	if (bad == BAD_MEMORY || bad == BAD_SEGMENT) {
		*lenient = true;
		return -EINVAL;
	}
	return n;
}

/* Reads and writes: plain or vectored, buffered or O_DIRECT. */
static void op_rw(struct fuzzer *z, bool write, bool direct, bool vec,
		  bool past_end)
{
	struct disk *d = z->d;
	struct fuzz *f = z->f;
	enum misalign bad = ALIGNED;
	uint64_t align, len, off, n;
	unsigned char *mem = z->buf;
	struct iovec iov[MAX_IOV];
	bool lenient;
	long want, got;
	int fd = direct ? d->dfd : d->fd, niov = 1;
	char what[96];

	align = direct ? (fuzz_chance(f, 2) ? PAGE : SECTOR) : pick_align(f);
	if (direct && fuzz_chance(f, 6))
		bad = 1 + fuzz_below(f, vec ? 4 : 3);
	len = pick_len(f, align);
	if (bad == BAD_SEGMENT && len < 2 * SECTOR)
		len = 2 * SECTOR;
	if (past_end) {
		/* From a few pages before the end to a few past it. */
		off = d->size - 4 * PAGE + fuzz_below(f, 8 * PAGE);
		off -= off % align;
	} else {
		/* Room for the misalignments below, inside [lo, hi). */
		if (len > z->hi - z->lo - PAGE)
			len = z->hi - z->lo - PAGE;
		off = pick_off(f, z->lo, z->hi - PAGE, len, align);
	}
	if (bad == BAD_LENGTH)
		len = len > SECTOR ? len - 1 - fuzz_below(f, SECTOR - 1) : len + 7;
	if (bad == BAD_OFFSET)
		off += 1 + fuzz_below(f, SECTOR - 1);
	if (bad == BAD_MEMORY)
		mem += 1 + fuzz_below(f, SECTOR - 1);
	if (write)
		fill(f, mem, len);
	else
		memset(mem, 0xa5, len);
	if (vec) {
		niov = split_iov(f, iov, mem, len, direct ? SECTOR : 1);
		if (bad == BAD_SEGMENT) {
			if (niov < 2)
				niov = split_iov(f, iov, mem, len, SECTOR);
			/* Move 1-511 bytes from the first segment to the second. */
			n = 1 + fuzz_below(f, SECTOR - 1);
			if (niov < 2 || iov[0].iov_len <= n) {
				bad = ALIGNED;
			} else {
				iov[0].iov_len -= n;
				iov[1].iov_base = (unsigned char *)iov[1].iov_base - n;
				iov[1].iov_len += n;
			}
		}
	} else {
		iov[0].iov_base = mem;
		iov[0].iov_len = len;
	}

	want = expect_rw(d, write, direct, off, len, bad, &lenient);
	if (write)
		got = vec ? pwritev(fd, iov, niov, off) : pwrite(fd, mem, len, off);
	else
		got = vec ? preadv(fd, iov, niov, off) : pread(fd, mem, len, off);
	if (got < 0)
		got = -errno;
	snprintf(what, sizeof(what), "%s%s %s of %llu at %llu%s",
		 vec ? "vectored " : "", direct ? "O_DIRECT" : "buffered",
		 write ? "write" : "read", (unsigned long long)len,
		 (unsigned long long)off,
		 bad == ALIGNED ? "" : bad == BAD_OFFSET ? " (offset unaligned)" :
		 bad == BAD_LENGTH ? " (length unaligned)" :
		 bad == BAD_MEMORY ? " (memory unaligned)" : " (segment unaligned)");
	n = d->size - off < len ? d->size - off : len;
	if (got != want && !(lenient && got == (long)n)) {
		failf(z, "%s: %s, want %s", what, errname(got), errname(want));
		return;
	}
	if (got > 0) {
		if (write) {
			memcpy(d->model + off, mem, got);
			mark_written(d, off, got);
		} else if (!check_data(z, what, mem, off, got)) {
			return;
		}
	}
	if (got < 0 && write)
		verify_range(z, what, off, len);	/* nothing changed */
	z->what = got < 0 ? (write ? "write refused" : "read refused") :
		  got < (long)len ? (write ? "short write" : "short read") :
		  write ? (direct ? "direct write" : "buffered write") :
		  (direct ? "direct read" : "buffered read");
	/* Only where the cut at the end left an aligned request. */
	if (lenient && got >= 0)
		z->what = got < (long)len ? "unaligned direct I/O cut to aligned" :
			  "unaligned direct I/O accepted whole";
}

/*
 * BLKDISCARD, BLKZEROOUT and BLKSECDISCARD. The block layer checks the
 * range (block/ioctl.c): start and length multiples of 512, the end
 * within the disk (a zero-length zeroout is refused too), or EINVAL.
 */
static void op_range(struct fuzzer *z, unsigned long cmd)
{
	struct disk *d = z->d;
	struct fuzz *f = z->f;
	uint64_t range[2], start, len, align;
	const char *name = cmd == BLKDISCARD ? "BLKDISCARD" :
			   cmd == BLKZEROOUT ? "BLKZEROOUT" : "BLKSECDISCARD";
	bool valid;
	long want, got;
	char what[96];

	align = fuzz_chance(f, 2) ? PAGE : SECTOR;
	len = pick_len(f, align);
	if (fuzz_chance(f, 4))
		len *= 1 + fuzz_below(f, 16);
	if (len > z->hi - z->lo)
		len = z->hi - z->lo;
	start = pick_off(f, z->lo, z->hi, len, align);
	if (z->main) {
		switch (fuzz_below(f, 12)) {
		case 0:		/* the whole disk */
			start = 0;
			len = d->size;
			break;
		case 1:		/* misaligned */
			if (fuzz_chance(f, 2))
				start += 1 + fuzz_below(f, SECTOR - 1);
			else
				len += 1 + fuzz_below(f, SECTOR - 1);
			break;
		case 2:		/* past the end, or wrapping around */
			start = d->size - fuzz_below(f, 4) * PAGE;
			len = SECTOR * (1 + fuzz_below(f, 16));
			/*
			 * Only a zeroout may wrap: 5.10's BLKDISCARD and
			 * BLKSECDISCARD do not check start + len for
			 * overflow, and a wrapped discard there loops
			 * through 2^32 bios that all fail, in a process no
			 * signal stops (first it zeroes part of a cached
			 * page outside the range).
			 */
			if (cmd == BLKZEROOUT && fuzz_chance(f, 2))
				len = (uint64_t)-(int64_t)(SECTOR * (1 + fuzz_below(f, 4)));
			break;
		case 3:		/* nothing at all, often from the start */
			len = 0;
			if (fuzz_chance(f, 2))
				start = 0;
			break;
		}
	}
	valid = !(start % SECTOR) && !(len % SECTOR) && len &&
		start + len >= start && start + len <= d->size;
	if (cmd == BLKSECDISCARD) {
		/*
		 * The disk has no secure erase. 6.1 says so before looking at
		 * the range; 5.10 checks the range first, and truncates the
		 * page cache over it before it finds out (its dirty pages
		 * dropped unwritten, partial pages zeroed in the cache only),
		 * so a valid range is made page aligned, and clean.
		 */
		if (valid) {
			start -= start % PAGE;
			len -= len % PAGE;
			if (!len)
				len = PAGE;
			if (start + len > d->size)
				start = d->size - len;
			if (fsync(d->fd)) {
				failf(z, "fsync: %s", strerror(errno));
				return;
			}
		}
		want = -EOPNOTSUPP;
	} else {
		want = valid ? 0 : -EINVAL;
	}
	/*
	 * See probe_empty_discard(): a kernel bug, not arc's (on 5.10 in
	 * BLKSECDISCARD too, which goes through the same code there).
	 */
	if (cmd != BLKZEROOUT && !start && !len && fsync(d->fd)) {
		failf(z, "fsync: %s", strerror(errno));
		return;
	}
	range[0] = start;
	range[1] = len;
	got = ioctl(d->fd, cmd, range) ? -errno : 0;
	snprintf(what, sizeof(what), "%s of %llu at %llu", name,
		 (unsigned long long)len, (unsigned long long)start);
	/*
	 * Refusing a secure erase may come before or after the range is
	 * checked; a discard of nothing is EINVAL on 6.1, done (0) on
	 * kernels that send no bio for it. Either way nothing may change.
	 */
	if (got != want && !(cmd == BLKSECDISCARD && !valid && got == -EINVAL) &&
	    !(cmd == BLKDISCARD && !len && !got)) {
		failf(z, "%s: %s, want %s", what, errname(got), errname(want));
		return;
	}
	if (!len) {
		/* Nothing anywhere changed (dirty page cache kept too). */
		verify_all(z, what);
	} else if (!got) {
		model_zero(d, start, len);
		/* Zeroes where it was, the rest as it was. */
		if (start >= z->lo + PAGE)
			verify_range(z, what, start - PAGE, PAGE);
		verify_range(z, what, start, len);
		if (start + len + PAGE <= z->hi)
			verify_range(z, what, start + len, PAGE);
	} else if (start < d->size) {
		verify_range(z, what, start, len);
	}
	z->what = got ? (cmd == BLKSECDISCARD && valid ? "secdiscard unsupported" :
			 "range refused") :
		  cmd == BLKDISCARD ? "discard" : "zeroout";
}

/* Whether the disk holds exactly the pages the model says it does. */
static bool check_pages(struct fuzzer *z, const char *when)
{
	long want = held_pages(z->d), got = disk_pages(z->d);

	if (got != want) {
		failf(z, "after %s: the disk holds %ld pages, the model %ld",
		      when, got, want);
		return false;
	}
	return true;
}

static void op_flush(struct fuzzer *z)
{
	struct disk *d = z->d;
	const char *what;
	int r;

	switch (fuzz_below(z->f, 3)) {
	case 0:
		what = "fsync";
		r = fsync(fuzz_chance(z->f, 2) ? d->fd : d->dfd);
		break;
	case 1:
		what = "fdatasync";
		r = fdatasync(d->fd);
		break;
	default:
		/* Writes the page cache back and drops it. */
		what = "BLKFLSBUF";
		r = ioctl(d->fd, BLKFLSBUF, 0);
		break;
	}
	if (r) {
		failf(z, "%s: %s", what, strerror(errno));
		return;
	}
	if (z->main)
		check_pages(z, what);
	z->what = what;
}

/* One random operation within the fuzzer's part of the disk. */
static void one_op(struct fuzzer *z)
{
	struct fuzz *f = z->f;
	unsigned int op = fuzz_below(f, z->main ? 24 : 20);
	bool write = fuzz_chance(f, 2);

	switch (op) {
	case 0 ... 3:
		op_rw(z, write, false, false, false);
		break;
	case 4 ... 7:
		op_rw(z, write, true, false, false);
		break;
	case 8 ... 9:
		op_rw(z, write, false, true, false);
		break;
	case 10 ... 11:
		op_rw(z, write, true, true, false);
		break;
	case 12 ... 14:
		op_range(z, BLKDISCARD);
		break;
	case 15 ... 17:
		op_range(z, BLKZEROOUT);
		break;
	case 18 ... 19:
		op_flush(z);
		break;
	case 20 ... 21:
		/* Past the end: the rules apply, nothing lands there. */
		op_rw(z, write, fuzz_chance(f, 2), fuzz_chance(f, 3), true);
		break;
	case 22:
		op_range(z, BLKSECDISCARD);
		break;
	default:
		op_flush(z);
		break;
	}
}

struct worker {
	pthread_t thread;
	struct fuzzer z;
	struct fuzz f;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	int i;

	for (i = 0; i < WORKER_OPS && !w->z.err[0]; i++)
		one_op(&w->z);
	return NULL;
}

/*
 * NR_WORKERS threads at once, each on its own quarter of the disk
 * (quarters are page aligned: no page, so no page-cache page, is shared).
 * Without readahead meanwhile: a thread's buffered read would otherwise
 * bring its neighbour's pages into the cache while the neighbour writes
 * them with O_DIRECT, and the page cache does not promise to stay
 * coherent with direct I/O that races with it.
 */
static void burst(struct fuzzer *z, struct worker *w, unsigned long *ops)
{
	uint64_t part = z->d->size / NR_WORKERS;
	long ra;
	int i;

	if (ioctl(z->d->fd, BLKRAGET, &ra) || ioctl(z->d->fd, BLKRASET, 0)) {
		failf(z, "readahead off: %s", strerror(errno));
		return;
	}

	for (i = 0; i < NR_WORKERS; i++) {
		w[i].f = *z->f;
		w[i].f.state = fuzz_rand(z->f);
		w[i].z.f = &w[i].f;
		w[i].z.lo = i * part;
		w[i].z.hi = (i + 1) * part;
		w[i].z.err[0] = 0;
		if (pthread_create(&w[i].thread, NULL, worker_run, &w[i])) {
			failf(z, "pthread_create: %s", strerror(errno));
			while (i--)
				pthread_join(w[i].thread, NULL);
			ioctl(z->d->fd, BLKRASET, ra);
			return;
		}
	}
	for (i = 0; i < NR_WORKERS; i++) {
		pthread_join(w[i].thread, NULL);
		if (w[i].z.err[0])
			failf(z, "thread %d of a burst: %s", i, w[i].z.err);
	}
	if (ioctl(z->d->fd, BLKRASET, ra))
		failf(z, "readahead back to %ld: %s", ra, strerror(errno));
	*ops += NR_WORKERS * WORKER_OPS;
	z->what = "parallel burst";
}

/*
 * A BLKDISCARD of nothing at offset 0 ({ 0, 0 }) may drop every dirty
 * page of the device's page cache, unwritten, before it is refused: the
 * ioctl (block/ioctl.c, 6.1) truncates the page cache over [start,
 * start + len - 1] before blkdev_issue_discard() refuses a length of 0,
 * and with start 0 that end is -1, which truncate_inode_pages_range()
 * reads as "to the end of the file". Data written through the page cache
 * and not yet written back is silently lost, by a call that fails. The
 * fuzzer writes its dirty pages back before such a call; this says
 * whether the kernel has the bug (on an empty disk, before the fuzzing).
 */
static void probe_empty_discard(struct disk *d, unsigned char *buf)
{
	uint64_t range[2] = { 0, 0 };
	long r;

	memset(buf, 0x5a, PAGE);
	if (pwrite(d->fd, buf, PAGE, 8 * PAGE) != PAGE) {
		printf("# probe: buffered write: %s\n", strerror(errno));
		return;
	}
	r = ioctl(d->fd, BLKDISCARD, range) ? -errno : 0;
	memset(buf, 0, PAGE);
	if (pread(d->fd, buf, PAGE, 8 * PAGE) != PAGE) {
		printf("# probe: buffered read: %s\n", strerror(errno));
		return;
	}
	printf("# kernel: BLKDISCARD of 0 bytes at 0 returns %s and %s\n",
	       errname(r), buf[0] == 0x5a ? "keeps the dirty page cache" :
	       "DROPS the dirty page cache (data written before is lost)");
}

/* Read all of the disk back (O_DIRECT, 1 MiB at a time) and compare. */
static bool check_whole(struct fuzzer *z)
{
	uint64_t off;
	ssize_t r;

	for (off = 0; off < z->d->size; off += 1 << 20) {
		r = pread(z->d->dfd, z->rbuf, 1 << 20, off);
		if (r != 1 << 20) {
			failf(z, "reading the disk back at %llu: %s",
			      (unsigned long long)off,
			      errname(r < 0 ? -errno : r));
			return false;
		}
		if (!check_data(z, "the whole disk read back", z->rbuf, off,
				1 << 20))
			return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	struct worker w[NR_WORKERS];
	struct disk d = { 0 };
	struct fuzzer z = { 0 };
	unsigned long thread_ops = 0;
	struct fuzz f;
	const char *slash;
	int i;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s DEVICE [COUNT]\n", argv[0]);
		return 2;
	}
	/* Line by line: a run that hangs shows how far it got. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	d.name = argv[1];
	slash = strrchr(d.name, '/');
	snprintf(d.pages_path, sizeof(d.pages_path),
		 "/sys/block/%s/ramdisk/pages", slash ? slash + 1 : d.name);
	d.fd = open(d.name, O_RDWR);
	d.dfd = open(d.name, O_RDWR | O_DIRECT);
	if (d.fd < 0 || d.dfd < 0 || ioctl(d.fd, BLKGETSIZE64, &d.size)) {
		printf("FAIL: %s: %s\n", d.name, strerror(errno));
		return 1;
	}
	z.buf = alloc_aligned(MAX_IO + PAGE);
	z.rbuf = alloc_aligned(MAX_IO + PAGE);
	if (!z.buf || !z.rbuf) {
		printf("FAIL: out of memory\n");
		return 1;
	}
	probe_empty_discard(&d, z.buf);
	/* The model starts from an empty disk. */
	{
		uint64_t all[2] = { 0, d.size };

		if (ioctl(d.fd, BLKDISCARD, all) || disk_pages(&d) != 0) {
			printf("FAIL: %s: not empty after discarding all of it (%ld pages)\n",
			       d.name, disk_pages(&d));
			return 1;
		}
	}
	d.model = calloc(1, d.size);
	d.held = calloc(1, d.size / PAGE);
	if (!d.model || !d.held) {
		printf("FAIL: out of memory for a model of %llu bytes\n",
		       (unsigned long long)d.size);
		return 1;
	}
	memset(w, 0, sizeof(w));
	for (i = 0; i < NR_WORKERS; i++) {
		w[i].z.d = &d;
		w[i].z.buf = alloc_aligned(MAX_IO + PAGE);
		w[i].z.rbuf = alloc_aligned(MAX_IO + PAGE);
		if (!w[i].z.buf || !w[i].z.rbuf) {
			printf("FAIL: out of memory for thread buffers\n");
			return 1;
		}
	}
	z.d = &d;
	z.f = &f;
	z.lo = 0;
	z.hi = d.size;
	z.main = true;

	fuzz_init(&f, "blk", argc > 2 ? strtoul(argv[2], NULL, 0) : 20000);
	printf("# %s: %llu MiB, %d threads x %d ops in a burst\n", d.name,
	       (unsigned long long)(d.size >> 20), NR_WORKERS, WORKER_OPS);
	while (fuzz_next(&f)) {
		z.what = NULL;
		if (fuzz_chance(&f, 40))
			burst(&z, w, &thread_ops);
		else
			one_op(&z);
		if (!z.err[0] && !(f.done % CHECK_EVERY)) {
			if (fsync(d.fd))
				failf(&z, "fsync: %s", strerror(errno));
			else
				check_pages(&z, "a periodic fsync");
		}
		if (z.err[0]) {
			printf("FAIL: input %lu (ARC_FUZZ_SEED=%llu): %s\n",
			       f.done, (unsigned long long)f.seed, z.err);
			return 1;
		}
		fuzz_tally(&f, z.what ? z.what : "?");
	}
	if (fsync(d.fd) || !check_pages(&z, "the last fsync") ||
	    !check_whole(&z)) {
		printf("FAIL: at the end (ARC_FUZZ_SEED=%llu): %s\n",
		       (unsigned long long)f.seed,
		       z.err[0] ? z.err : strerror(errno));
		return 1;
	}
	printf("# %lu ops in parallel bursts besides; whole disk verified\n",
	       thread_ops);
	i = fuzz_end(&f);
	close(d.fd);
	close(d.dfd);
	printf("# pages %ld\n", held_pages(&d));
	return i;
}
