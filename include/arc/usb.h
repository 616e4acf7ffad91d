/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARC_USB: USB drivers (arc_usb.ko): registration with extra device ids,
 * endpoint discovery that checks what the device claims, a streaming
 * reader that keeps URBs in flight on an IN endpoint, and bulk writes
 * with a timeout. Import with ARC_IMPORT_NS(ARC_USB).
 *
 * The streaming reader is the loop every USB input driver writes: N URBs
 * anchored and resubmitted from their completion, unlinks and shutdowns
 * ending it, transient errors retried with a bounded backoff, a halted
 * endpoint cleared from process context. A driver gives it a callback
 * for the data and starts and stops it (on open and close, suspend and
 * resume, disconnect); arc guarantees that once arc_usb_stream_stop()
 * returns no URB is in flight and no callback runs.
 */
#ifndef _ARC_USB_H
#define _ARC_USB_H

#include <arc/arc.h>
#include <linux/usb.h>

/**
 * struct arc_usb_driver - a USB driver and the devices it binds
 * @driver: the driver; arc sets its id_table, name and owner (name
 *	defaults to the module's)
 * @ids: the devices bound by default, terminated by an empty entry;
 *	the module's MODULE_DEVICE_TABLE, for autoloading
 * @extra_ids: more devices, "VVVV:PPPP[,VVVV:PPPP...]" in hex (a module
 *	parameter, say), matched like @ids[0] with the vendor and product
 *	replaced; NULL or "" for none
 * @table: private: @ids plus @extra_ids, what the driver matches
 */
struct arc_usb_driver {
	struct usb_driver driver;
	const struct usb_device_id *ids;
	const char *extra_ids;
	struct usb_device_id *table;
};

/* The most VID:PID pairs arc_usb_driver.extra_ids may name. */
#define ARC_USB_MAX_EXTRA_IDS	16

int __arc_usb_register(struct arc_usb_driver *drv, struct module *owner,
		       const char *name);

/**
 * arc_usb_register() - register a USB driver for its ids and extra ids
 * @drv: the driver
 *
 * Parses @drv->extra_ids (a malformed or repeated entry, a zero id or
 * more than ARC_USB_MAX_EXTRA_IDS refuse the registration with a message
 * naming it), then registers the driver, owned by the calling module.
 *
 * Return: 0, or a negative errno.
 */
#define arc_usb_register(drv) __arc_usb_register(drv, THIS_MODULE, KBUILD_MODNAME)

/**
 * arc_usb_deregister() - undo arc_usb_register()
 * @drv: the driver
 *
 * Unbinds every interface (their disconnect runs) and frees the table.
 */
void arc_usb_deregister(struct arc_usb_driver *drv);

/**
 * struct arc_usb_ep_want - one endpoint a driver needs
 * @what: what it is for, in messages ("sample IN")
 * @dir_in: an IN endpoint (else OUT)
 * @bulk: a bulk endpoint is accepted
 * @intr: an interrupt endpoint is accepted
 * @min_maxp: smallest wMaxPacketSize accepted (at least 1: an endpoint
 *	that can carry no data is always refused)
 * @found: set to the endpoint found
 */
struct arc_usb_ep_want {
	const char *what;
	bool dir_in;
	bool bulk;
	bool intr;
	u16 min_maxp;
	const struct usb_endpoint_descriptor **found;
};

/**
 * arc_usb_find_endpoints() - find and check the endpoints a driver needs
 * @intf: the interface being probed (its current altsetting)
 * @want: what is needed, in order; each entry takes the first endpoint
 *	in the wanted direction that no earlier entry took
 * @n: entries in @want
 *
 * Refuses an interface where an endpoint is missing, has another
 * transfer type than wanted, or a maximum packet size of 0 or below
 * @min_maxp, with one message on the interface naming the endpoint
 * and what is wrong with it.
 *
 * Return: 0 and every *@found set, or -ENODEV.
 */
int arc_usb_find_endpoints(struct usb_interface *intf,
			   const struct arc_usb_ep_want *want, unsigned int n);

/**
 * arc_usb_maxpacket() - wMaxPacketSize of an endpoint, multiplier removed
 * @epd: the endpoint
 *
 * Return: the largest packet the endpoint carries, in bytes.
 */
unsigned int arc_usb_maxpacket(const struct usb_endpoint_descriptor *epd);

/**
 * arc_usb_write() - write to a bulk or interrupt OUT endpoint and wait
 * @intf: the interface the endpoint belongs to
 * @epd: the endpoint
 * @data: what to send (copied: any memory will do)
 * @len: bytes in @data, at most 4096
 * @timeout_ms: how long to wait for the device, 1 to 60000
 *
 * Process context; sleeps.
 *
 * Return: 0 once the device took all of @data; -ETIMEDOUT, -EPIPE (the
 * endpoint is halted), -ENODEV (gone), -EIO (it took less) or another
 * negative errno.
 */
int arc_usb_write(struct usb_interface *intf,
		  const struct usb_endpoint_descriptor *epd, const void *data,
		  unsigned int len, unsigned int timeout_ms);

struct arc_usb_stream;

/**
 * struct arc_usb_stream_ops - what a streaming reader calls
 * @data: a transfer arrived: @len bytes at @buf (valid only during the
 *	call). Atomic context (the URB's completion); must not sleep. The
 *	URB is resubmitted after it returns.
 * @failed: the stream gave up and stopped: @err is the last error (the
 *	retries of a transient error ran out, a halt could not be
 *	cleared, a resubmission failed). Process context; must not call
 *	arc_usb_stream_stop() or arc_usb_stream_destroy(). May be NULL.
 */
struct arc_usb_stream_ops {
	void (*data)(void *ctx, const void *buf, unsigned int len);
	void (*failed)(void *ctx, int err);
};

/**
 * struct arc_usb_stream_desc - a streaming reader's shape
 * @intf: the interface (the stream holds a reference to its device)
 * @epd: a bulk or interrupt IN endpoint of @intf
 * @nr_urbs: URBs kept in flight, 1 to ARC_USB_MAX_URBS
 * @buf_len: bytes per URB, 1 to ARC_USB_MAX_BUF (rounded up to a multiple
 *	of the endpoint's maximum packet size)
 * @max_retries: transient errors in a row before giving up; 0 for
 *	ARC_USB_DEFAULT_RETRIES
 * @ops: the callbacks
 * @ctx: passed to them
 */
struct arc_usb_stream_desc {
	struct usb_interface *intf;
	const struct usb_endpoint_descriptor *epd;
	unsigned int nr_urbs;
	unsigned int buf_len;
	unsigned int max_retries;
	const struct arc_usb_stream_ops *ops;
	void *ctx;
};

#define ARC_USB_MAX_URBS	64
#define ARC_USB_MAX_BUF		(64 * 1024)
#define ARC_USB_MAX_RETRIES	100
#define ARC_USB_DEFAULT_RETRIES	10
/* Backoff of the n-th retry in a row: 10 ms << (n - 1), at most 1 s. */
#define ARC_USB_RETRY_MIN_MS	10
#define ARC_USB_RETRY_MAX_MS	1000

/**
 * struct arc_usb_stream_stats - what a stream did, since it was created
 * @transfers: completed transfers handed to ops->data (zero-length ones
 *	included)
 * @bytes: bytes in them
 * @resubmits: URBs submitted again after a completion or a retry
 * @retries: transient errors retried (all kinds)
 * @err_proto: completions with -EPROTO (bit stuffing, no response)
 * @err_ilseq: completions with -EILSEQ (CRC mismatch)
 * @err_time: completions with -ETIME (timeout on the bus)
 * @err_overflow: completions with -EOVERFLOW (babble)
 * @err_other: completions with any other error
 * @halts: completions with -EPIPE (endpoint halted)
 * @halts_cleared: halts cleared, after which the stream resumed
 * @failures: times the stream gave up (ops->failed)
 */
struct arc_usb_stream_stats {
	u64 transfers;
	u64 bytes;
	u64 resubmits;
	u64 retries;
	u64 err_proto;
	u64 err_ilseq;
	u64 err_time;
	u64 err_overflow;
	u64 err_other;
	u64 halts;
	u64 halts_cleared;
	u64 failures;
};

/**
 * arc_usb_stream_create() - allocate a streaming reader (not started)
 * @desc: its shape; checked
 *
 * Process context. Allocates the URBs and their DMA buffers.
 *
 * Return: the stream, or an ERR_PTR().
 */
struct arc_usb_stream *arc_usb_stream_create(const struct arc_usb_stream_desc *desc);

/**
 * arc_usb_stream_start() - submit every URB and keep them in flight
 * @s: the stream, stopped
 * @gfp: allocation context of the submission (GFP_KERNEL, or GFP_NOIO
 *	from a resume)
 *
 * Return: 0, or the error of the first submission that failed (then
 * the stream is stopped again).
 */
int arc_usb_stream_start(struct arc_usb_stream *s, gfp_t gfp);

/**
 * arc_usb_stream_stop() - stop a stream and wait for it
 * @s: the stream; stopping a stopped one does nothing
 *
 * Process context; sleeps. On return no URB of @s is in flight, no
 * retry is pending, and no callback of @s runs or will run.
 */
void arc_usb_stream_stop(struct arc_usb_stream *s);

/**
 * arc_usb_stream_destroy() - stop a stream and free it
 * @s: the stream, or NULL
 */
void arc_usb_stream_destroy(struct arc_usb_stream *s);

/**
 * arc_usb_stream_stats() - a snapshot of a stream's counters
 * @s: the stream
 * @st: filled in
 */
void arc_usb_stream_stats(struct arc_usb_stream *s,
			  struct arc_usb_stream_stats *st);

/**
 * arc_usb_api_version() - the ARC_USB API version of the loaded arc_usb.ko
 *
 * Return: ARC_API(ARC_USB) as arc_usb.ko was built.
 */
u32 arc_usb_api_version(void);

/**
 * arc_usb_api_check() - check the loaded arc_usb.ko against this module
 *
 * Call it from the init function of a module that imports ARC_USB.
 *
 * Return: 0 if this module may use ARC_USB, -EPROTO otherwise.
 */
static inline int arc_usb_api_check(void)
{
	return arc_api_check(KBUILD_MODNAME, "ARC_USB",
			     arc_usb_api_version(), ARC_API(ARC_USB));
}

#endif /* _ARC_USB_H */
