// SPDX-License-Identifier: GPL-2.0
/*
 * arc.ko: ARC_CORE, the part of the shim every arc module uses (API
 * version checks, memory cgroup charging). Each other namespace is a
 * module of its own (arc_block.ko, arc_net.ko, ...), so that a module
 * loads only the subsystems it uses.
 */
#include <linux/init.h>
#include <linux/utsname.h>

#include <arc/arc.h>

int arc_api_check(const char *who, const char *ns, u32 have, u32 built_for)
{
	u32 major = built_for >> 16, minor = built_for & 0xffff;

	if (major == have >> 16 && minor <= (have & 0xffff))
		return 0;
	arc_err("%s: built for %s API %u.%u, cannot use the loaded %s API %u.%u\n",
		who, ns, major, minor, ns, have >> 16, have & 0xffff);
	return -EPROTO;
}
EXPORT_SYMBOL_ARC(arc_api_check, ARC_CORE);

static int __init arc_init(void)
{
	arc_info("ARC_CORE API %s on Linux %s\n", ARC_API_STRING(ARC_CORE),
		 init_utsname()->release);
	return 0;
}

static void __exit arc_exit(void)
{
}

module_init(arc_init);
module_exit(arc_exit);

u32 arc_core_api_version(void)
{
	return ARC_API(ARC_CORE);
}
EXPORT_SYMBOL_ARC(arc_core_api_version, ARC_CORE);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The arc developers");
MODULE_DESCRIPTION("arc compatibility shim: ARC_CORE (API versions, memory cgroup charging)");
MODULE_VERSION(ARC_API_STRING(ARC_CORE));
