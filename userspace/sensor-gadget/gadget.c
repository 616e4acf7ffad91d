// SPDX-License-Identifier: GPL-2.0
/*
 * The USB side of sensor-gadget: a configfs gadget with one FunctionFS
 * function, built with libusbgx, and torn down in the reverse order.
 *
 * FunctionFS wants this order: create the function in configfs, mount
 * functionfs with the function's instance name as the source, write the
 * descriptors (V2 format: full and high speed, each count including the
 * interface descriptor) and then the strings to ep0; only then do the
 * endpoint files exist and only then may the UDC be bound (binding
 * earlier fails with EBUSY, and the reason is only in the kernel log).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>

#include <usbg/usbg.h>

#include "sensor-gadget.h"

#define CONFIGFS	"/sys/kernel/config"
#define RUN_DIR		"/run/sensor-gadget"

/* A libusbgx call failed: say which step, libusbgx's reason and errno's. */
static int usbg_fail(const char *step, int ret, int err)
{
	if (err && err != ENOENT)
		msg("%s: %s (%s)", step, usbg_strerror(ret), strerror(err));
	else
		msg("%s: %s", step, usbg_strerror(ret));
	return -1;
}

static int sys_fail(const char *step, const char *path)
{
	int err = errno;

	msg("%s %s: %s", step, path, strerror(err));
	errno = err;
	return -1;
}

static int ensure_configfs(void)
{
	if (access(CONFIGFS "/usb_gadget", F_OK) == 0)
		return 0;
	/* configfs may be loaded but not mounted (a bare guest). */
	if (mount("none", CONFIGFS, "configfs", 0, NULL) < 0 && errno != EBUSY)
		return sys_fail("mounting configfs on", CONFIGFS);
	if (access(CONFIGFS "/usb_gadget", F_OK) == 0)
		return 0;
	msg("no %s/usb_gadget: the kernel's libcomposite is not loaded (modprobe libcomposite)",
	    CONFIGFS);
	return -1;
}

/* The first UDC no gadget is bound to, or the one asked for. */
static int pick_udc(struct gadget *gd, const struct options *o)
{
	usbg_udc *u;

	if (o->udc) {
		u = usbg_get_udc(gd->state, o->udc);
		if (!u) {
			msg("no UDC '%s' in /sys/class/udc", o->udc);
			return -1;
		}
		if (usbg_get_udc_gadget(u)) {
			msg("UDC '%s' is in use by gadget '%s'", o->udc,
			    usbg_get_gadget_name(usbg_get_udc_gadget(u)));
			return -1;
		}
		snprintf(gd->udc, sizeof(gd->udc), "%s", o->udc);
		return 0;
	}
	for (u = usbg_get_first_udc(gd->state); u; u = usbg_get_next_udc(u)) {
		if (!usbg_get_udc_gadget(u)) {
			snprintf(gd->udc, sizeof(gd->udc), "%s", usbg_get_udc_name(u));
			return 0;
		}
	}
	msg("no free UDC in /sys/class/udc (none there: modprobe dummy_hcd; or every one is bound to a gadget)");
	return -1;
}

struct desc_buf {
	uint8_t b[512];
	size_t len;
};

static void put(struct desc_buf *d, const void *p, size_t n)
{
	memcpy(d->b + d->len, p, n);
	d->len += n;
}

static void put_ep(struct desc_buf *d, uint8_t addr, uint8_t attr, uint16_t maxp,
		   uint8_t interval)
{
	struct usb_endpoint_descriptor_no_audio ep = {
		.bLength = sizeof(ep),
		.bDescriptorType = USB_DT_ENDPOINT,
		.bEndpointAddress = addr,
		.bmAttributes = attr,
		.wMaxPacketSize = htole16(maxp),
		.bInterval = interval,
	};

	put(d, &ep, sizeof(ep));
}

/* One speed's interface and endpoints; returns how many descriptors. */
static uint32_t put_speed(struct desc_buf *d, enum shape shape, uint16_t maxp)
{
	struct usb_interface_descriptor intf = {
		.bLength = sizeof(intf),
		.bDescriptorType = USB_DT_INTERFACE,
		.bNumEndpoints = shape == SHAPE_NO_OUT ? 1 : 2,
		.bInterfaceClass = USB_CLASS_VENDOR_SPEC,
		.iInterface = 1,
	};

	put(d, &intf, sizeof(intf));
	switch (shape) {
	case SHAPE_NORMAL:
	case SHAPE_NO_OUT:
	case SHAPE_ZERO_MAXPACKET:
		put_ep(d, 1 | USB_DIR_IN, USB_ENDPOINT_XFER_BULK,
		       shape == SHAPE_ZERO_MAXPACKET ? 0 : maxp, 0);
		break;
	case SHAPE_INT_IN:
		/* Every frame (full speed) or microframe (high speed). */
		put_ep(d, 1 | USB_DIR_IN, USB_ENDPOINT_XFER_INT, maxp, 1);
		break;
	case SHAPE_WRONG_DIR:
		put_ep(d, 1 | USB_DIR_OUT, USB_ENDPOINT_XFER_BULK, maxp, 0);
		break;
	}
	if (shape != SHAPE_NO_OUT)
		put_ep(d, 2 | USB_DIR_OUT, USB_ENDPOINT_XFER_BULK, maxp, 0);
	return 1 + intf.bNumEndpoints;
}

static int write_descriptors(struct gadget *gd, enum shape shape)
{
	struct usb_functionfs_descs_head_v2 head = {
		.magic = htole32(FUNCTIONFS_DESCRIPTORS_MAGIC_V2),
		.flags = htole32(FUNCTIONFS_HAS_FS_DESC | FUNCTIONFS_HAS_HS_DESC),
	};
	struct desc_buf fs = { .len = 0 }, hs = { .len = 0 }, all = { .len = 0 };
	uint32_t fs_count, hs_count;

	fs_count = htole32(put_speed(&fs, shape, 64));
	hs_count = htole32(put_speed(&hs, shape, 512));
	head.length = htole32(sizeof(head) + 2 * sizeof(uint32_t) + fs.len + hs.len);
	put(&all, &head, sizeof(head));
	put(&all, &fs_count, sizeof(fs_count));
	put(&all, &hs_count, sizeof(hs_count));
	put(&all, fs.b, fs.len);
	put(&all, hs.b, hs.len);
	if (write(gd->ep0, all.b, all.len) != (ssize_t)all.len) {
		msg("writing the USB descriptors (shape %s) to %s/ep0: %s%s", shape_name(shape),
		    gd->mnt, strerror(errno),
		    errno == EINVAL ? " (FunctionFS refused them: see the kernel log)" : "");
		return -1;
	}
	return 0;
}

#define INTERFACE_NAME "arc USB sensor"

static int write_strings(struct gadget *gd)
{
	struct {
		struct usb_functionfs_strings_head head;
		uint16_t lang;
		char str[sizeof(INTERFACE_NAME)];
	} __attribute__((packed)) s = {
		.head = {
			.magic = htole32(FUNCTIONFS_STRINGS_MAGIC),
			.length = htole32(sizeof(s)),
			.str_count = htole32(1),
			.lang_count = htole32(1),
		},
		.lang = htole16(0x0409),
		.str = INTERFACE_NAME,
	};

	if (write(gd->ep0, &s, sizeof(s)) != (ssize_t)sizeof(s)) {
		msg("writing the USB strings to %s/ep0: %s", gd->mnt, strerror(errno));
		return -1;
	}
	return 0;
}

static int open_endpoints(struct gadget *gd, enum shape shape)
{
	char path[PATH_MAX + 16];
	int i;

	gd->nfiles = shape == SHAPE_NO_OUT ? 1 : 2;
	for (i = 0; i < gd->nfiles; i++) {
		snprintf(path, sizeof(path), "%s/ep%d", gd->mnt, i + 1);
		/*
		 * Non-blocking: an I/O on an endpoint that is not enabled fails
		 * with EAGAIN instead of waiting for the host.
		 */
		gd->epfd[i] = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (gd->epfd[i] < 0)
			return sys_fail("opening endpoint", path);
	}
	switch (shape) {
	case SHAPE_NORMAL:
	case SHAPE_INT_IN:
	case SHAPE_ZERO_MAXPACKET:
		gd->ep_in = gd->epfd[0];
		gd->ep_out = gd->epfd[1];
		break;
	case SHAPE_NO_OUT:
		gd->ep_in = gd->epfd[0];
		break;
	case SHAPE_WRONG_DIR:
		/* Nothing to stream on; commands are still read from ep2. */
		gd->ep_out = gd->epfd[1];
		break;
	}
	return 0;
}

static int mkdir_p(const char *dir)
{
	char tmp[PATH_MAX];
	char *p;

	snprintf(tmp, sizeof(tmp), "%s", dir);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return sys_fail("creating directory", tmp);
		*p = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		return sys_fail("creating directory", tmp);
	return 0;
}

/* --replace: take away what a killed instance of the same name left. */
static int remove_stale(struct gadget *gd, usbg_gadget *old)
{
	int ret;

	msg("removing the stale gadget '%s' (--replace)", usbg_get_gadget_name(old));
	if (usbg_get_gadget_udc(old))
		usbg_disable_gadget(old);
	/* Its FunctionFS instance cannot go while it is still mounted. */
	if (umount2(gd->mnt, MNT_DETACH) == 0)
		vmsg(1, "unmounted the stale %s", gd->mnt);
	errno = 0;
	ret = usbg_rm_gadget(old, USBG_RM_RECURSE);
	if (ret != USBG_SUCCESS)
		return usbg_fail("removing the stale gadget from configfs", ret, errno);
	return 0;
}

int gadget_create(struct gadget *gd, const struct options *o)
{
	struct usbg_gadget_attrs attrs = {
		.bcdUSB = 0x0200,
		.bMaxPacketSize0 = 64,
		.idVendor = o->vid,
		.idProduct = o->pid,
		.bcdDevice = 0x0100,
	};
	struct usbg_gadget_strs strs = {
		.manufacturer = (char *)"arc",
		.product = (char *)"arc USB sensor (sensor-gadget)",
		.serial = (char *)(o->serial ? o->serial : o->name),
	};
	struct usbg_config_strs cstrs = { .configuration = (char *)"sensor" };
	char ep0[PATH_MAX + 8];
	usbg_gadget *old;
	usbg_function *f;
	usbg_config *c;
	int ret;

	gd->ep0 = gd->ep_in = gd->ep_out = gd->epfd[0] = gd->epfd[1] = -1;
	if (o->ffs_dir)
		snprintf(gd->mnt, sizeof(gd->mnt), "%s", o->ffs_dir);
	else
		snprintf(gd->mnt, sizeof(gd->mnt), RUN_DIR "/%s", o->name);

	if (ensure_configfs() < 0)
		return -1;
	errno = 0;
	ret = usbg_init(CONFIGFS, &gd->state);
	if (ret != USBG_SUCCESS)
		return usbg_fail("reading the gadgets in " CONFIGFS " (libusbgx)", ret, errno);

	old = usbg_get_gadget(gd->state, o->name);
	if (old) {
		if (!o->replace) {
			msg("gadget '%s' exists already in %s/usb_gadget: another instance runs, or a killed one left it (--replace removes it, or pick another --name)",
			    o->name, CONFIGFS);
			return -1;
		}
		if (remove_stale(gd, old) < 0)
			return -1;
	}
	if (pick_udc(gd, o) < 0)
		return -1;

	errno = 0;
	ret = usbg_create_gadget(gd->state, o->name, &attrs, &strs, &gd->g);
	if (ret != USBG_SUCCESS)
		return usbg_fail("creating the gadget in configfs", ret, errno);
	errno = 0;
	ret = usbg_create_function(gd->g, USBG_F_FFS, o->name, NULL, &f);
	if (ret != USBG_SUCCESS) {
		usbg_fail("creating the FunctionFS function in configfs", ret, errno);
		msg("(is usb_f_fs available? modprobe usb_f_fs; FunctionFS instance names are global: another gadget may use '%s')",
		    o->name);
		return -1;
	}
	errno = 0;
	ret = usbg_create_config(gd->g, 1, "c", NULL, &cstrs, &c);
	if (ret != USBG_SUCCESS)
		return usbg_fail("creating the configuration in configfs", ret, errno);
	errno = 0;
	ret = usbg_add_config_function(c, "sensor", f);
	if (ret != USBG_SUCCESS)
		return usbg_fail("adding the function to the configuration", ret, errno);

	if (mkdir_p(gd->mnt) < 0)
		return -1;
	if (mount(o->name, gd->mnt, "functionfs", 0, NULL) < 0)
		return sys_fail("mounting functionfs on", gd->mnt);
	gd->mounted = true;

	snprintf(ep0, sizeof(ep0), "%s/ep0", gd->mnt);
	gd->ep0 = open(ep0, O_RDWR | O_CLOEXEC);
	if (gd->ep0 < 0)
		return sys_fail("opening", ep0);
	if (write_descriptors(gd, o->shape) < 0 || write_strings(gd) < 0)
		return -1;
	if (open_endpoints(gd, o->shape) < 0)
		return -1;
	if (fcntl(gd->ep0, F_SETFL, O_NONBLOCK) < 0)
		return sys_fail("making non-blocking", ep0);
	return 0;
}

int gadget_bind(struct gadget *gd)
{
	usbg_udc *u;
	int ret;

	u = usbg_get_udc(gd->state, gd->udc);
	if (!u) {
		msg("binding the gadget: UDC '%s' is gone from /sys/class/udc", gd->udc);
		return -1;
	}
	errno = 0;
	ret = usbg_enable_gadget(gd->g, u);
	if (ret != USBG_SUCCESS) {
		char step[NAME_MAX + 64];

		snprintf(step, sizeof(step), "binding the gadget to UDC %s", gd->udc);
		return usbg_fail(step, ret, errno);
	}
	gd->bound = true;
	return 0;
}

int gadget_unbind(struct gadget *gd)
{
	int ret;

	if (!gd->bound)
		return 0;
	errno = 0;
	ret = usbg_disable_gadget(gd->g);
	if (ret != USBG_SUCCESS)
		return usbg_fail("unbinding the gadget from its UDC", ret, errno);
	gd->bound = false;
	return 0;
}

unsigned int gadget_in_maxpacket(const struct gadget *gd)
{
	char path[PATH_MAX], speed[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/udc/%s/current_speed", gd->udc);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(speed, sizeof(speed), f))
			speed[0] = '\0';
		fclose(f);
	}
	if (!strncmp(speed, "full-speed", 10) || !strncmp(speed, "low-speed", 9))
		return 64;
	return 512;
}

void gadget_destroy(struct gadget *gd, const struct options *o)
{
	int i, ret;

	gadget_unbind(gd);
	for (i = 0; i < 2; i++)
		if (gd->epfd[i] >= 0)
			close(gd->epfd[i]);
	if (gd->ep0 >= 0)
		close(gd->ep0);
	if (gd->mounted) {
		if (umount(gd->mnt) < 0) {
			msg("unmounting %s: %s (detaching it)", gd->mnt, strerror(errno));
			umount2(gd->mnt, MNT_DETACH);
		}
		if (!o->ffs_dir)
			rmdir(gd->mnt);
	}
	if (gd->g) {
		errno = 0;
		ret = usbg_rm_gadget(gd->g, USBG_RM_RECURSE);
		if (ret != USBG_SUCCESS)
			usbg_fail("removing the gadget from configfs", ret, errno);
	}
	if (gd->state)
		usbg_cleanup(gd->state);
}
