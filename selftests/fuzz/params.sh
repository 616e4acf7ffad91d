#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Random and boundary values for every parameter of the shim modules,
# arc_ramdisk, arc_firewall, arc_pktan, arc_usb_sensor and arc_minivm, at load time (insmod PARAM=VALUE: empty, no value,
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
# ARC_FUZZ_MODE=full: 750 loads per module (150 on the debug kernel)
# and 2000 writes per file; 15 and 40 otherwise.
. "$(dirname "$0")/../lib.sh"
export LC_ALL=C
FW_KO=$ARC_ROOT/modules/firewall/arc_firewall.ko
PA_KO=$ARC_ROOT/modules/pktan/arc_pktan.ko
ARCPKT=$ARC_ROOT/userspace/arcpkt/arcpkt
SENSOR_KO=$ARC_ROOT/modules/usb_sensor/arc_usb_sensor.ko
ARCFW=$ARC_ROOT/userspace/arcfw/arcfw
MV_KO=$ARC_ROOT/modules/minivm/arc_minivm.ko
ARCVM=$ARC_ROOT/userspace/arcvm/arcvm
need modinfo
trap 'loaded arc_firewall && rmmod arc_firewall; loaded arc_pktan && rmmod arc_pktan; loaded arc_usb_sensor && rmmod arc_usb_sensor; loaded arc_minivm && rmmod arc_minivm; arc_unload_all' EXIT
fuzz_seed
# Loads: 750 per module in a full run (about 0.3 s each under TCG), but
# 150 on the debug kernel (ARC_DEBUG), where a load and its checks take
# about 5 s (750 firewall loads did not finish in 60 minutes there): the
# stock full run covers the count, the debug run the memory safety of
# every parse path. 15 otherwise. Writes, much cheaper: 2000 per file,
# 40 otherwise.
N=$(fuzz_count 2000)
NLOAD=$(fuzz_count "$([ -n "${ARC_DEBUG:-}" ] && echo 150 || echo 750)")
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
	[arc_ramdisk.queue_mode]="words mq,bio"
	[arc_ramdisk.completion]="words inline,softirq,timer"
	[arc_ramdisk.completion_nsec]="uint 0 1000000000"
	[arc_ramdisk.hold_every]="uint 0 4096"
	[arc_firewall.blocklist]="prefixes"
	[arc_firewall.max_entries]="uint 1 16777216"
	[arc_firewall.log_drops]="bool rw"
	[arc_pktan.local_out]="bool"
	[arc_pktan.max_sources]="uint 4 262144"
	[arc_pktan.max_destinations]="uint 4 262144"
	[arc_pktan.max_handshakes]="uint 4 262144"
	[arc_pktan.top_talkers]="uint 1 4096"
	[arc_pktan.syn_threshold]="uint 1 1000000"
	[arc_pktan.syn_window_ms]="uint 100 3600000"
	[arc_pktan.scan_threshold]="uint 2 64"
	[arc_pktan.scan_window_ms]="uint 100 3600000"
	[arc_pktan.event_rate]="uint 1 10000"
	[arc_pktan.dns]="bool"
	[arc_pktan.detect]="bool"
	[arc_usb_sensor.urbs]="uint 1 64 rw"
	[arc_usb_sensor.urb_bytes]="uint 16 65536 rw"
	[arc_usb_sensor.retries]="uint 1 100 rw"
	[arc_usb_sensor.ids]="usbids"
	[arc_minivm.max_mem_mb]="uint 1 1024 rw"
	[arc_minivm.max_vms]="uint 1 256 rw"
)

# Every parameter modinfo lists has an entry above, and the other way round.
for ko in "$ARC_KO" "$ARC_SHIM/arc_block.ko" "$ARC_SHIM/arc_net.ko" "$ARC_SHIM/arc_usb.ko" \
	"$ARC_SHIM/arc_input.ko" "$ARC_SHIM/arc_kvm.ko" "$RAMDISK_KO" "$FW_KO" "$PA_KO" "$SENSOR_KO" \
	"$MV_KO"; do
	m=$(basename "$ko" .ko)
	found=$(modinfo -p "$ko" | cut -d: -f1 | sort | xargs)
	known=$(for k in "${!SPEC[@]}"; do [ "${k%%.*}" = "$m" ] && echo "${k#*.}"; done | sort | xargs)
	expect_eq "$m: parameters (modinfo -p) against those the sweep knows" "$found" "$known"
	echo "# $m: parameters: ${found:-none}"
done

. "$(dirname "$0")/values.sh"

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
	words)
		[[ ",$min," == *",$got,"* ]] || fail "$f=$got: not one of $min ($what)"
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
	expect_eq "disks ($what)" ${#disks[@]} "$n"
	expect_eq "arcram0 sectors ($what)" "$(</sys/block/arcram0/size)" $((size * 2048))
	if [ "$(<$p/queue_mode)" = bio ]; then
		[ -e /sys/block/arcram0/mq ] && fail "queue_mode=bio, yet blk-mq queues ($what)"
		return 0
	fi
	q=(/sys/block/arcram0/mq/*/)
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

# pa_effects: a new namespace's settings are the parameters' values, and
# the detectors' memory is what the table sizes say.
pa_effects() {
	local cfg p k v
	cfg=$("$ARCPKT" --json config) || fail "arcpkt config after insmod $what"
	for p in syn_threshold syn_window_ms scan_threshold scan_window_ms event_rate dns detect; do
		k=${p//_/-}
		v=$(<"/sys/module/arc_pktan/parameters/$p")
		case $v in Y) v=1 ;; N) v=0 ;; esac
		[[ $cfg == *"\"$k\":$v"[,}]* ]] ||
			fail "$p=$v not the namespace's setting after insmod $what: $cfg"
	done
	v=$(ip netns exec arc-params "$ARCPKT" --json stats | sed 's/.*"memory_bytes":\([0-9]*\).*/\1/')
	[ "$v" -gt 0 ] || fail "no detector memory in a new namespace after insmod $what"
}

# mv_effects: max_mem_mb is the largest RAM a run may ask for (a run of
# exactly the cap gets past that check: it runs, or finds no KVM in this
# guest; 64 KiB more is refused with E2BIG before KVM is asked).
mv_effects() {
	local cap out
	cap=$(</sys/module/arc_minivm/parameters/max_mem_mb)
	out=$("$ARCVM" run "$ARC_ROOT/guests/hi.bin" --mem $((cap * 1024 + 64))K 2>&1) &&
		fail "a run above max_mem_mb=$cap ran ($what)"
	[[ $out == *max_mem_mb* ]] || fail "a run above max_mem_mb=$cap: '$out' ($what)"
	out=$("$ARCVM" run "$ARC_ROOT/guests/hi.bin" --mem "${cap}M" 2>&1) ||
		[[ $out == *"no usable KVM"* ]] || fail "a run of max_mem_mb=$cap: '$out' ($what)"
}

# combination MODULE: what the documented limits across parameters say
# of values each in range ($WANT, $NORM of load_sweep; the defaults for
# those not given): the disks must fit in RAM together; the blocklist's
# entries must fit max_entries (duplicates may count twice).
combination() {
	local nr=1 size=100 max=1048576 tokens uniq
	[ $want_all = bad ] && return 0
	if [ "$1" = arc_ramdisk ]; then
		# queue_mode=bio completes inline and holds nothing.
		if [ "${WANT[queue_mode]:-}" = ok ] && [ "${NORM[queue_mode]}" = bio ]; then
			if { [ "${WANT[completion]:-}" = ok ] && [ "${NORM[completion]}" != inline ]; } ||
			   { [ "${WANT[hold_every]:-}" = ok ] && [ "${NORM[hold_every]}" != 0 ]; }; then
				want_all=bad
				return 0
			fi
		fi
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
	local m=$1 ko=$2 i k p want_all n_par args names spec swallow
	local params=()
	local -A WANT NORM
	for k in "${!SPEC[@]}"; do [ "${k%%.*}" = "$m" ] && params+=("${k#*.}"); done
	refusals=0 accepted=0
	for ((i = 0; i < NLOAD; i++)); do
		args=() names=() want_all=ok what= swallow=
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
			[ "$val" != "$NOARG" ] && kernel_decides "$val" && swallow=1
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
		# The kernel's own splitting and unquoting of one value (a
		# quote, a space) can swallow the parameters after it, a value
		# out of range included: then neither the load's outcome nor any
		# value is certain (seen: log_drops=n%"1,: max_entries=-7 loaded,
		# the quote taking max_entries into log_drops' value).
		[ -n "$swallow" ] && want_all=either
		if [ $want_all = either ]; then
			for p in "${names[@]}"; do
				[ "${WANT[$p]}" = ok ] || [ -n "$swallow" ] && WANT[$p]=either
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
			arc_pktan)
				ip netns add arc-params || fail "netns after $what"
				pa_effects
				ip netns del arc-params
				rmmod arc_pktan || fail "rmmod after $what"
				;;
			arc_minivm)
				mv_effects
				rmmod arc_minivm || fail "rmmod after $what"
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

arc_load block net usb input kvm
for m in arc arc_block arc_net arc_usb arc_input arc_kvm; do
	[ -n "$(find "/sys/module/$m" -path "*/parameters/*" 2>/dev/null)" ] &&
		fail "$m has parameters the sweep does not know"
done

# ARC_PARAMS_ONLY="MODULE...": only these modules' sweeps (arc_ramdisk,
# arc_firewall, arc_pktan, arc_usb_sensor, arc_minivm; default all), to rerun one
# module's part.
only() { [ -z "${ARC_PARAMS_ONLY:-}" ] || [[ " $ARC_PARAMS_ONLY " == *" $1 "* ]]; }
[ -z "${ARC_PARAMS_ONLY:-}" ] || echo "# ARC_PARAMS_ONLY: $ARC_PARAMS_ONLY"

# Load time.
only arc_ramdisk && load_sweep arc_ramdisk "$RAMDISK_KO"
only arc_firewall && load_sweep arc_firewall "$FW_KO"
only arc_pktan && load_sweep arc_pktan "$PA_KO"
only arc_usb_sensor && load_sweep arc_usb_sensor "$SENSOR_KO"
only arc_minivm && load_sweep arc_minivm "$MV_KO"

# Run time: the firewall's writable parameter, its read-only ones.
if only arc_firewall; then
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
fi

# The packet analyzer's parameters are all read-only.
if only arc_pktan; then
	insmod "$PA_KO" || fail "insmod arc_pktan"
	w=$(find /sys/module/arc_pktan/parameters -perm /222 -type f)
	[ -z "$w" ] || fail "writable files the sweep does not know: $w"
	ro_sweep /sys/module/arc_pktan/parameters/*
	rmmod arc_pktan || fail "rmmod arc_pktan"
fi

# The sensor's writable parameters (what sensors bound later get).
if only arc_usb_sensor; then
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
fi

# arc_minivm's parameters are both writable (the next run's limits).
if only arc_minivm; then
	insmod "$MV_KO" || fail "insmod arc_minivm"
	for f in /sys/module/arc_minivm/parameters/*; do
		p=${f##*/}
		read -r -a spec <<<"${SPEC[arc_minivm.$p]}"
		[ -n "$(find "$f" -perm /222)" ] || fail "$f is read-only; the sweep expects it writable"
		write_sweep "$f" "${spec[0]}" "${spec[1]}" "${spec[2]}"
	done
	what="the write sweep"
	mv_effects
	rmmod arc_minivm || fail "rmmod arc_minivm"
fi

# The RAM disk: read-only parameters and the module's own attributes;
# every writable file of the disk's (the block queue's) gets random and
# edge values, and the disk must still read back what was written.
data=$(mktemp /tmp/arc-params.XXXXXX)
head -c 1048576 /dev/urandom >"$data"
if only arc_ramdisk; then
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
	for flags in "" "oflag=direct"; do
		dd if="$data" of=/dev/arcram0 bs=64k seek=3 $flags status=none conv=fsync ||
			fail "write to arcram0 after the queue sweep ($flags)"
		echo 3 >/proc/sys/vm/drop_caches
		dev_matches "$data" if=/dev/arcram0 bs=64k skip=3 count=16 iflag=direct ||
			fail "arcram0 reads back other data after the queue sweep ($flags)"
	done
	ramdisk_unload || fail "rmmod arc_ramdisk after the queue sweep"
fi

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
