/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * arc API versions, shared by the shim modules, the arc modules and the
 * userspace tools.
 *
 * Every namespace of the shim is its own module with its own version:
 * ARC_CORE (arc.ko), ARC_BLOCK (arc_block.ko), ARC_NET (arc_net.ko),
 * ARC_USB (arc_usb.ko), ARC_INPUT (arc_input.ko) and ARC_KVM (arc_kvm.ko).
 * A major number changes when an exported symbol of that namespace
 * changes in a way that existing callers must be rebuilt for; the minor
 * number grows when symbols are added. A module built for MAJOR.MINOR
 * runs on a shim module of the same major and at least that minor.
 */
#ifndef _UAPI_ARC_VERSION_H
#define _UAPI_ARC_VERSION_H

/* The release of the arc tree (dkms.conf's PACKAGE_VERSION): modules' "version". */
#define ARC_RELEASE	"0.2.0"

/* Both numbers packed into one integer, comparable with < and >. */
#define ARC_VERSION(major, minor)	(((major) << 16) | (minor))

#define ARC_STR_(x)	#x
#define ARC_STR(x)	ARC_STR_(x)

/* 2.0: the areas moved out of arc.ko into one module each. */
#define ARC_CORE_API_VERSION_MAJOR	2
#define ARC_CORE_API_VERSION_MINOR	0
/*
 * ARC_BLOCK 2.0: the blk-mq handler says what it did (done, defer to the
 * worker, in flight) instead of BLK_STS_AGAIN meaning "defer"; requests
 * complete later (arc_blk_complete*()), time out, carry owner data;
 * bio-based disks.
 */
#define ARC_BLOCK_API_VERSION_MAJOR	2
#define ARC_BLOCK_API_VERSION_MINOR	0
/* ARC_NET 2.0: a hook's priv is its namespace's state (ARC_NET_SIZE()). */
#define ARC_NET_API_VERSION_MAJOR	2
#define ARC_NET_API_VERSION_MINOR	0
#define ARC_USB_API_VERSION_MAJOR	1
#define ARC_USB_API_VERSION_MINOR	0
#define ARC_INPUT_API_VERSION_MAJOR	1
#define ARC_INPUT_API_VERSION_MINOR	0
#define ARC_KVM_API_VERSION_MAJOR	1
#define ARC_KVM_API_VERSION_MINOR	0

/* NS_API_VERSION for a namespace identifier NS, e.g. ARC_API(ARC_BLOCK). */
#define ARC_API(ns) \
	ARC_VERSION(ns##_API_VERSION_MAJOR, ns##_API_VERSION_MINOR)
/* "MAJOR.MINOR" of a namespace, as modinfo shows it. */
#define ARC_API_STRING(ns) \
	ARC_STR(ns##_API_VERSION_MAJOR) "." ARC_STR(ns##_API_VERSION_MINOR)

#endif /* _UAPI_ARC_VERSION_H */
