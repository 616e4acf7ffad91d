// SPDX-License-Identifier: GPL-2.0
/*
 * A caller that attacks its own VMs while arc_minivm runs them: other
 * threads of the same process find the mappings the module makes in it
 * (guest RAM, its argument page, the vCPU's shared pages) through
 * /proc/self/maps and scribble on them, unmap them, or make them
 * unreadable, and steal, replace and duplicate the descriptors KVM
 * installs. Every run must end with a result or a clean error, never
 * with the kernel reading or writing out of bounds (the debug lane's
 * KASAN says so; here the test checks the results and that the module
 * still works afterwards).
 *
 *	hostile ROUNDS GUEST.bin...
 *
 * Prints how the runs ended; exits 0 unless a run ended in a way the
 * UAPI does not allow, or a plain run fails afterwards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arc/minivm.h>

static atomic_bool stop;
static atomic_ulong scribbles, unmaps, fd_games, caught, run_writes;
static pthread_barrier_t ready;
static int mem_fd;		/* /proc/self/mem: writes that cannot fault */

/* The process's mappings before any run: never touched. */
#define MAX_MAPS 512
static uintptr_t known_start[MAX_MAPS], known_end[MAX_MAPS];
static int nr_known;

static uint64_t rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Writable mappings of this process, read with read(2) into @buf (no
 * malloc: a thread's arena would be a new mapping). With @all every one,
 * else only those that were not there before the runs and have no path
 * but KVM's: what the module mapped (guest RAM, its argument page, the
 * vCPU's pages).
 */
static int scan_maps(char *buf, size_t size, uintptr_t *start, uintptr_t *end,
		     bool *vcpu, int max, bool all)
{
	int fd = open("/proc/self/maps", O_RDONLY), n = 0, i;
	size_t len = 0;
	ssize_t got;
	char *line, *next;

	if (fd < 0)
		return 0;
	while (len < size - 1 && (got = read(fd, buf + len, size - 1 - len)) > 0)
		len += got;
	close(fd);
	buf[len] = 0;
	for (line = buf; line && *line && n < max; line = next) {
		unsigned long s, e;
		char perms[8], path[256] = "";

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &s, &e, perms,
			   path) < 3)
			continue;
		if (all || strstr(path, "kvm")) {
			if (vcpu)
				vcpu[n] = strstr(path, "kvm-vcpu");
			start[n] = s;
			end[n] = e;
			n++;
			continue;
		}
		if (path[0])
			continue;
		/*
		 * A new anonymous mapping may have merged with one of ours
		 * (a thread's stack, libc's bss): only the parts that were
		 * not there before are the module's.
		 */
		for (i = 0; i < nr_known && s < e && n < max; i++) {
			if (known_end[i] <= s || known_start[i] >= e)
				continue;
			if (known_start[i] > s) {
				if (vcpu)
					vcpu[n] = false;
				start[n] = s;
				end[n] = known_start[i];
				n++;
			}
			s = known_end[i];
		}
		if (s < e && n < max) {
			if (vcpu)
				vcpu[n] = false;
			start[n] = s;
			end[n] = e;
			n++;
		}
	}
	return n;
}

/* Scribble on what the module mapped, whatever it is. */
static void *scribbler(void *arg)
{
	static char buf[1 << 16];
	uint64_t seed = (uintptr_t)arg | 1;
	uintptr_t s[64], e[64];

	pthread_barrier_wait(&ready);
	while (!stop) {
		int n = scan_maps(buf, sizeof(buf), s, e, NULL, 64, false), i, k;

		for (i = 0; i < n; i++) {
			for (k = 0; k < 16; k++) {
				uint64_t v = rng(&seed);
				uintptr_t off = rng(&seed) % (e[i] - s[i]) & ~7UL;

				/* EIO if it went away meanwhile: fine. */
				if (pwrite(mem_fd, &v, sizeof(v), s[i] + off) < 0)
					break;
			}
			scribbles++;
		}
	}
	return NULL;
}

/*
 * The vCPU's shared pages (struct kvm_run, the port I/O page) are in the
 * process only while the module takes them: catch that mapping, keep a
 * copy of it (mremap with old size 0 duplicates a shared mapping), and
 * rewrite the fields the module reads during the runs that follow.
 */
static void *run_writer(void *arg)
{
	static char buf[1 << 16];
	/* exit_reason; io: direction, size, port, count, data_offset; mmio:
	 * phys_addr, data, len, is_write (the same bytes); the PIO page. */
	static const unsigned int hot[] = { 8, 32, 33, 34, 36, 40, 48, 52, 4096, 4100 };
	uint64_t seed = (uintptr_t)arg | 1;
	uintptr_t s[64], e[64], dup[4] = { 0 };
	unsigned int next = 0;
	bool vcpu[64];
	int n, i, k;

	pthread_barrier_wait(&ready);
	while (!stop) {
		n = scan_maps(buf, sizeof(buf), s, e, vcpu, 64, false);
		for (i = 0; i < n; i++) {
			void *d;

			if (!vcpu[i] || e[i] - s[i] < 8192 ||
			    s[i] == dup[0] || s[i] == dup[1] ||
			    s[i] == dup[2] || s[i] == dup[3])
				continue;
			d = mremap((void *)s[i], 0, e[i] - s[i], MREMAP_MAYMOVE);
			if (d == MAP_FAILED)
				continue;
			if (dup[next])
				munmap((void *)dup[next], 8192);
			dup[next] = (uintptr_t)d;
			next = (next + 1) % 4;
			caught++;
		}
		for (k = 0; k < 64; k++) {
			uintptr_t d = dup[rng(&seed) % 4];
			uint64_t v = rng(&seed);

			if (!d)
				continue;
			/* Small values too: sizes and counts that look right. */
			if (rng(&seed) % 2)
				v %= 8;
			if (pwrite(mem_fd, &v, rng(&seed) % 2 ? 1 : 4,
				   d + hot[rng(&seed) % (sizeof(hot) / sizeof(hot[0]))]) > 0)
				run_writes++;
		}
	}
	return NULL;
}

/* Unmap or protect what the module mapped, now and then. */
static void *unmapper(void *arg)
{
	static char buf[1 << 16];
	uint64_t seed = (uintptr_t)arg | 1;
	uintptr_t s[64], e[64];

	pthread_barrier_wait(&ready);
	while (!stop) {
		int n = scan_maps(buf, sizeof(buf), s, e, NULL, 64, false), i;

		for (i = 0; i < n; i++) {
			if (rng(&seed) % 64)
				continue;
			if (rng(&seed) % 2)
				munmap((void *)s[i], e[i] - s[i]);
			else
				mprotect((void *)s[i], e[i] - s[i], PROT_NONE);
			unmaps++;
		}
		usleep(1000 + rng(&seed) % 10000);
	}
	return NULL;
}

/* The lowest descriptor that is not the program's own: KVM's land there. */
static int first_free_fd;

/* Close, replace and duplicate the descriptors KVM installs. */
static void *fd_player(void *arg)
{
	uint64_t seed = (uintptr_t)arg | 1;
	int null = open("/dev/null", O_RDWR);

	pthread_barrier_wait(&ready);
	while (!stop) {
		int fd = first_free_fd + rng(&seed) % 8, d;

		switch (rng(&seed) % 3) {
		case 0:
			d = dup(fd);
			if (d >= 0)
				close(d);
			break;
		case 1:
			if (fcntl(fd, F_GETFD) >= 0)
				dup2(null, fd);
			break;
		default:
			break;
		}
		fd_games++;
	}
	close(null);
	return NULL;
}

static void *read_file(const char *path, uint32_t *len)
{
	struct stat st;
	void *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st)) {
		perror(path);
		exit(1);
	}
	buf = malloc(st.st_size);
	if (!buf || read(fd, buf, st.st_size) != st.st_size) {
		perror(path);
		exit(1);
	}
	close(fd);
	*len = st.st_size;
	return buf;
}

int main(int argc, char **argv)
{
	unsigned long rounds, r, stops[__ARCVM_STOP_MAX] = { 0 }, errs[256] = { 0 };
	static char buf[1 << 16];
	uint32_t lens[16];
	void *images[16];
	pthread_t t[4];
	int dev, p[2], g, i, bad = 0, nr_images;

	if (argc < 3 || argc - 2 > 16) {
		fprintf(stderr, "usage: hostile ROUNDS GUEST.bin... (at most 16)\n");
		return 2;
	}
	rounds = strtoul(argv[1], NULL, 0);
	nr_images = argc - 2;
	for (i = 0; i < nr_images; i++)
		images[i] = read_file(argv[2 + i], &lens[i]);
	dev = open(ARCVM_DEVICE, O_RDWR);
	mem_fd = open("/proc/self/mem", O_RDWR);
	if (dev < 0 || mem_fd < 0 || pipe2(p, O_NONBLOCK)) {
		perror(ARCVM_DEVICE);
		return 1;
	}
	/* After ours (and what the test runner left open), and the player's. */
	first_free_fd = fcntl(0, F_DUPFD, 0);
	close(first_free_fd);
	first_free_fd++;
	pthread_barrier_init(&ready, NULL, 5);
	pthread_create(&t[0], NULL, scribbler, (void *)1);
	pthread_create(&t[1], NULL, unmapper, (void *)2);
	pthread_create(&t[2], NULL, fd_player, (void *)3);
	pthread_create(&t[3], NULL, run_writer, (void *)4);
	/* Everything of our own is mapped now: the threads' stacks too. */
	nr_known = scan_maps(buf, sizeof(buf), known_start, known_end, NULL, MAX_MAPS, true);
	pthread_barrier_wait(&ready);
	for (r = 0; r < rounds; r++) {
		struct arcvm_run q = {
			.mode = ARCVM_MODE_REAL,
			.mem_size = 1 << 20,
			.timeout_ms = 300,
			.console_fd = p[1],
		};
		char drain[4096];

		g = r % nr_images;
		q.image = (uintptr_t)images[g];
		q.image_len = lens[g];
		if (strstr(argv[2 + g], "long") || strstr(argv[2 + g], "mmio") ||
		    strstr(argv[2 + g], "triple")) {
			q.mode = ARCVM_MODE_LONG;
			q.mem_size = 4 << 20;
		}
		if (ioctl(dev, ARCVM_RUN, &q)) {
			errs[errno & 255]++;
		} else if (q.stop >= __ARCVM_STOP_MAX || q.stop == ARCVM_STOP_NONE) {
			fprintf(stderr, "round %lu: stop %u is not a stop reason\n", r, q.stop);
			bad = 1;
		} else {
			stops[q.stop]++;
		}
		while (read(p[0], drain, sizeof(drain)) > 0)
			;
	}
	stop = true;
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);

	printf("%lu runs under attack (%lu scribbles, %lu unmaps, %lu fd games, "
	       "%lu vCPU mappings caught, %lu kvm_run writes):",
	       rounds, (unsigned long)scribbles, (unsigned long)unmaps,
	       (unsigned long)fd_games, (unsigned long)caught,
	       (unsigned long)run_writes);
	for (i = 1; i < __ARCVM_STOP_MAX; i++)
		if (stops[i])
			printf(" stop%d=%lu", i, stops[i]);
	for (i = 0; i < 256; i++)
		if (errs[i])
			printf(" errno%d=%lu", i, errs[i]);
	printf("\n");
	/* The only errors a run may end with. */
	for (i = 0; i < 256; i++)
		if (errs[i] && i != EFAULT && i != EBADF && i != EBUSY &&
		    i != ENOMEM && i != EINVAL && i != EIO && i != EEXIST &&
		    i != ENOTTY && i != EACCES && i != EINTR) {
			fprintf(stderr, "runs ended with %s\n", strerror(i));
			bad = 1;
		}
	return bad;
}
