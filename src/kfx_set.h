/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * kfx rule sets: many rules matched against one string in one call.
 *
 * A set is compiled in user space (src/kfx_ruleset.c) into one flat
 * buffer of native-endian u32 words, which a BPF program passes, from a
 * map value, to bpf_kfx_match_set().  The matcher (kfx_set.c) is
 * kernel-agnostic like the string core: kfx.ko, the tests and the
 * benchmark run the same code.
 *
 * Stack: under 1 KiB on the deepest path (gcc -O2 -fstack-usage, x86-64:
 * kfx_match_set 8, which tail-calls kfx_match_all 384 (the case-sensitive
 * scan inlined), + 64 + 96 bytes here, then a path glob's 416: 968), no
 * allocation, no recursion.
 *
 * The buffer is untrusted: every word is read through a bounds check
 * against the size the header declares (itself checked against set_sz),
 * every index is checked before use, and whatever the bytes the work is
 * bounded (see KFX_SET_WORK below).  A malformed part of a set answers
 * -KFX_EINVAL when a call reads it (the rule table and the byte pool are
 * checked on a call's first glob verification only, the rest up front; a
 * malformed set may also answer some rule id or -1); it can never make
 * the matcher read outside its two buffers or loop.
 *
 * Why Aho-Corasick with verification: every rule kind has a literal part
 * that any matching string must contain (the whole pattern for the literal
 * kinds, for globs one literal run, its "anchor": the run the fewest
 * globs of the set share, so that globs in one directory do not all
 * become candidates together).  One AC
 * automaton over all those literals finds, in one left-to-right pass, every
 * rule that can possibly match, in time linear in the string and
 * independent of the number of rules; per state the compiler precomputes
 * the lowest rule id each literal kind yields, so literal rules cost O(1)
 * per byte whatever their number.  Only glob rules need their candidates
 * verified (a full glob match, budgeted), each at most once per call, and
 * only once their fixed prefix and suffix have matched (O(length) pre-
 * checks that sort out most candidates sharing an anchor).  A DFA
 * over the whole globs would avoid verification but explodes in states
 * ("*a*b*c" rules multiply); a sparse AC stays linear in the total pattern
 * bytes.
 *
 * Why dense rows (set ABI version 2): the sparse form costs a binary
 * search per byte plus failure chasing (2-15 ns/byte).  A scan of a real
 * path spends almost all its bytes in few states (the root's neighbourhood
 * and the prefixes many rules share), so those states, as many as
 * KFX_RS_DENSE_BYTES of rows allow, chosen by the number of literals below
 * them, get a full DFA row: the transition for every byte (class) with the
 * failures already followed.  Rows are byte-wide (256 entries) when the
 * rules use more than KFX_RS_RAW_CLASSES distinct bytes, else indexed by a
 * byte class (each byte labelling a transition its own class, all other
 * bytes one class; ASCII-folded in the ISUBSTR automaton) so that narrow
 * alphabets get narrow rows.  An entry is the target's row offset (state <<
 * cshift) with KFX_SET_DOUT set when the target has a candidate output
 * (substring, prefix or glob anchor); the NUL byte's column stays in the
 * state, flagged.  So the scan is, per byte, a load of the byte, (of its
 * class,) of the entry, and one compare, until something needs looking at:
 * about 5-6 instructions a byte (byte rows unrolled 128 times, class
 * rows eight: one end check per block).  A full DFA for
 * every state would not fit the 4 MiB budget at 10,000 rules, and the
 * other states are mostly one-child chains the sparse form serves in one
 * probe.  Safety of the rows costs O(1) per call: the header's counts
 * bound the region, a row offset below its size plus a byte (< 256) stays
 * inside it thanks to KFX_SET_ROW_PAD words of padding, and a sparse state
 * reached from a row must not be deeper than the depth bound the scan
 * keeps (see kfx_run), so the failure amortisation holds whatever the
 * rows say.
 *
 * Layout (all u32, offsets in words from the start of the set):
 *   header   KFX_SET_HDR_WORDS words, see enum kfx_set_hdr
 *   rules    nrules x { kind, pat_off (bytes into the byte pool), pat_len }
 *   verify   nverify rule ids (glob rules without a literal), ascending
 *   pool     the rules' pattern bytes (what globs are verified with)
 *   two automata (case-sensitive; ASCII-folded for KFX_RULE_ISUBSTR),
 *   each: nstates x KFX_SET_STATE_WORDS state words, ntrans transition
 *   words ((byte << 24) | target, sorted by byte per state), nglob rule ids,
 *   the byte -> class map (256 bytes; unused when cshift is 8), ndense rows
 *   of 1 << cshift entries (states 0..ndense-1), KFX_SET_ROW_PAD zero words.
 */
#ifndef KFX_SET_H
#define KFX_SET_H

#include "kfx_string.h"

/* Rule kinds (the numbers are ABI: they are in compiled sets). */
enum kfx_rule_kind {
	KFX_RULE_SUBSTR = 1,	/* pattern occurs in str (memmem) */
	KFX_RULE_ISUBSTR,	/* same, ASCII case-insensitive */
	KFX_RULE_PREFIX,	/* str starts with pattern */
	KFX_RULE_SUFFIX,	/* str ends with pattern */
	KFX_RULE_EXACT,		/* str equals pattern */
	KFX_RULE_GLOB,		/* kfx_glob_match (fnmatch(pat, str, 0)) */
	KFX_RULE_PATH,		/* kfx_path_match (path glob) */
	KFX_RULE_KIND_MAX = KFX_RULE_PATH,
};

#define KFX_SET_MAGIC		0x5346584bu	/* "KFXS" little-endian */
#define KFX_SET_VERSION		2u
/* Largest set accepted (bytes); a BPF map value cannot be larger anyway. */
#define KFX_SET_MAX_SIZE	(4u << 20)
/* Longest pattern of any kind (the glob limit, for one rule language). */
#define KFX_SET_PAT_MAX		KFX_GLOB_PAT_MAX
/* Most rules in one set. */
#define KFX_SET_MAX_RULES	65536u
/*
 * Most glob verifications one call does (distinct glob candidates, found
 * through their anchor or anchorless, that pass the pre-checks: the
 * glob's fixed prefix starts the string and its fixed suffix ends it).
 * Past it: -KFX_ERANGE.
 */
#define KFX_SET_VERIFY_MAX	8u
/*
 * Steps one call may spend pre-checking glob candidates (one per byte
 * compared plus one per candidate): thousands of globs sharing an anchor
 * are sorted out here, cheaply, before the verification cap counts.  Past
 * it: -KFX_ERANGE.
 */
#define KFX_SET_PRE_BUDGET	KFX_GLOB_BUDGET
/*
 * Glob anchor states whose candidate list one call remembers as walked (a
 * list's outcome does not depend on where its anchor occurred); past them
 * a list may be walked again, within KFX_SET_PRE_BUDGET.
 */
#define KFX_SET_GLOB_DONE	8u
/*
 * Glob steps one call may spend on all its verifications together: twice
 * one glob call's budget (about 0.7 ms natively at worst).  Past it:
 * -KFX_ERANGE.
 */
#define KFX_SET_GLOB_BUDGET	(2u * KFX_GLOB_BUDGET)
/*
 * Most states with glob anchors on one failure chain (nested anchors such
 * as "log" and ".log"): bounds the candidates looked at per string byte.
 * The compiler refuses sets that nest deeper.
 */
#define KFX_SET_GLOB_NEST	8u
/* Transitions per state cannot exceed 256 (one per byte value). */

/*
 * Work bound, in automaton steps, for a string of n bytes (n after the
 * first NUL is cut): each byte takes one goto and, amortised, at most one
 * failure step (depth rises by one per byte at most and every failure
 * lowers it), each a binary search of at most 9 probes, plus at most
 * KFX_SET_GLOB_NEST candidate states, in each of which the walked-lists
 * memory (KFX_SET_GLOB_DONE) is searched and at most KFX_SET_VERIFY_MAX + 1
 * rule ids are looked at besides those that fail their pre-check (ids are
 * ascending and only already-verified or pre-check-failed ones are passed
 * over; the latter cost KFX_SET_PRE_BUDGET at most, all together), plus
 * the always-verify list at the end (same argument), plus one NUL search
 * (n / 8 + 1); then at most KFX_SET_VERIFY_MAX glob matches of
 * KFX_SET_GLOB_BUDGET steps together (plus, each, one bracket's or one
 * path component scan's overshoot).  Independent of the number of rules.
 */
#define KFX_SET_WORK(n) \
	((2ull * 9 + KFX_SET_GLOB_NEST * \
	  (KFX_SET_GLOB_DONE + KFX_SET_VERIFY_MAX + 2) + 5) * (n) + \
	 64 + KFX_SET_VERIFY_MAX + KFX_SET_GLOB_BUDGET + \
	 KFX_SET_PRE_BUDGET + KFX_SET_PAT_MAX + 1 + \
	 (u64)KFX_SET_VERIFY_MAX * ((u64)(n) + 1 + 16u * (KFX_GLOB_PAT_MAX + 1) + 64))

#define KFX_EINVAL	22

enum kfx_set_hdr {
	KFX_SH_MAGIC,
	KFX_SH_VERSION,
	KFX_SH_WORDS,		/* size of the set in words */
	KFX_SH_NRULES,
	KFX_SH_RULES,		/* offset of the rule table */
	KFX_SH_NVERIFY,
	KFX_SH_VERIFY,
	KFX_SH_POOL,		/* offset of the byte pool */
	KFX_SH_POOL_BYTES,
	KFX_SH_A,		/* case-sensitive automaton: offset */
	KFX_SH_A_STATES,
	KFX_SH_A_TRANS,
	KFX_SH_A_GLOBS,
	KFX_SH_A_DENSE,		/* states 0..dense-1 have dense rows */
	KFX_SH_A_CSHIFT,	/* a dense row has 1 << cshift entries */
	KFX_SH_B,		/* folded automaton (ISUBSTR only) */
	KFX_SH_B_STATES,
	KFX_SH_B_TRANS,
	KFX_SH_B_GLOBS,
	KFX_SH_B_DENSE,
	KFX_SH_B_CSHIFT,
	KFX_SET_HDR_WORDS
};

/* One state, in words. */
enum kfx_set_state {
	KFX_SS_DEPTH,		/* length of the state's string */
	KFX_SS_FAIL,		/* failure link (shallower state) */
	KFX_SS_TOFF,		/* first transition, index into the automaton's */
	KFX_SS_NTRANS,		/* | KFX_SET_DOUT if it has a candidate output */
	KFX_SS_SUB,		/* lowest substring rule among all outputs */
	KFX_SS_SUF,		/* lowest suffix rule among all outputs */
	KFX_SS_PRE,		/* lowest prefix rule == the state's string */
	KFX_SS_EXACT,		/* lowest exact rule == the state's string */
	KFX_SS_GLINK,		/* nearest state on the failure chain, itself
				 * included, that has glob anchors, or NONE */
	KFX_SS_GOFF,		/* its own glob rule ids: first, count */
	KFX_SS_NGLOB,
	KFX_SET_STATE_WORDS
};

#define KFX_SET_NONE	0xffffffffu

/*
 * The root has no failure link: its KFX_SS_FAIL word holds what the
 * compiler knows about the case-sensitive automaton (0 in sets compiled
 * before, which the matcher then scans in full, as ever).  ANCHORED: no
 * substring rule and no glob anchor in it, so only prefix, exact and
 * suffix rules: a scan that falls back to the root past byte 0 can never
 * see a prefix or exact rule match again, and suffix rules only need the
 * last (longest literal) bytes, KFX_SET_ROOT_DEPTH of the word.  The
 * matcher then walks the trie from byte 0 (goto only) and runs the
 * automaton over the last bytes, instead of scanning the whole string.
 */
#define KFX_SET_ROOT_ANCHORED	1u
#define KFX_SET_ROOT_SUFFIX	2u	/* there are suffix rules */
/*
 * ANCHORED without SUFFIX (prefix and exact rules only): the dense rows
 * hold the gotos only, every other entry is 0 (the root's row, no flag),
 * so the walk from byte 0 is the plain row loop and stops at the first 0.
 * A matcher that ignores the flag still answers right: off the goto path
 * no state can be at depth pos + 1 (prefix) or at the end's depth (exact)
 * again, whichever state a failure would have led to.
 */
#define KFX_SET_ROOT_GOTO	4u
#define KFX_SET_ROOT_DEPTH(w)	((w) >> 8)

/* Byte -> class map of an automaton: 256 bytes. */
#define KFX_SET_CMAP_WORDS	64u
/*
 * Dense row entry: the target's row offset (state << cshift), and whether
 * the target has a candidate output.  The rows are followed by
 * KFX_SET_ROW_PAD words, so a row offset plus any class byte is in bounds.
 */
#define KFX_SET_DOUT		0x80000000u
#define KFX_SET_ROW_PAD		256u

/*
 * Id of the lowest-numbered rule of set (set_sz bytes) that matches str,
 * -1 if none.  str is str[0..str_sz) up to its first NUL (a path in a
 * buffer).  -KFX_EINVAL for a malformed set, -KFX_E2BIG if str_sz
 * exceeds KFX_STR_MAX_LEN or set_sz KFX_SET_MAX_SIZE, -KFX_ERANGE if more
 * than KFX_SET_VERIFY_MAX glob verifications would be needed or one of
 * them ran out of its budget.
 */
int kfx_match_set(const void *set, u32 set_sz, const char *str, u32 str_sz);

/* As kfx_match_set; *steps gets the work done (tests, benches). */
int kfx_match_set_steps(const void *set, u32 set_sz, const char *str,
			u32 str_sz, u64 *steps);

#endif /* KFX_SET_H */
