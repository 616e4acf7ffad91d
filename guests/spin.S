/* SPDX-License-Identifier: GPL-2.0 */
/* A guest that never exits on its own: real mode, at 0x1000. */
	.code16
	.text
	.globl	_start
_start:
	jmp	_start

	.section .note.GNU-stack, "", @progbits
