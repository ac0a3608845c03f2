#!/usr/bin/env python3
"""Writes a cvm-sim state file with N instances in ONE region, for the app's Sandbox.

    perf/make-world.py CVM_SIM_BINARY OUT.json [N] [REGION[,REGION...]]

The Sandbox loads `<data dir>/sandbox/world.json` when it exists (that is how it keeps
its world across restarts), so `scripts/perf app` drops this file into a fresh HOME and
the unmodified release app lists 10,000 instances: no hook in the app. The sim's own
preload spreads instances over all regions (and per-region quotas cap one region at about
4,200), so this asks the sim for N preloaded instances (mixed states, types, billing,
tags), then moves them all into REGION: zone, VPC, subnet and security group rewritten to
REGION's defaults. Private IPs may repeat across the moved instances; nothing lists by IP.
With several regions (the fleet benchmark), the instances are dealt out among them in
turn, each rewritten to its own region's defaults.
"""
import json
import signal
import subprocess
import sys
import time

sim, out = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
targets = (sys.argv[4] if len(sys.argv) > 4 else "ap-guangzhou").split(",")
proc = subprocess.Popen(
    [sim, "--listen", "127.0.0.1:0", "--time-scale", "0", "--rate-limit", "off",
     "--preload", str(n), "--seed", "1", "--state", out],
    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
line = proc.stdout.readline()
if "listening on" not in line:
    sys.exit(f"cvm-sim did not start: {line}")
proc.send_signal(signal.SIGINT)  # saves the world at shutdown
proc.wait(timeout=60)
time.sleep(0.2)

world = json.load(open(out))
(account,) = world["accounts"].values()
regions = account["regions"]


def defaults(rid):
    home = regions[rid]
    vpc = next(v["id"] for v in home["vpcs"] if v["is_default"])
    sg = next(s["id"] for s in home["security_groups"] if s["is_default"])
    subnet_of_zone = {s["zone"]: s["id"] for s in home["subnets"] if s["vpc_id"] == vpc}
    return vpc, sg, subnet_of_zone, sorted(subnet_of_zone)


home_of = {rid: defaults(rid) for rid in targets}
every = []  # the sim keeps a region's instances by creation sequence number
for rid, r in regions.items():
    every.extend(r["instances"].values())
    r["instances"] = {}
every.sort(key=lambda i: i["created_ms"])
placed = {rid: [] for rid in targets}
for k, inst in enumerate(every):
    rid = targets[k % len(targets)]
    if inst["zone"].rsplit("-", 1)[0] != rid:
        vpc, sg, subnet_of_zone, zones = home_of[rid]
        zone = zones[k % len(zones)]
        inst.update(zone=zone, vpc_id=vpc, subnet_id=subnet_of_zone[zone],
                    security_group_ids=[sg], eip_id=None, public_ip=None)
    placed[rid].append(inst)
for rid, insts in placed.items():
    regions[rid]["instances"] = {str(seq): inst for seq, inst in enumerate(insts)}
    regions[rid]["next_seq"] = len(insts)
# An address stays bound only to an instance still in its region.
for rid, r in regions.items():
    here = {i.get("id") for i in r["instances"].values()}
    for a in r.get("addresses", []):
        if a.get("instance_id") not in here:
            a["instance_id"] = None
json.dump(world, open(out, "w"))
print(f"{out}: {len(every)} instances in {', '.join(targets)}")
