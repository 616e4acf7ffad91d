// SPDX-License-Identifier: GPL-2.0
/*
 * ev_read: read a USB Sensor's evdev node and check every sample against
 * sensor-gadget's test pattern (userspace/sensor-gadget/pattern.h).
 *
 *   ev_read [options] /dev/input/eventN COUNT
 *	--gaps		samples may be missing (counted), never out of order
 *	--drops		SYN_DROPPED is counted, not a failure: the reader
 *			takes the axes anew and finds its place again
 *	--timeout S	give up after S seconds without a sample (default 10)
 *	--first K	look for the first sample's seq from K on (default 0)
 *	--hold S	after COUNT samples, keep the device open S seconds
 *	--for S		stop after S seconds, however many samples came
 *	--quiet		no per-run summary line
 *
 * A sample is one evdev frame: MSC_TIMESTAMP, the axes that changed, and
 * SYN_REPORT. Its values are the axes' state at the SYN_REPORT (the input
 * core drops an axis value equal to the last one). Fails on SYN_DROPPED,
 * a frame without MSC_TIMESTAMP, a value that is not the pattern's for
 * the next sequence number, an event time that goes back or lies ahead
 * of the time it was read, or a timeout (exit 1); exits 3 if the device
 * goes away (unplugged, unbound) while it reads. Prints "samples N first K last
 * K gaps G span_ms T" and the latency from event time to read time.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../userspace/sensor-gadget/pattern.h"

#define MAX_SEARCH	(1u << 22)
#define IDENT		8
#define MAX_LAT		(1ul << 20)

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static bool matches(uint32_t k, const int v[3])
{
	int16_t want[3];

	sensor_test_pattern(k, want);
	return want[0] == v[0] && want[1] == v[1] && want[2] == v[2];
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "ev_read: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(1);
}

int main(int argc, char **argv)
{
	bool gaps_ok = false, quiet = false, have_k = false, drops_ok = false;
	unsigned long drops = 0;
	bool have_msc = false;
	int timeout_s = 10, hold_s = 0, for_s = 0, fd, i, v[3] = { 0, 0, 0 }, pend[IDENT][3];
	unsigned int npend = 0;
	bool skip_frame = false;
	uint32_t first = 0, k = 0, k0 = 0;
	unsigned long count, n = 0, gaps = 0, nlat;
	int64_t last_t = 0, t0 = 0, start, *lat;
	const char *path;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--gaps")) {
			gaps_ok = true;
		} else if (!strcmp(argv[i], "--drops")) {
			drops_ok = true;
		} else if (!strcmp(argv[i], "--quiet")) {
			quiet = true;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			timeout_s = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--for") && i + 1 < argc) {
			for_s = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--hold") && i + 1 < argc) {
			hold_s = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--first") && i + 1 < argc) {
			first = strtoul(argv[++i], NULL, 0);
		} else {
			die("unknown option %s", argv[i]);
		}
	}
	if (argc - i != 2)
		die("usage: ev_read [--gaps] [--timeout S] [--first K] [--hold S] [--quiet] %s",
		    "/dev/input/eventN COUNT");
	path = argv[i];
	count = strtoul(argv[i + 1], NULL, 0);
	/* Latencies of the first MAX_LAT samples only: COUNT may be huge. */
	nlat = count < MAX_LAT ? (count ? count : 1) : MAX_LAT;
	lat = calloc(nlat, sizeof(*lat));
	fd = open(path, O_RDONLY | O_NONBLOCK);
	if (!lat)
		die("out of memory for %s", "latencies");
	if (fd < 0)
		die("cannot open %s", path);
	/*
	 * Event times stay in evdev's default clock, CLOCK_REALTIME (the
	 * driver's CLOCK_MONOTONIC stamps converted): switching clocks with
	 * EVIOCSCLOCKID after open, when the device already streams, flushes
	 * what is queued and inserts a SYN_DROPPED. Nothing sets the clock
	 * in the guest while a test reads.
	 */
	for (i = 0; i < 3; i++) {
		struct input_absinfo ai;

		if (ioctl(fd, EVIOCGABS(ABS_X + i), &ai))
			die("EVIOCGABS: %s", strerror(errno));
		if (ai.minimum != -32768 || ai.maximum != 32767)
			die("axis range is not -32768..32767 on %s", path);
		v[i] = ai.value;
	}

	start = now_ns();
	while (n < count && (!for_s || now_ns() - start < for_s * 1000000000LL)) {
		struct input_event ev[256];
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;
		int64_t rt;
		int e;

		e = poll(&p, 1, timeout_s * 1000);
		if (e < 0 && errno == EINTR)
			continue;
		if (e <= 0) {
			fprintf(stderr, "ev_read: no sample for %d s after %lu of %lu\n",
				timeout_s, n, count);
			return 1;
		}
		r = read(fd, ev, sizeof(ev));
		if (r < 0 && errno == EAGAIN)
			continue;
		if (r < 0 && errno == ENODEV) {
			fprintf(stderr, "ev_read: the device went away after %lu samples\n", n);
			return 3;
		}
		if (r <= 0)
			die("read: %s", r ? strerror(errno) : "end of file");
		rt = now_ns();
		for (e = 0; e < r / (ssize_t)sizeof(ev[0]) && n < count; e++) {
			const struct input_event *x = &ev[e];
			int64_t t = x->input_event_sec * 1000000000LL +
				    x->input_event_usec * 1000LL;

			if (x->type == EV_ABS && x->code <= ABS_Z) {
				v[x->code] = x->value;
				continue;
			}
			if (x->type == EV_MSC && x->code == MSC_TIMESTAMP) {
				have_msc = true;
				continue;
			}
			if (x->type != EV_SYN)
				continue;
			if (x->code == SYN_DROPPED) {
				int a;

				if (!drops_ok) {
					fprintf(stderr, "ev_read: SYN_DROPPED after %lu samples\n", n);
					return 1;
				}
				/* Events up to the next SYN_REPORT are lost too. */
				drops++;
				for (a = 0; a < 3; a++) {
					struct input_absinfo ai;

					if (ioctl(fd, EVIOCGABS(ABS_X + a), &ai))
						die("EVIOCGABS: %s", strerror(errno));
					v[a] = ai.value;
				}
				if (have_k)
					first = k + 1;
				have_k = false;
				npend = 0;
				have_msc = false;
				skip_frame = true;
				continue;
			}
			if (x->code != SYN_REPORT)
				continue;
			if (skip_frame) {
				skip_frame = false;
				have_msc = false;
				continue;
			}
			if (!have_msc) {
				fprintf(stderr, "ev_read: frame %lu without MSC_TIMESTAMP\n", n);
				return 1;
			}
			have_msc = false;
			if (!have_k) {
				/*
				 * The pattern repeats its special values every
				 * 16 samples: a sequence number is known by
				 * the first IDENT samples together.
				 */
				uint32_t c = first, end = first + MAX_SEARCH;
				unsigned int j;

				memcpy(pend[npend], v, sizeof(v));
				if (++npend < IDENT && n + npend < count)
					continue;
				for (; c != end; c++) {
					for (j = 0; j < npend && matches(c + j, pend[j]); j++)
						;
					if (j == npend)
						break;
				}
				if (c == end) {
					fprintf(stderr, "ev_read: the first %u samples (%d %d %d, ...) are none of the test pattern's from seq %u on\n",
						npend, pend[0][0], pend[0][1], pend[0][2], first);
					return 1;
				}
				k0 = c;
				k = c + npend - 1;
				have_k = true;
				t0 = t;
				for (j = 0; j + 1 < npend; j++, n++)
					if (n < nlat)
						lat[n] = rt - t;
			} else if (!matches(++k, v)) {
				uint32_t c = k + 1, stop = k + MAX_SEARCH;

				if (gaps_ok)
					for (; c != stop && !matches(c, v); c++)
						;
				if (!gaps_ok || c == stop) {
					int16_t w[3];

					sensor_test_pattern(k, w);
					fprintf(stderr, "ev_read: sample %lu (seq %u): got %d %d %d, want %d %d %d\n",
						n, k, v[0], v[1], v[2], w[0], w[1], w[2]);
					return 1;
				}
				gaps += c - k;
				k = c;
			}
			if (t < last_t || t > rt) {
				fprintf(stderr, "ev_read: sample %lu: event time %lld ns %s\n", n,
					(long long)t, t < last_t ? "before the previous one" :
					"ahead of the time it was read");
				return 1;
			}
			last_t = t;
			if (n < nlat)
				lat[n] = rt - t;
			n++;
		}
	}
	if (hold_s)
		sleep(hold_s);
	if (n < nlat)
		nlat = n;
	qsort(lat, nlat, sizeof(*lat), cmp64);
	if (!quiet)
		printf("samples %lu first %u last %u gaps %lu drops %lu span_ms %lld latency_us p50 %lld p99 %lld\n",
		       n, k0, k, gaps, drops, (long long)(last_t - t0) / 1000000,
		       nlat ? (long long)lat[nlat / 2] / 1000 : 0,
		       nlat ? (long long)lat[nlat * 99 / 100] / 1000 : 0);
	close(fd);
	return 0;
}
