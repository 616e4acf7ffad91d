/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frame of arc's in-guest fuzzers: a seeded generator, a bound in
 * count and in time, mutation of a valid input, and the summary line
 * every fuzzer ends with. A fuzzer of a new module includes this and
 * follows the same shape:
 *
 *	struct fuzz f;
 *
 *	fuzz_init(&f, "arcfw-genl", 100000);
 *	while (fuzz_next(&f)) {
 *		... build an input with fuzz_below(), fuzz_bytes(),
 *		    fuzz_mutate(); feed it; fuzz_tally(&f, outcome) ...
 *	}
 *	return fuzz_end(&f);	(after checking the module still works)
 *
 * The environment sets the scale (make check runs the short one, make
 * check-debug the full one):
 *
 *   ARC_FUZZ_MODE     "full": the count the fuzzer asks for, and reaching
 *                     it is required; otherwise (short) a fiftieth of it,
 *                     at least 100
 *   ARC_FUZZ_SEED     the seed (default: from the clock); printed first,
 *                     so a run can be repeated exactly
 *   ARC_FUZZ_SECONDS  the time bound (default 1800 full, 120 short); the
 *                     short run stops there, the full run fails there
 *   ARC_FUZZ_TRACE=1  fuzz_trace() prints each input before it is fed
 *                     (for finding the one a hang or a crash follows)
 *
 * Everything is header-only: each fuzzer is one C file.
 */
#ifndef ARC_SELFTESTS_FUZZ_H
#define ARC_SELFTESTS_FUZZ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FUZZ_MAX_OUTCOMES	32

struct fuzz {
	const char *name;
	uint64_t seed;
	uint64_t state;
	unsigned long want;	/* inputs to try */
	unsigned long done;	/* inputs tried */
	bool full;		/* ARC_FUZZ_MODE=full: @want is required */
	bool trace;		/* ARC_FUZZ_TRACE=1: fuzz_trace() prints */
	double start, deadline;
	/* fuzz_wait_memory(): how often and how long it waited. */
	unsigned long mem_waits;
	double mem_wait_s;
	/* How inputs ended, by the name the fuzzer gives each outcome. */
	const char *outcome[FUZZ_MAX_OUTCOMES];
	unsigned long count[FUZZ_MAX_OUTCOMES];
};

static inline double fuzz_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline unsigned long fuzz_env(const char *name, unsigned long def)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n;

	if (!v || !*v)
		return def;
	n = strtoul(v, &end, 0);
	if (*end) {
		fprintf(stderr, "fuzz: %s=%s is not a number\n", name, v);
		exit(2);
	}
	return n;
}

/* splitmix64: small, fast, and every seed gives a different stream. */
static inline uint64_t fuzz_rand(struct fuzz *f)
{
	uint64_t z = (f->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number below @n (0 when @n is 0). */
static inline uint64_t fuzz_below(struct fuzz *f, uint64_t n)
{
	return n ? fuzz_rand(f) % n : 0;
}

/* True one time in @n. */
static inline bool fuzz_chance(struct fuzz *f, unsigned int n)
{
	return fuzz_below(f, n) == 0;
}

static inline void fuzz_bytes(struct fuzz *f, void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len--)
		*p++ = fuzz_rand(f);
}

/*
 * A value that tends to sit on a boundary: 0, 1, all ones, the top bit,
 * a power of two or one off it, or anything.
 */
static inline uint64_t fuzz_edgy(struct fuzz *f, unsigned int bits)
{
	uint64_t mask = bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
	uint64_t v;

	switch (fuzz_below(f, 8)) {
	case 0: v = 0; break;
	case 1: v = 1; break;
	case 2: v = ~0ULL; break;
	case 3: v = 1ULL << (bits - 1); break;
	case 4: v = (1ULL << fuzz_below(f, bits)) - 1; break;
	case 5: v = (1ULL << fuzz_below(f, bits)) + 1; break;
	case 6: v = 1ULL << fuzz_below(f, bits); break;
	default: v = fuzz_rand(f); break;
	}
	return v & mask;
}

/*
 * Mutate @len bytes at @buf in place, room for @cap: one to four edits,
 * each a bit flip, a byte set to an edge value, a run of random bytes,
 * a deletion, an insertion or a duplication of a piece. Returns the new
 * length (at most @cap).
 */
static inline size_t fuzz_mutate(struct fuzz *f, unsigned char *buf,
				 size_t len, size_t cap)
{
	unsigned int edits = 1 + fuzz_below(f, 4);
	size_t at, n;

	while (edits--) {
		at = len ? fuzz_below(f, len) : 0;
		switch (fuzz_below(f, 6)) {
		case 0:
			if (len)
				buf[at] ^= 1u << fuzz_below(f, 8);
			break;
		case 1:
			if (len)
				buf[at] = fuzz_edgy(f, 8);
			break;
		case 2:
			n = fuzz_below(f, len - at + 1);
			fuzz_bytes(f, buf + at, n);
			break;
		case 3:
			n = fuzz_below(f, len - at + 1);
			memmove(buf + at, buf + at + n, len - at - n);
			len -= n;
			break;
		case 4:
			n = fuzz_below(f, cap - len + 1);
			if (n > 16)
				n = 1 + fuzz_below(f, 16);
			memmove(buf + at + n, buf + at, len - at);
			fuzz_bytes(f, buf + at, n);
			len += n;
			break;
		default:
			/* Repeat a piece right after itself. */
			n = fuzz_below(f, len - at + 1);
			if (n > cap - len)
				n = cap - len;
			memmove(buf + at + 2 * n, buf + at + n, len - at - n);
			memcpy(buf + at + n, buf + at, n);
			len += n;
			break;
		}
	}
	return len;
}

static inline void fuzz_init(struct fuzz *f, const char *name,
			     unsigned long full_count)
{
	const char *mode = getenv("ARC_FUZZ_MODE");

	memset(f, 0, sizeof(*f));
	f->name = name;
	f->full = mode && !strcmp(mode, "full");
	f->want = f->full ? full_count : full_count / 50;
	if (f->want < 100)
		f->want = full_count < 100 ? full_count : 100;
	f->seed = fuzz_env("ARC_FUZZ_SEED", (uint64_t)time(NULL) ^
			   ((uint64_t)clock() << 32));
	f->state = f->seed;
	f->trace = getenv("ARC_FUZZ_TRACE") && !strcmp(getenv("ARC_FUZZ_TRACE"), "1");
	f->start = fuzz_now();
	f->deadline = f->start + fuzz_env("ARC_FUZZ_SECONDS",
					  f->full ? 1800 : 120);
	printf("# fuzz %s: %s run of %lu inputs, ARC_FUZZ_SEED=%llu\n",
	       name, f->full ? "full" : "short", f->want,
	       (unsigned long long)f->seed);
	fflush(stdout);
}

/* Whether to try one more input: false at the count or the time bound. */
static inline bool fuzz_next(struct fuzz *f)
{
	if (f->done >= f->want)
		return false;
	/* The clock is read every 64 inputs. */
	if (!(f->done & 63) && fuzz_now() > f->deadline)
		return false;
	f->done++;
	return true;
}

/* The first 256 bytes of @buf in hex, 32 to a "#   " line, then a newline. */
static inline void fuzz_hex(const void *buf, size_t len)
{
	const unsigned char *b = buf;
	size_t i;

	for (i = 0; i < len && i < 256; i++)
		printf("%s%02x", i % 32 ? "" : "\n#   ", b[i]);
	printf("\n");
}

/*
 * ARC_FUZZ_TRACE=1: print the input about to be fed, "# trace N WHAT:"
 * and its first 256 bytes in hex, and flush, so that what a hang or a
 * crash followed is on the console.
 */
static inline void fuzz_trace(const struct fuzz *f, const char *what,
			      const void *buf, size_t len)
{
	if (!f->trace)
		return;
	printf("# trace %lu %s: %zu bytes", f->done, what, len);
	fuzz_hex(buf, len);
	fflush(stdout);
}

/* Count one input under @outcome (a string that lives for the run). */
static inline void fuzz_tally(struct fuzz *f, const char *outcome)
{
	int i;

	for (i = 0; i < FUZZ_MAX_OUTCOMES && f->outcome[i]; i++)
		if (f->outcome[i] == outcome || !strcmp(f->outcome[i], outcome))
			break;
	if (i == FUZZ_MAX_OUTCOMES)
		i--;	/* the last one gathers the rest */
	f->outcome[i] = f->outcome[i] ? f->outcome[i] : outcome;
	f->count[i]++;
}

/*
 * Print what was tried: "# fuzz NAME: N inputs in T s (seed S): how
 * they ended". Returns 0, or 1 if a full run fell short of its count.
 */
/* MemAvailable as a share of MemTotal, in percent; 100 if unknown. */
static inline unsigned int fuzz_mem_avail_pct(void)
{
	unsigned long total = 0, avail = 0, v;
	char line[128];
	FILE *m = fopen("/proc/meminfo", "r");

	if (!m)
		return 100;
	while (fgets(line, sizeof(line), m)) {
		if (sscanf(line, "MemTotal: %lu", &v) == 1)
			total = v;
		else if (sscanf(line, "MemAvailable: %lu", &v) == 1)
			avail = v;
	}
	fclose(m);
	return total && avail <= total ? avail * 100 / total : 100;
}

/*
 * For a fuzzer that floods the kernel (packets): wait while less than a
 * quarter of memory is available. The debug kernel frees late (KASAN's
 * quarantine, and kmemleak's and debugobjects' records through RCU): a
 * one-CPU debug guest flooded without a pause ran out of memory in 30
 * minutes, with nothing leaked (kmemleak clean, memory back within a
 * minute of a pause). Stock kernels never come near. fuzz_end() says how
 * long it waited.
 */
static inline void fuzz_wait_memory(struct fuzz *f)
{
	double t0;

	if (fuzz_mem_avail_pct() >= 25)
		return;
	t0 = fuzz_now();
	f->mem_waits++;
	while (fuzz_mem_avail_pct() < 40 && fuzz_now() < f->deadline) {
		struct timespec ts = { 0, 200 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	f->mem_wait_s += fuzz_now() - t0;
}

static inline int fuzz_end(struct fuzz *f)
{
	int i;

	printf("# fuzz %s: %lu inputs in %.1f s (ARC_FUZZ_SEED=%llu):", f->name,
	       f->done, fuzz_now() - f->start, (unsigned long long)f->seed);
	for (i = 0; i < FUZZ_MAX_OUTCOMES && f->outcome[i]; i++)
		printf("%s %lu %s", i ? "," : "", f->count[i], f->outcome[i]);
	printf("\n");
	if (f->mem_waits)
		printf("# fuzz %s: waited %lu times, %.1f s in all, for the kernel to free memory\n",
		       f->name, f->mem_waits, f->mem_wait_s);
	fflush(stdout);
	if (f->full && f->done < f->want) {
		printf("FAIL: fuzz %s: the time bound ended the full run after %lu of %lu inputs\n",
		       f->name, f->done, f->want);
		return 1;
	}
	return 0;
}

#endif /* ARC_SELFTESTS_FUZZ_H */
