#!/usr/bin/env python3
"""Write OUTDIR/bench-kernel.{md,json} from the guests' `kfx-bench --json`.

usage: kernel-report.py OUTDIR ACCEL WORKDIR KERNEL...
WORKDIR holds KERNEL.json (what the guest printed; may be empty when the
guest failed). Exits 1 if any kernel has no result or reports ok=false.
"""
import datetime
import json
import os
import sys

out, accel, work, kernels = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
runs, failed = [], False
for k in kernels:
    path = os.path.join(work, k + ".json")
    try:
        with open(path) as f:
            r = json.load(f)
    except (OSError, ValueError) as e:
        r = {"ok": False, "error": f"no result from the guest: {e}"}
    r["row"] = k
    r["accel"] = accel
    failed |= not r.get("ok", False)
    runs.append(r)

doc = {"generated": datetime.datetime.now(datetime.timezone.utc)
       .strftime("%Y-%m-%dT%H:%M:%SZ"), "accel": accel, "kernels": runs}
with open(os.path.join(out, "bench-kernel.json"), "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")


def fmt(x, p=1):
    return "-" if x is None else f"{x:.{p}f}"


md = ["# kfx: in-kernel benchmark (`kfx-bench`)", ""]
md.append(f"Booted with virtme-ng, QEMU {accel}. "
          + ("**Under TCG (software emulation) absolute nanoseconds are "
             "not the CPU's: only the ratios mean anything.**"
             if accel == "TCG" else
             "Absolute figures are this machine's; compare ratios across "
             "machines."))
md.append("")
for r in runs:
    md.append(f"## {r['row']}: {r.get('kernel', '?')}")
    md.append("")
    if "error" in r:
        md += [f"**failed**: {r['error']}", ""]
        continue
    if not r.get("ok"):
        md += ["**`kfx-bench` reported a failure** (see the rows below "
               "and the JSON)", ""]
    md.append(f"- virtualization seen by the guest: {r.get('virtualization')}")
    s = r.get("strings")
    if s:
        md.append(f"- string search, method: {s['method']}; "
                  f"{s['runs']} runs; object `{os.path.basename(s['object'])}`")
        md.append("- haystack: '/'-joined path words ending in "
                  "'/notes.swp'; miss needles are prefixes of 'shadow.b' "
                  "(absent), hit needles the end of 'notes.swp'")
        md.append("- BPF loop: the tutorial's double loop, run in "
                  "bpf_loop() chunks of 32 positions (the verifier cannot "
                  "walk 256+ positions in one piece); it includes one "
                  "callback per chunk")
        md.append("")
        strn = s.get("bpf_strnstr")
        md.append("ns/call (bpf_loop cost subtracted); × = slower than kfx")
        md.append("")
        md.append("| input | hay B | needle | kfx | BPF loop | bpf_strnstr "
                  "| loop/kfx | strnstr/kfx |")
        md.append("|---|---|---|---|---|---|---|---|")
        for c in s["cases"]:
            ns, q = c["ns_per_call"], c["ratio_vs_kfx"]
            md.append("| {} | {} | `{}` | {} | {} | {} | {}× | {} |".format(
                "hit" if c["hit"] else "miss", c["hay"], c["needle"],
                fmt(ns["bpf_kfx_strstr"]), fmt(ns["bpf_loop_naive"]),
                fmt(ns.get("bpf_strnstr")) if strn else "n/a",
                fmt(q["bpf_loop_naive"], 2),
                fmt(q["bpf_strnstr"], 2) + "×" if strn else "n/a"))
        md.append("")
        if not strn:
            md.append("bpf_strnstr: not in this kernel (Linux 6.17+).")
            md.append("")
        md.append("Goals (reported, not asserted):")
        md.append("")
        for g in s.get("goals", []):
            md.append(f"- {g['goal']}: min ratio {g['min_ratio']:.2f} — "
                      + ("met" if g["met"] else "**not met**"))
        md.append("")
    st = r.get("sets")
    if st:
        md.append(f"### Rule sets ({st['hay_len']}-byte paths, "
                  f"{st['npaths']} paths, median of {st['runs']} runs)")
        md.append("")
        md.append("| contender | ns/call | ratio |")
        md.append("|---|---|---|")
        md.append(f"| one bpf_kfx_match_set, {st['nrules']} rules | "
                  f"{fmt(st['set_ns'])} | 1 |")
        md.append(f"| bpf_loop over the {st['nrules']} rules, one kfunc each | "
                  f"{fmt(st['one_by_one_ns'])} | "
                  f"{st['one_by_one_ns'] / st['set_ns']:.1f}× |"
                  if st['set_ns'] > 0 else "| one by one | - | - |")
        md.append(f"| bpf_kfx_match_set, {st['nprefix']} prefixes | "
                  f"{fmt(st['prefix_set_ns'])} | 1 |")
        md.append(f"| LPM trie lookup, the same prefixes | {fmt(st['lpm_ns'])}"
                  f" | set/trie {st['prefix_set_ns'] / st['lpm_ns']:.2f} |"
                  if st['lpm_ns'] > 0 else "| LPM trie | - | - |")
        md.append("")
    w = r.get("stats")
    if w:
        md.append(f"### Watch cost per unlink by bpf_stats ({w['how']})")
        md.append("")
        if not w.get("ok"):
            md += [f"**failed**: {w.get('error')}", ""]
        else:
            md.append(f"- watch programs ({', '.join(w['progs'])}): "
                      f"{fmt(w['prog_ns_per_unlink'])} ns per unlink "
                      f"({w['runs_per_unlink']:.2f} runs per unlink)")
            for name, ns in zip(w['progs'], w.get('prog_part_ns') or []):
                md.append(f"  - {name}: {fmt(ns)} ns per unlink (median)")
            md.append(f"- unlink syscall without the watcher: "
                      f"{fmt(w['unlink_ns'])} ns (with it: "
                      f"{fmt(w['watched_unlink_ns'])} ns wall)")
            md.append(f"- programs / syscall: {100 * w['ratio']:.2f}% "
                      f"over {w['files']} unlinks of {w['path']}")
            if 'floor_ns_per_unlink' in w:
                md.append(f"- floor, the same hooks with empty programs "
                          f"(bpf_stats and the hooks alone): "
                          f"{fmt(w['floor_ns_per_unlink'])} ns per unlink, "
                          f"{100 * w['floor_ratio']:.2f}% of the syscall")
            md.append("")
    u = r.get("unlink")
    if u:
        md.append(f"### Cost on the traced path ({u['files']} × "
                  f"create+unlink, {u['runs']} runs)")
        md.append("")
        md.append(f"Method: {u['method']}.")
        md.append("")
        md.append("| config | attach | ns/iter | paired bare ns/iter | "
                  "+ns/iter | overhead | seen | matched | lost |")
        md.append("|---|---|---|---|---|---|---|---|---|")
        for w in u["rows"]:
            if w["status"] != "ok":
                md.append(f"| {w['config']} | {w['attach'] or '-'} | "
                          f"{w['status']}: {w['error']} | | | | | | |")
                continue
            if not w["attach"]:
                md.append(f"| {w['config']} | - | {fmt(w['ns_per_iter'], 0)}"
                          " | | | | | | |")
                continue
            md.append("| {} | {} | {} | {} | {:+.0f} | {:+.1f}% | {} | {} | {} |"
                      .format(w["config"], w["attach"],
                              fmt(w["ns_per_iter"], 0),
                              fmt(w["bare_ns_per_iter"], 0),
                              w["overhead_ns"], (w["ratio"] - 1) * 100,
                              w["seen"], w["matched"], w["lost"]))
        md.append("")
        md.append(f"Noise: the paired bare runs alone differ by "
                  f"{u['bare_noise_pct']:.1f}% (max - min over median); "
                  "a goal is inconclusive when that exceeds 5%.")
        md.append("")
        md.append("Goal (reported, not asserted): watch with a pattern adds "
                  "< 5% to the bare loop.")
        md.append("")
        for g in u["goal"]["rows"]:
            md.append(f"- {g['config']} ({g['attach']}): "
                      f"{g['overhead_pct']:+.1f}% — "
                      + (g["verdict"] if g["verdict"] != "not met"
                         else "**not met**"))
        md.append("")
with open(os.path.join(out, "bench-kernel.md"), "w") as f:
    f.write("\n".join(md))
print(f"kernel bench: wrote {out}/bench-kernel.md and bench-kernel.json"
      + (" (with failures)" if failed else ""))
sys.exit(1 if failed else 0)
