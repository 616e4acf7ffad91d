// SPDX-License-Identifier: GPL-2.0
/*
 * Data-path tests of /dev/arcram0 (loaded by io.sh): unwritten sectors
 * read as zeroes, random sector-granular I/O matches an in-memory model,
 * so do scattered pages read back across missing parts of the page array,
 * I/O past the end fails, discard and write-zeroes free memory, flush and
 * FUA reach the driver (the disk advertises a write cache and FUA, the
 * block layer's flush counter moves, and the block_rq_issue tracepoint
 * shows a flush request and a FUA write issued to arcram0).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define DEV	"/dev/arcram0"
#define SYSFS	"/sys/block/arcram0/ramdisk/pages"
#define SECTOR	512
#define PAGE	4096
#define MODEL	(4 << 20)

static long rd_pages(void)
{
	FILE *f = fopen(SYSFS, "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

static void *aligned(size_t len)
{
	void *p = NULL;

	if (posix_memalign(&p, PAGE, len))
		return NULL;
	return p;
}

static void fill(unsigned char *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245 + 12345;
		buf[i] = seed >> 16;
	}
}

static int discard(int fd, uint64_t off, uint64_t len, unsigned long op)
{
	uint64_t range[2] = { off, len };

	return ioctl(fd, op, range);
}

FIXTURE(rd) {
	int fd;
	uint64_t size;
	unsigned char *buf;
};

FIXTURE_SETUP(rd)
{
	self->fd = open(DEV, O_RDWR | O_DIRECT);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", DEV, strerror(errno));
	ASSERT_EQ(0, ioctl(self->fd, BLKGETSIZE64, &self->size));
	ASSERT_LE((uint64_t)MODEL * 2, self->size);
	self->buf = aligned(MODEL);
	ASSERT_NE(NULL, self->buf);
	/* Every test starts from an empty disk. */
	ASSERT_EQ(0, discard(self->fd, 0, self->size, BLKDISCARD));
	ASSERT_EQ(0, rd_pages());
}

FIXTURE_TEARDOWN(rd)
{
	free(self->buf);
	close(self->fd);
}

static int all_zero(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

TEST_F(rd, unwritten_reads_zero)
{
	uint64_t offs[] = { 0, self->size / 2 + 3 * SECTOR, self->size - MODEL };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		memset(self->buf, 0xa5, MODEL);
		ASSERT_EQ(MODEL, pread(self->fd, self->buf, MODEL, offs[i]));
		ASSERT_TRUE(all_zero(self->buf, MODEL));
	}
	/* Reading allocates nothing. */
	ASSERT_EQ(0, rd_pages());
}

/*
 * 400 writes of 1 to 64 sectors at any sector offset (most of them cross
 * a page boundary) against a model of the first 4 MiB, then one read of
 * all of it.
 */
TEST_F(rd, random_sector_io_matches_model)
{
	unsigned char *model = calloc(1, MODEL), *wbuf = aligned(64 * SECTOR);
	unsigned int i, seed = 42;

	ASSERT_NE(NULL, model);
	ASSERT_NE(NULL, wbuf);
	for (i = 0; i < 400; i++) {
		size_t nsec = 1 + rand_r(&seed) % 64;
		off_t sec = rand_r(&seed) % (MODEL / SECTOR - nsec);

		fill(wbuf, nsec * SECTOR, i);
		ASSERT_EQ((ssize_t)(nsec * SECTOR),
			  pwrite(self->fd, wbuf, nsec * SECTOR, sec * SECTOR));
		memcpy(model + sec * SECTOR, wbuf, nsec * SECTOR);
	}
	ASSERT_EQ(MODEL, pread(self->fd, self->buf, MODEL, 0));
	ASSERT_EQ(0, memcmp(self->buf, model, MODEL));
	/* Pages only where something was written. */
	ASSERT_LT(0, rd_pages());
	ASSERT_GE(MODEL / PAGE, rd_pages());
	free(model);
	free(wbuf);
}

/*
 * Single pages far apart, so that most of the array's 64-page nodes (and
 * some of the nodes above them) are missing, and one 1 MiB write at one
 * sector past a page boundary that runs from written pages into empty
 * ones across a node boundary. Then the whole disk is read back in 1 MiB
 * requests, page aligned and not, against a model: each request steps
 * through present pages, holes and missing nodes alike.
 */
TEST_F(rd, scattered_pages_across_nodes)
{
	uint64_t pages = self->size / PAGE, p, off, written = 0;
	const uint64_t walks[2][2] = { { 0, 1 << 20 }, { 3 * SECTOR, 7 << 20 } };
	unsigned char *model, *rbuf = aligned(1 << 20);
	unsigned int w;
	/* Pages 4032..4287: the last node of the first 4096, and beyond. */
	off_t big = 4032 * (off_t)PAGE + SECTOR;

	ASSERT_GE(256ULL << 20, self->size);
	/* Page aligned: O_DIRECT writes go straight from the model. */
	model = aligned(self->size);
	ASSERT_NE(NULL, model);
	ASSERT_NE(NULL, rbuf);
	memset(model, 0, self->size);
	for (p = 7; p < pages; p += 300) {
		fill(model + p * PAGE, PAGE, p);
		ASSERT_EQ(PAGE, pwrite(self->fd, model + p * PAGE, PAGE,
				       p * PAGE));
		written++;
	}
	fill(rbuf, 1 << 20, 9);
	ASSERT_EQ(1 << 20, pwrite(self->fd, rbuf, 1 << 20, big));
	memcpy(model + big, rbuf, 1 << 20);
	/* 256 pages plus the one the sector offset reaches into. */
	for (p = 4032; p <= 4032 + 256; p++)
		written += (p - 7) % 300 != 0;
	EXPECT_EQ((long)written, rd_pages());
	/* Every MiB on its boundary, then every 7th one a few sectors in. */
	for (w = 0; w < 2; w++) {
		for (off = walks[w][0]; off + (1 << 20) <= self->size;
		     off += walks[w][1]) {
			ASSERT_EQ(1 << 20, pread(self->fd, rbuf, 1 << 20, off));
			ASSERT_EQ(0, memcmp(rbuf, model + off, 1 << 20))
				TH_LOG("1 MiB read at %llu differs",
				       (unsigned long long)off);
		}
	}
	free(model);
	free(rbuf);
}

TEST_F(rd, pages_counted_exactly)
{
	unsigned int i;

	fill(self->buf, PAGE, 1);
	/* Ten pages, each hit twice, at one sector in: twenty pages touched. */
	for (i = 0; i < 10; i++) {
		ASSERT_EQ(PAGE, pwrite(self->fd, self->buf, PAGE,
				       (off_t)i * 1024 * 1024 + SECTOR));
	}
	ASSERT_EQ(20, rd_pages());
}

TEST_F(rd, io_past_end_fails)
{
	uint64_t end = self->size;

	fill(self->buf, PAGE, 2);
	errno = 0;
	EXPECT_EQ(-1, pwrite(self->fd, self->buf, PAGE, end));
	EXPECT_EQ(ENOSPC, errno);
	/* Straddling the end: only what fits is written. */
	EXPECT_EQ(SECTOR, pwrite(self->fd, self->buf, PAGE, end - SECTOR));
	EXPECT_EQ(0, pread(self->fd, self->buf, PAGE, end));
	EXPECT_EQ(SECTOR, pread(self->fd, self->buf, PAGE, end - SECTOR));
	errno = 0;
	EXPECT_EQ(-1, discard(self->fd, end, PAGE, BLKDISCARD));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, discard(self->fd, end - SECTOR, PAGE, BLKZEROOUT));
	EXPECT_EQ(EINVAL, errno);
	/* Misaligned discard is refused too. */
	errno = 0;
	EXPECT_EQ(-1, discard(self->fd, 100, PAGE, BLKDISCARD));
	EXPECT_EQ(EINVAL, errno);
	/* And the disk still works. */
	fill(self->buf, PAGE, 3);
	ASSERT_EQ(PAGE, pwrite(self->fd, self->buf, PAGE, 0));
	ASSERT_EQ(PAGE, pread(self->fd, self->buf + PAGE, PAGE, 0));
	ASSERT_EQ(0, memcmp(self->buf, self->buf + PAGE, PAGE));
}

TEST_F(rd, discard_frees_memory)
{
	fill(self->buf, MODEL, 4);
	ASSERT_EQ(MODEL, pwrite(self->fd, self->buf, MODEL, 0));
	ASSERT_EQ(MODEL / PAGE, rd_pages());
	ASSERT_EQ(0, discard(self->fd, 0, MODEL, BLKDISCARD));
	ASSERT_EQ(0, rd_pages());
	ASSERT_EQ(MODEL, pread(self->fd, self->buf, MODEL, 0));
	ASSERT_TRUE(all_zero(self->buf, MODEL));
}

TEST_F(rd, partial_discard_zeroes_in_place)
{
	unsigned char *want = aligned(2 * PAGE);

	ASSERT_NE(NULL, want);
	fill(want, 2 * PAGE, 5);
	ASSERT_EQ(2 * PAGE, pwrite(self->fd, want, 2 * PAGE, 0));
	/* Sectors 1..8: part of page 0 and the first sector of page 1. */
	ASSERT_EQ(0, discard(self->fd, SECTOR, PAGE, BLKDISCARD));
	memset(want + SECTOR, 0, PAGE);
	EXPECT_EQ(2, rd_pages());
	ASSERT_EQ(2 * PAGE, pread(self->fd, self->buf, 2 * PAGE, 0));
	EXPECT_EQ(0, memcmp(self->buf, want, 2 * PAGE));
	free(want);
}

TEST_F(rd, write_zeroes_frees_whole_pages)
{
	fill(self->buf, 4 * PAGE, 6);
	ASSERT_EQ(4 * PAGE, pwrite(self->fd, self->buf, 4 * PAGE, 0));
	ASSERT_EQ(4, rd_pages());
	/* Half of page 0, pages 1 and 2 whole, nothing of page 3. */
	ASSERT_EQ(0, discard(self->fd, PAGE / 2, PAGE / 2 + 2 * PAGE, BLKZEROOUT));
	EXPECT_EQ(2, rd_pages());
	memset(self->buf + PAGE / 2, 0, PAGE / 2 + 2 * PAGE);
	ASSERT_EQ(4 * PAGE, pread(self->fd, self->buf + 4 * PAGE, 4 * PAGE, 0));
	EXPECT_EQ(0, memcmp(self->buf, self->buf + 4 * PAGE, 4 * PAGE));
}

/* Field 16 of /sys/block/arcram0/stat: flush requests completed by the
 * driver (counted whatever queue/iostats says; in every kernel since 5.5). */
static long flushes(void)
{
	long v[17];
	FILE *f = fopen("/sys/block/arcram0/stat", "r");
	int n = 0;

	if (!f)
		return -1;
	while (n < 17 && fscanf(f, "%ld", &v[n]) == 1)
		n++;
	fclose(f);
	return n == 17 ? v[15] : -1;
}

/* The first line of a sysfs file, without its newline, in @buf. */
static int sysfs_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fgets(buf, len, f) != NULL;
	fclose(f);
	buf[ok ? strcspn(buf, "\n") : 0] = 0;
	return ok ? 0 : -1;
}

static int write_file(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -1;
	ok = fputs(val, f) >= 0;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

/* A tracing instance of our own: its buffer and events are separate. */
#define TRACE_INST	"/sys/kernel/tracing/instances/arc_rd_io"

/*
 * What reaches the driver: requests issued to it (blk-mq), or, for a
 * bio-based disk (ARC_RAMDISK_MODE=bio), the bios submitted to it.
 */
static bool bio_mode(void)
{
	const char *m = getenv("ARC_RAMDISK_MODE");

	return m && !strcmp(m, "bio");
}

static const char *issue_event(void)
{
	return bio_mode() ? "block_bio_queue" : "block_rq_issue";
}

static int issue_file(const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), TRACE_INST "/events/block/%s/%s",
		 issue_event(), file);
	return write_file(path, val);
}

static int trace_start(dev_t dev)
{
	char filter[64];

	if (access("/sys/kernel/tracing/instances", F_OK) &&
	    mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL))
		return -1;
	rmdir(TRACE_INST);
	if (mkdir(TRACE_INST, 0700))
		return -1;
	/* The kernel's dev_t: major << 20 | minor. */
	snprintf(filter, sizeof(filter), "dev == %u",
		 major(dev) << 20 | minor(dev));
	if (issue_file("filter", filter) || issue_file("enable", "1"))
		return -1;
	return 0;
}

/*
 * Stop tracing; count the flush requests and the FUA writes issued to the
 * driver. The event's rwbs: a leading F for a preflush, the operation (F
 * for a flush, W for a write), then F for FUA.
 */
static int trace_stop(int *nflush, int *nfua)
{
	char line[512], rwbs[16];
	const char *p;
	FILE *f;

	char tag[48];

	*nflush = *nfua = 0;
	if (issue_file("enable", "0"))
		return -1;
	snprintf(tag, sizeof(tag), "%s: ", issue_event());
	f = fopen(TRACE_INST "/trace", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, tag);
		if (!p || sscanf(p + strlen(tag), "%*u,%*u %15s", rwbs) != 1)
			continue;
		/* A bio-based disk gets a flush as an empty preflush write. */
		if (rwbs[0] == 'F' && (bio_mode() || !strpbrk(rwbs, "RWD")))
			(*nflush)++;
		if (strstr(rwbs, "WF"))
			(*nfua)++;
	}
	fclose(f);
	rmdir(TRACE_INST);
	return 0;
}

/*
 * The disk has a write cache and FUA, so the block layer passes flushes
 * and FUA writes to it (on a disk without, it completes them without the
 * driver ever seeing one): each must reach the driver and succeed.
 */
TEST_F(rd, flush_and_fua_reach_the_driver)
{
	struct iovec iov = { .iov_base = self->buf, .iov_len = PAGE };
	int nflush, nfua;
	struct stat st;
	char word[32];
	long f0, f1;

	ASSERT_EQ(0, sysfs_line("/sys/block/arcram0/queue/write_cache", word,
				sizeof(word)));
	ASSERT_STREQ("write back", word) TH_LOG("queue/write_cache: %s", word);
	ASSERT_EQ(0, sysfs_line("/sys/block/arcram0/queue/fua", word,
				sizeof(word)));
	ASSERT_STREQ("1", word);
	f0 = flushes();
	ASSERT_LE(0, f0) TH_LOG("no flush counter in /sys/block/arcram0/stat");
	ASSERT_EQ(0, fstat(self->fd, &st));
	ASSERT_EQ(0, trace_start(st.st_rdev))
		TH_LOG("tracing block_rq_issue: %s", strerror(errno));

	fill(self->buf, PAGE, 7);
	ASSERT_EQ(PAGE, pwritev2(self->fd, &iov, 1, 8 * PAGE, RWF_DSYNC));
	ASSERT_EQ(0, fsync(self->fd));
	ASSERT_EQ(0, fdatasync(self->fd));

	ASSERT_EQ(0, trace_stop(&nflush, &nfua));
	f1 = flushes();
	TH_LOG("flushes completed %ld -> %ld; issued to arcram0: %d flush, %d FUA write",
	       f0, f1, nflush, nfua);
	/*
	 * fsync and fdatasync each send one flush at least. (Only blk-mq
	 * counts flushes in the disk's statistics.)
	 */
	if (!bio_mode())
		EXPECT_LE(f0 + 2, f1);
	EXPECT_LE(2, nflush);
	/* The RWF_DSYNC write of a disk with FUA: a FUA write. */
	EXPECT_LE(1, nfua);
	ASSERT_EQ(PAGE, pread(self->fd, self->buf + PAGE, PAGE, 8 * PAGE));
	ASSERT_EQ(0, memcmp(self->buf, self->buf + PAGE, PAGE));
}

TEST_HARNESS_MAIN
