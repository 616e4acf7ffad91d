/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The brief's guest: 16-bit real mode, loaded and entered at 0x1000.
 * Writes "Hi\n" to the debug port 0xE9 and halts.
 */
	.code16
	.text
	.globl	_start
_start:
	mov	$'H', %al
	out	%al, $0xe9
	mov	$'i', %al
	out	%al, $0xe9
	mov	$'\n', %al
	out	%al, $0xe9
	hlt

	.section .note.GNU-stack, "", @progbits
