// SPDX-License-Identifier: GPL-2.0
/*
 * arc_block.ko: ARC_BLOCK, blk-mq disks from one description
 * (include/arc/block.h). Built when the kernel has CONFIG_BLOCK.
 */
#include <arc/block.h>

u32 arc_block_api_version(void)
{
	return ARC_API(ARC_BLOCK);
}
EXPORT_SYMBOL_ARC(arc_block_api_version, ARC_BLOCK);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The arc developers");
MODULE_DESCRIPTION("arc compatibility shim: ARC_BLOCK (blk-mq disks)");
MODULE_VERSION(ARC_API_STRING(ARC_BLOCK));
