/* SPDX-License-Identifier: GPL-2.0 */
/* The usb_anchor calls of ARC_USB's streaming reader. */
#include <linux/usb.h>

int arc_probe(struct usb_anchor *a, struct urb *u);
int arc_probe(struct usb_anchor *a, struct urb *u)
{
	init_usb_anchor(a);
	usb_anchor_urb(u, a);
	usb_unanchor_urb(u);
	usb_kill_anchored_urbs(a);
	return usb_wait_anchor_empty_timeout(a, 1);
}
