// SPDX-License-Identifier: GPL-2.0
/*
 * hid_sensor: the USB sensor's samples as a HID device, the path a user
 * would take without arc: an f_hid gadget on dummy_hcd, read by usbhid,
 * hid-input and evdev. Used only by `make bench BENCH=usb`
 * (scripts/bench/usb.py), in the benchmark guest.
 *
 *   hid_sensor --name NAME --rate R --count N [--interval I]
 *
 * Creates the gadget (libusbgx) and binds it to the first free UDC,
 * prints "ready /dev/hidgN", waits for a line on stdin (the reader has
 * the evdev node open), then writes N reports: sample k is due at
 * start + k/R and carries sensor-gadget's test pattern for seq k in X, Y
 * and Z (int16) and the time it was due (CLOCK_MONOTONIC in microseconds,
 * low 31 bits) in Rx (int32), the same clock and due time sensor-gadget
 * puts in its samples. Each write blocks while the previous report waits
 * for the host's interrupt poll, as it does for any f_hid user. Prints
 * "sent N late_max_us L", and removes the gadget at the next line or EOF.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <usbg/usbg.h>
#include <usbg/function/hid.h>

#include "../../userspace/sensor-gadget/pattern.h"

#define CONFIGFS	"/sys/kernel/config"
#define REPORT_LEN	10

/* X, Y, Z: 16-bit signed; Rx: 32-bit, 0..2^31-1; one input report. */
static const unsigned char report_desc[] = {
	0x05, 0x01,			/* Usage Page (Generic Desktop) */
	0x09, 0x08,			/* Usage (Multi-axis Controller) */
	0xa1, 0x01,			/* Collection (Application) */
	0x09, 0x30, 0x09, 0x31, 0x09, 0x32,	/* Usage (X), (Y), (Z) */
	0x16, 0x00, 0x80,		/* Logical Minimum (-32768) */
	0x26, 0xff, 0x7f,		/* Logical Maximum (32767) */
	0x75, 0x10, 0x95, 0x03,		/* Report Size (16), Count (3) */
	0x81, 0x02,			/* Input (Data, Var, Abs) */
	0x09, 0x33,			/* Usage (Rx) */
	0x15, 0x00,			/* Logical Minimum (0) */
	0x27, 0xff, 0xff, 0xff, 0x7f,	/* Logical Maximum (2^31 - 1) */
	0x75, 0x20, 0x95, 0x01,		/* Report Size (32), Count (1) */
	0x81, 0x02,			/* Input (Data, Var, Abs) */
	0xc0,				/* End Collection */
};

static int die(const char *what, int ret)
{
	fprintf(stderr, "hid_sensor: %s: %s\n", what,
		ret ? usbg_strerror(ret) : strerror(errno));
	return 1;
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Where the kernel put our function's character device. */
static int find_hidg(dev_t dev, char *path, size_t len)
{
	glob_t g;
	size_t i;
	struct stat st;
	int found = -1;

	if (glob("/dev/hidg*", 0, NULL, &g))
		return -1;
	for (i = 0; i < g.gl_pathc; i++) {
		if (!stat(g.gl_pathv[i], &st) && S_ISCHR(st.st_mode) && st.st_rdev == dev) {
			snprintf(path, len, "%s", g.gl_pathv[i]);
			found = 0;
			break;
		}
	}
	globfree(&g);
	return found;
}

/* Poll as often as the gadget lets the host: bInterval, where settable. */
static void set_interval(const char *name, const char *interval)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), CONFIGFS "/usb_gadget/%s/functions/hid.%s/interval", name, name);
	f = fopen(p, "w");
	if (!f) {
		printf("interval default (no %s)\n", p);
		return;
	}
	fprintf(f, "%s\n", interval);
	if (fclose(f))
		printf("interval default (writing %s: %s)\n", interval, strerror(errno));
	else
		printf("interval %s\n", interval);
}

int main(int argc, char **argv)
{
	struct usbg_gadget_attrs attrs = {
		.bcdUSB = 0x0200, .bMaxPacketSize0 = 64,
		.idVendor = 0x1d6b, .idProduct = 0x0104, .bcdDevice = 0x0100,
	};
	struct usbg_gadget_strs strs = {
		.manufacturer = (char *)"arc", .product = (char *)"bench HID sensor",
		.serial = (char *)"hid",
	};
	struct usbg_config_strs cstrs = { .configuration = (char *)"hid" };
	struct usbg_f_hid_attrs hattrs = {
		.report_desc = { .desc = (char *)report_desc, .len = sizeof(report_desc) },
		.report_length = REPORT_LEN,
	};
	const char *name = "arc-bench-hid", *interval = NULL;
	unsigned long rate = 1000, count = 1000, k;
	int64_t start, due, late, late_max = 0;
	char dev[64], line[16];
	usbg_state *s;
	usbg_gadget *g;
	usbg_function *f;
	usbg_config *c;
	dev_t devt;
	int i, ret, fd, rc = 0;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--name"))
			name = argv[i + 1];
		else if (!strcmp(argv[i], "--rate"))
			rate = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--count"))
			count = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--interval"))
			interval = argv[i + 1];
		else
			break;
	}
	if (i != argc || !rate || rate > 1000000 || !count) {
		fprintf(stderr, "usage: hid_sensor [--name NAME] [--rate R] [--count N] [--interval I]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	ret = usbg_init(CONFIGFS, &s);
	if (ret)
		return die("usbg_init", ret);
	g = usbg_get_gadget(s, name);
	if (g) {
		usbg_disable_gadget(g);
		usbg_rm_gadget(g, USBG_RM_RECURSE);
	}
	ret = usbg_create_gadget(s, name, &attrs, &strs, &g);
	if (ret)
		return die("creating the gadget", ret);
	ret = usbg_create_function(g, USBG_F_HID, name, &hattrs, &f);
	if (ret)
		return die("creating the hid function (modprobe usb_f_hid)", ret);
	if (interval)
		set_interval(name, interval);
	ret = usbg_create_config(g, 1, "c", NULL, &cstrs, &c);
	if (!ret)
		ret = usbg_add_config_function(c, "hid", f);
	if (ret)
		return die("the configuration", ret);
	ret = usbg_enable_gadget(g, NULL);
	if (ret)
		return die("binding to a UDC", ret);
	ret = usbg_f_hid_get_dev(usbg_to_hid_function(f), &devt);
	if (ret)
		return die("reading the hid function's dev", ret);
	if (find_hidg(devt, dev, sizeof(dev)) < 0)
		return die("no /dev/hidgN for the function", 0);
	fd = open(dev, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return die(dev, 0);
	printf("ready %s\n", dev);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		goto out;

	start = mono_ns();
	for (k = 0; k < count; k++) {
		struct timespec ts;
		unsigned char rep[REPORT_LEN];
		int16_t v[3];
		uint32_t stamp;

		due = start + (int64_t)(k * (1000000000.0 / rate));
		ts.tv_sec = due / 1000000000LL;
		ts.tv_nsec = due % 1000000000LL;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		sensor_test_pattern((uint32_t)k, v);
		stamp = (uint32_t)(due / 1000) & 0x7fffffff;
		for (i = 0; i < 3; i++) {
			rep[2 * i] = (uint16_t)v[i] & 0xff;
			rep[2 * i + 1] = (uint16_t)v[i] >> 8;
		}
		for (i = 0; i < 4; i++)
			rep[6 + i] = stamp >> (8 * i);
		if (write(fd, rep, sizeof(rep)) != sizeof(rep)) {
			fprintf(stderr, "hid_sensor: write %lu: %s\n", k, strerror(errno));
			rc = 1;
			break;
		}
		late = mono_ns() - due;
		if (late > late_max)
			late_max = late;
	}
	printf("sent %lu late_max_us %lld\n", k, (long long)(late_max / 1000));
	fflush(stdout);
	/* The device stays until the reader is done (another line, or EOF). */
	if (!fgets(line, sizeof(line), stdin))
		line[0] = 0;
out:
	close(fd);
	usbg_disable_gadget(g);
	usbg_rm_gadget(g, USBG_RM_RECURSE);
	usbg_cleanup(s);
	return rc;
}
