#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every kernel-doc comment in the kernel sources is valid, and every symbol
# of the public arc API (include/arc) has one.
make -s -C "${ARC_ROOT:?}" kerneldoc
