// SPDX-License-Identifier: GPL-2.0
/*
 * sensor-gadget: the arc USB sensor (include/uapi/arc/usb_sensor.h) as a
 * real USB device, made with a configfs gadget and FunctionFS, for tests
 * and for trying the driver without the hardware. See sensor-gadget.8.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "sensor-gadget.h"

int verbosity;

void msg(const char *fmt, ...)
{
	va_list ap;

	fputs("sensor-gadget: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void vmsg(int level, const char *fmt, ...)
{
	va_list ap;

	if (verbosity < level)
		return;
	fputs("sensor-gadget: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char *const shape_names[] = {
	[SHAPE_NORMAL] = "normal",
	[SHAPE_NO_OUT] = "no-out",
	[SHAPE_INT_IN] = "int-in",
	[SHAPE_WRONG_DIR] = "wrong-dir",
	[SHAPE_ZERO_MAXPACKET] = "zero-maxpacket",
};

const char *shape_name(enum shape s)
{
	return shape_names[s];
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: sensor-gadget [options]\n"
		"  --name NAME         configfs gadget and FunctionFS instance name (arc-sensor)\n"
		"  --udc UDC           UDC to bind (default: the first free one in /sys/class/udc)\n"
		"  --vid ID, --pid ID  USB ids (0x1234, 0x5678)\n"
		"  --serial STR        serial number string (default: NAME)\n"
		"  --shape SHAPE       normal | no-out | int-in | wrong-dir | zero-maxpacket\n"
		"  --pattern P         sine (default) | test\n"
		"  --rate N            samples per second (%d..%d, default %d)\n"
		"  --batch N           samples per transfer (1..%d; default: one transfer per ~2 ms)\n"
		"  --autostart         stream without waiting for a START command\n"
		"  --count N           stop after N samples\n"
		"  --exit-after        exit once --count samples were sent\n"
		"  --seq-start N       first sequence number (0)\n"
		"  --fault SPEC        inject a fault, e.g. garbage:every=100,count=5 (repeatable)\n"
		"  --stats FILE        write the counters there (atomically), not to stdout\n"
		"  --ready-file FILE   create FILE once the UDC is bound\n"
		"  --ffs-dir DIR       where to mount functionfs (/run/sensor-gadget/NAME)\n"
		"  --replace           remove a stale gadget of the same name first\n"
		"  -v, --verbose       log events, commands and faults to stderr\n",
		ARC_SENSOR_RATE_MIN, ARC_SENSOR_RATE_MAX, ARC_SENSOR_RATE_DEFAULT, MAX_BATCH);
}

static int parse_u64(const char *what, const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max) {
		msg("%s: '%s' is not a number in %llu..%llu", what, s, (unsigned long long)min,
		    (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_choice(const char *what, const char *s, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return i;
	msg("%s: unknown '%s'", what, s);
	return -1;
}

/* KIND[:key=value[,key=value...]] */
static int parse_fault(struct options *o, const char *spec)
{
	struct fault *f;
	char buf[256], *args, *kv, *save = NULL;
	bool have_after = false, have_len = false;
	uint64_t v;
	int k;

	if (o->nfaults == MAX_FAULTS) {
		msg("--fault: at most %d", MAX_FAULTS);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	args = strchr(buf, ':');
	if (args)
		*args++ = '\0';
	k = parse_choice("--fault", buf, fault_names, FAULT_KINDS);
	if (k < 0)
		return -1;
	f = &o->faults[o->nfaults];
	memset(f, 0, sizeof(*f));
	f->kind = k;
	f->count = 1;
	switch (f->kind) {
	case FAULT_SHORT: f->arg = 8; break;
	case FAULT_ODD: f->arg = 24; break;
	case FAULT_GARBAGE: f->arg = 32; break;
	case FAULT_GAP: f->arg = 1; break;
	case FAULT_OOS: f->arg = 1; break;
	case FAULT_DISCONNECT: f->arg = -1; break;
	case FAULT_BURST: f->arg = 1000; break;
	case FAULT_RANDOM: f->arg = 64; break;
	default: break;
	}
	for (kv = args ? strtok_r(args, ",", &save) : NULL; kv; kv = strtok_r(NULL, ",", &save)) {
		char *val = strchr(kv, '=');
		const char *key = kv;
		bool arg_key;

		if (!val) {
			msg("--fault %s: '%s' is not key=value", spec, kv);
			return -1;
		}
		*val++ = '\0';
		arg_key = (!strcmp(key, "len") && (f->kind == FAULT_SHORT || f->kind == FAULT_ODD ||
						   f->kind == FAULT_GARBAGE || f->kind == FAULT_RANDOM)) ||
			  (!strcmp(key, "skip") && f->kind == FAULT_GAP) ||
			  (!strcmp(key, "back") && f->kind == FAULT_OOS) ||
			  (!strcmp(key, "rebind") && f->kind == FAULT_DISCONNECT) ||
			  (!strcmp(key, "samples") && f->kind == FAULT_BURST);
		if (!strcmp(key, "every")) {
			if (parse_u64("--fault every", val, 1, UINT32_MAX, &f->every) < 0)
				return -1;
		} else if (!strcmp(key, "after")) {
			if (parse_u64("--fault after", val, 0, UINT64_MAX / 2, &f->after) < 0)
				return -1;
			have_after = true;
		} else if (!strcmp(key, "count")) {
			if (parse_u64("--fault count", val, 0, UINT32_MAX, &f->count) < 0)
				return -1;
		} else if (!strcmp(key, "batch") && f->kind == FAULT_BURST) {
			if (parse_u64("--fault batch", val, 1, MAX_BATCH, &v) < 0)
				return -1;
			f->batch = (uint32_t)v;
		} else if (arg_key) {
			if (parse_u64("--fault", val, 0, UINT32_MAX, &v) < 0)
				return -1;
			f->arg = (long)v;
			have_len = true;
		} else {
			msg("--fault %s: no key '%s' for %s (sensor-gadget.8 lists them)", spec, key,
			    fault_names[f->kind]);
			return -1;
		}
	}
	if (!have_after)
		f->after = f->every;
	if (f->count != 1 && !f->every) {
		msg("--fault %s: count=%llu needs every=N", spec, (unsigned long long)f->count);
		return -1;
	}
	switch (f->kind) {
	case FAULT_SHORT:
		if (f->arg < 1 || f->arg >= (long)sizeof(struct arc_sensor_sample)) {
			msg("--fault short: len must be 1..15");
			return -1;
		}
		break;
	case FAULT_ODD:
		if (f->arg <= 16 || f->arg % 16 == 0 || f->arg > MAX_BATCH * 16) {
			msg("--fault odd: len must be above 16, not a multiple of 16, at most %d",
			    MAX_BATCH * 16);
			return -1;
		}
		break;
	case FAULT_GARBAGE:
		if (f->arg < 16 || f->arg % 16 || f->arg > MAX_BATCH * 16) {
			msg("--fault garbage: len must be a multiple of 16, 16..%d", MAX_BATCH * 16);
			return -1;
		}
		break;
	case FAULT_RANDOM:
		if (f->arg < 1 || f->arg > MAX_BATCH * 16) {
			msg("--fault random: len must be 1..%d", MAX_BATCH * 16);
			return -1;
		}
		break;
	case FAULT_GAP:
	case FAULT_OOS:
	case FAULT_BURST:
		if (f->arg < 1) {
			msg("--fault %s: the number must be at least 1", fault_names[f->kind]);
			return -1;
		}
		break;
	default:
		break;
	}
	(void)have_len;
	o->nfaults++;
	return 0;
}

static int parse_options(struct options *o, int argc, char **argv)
{
	enum { O_VID = 256, O_PID, O_SERIAL, O_SHAPE, O_PATTERN, O_RATE, O_BATCH, O_AUTOSTART,
	       O_COUNT, O_EXIT_AFTER, O_SEQ_START, O_FAULT, O_STATS, O_READY, O_FFS_DIR,
	       O_REPLACE, O_NAME, O_UDC };
	static const struct option opts[] = {
		{ "name", required_argument, NULL, O_NAME },
		{ "udc", required_argument, NULL, O_UDC },
		{ "vid", required_argument, NULL, O_VID },
		{ "pid", required_argument, NULL, O_PID },
		{ "serial", required_argument, NULL, O_SERIAL },
		{ "shape", required_argument, NULL, O_SHAPE },
		{ "pattern", required_argument, NULL, O_PATTERN },
		{ "rate", required_argument, NULL, O_RATE },
		{ "batch", required_argument, NULL, O_BATCH },
		{ "autostart", no_argument, NULL, O_AUTOSTART },
		{ "count", required_argument, NULL, O_COUNT },
		{ "exit-after", no_argument, NULL, O_EXIT_AFTER },
		{ "seq-start", required_argument, NULL, O_SEQ_START },
		{ "fault", required_argument, NULL, O_FAULT },
		{ "stats", required_argument, NULL, O_STATS },
		{ "ready-file", required_argument, NULL, O_READY },
		{ "ffs-dir", required_argument, NULL, O_FFS_DIR },
		{ "replace", no_argument, NULL, O_REPLACE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const pattern_names[] = { "sine", "test" };
	uint64_t v;
	int c, k;

	o->name = "arc-sensor";
	o->vid = ARC_SENSOR_VID;
	o->pid = ARC_SENSOR_PID;
	o->rate = ARC_SENSOR_RATE_DEFAULT;
	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case O_NAME:
			/* libusbgx: FunctionFS device names are at most 36 bytes */
			if (!optarg[0] || strlen(optarg) > 36 || strchr(optarg, '/')) {
				msg("--name: 1..36 characters, no '/'");
				return -1;
			}
			o->name = optarg;
			break;
		case O_UDC: o->udc = optarg; break;
		case O_SERIAL: o->serial = optarg; break;
		case O_VID:
		case O_PID:
			if (parse_u64(c == O_VID ? "--vid" : "--pid", optarg, 0, 0xffff, &v) < 0)
				return -1;
			*(c == O_VID ? &o->vid : &o->pid) = (uint16_t)v;
			break;
		case O_SHAPE:
			k = parse_choice("--shape", optarg, shape_names, 5);
			if (k < 0)
				return -1;
			o->shape = k;
			break;
		case O_PATTERN:
			k = parse_choice("--pattern", optarg, pattern_names, 2);
			if (k < 0)
				return -1;
			o->pattern = k;
			break;
		case O_RATE:
			if (parse_u64("--rate", optarg, ARC_SENSOR_RATE_MIN, ARC_SENSOR_RATE_MAX, &v) < 0)
				return -1;
			o->rate = (uint32_t)v;
			break;
		case O_BATCH:
			if (parse_u64("--batch", optarg, 1, MAX_BATCH, &v) < 0)
				return -1;
			o->batch = (uint32_t)v;
			break;
		case O_AUTOSTART: o->autostart = true; break;
		case O_COUNT:
			if (parse_u64("--count", optarg, 1, UINT64_MAX / 2, &o->count) < 0)
				return -1;
			break;
		case O_EXIT_AFTER: o->exit_after = true; break;
		case O_SEQ_START:
			if (parse_u64("--seq-start", optarg, 0, UINT32_MAX, &v) < 0)
				return -1;
			o->seq_start = (uint32_t)v;
			break;
		case O_FAULT:
			if (parse_fault(o, optarg) < 0)
				return -1;
			break;
		case O_STATS: o->stats_file = optarg; break;
		case O_READY: o->ready_file = optarg; break;
		case O_FFS_DIR: o->ffs_dir = optarg; break;
		case O_REPLACE: o->replace = true; break;
		case 'v': verbosity++; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		msg("unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (o->exit_after && !o->count) {
		msg("--exit-after needs --count");
		return -1;
	}
	return 0;
}

static int write_ready(const char *file, const struct gadget *gd)
{
	FILE *f = fopen(file, "we");

	if (!f || fprintf(f, "%s\n", gd->udc) < 0 || fclose(f) != 0) {
		msg("creating the ready file %s: %s", file, strerror(errno));
		return -1;
	}
	return 0;
}

/* Wait for what is still in flight after the unbind, so the counters are final. */
static void drain(struct device *d)
{
	struct pollfd p = { .fd = d->evfd, .events = POLLIN };
	int tries;

	for (tries = 0; tries < 20 && (d->in_kind != XFER_NONE || d->out_pending); tries++) {
		if (poll(&p, 1, 50) > 0)
			device_aio_event(d);
	}
}

int main(int argc, char **argv)
{
	static struct options o;
	static struct gadget gd;
	static struct device d;
	struct signalfd_siginfo si;
	struct pollfd pfd[5];
	sigset_t sigs;
	int sfd, rc = 1;

	if (parse_options(&o, argc, argv) < 0)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sfd < 0) {
		msg("signalfd: %s", strerror(errno));
		return 1;
	}

	d.evfd = d.pace_fd = d.rebind_fd = -1;
	if (gadget_create(&gd, &o) < 0)
		goto out_gadget;
	if (device_init(&d, &o, &gd) < 0)
		goto out_device;
	if (gadget_bind(&gd) < 0)
		goto out_device;
	msg("%04x:%04x shape %s bound to %s (functionfs on %s)", o.vid, o.pid,
	    shape_name(o.shape), gd.udc, gd.mnt);
	if (o.ready_file && write_ready(o.ready_file, &gd) < 0)
		goto out_device;

	pfd[0] = (struct pollfd){ .fd = gd.ep0, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = d.evfd, .events = POLLIN };
	pfd[2] = (struct pollfd){ .fd = d.pace_fd, .events = POLLIN };
	pfd[3] = (struct pollfd){ .fd = d.rebind_fd, .events = POLLIN };
	pfd[4] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	rc = 0;
	while (!d.quit) {
		if (poll(pfd, 5, -1) < 0) {
			if (errno == EINTR)
				continue;
			msg("poll: %s", strerror(errno));
			rc = 1;
			break;
		}
		if ((pfd[0].revents & POLLIN) && device_ep0_event(&d) < 0) {
			rc = 1;
			break;
		}
		if ((pfd[1].revents & POLLIN) && device_aio_event(&d) < 0) {
			rc = 1;
			break;
		}
		if (pfd[2].revents & POLLIN)
			device_pace_timer(&d);
		if (pfd[3].revents & POLLIN)
			device_rebind_timer(&d);
		if (pfd[4].revents & POLLIN) {
			if (read(sfd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (si.ssi_signo == SIGUSR1)
				device_stats(&d, o.stats_file);
			else if (si.ssi_signo != SIGHUP)
				d.quit = true;
		}
	}

	gadget_unbind(&gd);
	drain(&d);
	device_stats(&d, o.stats_file);
out_device:
	device_fini(&d);
out_gadget:
	gadget_destroy(&gd, &o);
	if (o.ready_file)
		unlink(o.ready_file);
	close(sfd);
	return rc;
}
