// SPDX-License-Identifier: GPL-2.0
/*
 * ARC_USB: driver registration with extra ids, endpoint discovery and
 * bulk writes (include/arc/usb.h).
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/usb.h>

#include <arc/usb.h>

/* One "VVVV:PPPP" entry of extra_ids into *vid and *pid. */
static int arc_usb_parse_id(const char *s, size_t len, u16 *vid, u16 *pid)
{
	char buf[12];
	char *colon;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	colon = strchr(buf, ':');
	if (!colon)
		return -EINVAL;
	*colon = '\0';
	if (kstrtou16(buf, 16, vid) || kstrtou16(colon + 1, 16, pid))
		return -EINVAL;
	return *vid || *pid ? 0 : -EINVAL;
}

static bool arc_usb_id_listed(const struct usb_device_id *t, unsigned int n,
			      u16 vid, u16 pid)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (t[i].idVendor == vid && t[i].idProduct == pid)
			return true;
	return false;
}

/* @drv->ids plus the parsed @drv->extra_ids, terminated. */
static struct usb_device_id *arc_usb_build_table(struct arc_usb_driver *drv,
						 const char *name)
{
	const char *s = drv->extra_ids ? drv->extra_ids : "";
	struct usb_device_id *t;
	unsigned int nr_ids = 0, n;

	while (drv->ids[nr_ids].match_flags)
		nr_ids++;
	if (!nr_ids) {
		pr_err("%s: no device ids\n", name);
		return ERR_PTR(-EINVAL);
	}
	t = kcalloc(nr_ids + ARC_USB_MAX_EXTRA_IDS + 1, sizeof(*t), GFP_KERNEL);
	if (!t)
		return ERR_PTR(-ENOMEM);
	memcpy(t, drv->ids, nr_ids * sizeof(*t));
	n = nr_ids;
	while (*s) {
		size_t len = strcspn(s, ",");
		u16 vid, pid;

		if (arc_usb_parse_id(s, len, &vid, &pid)) {
			pr_err("%s: extra id '%.*s': not VVVV:PPPP in hex (a non-zero id)\n",
			       name, (int)min_t(size_t, len, 32), s);
			goto err;
		}
		if (arc_usb_id_listed(t, n, vid, pid)) {
			pr_err("%s: extra id %04x:%04x: listed twice\n", name,
			       vid, pid);
			goto err;
		}
		if (n - nr_ids == ARC_USB_MAX_EXTRA_IDS) {
			pr_err("%s: more than %u extra ids\n", name,
			       ARC_USB_MAX_EXTRA_IDS);
			goto err;
		}
		/* Matched like the first built-in id: same interface match. */
		t[n] = drv->ids[0];
		t[n].match_flags |= USB_DEVICE_ID_MATCH_DEVICE;
		t[n].idVendor = vid;
		t[n].idProduct = pid;
		n++;
		s += len;
		if (*s == ',' && *++s == '\0') {
			pr_err("%s: extra ids end with ','\n", name);
			goto err;
		}
	}
	return t;

err:
	kfree(t);
	return ERR_PTR(-EINVAL);
}

int __arc_usb_register(struct arc_usb_driver *drv, struct module *owner,
		       const char *name)
{
	struct usb_device_id *t;
	int err;

	t = arc_usb_build_table(drv, name);
	if (IS_ERR(t))
		return PTR_ERR(t);
	drv->table = t;
	drv->driver.id_table = t;
	if (!drv->driver.name)
		drv->driver.name = name;
	err = usb_register_driver(&drv->driver, owner, name);
	if (err) {
		pr_err("%s: cannot register the USB driver: %d\n", name, err);
		drv->driver.id_table = NULL;
		drv->table = NULL;
		kfree(t);
	}
	return err;
}
EXPORT_SYMBOL_ARC(__arc_usb_register, ARC_USB);

void arc_usb_deregister(struct arc_usb_driver *drv)
{
	usb_deregister(&drv->driver);
	drv->driver.id_table = NULL;
	kfree(drv->table);
	drv->table = NULL;
}
EXPORT_SYMBOL_ARC(arc_usb_deregister, ARC_USB);

unsigned int arc_usb_maxpacket(const struct usb_endpoint_descriptor *epd)
{
	return usb_endpoint_maxp(epd);
}
EXPORT_SYMBOL_ARC(arc_usb_maxpacket, ARC_USB);

static const char *arc_usb_ep_type(const struct usb_endpoint_descriptor *epd)
{
	static const char * const names[] = {
		[USB_ENDPOINT_XFER_CONTROL] = "control",
		[USB_ENDPOINT_XFER_ISOC] = "isochronous",
		[USB_ENDPOINT_XFER_BULK] = "bulk",
		[USB_ENDPOINT_XFER_INT] = "interrupt",
	};

	return names[usb_endpoint_type(epd)];
}

static bool arc_usb_ep_type_ok(const struct arc_usb_ep_want *w,
			       const struct usb_endpoint_descriptor *epd)
{
	return (w->bulk && usb_endpoint_xfer_bulk(epd)) ||
	       (w->intr && usb_endpoint_xfer_int(epd));
}

int arc_usb_find_endpoints(struct usb_interface *intf,
			   const struct arc_usb_ep_want *want, unsigned int n)
{
	const struct usb_host_interface *alt = intf->cur_altsetting;
	unsigned int nr_eps = alt->desc.bNumEndpoints, i, e;
	unsigned long taken = 0;

	if (nr_eps > BITS_PER_LONG)
		nr_eps = BITS_PER_LONG;
	for (i = 0; i < n; i++) {
		const struct arc_usb_ep_want *w = &want[i];
		const struct usb_endpoint_descriptor *epd = NULL;
		const char *want_type = w->bulk ? (w->intr ? "bulk or interrupt" : "bulk")
						: "interrupt";

		for (e = 0; e < nr_eps; e++) {
			const struct usb_endpoint_descriptor *d = &alt->endpoint[e].desc;

			if (!(taken & BIT(e)) && usb_endpoint_dir_in(d) == w->dir_in &&
			    !usb_endpoint_xfer_control(d)) {
				epd = d;
				taken |= BIT(e);
				break;
			}
		}
		if (!epd) {
			dev_err(&intf->dev, "no %s endpoint: the interface has no further %s endpoint (%u endpoints)\n",
				w->what, w->dir_in ? "IN" : "OUT", nr_eps);
			return -ENODEV;
		}
		if (!arc_usb_ep_type_ok(w, epd)) {
			dev_err(&intf->dev, "%s endpoint 0x%02x is %s, not %s\n",
				w->what, epd->bEndpointAddress,
				arc_usb_ep_type(epd), want_type);
			return -ENODEV;
		}
		if (usb_endpoint_maxp(epd) < max_t(u16, w->min_maxp, 1)) {
			dev_err(&intf->dev, "%s endpoint 0x%02x: maximum packet size %u, need at least %u\n",
				w->what, epd->bEndpointAddress,
				usb_endpoint_maxp(epd), max_t(u16, w->min_maxp, 1));
			return -ENODEV;
		}
		*w->found = epd;
	}
	return 0;
}
EXPORT_SYMBOL_ARC(arc_usb_find_endpoints, ARC_USB);

#define ARC_USB_MAX_WRITE	4096

int arc_usb_write(struct usb_interface *intf,
		  const struct usb_endpoint_descriptor *epd, const void *data,
		  unsigned int len, unsigned int timeout_ms)
{
	struct usb_device *udev = interface_to_usbdev(intf);
	unsigned int pipe;
	void *buf;
	int actual = 0, err;

	if (!len || len > ARC_USB_MAX_WRITE || !timeout_ms || timeout_ms > 60000 ||
	    usb_endpoint_dir_in(epd))
		return -EINVAL;
	if (usb_endpoint_xfer_int(epd))
		pipe = usb_sndintpipe(udev, usb_endpoint_num(epd));
	else if (usb_endpoint_xfer_bulk(epd))
		pipe = usb_sndbulkpipe(udev, usb_endpoint_num(epd));
	else
		return -EINVAL;
	/* The host controller DMAs from it: never the caller's stack. */
	buf = kmemdup(data, len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	err = usb_bulk_msg(udev, pipe, buf, len, &actual, timeout_ms);
	kfree(buf);
	if (!err && actual != len)
		err = -EIO;
	return err;
}
EXPORT_SYMBOL_ARC(arc_usb_write, ARC_USB);

u32 arc_usb_api_version(void)
{
	return ARC_API(ARC_USB);
}
EXPORT_SYMBOL_ARC(arc_usb_api_version, ARC_USB);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The arc developers");
MODULE_DESCRIPTION("arc compatibility shim: ARC_USB (drivers, endpoints, streaming reader)");
MODULE_VERSION(ARC_API_STRING(ARC_USB));
