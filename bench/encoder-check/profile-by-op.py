#!/usr/bin/env python3
"""Sums ONNX Runtime profile traces (from OrtProfile.java) per op type.
Usage: profile-by-op.py BATCH_RUNS TRACE.json [TRACE.json ...]  (BATCH_RUNS = passes x 8 batches)"""
import json,sys,collections
for f in sys.argv[2:]:
    ev=json.load(open(f))
    runs=int(sys.argv[1])
    by=collections.Counter(); tot=0; model=0
    for e in ev:
        if e.get('cat')=='Node' and e['name'].endswith('_kernel_time'):
            by[e['args']['op_name']]+=e['dur']; tot+=e['dur']
        if e.get('cat')=='Session' and e['name']=='model_run': model+=e['dur']
    print(f, 'model_run ms/batch %.1f, kernels ms/batch %.1f'%(model/runs/1000, tot/runs/1000))
    for k,v in by.most_common(14): print('  %-28s %8.2f ms %5.1f%%'%(k, v/runs/1000, 100*v/tot))
