// SPDX-License-Identifier: GPL-2.0
/*
 * ARCVM_RUN from C: every malformed request gets its errno and changes
 * nothing; a good one runs guests/hi.bin. Run as root in the guest with
 * arc_minivm loaded and a usable KVM; ARC_ROOT names the built tree.
 *
 *	vm_ioctl [harness options]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include <arc/minivm.h>

static char *read_guest(const char *name, uint32_t *len)
{
	const char *root = getenv("ARC_ROOT");
	char path[4096];
	struct stat st;
	char *buf;
	int fd;

	snprintf(path, sizeof(path), "%s/guests/%s", root ? root : ".", name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		return NULL;
	buf = malloc(st.st_size);
	if (!buf || read(fd, buf, st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	*len = st.st_size;
	return buf;
}

FIXTURE(vm) {
	int dev;
	int pipe[2];
	char *hi;
	uint32_t hi_len;
	struct arcvm_run q;
};

FIXTURE_SETUP(vm)
{
	self->dev = open(ARCVM_DEVICE, O_RDWR);
	ASSERT_LE(0, self->dev) TH_LOG("%s: %s", ARCVM_DEVICE, strerror(errno));
	ASSERT_EQ(0, pipe2(self->pipe, O_NONBLOCK));
	self->hi = read_guest("hi.bin", &self->hi_len);
	ASSERT_NE(NULL, self->hi) TH_LOG("no guests/hi.bin under ARC_ROOT");
	memset(&self->q, 0, sizeof(self->q));
	self->q.image = (uintptr_t)self->hi;
	self->q.image_len = self->hi_len;
	self->q.mode = ARCVM_MODE_REAL;
	self->q.mem_size = 1 << 20;
	self->q.timeout_ms = 10000;
	self->q.console_fd = self->pipe[1];
}

FIXTURE_TEARDOWN(vm)
{
	close(self->dev);
	close(self->pipe[0]);
	close(self->pipe[1]);
	free(self->hi);
}

/* The request fails with @err, and the console stays empty. */
static int refused(struct __test_metadata *_metadata, FIXTURE_DATA(vm) *self,
		   struct arcvm_run *q, int err)
{
	char c;

	EXPECT_EQ(-1, ioctl(self->dev, ARCVM_RUN, q));
	EXPECT_EQ(err, errno);
	EXPECT_EQ(-1, read(self->pipe[0], &c, 1));
	return errno == EAGAIN;
}

TEST_F(vm, good_request_runs_hi)
{
	char out[16] = "";

	ASSERT_EQ(0, ioctl(self->dev, ARCVM_RUN, &self->q)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(ARCVM_STOP_HLT, self->q.stop);
	EXPECT_EQ(3, self->q.console_bytes);
	EXPECT_EQ(3, read(self->pipe[0], out, sizeof(out)));
	EXPECT_STREQ("Hi\n", out);
	EXPECT_EQ(3, self->q.exits[ARCVM_EXIT_IO]);
	EXPECT_EQ(1, self->q.exits[ARCVM_EXIT_HLT]);
	EXPECT_LT(0, self->q.run_ns);
}

TEST_F(vm, bad_mode)
{
	uint32_t modes[] = { 0, 3, 0xffffffff };
	unsigned int i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct arcvm_run q = self->q;

		q.mode = modes[i];
		EXPECT_TRUE(refused(_metadata, self, &q, EINVAL));
	}
}

TEST_F(vm, bad_sizes)
{
	uint64_t sizes[] = { 0, 4096, ARCVM_MEM_MIN - 1, ARCVM_MEM_MIN + 4096,
			     (1ULL << 20) + 1, ~0ULL, ~0ULL - 0xffff };
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct arcvm_run q = self->q;

		q.mem_size = sizes[i];
		EXPECT_TRUE(refused(_metadata, self, &q,
				    sizes[i] > (1ULL << 30) && !(sizes[i] % ARCVM_MEM_ALIGN) ?
				    E2BIG : EINVAL)) TH_LOG("mem_size %llu",
							   (unsigned long long)sizes[i]);
	}
}

TEST_F(vm, above_the_cap)
{
	struct arcvm_run q = self->q;

	q.mem_size = 2ULL << 30;	/* max_mem_mb is at most 1024 */
	EXPECT_TRUE(refused(_metadata, self, &q, E2BIG));
}

TEST_F(vm, long_mode_needs_room_for_tables)
{
	struct arcvm_run q = self->q;

	q.mode = ARCVM_MODE_LONG;
	q.mem_size = ARCVM_MEM_MIN;
	EXPECT_TRUE(refused(_metadata, self, &q, EINVAL));
}

TEST_F(vm, bad_image)
{
	struct arcvm_run q = self->q;

	q.image_len = 0;
	EXPECT_TRUE(refused(_metadata, self, &q, EINVAL));
	q.image_len = q.mem_size - ARCVM_LOAD_ADDR + 1;
	EXPECT_TRUE(refused(_metadata, self, &q, EINVAL));
	q.image_len = 0xffffffff;
	EXPECT_TRUE(refused(_metadata, self, &q, EINVAL));
	/* Fits, but cannot be read: EFAULT, after the VM was made. */
	q = self->q;
	q.image = 8;
	EXPECT_TRUE(refused(_metadata, self, &q, EFAULT));
	/* Readable at first, then not: a page, then one that is not. */
	q.image = (uintptr_t)mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE((uintptr_t)MAP_FAILED, q.image);
	ASSERT_EQ(0, mprotect((void *)(uintptr_t)(q.image + 4096), 4096, PROT_NONE));
	q.image_len = 2 * 4096;
	EXPECT_TRUE(refused(_metadata, self, &q, EFAULT));
	munmap((void *)(uintptr_t)q.image, 2 * 4096);
}

TEST_F(vm, bad_timeout)
{
	struct arcvm_run q = self->q;

	q.timeout_ms = 0;
	EXPECT_TRUE(refused(_metadata, self, &q, EINVAL));
	q.timeout_ms = ARCVM_TIMEOUT_MAX_MS + 1;
	EXPECT_TRUE(refused(_metadata, self, &q, EINVAL));
}

TEST_F(vm, nonzero_flags_reserved_and_outputs)
{
	struct arcvm_run q;
	unsigned int i;

	q = self->q;
	q.flags = 1;
	EXPECT_TRUE(refused(_metadata, self, &q, EINVAL));
	for (i = 0; i < 4; i++) {
		q = self->q;
		q.reserved[i] = 1;
		EXPECT_TRUE(refused(_metadata, self, &q, EINVAL));
	}
	q = self->q;
	q.stop = ARCVM_STOP_HLT;
	EXPECT_TRUE(refused(_metadata, self, &q, EINVAL));
	q = self->q;
	q.exits[ARCVM_EXIT_OTHER] = 1;
	EXPECT_TRUE(refused(_metadata, self, &q, EINVAL));
}

TEST_F(vm, console_must_be_writable)
{
	struct arcvm_run q = self->q;
	int fd;

	q.console_fd = -1;
	EXPECT_TRUE(refused(_metadata, self, &q, EBADF));
	q.console_fd = self->pipe[0];	/* the read end */
	EXPECT_TRUE(refused(_metadata, self, &q, EBADF));
	fd = open("/", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, fd);
	q.console_fd = fd;
	EXPECT_TRUE(refused(_metadata, self, &q, EBADF));
	close(fd);
	/* Writable, but not by the kernel: refused before anything runs. */
	fd = open("/dev/null", O_WRONLY);
	ASSERT_LE(0, fd);
	q.console_fd = fd;
	EXPECT_TRUE(refused(_metadata, self, &q, EINVAL));
	close(fd);
}

TEST_F(vm, unknown_ioctl)
{
	EXPECT_EQ(-1, ioctl(self->dev, _IO(ARCVM_IOC_MAGIC, 0xa1), 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->dev, _IOWR(ARCVM_IOC_MAGIC, 0xa0, int), 0));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(vm, unreadable_request)
{
	EXPECT_EQ(-1, ioctl(self->dev, ARCVM_RUN, (void *)8));
	EXPECT_EQ(EFAULT, errno);
}

/* After all of that, a good request still runs. */
TEST_F(vm, still_runs_afterwards)
{
	char out[16] = "";
	struct arcvm_run q = self->q;

	q.image_len = 0;
	EXPECT_EQ(-1, ioctl(self->dev, ARCVM_RUN, &q));
	ASSERT_EQ(0, ioctl(self->dev, ARCVM_RUN, &self->q));
	EXPECT_EQ(ARCVM_STOP_HLT, self->q.stop);
	EXPECT_EQ(3, read(self->pipe[0], out, sizeof(out)));
	EXPECT_STREQ("Hi\n", out);
}

TEST_HARNESS_MAIN
