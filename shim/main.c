// SPDX-License-Identifier: GPL-2.0
/*
 * arc.ko: the arc compatibility shim. It holds no state of its own; it
 * exports the arc API (include/arc/) in one symbol namespace per area so
 * that modules built on it run unchanged on every supported kernel.
 */
#include <linux/init.h>
#include <linux/utsname.h>

#include <arc/arc.h>

u32 arc_api_version(void)
{
	return ARC_API_VERSION;
}
EXPORT_SYMBOL_ARC(arc_api_version, ARC_CORE);

int arc_api_check(u32 built_for)
{
	u32 major = built_for >> 16, minor = built_for & 0xffff;

	if (major == ARC_API_VERSION_MAJOR && minor <= ARC_API_VERSION_MINOR)
		return 0;
	arc_err("a module built for arc API %u.%u cannot use arc.ko API %s\n",
		major, minor, ARC_API_VERSION_STRING);
	return -EPROTO;
}
EXPORT_SYMBOL_ARC(arc_api_check, ARC_CORE);

static int __init arc_init(void)
{
	arc_info("arc API %s on Linux %s\n", ARC_API_VERSION_STRING,
		 init_utsname()->release);
	return 0;
}

static void __exit arc_exit(void)
{
}

module_init(arc_init);
module_exit(arc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The arc developers");
MODULE_DESCRIPTION("arc compatibility shim: namespaced API over netfilter, blk-mq, USB, input and KVM");
MODULE_VERSION(ARC_API_VERSION_STRING);
