// SPDX-License-Identifier: GPL-2.0
/*
 * sensor_read: the benchmark's evdev reader, the same for both paths.
 * Used only by `make bench BENCH=usb` (scripts/bench/usb.py).
 *
 *   sensor_read msc|rx /dev/input/eventN COUNT [TIMEOUT_S]
 *
 * Reads frames (events up to SYN_REPORT) until it has seen the sample of
 * seq COUNT - 1 or nothing came for TIMEOUT_S seconds (default 5). Each
 * frame's X, Y and Z identify its seq in sensor-gadget's test pattern;
 * its stamp is the time the device meant it for (CLOCK_MONOTONIC in
 * microseconds): MSC_TIMESTAMP for arc_usb_sensor, ABS_RX for the HID
 * path. Latency is the time the frame was read minus that stamp (both
 * taken modulo 2^31 us). Prints one JSON object: frames read, samples
 * missing (seqs after the first one placed that never came), frames not
 * counted (stale: meant for before the open, from an earlier opener; or
 * a first frame whose values recur every 16 seqs), SYN_DROPPED
 * count, frames that are no sample of the pattern, the span from
 * the first frame to the last, the rate over that span, and latency
 * percentiles in microseconds. With SENSOR_READ_DUMP=FILE set, writes
 * "seq read_time_us" (CLOCK_MONOTONIC) there for every frame it placed.
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

#define SEARCH		65536u
#define STAMP_MASK	0x7fffffffu

static int64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static bool matches(uint32_t k, const int v[3])
{
	int16_t want[3];

	sensor_test_pattern(k, want);
	return want[0] == v[0] && want[1] == v[1] && want[2] == v[2];
}

static void read_axes(int fd, int v[3])
{
	struct input_absinfo ai;
	int i;

	for (i = 0; i < 3; i++)
		if (!ioctl(fd, EVIOCGABS(ABS_X + i), &ai))
			v[i] = ai.value;
}

int main(int argc, char **argv)
{
	uint64_t frames = 0, missing = 0, drops = 0, unmatched = 0, gaps = 0, stale = 0;
	int64_t t_first = 0, t_last = 0, now, open_us;
	uint32_t expect = 0, count, *lat, stamp = 0, k;
	int v[3] = { 0, 0, 0 }, fd, timeout_ms = 5000, i, n;
	bool use_msc, skipping = false;
	struct input_event ev[256];
	FILE *dump = NULL;

	if (argc < 4 || (strcmp(argv[1], "msc") && strcmp(argv[1], "rx"))) {
		fprintf(stderr, "usage: sensor_read msc|rx /dev/input/eventN COUNT [TIMEOUT_S]\n");
		return 2;
	}
	use_msc = !strcmp(argv[1], "msc");
	/* SENSOR_READ_DUMP=FILE: "seq read_time_us" for every frame placed. */
	if (getenv("SENSOR_READ_DUMP"))
		dump = fopen(getenv("SENSOR_READ_DUMP"), "w");
	count = strtoul(argv[3], NULL, 0);
	if (argc > 4)
		timeout_ms = atoi(argv[4]) * 1000;
	lat = calloc(count ? count : 1, sizeof(*lat));
	fd = open(argv[2], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (!lat || fd < 0) {
		perror(argv[2]);
		return 1;
	}
	read_axes(fd, v);
	open_us = mono_us();
	/* Open: the caller may start the device now. */
	printf("open\n");
	fflush(stdout);

	while (expect < count) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		n = poll(&p, 1, timeout_ms);
		if (n <= 0)
			break;
		n = read(fd, ev, sizeof(ev));
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			break;
		}
		now = mono_us();
		for (i = 0; i < n / (int)sizeof(ev[0]); i++) {
			const struct input_event *e = &ev[i];

			if (e->type == EV_ABS && e->code <= ABS_Z)
				v[e->code - ABS_X] = e->value;
			else if (e->type == EV_ABS && e->code == ABS_RX && !use_msc)
				stamp = (uint32_t)e->value;
			else if (e->type == EV_MSC && e->code == MSC_TIMESTAMP && use_msc)
				stamp = (uint32_t)e->value;
			else if (e->type == EV_SYN && e->code == SYN_DROPPED)
				drops++, skipping = true;
			if (e->type != EV_SYN || e->code != SYN_REPORT)
				continue;
			if (skipping) {
				/* Up to this report the events were lost: take the state anew. */
				skipping = false;
				read_axes(fd, v);
				continue;
			}
			/*
			 * A sample meant for before the open belongs to an
			 * earlier session: udev's probe of a new input device
			 * opens it, and arc's device streams while it is open.
			 */
			if (!frames && (((uint32_t)open_us - stamp) & STAMP_MASK) < STAMP_MASK / 2 &&
			    (uint32_t)open_us != stamp) {
				stale++;
				continue;
			}
			for (k = expect; k - expect < SEARCH && k < count; k++)
				if (matches(k, v))
					break;
			if (k - expect >= SEARCH || k >= count) {
				unmatched++;
				continue;
			}
			/*
			 * The pattern's special values come back every 16 seqs:
			 * a first frame of nothing else (k % 16 < 3) could be
			 * k + 16n. Start counting at one that says where it is.
			 */
			if (!frames && k % 16 < 3) {
				stale++;
				continue;
			}
			/* Samples before the first one read are not missing. */
			if (frames && k != expect) {
				missing += k - expect;
				if (++gaps <= 5)
					fprintf(stderr, "sensor_read: seq %u..%u missing (frame %llu)\n",
						expect, k - 1, (unsigned long long)frames);
			}
			expect = k + 1;
			lat[frames++] = ((uint32_t)now - stamp) & STAMP_MASK;
			if (dump)
				fprintf(dump, "%u %lld\n", k, (long long)now);
			if (!t_first)
				t_first = now;
			t_last = now;
		}
	}
	if (dump)
		fclose(dump);
	missing += count - expect;

	qsort(lat, frames, sizeof(*lat), cmp_u32);
	printf("{\"frames\": %llu, \"missing\": %llu, \"dropped\": %llu, \"unmatched\": %llu, \"stale\": %llu, "
	       "\"span_s\": %.6f, \"rate\": %.1f, \"p50_us\": %u, \"p99_us\": %u, \"max_us\": %u}\n",
	       (unsigned long long)frames, (unsigned long long)missing,
	       (unsigned long long)drops, (unsigned long long)unmatched,
	       (unsigned long long)stale,
	       (t_last - t_first) / 1e6,
	       t_last > t_first ? (frames - 1) / ((t_last - t_first) / 1e6) : 0.0,
	       frames ? lat[frames / 2] : 0, frames ? lat[frames * 99 / 100] : 0,
	       frames ? lat[frames - 1] : 0);
	return 0;
}
