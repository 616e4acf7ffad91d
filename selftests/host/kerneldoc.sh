#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every symbol of the public arc API (include/arc) has valid kernel-doc.
make -s -C "${ARC_ROOT:?}" kerneldoc
