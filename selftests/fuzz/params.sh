#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Random and boundary values for every parameter of the shim modules,
# arc_ramdisk, arc_firewall and arc_usb_sensor, at load time (insmod PARAM=VALUE: empty, no value,
# 0, -1, 2^32, 2^64, huge, other bases, words, very long strings, special
# characters, random numbers and strings, several parameters at once) and
# at run time (every writable parameter; every sysfs file of arcram0's,
# the module's own group and the block queue's). A value in the
# documented range must load and read back as given and take effect; one
# outside it must be refused with a message naming the module and leave
# nothing behind; what the kernel's own parsing decides (quotes, spaces,
# bytes above 127) may go either way, but an accepted value reads back in
# range. Read-only files refuse writes. Afterwards every module still
# loads with its defaults and works, and the kernel reported nothing.
# ARC_FUZZ_MODE=full: 750 loads per module and 2000 writes per file;
# 15 and 40 otherwise.
. "$(dirname "$0")/../lib.sh"
export LC_ALL=C
FW_KO=$ARC_ROOT/modules/firewall/arc_firewall.ko
SENSOR_KO=$ARC_ROOT/modules/usb_sensor/arc_usb_sensor.ko
ARCFW=$ARC_ROOT/userspace/arcfw/arcfw
need modinfo
trap 'loaded arc_firewall && rmmod arc_firewall; loaded arc_usb_sensor && rmmod arc_usb_sensor; arc_unload_all' EXIT
fuzz_seed
# Loads: 750 per module in a full run (about 0.3 s each under TCG),
# 15 otherwise; writes, much cheaper: 2000 per file, 40 otherwise.
N=$(fuzz_count 2000)
NLOAD=$(fuzz_count 750)
dmesg -C

ram_mb=$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)
read -r possible </sys/devices/system/cpu/possible
cpu_ids=$((${possible##*-} + 1))

# What each parameter documents: uint MIN MAX, bool, prefixes (the
# firewall's blocklist) or usbids (the sensor's extra VID:PID list); rw if
# it is writable at run time.
declare -A SPEC=(
	[arc_ramdisk.nr_devices]="uint 1 256"
	[arc_ramdisk.size_mb]="uint 1 $ram_mb"
	[arc_ramdisk.hw_queues]="uint 1 $cpu_ids"
	[arc_ramdisk.queue_depth]="uint 1 4096"
	[arc_ramdisk.reserve_mb]="uint 0 $ram_mb"
	[arc_ramdisk.worker_sleep_ms]="uint 0 1000"
	[arc_ramdisk.alloc_nowait]="bool"
	[arc_ramdisk.iostats]="bool"
	[arc_firewall.blocklist]="prefixes"
	[arc_firewall.max_entries]="uint 1 16777216"
	[arc_firewall.log_drops]="bool rw"
	[arc_usb_sensor.urbs]="uint 1 64 rw"
	[arc_usb_sensor.urb_bytes]="uint 16 65536 rw"
	[arc_usb_sensor.retries]="uint 1 100 rw"
	[arc_usb_sensor.ids]="usbids"
)

# Every parameter modinfo lists has an entry above, and the other way round.
for ko in "$ARC_KO" "$ARC_SHIM/arc_block.ko" "$ARC_SHIM/arc_net.ko" "$ARC_SHIM/arc_usb.ko" \
	"$ARC_SHIM/arc_input.ko" "$RAMDISK_KO" "$FW_KO" "$SENSOR_KO"; do
	m=$(basename "$ko" .ko)
	found=$(modinfo -p "$ko" | cut -d: -f1 | sort | xargs)
	known=$(for k in "${!SPEC[@]}"; do [ "${k%%.*}" = "$m" ] && echo "${k#*.}"; done | sort | xargs)
	expect_eq "$m: parameters (modinfo -p) against those the sweep knows" "$found" "$known"
	echo "# $m: parameters: ${found:-none}"
done

long_digits=$(printf '9%.0s' {1..400})
long_word=$(printf 'a%.0s' {1..5000})
edges=("" 0 1 -1 +1 -0 00 08 0x 0x0 0X1f 010 0xffffffff 0x100000000
	4294967295 4294967296 4294967297 2147483647 2147483648 -2147483648
	9223372036854775807 9223372036854775808 18446744073709551615
	18446744073709551616 "$long_digits" 1e3 1.5 ' 7' '7 ' '"7"' 7x x7
	abc y n Y N on off oN oF true false yes no - + % '%s%n%x' '1,2' ','
	'=' '==' 'a=b' $'\t1' $'\xff\xfe' $'\xc3\xa9' "$long_word"
	'1.2.3.4' '::' '0.0.0.0/0')
NOARG=$'\x01noarg'

# rand_value SPEC: a value for a parameter of SPEC in $val: an edge,
# one around the documented range, a random number (maybe in another
# base) or a random string.
rand_value() {
	local type=$1 min=$2 max=$3 r=$((RANDOM % 8)) bits n i s
	case $r in
	0 | 1) val=${edges[RANDOM % ${#edges[@]}]} ;;
	2)
		if [ "$type" = uint ]; then
			local near=($((min - 1)) "$min" $((min + 1)) $((max - 1)) "$max"
				    $((max + 1)) $((2 * max)) "$(printf '0x%x' "$max")"
				    "$(printf '0%o' $((max + 1)))" "+$max" "$max"$'\n')
			val=${near[RANDOM % ${#near[@]}]}
		else
			val=$NOARG
		fi
		;;
	3 | 4)
		bits=$((RANDOM % 40))
		n=$(((RANDOM << 30 | RANDOM << 15 | RANDOM) % (1 << bits + 1)))
		case $((RANDOM % 6)) in
		0) val=$(printf '0x%x' "$n") ;;
		1) val=$(printf '0%o' "$n") ;;
		2) val=-$n ;;
		*) val=$n ;;
		esac
		;;
	5)
		# Random printable characters, a few of them special.
		s='0123456789abcdefxyXYnN+-,.:/=%"\ '
		val=
		for ((i = RANDOM % 12; i >= 0; i--)); do
			val+=${s:RANDOM % ${#s}:1}
		done
		;;
	*)
		[ "$type" = prefixes ] && { rand_prefixes; return; }
		[ "$type" = usbids ] && { rand_usbids; return; }
		val=$((RANDOM % (max - min + 3) + min - 1))
		;;
	esac
	[ "$type" = prefixes ] && [ $((RANDOM % 2)) = 0 ] && rand_prefixes
	[ "$type" = usbids ] && [ $((RANDOM % 2)) = 0 ] && rand_usbids
	return 0
}

# A random list of extra USB ids in $val: up to 20 VVVV:PPPP entries,
# now and then a malformed or repeated one. $ids_verdict: ok if the
# driver must take it (at most 16 distinct, well-formed, not 1234:5678,
# which it binds already), else bad.
rand_usbids() {
	local n=$((RANDOM % 4 ? RANDOM % 5 : RANDOM % 21)) i id seen=" 1234:5678 "
	local bad=('12345:1' '1234' ':5678' '1234:' 'g000:1' '0:0' '1234:5678'
		   '1:2:3' '0x:1' '-1:2')
	val='' ids_verdict=ok
	for ((i = 0; i < n; i++)); do
		if [ $((RANDOM % 30)) = 0 ]; then
			id=${bad[RANDOM % ${#bad[@]}]}
			ids_verdict=bad
		else
			id=$(printf '%04x:%04x' $((RANDOM % 0xffff + 1)) $((RANDOM % 0x10000)))
			[ $((RANDOM % 4)) = 0 ] && id=${id^^}
			case $seen in *" ${id,,} "*) ids_verdict=bad ;; esac
			seen+="${id,,} "
		fi
		((i)) && val+=,
		val+=$id
	done
	[ "$n" -gt 16 ] && ids_verdict=bad
	ids_made=$val
}

# A random blocklist in $val: up to 300 entries, mostly valid ones
# (IPv4/IPv6 hosts and prefixes with the host bits zero), now and then an
# invalid one. $want_list: what `arcfw list` must show if all are valid.
rand_prefixes() {
	local n=$((RANDOM % 4 ? RANDOM % 8 : RANDOM % 300)) i a plen p
	local bad=('1.2.3.256' '1.2.3.4/33' '1.2.3.4/24' '::1/129' '1.2.3' ''
		   '2001:db8::/16' ':::' 'fe80::1%1' '1.2.3.0/-1' 'x' '1.2.3.4/'
		   '0.0.0.0/0x8')
	val='' want_list=()
	for ((i = 0; i < n; i++)); do
		if [ $((RANDOM % 40)) = 0 ]; then
			p=${bad[RANDOM % ${#bad[@]}]}
			want_list+=("BAD")
		elif [ $((RANDOM % 2)) = 0 ]; then
			plen=$((RANDOM % 33))
			a=$(((RANDOM << 17 ^ RANDOM << 2 ^ RANDOM) & 0xffffffff))
			a=$((plen ? a & (0xffffffff << (32 - plen)) & 0xffffffff : 0))
			p=$((a >> 24)).$((a >> 16 & 255)).$((a >> 8 & 255)).$((a & 255))
			want_list+=("$p/$plen")
			[ $((RANDOM % 3)) = 0 ] && [ $plen = 32 ] || p+=/$plen
		else
			# 2001:db8:X:Y::/64 or 2001:db8::Z hosts: inet_ntop's form.
			if [ $((RANDOM % 2)) = 0 ]; then
				p=$(printf '2001:db8:%x:%x::' $((RANDOM + 1)) $((RANDOM + 1)))
				want_list+=("$p/64")
				p+=/64
			else
				p=$(printf '2001:db8::%x' $((RANDOM + 1)))
				want_list+=("$p/128")
			fi
		fi
		# Not ${val:+,}: an empty first entry must leave its comma.
		((i)) && val+=,
		val+=$p
	done
	[ -n "$val" ] || want_list=()
}

# kstrtouint(VALUE, 0): the number in $num, or fail; "huge" if it has
# more than 12 digits (beyond every documented range).
kstrtouint() {
	local s=$1 digits='^[0-9]+$' base=10
	s=${s%$'\n'}
	s=${s#+}
	if [[ $s =~ ^0[xX][0-9a-fA-F] ]]; then
		s=${s:2} base=16 digits='^[0-9a-fA-F]+$'
	elif [[ $s == 0* ]]; then
		base=8 digits='^[0-7]+$'
	fi
	[[ $s =~ $digits ]] || return 1
	while [[ ${#s} -gt 1 && $s == 0* ]]; do s=${s#0}; done
	if [ ${#s} -gt 12 ]; then num=huge; else num=$(($base#$s)); fi
}

# The kernel decides these itself (quotes and spaces split and unquote
# the module's arguments; bytes above 127 may count as spaces).
kernel_decides() { [[ $1 =~ [[:space:]\"] || $1 == *[$'\x80'-$'\xff']* ]]; }

# judge SPEC VALUE: $want is ok (with $norm, the value read back), bad or
# either.
judge() {
	local type=$1 min=$2 max=$3 v=$4
	norm=
	if [ "$v" = "$NOARG" ]; then
		if [ "$type" = bool ]; then want=ok norm=Y; else want=bad; fi
		return
	fi
	if [ "$type" = prefixes ]; then
		judge_prefixes "$v"
		return
	fi
	if [ "$type" = usbids ]; then
		judge_usbids "$v"
		return
	fi
	kernel_decides "$v" && { want=either; return; }
	if [ "$type" = bool ]; then
		case $v in
		[yY1]* | [oO][nN]*) want=ok norm=Y ;;
		[nN0]* | [oO][fF]*) want=ok norm=N ;;
		[tT]*) want=either norm=Y ;;	# "true" is newer than 5.10
		[fF]*) want=either norm=N ;;
		# 7.2 takes more spellings: a write of 'd' was accepted there
		# (read back as Y or N all the same).
		[dDeE]*) want=either ;;
		*) want=bad ;;
		esac
		return
	fi
	if kstrtouint "$v" && [ "$num" != huge ] && [ "$num" -ge "$min" ] &&
	   [ "$num" -le "$max" ]; then
		want=ok norm=$num
	else
		want=bad
	fi
}

judge_prefixes() {
	local v=$1
	if [ ${#v} -gt 1024 ]; then
		want=bad	# param_set_charp's limit
	elif kernel_decides "$v"; then
		want=either
	elif [ "$v" = "$val" ] && [ ${#want_list[@]} -gt 0 ]; then
		# Made by rand_prefixes: the entries are known.
		if [[ " ${want_list[*]} " == *" BAD "* ]] || [ ${#want_list[@]} -gt 256 ]; then
			want=bad
		else
			want=ok norm=$v
		fi
	elif [ -z "$v" ]; then
		want=ok norm=
	else
		want=either
	fi
}

judge_usbids() {
	local v=$1
	if [ ${#v} -gt 1024 ]; then
		want=bad	# param_set_charp's limit
	elif kernel_decides "$v"; then
		want=either
	elif [ -n "${ids_made+x}" ] && [ "$v" = "$ids_made" ]; then
		want=$ids_verdict norm=$v
	elif [ -z "$v" ]; then
		want=ok norm=
	elif [[ $v != *:* ]]; then
		want=bad	# not one VVVV:PPPP
	else
		want=either
	fi
}

# refused MODULE MARK WHAT: the load failed: nothing stayed and the log
# since MARK names the module.
refused() {
	local msg
	loaded "$1" && fail "$3: refused, but $1 stayed loaded"
	[ "$1" = arc_ramdisk ] && [ -e /sys/block/arcram0 ] &&
		fail "$3: refused, but a disk stayed"
	msg=$(dmesg | sed -n "/$2\$/,\$p" | grep -m1 -F "$1")
	[ -n "$msg" ] || fail "$3: refused without a message naming $1"
	refusals=$((refusals + 1))
}

# readback FILE WANT NORM TYPE [MIN MAX]: the parameter's value is in
# range (and NORM, if WANT is ok).
readback() {
	local f=$1 want=$2 norm=$3 type=$4 min=${5:-} max=${6:-} got
	got=$(<"$f") || fail "$f: cannot read the parameter back"
	case $type in
	uint)
		[[ $got =~ ^[0-9]+$ ]] && [ "$got" -ge "$min" ] && [ "$got" -le "$max" ] ||
			fail "$f=$got: out of $min..$max ($what)"
		;;
	bool)
		[[ $got == [YN] ]] || fail "$f=$got: not Y or N ($what)"
		;;
	esac
	[ "$want" = ok ] && [ "$got" != "$norm" ] &&
		fail "$f reads back '$got', want '$norm' ($what)"
	return 0
}

# ramdisk_effects: the disks are what the parameters say.
ramdisk_effects() {
	local p=/sys/module/arc_ramdisk/parameters n size depth q disks
	n=$(<$p/nr_devices) size=$(<$p/size_mb) depth=$(<$p/queue_depth)
	disks=(/sys/block/arcram*)
	q=(/sys/block/arcram0/mq/*/)
	expect_eq "disks ($what)" ${#disks[@]} "$n"
	expect_eq "arcram0 sectors ($what)" "$(</sys/block/arcram0/size)" $((size * 2048))
	expect_eq "arcram0 tags ($what)" "$(</sys/block/arcram0/mq/0/nr_tags)" "$depth"
	expect_eq "arcram0 hw queues ($what)" ${#q[@]} "$(<$p/hw_queues)"
}

# fw_effects: max_entries is the namespace's cap; the blocklist is the
# initial namespace's set.
fw_effects() {
	local cap got
	cap=$("$ARCFW" --json stats | sed 's/.*"max_entries":\([0-9]*\).*/\1/')
	expect_eq "max_entries in stats ($what)" "$cap" "$(<"/sys/module/arc_firewall/parameters/max_entries")"
	[ -n "${want_entries+x}" ] || return 0
	got=$("$ARCFW" list | awk '{ print $1 }' | sort -u | xargs)
	expect_eq "initial entries ($what)" "$got" "$want_entries"
}

# combination MODULE: what the documented limits across parameters say
# of values each in range ($WANT, $NORM of load_sweep; the defaults for
# those not given): the disks must fit in RAM together; the blocklist's
# entries must fit max_entries (duplicates may count twice).
combination() {
	local nr=1 size=100 max=1048576 tokens uniq
	[ $want_all = bad ] && return 0
	if [ "$1" = arc_ramdisk ]; then
		if [ -n "${WANT[nr_devices]:-}" ]; then
			[ "${WANT[nr_devices]}" = ok ] || return 0
			nr=${NORM[nr_devices]}
		fi
		if [ -n "${WANT[size_mb]:-}" ]; then
			[ "${WANT[size_mb]}" = ok ] || return 0
			size=${NORM[size_mb]}
		fi
		[ $((nr * size)) -gt "$ram_mb" ] && want_all=bad
		return 0
	fi
	[ "${WANT[blocklist]:-}" = ok ] && [ -n "${NORM[blocklist]}" ] || return 0
	if [ -n "${WANT[max_entries]:-}" ]; then
		[ "${WANT[max_entries]}" = ok ] || return 0
		max=${NORM[max_entries]}
	fi
	tokens=${NORM[blocklist]//[^,]/}
	tokens=$((${#tokens} + 1))
	uniq=$(wc -w <<<"$want_entries")
	if [ "$uniq" -gt "$max" ]; then
		want_all=bad
	elif [ "$tokens" -gt "$max" ]; then
		want_all=either
	fi
	return 0
}

# load_sweep MODULE KO: N loads, each with one to three parameters.
load_sweep() {
	local m=$1 ko=$2 i k p want_all n_par args names spec
	local params=()
	local -A WANT NORM
	for k in "${!SPEC[@]}"; do [ "${k%%.*}" = "$m" ] && params+=("${k#*.}"); done
	refusals=0 accepted=0
	for ((i = 0; i < NLOAD; i++)); do
		args=() names=() want_all=ok what=
		WANT=() NORM=()
		unset want_entries ids_made
		n_par=$((RANDOM % 4 ? 1 : 2 + RANDOM % 2))
		for ((k = 0; k < n_par; k++)); do
			p=${params[RANDOM % ${#params[@]}]}
			[[ " ${names[*]} " == *" $p "* ]] && continue
			read -r -a spec <<<"${SPEC[$m.$p]}"
			want_list=()
			rand_value "${spec[@]}"
			judge "${spec[0]}" "${spec[1]:-}" "${spec[2]:-}" "$val"
			if [ "$val" = "$NOARG" ]; then args+=("$p"); else args+=("$p=$val"); fi
			names+=("$p")
			WANT[$p]=$want NORM[$p]=$norm
			case $want in
			bad) want_all=bad ;;
			either) [ $want_all = ok ] && want_all=either ;;
			esac
			if [ "$p" = blocklist ] && [ "$want" = ok ]; then
				want_entries=$(printf '%s\n' "${want_list[@]}" | sort -u | xargs)
			fi
		done
		# The kernel's own splitting and unquoting of one value can
		# swallow the parameters after it: then no value is certain.
		if [ $want_all = either ]; then
			for p in "${names[@]}"; do
				[ "${WANT[$p]}" = ok ] && WANT[$p]=either
			done
			unset want_entries
		fi
		combination "$m"
		what="${args[*]:0:3}"
		what=${what:0:200}
		echo "arc-params: $m $i" >/dev/kmsg
		if insmod "$ko" "${args[@]}" 2>/dev/null; then
			loaded "$m" || fail "insmod $what: succeeded but $m is not loaded"
			[ $want_all = bad ] && fail "insmod $m $what: accepted a value out of range"
			for p in "${names[@]}"; do
				read -r -a spec <<<"${SPEC[$m.$p]}"
				readback "/sys/module/$m/parameters/$p" "${WANT[$p]}" \
					"${NORM[$p]}" "${spec[@]}"
			done
			case $m in
			arc_ramdisk)
				ramdisk_effects
				ramdisk_unload || fail "rmmod after $what"
				;;
			arc_firewall)
				fw_effects
				rmmod arc_firewall || fail "rmmod after $what"
				;;
			*)
				[ -d /sys/bus/usb/drivers/arc_usb_sensor ] ||
					fail "arc_usb_sensor loaded ($what) without its USB driver"
				rmmod arc_usb_sensor || fail "rmmod after $what"
				;;
			esac
			accepted=$((accepted + 1))
		else
			[ $want_all = ok ] && fail "insmod $m $what: refused a value in range"
			refused "$m" "arc-params: $m $i" "$what"
		fi
	done
	echo "# $m: $NLOAD loads: $accepted accepted, $refusals refused with a message"
}

# write_sweep FILE TYPE [MIN MAX]: random writes to a writable parameter;
# each is refused or reads back as judged.
write_sweep() {
	local f=$1 type=$2 min=${3:-0} max=${4:-0} i before n=0
	for ((i = 0; i < N; i++)); do
		rand_value "$type" "$min" "$max"
		[ "$val" = "$NOARG" ] && val=
		judge "$type" "$min" "$max" "$val"
		before=$(<"$f")
		what="write '${val:0:40}' to $f"
		# An empty write stores nothing.
		[ -z "$val" ] && want=ok norm=$before
		if { printf '%s' "$val" >"$f"; } 2>/dev/null; then
			[ $want = bad ] && fail "$what: accepted"
		else
			[ $want = ok ] && fail "$what: refused"
			want=ok norm=$before
		fi
		[ ${#val} -gt 4000 ] && want=either
		readback "$f" "$want" "$norm" "$type" "$min" "$max"
		n=$((n + 1))
	done
	echo "# $f: $n writes"
}

# The module's read-only files refuse writes and keep their value.
ro_sweep() {
	local f before v
	for f; do
		[ -f "$f" ] || continue
		before=$(<"$f")
		for v in 0 1 -1 4294967296 "" abc; do
			{ printf '%s' "$v" >"$f"; } 2>/dev/null && [ -n "$v" ] &&
				fail "write '$v' to read-only $f: accepted"
		done
		expect_eq "$f after refused writes" "$(<"$f")" "$before"
	done
}

arc_load block net usb input
for m in arc arc_block arc_net arc_usb arc_input; do
	[ -n "$(find "/sys/module/$m" -path "*/parameters/*" 2>/dev/null)" ] &&
		fail "$m has parameters the sweep does not know"
done

# Load time.
load_sweep arc_ramdisk "$RAMDISK_KO"
load_sweep arc_firewall "$FW_KO"
load_sweep arc_usb_sensor "$SENSOR_KO"

# Run time: the firewall's writable parameter, its read-only ones.
insmod "$FW_KO" || fail "insmod arc_firewall"
for f in /sys/module/arc_firewall/parameters/*; do
	p=${f##*/}
	read -r -a spec <<<"${SPEC[arc_firewall.$p]}"
	if [ -w "$f" ] && [ -n "$(find "$f" -perm /222)" ]; then
		[ "${spec[1]:-}" = rw ] || [ "${spec[3]:-}" = rw ] ||
			fail "$f is writable; the sweep does not know it"
		write_sweep "$f" "${spec[0]}"
		echo 0 >"$f" || fail "$f: cannot write 0"
	else
		ro_sweep "$f"
	fi
done
rmmod arc_firewall || fail "rmmod arc_firewall"

# The sensor's writable parameters (what sensors bound later get).
insmod "$SENSOR_KO" || fail "insmod arc_usb_sensor"
for f in /sys/module/arc_usb_sensor/parameters/*; do
	p=${f##*/}
	read -r -a spec <<<"${SPEC[arc_usb_sensor.$p]}"
	if [ -n "$(find "$f" -perm /222)" ]; then
		[ "${spec[3]:-}" = rw ] || fail "$f is writable; the sweep does not know it"
		write_sweep "$f" "${spec[0]}" "${spec[1]}" "${spec[2]}"
	else
		ro_sweep "$f"
	fi
done
rmmod arc_usb_sensor || fail "rmmod arc_usb_sensor"

# The RAM disk: read-only parameters and the module's own attributes;
# every writable file of the disk's (the block queue's) gets random and
# edge values, and the disk must still read back what was written.
ramdisk_load size_mb=16
ro_sweep /sys/module/arc_ramdisk/parameters/* /sys/block/arcram0/ramdisk/*
w=$(find /sys/block/arcram0/ramdisk /sys/module/arc_ramdisk/parameters -perm /222 -type f)
[ -z "$w" ] || fail "writable files the sweep does not know: $w"
mapfile -t qfiles < <(find /sys/block/arcram0/queue /sys/block/arcram0/mq -perm /200 -type f)
writes=0 taken=0
for ((i = 0; i < N; i++)); do
	f=${qfiles[RANDOM % ${#qfiles[@]}]}
	# Mostly numbers; the file's own words (scheduler, write_cache) too.
	case $((RANDOM % 4)) in
	0) read -r -a words <"$f"; val=${words[RANDOM % ${#words[@]}]}; val=${val//[][]/} ;;
	*) rand_value uint 0 65536 ;;
	esac
	[ "$val" = "$NOARG" ] && val=0
	{ printf '%s' "$val" >"$f"; } 2>/dev/null && taken=$((taken + 1))
	writes=$((writes + 1))
done
echo "# arcram0's queue files: $writes writes to ${#qfiles[@]} files, $taken taken"
data=$(mktemp /tmp/arc-params.XXXXXX)
head -c 1048576 /dev/urandom >"$data"
for flags in "" "oflag=direct"; do
	dd if="$data" of=/dev/arcram0 bs=64k seek=3 $flags status=none conv=fsync ||
		fail "write to arcram0 after the queue sweep ($flags)"
	echo 3 >/proc/sys/vm/drop_caches
	dev_matches "$data" if=/dev/arcram0 bs=64k skip=3 count=16 iflag=direct ||
		fail "arcram0 reads back other data after the queue sweep ($flags)"
done
ramdisk_unload || fail "rmmod arc_ramdisk after the queue sweep"

# Defaults still load and work.
ramdisk_load
dd if="$data" of=/dev/arcram0 bs=1M oflag=direct status=none || fail "write to arcram0"
dev_matches "$data" if=/dev/arcram0 bs=1M count=1 iflag=direct ||
	fail "arcram0 reads back other data"
rm -f "$data"
ramdisk_unload || fail "rmmod arc_ramdisk"
insmod "$FW_KO" || fail "insmod arc_firewall with defaults"
"$ARCFW" block 192.0.2.1 || fail "arcfw block"
expect_eq "arcfw list" "$("$ARCFW" list | awk '{ print $1 }')" 192.0.2.1/32
rmmod arc_firewall || fail "rmmod arc_firewall"
reports=$(dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|kmemleak|still has objects|RCU stall')
[ -z "$reports" ] || fail "kernel reports: $reports"
pass "every parameter and writable file refused or applied random and edge values in range"
