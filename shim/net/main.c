// SPDX-License-Identifier: GPL-2.0
/*
 * arc_net.ko: ARC_NET, netfilter hooks in every namespace, packet views
 * and generic netlink (include/arc/net.h). Built when the kernel has
 * CONFIG_NETFILTER.
 */
#include <arc/net.h>

u32 arc_net_api_version(void)
{
	return ARC_API(ARC_NET);
}
EXPORT_SYMBOL_ARC(arc_net_api_version, ARC_NET);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The arc developers");
MODULE_DESCRIPTION("arc compatibility shim: ARC_NET (netfilter, packet views, generic netlink)");
MODULE_VERSION(ARC_API_STRING(ARC_NET));
