// SPDX-License-Identifier: GPL-2.0
/*
 * What the emulated sensor does: FunctionFS events on ep0, commands on
 * bulk OUT, samples on bulk IN, the injected faults, and the counters.
 *
 * One thread. Endpoint I/O goes through the kernel's AIO (FunctionFS
 * supports it; its endpoint files cannot be polled), with completions
 * signalled on an eventfd, so that ep0, completions, timers and signals
 * all wait in one poll(). At most one IN transfer is in flight: its
 * samples count as sent only when it completes, and if it fails (the
 * host went away) the same sequence numbers are sent again, so every
 * counter is exact.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>

#include "pattern.h"
#include "sensor-gadget.h"

/* Never build up more than this much backlog: start the schedule again. */
#define MAX_LAG_NS	100000000ull
/* The default batch: one transfer at most every 2 ms. */
#define BATCH_PERIOD_US	2000u
/* Behind schedule, a default-sized batch grows up to this many times. */
#define MAX_CATCH_UP	8u
/* How soon to try again a halt that the UDC refused for now. */
#define RETRY_NS	10000000ull

const char *const fault_names[FAULT_KINDS] = {
	[FAULT_SHORT] = "short",
	[FAULT_ODD] = "odd",
	[FAULT_GARBAGE] = "garbage",
	[FAULT_GAP] = "gap",
	[FAULT_OOS] = "oos",
	[FAULT_HALT] = "halt",
	[FAULT_DISCONNECT] = "disconnect",
	[FAULT_BURST] = "burst",
	[FAULT_RANDOM] = "random",
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The device clock: CLOCK_MONOTONIC in microseconds, low 32 bits. */
static uint32_t device_us(uint64_t ns)
{
	return (uint32_t)(ns / 1000);
}

static long io_setup(unsigned int nr, aio_context_t *ctx)
{
	return syscall(SYS_io_setup, nr, ctx);
}

static long io_destroy(aio_context_t ctx)
{
	return syscall(SYS_io_destroy, ctx);
}

static long io_submit(aio_context_t ctx, long n, struct iocb **cbs)
{
	return syscall(SYS_io_submit, ctx, n, cbs);
}

static long io_getevents(aio_context_t ctx, long min, long max, struct io_event *ev,
			 struct timespec *tmo)
{
	return syscall(SYS_io_getevents, ctx, min, max, ev, tmo);
}

static long io_cancel(aio_context_t ctx, struct iocb *cb, struct io_event *ev)
{
	return syscall(SYS_io_cancel, ctx, cb, ev);
}

static int aio_start(struct device *d, struct iocb *cb, int fd, int op, void *buf, size_t len)
{
	struct iocb *cbs[1] = { cb };

	memset(cb, 0, sizeof(*cb));
	cb->aio_fildes = fd;
	cb->aio_lio_opcode = op;
	cb->aio_buf = (uint64_t)(uintptr_t)buf;
	cb->aio_nbytes = len;
	cb->aio_flags = IOCB_FLAG_RESFD;
	cb->aio_resfd = d->evfd;
	cb->aio_data = (uint64_t)(uintptr_t)cb;
	if (io_submit(d->aio, 1, cbs) != 1) {
		msg("io_submit on an endpoint: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void arm_timer(int fd, uint64_t at_ns)
{
	struct itimerspec its = {
		.it_value.tv_sec = at_ns / 1000000000ull,
		.it_value.tv_nsec = at_ns % 1000000000ull,
	};

	if (!at_ns)
		its.it_value.tv_nsec = 0;
	timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
}

static uint32_t auto_batch(uint32_t rate)
{
	uint64_t b = ((uint64_t)rate * BATCH_PERIOD_US + 999999) / 1000000;

	return b < 1 ? 1 : b > MAX_BATCH ? MAX_BATCH : (uint32_t)b;
}

static void set_rate(struct device *d, uint32_t rate)
{
	d->rate = rate;
	d->batch = d->o->batch ? d->o->batch : auto_batch(rate);
	d->sched_valid = false;
}

int device_init(struct device *d, struct options *o, struct gadget *gd)
{
	int i;

	memset(d, 0, sizeof(*d));
	d->o = o;
	d->gd = gd;
	d->next_seq = o->seq_start;
	d->in_maxp = 512;
	d->streaming = o->autostart;
	set_rate(d, o->rate);
	for (i = 0; i < o->nfaults; i++)
		o->faults[i].next_at = o->faults[i].after;
	d->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	d->pace_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	d->rebind_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (d->evfd < 0 || d->pace_fd < 0 || d->rebind_fd < 0) {
		msg("creating an eventfd or timerfd: %s", strerror(errno));
		return -1;
	}
	if (io_setup(8, &d->aio) < 0) {
		msg("io_setup: %s", strerror(errno));
		return -1;
	}
	return 0;
}

void device_fini(struct device *d)
{
	/* Cancels what is still in flight and waits for it. */
	if (d->aio)
		io_destroy(d->aio);
	if (d->evfd >= 0)
		close(d->evfd);
	if (d->pace_fd >= 0)
		close(d->pace_fd);
	if (d->rebind_fd >= 0)
		close(d->rebind_fd);
}

/* ---- samples ---------------------------------------------------------- */

static void values_for(const struct device *d, uint32_t seq, int16_t v[3])
{
	if (d->o->pattern == PATTERN_TEST)
		sensor_test_pattern(seq, v);
	else
		sensor_sine_pattern(seq, v);
}

static void make_sample(const struct device *d, struct arc_sensor_sample *s, uint32_t seq,
			uint32_t ts)
{
	int16_t v[3];

	values_for(d, seq, v);
	sensor_sample_encode(s, seq, v, ts);
}

static int submit_in(struct device *d, enum xfer_kind kind, size_t len)
{
	d->in_kind = kind;
	d->in_len = len;
	return aio_start(d, &d->in_cb, d->gd->ep_in, IOCB_CMD_PWRITE, d->in_buf, len);
}

/* ---- faults ----------------------------------------------------------- */

static struct fault *due_fault(struct device *d)
{
	int i;

	for (i = 0; i < d->o->nfaults; i++) {
		struct fault *f = &d->o->faults[i];

		if (f->count && f->injected >= f->count)
			continue;
		if (f->next_at == d->st.samples && f != d->disconnect_armed)
			return f;
	}
	return NULL;
}

/* Samples that may go before the next fault fires. */
static uint64_t until_next_fault(const struct device *d)
{
	uint64_t n = UINT64_MAX;
	int i;

	for (i = 0; i < d->o->nfaults; i++) {
		const struct fault *f = &d->o->faults[i];

		if (f->count && f->injected >= f->count)
			continue;
		if (f->next_at > d->st.samples && f->next_at - d->st.samples < n)
			n = f->next_at - d->st.samples;
	}
	return n;
}

static void fault_done(struct device *d, struct fault *f)
{
	f->injected++;
	d->st.fault[f->kind]++;
	if (f->every)
		f->next_at += f->every;
	else
		f->count = f->injected;	/* once */
	vmsg(1, "injected %s #%llu at %llu samples", fault_names[f->kind],
	     (unsigned long long)f->injected, (unsigned long long)d->st.samples);
}

/*
 * The transfer a short, odd, garbage or out-of-sequence fault sends.
 * None of them uses up a sequence number.
 */
static size_t build_fault(struct device *d, const struct fault *f)
{
	uint32_t ts = device_us(now_ns());
	size_t len = (size_t)f->arg, i;

	switch (f->kind) {
	case FAULT_SHORT:
		/* The first bytes of what would be the next sample. */
		make_sample(d, &d->in_buf[0], d->next_seq, ts);
		break;
	case FAULT_ODD:
		/* Whole, valid-looking next samples, then a piece of one. */
		for (i = 0; i * sizeof(d->in_buf[0]) < len; i++)
			make_sample(d, &d->in_buf[i], d->next_seq + i, ts);
		break;
	case FAULT_GARBAGE:
		/* Alternately a wrong magic and a wrong check. */
		for (i = 0; i * sizeof(d->in_buf[0]) < len; i++) {
			make_sample(d, &d->in_buf[i], d->next_seq + i, ts);
			if (i % 2 == 0)
				d->in_buf[i].magic = (uint8_t)~ARC_SENSOR_MAGIC;
			else
				d->in_buf[i].check ^= 0xff;
		}
		break;
	case FAULT_RANDOM: {
		/*
		 * 1..arg bytes, each random; every 16-byte block starts with
		 * the magic half of the time, so that the check byte is what
		 * catches it. Seeded from where in the stream it is: a run is
		 * the same every time.
		 */
		uint64_t x = 0x9e3779b97f4a7c15ull ^ (d->st.samples << 20) ^ f->injected;
		uint8_t *b = (uint8_t *)d->in_buf;

		x ^= x >> 31;
		len = 1 + (size_t)(x % (uint64_t)f->arg);
		/* Half of them whole blocks: past the length checks. */
		if ((x >> 40) & 1 && len >= 16)
			len -= len % 16;
		for (i = 0; i < len; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			b[i] = (uint8_t)(x >> 24);
			if (i % 16 == 0 && (x & 1))
				b[i] = ARC_SENSOR_MAGIC;
		}
		/*
		 * A whole block that came out with the magic and a matching
		 * check byte (one in 512 here) is a sample as far as any
		 * host can tell, which the driver must deliver: break its
		 * check, so that every random transfer is one to skip.
		 */
		for (i = 0; i + 16 <= len; i += 16)
			if (b[i] == ARC_SENSOR_MAGIC &&
			    sensor_sample_check((const struct arc_sensor_sample *)(b + i)) == b[i + 1])
				b[i + 1] ^= 0x01;
		break;
	}
	case FAULT_OOS:
		/* The seq of the arg-th most recent sample the host got. */
		make_sample(d, &d->in_buf[0], d->last_seq - (uint32_t)(f->arg - 1), ts);
		len = sizeof(d->in_buf[0]);
		break;
	default:
		len = 0;
	}
	return len;
}

enum inject { INJECTED, SUBMITTED, LATER };

static enum inject inject(struct device *d, struct fault *f)
{
	char c;

	switch (f->kind) {
	case FAULT_SHORT:
	case FAULT_ODD:
	case FAULT_GARBAGE:
	case FAULT_OOS:
	case FAULT_RANDOM:
		d->in_fault = f;
		if (submit_in(d, XFER_FAULT, build_fault(d, f)) < 0)
			return LATER;
		return SUBMITTED;
	case FAULT_GAP:
		d->next_seq += (uint32_t)f->arg;
		d->st.gap_seqs += (uint64_t)f->arg;
		fault_done(d, f);
		return INJECTED;
	case FAULT_HALT:
		/*
		 * FunctionFS halts an endpoint when it is used in the wrong
		 * direction: a read() of an IN endpoint sets the halt and
		 * fails with EBADMSG. The UDC refuses (EAGAIN) while a
		 * transfer is queued on it; none is here.
		 */
		if (read(d->gd->ep_in, &c, 1) < 0 && errno == EBADMSG) {
			fault_done(d, f);
			return INJECTED;
		}
		vmsg(1, "halting the IN endpoint: %s (trying again)", strerror(errno));
		return LATER;
	case FAULT_BURST:
		d->burst_left = (uint64_t)f->arg;
		d->burst_batch = f->batch ? f->batch : d->batch;
		fault_done(d, f);
		return INJECTED;
	case FAULT_DISCONNECT:
		/* Fires right after the next data transfer is queued. */
		d->disconnect_armed = f;
		return INJECTED;
	default:
		return INJECTED;
	}
}

static void disconnect(struct device *d)
{
	struct fault *f = d->disconnect_armed;

	d->disconnect_armed = NULL;
	if (gadget_unbind(d->gd) < 0)
		return;
	msg("disconnect fault: unbound UDC %s%s", d->gd->udc,
	    f->arg >= 0 ? "" : " (no rebind)");
	fault_done(d, f);
	if (f->arg >= 0)
		arm_timer(d->rebind_fd, now_ns() + (uint64_t)f->arg * 1000000ull + 1);
}

void device_rebind_timer(struct device *d)
{
	uint64_t n;

	if (read(d->rebind_fd, &n, sizeof(n)) < 0)
		return;
	if (gadget_bind(d->gd) == 0)
		msg("disconnect fault: bound UDC %s again", d->gd->udc);
}

/* ---- streaming -------------------------------------------------------- */

static bool can_send(const struct device *d)
{
	return d->gd->ep_in >= 0 && d->enabled && !d->suspended && d->streaming &&
	       !d->done && d->in_kind == XFER_NONE && d->gd->bound;
}

static uint64_t due_ns(const struct device *d, uint64_t idx)
{
	return d->t0_ns + idx * 1000000000ull / d->rate;
}

/* Queue the next data transfer now if its last sample is due. */
static void send_data(struct device *d)
{
	uint64_t n = d->burst_left ? d->burst_batch : d->batch, limit, now, i, cap;
	uint32_t first = d->next_seq;

	/*
	 * At most this many in one transfer: an explicit --batch exactly;
	 * faults and --count come first.
	 */
	cap = d->o->batch ? d->batch : MAX_CATCH_UP * (uint64_t)d->batch;
	if (cap > MAX_BATCH)
		cap = MAX_BATCH;
	limit = until_next_fault(d);
	if (limit < cap)
		cap = limit;
	if (d->o->count && d->o->count - d->st.samples < cap)
		cap = d->o->count - d->st.samples;
	if (n > cap)
		n = cap;
	if (d->burst_left && d->burst_left < n)
		n = d->burst_left;

	now = now_ns();
	if (d->burst_left) {
		for (i = 0; i < n; i++)
			make_sample(d, &d->in_buf[i], first + (uint32_t)i, device_us(now));
	} else {
		if (!d->sched_valid || now > due_ns(d, d->sched_idx + n - 1) + MAX_LAG_NS) {
			/* (Re)start the schedule: this batch is due now. */
			d->t0_ns = now - (n - 1) * 1000000000ull / d->rate;
			d->sched_idx = 0;
			d->sched_valid = true;
		}
		if (due_ns(d, d->sched_idx + n - 1) > now) {
			arm_timer(d->pace_fd, due_ns(d, d->sched_idx + n - 1));
			return;
		}
		/*
		 * Behind (the host took the last transfer late): every sample
		 * due by now goes, as from a device's FIFO, up to cap.
		 */
		while (n < cap && due_ns(d, d->sched_idx + n) <= now)
			n++;
		for (i = 0; i < n; i++)
			make_sample(d, &d->in_buf[i], first + (uint32_t)i,
				    device_us(due_ns(d, d->sched_idx + i)));
		d->st.send_lag_us += (now - due_ns(d, d->sched_idx + n - 1)) / 1000;
		d->sched_idx += n;
	}
	d->in_submit_ns = now;
	d->in_first_seq = first;
	d->in_samples = (uint32_t)n;
	d->in_burst = d->burst_left != 0;
	d->next_seq = first + (uint32_t)n;
	if (submit_in(d, XFER_DATA, n * sizeof(d->in_buf[0])) < 0) {
		d->next_seq = first;
		d->in_kind = XFER_NONE;
		return;
	}
	if (d->disconnect_armed)
		disconnect(d);
}

static void submit_out(struct device *d)
{
	if (d->gd->ep_out < 0 || d->out_pending || !d->enabled || !d->gd->bound)
		return;
	if (aio_start(d, &d->out_cb, d->gd->ep_out, IOCB_CMD_PREAD, d->out_buf,
		      sizeof(d->out_buf)) == 0)
		d->out_pending = true;
}

void device_pump(struct device *d)
{
	struct fault *f;

	submit_out(d);
	while (can_send(d)) {
		if (d->zlp_due) {
			/* The last transfer filled its last packet: end it. */
			submit_in(d, XFER_ZLP, 0);
			return;
		}
		f = due_fault(d);
		if (f) {
			switch (inject(d, f)) {
			case INJECTED:
				continue;
			case SUBMITTED:
				return;
			case LATER:
				arm_timer(d->pace_fd, now_ns() + RETRY_NS);
				return;
			}
		}
		send_data(d);
		return;
	}
}

void device_pace_timer(struct device *d)
{
	uint64_t n;

	if (read(d->pace_fd, &n, sizeof(n)) < 0)
		return;
	device_pump(d);
}

static void in_done(struct device *d, long res)
{
	enum xfer_kind kind = d->in_kind;
	struct fault *f = d->in_fault;
	size_t len = d->in_len;

	d->in_kind = XFER_NONE;
	d->in_fault = NULL;
	if (res >= 0 && (size_t)res == len)
		d->in_cancelled = false;	/* the host took it first */
	if (kind == XFER_DATA && res >= 0 && (size_t)res == len && !d->in_burst) {
		d->st.paced_transfers++;
		d->st.in_flight_us += (now_ns() - d->in_submit_ns) / 1000;
	}
	if (res < 0 || (size_t)res != len) {
		/* Not (all) taken by the host: send the same seqs again. */
		if (d->in_cancelled)
			d->st.transfers_cancelled++;
		else
			d->st.transfers_failed++;
		d->in_cancelled = false;
		if (kind == XFER_DATA)
			d->next_seq = d->in_first_seq;
		d->zlp_due = false;
		d->sched_valid = false;
		vmsg(1, "IN transfer of %zu bytes: %s", len,
		     res < 0 ? strerror((int)-res) : "partial");
		return;
	}
	if (kind == XFER_ZLP) {
		d->st.zlps++;
		d->zlp_due = false;
		return;
	}
	d->st.transfers++;
	d->st.bytes += len;
	d->zlp_due = len % d->in_maxp == 0;
	if (kind == XFER_FAULT) {
		if (f->kind == FAULT_GARBAGE)
			d->st.garbage_chunks += (len + sizeof(d->in_buf[0]) - 1) /
						sizeof(d->in_buf[0]);
		fault_done(d, f);
		return;
	}
	d->st.samples += d->in_samples;
	d->last_seq = d->in_first_seq + d->in_samples - 1;
	d->have_last = true;
	if (d->in_burst && d->burst_left) {
		d->st.burst_samples += d->in_samples;
		d->burst_left -= d->in_samples;
		if (!d->burst_left)
			d->sched_valid = false;
	}
	if (d->o->count && d->st.samples >= d->o->count) {
		d->done = true;
		msg("sent the %llu samples of --count", (unsigned long long)d->o->count);
		if (d->o->exit_after)
			d->quit = true;
	}
}

/* ---- commands --------------------------------------------------------- */

/*
 * STOP withdraws the data transfer still queued (FunctionFS dequeues it
 * on io_cancel), so that nothing arrives once STOP was handled; its
 * sequence numbers go out first after the next START. If the host took
 * it in the meantime, it completes normally.
 */
static void cancel_data(struct device *d)
{
	struct io_event ev;

	if (d->in_kind != XFER_DATA || d->in_cancelled)
		return;
	d->in_cancelled = true;
	if (io_cancel(d->aio, &d->in_cb, &ev) == 0)
		in_done(d, (long)ev.res);	/* kernels that complete it here */
	else if (errno != EINPROGRESS)
		d->in_cancelled = false;
}

static void command(struct device *d, const uint8_t *buf, long len)
{
	struct arc_sensor_cmd cmd;
	uint32_t arg;

	if (len != (long)sizeof(cmd)) {
		d->st.cmd_malformed++;
		vmsg(1, "command of %ld bytes ignored", len);
		return;
	}
	memcpy(&cmd, buf, sizeof(cmd));
	arg = be32toh(cmd.arg);
	if (cmd.magic != ARC_SENSOR_MAGIC || cmd.reserved) {
		d->st.cmd_malformed++;
		vmsg(1, "command with a bad magic or reserved field ignored");
		return;
	}
	switch (cmd.op) {
	case ARC_SENSOR_OP_START:
	case ARC_SENSOR_OP_STOP:
		if (arg) {
			d->st.cmd_malformed++;
			return;
		}
		if (cmd.op == ARC_SENSOR_OP_START) {
			d->st.cmd_start++;
			if (!d->streaming)
				d->sched_valid = false;
			d->streaming = true;
		} else {
			d->st.cmd_stop++;
			d->streaming = false;
			d->burst_left = 0;
			cancel_data(d);
		}
		vmsg(1, "command %s", cmd.op == ARC_SENSOR_OP_START ? "START" : "STOP");
		return;
	case ARC_SENSOR_OP_SET_RATE:
		if (arg < ARC_SENSOR_RATE_MIN || arg > ARC_SENSOR_RATE_MAX) {
			d->st.cmd_bad_rate++;
			vmsg(1, "SET_RATE %u out of range ignored", arg);
			return;
		}
		d->st.cmd_set_rate++;
		set_rate(d, arg);
		vmsg(1, "command SET_RATE %u (batch %u)", arg, d->batch);
		return;
	default:
		d->st.cmd_unknown_op++;
		vmsg(1, "command with unknown op %u ignored", cmd.op);
		return;
	}
}

static void out_done(struct device *d, long res)
{
	d->out_pending = false;
	if (res < 0) {
		vmsg(1, "OUT read: %s", strerror((int)-res));
		return;
	}
	command(d, d->out_buf, res);
}

int device_aio_event(struct device *d)
{
	struct io_event ev[4];
	struct timespec zero = { 0, 0 };
	uint64_t n;
	long got, i;

	if (read(d->evfd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return -1;
	for (;;) {
		got = io_getevents(d->aio, 0, 4, ev, &zero);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			msg("io_getevents: %s", strerror(errno));
			return -1;
		}
		if (got == 0)
			break;
		for (i = 0; i < got; i++) {
			if (ev[i].obj == (uint64_t)(uintptr_t)&d->in_cb)
				in_done(d, (long)ev[i].res);
			else
				out_done(d, (long)ev[i].res);
		}
	}
	device_pump(d);
	return 0;
}

/* ---- ep0 -------------------------------------------------------------- */

static const char *const event_names[] = {
	[FUNCTIONFS_BIND] = "BIND",
	[FUNCTIONFS_UNBIND] = "UNBIND",
	[FUNCTIONFS_ENABLE] = "ENABLE",
	[FUNCTIONFS_DISABLE] = "DISABLE",
	[FUNCTIONFS_SETUP] = "SETUP",
	[FUNCTIONFS_SUSPEND] = "SUSPEND",
	[FUNCTIONFS_RESUME] = "RESUME",
};

/* No class or vendor request is part of the protocol: stall them all. */
static void setup(struct device *d, const struct usb_ctrlrequest *req)
{
	int r;

	vmsg(1, "SETUP bRequestType %#x bRequest %#x wLength %u: stalled",
	     req->bRequestType, req->bRequest, le16toh(req->wLength));
	/* FunctionFS stalls ep0 on an I/O in the wrong direction. */
	if (req->bRequestType & USB_DIR_IN)
		r = read(d->gd->ep0, NULL, 0);
	else
		r = write(d->gd->ep0, NULL, 0);
	if (r < 0 && errno != EL2HLT)
		vmsg(1, "stalling ep0: %s", strerror(errno));
	d->st.setup_stalled++;
}

int device_ep0_event(struct device *d)
{
	struct usb_functionfs_event ev[4];
	ssize_t n;
	size_t i;

	n = read(d->gd->ep0, ev, sizeof(ev));
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		msg("reading events from ep0: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < n / sizeof(ev[0]); i++) {
		if (ev[i].type < sizeof(event_names) / sizeof(event_names[0]))
			vmsg(1, "event %s", event_names[ev[i].type]);
		switch (ev[i].type) {
		case FUNCTIONFS_BIND:
			d->st.ev_bind++;
			break;
		case FUNCTIONFS_UNBIND:
			d->st.ev_unbind++;
			d->enabled = false;
			d->suspended = false;
			break;
		case FUNCTIONFS_ENABLE:
			d->st.ev_enable++;
			d->enabled = true;
			d->in_maxp = gadget_in_maxpacket(d->gd);
			d->suspended = false;
			d->sched_valid = false;
			d->zlp_due = false;
			break;
		case FUNCTIONFS_DISABLE:
			d->st.ev_disable++;
			d->enabled = false;
			break;
		case FUNCTIONFS_SUSPEND:
			d->st.ev_suspend++;
			d->suspended = true;
			break;
		case FUNCTIONFS_RESUME:
			d->st.ev_resume++;
			d->suspended = false;
			d->sched_valid = false;
			break;
		case FUNCTIONFS_SETUP:
			setup(d, &ev[i].u.setup);
			break;
		}
	}
	device_pump(d);
	return 0;
}

/* ---- counters --------------------------------------------------------- */

void device_stats(struct device *d, const char *file)
{
	const struct stats *s = &d->st;
	char tmp[PATH_MAX + 32];
	FILE *f = stdout;
	int i;

	if (file) {
		snprintf(tmp, sizeof(tmp), "%s.tmp.%d", file, (int)getpid());
		f = fopen(tmp, "we");
		if (!f) {
			msg("writing the counters to %s: %s", tmp, strerror(errno));
			return;
		}
	}
	fprintf(f, "name=%s udc=%s shape=%s bound=%d enabled=%d suspended=%d streaming=%d done=%d",
		d->o->name, d->gd->udc, shape_name(d->o->shape), d->gd->bound, d->enabled,
		d->suspended, d->streaming, d->done);
	fprintf(f, " rate=%u batch=%u next_seq=%u samples=%llu transfers=%llu bytes=%llu zlps=%llu transfers_failed=%llu transfers_cancelled=%llu",
		d->rate, d->batch, d->next_seq, (unsigned long long)s->samples,
		(unsigned long long)s->transfers, (unsigned long long)s->bytes,
		(unsigned long long)s->zlps, (unsigned long long)s->transfers_failed,
		(unsigned long long)s->transfers_cancelled);
	fprintf(f, " paced_transfers=%llu send_lag_us=%llu in_flight_us=%llu",
		(unsigned long long)s->paced_transfers, (unsigned long long)s->send_lag_us,
		(unsigned long long)s->in_flight_us);
	fprintf(f, " cmd_start=%llu cmd_stop=%llu cmd_set_rate=%llu cmd_malformed=%llu cmd_unknown_op=%llu cmd_bad_rate=%llu setup_stalled=%llu",
		(unsigned long long)s->cmd_start, (unsigned long long)s->cmd_stop,
		(unsigned long long)s->cmd_set_rate, (unsigned long long)s->cmd_malformed,
		(unsigned long long)s->cmd_unknown_op, (unsigned long long)s->cmd_bad_rate,
		(unsigned long long)s->setup_stalled);
	fprintf(f, " ev_bind=%llu ev_unbind=%llu ev_enable=%llu ev_disable=%llu ev_suspend=%llu ev_resume=%llu",
		(unsigned long long)s->ev_bind, (unsigned long long)s->ev_unbind,
		(unsigned long long)s->ev_enable, (unsigned long long)s->ev_disable,
		(unsigned long long)s->ev_suspend, (unsigned long long)s->ev_resume);
	for (i = 0; i < FAULT_KINDS; i++)
		fprintf(f, " fault_%s=%llu", fault_names[i], (unsigned long long)s->fault[i]);
	fprintf(f, " gap_seqs=%llu garbage_chunks=%llu burst_samples=%llu\n",
		(unsigned long long)s->gap_seqs, (unsigned long long)s->garbage_chunks,
		(unsigned long long)s->burst_samples);
	if (!file) {
		fflush(f);
		return;
	}
	if (fclose(f) != 0 || rename(tmp, file) < 0) {
		msg("writing the counters to %s: %s", file, strerror(errno));
		unlink(tmp);
	}
}
