/* SPDX-License-Identifier: GPL-2.0 */
/*
 * N port-I/O exits, then "done\n" on 0xE9 and HLT. Real mode, at 0x1000.
 * N is the 32-bit little-endian word at offset 4 of the image (100000 as
 * built; a caller may patch it). Each exit is an OUT to port 0x80, the
 * PC's POST/delay port, which a VMM takes and ignores.
 */
	.code16
	.text
	.globl	_start
_start:
	jmp	1f
	.balign	4
count:
	.long	100000
1:
	movl	count, %ecx
	test	%ecx, %ecx
	jz	3f
2:
	out	%al, $0x80
	dec	%ecx
	jnz	2b
3:
	mov	$msg, %si
4:
	lodsb
	test	%al, %al
	jz	5f
	out	%al, $0xe9
	jmp	4b
5:
	hlt
msg:
	.asciz	"done\n"

	.section .note.GNU-stack, "", @progbits
