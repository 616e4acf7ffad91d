// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for arc_usb_sensor's transfer parser: any bytes, cut
 * into transfers by the first input bytes, must be parsed without an
 * out-of-bounds read or undefined behaviour (ASan, UBSan), deliver
 * samples only from good transfers, as many as the transfer holds, in
 * increasing sequence order; and the device clock must never go back or
 * ahead of the host's.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../modules/usb_sensor/parse.h"

struct seen {
	uint32_t n;
	bool have;
	uint32_t last;
};

static void check(void *ctx, const struct sensor_sample *s)
{
	struct seen *v = ctx;

	if (v->have && (int32_t)(s->seq - v->last) <= 0)
		abort();
	v->have = true;
	v->last = s->seq;
	v->n++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sensor_parser p = { 0 };
	struct sensor_clock c = { 0 };
	struct seen v = { 0 };
	int64_t now = 1000000000LL, t, last = 0;
	size_t off = 1, i;
	uint8_t *buf;

	if (!size)
		return 0;
	/*
	 * With the first byte odd, every 16-byte block that starts with the
	 * magic gets a correct check byte, so that good samples are common
	 * (transfers start at any offset: blocks are counted from the start).
	 */
	buf = malloc(size);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	if (data[0] & 1)
		for (i = 0; i + 16 <= size; i++)
			if (buf[i] == ARC_SENSOR_MAGIC) {
				uint8_t x = 0;
				int k;

				for (k = 2; k < 16; k++)
					x ^= buf[i + k];
				buf[i + 1] = x;
			}
	data = buf;

	while (off < size) {
		/* One byte: this transfer's length (in bytes, 0-255). */
		uint32_t len = data[off++], nr;
		uint64_t lost;
		enum sensor_verdict r;
		uint32_t before = v.n;

		if (len > size - off)
			len = size - off;
		r = sensor_parse(&p, data + off, len, check, &v, &nr, &lost);
		if (r >= SENSOR_NR_VERDICTS)
			abort();
		if (r == SENSOR_OK ? nr != len / 16 || len % 16 || !len :
				     nr != 0 || lost != 0)
			abort();
		if (v.n - before != nr)
			abort();
		if (len >= 16) {
			now += (int64_t)data[off] * 1000;
			t = sensor_clock_map(&c, (uint32_t)data[off + 1] << 24 |
					     data[off + 2] << 16 | data[off + 3] << 8 |
					     data[off + 4], now);
			if (t < last || t > now)
				abort();
			last = t;
		}
		off += len;
	}
	free(buf);
	return 0;
}
