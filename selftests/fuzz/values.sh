#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Random and edge values for module parameters and sysfs files, and what
# the kernel must make of each (kstrtouint's rules and the documented
# ranges; for "words" parameters, one of the words): rand_value TYPE MIN MAX puts one in $val, judge TYPE MIN MAX
# VALUE says in $want whether it must be taken (ok, and read back as
# $norm), refused (bad) or may go either way. Source it after lib.sh.
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
		if [ "$type" = words ]; then
			# One of the words (MIN is their comma list), maybe
			# with the newline a sysfs write has, or upper case.
			local w
			IFS=, read -r -a w <<<"$min"
			val=${w[RANDOM % ${#w[@]}]}
			case $((RANDOM % 4)) in
			0) val+=$'\n' ;;
			1) val=${val^^} ;;
			esac
			return 0
		fi
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
	if [ "$type" = words ]; then
		# Exactly one of the words, or it with one trailing newline.
		local w=${v%$'\n'}
		if [ -n "$w" ] && [[ ",$min," == *",$w,"* ]]; then
			want=ok norm=$w
		else
			want=bad
		fi
		return
	fi
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
