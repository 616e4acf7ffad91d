// SPDX-License-Identifier: GPL-2.0
/*
 * ARCVM_RUN fuzzed (selftests/fuzz/fuzz.h's frame): requests with random
 * and boundary fields; images that are arc's guests as built (and, with
 * ARC_FUZZ_IMAGES=1, mutations of them and random bytes); consoles that
 * are good or not; now and then a signal during the run. What each request must get is worked out
 * from the UAPI (include/uapi/arc/minivm.h) before it is sent: refused
 * with the errno a model of the documented checks predicts, or run to a
 * stop whose results hang together (the inputs come back unchanged, the
 * console bytes are those that reached the file, the exit counts agree
 * with the stop, a guest as built prints and stops as it must). Any
 * other outcome fails the run, with the input that caused it.
 *
 *	vm_fuzz MAX_MEM_MB GUEST_DIR
 *
 * MAX_MEM_MB is arc_minivm's max_mem_mb; GUEST_DIR holds the guests (NAME.bin).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <arc/minivm.h>

#include "../fuzz/fuzz.h"

/* The largest image the fuzzer sends from its own buffer. */
#define IMG_MAX		(64u << 10)

/* A guest as built: its mode, how it stops, what its console starts with. */
struct guest {
	const char *name;
	uint32_t mode;
	uint32_t stop;
	const char *console;
	uint64_t stop_addr;
	unsigned char *img;
	uint32_t len;
};

static struct guest guests[] = {
	{ "hi", ARCVM_MODE_REAL, ARCVM_STOP_HLT, "Hi\n" },
	{ "loop", ARCVM_MODE_REAL, ARCVM_STOP_HLT, "done\n" },
	{ "spin", ARCVM_MODE_REAL, ARCVM_STOP_TIMEOUT, "" },
	{ "long", ARCVM_MODE_LONG, ARCVM_STOP_HLT, "primes below 10000: 1229\nfib(90): " },
	{ "mmio", ARCVM_MODE_LONG, ARCVM_STOP_MMIO, "", 0xd0000000 },
	{ "triple", ARCVM_MODE_LONG, ARCVM_STOP_SHUTDOWN, "" },
};

#define NR_GUESTS	(sizeof(guests) / sizeof(guests[0]))

/* Where the console goes, and what the module must say about it. */
enum console_kind { CON_FILE, CON_BADFD, CON_READ_END, CON_DIR, CON_NULL, NR_CON };

static int dev, con_file, con_fds[NR_CON];
static uint64_t cap;
/* Images end at the end of a readable area, a PROT_NONE page after it. */
static unsigned char *area;
static volatile sig_atomic_t alarms;
static int images;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void read_guest(const char *dir, struct guest *g)
{
	char path[4096];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/%s.bin", dir, g->name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) || !st.st_size || st.st_size > IMG_MAX) {
		fprintf(stderr, "vm_fuzz: %s: missing, empty or too large\n", path);
		exit(2);
	}
	g->img = malloc(st.st_size);
	if (!g->img || read(fd, g->img, st.st_size) != st.st_size) {
		perror(path);
		exit(2);
	}
	g->len = st.st_size;
	close(fd);
}

/* The checks minivm.h documents, in the order the module makes them. */
static int predict(const struct arcvm_run *q, enum console_kind con, int image_ok)
{
	uint64_t top = q->mem_size;
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (q->reserved[i])
			return EINVAL;
	if (q->flags || q->stop || q->stop_info || q->stop_addr || q->console_bytes ||
	    q->run_ns)
		return EINVAL;
	for (i = 0; i < ARCVM_NR_EXITS; i++)
		if (q->exits[i])
			return EINVAL;
	if (q->mode != ARCVM_MODE_REAL && q->mode != ARCVM_MODE_LONG)
		return EINVAL;
	if (!q->timeout_ms || q->timeout_ms > ARCVM_TIMEOUT_MAX_MS)
		return EINVAL;
	if (q->mem_size < ARCVM_MEM_MIN || q->mem_size % ARCVM_MEM_ALIGN)
		return EINVAL;
	if (q->mem_size > cap)
		return E2BIG;
	if (q->mode == ARCVM_MODE_LONG) {
		if (q->mem_size < ARCVM_MEM_MIN + ARCVM_LONG_RESERVED)
			return EINVAL;
		top -= ARCVM_LONG_RESERVED;
	}
	if (!q->image_len || q->image_len > top - ARCVM_LOAD_ADDR)
		return EINVAL;
	if (con == CON_BADFD || con == CON_READ_END || con == CON_DIR)
		return EBADF;
	if (con == CON_NULL)
		return EINVAL;
	return image_ok ? 0 : EFAULT;
}

static void dump(const char *why, unsigned long n, const struct arcvm_run *q,
		 const char *what)
{
	unsigned int i;

	printf("FAIL: input %lu (%s): %s\n", n, what, why);
	printf("#   image_len %u mode %u mem_size %llu timeout_ms %u console_fd %d flags %u\n",
	       q->image_len, q->mode, (unsigned long long)q->mem_size, q->timeout_ms,
	       q->console_fd, q->flags);
	printf("#   stop %u stop_info %lld stop_addr %#llx console_bytes %llu run_ns %llu exits",
	       q->stop, (long long)q->stop_info, (unsigned long long)q->stop_addr,
	       (unsigned long long)q->console_bytes, (unsigned long long)q->run_ns);
	for (i = 0; i < ARCVM_NR_EXITS; i++)
		printf(" %llu", (unsigned long long)q->exits[i]);
	printf("\n");
}

/* Sizes that are mostly valid and small, sometimes anything. */
static uint64_t pick_mem(struct fuzz *f, uint32_t mode)
{
	uint64_t m;

	switch (fuzz_below(f, 8)) {
	case 0:
		return fuzz_edgy(f, 64);
	case 1:
		m = cap - fuzz_below(f, 2) * ARCVM_MEM_ALIGN;
		return m + fuzz_below(f, 3) * ARCVM_MEM_ALIGN;
	default:
		m = ARCVM_MEM_ALIGN * (1 + fuzz_below(f, 32));
		if (mode == ARCVM_MODE_LONG && m < ARCVM_MEM_MIN + ARCVM_LONG_RESERVED)
			m = 4u << 20;
		return m;
	}
}

static const char *stop_name(uint32_t stop)
{
	static const char *names[] = {
		"none", "stop hlt", "stop shutdown", "stop timeout", "stop signal",
		"stop mmio", "stop io", "stop console", "stop error",
	};

	return stop < __ARCVM_STOP_MAX ? names[stop] : "stop ?";
}

static const char *errno_name(int e)
{
	switch (e) {
	case EINVAL: return "refused EINVAL";
	case E2BIG: return "refused E2BIG";
	case EBADF: return "refused EBADF";
	case EFAULT: return "refused EFAULT";
	case ENOMEM: return "ENOMEM";
	case EINTR: return "EINTR";
	default: return "other errno";
	}
}

/* A run's results on their own: what any stop must look like. */
static const char *check_stop(const struct arcvm_run *q, const struct arcvm_run *sent,
			      uint64_t grew)
{
	const __u64 *x = q->exits;

	if (memcmp(q, sent, offsetof(struct arcvm_run, stop)) ||
	    memcmp(q->reserved, sent->reserved, sizeof(q->reserved)))
		return "the request's own fields came back changed";
	if (q->stop == ARCVM_STOP_NONE || q->stop >= __ARCVM_STOP_MAX)
		return "not a stop reason";
	if (q->console_bytes != grew)
		return "console_bytes is not what reached the console file";
	if (!q->run_ns)
		return "run_ns is 0";
	switch (q->stop) {
	case ARCVM_STOP_HLT:
		return x[ARCVM_EXIT_HLT] ? NULL : "stopped on HLT without an HLT exit";
	case ARCVM_STOP_SHUTDOWN:
		return x[ARCVM_EXIT_SHUTDOWN] ? NULL : "shutdown without a shutdown exit";
	case ARCVM_STOP_MMIO:
		return x[ARCVM_EXIT_MMIO] ? NULL : "MMIO stop without an MMIO exit";
	case ARCVM_STOP_IO:
		if (!x[ARCVM_EXIT_IO])
			return "I/O stop without an I/O exit";
		return q->stop_addr <= 0xffff ? NULL : "I/O stop at a port above 0xffff";
	case ARCVM_STOP_TIMEOUT:
		if (q->run_ns < (uint64_t)q->timeout_ms * 1000000 / 2)
			return "timed out before half its budget";
		return NULL;
	case ARCVM_STOP_CONSOLE:
		return "the console file refused a write";
	default:
		return NULL;
	}
}

/* A guest as built, run long enough, in its own mode: exactly as built. */
static const char *check_guest(const struct arcvm_run *q, const struct guest *g,
			       const char *out, uint32_t loops)
{
	size_t want = strlen(g->console);

	if (q->stop != g->stop)
		return "a guest as built stopped for another reason";
	if (strncmp(out, g->console, want))
		return "a guest as built printed something else";
	if (g->stop == ARCVM_STOP_MMIO && q->stop_addr != g->stop_addr)
		return "the MMIO stop names another address";
	if (!strcmp(g->name, "hi") && (q->console_bytes != 3 || q->exits[ARCVM_EXIT_IO] != 3))
		return "hi: not 3 bytes in 3 exits";
	if (!strcmp(g->name, "loop") && q->exits[ARCVM_EXIT_IO] != loops + 5)
		return "loop: not one exit per loop and per byte";
	return NULL;
}

int main(int argc, char **argv)
{
	static char out[1 << 16];
	struct sigaction sa = { .sa_handler = on_alarm };
	unsigned long n = 0;
	struct fuzz f;
	char path[] = "/tmp/arc-vm-fuzz.XXXXXX";
	int p[2], fails = 0;
	unsigned int i;

	if (argc != 3) {
		fprintf(stderr, "usage: vm_fuzz MAX_MEM_MB GUEST_DIR\n");
		return 2;
	}
	cap = strtoull(argv[1], NULL, 0) << 20;
	for (i = 0; i < NR_GUESTS; i++)
		read_guest(argv[2], &guests[i]);
	sigaction(SIGALRM, &sa, NULL);
	dev = open(ARCVM_DEVICE, O_RDWR);
	con_file = mkstemp(path);
	if (dev < 0 || con_file < 0 || pipe(p)) {
		perror("vm_fuzz: setup");
		return 2;
	}
	unlink(path);
	con_fds[CON_FILE] = con_file;
	con_fds[CON_BADFD] = 1000;
	con_fds[CON_READ_END] = p[0];
	con_fds[CON_DIR] = open("/", O_RDONLY | O_DIRECTORY);
	con_fds[CON_NULL] = open("/dev/null", O_WRONLY);
	area = mmap(NULL, IMG_MAX + 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || mprotect(area + IMG_MAX, 4096, PROT_NONE) ||
	    con_fds[CON_DIR] < 0 || con_fds[CON_NULL] < 0) {
		perror("vm_fuzz: setup");
		return 2;
	}

	images = getenv("ARC_FUZZ_IMAGES") && *getenv("ARC_FUZZ_IMAGES") == '1';
	fuzz_init(&f, "arcvm-run", 1000);
	while (fuzz_next(&f)) {
		struct arcvm_run q = { 0 }, sent;
		const struct guest *g = &guests[fuzz_below(&f, NR_GUESTS)];
		enum console_kind con = CON_FILE;
		int as_built = 0, image_ok = 1, want, got, e;
		uint32_t len = g->len, loops = 0;
		const char *what, *why = NULL;
		struct itimerval it = { 0 };
		struct stat st0, st1;
		unsigned char *img;
		ssize_t r;

		n++;
		/*
		 * The image: as built, mutated, or random bytes (the last two
		 * only with ARC_FUZZ_IMAGES=1: see fuzz.sh).
		 */
		img = area + IMG_MAX - IMG_MAX / 2;
		switch (images ? fuzz_below(&f, 8) : 0) {
		case 0: case 1: case 2: case 3:
			what = g->name;
			memcpy(img, g->img, len);
			as_built = 1;
			if (!strcmp(g->name, "loop")) {
				loops = fuzz_below(&f, 200);
				memcpy(img + 4, &loops, 4);
			}
			break;
		case 4: case 5: case 6:
			what = "mutated";
			memcpy(img, g->img, len);
			len = fuzz_mutate(&f, img, len, IMG_MAX / 2);
			break;
		default:
			what = "random bytes";
			len = 1 + fuzz_below(&f, 4096);
			fuzz_bytes(&f, img, len);
			break;
		}
		if (!len) {
			len = 1;
			img[0] = 0xf4;	/* hlt */
		}
		/* Images end where the readable area ends. */
		memmove(area + IMG_MAX - len, img, len);
		q.image = (uintptr_t)(area + IMG_MAX - len);
		q.image_len = len;
		q.mode = as_built || fuzz_below(&f, 4) ? g->mode : 1 + fuzz_below(&f, 2);
		q.mem_size = as_built ? (g->mode == ARCVM_MODE_LONG ? 4u << 20 : 1u << 20) :
			     pick_mem(&f, q.mode);
		/* Guests that stop get time to; everything else is cut short. */
		q.timeout_ms = as_built && g->stop != ARCVM_STOP_TIMEOUT ? 20000 :
			       1 + fuzz_below(&f, 60);
		/* Now and then, one to three fields set to anything. */
		if (fuzz_chance(&f, 4)) {
			unsigned int k = 1 + fuzz_below(&f, 3);

			as_built = 0;
			what = "odd fields";
			while (k--) {
				switch (fuzz_below(&f, 12)) {
				case 0: q.mode = fuzz_edgy(&f, 32); break;
				case 1: q.mem_size = fuzz_edgy(&f, 64); break;
				case 2: q.timeout_ms = fuzz_edgy(&f, 32); break;
				case 3: q.image_len = fuzz_edgy(&f, 32); break;
				case 4: q.flags = fuzz_edgy(&f, 32); break;
				case 5: q.reserved[fuzz_below(&f, 4)] = fuzz_edgy(&f, 64); break;
				case 6: q.exits[fuzz_below(&f, ARCVM_NR_EXITS)] = fuzz_edgy(&f, 64); break;
				case 7: q.stop = fuzz_edgy(&f, 32); break;
				case 8: q.run_ns = fuzz_edgy(&f, 64); break;
				case 9: con = 1 + fuzz_below(&f, NR_CON - 1); break;
				case 10:
					/* Unreadable: low, kernel, or past the area. */
					switch (fuzz_below(&f, 3)) {
					case 0: q.image = fuzz_below(&f, 65536); break;
					case 1: q.image = 0xffff888000000000ULL + fuzz_below(&f, 1 << 20); break;
					default: q.image = (uintptr_t)(area + IMG_MAX - len + 1 + fuzz_below(&f, 4096)); break;
					}
					break;
				default: q.stop_addr = fuzz_edgy(&f, 64); break;
				}
			}
			/* Readable: the bytes lie in the area (else EFAULT). */
			image_ok = q.image >= (uintptr_t)area &&
				   q.image + q.image_len <= (uintptr_t)area + IMG_MAX;
			/* A long budget for an image that may never stop: no. */
			if (q.timeout_ms > 60 && q.timeout_ms <= ARCVM_TIMEOUT_MAX_MS)
				q.timeout_ms = 1 + q.timeout_ms % 60;
		}
		q.console_fd = con_fds[con];
		want = predict(&q, con, image_ok);
		if (!want && fuzz_chance(&f, 16)) {
			it.it_value.tv_usec = 1000 * (1 + fuzz_below(&f, 30));
			setitimer(ITIMER_REAL, &it, NULL);
		}
		if (fstat(con_file, &st0))
			return 2;
		/* ARC_FUZZ_TRACE=1: each input before it is sent. */
		if (f.trace) {
			printf("# input %lu (%s): mode %u mem %llu timeout %u len %u con %d alarm %ld\n",
			       n, what, q.mode, (unsigned long long)q.mem_size,
			       q.timeout_ms, q.image_len, con,
			       (long)it.it_value.tv_usec);
			fflush(stdout);
		}
		sent = q;
		got = ioctl(dev, ARCVM_RUN, &q) ? errno : 0;
		e = it.it_value.tv_usec != 0;
		if (e) {
			memset(&it, 0, sizeof(it));
			setitimer(ITIMER_REAL, &it, NULL);
		}
		if (fstat(con_file, &st1))
			return 2;
		if (got) {
			fuzz_tally(&f, errno_name(got));
			/* Memory can run out; a signal may come before the run. */
			if (got != want && !(want == 0 && got == ENOMEM) &&
			    !(want == 0 && e && got == EINTR)) {
				char msg[160];

				snprintf(msg, sizeof(msg), "ARCVM_RUN failed with %s, %s expected",
					 strerror(got), want ? strerror(want) : "a run");
				dump(msg, n, &sent, what);
				fails++;
			} else if (st1.st_size != st0.st_size) {
				dump("a refused request wrote to the console", n, &sent, what);
				fails++;
			}
		} else if (want) {
			char msg[160];

			snprintf(msg, sizeof(msg), "ARCVM_RUN ran, %s expected", strerror(want));
			dump(msg, n, &q, what);
			fails++;
		} else {
			fuzz_tally(&f, stop_name(q.stop));
			why = check_stop(&q, &sent, st1.st_size - st0.st_size);
			if (!why && as_built && !e) {
				memset(out, 0, sizeof(out));
				r = pread(con_file, out, sizeof(out) - 1, st0.st_size);
				why = r < 0 ? "cannot read the console back" :
				      check_guest(&q, g, out, loops);
			}
			if (why) {
				dump(why, n, &q, what);
				fails++;
			}
		}
		if (fails >= 5)
			break;
		if (st1.st_size > (8 << 20) && ftruncate(con_file, 0))
			return 2;
	}
	printf("# %d signals during runs\n", (int)alarms);
	return fuzz_end(&f) || fails;
}
