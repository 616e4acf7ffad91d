/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sensor-gadget: the arc USB sensor, emulated with a configfs gadget and
 * FunctionFS. gadget.c builds and tears down the USB device (configfs,
 * functionfs mount, descriptors, endpoints, UDC binding); device.c is
 * the device's behaviour (events, commands, samples, faults); main.c
 * parses options and runs the event loop.
 */
#ifndef SENSOR_GADGET_H
#define SENSOR_GADGET_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/aio_abi.h>

#include <arc/usb_sensor.h>

struct usbg_state;
struct usbg_gadget;

enum shape {
	SHAPE_NORMAL,		/* bulk IN + bulk OUT */
	SHAPE_NO_OUT,		/* bulk IN only */
	SHAPE_INT_IN,		/* interrupt IN + bulk OUT */
	SHAPE_WRONG_DIR,	/* bulk OUT + bulk OUT */
	SHAPE_ZERO_MAXPACKET,	/* bulk IN with wMaxPacketSize 0 + bulk OUT */
};

enum pattern {
	PATTERN_SINE,
	PATTERN_TEST,
};

enum fault_kind {
	FAULT_SHORT,
	FAULT_ODD,
	FAULT_GARBAGE,
	FAULT_GAP,
	FAULT_OOS,
	FAULT_HALT,
	FAULT_DISCONNECT,
	FAULT_BURST,
	FAULT_RANDOM,
	FAULT_KINDS,
};

/* One --fault option and how far it got. */
struct fault {
	enum fault_kind kind;
	uint64_t after;		/* samples sent before the first injection */
	uint64_t every;		/* samples between injections (0: once) */
	uint64_t count;		/* injections wanted (0: no limit) */
	long arg;		/* len, skip, back, rebind ms or samples */
	uint32_t batch;		/* burst: samples per transfer (0: --batch) */
	uint64_t injected;
	uint64_t next_at;	/* samples sent when it fires next */
};

#define MAX_FAULTS	16
#define MAX_BATCH	1024	/* samples per transfer: 16 KiB */

struct options {
	const char *name;
	const char *udc;
	const char *serial;
	const char *ffs_dir;
	const char *stats_file;
	const char *ready_file;
	uint16_t vid, pid;
	enum shape shape;
	enum pattern pattern;
	uint32_t rate;
	uint32_t batch;		/* 0: from the rate */
	uint32_t seq_start;
	uint64_t count;		/* 0: no limit */
	bool autostart;
	bool exit_after;
	bool replace;
	int verbose;
	struct fault faults[MAX_FAULTS];
	int nfaults;
};

/* The configfs gadget and its FunctionFS instance. */
struct gadget {
	struct usbg_state *state;
	struct usbg_gadget *g;
	char udc[NAME_MAX + 1];
	char mnt[PATH_MAX];
	bool mounted;
	bool bound;
	int ep0;
	int ep_in;		/* the endpoint samples go to, or -1 */
	int ep_out;		/* the endpoint commands come from, or -1 */
	int nfiles;		/* ep1..epN opened */
	int epfd[2];
};

int gadget_create(struct gadget *gd, const struct options *o);
int gadget_bind(struct gadget *gd);
int gadget_unbind(struct gadget *gd);
void gadget_destroy(struct gadget *gd, const struct options *o);
/* wMaxPacketSize of the IN endpoint at the speed the UDC runs at now. */
unsigned int gadget_in_maxpacket(const struct gadget *gd);

enum xfer_kind {
	XFER_NONE,
	XFER_DATA,
	XFER_FAULT,
	XFER_ZLP,
};

struct stats {
	uint64_t samples, transfers, bytes, zlps;
	uint64_t transfers_failed, transfers_cancelled;
	uint64_t cmd_start, cmd_stop, cmd_set_rate;
	uint64_t cmd_malformed, cmd_unknown_op, cmd_bad_rate;
	uint64_t setup_stalled;
	uint64_t ev_bind, ev_unbind, ev_enable, ev_disable, ev_suspend, ev_resume;
	uint64_t fault[FAULT_KINDS];
	uint64_t gap_seqs, burst_samples, garbage_chunks;
	/*
	 * Paced data transfers the host took: how late they were queued
	 * after their last sample was due, and how long until the host
	 * took them (microseconds, summed).
	 */
	uint64_t paced_transfers, send_lag_us, in_flight_us;
};

struct device {
	struct options *o;
	struct gadget *gd;
	struct stats st;

	aio_context_t aio;
	int evfd;		/* AIO completions */
	int pace_fd;		/* timerfd: the next batch is due */
	int rebind_fd;		/* timerfd: rebind after a disconnect fault */

	bool enabled, suspended, streaming, done, quit;
	uint32_t rate, batch;
	uint32_t next_seq;
	uint32_t last_seq;	/* of the last sample that reached the host */
	bool have_last;

	/* Pacing: sample i after the origin is due at t0_ns + i / rate. */
	uint64_t t0_ns;
	uint64_t sched_idx;
	bool sched_valid;
	uint64_t burst_left;
	uint32_t burst_batch;
	struct fault *disconnect_armed;

	/* The one IN transfer in flight. */
	struct iocb in_cb;
	enum xfer_kind in_kind;
	uint32_t in_first_seq, in_samples;
	size_t in_len;
	bool in_burst;
	bool in_cancelled;	/* STOP withdrew it */
	uint64_t in_submit_ns;
	unsigned int in_maxp;	/* wMaxPacketSize of bulk IN now */
	struct fault *in_fault;
	bool zlp_due;
	struct arc_sensor_sample in_buf[MAX_BATCH + 2];

	/* The one OUT read in flight. */
	struct iocb out_cb;
	bool out_pending;
	uint8_t out_buf[4096];
};

int device_init(struct device *d, struct options *o, struct gadget *gd);
void device_fini(struct device *d);
int device_ep0_event(struct device *d);
int device_aio_event(struct device *d);
void device_pace_timer(struct device *d);
void device_rebind_timer(struct device *d);
void device_pump(struct device *d);
void device_stats(struct device *d, const char *file);

extern const char *const fault_names[FAULT_KINDS];
const char *shape_name(enum shape s);

void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vmsg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
extern int verbosity;

#endif /* SENSOR_GADGET_H */
