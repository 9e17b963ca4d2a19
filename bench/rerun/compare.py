#!/usr/bin/env python3
"""Compares two rerun folders: every numeric/string leaf of each JSON output, ignoring timing, energy, paths and dates."""
import json,sys,os,re
a,b=sys.argv[1],sys.argv[2]
skip=re.compile(r'(provenance|time|millis|seconds|_ms|latency|speedup|per_second|throughput|energy|joules|co2|started|duration|wall|resident|memory|out$|output|path|command|^p\d+|mean|median|stdev|min_ms|max|ratio_ci|emissions|grams|watts|kwh|report_|cpu|jvm|machine|samples_per|rounds|blocks|runs)',re.I)
def leaves(x,p=''):
    if isinstance(x,dict):
        for k,v in x.items(): yield from leaves(v,p+'/'+k)
    elif isinstance(x,list):
        for i,v in enumerate(x): yield from leaves(v,p+f'[{i}]')
    else: yield p,x
for f in sorted(os.listdir(a)):
    if not f.endswith('.out'): continue
    try:
        ja=json.load(open(os.path.join(a,f))); jb=json.load(open(os.path.join(b,f)))
    except Exception as e:
        print(f, 'not comparable:', e); continue
    # schema 2 (issue 19): a result's figures sit under its part; compare them with schema 1's top level
    for part in ('compression','bench','search'):
        if isinstance(jb,dict) and part in jb and part not in ja:
            jb=jb[part]
            if isinstance(ja,dict): ja={k:v for k,v in ja.items() if k in jb}
    la=dict(leaves(ja)); lb=dict(leaves(jb))
    diffs=[(k,la.get(k),lb.get(k)) for k in sorted(set(la)|set(lb)) if not any(skip.search(s) for s in k.split('/')) and la.get(k)!=lb.get(k)]
    print(f, 'identical' if not diffs else f'{len(diffs)} differences', f'({len(la)} vs {len(lb)} leaves)')
    for d in diffs[:15]: print('   ',*d)
