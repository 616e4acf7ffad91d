/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * arc API version, shared by arc.ko, the arc modules and userspace tools.
 *
 * The major number changes when an exported arc symbol changes in a way
 * that existing callers must be rebuilt for; the minor number grows when
 * symbols are added.
 */
#ifndef _UAPI_ARC_VERSION_H
#define _UAPI_ARC_VERSION_H

#define ARC_API_VERSION_MAJOR	1
#define ARC_API_VERSION_MINOR	1

/* Both numbers packed into one integer, comparable with < and >. */
#define ARC_API_VERSION \
	((ARC_API_VERSION_MAJOR << 16) | ARC_API_VERSION_MINOR)

#define ARC_STR_(x)	#x
#define ARC_STR(x)	ARC_STR_(x)
/* "MAJOR.MINOR", as modinfo shows it. */
#define ARC_API_VERSION_STRING \
	ARC_STR(ARC_API_VERSION_MAJOR) "." ARC_STR(ARC_API_VERSION_MINOR)

#endif /* _UAPI_ARC_VERSION_H */
