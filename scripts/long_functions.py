#!/usr/bin/env python3
# Functions over 60 lines in src/experiments and src/cli (#38): a function is a line at column 0
# ending in "{" with a "(" in it or the 3 lines before, up to the next "}" at column 0 (the files
# are clang-formatted, so that is where definitions start and end). Prints the count, then each.
import glob
out=[]
for f in glob.glob('src/experiments/**/*.cpp',recursive=True)+glob.glob('src/cli/*.cpp'):
    L=open(f).read().split('\n')
    start=None
    for i,l in enumerate(L):
        if start is None and l and not l[0].isspace() and l.rstrip().endswith('{') and '(' in ''.join(L[max(0,i-3):i+1]) and not l.startswith(('namespace','struct','class','enum','extern')) and '=' not in l.split('(')[0]:
            start=i
        elif start is not None and l.startswith('}'):
            n=i-start+1
            if n>60: out.append((n,f,start+1,L[start][:70]))
            start=None
print(len(out))
for o in sorted(out,reverse=True): print(*o)
