#!/usr/bin/env python3
"""Lists the file-level dependency cycles among Verdant's main classes and exits 1 when there is one.

Reads the compiled classes (run after `./mvnw install` or `package`) with the JDK's jdeps and javap: an edge joins
two top-level classes when one's bytecode names the other. An edge from a sealed supertype to a subtype it permits
is not counted (the `permits` list is the type's own definition, not a use). Usage: scripts/file-cycles.py [ROOT]
"""
import collections
import glob
import os
import re
import subprocess
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
jdk_bin = os.path.join(os.environ['JAVA_HOME'], 'bin') if 'JAVA_HOME' in os.environ else ''
jdeps, javap = os.path.join(jdk_bin, 'jdeps'), os.path.join(jdk_bin, 'javap')
dirs = sorted(glob.glob(os.path.join(root, 'verdant-*', 'target', 'classes')))
if not dirs:
    sys.exit('no compiled classes under ' + root + ' (run ./mvnw install first)')


def top(name):
    return name.split('$')[0]


edges = set()
for d in dirs:
    out = subprocess.run([jdeps, '-verbose:class', '-filter:none', d], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        m = re.match(r'\s+(dev\.verdant\.\S+)\s+->\s+(dev\.verdant\.\S+)', line)
        if m:
            edges.add((m.group(1), m.group(2)))

supertypes = collections.defaultdict(set)
classpath = os.pathsep.join(dirs)
for d in dirs:
    names = [os.path.relpath(f, d)[:-len('.class')].replace(os.sep, '.')
             for f in glob.glob(os.path.join(d, '**', '*.class'), recursive=True)]
    for k in range(0, len(names), 200):
        out = subprocess.run([javap, '-cp', classpath] + names[k:k + 200], capture_output=True, text=True).stdout
        for line in out.splitlines():
            m = re.search(r'(?:class|interface|record|enum)\s+(dev\.verdant\.[\w.$]+)(?:<[^{]*?>)?\s+(.*)\{', line)
            if m:
                supertypes[m.group(1)].update(re.findall(r'dev\.verdant\.[\w.$]+', m.group(2)))

graph = collections.defaultdict(set)
for a, b in edges:
    if top(a) != top(b) and a not in supertypes.get(b, ()):
        graph[top(a)].add(top(b))

index, low, stack, on_stack, cycles = {}, {}, [], set(), []


def connect(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on_stack.add(v)
    for w in graph.get(v, ()):
        if w not in index:
            connect(w)
            low[v] = min(low[v], low[w])
        elif w in on_stack:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        component = []
        while True:
            w = stack.pop()
            on_stack.discard(w)
            component.append(w)
            if w == v:
                break
        if len(component) > 1:
            cycles.append(sorted(component))


sys.setrecursionlimit(100000)
for v in list(graph):
    if v not in index:
        connect(v)
print(f'{len(cycles)} file-level cycles among {len(graph)} classes that use another')
for cycle in cycles:
    members = set(cycle)
    print(' ', ' <-> '.join(c.replace('dev.verdant.', '') for c in cycle))
    for a in cycle:
        for b in sorted(graph[a] & members):
            print('     ', a.replace('dev.verdant.', ''), '->', b.replace('dev.verdant.', ''))
sys.exit(1 if cycles else 0)
